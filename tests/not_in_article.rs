//! `[[not_in_article]]`: questions curators know the article does not answer. A reader's question
//! that matches one gets `no_match` with its note, never a nearby entry's answer; the lints keep
//! them apart from the entries; autocomplete and suggestions never offer them.

use std::path::Path;

use citebot::config::Config;
use citebot::engine::Snapshot;
use citebot::knowledge::diagnostics::Diagnostic;
use citebot::knowledge::lints::{self, CheckReport};
use citebot::knowledge::loader;
use citebot::matcher::MatchingConfig;
use citebot::reply::Status;

const ARTICLE: &str = "Two North Korean soldiers captured\n\
    The wounded fighters were taken to Kyiv for questioning, authorities said.\n\
    One soldier said he was born in 2005 and the other in 1999.\n\
    The prisoners do not speak Ukrainian, the SBU said.\n";

const SOURCE: &str =
    "[source]\ntitle = \"Two North Korean soldiers captured\"\narticle = \"article.txt\"\n";

const ENTRIES: &str = r#"
[[entry]]
id = "ages"
questions = ["how old are the soldiers", "when were the prisoners born", "soldiers ages"]
answer = "One was born in 2005 and the other in 1999."
excerpts = ["born in 2005 and the other in 1999"]

[[entry]]
id = "languages"
questions = ["what language do the prisoners speak", "do they speak ukrainian"]
answer = "They do not speak Ukrainian, the SBU said."
excerpts = ["The prisoners do not speak Ukrainian, the SBU said."]
"#;

const GAPS: &str = r#"
[[not_in_article]]
id = "names"
note = "The article does not give the soldiers' names."
questions = ["what are the soldiers names", "names of the prisoners", "what are they called"]

[[not_in_article]]
id = "leader_age"
note = "The article does not give any leader's age."
questions = ["how old is the president", "president age", "how old is zelensky"]
"#;

fn matching() -> MatchingConfig {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    match Config::load(&root.join("config.toml")) {
        Ok(config) => config.matching,
        Err(error) => panic!("shipped config.toml does not load: {error:#}"),
    }
}

fn check(qa: &str) -> CheckReport {
    lints::check_str(Path::new("kb"), qa, ARTICLE, &matching())
}

fn snapshot(qa: &str) -> Snapshot {
    match loader::parse_str(Path::new("kb"), qa, ARTICLE) {
        Ok(knowledge) => Snapshot::new(knowledge, &matching()),
        Err(error) => panic!("refused:\n{error}"),
    }
}

fn with_code<'a>(report: &'a CheckReport, code: &str) -> Vec<&'a Diagnostic> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .collect()
}

#[test]
fn a_clean_file_with_gaps_checks_clean_and_counts_them() {
    let report = check(&format!("{SOURCE}{ENTRIES}{GAPS}"));
    assert!(!report.has_errors(), "{}", report.render(false));
    assert!(
        report
            .summary()
            .contains("2 not in the article (6 questions)"),
        "{}",
        report.summary()
    );
}

#[test]
fn a_known_gap_is_refused_with_its_note_and_real_suggestions() {
    let snapshot = snapshot(&format!("{SOURCE}{ENTRIES}{GAPS}"));

    let reply = snapshot.ask("how old is zelensky?");
    assert_eq!(reply.status, Status::NoMatch, "{reply:?}");
    assert_eq!(reply.entry_id, None);
    assert_eq!(reply.answer, None);
    let note = reply.not_in_article.as_ref().map(|n| n.id.as_str());
    assert_eq!(note, Some("leader_age"), "{reply:?}");
    assert!(
        reply.suggestions.iter().all(|s| s.entry_id != "leader_age"),
        "a gap offered as a question the bot answers: {:?}",
        reply.suggestions
    );

    // The entries still answer their own questions, and the JSON carries the note.
    assert_eq!(
        snapshot.ask("how old are the soldiers").entry_id.as_deref(),
        Some("ages")
    );
    let json = serde_json::to_value(snapshot.ask("what are the soldiers' names?"))
        .expect("a reply serialises");
    assert_eq!(json["status"], "no_match");
    assert_eq!(json["not_in_article"]["id"], "names");
    assert_eq!(
        json["not_in_article"]["note"],
        "The article does not give the soldiers' names."
    );
}

#[test]
fn autocomplete_never_offers_a_gap() {
    let snapshot = snapshot(&format!("{SOURCE}{ENTRIES}{GAPS}"));
    for typed in ["how old is", "names of the", "president"] {
        for offered in snapshot.complete(typed, 25) {
            assert!(
                ["ages", "languages"].contains(&offered.entry_id.as_str()),
                "{typed:?} offered {offered:?}"
            );
        }
    }
}

/// A gap's own questions always fit it best, so the conflict shows on the entry's side: an
/// entry question that a gap takes is reported where the entry lists it.
#[test]
fn an_entry_question_that_matches_a_gap_is_a_collision() {
    let entries = ENTRIES.replace(
        "\"soldiers ages\"",
        "\"soldiers ages\", \"how old is the president\"",
    );
    let qa = format!("{SOURCE}{entries}{GAPS}");
    let report = check(&qa);
    let rendered = report.render(false);
    let collision = with_code(&report, "question-collision");
    let found = collision
        .iter()
        .find(|d| d.message.contains("leader_age") && d.message.contains("not in the article"))
        .unwrap_or_else(|| panic!("no collision with the gap:\n{rendered}"));
    let line = qa
        .lines()
        .position(|l| l.contains("\"soldiers ages\", \"how old is the president\""))
        .map(|i| i + 1);
    assert_eq!(found.location().map(|l| l.line), line, "{rendered}");
}

#[test]
fn ids_notes_and_probes_are_checked() {
    let gaps = GAPS.replace("id = \"names\"", "id = \"ages\"").replace(
        "note = \"The article does not give any leader's age.\"",
        "note = \"  \"",
    );
    let qa = format!(
        "{SOURCE}{ENTRIES}{gaps}\n[[probe]]\nquestion = \"how old is the president\"\nexpect = \"leader_age\"\n"
    );
    let errors = match loader::parse_str(Path::new("kb"), &qa, ARTICLE) {
        Ok(_) => panic!("accepted:\n{qa}"),
        Err(error) => error.diagnostics,
    };
    let codes: Vec<&str> = errors.iter().map(|d| d.code).collect();
    for code in ["duplicate-id", "empty-field", "probe-expects-gap"] {
        assert!(codes.contains(&code), "no {code} in {codes:?}");
    }
}

#[test]
fn a_probe_that_must_match_nothing_passes_on_a_gap() {
    let qa = format!(
        "{SOURCE}{ENTRIES}{GAPS}\n[[probe]]\nquestion = \"what are the prisoners called\"\nexpect = \"no_match\"\n"
    );
    let report = check(&qa);
    assert!(!report.has_errors(), "{}", report.render(false));
}
