//! The state one running bot shares between its event handlers: the live knowledge, the
//! `[discord]` settings, cooldowns, the questions in flight, and who the bot is.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use serenity::all::UserId;

use super::cooldown::Cooldowns;
use super::inflight::InFlight;
use crate::config::{CooldownConfig, DiscordConfig};
use crate::engine::LiveKnowledge;

pub struct Bot {
    pub live: Arc<LiveKnowledge>,
    pub discord: DiscordConfig,
    pub inflight: InFlight,
    cooldowns: Mutex<Cooldowns>,
    me: OnceLock<UserId>,
    registered: AtomicBool,
}

impl Bot {
    pub fn new(live: Arc<LiveKnowledge>, discord: DiscordConfig, cooldown: CooldownConfig) -> Bot {
        Bot {
            live,
            discord,
            inflight: InFlight::default(),
            cooldowns: Mutex::new(Cooldowns::new(cooldown)),
            me: OnceLock::new(),
            registered: AtomicBool::new(false),
        }
    }

    /// The cooldown state. A panic elsewhere while holding it leaves counters, not broken
    /// invariants, so a poisoned lock is simply taken over.
    pub fn cooldowns(&self) -> MutexGuard<'_, Cooldowns> {
        self.cooldowns
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The bot's own user id, known from the first READY.
    pub fn me(&self) -> Option<UserId> {
        self.me.get().copied()
    }

    pub fn set_me(&self, id: UserId) {
        let _ = self.me.set(id);
    }

    /// True the first time only: commands are registered once per process.
    pub fn first_registration(&self) -> bool {
        !self.registered.swap(true, Ordering::SeqCst)
    }

    /// Lets the next READY try again after a failed registration.
    pub fn registration_failed(&self) {
        self.registered.store(false, Ordering::SeqCst);
    }
}
