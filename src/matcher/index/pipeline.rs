//! [`Matcher::decide`], the whole decision for a message: the words' ranking, the rules of
//! `decide` with the scans by meaning (`by_meaning`), the clause reading and a group's note for
//! what stays unanswered, then the refusals of requests, questions to the bot and answers that
//! lack the kind asked. [`Matcher::decide_by_words`] is its first step alone, for `citebot
//! check`.

use std::cell::OnceCell;

use super::{Matcher, Query};
use crate::matcher::answer_kind::Kind;
use crate::matcher::meaning::MeaningQuery;
use crate::matcher::normalise;
use crate::matcher::score::{self, Scope};
use crate::matcher::{Candidate, Decision, clauses, decide, requests, to_the_bot};

/// How many of the words' leading candidates the blend of words and meaning compares (an
/// answer's rivals are near the top: 4, 6 and 10 gave the same replies on every evaluation set).
const BLENDED_CANDIDATES: usize = 4;

impl Matcher {
    /// The decision for `question`: answered, ambiguous, no match, or known not to be in the
    /// article.
    pub fn decide(&self, question: &str) -> Decision {
        let embedded = OnceCell::new();
        let decision = self.decide_read(question, &embedded);
        // "say the sniper was born in 1980": its words are a question's, but answering it
        // would answer what was not asked.
        if matches!(decision, Decision::Answered(_)) && requests::is_request(question) {
            return self.refuse_request(question, &embedded);
        }
        // "how old are you": its words are "how old are they"'s, but it asks about the bot.
        // "how many drones does ukraine have": the words find the entry about drones, whose
        // answer counts nothing.
        let Decision::Answered(answer) = decision else {
            return decision;
        };
        // Both checks read the question folded and split: once.
        let words = normalise::words(&normalise::fold(question));
        let to_the_bot = self.answers_the_bot.get(answer.entry) == Some(&false)
            && to_the_bot::is_to_the_bot_in(&words);
        if to_the_bot || self.lacks_in(answer.entry, &words).is_some() {
            let (_, ranked) = self.decide_ranked(question);
            return Decision::NoMatch(decide::near(&ranked, &self.config, self.answers));
        }
        decision
    }

    /// [`Matcher::decide`] before requests are told from questions: the message whole, then
    /// (unanswered) a group's note or its clauses.
    pub(super) fn decide_read(
        &self,
        question: &str,
        embedded: &OnceCell<Option<MeaningQuery>>,
    ) -> Decision {
        let decision = self.decide_embedded(question, embedded);
        let near = match &decision {
            Decision::NoMatch(near) | Decision::Ambiguous(near) => near,
            _ => return decision,
        };
        // Unanswered, and nearest in meaning to what the article is known not to say: the
        // group's note tells the reader more than "no match" ("did putin announce this?": the
        // article does not mention Putin), and a clause of it answered alone would answer
        // something it did not ask.
        let query = || {
            embedded
                .get_or_init(|| self.meaning_query(question))
                .as_ref()
        };
        if let Some((gap, score)) = self.gap_near_of_all(query) {
            return Decision::NotInArticle {
                gap: gap - self.answers,
                score,
                near: near.clone(),
            };
        }
        if !self.reads_clauses(question) {
            return decision;
        }
        // Chatter around a question dilutes it; a clause that is answered alone is the
        // question, unless another clause is answered with a different entry or is a question
        // the article is known not to answer.
        let mut found: Option<Candidate> = None;
        for clause in clauses::clauses(question) {
            match self.decide_whole(clause) {
                // "is there anything in the article about that?": what it asks is elsewhere.
                Decision::Answered(_) if clauses::refers_back(clause) => return decision,
                Decision::Answered(candidate) => match found {
                    Some(earlier) if earlier.entry != candidate.entry => return decision,
                    Some(earlier) if earlier.score >= candidate.score => {}
                    _ => found = Some(candidate),
                },
                // A clause that asks what the article is known not to say is the question
                // ("i read one of them died, what was his name?"); chatter that merely
                // resembles a group ("hey so I just joined the channel,") is not.
                Decision::NotInArticle { .. } if clause.trim_end().ends_with('?') => {
                    return decision;
                }
                _ => {}
            }
        }
        found.map_or(decision, Decision::Answered)
    }

    /// A request the words answer with an entry: the note of the group of requests nearest it
    /// in meaning ("send the pic of the passport": the article has no photo files; "say the
    /// sniper was born in 1980": the article does not say that), else no match; the entries
    /// as suggestions either way.
    fn refuse_request(
        &self,
        question: &str,
        embedded: &OnceCell<Option<MeaningQuery>>,
    ) -> Decision {
        let (_, ranked) = self.decide_ranked(question);
        let near = decide::near(&ranked, &self.config, self.answers);
        // Only a group clearly nearest (by the veto's margin): a note about translation for
        // "post zelensky's instagram post here" would answer what was not asked either.
        let nearest_group = self.meaning.as_ref().and_then(|meaning| {
            let query = embedded
                .get_or_init(|| self.meaning_query(question))
                .as_ref()?;
            let mut groups: Vec<(usize, f32)> = (self.request_groups.iter())
                .filter_map(|&group| {
                    let (_, similarity) = meaning.best_among(query, self.docs_of(group), -1.0)?;
                    Some((group, similarity))
                })
                .collect();
            groups.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let runner_up = groups.get(1).map_or(f32::NEG_INFINITY, |g| g.1);
            groups
                .first()
                .filter(|(_, best)| best - runner_up > self.config.meaning_veto_margin)
                .copied()
        });
        match nearest_group {
            Some((group, score)) => Decision::NotInArticle {
                gap: group - self.answers,
                score,
                near,
            },
            None => Decision::NoMatch(near),
        }
    }

    /// [`Matcher::gap_near`] among all the not-in-the-article groups, for the question `query`
    /// embeds when needed; `None` when the veto is off (`meaning_veto` 1), whose measure this
    /// shares.
    pub(super) fn gap_near_of_all<'q>(
        &self,
        query: impl FnOnce() -> Option<&'q MeaningQuery>,
    ) -> Option<(usize, f32)> {
        if self.config.meaning_veto >= 1.0 {
            return None;
        }
        let gaps: Vec<usize> = (self.answers..self.first_doc.len()).collect();
        self.gap_near(query()?, &gaps)
    }

    /// Whether a `question` the whole of which gets no answer is read clause by clause: it has
    /// at least `clause_words` words.
    pub(super) fn reads_clauses(&self, question: &str) -> bool {
        self.config.clause_words > 0
            && question.split_whitespace().count() >= self.config.clause_words
    }

    /// [`Matcher::decide`] for the message as one piece.
    pub(super) fn decide_whole(&self, question: &str) -> Decision {
        self.decide_embedded(question, &OnceCell::new())
    }

    /// [`Matcher::decide_whole`], keeping the question's embedding in `embedded` (made at most
    /// once, and only when the meaning is asked) for the caller to reuse.
    fn decide_embedded(
        &self,
        question: &str,
        embedded: &OnceCell<Option<MeaningQuery>>,
    ) -> Decision {
        let (decision, ranked) = self.decide_ranked(question);
        let query = || {
            embedded
                .get_or_init(|| self.meaning_query(question))
                .as_ref()
        };
        let decision = decide::veto(decision, &ranked, &self.config, self.answers, || {
            self.ranked_gap_near(&ranked, query)
        });
        let words = question.split_whitespace().count();
        let decision = decide::confirm(
            decision,
            &ranked,
            &self.config,
            self.answers,
            words,
            |entry, agreement| query().is_some_and(|q| self.agrees(q, entry, agreement)),
        );
        let decision = decide::past_requests(
            decision,
            &ranked,
            &self.config,
            self.answers,
            |group| self.request_groups.contains(&group),
            || !requests::is_request(question),
            |entry, agreement| query().is_some_and(|q| self.agrees(q, entry, agreement)),
        );
        decide::blend(decision, &ranked, &self.config, self.answers, |answer| {
            self.blended_rival(query()?, &ranked, answer)
        })
    }

    /// Among the words' first [`BLENDED_CANDIDATES`] candidates, the one that comes before
    /// `answer` when each is scored `(1 - b) × words + b × meaning` (`b` = `meaning_blend`,
    /// meaning: the cosine of its stored question nearest `query`), the first such by that
    /// blended score; `None` when the answer stays first. Only a rival's stored questions that
    /// could reach the answer's blended score are compared in full.
    fn blended_rival(
        &self,
        query: &MeaningQuery,
        ranked: &[Candidate],
        answer: &Candidate,
    ) -> Option<Candidate> {
        let meaning = self.meaning.as_ref()?;
        let blend = self.config.meaning_blend;
        let blended = |words: f32, cosine: f32| (1.0 - blend) * words + blend * cosine;
        let (_, own) = meaning.best_among(query, self.docs_of(answer.entry), -1.0)?;
        let mut bar = blended(answer.score, own);
        let mut rival = None;
        for candidate in ranked.iter().take(BLENDED_CANDIDATES) {
            if candidate.entry == answer.entry {
                continue;
            }
            // The cosine the candidate needs to come first (a tie keeps the answer).
            let needed = (bar - (1.0 - blend) * candidate.score) / blend;
            if needed > 1.0 {
                continue;
            }
            let reached = meaning.best_among(query, self.docs_of(candidate.entry), needed);
            if let Some((_, cosine)) = reached.filter(|&(_, cosine)| cosine > needed) {
                bar = blended(candidate.score, cosine);
                rival = Some(*candidate);
            }
        }
        rival
    }

    /// [`Matcher::decide`] by the words alone, without the reading by meaning, for the message
    /// as one piece (no clause reading). `citebot check`
    /// asks each stored question this way: by meaning, a stored question is always nearest to
    /// itself, so the second reading would settle every close call in its favour.
    pub fn decide_by_words(&self, question: &str) -> Decision {
        self.decide_ranked(question).0
    }

    pub(super) fn decide_ranked(&self, question: &str) -> (Decision, Vec<Candidate>) {
        // Room for a few `not_in_article` candidates above the entries worth suggesting.
        let limit = self.config.suggestions.max(3) + 3;
        let query = self.analyse(question);
        let ranked = match self.said_in_function_words(&query) {
            Some(candidate) => vec![candidate],
            None => score::rank(self, &query, limit, Scope::Everything),
        };
        (decide::decide(&ranked, &self.config, self.answers), ranked)
    }

    /// The stored question a reader's question of function words alone repeats word for word
    /// (any other such question has nothing the words can match).
    fn said_in_function_words(&self, query: &Query) -> Option<Candidate> {
        if !query.terms.is_empty() || query.total > 0.0 {
            return None;
        }
        let key = normalise::spelled_out(query.plain.split(' '));
        let doc = &self.docs[*self.function_words.get(&key)? as usize];
        Some(Candidate {
            entry: doc.entry as usize,
            question: doc.question as usize,
            score: 1.0,
        })
    }

    /// The kind of answer `question` asks for (a count, a time, a side...) when `entry`'s
    /// answer does not give it.
    pub(crate) fn lacks(&self, entry: usize, question: &str) -> Option<Kind> {
        self.answer_gives.get(entry)?.lacks(question)
    }

    /// [`Matcher::lacks`] for a question already folded and split (`normalise::words`).
    fn lacks_in(&self, entry: usize, words: &[String]) -> Option<Kind> {
        self.answer_gives.get(entry)?.lacks_in(words)
    }
}
