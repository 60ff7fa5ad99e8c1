//! [`Recorder`]: what a running bot writes for its curators, through one handle: unanswered
//! questions to the log, votes to the votes file (a "not helpful" to the log too), readers as
//! keyed hashes. Writing is best effort for the log (a full disk must not stop answers) and
//! reported for votes (the reader is told their vote did not count).

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use super::hash::{KEY_ENV, UserHasher};
use super::log::{Place, Scored, Unanswered, UnansweredLog, Why, now};
use super::votes::{Cast, Tally, Vote, VoteStore};
use crate::config::LogConfig;
use crate::reply::Reply;

#[derive(Debug)]
pub struct Recorder {
    /// `None` when `[log] unanswered = false`.
    log: Option<UnansweredLog>,
    votes: VoteStore,
    hasher: UserHasher,
    /// The first failed write is an error in the log; later ones only debug lines.
    warned: AtomicBool,
}

/// A vote, as a front end hands it in.
#[derive(Debug, Clone)]
pub struct Ballot<'a> {
    /// The answer voted on (the posted message's id).
    pub answer: &'a str,
    pub entry: &'a str,
    pub user: u64,
    pub vote: Vote,
    /// The reader's question, when the front end still knows it.
    pub question: Option<String>,
    pub score: Option<f32>,
    pub place: Place,
}

impl Recorder {
    /// Opens the log, the votes file and the hashing key that `config` names.
    pub fn open(config: &LogConfig) -> Result<Recorder, String> {
        let folder = config.curation_dir();
        let hasher = UserHasher::load(std::env::var(KEY_ENV).ok(), folder)?;
        let votes = VoteStore::load(&config.votes_path())?;
        let log = config.unanswered.then(|| {
            UnansweredLog::new(config.unanswered_path.clone(), config.unanswered_max_bytes)
        });
        Ok(Recorder {
            log,
            votes,
            hasher,
            warned: AtomicBool::new(false),
        })
    }

    /// Logs `reply` if citebot could not answer it.
    pub fn question(&self, reply: &Reply, place: Place, user: u64) {
        if self.log.is_none() {
            return;
        }
        if let Some(record) = Unanswered::from_reply(reply, place, Some(self.hasher.hash(user))) {
            self.append(&record);
        }
    }

    /// Records a vote; a "not helpful" (new or changed) also goes to the unanswered log.
    pub fn vote(&self, ballot: Ballot<'_>) -> std::io::Result<Cast> {
        let voter = self.hasher.hash(ballot.user);
        let cast = self
            .votes
            .cast(ballot.answer, ballot.entry, &voter, ballot.vote)?;
        if ballot.vote == Vote::Down && cast != Cast::Same && self.log.is_some() {
            self.append(&Unanswered {
                time: now(),
                status: Why::VotedDown,
                question: ballot.question,
                entry: Some(ballot.entry.to_string()),
                candidates: ballot
                    .score
                    .map(|score| Scored {
                        entry: ballot.entry.to_string(),
                        score,
                    })
                    .into_iter()
                    .collect(),
                place: ballot.place,
                user: Some(voter),
            });
        }
        Ok(cast)
    }

    /// Every voted entry, worst first.
    pub fn tallies(&self) -> Vec<Tally> {
        self.votes.tallies()
    }

    fn append(&self, record: &Unanswered) {
        let Some(log) = &self.log else { return };
        if let Err(error) = log.append(record) {
            let path = log.path().display().to_string();
            if self.warned.swap(true, Ordering::Relaxed) {
                tracing::debug!(%error, %path, "could not write the unanswered log");
            } else {
                tracing::error!(%error, %path, "could not write the unanswered log; answering goes on (check the folder is writable, or set [log] unanswered = false)");
            }
        }
    }
}

/// Where the curators' files go: the unanswered log's folder.
pub fn folder_of(log: &Path) -> &Path {
    match log.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curation::log::read;

    #[test]
    fn records_hash_readers_and_log_down_votes() {
        let dir = tempfile::tempdir().unwrap();
        let config = LogConfig {
            unanswered_path: dir.path().join("unanswered.jsonl"),
            ..LogConfig::default()
        };
        let recorder = Recorder::open(&config).unwrap();
        let user = 1_500_000_000_000_000_002_u64;
        let ballot = |vote| Ballot {
            answer: "900",
            entry: "capture",
            user,
            vote,
            question: Some("who took them".to_string()),
            score: Some(0.7),
            place: Place {
                guild: Some("1".into()),
                channel: Some("2".into()),
            },
        };
        assert_eq!(recorder.vote(ballot(Vote::Up)).unwrap(), Cast::New);
        assert_eq!(recorder.vote(ballot(Vote::Down)).unwrap(), Cast::Changed);
        assert_eq!(recorder.vote(ballot(Vote::Down)).unwrap(), Cast::Same);
        let logged = read(&config.unanswered_path).unwrap().records;
        assert_eq!(logged.len(), 1, "one line per change to not helpful");
        assert_eq!(logged[0].status, Why::VotedDown);
        assert_eq!(logged[0].entry.as_deref(), Some("capture"));
        for file in [config.unanswered_path.clone(), config.votes_path()] {
            let text = std::fs::read_to_string(&file).unwrap();
            assert!(
                !text.contains(&user.to_string()),
                "raw id in {}",
                file.display()
            );
            assert!(text.contains(&recorder.hasher.hash(user)), "{text}");
        }
    }

    #[test]
    fn switched_off_logs_nothing_but_still_counts_votes() {
        let dir = tempfile::tempdir().unwrap();
        let config = LogConfig {
            unanswered: false,
            unanswered_path: dir.path().join("unanswered.jsonl"),
            ..LogConfig::default()
        };
        let recorder = Recorder::open(&config).unwrap();
        let ballot = Ballot {
            answer: "900",
            entry: "capture",
            user: 5,
            vote: Vote::Down,
            question: None,
            score: None,
            place: Place::default(),
        };
        recorder.vote(ballot).unwrap();
        assert!(!config.unanswered_path.exists());
        assert_eq!(recorder.tallies()[0].not_helpful, 1);
    }
}
