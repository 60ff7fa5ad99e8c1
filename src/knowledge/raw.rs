//! `qa.toml` exactly as written: the serde model the loader reads before validating it.
//!
//! Every value keeps its byte span (`toml::Spanned`) so a diagnostic can point at the very
//! string a curator has to fix. Unknown keys are refused (`deny_unknown_fields`): a misspelt
//! `questons` must not silently drop an entry's phrasings. The loader (`loader.rs`) turns this
//! into the validated [`Knowledge`](super::Knowledge).

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// A string with where it was written.
pub type Text = Spanned<String>;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQa {
    pub source: RawSource,
    /// The article's word or phrase, then the words readers use for it.
    #[serde(default)]
    pub synonyms: Option<BTreeMap<Text, Spanned<Vec<Text>>>>,
    #[serde(default, rename = "entry")]
    pub entries: Vec<RawEntry>,
    #[serde(default, rename = "probe")]
    pub probes: Vec<RawProbe>,
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

/// One `[[probe]]`: `expect` is an entry id or `no_match`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProbe {
    pub question: Text,
    pub expect: Text,
}

/// The `expect` value meaning "this question must match nothing".
pub const NO_MATCH: &str = "no_match";
