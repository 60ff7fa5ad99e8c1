//! citebot: answers questions about one news article from a curated knowledge file, and always
//! shows its sources.
//!
//! The crate is a platform-neutral core ([`knowledge`], [`matcher`], [`reply`], [`engine`]) with
//! thin front ends over it: [`cli`] for the terminal and [`discord`] for Discord; [`metrics`] is
//! what operators scrape. Only `discord` names serenity; everything else could serve any chat
//! platform. See `ARCHITECTURE.md` at the repository root for a map.

pub mod cli;
pub mod config;
pub mod curation;
pub mod discord;
pub mod engine;
pub mod eval;
pub mod knowledge;
pub mod logging;
pub mod matcher;
pub mod metrics;
pub mod reply;
pub mod synthetic;
