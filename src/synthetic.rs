//! A synthetic knowledge of any size, built deterministically from the article's own words, for
//! benchmarks: same seed, same knowledge, on every machine.
//!
//! It is written out as a real `qa.toml` beside a copy of the article, so loading it exercises
//! the same loader as the shipped knowledge.

use std::fmt::Write as _;
use std::path::Path;

use crate::knowledge::Article;
use crate::matcher::normalise;

/// xorshift64*: tiny, deterministic, and good enough to spread words around.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

const QUESTION_WORDS: &[&str] = &["who", "what", "where", "when", "why", "how", "how many"];

/// The article's distinct content words, sorted.
pub fn vocabulary(article: &Article) -> Vec<String> {
    let mut words: Vec<String> = article
        .lines
        .iter()
        .flat_map(|line| normalise::content_words(line))
        .filter(|w| w.chars().count() >= 3 && w.chars().all(char::is_alphanumeric))
        .collect();
    words.sort();
    words.dedup();
    words
}

fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One synthetic question: a question word and four to six article words.
pub fn question(rng: &mut Rng, vocabulary: &[String]) -> String {
    let mut words = vec![QUESTION_WORDS[rng.below(QUESTION_WORDS.len())].to_string()];
    for _ in 0..4 + rng.below(3) {
        words.push(vocabulary[rng.below(vocabulary.len())].clone());
    }
    words.join(" ") + "?"
}

/// Writes `entries` entries (three questions each) as `qa.toml` plus the article into `dir`.
pub fn write(dir: &Path, article: &Article, entries: usize, seed: u64) -> std::io::Result<()> {
    let vocabulary = vocabulary(article);
    let mut rng = Rng::new(seed);
    let mut toml = String::with_capacity(entries * 400);
    let _ = writeln!(
        toml,
        "[source]\ntitle = {}\narticle = \"article.txt\"\n",
        toml_string(article.headline())
    );
    for index in 0..entries {
        let questions: Vec<String> = (0..3)
            .map(|_| toml_string(&question(&mut rng, &vocabulary)))
            .collect();
        let answer: Vec<&str> = (0..12)
            .map(|_| vocabulary[rng.below(vocabulary.len())].as_str())
            .collect();
        let line = &article.lines[rng.below(article.lines.len())];
        let words: Vec<&str> = line.split(' ').collect();
        let start = rng.below(words.len().saturating_sub(6).max(1));
        let excerpt = words[start..(start + 6).min(words.len())].join(" ");
        let _ = writeln!(
            toml,
            "[[entry]]\nid = \"e{index:06}\"\nquestions = [{}]\nanswer = {}\nexcerpts = [{}]\n",
            questions.join(", "),
            toml_string(&answer.join(" ")),
            toml_string(&excerpt)
        );
    }
    std::fs::write(dir.join("qa.toml"), toml)?;
    std::fs::write(dir.join("article.txt"), &article.text)
}

/// A reader's version of a stored question: a word dropped, two swapped, or a typo.
pub fn perturb(rng: &mut Rng, question: &str) -> String {
    let mut words: Vec<String> = question.split(' ').map(String::from).collect();
    if words.len() > 2 {
        match rng.below(3) {
            0 => {
                let at = 1 + rng.below(words.len() - 1);
                words.remove(at);
            }
            1 => {
                let at = 1 + rng.below(words.len() - 2);
                words.swap(at, at + 1);
            }
            _ => {
                let at = 1 + rng.below(words.len() - 1);
                let mut chars: Vec<char> = words[at].chars().collect();
                if chars.len() > 4 {
                    chars.swap(2, 3);
                }
                words[at] = chars.into_iter().collect();
            }
        }
    }
    words.join(" ")
}
