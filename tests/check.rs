//! `citebot check` and the knowledge loader: broken knowledge is refused with diagnostics that
//! point at the right file:line:column and say what to do; the shipped knowledge checks clean.
//!
//! The fixtures under `tests/fixtures/` are a small clean knowledge (`valid/`) and copies of it
//! with one mistake each. Assertions are on places and key words, not whole outputs.

use std::path::{Path, PathBuf};
use std::process::Command;

use citebot::config::Config;
use citebot::knowledge::diagnostics::{Diagnostic, Severity};
use citebot::knowledge::lints::{self, CheckReport};
use citebot::knowledge::loader::{self, LoadError};
use citebot::matcher::MatchingConfig;
use sha2::{Digest, Sha256};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

fn matching() -> MatchingConfig {
    match Config::load(&root().join("config.toml")) {
        Ok(config) => config.matching,
        Err(error) => panic!("shipped config.toml does not load: {error:#}"),
    }
}

fn check(name: &str) -> CheckReport {
    lints::check(&fixture(name), &matching())
}

fn load_error(name: &str) -> LoadError {
    match loader::parse(&fixture(name)) {
        Ok(_) => panic!("fixture {name} loaded, but it is broken on purpose"),
        Err(error) => error,
    }
}

/// The one diagnostic with `code`, or a failure listing what there was.
fn only<'a>(diagnostics: &'a [Diagnostic], code: &str) -> &'a Diagnostic {
    let found: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "expected one `{code}` in {diagnostics:#?}");
    found[0]
}

/// (line, column) of a diagnostic's primary place.
fn place(diagnostic: &Diagnostic) -> (usize, usize) {
    let location = diagnostic
        .location()
        .unwrap_or_else(|| panic!("no location: {diagnostic:#?}"));
    (location.line, location.column)
}

fn notes(diagnostic: &Diagnostic) -> String {
    diagnostic.notes.join("\n")
}

fn help(diagnostic: &Diagnostic) -> &str {
    diagnostic.help.as_deref().unwrap_or("")
}

// ---------------------------------------------------------------- the clean fixture

#[test]
fn the_valid_fixture_loads_with_located_excerpts() {
    let knowledge = match loader::parse(&fixture("valid")) {
        Ok(knowledge) => knowledge,
        Err(error) => panic!("valid fixture refused:\n{error}"),
    };
    let ids: Vec<&str> = knowledge.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["capture", "questioning", "sniper_born"]);
    let sniper = knowledge.entry("sniper_born").expect("entry sniper_born");
    assert_eq!(sniper.questions.len(), 3);
    assert_eq!(sniper.tags, ["soldiers"]);
    let excerpt = &sniper.excerpts[0];
    assert_eq!((excerpt.paragraph, excerpt.label.as_str()), (3, "¶1"));
    let headline = &knowledge.entries[0].excerpts[0];
    assert_eq!(
        (headline.paragraph, headline.label.as_str()),
        (1, "headline")
    );
    assert_eq!(knowledge.entries[1].excerpts[0].label, "standfirst");
    // Synonym groups: the article's word first, in the order written.
    assert_eq!(
        knowledge.synonyms,
        [
            vec!["north korean", "dprk", "nk"],
            vec!["born", "birth", "birthday"]
        ]
    );
    assert_eq!(knowledge.probes.len(), 2);
    assert_eq!(knowledge.probes[0].expect.as_deref(), Some("capture"));
    assert_eq!(
        knowledge.probes[1].expect, None,
        "no_match probes expect nothing"
    );
    let bytes = std::fs::read(fixture("valid/article.txt")).expect("fixture article");
    let digest: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(knowledge.article.checksum, digest);
    assert_eq!(knowledge.article.lines.len(), 3);
    assert_eq!(
        knowledge.source.url, None,
        "unknown source fields stay unknown"
    );
}

#[test]
fn the_valid_fixture_checks_clean() {
    let report = check("valid");
    assert!(report.diagnostics.is_empty(), "{}", report.render(false));
    assert_eq!(
        report.summary(),
        "check: 3 entries, 9 questions, 2 probes: 0 errors, 0 warnings"
    );
}

// ---------------------------------------------------------------- broken fixtures

#[test]
fn bad_toml_points_at_the_syntax_error_and_the_open_string() {
    let error = load_error("bad_toml");
    let diagnostic = only(&error.diagnostics, "toml-syntax");
    let location = diagnostic.location().expect("a location");
    assert!(location.file.ends_with("bad_toml/qa.toml"), "{location}");
    // The string left open on line 15 shows as a missing comma before line 16's item.
    assert_eq!(place(diagnostic), (16, 5));
    assert!(
        diagnostic.message.contains("comma"),
        "{}",
        diagnostic.message
    );
    assert!(
        notes(diagnostic).contains("line 15"),
        "{}",
        notes(diagnostic)
    );
    assert!(help(diagnostic).contains("closing quote"));
    let text = error.to_string();
    assert!(text.contains("bad_toml/qa.toml:16:5"), "{text}");
    assert!(
        text.contains("\"which country took the soldiers prisoner\","),
        "{text}"
    );
}

#[test]
fn a_misquoted_excerpt_shows_the_closest_passage_and_the_typo() {
    let error = load_error("misquoted_excerpt");
    let diagnostic = only(&error.diagnostics, "excerpt-not-verbatim");
    assert_eq!(place(diagnostic), (39, 13));
    assert!(
        diagnostic.message.contains("sniper_born"),
        "{}",
        diagnostic.message
    );
    let notes = notes(diagnostic);
    assert!(notes.contains("line 3 (¶1)"), "{notes}");
    assert!(
        notes.contains("He said he was born in 1999 and had served as a scout sniper"),
        "{notes}"
    );
    assert!(notes.contains("`8` where the article has `9`"), "{notes}");
    assert!(help(diagnostic).contains("exactly"));
}

#[test]
fn a_duplicate_id_points_at_both_definitions() {
    let error = load_error("duplicate_id");
    let diagnostic = only(&error.diagnostics, "duplicate-id");
    assert!(diagnostic.message.contains("`capture`"));
    assert_eq!(place(diagnostic), (32, 6));
    let first = &diagnostic.secondary[0].location;
    assert_eq!((first.line, first.column), (12, 6));
    let text = error.render(false);
    assert!(
        text.contains("first used here") && text.contains("used again here"),
        "{text}"
    );
}

#[test]
fn colliding_questions_name_each_other() {
    let report = check("colliding_questions");
    assert!(report.has_errors());
    assert!(report.knowledge.is_some(), "it parses; the lints refuse it");
    let collisions: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "question-collision")
        .collect();
    assert_eq!(collisions.len(), 2, "{}", report.render(false));
    let mut places: Vec<(usize, usize)> = collisions.iter().map(|d| place(d)).collect();
    places.sort_unstable();
    assert_eq!(places, [(16, 5), (38, 5)]);
    for diagnostic in collisions {
        let (own, other) = if place(diagnostic).0 == 16 {
            ("capture", "sniper_born")
        } else {
            ("sniper_born", "capture")
        };
        assert!(
            diagnostic.message.contains(&format!("`{own}`")),
            "{}",
            diagnostic.message
        );
        assert!(
            diagnostic.message.contains(&format!("`{other}`")),
            "{}",
            diagnostic.message
        );
        let rival = &diagnostic.secondary[0].location;
        assert_ne!(
            rival.line,
            place(diagnostic).0,
            "points at the rival question"
        );
    }
    assert!(
        report.summary().starts_with("check failed: 2 errors"),
        "{}",
        report.summary()
    );
}

#[test]
fn an_unknown_key_is_refused_where_it_is() {
    let error = load_error("unknown_key");
    let diagnostic = only(&error.diagnostics, "unknown-key");
    assert_eq!(place(diagnostic), (40, 1));
    assert!(
        diagnostic.message.contains("`tag`"),
        "{}",
        diagnostic.message
    );
    assert!(
        diagnostic.message.contains("`tags`"),
        "lists the allowed keys"
    );
}

#[test]
fn a_missing_article_says_which_file_and_what_to_do() {
    let error = load_error("missing_article");
    let diagnostic = only(&error.diagnostics, "unreadable-file");
    assert_eq!(place(diagnostic), (5, 11), "points at `article = ...`");
    assert!(
        diagnostic.message.contains("missing_article/article.txt"),
        "{}",
        diagnostic.message
    );
    assert!(help(diagnostic).contains("put the article"));
}

#[test]
fn a_blank_line_in_the_article_is_refused_where_it_is() {
    let error = load_error("blank_line_article");
    assert_eq!(error.diagnostics.len(), 1, "{:#?}", error.diagnostics);
    let diagnostic = only(&error.diagnostics, "article-blank-line");
    let location = diagnostic.location().expect("a location");
    assert!(
        location.file.ends_with("blank_line_article/article.txt"),
        "{location}"
    );
    assert_eq!(place(diagnostic), (3, 1));
    assert!(help(diagnostic).contains("one a line"), "{diagnostic:#?}");
    assert!(notes(diagnostic).contains("¶1"), "{diagnostic:#?}");
    let text = error.render(false);
    assert!(
        text.contains("error[article-blank-line]: line 3 of the article is blank"),
        "{text}"
    );
    assert!(
        text.contains("blank_line_article/article.txt:3:1"),
        "{text}"
    );
}

#[test]
fn a_file_that_is_not_utf8_is_placed_by_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let valid = std::fs::read(fixture("valid/qa.toml")).expect("valid fixture");
    let article = std::fs::read(fixture("valid/article.txt")).expect("valid fixture");
    // A Latin-1 "é" typed into the title, as an editor set to another encoding saves it.
    let title = b"title = \"";
    let at = valid
        .windows(title.len())
        .position(|w| w == title)
        .expect("a title")
        + title.len();
    let line = 1 + valid[..at].iter().filter(|&&b| b == b'\n').count();
    let column = 1 + at
        - valid[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
    let mut broken = valid.clone();
    broken.insert(at, 0xe9);
    std::fs::write(dir.path().join("qa.toml"), &broken).expect("write");
    std::fs::write(dir.path().join("article.txt"), &article).expect("write");
    let error = match loader::parse(dir.path()) {
        Ok(_) => panic!("a qa.toml that is not UTF-8 loaded"),
        Err(error) => error,
    };
    let diagnostic = only(&error.diagnostics, "unreadable-file");
    assert_eq!(place(diagnostic), (line, column));
    assert!(
        diagnostic
            .message
            .contains(&format!("not valid UTF-8 at line {line}, column {column}")),
        "{}",
        diagnostic.message
    );
    assert!(help(diagnostic).contains("UTF-8"));
    let text = error.render(false);
    assert!(text.contains(&format!("qa.toml:{line}:{column}")), "{text}");
    assert!(
        text.contains("title = \"\u{fffd}Ukraine"),
        "the line is quoted: {text}"
    );

    // The article: the same place in the message (the diagnostic points at `article = ...`).
    std::fs::write(dir.path().join("qa.toml"), &valid).expect("write");
    let mut article = article;
    let second = 1 + article.iter().position(|&b| b == b'\n').expect("two lines");
    article.insert(second + 4, 0xff);
    std::fs::write(dir.path().join("article.txt"), &article).expect("write");
    let error = match loader::parse(dir.path()) {
        Ok(_) => panic!("an article that is not UTF-8 loaded"),
        Err(error) => error,
    };
    let diagnostic = only(&error.diagnostics, "unreadable-file");
    assert!(
        diagnostic
            .message
            .contains("not valid UTF-8 at line 2, column 5"),
        "{}",
        diagnostic.message
    );
}

#[test]
fn a_missing_folder_says_how_to_point_at_one() {
    let report = lints::check(&fixture("no_such_folder"), &matching());
    let diagnostic = only(&report.diagnostics, "unreadable-file");
    assert!(diagnostic.message.contains("no_such_folder/qa.toml"));
    assert!(help(diagnostic).contains("--knowledge"));
    assert!(report.render(false).contains("check failed: 1 error"));
}

// ---------------------------------------------------------------- problems in text

const ARTICLE: &str = "Headline about two soldiers\n\
    Standfirst: they were taken to Kyiv.\n\
    The first paragraph says the soldiers were captured in Kursk.\n\
    The second paragraph says one was born in 1999.\n";

fn parse(qa: &str) -> Result<citebot::knowledge::Knowledge, LoadError> {
    loader::parse_str(Path::new("kb"), qa, ARTICLE)
}

fn errors(qa: &str) -> Vec<Diagnostic> {
    match parse(qa) {
        Ok(_) => panic!("accepted:\n{qa}"),
        Err(error) => error.diagnostics,
    }
}

/// The 1-based line of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("{needle:?} not in text"))
}

#[test]
fn every_empty_field_is_reported_at_once() {
    let qa = r#"[source]
title = " "
article = "article.txt"

[[entry]]
id = ""
questions = []
answer = "  "
excerpts = []

[[entry]]
id = "born"
questions = ["when was he born", "   "]
answer = "In 1999."
excerpts = [""]
"#;
    let found = errors(qa);
    let empties: Vec<(usize, usize)> = found
        .iter()
        .filter(|d| d.code == "empty-field")
        .map(place)
        .collect();
    assert_eq!(
        empties,
        [
            (2, 9),
            (6, 6),
            (7, 13),
            (8, 10),
            (9, 12),
            (13, 34),
            (15, 13)
        ],
        "{found:#?}"
    );
    assert!(found.iter().all(|d| d.severity == Severity::Error));
    assert!(
        found.iter().all(|d| d.help.is_some()),
        "each says what to do"
    );
}

#[test]
fn a_probe_expecting_an_unknown_entry_suggests_the_near_id() {
    let qa = r#"[source]
title = "t"
article = "article.txt"

[[entry]]
id = "birth_year"
questions = ["when was he born"]
answer = "In 1999."
excerpts = ["born in 1999"]

[[probe]]
question = "year of birth"
expect = "birth-year"
"#;
    let found = errors(qa);
    let diagnostic = only(&found, "unknown-id");
    assert_eq!(place(diagnostic), (13, 10));
    assert!(
        help(diagnostic).contains("`birth_year`"),
        "{:?}",
        diagnostic.help
    );
}

#[test]
fn missing_keys_wrong_types_and_bad_paths_are_errors() {
    let missing = errors("[source]\ntitle = \"t\"\n");
    assert!(only(&missing, "missing-key").message.contains("article"));

    let wrong = errors(
        "[source]\ntitle = \"t\"\narticle = \"article.txt\"\n\n[[entry]]\nid = \"a\"\n\
         questions = \"just one\"\nanswer = \"x\"\nexcerpts = [\"born in 1999\"]\n",
    );
    assert_eq!(place(only(&wrong, "wrong-type")).0, 7);

    let path = errors("[source]\ntitle = \"t\"\narticle = \"../article.txt\"\n");
    assert_eq!(place(only(&path, "article-path")), (3, 11));

    let reserved = errors(
        "[source]\ntitle = \"t\"\narticle = \"article.txt\"\n\n[[entry]]\nid = \"no_match\"\n\
         questions = [\"q\"]\nanswer = \"x\"\nexcerpts = [\"born in 1999\"]\n",
    );
    assert_eq!(place(only(&reserved, "reserved-id")), (6, 6));
}

#[test]
fn an_excerpt_across_paragraphs_is_refused() {
    let qa = "[source]\ntitle = \"t\"\narticle = \"article.txt\"\n\n[[entry]]\nid = \"a\"\n\
              questions = [\"q\"]\nanswer = \"x\"\n\
              excerpts = [\"captured in Kursk.\\nThe second paragraph\"]\n";
    let found = errors(qa);
    let diagnostic = only(&found, "excerpt-not-verbatim");
    assert!(diagnostic.message.contains("several lines"));
    assert_eq!(place(diagnostic).0, line_of(qa, "excerpts"));
}

#[test]
fn a_curly_apostrophe_typed_straight_is_named() {
    let article = "Headline\nPyongyang’s cooperation with Moscow.\n";
    let qa = "[source]\ntitle = \"t\"\narticle = \"article.txt\"\n\n[[entry]]\nid = \"a\"\n\
              questions = [\"q\"]\nanswer = \"x\"\nexcerpts = [\"Pyongyang's cooperation\"]\n";
    let error = match loader::parse_str(Path::new("kb"), qa, article) {
        Ok(_) => panic!("a straight apostrophe is not the article's curly one"),
        Err(error) => error,
    };
    let notes = notes(only(&error.diagnostics, "excerpt-not-verbatim"));
    assert!(notes.contains("standfirst"), "{notes}");
    assert!(
        notes.contains("U+0027") && notes.contains("U+2019"),
        "{notes}"
    );
}

#[test]
fn published_may_be_a_date_or_a_string() {
    let qa = |published: &str| {
        format!(
            "[source]\ntitle = \"t\"\narticle = \"article.txt\"\npublished = {published}\n\n\
             [[entry]]\nid = \"a\"\nquestions = [\"q\"]\nanswer = \"x\"\nexcerpts = [\"born in 1999\"]\n"
        )
    };
    let date = parse(&qa("2024-12-28")).map(|k| k.source.published);
    assert_eq!(date.ok().flatten().as_deref(), Some("2024-12-28"));
    let text = parse(&qa("\"28 December 2024\"")).map(|k| k.source.published);
    assert_eq!(text.ok().flatten().as_deref(), Some("28 December 2024"));
    assert_eq!(place(only(&errors(&qa("12")), "wrong-type")).0, 4);
}

/// Every answer's card links to the url: one Discord would refuse is caught at check time.
#[test]
fn the_source_url_must_be_a_web_address() {
    let qa = |url: &str| {
        format!(
            "[source]\ntitle = \"t\"\narticle = \"article.txt\"\nurl = \"{url}\"\n\n\
             [[entry]]\nid = \"a\"\nquestions = [\"q\"]\nanswer = \"x\"\nexcerpts = [\"born in 1999\"]\n"
        )
    };
    for good in [
        "https://www.bbc.com/news/articles/x",
        "http://example.org",
        "HTTPS://example.org:8443/a",
        "http://[::1]:8080/x",
    ] {
        let url = parse(&qa(good)).map(|k| k.source.url);
        assert_eq!(url.ok().flatten().as_deref(), Some(good));
    }
    for bad in [
        "bbc.com/news/x",
        "https://",
        "https://bbc.com/a b",
        "ftp://bbc.com/x",
    ] {
        assert_eq!(place(only(&errors(&qa(bad)), "source-url")).0, 4, "{bad}");
    }
}

// ---------------------------------------------------------------- lints

fn lint(qa: &str) -> CheckReport {
    lints::check_str(Path::new("kb"), qa, ARTICLE, &matching())
}

#[test]
fn warnings_do_not_fail_the_check() {
    let long_answer = "The soldiers were captured in Kursk. ".repeat(30);
    let qa = format!(
        r#"[source]
title = "t"
article = "article.txt"

[synonyms]
soldier = ["fighter", "soldier"]
combatant = ["fighter"]

[[entry]]
id = "capture"
questions = ["where were the soldiers captured", "captured where", "which region were they caught in"]
answer = "{long_answer}"
excerpts = ["the soldiers were captured in Kursk", "paragraph says"]

[[entry]]
id = "Born Year"
questions = ["what year was he born"]
answer = "He was born in 1999."
excerpts = ["born in 1999"]
"#
    );
    let report = lint(&qa);
    assert!(!report.has_errors(), "{}", report.render(false));
    let warnings = &report.diagnostics;
    assert!(warnings.iter().all(|d| d.severity == Severity::Warning));

    let repeat = only(warnings, "synonym-repeat");
    assert_eq!(place(repeat), (line_of(&qa, "soldier = "), 23));
    assert!(repeat.message.contains("its own key"));
    // "fighter" in two groups joins them.
    let joined = only(warnings, "synonym-in-two-groups");
    assert_eq!(place(joined), (line_of(&qa, "combatant = "), 14));
    assert!(joined.message.contains("`soldier`"), "{}", joined.message);

    assert_eq!(
        place(only(warnings, "long-answer")).0,
        line_of(&qa, "answer = \"The")
    );
    let single = only(warnings, "single-question");
    assert!(single.message.contains("`Born Year`"));
    assert_eq!(
        place(only(warnings, "id-style")).0,
        line_of(&qa, "Born Year")
    );

    // "paragraph says" is in both body lines; it is cited as the first.
    let ambiguous = only(warnings, "ambiguous-excerpt");
    assert!(ambiguous.message.contains("3, 4"), "{}", ambiguous.message);

    // The headline and the standfirst are cited by nothing.
    let uncited: Vec<&Diagnostic> = warnings
        .iter()
        .filter(|d| d.code == "uncited-paragraph")
        .collect();
    assert_eq!(uncited.len(), 2, "{warnings:#?}");
    assert!(uncited[0].message.contains("headline"));
    assert!(uncited[1].message.contains("standfirst"));
    let location = uncited[1].location().expect("a location");
    assert!(location.file.ends_with("article.txt") && location.line == 2);
    let text = report.render(false);
    assert!(text.contains("kb/article.txt:2:1"), "{text}");
    assert!(
        text.trim_end().ends_with("0 errors, 8 warnings"),
        "summary: {text}"
    );
}

#[test]
fn probes_must_get_their_expected_result() {
    let qa = r#"[source]
title = "t"
article = "article.txt"

[[entry]]
id = "capture_place"
questions = ["where were the soldiers captured", "captured where", "which region were the soldiers caught in"]
answer = "In Kursk."
excerpts = ["the soldiers were captured in Kursk"]

[[entry]]
id = "birth_year"
questions = ["what year was the soldier born", "soldier birth year", "when was he born"]
answer = "He said 1999."
excerpts = ["born in 1999"]

[[probe]]
question = "what year was the soldier born"
expect = "capture_place"

[[probe]]
question = "where were the soldiers captured"
expect = "no_match"

[[probe]]
question = "which region were the soldiers caught in"
expect = "capture_place"
"#;
    let report = lint(qa);
    let failed: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "probe-failed")
        .collect();
    assert_eq!(failed.len(), 2, "{}", report.render(false));
    assert_eq!(place(failed[0]).0, line_of(qa, "question = \"what year"));
    assert!(
        failed[0]
            .message
            .contains("expects `capture_place` but got `birth_year`")
    );
    assert_eq!(place(failed[1]).0, line_of(qa, "question = \"where were"));
    assert!(failed[1].message.contains("must match nothing"));
}

// ---------------------------------------------------------------- rendering

#[test]
fn colour_only_when_asked_and_a_summary_last() {
    let report = check("duplicate_id");
    let plain = report.render(false);
    assert!(!plain.contains('\u{1b}'), "{plain}");
    assert!(report.render(true).contains('\u{1b}'));
    let summary = format!(
        "check failed: 1 error, 0 warnings in {}",
        fixture("duplicate_id/qa.toml").display()
    );
    assert!(plain.trim_end().ends_with(&summary), "{plain}");
}

// ---------------------------------------------------------------- the binary

fn citebot_check(dir: &Path) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_citebot"))
        .current_dir(root())
        .arg("check")
        .arg("--knowledge")
        .arg(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("citebot runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

#[test]
fn the_binary_exits_one_on_each_broken_fixture() {
    for (name, place) in [
        ("bad_toml", "qa.toml:16:5"),
        ("misquoted_excerpt", "qa.toml:39:13"),
        ("duplicate_id", "qa.toml:32:6"),
        ("colliding_questions", "qa.toml:16:5"),
        ("unknown_key", "qa.toml:40:1"),
        ("missing_article", "qa.toml:5:11"),
        ("blank_line_article", "article.txt:3:1"),
    ] {
        let (code, text) = citebot_check(&fixture(name));
        assert_eq!(code, 1, "{name}:\n{text}");
        assert!(text.contains(&format!("{name}/{place}")), "{name}:\n{text}");
        assert!(text.contains("check failed:"), "{name}:\n{text}");
        assert!(!text.contains('\u{1b}'), "no colour into a pipe");
    }
}

#[test]
fn the_binary_exits_zero_on_a_clean_knowledge() {
    let (code, text) = citebot_check(&fixture("valid"));
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("check: 3 entries, 9 questions, 2 probes: 0 errors, 0 warnings"),
        "{text}"
    );
}

#[test]
fn the_shipped_knowledge_checks_clean() {
    let report = lints::check(&root().join("knowledge"), &matching());
    assert!(report.diagnostics.is_empty(), "{}", report.render(false));
    let (code, text) = citebot_check(Path::new("knowledge"));
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("0 errors, 0 warnings"), "{text}");
}

// ---------------------------------------------------------------- never a panic

mod robustness {
    use super::*;
    use proptest::prelude::*;

    fn refused_with_reasons(qa: &str, article: &str) -> Result<(), TestCaseError> {
        if let Err(error) = loader::parse_str(Path::new("kb"), qa, article) {
            prop_assert!(!error.diagnostics.is_empty(), "refused without a reason");
            let text = error.render(false);
            prop_assert!(text.contains("error["), "{}", text);
        }
        Ok(())
    }

    fn valid_qa() -> String {
        std::fs::read_to_string(fixture("valid/qa.toml")).expect("valid fixture")
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn any_text_is_refused_with_reasons_not_a_panic(qa in "\\PC{0,300}", article in "\\PC{0,200}") {
            refused_with_reasons(&qa, &article)?;
        }

        #[test]
        fn a_damaged_file_is_refused_with_reasons(start in 0usize..2000, len in 1usize..40, insert in "[\"\\[\\]=,\n#’ a-z]{0,3}") {
            let qa = valid_qa();
            let chars: Vec<char> = qa.chars().collect();
            let start = start % chars.len();
            let end = (start + len).min(chars.len());
            let damaged: String = chars[..start].iter().chain(insert.chars().collect::<Vec<_>>().iter()).chain(&chars[end..]).collect();
            let article = std::fs::read_to_string(fixture("valid/article.txt")).expect("valid fixture");
            refused_with_reasons(&damaged, &article)?;
            let report = lints::check_str(Path::new("kb"), &damaged, &article, &matching());
            let text = report.render(false);
            let summary = if report.has_errors() { "check failed: " } else { "check: " };
            prop_assert!(text.lines().last().is_some_and(|l| l.starts_with(summary)), "{}", text);
        }
    }
}

#[test]
fn an_empty_article_is_one_error_not_one_per_excerpt() {
    let qa = std::fs::read_to_string(fixture("valid").join("qa.toml"))
        .unwrap_or_else(|e| panic!("valid fixture: {e}"));
    let error = match loader::parse_str(Path::new("kb"), &qa, " \n\n") {
        Ok(_) => panic!("an empty article was accepted"),
        Err(error) => error,
    };
    assert_eq!(error.diagnostics.len(), 1, "{:#?}", error.diagnostics);
    let diagnostic = only(&error.diagnostics, "empty-article");
    assert!(
        diagnostic.message.contains("is empty"),
        "{}",
        diagnostic.message
    );
    assert!(help(diagnostic).contains("one paragraph a line"));
}

#[test]
fn blank_lines_are_refused_whatever_the_line_breaks_and_crlf_still_loads() {
    let qa = "[source]\ntitle = \"t\"\narticle = \"article.txt\"\n\n[[entry]]\nid = \"a\"\n\
              questions = [\"when was he born\"]\nanswer = \"In 1999.\"\nexcerpts = [\"born in 1999\"]\n";
    let load = |article: &str| loader::parse_str(Path::new("kb"), qa, article);
    // Windows line breaks, with and without the last one: one paragraph a line all the same.
    for article in [
        ARTICLE.replace('\n', "\r\n"),
        ARTICLE.trim_end().replace('\n', "\r\n"),
    ] {
        match load(&article) {
            Ok(knowledge) => assert_eq!(knowledge.entries[0].excerpts[0].label, "¶2"),
            Err(error) => panic!("a CRLF article was refused:\n{error}"),
        }
    }
    let blank_at = |article: &str| -> Vec<(usize, usize)> {
        match load(article) {
            Ok(_) => panic!("accepted an article with a blank line: {article:?}"),
            Err(error) => {
                let diagnostic = only(&error.diagnostics, "article-blank-line");
                let mut places = vec![place(diagnostic)];
                places.extend(
                    diagnostic
                        .secondary
                        .iter()
                        .map(|label| (label.location.line, label.location.column)),
                );
                places
            }
        }
    };
    let lines: Vec<&str> = ARTICLE.lines().collect();
    // A blank line between paragraphs, in CRLF.
    let crlf = format!(
        "{}\r\n{}\r\n\r\n{}\r\n{}\r\n",
        lines[0], lines[1], lines[2], lines[3]
    );
    assert_eq!(blank_at(&crlf), [(3, 1)]);
    // Spaces and a tab alone; blank lines after the last paragraph renumber nothing.
    let spaces = format!(
        "{}\n{}\n{}\n \t \n{}\n\n\n",
        lines[0], lines[1], lines[2], lines[3]
    );
    assert_eq!(blank_at(&spaces), [(4, 1)]);
    assert!(load(&format!("{ARTICLE}\n\n \n")).is_ok());
    // After a byte-order mark, the headline's place.
    assert_eq!(blank_at(&format!("\u{feff}\n{ARTICLE}")), [(1, 1)]);
    // Many: the first few shown, all listed.
    let many = format!("{}\n{}\n", lines[0], lines[1]) + &"\n".repeat(6) + lines[2];
    let places = blank_at(&many);
    assert_eq!(places.len(), 4, "{places:?}");
    let error = load(&many)
        .err()
        .map(|e| e.render(false))
        .unwrap_or_default();
    assert!(
        error.contains("has 6 blank lines, the first at line 3"),
        "{error}"
    );
    assert!(error.contains("blank lines: 3, 4, 5, 6, 7, 8"), "{error}");
}

#[test]
fn an_id_shared_by_an_entry_and_a_group_is_one_error_not_a_misleading_probe_error() {
    let qa = r#"[source]
title = "t"
article = "article.txt"

[[entry]]
id = "born"
questions = ["when was he born"]
answer = "In 1999."
excerpts = ["born in 1999"]

[[not_in_article]]
id = "born"
note = "The article does not give the day he was born."
questions = ["what day was he born"]

[[probe]]
question = "year of birth"
expect = "born"
"#;
    let found = errors(qa);
    assert_eq!(found.len(), 1, "{found:#?}");
    only(&found, "duplicate-id");
}
