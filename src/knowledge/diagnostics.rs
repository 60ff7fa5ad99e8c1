//! Compiler-style diagnostics for the knowledge files: what is wrong, where (file:line:column
//! and the offending line with a caret), and what the curator should do about it.
//!
//! The loader and the lints build [`Diagnostic`] values with byte spans into the files they read;
//! [`SourceFiles`] keeps those texts so [`render`] can show the offending lines through
//! `codespan-reporting`, with or without colour.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The knowledge is refused until it is fixed.
    Error,
    /// Worth fixing, but the knowledge still loads.
    Warning,
}

/// A place in a file: the byte span, and where it starts as people count (1-based line, and
/// column in characters, the way editors show it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    pub span: Range<usize>,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// A span with a short caption, drawn under the source line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub location: Location,
    pub message: String,
}

/// One problem found in the knowledge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable short name for the kind of problem, e.g. `duplicate-id` (shown as `error[..]`).
    pub code: &'static str,
    /// The file the problem is in.
    pub file: PathBuf,
    pub message: String,
    /// Where the problem is, when it has a place in a file.
    pub primary: Option<Label>,
    /// Whether rendering quotes the primary line (false for very long lines, e.g. a whole
    /// article paragraph: the place is then given as file:line:column in the message).
    pub quote: bool,
    /// Related places, e.g. the first definition of a duplicated id.
    pub secondary: Vec<Label>,
    /// Facts that help understand the problem (shown as `= note:`).
    pub notes: Vec<String>,
    /// What to do about it (shown as `= help:`).
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, file: &Path, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Error, code, file, message)
    }

    pub fn warning(code: &'static str, file: &Path, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Warning, code, file, message)
    }

    fn new(
        severity: Severity,
        code: &'static str,
        file: &Path,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            code,
            file: file.to_path_buf(),
            message: message.into(),
            primary: None,
            quote: true,
            secondary: Vec::new(),
            notes: Vec::new(),
            help: None,
        }
    }

    /// Points the diagnostic at `span` of `file`.
    pub fn at(mut self, file: &SourceFile, span: Range<usize>, label: impl Into<String>) -> Self {
        self.file = file.path.clone();
        self.primary = Some(file.label(span, label));
        self
    }

    /// Points the diagnostic at `span` of `file` without quoting the line.
    pub fn at_unquoted(mut self, file: &SourceFile, span: Range<usize>) -> Self {
        self = self.at(file, span, "");
        self.quote = false;
        self
    }

    /// Adds a related place.
    pub fn also(mut self, file: &SourceFile, span: Range<usize>, label: impl Into<String>) -> Self {
        self.secondary.push(file.label(span, label));
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Where the diagnostic points, if anywhere.
    pub fn location(&self) -> Option<&Location> {
        self.primary.as_ref().map(|label| &label.location)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A file the diagnostics may quote.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    /// Where each line starts, found the first time a place is asked for: a file with many
    /// problems is then scanned once, not once per problem.
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> SourceFile {
        SourceFile {
            path: path.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
        }
    }

    /// The location of `span`, clamped to the text and to character boundaries.
    pub fn location(&self, span: Range<usize>) -> Location {
        let end = floor_boundary(&self.text, span.end.min(self.text.len()));
        let start = floor_boundary(&self.text, span.start.min(end));
        let line_starts = self.line_starts();
        // Lines before `start`'s, plus its own.
        let line = line_starts.partition_point(|&at| at <= start);
        let line_start = line_starts.get(line - 1).copied().unwrap_or(0);
        Location {
            file: self.path.clone(),
            span: start..end,
            line,
            column: self.text[line_start..start].chars().count() + 1,
        }
    }

    fn label(&self, span: Range<usize>, message: impl Into<String>) -> Label {
        Label {
            location: self.location(span),
            message: message.into(),
        }
    }

    /// The byte span of 1-based `line` (without its line break), if the file has that line.
    pub fn line_span(&self, line: usize) -> Option<Range<usize>> {
        let start = *self.line_starts().get(line.checked_sub(1)?)?;
        let end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |at| start + at);
        let text = &self.text[start..end];
        Some(start..start + text.strip_suffix('\r').unwrap_or(text).len())
    }

    /// The byte offset where each line starts (the first at 0).
    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(at, _)| at + 1))
                .collect()
        })
    }
}

fn floor_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// The files a set of diagnostics quotes, kept so they can be rendered later.
#[derive(Debug, Clone, Default)]
pub struct SourceFiles {
    files: Vec<SourceFile>,
}

impl SourceFiles {
    pub fn new() -> SourceFiles {
        SourceFiles::default()
    }

    /// Adds (or replaces) a file.
    pub fn add(&mut self, file: SourceFile) {
        self.files.retain(|f| f.path != file.path);
        self.files.push(file);
    }

    pub fn get(&self, path: &Path) -> Option<&SourceFile> {
        self.files.iter().find(|f| f.path == path)
    }
}

/// Renders diagnostics compiler-style, each followed by a blank line, with ANSI colours if
/// `color`.
pub fn render(diagnostics: &[Diagnostic], files: &SourceFiles, color: bool) -> String {
    let mut database = SimpleFiles::new();
    let ids: Vec<(PathBuf, usize)> = files
        .files
        .iter()
        .map(|f| {
            let name = f.path.display().to_string();
            (f.path.clone(), database.add(name, f.text.as_str()))
        })
        .collect();
    let id_of = |path: &Path| ids.iter().find(|(p, _)| p == path).map(|(_, id)| *id);
    let config = term::Config::default();

    let mut out = String::new();
    for diagnostic in diagnostics {
        let rendered = to_codespan(diagnostic, &id_of);
        let mut text = if color {
            let mut buffer = termcolor::Buffer::ansi();
            match term::emit_to_write_style(&mut buffer, &config, &database, &rendered) {
                Ok(()) => String::from_utf8_lossy(buffer.as_slice()).into_owned(),
                Err(_) => plain(diagnostic),
            }
        } else {
            term::emit_into_string(&config, &database, &rendered)
                .unwrap_or_else(|_| plain(diagnostic))
        };
        // One blank line after each, whatever the renderer ended with.
        text.truncate(text.trim_end().len());
        text.push_str("\n\n");
        out.push_str(&text);
    }
    out
}

fn to_codespan(
    diagnostic: &Diagnostic,
    id_of: &dyn Fn(&Path) -> Option<usize>,
) -> cs::Diagnostic<usize> {
    let severity = match diagnostic.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
    };
    let mut labels = Vec::new();
    let mut message = diagnostic.message.clone();
    for (style, label) in diagnostic
        .primary
        .iter()
        .map(|l| (cs::LabelStyle::Primary, l))
        .chain(
            diagnostic
                .secondary
                .iter()
                .map(|l| (cs::LabelStyle::Secondary, l)),
        )
    {
        let quoted = diagnostic.quote || style == cs::LabelStyle::Secondary;
        match id_of(&label.location.file).filter(|_| quoted) {
            Some(id) => labels.push(
                cs::Label::new(style, id, label.location.span.clone())
                    .with_message(label.message.clone()),
            ),
            // Without the file's text there is no line to show: keep at least the place.
            None if style == cs::LabelStyle::Primary => {
                message = format!("{message} ({})", label.location);
            }
            None => {}
        }
    }
    let file = diagnostic.file.display().to_string();
    if diagnostic.primary.is_none() && !message.contains(&file) {
        message = format!("{message} ({file})");
    }
    let mut notes: Vec<String> = diagnostic
        .notes
        .iter()
        .map(|n| format!("note: {n}"))
        .collect();
    if let Some(help) = &diagnostic.help {
        notes.push(format!("help: {help}"));
    }
    cs::Diagnostic::new(severity)
        .with_code(diagnostic.code)
        .with_message(message)
        .with_labels(labels)
        .with_notes(notes)
}

/// A one-paragraph form for when the files cannot be quoted.
fn plain(diagnostic: &Diagnostic) -> String {
    let severity = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let place = diagnostic.location().map_or_else(
        || diagnostic.file.display().to_string(),
        Location::to_string,
    );
    let mut text = format!(
        "{severity}[{}]: {}\n  --> {place}\n",
        diagnostic.code, diagnostic.message
    );
    for note in &diagnostic.notes {
        text.push_str(&format!("  = note: {note}\n"));
    }
    if let Some(help) = &diagnostic.help {
        text.push_str(&format!("  = help: {help}\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_counts_lines_and_characters() {
        let file = SourceFile::new("qa.toml", "a = 1\nb = “x”\nc = 3\n");
        let c = file.text.find("c").unwrap_or(0);
        assert_eq!(file.location(c..c + 1).line, 3);
        let x = file.text.find('x').unwrap_or(0);
        let at_x = file.location(x..x + 1);
        assert_eq!((at_x.line, at_x.column), (2, 6));
        let end = file.location(file.text.len()..file.text.len());
        assert_eq!((end.line, end.column), (4, 1), "after the last line break");
        assert_eq!(file.location(0..1).line, 1);
    }

    #[test]
    fn line_span_leaves_out_the_line_break() {
        let file = SourceFile::new("a.txt", "one\r\ntwo\nthree");
        let span = |line| file.line_span(line).map(|span| &file.text[span]);
        assert_eq!(span(1), Some("one"));
        assert_eq!(span(2), Some("two"));
        assert_eq!(span(3), Some("three"));
        assert_eq!(span(0), None);
        assert_eq!(span(4), None);
    }

    #[test]
    fn render_quotes_the_line_and_the_help() {
        let file = SourceFile::new("k/qa.toml", "[source]\ntitle = \"\"\n");
        let start = file.text.find("\"\"").unwrap_or(0);
        let diagnostic = Diagnostic::error("empty-field", &file.path, "`title` is empty")
            .at(&file, start..start + 2, "empty")
            .help("write the article's headline");
        let mut files = SourceFiles::new();
        files.add(file);
        let text = render(&[diagnostic], &files, false);
        assert!(
            text.contains("error[empty-field]: `title` is empty"),
            "{text}"
        );
        assert!(text.contains("k/qa.toml:2:9"), "{text}");
        assert!(text.contains("title = \"\""), "{text}");
        assert!(
            text.contains("help: write the article's headline"),
            "{text}"
        );
        assert!(
            !text.contains('\u{1b}'),
            "plain output has no escape codes: {text}"
        );
        assert!(render(&[], &files, true).is_empty());
    }
}
