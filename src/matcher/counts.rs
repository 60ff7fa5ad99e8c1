//! Questions that ask for a count ("how many drones does Ukraine have?", "how much...", "what
//! number...") and answers that give one. An entry whose answer has no number (nor a word that
//! counts: "both", "only", "first", "none"...) cannot answer a count: its words may match ("the
//! North Koreans ignore drones" for "how many drones"), but its answer would show facts that do
//! not answer what was asked. `Matcher::decide` gives no match instead, the entry suggested;
//! `check` refuses such a question in such an entry.

use super::normalise;

/// Whether `question` asks how many or how much.
pub fn asks_for_a_count(question: &str) -> bool {
    let words = normalise::words(&normalise::fold(question));
    words.windows(2).any(|pair| {
        matches!(
            (pair[0].as_str(), pair[1].as_str()),
            ("how", "many" | "much") | ("what", "number" | "percentage")
        )
    })
}

/// Whether `answer` gives a count: a number, or a word that counts ("two", "both", "only
/// Korean", "the first time", "none").
pub fn gives_a_count(answer: &str) -> bool {
    let words = normalise::words(&normalise::fold(answer));
    words
        .iter()
        .any(|word| word.chars().all(|c| c.is_ascii_digit()) || COUNTING.contains(&word.as_str()))
}

/// Words that give a count without a digit.
const COUNTING: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "dozen",
    "dozens",
    "hundreds",
    "thousands",
    "several",
    "both",
    "single",
    "only",
    "first",
    "once",
    "no",
    "none",
    "neither",
    "all",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_is_asked_with_how_many_or_how_much() {
        for question in [
            "How many drones does Ukraine have in Kursk?",
            "how much do they get paid",
            "what number of troops",
        ] {
            assert!(asks_for_a_count(question), "{question:?}");
        }
        for question in [
            "how old are they",
            "what did zelensky say",
            "many thanks, who caught them",
        ] {
            assert!(!asks_for_a_count(question), "{question:?}");
        }
    }

    #[test]
    fn a_count_is_given_by_a_number_or_a_counting_word() {
        for answer in [
            "Two. Zelensky said Ukraine captured two wounded soldiers.",
            "About 11,000 North Korean troops.",
            "It is the first time Ukraine has confirmed it.",
            "Both were wounded.",
        ] {
            assert!(gives_a_count(answer), "{answer:?}");
        }
        assert!(!gives_a_count(
            "They ignore armed drones overhead and advance in waves, Ukrainian soldiers said."
        ));
    }
}
