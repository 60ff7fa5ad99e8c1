//! A question about the bot itself ("how old are you", "who made you") is never answered with
//! the article's facts, however well its words match them; a question about the article that
//! addresses the bot ("can you tell me how old they are") still is, and so is a question about
//! the bot that an entry about the bot answers ("where do your answers come from?").

mod shipped;

use citebot::reply::Status;

use shipped::{assert_answered, check_with_capture_question, config, snapshot};

#[test]
fn a_question_about_the_bot_is_not_answered_with_the_articles_facts() {
    let snapshot = snapshot(&config());
    for (to_the_bot, about_the_article, entry) in [
        ("how old are you", "how old are they", "ages"),
        ("who made you", "who made the announcement", "announcement"),
    ] {
        // The same words about the article are answered...
        let answered = snapshot.ask(about_the_article);
        assert_eq!(answered.status, Status::Answered, "{answered:?}");
        assert_eq!(answered.entry_id.as_deref(), Some(entry), "{answered:?}");
        // ...and about the bot are not, with the entry still offered.
        let reply = snapshot.ask(to_the_bot);
        assert_eq!(reply.status, Status::NoMatch, "{to_the_bot:?}: {reply:?}");
        assert!(
            reply.suggestions.iter().any(|s| s.entry_id == entry),
            "{to_the_bot:?}: {reply:?}"
        );
    }
}

#[test]
fn the_bot_is_asked_about_the_article_and_about_itself_by_the_entries_that_say() {
    let snapshot = snapshot(&config());
    for (question, entry) in [
        ("can you tell me how old the soldiers are", "ages"),
        ("do you know who captured the north koreans", "capture"),
        ("where do your answers come from?", "answer_sources"),
        ("what can you do", "what_can_i_ask"),
    ] {
        assert_answered(&snapshot, question, entry);
    }
}

#[test]
fn check_refuses_an_entry_question_about_the_bot_in_an_entry_about_the_article() {
    let rendered = check_with_capture_question("did you capture north korean soldiers?");
    assert!(
        rendered.contains("error[question-to-the-bot]"),
        "{rendered}"
    );
    assert!(
        rendered.contains("did you capture north korean soldiers?"),
        "{rendered}"
    );
}
