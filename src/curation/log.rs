//! The unanswered log: every question citebot could not answer (no match, or too close to call)
//! and every answer a reader voted down, one JSON object a line, for `citebot gaps`.
//!
//! It holds what curators need and nothing more: the time, the question, how it ended, the top
//! candidates with their scores, where it was asked (guild and channel ids), and the asker only
//! as a keyed hash (see `hash.rs`). The file is bounded: when the next line would take it past
//! `unanswered_max_bytes`, it is renamed to `<name>.1` (replacing the previous one) and a fresh
//! file started, so it never takes more than twice the bound on disk.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::reply::{Reply, Status};

/// Why a question is in the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Why {
    NoMatch,
    Ambiguous,
    /// A reader pressed "not helpful" on the answer.
    VotedDown,
}

impl Why {
    pub fn as_str(self) -> &'static str {
        match self {
            Why::NoMatch => "no_match",
            Why::Ambiguous => "ambiguous",
            Why::VotedDown => "voted_down",
        }
    }
}

/// An entry the matcher considered, with its score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scored {
    pub entry: String,
    pub score: f32,
}

/// Where a question was asked. Ids are kept as text, as chat platforms write them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub guild: Option<String>,
    pub channel: Option<String>,
}

/// One line of the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unanswered {
    /// RFC 3339, UTC, to the second.
    pub time: String,
    pub status: Why,
    /// The reader's question; unknown for a vote on an answer asked before a restart.
    pub question: Option<String>,
    /// For a voted-down answer: the entry that answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
    /// The matcher's top candidates, best first.
    #[serde(default)]
    pub candidates: Vec<Scored>,
    #[serde(flatten)]
    pub place: Place,
    /// The asker's keyed hash, never their id or name.
    pub user: Option<String>,
}

impl Unanswered {
    /// The log line for `reply`, if it is one citebot could not answer.
    pub fn from_reply(reply: &Reply, place: Place, user: Option<String>) -> Option<Unanswered> {
        let status = match reply.status {
            // Nothing asked ("🙂"): no gap in the knowledge to show a curator.
            _ if reply.asks_nothing() => return None,
            Status::Answered => return None,
            Status::Ambiguous => Why::Ambiguous,
            Status::NoMatch => Why::NoMatch,
        };
        Some(Unanswered {
            time: now(),
            status,
            question: Some(reply.question.clone()),
            entry: None,
            candidates: reply
                .suggestions
                .iter()
                .map(|s| Scored {
                    entry: s.entry_id.clone(),
                    score: s.score,
                })
                .collect(),
            place,
            user,
        })
    }

    /// When it was logged, if its time reads.
    pub fn at(&self) -> Option<SystemTime> {
        humantime::parse_rfc3339(&self.time).ok()
    }
}

/// The current time as the log writes it.
pub fn now() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

/// The log file, appended to by one process.
#[derive(Debug)]
pub struct UnansweredLog {
    path: PathBuf,
    max_bytes: u64,
    /// Appends and rotations happen one at a time.
    lock: Mutex<()>,
}

impl UnansweredLog {
    pub fn new(path: PathBuf, max_bytes: u64) -> UnansweredLog {
        UnansweredLog {
            path,
            max_bytes,
            lock: Mutex::new(()),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one line, rotating first if it would pass the bound.
    pub fn append(&self, record: &Unanswered) -> std::io::Result<()> {
        let mut line = serde_json::to_string(record).map_err(std::io::Error::other)?;
        line.push('\n');
        let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        let size = std::fs::metadata(&self.path).map_or(0, |m| m.len());
        if size > 0 && size + line.len() as u64 > self.max_bytes {
            std::fs::rename(&self.path, rotated(&self.path))?;
        }
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.append(true).create(true);
        // Readers' questions: for the curators' eyes only.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options.open(&self.path)?.write_all(line.as_bytes())
    }
}

/// The name the previous file is kept under: `<path>.1`.
pub fn rotated(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".1");
    PathBuf::from(name)
}

/// What [`read`] found.
#[derive(Debug, Default)]
pub struct Read {
    /// Oldest first.
    pub records: Vec<Unanswered>,
    /// Lines that were not log records (`file:line: why`), e.g. a line cut by a crash.
    pub skipped: Vec<String>,
    /// Whether the log or its rotated predecessor was there at all: a log path that names
    /// nothing (a typo, another config) must not read as "nothing went unanswered".
    pub found: bool,
}

/// Reads the log and its rotated predecessor, oldest first. Missing files are empty (and
/// [`Read::found`] says whether either was there).
pub fn read(path: &Path) -> std::io::Result<Read> {
    let mut out = Read::default();
    for file in [rotated(path), path.to_path_buf()] {
        let text = match std::fs::read_to_string(&file) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        out.found = true;
        for (number, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str(line) {
                Ok(record) => out.records.push(record),
                Err(e) => out
                    .skipped
                    .push(format!("{}:{}: {e}", file.display(), number + 1)),
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(question: &str) -> Unanswered {
        Unanswered {
            time: now(),
            status: Why::NoMatch,
            question: Some(question.to_string()),
            entry: None,
            candidates: vec![Scored {
                entry: "capture".into(),
                score: 0.25,
            }],
            place: Place {
                guild: Some("12".into()),
                channel: Some("34".into()),
            },
            user: Some("ab12".into()),
        }
    }

    #[test]
    fn nothing_asked_is_no_gap() {
        let snapshot = crate::engine::Snapshot::load(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid"),
            &crate::matcher::MatchingConfig::default(),
        )
        .unwrap_or_else(|report| panic!("{}", report.render(false)));
        let place = Place {
            guild: None,
            channel: None,
        };
        assert!(Unanswered::from_reply(&snapshot.ask("🙂"), place.clone(), None).is_none());
        let unknown = snapshot.ask("what are their names");
        assert!(Unanswered::from_reply(&unknown, place, None).is_some());
    }

    #[test]
    fn lines_round_trip_and_read_oldest_first() {
        let dir = tempfile::tempdir().unwrap();
        let log = UnansweredLog::new(dir.path().join("sub/unanswered.jsonl"), 1_000_000);
        log.append(&record("first?")).unwrap();
        log.append(&record("second?")).unwrap();
        let text = std::fs::read_to_string(log.path()).unwrap();
        assert_eq!(text.lines().count(), 2);
        let line: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        assert_eq!(line["status"], "no_match");
        assert_eq!(line["guild"], "12");
        assert_eq!(line["candidates"][0]["entry"], "capture");
        let read = read(log.path()).unwrap();
        assert!(read.found);
        assert!(read.skipped.is_empty());
        let questions: Vec<_> = read.records.iter().map(|r| r.question.clone()).collect();
        assert_eq!(questions, [Some("first?".into()), Some("second?".into())]);
        assert!(read.records[0].at().is_some());
    }

    #[test]
    fn the_log_rotates_at_its_bound() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("unanswered.jsonl");
        let line_len = serde_json::to_string(&record("question 00?"))
            .unwrap()
            .len() as u64
            + 1;
        // Room for three lines, not four.
        let log = UnansweredLog::new(path.clone(), line_len * 3 + line_len / 2);
        for i in 0..10 {
            log.append(&record(&format!("question {i:02}?"))).unwrap();
            let size = std::fs::metadata(&path).unwrap().len();
            assert!(size <= line_len * 3 + line_len / 2, "{size} after {i}");
        }
        let current = std::fs::read_to_string(&path).unwrap();
        let previous = std::fs::read_to_string(rotated(&path)).unwrap();
        assert_eq!(current.lines().count(), 1, "{current}");
        assert_eq!(previous.lines().count(), 3, "{previous}");
        // Only the newest four survive: older ones went with the earlier rotations.
        let read = read(&path).unwrap();
        let questions: Vec<_> = read
            .records
            .iter()
            .filter_map(|r| r.question.clone())
            .collect();
        assert_eq!(
            questions,
            [
                "question 06?",
                "question 07?",
                "question 08?",
                "question 09?"
            ]
        );
    }

    #[test]
    fn a_missing_log_is_told_from_an_empty_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("unanswered.jsonl");
        let missing = read(&path).unwrap();
        assert!(!missing.found && missing.records.is_empty());
        std::fs::write(&path, "").unwrap();
        let empty = read(&path).unwrap();
        assert!(empty.found && empty.records.is_empty());
        // Only the rotated file left (the bot has not logged since a rotation): found.
        std::fs::rename(&path, rotated(&path)).unwrap();
        assert!(read(&path).unwrap().found);
    }

    #[test]
    fn a_broken_line_is_skipped_and_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("unanswered.jsonl");
        let good = serde_json::to_string(&record("ok?")).unwrap();
        std::fs::write(&path, format!("{good}\n{{\"time\": \"cut\n")).unwrap();
        let read = read(&path).unwrap();
        assert_eq!(read.records.len(), 1);
        assert_eq!(read.skipped.len(), 1);
        assert!(
            read.skipped[0].contains("unanswered.jsonl:2"),
            "{:?}",
            read.skipped
        );
    }

    #[test]
    fn answered_replies_are_not_logged() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
        let knowledge = crate::knowledge::loader::parse(&dir).unwrap();
        let entry = knowledge.entries[0].id.clone();
        let snapshot =
            crate::engine::Snapshot::new(knowledge, &crate::matcher::MatchingConfig::default());
        let answered = snapshot.answer_entry(&entry).unwrap();
        assert!(Unanswered::from_reply(&answered, Place::default(), None).is_none());
        let unknown = snapshot.ask("what is the capital of peru and its population");
        let logged = Unanswered::from_reply(&unknown, Place::default(), Some("h".into())).unwrap();
        assert_eq!(logged.question.as_deref(), Some(unknown.question.as_str()));
        assert_eq!(logged.status.as_str(), unknown.status.as_str());
        assert_eq!(logged.candidates.len(), unknown.suggestions.len());
    }
}
