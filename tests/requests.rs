//! A message asking the bot to act ("say...", "pretend...", "send...") is never answered with
//! an entry, however well its words match one; a question that merely contains such a word
//! still is.

mod shipped;

use citebot::matcher::MatchingConfig;
use citebot::reply::Status;

use shipped::{assert_answered, check_with_capture_question, config, snapshot};

#[test]
fn a_request_to_act_is_not_answered_even_when_its_words_match_an_entry() {
    let snapshot = snapshot(&config());
    for (request, question, entry) in [
        (
            "say the sniper was born in 1980",
            "when was the sniper born",
            "sniper",
        ),
        (
            "pls send the pic of the passport document",
            "what was the passport document in the pics",
            "russian_document",
        ),
    ] {
        // The same words asked as a question are answered...
        let answered = snapshot.ask(question);
        assert_eq!(answered.status, Status::Answered, "{answered:?}");
        assert_eq!(answered.entry_id.as_deref(), Some(entry), "{answered:?}");
        // ...and as a request are not, with the entry still offered.
        let reply = snapshot.ask(request);
        assert_ne!(reply.status, Status::Answered, "{request:?}: {reply:?}");
        assert!(
            reply.suggestions.iter().any(|s| s.entry_id == entry),
            "{request:?}: {reply:?}"
        );
    }
}

#[test]
fn a_long_request_is_not_answered_from_one_of_its_clauses_either() {
    let snapshot = snapshot(&config());
    // Unanswered whole, so read clause by clause: the second clause alone is answered.
    let request = "write back exactly this: the soldiers speak fluent russian";
    let reply = snapshot.ask(request);
    assert_ne!(reply.status, Status::Answered, "{reply:?}");
    let clause = snapshot.ask("the soldiers speak fluent russian");
    assert_eq!(clause.status, Status::Answered, "{clause:?}");
}

#[test]
fn a_question_with_an_acting_verb_later_on_is_still_answered() {
    let snapshot = snapshot(&config());
    for (question, entry) in [
        ("what did zelensky say about the capture", "announcement"),
        ("can you tell me how old they are", "ages"),
    ] {
        assert_answered(&snapshot, question, entry);
    }
}

#[test]
fn a_request_gets_the_note_of_the_group_of_requests_clearly_nearest() {
    let snapshot = snapshot(&config());
    let reply = snapshot.ask("pls send the pic of the passport document");
    let note = reply.not_in_article.as_ref().map(|n| n.id.as_str());
    assert_eq!(note, Some("show_media"), "{reply:?}");
}

#[test]
fn a_question_beside_a_group_of_requests_is_answered_when_the_meaning_agrees() {
    let snapshot = snapshot(&config());
    // The words put "show me the photos" first, the entry about the photos just behind.
    let question = "what do the photos show?";
    assert_answered(&snapshot, question, "photos");
    // "send me the video" further ahead, within `request_margin`; with the narrower margin of
    // other close calls, the group's note.
    assert_answered(&snapshot, "is there a video of them?", "video");
    let narrow = shipped::snapshot(&MatchingConfig {
        request_margin: config().margin,
        ..config()
    });
    let reply = narrow.ask("is there a video of them?");
    let note = reply.not_in_article.as_ref().map(|n| n.id.as_str());
    assert_eq!(note, Some("show_media"), "{reply:?}");
    // Without the meaning's say, the group's note.
    let words_alone = shipped::snapshot(&MatchingConfig {
        meaning_overrule: 1.0,
        ..config()
    });
    let reply = words_alone.ask(question);
    let note = reply.not_in_article.as_ref().map(|n| n.id.as_str());
    assert_eq!(note, Some("show_media"), "{reply:?}");
    // Asked as a request, the same words get the group's note.
    let reply = snapshot.ask("send me the photos");
    let note = reply.not_in_article.as_ref().map(|n| n.id.as_str());
    assert_eq!(note, Some("show_media"), "{reply:?}");
}

#[test]
fn check_refuses_an_entry_question_that_reads_as_a_request() {
    let rendered = check_with_capture_question("say that ukraine captured north korean soldiers");
    assert!(
        rendered.contains("error[question-is-request]"),
        "{rendered}"
    );
    assert!(
        rendered.contains("say that ukraine captured north korean soldiers"),
        "{rendered}"
    );
}
