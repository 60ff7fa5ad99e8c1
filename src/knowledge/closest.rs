//! Finds the article passage closest to an excerpt that is not verbatim in the article, so the
//! curator sees the typo (a straight quote for a curly one, a dropped word) instead of hunting.
//!
//! Lines sharing the most words with the excerpt are searched with a window of the excerpt's
//! length sliding from word to word, scored with normalised Levenshtein similarity, and
//! the best window is then nudged a few characters either way to line up with the excerpt.

use std::collections::HashSet;

/// The best-matching passage of the article.
#[derive(Debug, Clone, PartialEq)]
pub struct Closest {
    /// 1-based line number in the article.
    pub line: usize,
    /// The passage, as written in the article.
    pub text: String,
    /// Whether the passage starts at the start of the line / ends at its end.
    pub at_line_start: bool,
    pub at_line_end: bool,
    /// Normalised Levenshtein similarity to the excerpt, in [0, 1].
    pub similarity: f64,
    /// The first character where the excerpt and the passage part ways.
    pub difference: Option<Difference>,
}

/// Where an excerpt first differs from the article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// 0-based character offset into the excerpt.
    pub offset: usize,
    /// The excerpt's character there (`None`: the excerpt ended).
    pub excerpt: Option<char>,
    /// The article's character there (`None`: the passage ended).
    pub article: Option<char>,
}

/// How many of the most word-sharing lines get the (costlier) sliding-window search.
const CANDIDATE_LINES: usize = 3;
/// How far the best window is nudged, in characters, at each end.
const NUDGE: isize = 4;

/// The passage of `lines` most similar to `excerpt`, if the article has any text.
pub fn closest_passage(lines: &[String], excerpt: &str) -> Option<Closest> {
    let wanted: Vec<char> = excerpt.chars().collect();
    if wanted.is_empty() {
        return None;
    }
    let excerpt_words = words(excerpt);
    let mut ranked: Vec<(usize, usize)> = lines
        .iter()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| {
            let line_words = words(line);
            (index, excerpt_words.intersection(&line_words).count())
        })
        .collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));

    let mut best: Option<(f64, usize, usize, usize)> = None; // (similarity, line index, start, end)
    for &(index, _) in ranked.iter().take(CANDIDATE_LINES) {
        let chars: Vec<char> = lines[index].chars().collect();
        let (similarity, start, end) = best_window(&chars, &wanted);
        if best.is_none_or(|(s, ..)| similarity > s) {
            best = Some((similarity, index, start, end));
        }
    }
    let (similarity, index, start, end) = best?;
    let chars: Vec<char> = lines[index].chars().collect();
    let passage = &chars[start..end];
    Some(Closest {
        line: index + 1,
        text: passage.iter().collect(),
        at_line_start: start == 0,
        at_line_end: end == chars.len(),
        similarity,
        difference: first_difference(&wanted, passage),
    })
}

/// The window of `line` most like `wanted`: (similarity, start, end) in characters.
fn best_window(line: &[char], wanted: &[char]) -> (f64, usize, usize) {
    let n = wanted.len();
    let score = |start: usize, end: usize| similarity(wanted, &line[start..end]);
    let mut best = (score(0, n.min(line.len())), 0, n.min(line.len()));
    for start in 1..line.len() {
        if line[start - 1].is_whitespace() && !line[start].is_whitespace() {
            let end = (start + n).min(line.len());
            let s = score(start, end);
            if s > best.0 {
                best = (s, start, end);
            }
        }
    }
    let (_, start0, end0) = best;
    for ds in -NUDGE..=NUDGE {
        for de in -NUDGE..=NUDGE {
            let start = start0 as isize + ds;
            let end = end0 as isize + de;
            if start < 0 || end > line.len() as isize || start >= end {
                continue;
            }
            let (start, end) = (start as usize, end as usize);
            let s = score(start, end);
            if s > best.0 {
                best = (s, start, end);
            }
        }
    }
    best
}

fn similarity(a: &[char], b: &[char]) -> f64 {
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 1.0;
    }
    1.0 - levenshtein(a, b) as f64 / longest as f64
}

/// Edit distance over characters (strsim's generic version wants sized collections, and the
/// windows here are slices).
fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

fn first_difference(excerpt: &[char], passage: &[char]) -> Option<Difference> {
    let offset = excerpt
        .iter()
        .zip(passage)
        .take_while(|(a, b)| a == b)
        .count();
    if offset == excerpt.len() && offset == passage.len() {
        return None;
    }
    Some(Difference {
        offset,
        excerpt: excerpt.get(offset).copied(),
        article: passage.get(offset).copied(),
    })
}

fn words(text: &str) -> HashSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines() -> Vec<String> {
        vec![
            "Ukraine has captured two North Korean soldiers".to_string(),
            "The prisoners do not speak Ukrainian, the SBU said, so Ukraine uses interpreters."
                .to_string(),
            "He said he was born in 1999 and had served as a scout sniper since 2016.".to_string(),
        ]
    }

    #[test]
    fn finds_the_passage_with_a_typo_and_where_it_differs() {
        let found = closest_passage(&lines(), "he was born in 1998 and had served");
        let found = found.expect("a passage");
        assert_eq!(found.line, 3);
        assert_eq!(found.text, "he was born in 1999 and had served");
        let difference = found.difference.expect("a difference");
        assert_eq!(difference.offset, 18);
        assert_eq!(difference.excerpt, Some('8'));
        assert_eq!(difference.article, Some('9'));
        assert!(found.similarity > 0.9 && found.similarity < 1.0);
    }

    #[test]
    fn finds_a_passage_missing_a_word() {
        let found =
            closest_passage(&lines(), "do not speak Ukrainian, SBU said").expect("a passage");
        assert_eq!(found.line, 2);
        assert!(
            found.text.starts_with("do not speak Ukrainian, the SBU"),
            "{found:?}"
        );
        let difference = found.difference.expect("a difference");
        assert_eq!(difference.excerpt, Some('S'));
        assert_eq!(difference.article, Some('t'));
    }

    #[test]
    fn nothing_to_compare_with() {
        assert_eq!(closest_passage(&[], "anything"), None);
        assert_eq!(closest_passage(&lines(), ""), None);
    }
}
