//! Fuzzy matching of a reader's question against the curated questions.
//!
//! - `normalise`: text to tokens (case folding, accents, quotes, number words, stop words, stems).
//! - `spelling`: typo repair and abbreviations against the knowledge's own words.
//! - `synonyms`: readers' words to the article's (`[synonyms]`).
//! - `analysis`: the knowledge's text as term ids (on several threads for a large knowledge).
//! - `index`: the `Matcher`: the inverted index and vocabulary built once per knowledge load;
//!   its children hold `Matcher::decide`, which takes a question through every reading below
//!   (`index/pipeline`), the scans by meaning it asks (`index/by_meaning`), and
//!   `Matcher::explain` (`index/explain`).
//! - `score`: BM25-like term scoring plus whole-string similarity, scaled to [0, 1].
//! - `similarity`: whole-string similarity (Sørensen-Dice, as strsim computes it).
//! - `decide`: answered / ambiguous / no_match from the ranked candidates.
//! - `clauses`: a long message's clauses, read one by one when the whole gets no answer.
//! - `requests`: a message asking the bot to act ("say...", "pretend..."), never answered.
//! - `to_the_bot`: a question about the bot itself ("how old are you"), answered only by an
//!   entry about the bot.
//! - `answer_kind`: the kind of answer a question asks for (a count, a time, a place...), given
//!   only by an answer that has one.
//! - `meaning`: a second reading by meaning (a static embedding model), which confirms a close
//!   call when it names the words' best entry (or, for "did you mean A or B?", any of the close
//!   entries), and withdraws an answer when the question is nearest a `[[not_in_article]]` group
//!   the words also rank, or when another leading candidate wins with words and meaning blended;
//!   it also gives an answer a group came close to (the overrule, and past a group of requests)
//!   and a group's note to an unanswered question nearest it.

mod analysis;
pub mod answer_kind;
pub mod clauses;
pub mod decide;
pub mod index;
pub mod meaning;
pub mod normalise;
pub mod requests;
pub mod score;
mod similarity;
pub mod spelling;
pub mod synonyms;
pub mod to_the_bot;

use serde::{Deserialize, Serialize};

pub use decide::Decision;
pub use index::Matcher;

/// One entry the matcher considers, with the stored question that matched it best.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// Index into `Knowledge::entries`.
    pub entry: usize,
    /// Index into that entry's `questions`.
    pub question: usize,
    /// In [0, 1].
    pub score: f32,
}

/// The `[matching]` section of `config.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MatchingConfig {
    /// The top score must reach this to answer.
    pub threshold: f32,
    /// The top score must beat the runner-up (a different entry) by this much, or it is ambiguous.
    pub margin: f32,
    /// Below this, a candidate is not worth suggesting.
    pub suggest_threshold: f32,
    /// The information (in shares of the rarest word's weight) a question's matched words must
    /// carry before its score counts in full; below it the score shrinks in proportion.
    pub min_information: f32,
    /// How much a word the knowledge has never seen weighs, as a share of the rarest known
    /// word's weight. Such a word is usually what the question is really about ("names").
    pub unknown_word_weight: f32,
    /// The same for a number the knowledge has never seen: often a reader's guess ("three
    /// soldiers?"), so it counts less.
    pub unknown_number_weight: f32,
    /// Flattens word weights toward the rarest word's: each weighs this share of the rarest
    /// word's weight plus the rest of its own. Higher values let no single rare word decide.
    pub weight_floor: f32,
    /// Share of the score from the best single stored question's overlap with the question.
    pub question_share: f32,
    /// Share from the whole entry's coverage of the question (all its words).
    pub entry_share: f32,
    /// 0: the two shares above are a weighted mean; 1: a weighted geometric mean, where both
    /// the best question and the whole entry must fit.
    pub soft_and: f32,
    /// A known word the entry never uses weighs this many times its weight against the entry.
    pub missing_known_penalty: f32,
    /// Share from whole-string similarity to the best stored question.
    pub string_share: f32,
    /// A close call, scored at least this by the words (under `threshold`, or within `margin`
    /// of the runner-up), is answered when the meaning model (`knowledge/meaning/`) names the
    /// same entry as nearest in meaning (for "did you mean A or B?", any of the close entries
    /// scored at least this). This, `meaning_floor_long`, `meaning_veto` and
    /// `meaning_overrule` at 1 turn the second reading off.
    pub meaning_floor: f32,
    /// ...and only when the question is at least this similar (cosine) to that stored question.
    pub meaning_agreement: f32,
    /// A message of at least `long_question_words` words needs only this: its chatter ("hey
    /// all, sorry if this was asked already, ...") dilutes the words' score, not its meaning.
    pub meaning_floor_long: f32,
    /// How many words (split at whitespace) make a message long.
    pub long_question_words: usize,
    /// An answer the words give is withdrawn ("the article does not answer that") when the
    /// stored question nearest in meaning belongs to a `[[not_in_article]]` group the words
    /// also rank, and is at least this alike. 1 turns this off.
    pub meaning_veto: f32,
    /// ...and more than this nearer than any stored question of another entry or group.
    pub meaning_veto_margin: f32,
    /// An answer the words give that a `[[not_in_article]]` group comes within `margin` of is
    /// given after all when the stored question nearest in meaning is the answer's own and at
    /// least this alike (the veto's mirror); so is an entry within `request_margin` of a group
    /// of requests the words put first, when the message is a question, not a request. 1 turns
    /// both off.
    pub meaning_overrule: f32,
    /// How close an entry must come to a group of requests the words put first for
    /// `meaning_overrule` to answer it: wider than `margin`, because a group of requests ("show
    /// me the photos") is weak evidence against an entry when the message asks rather than
    /// tells ("what do the photos show?").
    pub request_margin: f32,
    /// An answer stands only when, among the words' leading candidates, it still comes first
    /// with each candidate scored `(1 - meaning_blend) × its words' score + meaning_blend × the
    /// cosine of its stored question nearest in meaning`; otherwise the candidate that comes
    /// first instead makes the reply "did you mean...?" (or "not in the article" for a
    /// `[[not_in_article]]` group). 0 turns this off.
    pub meaning_blend: f32,
    /// A message of at least this many words (split at whitespace) that gets no answer as a
    /// whole is read clause by clause; when the clauses that get an answer all name one entry,
    /// that entry answers. 0 turns this off.
    pub clause_words: usize,
    /// Longer questions are cut to this many characters before matching.
    pub max_question_chars: usize,
    /// How many suggestions a `no_match` or `ambiguous` reply offers.
    pub suggestions: usize,
}

/// The calibrated values (see README "Quality"); `config.toml` ships the same.
impl Default for MatchingConfig {
    fn default() -> Self {
        MatchingConfig {
            threshold: 0.65,
            margin: 0.05,
            suggest_threshold: 0.15,
            min_information: 0.35,
            unknown_word_weight: 0.8,
            unknown_number_weight: 0.2,
            weight_floor: 0.2,
            question_share: 0.45,
            entry_share: 0.4,
            string_share: 0.15,
            missing_known_penalty: 1.5,
            soft_and: 0.5,
            meaning_floor: 0.4,
            meaning_agreement: 0.4,
            meaning_floor_long: 0.25,
            long_question_words: 15,
            meaning_veto: 0.6,
            meaning_veto_margin: 0.05,
            meaning_overrule: 0.6,
            request_margin: 0.1,
            meaning_blend: 0.6,
            clause_words: 10,
            max_question_chars: 500,
            suggestions: 3,
        }
    }
}
