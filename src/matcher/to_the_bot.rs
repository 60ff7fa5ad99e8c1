//! Questions about the bot itself ("how old are you", "who made you", "what's your take"), as
//! against questions about the article that happen to address it ("can you tell me how old
//! they are", "are you sure they were caught in kursk?"). The words of "how old are you" match
//! the soldiers' ages as well as "how old are they" does: the pronoun that tells them apart is a
//! stop word. `Matcher::decide` answers a question to the bot only with an entry that is itself
//! asked such questions (where the answers come from, what can I ask), never with the article's
//! facts.

use super::normalise;

/// The reader's words for the bot.
const YOU: &[&str] = &["you", "u", "ya", "your", "ur", "yours", "yourself", "youre"];

/// "can you tell me...", "do you know...", "have you got...": asking the bot to inform, about
/// whatever follows. `ASKING_VERBS` after one of `ASKING_BEFORE` and "you".
const ASKING_BEFORE: &[&str] = &[
    "can", "could", "would", "will", "do", "did", "have", "are", "r", "cant", "couldnt", "wouldnt",
    "wont",
];
const ASKING_VERBS: &[&str] = &[
    "tell",
    "show",
    "explain",
    "describe",
    "give",
    "list",
    "say",
    "summarise",
    "summarize",
    "outline",
    "help",
    "let",
    "find",
    "check",
    "confirm",
    "clarify",
    "share",
    "remind",
    "answer",
    "break",
    "walk",
    "fill",
    "point",
    "see",
    "know",
    "recap",
    "sum",
    "spell",
    "elaborate",
    "expand",
    "go",
    "repeat",
    "quote",
    "cite",
    "read",
    "look",
    "provide",
    "name",
    "identify",
    "detail",
    "update",
    "got",
    "heard",
    "seen",
];

/// Words skipped between "can you" and its verb ("can you please tell me").
const SOFTENERS: &[&str] = &[
    "please", "pls", "plz", "just", "maybe", "possibly", "actually", "even", "kindly", "quickly",
];

/// "you know", "you mean", "you said", "are you sure", "you guys": the article is still the
/// subject.
const FILLERS_AFTER: &[&str] = &[
    "know",
    "mean",
    "said",
    "say",
    "mentioned",
    "sure",
    "guys",
    "all",
];

/// "when you corner one", "if you ask me", "thank you": a generic or polite "you".
const GENERIC_BEFORE: &[&str] = &["when", "if", "once", "whenever", "thank"];

/// Someone else the question is about ("can u talk to them in english"): then "you" is not the
/// subject of the question.
const THIRD_PERSON: &[&str] = &[
    "they", "them", "their", "theirs", "he", "him", "his", "she", "her", "hers", "those", "these",
    "theyre", "theyve", "theyll", "theyd", "hes", "shes", "em", "dem", "dey",
];

/// An entry answers questions about the bot when at least this many of its own stored
/// questions are such ("where do your answers come from?"); one or two may be slips.
pub const QUESTIONS_TO_THE_BOT: usize = 3;

/// Whether an entry with these stored questions, each as its words joined by spaces (as
/// `normalise::plain` gives them), answers questions about the bot.
pub fn answers_the_bot<'q>(questions: impl IntoIterator<Item = &'q str>) -> bool {
    let to_the_bot = |question: &&str| {
        // Most questions have no "you": the index of 300,000 questions need not split them.
        question.split(' ').any(|w| YOU.contains(&w))
            && addresses_the_bot(&question.split(' ').collect::<Vec<_>>())
    };
    let mut questions = questions.into_iter().filter(to_the_bot);
    questions.nth(QUESTIONS_TO_THE_BOT - 1).is_some()
}

/// Whether `message` asks about the bot: it addresses the bot other than to ask it to inform
/// ("can you tell me...") or in passing ("you know", "are you sure", "when you..."), and names
/// no one else by a pronoun.
pub fn is_to_the_bot(message: &str) -> bool {
    let words = normalise::words(&normalise::fold(message));
    addresses_the_bot(&words.iter().map(String::as_str).collect::<Vec<_>>())
}

/// [`is_to_the_bot`] for a message already folded and split (`normalise::words`).
fn addresses_the_bot(words: &[&str]) -> bool {
    if words.iter().any(|w| THIRD_PERSON.contains(w)) {
        return false;
    }
    words.iter().enumerate().any(|(at, &word)| {
        if !YOU.contains(&word) {
            return false;
        }
        let previous = at.checked_sub(1).map_or("", |before| words[before]);
        let next = (words[at + 1..].iter())
            .copied()
            .find(|w| !SOFTENERS.contains(w))
            .unwrap_or("");
        let subject = matches!(word, "you" | "u" | "ya");
        let asks_to_inform = subject && ASKING_BEFORE.contains(&previous) && is_asking_verb(next);
        let in_passing = (subject && FILLERS_AFTER.contains(&next))
            || GENERIC_BEFORE.contains(&previous)
            || (previous == "did" && matches!(next, "say" | "mention" | "read"));
        !asks_to_inform && !in_passing
    })
}

/// One of `ASKING_VERBS`, or a typo of one of five letters or more ("descibe").
fn is_asking_verb(word: &str) -> bool {
    ASKING_VERBS.contains(&word)
        || (word.len() >= 5
            && (ASKING_VERBS.iter())
                .any(|verb| verb.len() >= 5 && strsim::damerau_levenshtein(word, verb) <= 1))
}

#[cfg(test)]
mod tests {
    use super::is_to_the_bot;

    #[test]
    fn a_question_about_the_bot_is_told_from_one_that_merely_addresses_it() {
        for to_the_bot in [
            "how old are you",
            "who made you",
            "whats ur take",
            "where do your answers come from?",
            "what can you do",
            "are you chatgpt",
            "what do you think of zelensky",
            "wat news r u based on",
        ] {
            assert!(is_to_the_bot(to_the_bot), "{to_the_bot:?}");
        }
        for about_the_article in [
            "how old are they",
            "can you tell me how old the soldiers are",
            "could u please explain where they were caught",
            "do you know who captured the north koreans",
            "can u descibe the fotos zelensky put up",
            "are you sure they were caught in kursk?",
            "you said they were born in 2005?",
            "did you say two soldiers?",
            "have you got info on the casualties",
            "can u talk to them in english",
            "what happens when you corner a north korean",
            "thank you! and the sniper?",
            "",
        ] {
            assert!(!is_to_the_bot(about_the_article), "{about_the_article:?}");
        }
    }
}
