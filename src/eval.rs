//! Answer quality, measured: runs a question set through the engine and counts right answers,
//! refusals and confidently wrong answers. Used by `citebot eval` and by the test that holds
//! the committed quality floor.
//!
//! A question set is JSON lines: `{"q": "...", "expect": "<entry id>"}` for a question the
//! article answers, `{"q": "...", "expect": null}` for one it does not (must get `no_match`).

use std::path::Path;

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use crate::engine::Snapshot;
use crate::reply::Status;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvalQuestion {
    pub q: String,
    /// Required, even when null: a misspelt key must not make a question "unanswerable".
    #[serde(deserialize_with = "Option::deserialize")]
    pub expect: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
}

/// One question that did not get what it expected.
#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    pub line: usize,
    pub question: String,
    pub expected: Option<String>,
    pub status: Status,
    pub got: Option<String>,
    pub score: f32,
    /// Answered, and wrongly: the worst kind of miss.
    pub confidently_wrong: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct EvalReport {
    pub answerable: usize,
    pub answered_right: usize,
    /// Answerable questions that got `ambiguous` or `no_match` instead of an answer.
    pub abstained: usize,
    pub unanswerable: usize,
    pub refused: usize,
    pub confidently_wrong: usize,
    pub misses: Vec<Miss>,
}

impl EvalReport {
    fn ratio(part: usize, whole: usize) -> f64 {
        if whole == 0 {
            1.0
        } else {
            part as f64 / whole as f64
        }
    }
    /// Share of answerable questions answered with the expected entry.
    pub fn accuracy(&self) -> f64 {
        Self::ratio(self.answered_right, self.answerable)
    }
    /// Share of unanswerable questions that got `no_match`.
    pub fn refusal(&self) -> f64 {
        Self::ratio(self.refused, self.unanswerable)
    }
    /// Share of all questions answered with a wrong entry (or answered when they should not be).
    pub fn confidently_wrong_rate(&self) -> f64 {
        Self::ratio(self.confidently_wrong, self.answerable + self.unanswerable)
    }
}

/// Reads a question set; errors name the file and line.
pub fn read_questions(path: &Path) -> anyhow::Result<Vec<(usize, EvalQuestion)>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read question set {}", path.display()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut questions = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let question: EvalQuestion = serde_json::from_str(line).with_context(|| {
            format!(
                "{}:{}: not a question line; expected {{\"q\": \"...\", \"expect\": \"<entry id>\" or null}}",
                path.display(),
                index + 1
            )
        })?;
        questions.push((index + 1, question));
    }
    if questions.is_empty() {
        bail!(
            "{}: no questions in it; write one a line: {{\"q\": \"...\", \"expect\": \"<entry id>\" or null}}",
            path.display()
        );
    }
    Ok(questions)
}

/// Runs every question through `snapshot`. Expected ids the knowledge lacks are an error.
pub fn evaluate(
    snapshot: &Snapshot,
    questions: &[(usize, EvalQuestion)],
) -> anyhow::Result<EvalReport> {
    let mut report = EvalReport::default();
    for (line, question) in questions {
        if let Some(id) = &question.expect
            && snapshot.knowledge.entry(id).is_none()
        {
            if id == "no_match" {
                bail!(
                    "line {line}: expects \"no_match\"; write \"expect\": null for a question the article does not answer"
                );
            }
            bail!("line {line}: expects entry \"{id}\", which the knowledge does not have");
        }
        let reply = snapshot.ask(&question.q);
        let answered = reply.status == Status::Answered;
        let (right, confidently_wrong) = match &question.expect {
            Some(id) => {
                report.answerable += 1;
                if !answered {
                    report.abstained += 1;
                }
                let right = answered && reply.entry_id.as_deref() == Some(id);
                (right, answered && !right)
            }
            None => {
                report.unanswerable += 1;
                (reply.status == Status::NoMatch, answered)
            }
        };
        match (&question.expect, right) {
            (Some(_), true) => report.answered_right += 1,
            (None, true) => report.refused += 1,
            _ => {}
        }
        if confidently_wrong {
            report.confidently_wrong += 1;
        }
        if !right {
            report.misses.push(Miss {
                line: *line,
                question: question.q.clone(),
                expected: question.expect.clone(),
                status: reply.status,
                got: reply
                    .entry_id
                    .or_else(|| {
                        // A known gap that took an answerable question is what to look at.
                        let known = reply.not_in_article.as_ref();
                        known.map(|k| format!("not_in_article:{}", k.id))
                    })
                    .or_else(|| reply.suggestions.first().map(|s| s.entry_id.clone())),
                score: reply.score,
                confidently_wrong,
            });
        }
    }
    Ok(report)
}
