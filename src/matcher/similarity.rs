//! Whole-string similarity of a question to the stored questions it is ranked against:
//! Sørensen-Dice over character bigrams, exactly as `strsim::sorensen_dice` computes it.
//!
//! strsim builds a hash map of both strings' bigrams for every pair; ranking compares one
//! question with several stored questions, and that hashing was half the cost of a query. Here
//! the question's distinct bigrams are counted once, in a small open-addressing table, and each
//! stored question's bigrams are looked up in it (a probe or two each, no sorting). `tests` hold
//! the result equal to strsim's, to the last bit.

/// A text's distinct bigrams (of its characters with whitespace removed), with how often each
/// occurs.
pub(crate) struct Bigrams {
    text: String,
    /// A bigram `(a, b)` as `a << 32 | b`, at the slot its hash picks or the next free one
    /// (wrapping); [`EMPTY`] in a free slot. At most half the slots are taken, so a probe
    /// soon meets the key or a free slot.
    slots: Vec<u64>,
    /// How often the bigram in the same slot occurs.
    counts: Vec<u32>,
    /// `slots.len()` is `1 << bits`.
    bits: u32,
}

/// No bigram: a `char` is at most 0x10FFFF, so no pair makes all ones.
const EMPTY: u64 = u64::MAX;

fn key(a: char, b: char) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

impl Bigrams {
    /// The slot that holds `key`, or the free slot where it would go.
    fn slot(&self, key: u64) -> usize {
        let mask = self.slots.len() - 1;
        // Fibonacci hashing: the top bits of the product mix every bit of the key.
        let mut at = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - self.bits)) as usize;
        while self.slots[at] != key && self.slots[at] != EMPTY {
            at = (at + 1) & mask;
        }
        at
    }

    pub(crate) fn new(text: &str) -> Bigrams {
        let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let pairs = text.chars().count().saturating_sub(1);
        let bits = (2 * pairs).max(2).next_power_of_two().trailing_zeros();
        let mut bigrams = Bigrams {
            slots: vec![EMPTY; 1 << bits],
            counts: vec![0; 1 << bits],
            bits,
            text: String::new(),
        };
        for (a, b) in text.chars().zip(text.chars().skip(1)) {
            let pair = key(a, b);
            let at = bigrams.slot(pair);
            bigrams.slots[at] = pair;
            bigrams.counts[at] += 1;
        }
        bigrams.text = text;
        bigrams
    }

    /// `strsim::sorensen_dice(self, other)`; `scratch` is reused between calls to spare an
    /// allocation per stored question.
    pub(crate) fn dice(&self, other: &str, scratch: &mut Vec<u32>) -> f64 {
        // What is left of each of the question's bigrams: each is shared at most as often as
        // it occurs in both texts, as strsim counts.
        scratch.clear();
        scratch.extend_from_slice(&self.counts);
        // One pass over `other` finds whether it equals the question, its length and the
        // bigrams shared.
        let mut mine = self.text.chars();
        let mut same = true;
        // strsim compares byte lengths; so must we, to give its values.
        let mut other_len = 0usize;
        let mut shared = 0usize;
        let mut previous: Option<char> = None;
        for c in other.chars().filter(|c| !c.is_whitespace()) {
            other_len += c.len_utf8();
            same = same && mine.next() == Some(c);
            if let Some(p) = previous
                && let at = self.slot(key(p, c))
                && scratch[at] > 0
            {
                scratch[at] -= 1;
                shared += 1;
            }
            previous = Some(c);
        }
        if same && mine.next().is_none() {
            return 1.0;
        }
        if self.text.len() < 2 || other_len < 2 {
            return 0.0;
        }
        (2 * shared) as f64 / (self.text.len() + other_len - 2) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dice(a: &str, b: &str) -> f64 {
        Bigrams::new(a).dice(b, &mut Vec::new())
    }

    #[test]
    fn known_values_and_edge_cases_match_strsim() {
        for (a, b) in [
            ("who caught them", "who captured them"),
            ("", ""),
            ("a", "ab"),
            ("é", "ab"),
            ("aaaa", "aa"),
            ("night", "nacht"),
            ("north korean", "north  korean"),
            ("병사 두 명", "병사"),
        ] {
            assert_eq!(
                dice(a, b).to_bits(),
                strsim::sorensen_dice(a, b).to_bits(),
                "{a:?} {b:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn equals_strsim_on_any_text(a in "\\PC{0,40}", b in "\\PC{0,40}") {
            prop_assert_eq!(dice(&a, &b).to_bits(), strsim::sorensen_dice(&a, &b).to_bits());
        }

        #[test]
        fn equals_strsim_on_small_alphabets(a in "[ab c]{0,12}", b in "[ab c]{0,12}") {
            prop_assert_eq!(dice(&a, &b).to_bits(), strsim::sorensen_dice(&a, &b).to_bits());
        }
    }
}
