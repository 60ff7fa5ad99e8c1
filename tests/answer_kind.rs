//! "How many...?" is answered only by an entry whose answer gives a count, "when...?" only by
//! one that names a time: the words of "how many interpreters are there" find the entry about
//! interpreters, whose answer counts nothing.

mod shipped;

use citebot::reply::Status;

use shipped::{assert_answered, check_with_question, config, snapshot};

#[test]
fn a_count_is_not_answered_by_an_entry_that_gives_none() {
    let snapshot = snapshot(&config());
    // The same words, not asking for a count, get the entry...
    assert_answered(&snapshot, "are there interpreters", "interpreters");
    // ...asking how many, they do not, and the entry is offered.
    let reply = snapshot.ask("how many interpreters are there");
    assert_ne!(reply.status, Status::Answered, "{reply:?}");
    assert!(
        reply
            .suggestions
            .iter()
            .any(|s| s.entry_id == "interpreters"),
        "{reply:?}"
    );
    // A count the article gives is answered.
    assert_answered(
        &snapshot,
        "how many soldiers did ukraine capture",
        "how_many",
    );
}

#[test]
fn a_time_is_not_answered_by_an_entry_that_names_none() {
    let snapshot = snapshot(&config());
    let reply = snapshot.ask("when will the journalists get to see them");
    assert_ne!(reply.status, Status::Answered, "{reply:?}");
    assert!(
        reply
            .suggestions
            .iter()
            .any(|s| s.entry_id == "journalists_access"),
        "{reply:?}"
    );
    // A time the article gives is answered.
    assert_answered(&snapshot, "when was the capture announced", "announcement");
}

#[test]
fn check_refuses_a_count_in_an_entry_whose_answer_gives_none() {
    let rendered = check_with_question(
        "How are the prisoners being questioned?",
        "how many interpreters do they have",
    );
    assert!(rendered.contains("error[answer-lacks-kind]"), "{rendered}");
    assert!(
        rendered.contains("how many interpreters do they have"),
        "{rendered}"
    );
    // The note gives the rule for a count, not every kind's.
    assert!(rendered.contains("counting word"), "{rendered}");
    assert!(!rendered.contains("colour"), "{rendered}");
}

#[test]
fn a_side_a_day_or_a_place_is_not_answered_by_an_entry_that_names_none() {
    let snapshot = snapshot(&config());
    for (question, offered) in [
        ("which leg is broken?", "injuries"),
        (
            "what day in late december was the other one caught",
            "earlier_capture",
        ),
        ("where was the soldier with the bandaged arms born?", "ages"),
    ] {
        let reply = snapshot.ask(question);
        assert_ne!(reply.status, Status::Answered, "{question:?}: {reply:?}");
        assert!(
            reply.suggestions.iter().any(|s| s.entry_id == offered),
            "{question:?}: {reply:?}"
        );
    }
    // The same details, asked in words the article answers, are answered.
    assert_answered(&snapshot, "which soldier has the broken leg", "injuries");
    assert_answered(&snapshot, "where were they taken?", "taken_to_kyiv");
    // "Both arms bandaged" tells which arm.
    assert_answered(&snapshot, "which arm is bandaged?", "injuries");
    assert_answered(
        &snapshot,
        "when was the other one caught in december",
        "earlier_capture",
    );
}
