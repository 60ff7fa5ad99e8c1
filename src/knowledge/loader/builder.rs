//! The knowledge assembled from `qa.toml`'s raw values, one entry at a time: every check a
//! curator's mistake can fail (empty fields, duplicate and reserved ids, misquoted excerpts,
//! probes expecting no entry), collected in file order. Raw values are consumed so their
//! strings move into the knowledge rather than being copied, and messages are only formatted
//! for problems actually found.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::Range;
use std::path::Path;

use toml::Spanned;

use super::article::{article_file, blank_lines};
use super::excerpts::{IndexedArticle, misquote};
use super::{LoadError, Loaded, ReadArticle, empty};
use crate::knowledge::diagnostics::{Diagnostic, SourceFile, SourceFiles};
use crate::knowledge::loader::{EntrySpans, NotInArticleSpans, ProbeSpans, Spans, SynonymSpans};
use crate::knowledge::raw::{
    NO_MATCH, RawBatch, RawEntry, RawNotInArticle, RawProbe, RawQa, RawSource, Text,
};
use crate::knowledge::{Article, Entry, Knowledge, NotInArticle, Probe, Source};

/// The knowledge being assembled from `qa.toml`, one raw entry at a time, and every problem
/// found so far. Raw values are consumed: their strings move into the knowledge.
pub(super) struct Builder<'q> {
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
    not_in_article: Vec<NotInArticle>,
    not_in_article_spans: Vec<NotInArticleSpans>,
    /// Checked once every entry is known, each with the offset its spans are relative to.
    probes: Vec<(RawProbe, usize)>,
}

/// What the builder made of the whole file.
pub(super) struct Built {
    errors: Vec<Diagnostic>,
    article_file: Option<SourceFile>,
    article: Option<Article>,
    source: Source,
    entries: Vec<Entry>,
    not_in_article: Vec<NotInArticle>,
    probes: Vec<Probe>,
    synonyms: Vec<Vec<String>>,
    spans: Spans,
}

impl<'q> Builder<'q> {
    /// Starts from the first piece of `qa.toml` (or the whole of it): reads the article it
    /// names, checks `[source]`, and takes its entries and probes, if any.
    pub(super) fn start(
        dir: &Path,
        qa: &'q SourceFile,
        first: RawQa,
        read_article: ReadArticle,
        keep_spans: bool,
    ) -> Builder<'q> {
        let mut errors = Vec::new();
        let article_file = match article_file(dir, qa, &first.source, read_article) {
            Ok(file) => {
                // Kept even so: the excerpts are still looked for, and the error quotes it.
                errors.extend(blank_lines(&file));
                Some(file)
            }
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
            not_in_article,
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
            not_in_article: Vec::new(),
            not_in_article_spans: Vec::new(),
            probes: probes.into_iter().flatten().map(|p| (p, 0)).collect(),
        };
        for entry in entries.into_iter().flatten() {
            builder.entry(entry, 0);
        }
        for gap in not_in_article.into_iter().flatten() {
            builder.not_in_article(gap, 0);
        }
        builder
    }

    /// Makes room for `entries` more entries.
    pub(super) fn reserve(&mut self, entries: usize) {
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

    /// Takes a later piece of `qa.toml`, which starts `base` bytes into the file.
    pub(super) fn batch(&mut self, base: usize, batch: RawBatch) {
        for entry in batch.entries {
            self.entry(entry, base);
        }
        for gap in batch.not_in_article {
            self.not_in_article(gap, base);
        }
        self.probes
            .extend(batch.probes.into_iter().map(|probe| (probe, base)));
    }

    /// A new id, checked: not blank, not reserved, not used before (by an entry or a
    /// `[[not_in_article]]`).
    fn id(&mut self, id: String, id_span: Range<usize>, what: &str) -> String {
        let qa = self.qa;
        let id = self.required(
            id,
            id_span.clone(),
            what,
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
        id
    }

    /// A `questions` array, checked: not empty, no blank question. Returns the trimmed texts,
    /// the array's span and (when spans are kept) each question's.
    fn questions(
        &mut self,
        questions: Spanned<Vec<Text>>,
        base: usize,
        what: &dyn fmt::Display,
        help_when_empty: &str,
    ) -> (Vec<String>, Range<usize>, Vec<Range<usize>>) {
        let qa = self.qa;
        let span = shift(questions.span(), base);
        let questions = questions.into_inner();
        if questions.is_empty() {
            self.errors.push(
                Diagnostic::error("empty-field", &qa.path, format!("{what} has no questions"))
                    .at(qa, span.clone(), "empty")
                    .help(help_when_empty),
            );
        }
        let mut spans = Vec::new();
        let mut texts = Vec::with_capacity(questions.len());
        for question in questions {
            let question_span = shift(question.span(), base);
            if self.keep_spans {
                spans.push(question_span.clone());
            }
            texts.push(self.required(
                question.into_inner(),
                question_span,
                format_args!("a question of {what}"),
                "write the question, or remove the empty string",
            ));
        }
        (texts, span, spans)
    }

    /// Checks and converts one `[[not_in_article]]` whose spans are relative to `base`.
    fn not_in_article(&mut self, raw: RawNotInArticle, base: usize) {
        let RawNotInArticle {
            id,
            note,
            questions,
        } = raw;
        let id_span = shift(id.span(), base);
        let id = self.id(id.into_inner(), id_span.clone(), "a `not_in_article` id");
        let what = format!("`not_in_article` `{id}`");
        let note_span = shift(note.span(), base);
        let note = self.required(
            note.into_inner(),
            note_span.clone(),
            format_args!("the note of {what}"),
            "say in one sentence what the article does not say, e.g. \"The article does not give their names.\"",
        );
        let (texts, _, question_spans) = self.questions(
            questions,
            base,
            &what,
            "list the questions readers ask that the article does not answer",
        );
        if self.keep_spans {
            self.not_in_article_spans.push(NotInArticleSpans {
                id: id_span,
                note: note_span,
                question: question_spans,
            });
        }
        self.not_in_article.push(NotInArticle {
            id,
            note,
            questions: texts,
        });
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
        let id = self.id(id.into_inner(), id_span.clone(), "an entry's `id`");
        let what = EntryName(&id);

        let (question_texts, questions_span, question_spans) = self.questions(
            questions,
            base,
            &what,
            "list the phrasings a reader would type, from formal to terse",
        );
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
    pub(super) fn finish(mut self) -> Built {
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
            not_in_article: self.not_in_article,
            probes,
            synonyms,
            spans: Spans {
                entries: self.entry_spans,
                not_in_article: self.not_in_article_spans,
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
        } else if self.not_in_article.iter().any(|gap| gap.id == expect)
            // An entry of that id too is `duplicate-id`'s error alone.
            && !self.entries.iter().any(|entry| entry.id == expect)
        {
            self.errors.push(
                Diagnostic::error(
                    "probe-expects-gap",
                    &qa.path,
                    format!("probe expects `{expect}`, which is a `not_in_article`, not an entry"),
                )
                .at(qa, spans.expect.clone(), "not an entry")
                .help(format!(
                    "write expect = \"{NO_MATCH}\": a question the article does not answer must match no entry"
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
    pub(super) fn into_loaded(self, dir: &Path, qa: SourceFile) -> Result<Loaded, LoadError> {
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
                    not_in_article: self.not_in_article,
                    meaning: None,
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

/// An absolute http(s) address with a host and no spaces, as Discord takes for a link.
fn is_web_address(text: &str) -> bool {
    // Schemes are case-insensitive ("HTTPS://...").
    let after = |scheme: &str| {
        (text.get(..scheme.len()))
            .filter(|head| head.eq_ignore_ascii_case(scheme))
            .map(|_| &text[scheme.len()..])
    };
    let rest = after("https://").or_else(|| after("http://"));
    rest.is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        !host.is_empty() && !text.chars().any(char::is_whitespace)
    })
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
        .map(|url| (url.span(), required(url, "`url` in [source]", unknown)));
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
    // Every answer's card links to it: Discord refuses an embed whose url is not one.
    if let Some((span, text)) = &url
        && !text.is_empty()
        && !is_web_address(text)
    {
        errors.push(
            Diagnostic::error(
                "source-url",
                &qa.path,
                "`url` in [source] is not a web address",
            )
            .at(qa, span.clone(), "not an http(s) address")
            .help("write the article's full address, starting with https://"),
        );
    }
    Source {
        title,
        url: url.map(|(_, text)| text),
        published,
        outlet,
    }
}
