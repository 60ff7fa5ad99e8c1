//! The shipped knowledge: the article is the real one, every excerpt is verbatim, every
//! paragraph is cited, and every entry answers its own questions.

use std::path::{Path, PathBuf};

use citebot::config::Config;
use citebot::engine::Snapshot;
use citebot::knowledge::Article;
use citebot::reply::Status;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn shipped() -> Snapshot {
    let config = Config::load(&root().join("config.toml")).expect("shipped config loads");
    match Snapshot::load(&root().join("knowledge"), &config.matching) {
        Ok(snapshot) => snapshot,
        Err(report) => panic!("shipped knowledge has errors:\n{}", report.render(false)),
    }
}

#[test]
fn article_is_byte_for_byte_the_published_one() {
    let ours = std::fs::read(root().join("knowledge/article.txt")).expect("article readable");
    let published = root().join("../shared/article/article.txt");
    if Path::new(&published).exists() {
        let theirs = std::fs::read(&published).expect("shared article readable");
        assert_eq!(
            ours, theirs,
            "knowledge/article.txt differs from shared/article/article.txt"
        );
    }
    let text = String::from_utf8(ours).expect("article is UTF-8");
    assert_eq!(
        text.lines().count(),
        14,
        "headline, standfirst and twelve paragraphs"
    );
}

#[test]
fn every_excerpt_is_verbatim_and_every_line_is_cited() {
    let snapshot = shipped();
    let article = &snapshot.knowledge.article;
    let mut cited = vec![false; article.lines.len()];
    for entry in &snapshot.knowledge.entries {
        assert!(
            !entry.excerpts.is_empty(),
            "entry {} has no excerpt",
            entry.id
        );
        for excerpt in &entry.excerpts {
            let line = &article.lines[excerpt.paragraph - 1];
            assert!(
                line.contains(&excerpt.text),
                "entry {}: excerpt not verbatim in line {}: {:?}",
                entry.id,
                excerpt.paragraph,
                excerpt.text
            );
            assert_eq!(excerpt.label, Article::label(excerpt.paragraph));
            cited[excerpt.paragraph - 1] = true;
        }
    }
    let uncited: Vec<String> = cited
        .iter()
        .enumerate()
        .filter(|(_, c)| !**c)
        .map(|(i, _)| Article::label(i + 1))
        .collect();
    assert!(uncited.is_empty(), "never cited: {uncited:?}");
}

#[test]
fn every_listed_question_answers_its_own_entry() {
    let snapshot = shipped();
    for entry in &snapshot.knowledge.entries {
        for question in &entry.questions {
            let reply = snapshot.ask(question);
            assert_eq!(
                (reply.status, reply.entry_id.as_deref()),
                (Status::Answered, Some(entry.id.as_str())),
                "question {question:?} of entry {}",
                entry.id
            );
        }
    }
}

#[test]
fn meta_questions_are_answered() {
    let snapshot = shipped();
    for id in ["about_article", "what_can_i_ask", "answer_sources"] {
        assert!(snapshot.knowledge.entry(id).is_some(), "missing entry {id}");
    }
}

#[test]
fn built_in_matching_defaults_are_the_shipped_calibration() {
    let config = Config::load(&root().join("config.toml")).expect("shipped config loads");
    assert_eq!(
        config.matching,
        citebot::matcher::MatchingConfig::default(),
        "config.toml [matching] and MatchingConfig::default() differ: keep them the same"
    );
}
