//! The "helpful" / "not helpful" buttons under every answer: their custom ids
//! (`citebot:vote:up:<entry>`, `citebot:vote:down:<entry>`) and what a press does: count the
//! reader's vote on that answer message (one per reader, a second press replaces the first) and
//! thank them privately. A "not helpful" also goes to the unanswered log for `citebot gaps`.
//!
//! A press is charged to the reader's `[cooldown]` like a question: each vote rewrites and syncs
//! the votes file (on a blocking thread, not the runtime's), so a reader toggling the buttons
//! is held to the same pace as one asking.

use std::time::Instant;

use serenity::all::{ComponentInteraction, Http, MessageInteractionMetadata};

use super::bot::Bot;
use super::card::{Button, Card};
use super::cooldown::UserCheck;
use super::limits;
use super::question::slow_down_voting;
use super::send::Target;
use crate::curation::log::Place;
use crate::curation::recorder::Ballot;
use crate::curation::votes::{Cast, Vote};
use crate::matcher::normalise::strip_mentions;

const UP: &str = "citebot:vote:up:";
const DOWN: &str = "citebot:vote:down:";

/// The two vote buttons for an answer from `entry_id`; none if the ids would not fit.
pub fn buttons(entry_id: &str) -> Vec<Button> {
    let make = |prefix: &str, label: &str| {
        let custom_id = format!("{prefix}{entry_id}");
        (!entry_id.is_empty() && limits::len(&custom_id) <= limits::CUSTOM_ID).then(|| Button {
            label: label.to_string(),
            custom_id,
        })
    };
    match (make(UP, "👍 Helpful"), make(DOWN, "👎 Not helpful")) {
        (Some(up), Some(down)) => vec![up, down],
        _ => Vec::new(),
    }
}

/// The vote and entry a pressed button carries.
pub fn vote_of(custom_id: &str) -> Option<(Vote, &str)> {
    let (vote, entry) = if let Some(entry) = custom_id.strip_prefix(UP) {
        (Vote::Up, entry)
    } else {
        (Vote::Down, custom_id.strip_prefix(DOWN)?)
    };
    (!entry.is_empty()).then_some((vote, entry))
}

/// A vote button was pressed.
pub async fn press(bot: &Bot, http: &Http, press: &ComponentInteraction, vote: Vote, entry: &str) {
    let target = Target::component(press);
    let Some(_working) = bot.inflight.start() else {
        let notice = "citebot is restarting; please vote again in a moment.";
        target
            .respond(http, Card::text(notice).interaction(true))
            .await;
        return;
    };
    let check = bot
        .cooldowns()
        .check_user(press.user.id.get(), Instant::now());
    if let UserCheck::Limited { retry_after, .. } = check {
        // Always answered (a press left unanswered shows "This interaction failed"), and
        // privately, so it costs the channel nothing.
        let notice = slow_down_voting(retry_after);
        target
            .respond(http, Card::text(notice).interaction(true))
            .await;
        return;
    }
    let message = &press.message;
    let via_interaction = match message.interaction_metadata.as_deref() {
        Some(MessageInteractionMetadata::Command(command)) => Some(command.id.get()),
        Some(MessageInteractionMetadata::Component(component)) => Some(component.id.get()),
        _ => None,
    };
    let remembered = bot.recent.find(
        [Some(message.id.get()), via_interaction]
            .into_iter()
            .flatten(),
    );
    let question = remembered.as_ref().map(|a| a.question.clone()).or_else(|| {
        // A reply to a mention still references the question's message.
        let referenced = message.referenced_message.as_deref()?;
        let text = strip_mentions(&referenced.content);
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        (!text.is_empty()).then_some(text)
    });
    let answer = message.id.get().to_string();
    let user = press.user.id.get();
    let score = remembered.map(|a| a.score);
    let place = Place {
        guild: press.guild_id.map(|g| g.get().to_string()),
        channel: Some(press.channel_id.get().to_string()),
    };
    let curation = std::sync::Arc::clone(&bot.curation);
    let owned_entry = entry.to_string();
    let saved = tokio::task::spawn_blocking(move || {
        curation.vote(Ballot {
            answer: &answer,
            entry: &owned_entry,
            user,
            vote,
            question,
            score,
            place,
        })
    })
    .await
    .unwrap_or_else(|stopped| Err(std::io::Error::other(stopped)));
    let text = match saved {
        Ok(cast) => {
            tracing::info!(
                entry,
                vote = if vote == Vote::Up {
                    "helpful"
                } else {
                    "not_helpful"
                },
                changed = cast == Cast::Changed,
                guild = press.guild_id.map_or(0, |g| g.get()),
                channel = press.channel_id.get(),
                "vote"
            );
            thanks(vote, cast)
        }
        Err(error) => {
            tracing::error!(%error, entry, "could not save a vote; check the folder of [log] unanswered_path is writable");
            "Sorry, I could not save your vote just now; please try again later."
        }
    };
    target
        .respond(http, Card::text(text).interaction(true))
        .await;
}

/// What the voter is told, privately.
fn thanks(vote: Vote, cast: Cast) -> &'static str {
    match (vote, cast) {
        (_, Cast::Same) => "You already voted that way on this answer; thanks.",
        (Vote::Up, Cast::New) => "Thanks! Noted as helpful.",
        (Vote::Up, Cast::Changed) => "Changed: your vote now says helpful.",
        (Vote::Down, Cast::New) => {
            "Thanks! Noted as not helpful; the curators review these to improve the answers."
        }
        (Vote::Down, Cast::Changed) => "Changed: your vote now says not helpful.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        let buttons = buttons("capture-date");
        assert_eq!(buttons.len(), 2);
        assert_eq!(buttons[0].custom_id, "citebot:vote:up:capture-date");
        assert_eq!(
            vote_of(&buttons[0].custom_id),
            Some((Vote::Up, "capture-date"))
        );
        assert_eq!(
            vote_of(&buttons[1].custom_id),
            Some((Vote::Down, "capture-date"))
        );
    }

    #[test]
    fn foreign_empty_or_oversized_ids_are_not_votes() {
        assert_eq!(vote_of("citebot:answer:capture"), None);
        assert_eq!(vote_of("citebot:vote:up:"), None);
        assert_eq!(vote_of("citebot:vote:sideways:x"), None);
        assert!(buttons("").is_empty());
        assert!(buttons(&"a".repeat(82)).len() == 2);
        assert!(buttons(&"a".repeat(83)).is_empty());
    }
}
