//! Test support: a fake Discord on loopback ([`FakeDiscord`]) and a runner for the real
//! `citebot run` binary pointed at it ([`BotProcess`]).
//!
//! Included by test files and the load bench with `mod support;`. Each includer uses a different
//! part, hence the `dead_code` allowance.
#![allow(dead_code, unused_imports)]

pub mod bot;
pub mod expect;
pub mod gateway;
pub mod inspect;
pub mod intents;
pub mod payloads;
pub mod rest;
pub mod scenario;
pub mod server;
pub mod world;

#[cfg(test)]
mod validate;

pub use bot::{BotProcess, BotSetup, Shards};
pub use payloads::Origin;
pub use rest::Call;
pub use server::FakeDiscord;
