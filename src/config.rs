//! `config.toml`: the settings of every front end, read from the file and then overridden from
//! the environment as `CITEBOT_<SECTION>__<KEY>` (e.g. `CITEBOT_DISCORD__API_PROXY`).
//!
//! A mistake in the file is reported with `file:line:column`, the offending line and a hint; a
//! mistake in an override names the environment variable. Unknown keys are errors, never ignored.
//! The Discord token is deliberately not a setting: it comes from `DISCORD_TOKEN` or `token_file`
//! (see [`token`]), so a `token` key is refused with a message saying so.
//!
//! - `sections`: the tables (`[knowledge]`, `[discord]`, `[cooldown]`, `[log]`) and their defaults
//!   (`[matching]` is the matcher's own `MatchingConfig`).
//! - `overrides`: the `CITEBOT_<SECTION>__<KEY>` layer.
//! - `problem`: how a configuration error is located and worded.
//! - `token`: the Discord token, which never prints.
//! - `metrics`: `[metrics]`, the optional operators' HTTP listener.

mod metrics;
mod overrides;
mod problem;
mod sections;
pub mod token;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::matcher::MatchingConfig;
pub use metrics::MetricsConfig;
pub use problem::ConfigError;
use problem::{Origin, Problem};
pub use sections::{
    CooldownConfig, DiscordConfig, KnowledgeConfig, LogConfig, Sharding, ShardsMode,
};
pub use token::Token;

/// Where the shipped config lives, relative to the working directory.
pub const DEFAULT_PATH: &str = "config.toml";

/// Every setting citebot reads, after the environment overrides.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub knowledge: KnowledgeConfig,
    pub matching: MatchingConfig,
    pub discord: DiscordConfig,
    pub cooldown: CooldownConfig,
    pub log: LogConfig,
    pub metrics: MetricsConfig,
    /// False when there was no file at the default path, so the built-in defaults (and any
    /// overrides) serve: `run` says so, since allowed channels and admins are then unset.
    #[serde(skip)]
    pub from_file: bool,
}

impl Config {
    /// Reads `path` and applies the `CITEBOT_*` overrides from the process environment. A
    /// missing file at the default path means the defaults (plus overrides).
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => Some(text),
            Err(e)
                if e.kind() == std::io::ErrorKind::NotFound && path == Path::new(DEFAULT_PATH) =>
            {
                None
            }
            Err(e) => {
                return Err(ConfigError::plain(format!(
                    "cannot read config {}: {e}\n  hint: pass --config PATH, or run from the folder holding config.toml",
                    path.display()
                )));
            }
        };
        let mut config = Config::from_sources(path, text.as_deref(), std::env::vars())?;
        config.from_file = text.is_some();
        Ok(config)
    }

    /// Builds the config from the file's text (`None`: no file) and an environment, so tests
    /// need not touch the process environment.
    pub fn from_sources(
        path: &Path,
        text: Option<&str>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let text = text.unwrap_or("");
        let file = File { path, text };
        // First the file alone, so its mistakes point at its lines.
        toml::from_str::<Config>(text).map_err(|e| file.error(&e))?;
        let table: toml::Table = toml::from_str(text).map_err(|e| file.error(&e))?;
        let (mut config, overridden) = overrides::apply(table, env)?;
        config.resolve_paths(path, &overridden);
        let problems = config.validate();
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(ConfigError::from_problems(&file, &overridden, problems))
        }
    }

    /// Relative paths in the file are relative to the file's folder, so `citebot --config
    /// /etc/citebot/config.toml` works from anywhere; paths from the environment stay relative to
    /// the working directory, like any other command-line path.
    fn resolve_paths(&mut self, path: &Path, overridden: &BTreeMap<Vec<String>, String>) {
        let Some(base) = path.parent() else { return };
        let from_file = |key: &[&str]| {
            !overridden.contains_key(&key.iter().map(|k| k.to_string()).collect::<Vec<_>>())
        };
        if self.knowledge.dir.is_relative() && from_file(&["knowledge", "dir"]) {
            self.knowledge.dir = base.join(&self.knowledge.dir);
        }
        if let Some(token_file) = &self.discord.token_file
            && token_file.is_relative()
            && from_file(&["discord", "token_file"])
        {
            self.discord.token_file = Some(base.join(token_file));
        }
        if self.log.unanswered_path.is_relative() && from_file(&["log", "unanswered_path"]) {
            self.log.unanswered_path = base.join(&self.log.unanswered_path);
        }
    }

    fn validate(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        let m = &self.matching;
        for (key, value) in [
            ("threshold", m.threshold),
            ("margin", m.margin),
            ("suggest_threshold", m.suggest_threshold),
            ("meaning_floor", m.meaning_floor),
            ("meaning_agreement", m.meaning_agreement),
            ("meaning_floor_long", m.meaning_floor_long),
            ("meaning_veto", m.meaning_veto),
            ("meaning_veto_margin", m.meaning_veto_margin),
            ("meaning_overrule", m.meaning_overrule),
            ("request_margin", m.request_margin),
            ("meaning_blend", m.meaning_blend),
        ] {
            if !(0.0..=1.0).contains(&value) {
                problems.push(Problem::new(
                    &["matching", key],
                    format!("{key} = {value} is outside [0, 1]"),
                    "scores are in [0, 1]; the shipped config.toml has calibrated values",
                ));
            }
        }
        if m.long_question_words == 0 {
            problems.push(Problem::new(
                &["matching", "long_question_words"],
                "long_question_words must be at least 1",
                "15 is the calibrated value; to treat no message as long, set meaning_floor_long \
                 to meaning_floor",
            ));
        }
        if m.suggestions < 2 {
            problems.push(Problem::new(
                &["matching", "suggestions"],
                format!(
                    "suggestions = {} cannot offer the two choices of \"did you mean A or B?\"",
                    m.suggestions
                ),
                "3 is the shipped value; Discord shows at most 5 as buttons",
            ));
        }
        if m.max_question_chars == 0 {
            problems.push(Problem::new(
                &["matching", "max_question_chars"],
                "max_question_chars must be at least 1",
                "500 is a good limit",
            ));
        }
        problems.extend(self.discord.validate());
        problems.extend(self.cooldown.validate());
        problems.extend(self.log.validate());
        problems
    }
}

/// The config file being read, for locating errors in it.
pub(crate) struct File<'a> {
    pub path: &'a Path,
    pub text: &'a str,
}

impl File<'_> {
    fn error(&self, e: &toml::de::Error) -> ConfigError {
        ConfigError::located(self, e.span(), e.message(), Origin::File)
    }
}

#[cfg(test)]
mod tests;
