//! The platform-neutral reply: what citebot says to one question, before any front end dresses it.
//!
//! `citebot ask`, `citebot chat` and the Discord adapter all render this same value, which is how
//! the same question gets the same answer everywhere. Its JSON form (`citebot ask --json`) is a
//! stable interface: the field names below are part of it.

use serde::Serialize;

use crate::knowledge::Excerpt;

/// How the matcher decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// One entry matched clearly.
    Answered,
    /// The top candidates were too close to call: ask "did you mean A or B?".
    Ambiguous,
    /// Nothing matched well enough: the article does not answer this (as far as citebot knows).
    NoMatch,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Answered => "answered",
            Status::Ambiguous => "ambiguous",
            Status::NoMatch => "no_match",
        }
    }
}

/// A question citebot can answer, offered when it cannot answer the one asked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub entry_id: String,
    /// The entry's first (canonical) question.
    pub question: String,
    pub score: f32,
}

/// Where the answers come from: shown under every answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceLine {
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// For a question the article is known not to answer: which curated `not_in_article` it
/// matched, and the note that says so.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotInArticleNote {
    pub id: String,
    pub note: String,
}

/// citebot's reply to one question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reply {
    /// The question as matched (after cutting to the configured length limit).
    pub question: String,
    pub status: Status,
    pub entry_id: Option<String>,
    /// The top candidate's score in [0, 1] (0 when there was no candidate); for a question
    /// listed as not in the article, how well it fits that listing.
    pub score: f32,
    pub answer: Option<String>,
    /// The entry's canonical question, when answered: a title for the answer.
    pub matched_question: Option<String>,
    pub excerpts: Vec<Excerpt>,
    /// For `ambiguous`: the close candidates; for `no_match`: the closest answerable questions
    /// (when nothing was asked, see [`Reply::asks_nothing`]: the knowledge's first questions).
    pub suggestions: Vec<Suggestion>,
    /// For `no_match` when the question is one the knowledge lists as not answered by the
    /// article: the note to show ("The article does not give their names.").
    pub not_in_article: Option<NotInArticleNote>,
    /// True when the question was longer than the limit and was cut before matching.
    pub truncated: bool,
    pub source: SourceLine,
}

impl Reply {
    /// Whether the message held no letter or digit at all (empty, blank, emoji, punctuation):
    /// nothing was asked, so the reply says how to ask rather than that the article is silent.
    /// A message cut to the length limit may have asked in the part cut off, so it never is.
    pub fn asks_nothing(&self) -> bool {
        asks_nothing(&self.question, self.truncated)
    }
}

/// [`Reply::asks_nothing`] for a question (as cut, and whether it was) before it has a reply.
pub fn asks_nothing(question: &str, truncated: bool) -> bool {
    !truncated && !question.chars().any(char::is_alphanumeric)
}
