//! Finds the article passage closest to an excerpt that is not verbatim in the article, so the
//! curator sees the typo (a straight quote for a curly one, a dropped word) instead of hunting.
//!
//! Lines sharing the most words with the excerpt are searched with a window of the excerpt's
//! length sliding from word to word, scored with normalised Levenshtein similarity, and
//! the best window is then nudged a few characters either way to line up with the excerpt.
//!
//! A knowledge with thousands of misquoted excerpts (an article edited under it) must still
//! check in seconds: [`Passages`] prepares the article's lines once for every search, and a
//! window's edit distance is abandoned as soon as it cannot beat the best window so far.

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

impl Closest {
    /// The passage `window` (in characters) of line `index` (0-based), `chars` being that
    /// line, compared with the `wanted` excerpt.
    fn window(
        index: usize,
        chars: &[char],
        window: std::ops::Range<usize>,
        similarity: f64,
        wanted: &[char],
    ) -> Closest {
        let passage = &chars[window.clone()];
        Closest {
            line: index + 1,
            text: passage.iter().collect(),
            at_line_start: window.start == 0,
            at_line_end: window.end == chars.len(),
            similarity,
            difference: first_difference(wanted, passage),
        }
    }
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

/// The article's lines, prepared for [`Passages::closest`].
#[derive(Debug, Clone)]
pub struct Passages {
    lines: Vec<Line>,
}

#[derive(Debug, Clone)]
struct Line {
    chars: Vec<char>,
    words: HashSet<String>,
    blank: bool,
}

impl Passages {
    pub fn new(lines: &[String]) -> Passages {
        let lines = lines
            .iter()
            .map(|line| Line {
                chars: line.chars().collect(),
                words: words(line),
                blank: line.trim().is_empty(),
            })
            .collect();
        Passages { lines }
    }

    /// The passage most similar to `excerpt`, if the article has any text.
    pub fn closest(&self, excerpt: &str) -> Option<Closest> {
        let wanted: Vec<char> = excerpt.chars().collect();
        if wanted.is_empty() {
            return None;
        }
        let excerpt_words = words(excerpt);
        let mut ranked: Vec<(usize, usize)> = self
            .lines
            .iter()
            .enumerate()
            .filter(|(_, line)| !line.blank)
            .map(|(index, line)| (index, excerpt_words.intersection(&line.words).count()))
            .collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));

        let mut row = Vec::new();
        let mut best: Option<(f64, usize, usize, usize)> = None; // (similarity, line, start, end)
        for &(index, _) in ranked.iter().take(CANDIDATE_LINES) {
            let beat = best.map_or(-1.0, |(s, ..)| s);
            let window = best_window(&self.lines[index].chars, &wanted, beat, &mut row);
            if let Some((similarity, start, end)) = window
                && best.is_none_or(|(s, ..)| similarity > s)
            {
                best = Some((similarity, index, start, end));
            }
        }
        let (similarity, index, start, end) = best?;
        Some(Closest::window(
            index,
            &self.lines[index].chars,
            start..end,
            similarity,
            &wanted,
        ))
    }
}

/// The passage of `lines` most similar to `excerpt`, if the article has any text. (For many
/// excerpts, prepare the lines once with [`Passages::new`].)
pub fn closest_passage(lines: &[String], excerpt: &str) -> Option<Closest> {
    Passages::new(lines).closest(excerpt)
}

/// The window of `line` most like `wanted`: (similarity, start, end) in characters; the first
/// such window when several score the same. `None` when no window of the line can score above
/// `beat` (another line's best; negative for none), which spares most of the work on lines
/// that cannot win. `row` is scratch space.
///
/// The windows starting at the line's start and at each word are tried most promising first
/// (by a cheap lower bound on their distance), so a good window is found early and the rest
/// are dismissed by the bound or after a few rows of their distance table.
fn best_window(
    line: &[char],
    wanted: &[char],
    beat: f64,
    row: &mut Vec<usize>,
) -> Option<(f64, usize, usize)> {
    let n = wanted.len();
    let windows: Vec<(usize, usize)> = std::iter::once(0)
        .chain(
            (1..line.len()).filter(|&at| line[at - 1].is_whitespace() && !line[at].is_whitespace()),
        )
        .map(|start| (start, (start + n).min(line.len())))
        .collect();
    // A window at distance d, nudged by up to NUDGE characters at each end, is at least
    // d - 2 NUDGE from `wanted` and at most n + 2 NUDGE long: further than this, neither it
    // nor its nudges can beat `beat`.
    let span = n + 2 * NUDGE as usize;
    let reachable = allowed_distance(beat, span) + 2 * NUDGE as usize;
    let bag = Bag::new(wanted);
    let kinds: Vec<usize> = line.iter().map(|&c| bag.kind(c)).collect();
    let mut counts = Vec::new();
    let mut order: Vec<(usize, usize)> = windows
        .iter()
        .enumerate()
        .map(|(index, &(start, end))| {
            let bound = bag.distance_bound(&kinds[start..end], &mut counts);
            (bound, index)
        })
        .collect();
    order.sort_unstable();
    // (similarity, index into `windows`). Every window is at most `n` long, so each is
    // measured against `n` characters and a distance bound holds for all alike.
    let mut found: Option<(f64, usize)> = None;
    for (bound, index) in order {
        let floor = found.map_or(-1.0, |(s, _)| s);
        let allowed = allowed_distance(floor, n).min(reachable);
        if bound > allowed {
            break;
        }
        let (start, end) = windows[index];
        let Some(distance) = levenshtein_within(wanted, &line[start..end], allowed, row) else {
            continue;
        };
        let s = 1.0 - distance as f64 / n as f64;
        let better = found.is_none_or(|(best, at)| s > best || (s == best && index < at));
        if better {
            found = Some((s, index));
        }
    }
    // No window within reach: the line's best (whichever it is) cannot beat `beat`.
    let (similarity, index) = found?;
    let (start0, end0) = windows[index];
    let mut best = (similarity, start0, end0);
    for ds in -NUDGE..=NUDGE {
        for de in -NUDGE..=NUDGE {
            let start = start0 as isize + ds;
            let end = end0 as isize + de;
            if start < 0 || end > line.len() as isize || start >= end {
                continue;
            }
            let (start, end) = (start as usize, end as usize);
            // Only a nudge above both this line's best and `beat` can matter.
            let floor = best.0.max(beat);
            if let Some(s) = similarity_over(wanted, &line[start..end], floor, row)
                && s > best.0
            {
                best = (s, start, end);
            }
        }
    }
    Some(best)
}

/// The characters of a text, counted, for a lower bound on its edit distance to others: an
/// edit changes one character, so two texts are at least as far apart as their counts.
struct Bag {
    /// The text's distinct characters, sorted; any other character counts as one more kind.
    kinds: Vec<char>,
    counts: Vec<isize>,
}

impl Bag {
    fn new(text: &[char]) -> Bag {
        let mut kinds = text.to_vec();
        kinds.sort_unstable();
        kinds.dedup();
        let mut bag = Bag {
            counts: vec![0; kinds.len() + 1],
            kinds,
        };
        for &c in text {
            let kind = bag.kind(c);
            bag.counts[kind] += 1;
        }
        bag
    }

    /// Which kind `c` counts as.
    fn kind(&self, c: char) -> usize {
        self.kinds.binary_search(&c).unwrap_or(self.kinds.len())
    }

    /// A lower bound on the edit distance between the bag's text and a text whose characters'
    /// kinds are `other`. `counts` is scratch space.
    fn distance_bound(&self, other: &[usize], counts: &mut Vec<isize>) -> usize {
        counts.clone_from(&self.counts);
        for &kind in other {
            counts[kind] -= 1;
        }
        let (extra, missing) = counts.iter().fold((0, 0), |(extra, missing), &count| {
            if count > 0 {
                (extra + count.unsigned_abs(), missing)
            } else {
                (extra, missing + count.unsigned_abs())
            }
        });
        extra.max(missing)
    }
}

/// The largest edit distance that could still give a similarity above `floor` between texts
/// of at most `longest` characters (one more than exact, for rounding).
fn allowed_distance(floor: f64, longest: usize) -> usize {
    ((1.0 - floor.max(0.0)) * longest as f64).floor() as usize + 1
}

/// Normalised Levenshtein similarity of `a` and `b`, in [0, 1], or `None` when it certainly
/// does not exceed `floor` (the distance is then not worked out to the end).
fn similarity_over(a: &[char], b: &[char], floor: f64, row: &mut Vec<usize>) -> Option<f64> {
    let longest = a.len().max(b.len());
    if longest == 0 {
        return Some(1.0);
    }
    let distance = levenshtein_within(a, b, allowed_distance(floor, longest), row)?;
    Some(1.0 - distance as f64 / longest as f64)
}

/// Edit distance over characters if it is at most `max` (strsim's generic version wants sized
/// collections, and the windows here are slices). Only the cells within `max` of the table's
/// diagonal are worked out: a path through any other costs more than `max`. And it gives up
/// once a whole row exceeds `max`: every path crosses every row, never getting cheaper.
fn levenshtein_within(a: &[char], b: &[char], max: usize, row: &mut Vec<usize>) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    // Stands for every distance over `max`.
    let over = max + 1;
    row.clear();
    row.extend((0..=b.len()).map(|j| j.min(over)));
    for (i, ca) in a.iter().enumerate() {
        let i = i + 1;
        let first = i.saturating_sub(max).max(1);
        let last = (i + max).min(b.len());
        let mut diagonal = row[first - 1];
        row[first - 1] = if first == 1 { i.min(over) } else { over };
        let mut lowest = row[first - 1];
        for j in first..=last {
            let above = row[j];
            let cell = if *ca == b[j - 1] {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j - 1])
            };
            row[j] = cell.min(over);
            lowest = lowest.min(row[j]);
            diagonal = above;
        }
        if lowest > max {
            return None;
        }
    }
    let distance = row[b.len()];
    (distance <= max).then_some(distance)
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

    /// The search as it was first written (every window's distance worked out in full, the
    /// lines prepared afresh for each excerpt): the faster one must find the very same passage.
    mod reference {
        use super::super::{Closest, words};

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
            Some(Closest::window(
                index,
                &chars,
                start..end,
                similarity,
                &wanted,
            ))
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
    }

    #[test]
    fn finds_what_the_exhaustive_search_finds() {
        let article = include_str!("../../knowledge/article.txt");
        let lines: Vec<String> = article.lines().map(str::to_string).chain(lines()).collect();
        let passages = Passages::new(&lines);
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n.max(1) as u64) as usize
        };
        let noise = ['x', ' ', '\'', '’', 'é', '1'];
        for _ in 0..120 {
            let line: Vec<char> = lines[next(lines.len())].chars().collect();
            let start = next(line.len());
            let end = (start + 1 + next(60)).min(line.len());
            let mut excerpt: Vec<char> = line[start..end].to_vec();
            for _ in 0..next(4) {
                let at = next(excerpt.len() + 1);
                match next(3) {
                    0 if at < excerpt.len() => {
                        excerpt.remove(at);
                    }
                    1 if at < excerpt.len() => excerpt[at] = noise[next(noise.len())],
                    _ => excerpt.insert(at, noise[next(noise.len())]),
                }
            }
            let excerpt: String = excerpt.into_iter().collect();
            assert_eq!(
                passages.closest(&excerpt),
                reference::closest_passage(&lines, &excerpt),
                "{excerpt:?}"
            );
        }
        for unrelated in ["zzz qqq", "The", "1999 1999 1999", "’"] {
            assert_eq!(
                passages.closest(unrelated),
                reference::closest_passage(&lines, unrelated)
            );
        }
    }

    #[test]
    fn the_bounded_distance_is_the_distance_when_within_bounds() {
        let words = [
            "",
            "a",
            "born",
            "borne",
            "bourn",
            "1999",
            "sniper’s",
            "snipers",
            "rob n",
        ];
        for a in words {
            for b in words {
                let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
                let distance = strsim::generic_levenshtein(&a, &b);
                for max in 0..10 {
                    let expected = (distance <= max).then_some(distance);
                    let mut row = Vec::new();
                    assert_eq!(
                        levenshtein_within(&a, &b, max, &mut row),
                        expected,
                        "{a:?} {b:?} {max}"
                    );
                }
                let bound = Bag::new(&a).distance_bound(
                    &b.iter().map(|&c| Bag::new(&a).kind(c)).collect::<Vec<_>>(),
                    &mut Vec::new(),
                );
                assert!(bound <= distance, "{a:?} {b:?}");
            }
        }
    }
}
