//! Loads a knowledge folder: reads `qa.toml` and the article it names, checks everything a
//! curator can get wrong in them, and builds the [`Knowledge`] the rest of citebot trusts.
//!
//! Any problem here is a hard error ([`LoadError`]): unreadable files, TOML syntax or type
//! errors, unknown keys, empty required fields, duplicate ids, excerpts that are not verbatim in
//! one article line, probes expecting an unknown entry. All of them are collected, not just the
//! first, each pointing at the offending value. What needs the matcher, and what is merely worth
//! a warning, is in `lints.rs`, which reads the [`Spans`] kept here.
//!
//! Here: the entry points, reading the files, and TOML's own errors. `builder` checks and
//! converts the raw values; `article` finds and reads the article `[source]` names (one
//! paragraph a line, no blank line); `excerpts` locates excerpts in the article.
//!
//! Large files: `qa.toml` is read in pieces (see `raw.rs`) parsed on other threads, each
//! converted as soon as it is parsed, its strings moved (not copied) into the knowledge, so
//! only a few pieces' parses are alive beside the text and the knowledge. Messages are only
//! formatted for problems actually found, and the closest article passage only searched for
//! an excerpt that is missing.

mod article;
mod builder;
mod excerpts;
#[cfg(test)]
mod tests;

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::Knowledge;
use super::diagnostics::{Diagnostic, SourceFile, SourceFiles, render};
use super::raw::{PIECE_BYTES, Pieces, RawQa};
use crate::matcher::meaning::MeaningModel;
use builder::Builder;

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

/// Where one `[[not_in_article]]` was written.
#[derive(Debug, Clone)]
pub struct NotInArticleSpans {
    pub id: Range<usize>,
    pub note: Range<usize>,
    /// Each question, in order.
    pub question: Vec<Range<usize>>,
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

/// Where the curated values were written, parallel to `Knowledge::{entries, probes, synonyms,
/// not_in_article}`, so lints found after loading can point at them too.
#[derive(Debug, Clone, Default)]
pub struct Spans {
    pub entries: Vec<EntrySpans>,
    pub not_in_article: Vec<NotInArticleSpans>,
    pub probes: Vec<ProbeSpans>,
    pub synonyms: Vec<SynonymSpans>,
}

/// A knowledge folder that loaded, with what the lints need to point into it.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub knowledge: Knowledge,
    /// Empty when loaded through [`parse`] / [`parse_str`], which have no use for it.
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
    read_folder(dir, false).map(|loaded| loaded.knowledge)
}

/// Builds the knowledge from the two files' texts (the article's path is still taken from the
/// `qa.toml` text, under `dir`, for citations and messages).
pub fn parse_str(dir: &Path, qa_text: &str, article_text: &str) -> Result<Knowledge, LoadError> {
    from_texts(dir, qa_text, article_text, false).map(|loaded| loaded.knowledge)
}

/// [`parse`], keeping the spans and texts for lints.
pub fn load(dir: &Path) -> Result<Loaded, LoadError> {
    read_folder(dir, true)
}

/// [`parse_str`], keeping the spans and texts for lints.
pub fn load_str(dir: &Path, qa_text: &str, article_text: &str) -> Result<Loaded, LoadError> {
    from_texts(dir, qa_text, article_text, true)
}

fn read_folder(dir: &Path, keep_spans: bool) -> Result<Loaded, LoadError> {
    let qa_path = dir.join(QA_FILE);
    let qa_text = match read_text(&qa_path) {
        Ok(text) => text,
        Err(failure) => {
            let help = match failure {
                ReadFailure::NotUtf8 { .. } => "save the file as UTF-8 text".to_string(),
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
            let mut diagnostic =
                Diagnostic::error("unreadable-file", &qa_path, failure.describe(&qa_path))
                    .help(help);
            let mut files = SourceFiles::new();
            if let ReadFailure::NotUtf8 { at, text } = failure {
                // Quoted as the rest of qa.toml's problems are, the bad bytes shown as the
                // replacement character that stands for them in `text`.
                let file = SourceFile::new(qa_path, text);
                diagnostic = diagnostic.at(
                    &file,
                    at..at + char::REPLACEMENT_CHARACTER.len_utf8(),
                    "not UTF-8 (shown as �)",
                );
                files.add(file);
            }
            return Err(LoadError {
                diagnostics: vec![diagnostic],
                files,
            });
        }
    };
    let qa = SourceFile::new(qa_path, qa_text);
    attach_meaning(dir, build(dir, qa, &read_text, keep_spans, PIECE_BYTES)?)
}

/// Adds the folder's meaning model (`dir/meaning`, when there is one) to a loaded knowledge: a
/// model that is there but broken refuses the knowledge, as a broken `qa.toml` does.
pub fn attach_meaning(dir: &Path, mut loaded: Loaded) -> Result<Loaded, LoadError> {
    match MeaningModel::find(dir) {
        Ok(model) => {
            loaded.knowledge.meaning = model;
            Ok(loaded)
        }
        Err(error) => {
            let diagnostic = Diagnostic::error(
                "meaning-model",
                &error.dir,
                format!("cannot load the meaning model: {}", error.reason),
            )
            .help(
                "rebuild it with tools/build_meaning.py, or delete the folder to match by \
                 words alone",
            );
            Err(LoadError {
                diagnostics: vec![diagnostic],
                files: loaded.files,
            })
        }
    }
}

fn from_texts(
    dir: &Path,
    qa_text: &str,
    article_text: &str,
    keep_spans: bool,
) -> Result<Loaded, LoadError> {
    let qa = SourceFile::new(dir.join(QA_FILE), qa_text);
    let article = |_: &Path| Ok(article_text.to_string());
    build(dir, qa, &article, keep_spans, PIECE_BYTES)
}

/// Threads parsing `qa.toml`'s pieces while this one converts them.
fn parse_workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
}

/// How the article's text is obtained once `qa.toml` has named it.
type ReadArticle<'a> = &'a dyn Fn(&Path) -> Result<String, ReadFailure>;

/// Parses `qa.toml` piece by piece (or whole, when the pieces do not stand alone) and builds
/// the knowledge.
fn build(
    dir: &Path,
    qa: SourceFile,
    read_article: ReadArticle,
    keep_spans: bool,
    piece_bytes: usize,
) -> Result<Loaded, LoadError> {
    let built = match build_in_pieces(dir, &qa, read_article, keep_spans, piece_bytes) {
        Some(builder) => builder.finish(),
        None => match toml::from_str::<RawQa>(&qa.text) {
            Ok(whole) => Builder::start(dir, &qa, whole, read_article, keep_spans).finish(),
            Err(error) => {
                let diagnostic = toml_diagnostic(&qa, &error);
                let mut files = SourceFiles::new();
                files.add(qa);
                return Err(LoadError {
                    diagnostics: vec![diagnostic],
                    files,
                });
            }
        },
    };
    built.into_loaded(dir, qa)
}

/// The knowledge built from `qa.toml`'s pieces, or `None` if a piece does not parse on its own
/// or the first one already has entries or probes (TOML's verdict then needs the whole file).
fn build_in_pieces<'q>(
    dir: &Path,
    qa: &'q SourceFile,
    read_article: ReadArticle,
    keep_spans: bool,
    piece_bytes: usize,
) -> Option<Builder<'q>> {
    let pieces = Pieces::cut(&qa.text, piece_bytes);
    let first = pieces.first().ok()?;
    let defines_tables =
        first.entries.is_some() || first.probes.is_some() || first.not_in_article.is_some();
    if pieces.is_cut() && defines_tables {
        return None;
    }
    let mut builder = Builder::start(dir, qa, first, read_article, keep_spans);
    builder.reserve(pieces.entries_hint());
    let parsed = pieces.each_later(parse_workers(), |base, batch| builder.batch(base, batch));
    if !parsed {
        return None;
    }
    Some(builder)
}

/// Why a file could not be read as text.
enum ReadFailure {
    Io(std::io::Error),
    NotUtf8 {
        /// The byte offset of the first invalid UTF-8 sequence, in the file and in `text`
        /// alike (everything before it is valid).
        at: usize,
        /// The file with each invalid sequence replaced by U+FFFD, to say where that is as
        /// people count (line and column) and to quote the line.
        text: String,
    },
}

impl ReadFailure {
    fn describe(&self, path: &Path) -> String {
        match self {
            ReadFailure::Io(e) => format!("cannot read {}: {e}", path.display()),
            ReadFailure::NotUtf8 { at, text } => {
                let place = SourceFile::new(path, text.as_str()).location(*at..*at);
                format!(
                    "{} is not valid UTF-8 at line {}, column {} (byte {at})",
                    path.display(),
                    place.line,
                    place.column
                )
            }
        }
    }
}

fn read_text(path: &Path) -> Result<String, ReadFailure> {
    let bytes = std::fs::read(path).map_err(ReadFailure::Io)?;
    String::from_utf8(bytes).map_err(|e| ReadFailure::NotUtf8 {
        at: e.utf8_error().valid_up_to(),
        text: String::from_utf8_lossy(e.as_bytes()).into_owned(),
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
            "write each key once per table: in [synonyms], add the words to the list the first \
             one already has; to add another entry, start a new [[entry]] table",
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

fn empty(qa: &SourceFile, span: Range<usize>, what: impl fmt::Display) -> Diagnostic {
    Diagnostic::error("empty-field", &qa.path, format!("{what} is empty")).at(qa, span, "empty")
}
