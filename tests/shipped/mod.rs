//! The shipped `config.toml` and `knowledge/`, for tests that ask them questions. Included with
//! `mod shipped;`; each includer uses a part, hence the `dead_code` allowance.
#![allow(dead_code)]

use std::path::PathBuf;

use citebot::config::Config;
use citebot::engine::Snapshot;
use citebot::matcher::MatchingConfig;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped `[matching]` settings.
pub fn config() -> MatchingConfig {
    Config::load(&root().join("config.toml"))
        .expect("shipped config loads")
        .matching
}

/// The shipped knowledge under `config`.
pub fn snapshot(config: &MatchingConfig) -> Snapshot {
    match Snapshot::load(&root().join("knowledge"), config) {
        Ok(snapshot) => snapshot,
        Err(report) => panic!("shipped knowledge has errors:\n{}", report.render(false)),
    }
}
