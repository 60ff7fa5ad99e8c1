//! Steps every end-to-end scenario takes: a fake Discord with a ready `citebot run` on it, a
//! failure that shows the bot's log, and the bot's message for an interaction.

use std::time::Duration;

use serde_json::Value;

use super::{BotProcess, BotSetup, FakeDiscord};

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
