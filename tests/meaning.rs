//! The second reading by meaning (`knowledge/meaning/`): it confirms a close call the words
//! alone would refuse, withdraws an answer nearest a not-in-the-article group, its fast scans
//! give the full scan's verdicts, it is optional, a broken model is a clear error, and `check`
//! warns when the model was tuned on other questions than the file has.

mod shipped;

use std::path::Path;

use citebot::engine::Snapshot;
use citebot::knowledge::lints;
use citebot::matcher::MatchingConfig;
use citebot::reply::Status;

use shipped::{add_capture_question, config as shipped_config, root};

fn shipped() -> Snapshot {
    shipped::snapshot(&shipped_config())
}

/// Words alone put the right entry on top but cannot settle it ("did you mean...?"); its
/// meaning agrees.
const CLOSE_CALL: &str = "what do the pair speak";

#[test]
fn the_shipped_knowledge_reads_by_meaning_and_it_settles_a_close_call() {
    let with_meaning = shipped();
    assert!(with_meaning.knowledge.meaning.is_some());
    let reply = with_meaning.ask(CLOSE_CALL);
    assert_eq!(reply.status, Status::Answered, "{reply:?}");
    assert_eq!(reply.entry_id.as_deref(), Some("languages"));
    let config = shipped_config();
    assert!(reply.score >= config.meaning_floor);

    let mut knowledge = with_meaning.knowledge.clone();
    knowledge.meaning = None;
    let words_alone = Snapshot::new(knowledge, &config);
    let reply = words_alone.ask(CLOSE_CALL);
    assert_ne!(
        reply.status,
        Status::Answered,
        "not a close call any more: pick another question for this test: {reply:?}"
    );
    assert_eq!(
        reply.suggestions.first().map(|s| s.entry_id.as_str()),
        Some("languages")
    );
}

/// The shipped settings with both floors, the veto and the overrule at 1 and the blend at 0:
/// words alone.
fn words_alone() -> MatchingConfig {
    MatchingConfig {
        meaning_floor: 1.0,
        meaning_floor_long: 1.0,
        meaning_veto: 1.0,
        meaning_overrule: 1.0,
        meaning_blend: 0.0,
        ..shipped_config()
    }
}

#[test]
fn the_blend_of_words_and_meaning_withdraws_an_answer_another_candidate_wins() {
    // By words, "the air force" is nearest the units that captured the soldiers; blended
    // with the meaning, the entry about the SBU comes first: the reply asks which was meant.
    let question = "is the sbu part of the air force";
    let snapshot = shipped();
    let config = shipped_config();
    assert!(config.meaning_blend > 0.0);
    let words_first = Snapshot::new(
        snapshot.knowledge.clone(),
        &MatchingConfig {
            meaning_blend: 0.0,
            ..config
        },
    );
    let reply = words_first.ask(question);
    assert_eq!(reply.status, Status::Answered, "{reply:?}");
    assert_eq!(reply.entry_id.as_deref(), Some("which_units"));
    let reply = snapshot.ask(question);
    assert_eq!(reply.status, Status::Ambiguous, "{reply:?}");
    let offered: Vec<&str> = reply
        .suggestions
        .iter()
        .map(|s| s.entry_id.as_str())
        .collect();
    assert_eq!(offered, ["which_units", "sbu"], "{reply:?}");
}

#[test]
fn both_floors_the_veto_and_the_overrule_at_one_and_no_blend_turn_the_second_reading_off() {
    let snapshot = Snapshot::new(shipped().knowledge, &words_alone());
    assert!(!snapshot.matcher.reads_meaning());
    assert_ne!(snapshot.ask(CLOSE_CALL).status, Status::Answered);
    for (question, words_answer, _) in NEAR_A_GAP {
        let reply = snapshot.ask(question);
        assert_eq!(reply.entry_id.as_deref(), Some(words_answer), "{reply:?}");
    }
}

#[test]
fn the_fast_verdict_is_the_full_scans() {
    // Deciding asks `agrees_in_meaning` (int8 scan, stops early); `nearest_in_meaning`
    // compares every stored question in full. They must never disagree.
    let snapshot = shipped();
    let matcher = &snapshot.matcher;
    let knowledge = &snapshot.knowledge;
    // Every other stored question, reworded a little, and every answer (a debug build is slow).
    let questions = knowledge.entries.iter().flat_map(|entry| {
        let asked = entry
            .questions
            .iter()
            .step_by(2)
            .map(|q| format!("so {q} then"));
        asked.chain(std::iter::once(entry.answer.clone()))
    });
    let agreement = shipped_config().meaning_agreement;
    let mut checked = 0;
    for question in questions {
        let nearest = matcher.nearest_in_meaning(&question);
        let mut entries: Vec<usize> = matcher.rank(&question, 3).iter().map(|c| c.entry).collect();
        entries.extend(nearest.map(|(entry, _)| entry));
        for entry in entries {
            let full = nearest.is_some_and(|(e, s)| e == entry && s >= agreement);
            assert_eq!(
                matcher.agrees_in_meaning(&question, entry, agreement),
                full,
                "{question:?}, entry {entry}, nearest {nearest:?}"
            );
            checked += 1;
        }
    }
    assert!(checked > 1000, "only {checked} verdicts checked");
}

#[test]
fn the_meaning_settles_did_you_mean_a_or_b_for_b() {
    // The words find "where they were captured" and "the capture" equally good; the meaning
    // names the capture, the second of the two.
    let question = "ukraine capture north koreans";
    let snapshot = shipped();
    let by_words = Snapshot::new(snapshot.knowledge.clone(), &words_alone());
    let reply = by_words.ask(question);
    assert_eq!(reply.status, Status::Ambiguous, "{reply:?}");
    let close: Vec<&str> = (reply.suggestions.iter())
        .map(|s| s.entry_id.as_str())
        .collect();
    assert_eq!(close, ["where_captured", "capture"], "{reply:?}");
    let reply = snapshot.ask(question);
    assert_eq!(reply.status, Status::Answered, "{reply:?}");
    assert_eq!(reply.entry_id.as_deref(), Some("capture"), "{reply:?}");
}

#[test]
fn the_meaning_may_give_an_answer_a_not_in_article_group_comes_close_to() {
    // The words answer where the soldiers were captured, with "why is ukraine in kursk" (not in
    // the article) close behind, which alone refuses; in meaning it is nearest the answer's own.
    let question = "was this in russia or ukraine tho";
    let config = shipped_config();
    let snapshot = shipped();
    let no_overrule = Snapshot::new(
        snapshot.knowledge.clone(),
        &MatchingConfig {
            meaning_overrule: 1.0,
            ..config
        },
    );
    let reply = no_overrule.ask(question);
    assert_eq!(reply.status, Status::NoMatch, "{reply:?}");
    let note = reply.not_in_article.as_ref().map(|n| n.id.as_str());
    assert_eq!(note, Some("why_ukraine_in_kursk"), "{reply:?}");
    let reply = snapshot.ask(question);
    assert_eq!(reply.status, Status::Answered, "{reply:?}");
    assert_eq!(
        reply.entry_id.as_deref(),
        Some("where_captured"),
        "{reply:?}"
    );
}

/// Worded like an entry's questions (the North Koreans' killed or wounded), asking what a
/// `[[not_in_article]]` group lists (Ukraine's losses).
const NEAR_A_GAP: [(&str, &str, &str); 1] =
    [("ukrainian wounded count", "casualties", "ukrainian_losses")];

#[test]
fn the_meaning_withdraws_an_answer_nearest_a_not_in_article_group() {
    let config = shipped_config();
    let snapshot = shipped();
    let no_veto = Snapshot::new(
        snapshot.knowledge.clone(),
        &MatchingConfig {
            meaning_veto: 1.0,
            ..config
        },
    );
    for (question, words_answer, gap) in NEAR_A_GAP {
        let reply = no_veto.ask(question);
        assert_eq!(reply.status, Status::Answered, "{reply:?}");
        assert_eq!(reply.entry_id.as_deref(), Some(words_answer), "{reply:?}");
        let reply = snapshot.ask(question);
        assert_eq!(reply.status, Status::NoMatch, "{reply:?}");
        let note = reply.not_in_article.as_ref().map(|n| n.id.as_str());
        assert_eq!(note, Some(gap), "{reply:?}");
    }
}

#[test]
fn the_fast_veto_is_the_full_scans() {
    // `gap_in_meaning` rules most stored questions out by int8 bounds; here every stored
    // question is embedded and compared in full, and the verdicts must be the same.
    let snapshot = shipped();
    let (matcher, knowledge) = (&snapshot.matcher, &snapshot.knowledge);
    let config = shipped_config();
    let model = knowledge
        .meaning
        .as_ref()
        .expect("shipped with a meaning model");
    let groups: Vec<Vec<Vec<f32>>> = knowledge
        .entries
        .iter()
        .map(|e| &e.questions)
        .chain(knowledge.not_in_article.iter().map(|g| &g.questions))
        .map(|questions| questions.iter().map(|q| model.embed(q)).collect())
        .collect();
    let answers = knowledge.entries.len();
    let all_gaps: Vec<usize> = (answers..groups.len()).collect();
    let questions = knowledge
        .not_in_article
        .iter()
        .flat_map(|g| g.questions.iter().step_by(6))
        .chain(
            knowledge
                .entries
                .iter()
                .flat_map(|e| e.questions.iter().step_by(8)),
        )
        .map(|q| format!("so {q} then"));
    let (mut checked, mut vetoed) = (0, 0);
    for question in questions {
        let query = model.embed(&question);
        let mut best: Vec<(usize, f32)> = groups
            .iter()
            .enumerate()
            .map(|(group, vectors)| {
                let most = vectors
                    .iter()
                    .map(|v| v.iter().zip(&query).map(|(a, b)| a * b).sum::<f32>())
                    .fold(f32::NEG_INFINITY, f32::max);
                (group, most)
            })
            .collect();
        best.sort_by(|a, b| b.1.total_cmp(&a.1));
        let ((top, similarity), runner_up) = (best[0], best[1].1);
        let stands_out = similarity - runner_up - config.meaning_veto_margin;
        let reaches = similarity - config.meaning_veto;
        if stands_out.abs() < 1e-4 || reaches.abs() < 1e-4 {
            continue; // on the edge: float rounding may decide either way
        }
        let expected = (top >= answers && stands_out > 0.0 && reaches > 0.0).then_some(top);
        let got = matcher.gap_in_meaning(&question, &all_gaps);
        assert_eq!(got.map(|(gap, _)| gap), expected, "{question:?}");
        // As deciding asks it: only some groups (those the words rank) may withdraw.
        let even = |gap: &usize| gap.is_multiple_of(2);
        let some_gaps: Vec<usize> = all_gaps.iter().copied().filter(even).collect();
        let got = matcher.gap_in_meaning(&question, &some_gaps);
        assert_eq!(
            got.map(|(gap, _)| gap),
            expected.filter(even),
            "{question:?}"
        );
        checked += 1;
        vetoed += usize::from(expected.is_some());
    }
    assert!(checked > 400, "only {checked} verdicts checked");
    assert!(vetoed > 100, "only {vetoed} vetoes checked");
}

fn copy_knowledge(to: &Path) {
    let from = root().join("knowledge");
    std::fs::create_dir_all(to.join("meaning")).expect("create folders");
    for name in ["qa.toml", "article.txt"] {
        std::fs::copy(from.join(name), to.join(name)).expect("copy knowledge");
    }
    for name in ["config.json", "tokenizer.json", "model.safetensors"] {
        std::fs::copy(
            from.join("meaning").join(name),
            to.join("meaning").join(name),
        )
        .expect("copy the model");
    }
}

fn meaning_error(dir: &Path) -> String {
    let report = lints::check(dir, &shipped_config());
    assert!(
        report.has_errors(),
        "a broken model must refuse the knowledge"
    );
    let rendered = report.render(false);
    assert!(rendered.contains("meaning"), "{rendered}");
    assert!(
        rendered.contains("delete the folder to match by words alone"),
        "{rendered}"
    );
    rendered
}

#[test]
fn a_broken_model_is_a_clear_error_naming_the_file_and_the_fix() {
    let folder = tempfile::tempdir().expect("temp dir");
    let dir = folder.path();
    copy_knowledge(dir);
    assert!(!lints::check(dir, &shipped_config()).has_errors());

    std::fs::write(dir.join("meaning/model.safetensors"), b"not a model").expect("write");
    let rendered = meaning_error(dir);
    assert!(
        rendered.contains("cannot load the meaning model"),
        "{rendered}"
    );

    std::fs::remove_file(dir.join("meaning/tokenizer.json")).expect("remove");
    let rendered = meaning_error(dir);
    assert!(rendered.contains("tokenizer.json is missing"), "{rendered}");

    // Without the folder, the knowledge loads and matches by words alone.
    std::fs::remove_dir_all(dir.join("meaning")).expect("remove the model");
    let snapshot = match Snapshot::load(dir, &shipped_config()) {
        Ok(snapshot) => snapshot,
        Err(report) => panic!("{}", report.render(false)),
    };
    assert!(snapshot.knowledge.meaning.is_none());
    assert_ne!(snapshot.ask(CLOSE_CALL).status, Status::Answered);
}

#[test]
fn check_warns_when_the_model_was_tuned_on_other_questions() {
    let shipped_report = lints::check(&root().join("knowledge"), &shipped_config());
    assert_eq!(
        shipped_report.warnings(),
        0,
        "{}",
        shipped_report.render(false)
    );
    let folder = tempfile::tempdir().expect("temp dir");
    let dir = folder.path();
    copy_knowledge(dir);
    add_capture_question(dir, "ukraine nabbed some north korean troops, right?");
    let report = lints::check(dir, &shipped_config());
    let rendered = report.render(false);
    assert!(!report.has_errors(), "{rendered}");
    assert_eq!(report.warnings(), 1, "{rendered}");
    assert!(rendered.contains("warning[meaning-stale]"), "{rendered}");
    assert!(rendered.contains("tools/build_meaning.py"), "{rendered}");
}

#[test]
fn check_warns_when_the_model_left_out_other_questions_than_the_function_word_ones() {
    let folder = tempfile::tempdir().expect("temp dir");
    let dir = folder.path();
    copy_knowledge(dir);
    let path = dir.join("meaning/config.json");
    let text = std::fs::read_to_string(&path).expect("read config.json");
    let mut config: serde_json::Value = serde_json::from_str(&text).expect("config.json is JSON");
    let left_out = config["left_out"]
        .as_array_mut()
        .expect("the shipped model records the questions it left out");
    let function_words = "what_can_i_ask\twhat can u do";
    let before = left_out.len();
    left_out.retain(|q| q.as_str() != Some(function_words));
    assert_eq!(
        left_out.len(),
        before - 1,
        "the shipped model left out {function_words:?}"
    );
    left_out.push("capture\tDid Ukraine capture North Korean soldiers?".into());
    std::fs::write(&path, config.to_string()).expect("write config.json");
    let report = lints::check(dir, &shipped_config());
    let rendered = report.render(false);
    assert!(!report.has_errors(), "{rendered}");
    assert_eq!(report.warnings(), 1, "{rendered}");
    assert!(rendered.contains("warning[meaning-left-out]"), "{rendered}");
    assert!(
        rendered.contains("tuned on 1 question(s) citebot reads as function words alone: \"what_can_i_ask: what can u do\""),
        "{rendered}"
    );
    assert!(
        rendered.contains("left out 1 question(s) citebot reads by their words: \"capture: Did Ukraine capture North Korean soldiers?\""),
        "{rendered}"
    );
}

#[test]
fn the_meaning_reads_a_misspelt_word_as_the_word_it_misspells() {
    // The model's pieces for a typo ("prisonres": "prison", "##res") carry little of the
    // word, so the reading by meaning gets the word the words' reading repaired it to; real
    // English words ("jailed") and contractions are read as they are.
    let snapshot = shipped();
    let matcher = &snapshot.matcher;
    for (misspelt, spelt) in [
        (
            "which langauges do the prisonners speek?",
            "which languages do the prisoners speak?",
        ),
        (
            "where were the soldeirs captrued",
            "where were the soldiers captured",
        ),
        (
            "they're jailed in kyev, yes?",
            "they're jailed in kyiv, yes?",
        ),
        // Stemmed, "soliders" is an article word ("solid"); still a typo to both readings.
        (
            "where were the soliders taken",
            "where were the soldiers taken",
        ),
    ] {
        let repaired = matcher.nearest_in_meaning(misspelt);
        assert!(repaired.is_some(), "{misspelt:?}");
        assert_eq!(repaired, matcher.nearest_in_meaning(spelt), "{misspelt:?}");
    }
}

#[test]
fn a_misspelling_that_stems_to_another_knowledge_word_is_read_as_the_word_it_misspells() {
    // Stemmed, "soliders" is "solid", a word of the article; the model's English vocabulary
    // does not know "soliders", so it is repaired to "soldiers" first.
    let snapshot = shipped();
    let terms = |question: &str| {
        let explained = snapshot.matcher.explain(question, &snapshot.knowledge);
        explained.lines().next().unwrap_or_default().to_string()
    };
    let read = terms("where were the soliders taken");
    assert!(read.contains("soldier="), "{read}");
    assert!(!read.contains("solid="), "{read}");
    // A word the vocabulary knows keeps its own stem.
    assert!(terms("is the evidence solid").contains("solid="));
}

#[test]
fn an_unanswered_question_nearest_a_not_in_article_group_in_meaning_gets_its_note() {
    // By words the announcement entry comes first, too weakly to answer; in meaning the
    // question is nearest the group about Putin, whom the article never mentions.
    let question = "did putin announce this?";
    let reply = shipped().ask(question);
    assert_eq!(reply.status, Status::NoMatch, "{reply:?}");
    let note = reply.not_in_article.as_ref().map(|note| note.id.as_str());
    assert_eq!(note, Some("putin"), "{reply:?}");
    assert_eq!(
        reply.suggestions.first().map(|s| s.entry_id.as_str()),
        Some("announcement"),
        "the closest entries are still offered: {reply:?}"
    );
    // Without the veto (the same measure) the reply is a plain "no match".
    let config = MatchingConfig {
        meaning_veto: 1.0,
        ..shipped_config()
    };
    let reply = Snapshot::new(shipped().knowledge, &config).ask(question);
    assert_eq!(reply.status, Status::NoMatch, "{reply:?}");
    assert!(reply.not_in_article.is_none(), "{reply:?}");
}

#[test]
fn a_model_is_let_go_when_its_folder_is_deleted() {
    use citebot::matcher::meaning::{MEANING_DIR, MeaningModel};
    use std::sync::Arc;
    let folder = tempfile::tempdir().expect("temp dir");
    let meaning = folder.path().join(MEANING_DIR);
    std::fs::create_dir(&meaning).expect("meaning dir");
    for file in ["config.json", "tokenizer.json", "model.safetensors"] {
        let from = root().join("knowledge").join(MEANING_DIR).join(file);
        std::fs::copy(from, meaning.join(file)).expect("copy the shipped model");
    }
    let find = || MeaningModel::find(folder.path()).expect("the shipped model loads");
    let first = find().expect("a model");
    assert_eq!(first.dir(), meaning);
    std::fs::remove_dir_all(&meaning).expect("delete the model");
    assert!(find().is_none());
    // Deleted to match by words alone: nothing but this test holds the model now.
    assert_eq!(Arc::strong_count(&first), 1);
}
