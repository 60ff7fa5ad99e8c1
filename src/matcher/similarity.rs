//! Whole-string similarity of a question to the stored questions it is ranked against:
//! Sørensen-Dice over character bigrams, exactly as `strsim::sorensen_dice` computes it.
//!
//! strsim builds a hash map of both strings' bigrams for every pair; ranking compares one
//! question with several stored questions, and that hashing was half the cost of a query. Here
//! the question's bigrams are sorted once and each stored question's are sorted on the fly (a
//! few dozen pairs, no hashing). `tests` hold the result equal to strsim's, to the last bit.

/// A text's bigrams (of its characters with whitespace removed), sorted.
pub(crate) struct Bigrams {
    text: String,
    sorted: Vec<(char, char)>,
}

impl Bigrams {
    pub(crate) fn new(text: &str) -> Bigrams {
        let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let mut sorted: Vec<(char, char)> = text.chars().zip(text.chars().skip(1)).collect();
        sorted.sort_unstable();
        Bigrams { text, sorted }
    }

    /// `strsim::sorensen_dice(self, other)`; `scratch` is reused between calls to spare an
    /// allocation per stored question.
    pub(crate) fn dice(&self, other: &str, scratch: &mut Vec<(char, char)>) -> f64 {
        let mut other_chars = other.chars().filter(|c| !c.is_whitespace());
        if self.text.chars().eq(other_chars.clone()) {
            return 1.0;
        }
        // strsim compares byte lengths here and below; so must we, to give its values.
        let other_len: usize = other_chars.clone().map(char::len_utf8).sum();
        if self.text.len() < 2 || other_len < 2 {
            return 0.0;
        }
        scratch.clear();
        if let Some(mut previous) = other_chars.next() {
            for c in other_chars {
                scratch.push((previous, c));
                previous = c;
            }
        }
        scratch.sort_unstable();
        let (a, b) = (&self.sorted, &scratch[..]);
        let (mut i, mut j, mut shared) = (0, 0, 0usize);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    shared += 1;
                    i += 1;
                    j += 1;
                }
            }
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
