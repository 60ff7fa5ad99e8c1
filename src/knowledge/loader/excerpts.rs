//! Excerpts located in the article: each is searched once in the whole text (the line then
//! found from where lines start) and remembered, however many entries quote it; a missing one
//! gets the closest article passage, searched only then, so the curator sees the typo.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

use sha2::{Digest, Sha256};

use crate::knowledge::closest::{Closest, Passages};
use crate::knowledge::diagnostics::{Diagnostic, SourceFile};
use crate::knowledge::{Article, Excerpt};

/// The article, with where each of its lines starts, so an excerpt is located with one
/// search of the text rather than one per line, and only once however many entries quote it.
pub(super) struct IndexedArticle {
    pub(super) article: Article,
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
    pub(super) fn new(file: &SourceFile) -> IndexedArticle {
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
    pub(super) fn excerpt(&mut self, text: String) -> Result<Excerpt, Misquote> {
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

/// Why an excerpt could not be located.
pub(super) enum Misquote {
    SeveralLines,
    NotFound(Option<Closest>),
}

pub(super) fn misquote(
    qa: &SourceFile,
    span: Range<usize>,
    what: impl fmt::Display,
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
