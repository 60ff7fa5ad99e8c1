//! Answer quality on the evaluation set must not fall below the committed floor.
//! The figures themselves are in README.md, from `citebot eval tests/eval/questions.jsonl`.

use std::path::PathBuf;

use citebot::config::Config;
use citebot::engine::Snapshot;
use citebot::eval;

// The committed floor: what the shipped matcher and knowledge reach today (81.7%, 83.5%, 4.2%),
// rounded down. The targets (95%, 95%, 1%) are NOT met yet; see README "Quality".
/// Share of answerable questions answered with the right entry.
const ACCURACY_FLOOR: f64 = 0.80;
/// Share of unanswerable questions refused with `no_match`.
const REFUSAL_FLOOR: f64 = 0.83;
/// Share of all questions answered confidently and wrongly.
const CONFIDENTLY_WRONG_CEILING: f64 = 0.05;

#[test]
fn evaluation_set_meets_the_floor() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let config = Config::load(&root.join("config.toml")).expect("shipped config loads");
    let snapshot = match Snapshot::load(&root.join("knowledge"), &config.matching) {
        Ok(snapshot) => snapshot,
        Err(report) => panic!("shipped knowledge has errors:\n{}", report.render(false)),
    };
    let questions =
        eval::read_questions(&root.join("tests/eval/questions.jsonl")).expect("eval set reads");
    assert!(
        questions.len() >= 200,
        "the set has {} questions",
        questions.len()
    );
    let report = eval::evaluate(&snapshot, &questions).expect("eval runs");
    let misses: Vec<String> = report
        .misses
        .iter()
        .map(|m| {
            format!(
                "{:?} expected {:?} got {:?} {:?}",
                m.question, m.expected, m.status, m.got
            )
        })
        .collect();
    assert!(
        report.unanswerable >= 60,
        "only {} unanswerable questions",
        report.unanswerable
    );
    assert!(
        report.accuracy() >= ACCURACY_FLOOR,
        "accuracy {:.3} below {ACCURACY_FLOOR}; misses:\n{}",
        report.accuracy(),
        misses.join("\n")
    );
    assert!(
        report.refusal() >= REFUSAL_FLOOR,
        "refusal {:.3} below {REFUSAL_FLOOR}; misses:\n{}",
        report.refusal(),
        misses.join("\n")
    );
    assert!(
        report.confidently_wrong_rate() <= CONFIDENTLY_WRONG_CEILING,
        "confidently wrong {:.3} above {CONFIDENTLY_WRONG_CEILING}; misses:\n{}",
        report.confidently_wrong_rate(),
        misses.join("\n")
    );
}
