//! No input can crash the engine or break its promises: any string gets a well-formed reply.

use std::path::PathBuf;

use citebot::config::Config;
use citebot::engine::Snapshot;
use citebot::reply::{Reply, Status};
use proptest::prelude::*;

fn shipped() -> &'static Snapshot {
    static SNAPSHOT: std::sync::OnceLock<Snapshot> = std::sync::OnceLock::new();
    SNAPSHOT.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let config = Config::load(&root.join("config.toml")).expect("shipped config loads");
        match Snapshot::load(&root.join("knowledge"), &config.matching) {
            Ok(snapshot) => snapshot,
            Err(report) => panic!("shipped knowledge has errors:\n{}", report.render(false)),
        }
    })
}

fn article_words() -> &'static Vec<String> {
    static WORDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        let mut words: Vec<String> = shipped()
            .knowledge
            .article
            .lines
            .iter()
            .flat_map(|line| line.split_whitespace().map(str::to_string))
            .collect();
        words.sort();
        words.dedup();
        words
    })
}

/// What every reply must satisfy, whatever was asked.
fn well_formed(question: &str, reply: &Reply) {
    let snapshot = shipped();
    let limit = snapshot.config.max_question_chars;
    assert!(reply.question.chars().count() <= limit);
    assert_eq!(reply.truncated, question.chars().count() > limit);
    assert!((0.0..=1.0).contains(&reply.score), "score {}", reply.score);
    assert!(reply.suggestions.len() <= snapshot.config.suggestions);
    match reply.status {
        Status::Answered => {
            assert!(reply.answer.is_some() && reply.entry_id.is_some());
            assert!(!reply.excerpts.is_empty());
        }
        Status::Ambiguous => assert!(reply.suggestions.len() >= 2),
        Status::NoMatch => assert!(reply.answer.is_none() && reply.excerpts.is_empty()),
    }
    serde_json::to_string(reply).expect("reply serialises");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn any_string_gets_a_well_formed_reply(question in any::<String>()) {
        let reply = shipped().ask(&question);
        well_formed(&question, &reply);
    }

    #[test]
    fn any_words_get_a_well_formed_reply(words in proptest::collection::vec("[a-zA-Z0-9'’ -]{0,12}", 0..40)) {
        let question = words.join(" ");
        let reply = shipped().ask(&question);
        well_formed(&question, &reply);
    }

    #[test]
    fn any_text_is_read_by_meaning_without_harm(text in any::<String>()) {
        // Most questions never reach the confirmation by meaning (only close calls do): ask it
        // directly, of the whole text, as a close call would.
        let snapshot = shipped();
        let model = snapshot.knowledge.meaning.as_ref().expect("shipped with a meaning model");
        let vector = model.embed(&text);
        prop_assert!(vector.iter().all(|x| x.is_finite()));
        if let Some((entry, similarity)) = snapshot.matcher.nearest_in_meaning(&text) {
            prop_assert!(snapshot.matcher.agrees_in_meaning(&text, entry, similarity));
            prop_assert!((-1.01..=1.01).contains(&similarity));
        }
    }

    #[test]
    fn the_fast_verdict_by_meaning_is_the_full_scans(
        picks in proptest::collection::vec(0usize..10_000, 1..12)
    ) {
        // Questions made of the knowledge's own words, so they land near stored questions.
        let snapshot = shipped();
        let words = article_words();
        let question: Vec<&str> = picks.iter().map(|&i| words[i % words.len()].as_str()).collect();
        let question = question.join(" ");
        let matcher = &snapshot.matcher;
        let nearest = matcher.nearest_in_meaning(&question);
        for entry in [0, 7, 20, nearest.map_or(0, |(e, _)| e)] {
            // Agreement -1: the verdict is only whether `entry` holds the nearest question.
            let full = nearest.is_some_and(|(e, _)| e == entry);
            prop_assert_eq!(matcher.agrees_in_meaning(&question, entry, -1.0), full);
        }
    }

    #[test]
    fn autocomplete_never_exceeds_its_limit(partial in any::<String>(), limit in 0usize..30) {
        let choices = shipped().complete(&partial, limit);
        prop_assert!(choices.len() <= limit);
    }
}

#[test]
fn hostile_inputs_get_sensible_replies() {
    let huge = "who captured the soldiers ".repeat(4_000);
    let inputs = [
        "",
        "   \t\n  ",
        "🙂🙂🙂",
        "\u{0000}\u{0007}\u{001b}[31m",
        "\u{200B}\u{200C}\u{200D}\u{FEFF}",
        "من أسر الجنود؟ \u{202E}who captured them",
        "@everyone @here <@&123> <@456>",
        &huge,
    ];
    for input in inputs {
        let reply = shipped().ask(input);
        well_formed(input, &reply);
    }
    let reply = shipped().ask(&huge);
    assert!(reply.truncated);
    // Nothing asked: no claim about the article, and the first entries offered to start from.
    let first: Vec<&str> = (shipped().knowledge.entries.iter())
        .take(3)
        .map(|e| e.id.as_str())
        .collect();
    for blank in ["", "   ", "🙂🙂🙂", "\u{200B}", "?!…", "<>"] {
        let reply = shipped().ask(blank);
        assert_eq!(reply.status, Status::NoMatch, "{blank:?}");
        assert!(reply.asks_nothing(), "{blank:?}");
        let offered: Vec<&str> = reply
            .suggestions
            .iter()
            .map(|s| s.entry_id.as_str())
            .collect();
        assert_eq!(offered, first, "{blank:?}");
    }
    for asked in ["a", "7", "@everyone", "who?"] {
        assert!(!shipped().ask(asked).asks_nothing(), "{asked:?}");
    }
    // Emoji up to the length limit and a question after it: cut, and said so, not "nothing".
    let long = format!("{}who was captured?", "🙂".repeat(600));
    let reply = shipped().ask(&long);
    assert!(reply.truncated && !reply.asks_nothing());
}
