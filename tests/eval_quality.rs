//! Answer quality on each evaluation set must not fall below its committed floor.
//! The figures themselves are in README.md, from `citebot eval tests/eval/<set>.jsonl`.

use std::path::PathBuf;

use citebot::config::Config;
use citebot::engine::Snapshot;
use citebot::eval;

/// One evaluation set and its committed floor: what the shipped matcher and knowledge reach
/// today, rounded down a little. The targets (95% right, 95% refused, at most 1%
/// confidently wrong) are NOT met on accuracy; see README "Quality, measured".
struct Floor {
    file: &'static str,
    /// Share of answerable questions answered with the right entry.
    accuracy: f64,
    /// Share of unanswerable questions refused with `no_match`.
    refusal: f64,
    /// Share of all questions answered confidently and wrongly.
    confidently_wrong: f64,
    /// Kept blind: a failure gives its figures, never its questions (which whoever fixes the
    /// failure would otherwise read, and tune to).
    blind: bool,
}

const FLOORS: [Floor; 6] = [
    // The calibration set (measured 91.3%, 98.7%, 0.6%).
    Floor {
        file: "questions.jsonl",
        accuracy: 0.90,
        refusal: 0.98,
        confidently_wrong: 0.015,
        blind: false,
    },
    // Written blind, used to compare settings (measured 91.5%, 98.5%, 0.8%).
    Floor {
        file: "holdout.jsonl",
        accuracy: 0.90,
        refusal: 0.98,
        confidently_wrong: 0.01,
        blind: false,
    },
    // Written blind to the knowledge and both other sets (measured 92.9%, 96.0%, 1.4%).
    Floor {
        file: "unseen.jsonl",
        accuracy: 0.91,
        refusal: 0.95,
        confidently_wrong: 0.02,
        blind: true,
    },
    // Written from the knowledge, to differ from its questions; unanswerable ones close to
    // answerable ones on purpose (measured 76.1%, 93.6%, 5.0%).
    Floor {
        file: "from_knowledge.jsonl",
        accuracy: 0.75,
        refusal: 0.93,
        confidently_wrong: 0.055,
        blind: false,
    },
    // Written blind in stop 15, read first that stop (measured 90.0%, 93.3%, 2.7%).
    Floor {
        file: "fresh.jsonl",
        accuracy: 0.89,
        refusal: 0.93,
        confidently_wrong: 0.035,
        blind: true,
    },
    // Written blind in stop 16, with many follow-ups on details the article leaves open
    // (measured 93.6%, 77.5%, 6.0%: its unanswerable questions are far from refused).
    Floor {
        file: "fresh2.jsonl",
        accuracy: 0.92,
        refusal: 0.76,
        confidently_wrong: 0.065,
        blind: true,
    },
];

#[test]
fn every_evaluation_set_meets_its_floor() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let config = Config::load(&root.join("config.toml")).expect("shipped config loads");
    let snapshot = match Snapshot::load(&root.join("knowledge"), &config.matching) {
        Ok(snapshot) => snapshot,
        Err(report) => panic!("shipped knowledge has errors:\n{}", report.render(false)),
    };
    for floor in &FLOORS {
        let path = root.join("tests/eval").join(floor.file);
        let questions = eval::read_questions(&path).expect("eval set reads");
        assert!(
            questions.len() >= 200,
            "{} has {} questions",
            floor.file,
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
        let misses = if floor.blind {
            "(not shown: this set is kept blind)".to_string()
        } else {
            misses.join("\n")
        };
        let file = floor.file;
        assert!(
            report.unanswerable >= 60,
            "{file}: only {} unanswerable questions",
            report.unanswerable
        );
        assert!(
            report.accuracy() >= floor.accuracy,
            "{file}: accuracy {:.3} below {}; misses:\n{misses}",
            report.accuracy(),
            floor.accuracy
        );
        assert!(
            report.refusal() >= floor.refusal,
            "{file}: refusal {:.3} below {}; misses:\n{misses}",
            report.refusal(),
            floor.refusal
        );
        assert!(
            report.confidently_wrong_rate() <= floor.confidently_wrong,
            "{file}: confidently wrong {:.3} above {}; misses:\n{misses}",
            report.confidently_wrong_rate(),
            floor.confidently_wrong
        );
    }
}
