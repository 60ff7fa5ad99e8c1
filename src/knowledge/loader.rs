//! Loads a knowledge folder: reads `qa.toml` and the article it names, checks everything a
//! curator can get wrong in them, and builds the [`Knowledge`] the rest of citebot trusts.
//!
//! Any problem here is a hard error ([`LoadError`]): unreadable files, TOML syntax or type
//! errors, unknown keys, empty required fields, duplicate ids, excerpts that are not verbatim in
//! one article line, probes expecting an unknown entry. All of them are collected, not just the
//! first, each pointing at the offending value. What needs the matcher, and what is merely worth
//! a warning, is in `lints.rs`, which reads the [`Spans`] kept here.
//!
//! Large files: `qa.toml` is read in pieces (see `raw.rs`), each converted as soon as it is
//! parsed, its strings moved (not copied) into the knowledge, so at most one piece's parse is
//! alive beside the text and the knowledge. Messages are only formatted for problems actually
//! found, and the closest article passage only searched for an excerpt that is missing.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use toml::Spanned;

use super::closest::{Closest, Passages};
use super::diagnostics::{Diagnostic, SourceFile, SourceFiles, render};
use super::raw::{NO_MATCH, PIECE_BYTES, Pieces, RawEntry, RawProbe, RawQa, RawSource, Text};
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
    let qa = SourceFile::new(qa_path, qa_text);
    build(dir, qa, &read_text, keep_spans, PIECE_BYTES)
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
    if pieces.is_cut() && (first.entries.is_some() || first.probes.is_some()) {
        return None;
    }
    let mut builder = Builder::start(dir, qa, first, read_article, keep_spans);
    builder.reserve(pieces.entries_hint());
    let parsed = pieces.each_later(parse_workers(), |base, batch| {
        for entry in batch.entries {
            builder.entry(entry, base);
        }
        builder
            .probes
            .extend(batch.probes.into_iter().map(|probe| (probe, base)));
    });
    if !parsed {
        return None;
    }
    Some(builder)
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
fn article_path(
    dir: &Path,
    qa: &SourceFile,
    source: &RawSource,
) -> Result<PathBuf, Box<Diagnostic>> {
    let name = source.article.get_ref().trim();
    let span = source.article.span();
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

/// The article named in `[source]`, or why it cannot be had.
fn article_file(
    dir: &Path,
    qa: &SourceFile,
    source: &RawSource,
    read_article: ReadArticle,
) -> Result<SourceFile, Box<Diagnostic>> {
    let path = article_path(dir, qa, source)?;
    match read_article(&path) {
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
                .at(qa, source.article.span(), "named here")
                .help(help),
            ))
        }
    }
}

/// The knowledge being assembled from `qa.toml`, one raw entry at a time, and every problem
/// found so far. Raw values are consumed: their strings move into the knowledge.
struct Builder<'q> {
    qa: &'q SourceFile,
    /// Whether to keep the [`Spans`] (only the lints read them).
    keep_spans: bool,
    errors: Vec<Diagnostic>,
    article_file: Option<SourceFile>,
    article: Option<IndexedArticle>,
    source: Source,
    synonyms: Option<BTreeMap<Text, Spanned<Vec<Text>>>>,
    /// Every id so far, and where it was first written.
    ids: HashMap<String, Range<usize>>,
    entries: Vec<Entry>,
    entry_spans: Vec<EntrySpans>,
    /// Checked once every entry is known, each with the offset its spans are relative to.
    probes: Vec<(RawProbe, usize)>,
}

/// What the builder made of the whole file.
struct Built {
    errors: Vec<Diagnostic>,
    article_file: Option<SourceFile>,
    article: Option<Article>,
    source: Source,
    entries: Vec<Entry>,
    probes: Vec<Probe>,
    synonyms: Vec<Vec<String>>,
    spans: Spans,
}

impl<'q> Builder<'q> {
    /// Starts from the first piece of `qa.toml` (or the whole of it): reads the article it
    /// names, checks `[source]`, and takes its entries and probes, if any.
    fn start(
        dir: &Path,
        qa: &'q SourceFile,
        first: RawQa,
        read_article: ReadArticle,
        keep_spans: bool,
    ) -> Builder<'q> {
        let mut errors = Vec::new();
        let article_file = match article_file(dir, qa, &first.source, read_article) {
            Ok(file) => Some(file),
            Err(diagnostic) => {
                errors.push(*diagnostic);
                None
            }
        };
        let article = article_file.as_ref().map(IndexedArticle::new);
        let RawQa {
            source,
            synonyms,
            entries,
            probes,
        } = first;
        let source = build_source(qa, source, &mut errors);
        let mut builder = Builder {
            qa,
            keep_spans,
            errors,
            article_file,
            article,
            source,
            synonyms,
            ids: HashMap::new(),
            entries: Vec::new(),
            entry_spans: Vec::new(),
            probes: probes.into_iter().flatten().map(|p| (p, 0)).collect(),
        };
        for entry in entries.into_iter().flatten() {
            builder.entry(entry, 0);
        }
        builder
    }

    /// Makes room for `entries` more entries.
    fn reserve(&mut self, entries: usize) {
        self.entries.reserve_exact(entries);
        self.ids.reserve(entries);
        if self.keep_spans {
            self.entry_spans.reserve_exact(entries);
        }
    }

    /// The text of a required string, trimmed, or an error if it is blank. (`what` is only
    /// formatted for the error: loading large knowledge should not pay for messages it does
    /// not print.)
    fn required(
        &mut self,
        text: String,
        span: Range<usize>,
        what: impl fmt::Display,
        help: &str,
    ) -> String {
        let text = trimmed(text);
        if text.is_empty() {
            self.errors.push(empty(self.qa, span, what).help(help));
        }
        text
    }

    /// Checks and converts one `[[entry]]` whose spans are relative to `base`.
    fn entry(&mut self, raw: RawEntry, base: usize) {
        let qa = self.qa;
        let RawEntry {
            id,
            questions,
            answer,
            excerpts,
            tags,
            keywords,
        } = raw;
        let id_span = shift(id.span(), base);
        let id = self.required(
            id.into_inner(),
            id_span.clone(),
            "an entry's `id`",
            "give the entry a short unique id, e.g. id = \"capture\"",
        );
        if id == NO_MATCH {
            self.errors.push(
                Diagnostic::error(
                    "reserved-id",
                    &qa.path,
                    format!("`{NO_MATCH}` cannot be an entry id"),
                )
                .at(qa, id_span.clone(), "reserved")
                .help(format!(
                    "probes use `{NO_MATCH}` to mean \"matches nothing\": rename the entry"
                )),
            );
        }
        if !id.is_empty() {
            match self.ids.get(&id) {
                Some(first) => self.errors.push(
                    Diagnostic::error("duplicate-id", &qa.path, format!("duplicate entry id `{id}`"))
                        .at(qa, id_span.clone(), "used again here")
                        .also(qa, first.clone(), "first used here")
                        .help("give each entry its own id (merge the two entries if they answer the same question)"),
                ),
                None => {
                    self.ids.insert(id.clone(), id_span.clone());
                }
            }
        }
        let what = EntryName(&id);

        let questions_span = shift(questions.span(), base);
        let questions = questions.into_inner();
        if questions.is_empty() {
            self.errors.push(
                Diagnostic::error("empty-field", &qa.path, format!("{what} has no questions"))
                    .at(qa, questions_span.clone(), "empty")
                    .help("list the phrasings a reader would type, from formal to terse"),
            );
        }
        let mut question_spans = Vec::new();
        let mut question_texts = Vec::with_capacity(questions.len());
        for question in questions {
            let span = shift(question.span(), base);
            if self.keep_spans {
                question_spans.push(span.clone());
            }
            question_texts.push(self.required(
                question.into_inner(),
                span,
                format_args!("a question of {what}"),
                "write the question, or remove the empty string",
            ));
        }
        let answer_span = shift(answer.span(), base);
        let answer = self.required(
            answer.into_inner(),
            answer_span.clone(),
            format_args!("the answer of {what}"),
            "write a short answer stating only what the article says",
        );

        let excerpts_span = shift(excerpts.span(), base);
        let excerpts = excerpts.into_inner();
        if excerpts.is_empty() {
            self.errors.push(
                Diagnostic::error("empty-field", &qa.path, format!("{what} has no excerpts"))
                    .at(qa, excerpts_span, "empty")
                    .help("quote the article passages that back the answer, copied verbatim"),
            );
        }
        let mut excerpt_spans = Vec::new();
        let mut located = Vec::with_capacity(excerpts.len());
        for excerpt in excerpts {
            let span = shift(excerpt.span(), base);
            if self.keep_spans {
                excerpt_spans.push(span.clone());
            }
            // Kept as written, untrimmed: it is quoted verbatim.
            let text = excerpt.into_inner();
            if text.trim().is_empty() {
                self.errors.push(
                    empty(qa, span, format_args!("an excerpt of {what}"))
                        .help("quote an article passage verbatim, or remove the empty string"),
                );
                continue;
            }
            let Some(article) = &mut self.article else {
                continue;
            };
            match article.excerpt(text) {
                Ok(excerpt) => located.push(excerpt),
                Err(problem) => {
                    self.errors
                        .push(misquote(qa, span, what, &article.article, problem))
                }
            }
        }
        let mut list = |values: Vec<Text>, kind: &str| -> Vec<String> {
            values
                .into_iter()
                .map(|value| {
                    let span = shift(value.span(), base);
                    self.required(
                        value.into_inner(),
                        span,
                        format_args!("a {kind} of {what}"),
                        "remove the empty string",
                    )
                })
                .collect()
        };
        let tags = list(tags, "tag");
        let keywords = list(keywords, "keyword");

        if self.keep_spans {
            self.entry_spans.push(EntrySpans {
                id: id_span,
                questions: questions_span,
                question: question_spans,
                answer: answer_span,
                excerpt: excerpt_spans,
            });
        }
        self.entries.push(Entry {
            id,
            questions: question_texts,
            answer,
            excerpts: located,
            tags,
            keywords,
        });
    }

    /// Checks the probes against the entries, then the synonyms.
    fn finish(mut self) -> Built {
        let raw_probes = std::mem::take(&mut self.probes);
        let mut probes = Vec::with_capacity(raw_probes.len());
        let mut probe_spans = Vec::new();
        for (raw, base) in raw_probes {
            let (probe, spans) = self.probe(raw, base);
            probes.push(probe);
            if self.keep_spans {
                probe_spans.push(spans);
            }
        }
        let (synonyms, synonym_spans) = self.synonyms();
        Built {
            errors: self.errors,
            article_file: self.article_file,
            article: self.article.map(|indexed| indexed.article),
            source: self.source,
            entries: self.entries,
            probes,
            synonyms,
            spans: Spans {
                entries: self.entry_spans,
                probes: probe_spans,
                synonyms: synonym_spans,
            },
        }
    }

    fn probe(&mut self, raw: RawProbe, base: usize) -> (Probe, ProbeSpans) {
        let qa = self.qa;
        let spans = ProbeSpans {
            question: shift(raw.question.span(), base),
            expect: shift(raw.expect.span(), base),
        };
        let question = self.required(
            raw.question.into_inner(),
            spans.question.clone(),
            "a probe's `question`",
            "write the question the probe asks",
        );
        let expect = trimmed(raw.expect.into_inner());
        let expect = if expect == NO_MATCH {
            None
        } else if expect.is_empty() {
            self.errors.push(
                empty(qa, spans.expect.clone(), "a probe's `expect`").help(format!(
                    "give the id of the entry the question must retrieve, or \"{NO_MATCH}\""
                )),
            );
            None
        } else {
            if !self.ids.contains_key(&expect) {
                let nearest = self
                    .entries
                    .iter()
                    .map(|e| (strsim::jaro_winkler(&e.id, &expect), &e.id))
                    .max_by(|a, b| a.0.total_cmp(&b.0));
                let help = match nearest {
                    Some((score, id)) if score > 0.7 => format!(
                        "did you mean `{id}`? (or \"{NO_MATCH}\" for a question that must match nothing)"
                    ),
                    _ => format!(
                        "use the id of an entry, or \"{NO_MATCH}\" for a question that must match nothing"
                    ),
                };
                self.errors.push(
                    Diagnostic::error(
                        "unknown-id",
                        &qa.path,
                        format!("probe expects `{expect}`, which is not an entry id"),
                    )
                    .at(qa, spans.expect.clone(), "no such entry")
                    .help(help),
                );
            }
            Some(expect)
        };
        (Probe { question, expect }, spans)
    }

    fn synonyms(&mut self) -> (Vec<Vec<String>>, Vec<SynonymSpans>) {
        let qa = self.qa;
        let mut table: Vec<_> = self.synonyms.take().into_iter().flatten().collect();
        // Keep the order they were written in (the map sorts by key).
        table.sort_by_key(|(key, _)| key.span().start);
        let mut groups = Vec::with_capacity(table.len());
        let mut spans = Vec::new();
        for (key, values) in table {
            let key_span = key.span();
            let values_span = values.span();
            let values = values.into_inner();
            if values.is_empty() {
                self.errors.push(
                    Diagnostic::error(
                        "empty-field",
                        &qa.path,
                        format!("synonym `{}` lists no words", key.get_ref()),
                    )
                    .at(qa, values_span, "empty")
                    .help("list the words readers use for it, or remove the line"),
                );
            }
            let mut group = Vec::with_capacity(values.len() + 1);
            group.push(self.required(
                key.into_inner(),
                key_span.clone(),
                "a synonym's key",
                "write the article's word or phrase",
            ));
            let mut value_spans = Vec::with_capacity(values.len());
            for value in values {
                value_spans.push(value.span());
                group.push(self.required(
                    value.into_inner(),
                    value_spans.last().cloned().unwrap_or_default(),
                    "a synonym",
                    "write the word readers use, or remove the empty string",
                ));
            }
            groups.push(group);
            if self.keep_spans {
                spans.push(SynonymSpans {
                    key: key_span,
                    values: value_spans,
                });
            }
        }
        (groups, spans)
    }
}

impl Built {
    fn into_loaded(self, dir: &Path, qa: SourceFile) -> Result<Loaded, LoadError> {
        let mut files = SourceFiles::new();
        let qa_path = qa.path.clone();
        files.add(qa);
        if let Some(file) = self.article_file {
            files.add(file);
        }
        match self.article {
            Some(article) if self.errors.is_empty() => Ok(Loaded {
                knowledge: Knowledge {
                    dir: dir.to_path_buf(),
                    source: self.source,
                    article,
                    entries: self.entries,
                    synonyms: self.synonyms,
                    probes: self.probes,
                },
                spans: self.spans,
                files,
                qa_path,
            }),
            _ => Err(LoadError {
                diagnostics: self.errors,
                files,
            }),
        }
    }
}

/// A span written in a piece of `qa.toml` that starts `base` bytes into the file.
fn shift(span: Range<usize>, base: usize) -> Range<usize> {
    span.start + base..span.end + base
}

/// `text` without surrounding whitespace, reusing its buffer when there is none.
fn trimmed(mut text: String) -> String {
    let end = text.trim_end().len();
    text.truncate(end);
    let start = text.len() - text.trim_start().len();
    if start > 0 {
        text.drain(..start);
    }
    text
}

/// How messages name an entry: by its id, or "this entry" when it has none.
#[derive(Clone, Copy)]
struct EntryName<'a>(&'a str);

impl fmt::Display for EntryName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("this entry")
        } else {
            write!(f, "entry `{}`", self.0)
        }
    }
}

/// The article, with where each of its lines starts, so an excerpt is located with one
/// search of the text rather than one per line, and only once however many entries quote it.
struct IndexedArticle {
    article: Article,
    /// Byte offsets into the body (the text after any byte-order mark) where lines start.
    line_starts: Vec<usize>,
    /// The line of each excerpt located so far.
    found: HashMap<String, usize>,
    /// The lines prepared for the closest-passage search, once an excerpt is missing.
    passages: Option<Passages>,
    /// The closest passage to each missing excerpt so far (the same misquote is often copied
    /// into several entries).
    closest: HashMap<String, Option<Closest>>,
}

impl IndexedArticle {
    fn new(file: &SourceFile) -> IndexedArticle {
        let article = article_model(file);
        let line_starts = std::iter::once(0)
            .chain(
                body(&article.text)
                    .match_indices('\n')
                    .map(|(at, _)| at + 1),
            )
            .collect();
        IndexedArticle {
            article,
            line_starts,
            found: HashMap::new(),
            passages: None,
            closest: HashMap::new(),
        }
    }

    /// The 1-based line holding `excerpt` (not blank, no line break) verbatim, if any: the
    /// line of its first occurrence, as [`Article::locate`] finds it.
    fn line_of(&mut self, excerpt: &str) -> Option<usize> {
        if let Some(&line) = self.found.get(excerpt) {
            return Some(line);
        }
        let line = if excerpt.contains('\r') {
            // `Article::lines` drop a line's `\r`: a search of the text could match it.
            self.article.locate(excerpt)?
        } else {
            let at = body(&self.article.text).find(excerpt)?;
            self.line_starts.partition_point(|&start| start <= at)
        };
        self.found.insert(excerpt.to_string(), line);
        Some(line)
    }

    /// The located excerpt, or why it is not verbatim in one line.
    fn excerpt(&mut self, text: String) -> Result<Excerpt, Misquote> {
        if text.contains('\n') {
            return Err(Misquote::SeveralLines);
        }
        match self.line_of(&text) {
            Some(paragraph) => Ok(Excerpt {
                text,
                paragraph,
                label: Article::label(paragraph),
            }),
            None => {
                if let Some(closest) = self.closest.get(&text) {
                    return Err(Misquote::NotFound(closest.clone()));
                }
                let passages = self
                    .passages
                    .get_or_insert_with(|| Passages::new(&self.article.lines));
                let closest = passages.closest(&text);
                self.closest.insert(text, closest.clone());
                Err(Misquote::NotFound(closest))
            }
        }
    }
}

/// The article's text without its byte-order mark, if it has one.
fn body(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

fn article_model(file: &SourceFile) -> Article {
    let checksum = Sha256::digest(file.text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    Article {
        path: file.path.clone(),
        text: file.text.clone(),
        lines: body(&file.text).lines().map(str::to_string).collect(),
        checksum,
    }
}

fn empty(qa: &SourceFile, span: Range<usize>, what: impl fmt::Display) -> Diagnostic {
    Diagnostic::error("empty-field", &qa.path, format!("{what} is empty")).at(qa, span, "empty")
}

fn build_source(qa: &SourceFile, source: RawSource, errors: &mut Vec<Diagnostic>) -> Source {
    let mut required = |value: Text, what: &str, help: &str| {
        let span = value.span();
        let text = trimmed(value.into_inner());
        if text.is_empty() {
            errors.push(empty(qa, span, what).help(help));
        }
        text
    };
    let unknown = "give the value, or leave the key out while it is unknown (never invent it)";
    let title = required(
        source.title,
        "`title` in [source]",
        "write the article's title, as its outlet published it",
    );
    let url = source
        .url
        .map(|url| required(url, "`url` in [source]", unknown));
    let outlet = source
        .outlet
        .map(|outlet| required(outlet, "`outlet` in [source]", unknown));
    let published = source.published.and_then(|value| match value.get_ref() {
        toml::Value::String(text) if !text.trim().is_empty() => Some(text.trim().to_string()),
        toml::Value::Datetime(date) => Some(date.to_string()),
        toml::Value::String(_) => {
            errors.push(
                empty(qa, value.span(), "`published` in [source]")
                    .help("give the publication date, or leave the key out while it is unknown"),
            );
            None
        }
        _ => {
            errors.push(
                Diagnostic::error(
                    "wrong-type",
                    &qa.path,
                    "`published` must be a date or a string",
                )
                .at(qa, value.span(), "not a date")
                .help("write it as published = 2024-12-28 or published = \"28 December 2024\""),
            );
            None
        }
    });
    Source {
        title,
        url,
        published,
        outlet,
    }
}

/// Why an excerpt could not be located.
enum Misquote {
    SeveralLines,
    NotFound(Option<Closest>),
}

fn misquote(
    qa: &SourceFile,
    span: Range<usize>,
    what: EntryName,
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
        .at(qa, span.clone(), "has a line break")
        .help("each excerpt quotes one paragraph (one line of the article): split it into one excerpt per paragraph"),
        Misquote::NotFound(closest) => {
            let mut diagnostic = Diagnostic::error(
                "excerpt-not-verbatim",
                &qa.path,
                format!("an excerpt of {what} is not verbatim in {article_name}"),
            )
            .at(qa, span.clone(), "not found in the article")
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

#[cfg(test)]
mod tests {
    //! Reading `qa.toml` in pieces must be indistinguishable from reading it whole: the same
    //! knowledge, the same spans, the same diagnostics, whatever the piece size.

    use std::fmt::Write as _;

    use super::*;

    const ARTICLE: &str = "Two soldiers captured\n\
        The wounded fighters were taken to Kyiv for questioning, authorities said.\n\
        He said he was born in 1999 and had served as a scout sniper since 2016.\n\
        The prisoners do not speak Ukrainian, the SBU said.\n";

    const HEAD: &str = "# a comment\n[source]\ntitle = \"Two soldiers\"\narticle = \"article.txt\"\n\
                        published = 2024-12-28\n\n[synonyms]\nborn = [\"birth\"]\nkyiv = [\"kiev\"]\n";

    /// `n` entries (some written with escapes, arrays over several lines, tags), a probe after
    /// every fifth.
    fn entries(n: usize) -> String {
        let mut text = String::new();
        for i in 0..n {
            let _ = write!(
                text,
                "\n[[entry]]\nid = \"e{i}\"\nquestions = [\n  \"when was he born {i}\",\n  \
                 'literal {i}',\n]\nanswer = \"He said \\\"1999\\\" ({i}).\"\n\
                 excerpts = [\"born in 1999\", \"taken to Kyiv\"]\ntags = [\"t{i}\"]\n"
            );
            if i % 5 == 4 {
                let _ = write!(
                    text,
                    "\n[[probe]]  # checks e{i}\nquestion = \"born {i}\"\nexpect = \"e{i}\"\n"
                );
            }
        }
        text
    }

    fn read_article(_: &Path) -> Result<String, ReadFailure> {
        Ok(ARTICLE.to_string())
    }

    fn qa_file(qa: &str) -> SourceFile {
        SourceFile::new("kb/qa.toml", qa)
    }

    /// What a load gave, in a form two loads can be compared by.
    fn outcome(result: Result<Loaded, LoadError>) -> String {
        match result {
            Ok(loaded) => format!("{:?}\n{:?}", loaded.knowledge, loaded.spans),
            Err(error) => format!("{:?}", error.diagnostics),
        }
    }

    /// The file read whole, the way TOML errors are always reported.
    fn whole(qa: &str) -> String {
        let file = qa_file(qa);
        let dir = Path::new("kb");
        outcome(match toml::from_str::<RawQa>(qa) {
            Ok(raw) => Builder::start(dir, &file, raw, &read_article, true)
                .finish()
                .into_loaded(dir, file),
            Err(error) => Err(LoadError {
                diagnostics: vec![toml_diagnostic(&file, &error)],
                files: SourceFiles::new(),
            }),
        })
    }

    /// Asserts that every piece size gives what the whole file gives; returns whether the
    /// smallest pieces were used (rather than falling back to the whole file).
    fn same_in_pieces(qa: &str) -> bool {
        let expected = whole(qa);
        for piece_bytes in [1, 100, 700, PIECE_BYTES] {
            let got = outcome(build(
                Path::new("kb"),
                qa_file(qa),
                &read_article,
                true,
                piece_bytes,
            ));
            assert_eq!(got, expected, "pieces of {piece_bytes} bytes, for:\n{qa}");
        }
        let file = qa_file(qa);
        build_in_pieces(Path::new("kb"), &file, &read_article, true, 1).is_some()
    }

    #[test]
    fn a_clean_file_loads_the_same_in_pieces() {
        let qa = format!("{HEAD}{}", entries(40));
        assert!(same_in_pieces(&qa), "the pieces were used");
        let loaded = build(Path::new("kb"), qa_file(&qa), &read_article, true, 1);
        let loaded = loaded.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(loaded.knowledge.entries.len(), 40);
        assert_eq!(loaded.knowledge.probes.len(), 8);
        assert_eq!(
            loaded.knowledge.entries[39].answer,
            "He said \"1999\" (39)."
        );
        // Spans from late pieces point into the whole file.
        let span = loaded.spans.entries[39].id.clone();
        assert_eq!(&qa[span], "\"e39\"");
    }

    #[test]
    fn problems_across_pieces_are_reported_the_same() {
        let mut qa = format!("{HEAD}{}", entries(30));
        qa = qa.replacen("id = \"e25\"", "id = \"e3\"", 1);
        qa = qa.replacen(
            "answer = \"He said \\\"1999\\\" (17).\"",
            "answer = \"  \"",
            1,
        );
        qa = qa.replacen(
            "\"taken to Kyiv\"]\ntags = [\"t20\"]",
            "\"taken to Kiev\"]\ntags = [\"t20\"]",
            1,
        );
        qa = qa.replacen("expect = \"e9\"", "expect = \"e99\"", 1);
        qa.push_str("\n[[entry]]\nid = \"\"\nquestions = [\"\"]\nanswer = \"x\"\nexcerpts = []\n");
        assert!(same_in_pieces(&qa), "the pieces were used");
        let diagnostics = match build(Path::new("kb"), qa_file(&qa), &read_article, true, 1) {
            Ok(_) => panic!("the knowledge has errors"),
            Err(error) => error.diagnostics,
        };
        let codes: Vec<&str> = diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            [
                "empty-field",          // e17's answer
                "excerpt-not-verbatim", // e20's Kiev
                "duplicate-id",         // e25 is called e3
                "empty-field",          // the last entry's id,
                "empty-field",          // question
                "empty-field",          // and excerpts
                "unknown-id"            // the probe expecting e99
            ],
            "{diagnostics:#?}"
        );
    }

    #[test]
    fn files_whose_pieces_do_not_stand_alone_are_read_whole() {
        let body = entries(12);
        let cases = [
            // Valid TOML, but not in the usual order.
            format!("{body}\n{HEAD}"),
            format!("[source]\ntitle = \"t\"\narticle = \"article.txt\"\n{body}\n[synonyms]\nx = [\"y\"]\n"),
            // A `[[entry]]` line inside a multi-line string.
            format!("{HEAD}{body}\n[[entry]]\nid = \"m\"\nquestions = [\"q\"]\nanswer = '''\n[[entry]]\n'''\nexcerpts = [\"born in 1999\"]\n{body}").replace("e1\"", "e1b\""),
            // A header the cutting does not know, before the first cut.
            format!("{HEAD}\n[[ entry ]]\nid = \"s\"\nquestions = [\"q\"]\nanswer = \"a\"\nexcerpts = [\"born in 1999\"]\n{body}"),
            // TOML errors that only show across pieces.
            format!("entry = []\n{HEAD}{body}"),
            format!("{HEAD}{body}\n[source]\ntitle = \"again\"\narticle = \"article.txt\"\n"),
            format!("{HEAD}{body}\n[entry.extra]\nx = 1\n"),
            format!("{HEAD}{body}\n[[entry]]\nid = \"open\nquestions = [\"q\"]\n"),
            format!("{HEAD}{body}\n[[probe]]\nquestion = \"q\"\nexpect = \"e1\"\nwrong = 1\n"),
        ];
        for qa in &cases {
            assert!(!same_in_pieces(qa), "read whole:\n{qa}");
        }
    }
}
