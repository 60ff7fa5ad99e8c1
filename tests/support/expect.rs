//! What citebot should say, worked out from the knowledge the bot serves, so scenarios check the
//! Discord replies against the same core `citebot ask` uses instead of hard-coded strings.

use std::path::Path;

use citebot::config::Config;
use citebot::engine::Snapshot;
use citebot::reply::{Reply, Status};
use serde::Deserialize;

use super::bot::repo_root;

/// Loads the knowledge and matching settings exactly as a bot with this config does.
pub fn snapshot(config_path: &Path) -> Snapshot {
    let config = match Config::load(config_path) {
        Ok(config) => config,
        Err(e) => panic!("the test config {} is invalid: {e}", config_path.display()),
    };
    match Snapshot::load(&config.knowledge.dir, &config.matching) {
        Ok(snapshot) => snapshot,
        Err(report) => panic!(
            "the knowledge in {} has errors:\n{}",
            config.knowledge.dir.display(),
            report.render(false)
        ),
    }
}

/// One line of `tests/eval/questions.jsonl`.
#[derive(Debug, Clone, Deserialize)]
pub struct EvalQuestion {
    pub q: String,
    pub expect: Option<String>,
}

/// The evaluation set: reader-style questions, written blind to `qa.toml`.
pub fn eval_questions() -> Vec<EvalQuestion> {
    let path = repo_root().join("tests/eval/questions.jsonl");
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => panic!("cannot read {}: {e}", path.display()),
    };
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .enumerate()
        .map(|(i, line)| match serde_json::from_str(line) {
            Ok(question) => question,
            Err(e) => panic!("{}:{}: {e}", path.display(), i + 1),
        })
        .collect()
}

/// Every evaluation question that gets `status` (a no-match one with suggestions), in file
/// order.
#[allow(dead_code)]
pub fn questions_with(snapshot: &Snapshot, status: Status) -> Vec<String> {
    eval_questions()
        .into_iter()
        .filter(|question| {
            let reply = snapshot.ask(&question.q);
            reply.status == status && (status == Status::Answered || !reply.suggestions.is_empty())
        })
        .map(|question| question.q)
        .collect()
}

/// The first evaluation question the core answers with `status` (and, for ambiguous and
/// no-match, with at least one suggestion), with its reply.
pub fn question_with(snapshot: &Snapshot, status: Status) -> Option<(String, Reply)> {
    eval_questions().into_iter().find_map(|question| {
        let reply = snapshot.ask(&question.q);
        let usable =
            reply.status == status && (status == Status::Answered || !reply.suggestions.is_empty());
        usable.then_some((question.q, reply))
    })
}
