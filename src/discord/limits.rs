//! Discord's size limits, and cutting text to fit them.
//!
//! Discord rejects a whole message when one part is too long, so every text citebot sends is cut
//! to its limit first. Lengths are measured in UTF-16 code units: that is at least the number of
//! characters, so a text that fits by this measure fits however Discord counts, and a cut never
//! splits a character.

/// Message `content`.
pub const CONTENT: usize = 2000;
/// Embed title.
pub const TITLE: usize = 256;
/// Embed description.
pub const DESCRIPTION: usize = 4096;
/// Embed field name.
pub const FIELD_NAME: usize = 256;
/// Embed field value.
pub const FIELD_VALUE: usize = 1024;
/// Fields in one embed.
pub const FIELDS: usize = 25;
/// Embed footer text.
pub const FOOTER: usize = 2048;
/// All the text of one embed together.
pub const EMBED_TOTAL: usize = 6000;
/// Autocomplete choices, and a choice's name and value.
pub const CHOICES: usize = 25;
pub const CHOICE_NAME: usize = 100;
pub const CHOICE_VALUE: usize = 100;
/// Buttons in one action row, and action rows in one message.
pub const BUTTONS_PER_ROW: usize = 5;
pub const ROWS: usize = 5;
/// A button's label and custom id.
pub const BUTTON_LABEL: usize = 80;
pub const CUSTOM_ID: usize = 100;

const ELLIPSIS: char = '…';

/// The length of `text` as Discord limits it (UTF-16 code units).
pub fn len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// `text` cut to at most `max` units on a character boundary, ending with an ellipsis when cut
/// (trailing whitespace before the ellipsis is dropped, so it reads "word…" not "word …").
pub fn clip(text: &str, max: usize) -> String {
    if len(text) <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let budget = max - ELLIPSIS.len_utf16();
    let mut used = 0;
    let mut end = 0;
    for (i, c) in text.char_indices() {
        if used + c.len_utf16() > budget {
            break;
        }
        used += c.len_utf16();
        end = i + c.len_utf8();
    }
    let mut out = text[..end].trim_end().to_string();
    out.push(ELLIPSIS);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_kept() {
        assert_eq!(clip("who captured them?", 100), "who captured them?");
        assert_eq!(clip("", 10), "");
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis_within_the_limit() {
        let text = "word ".repeat(1000);
        let cut = clip(&text, 2000);
        assert!(len(&cut) <= 2000);
        assert!(cut.ends_with("word…"), "{}", &cut[cut.len() - 12..]);
    }

    #[test]
    fn cuts_never_split_characters() {
        // Accented letters (2 bytes), CJK (3 bytes) and emoji (4 bytes, 2 UTF-16 units).
        let text = "é漢😀".repeat(500);
        for max in [1, 2, 3, 7, 80, 100, 1024] {
            let cut = clip(&text, max);
            assert!(len(&cut) <= max, "max {max}: {}", len(&cut));
            assert!(cut.ends_with('…'));
            assert!(text.starts_with(cut.trim_end_matches('…')));
        }
        assert_eq!(clip(&text, 0), "");
    }

    #[test]
    fn emoji_count_as_two_units() {
        assert_eq!(len("😀"), 2);
        assert_eq!(len("é"), 1);
        assert_eq!(clip("😀😀", 3), "😀…");
    }
}
