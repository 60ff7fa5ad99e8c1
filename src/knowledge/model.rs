//! The knowledge as the rest of citebot sees it: the article, its source metadata, the curated
//! entries with their verbatim excerpts already located in the article, synonyms and probes.
//!
//! Values of these types are only built by the loader (`loader.rs`), which guarantees that every
//! excerpt was found in the article, so front ends can cite paragraphs without re-checking.

use std::path::PathBuf;

use serde::Serialize;

/// The article, one paragraph a line: line 1 the headline, line 2 the standfirst, then the body.
#[derive(Debug, Clone)]
pub struct Article {
    pub path: PathBuf,
    pub text: String,
    /// The article's lines, in order; index 0 is line 1 (the headline).
    pub lines: Vec<String>,
    /// Hex SHA-256 of the article file's bytes.
    pub checksum: String,
}

impl Article {
    /// The headline (line 1).
    pub fn headline(&self) -> &str {
        self.lines.first().map(String::as_str).unwrap_or("")
    }

    /// How readers cite a line: "headline", "standfirst", then "¶1" for line 3 and so on.
    pub fn label(line: usize) -> String {
        match line {
            1 => "headline".to_string(),
            2 => "standfirst".to_string(),
            n => format!("¶{}", n.saturating_sub(2)),
        }
    }

    /// The 1-based line holding `excerpt` verbatim, if any line does.
    pub fn locate(&self, excerpt: &str) -> Option<usize> {
        if excerpt.is_empty() {
            return None;
        }
        self.lines
            .iter()
            .position(|line| line.contains(excerpt))
            .map(|i| i + 1)
    }
}

/// The `[source]` table: where the article comes from. Unknown fields stay `None`: never invent.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub title: String,
    pub url: Option<String>,
    pub published: Option<String>,
    pub outlet: Option<String>,
}

/// A verbatim passage of the article, located.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Excerpt {
    pub text: String,
    /// 1-based line number in article.txt (1 headline, 2 standfirst, 3.. body).
    pub paragraph: usize,
    /// How a reader cites it: "headline", "standfirst", "¶1", ...
    pub label: String,
}

/// One curated question-and-answer entry.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: String,
    pub questions: Vec<String>,
    pub answer: String,
    pub excerpts: Vec<Excerpt>,
    pub tags: Vec<String>,
    pub keywords: Vec<String>,
}

/// Questions readers ask that the article does not answer ("what are the soldiers' names?"),
/// curated so that citebot says so plainly instead of answering with the nearest entry.
#[derive(Debug, Clone)]
pub struct NotInArticle {
    pub id: String,
    /// What citebot says instead, e.g. "The article does not give the soldiers' names."
    pub note: String,
    pub questions: Vec<String>,
}

/// A curator's check on the matcher: this question must retrieve `expect`, or nothing at all.
#[derive(Debug, Clone)]
pub struct Probe {
    pub question: String,
    /// `None`: the question must get `no_match`.
    pub expect: Option<String>,
}

/// A loaded, validated knowledge folder.
#[derive(Debug, Clone)]
pub struct Knowledge {
    /// The folder it was loaded from.
    pub dir: PathBuf,
    pub source: Source,
    pub article: Article,
    pub entries: Vec<Entry>,
    /// Synonym groups: the article's word first, then the words readers use for it.
    pub synonyms: Vec<Vec<String>>,
    pub probes: Vec<Probe>,
    /// What the article is known not to answer; matched like entries, answered with a note.
    pub not_in_article: Vec<NotInArticle>,
    /// The word-meaning model in the folder's `meaning/`, when there is one (not curated: a
    /// broken one is refused, but citebot never edits it).
    pub meaning: Option<std::sync::Arc<crate::matcher::meaning::MeaningModel>>,
}

impl Knowledge {
    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }
}
