//! `config.toml`: settings for every front end, layered as file, then `CITEBOT_<SECTION>__<KEY>`
//! environment overrides. (IN PROGRESS: [discord] etc. and env overrides being added.)

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::matcher::MatchingConfig;

/// Where the shipped config lives, relative to the working directory.
pub const DEFAULT_PATH: &str = "config.toml";

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub knowledge: KnowledgeConfig,
    pub matching: MatchingConfig,
}

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

impl Config {
    /// Reads `path`; a missing file at the default path means defaults.
    pub fn load(path: &Path) -> anyhow::Result<Config> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && path == Path::new(DEFAULT_PATH) => {
                return Ok(Config::default());
            }
            Err(e) => anyhow::bail!("cannot read config {}: {e}", path.display()),
        };
        let mut config: Config = toml::from_str(&text)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        if config.knowledge.dir.is_relative() {
            if let Some(base) = path.parent() {
                config.knowledge.dir = base.join(&config.knowledge.dir);
            }
        }
        Ok(config)
    }
}
