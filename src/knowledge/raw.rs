//! `qa.toml` exactly as written: the serde model the loader reads before validating it, and the
//! cutting of a large file into pieces TOML can read one at a time.
//!
//! Every value keeps its byte span (`toml::Spanned`) so a diagnostic can point at the very
//! string a curator has to fix. Unknown keys are refused (`deny_unknown_fields`): a misspelt
//! `questons` must not silently drop an entry's phrasings. The loader (`loader.rs`) turns this
//! into the validated [`Knowledge`](super::Knowledge).
//!
//! Why pieces: the `toml` crate holds every token, every parser event and a tree of the whole
//! document at once, about ten times the file's size. [`Pieces`] cuts the file before lines
//! that are exactly `[[entry]]`, `[[probe]]` or `[[not_in_article]]`, so each piece is parsed, converted and dropped
//! in turn. Cutting is only an optimisation: a piece that does not parse on its own (the cut
//! fell inside a multi-line string, a later piece defines `[source]`, ...) makes the loader read
//! the whole file in one go, which is what TOML's own errors are always reported from.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::mpsc::{Receiver, sync_channel};

use serde::Deserialize;
use toml::Spanned;

/// A string with where it was written.
pub type Text = Spanned<String>;

/// The whole file, or its first piece (everything before the first cut).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQa {
    pub source: RawSource,
    /// The article's word or phrase, then the words readers use for it.
    #[serde(default)]
    pub synonyms: Option<BTreeMap<Text, Spanned<Vec<Text>>>>,
    /// `None` when the key is absent, so the loader can tell a first piece that already
    /// defines `entry` (then later `[[entry]]` pieces would not simply add to it); the same
    /// for `probe` and `not_in_article`.
    #[serde(default, rename = "entry")]
    pub entries: Option<Vec<RawEntry>>,
    #[serde(default, rename = "probe")]
    pub probes: Option<Vec<RawProbe>>,
    #[serde(default)]
    pub not_in_article: Option<Vec<RawNotInArticle>>,
}

/// A later piece: nothing but `[[entry]]`, `[[probe]]` and `[[not_in_article]]` tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBatch {
    #[serde(default, rename = "entry")]
    pub entries: Vec<RawEntry>,
    #[serde(default, rename = "probe")]
    pub probes: Vec<RawProbe>,
    #[serde(default)]
    pub not_in_article: Vec<RawNotInArticle>,
}

/// `[source]`: where the article comes from. Optional fields stay out while unknown.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub title: Text,
    /// The article's file name, in the same folder as `qa.toml`.
    pub article: Text,
    #[serde(default)]
    pub url: Option<Text>,
    /// A string or a TOML date (`published = 2024-12-28`); both are kept as written.
    #[serde(default)]
    pub published: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub outlet: Option<Text>,
}

/// One `[[entry]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEntry {
    pub id: Text,
    pub questions: Spanned<Vec<Text>>,
    pub answer: Text,
    pub excerpts: Spanned<Vec<Text>>,
    #[serde(default)]
    pub tags: Vec<Text>,
    #[serde(default)]
    pub keywords: Vec<Text>,
}

/// One `[[not_in_article]]`: questions readers ask that the article does not answer, and the
/// honest note citebot gives instead of a wrong answer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNotInArticle {
    pub id: Text,
    pub note: Text,
    pub questions: Spanned<Vec<Text>>,
}

/// One `[[probe]]`: `expect` is an entry id or `no_match`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProbe {
    pub question: Text,
    pub expect: Text,
}

/// The `expect` value meaning "this question must match nothing".
pub const NO_MATCH: &str = "no_match";

/// How much text a later piece holds at least (the last one may be shorter). Large enough that
/// the per-parse overhead vanishes, small enough that the parser's scratch stays a few MB.
pub const PIECE_BYTES: usize = 256 * 1024;

/// `qa.toml` cut before `[[entry]]` / `[[probe]]` / `[[not_in_article]]` lines.
#[derive(Debug)]
pub struct Pieces<'a> {
    text: &'a str,
    /// The byte ranges of the later pieces, in order; the first piece is everything before.
    later: Vec<Range<usize>>,
    /// How many `[[entry]]` lines there are: the number of entries, as far as a hint goes.
    entry_lines: usize,
}

impl<'a> Pieces<'a> {
    /// Cuts `text` into pieces of at least `piece_bytes` (but the first, which ends at the first
    /// cut so that it holds `[source]` and `[synonyms]` alone in a well-ordered file).
    pub fn cut(text: &'a str, piece_bytes: usize) -> Pieces<'a> {
        let mut later: Vec<Range<usize>> = Vec::new();
        let mut entry_lines = 0;
        let mut line_start = 0;
        for line in text.split_inclusive('\n') {
            let at = line_start;
            line_start += line.len();
            let Some(table) = array_table_header(line) else {
                continue;
            };
            if table == "entry" {
                entry_lines += 1;
            }
            if at == 0 {
                continue;
            }
            match later.last_mut() {
                Some(last) if at - last.start < piece_bytes => {}
                Some(last) => {
                    last.end = at;
                    later.push(at..text.len());
                }
                None => later.push(at..text.len()),
            }
        }
        Pieces {
            text,
            later,
            entry_lines,
        }
    }

    /// About how many entries the file has (to size the knowledge's tables once).
    pub fn entries_hint(&self) -> usize {
        self.entry_lines
    }

    /// Whether the file was cut at all.
    pub fn is_cut(&self) -> bool {
        !self.later.is_empty()
    }

    /// The first piece (the whole text when there was no cut).
    pub fn first(&self) -> Result<RawQa, toml::de::Error> {
        let end = self.later.first().map_or(self.text.len(), |r| r.start);
        toml::from_str(&self.text[..end])
    }

    /// Parses the later pieces on up to `workers` threads and hands each, in file order, to
    /// `take` with the byte offset its spans are relative to. Returns false, having stopped,
    /// at the first piece that does not parse on its own.
    ///
    /// Each worker parses every `workers`-th piece and holds at most one parsed piece
    /// waiting, so memory stays a few pieces' worth while TOML runs beside the conversion.
    pub fn each_later(&self, workers: usize, mut take: impl FnMut(usize, RawBatch)) -> bool {
        let workers = workers.clamp(1, self.later.len().max(1));
        std::thread::scope(|scope| {
            let inboxes: Vec<Receiver<Option<RawBatch>>> = (0..workers)
                .map(|worker| {
                    let (outbox, inbox) = sync_channel(1);
                    let mine = self.later.iter().skip(worker).step_by(workers);
                    scope.spawn(move || {
                        for range in mine {
                            let batch = toml::from_str(&self.text[range.clone()]).ok();
                            let failed = batch.is_none();
                            // A closed inbox means the loader stopped: so do we.
                            if outbox.send(batch).is_err() || failed {
                                break;
                            }
                        }
                    });
                    inbox
                })
                .collect();
            for (index, range) in self.later.iter().enumerate() {
                match inboxes[index % workers].recv() {
                    Ok(Some(batch)) => take(range.start, batch),
                    _ => return false,
                }
            }
            true
        })
    }
}

/// The table's name if `line` is `[[entry]]`, `[[probe]]` or `[[not_in_article]]` (spaces, a
/// comment and a line break aside).
fn array_table_header(line: &str) -> Option<&'static str> {
    let line = line.trim_start_matches([' ', '\t']).strip_prefix("[[")?;
    let tables = ["entry", "probe", "not_in_article"];
    let (table, rest) = tables.into_iter().find_map(|table| {
        let rest = line.strip_prefix(table)?.strip_prefix("]]")?;
        Some((table, rest))
    })?;
    let rest = rest.trim_start_matches([' ', '\t']);
    let ends = rest.is_empty() || rest.starts_with(['#', '\n']) || rest.starts_with("\r\n");
    ends.then_some(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "[source]\ntitle = \"t\"\narticle = \"a.txt\"\n\n\
                        [[entry]]\nid = \"a\"\n\n[[probe]]  # why\nq = 1\n\n  [[entry]]\r\nid = \"b\"\n\
                        [[entry.x]]\ntext = '''\n[[entry]]\n'''\n";

    fn starts(pieces: &Pieces) -> Vec<usize> {
        pieces.later.iter().map(|r| r.start).collect()
    }

    #[test]
    fn cuts_before_array_table_headers_only() {
        let pieces = Pieces::cut(TEXT, 1);
        let lines: Vec<&str> = starts(&pieces)
            .iter()
            .map(|&at| TEXT[at..].lines().next().unwrap_or(""))
            .collect();
        // The `[[entry]]` inside the multi-line string is cut too: that piece then fails to
        // parse on its own, and the loader reads the file whole.
        assert_eq!(
            lines,
            ["[[entry]]", "[[probe]]  # why", "  [[entry]]", "[[entry]]"]
        );
        let ends: Vec<usize> = pieces.later.iter().map(|r| r.end).collect();
        let mut expected = starts(&pieces)[1..].to_vec();
        expected.push(TEXT.len());
        assert_eq!(ends, expected, "the pieces tile the text");
    }

    #[test]
    fn pieces_hold_at_least_the_asked_size() {
        // The first later piece is 20 bytes at `[[probe]]`: too short to end there.
        let pieces = Pieces::cut(TEXT, 30);
        let first_cut = TEXT.find("[[entry]]").unwrap_or(0);
        let second_cut = TEXT.find("  [[entry]]").unwrap_or(0);
        assert_eq!(starts(&pieces)[..2], [first_cut, second_cut]);
        assert_eq!(starts(&pieces).len(), 3);
        let whole = Pieces::cut(TEXT, usize::MAX);
        assert_eq!(starts(&whole).len(), 1, "one later piece at most");
        assert!(!Pieces::cut("[source]\n", 1).is_cut());
        assert_eq!(
            whole.entries_hint(),
            3,
            "a hint: the one in a string counts too"
        );
    }
}
