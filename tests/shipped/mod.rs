//! The shipped `config.toml` and `knowledge/`, for tests that ask them questions. Included with
//! `mod shipped;`; each includer uses a part, hence the `dead_code` allowance.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

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

/// Adds `question` to the capture entry of the `qa.toml` in `dir` (a copy of the shipped one).
pub fn add_capture_question(dir: &Path, question: &str) {
    add_question(dir, "Did Ukraine capture North Korean soldiers?", question);
}

/// Adds `question` after the stored question `after` of the `qa.toml` in `dir`.
pub fn add_question(dir: &Path, after: &str, question: &str) {
    let path = dir.join("qa.toml");
    let qa = std::fs::read_to_string(&path).expect("read qa.toml");
    let asked = format!("  {after:?},\n");
    assert!(qa.contains(&asked), "the shipped qa.toml changed");
    let added = format!("{asked}  {question:?},\n");
    std::fs::write(&path, qa.replacen(&asked, &added, 1)).expect("write qa.toml");
}

/// `citebot check` of a copy of the shipped knowledge with `question` added to `capture`: the
/// rendered report, which must hold errors.
pub fn check_with_capture_question(question: &str) -> String {
    check_with_question("Did Ukraine capture North Korean soldiers?", question)
}

/// `citebot check` of a copy of the shipped knowledge with `question` added after the stored
/// question `after`: the rendered report, which must hold errors.
pub fn check_with_question(after: &str, question: &str) -> String {
    let folder = tempfile::tempdir().expect("temp dir");
    let dir = folder.path();
    for file in ["qa.toml", "article.txt"] {
        std::fs::copy(root().join("knowledge").join(file), dir.join(file)).expect("copy");
    }
    add_question(dir, after, question);
    let report = citebot::knowledge::lints::check(dir, &config());
    let rendered = report.render(false);
    assert!(report.has_errors(), "{rendered}");
    rendered
}

/// Asserts that `snapshot` answers `question` with `entry`.
pub fn assert_answered(snapshot: &Snapshot, question: &str, entry: &str) {
    let reply = snapshot.ask(question);
    assert_eq!(
        reply.status,
        citebot::reply::Status::Answered,
        "{question:?}: {reply:?}"
    );
    assert_eq!(
        reply.entry_id.as_deref(),
        Some(entry),
        "{question:?}: {reply:?}"
    );
}
