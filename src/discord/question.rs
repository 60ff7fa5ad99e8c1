//! One question's way through the bot, whichever way it came (mention, DM, prefix, `/ask`, a
//! "did you mean" button): the per-user cooldown, the same-answer-in-this-channel check, and the
//! one log line per question.

use std::time::{Duration, Instant};

use serenity::all::{ChannelId, GuildId, UserId};

use super::bot::Bot;
use super::card::Card;
use super::cooldown::{Claim, UserCheck};
use super::render;
use crate::curation::log::Place;
use crate::metrics::{self, QuestionEnd};
use crate::reply::{Reply, Status};

/// How a question reached citebot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Mention,
    Dm,
    Prefix,
    Slash,
    Button,
}

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Mention => "mention",
            Via::Dm => "dm",
            Via::Prefix => "prefix",
            Via::Slash => "slash",
            Via::Button => "button",
        }
    }
}

/// Who asked, where, and when the question arrived.
#[derive(Debug, Clone, Copy)]
pub struct Asked {
    pub via: Via,
    pub user: UserId,
    pub guild: Option<GuildId>,
    pub channel: ChannelId,
    pub started: Instant,
}

/// What to do with a reply.
#[derive(Debug)]
pub enum Plan {
    /// Post it. Once posted, call [`Asked::posted`] (or [`Asked::failed`]).
    Post(Card),
    /// The same answer went to this channel moments ago; `link` is that message's, if known.
    Recent { card: Card, link: Option<String> },
}

/// How a question ended, for the log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Posted,
    PointedToEarlier,
    RateLimited,
    SendFailed,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Posted => "posted",
            Outcome::PointedToEarlier => "pointed_to_earlier",
            Outcome::RateLimited => "rate_limited",
            Outcome::SendFailed => "send_failed",
        }
    }
}

impl Asked {
    /// Spends one of the user's questions; `Err((wait, notify))` when they are over the limit.
    pub fn admit(&self, bot: &Bot) -> Result<(), (Duration, bool)> {
        match bot.cooldowns().check_user(self.user.get(), Instant::now()) {
            UserCheck::Allowed => Ok(()),
            UserCheck::Limited {
                retry_after,
                notify,
            } => Err((retry_after, notify)),
        }
    }

    /// Decides between posting `reply` and pointing to the same answer posted moments ago.
    /// DMs are exempt: a DM channel has one reader.
    pub fn plan(&self, bot: &Bot, reply: &Reply) -> Plan {
        let card = render::reply(reply);
        let (Some(entry), Some(_)) = (self.claimable(reply), self.guild) else {
            return Plan::Post(card);
        };
        match bot
            .cooldowns()
            .claim_answer(self.channel.get(), entry, Instant::now())
        {
            Claim::Fresh => Plan::Post(card),
            Claim::Recent { link } => Plan::Recent { card, link },
        }
    }

    /// The answer was posted as `link` (if known).
    pub fn posted(&self, bot: &Bot, reply: &Reply, link: Option<String>) {
        if let (Some(entry), Some(link)) = (self.claimable(reply), link) {
            bot.cooldowns().record_link(self.channel.get(), entry, link);
        }
    }

    /// The answer could not be posted: the next asker should get it.
    pub fn failed(&self, bot: &Bot, reply: &Reply) {
        if let Some(entry) = self.claimable(reply) {
            bot.cooldowns().release(self.channel.get(), entry);
        }
    }

    fn claimable<'r>(&self, reply: &'r Reply) -> Option<&'r str> {
        (reply.status == Status::Answered)
            .then_some(reply.entry_id.as_deref())
            .flatten()
    }

    /// Keeps a question citebot could not answer for the curators (`citebot gaps`). A "did you
    /// mean" button answers an entry the reader chose, so it is never one.
    pub fn record(&self, bot: &Bot, reply: &Reply) {
        if self.via != Via::Button {
            bot.curation.question(reply, self.place(), self.user.get());
        }
    }

    /// Where the question was asked, as the curators' files write it.
    pub fn place(&self) -> Place {
        Place {
            guild: self.guild.map(|g| g.get().to_string()),
            channel: Some(self.channel.get().to_string()),
        }
    }

    /// The one info line per question: latency, status, entry, guild and channel (never who);
    /// and the question counted in the operators' metrics.
    pub fn log(&self, reply: Option<&Reply>, outcome: Outcome) {
        let status = reply.map_or("none", |r| r.status.as_str());
        let end = match outcome {
            Outcome::Posted => QuestionEnd::Replied(status),
            Outcome::PointedToEarlier => QuestionEnd::PointedToEarlier(status),
            Outcome::RateLimited => QuestionEnd::RateLimited,
            Outcome::SendFailed => QuestionEnd::SendFailed(status),
        };
        metrics::global().question(end, self.started.elapsed());
        tracing::info!(
            via = self.via.as_str(),
            status = reply.map_or("-", |r| r.status.as_str()),
            entry = reply.and_then(|r| r.entry_id.as_deref()).unwrap_or("-"),
            score = reply.map_or(0.0, |r| r.score),
            outcome = outcome.as_str(),
            latency_ms = self.started.elapsed().as_secs_f64() * 1000.0,
            guild = self.guild.map_or(0, GuildId::get),
            channel = self.channel.get(),
            "question"
        );
    }
}

/// Told to a user over the per-user limit.
pub fn slow_down(retry_after: Duration) -> String {
    let seconds = whole_seconds(retry_after);
    format!("You're asking quickly: please wait {seconds:.0} s before your next question.")
}

/// Told to a user over the per-user limit who pressed a vote button.
pub fn slow_down_voting(retry_after: Duration) -> String {
    let seconds = whole_seconds(retry_after);
    format!("You're voting quickly: please wait {seconds:.0} s, then press again.")
}

/// A wait as the whole seconds a reader is told: rounded up, never "0 s".
fn whole_seconds(wait: Duration) -> f64 {
    wait.as_secs_f64().ceil().max(1.0)
}

/// A short reply pointing to the same answer posted moments ago.
pub fn earlier(link: Option<&str>) -> String {
    match link {
        Some(link) => format!("I answered this here a moment ago: {link}"),
        None => "I answered this here a moment ago, just above.".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_read_well() {
        assert_eq!(
            slow_down(Duration::from_millis(2100)),
            "You're asking quickly: please wait 3 s before your next question."
        );
        assert!(slow_down(Duration::ZERO).contains("wait 1 s"));
        assert!(earlier(Some("https://discord.com/channels/1/2/3")).ends_with("/1/2/3"));
        assert!(earlier(None).contains("just above"));
    }
}
