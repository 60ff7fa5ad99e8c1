//! The tables of `config.toml` other than `[matching]` (which belongs to the matcher), with their
//! defaults and the checks that serde's types alone cannot express.

use std::path::PathBuf;

use serde::Deserialize;

use super::problem::Problem;
use super::token::RefusedToken;
use crate::logging::LogFormat;

/// `[knowledge]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KnowledgeConfig {
    /// The knowledge folder; relative paths are resolved from the config file's folder.
    pub dir: PathBuf,
}

impl Default for KnowledgeConfig {
    fn default() -> Self {
        KnowledgeConfig {
            dir: PathBuf::from("knowledge"),
        }
    }
}

/// `[discord]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DiscordConfig {
    /// A file holding the token, read when `DISCORD_TOKEN` is not set.
    pub token_file: Option<PathBuf>,
    /// Never set: a `token` key is an error (see `token.rs`).
    #[serde(rename = "token")]
    pub(crate) refused_token: Option<RefusedToken>,
    /// Register the slash commands in these guilds (instant); empty: globally.
    pub guild_ids: Vec<u64>,
    /// Base URL all REST calls go through, e.g. a rate-limit proxy.
    pub api_proxy: Option<String>,
    /// `"auto"`: as many shards as Discord recommends.
    pub shards: Option<ShardsMode>,
    /// `[first, last]` (inclusive) of `total_shards`: this process's share of a sharded bot.
    pub shard_range: Option<[u32; 2]>,
    pub total_shards: Option<u32>,
    /// Guild channels citebot answers in; empty: all of them.
    pub allowed_channels: Vec<u64>,
    /// Roles and users allowed `/kb`, besides members with the Manage Server permission.
    pub admin_role_ids: Vec<u64>,
    pub admin_user_ids: Vec<u64>,
    /// A message prefix such as `"!ask"`; unset: off (it needs the privileged message-content
    /// intent).
    pub prefix: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShardsMode {
    Auto,
}

/// By hand, so that `shards = 3` says what to write instead of "unit variant expected".
impl<'de> Deserialize<'de> for ShardsMode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Auto;
        impl serde::de::Visitor<'_> for Auto {
            type Value = ShardsMode;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(
                    "\"auto\" (for a set number of shards, leave shards out and set total_shards = N)",
                )
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<ShardsMode, E> {
                if text == "auto" {
                    Ok(ShardsMode::Auto)
                } else {
                    Err(E::invalid_value(serde::de::Unexpected::Str(text), &self))
                }
            }
        }
        deserializer.deserialize_any(Auto)
    }
}

/// How this process connects to the gateway.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sharding {
    /// One shard, [0, 1].
    Single,
    /// As many shards as Discord's `/gateway/bot` recommends.
    Auto,
    /// Shards `first..=last` of `total`.
    Range { first: u32, last: u32, total: u32 },
}

impl DiscordConfig {
    /// The sharding this config asks for (valid once the config has loaded).
    pub fn sharding(&self) -> Sharding {
        match (self.shards, self.shard_range, self.total_shards) {
            (Some(ShardsMode::Auto), _, _) => Sharding::Auto,
            (None, Some([first, last]), Some(total)) => Sharding::Range { first, last, total },
            (None, None, Some(total)) => Sharding::Range {
                first: 0,
                last: total.saturating_sub(1),
                total,
            },
            _ => Sharding::Single,
        }
    }

    /// The prefix, when prefix commands are on.
    pub fn prefix(&self) -> Option<&str> {
        self.prefix
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
    }

    pub(crate) fn validate(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        if let Some(proxy) = &self.api_proxy {
            let rest = proxy
                .strip_prefix("http://")
                .or_else(|| proxy.strip_prefix("https://"));
            if rest.is_none_or(|host| host.trim_matches('/').is_empty()) {
                problems.push(Problem::new(
                    &["discord", "api_proxy"],
                    format!("api_proxy {proxy:?} is not an http(s) base URL"),
                    "write it as \"http://HOST:PORT\", e.g. \"http://127.0.0.1:3000\"",
                ));
            }
        }
        match (self.shards, self.shard_range, self.total_shards) {
            (Some(ShardsMode::Auto), Some(_), _) | (Some(ShardsMode::Auto), _, Some(_)) => {
                problems.push(Problem::new(
                    &["discord", "shards"],
                    "shards = \"auto\" cannot be combined with shard_range or total_shards",
                    "use shards = \"auto\" alone, or shard_range with total_shards to split the bot over processes",
                ));
            }
            (None, Some(_), None) => problems.push(Problem::new(
                &["discord", "shard_range"],
                "shard_range needs total_shards",
                "add total_shards = N (the same N in every process sharing the bot)",
            )),
            (None, range, Some(total)) => {
                let [first, last] = range.unwrap_or([0, total.saturating_sub(1)]);
                if total == 0 {
                    problems.push(Problem::new(
                        &["discord", "total_shards"],
                        "total_shards = 0: a bot needs at least one shard",
                        "set total_shards = N, the same N in every process sharing the bot, or leave it out for one shard",
                    ));
                } else if first > last || last >= total {
                    problems.push(Problem::new(
                        &["discord", if range.is_some() { "shard_range" } else { "total_shards" }],
                        format!("shard_range [{first}, {last}] does not fit in total_shards = {total}"),
                        "shard ids run from 0 to total_shards - 1, and the range is [first, last] with first <= last",
                    ));
                }
            }
            _ => {}
        }
        if self.prefix.is_some() && self.prefix().is_none() {
            problems.push(Problem::new(
                &["discord", "prefix"],
                "prefix is blank",
                "set a prefix such as \"!ask\", or remove the line to turn prefix commands off",
            ));
        }
        for (key, ids) in [
            ("guild_ids", &self.guild_ids),
            ("allowed_channels", &self.allowed_channels),
            ("admin_role_ids", &self.admin_role_ids),
            ("admin_user_ids", &self.admin_user_ids),
        ] {
            if ids.contains(&0) {
                problems.push(Problem::new(
                    &["discord", key],
                    format!("{key} contains 0, which is not a Discord id"),
                    "copy ids with Discord's developer mode (right click, Copy ID)",
                ));
            }
        }
        problems
    }
}

/// `[cooldown]`
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CooldownConfig {
    /// Questions one user may ask in a burst; 0 turns the per-user limit off.
    pub user_burst: u32,
    /// After the burst, one more question every this many seconds.
    pub user_refill_seconds: f64,
    /// The same answer in the same channel within this many seconds points to the earlier reply
    /// instead of posting it again; 0 turns this off.
    pub same_answer_seconds: u64,
}

impl Default for CooldownConfig {
    fn default() -> Self {
        CooldownConfig {
            user_burst: 5,
            user_refill_seconds: 3.0,
            same_answer_seconds: 60,
        }
    }
}

/// The longest `user_refill_seconds`: a day.
pub const MAX_REFILL_SECONDS: f64 = 86_400.0;

impl CooldownConfig {
    pub(crate) fn validate(&self) -> Vec<Problem> {
        let refill = self.user_refill_seconds;
        // A day at most: past that a wait is no cooldown, and far past it no Duration holds it.
        if self.user_burst > 0 && !(refill > 0.0 && refill <= MAX_REFILL_SECONDS) {
            return vec![Problem::new(
                &["cooldown", "user_refill_seconds"],
                format!(
                    "user_refill_seconds = {refill} must be a number of seconds above 0 and at most {MAX_REFILL_SECONDS} (a day)"
                ),
                "3.0 means one question every three seconds after the burst; user_burst = 0 turns the limit off",
            )];
        }
        Vec::new()
    }
}

/// `[log]`
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    /// A tracing filter such as `"info"` or `"citebot=debug,serenity=warn"`; `RUST_LOG` wins.
    pub level: String,
    /// `"human"` or `"json"`; `--log-format` wins.
    pub format: LogFormat,
    /// Keep the questions citebot could not answer (and answers voted down) for `citebot gaps`.
    pub unanswered: bool,
    /// The unanswered log (JSON lines); relative paths are resolved from the config file's
    /// folder. The votes file and the hashing key are kept in the same folder.
    pub unanswered_path: PathBuf,
    /// The log is rotated to `<path>.1` before it grows past this many bytes.
    pub unanswered_max_bytes: u64,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            level: "info".to_string(),
            format: LogFormat::Human,
            unanswered: true,
            unanswered_path: PathBuf::from("citebot-unanswered.jsonl"),
            unanswered_max_bytes: 10_000_000,
        }
    }
}

impl LogConfig {
    /// The folder holding the curators' files: the unanswered log's.
    pub fn curation_dir(&self) -> &std::path::Path {
        crate::curation::recorder::folder_of(&self.unanswered_path)
    }

    /// The votes file, beside the unanswered log.
    pub fn votes_path(&self) -> PathBuf {
        self.curation_dir().join(crate::curation::votes::VOTES_FILE)
    }

    pub(crate) fn validate(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        if let Err(e) = crate::logging::parse(&self.level) {
            problems.push(Problem::new(
                &["log", "level"],
                format!("level {:?} is not a log filter: {e}", self.level),
                "use a level (error, warn, info, debug, trace) or directives like \"citebot=debug,serenity=warn\"",
            ));
        }
        if self.unanswered_max_bytes < 1024 {
            problems.push(Problem::new(
                &["log", "unanswered_max_bytes"],
                format!(
                    "unanswered_max_bytes = {} is too small to hold a few questions",
                    self.unanswered_max_bytes
                ),
                "10000000 (10 MB) keeps tens of thousands of questions; unanswered = false turns the log off",
            ));
        }
        if self.unanswered_path.as_os_str().is_empty() {
            problems.push(Problem::new(
                &["log", "unanswered_path"],
                "unanswered_path is empty",
                "name a file such as \"citebot-unanswered.jsonl\", or set unanswered = false",
            ));
        }
        problems
    }
}
