//! Gaps in the knowledge: the logged questions grouped by what they ask, largest groups first,
//! each with the entry that came nearest, so a curator sees "14 people asked for the soldiers'
//! names" at a glance and can add an entry, a phrasing, or a `[[not_in_article]]` (groups that
//! one already covers are marked).
//!
//! Questions are read with the matcher's own normalisation (folding, number words, stop words,
//! stems), so "What are the soldiers' names?" and "names of the soldiers" fall together. A
//! question joins the first group whose first question shares enough of its words (Jaccard).

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::log::{Unanswered, Why};
use crate::engine::Snapshot;
use crate::matcher::normalise::{WordStemmer, content_words};

/// Two questions belong together when they share at least this share of their words.
const SIMILAR: f64 = 0.5;
/// Examples shown per group.
const EXAMPLES: usize = 3;

/// One group of similar questions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gap {
    /// How many logged questions the group holds.
    pub count: usize,
    /// How many of them were answers voted down.
    pub voted_down: usize,
    /// A few different wordings, the most asked first.
    pub examples: Vec<String>,
    /// The entry the matcher ranks nearest to the most asked wording.
    pub nearest: Option<Nearest>,
    /// The `[[not_in_article]]` the most asked wording now matches, if any: a gap the
    /// curators already know of (the reply says so), not one to fill.
    pub not_in_article: Option<String>,
    /// The newest question's time (RFC 3339).
    pub last: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Nearest {
    pub entry: String,
    /// The entry's canonical question.
    pub question: String,
    pub score: f32,
}

struct Group {
    key: BTreeSet<String>,
    wordings: Vec<(String, usize)>,
    count: usize,
    voted_down: usize,
    last: String,
}

/// The stems a question is about.
fn key(question: &str, stemmer: &WordStemmer) -> BTreeSet<String> {
    content_words(question)
        .iter()
        .map(|w| stemmer.stem(w))
        .collect()
}

fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        return 1.0;
    }
    a.intersection(b).count() as f64 / union as f64
}

/// The question a record can be grouped by: none for a vote on an answer given before a
/// restart (the bot no longer knew what was asked) or a blank one. Whoever counts the groups'
/// questions counts these, so the count and the groups agree.
pub fn question_of(record: &Unanswered) -> Option<&str> {
    record
        .question
        .as_deref()
        .map(str::trim)
        .filter(|question| !question.is_empty())
}

/// Groups `records` (questions without text are left out), largest first, at most `top`.
pub fn gaps(records: &[Unanswered], snapshot: &Snapshot, top: usize) -> Vec<Gap> {
    let stemmer = WordStemmer::default();
    let mut groups: Vec<Group> = Vec::new();
    for record in records {
        let Some(question) = question_of(record) else {
            continue;
        };
        let key = key(question, &stemmer);
        let found = groups.iter_mut().find(|g| {
            if key.is_empty() || g.key.is_empty() {
                // Nothing but stop words: only the very same wording groups.
                g.wordings[0].0.to_lowercase() == question.to_lowercase()
            } else {
                jaccard(&g.key, &key) >= SIMILAR
            }
        });
        let group = match found {
            Some(group) => group,
            None => {
                groups.push(Group {
                    key,
                    wordings: Vec::new(),
                    count: 0,
                    voted_down: 0,
                    last: String::new(),
                });
                let last = groups.len() - 1;
                &mut groups[last]
            }
        };
        group.count += 1;
        if record.status == Why::VotedDown {
            group.voted_down += 1;
        }
        if record.time > group.last {
            group.last = record.time.clone();
        }
        match group
            .wordings
            .iter_mut()
            .find(|(w, _)| w.eq_ignore_ascii_case(question))
        {
            Some((_, seen)) => *seen += 1,
            None => group.wordings.push((question.to_string(), 1)),
        }
    }
    groups.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| b.last.cmp(&a.last)));
    groups.truncate(top);
    let mut nearest_of: HashMap<String, Option<Nearest>> = HashMap::new();
    groups
        .into_iter()
        .map(|mut group| {
            // The most asked wording first; ties keep the order they were asked in.
            group.wordings.sort_by_key(|w| std::cmp::Reverse(w.1));
            let examples: Vec<String> = group
                .wordings
                .iter()
                .take(EXAMPLES)
                .map(|(w, _)| w.clone())
                .collect();
            let nearest = nearest_of
                .entry(examples[0].clone())
                .or_insert_with(|| nearest(snapshot, &examples[0]))
                .clone();
            let not_in_article = snapshot
                .ask(&examples[0])
                .not_in_article
                .map(|known| known.id);
            Gap {
                count: group.count,
                voted_down: group.voted_down,
                examples,
                nearest,
                not_in_article,
                last: group.last,
            }
        })
        .collect()
}

fn nearest(snapshot: &Snapshot, question: &str) -> Option<Nearest> {
    let best = snapshot.matcher.rank(question, 1).into_iter().next()?;
    let entry = snapshot.knowledge.entries.get(best.entry)?;
    Some(Nearest {
        entry: entry.id.clone(),
        question: entry.questions.first().cloned().unwrap_or_default(),
        score: best.score,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curation::log::{Place, now};

    fn shipped() -> Snapshot {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
        let knowledge = crate::knowledge::loader::parse(&dir).unwrap();
        Snapshot::new(knowledge, &crate::matcher::MatchingConfig::default())
    }

    fn asked(question: &str, status: Why) -> Unanswered {
        Unanswered {
            time: now(),
            status,
            question: Some(question.to_string()),
            entry: None,
            candidates: Vec::new(),
            place: Place::default(),
            user: None,
        }
    }

    #[test]
    fn similar_questions_group_together_largest_first() {
        let snapshot = shipped();
        let records = [
            asked("What are the soldiers' names?", Why::NoMatch),
            asked("what is the weather in Kyiv today", Why::NoMatch),
            asked("names of the soldiers", Why::NoMatch),
            asked("What are the SOLDIERS' names?", Why::Ambiguous),
            asked("What are the soldier names", Why::VotedDown),
            asked("the the the", Why::NoMatch),
            Unanswered {
                question: None,
                ..asked("", Why::VotedDown)
            },
        ];
        let gaps = gaps(&records, &snapshot, 10);
        assert_eq!(
            gaps.iter().map(|g| g.count).collect::<Vec<_>>(),
            [4, 1, 1],
            "{gaps:#?}"
        );
        let names = &gaps[0];
        assert_eq!(names.voted_down, 1);
        assert_eq!(
            names.examples[0], "What are the soldiers' names?",
            "most asked first"
        );
        assert_eq!(names.examples.len(), 3);
        let nearest = names.nearest.as_ref().unwrap();
        assert!(snapshot.knowledge.entry(&nearest.entry).is_some());
        let ranked = snapshot.matcher.rank(&names.examples[0], 1);
        assert_eq!(nearest.score, ranked[0].score);
        // The shipped knowledge lists the names as not in the article; the weather it does not.
        assert_eq!(names.not_in_article.as_deref(), Some("soldier_names"));
        assert!(
            gaps[1..]
                .iter()
                .any(|g| g.examples == ["what is the weather in Kyiv today"])
        );
        assert_eq!(gaps_top(&records, &snapshot), 1);
    }

    fn gaps_top(records: &[Unanswered], snapshot: &Snapshot) -> usize {
        gaps(records, snapshot, 1).len()
    }
}
