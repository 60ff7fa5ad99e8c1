//! What operators watch: counters and gauges about questions, reloads and the gateway, kept in a
//! Prometheus registry (prometheus-client) and served by `http.rs` when `[metrics] listen` is
//! set. No Discord types here: the front end reports what happened through the methods below.
//!
//! The metrics are process-wide ([`global`]), as a Prometheus scrape target is: one `citebot
//! run` process, one set of numbers. Recording is a few atomic increments, so it is always on,
//! whether anything serves the numbers or not.
//!
//! - `citebot_questions_total{status}`: one per question, by reply status (`answered`,
//!   `ambiguous`, `no_match`), or `rate_limited` when a cooldown turned it away;
//! - `citebot_answer_latency_seconds`: from the question's arrival to its reply being sent;
//! - `citebot_cooldown_hits_total{kind}`: `user` (over the per-user limit) or `same_answer`
//!   (pointed to the answer posted moments ago);
//! - `citebot_reloads_total`, `citebot_reload_errors_total`, `citebot_knowledge_entries`;
//! - `citebot_gateway_reconnects_total`, `citebot_gateway_shards_connected`.

pub mod http;

use std::collections::BTreeSet;
use std::sync::{LazyLock, Mutex, PoisonError};
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabel {
    status: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabel {
    kind: &'static str,
}

/// How a question ended, as the metrics count it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionEnd {
    /// A reply with this status (`Status::as_str`) was sent.
    Replied(&'static str),
    /// The same answer was posted in the channel moments ago; the asker was pointed to it.
    PointedToEarlier(&'static str),
    /// Over the per-user limit: no reply, a notice.
    RateLimited,
    /// The reply could not be sent.
    SendFailed(&'static str),
}

/// citebot's metrics.
pub struct Metrics {
    registry: Registry,
    questions: Family<StatusLabel, Counter>,
    latency: Histogram,
    cooldown_hits: Family<KindLabel, Counter>,
    reloads: Counter,
    reload_errors: Counter,
    entries: Gauge,
    reconnects: Counter,
    shards_connected: Gauge,
    /// The shards that are connected now, and those that ever had a session (a later session
    /// of one of those is a reconnect).
    shards: Mutex<Shards>,
}

#[derive(Default)]
struct Shards {
    connected: BTreeSet<u32>,
    seen: BTreeSet<u32>,
}

/// The process's metrics.
pub fn global() -> &'static Metrics {
    static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::new);
    &METRICS
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::default();
        let questions = Family::<StatusLabel, Counter>::default();
        // 1 ms to about 16 s: answers take milliseconds, a 429 retry takes seconds.
        let latency = Histogram::new(exponential_buckets(0.001, 2.0, 15));
        let cooldown_hits = Family::<KindLabel, Counter>::default();
        let (reloads, reload_errors, reconnects) =
            (Counter::default(), Counter::default(), Counter::default());
        let (entries, shards_connected) = (Gauge::default(), Gauge::default());
        registry.register(
            "citebot_questions",
            "Questions asked, by reply status (rate_limited: turned away by a cooldown)",
            questions.clone(),
        );
        registry.register(
            "citebot_answer_latency_seconds",
            "Time from a question's arrival to its reply being sent",
            latency.clone(),
        );
        registry.register(
            "citebot_cooldown_hits",
            "Questions held back by a cooldown (user: over the per-user limit; same_answer: pointed to the same answer posted moments ago)",
            cooldown_hits.clone(),
        );
        registry.register(
            "citebot_reloads",
            "Knowledge reloads that swapped in new knowledge",
            reloads.clone(),
        );
        registry.register(
            "citebot_reload_errors",
            "Knowledge reloads refused because the knowledge has errors",
            reload_errors.clone(),
        );
        registry.register(
            "citebot_knowledge_entries",
            "Entries in the knowledge being served",
            entries.clone(),
        );
        registry.register(
            "citebot_gateway_reconnects",
            "Gateway sessions resumed or identified again after the first connection",
            reconnects.clone(),
        );
        registry.register(
            "citebot_gateway_shards_connected",
            "Gateway shards connected now",
            shards_connected.clone(),
        );
        // Every known series from zero, so a rate over the first questions is right.
        for status in ["answered", "ambiguous", "no_match", "rate_limited"] {
            let _ = questions.get_or_create(&StatusLabel { status });
        }
        for kind in ["user", "same_answer"] {
            let _ = cooldown_hits.get_or_create(&KindLabel { kind });
        }
        Metrics {
            registry,
            questions,
            latency,
            cooldown_hits,
            reloads,
            reload_errors,
            entries,
            reconnects,
            shards_connected,
            shards: Mutex::new(Shards::default()),
        }
    }

    /// One question, ended as `end` after `elapsed`.
    pub fn question(&self, end: QuestionEnd, elapsed: Duration) {
        let status = match end {
            QuestionEnd::Replied(status)
            | QuestionEnd::PointedToEarlier(status)
            | QuestionEnd::SendFailed(status) => status,
            QuestionEnd::RateLimited => "rate_limited",
        };
        self.questions.get_or_create(&StatusLabel { status }).inc();
        match end {
            QuestionEnd::Replied(_) => self.latency.observe(elapsed.as_secs_f64()),
            QuestionEnd::PointedToEarlier(_) => {
                self.latency.observe(elapsed.as_secs_f64());
                self.cooldown_hit("same_answer");
            }
            QuestionEnd::RateLimited => self.cooldown_hit("user"),
            QuestionEnd::SendFailed(_) => {}
        }
    }

    fn cooldown_hit(&self, kind: &'static str) {
        self.cooldown_hits.get_or_create(&KindLabel { kind }).inc();
    }

    /// A reload swapped in knowledge with `entries` entries.
    pub fn reloaded(&self, entries: usize) {
        self.reloads.inc();
        self.knowledge_loaded(entries);
    }

    /// A reload was refused; the previous knowledge keeps serving.
    pub fn reload_failed(&self) {
        self.reload_errors.inc();
    }

    /// The knowledge served has `entries` entries (at start, and after each reload).
    pub fn knowledge_loaded(&self, entries: usize) {
        self.entries.set(i64::try_from(entries).unwrap_or(i64::MAX));
    }

    /// A shard got a gateway session (READY or RESUMED): connected, and a reconnect if the
    /// shard had one before.
    pub fn session_started(&self, shard: u32) {
        let mut shards = self.shards.lock().unwrap_or_else(PoisonError::into_inner);
        if !shards.seen.insert(shard) {
            self.reconnects.inc();
        }
        shards.connected.insert(shard);
        self.shards_connected.set(len(&shards.connected));
    }

    /// A shard reached the connected stage.
    pub fn shard_connected(&self, shard: u32) {
        let mut shards = self.shards.lock().unwrap_or_else(PoisonError::into_inner);
        shards.connected.insert(shard);
        self.shards_connected.set(len(&shards.connected));
    }

    /// A shard lost its gateway session (it will resume or identify again).
    pub fn shard_disconnected(&self, shard: u32) {
        let mut shards = self.shards.lock().unwrap_or_else(PoisonError::into_inner);
        shards.connected.remove(&shard);
        self.shards_connected.set(len(&shards.connected));
    }

    /// Whether at least one shard is connected.
    pub fn gateway_connected(&self) -> bool {
        self.shards_connected.get() > 0
    }

    /// The metrics in Prometheus' text format (OpenMetrics).
    pub fn render(&self) -> String {
        let mut text = String::new();
        // Writing into a String cannot fail; an encoding error would leave a partial scrape.
        if let Err(error) = encode(&mut text, &self.registry) {
            tracing::error!(%error, "could not encode the metrics");
        }
        text
    }
}

fn len(set: &BTreeSet<u32>) -> i64 {
    i64::try_from(set.len()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value of the sample line starting with `prefix` (name and labels).
    fn sample(text: &str, prefix: &str) -> Option<f64> {
        text.lines()
            .find_map(|line| line.strip_prefix(prefix)?.trim().parse().ok())
    }

    #[test]
    fn questions_cooldowns_and_latency_are_counted() {
        let metrics = Metrics::new();
        let ms = Duration::from_millis;
        metrics.question(QuestionEnd::Replied("answered"), ms(3));
        metrics.question(QuestionEnd::Replied("answered"), ms(5));
        metrics.question(QuestionEnd::Replied("no_match"), ms(2));
        metrics.question(QuestionEnd::PointedToEarlier("answered"), ms(1));
        metrics.question(QuestionEnd::RateLimited, ms(0));
        let text = metrics.render();
        let count = |p: &str| sample(&text, p).unwrap_or_else(|| panic!("no {p} in\n{text}"));
        assert_eq!(count("citebot_questions_total{status=\"answered\"}"), 3.0);
        assert_eq!(count("citebot_questions_total{status=\"no_match\"}"), 1.0);
        assert_eq!(
            count("citebot_questions_total{status=\"rate_limited\"}"),
            1.0
        );
        assert_eq!(count("citebot_cooldown_hits_total{kind=\"user\"}"), 1.0);
        assert_eq!(
            count("citebot_cooldown_hits_total{kind=\"same_answer\"}"),
            1.0
        );
        assert_eq!(count("citebot_answer_latency_seconds_count"), 4.0);
        assert!((count("citebot_answer_latency_seconds_sum") - 0.011).abs() < 1e-9);
        assert!(text.ends_with("# EOF\n"), "{text}");
    }

    #[test]
    fn reloads_entries_and_reconnects() {
        let metrics = Metrics::new();
        metrics.knowledge_loaded(36);
        metrics.reloaded(37);
        metrics.reload_failed();
        assert!(!metrics.gateway_connected());
        metrics.session_started(0);
        metrics.shard_connected(0); // the stage update after READY: still the first session
        assert!(metrics.gateway_connected());
        metrics.shard_disconnected(0);
        assert!(!metrics.gateway_connected());
        metrics.shard_connected(0);
        metrics.session_started(0); // RESUMED
        let text = metrics.render();
        let count = |p: &str| sample(&text, p).unwrap_or_else(|| panic!("no {p} in\n{text}"));
        assert_eq!(count("citebot_knowledge_entries"), 37.0);
        assert_eq!(count("citebot_reloads_total"), 1.0);
        assert_eq!(count("citebot_reload_errors_total"), 1.0);
        assert_eq!(count("citebot_gateway_reconnects_total"), 1.0);
        assert_eq!(count("citebot_gateway_shards_connected"), 1.0);
    }
}
