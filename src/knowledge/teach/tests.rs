//! Tests of teaching on a copy of the small clean fixture (`tests/fixtures/valid`), with the
//! shipped `[matching]` config, so `citebot check` runs for real.

use std::fs;
use std::path::{Path, PathBuf};

use super::*;
use crate::engine::Snapshot;
use crate::reply::Status;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn matching() -> MatchingConfig {
    match crate::config::Config::load(&root().join("config.toml")) {
        Ok(config) => config.matching,
        Err(error) => panic!("shipped config.toml does not load: {error}"),
    }
}

/// A temporary copy of the valid fixture.
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    for name in ["qa.toml", "article.txt"] {
        let from = root().join("tests/fixtures/valid").join(name);
        fs::copy(&from, dir.path().join(name)).expect("copy the fixture");
    }
    dir
}

fn qa(dir: &Path) -> PathBuf {
    dir.join(QA_FILE)
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("list the folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `after` is `before` with exactly `added` lines inserted, everything else byte for byte.
fn only_inserted(before: &str, after: &str) -> Vec<String> {
    let old: Vec<&str> = before.split_inclusive('\n').collect();
    let new: Vec<&str> = after.split_inclusive('\n').collect();
    let head = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let tail = old[head..]
        .iter()
        .rev()
        .zip(new[head..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    assert_eq!(
        head + tail,
        old.len(),
        "lines other than the new phrasing changed:\n{after}"
    );
    new[head..new.len() - tail]
        .iter()
        .map(|l| l.to_string())
        .collect()
}

#[test]
fn the_edit_is_in_place_keeping_comments_order_and_formatting() {
    let text = fs::read_to_string(root().join("tests/fixtures/valid/qa.toml")).expect("fixture");
    let edited = add_phrasing(&text, "questioning", "why did they go to Kyiv").expect("edited");
    assert_eq!(
        only_inserted(&text, &edited),
        ["    \"why did they go to Kyiv\",\n"]
    );
    // The shipped file, with its long comments and synonyms, survives the same way.
    let shipped = fs::read_to_string(root().join("knowledge/qa.toml")).expect("shipped qa.toml");
    let edited = add_phrasing(&shipped, "how_many", "a tally of the pows?").expect("edited");
    assert_eq!(
        only_inserted(&shipped, &edited),
        ["  \"a tally of the pows?\",\n"]
    );
    // A one-line array stays on one line.
    let inline = "[[entry]]\nid = \"a\" # first\nquestions = [\"one\", \"two\"] # keep\n";
    assert_eq!(
        add_phrasing(inline, "a", "thr\"ee").expect("edited"),
        "[[entry]]\nid = \"a\" # first\nquestions = [\"one\", \"two\", 'thr\"ee'] # keep\n"
    );
}

#[test]
fn a_taught_phrasing_is_written_backed_up_and_then_answered() {
    let dir = fixture();
    let config = matching();
    let question = "why did they go to Kyiv";
    let before = fs::read(qa(dir.path())).expect("read qa.toml");
    let old = Snapshot::load(dir.path(), &config).unwrap_or_else(|r| panic!("{}", r.render(false)));
    assert_ne!(
        old.ask(question).entry_id.as_deref(),
        Some("questioning"),
        "pick a question the fixture does not answer yet"
    );

    let taught = teach(dir.path(), "questioning", question, &config).expect("taught");
    assert_eq!(taught.entry, "questioning");
    assert!(!taught.redone);
    assert_eq!(fs::read(&taught.backup).expect("backup"), before);
    assert_eq!(names(dir.path()), ["article.txt", "qa.toml", "qa.toml.bak"]);

    let new = Snapshot::load(dir.path(), &config).unwrap_or_else(|r| panic!("{}", r.render(false)));
    let reply = new.ask(question);
    assert_eq!(reply.status, Status::Answered);
    assert_eq!(reply.entry_id.as_deref(), Some("questioning"));
}

#[test]
fn a_colliding_phrasing_is_refused_with_the_diagnostic_and_the_file_unchanged() {
    let dir = fixture();
    let before = fs::read(qa(dir.path())).expect("read qa.toml");
    // The capture entry's own question, taught to another entry: the two collide.
    let refused = teach(
        dir.path(),
        "sniper_born",
        "who caught the north koreans",
        &matching(),
    );
    let Err(TeachError::Refused(diagnostics)) = refused else {
        panic!("not refused: {refused:?}");
    };
    assert!(
        diagnostics.contains("qa.toml") && diagnostics.contains("capture"),
        "the diagnostic does not say where or with what: {diagnostics}"
    );
    assert_eq!(fs::read(qa(dir.path())).expect("read qa.toml"), before);
    assert_eq!(names(dir.path()), ["article.txt", "qa.toml"]);
}

#[test]
fn a_phrasing_that_breaks_a_probe_is_refused() {
    let dir = fixture();
    let before = fs::read(qa(dir.path())).expect("read qa.toml");
    // The must-not-match probe would be answered by the entry taught it.
    let refused = teach(
        dir.path(),
        "capture",
        "what is the capital of france",
        &matching(),
    );
    let Err(TeachError::Refused(diagnostics)) = refused else {
        panic!("not refused: {refused:?}");
    };
    assert!(diagnostics.contains("probe"), "{diagnostics}");
    assert_eq!(fs::read(qa(dir.path())).expect("read qa.toml"), before);
}

#[test]
fn a_hand_edit_during_the_teach_is_kept_and_the_phrasing_added_on_top() {
    let dir = fixture();
    let path = qa(dir.path());
    let original = fs::read_to_string(&path).expect("read qa.toml");
    let hand_edited = original.replace(
        "answer = \"The wounded fighters",
        "# a curator's note, saved while the teach ran\nanswer = \"The wounded fighters",
    );
    assert_ne!(hand_edited, original);
    let mut edits = 0;
    let taught = teach_with(
        dir.path(),
        "questioning",
        "why did they go to Kyiv",
        &matching(),
        &mut |attempt| {
            if attempt == 0 {
                edits += 1;
                fs::write(&path, &hand_edited).expect("hand edit");
            }
        },
    )
    .expect("taught on the second attempt");
    assert!(taught.redone);
    assert_eq!(edits, 1);
    let now = fs::read_to_string(&path).expect("read qa.toml");
    assert_eq!(
        only_inserted(&hand_edited, &now),
        ["    \"why did they go to Kyiv\",\n"],
        "the hand edit was lost or the phrasing is missing"
    );
    assert_eq!(
        fs::read_to_string(&taught.backup).expect("backup"),
        hand_edited
    );
}

#[test]
fn a_file_that_keeps_changing_is_refused_and_the_last_hand_edit_kept() {
    let dir = fixture();
    let path = qa(dir.path());
    let original = fs::read_to_string(&path).expect("read qa.toml");
    let refused = teach_with(
        dir.path(),
        "questioning",
        "why did they go to Kyiv",
        &matching(),
        &mut |attempt| {
            let edit = format!("{original}# hand edit {attempt}\n");
            fs::write(&path, edit).expect("hand edit");
        },
    );
    assert!(
        matches!(refused, Err(TeachError::Conflict { .. })),
        "{refused:?}"
    );
    assert_eq!(
        fs::read_to_string(&path).expect("read qa.toml"),
        format!("{original}# hand edit 1\n")
    );
    assert_eq!(names(dir.path()), ["article.txt", "qa.toml"]);
}

#[test]
fn unknown_entries_known_phrasings_and_empty_questions_are_refused() {
    let dir = fixture();
    let config = matching();
    let before = fs::read(qa(dir.path())).expect("read qa.toml");
    let unknown = teach(dir.path(), "nope", "who are they", &config);
    assert!(
        matches!(&unknown, Err(TeachError::UnknownEntry { id }) if id == "nope"),
        "{unknown:?}"
    );
    let known = teach(
        dir.path(),
        "capture",
        "  Who caught the NORTH koreans ",
        &config,
    );
    assert!(
        matches!(&known, Err(TeachError::AlreadyThere { entry, .. }) if entry == "capture"),
        "{known:?}"
    );
    let empty = teach(dir.path(), "capture", " \n ", &config);
    assert!(
        matches!(&empty, Err(TeachError::BadQuestion(_))),
        "{empty:?}"
    );
    let long = "why ".repeat(config.max_question_chars);
    let too_long = teach(dir.path(), "capture", &long, &config);
    assert!(
        matches!(&too_long, Err(TeachError::BadQuestion(why)) if why.contains("shorten")),
        "{too_long:?}"
    );
    assert_eq!(fs::read(qa(dir.path())).expect("read qa.toml"), before);
}

/// Two curators teaching at once: the second waits while the first is mid-replacement, then
/// finds the file changed and adds its phrasing on top. Neither edit is lost, both are told so.
#[test]
fn two_teaches_at_once_both_land() {
    let dir = fixture();
    let path = qa(dir.path());
    let original = fs::read_to_string(&path).expect("read qa.toml");
    let (inside, first_is_inside) = std::sync::mpsc::channel();
    let first = {
        let dir = dir.path().to_path_buf();
        std::thread::spawn(move || {
            teach_with(
                &dir,
                "questioning",
                "why did they go to Kyiv",
                &matching(),
                &mut |attempt| {
                    if attempt == 0 {
                        let _ = inside.send(());
                        // The second teach runs meanwhile; before the lock it wrote over this
                        // one's temporary files, which share its process id.
                        std::thread::sleep(std::time::Duration::from_millis(300));
                    }
                },
            )
        })
    };
    first_is_inside
        .recv()
        .expect("the first teach reached its commit");
    let second = teach(dir.path(), "sniper_born", "sniper's birthday", &matching());
    let first = first.join().expect("the first teach did not panic");
    let (first, second) = (first.expect("first taught"), second.expect("second taught"));
    assert!(!first.redone, "the first teach held its turn");
    assert!(
        second.redone,
        "the second found the first's edit and redid its own"
    );
    let both = add_phrasing(&original, "questioning", "why did they go to Kyiv")
        .and_then(|text| add_phrasing(&text, "sniper_born", "sniper's birthday"))
        .expect("both phrasings can be added");
    assert_eq!(fs::read_to_string(&path).expect("read qa.toml"), both);
    assert_eq!(names(dir.path()), ["article.txt", "qa.toml", "qa.toml.bak"]);
}
