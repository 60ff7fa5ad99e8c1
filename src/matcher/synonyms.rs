//! Synonyms: rewrites the words readers use into the words the article uses ("dprk" into
//! "north korean", "pow" into "prisoner"), on stemmed token sequences, longest phrase first.
//! A phrase of several words ("south korea") becomes one term, so it counts once, as the one
//! idea it is, rather than twice.
//!
//! Both the curated questions and the reader's question pass through the same rewrite, so a
//! synonym can never make the two sides disagree.

use rustc_hash::FxHashMap as HashMap;

use super::normalise::{self, WordStemmer};

/// A rewrite rule: the reader's phrase, and the article's term it becomes.
type Rule = (Vec<String>, Vec<String>);

#[derive(Default)]
pub struct Synonyms {
    /// First token of a reader phrase -> (the whole reader phrase, the article phrase), longest
    /// reader phrase first.
    by_first: HashMap<String, Vec<Rule>>,
}

impl Synonyms {
    /// `groups`: each group's first phrase is the article's; the rest are readers' phrases.
    /// Phrases arrive already normalised and stemmed.
    pub fn new(groups: Vec<Vec<Vec<String>>>) -> Synonyms {
        let mut by_first: HashMap<String, Vec<Rule>> = HashMap::default();
        for group in groups {
            let mut phrases = group.into_iter();
            let Some(canonical) = phrases.next() else {
                continue;
            };
            if canonical.is_empty() {
                continue;
            }
            let term = vec![canonical.join("_")];
            let whole = (canonical.len() > 1).then(|| canonical.clone());
            for phrase in phrases.chain(whole) {
                if let Some(first) = phrase.first()
                    && phrase != term
                {
                    by_first
                        .entry(first.clone())
                        .or_default()
                        .push((phrase.clone(), term.clone()));
                }
            }
        }
        for rules in by_first.values_mut() {
            rules.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        }
        Synonyms { by_first }
    }

    /// The rules of the knowledge's `[synonyms]` groups (each phrase folded, stop words out,
    /// stemmed, as every question is).
    pub fn stemmed(groups: &[Vec<String>], stemmer: &WordStemmer) -> Synonyms {
        let stem = |phrase: &String| -> Vec<String> {
            (normalise::content_words(phrase).iter())
                .map(|word| stemmer.stem(word))
                .collect()
        };
        Synonyms::new(
            (groups.iter())
                .map(|group| group.iter().map(stem).collect())
                .collect(),
        )
    }

    /// The tokens with every reader phrase replaced by its article phrase. Borrows rather than
    /// copies: indexing a large knowledge rewrites millions of tokens.
    pub fn rewrite<'a, S: AsRef<str>>(&'a self, tokens: &'a [S]) -> Vec<&'a str> {
        let mut out = Vec::with_capacity(tokens.len());
        let mut i = 0;
        while let Some(first) = tokens.get(i) {
            let rest = &tokens[i..];
            let rule = self.by_first.get(first.as_ref()).and_then(|rules| {
                rules.iter().find(|(phrase, _)| {
                    phrase.len() <= rest.len()
                        && phrase.iter().zip(rest).all(|(p, t)| p == t.as_ref())
                })
            });
            match rule {
                Some((phrase, canonical)) => {
                    out.extend(canonical.iter().map(String::as_str));
                    i += phrase.len();
                }
                None => {
                    out.push(first.as_ref());
                    i += 1;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrase(text: &str) -> Vec<String> {
        text.split(' ').map(String::from).collect()
    }

    #[test]
    fn rewrites_longest_reader_phrase_to_the_article_phrase() {
        let synonyms = Synonyms::new(vec![
            vec![phrase("north korean"), phrase("dprk"), phrase("kim regime")],
            vec![phrase("prison"), phrase("pow")],
        ]);
        assert_eq!(
            synonyms.rewrite(&phrase("dprk pow kim regime kim north korean")),
            phrase("north_korean prison north_korean kim north_korean")
        );
    }
}
