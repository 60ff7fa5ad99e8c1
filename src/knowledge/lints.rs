//! `citebot check`: loads the knowledge like the bot does, then lints what loading cannot see.
//!
//! Errors (the knowledge is refused): a listed question that does not retrieve its own entry
//! first and unambiguously (naming the entry it collides with, with the scores), retrieves
//! nothing, or lands on a `not_in_article`; an entry's question that reads as a request to act,
//! asks about the bot in an entry that does not answer such questions, or asks for a kind of
//! answer (a count, a time, a place...) its entry's answer does not give; a probe that does not
//! get its expected result. Warnings (it still loads): article lines no excerpt cites, an
//! excerpt found in several lines, entries with a single phrasing, long answers, synonyms
//! listing their own key or found in two groups, ids unfit for buttons and JSON, a meaning
//! model tuned on other questions than the file's or that left other questions out of its
//! tuning than those citebot reads as function words alone.
//!
//! The engine runs [`check`] on every (re)load, so a running bot never serves knowledge that
//! `citebot check` would reject.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::Knowledge;
use super::diagnostics::{Diagnostic, Severity, SourceFile, SourceFiles, render};
use super::loader::{self, Loaded, QA_FILE};
use crate::matcher::{
    Candidate, Decision, Matcher, MatchingConfig, normalise, requests, to_the_bot,
};

/// Answers longer than this many characters get a warning: the excerpts carry the detail.
pub const LONG_ANSWER_CHARS: usize = 600;
/// Longest id that still fits in a Discord button's custom id with room for a prefix.
pub const MAX_ID_CHARS: usize = 64;

/// What `citebot check` found.
#[derive(Debug, Clone)]
pub struct CheckReport {
    /// The knowledge, if it parsed (it may still have lint errors: see [`has_errors`]).
    ///
    /// [`has_errors`]: CheckReport::has_errors
    pub knowledge: Option<Knowledge>,
    /// The matcher the lints ran, built over `knowledge`: whoever serves that knowledge next
    /// (`engine::Snapshot::load`) takes it instead of indexing the same knowledge again.
    pub matcher: Option<Arc<Matcher>>,
    /// Errors first, then warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// The texts the diagnostics quote.
    pub files: SourceFiles,
    /// The `qa.toml` checked.
    pub qa_path: PathBuf,
}

impl CheckReport {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// Every diagnostic, compiler-style, then the summary line.
    pub fn render(&self, color: bool) -> String {
        let mut text = render(&self.diagnostics, &self.files, color);
        text.push_str(&self.summary());
        text.push('\n');
        text
    }

    /// One line: what was checked and how it went.
    pub fn summary(&self) -> String {
        let tally = format!(
            "{}, {}",
            plural(self.errors(), "error"),
            plural(self.warnings(), "warning")
        );
        let size = self.knowledge.as_ref().map(|k| {
            let gaps = match k.not_in_article.len() {
                0 => String::new(),
                n => format!(
                    ", {n} not in the article ({})",
                    plural(
                        k.not_in_article.iter().map(|g| g.questions.len()).sum(),
                        "question"
                    )
                ),
            };
            let meaning = if self.matcher.as_ref().is_some_and(|m| m.reads_meaning()) {
                ", read by meaning too"
            } else {
                ""
            };
            format!(
                "{}, {}{gaps}, {}{meaning}",
                plural(k.entries.len(), "entry"),
                plural(
                    k.entries.iter().map(|e| e.questions.len()).sum(),
                    "question"
                ),
                plural(k.probes.len(), "probe")
            )
        });
        match (self.has_errors(), size) {
            (false, Some(size)) => format!("check: {size}: {tally}"),
            (false, None) => format!("check: {tally}"),
            (true, Some(size)) => {
                format!(
                    "check failed: {tally} in {} ({size})",
                    self.qa_path.display()
                )
            }
            (true, None) => format!("check failed: {tally} in {}", self.qa_path.display()),
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    match (n, word) {
        (1, _) => format!("1 {word}"),
        (_, "entry") => format!("{n} entries"),
        _ => format!("{n} {word}s"),
    }
}

/// Loads `dir` and lints it.
pub fn check(dir: &Path, config: &MatchingConfig) -> CheckReport {
    report(dir, loader::load(dir), config)
}

/// [`check`] on texts (the article's path is still taken from `qa_text`, under `dir`), with
/// `dir`'s meaning model as [`check`] would use: `/kb teach` checks its edit exactly as the
/// reload after it will.
pub fn check_str(
    dir: &Path,
    qa_text: &str,
    article_text: &str,
    config: &MatchingConfig,
) -> CheckReport {
    let loaded = loader::load_str(dir, qa_text, article_text)
        .and_then(|loaded| loader::attach_meaning(dir, loaded));
    report(dir, loaded, config)
}

fn report(
    dir: &Path,
    loaded: Result<Loaded, loader::LoadError>,
    config: &MatchingConfig,
) -> CheckReport {
    match loaded {
        Err(error) => CheckReport {
            knowledge: None,
            matcher: None,
            diagnostics: error.diagnostics,
            files: error.files,
            qa_path: dir.join(QA_FILE),
        },
        Ok(loaded) => {
            let matcher = Arc::new(Matcher::new(&loaded.knowledge, config));
            let mut diagnostics = lint_with(&loaded, &matcher, config);
            // Stable: keeps each severity's diagnostics in file order.
            diagnostics.sort_by_key(|d| d.severity != Severity::Error);
            CheckReport {
                diagnostics,
                files: loaded.files,
                qa_path: loaded.qa_path,
                knowledge: Some(loaded.knowledge),
                matcher: Some(matcher),
            }
        }
    }
}

/// Every lint over a loaded knowledge, in file order.
pub fn lint(loaded: &Loaded, config: &MatchingConfig) -> Vec<Diagnostic> {
    lint_with(loaded, &Matcher::new(&loaded.knowledge, config), config)
}

/// [`lint`] with the matcher already built over `loaded.knowledge` with `config`.
fn lint_with(loaded: &Loaded, matcher: &Matcher, config: &MatchingConfig) -> Vec<Diagnostic> {
    let Some(qa) = loaded.qa_file() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let lints = Lints {
        loaded,
        qa,
        matcher,
        config,
    };
    lints.entries(&mut out);
    lints.probes(&mut out);
    lints.synonyms(&mut out);
    lints.uncited(&mut out);
    lints.meaning(&mut out);
    out
}

struct Lints<'a> {
    loaded: &'a Loaded,
    qa: &'a SourceFile,
    matcher: &'a Matcher,
    config: &'a MatchingConfig,
}

impl Lints<'_> {
    fn knowledge(&self) -> &Knowledge {
        &self.loaded.knowledge
    }

    fn id(&self, entry: usize) -> &str {
        self.knowledge()
            .entries
            .get(entry)
            .map_or("?", |e| e.id.as_str())
    }

    fn gap_id(&self, gap: usize) -> &str {
        self.knowledge()
            .not_in_article
            .get(gap)
            .map_or("?", |g| g.id.as_str())
    }

    /// Where a stored question was written.
    fn question_span(&self, candidate: &Candidate) -> Option<Range<usize>> {
        let spans = self.loaded.spans.entries.get(candidate.entry)?;
        spans.question.get(candidate.question).cloned()
    }

    /// The score `entry` gets for `question`, if it ranks at all.
    fn score_of(&self, question: &str, entry: usize) -> Option<f32> {
        self.matcher
            .rank(question, self.knowledge().entries.len())
            .into_iter()
            .find(|c| c.entry == entry)
            .map(|c| c.score)
    }

    fn entries(&self, out: &mut Vec<Diagnostic>) {
        let qa = self.qa;
        for (index, (entry, spans)) in self
            .knowledge()
            .entries
            .iter()
            .zip(&self.loaded.spans.entries)
            .enumerate()
        {
            if !is_plain_id(&entry.id) {
                out.push(
                    Diagnostic::warning(
                        "id-style",
                        &qa.path,
                        format!("entry id `{}` is awkward", entry.id),
                    )
                    .at(qa, spans.id.clone(), "not a plain id")
                    .help(format!(
                        "ids appear in JSON and in Discord buttons: use lowercase letters, digits, \
                             `-` and `_`, at most {MAX_ID_CHARS} characters"
                    )),
                );
            }
            let plain: Vec<String> = entry
                .questions
                .iter()
                .map(|q| normalise::plain(q))
                .collect();
            let answers_the_bot = to_the_bot::answers_the_bot(plain.iter().map(String::as_str));
            for (question, span) in entry.questions.iter().zip(&spans.question) {
                if !answers_the_bot && to_the_bot::is_to_the_bot(question) {
                    // A reader asking it would never get this entry: only an entry asked about
                    // the bot answers a question about the bot.
                    out.push(
                        Diagnostic::error(
                            "question-to-the-bot",
                            &qa.path,
                            format!("a question of `{}` asks about the bot itself", entry.id),
                        )
                        .at(qa, span.clone(), "addressed to the bot (\"you\", \"your\")")
                        .note(format!(
                            "citebot answers a question about itself (\"how old are you\") only with an entry at least {} of whose questions are such (\"where do your answers come from?\")",
                            to_the_bot::QUESTIONS_TO_THE_BOT
                        ))
                        .help("word it about the article (\"how old are they\", \"can you tell me...\"), or move it to an entry about the bot"),
                    );
                } else if let Some(kind) = self.matcher.lacks(index, question) {
                    // A reader asking it would never get this entry: a count, a time, a
                    // colour... is answered only by an answer that gives one.
                    out.push(
                        Diagnostic::error(
                            "answer-lacks-kind",
                            &qa.path,
                            format!("a question of `{}` {}", entry.id, kind.lacking()),
                        )
                        .at(qa, span.clone(), format!("asks for {}", kind.what()))
                        .note(format!("citebot answers {}", kind.rule()))
                        .help("give it in the answer if the article has it; otherwise move the question to a [[not_in_article]] group"),
                    );
                } else if requests::is_request(question) {
                    // A reader asking it would never get this entry: requests are not answered.
                    out.push(
                        Diagnostic::error(
                            "question-is-request",
                            &qa.path,
                            format!(
                                "a question of `{}` reads as a request for the bot to act",
                                entry.id
                            ),
                        )
                        .at(qa, span.clone(), "opens with an acting verb")
                        .note("citebot never answers a request (\"say...\", \"send...\", \"pretend...\") with an entry")
                        .help("word it as a reader's question (\"what does the article say about...\"), or move it to a [[not_in_article]] group"),
                    );
                } else if let Some(diagnostic) = self.retrieval(index, question, span.clone()) {
                    out.push(diagnostic);
                }
            }
            if entry.questions.len() == 1 {
                out.push(
                    Diagnostic::warning("single-question", &qa.path, format!("entry `{}` has only one question", entry.id))
                        .at(qa, spans.questions.clone(), "one phrasing")
                        .help("add the other ways readers would ask it (formal, terse, informal): each phrasing widens what matches"),
                );
            }
            let length = entry.answer.chars().count();
            if length > LONG_ANSWER_CHARS {
                out.push(
                    Diagnostic::warning(
                        "long-answer",
                        &qa.path,
                        format!("the answer of `{}` is {length} characters long", entry.id),
                    )
                    .at(qa, spans.answer.start..spans.answer.start + 1, "starts here")
                    .help(format!("keep answers under {LONG_ANSWER_CHARS} characters: the excerpts carry the detail")),
                );
            }
            for (excerpt, span) in entry.excerpts.iter().zip(&spans.excerpt) {
                let lines: Vec<usize> = self
                    .knowledge()
                    .article
                    .lines
                    .iter()
                    .enumerate()
                    .filter(|(_, line)| line.contains(&excerpt.text))
                    .map(|(i, _)| i + 1)
                    .collect();
                if lines.len() > 1 {
                    let list: Vec<String> = lines.iter().map(usize::to_string).collect();
                    out.push(
                        Diagnostic::warning(
                            "ambiguous-excerpt",
                            &qa.path,
                            format!(
                                "an excerpt of `{}` appears in article lines {}",
                                entry.id,
                                list.join(", ")
                            ),
                        )
                        .at(qa, span.clone(), format!("cited as {}", excerpt.label))
                        .help("quote a longer passage so it points at one paragraph"),
                    );
                }
            }
        }
    }

    /// An error unless `question`, listed under entry `index`, retrieves that entry clearly.
    fn retrieval(&self, index: usize, question: &str, span: Range<usize>) -> Option<Diagnostic> {
        let qa = self.qa;
        let id = self.id(index);
        let shown = shorten(question);
        match self.matcher.decide_by_words(question) {
            Decision::Answered(best) if best.entry == index => None,
            Decision::Answered(best) => {
                let own = self.score_of(question, index).unwrap_or(0.0);
                let other = self.id(best.entry);
                let mut diagnostic = Diagnostic::error(
                    "question-collision",
                    &qa.path,
                    format!("question \"{shown}\" of `{id}` retrieves `{other}` instead"),
                )
                .at(qa, span, format!("`{other}` scores {:.2}, `{id}` {own:.2}", best.score))
                .help(format!(
                    "reword the question so it is clearly about `{id}`, move it to `{other}` if that \
                     entry answers it, or remove it"
                ));
                if let Some(winner) = self.question_span(&best) {
                    diagnostic =
                        diagnostic.also(qa, winner, format!("the question of `{other}` that wins"));
                }
                Some(diagnostic)
            }
            Decision::Ambiguous(close) => {
                let rival = close.iter().find(|c| c.entry != index).copied();
                let own = close
                    .iter()
                    .find(|c| c.entry == index)
                    .map(|c| c.score)
                    .or_else(|| self.score_of(question, index))
                    .unwrap_or(0.0);
                let scores: Vec<String> = close
                    .iter()
                    .map(|c| format!("`{}` {:.2}", self.id(c.entry), c.score))
                    .collect();
                let rival_id = rival.map_or("another entry", |c| self.id(c.entry));
                let mut diagnostic = Diagnostic::error(
                    "question-collision",
                    &qa.path,
                    format!("question \"{shown}\" of `{id}` is ambiguous with `{rival_id}`"),
                )
                .at(qa, span, format!("too close to call: {}", scores.join(", ")))
                .note(format!(
                    "`{id}` scores {own:.2}; an answer needs the best score clear of the next entry's by {:.2}",
                    self.config.margin
                ))
                .help(format!(
                    "make the two entries' questions differ: reword this one, or the one of `{rival_id}`, \
                     or merge the entries if they answer the same thing"
                ));
                if let Some(winner) = rival.and_then(|c| self.question_span(&c)) {
                    diagnostic = diagnostic.also(
                        qa,
                        winner,
                        format!("the question of `{rival_id}` it is confused with"),
                    );
                }
                Some(diagnostic)
            }
            Decision::NotInArticle { gap, .. } => {
                let gap_id = self.gap_id(gap);
                let mut diagnostic = Diagnostic::error(
                    "question-collision",
                    &qa.path,
                    format!(
                        "question \"{shown}\" of `{id}` matches `{gap_id}`, listed as not in the article"
                    ),
                )
                .at(qa, span, "answered with the note instead")
                .help(format!(
                    "reword this question or those of `{gap_id}` so they differ; if the article does \
                     answer them, remove them from `[[not_in_article]]`"
                ));
                if let Some(spans) = self.loaded.spans.not_in_article.get(gap) {
                    diagnostic = diagnostic.also(qa, spans.id.clone(), "listed here");
                }
                Some(diagnostic)
            }
            Decision::NoMatch(near) => {
                let own = self.score_of(question, index).unwrap_or(0.0);
                let best = near
                    .first()
                    .map(|c| format!("; the best is `{}` at {:.2}", self.id(c.entry), c.score))
                    .unwrap_or_default();
                Some(
                    Diagnostic::error(
                        "question-unmatched",
                        &qa.path,
                        format!("question \"{shown}\" of `{id}` does not retrieve any entry"),
                    )
                    .at(qa, span, format!("`{id}` scores {own:.2}, below the threshold {:.2}{best}", self.config.threshold))
                    .help(
                        "write the question with the words readers use (stop words like \"the\" or \"what\" \
                         do not count), or add keywords or synonyms that link it to the answer",
                    ),
                )
            }
        }
    }

    fn probes(&self, out: &mut Vec<Diagnostic>) {
        let qa = self.qa;
        for (probe, spans) in self
            .knowledge()
            .probes
            .iter()
            .zip(&self.loaded.spans.probes)
        {
            let shown = shorten(&probe.question);
            let decision = self.matcher.decide(&probe.question);
            let got = match &decision {
                Decision::Answered(c) => format!("`{}` ({:.2})", self.id(c.entry), c.score),
                Decision::Ambiguous(close) => {
                    let names: Vec<String> = close
                        .iter()
                        .map(|c| format!("`{}` ({:.2})", self.id(c.entry), c.score))
                        .collect();
                    format!("ambiguous between {}", names.join(", "))
                }
                Decision::NoMatch(near) => match near.first() {
                    Some(c) => format!("no match (best `{}`, {:.2})", self.id(c.entry), c.score),
                    None => "no match".to_string(),
                },
                Decision::NotInArticle { gap, .. } => {
                    format!("not in the article (`{}`)", self.gap_id(*gap))
                }
            };
            let diagnostic = match (&probe.expect, &decision) {
                (None, Decision::NoMatch(_) | Decision::NotInArticle { .. }) => continue,
                (Some(expect), Decision::Answered(c)) if self.id(c.entry) == expect => continue,
                (None, _) => Diagnostic::error(
                    "probe-failed",
                    &qa.path,
                    format!("probe \"{shown}\" must match nothing, but got {got}"),
                )
                .at(qa, spans.question.clone(), "matches")
                .help(
                    "the matcher is too eager on this question: reword the entries' questions it hits, \
                     or raise `threshold` under [matching] in config.toml (and re-run the evaluation)",
                ),
                (Some(expect), _) => {
                    let own = self
                        .knowledge()
                        .entries
                        .iter()
                        .position(|e| &e.id == expect)
                        .and_then(|i| self.score_of(&probe.question, i))
                        .unwrap_or(0.0);
                    let mut diagnostic = Diagnostic::error(
                        "probe-failed",
                        &qa.path,
                        format!("probe \"{shown}\" expects `{expect}` but got {got}"),
                    )
                    .at(qa, spans.question.clone(), format!("`{expect}` scores {own:.2}"))
                    .help(format!(
                        "add this phrasing (or one close to it) to the questions of `{expect}`, or \
                         reword the entries it is confused with"
                    ));
                    if let Decision::Answered(c) = decision
                        && let Some(winner) = self.question_span(&c)
                    {
                        diagnostic = diagnostic.also(qa, winner, "the question that wins");
                    }
                    diagnostic
                }
            };
            out.push(diagnostic);
        }
    }

    fn synonyms(&self, out: &mut Vec<Diagnostic>) {
        let qa = self.qa;
        let groups = &self.knowledge().synonyms;
        // Each word's first group, by its key: a word in two groups joins them.
        let mut group_of: HashMap<String, &str> = HashMap::new();
        for group in groups {
            if let Some(key) = group.first() {
                group_of.entry(key.to_lowercase()).or_insert(key);
            }
        }
        for (group, spans) in groups.iter().zip(&self.loaded.spans.synonyms) {
            let Some(key) = group.first() else { continue };
            let mut seen = HashSet::from([key.to_lowercase()]);
            for (value, span) in group.iter().skip(1).zip(&spans.values) {
                let folded = value.to_lowercase();
                if let Some(&other) = group_of.get(&folded)
                    && other != key
                    && !seen.contains(&folded)
                {
                    out.push(
                        Diagnostic::warning(
                            "synonym-in-two-groups",
                            &qa.path,
                            format!("synonym `{key}` lists `{value}`, which is also in the group of `{other}`"),
                        )
                        .at(qa, span.clone(), "in another group too")
                        .note("a word in two groups makes every word of both mean the same, and moves answers")
                        .help("keep each word in one group: remove it here, or there"),
                    );
                }
                group_of.entry(folded.clone()).or_insert(key);
                if !seen.insert(folded) {
                    let what = if value.eq_ignore_ascii_case(key) {
                        "its own key"
                    } else {
                        "a word twice"
                    };
                    out.push(
                        Diagnostic::warning(
                            "synonym-repeat",
                            &qa.path,
                            format!("synonym `{key}` lists {what}"),
                        )
                        .at(qa, span.clone(), "repeated")
                        .help("remove it: the key and each listed word already match one another"),
                    );
                }
            }
        }
    }

    /// A model tuned on an older `qa.toml` still works; it only knows less of the new phrasings.
    fn meaning(&self, out: &mut Vec<Diagnostic>) {
        let knowledge = self.knowledge();
        let Some(model) = knowledge.meaning.as_ref() else {
            return;
        };
        if !model.is_stale_for(knowledge) {
            // Tuned on these very questions: the ones it left out can be compared.
            self.left_out(model.left_out(), out);
            return;
        }
        out.push(
            Diagnostic::warning(
                "meaning-stale",
                &self.qa.path,
                format!(
                    "the meaning model in {} was tuned on other questions than this file's",
                    model.dir().display()
                ),
            )
            .note("it still works, but knows less of the questions added or moved since")
            .help(format!(
                "rebuild it: python3 tools/build_meaning.py {} (about four minutes)",
                model.dir().parent().unwrap_or(model.dir()).display()
            )),
        );
    }

    /// The questions the model's tuning left out (`tools/build_meaning.py`'s reading of
    /// function words, an imitation in Python) must be those the matcher reads as function
    /// words alone: a question tuned on that the matcher never embeds was wasted on the model,
    /// and one left out that the matcher embeds is read by a model that never saw it.
    fn left_out(&self, recorded: Option<&[String]>, out: &mut Vec<Diagnostic>) {
        let Some(recorded) = recorded else {
            return;
        };
        let knowledge = self.knowledge();
        let answers = knowledge.entries.len();
        let wordless: Vec<String> = (self.matcher.wordless_questions())
            .filter_map(|(entry, question)| {
                let (label, questions) = match knowledge.entries.get(entry) {
                    Some(e) => (e.id.clone(), &e.questions),
                    None => {
                        let gap = knowledge.not_in_article.get(entry - answers)?;
                        (format!("gap:{}", gap.id), &gap.questions)
                    }
                };
                Some(format!("{label}\t{}", questions.get(question)?))
            })
            .collect();
        let listed = |list: &[&String]| {
            let shown: Vec<String> = (list.iter().take(5))
                .map(|line| format!("\"{}\"", line.replace('\t', ": ")))
                .collect();
            shown.join(", ") + if list.len() > 5 { ", ..." } else { "" }
        };
        let tuned: Vec<&String> = wordless.iter().filter(|q| !recorded.contains(q)).collect();
        let skipped: Vec<&String> = recorded.iter().filter(|q| !wordless.contains(q)).collect();
        if tuned.is_empty() && skipped.is_empty() {
            return;
        }
        let mut message = Vec::new();
        if !tuned.is_empty() {
            message.push(format!(
                "tuned on {} question(s) citebot reads as function words alone: {}",
                tuned.len(),
                listed(&tuned)
            ));
        }
        if !skipped.is_empty() {
            message.push(format!(
                "left out {} question(s) citebot reads by their words: {}",
                skipped.len(),
                listed(&skipped)
            ));
        }
        out.push(
            Diagnostic::warning(
                "meaning-left-out",
                &self.qa.path,
                format!("the meaning model was {}", message.join("; and ")),
            )
            .note("tools/build_meaning.py reads function words as src/matcher/normalise.rs does, by imitation; the two disagree here")
            .help("make of_function_words in tools/build_meaning.py read these as normalise.rs does, then rebuild the model"),
        );
    }

    fn uncited(&self, out: &mut Vec<Diagnostic>) {
        let Some(article) = self.loaded.article_file() else {
            return;
        };
        let knowledge = self.knowledge();
        let cited: HashSet<usize> = knowledge
            .entries
            .iter()
            .flat_map(|e| e.excerpts.iter().map(|x| x.paragraph))
            .collect();
        for (index, line) in knowledge.article.lines.iter().enumerate() {
            let number = index + 1;
            if line.trim().is_empty() || cited.contains(&number) {
                continue;
            }
            let label = super::Article::label(number);
            let mut diagnostic = Diagnostic::warning(
                "uncited-paragraph",
                &article.path,
                format!("{label} is not cited by any excerpt"),
            )
            .note(format!("it begins: {}", shorten(line)))
            .help("quote it in the entry that answers what it says, or add an entry for it");
            if let Some(span) = article.line_span(number) {
                diagnostic = diagnostic.at_unquoted(article, span);
            }
            out.push(diagnostic);
        }
    }
}

fn is_plain_id(id: &str) -> bool {
    id.chars().count() <= MAX_ID_CHARS
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// A question or passage cut to a readable length for a one-line message.
fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    let text = text.trim();
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
        None => text.to_string(),
    }
}
