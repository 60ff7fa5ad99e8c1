//! Readers' own text made safe to show on a curator's terminal (`visible`, `json_pretty`):
//! `citebot gaps` and `stats` print what readers typed, which must show, not act.

use std::borrow::Cow;
use std::fmt::Write;

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};

/// Whether `c` would act on a terminal instead of showing: a control character (C0, DEL, C1:
/// escape sequences can clear the screen, retitle the window, forge output) or a bidirectional
/// formatting character (it reorders the text around it, so a line can read as something else).
fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// `text` with each such character written out as `\u{1b}`: readers' text reaches a
/// curator's terminal, which must show that it held them rather than obey them.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_hidden(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `value` as pretty JSON with every character `visible` escapes written as `\uXXXX`: serde_json
/// escapes only C0, and JSON is often read in a terminal too. The parsed value is the same.
pub fn json_pretty<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::new();
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut out, Escaping(PrettyFormatter::new()));
    value.serialize(&mut serializer)?;
    // The serializer writes only `str`s, so the bytes are UTF-8.
    String::from_utf8(out).map_err(|e| serde::ser::Error::custom(e.to_string()))
}

/// serde_json's pretty layout, escaping what [`is_hidden`] names in strings.
struct Escaping(PrettyFormatter<'static>);

impl Formatter for Escaping {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut start = 0;
        for (at, c) in fragment.char_indices() {
            if is_hidden(c) {
                writer.write_all(&fragment.as_bytes()[start..at])?;
                write!(writer, "\\u{:04x}", u32::from(c))?;
                start = at + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str =
        "a\u{1b}[2J b\u{1b}]0;pwned\u{7} \u{202e}c\u{2066}\u{2069}\u{200e}\u{200f}\u{7f}\u{9b}d";

    #[test]
    fn controls_and_bidi_are_shown_not_obeyed() {
        let shown = visible(HOSTILE);
        assert_eq!(
            shown,
            "a\\u{1b}[2J b\\u{1b}]0;pwned\\u{7} \\u{202e}c\\u{2066}\\u{2069}\\u{200e}\\u{200f}\\u{7f}\\u{9b}d"
        );
        assert!(matches!(visible("plain “quoted” é"), Cow::Borrowed(_)));
    }

    #[test]
    fn json_escapes_them_and_still_parses_to_the_same_text() {
        let json = json_pretty(&[HOSTILE]).unwrap_or_default();
        // The layout's own line breaks aside, nothing reaches the terminal raw.
        assert!(
            json.chars().filter(|&c| c != '\n').all(|c| !is_hidden(c)),
            "{json:?}"
        );
        assert!(
            json.contains("\\u202e") && json.contains("\\u009b"),
            "{json}"
        );
        let back: Vec<String> = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back, [HOSTILE]);
        assert_eq!(
            json_pretty(&serde_json::json!({"a": [1, "x"]})).unwrap_or_default(),
            serde_json::to_string_pretty(&serde_json::json!({"a": [1, "x"]})).unwrap_or_default()
        );
    }
}
