//! The article `[source]` names: a plain file name in the knowledge folder, read as UTF-8, and
//! one paragraph a line (line 1 the headline, line 2 the standfirst, then ¶1, ¶2...), so a blank
//! line is an error: it would renumber every citation after it.

use std::ops::Range;
use std::path::{Path, PathBuf};

use super::super::diagnostics::{Diagnostic, SourceFile};
use super::super::raw::RawSource;
use super::{ReadArticle, ReadFailure, empty};

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
pub(super) fn article_file(
    dir: &Path,
    qa: &SourceFile,
    source: &RawSource,
    read_article: ReadArticle,
) -> Result<SourceFile, Box<Diagnostic>> {
    let path = article_path(dir, qa, source)?;
    match read_article(&path) {
        // Nothing can be verbatim in an empty article: one error, not one per excerpt.
        Ok(text) if text.trim().is_empty() => Err(Box::new(
            Diagnostic::error(
                "empty-article",
                &qa.path,
                format!("the article {} is empty", path.display()),
            )
            .at(qa, source.article.span(), "named here")
            .help("put the article's text in it: headline, standfirst, then one paragraph a line"),
        )),
        Ok(text) => Ok(SourceFile::new(path, text)),
        Err(failure) => {
            let help = match failure {
                ReadFailure::NotUtf8 { .. } => "save the article as UTF-8 text".to_string(),
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

/// Blank lines named one by one in [`blank_lines`]' error; any more are only counted.
const BLANK_LINES_SHOWN: usize = 4;

/// The article's blank (or whitespace-only) lines as one error, at the first. Each line after
/// the standfirst is a paragraph cited by its number (line 3 is ¶1), so a blank line would
/// silently renumber every paragraph after it, and readers would be sent to the wrong one.
/// Blank lines after the last paragraph renumber nothing, and are let be.
pub(super) fn blank_lines(article: &SourceFile) -> Option<Diagnostic> {
    let lines = article.text.lines().count();
    let last_written = (article.text.lines().enumerate())
        .filter(|(_, line)| !line.trim_start_matches('\u{feff}').trim().is_empty())
        .last()
        .map_or(0, |(index, _)| index + 1);
    let blank: Vec<(usize, Range<usize>)> = (1..=lines.min(last_written))
        .filter_map(|line| {
            let span = article.line_span(line)?;
            let text = &article.text[span.clone()];
            // A byte-order mark is not a character of the headline, nor a paragraph.
            let text = if line == 1 {
                text.trim_start_matches('\u{feff}')
            } else {
                text
            };
            text.trim().is_empty().then_some((line, span))
        })
        .collect();
    let ((first, span), rest) = blank.split_first()?;
    let message = match rest.len() {
        0 => format!("line {first} of the article is blank"),
        more => format!(
            "the article has {} blank lines, the first at line {first}",
            more + 1
        ),
    };
    let mut diagnostic = Diagnostic::error("article-blank-line", &article.path, message)
        .at(article, span.clone(), "blank line")
        .note(
            "line 1 is the headline, line 2 the standfirst, then one paragraph a line, cited by \
             its number (line 3 is ¶1): a blank line renumbers everything after it",
        );
    for (line, span) in rest.iter().take(BLANK_LINES_SHOWN - 1) {
        diagnostic = diagnostic.also(article, span.clone(), format!("line {line} is blank too"));
    }
    if rest.len() >= BLANK_LINES_SHOWN {
        let all: Vec<String> = blank.iter().map(|(line, _)| line.to_string()).collect();
        diagnostic = diagnostic.note(format!("blank lines: {}", all.join(", ")));
    }
    Some(diagnostic.help(if rest.is_empty() {
        "paragraphs are one a line; remove the blank line"
    } else {
        "paragraphs are one a line; remove the blank lines"
    }))
}
