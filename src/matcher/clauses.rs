//! The clauses of a long message. A chatty message ("hey all, long time lurker. something I
//! don't get: do they speak russian?") buries its question among words that pull toward other
//! entries or toward none; when the whole message gets no answer, the matcher reads each clause
//! on its own (see `Matcher::decide`). A clause that points elsewhere for what it asks ("is
//! there anything in the article about that?") is not read alone: its answer would be to
//! another question.

/// A clause needs this many words to be read alone: shorter ones ("hey all", "lol") say too
/// little to match anything safely.
const MIN_CLAUSE_WORDS: usize = 3;

/// The clauses of `text`: split after a sentence's end (`.`, `?`, `!`, `;`) or at a comma, a
/// colon or a spaced dash (`-`, `–`, `—`), each followed by whitespace; only those of at least
/// `MIN_CLAUSE_WORDS` words (so a tag like "right?" falls away). Empty when the only clause is
/// the whole text.
pub fn clauses(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let dash = matches!(c, '-' | '–' | '—');
        let breaks = dash || matches!(c, '.' | '?' | '!' | ';' | ',' | ':');
        let spaced = chars.peek().is_some_and(|(_, next)| next.is_whitespace());
        // A dash splits only with space on both sides ("well - which"), not in "north-korean".
        let dash_ok = !dash || text[..at].ends_with(char::is_whitespace);
        if breaks && spaced && dash_ok {
            push(&mut out, &text[start..at + c.len_utf8()]);
            start = at + c.len_utf8();
        }
    }
    push(&mut out, &text[start..]);
    if out.len() == 1 && out[0] == text.trim() {
        out.clear();
    }
    out
}

/// Whether `clause` points at another clause for what it asks: a "he", "his", "she", "her"
/// (the soldiers are "they"; a single person is named elsewhere), or a closing "that", "this"
/// or "it" ("does the article say anything about that?").
pub fn refers_back(clause: &str) -> bool {
    let words = super::normalise::words(&super::normalise::fold(clause));
    let personal = words.iter().any(|w| {
        matches!(
            w.as_str(),
            "he" | "him" | "his" | "hes" | "himself" | "she" | "her" | "hers" | "shes" | "herself"
        )
    });
    let closing = words
        .last()
        .is_some_and(|w| matches!(w.as_str(), "that" | "this" | "it"));
    personal || closing
}

fn push<'a>(out: &mut Vec<&'a str>, clause: &'a str) {
    let clause = clause.trim();
    if clause.split_whitespace().count() >= MIN_CLAUSE_WORDS {
        out.push(clause);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clause_refers_back_with_he_or_she_or_a_closing_that_this_or_it() {
        for pointing in [
            "does the article say anything about that?",
            "how old is he anyway?",
            "what's her role",
            "can you explain this",
            "is the article right about it",
        ] {
            assert!(refers_back(pointing), "{pointing:?}");
        }
        for standing in [
            "how old are they?",
            "is that in the article, the age of the prisoners?",
            "where were the soldiers caught",
            "hey there",
        ] {
            assert!(!refers_back(standing), "{standing:?}");
        }
    }

    #[test]
    fn splits_at_sentence_ends_commas_colons_and_spaced_dashes() {
        assert_eq!(
            clauses(
                "hey all, long time lurker. something I don't get: do they speak russian? or not"
            ),
            vec![
                "long time lurker.",
                "something I don't get:",
                "do they speak russian?"
            ]
        );
        assert_eq!(
            clauses("my cousin asked me today — which unit caught the north-korean guys"),
            vec![
                "my cousin asked me today —",
                "which unit caught the north-korean guys"
            ]
        );
        assert_eq!(
            clauses("my cousin asked me today - which unit caught the north-korean guys"),
            vec![
                "my cousin asked me today -",
                "which unit caught the north-korean guys"
            ]
        );
    }

    #[test]
    fn a_short_tag_falls_away() {
        assert_eq!(
            clauses("so the pact was signed in november, right?"),
            vec!["so the pact was signed in november,"]
        );
    }

    #[test]
    fn the_whole_or_nothing_gives_nothing() {
        assert!(clauses("which unit caught the north-korean guys?").is_empty());
        assert!(clauses("").is_empty());
        assert!(clauses("hi, yo, lol").is_empty());
        assert!(clauses("3.5 million, 2,000 troops").is_empty());
    }
}
