//! Long chatty messages: when the whole message gets no answer, a clause answered alone is the
//! question, unless clauses name different entries, one asks what the article is known not to
//! say, or the answered clause points at another for what it asks, or the whole message reads
//! by meaning as a question the article does not answer (then nothing is answered).

mod shipped;

use citebot::matcher::MatchingConfig;
use citebot::reply::Status;

use shipped::{config as shipped_config, snapshot};

const CHATTY: &str = "my brother in law keeps texting me about the war and the drones and the \
                      news, where are the prisoners held now?";

#[test]
fn a_question_buried_in_chatter_is_answered_from_its_clause() {
    let config = shipped_config();
    let reply = snapshot(&config).ask(CHATTY);
    assert_eq!(reply.status, Status::Answered, "{reply:?}");
    assert_eq!(reply.entry_id.as_deref(), Some("taken_to_kyiv"));

    let whole_only = MatchingConfig {
        clause_words: 0,
        ..config
    };
    let reply = snapshot(&whole_only).ask(CHATTY);
    assert_ne!(
        reply.status,
        Status::Answered,
        "the whole message is answered now: pick a harder one for this test: {reply:?}"
    );
}

#[test]
fn clauses_naming_different_entries_answer_nothing() {
    // The clause reading alone: the meaning's confirmation of the whole message (a long one
    // needs only `meaning_floor_long`) may answer it with one of its questions before the
    // clauses are read.
    let config = MatchingConfig {
        meaning_floor_long: 1.0,
        ..shipped_config()
    };
    let snapshot = snapshot(&config);
    // Each question alone is answered, with a different entry.
    for (question, entry) in [
        ("where are the prisoners held now?", "taken_to_kyiv"),
        ("and how old are they", "ages"),
    ] {
        let reply = snapshot.ask(question);
        assert_eq!(reply.entry_id.as_deref(), Some(entry), "{reply:?}");
    }
    let reply = snapshot.ask(
        "my brother in law keeps texting me about the war and the drones, where are the \
         prisoners held now? and how old are they",
    );
    assert_ne!(reply.status, Status::Answered, "{reply:?}");
}

#[test]
fn a_clause_asking_what_the_article_does_not_say_stops_the_clause_reading() {
    let config = shipped_config();
    let snapshot = snapshot(&config);
    let (opening, question) = (
        "The article gives numbers for North Korean casualties,",
        "but what about the Ukrainian side?",
    );
    // The opening alone is answered; the question alone is one the article does not answer.
    assert_eq!(
        snapshot.ask(opening).entry_id.as_deref(),
        Some("casualties")
    );
    let refused = snapshot.ask(question);
    assert!(
        refused.status == Status::NoMatch && refused.not_in_article.is_some(),
        "{refused:?}"
    );
    let reply = snapshot.ask(&format!(
        "{opening} {question} How many of their own soldiers have died?"
    ));
    assert_eq!(reply.status, Status::NoMatch, "{reply:?}");
    // Chatter that merely resembles a not-in-the-article question (no question mark) does not
    // stop it.
    let reply = snapshot.ask(
        "hey so I was reading about this and I was wondering, where exactly did they catch \
         those guys?",
    );
    assert_eq!(
        reply.entry_id.as_deref(),
        Some("where_captured"),
        "{reply:?}"
    );
}

#[test]
fn a_clause_that_points_at_another_for_what_it_asks_is_not_answered_alone() {
    let config = shipped_config();
    let snapshot = snapshot(&config);
    // Alone, each of these clauses is answered: by the entry about the article, by the ages
    // of the soldiers.
    for (elsewhere, pointing, alone) in [
        (
            "A friend of mine claims the prisoners were paid a bonus by Moscow.",
            "Is there anything in the article about that?",
            "about_article",
        ),
        (
            "I keep seeing Kim Jong Un on the news at the moment, ",
            "how old is he?",
            "ages",
        ),
    ] {
        let reply = snapshot.ask(pointing);
        assert_eq!(reply.entry_id.as_deref(), Some(alone), "{reply:?}");
        let message = format!("{elsewhere} {pointing}");
        let reply = snapshot.ask(&message);
        assert_ne!(reply.status, Status::Answered, "{reply:?}");
    }
    // A clause that stands alone is still the question.
    let reply = snapshot.ask(
        "sorry if this is a dumb one, I only skimmed the news today: how old are the two \
         prisoners?",
    );
    assert_eq!(reply.entry_id.as_deref(), Some("ages"), "{reply:?}");
}

#[test]
fn a_message_whose_meaning_is_a_question_the_article_does_not_answer_is_not_read_by_clauses() {
    let config = shipped_config();
    let snapshot = snapshot(&config);
    let (opening, question) = (
        "if you had to guess,",
        "how will all of this play out for the two prisoners over the next few years?",
    );
    // The opening alone is answered (by the entry on where answers come from: "are you just
    // guessing"), but the message asks for a prediction, which its meaning reads.
    assert_eq!(
        snapshot.ask(opening).entry_id.as_deref(),
        Some("answer_sources")
    );
    let message = format!("{opening} {question}");
    let gaps: Vec<usize> = (snapshot.knowledge.entries.len()..)
        .take(snapshot.knowledge.not_in_article.len())
        .collect();
    let (gap, _) = snapshot
        .matcher
        .gap_in_meaning(&message, &gaps)
        .expect("the message is no longer nearest a group in meaning: pick another");
    let group = &snapshot.knowledge.not_in_article[gap - snapshot.knowledge.entries.len()];
    assert_eq!(group.id, "future_predictions");
    let reply = snapshot.ask(&message);
    assert_eq!(reply.status, Status::NoMatch, "{reply:?}");
    let note = reply.not_in_article.as_ref().map(|note| note.id.as_str());
    assert_eq!(note, Some("future_predictions"), "{reply:?}");
}

#[test]
fn only_a_message_of_clause_words_or_more_is_read_clause_by_clause() {
    let config = shipped_config();
    let short = "football was awful tonight, how old are they";
    assert!(short.split_whitespace().count() < config.clause_words);
    let reply = snapshot(&config).ask(short);
    assert_ne!(reply.status, Status::Answered, "{reply:?}");

    let every_message = MatchingConfig {
        clause_words: 1,
        ..config
    };
    let reply = snapshot(&every_message).ask(short);
    assert_eq!(reply.status, Status::Answered, "{reply:?}");
    assert_eq!(reply.entry_id.as_deref(), Some("ages"));
}
