//! Steps every end-to-end scenario takes: a fake Discord with a ready `citebot run` on it, a
//! failure that shows the bot's log, the bot's message for an interaction, and asking by mention
//! and checking the answer against the core.

use std::time::Duration;

use citebot::engine::Snapshot;
use citebot::reply::Reply;
use serde_json::Value;

use super::inspect::{contains_passage, pings_nobody, references, text_of};
use super::{BotProcess, BotSetup, Call, FakeDiscord, Origin};

/// A fake Discord and a `citebot run` connected to it, ready (commands registered).
pub async fn start_bot(setup: &BotSetup, patience: Duration) -> (FakeDiscord, BotProcess) {
    let fake = FakeDiscord::start()
        .await
        .expect("bind the fake on loopback");
    let mut bot = BotProcess::start(&fake, setup).expect("spawn citebot run");
    bot.wait_ready(&fake, patience).await;
    (fake, bot)
}

/// Panics with `what` and the bot's log.
pub fn fail(bot: &BotProcess, what: &str) -> ! {
    panic!("{what}\n--- citebot log ---\n{}", bot.log())
}

/// The bot's message for an interaction: the callback's `data` when it answered at once (type 4,
/// 7 or 8), else the follow-up or the edit of the original after a deferral (type 5 or 6).
pub async fn interaction_reply(
    fake: &FakeDiscord,
    bot: &BotProcess,
    (id, token): &(u64, String),
    patience: Duration,
) -> Value {
    let callback = fake
        .wait_for_call(patience, |c| c.is_callback(*id) && c.succeeded())
        .await
        .unwrap_or_else(|| fail(bot, &format!("no response to interaction {id}")));
    match callback.body["type"].as_u64() {
        Some(4 | 7 | 8) => callback.body["data"].clone(),
        Some(5 | 6) => {
            let later = fake
                .wait_for_call(patience, |c| {
                    c.is_webhook_for(token) && c.succeeded() && c.method != "DELETE"
                })
                .await
                .unwrap_or_else(|| fail(bot, &format!("deferred interaction {id} never answered")));
            later.body
        }
        other => fail(
            bot,
            &format!("unexpected interaction response type {other:?}"),
        ),
    }
}

/// A reader's message, dispatched to the shard that owns its guild; panics if no shard does.
pub fn ask(fake: &FakeDiscord, bot: &BotProcess, from: Origin, content: &str) -> u64 {
    fake.send_message(from, content)
        .unwrap_or_else(|| fail(bot, "no gateway session to dispatch to"))
}

/// The bot's successful message replying to the message `question` in `channel_id`.
pub async fn reply_to(
    fake: &FakeDiscord,
    bot: &BotProcess,
    channel_id: u64,
    question: u64,
    patience: Duration,
) -> Call {
    let found = fake
        .wait_for_call(patience, |c| {
            c.is_channel_message(channel_id) && c.succeeded() && references(&c.body, question)
        })
        .await;
    found.unwrap_or_else(|| {
        fail(
            bot,
            &format!("no reply to message {question} in {channel_id}"),
        )
    })
}

/// An entry's canonical question, with the core's reply to it (which must answer that entry).
pub fn canonical(snapshot: &Snapshot, index: usize) -> (String, Reply) {
    let entry = &snapshot.knowledge.entries[index % snapshot.knowledge.entries.len()];
    let question = entry.questions[0].clone();
    let reply = snapshot.ask(&question);
    assert_eq!(
        reply.entry_id.as_deref(),
        Some(entry.id.as_str()),
        "the core does not answer {question:?} with its own entry"
    );
    (question, reply)
}

/// Asks `content` from `from` and checks the bot's reply in that channel answers as `expected`.
pub async fn answered(
    fake: &FakeDiscord,
    bot: &BotProcess,
    from: Origin,
    content: &str,
    expected: &Reply,
    patience: Duration,
) {
    let asked = ask(fake, bot, from, content);
    let reply = reply_to(fake, bot, from.channel_id, asked, patience).await;
    assert_answers(bot, &reply.body, expected);
}

/// Entry `index`'s canonical question, asked from `from` (by mention in a guild, as is in a
/// DM), gets the core's answer.
pub async fn canonical_answered(
    fake: &FakeDiscord,
    bot: &BotProcess,
    from: Origin,
    index: usize,
    patience: Duration,
) {
    let snapshot = super::expect::snapshot(&bot.config_path());
    let (question, expected) = canonical(&snapshot, index);
    let content = match from.guild_id {
        Some(_) => super::payloads::mention_bot(&question),
        None => question,
    };
    answered(fake, bot, from, &content, &expected, patience).await;
}

/// The reply's text carries the core's answer and its first excerpt, verbatim, and pings nobody.
pub fn assert_answers(bot: &BotProcess, body: &Value, expected: &Reply) {
    let text = text_of(body);
    let answer = expected.answer.as_deref().unwrap_or_default();
    if !contains_passage(&text, answer) {
        fail(
            bot,
            &format!("the reply lacks the answer {answer:?}; it says:\n{text}"),
        );
    }
    if let Some(excerpt) = expected.excerpts.first()
        && !contains_passage(&text, &excerpt.text)
    {
        fail(
            bot,
            &format!(
                "the reply lacks the excerpt {:?}; it says:\n{text}",
                excerpt.text
            ),
        );
    }
    if !pings_nobody(body) {
        fail(
            bot,
            &format!("the reply may ping someone: {}", body["allowed_mentions"]),
        );
    }
}

/// The bot's `qa.toml` (its path and text), which must hold `answer` verbatim for a test to
/// edit it.
pub fn qa_holding(bot: &BotProcess, answer: &str) -> (std::path::PathBuf, String) {
    let qa = bot.knowledge_dir().join("qa.toml");
    let original = std::fs::read_to_string(&qa).expect("read the test's qa.toml");
    assert!(
        original.contains(answer),
        "the answer is not written verbatim in qa.toml"
    );
    (qa, original)
}
