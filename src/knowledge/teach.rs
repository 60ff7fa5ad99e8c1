//! Teaching: a curator adds a reader's question as a new phrasing of an entry (`/kb teach`).
//!
//! The phrasing is appended to the entry's `questions` in `qa.toml`, edited in place (toml_edit)
//! so the file's comments, order and formatting stay as the curators wrote them. The edited text
//! goes through the full `citebot check` before anything is written: a phrasing that collides
//! with another entry or breaks a probe is refused with the diagnostic, and the file is left
//! byte for byte as it was. The write is atomic with a backup (`atomic.rs`); a hand edit made
//! while the teach ran is detected, and the teach is redone once on top of it, so neither
//! change is lost. Reloading the knowledge afterwards is the caller's job, as for any edit.

use std::fmt;
use std::path::{Path, PathBuf};

use toml_edit::{DocumentMut, Item, Value};

use super::atomic::{self, Replaced};
use super::diagnostics::render;
use super::lints;
use super::loader::QA_FILE;
use crate::matcher::MatchingConfig;

/// A phrasing added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taught {
    pub entry: String,
    /// The phrasing as written into `qa.toml` (whitespace tidied).
    pub question: String,
    pub qa_path: PathBuf,
    /// Where the previous `qa.toml` is kept.
    pub backup: PathBuf,
    /// Whether `qa.toml` changed while teaching and the phrasing was added to the new version.
    pub redone: bool,
}

/// Why a phrasing was not added. In every case `qa.toml` is unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TeachError {
    /// Empty, or longer than citebot reads of a question.
    BadQuestion(String),
    UnknownEntry {
        id: String,
    },
    /// The entry already lists this phrasing.
    AlreadyThere {
        entry: String,
        question: String,
    },
    /// `citebot check` fails on the edited knowledge: its errors, rendered.
    Refused(String),
    /// `qa.toml` changed during the teach, and again during the retry.
    Conflict {
        qa_path: PathBuf,
    },
    /// A file could not be read, parsed or written.
    File {
        path: PathBuf,
        message: String,
    },
}

impl fmt::Display for TeachError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TeachError::BadQuestion(why) => f.write_str(why),
            TeachError::UnknownEntry { id } => write!(
                f,
                "there is no entry with id {id:?} in qa.toml; pick one of the suggested ids"
            ),
            TeachError::AlreadyThere { entry, question } => {
                write!(f, "entry {entry:?} already lists {question:?}")
            }
            TeachError::Refused(diagnostics) => write!(
                f,
                "`citebot check` refuses the edited knowledge, so qa.toml was not changed \
                 (line numbers are those of qa.toml with the phrasing added):\n{diagnostics}"
            ),
            TeachError::Conflict { qa_path } => write!(
                f,
                "{} kept changing while the phrasing was being added (someone is editing it); \
                 nothing was written: try again once the edit is saved",
                qa_path.display()
            ),
            TeachError::File { path, message } => write!(f, "{}: {message}", path.display()),
        }
    }
}

impl std::error::Error for TeachError {}

/// Adds `question` as a phrasing of the entry `entry` in `dir/qa.toml`.
pub fn teach(
    dir: &Path,
    entry: &str,
    question: &str,
    config: &MatchingConfig,
) -> Result<Taught, TeachError> {
    teach_with(dir, entry, question, config, &mut |_| {})
}

/// [`teach`], calling `before_commit(attempt)` (0, then 1 on the retry) just before the file is
/// compared with the version the edit was made from: tests edit the file there.
pub fn teach_with(
    dir: &Path,
    entry: &str,
    question: &str,
    config: &MatchingConfig,
    before_commit: &mut dyn FnMut(u32),
) -> Result<Taught, TeachError> {
    let question = tidy(question, config.max_question_chars)?;
    let qa_path = dir.join(QA_FILE);
    let mut current = read(&qa_path)?;
    for attempt in 0..2 {
        let text = utf8(&qa_path, &current)?;
        let edited =
            add_phrasing(text, entry, &question).map_err(|error| with_path(error, &qa_path))?;
        let article_path = dir.join(article_name(text));
        let article = utf8(&article_path, &read(&article_path)?)?.to_string();
        let report = lints::check_str(dir, &edited, &article, config);
        if report.has_errors() {
            let errors: Vec<_> = report
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .cloned()
                .collect();
            return Err(TeachError::Refused(render(&errors, &report.files, false)));
        }
        let replaced = atomic::replace(&qa_path, &current, edited.as_bytes(), &mut || {
            before_commit(attempt)
        })
        .map_err(|error| TeachError::File {
            path: qa_path.clone(),
            message: format!(
                "cannot write it: {error}; /kb teach needs write access to the knowledge folder \
                 (the shipped systemd unit keeps it read-only: see deploy/README.md)"
            ),
        })?;
        match replaced {
            Replaced::Done { backup } => {
                return Ok(Taught {
                    entry: entry.to_string(),
                    question,
                    qa_path,
                    backup,
                    redone: attempt > 0,
                });
            }
            Replaced::Changed(now) => current = now,
        }
    }
    Err(TeachError::Conflict { qa_path })
}

/// `qa_text` with `question` appended to the entry `entry`'s questions, formatted like the
/// questions before it. Everything else is left exactly as written.
pub fn add_phrasing(qa_text: &str, entry: &str, question: &str) -> Result<String, TeachError> {
    let mut doc: DocumentMut = qa_text.parse().map_err(|error| TeachError::File {
        path: PathBuf::from(QA_FILE),
        message: format!("is not valid TOML, so it cannot be edited: {error}"),
    })?;
    let table = doc
        .get_mut("entry")
        .and_then(Item::as_array_of_tables_mut)
        .and_then(|entries| {
            entries
                .iter_mut()
                .find(|table| table.get("id").and_then(Item::as_str) == Some(entry))
        })
        .ok_or_else(|| TeachError::UnknownEntry {
            id: entry.to_string(),
        })?;
    let questions = table
        .get_mut("questions")
        .and_then(Item::as_array_mut)
        .ok_or_else(|| TeachError::File {
            path: PathBuf::from(QA_FILE),
            message: format!("entry {entry:?} has no `questions = [...]` array to add to"),
        })?;
    let known = |v: &Value| v.as_str().is_some_and(|q| same(q, question));
    if questions.iter().any(known) {
        return Err(TeachError::AlreadyThere {
            entry: entry.to_string(),
            question: question.to_string(),
        });
    }
    let (prefix, suffix) = questions.iter().last().map_or((" ", ""), |last| {
        let decor = last.decor();
        let prefix = decor.prefix().and_then(|p| p.as_str()).unwrap_or(" ");
        let suffix = decor.suffix().and_then(|s| s.as_str()).unwrap_or("");
        (if prefix.is_empty() { " " } else { prefix }, suffix)
    });
    let (prefix, suffix) = (prefix.to_string(), suffix.to_string());
    questions.push_formatted(Value::from(question).decorated(prefix, suffix));
    Ok(doc.to_string())
}

/// The article's file name as `qa.toml` gives it (`[source] article`); the loader reports a
/// missing one, so any name will do until then.
fn article_name(qa_text: &str) -> String {
    qa_text
        .parse::<DocumentMut>()
        .ok()
        .and_then(|doc| {
            doc.get("source")
                .and_then(|source| source.get("article"))
                .and_then(Item::as_str)
                .map(str::to_string)
        })
        .unwrap_or_else(|| "article.txt".to_string())
}

/// The question on one line, single-spaced, within what citebot reads of a question.
fn tidy(question: &str, max_chars: usize) -> Result<String, TeachError> {
    let tidied = question.split_whitespace().collect::<Vec<_>>().join(" ");
    if tidied.is_empty() {
        return Err(TeachError::BadQuestion(
            "the question is empty; write the question as a reader would ask it".to_string(),
        ));
    }
    let chars = tidied.chars().count();
    if chars > max_chars {
        return Err(TeachError::BadQuestion(format!(
            "the question is {chars} characters long, but citebot reads only the first \
             {max_chars} of a question; shorten it"
        )));
    }
    Ok(tidied)
}

/// Two phrasings that differ only in case and spacing are the same phrasing.
fn same(a: &str, b: &str) -> bool {
    let fold = |s: &str| {
        s.split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
    };
    fold(a) == fold(b)
}

fn read(path: &Path) -> Result<Vec<u8>, TeachError> {
    std::fs::read(path).map_err(|error| TeachError::File {
        path: path.to_path_buf(),
        message: format!("cannot read it: {error}"),
    })
}

fn utf8<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, TeachError> {
    std::str::from_utf8(bytes).map_err(|error| TeachError::File {
        path: path.to_path_buf(),
        message: format!("is not UTF-8 text ({error}); save it as UTF-8"),
    })
}

/// Names the real `qa.toml` in an error [`add_phrasing`] made about its text.
fn with_path(error: TeachError, qa_path: &Path) -> TeachError {
    match error {
        TeachError::File { message, .. } => TeachError::File {
            path: qa_path.to_path_buf(),
            message,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests;
