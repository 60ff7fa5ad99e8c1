//! Typo repair: maps a word the knowledge has never seen to the knowledge word it most likely
//! misspells ("nroth" to "north", "zelenksy" to "zelensky"), or to the word it abbreviates
//! ("langs" to "languages").
//!
//! Lookups must stay in microseconds however large the vocabulary, so candidates come from a
//! symmetric-delete index (SymSpell): every word is stored under the strings left after deleting
//! up to two of its characters; a misspelling shares one of those with the word it misspells.
//! Candidates are then confirmed with strsim's Damerau-Levenshtein distance.

use std::hash::BuildHasher;

use rustc_hash::{FxBuildHasher, FxHashMap as HashMap};

/// The longest edit distance considered for any word.
const MAX_DISTANCE: usize = 2;

/// Abbreviations shorter than this are not expanded ("over" is not "overhead").
const MIN_ABBREVIATION: usize = 5;

/// Words shorter than this are never corrected: too many real words sit one edit apart.
const MIN_CORRECTABLE: usize = 4;

pub struct Spelling {
    /// Every surface word of the knowledge, sorted (for lookups and prefixes)...
    words: Vec<String>,
    /// ...and how often each occurs (the tie-breaker).
    counts: Vec<u32>,
    /// (hash of a deletion variant, index into `words`), sorted. A word has dozens of
    /// variants, so they are kept as hashes, not strings: a collision only adds a candidate
    /// to the distance checks, and any word they accept shares a real variant with the typo,
    /// so it would have been found anyway.
    deletes: Vec<(u64, u32)>,
    /// Where in `deletes` the keys whose leading `bucket_bits` bits are `b` begin:
    /// `buckets[b]..buckets[b + 1]`. A typo's few dozen lookups each find their keys in a
    /// handful of neighbours instead of a binary search through all of `deletes`.
    buckets: Vec<u32>,
    bucket_bits: u32,
}

fn variant_key(variant: &str) -> u64 {
    FxBuildHasher.hash_one(variant)
}

/// How far a misspelling of a word this long may stray.
fn allowed_distance(chars: usize) -> usize {
    match chars {
        0..MIN_CORRECTABLE => 0,
        4..=7 => 1,
        _ => MAX_DISTANCE,
    }
}

/// Calls `found` with every string left by deleting 1 to `depth` characters of `word` at byte
/// `from` or later (not `word` itself), in no particular order; a string under two characters
/// is not shortened further. A string comes once for each set of positions deleted ("aab"
/// gives "ab" twice): both callers only look strings up, and a repeat costs less than the set
/// that would prevent it. `buffers` (one per level) are reused for every variant, and between
/// calls that pass the same ones.
fn for_each_deletion(
    word: &str,
    from: usize,
    depth: usize,
    buffers: &mut Vec<String>,
    found: &mut impl FnMut(&str),
) {
    if depth == 0 || word.chars().nth(1).is_none() {
        return;
    }
    let mut variant = buffers.pop().unwrap_or_default();
    let mut deeper = std::mem::take(buffers);
    for (at, c) in word[from..].char_indices().map(|(at, c)| (from + at, c)) {
        variant.clear();
        variant.push_str(&word[..at]);
        variant.push_str(&word[at + c.len_utf8()..]);
        found(&variant);
        // Deleting next at or after `at` in what is left reaches each set of positions once.
        for_each_deletion(&variant, at, depth - 1, &mut deeper, found);
    }
    *buffers = deeper;
    buffers.push(variant);
}

/// Typos rarely touch the first letter; swapping the first two is the exception allowed.
fn same_start(a: &str, b: &str) -> bool {
    let mut ac = a.chars();
    let mut bc = b.chars();
    let (a0, a1, b0, b1) = (ac.next(), ac.next(), bc.next(), bc.next());
    a0 == b0 || (a0 == b1 && a1 == b0)
}

impl Spelling {
    /// Builds the index from every word the knowledge contains, with how often it occurs.
    pub fn new(frequency: HashMap<String, u32>) -> Spelling {
        let mut counted: Vec<(String, u32)> = frequency.into_iter().collect();
        counted.sort_unstable();
        let (words, counts): (Vec<String>, Vec<u32>) = counted.into_iter().unzip();
        let mut deletes = Vec::new();
        let mut buffers = Vec::new();
        for (index, word) in words.iter().enumerate() {
            let chars = word.chars().count();
            if chars + MAX_DISTANCE < MIN_CORRECTABLE {
                continue;
            }
            let mut add = |variant: &str| deletes.push((variant_key(variant), index as u32));
            add(word);
            for_each_deletion(word, 0, MAX_DISTANCE, &mut buffers, &mut add);
        }
        deletes.sort_unstable();
        deletes.dedup();
        deletes.shrink_to_fit();
        // One or two keys a bucket.
        let bucket_bits = deletes.len().max(1).ilog2().clamp(1, 24);
        let mut buckets = Vec::with_capacity((1 << bucket_bits) + 1);
        let mut at = 0;
        for bucket in 0..=(1u64 << bucket_bits) {
            while at < deletes.len() && deletes[at].0 >> (64 - bucket_bits) < bucket {
                at += 1;
            }
            buckets.push(at as u32);
        }
        Spelling {
            words,
            counts,
            deletes,
            buckets,
            bucket_bits,
        }
    }

    /// The words stored under `key`, a deletion variant's hash.
    fn under(&self, key: u64) -> impl Iterator<Item = u32> + '_ {
        let bucket = (key >> (64 - self.bucket_bits)) as usize;
        let (start, end) = (
            self.buckets[bucket] as usize,
            self.buckets[bucket + 1] as usize,
        );
        let keys = &self.deletes[start..end];
        let from = keys.partition_point(|&(k, _)| k < key);
        (keys[from..].iter())
            .take_while(move |&&(k, _)| k == key)
            .map(|&(_, index)| index)
    }

    fn index(&self, word: &str) -> Option<usize> {
        self.words.binary_search_by(|w| w.as_str().cmp(word)).ok()
    }

    fn count(&self, word: &str) -> u32 {
        self.index(word).map_or(0, |i| self.counts[i])
    }

    pub fn contains(&self, word: &str) -> bool {
        self.index(word).is_some()
    }

    /// The known word `word` most likely misspells, if any is close enough.
    pub fn correct(&self, word: &str) -> Option<&str> {
        // A number is never a misspelling of another: "1000" is not "11000".
        if word.chars().any(|c| c.is_ascii_digit()) {
            return None;
        }
        let max = allowed_distance(word.chars().count());
        if max == 0 {
            return None;
        }
        let mut candidates: Vec<u32> = Vec::new();
        let mut look_up = |variant: &str| candidates.extend(self.under(variant_key(variant)));
        look_up(word);
        for_each_deletion(word, 0, max, &mut Vec::new(), &mut look_up);
        // A known word shares many deletion variants with a typo of it: measure it once.
        candidates.sort_unstable();
        candidates.dedup();
        let mut best: Option<(usize, bool, std::cmp::Reverse<u32>, &str)> = None;
        for index in candidates {
            let candidate = self.words[index as usize].as_str();
            if !same_start(word, candidate) {
                continue;
            }
            let distance = strsim::damerau_levenshtein(word, candidate);
            if distance > max || distance > allowed_distance(candidate.chars().count()) {
                continue;
            }
            let frequency = self.counts[index as usize];
            // Among equally near words, one the reader only dropped letters from comes
            // first: "wher" is "where" before it is "when", whatever the counts say.
            let key = (
                distance,
                !letters_dropped_from(word, candidate),
                std::cmp::Reverse(frequency),
                candidate,
            );
            if best.is_none_or(|b| key < b) {
                best = Some(key);
            }
        }
        best.map(|(_, _, _, w)| w)
    }

    /// The most frequent known word that starts with `prefix` (at least 4 characters), for
    /// abbreviations such as "intel" or "langs" (after stemming: "lang").
    pub fn expand_abbreviation(&self, prefix: &str) -> Option<&str> {
        if prefix.chars().count() < MIN_ABBREVIATION || prefix.chars().any(|c| c.is_ascii_digit()) {
            return None;
        }
        self.words_with_prefix(prefix, usize::MAX)
            .into_iter()
            .filter(|w| *w != prefix)
            .max_by_key(|w| (self.count(w), std::cmp::Reverse(*w)))
    }

    /// Known words starting with `prefix`, alphabetically, at most `limit` of them.
    pub fn words_with_prefix(&self, prefix: &str, limit: usize) -> Vec<&str> {
        let from = self.words.partition_point(|w| w.as_str() < prefix);
        (self.words[from..].iter())
            .take_while(|w| w.starts_with(prefix))
            .take(limit)
            .map(String::as_str)
            .collect()
    }
}

/// Whether `typed` is `word` with some letters left out (its letters appear in `word` in order).
fn letters_dropped_from(typed: &str, word: &str) -> bool {
    let mut letters = word.chars();
    typed.chars().all(|c| letters.any(|w| w == c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn vocabulary() -> Spelling {
        let mut frequency = HashMap::default();
        for word in
            "north korean soldiers captured zelensky languages kyiv sniper interpreters".split(' ')
        {
            *frequency.entry(word.to_string()).or_insert(0) += 1;
        }
        Spelling::new(frequency)
    }

    #[test]
    fn repairs_transpositions_deletions_and_insertions() {
        let s = vocabulary();
        assert_eq!(s.correct("nroth"), Some("north"));
        assert_eq!(s.correct("zelenksy"), Some("zelensky"));
        assert_eq!(s.correct("captued"), Some("captured"));
        assert_eq!(s.correct("soldiiers"), Some("soldiers"));
    }

    #[test]
    fn a_dropped_letter_wins_over_a_changed_one_however_common() {
        let mut frequency = HashMap::default();
        frequency.insert("when".to_string(), 50);
        frequency.insert("where".to_string(), 1);
        let s = Spelling::new(frequency);
        assert_eq!(s.correct("wher"), Some("where"));
        assert_eq!(s.correct("whan"), Some("when"));
    }

    /// Every string left by deleting 1 to `depth` characters, level by level, as a set.
    fn deletions_level_by_level(word: &str, depth: usize) -> BTreeSet<String> {
        let (mut all, mut level) = (BTreeSet::new(), BTreeSet::from([word.to_string()]));
        for _ in 0..depth {
            let mut next = BTreeSet::new();
            for text in level.iter().filter(|t| t.chars().nth(1).is_some()) {
                for (at, c) in text.char_indices() {
                    next.insert(format!("{}{}", &text[..at], &text[at + c.len_utf8()..]));
                }
            }
            all.extend(next.iter().cloned());
            level = next;
        }
        all
    }

    proptest::proptest! {
        #[test]
        fn the_buckets_find_every_word_stored_under_a_key(
            words in proptest::collection::vec("[a-e]{4,9}", 0..60),
            probe in "[a-e]{2,9}",
        ) {
            let frequency: HashMap<String, u32> = words.into_iter().map(|w| (w, 1)).collect();
            let s = Spelling::new(frequency);
            let keys = s.deletes.iter().map(|&(k, _)| k).chain([variant_key(&probe)]);
            for key in keys {
                let mut found: Vec<u32> = s.under(key).collect();
                found.sort_unstable();
                let all: Vec<u32> = (s.deletes.iter()).filter(|&&(k, _)| k == key).map(|&(_, i)| i).collect();
                proptest::prop_assert_eq!(found, all);
            }
        }

        #[test]
        fn deletions_are_every_string_a_few_deletions_leave(word in "[a-cé]{0,7}", depth in 0usize..3) {
            let mut found = BTreeSet::new();
            for_each_deletion(&word, 0, depth, &mut Vec::new(), &mut |v: &str| {
                found.insert(v.to_string());
            });
            proptest::prop_assert_eq!(found, deletions_level_by_level(&word, depth));
        }
    }

    #[test]
    fn leaves_unrelated_and_short_words_alone() {
        let s = vocabulary();
        assert_eq!(s.correct("names"), None);
        assert_eq!(s.correct("kyv"), None);
        assert_eq!(s.correct("weather"), None);
    }

    #[test]
    fn expands_abbreviations_to_a_known_word() {
        let s = vocabulary();
        assert_eq!(s.expand_abbreviation("langu"), Some("languages"));
        assert_eq!(s.expand_abbreviation("lang"), None);
        assert_eq!(s.expand_abbreviation("kyi"), None);
    }
}
