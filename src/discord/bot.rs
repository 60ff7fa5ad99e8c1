//! The state one running bot shares between its event handlers: the live knowledge, the
//! `[discord]` settings, cooldowns, the questions in flight, who the bot is, and what it keeps
//! for curators (unanswered questions, votes, the questions behind recent answers).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use serenity::all::UserId;

use super::cooldown::Cooldowns;
use super::inflight::InFlight;
use super::recent::RecentAnswers;
use crate::config::{CooldownConfig, DiscordConfig};
use crate::curation::Recorder;
use crate::engine::LiveKnowledge;

pub struct Bot {
    pub live: Arc<LiveKnowledge>,
    pub discord: DiscordConfig,
    pub inflight: InFlight,
    pub curation: Arc<Recorder>,
    pub recent: RecentAnswers,
    cooldowns: Mutex<Cooldowns>,
    me: OnceLock<UserId>,
    registered: AtomicBool,
}

impl Bot {
    pub fn new(
        live: Arc<LiveKnowledge>,
        discord: DiscordConfig,
        cooldown: CooldownConfig,
        curation: Arc<Recorder>,
    ) -> Bot {
        Bot {
            live,
            discord,
            inflight: InFlight::default(),
            curation,
            recent: RecentAnswers::default(),
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
