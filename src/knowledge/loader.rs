//! Loads a knowledge folder: reads `qa.toml` and the article it names, checks everything a
//! curator can get wrong in them, and builds the [`Knowledge`] the rest of citebot trusts.
//!
//! Any problem here is a hard error ([`LoadError`]): unreadable files, TOML syntax or type
//! errors, unknown keys, empty required fields, duplicate ids, excerpts that are not verbatim in
//! one article line, probes expecting an unknown entry. All of them are collected, not just the
//! first, each pointing at the offending value. What needs the matcher, and what is merely worth
//! a warning, is in `lints.rs`, which reads the [`Spans`] kept here.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::closest::{Closest, closest_passage};
use super::diagnostics::{Diagnostic, SourceFile, SourceFiles, render};
use super::raw::{NO_MATCH, RawEntry, RawQa, Text};
use super::{Article, Entry, Excerpt, Knowledge, Probe, Source};

/// The curated file's name inside the knowledge folder.
pub const QA_FILE: &str = "qa.toml";

/// Why a knowledge folder was refused: every problem found, and the texts they quote.
#[derive(Debug, Clone)]
pub struct LoadError {
    pub diagnostics: Vec<Diagnostic>,
    pub files: SourceFiles,
}

impl LoadError {
    /// The diagnostics, compiler-style.
    pub fn render(&self, color: bool) -> String {
        render(&self.diagnostics, &self.files, color)
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.render(false).trim_end())
    }
}

impl std::error::Error for LoadError {}

/// Where one entry's values were written in `qa.toml` (byte spans).
#[derive(Debug, Clone)]
pub struct EntrySpans {
    pub id: Range<usize>,
    /// The whole `questions` array.
    pub questions: Range<usize>,
    /// Each question, in order.
    pub question: Vec<Range<usize>>,
    pub answer: Range<usize>,
    /// Each excerpt, in order.
    pub excerpt: Vec<Range<usize>>,
}

#[derive(Debug, Clone)]
pub struct ProbeSpans {
    pub question: Range<usize>,
    pub expect: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct SynonymSpans {
    pub key: Range<usize>,
    pub values: Vec<Range<usize>>,
}

/// Where the curated values were written, parallel to `Knowledge::{entries, probes, synonyms}`,
/// so lints found after loading can point at them too.
#[derive(Debug, Clone, Default)]
pub struct Spans {
    pub entries: Vec<EntrySpans>,
    pub probes: Vec<ProbeSpans>,
    pub synonyms: Vec<SynonymSpans>,
}

/// A knowledge folder that loaded, with what the lints need to point into it.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub knowledge: Knowledge,
    pub spans: Spans,
    /// `qa.toml` and the article, for quoting.
    pub files: SourceFiles,
    pub qa_path: PathBuf,
}

impl Loaded {
    pub fn qa_file(&self) -> Option<&SourceFile> {
        self.files.get(&self.qa_path)
    }

    pub fn article_file(&self) -> Option<&SourceFile> {
        self.files.get(&self.knowledge.article.path)
    }
}

/// Reads `dir/qa.toml` and the article it names.
pub fn parse(dir: &Path) -> Result<Knowledge, LoadError> {
    load(dir).map(|loaded| loaded.knowledge)
}

/// Builds the knowledge from the two files' texts (the article's path is still taken from the
/// `qa.toml` text, under `dir`, for citations and messages).
pub fn parse_str(dir: &Path, qa_text: &str, article_text: &str) -> Result<Knowledge, LoadError> {
    load_str(dir, qa_text, article_text).map(|loaded| loaded.knowledge)
}

/// [`parse`], keeping the spans and texts for lints.
pub fn load(dir: &Path) -> Result<Loaded, LoadError> {
    let qa_path = dir.join(QA_FILE);
    let qa_text = match read_text(&qa_path) {
        Ok(text) => text,
        Err(failure) => {
            let help = match failure {
                ReadFailure::NotUtf8(_) => "save the file as UTF-8 text".to_string(),
                ReadFailure::Io(_) if dir.is_dir() => format!(
                    "create {} (see the format in README.md), or point --knowledge at the \
                     folder that has it",
                    qa_path.display()
                ),
                ReadFailure::Io(_) => format!(
                    "there is no folder {}: pass --knowledge DIR, or set `dir` under \
                     [knowledge] in config.toml",
                    dir.display()
                ),
            };
            let diagnostic =
                Diagnostic::error("unreadable-file", &qa_path, failure.describe(&qa_path))
                    .help(help);
            return Err(LoadError {
                diagnostics: vec![diagnostic],
                files: SourceFiles::new(),
            });
        }
    };
    let qa = SourceFile::new(&qa_path, qa_text);
    let raw = parse_toml(&qa)?;
    let article = article_path(dir, &qa, &raw).and_then(|path| match read_text(&path) {
        Ok(text) => Ok(SourceFile::new(path, text)),
        Err(failure) => {
            let help = match failure {
                ReadFailure::NotUtf8(_) => "save the article as UTF-8 text".to_string(),
                ReadFailure::Io(_) => format!(
                    "put the article in {} (one paragraph a line), or fix `article` in \
                     [source] to name the article's file in that folder",
                    dir.display()
                ),
            };
            Err(Box::new(
                Diagnostic::error(
                    "unreadable-file",
                    &qa.path,
                    format!("the article: {}", failure.describe(&path)),
                )
                .at(&qa, raw.source.article.span(), "named here")
                .help(help),
            ))
        }
    });
    build(dir, qa, raw, article)
}

/// [`parse_str`], keeping the spans and texts for lints.
pub fn load_str(dir: &Path, qa_text: &str, article_text: &str) -> Result<Loaded, LoadError> {
    let qa = SourceFile::new(dir.join(QA_FILE), qa_text);
    let raw = parse_toml(&qa)?;
    let article = article_path(dir, &qa, &raw).map(|path| SourceFile::new(path, article_text));
    build(dir, qa, raw, article)
}

/// Why a file could not be read as text.
enum ReadFailure {
    Io(std::io::Error),
    /// The byte offset of the first invalid UTF-8 sequence.
    NotUtf8(usize),
}

impl ReadFailure {
    fn describe(&self, path: &Path) -> String {
        match self {
            ReadFailure::Io(e) => format!("cannot read {}: {e}", path.display()),
            ReadFailure::NotUtf8(at) => {
                format!("{} is not valid UTF-8 (at byte {at})", path.display())
            }
        }
    }
}

fn read_text(path: &Path) -> Result<String, ReadFailure> {
    let bytes = std::fs::read(path).map_err(ReadFailure::Io)?;
    String::from_utf8(bytes).map_err(|e| ReadFailure::NotUtf8(e.utf8_error().valid_up_to()))
}

fn parse_toml(qa: &SourceFile) -> Result<RawQa, LoadError> {
    toml::from_str::<RawQa>(&qa.text).map_err(|error| {
        let mut files = SourceFiles::new();
        files.add(qa.clone());
        LoadError {
            diagnostics: vec![toml_diagnostic(qa, &error)],
            files,
        }
    })
}

/// A TOML error as a diagnostic, with advice fitting the kind of mistake.
fn toml_diagnostic(qa: &SourceFile, error: &toml::de::Error) -> Diagnostic {
    let message = error.message().trim().to_string();
    let (code, label, help) = if message.starts_with("unknown field") {
        (
            "unknown-key",
            "unknown key",
            "remove this key or fix its spelling (the keys allowed here are listed above)",
        )
    } else if message.starts_with("missing field") {
        (
            "missing-key",
            "in this table",
            "add the missing key: [source] needs `title` and `article`; every [[entry]] needs \
             `id`, `questions`, `answer` and `excerpts`; every [[probe]] needs `question` and \
             `expect`",
        )
    } else if message.starts_with("invalid type") || message.starts_with("invalid value") {
        (
            "wrong-type",
            "wrong type",
            "`questions`, `excerpts`, `tags`, `keywords` and each synonym list are arrays of \
             strings, like [\"one\", \"two\"]; every other value is a string in quotes",
        )
    } else if message.starts_with("duplicate key") {
        (
            "duplicate-key",
            "written twice",
            "write each key once per table; to add another entry, start a new [[entry]] table",
        )
    } else {
        (
            "toml-syntax",
            "here",
            "fix the TOML at the caret: strings need their closing quote (use '''...''' for text \
             with quotes in it), items in an array need commas between them and a closing `]`",
        )
    };
    let mut diagnostic = Diagnostic::error(code, &qa.path, message).help(help);
    if let Some(span) = error.span() {
        diagnostic = diagnostic.at(qa, span, label);
    }
    if code == "toml-syntax" {
        // A string missing its closing quote often shows up as an error on a later line.
        if let Some(at) = diagnostic.location().map(|l| l.line) {
            for line in [at.saturating_sub(1), at].into_iter().filter(|&n| n > 0) {
                if qa.text.lines().nth(line - 1).is_some_and(unbalanced_quotes) {
                    diagnostic = diagnostic.note(format!(
                        "line {line} has an odd number of `\"`: a string there may be missing its closing quote"
                    ));
                    break;
                }
            }
        }
    }
    diagnostic
}

/// Whether a TOML line has an odd number of unescaped double quotes (multi-line strings and
/// comments aside): the mark of a string left open.
fn unbalanced_quotes(line: &str) -> bool {
    if line.contains("\"\"\"") || line.contains("'''") || line.trim_start().starts_with('#') {
        return false;
    }
    let mut count = 0;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '"' => count += 1,
            '#' if count % 2 == 0 => break,
            _ => {}
        }
    }
    count % 2 == 1
}

/// The article's path: `article` must name a file in the knowledge folder itself, so the
/// folder is self-contained and one watcher on it sees every change.
fn article_path(dir: &Path, qa: &SourceFile, raw: &RawQa) -> Result<PathBuf, Box<Diagnostic>> {
    let name = raw.source.article.get_ref().trim();
    let span = raw.source.article.span();
    if name.is_empty() {
        return Err(Box::new(
            empty(qa, span, "`article` in [source]")
                .help("name the article's file, e.g. article = \"article.txt\""),
        ));
    }
    let plain = Path::new(name)
        .file_name()
        .is_some_and(|file| file == std::ffi::OsStr::new(name));
    if !plain || name.contains(['/', '\\']) {
        return Err(Box::new(
            Diagnostic::error(
                "article-path",
                &qa.path,
                format!("`article` must be a file name in the knowledge folder, not `{name}`"),
            )
            .at(qa, span, "not a plain file name")
            .help(format!(
                "move the article into {} and give just its name, e.g. article = \"article.txt\"",
                dir.display()
            )),
        ));
    }
    Ok(dir.join(name))
}

/// Validates the raw file against the article and builds the knowledge.
fn build(
    dir: &Path,
    qa: SourceFile,
    raw: RawQa,
    article: Result<SourceFile, Box<Diagnostic>>,
) -> Result<Loaded, LoadError> {
    let mut errors = Vec::new();
    let article = match article {
        Ok(file) => Some(file),
        Err(diagnostic) => {
            errors.push(*diagnostic);
            None
        }
    };
    let article_model = article.as_ref().map(article_model);

    let source = build_source(&qa, &raw, &mut errors);
    let (entries, entry_spans) =
        build_entries(&qa, &raw.entries, article_model.as_ref(), &mut errors);
    let (probes, probe_spans) = build_probes(&qa, &raw, &entries, &mut errors);
    let (synonyms, synonym_spans) = build_synonyms(&qa, &raw, &mut errors);

    let mut files = SourceFiles::new();
    files.add(qa.clone());
    if let Some(file) = article {
        files.add(file);
    }
    match article_model {
        Some(article) if errors.is_empty() => Ok(Loaded {
            knowledge: Knowledge {
                dir: dir.to_path_buf(),
                source,
                article,
                entries,
                synonyms,
                probes,
            },
            spans: Spans {
                entries: entry_spans,
                probes: probe_spans,
                synonyms: synonym_spans,
            },
            files,
            qa_path: qa.path,
        }),
        _ => Err(LoadError {
            diagnostics: errors,
            files,
        }),
    }
}

fn article_model(file: &SourceFile) -> Article {
    let checksum = Sha256::digest(file.text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let body = file.text.strip_prefix('\u{feff}').unwrap_or(&file.text);
    Article {
        path: file.path.clone(),
        text: file.text.clone(),
        lines: body.lines().map(str::to_string).collect(),
        checksum,
    }
}

fn empty(qa: &SourceFile, span: Range<usize>, what: impl fmt::Display) -> Diagnostic {
    Diagnostic::error("empty-field", &qa.path, format!("{what} is empty")).at(qa, span, "empty")
}

/// The text of a required string, or an error if it is blank. (`what` is only formatted for the
/// error: loading large knowledge should not pay for messages it does not print.)
fn required(
    qa: &SourceFile,
    value: &Text,
    what: impl fmt::Display,
    help: &str,
    errors: &mut Vec<Diagnostic>,
) -> String {
    let text = value.get_ref().trim();
    if text.is_empty() {
        errors.push(empty(qa, value.span(), what).help(help));
    }
    text.to_string()
}

fn optional(
    qa: &SourceFile,
    value: Option<&Text>,
    what: &str,
    errors: &mut Vec<Diagnostic>,
) -> Option<String> {
    let help = "give the value, or leave the key out while it is unknown (never invent it)";
    value.map(|v| required(qa, v, what, help, errors))
}

fn build_source(qa: &SourceFile, raw: &RawQa, errors: &mut Vec<Diagnostic>) -> Source {
    let source = &raw.source;
    let title = required(
        qa,
        &source.title,
        "`title` in [source]",
        "write the article's title, as its outlet published it",
        errors,
    );
    let published =
        source
            .published
            .as_ref()
            .and_then(|value| match value.get_ref() {
                toml::Value::String(text) if !text.trim().is_empty() => {
                    Some(text.trim().to_string())
                }
                toml::Value::Datetime(date) => Some(date.to_string()),
                toml::Value::String(_) => {
                    errors.push(empty(qa, value.span(), "`published` in [source]").help(
                        "give the publication date, or leave the key out while it is unknown",
                    ));
                    None
                }
                _ => {
                    errors.push(
                Diagnostic::error("wrong-type", &qa.path, "`published` must be a date or a string")
                    .at(qa, value.span(), "not a date")
                    .help("write it as published = 2024-12-28 or published = \"28 December 2024\""),
            );
                    None
                }
            });
    Source {
        title,
        url: optional(qa, source.url.as_ref(), "`url` in [source]", errors),
        published,
        outlet: optional(qa, source.outlet.as_ref(), "`outlet` in [source]", errors),
    }
}

fn build_entries(
    qa: &SourceFile,
    raw: &[RawEntry],
    article: Option<&Article>,
    errors: &mut Vec<Diagnostic>,
) -> (Vec<Entry>, Vec<EntrySpans>) {
    let mut first_seen: HashMap<String, Range<usize>> = HashMap::new();
    let mut entries = Vec::with_capacity(raw.len());
    let mut spans = Vec::with_capacity(raw.len());
    for entry in raw {
        let id = required(
            qa,
            &entry.id,
            "an entry's `id`",
            "give the entry a short unique id, e.g. id = \"capture\"",
            errors,
        );
        if id == NO_MATCH {
            errors.push(
                Diagnostic::error(
                    "reserved-id",
                    &qa.path,
                    format!("`{NO_MATCH}` cannot be an entry id"),
                )
                .at(qa, entry.id.span(), "reserved")
                .help(format!(
                    "probes use `{NO_MATCH}` to mean \"matches nothing\": rename the entry"
                )),
            );
        }
        if !id.is_empty() {
            match first_seen.get(&id) {
                Some(first) => errors.push(
                    Diagnostic::error("duplicate-id", &qa.path, format!("duplicate entry id `{id}`"))
                        .at(qa, entry.id.span(), "used again here")
                        .also(qa, first.clone(), "first used here")
                        .help("give each entry its own id (merge the two entries if they answer the same question)"),
                ),
                None => {
                    first_seen.insert(id.clone(), entry.id.span());
                }
            }
        }
        let what = if id.is_empty() {
            "this entry".to_string()
        } else {
            format!("entry `{id}`")
        };

        if entry.questions.get_ref().is_empty() {
            errors.push(
                Diagnostic::error("empty-field", &qa.path, format!("{what} has no questions"))
                    .at(qa, entry.questions.span(), "empty")
                    .help("list the phrasings a reader would type, from formal to terse"),
            );
        }
        let questions: Vec<String> = entry
            .questions
            .get_ref()
            .iter()
            .map(|q| {
                required(
                    qa,
                    q,
                    format_args!("a question of {what}"),
                    "write the question, or remove the empty string",
                    errors,
                )
            })
            .collect();
        let answer = required(
            qa,
            &entry.answer,
            format_args!("the answer of {what}"),
            "write a short answer stating only what the article says",
            errors,
        );
        if entry.excerpts.get_ref().is_empty() {
            errors.push(
                Diagnostic::error("empty-field", &qa.path, format!("{what} has no excerpts"))
                    .at(qa, entry.excerpts.span(), "empty")
                    .help("quote the article passages that back the answer, copied verbatim"),
            );
        }
        let mut excerpts = Vec::with_capacity(entry.excerpts.get_ref().len());
        for excerpt in entry.excerpts.get_ref() {
            let text = excerpt.get_ref();
            if text.trim().is_empty() {
                errors.push(
                    empty(qa, excerpt.span(), format_args!("an excerpt of {what}"))
                        .help("quote an article passage verbatim, or remove the empty string"),
                );
                continue;
            }
            let Some(article) = article else { continue };
            match locate(article, text) {
                Ok(excerpt) => excerpts.push(excerpt),
                Err(problem) => errors.push(misquote(qa, excerpt, &what, article, problem)),
            }
        }
        let list =
            |values: &[Text], what_list: &str, errors: &mut Vec<Diagnostic>| -> Vec<String> {
                values
                    .iter()
                    .map(|v| {
                        required(
                            qa,
                            v,
                            format_args!("a {what_list} of {what}"),
                            "remove the empty string",
                            errors,
                        )
                    })
                    .collect()
            };
        let tags = list(&entry.tags, "tag", errors);
        let keywords = list(&entry.keywords, "keyword", errors);

        spans.push(EntrySpans {
            id: entry.id.span(),
            questions: entry.questions.span(),
            question: entry.questions.get_ref().iter().map(Text::span).collect(),
            answer: entry.answer.span(),
            excerpt: entry.excerpts.get_ref().iter().map(Text::span).collect(),
        });
        entries.push(Entry {
            id,
            questions,
            answer,
            excerpts,
            tags,
            keywords,
        });
    }
    (entries, spans)
}

/// Why an excerpt could not be located.
enum Misquote {
    SeveralLines,
    NotFound(Option<Closest>),
}

fn locate(article: &Article, text: &str) -> Result<Excerpt, Misquote> {
    if text.contains('\n') {
        return Err(Misquote::SeveralLines);
    }
    match article.locate(text) {
        Some(paragraph) => Ok(Excerpt {
            text: text.to_string(),
            paragraph,
            label: Article::label(paragraph),
        }),
        None => Err(Misquote::NotFound(closest_passage(&article.lines, text))),
    }
}

fn misquote(
    qa: &SourceFile,
    excerpt: &Text,
    what: &str,
    article: &Article,
    problem: Misquote,
) -> Diagnostic {
    let article_name = article.path.display();
    match problem {
        Misquote::SeveralLines => Diagnostic::error(
            "excerpt-not-verbatim",
            &qa.path,
            format!("an excerpt of {what} spans several lines"),
        )
        .at(qa, excerpt.span(), "has a line break")
        .help("each excerpt quotes one paragraph (one line of the article): split it into one excerpt per paragraph"),
        Misquote::NotFound(closest) => {
            let mut diagnostic = Diagnostic::error(
                "excerpt-not-verbatim",
                &qa.path,
                format!("an excerpt of {what} is not verbatim in {article_name}"),
            )
            .at(qa, excerpt.span(), "not found in the article")
            .help("copy the passage exactly from the article, curly quotes and apostrophes (’ “ ”) included");
            if let Some(closest) = closest {
                diagnostic = diagnostic.note(format!(
                    "closest passage: {article_name} line {} ({}), {:.0}% similar:\n{}{}{}",
                    closest.line,
                    Article::label(closest.line),
                    closest.similarity * 100.0,
                    if closest.at_line_start { "" } else { "…" },
                    closest.text,
                    if closest.at_line_end { "" } else { "…" },
                ));
                if let Some(difference) = &closest.difference {
                    diagnostic = diagnostic.note(format!(
                        "they part at character {} of the excerpt: the excerpt has {} where the article has {}",
                        difference.offset + 1,
                        describe(difference.excerpt),
                        describe(difference.article),
                    ));
                }
            }
            diagnostic
        }
    }
}

/// A character as a curator can tell it apart from a look-alike.
fn describe(c: Option<char>) -> String {
    match c {
        None => "nothing more".to_string(),
        Some(c) if c.is_ascii_graphic() && !c.is_ascii_punctuation() => format!("`{c}`"),
        Some(c) => format!("`{c}` (U+{:04X})", c as u32),
    }
}

fn build_probes(
    qa: &SourceFile,
    raw: &RawQa,
    entries: &[Entry],
    errors: &mut Vec<Diagnostic>,
) -> (Vec<Probe>, Vec<ProbeSpans>) {
    let mut probes = Vec::with_capacity(raw.probes.len());
    let mut spans = Vec::with_capacity(raw.probes.len());
    for probe in &raw.probes {
        let question = required(
            qa,
            &probe.question,
            "a probe's `question`",
            "write the question the probe asks",
            errors,
        );
        let expect = probe.expect.get_ref().trim();
        let expect = if expect == NO_MATCH {
            None
        } else if expect.is_empty() {
            errors.push(
                empty(qa, probe.expect.span(), "a probe's `expect`").help(format!(
                    "give the id of the entry the question must retrieve, or \"{NO_MATCH}\""
                )),
            );
            None
        } else {
            if !entries.iter().any(|e| e.id == expect) {
                let nearest = entries
                    .iter()
                    .map(|e| (strsim::jaro_winkler(&e.id, expect), &e.id))
                    .max_by(|a, b| a.0.total_cmp(&b.0));
                let help = match nearest {
                    Some((score, id)) if score > 0.7 => format!(
                        "did you mean `{id}`? (or \"{NO_MATCH}\" for a question that must match nothing)"
                    ),
                    _ => format!(
                        "use the id of an entry, or \"{NO_MATCH}\" for a question that must match nothing"
                    ),
                };
                errors.push(
                    Diagnostic::error(
                        "unknown-id",
                        &qa.path,
                        format!("probe expects `{expect}`, which is not an entry id"),
                    )
                    .at(qa, probe.expect.span(), "no such entry")
                    .help(help),
                );
            }
            Some(expect.to_string())
        };
        probes.push(Probe { question, expect });
        spans.push(ProbeSpans {
            question: probe.question.span(),
            expect: probe.expect.span(),
        });
    }
    (probes, spans)
}

fn build_synonyms(
    qa: &SourceFile,
    raw: &RawQa,
    errors: &mut Vec<Diagnostic>,
) -> (Vec<Vec<String>>, Vec<SynonymSpans>) {
    let mut table: Vec<_> = raw.synonyms.iter().flatten().collect();
    // Keep the order they were written in (the map sorts by key).
    table.sort_by_key(|(key, _)| key.span().start);
    let mut groups = Vec::with_capacity(table.len());
    let mut spans = Vec::with_capacity(table.len());
    for (key, values) in table {
        let mut group = vec![required(
            qa,
            key,
            "a synonym's key",
            "write the article's word or phrase",
            errors,
        )];
        if values.get_ref().is_empty() {
            errors.push(
                Diagnostic::error(
                    "empty-field",
                    &qa.path,
                    format!("synonym `{}` lists no words", key.get_ref()),
                )
                .at(qa, values.span(), "empty")
                .help("list the words readers use for it, or remove the line"),
            );
        }
        for value in values.get_ref() {
            group.push(required(
                qa,
                value,
                "a synonym",
                "write the word readers use, or remove the empty string",
                errors,
            ));
        }
        groups.push(group);
        spans.push(SynonymSpans {
            key: key.span(),
            values: values.get_ref().iter().map(Text::span).collect(),
        });
    }
    (groups, spans)
}
