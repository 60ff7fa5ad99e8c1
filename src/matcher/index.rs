//! The matcher: the index it answers from, built once per knowledge load (the vocabulary with
//! its term weights, postings from terms to stored questions and to entries, spelling and
//! synonyms), and the words' reading of a question against it: its known words as terms,
//! misspellings repaired, the rest unknown. `rank` and `complete` score entries with it.
//!
//! A term's weight is its BM25 inverse document frequency over entries: a word found in every
//! entry ("soldier") says little about which entry a question wants; a word found in one
//! ("sniper") says a lot. Words from an entry's questions, keywords and tags count fully toward
//! the entry; words only in its answer or excerpts count partly, so readers who use the
//! article's own words are still understood.
//!
//! The rest of `Matcher` is in child modules, which read its private fields:
//! - `pipeline`: [`Matcher::decide`], which takes a question through the ranking, the rules of
//!   `decide` with the scans by meaning, the clause reading, and the refusals of requests,
//!   questions to the bot and answers that lack the kind asked.
//! - `by_meaning`: the scans by meaning those steps ask (a question embedded, its nearest stored
//!   questions, the group it is clearly nearest, an entry that agrees).
//! - `explain`: [`Matcher::explain`], the same steps told for curators (`--explain`).

mod by_meaning;
mod explain;
mod pipeline;

use std::borrow::Cow;

use rustc_hash::FxHashMap as HashMap;

use super::analysis::{self, Analysis, FROM_QUESTION};
use super::meaning::MeaningIndex;
use super::normalise::{self, WordStemmer};
use super::score::Scope;
use super::spelling::Spelling;
use super::synonyms::Synonyms;
use super::{Candidate, MatchingConfig, answer_kind, requests, score, to_the_bot};
use crate::knowledge::Knowledge;

/// One stored question, as the scorer sees it.
pub(crate) struct Doc {
    pub entry: u32,
    pub question: u32,
    /// Folded text, for whole-string similarity.
    pub plain: String,
}

/// A reader's question, analysed.
#[derive(Debug, Default)]
pub(crate) struct Query {
    /// Distinct known terms with their weights.
    pub terms: Vec<(u32, f32)>,
    /// Sum of all weights, unknown words included.
    pub total: f32,
    pub plain: String,
}

/// The matcher over one knowledge. Immutable once built; cheap to query from many threads.
pub struct Matcher {
    pub(crate) config: MatchingConfig,
    stemmer: WordStemmer,
    /// Stemming is a large share of analysing a question, so every word the spelling index
    /// knows (the same keys) is stemmed once at load. Its own map, not a column beside
    /// `Spelling`'s sorted words: every word of every question is looked up here, and a hash
    /// lookup is a few times cheaper than a binary search of the vocabulary.
    known_stems: HashMap<String, String>,
    pub(crate) spelling: Spelling,
    synonyms: Synonyms,
    pub(crate) terms: HashMap<String, u32>,
    pub(crate) idf: Vec<f32>,
    /// Terms that are numbers ("2"): they say how many, never what about.
    pub(crate) numeric: Vec<bool>,
    pub(crate) unknown_weight: f32,
    pub(crate) unknown_number_weight: f32,
    /// The weight a question's matched words must reach before its score counts in full.
    pub(crate) min_information: f32,
    pub(crate) question_postings: Vec<Vec<u32>>,
    /// Term -> the entries that ask about it (in a question, keyword or tag).
    pub(crate) asked_postings: Vec<Vec<u32>>,
    /// Every entry's terms with how much each counts toward it, sorted by term, flattened;
    /// entry `e` owns `profile_terms[profile_start[e]..profile_start[e + 1]]` and the same
    /// range of `profile_factors`. The terms apart from the factors: searching them for a
    /// question's words reads half the memory.
    pub(crate) profile_terms: Vec<u32>,
    pub(crate) profile_factors: Vec<f32>,
    pub(crate) profile_start: Vec<u32>,
    pub(crate) docs: Vec<Doc>,
    /// Each doc's entry (as in `docs`) and weight (the sum of its distinct terms' weights):
    /// the word scores read these for thousands of docs a question, and packed they stay in
    /// cache where whole `Doc`s would not.
    pub(crate) doc_fit: Vec<(u32, f32)>,
    /// For each entry, the index of its first doc.
    pub(crate) first_doc: Vec<u32>,
    /// How many of the indexed entries answer: `Knowledge::entries`. The rest, from this index
    /// on, are `Knowledge::not_in_article`, matched like entries but never answered with.
    pub(crate) answers: usize,
    /// The stored questions made of function words alone ("what can you do"), which no term
    /// reaches: their folded words spelled out (`normalise::spelled_out`), and their doc. A
    /// reader's question of function words alone is answered only by one of these, word for
    /// word.
    function_words: HashMap<String, u32>,
    /// Every stored question no term reaches (the function-word ones, and any of no words at
    /// all), as doc indices: embedded as nothing for the reading by meaning.
    wordless: Vec<u32>,
    /// Every stored question by meaning, when the knowledge has a meaning model.
    meaning: Option<MeaningIndex>,
    /// The not-in-the-article groups of requests to act ("write a poem", "send the photos"):
    /// at least a third of their questions are requests (`requests::is_request`). Indexed as
    /// entries are.
    request_groups: Vec<usize>,
    /// For each entry, whether it answers questions about the bot itself
    /// (`to_the_bot::answers_the_bot`): "where do your answers come from?", not "how old are
    /// you".
    answers_the_bot: Vec<bool>,
    /// For each entry, whether its answer gives each `Kind::ALL` (`answer_kind::gives`):
    /// only such an entry answers "how many...", "when...", "what colour...".
    answer_gives: Vec<answer_kind::Given>,
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher")
            .field("entries", &self.first_doc.len())
            .field("questions", &self.docs.len())
            .field("terms", &self.terms.len())
            .finish_non_exhaustive()
    }
}

impl Matcher {
    pub fn new(knowledge: &Knowledge, config: &MatchingConfig) -> Matcher {
        let stemmer = WordStemmer::default();
        let synonyms = Synonyms::stemmed(&knowledge.synonyms, &stemmer);
        let mut analysis = analysis::analyse(knowledge, &stemmer, &synonyms);
        // Words readers may type that the knowledge only has as synonyms or in the article:
        // known to the spelling index so they are never "corrected" into something else.
        for phrase in knowledge.synonyms.iter().flatten() {
            analysis.count_words(phrase);
        }
        for line in &knowledge.article.lines {
            analysis.count_words(line);
        }
        let Analysis {
            terms,
            entry_terms,
            doc_terms,
            docs,
            first_doc,
            frequency,
        } = analysis;

        // What the article does not answer counts as entries here: a word readers use for it
        // ("names") is as telling as one an entry asks about.
        let entries = entry_terms.len() as f32;
        // A word's weight comes from how many entries *ask* about it; words that only appear
        // in answers ("Zelensky said") would otherwise look common and weigh nothing.
        let mut asked_in = vec![0u32; terms.len()];
        let mut mentioned_in = vec![0u32; terms.len()];
        for profile in &entry_terms {
            for (id, factor) in profile {
                mentioned_in[*id as usize] += 1;
                if *factor >= FROM_QUESTION {
                    asked_in[*id as usize] += 1;
                }
            }
        }
        let max_idf = (1.0 + (entries + 0.5) / 1.5).ln().max(f32::EPSILON);
        let floor = config.weight_floor.clamp(0.0, 1.0);
        let idf: Vec<f32> = asked_in
            .iter()
            .zip(&mentioned_in)
            .map(|(&asked, &mentioned)| {
                let df = if asked > 0 { asked } else { mentioned } as f32;
                let idf = (1.0 + (entries - df + 0.5) / (df + 0.5)).ln();
                floor * max_idf + (1.0 - floor) * idf
            })
            .collect();

        let mut question_postings = vec![Vec::new(); terms.len()];
        let mut doc_fit = Vec::with_capacity(docs.len());
        for (doc_index, ids) in doc_terms.iter().enumerate() {
            let weight = ids.iter().map(|id| idf[*id as usize]).sum();
            doc_fit.push((docs[doc_index].entry, weight));
            for id in ids {
                question_postings[*id as usize].push(doc_index as u32);
            }
        }
        let mut asked_postings = vec![Vec::new(); terms.len()];
        let (mut profile_terms, mut profile_factors) = (Vec::new(), Vec::new());
        let mut profile_start = Vec::with_capacity(entry_terms.len() + 1);
        for (entry_index, terms_of_entry) in entry_terms.iter().enumerate() {
            profile_start.push(profile_terms.len() as u32);
            for &(id, factor) in terms_of_entry {
                if factor >= FROM_QUESTION {
                    asked_postings[id as usize].push(entry_index as u32);
                }
                profile_terms.push(id);
                profile_factors.push(factor);
            }
        }
        profile_start.push(profile_terms.len() as u32);

        let mut numeric = vec![false; terms.len()];
        for (term, &id) in &terms {
            numeric[id as usize] = term.chars().all(|c| c.is_ascii_digit());
        }
        let known_stems = (frequency.keys())
            .map(|word| (word.clone(), stemmer.stem(word)))
            .collect();
        // Stored questions the words' reading cannot see ("what can you do"), by their words
        // (none for a question with no words at all, which would stand for every emoji).
        let function_words = (docs.iter().zip(&doc_terms).enumerate())
            .filter(|(_, (doc, terms))| terms.is_empty() && !doc.plain.is_empty())
            .map(|(index, (doc, _))| (normalise::spelled_out(doc.plain.split(' ')), index as u32))
            .collect();
        let request_groups = (knowledge.not_in_article.iter().enumerate())
            .filter(|(_, group)| {
                let requests = (group.questions.iter())
                    .filter(|q| requests::is_request(q))
                    .count();
                requests > 0 && requests * 3 >= group.questions.len()
            })
            .map(|(index, _)| knowledge.entries.len() + index)
            .collect();
        let answer_gives = (knowledge.entries.iter())
            .map(|entry| answer_kind::Given::of(&entry.answer))
            .collect();
        let answers_the_bot = (0..knowledge.entries.len())
            .map(|entry| {
                let end = first_doc.get(entry + 1).map_or(docs.len(), |&d| d as usize);
                let stored = first_doc[entry] as usize..end;
                to_the_bot::answers_the_bot(docs[stored].iter().map(|doc| doc.plain.as_str()))
            })
            .collect();
        let wordless = (doc_terms.iter().enumerate())
            .filter(|(_, terms)| terms.is_empty())
            .map(|(index, _)| index as u32)
            .collect();
        let meaning = knowledge.meaning.clone().and_then(|model| {
            // A question of function words alone has no meaning of its own to compare (and
            // `tools/build_meaning.py` does not train on one): embedded as nothing, its
            // similarity to any question is 0, below every floor and the veto.
            let texts: Vec<&str> = (analysis::indexed(knowledge))
                .flat_map(|(questions, _)| questions.iter().map(String::as_str))
                .zip(&doc_terms)
                .map(|(question, terms)| if terms.is_empty() { "" } else { question })
                .collect();
            MeaningIndex::new(model, &texts)
        });
        Matcher {
            config: config.clone(),
            stemmer,
            known_stems,
            spelling: Spelling::new(frequency),
            synonyms,
            terms,
            idf,
            numeric,
            unknown_weight: config.unknown_word_weight * max_idf,
            unknown_number_weight: config.unknown_number_weight * max_idf,
            min_information: config.min_information * max_idf,
            question_postings,
            asked_postings,
            profile_terms,
            profile_factors,
            profile_start,
            doc_fit,
            docs,
            first_doc,
            answers: knowledge.entries.len(),
            function_words,
            wordless,
            request_groups,
            answers_the_bot,
            answer_gives,
            meaning,
        }
    }

    /// Ranked entries for `question`, best first, at most `limit`: entries that answer only.
    pub fn rank(&self, question: &str, limit: usize) -> Vec<Candidate> {
        score::rank(self, &self.analyse(question), limit, Scope::Answers)
    }

    /// The doc indices of the indexed entry `entry`'s stored questions.
    fn docs_of(&self, entry: usize) -> std::ops::Range<usize> {
        let start = self.first_doc[entry] as usize;
        let end = self
            .first_doc
            .get(entry + 1)
            .map_or(self.docs.len(), |&d| d as usize);
        start..end
    }

    /// Whether the indexed entry `entry` is one of `Knowledge::entries` (not a
    /// `not_in_article`).
    pub(crate) fn answers_with(&self, entry: usize) -> bool {
        entry < self.answers
    }

    /// Stored questions that fit a partly typed question, best first (for autocomplete).
    pub fn complete(&self, partial: &str, limit: usize) -> Vec<Candidate> {
        score::complete(self, partial, limit)
    }

    /// How many stored questions the index holds.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// `word`'s stem: the one stemmed at load for a word of the knowledge.
    pub(crate) fn stem(&self, word: &str) -> Cow<'_, str> {
        match self.known_stems.get(word) {
            Some(stem) => Cow::Borrowed(stem),
            None => Cow::Owned(self.stemmer.stem(word)),
        }
    }

    /// How much `term` counts toward `entry` (0 when the entry never uses it).
    pub(crate) fn factor(&self, entry: u32, term: u32) -> f32 {
        let start = self.profile_start[entry as usize] as usize;
        let end = self.profile_start[entry as usize + 1] as usize;
        match self.profile_terms[start..end].binary_search(&term) {
            Ok(at) => self.profile_factors[start + at],
            Err(_) => 0.0,
        }
    }

    /// The term id of a stem, after synonyms.
    pub(crate) fn term(&self, stem: &str) -> Option<u32> {
        self.terms.get(stem).copied()
    }

    /// Reads a reader's question: known words as terms, misspellings repaired, the rest unknown.
    pub(crate) fn analyse(&self, question: &str) -> Query {
        let mut stems = Vec::new();
        let mut unknown = 0.0f32;
        let words = normalise::words(&normalise::fold(question));
        let plain = words.join(" ");
        for word in normalise::content(words) {
            match self.recognise(&word) {
                Some(stem) => stems.push(stem),
                None if word.chars().all(|c| c.is_ascii_digit()) => {
                    unknown += self.unknown_number_weight;
                }
                None => unknown += self.unknown_weight,
            }
        }
        let mut terms: Vec<(u32, f32)> = Vec::new();
        for stem in self.synonyms.rewrite(&stems) {
            match self.term(stem) {
                Some(id) if !terms.iter().any(|(t, _)| *t == id) => {
                    terms.push((id, self.idf[id as usize]));
                }
                Some(_) => {}
                // In the article but in no entry: the knowledge cannot answer about it.
                None => unknown += self.unknown_weight,
            }
        }
        let known: f32 = terms.iter().map(|(_, w)| w).sum();
        Query {
            terms,
            total: known + unknown,
            plain,
        }
    }

    /// The stem a reader's word stands for, if the knowledge knows it (after typo repair).
    fn recognise(&self, word: &str) -> Option<Cow<'_, str>> {
        // A word the spelling index knows has its stem here; any other word is unknown to it.
        if let Some(stem) = self.known_stems.get(word) {
            return Some(Cow::Borrowed(stem));
        }
        let stem = self.stemmer.stem(word);
        match self.misspelt(word, &stem) {
            Some(meant) => Some(self.stem(meant)),
            None => self.terms.contains_key(&stem).then_some(Cow::Owned(stem)),
        }
    }

    /// The knowledge's word that `word`, which the knowledge does not have, misspells or
    /// abbreviates, if the words' reading takes it for one; `stem` is its own stem.
    fn misspelt(&self, word: &str, stem: &str) -> Option<&str> {
        if self.terms.contains_key(stem) {
            // "soliders" stems to "solid": a word the meaning model's English vocabulary lacks
            // is taken for a misspelling first; one it has is read as itself.
            return match self.model_knows_word(word) {
                Some(false) => self.spelling.correct(word),
                _ => None,
            };
        }
        (self.spelling.correct(word)).or_else(|| self.spelling.expand_abbreviation(stem))
    }
}
