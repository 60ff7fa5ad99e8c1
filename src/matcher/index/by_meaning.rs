//! The matcher's reading by meaning, over the `MeaningIndex` of every stored question: a
//! question embedded with the misspellings the words' reading repairs spelt as the knowledge
//! spells them, the stored question or entry nearest it, the not-in-the-article group it is
//! clearly nearest (the veto's measure), whether an entry's stored questions agree with it,
//! and whether the model knows a word. The decision (`pipeline`) and the words' typo repair
//! (`Matcher::analyse`) ask these; the public ones serve `citebot check`, the CLI and the
//! tests.

use std::borrow::Cow;

use super::Matcher;
use crate::matcher::Candidate;
use crate::matcher::meaning::MeaningQuery;
use crate::matcher::normalise;

impl Matcher {
    /// The stored questions no term reaches ("what can you do"), as (indexed entry, question
    /// index): the reading by meaning has nothing of them, and `tools/build_meaning.py` must
    /// leave the same ones out of the model's tuning.
    pub fn wordless_questions(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        (self.wordless.iter()).map(|&doc| {
            let doc = &self.docs[doc as usize];
            (doc.entry as usize, doc.question as usize)
        })
    }

    /// Whether questions get the reading by meaning: a model was loaded and indexed, and the
    /// floors or the veto leave it something to do.
    pub fn reads_meaning(&self) -> bool {
        self.meaning.is_some()
            && (self.config.meaning_floor < 1.0
                || self.config.meaning_floor_long < 1.0
                || self.config.meaning_veto < 1.0
                || self.config.meaning_overrule < 1.0
                || self.config.meaning_blend > 0.0)
    }

    /// `question` as the reading by meaning embeds it: with the misspelt words the words'
    /// reading repairs ("caputred") spelt as the knowledge spells them, since the model's word
    /// pieces for a typo carry little of the word's meaning.
    fn meaning_text<'q>(&self, question: &'q str) -> Cow<'q, str> {
        let mut text = String::new();
        let mut repaired = false;
        for (at, token) in question.split_whitespace().enumerate() {
            if at > 0 {
                text.push(' ');
            }
            // Only a plain word: "they're" or "9/11" are read by the model's own pieces.
            let not_alphanumeric = |c: char| !c.is_alphanumeric();
            let core = token.trim_matches(not_alphanumeric);
            let fixed = if core.chars().all(char::is_alphabetic) {
                match normalise::words(&normalise::fold(core)).as_slice() {
                    // As the words' reading: function words ("gimme") are never repaired.
                    [word] if !normalise::is_stop_word(word) => self.repair(word),
                    _ => None,
                }
            } else {
                None
            };
            match fixed {
                Some(fixed) => {
                    repaired = true;
                    let start = token.len() - token.trim_start_matches(not_alphanumeric).len();
                    text.push_str(&token[..start]);
                    text.push_str(fixed);
                    text.push_str(&token[start + core.len()..]);
                }
                None => text.push_str(token),
            }
        }
        if repaired {
            Cow::Owned(text)
        } else {
            Cow::Borrowed(question)
        }
    }

    /// The knowledge's spelling of `word` when the words' reading takes it for a misspelling
    /// or an abbreviation of it; `None` for a word it knows or cannot place.
    fn repair(&self, word: &str) -> Option<&str> {
        // A word the model knows whole it reads better as typed ("channel"), whatever the
        // words' reading makes of it.
        if self.known_stems.contains_key(word) || self.model_knows_word(word) != Some(false) {
            return None;
        }
        self.misspelt(word, &self.stemmer.stem(word))
    }

    /// `question` embedded for the scans by meaning (see [`Matcher::meaning_text`]).
    pub(super) fn meaning_query(&self, question: &str) -> Option<MeaningQuery> {
        self.meaning.as_ref()?.query(&self.meaning_text(question))
    }

    /// The stored question (doc index) nearest `question` in meaning, comparing every one.
    pub(super) fn nearest_doc_in_meaning(&self, question: &str) -> Option<(usize, f32)> {
        self.meaning.as_ref()?.nearest(&self.meaning_text(question))
    }

    /// The entry (indexed as in `rank`) whose stored question is nearest `question` in
    /// meaning, with its cosine similarity, by comparing every stored question; `None` without
    /// a meaning model.
    pub fn nearest_in_meaning(&self, question: &str) -> Option<(usize, f32)> {
        let (doc, similarity) = self.nearest_doc_in_meaning(question)?;
        Some((self.docs[doc].entry as usize, similarity))
    }

    /// Which of `gaps` (indexed entries from `Knowledge::entries.len()` on: the
    /// `not_in_article` groups) has the stored question nearest `question` in meaning, with its
    /// similarity, when it is at least `meaning_veto` alike and more than `meaning_veto_margin`
    /// nearer than every stored question of any other entry or group. `None` when none does, or
    /// without a meaning model, or when the question has no word piece the model knows.
    pub fn gap_in_meaning(&self, question: &str, gaps: &[usize]) -> Option<(usize, f32)> {
        let query = self.meaning_query(question)?;
        self.gap_near(&query, gaps)
    }

    /// The veto's verdict for a question the words answered with `ranked`: only a group the
    /// words rank too can withdraw the answer (both readings see it; measured against letting
    /// any group veto: one more right answer on one evaluation set, one more wrong answer on
    /// another, and no scan of every group's questions for every answer). `query` embeds the
    /// question when needed.
    pub(super) fn ranked_gap_near<'q>(
        &self,
        ranked: &[Candidate],
        query: impl FnOnce() -> Option<&'q MeaningQuery>,
    ) -> Option<(usize, f32)> {
        let gaps: Vec<usize> = ranked
            .iter()
            .map(|c| c.entry)
            .filter(|&e| e >= self.answers)
            .collect();
        if gaps.is_empty() {
            return None;
        }
        self.gap_near(query()?, &gaps)
    }

    /// [`Matcher::gap_in_meaning`] for a question already embedded. The groups' questions are
    /// scanned first, with bounds that rule out all but those at least `meaning_veto` alike,
    /// and only when one is found is everything else scanned for a rival (the answered entry
    /// among them).
    pub(super) fn gap_near(&self, query: &MeaningQuery, gaps: &[usize]) -> Option<(usize, f32)> {
        let meaning = self.meaning.as_ref()?;
        let (veto, margin) = (self.config.meaning_veto, self.config.meaning_veto_margin);
        let (doc, similarity) = gaps
            .iter()
            .filter(|&&gap| gap >= self.answers && gap < self.first_doc.len())
            .filter_map(|&gap| meaning.best_among(query, self.docs_of(gap), veto))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))?;
        let gap = self.docs[doc].entry as usize;
        // Nearest of all, by more than the margin: nothing of another entry or group comes
        // that close.
        let own = self.docs_of(gap);
        let floor = similarity - margin;
        let rival = meaning.reaches(query, 0..own.start, floor)
            || meaning.reaches(query, own.end..self.docs.len(), floor);
        (!rival).then_some((gap, similarity))
    }

    /// Whether the stored question nearest `question` in meaning belongs to `entry` and is at
    /// least `agreement` alike (false without a meaning model).
    pub fn agrees_in_meaning(&self, question: &str, entry: usize, agreement: f32) -> bool {
        self.meaning_query(question)
            .is_some_and(|query| self.agrees(&query, entry, agreement))
    }

    /// [`Matcher::agrees_in_meaning`] for a question already embedded.
    pub(super) fn agrees(&self, query: &MeaningQuery, entry: usize, agreement: f32) -> bool {
        self.meaning
            .as_ref()
            .is_some_and(|m| m.agrees(query, self.docs_of(entry), agreement))
    }

    /// Whether the meaning model's vocabulary has `word` whole, or without a plural "s"
    /// ("russias" is "russia's", folded); `None` without a model or its vocabulary.
    pub(super) fn model_knows_word(&self, word: &str) -> Option<bool> {
        let model = self.meaning.as_ref()?.model();
        let singular = word.strip_suffix('s').filter(|w| !w.is_empty());
        Some(model.knows_word(word)? || singular.is_some_and(|w| model.knows_word(w) == Some(true)))
    }
}
