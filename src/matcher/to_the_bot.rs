//! Questions about the bot itself ("how old are you", "who made you", "what's your take"), as
//! against questions about the article that happen to address it ("can you tell me how old
//! they are", "do you have any info on the sniper", "you said 1999?", "thx u, and the
//! interpreters?") or use "you" for anyone ("how do you interrogate someone who only speaks
//! korean"). The words of "how old are you" match
//! the soldiers' ages as well as "how old are they" does: the pronoun that tells them apart is a
//! stop word. `Matcher::decide` answers a question to the bot only with an entry that is itself
//! asked such questions (where the answers come from, what can I ask), never with the article's
//! facts.

use super::normalise;

/// The reader's words for the bot.
const YOU: &[&str] = &[
    "you", "u", "ya", "yall", "your", "ur", "yours", "yourself", "youre",
];

/// "you" as the subject ("can you...", "how old are you"), not "your".
const SUBJECT: &[&str] = &["you", "u", "ya", "yall"];

/// "can you tell me...", "do you know...", "could u descibe...": asking the bot to inform,
/// about whatever follows. An `ASKING_VERBS` verb after one of `ASKING_BEFORE` and "you".
const ASKING_BEFORE: &[&str] = &[
    "can", "could", "would", "will", "do", "does", "did", "have", "are", "r", "should", "may",
    "might", "cant", "couldnt", "wouldnt", "wont", "cn", "cud", "cld", "wud", "wld", "culd",
    "wuld",
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
    "verify",
    "specify",
    "define",
    "compare",
    "inform",
    "brief",
    "enlighten",
    "remember",
    "recall",
    "mention",
    "search",
    "lookup",
    "figure",
    "clear",
    "catch",
    "narrow",
    "fact",
    "double",
    "pull",
    "run",
];

/// Words skipped between "you" and its verb ("can you please tell me", "can you also tell me",
/// "how old are u guys").
const SOFTENERS: &[&str] = &[
    "please", "pls", "plz", "just", "maybe", "possibly", "actually", "even", "kindly", "quickly",
    "also", "now", "then", "again", "briefly", "real", "quick", "first", "still", "not", "dont",
    "cant", "didnt", "guys", "all",
];

/// "do you happen to know", "would you be able to tell", "you wanna tell me", "you can tell
/// me": a frame before the asking verb.
const FRAMES: &[&str] = &[
    "happen", "able", "mind", "wanna", "gonna", "going", "want", "be", "care", "can", "could",
    "will", "would",
];

/// "do you have any info on...", "you got the numbers?": the bot asked what it holds.
const POSSESS: &[&str] = &["have", "got", "hav", "has"];
const INFO: &[&str] = &[
    "any",
    "anything",
    "info",
    "information",
    "the",
    "details",
    "deets",
    "data",
    "numbers",
    "figures",
    "something",
    "more",
    "on",
    "about",
    "regarding",
];

/// "you know", "you said", "are you sure", "you told me": the article is still the subject.
const FILLERS_AFTER: &[&str] = &[
    "know",
    "mean",
    "said",
    "say",
    "mentioned",
    "sure",
    "told",
    "stated",
    "claimed",
    "wrote",
    "saying",
    "sayin",
    "certain",
    "positive",
    "serious",
    "kidding",
    "joking",
];

/// "when you corner one", "if you ask me", "thank you", "hey you,", "sorry to bother you":
/// a generic or polite "you".
const GENERIC_BEFORE: &[&str] = &[
    "when",
    "if",
    "once",
    "whenever",
    "thank",
    "thanks",
    "thx",
    "ty",
    "tysm",
    "bless",
    "appreciate",
    "hey",
    "yo",
    "bother",
    "ask",
    "asking",
    "q",
    "question",
    "nice",
];

/// "you're right", "you're saying...": said of the bot's answer, not asked about the bot.
const ABOUT_THE_ANSWER: &[&str] = &[
    "right", "correct", "wrong", "saying", "sayin", "telling", "great", "awesome", "amazing",
    "best", "helpful", "welcome",
];

/// "your article says...", "your answer said 1999": "your" meaning what the bot said.
const SAYS: &[&str] = &["say", "says", "said", "mention", "mentions", "mentioned"];

/// Asked of the bot's own mind, whoever else the question names ("what do you think about
/// their treatment", "do you support the soldiers").
const OPINIONS: &[&str] = &[
    "think", "feel", "reckon", "believe", "like", "love", "hate", "support", "trust", "agree",
    "prefer", "side",
];

/// "how do you work", "how do you know": asked of the bot even after "how"/"why", where
/// "you" is otherwise anyone ("how do you interrogate someone who only speaks korean").
const OF_ITSELF: &[&str] = &[
    "think", "feel", "work", "function", "learn", "decide", "choose", "come", "get", "do", "know",
    "answer", "be",
];

/// Someone else the question is about ("can u talk to them in english"): then "you" is not
/// the subject of the question, unless the bot is ("are you older than them").
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

/// Whether `message` asks about the bot: it asks the bot's opinion, or it addresses the bot
/// other than to ask it to inform ("can you tell me...", "do you have any info on...") or in
/// passing ("you know", "are you sure", "thanks u", "when you..."), or of people in general
/// ("how do you interrogate someone..."), and names no one else by a pronoun ("can u talk to
/// them...") unless it asks what the bot is ("are you older than them").
pub fn is_to_the_bot(message: &str) -> bool {
    is_to_the_bot_in(&normalise::words(&normalise::fold(message)))
}

/// [`is_to_the_bot`] for a message already folded and split (`normalise::words`).
pub fn is_to_the_bot_in(words: &[String]) -> bool {
    addresses_the_bot(&words.iter().map(String::as_str).collect::<Vec<_>>())
}

/// [`is_to_the_bot`] for a message already folded and split (`normalise::words`).
fn addresses_the_bot(words: &[&str]) -> bool {
    let read = |at: usize| Reading::of(words, at);
    let yous = || (0..words.len()).filter(|&at| YOU.contains(&words[at]));
    if yous().any(|at| read(at).asks_an_opinion()) {
        return true;
    }
    if words.iter().any(|w| THIRD_PERSON.contains(w))
        && !yous().any(|at| read(at).asks_what_it_is())
    {
        return false;
    }
    yous().any(|at| read(at).addresses_the_bot())
}

/// One "you" of a message, with the words around it.
struct Reading<'w> {
    you: &'w str,
    previous: &'w str,
    before_previous: &'w str,
    /// The first word after "you" that is not a softener, and the word after it.
    next: &'w str,
    after_next: &'w str,
    /// The verb past a frame ("do you happen to know"), when there is one.
    framed: Option<&'w str>,
    /// The three words after "you".
    following: &'w [&'w str],
}

impl<'w> Reading<'w> {
    fn of(words: &'w [&'w str], at: usize) -> Self {
        let word = |i: usize| words.get(i).copied().unwrap_or("");
        let next_at = (at + 1..words.len())
            .find(|&i| !SOFTENERS.contains(&words[i]))
            .unwrap_or(words.len());
        let mut verb_at = next_at;
        while FRAMES.contains(&word(verb_at)) {
            verb_at += 1;
        }
        let framed = (verb_at > next_at).then(|| {
            while matches!(word(verb_at), "to" | "able" | "be") {
                verb_at += 1;
            }
            word(verb_at)
        });
        Reading {
            you: words[at],
            previous: at.checked_sub(1).map_or("", word),
            before_previous: at.checked_sub(2).map_or("", word),
            next: word(next_at),
            after_next: word(next_at + 1),
            framed,
            following: &words[at + 1..(at + 4).min(words.len())],
        }
    }

    fn is_subject(&self) -> bool {
        SUBJECT.contains(&self.you)
    }

    /// "what do you think of zelensky", not "why do you think north korea...".
    fn asks_an_opinion(&self) -> bool {
        self.is_subject()
            && OPINIONS.contains(&self.next)
            && !(self.next == "think"
                && matches!(self.previous, "do" | "did")
                && self.before_previous == "why")
    }

    /// "are you older than them", not "are you sure they...".
    fn asks_what_it_is(&self) -> bool {
        self.is_subject()
            && matches!(self.previous, "are" | "r" | "were" | "is")
            && !FILLERS_AFTER.contains(&self.next)
    }

    fn addresses_the_bot(&self) -> bool {
        // "u.s. intelligence said...": not the bot.
        let initials = self.you == "u" && matches!(self.next, "s" | "n" | "k");
        !(initials
            || self.asks_to_inform()
            || self.asks_what_it_holds()
            || self.in_passing()
            || self.means_anyone())
    }

    fn asks_to_inform(&self) -> bool {
        self.is_subject()
            && match self.framed {
                None => ASKING_BEFORE.contains(&self.previous) && is_asking_verb(self.next),
                Some(verb) => {
                    is_asking_verb(verb)
                        && (ASKING_BEFORE.contains(&self.previous)
                            || !matches!(verb, "got" | "heard" | "seen"))
                }
            }
    }

    /// "do you have any info on...", "have u any...".
    fn asks_what_it_holds(&self) -> bool {
        self.is_subject()
            && ((POSSESS.contains(&self.next) && INFO.contains(&self.after_next))
                || (POSSESS.contains(&self.previous) && INFO.contains(&self.next)))
    }

    fn in_passing(&self) -> bool {
        (self.is_subject() && FILLERS_AFTER.contains(&self.next))
            || GENERIC_BEFORE.contains(&self.previous)
            || (self.previous == "did" && matches!(self.next, "say" | "mention" | "read"))
            || (self.previous == "to" && self.before_previous == "according")
            || (self.previous == "for" && matches!(self.before_previous, "q" | "question"))
            || (matches!(self.you, "your" | "ur")
                && (self.next == "own" || self.following.iter().any(|w| SAYS.contains(w))))
            || (self.you == "youre" && ABOUT_THE_ANSWER.contains(&self.next))
            || (self.you == "ur" && matches!(self.next, "saying" | "sayin"))
    }

    /// "how do you interrogate someone...", "why would you charge at drones": anyone.
    fn means_anyone(&self) -> bool {
        let verb = self.framed.unwrap_or(self.next);
        self.is_subject()
            && matches!(self.before_previous, "how" | "why")
            && ASKING_BEFORE.contains(&self.previous)
            && !OF_ITSELF.contains(&verb)
            && !OPINIONS.contains(&verb)
    }
}

/// One of `ASKING_VERBS`, its "-ing" form ("telling"), a typo of one of five letters or more
/// ("descibe"), or of "tell" or "know" keeping the first letter ("kno", "knoe").
fn is_asking_verb(word: &str) -> bool {
    let known = |w: &str| ASKING_VERBS.contains(&w);
    // "telling" is "tell" + "ing"; "summing" drops a doubled letter too.
    let ing = word.strip_suffix("ing").filter(|_| word.len() > 5);
    let from_ing = ing.is_some_and(|stem| {
        let shorter = stem.char_indices().last().map_or("", |(at, _)| &stem[..at]);
        known(stem) || known(shorter)
    });
    let typo = |verb: &&str, least: usize| {
        word.len() >= least && verb.len() >= least && strsim::damerau_levenshtein(word, verb) <= 1
    };
    known(word)
        || from_ing
        || ASKING_VERBS.iter().any(|verb| typo(verb, 5))
        || (["tell", "know"].iter()).any(|verb| word.starts_with(&verb[..1]) && typo(verb, 3))
}

#[cfg(test)]
mod tests {
    use super::is_to_the_bot;

    #[test]
    fn a_question_about_the_bot_is_told_from_one_that_merely_addresses_it() {
        for to_the_bot in [
            "how old are you",
            "who made you",
            "who made y'all",
            "how old are u guys",
            "whats ur take",
            "where do your answers come from?",
            "what can you do",
            "how do you work",
            "are you chatgpt",
            "what do you think of zelensky",
            "what do you think about their treatment",
            "are you older than them",
            "wat news r u based on",
            "thanks, who made you",
            "do you have a name",
        ] {
            assert!(is_to_the_bot(to_the_bot), "{to_the_bot:?}");
        }
        for about_the_article in [
            "how old are they",
            "can you tell me how old the soldiers are",
            "could u please explain where they were caught",
            "can you also tell me the sniper's age",
            "do you know who captured the north koreans",
            "do you happen to know where they were captured",
            "would you be able to tell me the casualty numbers",
            "cn u tell me the ages",
            "do u kno how old the sniper is",
            "can u descibe the fotos zelensky put up",
            "can you verify the sniper's birth year",
            "do you have any info on the sniper",
            "u got the casualty numbers?",
            "are you sure they were caught in kursk?",
            "you said they were born in 2005?",
            "you told me the sniper was born in 1999?",
            "did you say two soldiers?",
            "according to you, where were the soldiers captured?",
            "does your article say how many troops were deployed",
            "you're right, and the interpreters?",
            "thx, you rock. how old are the soldiers",
            "quick q for u, how many north koreans died",
            "have you got info on the casualties",
            "can u talk to them in english",
            "what happens when you corner a north korean",
            "how do you interrogate someone who only speaks korean",
            "why would you charge at drones like that",
            "u.s. intelligence said 11000 north korean troops were deployed?",
            "thank you! and the sniper?",
            "",
        ] {
            assert!(!is_to_the_bot(about_the_article), "{about_the_article:?}");
        }
    }
}
