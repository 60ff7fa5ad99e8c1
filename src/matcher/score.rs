//! Scoring: how well each entry fits an analysed question, in [0, 1].
//!
//! Three signals, all bounded: the best stored question's weighted overlap with the question
//! (an F-measure of "how much of the question it covers" and "how much of it the question
//! covers"), the entry's coverage of the question by all its words (questions, keywords,
//! answer, excerpts), and whole-string similarity to the best stored question (strsim's
//! Sørensen-Dice; see `similarity`). A question whose matched words carry little information
//! ("who?") is scaled down, so a lone common word cannot answer on its own.

use rustc_hash::FxHashMap as HashMap;

use super::Candidate;
use super::index::{Matcher, Query};
use super::normalise;
use super::similarity::Bigrams;

/// Entries whose whole-string similarity is computed (it is the costly signal).
const RESCORED: usize = 8;

/// Enough candidate entries: past this, commoner words only add to the ones found.
const CANDIDATE_BUDGET: usize = 2048;

/// Entries scored with all their words, after a first cut on the words they ask about.
const SHORTLIST: usize = 64;

struct EntryScore {
    entry: u32,
    best_doc: Option<u32>,
    best_overlap: f32,
    coverage: f32,
    damping: f32,
    token_score: f32,
}

/// The parts a candidate's score is made of, for `citebot ask --explain`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Breakdown {
    pub best_overlap: f32,
    pub coverage: f32,
    pub damping: f32,
    pub similarity: f32,
}

/// Which indexed entries may be ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// The entries and the `not_in_article` groups (to decide).
    Everything,
    /// The entries only (to name the entry nearest a question).
    Answers,
}

pub(crate) fn rank(matcher: &Matcher, query: &Query, limit: usize, scope: Scope) -> Vec<Candidate> {
    rank_explained(matcher, query, limit, scope)
        .into_iter()
        .map(|(c, _)| c)
        .collect()
}

pub(crate) fn rank_explained(
    matcher: &Matcher,
    query: &Query,
    limit: usize,
    scope: Scope,
) -> Vec<(Candidate, Breakdown)> {
    if query.terms.is_empty() || query.total <= 0.0 || limit == 0 {
        return Vec::new();
    }
    SCRATCH.with(|scratch| {
        let mut scratch = scratch.borrow_mut();
        let scores = score_entries(matcher, query, limit.max(RESCORED), scope, &mut scratch);
        scratch.clear();
        finish(matcher, query, scores, limit)
    })
}

/// Per-thread accumulators, sized to the largest knowledge seen and kept zeroed between
/// questions, so a question costs what its words' postings cost and nothing per entry.
#[derive(Default)]
struct Scratch {
    per_doc: Vec<f32>,
    per_entry: Vec<f32>,
    best: Vec<(u32, f32)>,
    touched_docs: Vec<u32>,
    touched_entries: Vec<u32>,
}

impl Scratch {
    fn fit(&mut self, docs: usize, entries: usize) {
        if self.per_doc.len() < docs {
            self.per_doc.resize(docs, 0.0);
        }
        if self.per_entry.len() < entries {
            self.per_entry.resize(entries, 0.0);
            self.best.resize(entries, (u32::MAX, 0.0));
        }
    }

    fn clear(&mut self) {
        for &doc in &self.touched_docs {
            self.per_doc[doc as usize] = 0.0;
        }
        for &entry in &self.touched_entries {
            self.per_entry[entry as usize] = 0.0;
            self.best[entry as usize] = (u32::MAX, 0.0);
        }
        self.touched_docs.clear();
        self.touched_entries.clear();
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// The `keep` best entries by their word scores, best first.
fn score_entries(
    matcher: &Matcher,
    query: &Query,
    keep: usize,
    scope: Scope,
    scratch: &mut Scratch,
) -> Vec<EntryScore> {
    scratch.fit(matcher.docs.len(), matcher.first_doc.len());
    // Rarest words first. Once enough candidates are found, the remaining (commoner) words
    // only add to them: walking "how" through a huge knowledge to find new candidates would
    // cost more than everything else, for entries that could only score low.
    let mut terms = query.terms.clone();
    terms.sort_unstable_by_key(|&(term, _)| matcher.asked_postings[term as usize].len());
    for (term, weight) in terms {
        let may_touch = scratch.touched_entries.len() < CANDIDATE_BUDGET;
        for &doc in &matcher.question_postings[term as usize] {
            let slot = &mut scratch.per_doc[doc as usize];
            if *slot == 0.0 {
                if !may_touch {
                    continue;
                }
                scratch.touched_docs.push(doc);
            }
            *slot += weight;
        }
        for &entry in &matcher.asked_postings[term as usize] {
            let slot = &mut scratch.per_entry[entry as usize];
            if *slot == 0.0 {
                if !may_touch {
                    continue;
                }
                scratch.touched_entries.push(entry);
            }
            *slot += weight;
        }
    }

    for &doc in &scratch.touched_docs {
        let shared = scratch.per_doc[doc as usize];
        let (entry, weight) = matcher.doc_fit[doc as usize];
        // The F-measure of shared/total and shared/weight, in one division (equal up to
        // rounding to the product-over-sum form; total is positive, so is the divisor).
        let overlap = 2.0 * shared / (query.total + weight);
        let slot = &mut scratch.best[entry as usize];
        if slot.0 == u32::MAX || overlap > slot.1 || (overlap == slot.1 && doc < slot.0) {
            *slot = (doc, overlap);
        }
    }

    let config = &matcher.config;
    let (question_share, entry_share) = (config.question_share, config.entry_share);
    let shares = (question_share + entry_share).max(f32::EPSILON);
    let by_score = |a: &EntryScore, b: &EntryScore| {
        b.token_score
            .total_cmp(&a.token_score)
            .then(a.entry.cmp(&b.entry))
    };
    // First by the words the entries ask about; then, for the best few, with every word of
    // the entry (answer and excerpts count partly).
    let mut scores: Vec<EntryScore> = scratch
        .touched_entries
        .iter()
        .filter(|&&entry| scope == Scope::Everything || matcher.answers_with(entry as usize))
        .map(|&entry| {
            let (best_doc, best_overlap) = match scratch.best[entry as usize] {
                (u32::MAX, _) => (None, 0.0),
                (doc, overlap) => (Some(doc), overlap),
            };
            let asked = (scratch.per_entry[entry as usize] / query.total).min(1.0);
            EntryScore {
                entry,
                best_doc,
                best_overlap,
                coverage: asked,
                damping: 1.0,
                token_score: (question_share * best_overlap + entry_share * asked) / shares,
            }
        })
        .collect();
    let shortlist = keep.max(SHORTLIST);
    if scores.len() > shortlist {
        scores.select_nth_unstable_by(shortlist, by_score);
        scores.truncate(shortlist);
    }
    for score in &mut scores {
        // One look at the entry's profile per word gives all three sums:
        // - matched: how much of the question the entry covers;
        // - missing: known words the entry never uses ("zelensky" asked of the prisoners'
        //   ages) say the question is about something else, so they count
        //   `missing_known_penalty` times;
        // - informative: a number alone ("what is 2+2") says how many but not what about, so
        //   only words carry the information a question needs before its score counts in full.
        let (mut matched, mut missing, mut informative) = (0.0f32, 0.0f32, 0.0f32);
        for &(term, weight) in &query.terms {
            let factor = matcher.factor(score.entry, term);
            matched += weight * factor;
            if factor == 0.0 {
                missing += weight;
            }
            if !matcher.numeric[term as usize] {
                informative += weight * factor;
            }
        }
        let penalised_total = query.total + (config.missing_known_penalty - 1.0).max(0.0) * missing;
        score.coverage = (matched / penalised_total).min(1.0);
        score.damping = (informative / matcher.min_information).min(1.0);
        score.token_score = score.damping
            * combine(
                score.best_overlap,
                score.coverage,
                question_share / shares,
                config.soft_and,
            );
    }
    scores.sort_unstable_by(by_score);
    scores.truncate(keep);
    scores
}

/// Blends the best question's overlap with the entry's coverage: a weighted mean, moved toward
/// a weighted geometric mean by `soft_and` (0..1), under which a high coverage cannot make up
/// for a poor best question (and the reverse): both must be good.
fn combine(overlap: f32, coverage: f32, overlap_share: f32, soft_and: f32) -> f32 {
    let mean = overlap_share * overlap + (1.0 - overlap_share) * coverage;
    let geometric =
        overlap.max(1e-6).powf(overlap_share) * coverage.max(1e-6).powf(1.0 - overlap_share);
    let soft_and = soft_and.clamp(0.0, 1.0);
    (1.0 - soft_and) * mean + soft_and * geometric
}

/// Adds whole-string similarity to the best few and puts them in final order.
fn finish(
    matcher: &Matcher,
    query: &Query,
    scores: Vec<EntryScore>,
    limit: usize,
) -> Vec<(Candidate, Breakdown)> {
    let string_share = matcher.config.string_share.clamp(0.0, 1.0);
    let question = Bigrams::new(&query.plain);
    let mut scratch = Vec::new();
    let mut candidates: Vec<(Candidate, Breakdown)> = scores
        .iter()
        .map(|s| {
            let doc = s.best_doc.unwrap_or(matcher.first_doc[s.entry as usize]);
            let stored = &matcher.docs[doc as usize];
            let similarity = question.dice(&stored.plain, &mut scratch) as f32;
            let score =
                (1.0 - string_share) * s.token_score + string_share * similarity * s.damping;
            let candidate = Candidate {
                entry: s.entry as usize,
                question: stored.question as usize,
                score: score.clamp(0.0, 1.0),
            };
            let breakdown = Breakdown {
                best_overlap: s.best_overlap,
                coverage: s.coverage,
                damping: s.damping,
                similarity,
            };
            (candidate, breakdown)
        })
        .collect();
    candidates
        .sort_unstable_by(|(a, _), (b, _)| b.score.total_cmp(&a.score).then(a.entry.cmp(&b.entry)));
    candidates.truncate(limit);
    candidates
}

/// Stored questions that fit a partly typed question. The last word, while still being typed,
/// counts as every known word it begins.
pub(crate) fn complete(matcher: &Matcher, partial: &str, limit: usize) -> Vec<Candidate> {
    if limit == 0 {
        return Vec::new();
    }
    let still_typing = partial.chars().last().is_some_and(char::is_alphanumeric);
    let mut words = normalise::content_words(partial);
    let prefix = if still_typing {
        normalise::words(&normalise::fold(partial)).pop()
    } else {
        None
    };
    if prefix.is_some() && words.last() == prefix.as_ref() {
        words.pop();
    }
    let analysed = matcher.analyse(&words.join(" "));
    let mut slots: Vec<Vec<(u32, f32)>> = analysed.terms.iter().map(|&t| vec![t]).collect();
    let mut total = analysed.total;
    if let Some(prefix) = prefix.filter(|p| p.chars().count() >= 2) {
        let mut expansions: Vec<(u32, f32)> = Vec::new();
        for word in matcher.spelling.words_with_prefix(&prefix, 40) {
            if let Some(id) = matcher.term(&matcher.stem(word))
                && !expansions.iter().any(|(t, _)| *t == id)
            {
                expansions.push((id, matcher.idf[id as usize]));
            }
        }
        if let Some(heaviest) = expansions.iter().map(|(_, w)| *w).reduce(f32::max) {
            total += heaviest;
            slots.push(expansions);
        }
    }
    let folded = normalise::plain(partial);
    if slots.is_empty() || total <= 0.0 {
        return matcher
            .docs
            .iter()
            .filter(|d| matcher.answers_with(d.entry as usize) && d.plain.starts_with(&folded))
            .take(limit)
            .map(|d| Candidate {
                entry: d.entry as usize,
                question: d.question as usize,
                score: 0.0,
            })
            .collect();
    }
    let mut per_doc: HashMap<u32, f32> = HashMap::default();
    for slot in &slots {
        let mut best_in_slot: HashMap<u32, f32> = HashMap::default();
        for &(term, weight) in slot {
            for &doc in &matcher.question_postings[term as usize] {
                let value = best_in_slot.entry(doc).or_insert(0.0);
                *value = value.max(weight);
            }
        }
        for (doc, weight) in best_in_slot {
            *per_doc.entry(doc).or_insert(0.0) += weight;
        }
    }
    let mut ranked: Vec<Candidate> = per_doc
        .into_iter()
        .filter(|&(doc, _)| matcher.answers_with(matcher.docs[doc as usize].entry as usize))
        .map(|(doc, shared)| {
            let stored = &matcher.docs[doc as usize];
            let of_partial = shared / total;
            let of_stored = shared / matcher.doc_fit[doc as usize].1.max(f32::EPSILON);
            let starts = if stored.plain.starts_with(&folded) {
                1.0
            } else {
                0.0
            };
            Candidate {
                entry: stored.entry as usize,
                question: stored.question as usize,
                score: (0.7 * of_partial + 0.2 * of_stored + 0.1 * starts).clamp(0.0, 1.0),
            }
        })
        .collect();
    ranked.sort_unstable_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.entry.cmp(&b.entry))
            .then(a.question.cmp(&b.question))
    });
    ranked.truncate(limit);
    ranked
}
