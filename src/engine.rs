//! The engine: a knowledge snapshot with its matcher, and the live, reloadable handle on it.
//!
//! Every front end asks through [`Snapshot::ask`], so `citebot ask`, `citebot chat` and Discord
//! give the same reply to the same question. [`LiveKnowledge`] swaps a freshly built snapshot in
//! atomically (arc-swap): a question in flight keeps the snapshot it started with.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use arc_swap::ArcSwap;

use crate::knowledge::Knowledge;
use crate::knowledge::lints::{self, CheckReport};
use crate::matcher::{Candidate, Decision, Matcher, MatchingConfig};
use crate::reply::{NotInArticleNote, Reply, SourceLine, Status, Suggestion};

/// One loaded knowledge and the matcher built over it. Immutable once built.
pub struct Snapshot {
    pub knowledge: Knowledge,
    pub matcher: Arc<Matcher>,
    pub config: MatchingConfig,
    pub loaded_at: SystemTime,
}

impl Snapshot {
    pub fn new(knowledge: Knowledge, config: &MatchingConfig) -> Snapshot {
        let matcher = Arc::new(Matcher::new(&knowledge, config));
        Snapshot::with_matcher(knowledge, matcher, config)
    }

    /// A snapshot from a knowledge and the matcher already built over it with `config`.
    fn with_matcher(
        knowledge: Knowledge,
        matcher: Arc<Matcher>,
        config: &MatchingConfig,
    ) -> Snapshot {
        Snapshot {
            knowledge,
            matcher,
            config: config.clone(),
            loaded_at: SystemTime::now(),
        }
    }

    /// Loads the folder through the full `citebot check`: any error refuses the knowledge.
    pub fn load(dir: &Path, config: &MatchingConfig) -> Result<Snapshot, Box<CheckReport>> {
        let mut report = lints::check(dir, config);
        if !report.has_errors()
            && let Some(knowledge) = report.knowledge.take()
        {
            // The check indexed this very knowledge with this config: serve that index.
            return Ok(match report.matcher.take() {
                Some(matcher) => Snapshot::with_matcher(knowledge, matcher, config),
                None => Snapshot::new(knowledge, config),
            });
        }
        Err(Box::new(report))
    }

    /// citebot's reply to one question.
    pub fn ask(&self, question: &str) -> Reply {
        let (question, truncated) = cut(question, self.config.max_question_chars);
        if crate::reply::asks_nothing(&question, truncated) {
            return Reply {
                suggestions: self.starters(),
                ..self.empty_reply(&question)
            };
        }
        match self.matcher.decide(&question) {
            Decision::Answered(best) => {
                let mut reply = self.entry_reply(best.entry, &question, best.score);
                reply.truncated = truncated;
                reply
            }
            Decision::Ambiguous(close) => Reply {
                status: Status::Ambiguous,
                score: close.first().map_or(0.0, |c| c.score),
                suggestions: self.suggestions(&close),
                truncated,
                ..self.empty_reply(&question)
            },
            Decision::NoMatch(near) => Reply {
                status: Status::NoMatch,
                score: near.first().map_or(0.0, |c| c.score),
                suggestions: self.suggestions(&near),
                truncated,
                ..self.empty_reply(&question)
            },
            Decision::NotInArticle { gap, score, near } => Reply {
                status: Status::NoMatch,
                // How well the question fits what the article is known not to say.
                score,
                suggestions: self.suggestions(&near),
                not_in_article: self.knowledge.not_in_article.get(gap).map(|gap| {
                    NotInArticleNote {
                        id: gap.id.clone(),
                        note: gap.note.clone(),
                    }
                }),
                truncated,
                ..self.empty_reply(&question)
            },
        }
    }

    /// The reply for a chosen entry, as when a reader presses a "did you mean" button.
    pub fn answer_entry(&self, entry_id: &str) -> Option<Reply> {
        let index = self
            .knowledge
            .entries
            .iter()
            .position(|e| e.id == entry_id)?;
        let question = self.knowledge.entries[index]
            .questions
            .first()
            .cloned()
            .unwrap_or_default();
        Some(self.entry_reply(index, &question, 1.0))
    }

    /// Known questions that fit what a reader has typed so far (for autocomplete), best first.
    pub fn complete(&self, partial: &str, limit: usize) -> Vec<Suggestion> {
        let (partial, _) = cut(partial, self.config.max_question_chars);
        self.matcher
            .complete(&partial, limit)
            .into_iter()
            .filter_map(|c| {
                let entry = self.knowledge.entries.get(c.entry)?;
                Some(Suggestion {
                    entry_id: entry.id.clone(),
                    question: entry.questions.get(c.question).cloned().unwrap_or_default(),
                    score: c.score,
                })
            })
            .collect()
    }

    fn entry_reply(&self, index: usize, question: &str, score: f32) -> Reply {
        let entry = &self.knowledge.entries[index];
        Reply {
            status: Status::Answered,
            entry_id: Some(entry.id.clone()),
            score,
            answer: Some(entry.answer.clone()),
            matched_question: entry.questions.first().cloned(),
            excerpts: entry.excerpts.clone(),
            ..self.empty_reply(question)
        }
    }

    /// What to offer a reader who asked nothing: the first entries' first questions, in the
    /// order the curators wrote them (the article's main facts come first).
    fn starters(&self) -> Vec<Suggestion> {
        (self.knowledge.entries.iter())
            .filter_map(|entry| {
                Some(Suggestion {
                    entry_id: entry.id.clone(),
                    question: entry.questions.first()?.clone(),
                    score: 0.0,
                })
            })
            .take(self.config.suggestions)
            .collect()
    }

    /// Only entries are ever offered (a `not_in_article` is nothing to ask).
    fn suggestions(&self, candidates: &[Candidate]) -> Vec<Suggestion> {
        candidates
            .iter()
            .filter_map(|c| {
                let entry = self.knowledge.entries.get(c.entry)?;
                Some(Suggestion {
                    entry_id: entry.id.clone(),
                    question: entry.questions.first().cloned().unwrap_or_default(),
                    score: c.score,
                })
            })
            .take(self.config.suggestions)
            .collect()
    }

    fn empty_reply(&self, question: &str) -> Reply {
        let source = &self.knowledge.source;
        Reply {
            question: question.to_string(),
            status: Status::NoMatch,
            entry_id: None,
            score: 0.0,
            answer: None,
            matched_question: None,
            excerpts: Vec::new(),
            suggestions: Vec::new(),
            not_in_article: None,
            truncated: false,
            source: SourceLine {
                title: source.title.clone(),
                outlet: source.outlet.clone(),
                published: source.published.clone(),
                url: source.url.clone(),
            },
        }
    }
}

/// Cuts `text` to at most `max` characters (not bytes), on a character boundary.
pub fn cut(text: &str, max: usize) -> (String, bool) {
    match text.char_indices().nth(max) {
        Some((byte, _)) => (text[..byte].to_string(), true),
        None => (text.to_string(), false),
    }
}

/// What changed between two knowledge loads, for the reload log line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReloadSummary {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
    pub entries: usize,
}

impl std::fmt::Display for ReloadSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} entries ({} added, {} removed, {} changed)",
            self.entries,
            self.added.len(),
            self.removed.len(),
            self.changed.len()
        )
    }
}

/// The knowledge a running bot serves, swapped atomically on reload.
pub struct LiveKnowledge {
    dir: PathBuf,
    config: MatchingConfig,
    current: ArcSwap<Snapshot>,
    last_error: Mutex<Option<String>>,
    /// Reloads run one at a time (watcher, SIGHUP, /kb reload, /kb teach may coincide), so a
    /// slower reload can never store an older knowledge over a newer one.
    reloading: Mutex<()>,
}

impl LiveKnowledge {
    /// Loads the folder; fails (with `citebot check`'s report) if it has errors.
    pub fn load(dir: &Path, config: &MatchingConfig) -> Result<LiveKnowledge, Box<CheckReport>> {
        let snapshot = Snapshot::load(dir, config)?;
        Ok(LiveKnowledge {
            dir: dir.to_path_buf(),
            config: config.clone(),
            current: ArcSwap::from_pointee(snapshot),
            last_error: Mutex::new(None),
            reloading: Mutex::new(()),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The snapshot to answer one question with. Hold it for the whole question.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.current.load_full()
    }

    /// Re-reads the folder. On errors the current snapshot keeps serving and the rendered
    /// diagnostics are returned (and kept for `/kb status`).
    pub fn reload(&self) -> Result<ReloadSummary, String> {
        // A poisoned lock only means an earlier reload panicked; reloading is still safe.
        let _one_at_a_time = self
            .reloading
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match Snapshot::load(&self.dir, &self.config) {
            Ok(fresh) => {
                let summary = diff(&self.current.load().knowledge, &fresh.knowledge);
                self.current.store(Arc::new(fresh));
                self.set_last_error(None);
                Ok(summary)
            }
            Err(report) => {
                let rendered = report.render(false);
                self.set_last_error(Some(rendered.clone()));
                Err(rendered)
            }
        }
    }

    /// The diagnostics of the last failed reload, cleared by a successful one.
    pub fn last_error(&self) -> Option<String> {
        self.last_error.lock().ok().and_then(|guard| guard.clone())
    }

    fn set_last_error(&self, error: Option<String>) {
        if let Ok(mut guard) = self.last_error.lock() {
            *guard = error;
        }
    }
}

fn diff(old: &Knowledge, new: &Knowledge) -> ReloadSummary {
    let mut summary = ReloadSummary {
        entries: new.entries.len(),
        ..ReloadSummary::default()
    };
    for entry in &new.entries {
        match old.entry(&entry.id) {
            None => summary.added.push(entry.id.clone()),
            Some(before) => {
                if before.questions != entry.questions
                    || before.answer != entry.answer
                    || before.excerpts != entry.excerpts
                    || before.keywords != entry.keywords
                    || before.tags != entry.tags
                {
                    summary.changed.push(entry.id.clone());
                }
            }
        }
    }
    for entry in &old.entries {
        if new.entry(&entry.id).is_none() {
            summary.removed.push(entry.id.clone());
        }
    }
    summary
}
