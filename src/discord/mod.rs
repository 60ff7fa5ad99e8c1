//! The Discord front end: citebot as a serenity bot. The only module that names serenity.
//!
//! Questions arrive as `/ask` (with autocomplete), mentions, DMs, an optional prefix, or "did
//! you mean" buttons; every one is answered from the same [`crate::engine::Snapshot::ask`] as the
//! CLI, rendered to an embed within Discord's limits, and sent with mentions switched off.
//!
//! - `client`: connecting (proxy, intents, sharding) and shutting down.
//! - `handler`: routes gateway events; `messages`: mentions, DMs, prefix; `commands/*`: one
//!   module per slash command; `buttons`: the "did you mean" buttons; `vote`: the "helpful" /
//!   "not helpful" buttons under answers; `recent`: the questions behind recent answers.
//! - `question`: one question's way (cooldowns, the log line); `cooldown`: the buckets.
//! - `render`, `card`, `limits`: a reply as a Discord message, cut to fit.
//! - `permissions`: who may use `/kb`, and where citebot answers.
//! - `send`: sending with retries on 429; `inflight`: finishing replies on shutdown.
//! - `reload`: reloading the knowledge with the log lines curators read.

pub mod bot;
pub mod buttons;
pub mod card;
pub mod client;
pub mod commands;
pub mod cooldown;
pub mod direct;
pub mod handler;
pub mod inflight;
pub mod limits;
pub mod messages;
pub mod permissions;
pub mod question;
pub mod recent;
pub mod reload;
pub mod render;
pub mod send;
pub mod vote;

pub use client::{Running, start};
pub use reload::reload;
