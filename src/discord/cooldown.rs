//! Cooldowns, so citebot stays a good citizen of busy channels:
//!
//! - per user, a token bucket: a burst of `user_burst` questions, then one every
//!   `user_refill_seconds`; a user over the limit is told once per wait, not on every message;
//! - per channel and entry: the same answer posted in the same channel within
//!   `same_answer_seconds` is not posted again; the caller points to the earlier reply instead.
//!
//! Time is passed in, so tests need no sleeping. Idle state is swept now and then, so memory
//! stays flat however many users pass by.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::config::CooldownConfig;

/// Sweep idle state once every this many checks.
const SWEEP_EVERY: u32 = 1024;

/// Whether a user may ask now.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum UserCheck {
    Allowed,
    /// Over the limit. `notify` is true only the first time in a wait, so a user who keeps
    /// asking gets one notice, not one per message.
    Limited {
        retry_after: Duration,
        notify: bool,
    },
}

/// Whether an answer should be posted in a channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// Post it (the claim is recorded; call [`Cooldowns::record_link`] once posted).
    Fresh,
    /// Posted here moments ago; `link` is that message's, when known.
    Recent { link: Option<String> },
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
    notified: bool,
}

#[derive(Debug)]
struct Posted {
    at: Instant,
    link: Option<String>,
}

/// The cooldown state of one bot.
#[derive(Debug)]
pub struct Cooldowns {
    config: CooldownConfig,
    users: HashMap<u64, Bucket>,
    answers: HashMap<(u64, String), Posted>,
    checks: u32,
}

impl Cooldowns {
    pub fn new(config: CooldownConfig) -> Cooldowns {
        Cooldowns {
            config,
            users: HashMap::new(),
            answers: HashMap::new(),
            checks: 0,
        }
    }

    /// Spends one of `user`'s questions, if they have one.
    pub fn check_user(&mut self, user: u64, now: Instant) -> UserCheck {
        if self.config.user_burst == 0 {
            return UserCheck::Allowed;
        }
        self.maybe_sweep(now);
        let burst = f64::from(self.config.user_burst);
        let refill = self.config.user_refill_seconds;
        let bucket = self.users.entry(user).or_insert(Bucket {
            tokens: burst,
            at: now,
            notified: false,
        });
        let earned = now.saturating_duration_since(bucket.at).as_secs_f64() / refill;
        bucket.tokens = (bucket.tokens + earned).min(burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            bucket.notified = false;
            UserCheck::Allowed
        } else {
            // The config bounds refill; a Duration that still could not hold it waits "forever".
            let retry_after = Duration::try_from_secs_f64((1.0 - bucket.tokens) * refill)
                .unwrap_or(Duration::MAX);
            let notify = !bucket.notified;
            bucket.notified = true;
            UserCheck::Limited {
                retry_after,
                notify,
            }
        }
    }

    /// Claims posting `entry` in `channel` now, unless it was posted there within the window.
    pub fn claim_answer(&mut self, channel: u64, entry: &str, now: Instant) -> Claim {
        let Some(window) = self.window() else {
            return Claim::Fresh;
        };
        self.maybe_sweep(now);
        let key = (channel, entry.to_string());
        if let Some(posted) = self.answers.get(&key)
            && now.saturating_duration_since(posted.at) < window
        {
            return Claim::Recent {
                link: posted.link.clone(),
            };
        }
        self.answers.insert(
            key,
            Posted {
                at: now,
                link: None,
            },
        );
        Claim::Fresh
    }

    /// Remembers where a claimed answer was posted, for pointing to it.
    pub fn record_link(&mut self, channel: u64, entry: &str, link: String) {
        if let Some(posted) = self.answers.get_mut(&(channel, entry.to_string())) {
            posted.link = Some(link);
        }
    }

    /// Gives a claim back (the answer could not be posted), so the next asker gets it.
    pub fn release(&mut self, channel: u64, entry: &str) {
        self.answers.remove(&(channel, entry.to_string()));
    }

    fn window(&self) -> Option<Duration> {
        (self.config.same_answer_seconds > 0)
            .then(|| Duration::from_secs(self.config.same_answer_seconds))
    }

    /// Forgets users whose bucket has refilled (they are as new) and answers out of the window.
    fn maybe_sweep(&mut self, now: Instant) {
        self.checks = self.checks.wrapping_add(1);
        if !self.checks.is_multiple_of(SWEEP_EVERY) {
            return;
        }
        let refill_all = f64::from(self.config.user_burst) * self.config.user_refill_seconds;
        self.users.retain(|_, bucket| {
            now.saturating_duration_since(bucket.at).as_secs_f64() < refill_all
        });
        let window = self.window().unwrap_or_default();
        self.answers
            .retain(|_, posted| now.saturating_duration_since(posted.at) < window);
    }

    /// How many users and answers are remembered (for tests of the sweep).
    pub fn remembered(&self) -> (usize, usize) {
        (self.users.len(), self.answers.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(burst: u32, refill: f64, window: u64) -> CooldownConfig {
        CooldownConfig {
            user_burst: burst,
            user_refill_seconds: refill,
            same_answer_seconds: window,
        }
    }

    fn secs(s: f64) -> Duration {
        Duration::from_secs_f64(s)
    }

    #[test]
    fn a_burst_then_one_question_per_refill() {
        let mut cooldowns = Cooldowns::new(config(5, 3.0, 60));
        let t0 = Instant::now();
        for i in 0..5 {
            assert_eq!(
                cooldowns.check_user(7, t0),
                UserCheck::Allowed,
                "question {i}"
            );
        }
        let UserCheck::Limited {
            retry_after,
            notify,
        } = cooldowns.check_user(7, t0)
        else {
            panic!("the sixth question at once must be limited");
        };
        assert!(notify);
        assert_eq!(retry_after, secs(3.0));
        // Another user is not affected.
        assert_eq!(cooldowns.check_user(8, t0), UserCheck::Allowed);
        // 1.5 s later: half a token, still limited, and no second notice.
        match cooldowns.check_user(7, t0 + secs(1.5)) {
            UserCheck::Limited {
                retry_after,
                notify,
            } => {
                assert!(!notify);
                assert!(
                    (retry_after.as_secs_f64() - 1.5).abs() < 1e-6,
                    "{retry_after:?}"
                );
            }
            other => panic!("{other:?}"),
        }
        // 3 s after the burst: one more question, then limited again, with a fresh notice.
        assert_eq!(cooldowns.check_user(7, t0 + secs(3.0)), UserCheck::Allowed);
        assert!(matches!(
            cooldowns.check_user(7, t0 + secs(3.0)),
            UserCheck::Limited { notify: true, .. }
        ));
    }

    /// A refill no Duration can hold (the config refuses it; this holds without the config).
    #[test]
    fn an_unrepresentable_wait_limits_without_panicking() {
        let mut cooldowns = Cooldowns::new(config(1, 1e20, 60));
        let t0 = Instant::now();
        assert_eq!(cooldowns.check_user(7, t0), UserCheck::Allowed);
        assert!(matches!(
            cooldowns.check_user(7, t0),
            UserCheck::Limited {
                retry_after: Duration::MAX,
                notify: true
            }
        ));
    }

    #[test]
    fn the_bucket_refills_to_the_burst_and_no_further() {
        let mut cooldowns = Cooldowns::new(config(2, 1.0, 60));
        let t0 = Instant::now();
        assert_eq!(cooldowns.check_user(1, t0), UserCheck::Allowed);
        assert_eq!(cooldowns.check_user(1, t0), UserCheck::Allowed);
        let later = t0 + secs(100.0);
        assert_eq!(cooldowns.check_user(1, later), UserCheck::Allowed);
        assert_eq!(cooldowns.check_user(1, later), UserCheck::Allowed);
        assert!(matches!(
            cooldowns.check_user(1, later),
            UserCheck::Limited { .. }
        ));
    }

    #[test]
    fn a_zero_burst_means_no_limit() {
        let mut cooldowns = Cooldowns::new(config(0, 3.0, 60));
        let t0 = Instant::now();
        for _ in 0..1000 {
            assert_eq!(cooldowns.check_user(1, t0), UserCheck::Allowed);
        }
        assert_eq!(cooldowns.remembered().0, 0);
    }

    #[test]
    fn the_same_answer_in_a_channel_points_to_the_first() {
        let mut cooldowns = Cooldowns::new(config(5, 3.0, 60));
        let t0 = Instant::now();
        assert_eq!(cooldowns.claim_answer(10, "capture", t0), Claim::Fresh);
        // Asked again before the first reply was even posted.
        assert_eq!(
            cooldowns.claim_answer(10, "capture", t0 + secs(0.1)),
            Claim::Recent { link: None }
        );
        cooldowns.record_link(10, "capture", "https://discord.com/channels/1/10/99".into());
        assert_eq!(
            cooldowns.claim_answer(10, "capture", t0 + secs(30.0)),
            Claim::Recent {
                link: Some("https://discord.com/channels/1/10/99".into())
            }
        );
        // Another entry, another channel, or after the window: posted again.
        assert_eq!(cooldowns.claim_answer(10, "born", t0), Claim::Fresh);
        assert_eq!(cooldowns.claim_answer(11, "capture", t0), Claim::Fresh);
        assert_eq!(
            cooldowns.claim_answer(10, "capture", t0 + secs(61.0)),
            Claim::Fresh
        );
    }

    #[test]
    fn a_released_claim_lets_the_next_asker_post() {
        let mut cooldowns = Cooldowns::new(config(5, 3.0, 60));
        let t0 = Instant::now();
        assert_eq!(cooldowns.claim_answer(10, "capture", t0), Claim::Fresh);
        cooldowns.release(10, "capture");
        assert_eq!(cooldowns.claim_answer(10, "capture", t0), Claim::Fresh);
    }

    #[test]
    fn a_zero_window_never_points_back() {
        let mut cooldowns = Cooldowns::new(config(5, 3.0, 0));
        let t0 = Instant::now();
        assert_eq!(cooldowns.claim_answer(10, "capture", t0), Claim::Fresh);
        assert_eq!(cooldowns.claim_answer(10, "capture", t0), Claim::Fresh);
    }

    #[test]
    fn idle_state_is_forgotten() {
        let mut cooldowns = Cooldowns::new(config(5, 3.0, 60));
        let t0 = Instant::now();
        for user in 0..5000 {
            cooldowns.check_user(user, t0);
            cooldowns.claim_answer(user, "capture", t0);
        }
        let later = t0 + secs(3600.0);
        for user in 0..(2 * SWEEP_EVERY as u64) {
            cooldowns.check_user(1_000_000 + user, later);
        }
        let (users, answers) = cooldowns.remembered();
        assert!(
            users <= 2 * SWEEP_EVERY as usize,
            "{users} users remembered"
        );
        assert_eq!(answers, 0);
    }
}
