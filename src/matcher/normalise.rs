//! Text to matchable tokens, the same way for the curated questions and for a reader's question.
//!
//! Steps: Unicode compatibility decomposition with accents dropped, full case folding, curly and
//! straight quotes alike, digits grouped ("11,000" is one number), number words as digits ("two"
//! is "2"), apostrophes dropped ("korea's" stems like "koreas"), then per word: stop words out,
//! Snowball English stem. Synonyms and typo repair happen in `analysis` and `index`, which know
//! the vocabulary.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Words that carry no meaning for matching. Question words that tell topics apart ("who",
/// "where", "when", "why", "how", "many", "old") are deliberately kept.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "actually",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "anyone",
    "are",
    "as",
    "at",
    "be",
    "been",
    "being",
    "but",
    "by",
    "can",
    "could",
    "curious",
    "did",
    "do",
    "does",
    "doing",
    "dont",
    "exactly",
    "for",
    "from",
    "get",
    "got",
    "had",
    "has",
    "have",
    "having",
    "he",
    "hello",
    "her",
    "here",
    "hers",
    "hey",
    "hi",
    "him",
    "his",
    "i",
    "if",
    "im",
    "in",
    "into",
    "is",
    "it",
    "its",
    "ive",
    "just",
    "kind",
    "know",
    "let",
    "like",
    "me",
    "mean",
    "my",
    "of",
    "ok",
    "okay",
    "on",
    "or",
    "our",
    "please",
    "plz",
    "really",
    "say",
    "says",
    "she",
    "should",
    "so",
    "some",
    "someone",
    "tell",
    "than",
    "thank",
    "thanks",
    "that",
    "thats",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "theyre",
    "this",
    "those",
    "to",
    "u",
    "um",
    "us",
    "very",
    "was",
    "wanna",
    "want",
    "we",
    "were",
    "what",
    "whats",
    "will",
    "with",
    "wonder",
    "wondering",
    "would",
    "ya",
    "yeah",
    "you",
    "your",
    "r",
    "ur",
    "s",
    "t",
    "d",
    "ll",
    "re",
    "ve",
    "m",
    "guys",
    "folks",
    "anyway",
    "btw",
    "gonna",
    "tho",
    "though",
    "know",
    "kinda",
    "sorta",
    "wait",
    "hmm",
    "oh",
    "ah",
    "lol",
    "idk",
    "wat",
    "wut",
    "wats",
    "abt",
    "cuz",
    "coz",
    "bc",
    "thx",
    "ty",
    "wondered",
    "thing",
    "things",
    "stuff",
    "channel",
    "server",
    "basically",
    "literally",
    "genuinely",
    "honestly",
    "apparently",
    "supposedly",
    "heard",
    "talking",
    "confused",
    "sorry",
    "already",
    "somebody",
    "anybody",
    "something",
    "anything",
    "else",
    "said",
    "saying",
    "reckon",
    "tbh",
    "imo",
    "ngl",
    "yo",
    "sup",
    "dude",
    "bro",
    "lmao",
    // Tag questions ("they were flown to lviv, right?") ask for confirmation, not about rights.
    "right",
    "true",
    "correct",
    "everyone",
    "everybody",
    "again",
    "pls",
    "q",
    "rn",
    "lmk",
    "omg",
    "wtf",
    "huh",
    "tried",
    "figure",
    "couldnt",
    "explain",
    "quick",
    "quickly",
    // "you're" stems to "your", which the stop words above never see.
    "youre",
    // Chat spellings of the words above.
    "da",
    "dis",
    "dat",
    "dey",
    "dem",
    "rly",
    "ofc",
    "smth",
    "sth",
    "yall",
    "dunno",
    "lemme",
    "gimme",
    "gotta",
];

/// Number words read as digits, so "two soldiers" and "2 soldiers" are one question.
const NUMBER_WORDS: &[(&str, &str)] = &[
    ("zero", "0"),
    ("one", "1"),
    ("two", "2"),
    ("three", "3"),
    ("four", "4"),
    ("five", "5"),
    ("six", "6"),
    ("seven", "7"),
    ("eight", "8"),
    ("nine", "9"),
    ("ten", "10"),
    ("eleven", "11"),
    ("twelve", "12"),
    ("thirteen", "13"),
    ("fourteen", "14"),
    ("fifteen", "15"),
    ("sixteen", "16"),
    ("seventeen", "17"),
    ("eighteen", "18"),
    ("nineteen", "19"),
    ("twenty", "20"),
    ("thirty", "30"),
    ("forty", "40"),
    ("fifty", "50"),
    ("sixty", "60"),
    ("seventy", "70"),
    ("eighty", "80"),
    ("ninety", "90"),
    ("hundred", "100"),
    ("thousand", "1000"),
    ("both", "2"),
    ("pair", "2"),
    ("couple", "2"),
];

/// Chat mentions (`@everyone`, `@here`, `<@123>`, `<@!123>`, `<@&123>`, `<#123>`) say who is
/// addressed, not what is asked: they are blanked before matching.
pub fn strip_mentions(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('@') && !text.contains("<#") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let skip = if let Some(after) = rest.strip_prefix('<') {
            let body = after
                .strip_prefix("@!")
                .or_else(|| after.strip_prefix("@&"))
                .or_else(|| after.strip_prefix('@'))
                .or_else(|| after.strip_prefix('#'));
            body.and_then(|b| {
                let digits = b.chars().take_while(char::is_ascii_digit).count();
                (digits > 0 && b[digits..].starts_with('>'))
                    .then(|| rest.len() - b.len() + digits + 1)
            })
        } else if rest.starts_with("@everyone") {
            Some("@everyone".len())
        } else if rest.starts_with("@here") {
            Some("@here".len())
        } else {
            None
        };
        match skip {
            Some(len) => {
                out.push(' ');
                rest = &rest[len..];
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Folds case, accents, quotes and compatibility forms: the text every comparison starts from.
pub fn fold(text: &str) -> String {
    let text = strip_mentions(text);
    let text = text.as_ref();
    if text.is_ascii() {
        // Full case folding and decomposition are the identity on ASCII, but for case.
        let folded = text.to_ascii_lowercase();
        return if folded.contains('`') {
            folded.replace('`', "'")
        } else {
            folded
        };
    }
    let folded = caseless::default_case_fold_str(text);
    folded
        .nfkd()
        .filter(|c| !is_combining_mark(*c) && !is_invisible(*c))
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201F}' | '\u{2033}' => '"',
            _ => c,
        })
        .collect()
}

/// Zero-width and formatting characters that may sit inside a word without splitting it.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
    )
}

/// The words of folded text: alphanumeric runs, apostrophes removed inside words, digit groups
/// ("11,000") joined. Everything else (punctuation, emoji, controls, zero-width) separates words.
pub fn words(folded: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut prev_digit = false;
    let mut chars = folded.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        if c.is_alphanumeric() {
            word.push(c);
        } else if c == ',' && prev_digit && next.is_some_and(|n| n.is_ascii_digit()) {
            // "11,000": a thousands separator, not a word break.
        } else if c == '\'' && !word.is_empty() && next.is_some_and(char::is_alphanumeric) {
            // "korea's", "don't": the apostrophe is part of the word, and is dropped.
        } else if !word.is_empty() {
            out.push(std::mem::replace(&mut word, String::with_capacity(12)));
        }
        prev_digit = c.is_ascii_digit();
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

pub fn is_stop_word(word: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.iter().copied().collect())
        .contains(word)
}

/// The digit form of a number word, if `word` is one.
pub fn number_word(word: &str) -> Option<&'static str> {
    static MAP: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    MAP.get_or_init(|| NUMBER_WORDS.iter().copied().collect())
        .get(word)
        .copied()
}

/// `words` (folded and split) with the chat spellings of function words written out ("wat can
/// u do" reads "what can you do"): the key a question of function words alone is known by,
/// since no term is left to tell such spellings apart.
pub fn spelled_out<'w>(words: impl IntoIterator<Item = &'w str>) -> String {
    let full = |word: &'w str| -> &'w str {
        match word {
            "u" | "ya" | "yu" => "you",
            "r" => "are",
            "ur" | "youre" | "yr" => "your",
            "wat" | "wut" | "wht" => "what",
            "whats" | "wats" | "wuts" => "what is",
            "im" => "i am",
            "pls" | "plz" => "please",
            other => other,
        }
    };
    words.into_iter().map(full).collect::<Vec<_>>().join(" ")
}

/// Stems words with the Snowball English stemmer.
pub struct WordStemmer(Stemmer);

impl Default for WordStemmer {
    fn default() -> Self {
        WordStemmer(Stemmer::create(Algorithm::English))
    }
}

impl WordStemmer {
    pub fn stem(&self, word: &str) -> String {
        if word.chars().any(|c| c.is_ascii_digit()) {
            return word.to_string();
        }
        self.0.stem(word).into_owned()
    }
}

/// The content words of `text` before stemming: folded, split, numbers as digits, stop words out.
/// Typo repair works on these surface forms, since a misspelt word stems unpredictably.
pub fn content_words(text: &str) -> Vec<String> {
    content(words(&fold(text)))
}

/// The content words among `words` (already folded and split).
pub fn content(words: Vec<String>) -> Vec<String> {
    words
        .into_iter()
        .filter_map(|w| match number_word(&w) {
            Some(digits) => Some(digits.to_string()),
            None if is_stop_word(&w) => None,
            None => Some(w),
        })
        .collect()
}

/// A compact folded form for whole-string similarity: words joined by single spaces.
pub fn plain(text: &str) -> String {
    words(&fold(text)).join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chat_spellings_of_function_words_are_spelled_out() {
        let key = |text: &str| spelled_out(words(&fold(text)).iter().map(String::as_str));
        assert_eq!(key("wat can u do"), key("What can you do?"));
        assert_eq!(key("What's this"), key("what is this"));
        assert_eq!(key("r u a bot"), "are you a bot");
        assert_ne!(key("what can you do"), key("what can you see"));
    }

    #[test]
    fn quotes_accents_and_case_fold_alike() {
        assert_eq!(plain("Korea’s ÉLITE"), plain("korea's elite"));
        assert_eq!(content_words("Korea’s"), vec!["koreas"]);
    }

    #[test]
    fn numbers_and_number_words_agree() {
        assert_eq!(content_words("Two soldiers"), content_words("2 soldiers"));
        assert_eq!(
            content_words("at least 11,000 troops"),
            vec!["least", "11000", "troops"]
        );
    }

    #[test]
    fn noise_splits_words_and_never_panics() {
        assert_eq!(
            words(&fold("who c\u{200B}aught\u{0000}them 🙂")),
            vec!["who", "caught", "them"]
        );
        assert!(content_words("   ").is_empty());
        assert!(content_words("🙂🙂").is_empty());
    }

    #[test]
    fn mentions_are_not_words() {
        assert_eq!(
            content_words("@everyone <@123> <@!4> <@&56> <#7> captured @here"),
            vec!["captured"]
        );
        assert_eq!(
            content_words("<@abc> email@everyone.org"),
            vec!["abc", "email", "org"]
        );
    }

    #[test]
    fn stems_inflections_together() {
        let s = WordStemmer::default();
        assert_eq!(s.stem("captured"), s.stem("capture"));
        assert_eq!(s.stem("soldiers"), s.stem("soldier"));
        assert_eq!(s.stem("2005"), "2005");
    }
}
