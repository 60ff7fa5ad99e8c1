//! The kind of answer a question asks for, a count ("how many drones does Ukraine have?") or a
//! time ("when will they be released?", "how long..."), and whether an entry's answer gives
//! one. An entry whose answer gives no count cannot answer "how many"; one that names no time
//! cannot answer "when": its words may match ("the North Koreans ignore drones" for "how many
//! drones"), but its answer would show facts that do not answer what was asked.
//! `Matcher::decide` gives no match instead, the entry suggested; `check` refuses such a
//! question in such an entry.

use super::normalise;

/// What a question asks for, when it is one of the kinds an answer can be checked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// "how many", "how much", "what number".
    Count,
    /// "when...", "what year", "which day", "how long".
    Time,
}

impl Kind {
    /// How `check` names what the answer lacks.
    pub fn lacking(self) -> &'static str {
        match self {
            Kind::Count => "asks how many, and its answer gives no count",
            Kind::Time => "asks when, and its answer names no time",
        }
    }
}

/// The kind of answer `question` asks for, if a checkable one.
pub fn asked(question: &str) -> Option<Kind> {
    let words = normalise::words(&normalise::fold(question));
    let pairs = || {
        words
            .windows(2)
            .map(|pair| (pair[0].as_str(), pair[1].as_str()))
    };
    let count = pairs().any(|pair| {
        matches!(
            pair,
            ("how", "many" | "much") | ("what", "number" | "percentage")
        )
    });
    // "when" opening the question; not "were they wounded when they were caught".
    let opening = words.iter().find(|w| !OPENERS.contains(&w.as_str()));
    let time = opening.is_some_and(|w| matches!(w.as_str(), "when" | "whens"))
        || pairs().any(|pair| {
            matches!(
                pair,
                ("what" | "which", "year" | "date" | "day" | "month" | "time") | ("how", "long")
            )
        });
    if count {
        Some(Kind::Count)
    } else if time {
        Some(Kind::Time)
    } else {
        None
    }
}

/// Whether `answer` gives what a question of `kind` asks for.
pub fn gives(answer: &str, kind: Kind) -> bool {
    let words: &[&str] = match kind {
        Kind::Count => COUNTING,
        Kind::Time => TIMES,
    };
    normalise::words(&normalise::fold(answer))
        .iter()
        .any(|word| word.chars().all(|c| c.is_ascii_digit()) || words.contains(&word.as_str()))
}

/// Words that may open a question before its question word ("so when...").
const OPENERS: &[&str] = &["so", "and", "but", "ok", "okay", "hey", "then", "wait"];

/// Words that give a count without a digit ("two", "both", "only Korean", "the first time").
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

/// Words that name or place a time without a digit ("on Saturday", "since August", "before").
const TIMES: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "spring",
    "summer",
    "autumn",
    "winter",
    "since",
    "ago",
    "year",
    "years",
    "month",
    "months",
    "week",
    "weeks",
    "day",
    "days",
    "first",
    "before",
    "after",
    "until",
    "when",
    "now",
    "today",
    "yesterday",
    "last",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_or_a_time_is_asked_by_its_question_words() {
        for question in [
            "How many drones does Ukraine have in Kursk?",
            "how much do they get paid",
            "what number of troops",
        ] {
            assert_eq!(asked(question), Some(Kind::Count), "{question:?}");
        }
        for question in [
            "when will they be released?",
            "so when did it happen",
            "what year was he born",
            "how long will they be held",
        ] {
            assert_eq!(asked(question), Some(Kind::Time), "{question:?}");
        }
        for question in [
            "how old are they",
            "were they wounded when they were caught",
            "many thanks, who caught them",
        ] {
            assert_eq!(asked(question), None, "{question:?}");
        }
    }

    #[test]
    fn an_answer_gives_a_count_or_a_time_by_a_number_or_a_word() {
        for answer in [
            "Two. Zelensky said Ukraine captured two wounded soldiers.",
            "About 11,000 North Korean troops.",
            "It is the first time Ukraine has confirmed it.",
            "Both were wounded.",
        ] {
            assert!(gives(answer, Kind::Count), "{answer:?}");
        }
        assert!(!gives(
            "They ignore armed drones overhead and advance in waves.",
            Kind::Count
        ));
        assert!(gives("Zelensky announced it on Saturday.", Kind::Time));
        assert!(gives("They joined in 2021.", Kind::Time));
        assert!(!gives(
            "He instructed officials to grant journalists access.",
            Kind::Time
        ));
    }
}
