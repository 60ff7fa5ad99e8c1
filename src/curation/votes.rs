//! Readers' votes on answers ("helpful" / "not helpful"), kept durably in one JSON file.
//!
//! The file holds every vote ever cast (50 to 150 bytes each) and is rewritten whole on each
//! new or changed one: milliseconds at tens of thousands of votes. The Discord front end saves
//! on a blocking thread and charges each press to the reader's cooldown, so the rewrites keep
//! a reader's pace. An append-only log would be the next step if votes ran to the millions.
//!
//! One vote per reader per answer (an answer is one posted message, named by the front end);
//! voting again replaces the earlier vote. Readers are keyed hashes, never ids (see `hash.rs`).
//! Every change is written atomically: a temporary file in the same folder, synced, then renamed
//! over the old one, so a crash leaves either the old votes or the new, never half a file.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// The votes file's name, beside the unanswered log.
pub const VOTES_FILE: &str = "citebot-votes.json";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Vote {
    Up,
    Down,
}

/// What a vote did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cast {
    /// The reader's first vote on this answer.
    New,
    /// The reader changed their mind.
    Changed,
    /// The same vote again: nothing changed.
    Same,
}

/// The votes on one answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct AnswerVotes {
    entry: String,
    /// Reader hash to vote.
    voters: BTreeMap<String, Vote>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct VoteFile {
    /// Answer (message) id to its votes.
    answers: BTreeMap<String, AnswerVotes>,
}

/// One entry's votes, for `citebot stats` and `/kb status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub entry: String,
    pub helpful: u32,
    pub not_helpful: u32,
}

impl Tally {
    /// The share of helpful votes, in [0, 1].
    pub fn ratio(&self) -> f64 {
        let total = self.helpful + self.not_helpful;
        if total == 0 {
            1.0
        } else {
            f64::from(self.helpful) / f64::from(total)
        }
    }
}

/// The votes file, loaded, and written on every change.
#[derive(Debug)]
pub struct VoteStore {
    path: PathBuf,
    votes: Mutex<VoteFile>,
}

impl VoteStore {
    /// Loads `path`; a missing file is no votes yet. A file that does not read is an error
    /// (starting empty would overwrite the curators' numbers on the next vote).
    pub fn load(path: &Path) -> Result<VoteStore, String> {
        let votes = match std::fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| {
                format!(
                    "{}:{}:{}: the votes file does not read: {e}\n  hint: restore it from a backup, or move it away to start counting afresh",
                    path.display(),
                    e.line(),
                    e.column()
                )
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => VoteFile::default(),
            Err(e) => {
                return Err(format!(
                    "cannot read the votes file {}: {e}\n  hint: check its permissions",
                    path.display()
                ));
            }
        };
        Ok(VoteStore {
            path: path.to_path_buf(),
            votes: Mutex::new(votes),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records `voter`'s `vote` on the answer `answer` (which answered `entry`) and saves.
    /// On a failed save nothing changes, in memory or on disk.
    pub fn cast(
        &self,
        answer: &str,
        entry: &str,
        voter: &str,
        vote: Vote,
    ) -> std::io::Result<Cast> {
        let mut votes = self.votes.lock().unwrap_or_else(|e| e.into_inner());
        let mut next = votes.clone();
        let on_answer = next.answers.entry(answer.to_string()).or_default();
        on_answer.entry = entry.to_string();
        let cast = match on_answer.voters.insert(voter.to_string(), vote) {
            None => Cast::New,
            Some(before) if before == vote => Cast::Same,
            Some(_) => Cast::Changed,
        };
        if cast != Cast::Same {
            save(&self.path, &next)?;
            *votes = next;
        }
        Ok(cast)
    }

    /// Every voted entry's tally, worst first: lowest share of helpful votes, then most "not
    /// helpful" votes, then by id.
    pub fn tallies(&self) -> Vec<Tally> {
        let votes = self.votes.lock().unwrap_or_else(|e| e.into_inner());
        let mut by_entry: BTreeMap<&str, Tally> = BTreeMap::new();
        for answer in votes.answers.values() {
            let tally = by_entry.entry(&answer.entry).or_insert_with(|| Tally {
                entry: answer.entry.clone(),
                helpful: 0,
                not_helpful: 0,
            });
            for vote in answer.voters.values() {
                match vote {
                    Vote::Up => tally.helpful += 1,
                    Vote::Down => tally.not_helpful += 1,
                }
            }
        }
        let mut tallies: Vec<Tally> = by_entry.into_values().collect();
        tallies.sort_by(|a, b| {
            a.ratio()
                .total_cmp(&b.ratio())
                .then(b.not_helpful.cmp(&a.not_helpful))
                .then_with(|| a.entry.cmp(&b.entry))
        });
        tallies
    }
}

/// Writes `votes` to `path` atomically: temp file in the same folder, fsync, rename.
fn save(path: &Path, votes: &VoteFile) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(votes).map_err(std::io::Error::other)?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir)?;
    let name = path
        .file_name()
        .map_or_else(|| "votes".into(), |n| n.to_string_lossy().into_owned());
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written?;
    // The rename itself is durable once the folder is synced (best effort: not every system
    // lets a folder be opened for that).
    if let Ok(folder) = std::fs::File::open(&dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_mind_replaces_the_vote() {
        let dir = tempfile::tempdir().unwrap();
        let store = VoteStore::load(&dir.path().join(VOTES_FILE)).unwrap();
        assert_eq!(
            store.cast("m1", "capture", "alice", Vote::Up).unwrap(),
            Cast::New
        );
        assert_eq!(
            store.cast("m1", "capture", "alice", Vote::Up).unwrap(),
            Cast::Same
        );
        assert_eq!(
            store.cast("m1", "capture", "alice", Vote::Down).unwrap(),
            Cast::Changed
        );
        assert_eq!(
            store.cast("m1", "capture", "bob", Vote::Up).unwrap(),
            Cast::New
        );
        // The same reader on another answer of the same entry is another vote.
        assert_eq!(
            store.cast("m2", "capture", "alice", Vote::Up).unwrap(),
            Cast::New
        );
        assert_eq!(
            store.tallies(),
            [Tally {
                entry: "capture".into(),
                helpful: 2,
                not_helpful: 1
            }]
        );
    }

    #[test]
    fn votes_survive_a_reload_from_disk() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(VOTES_FILE);
        let store = VoteStore::load(&path).unwrap();
        store.cast("m1", "capture", "alice", Vote::Up).unwrap();
        store.cast("m1", "capture", "bob", Vote::Up).unwrap();
        store.cast("m2", "born", "alice", Vote::Down).unwrap();
        drop(store);
        let reloaded = VoteStore::load(&path).unwrap();
        assert_eq!(reloaded.tallies().len(), 2);
        // Alice changes her mind after the restart: replaced, not added.
        assert_eq!(
            reloaded.cast("m1", "capture", "alice", Vote::Down).unwrap(),
            Cast::Changed
        );
        let tallies = VoteStore::load(&path).unwrap().tallies();
        assert_eq!(
            tallies,
            [
                Tally {
                    entry: "born".into(),
                    helpful: 0,
                    not_helpful: 1
                },
                Tally {
                    entry: "capture".into(),
                    helpful: 1,
                    not_helpful: 1
                },
            ],
            "worst ratio first"
        );
        // Only the votes file is left: no temporary files behind.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [VOTES_FILE]);
    }

    #[test]
    fn a_broken_file_is_refused_with_its_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(VOTES_FILE);
        std::fs::write(&path, "{\n  \"answers\": {\n    \"m1\": ").unwrap();
        let error = VoteStore::load(&path).unwrap_err();
        assert!(error.contains(&format!("{}:3:", path.display())), "{error}");
        assert!(error.contains("hint"), "{error}");
    }

    #[test]
    fn a_failed_save_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        // The votes "file" is a folder: the rename fails.
        let path = dir.path().join("votes-dir");
        std::fs::create_dir(&path).unwrap();
        std::fs::write(path.join("keep"), "x").unwrap();
        let store = VoteStore {
            path: path.clone(),
            votes: Mutex::new(VoteFile::default()),
        };
        assert!(store.cast("m1", "capture", "alice", Vote::Up).is_err());
        assert!(store.tallies().is_empty());
    }
}
