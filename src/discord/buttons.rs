//! The "did you mean" buttons: their custom ids (`citebot:answer:<entry id>`, written by the
//! renderer) and what pressing one does: answer that entry, like `/ask` would. Vote buttons
//! (`citebot:vote:...`) are routed to `vote.rs`.

use std::time::Instant;

use serenity::all::{ComponentInteraction, Http};

use super::bot::Bot;
use super::commands::ask;
use super::limits;
use super::question::{Asked, Via};
use super::send::Target;
use super::vote;

const ANSWER: &str = "citebot:answer:";

/// The custom id of a button answering `entry_id`, if it fits Discord's 100-character limit
/// (a cut id would answer the wrong entry, so none is better).
pub fn answer_id(entry_id: &str) -> Option<String> {
    let id = format!("{ANSWER}{entry_id}");
    (!entry_id.is_empty() && limits::len(&id) <= limits::CUSTOM_ID).then_some(id)
}

/// The entry a pressed button asks for.
pub fn entry_of(custom_id: &str) -> Option<&str> {
    custom_id.strip_prefix(ANSWER).filter(|id| !id.is_empty())
}

/// A button was pressed.
pub async fn press(bot: &Bot, http: &Http, press: &ComponentInteraction) {
    if let Some((choice, entry)) = vote::vote_of(&press.data.custom_id) {
        return vote::press(bot, http, press, choice, entry).await;
    }
    let Some(entry) = entry_of(&press.data.custom_id) else {
        tracing::debug!(custom_id = %press.data.custom_id, "a button that is not citebot's");
        return;
    };
    let asked = Asked {
        via: Via::Button,
        user: press.user.id,
        guild: press.guild_id,
        channel: press.channel_id,
        started: Instant::now(),
    };
    let target = Target::component(press);
    ask::answer(bot, http, target, asked, |snapshot| {
        snapshot.answer_entry(entry)
    })
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        let id = answer_id("capture-date").unwrap();
        assert_eq!(id, "citebot:answer:capture-date");
        assert_eq!(entry_of(&id), Some("capture-date"));
    }

    #[test]
    fn foreign_or_empty_ids_are_not_entries() {
        assert_eq!(entry_of("other:answer:x"), None);
        assert_eq!(entry_of("citebot:answer:"), None);
        assert_eq!(answer_id(""), None);
    }

    #[test]
    fn ids_that_would_not_fit_are_refused() {
        assert!(answer_id(&"a".repeat(85)).is_some());
        assert!(answer_id(&"a".repeat(86)).is_none());
    }
}
