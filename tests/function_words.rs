//! Questions made of function words alone ("what can you do", "who are you" without its
//! "who"): the words' reading drops every word of them, so such a question is answered only by
//! a stored question it repeats word for word, and any other gets no answer.

mod shipped;

use citebot::reply::Status;

use shipped::{config, snapshot};

#[test]
fn a_stored_question_of_function_words_is_answered_word_for_word() {
    let snapshot = snapshot(&config());
    for (question, entry) in [
        ("what can you do", "what_can_i_ask"),
        ("What can u do?", "what_can_i_ask"),
        ("what is this?", "about_article"),
        ("What's this about", "about_article"),
        // Chat spellings of the same function words.
        ("wat can u do", "what_can_i_ask"),
        ("wut is this", "about_article"),
    ] {
        let reply = snapshot.ask(question);
        assert_eq!(reply.status, Status::Answered, "{reply:?}");
        assert_eq!(reply.entry_id.as_deref(), Some(entry), "{reply:?}");
        assert!((reply.score - 1.0).abs() < f32::EPSILON, "{reply:?}");
    }
}

#[test]
fn any_other_question_of_function_words_gets_no_answer() {
    let snapshot = snapshot(&config());
    for question in [
        "lol",
        "???",
        "what do you",
        "can you do this",
        "so what",
        "is it?",
    ] {
        let reply = snapshot.ask(question);
        assert_ne!(reply.status, Status::Answered, "{question:?}: {reply:?}");
    }
}
