//! The kind of answer a question asks for, a count ("how many drones does Ukraine have?"), a
//! time ("when will they be released?", "how long..."), a year, a month or a day ("what month
//! in 2005 was he born?"), a colour, a side ("which leg is broken?") or a place ("where was he
//! born?"), and whether an entry's answer gives one. An entry whose answer gives no count
//! cannot answer "how many"; one that names no time cannot answer "when", nor one without left
//! or right "which leg": its words may match ("the North Koreans ignore drones" for "how many
//! drones"), but its answer would show facts that do not answer what was asked.
//! `Matcher::decide` gives no match instead, the entry suggested; `check` refuses such a
//! question in such an entry.

use super::normalise;

/// What a question asks for, when it is one of the kinds an answer can be checked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// "how many", "how much", "what number".
    Count,
    /// "when...", "what time", "how long".
    Time,
    /// "what year": a year, not only "on Saturday".
    Year,
    /// "which month": a month, not only "this week" or "2005".
    Month,
    /// "what day", "which weekday": a day, not only "late December".
    Day,
    /// "what colour".
    Colour,
    /// "which leg", "left or right".
    Side,
    /// "where...", "which town".
    Place,
}

impl Kind {
    /// Every kind, in the order `Matcher` keeps what each answer gives.
    pub const ALL: [Kind; 8] = [
        Kind::Count,
        Kind::Time,
        Kind::Year,
        Kind::Month,
        Kind::Day,
        Kind::Colour,
        Kind::Side,
        Kind::Place,
    ];

    /// What a question of this kind asks for, as `check` names it.
    pub fn what(self) -> &'static str {
        match self {
            Kind::Count => "a count",
            Kind::Time => "a time",
            Kind::Year => "a year",
            Kind::Month => "a month",
            Kind::Day => "a day",
            Kind::Colour => "a colour",
            Kind::Side => "a side (left or right)",
            Kind::Place => "a place",
        }
    }

    /// How `check` names what the answer lacks.
    pub fn lacking(self) -> &'static str {
        match self {
            Kind::Count => "asks how many, and its answer gives no count",
            Kind::Time => "asks when, and its answer names no time",
            Kind::Year => "asks which year, and its answer names no year",
            Kind::Month => "asks which month, and its answer names no month",
            Kind::Day => "asks which day, and its answer names no day",
            Kind::Colour => "asks what colour, and its answer names no colour",
            Kind::Side => "asks which side, and its answer names none",
            Kind::Place => "asks where, and its answer names no place",
        }
    }

    /// What an answer must have for `check`'s note: the rule `gives` applies for this kind.
    pub fn rule(self) -> &'static str {
        match self {
            Kind::Count => {
                "\"how many...\" only with an answer that has a number or a counting word (\"two\", \"both\", \"none\")"
            }
            Kind::Time => {
                "\"when...\" only with an answer that names a time (a year, a day, \"since\", \"before\")"
            }
            Kind::Year => "\"which year\" only with an answer that names a year",
            Kind::Month => "\"which month\" only with an answer that names a month",
            Kind::Day => "\"which day\" only with an answer that names a day",
            Kind::Colour => "\"what colour\" only with an answer that names a colour",
            Kind::Side => {
                "\"which leg\" only with an answer that names left or right (\"both arms\" answers \"which arm\")"
            }
            Kind::Place => {
                "\"where...\" only with an answer that names a place (\"in Kursk\", \"to Kyiv\")"
            }
        }
    }
}

/// The kind of answer `question` asks for, if a checkable one; the narrowest, when a question
/// asks for two ("when, which day").
pub fn asked(question: &str) -> Option<Kind> {
    asked_in(&normalise::words(&normalise::fold(question)))
}

/// [`asked`] for a question already folded and split (`normalise::words`).
fn asked_in(words: &[String]) -> Option<Kind> {
    let pairs = || {
        words
            .windows(2)
            .map(|pair| (pair[0].as_str(), pair[1].as_str()))
    };
    let after_which = |nouns: &[&str]| {
        pairs().any(|(first, second)| matches!(first, "what" | "which") && nouns.contains(&second))
    };
    if pairs().any(|pair| {
        matches!(
            pair,
            ("how", "many" | "much") | ("what", "number" | "percentage")
        )
    }) {
        return Some(Kind::Count);
    }
    if after_which(&["colour", "color", "colours", "colors"]) {
        return Some(Kind::Colour);
    }
    if pairs().any(|(first, second)| {
        first == "which" && SIDED.contains(&second) || (first, second) == ("left", "or")
    }) {
        return Some(Kind::Side);
    }
    if after_which(&["day", "weekday"]) {
        return Some(Kind::Day);
    }
    if after_which(&["month"]) {
        return Some(Kind::Month);
    }
    if after_which(&["year"]) {
        return Some(Kind::Year);
    }
    // "when" opening the question; not "were they wounded when they were caught".
    let opening = words.iter().find(|w| !OPENERS.contains(&w.as_str()));
    // "where do your answers come from", "where do you get your info" ask for a source, not a
    // place.
    let source = (words.iter()).any(|w| matches!(w.as_str(), "from" | "you" | "your" | "u" | "ur"));
    if !source
        && (opening.is_some_and(|w| matches!(w.as_str(), "where" | "wheres"))
            || after_which(PLACES))
    {
        return Some(Kind::Place);
    }
    let time = opening.is_some_and(|w| matches!(w.as_str(), "when" | "whens"))
        || after_which(&["time", "date"])
        || pairs().any(|pair| pair == ("how", "long"));
    time.then_some(Kind::Time)
}

/// Whether `answer` gives what a question of `kind` asks for.
pub fn gives(answer: &str, kind: Kind) -> bool {
    let words = normalise::words(&normalise::fold(answer));
    let number = |word: &str| word.chars().all(|c| c.is_ascii_digit());
    let named = |list: &[&str]| words.iter().any(|word| list.contains(&word.as_str()));
    let has_number = words.iter().any(|w| number(w));
    match kind {
        Kind::Count => has_number || named(COUNTING),
        Kind::Time => has_number || named(WEEKDAYS) || named(MONTHS) || named(TIMES),
        Kind::Year => words.iter().any(|w| number(w) && w.len() == 4) || named(&["year", "years"]),
        Kind::Month => named(MONTHS),
        Kind::Day => {
            named(WEEKDAYS)
                || named(&["today", "yesterday", "tomorrow"])
                || words
                    .iter()
                    .any(|w| number(w) && w.parse::<u8>().is_ok_and(|day| (1..=31).contains(&day)))
        }
        Kind::Colour => named(COLOURS),
        Kind::Side => named(&["left", "right"]),
        Kind::Place => named(PLACES) || named(PLACE_WORDS) || names_a_place(answer),
    }
}

/// What an answer gives, read once when the knowledge is indexed.
#[derive(Debug, Clone)]
pub struct Given {
    kinds: [bool; Kind::ALL.len()],
    /// What the answer says "both" of ("both arms bandaged" answers "which arm?"), singular.
    both: Vec<String>,
}

impl Given {
    pub fn of(answer: &str) -> Self {
        let words = normalise::words(&normalise::fold(answer));
        let both = (words.windows(2))
            .filter(|pair| pair[0] == "both" && SIDED.contains(&pair[1].as_str()))
            .map(|pair| singular(&pair[1]).to_owned())
            .collect();
        Given {
            kinds: Kind::ALL.map(|kind| gives(answer, kind)),
            both,
        }
    }

    /// The kind of answer `question` asks for, when this answer does not give it.
    pub fn lacks(&self, question: &str) -> Option<Kind> {
        self.lacks_in(&normalise::words(&normalise::fold(question)))
    }

    /// [`Given::lacks`] for a question already folded and split (`normalise::words`).
    pub fn lacks_in(&self, words: &[String]) -> Option<Kind> {
        let kind = asked_in(words).filter(|&kind| !self.kinds[kind as usize])?;
        // "which arm?" of "both arms bandaged".
        let both_asked = kind == Kind::Side
            && (words.windows(2)).any(|pair| {
                pair[0] == "which" && self.both.iter().any(|b| b == singular(&pair[1]))
            });
        (!both_asked).then_some(kind)
    }
}

fn singular(word: &str) -> &str {
    word.strip_suffix('s').unwrap_or(word)
}

/// Whether `answer` names a place: "in Kyiv", "to Russia", "on Instagram": a capitalised name
/// after a word of place (not at a sentence's start, where any word is capitalised).
fn names_a_place(answer: &str) -> bool {
    let words: Vec<&str> = answer.split_whitespace().collect();
    words.windows(2).any(|pair| {
        let before = pair[0].to_lowercase();
        matches!(
            before.as_str(),
            "in" | "on" | "at" | "to" | "from" | "near" | "into" | "inside" | "outside"
        ) && pair[1].chars().next().is_some_and(char::is_uppercase)
    })
}

/// What "which..." asks of a place, and words that give one.
const PLACES: &[&str] = &[
    "town", "city", "village", "region", "place", "area", "district", "oblast", "hospital",
    "prison", "base", "location", "border",
];

const PLACE_WORDS: &[&str] = &[
    "battlefield",
    "front",
    "center",
    "centre",
    "room",
    "territory",
    "abroad",
    "here",
    "there",
    "where",
];

/// Parts of the body, and things with sides, a reader asks "which" of ("which leg").
const SIDED: &[&str] = &[
    "leg", "legs", "arm", "arms", "hand", "hands", "foot", "feet", "eye", "eyes", "ear", "ears",
    "side", "shoulder", "knee",
];

/// Colour words an answer would give a colour by.
const COLOURS: &[&str] = &[
    "black", "white", "red", "blue", "green", "yellow", "grey", "gray", "brown", "orange",
    "purple", "pink", "khaki", "olive", "beige", "navy",
];

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

const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

const MONTHS: &[&str] = &[
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
];

/// Words beside the days and months that name or place a time without a digit ("in spring",
/// "since", "before").
const TIMES: &[&str] = &[
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
    fn the_kind_asked_is_read_from_the_question_words() {
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
            "how long will they be held",
        ] {
            assert_eq!(asked(question), Some(Kind::Time), "{question:?}");
        }
        for (question, kind) in [
            ("what day in late december was he caught", Kind::Day),
            ("so which weekday did zelensky post it", Kind::Day),
            ("what month in 2005 was he born?", Kind::Month),
            ("what year did they join", Kind::Year),
            ("what date did they arrive", Kind::Time),
            ("what color is the sweater", Kind::Colour),
            ("which leg is broken?", Kind::Side),
            ("is it his left or right arm", Kind::Side),
            ("where was he born, which town", Kind::Place),
            ("so where are the interpreters", Kind::Place),
            ("which village were they caught in", Kind::Place),
        ] {
            assert_eq!(asked(question), Some(kind), "{question:?}");
        }
        for question in [
            "how old are they",
            "which soldier has the broken leg",
            "where do your answers come from",
            "where are they from",
            "were they wounded when they were caught",
            "many thanks, who caught them",
        ] {
            assert_eq!(asked(question), None, "{question:?}");
        }
    }

    #[test]
    fn an_answer_gives_a_kind_by_a_number_or_a_word() {
        for (answer, kind, given) in [
            (
                "Two. Zelensky said Ukraine captured two wounded soldiers.",
                Kind::Count,
                true,
            ),
            ("About 11,000 North Korean troops.", Kind::Count, true),
            (
                "It is the first time Ukraine has confirmed it.",
                Kind::Count,
                true,
            ),
            ("Both were wounded.", Kind::Count, true),
            (
                "They ignore armed drones overhead and advance in waves.",
                Kind::Count,
                false,
            ),
            ("Zelensky announced it on Saturday.", Kind::Time, true),
            ("They joined in 2021.", Kind::Time, true),
            (
                "He instructed officials to grant journalists access.",
                Kind::Time,
                false,
            ),
            ("He said he was born in 2005.", Kind::Year, true),
            ("Late last year.", Kind::Year, true),
            ("On Saturday.", Kind::Year, false),
            ("In mid-December.", Kind::Month, true),
            ("He was born in 2005.", Kind::Month, false),
            ("Zelensky said so on Saturday.", Kind::Day, true),
            ("In late December.", Kind::Day, false),
            ("One soldier wore a striped sweater.", Kind::Colour, false),
            ("A black jacket.", Kind::Colour, true),
            ("His left arm was bandaged.", Kind::Side, true),
            (
                "He has a fractured leg with an open wound.",
                Kind::Side,
                false,
            ),
            ("They were transported to Kyiv.", Kind::Place, true),
            ("He wrote on Instagram.", Kind::Place, true),
            ("In a detention center.", Kind::Place, true),
            ("He said he was born in 2005.", Kind::Place, false),
            (
                "Korean-language interpreters, with South Korea's help.",
                Kind::Place,
                false,
            ),
        ] {
            assert_eq!(gives(answer, kind), given, "{answer:?} {kind:?}");
        }
    }

    #[test]
    fn both_answers_which_of_the_same_thing_only() {
        let given = Given::of("One soldier had both arms bandaged; the other has a fractured leg.");
        assert_eq!(given.lacks("which arm is bandaged?"), None);
        assert_eq!(given.lacks("which leg is broken?"), Some(Kind::Side));
        assert_eq!(given.lacks("what happened to him"), None);
    }
}
