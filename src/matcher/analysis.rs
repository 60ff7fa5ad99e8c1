//! The knowledge's text as term ids: every stored question, keyword, tag, answer and excerpt
//! folded, split, stemmed and rewritten by synonyms. This is most of the cost of building the
//! index (`index::Matcher::new` weighs and posts what it returns).
//!
//! A large knowledge is cut into runs of entries, analysed on up to one thread a core, then
//! joined: term ids
//! are given in the order one pass over the knowledge would give them, so the index is the same
//! however many threads built it.

use rustc_hash::FxHashMap as HashMap;

use super::index::Doc;
use super::normalise::{self, WordStemmer};
use super::synonyms::Synonyms;
use crate::knowledge::{Entry, Knowledge};

/// How much a word counts toward an entry, by where in the entry it appears.
pub(crate) const FROM_QUESTION: f32 = 1.0;
pub(crate) const FROM_ANSWER: f32 = 0.6;
pub(crate) const FROM_EXCERPT: f32 = 0.4;

/// Below this many stored questions one thread is enough: a reload of a hand-curated file
/// takes milliseconds, and starting threads would cost more than it saves.
const PARALLEL_FROM: usize = 20_000;

/// The indexed entries in the matcher's order: the entries, then what the article does not
/// answer (those compete with the entries on their questions alone). Stored questions are
/// numbered in this order everywhere.
pub(crate) fn indexed(knowledge: &Knowledge) -> impl Iterator<Item = (&[String], Option<&Entry>)> {
    indexed_with_ids(knowledge).map(|(_, questions, entry)| (questions, entry))
}

/// [`indexed`] with each one's id, as `(prefix, id)`: an entry's own after "", a group's after
/// "gap:" (ids are unique within each kind, not across them).
pub(crate) fn indexed_with_ids(
    knowledge: &Knowledge,
) -> impl Iterator<Item = ((&'static str, &str), &[String], Option<&Entry>)> {
    let entries = knowledge.entries.iter();
    let gaps = knowledge.not_in_article.iter();
    (entries.map(|e| (("", e.id.as_str()), e.questions.as_slice(), Some(e))))
        .chain(gaps.map(|g| (("gap:", g.id.as_str()), g.questions.as_slice(), None)))
}

/// The knowledge analysed, in the matcher's order.
pub(crate) struct Analysis {
    /// Stem (after synonyms) -> term id.
    pub terms: HashMap<String, u32>,
    /// For each indexed entry, its terms with where each counts most, sorted by term.
    pub entry_terms: Vec<Vec<(u32, f32)>>,
    /// For each stored question, its distinct terms, sorted.
    pub doc_terms: Vec<Vec<u32>>,
    /// The stored questions (their weights need every entry's terms: `Matcher::new`).
    pub docs: Vec<Doc>,
    /// For each indexed entry, the index of its first doc.
    pub first_doc: Vec<u32>,
    /// Every word of the knowledge as written, with how often it occurs (for spelling repair).
    pub frequency: HashMap<String, u32>,
}

impl Analysis {
    /// Counts the words of `text` for spelling repair without indexing them.
    pub fn count_words(&mut self, text: &str) {
        for word in normalise::content_words(text) {
            *self.frequency.entry(word).or_insert(0) += 1;
        }
    }
}

pub(crate) fn analyse(
    knowledge: &Knowledge,
    stemmer: &WordStemmer,
    synonyms: &Synonyms,
) -> Analysis {
    let questions: usize = indexed(knowledge).map(|(q, _)| q.len()).sum();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    analyse_on(knowledge, stemmer, synonyms, threads_for(questions, cores))
}

/// The threads that analyse `questions` stored questions on `cores` cores.
fn threads_for(questions: usize, cores: usize) -> usize {
    if questions < PARALLEL_FROM {
        return 1;
    }
    // Each thread repeats the vocabulary and the join merges it: no more threads than runs of
    // a useful size.
    cores.min(questions / (PARALLEL_FROM / 2)).max(1)
}

fn analyse_on(
    knowledge: &Knowledge,
    stemmer: &WordStemmer,
    synonyms: &Synonyms,
    threads: usize,
) -> Analysis {
    let indexed: Vec<_> = indexed(knowledge).collect();
    let run = indexed.len().div_ceil(threads.max(1)).max(1);
    let parts: Vec<Part> = if threads <= 1 {
        vec![Part::analyse(&indexed, 0, stemmer, synonyms)]
    } else {
        std::thread::scope(|scope| {
            let started: Vec<_> = (indexed.chunks(run).enumerate())
                .map(|(at, entries)| {
                    let analyse = move || Part::analyse(entries, at * run, stemmer, synonyms);
                    // A system out of threads still loads: that run is analysed here instead.
                    std::thread::Builder::new()
                        .spawn_scoped(scope, analyse)
                        .map_err(|_| analyse)
                })
                .collect();
            started
                .into_iter()
                .map(|thread| match thread {
                    Ok(thread) => thread
                        .join()
                        .unwrap_or_else(|e| std::panic::resume_unwind(e)),
                    Err(analyse) => analyse(),
                })
                .collect()
        })
    };
    join(parts)
}

/// One run of entries, analysed with term ids of its own.
#[derive(Default)]
struct Part {
    /// Word as written -> (index of its stem in `stems`, how often it occurs): a large
    /// knowledge repeats a small vocabulary, and stemming is costly.
    words: HashMap<String, (u32, u32)>,
    stems: Vec<String>,
    /// Stem after synonyms -> this part's term id; `names` the other way.
    terms: HashMap<String, u32>,
    names: Vec<String>,
    entry_terms: Vec<Vec<(u32, f32)>>,
    doc_terms: Vec<Vec<u32>>,
    docs: Vec<Doc>,
    first_doc: Vec<u32>,
}

impl Part {
    fn analyse(
        entries: &[(&[String], Option<&Entry>)],
        first_entry: usize,
        stemmer: &WordStemmer,
        synonyms: &Synonyms,
    ) -> Part {
        let mut part = Part::default();
        for (offset, (questions, entry)) in entries.iter().enumerate() {
            let mut profile: Vec<(u32, f32)> = Vec::new();
            part.first_doc.push(part.docs.len() as u32);
            for (question_index, question) in questions.iter().enumerate() {
                let words = split(question);
                let plain = words.join(" ");
                let ids = part.term_ids(words, stemmer, synonyms);
                profile.extend(ids.iter().map(|id| (*id, FROM_QUESTION)));
                part.doc_terms.push(ids);
                part.docs.push(Doc {
                    entry: (first_entry + offset) as u32,
                    question: question_index as u32,
                    plain,
                });
            }
            if let Some(entry) = entry {
                for extra in entry.keywords.iter().chain(&entry.tags) {
                    let ids = part.term_ids(split(extra), stemmer, synonyms);
                    profile.extend(ids.iter().map(|id| (*id, FROM_QUESTION)));
                }
                let ids = part.term_ids(split(&entry.answer), stemmer, synonyms);
                profile.extend(ids.iter().map(|id| (*id, FROM_ANSWER)));
                for excerpt in &entry.excerpts {
                    let ids = part.term_ids(split(&excerpt.text), stemmer, synonyms);
                    profile.extend(ids.iter().map(|id| (*id, FROM_EXCERPT)));
                }
            }
            // One weight per term: where it counts most.
            profile.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
            profile.dedup_by_key(|(id, _)| *id);
            part.entry_terms.push(profile);
        }
        part
    }

    /// The distinct term ids of `words`, sorted.
    fn term_ids(
        &mut self,
        words: Vec<String>,
        stemmer: &WordStemmer,
        synonyms: &Synonyms,
    ) -> Vec<u32> {
        let stems: Vec<u32> = (normalise::content(words).into_iter())
            .map(|word| match self.words.get_mut(&word) {
                Some((stem, count)) => {
                    *count += 1;
                    *stem
                }
                None => {
                    let stem = self.stems.len() as u32;
                    self.stems.push(stemmer.stem(&word));
                    self.words.insert(word, (stem, 1));
                    stem
                }
            })
            .collect();
        let stems: Vec<&str> = stems
            .iter()
            .map(|&s| self.stems[s as usize].as_str())
            .collect();
        let mut ids: Vec<u32> = (synonyms.rewrite(&stems).into_iter())
            .map(|stem| match self.terms.get(stem) {
                Some(&id) => id,
                None => {
                    let id = self.names.len() as u32;
                    self.terms.insert(stem.to_string(), id);
                    self.names.push(stem.to_string());
                    id
                }
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

fn split(text: &str) -> Vec<String> {
    normalise::words(&normalise::fold(text))
}

/// The parts as one analysis: each part's terms get the next free ids in the order the part
/// met them, which is the order one pass over all the parts would have met them.
fn join(parts: Vec<Part>) -> Analysis {
    let mut all = Analysis {
        terms: HashMap::default(),
        entry_terms: Vec::new(),
        doc_terms: Vec::new(),
        docs: Vec::new(),
        first_doc: Vec::new(),
        frequency: HashMap::default(),
    };
    for part in parts {
        let global: Vec<u32> = (part.names.into_iter())
            .map(|name| {
                let next = all.terms.len() as u32;
                *all.terms.entry(name).or_insert(next)
            })
            .collect();
        // Distinct ids stay distinct, so only the order can change.
        for mut ids in part.doc_terms {
            ids.iter_mut().for_each(|id| *id = global[*id as usize]);
            ids.sort_unstable();
            all.doc_terms.push(ids);
        }
        for mut profile in part.entry_terms {
            profile
                .iter_mut()
                .for_each(|(id, _)| *id = global[*id as usize]);
            profile.sort_unstable_by_key(|(id, _)| *id);
            all.entry_terms.push(profile);
        }
        let before = all.docs.len() as u32;
        all.first_doc
            .extend(part.first_doc.iter().map(|d| d + before));
        all.docs.extend(part.docs);
        for (word, (_, count)) in part.words {
            *all.frequency.entry(word).or_insert(0) += count;
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::knowledge::loader;

    fn same(one: &Analysis, other: &Analysis) {
        assert_eq!(one.terms, other.terms);
        assert_eq!(one.entry_terms, other.entry_terms);
        assert_eq!(one.doc_terms, other.doc_terms);
        assert_eq!(one.first_doc, other.first_doc);
        assert_eq!(one.frequency, other.frequency);
        let docs = |a: &Analysis| -> Vec<(u32, u32, String)> {
            (a.docs.iter())
                .map(|d| (d.entry, d.question, d.plain.clone()))
                .collect()
        };
        assert_eq!(docs(one), docs(other));
    }

    #[test]
    fn threads_start_at_parallel_from_questions_and_each_gets_half_of_that() {
        assert_eq!(threads_for(PARALLEL_FROM - 1, 8), 1);
        assert_eq!(threads_for(PARALLEL_FROM, 8), 2);
        assert_eq!(threads_for(PARALLEL_FROM * 2, 8), 4);
        assert_eq!(threads_for(300_000, 2), 2);
        assert_eq!(threads_for(300_000, 1), 1);
        assert_eq!(threads_for(300_000, 0), 1);
    }

    #[test]
    fn a_knowledge_past_parallel_from_is_analysed_as_in_one_pass() {
        let shipped = loader::parse(Path::new("knowledge")).expect("the shipped knowledge");
        let folder = tempfile::tempdir().expect("temp dir");
        // Three stored questions an entry.
        let entries = PARALLEL_FROM / 3 + 1;
        crate::synthetic::write(folder.path(), &shipped.article, entries, 5).expect("write");
        let knowledge = loader::parse(folder.path()).expect("the synthetic knowledge");
        let questions: usize = indexed(&knowledge).map(|(q, _)| q.len()).sum();
        assert!(questions >= PARALLEL_FROM, "{questions} questions");
        let stemmer = WordStemmer::default();
        let synonyms = Synonyms::stemmed(&knowledge.synonyms, &stemmer);
        // Whatever this machine's cores, two threads are what a 2-core machine uses.
        same(
            &analyse_on(&knowledge, &stemmer, &synonyms, 1),
            &analyse_on(&knowledge, &stemmer, &synonyms, threads_for(questions, 2)),
        );
        same(
            &analyse_on(&knowledge, &stemmer, &synonyms, 1),
            &analyse(&knowledge, &stemmer, &synonyms),
        );
    }

    #[test]
    fn any_number_of_threads_gives_the_one_pass_analysis() {
        let knowledge = loader::parse(Path::new("knowledge")).expect("the shipped knowledge");
        let stemmer = WordStemmer::default();
        let synonyms = Synonyms::stemmed(&knowledge.synonyms, &stemmer);
        let one_pass = analyse_on(&knowledge, &stemmer, &synonyms, 1);
        assert_eq!(
            one_pass.docs.len(),
            indexed(&knowledge).map(|(q, _)| q.len()).sum::<usize>()
        );
        assert!(one_pass.terms.len() > 100);
        for threads in [2, 3, 7, 500] {
            same(
                &one_pass,
                &analyse_on(&knowledge, &stemmer, &synonyms, threads),
            );
        }
    }
}
