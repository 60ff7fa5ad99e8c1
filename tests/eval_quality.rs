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

const FLOORS: [Floor; 8] = [
    // The calibration set (measured 89.1%, 98.7%, 1.3%).
    Floor {
        file: "questions.jsonl",
        accuracy: 0.87,
        refusal: 0.98,
        confidently_wrong: 0.025,
        blind: false,
    },
    // Written blind, used to compare settings (measured 91.0%, 97.0%, 0.8%).
    Floor {
        file: "holdout.jsonl",
        accuracy: 0.89,
        refusal: 0.96,
        confidently_wrong: 0.01,
        blind: false,
    },
    // Written blind to the knowledge and both other sets (measured 90.1%, 98.7%, 0.7%).
    Floor {
        file: "unseen.jsonl",
        accuracy: 0.89,
        refusal: 0.97,
        confidently_wrong: 0.01,
        blind: true,
    },
    // Written from the knowledge, to differ from its questions; unanswerable ones close to
    // answerable ones on purpose (measured 72.4%, 94.7%, 4.4%).
    Floor {
        file: "from_knowledge.jsonl",
        accuracy: 0.70,
        refusal: 0.93,
        confidently_wrong: 0.05,
        blind: false,
    },
    // Written blind in stop 15, read first that stop (measured 90.0%, 96.7%, 1.8%).
    Floor {
        file: "fresh.jsonl",
        accuracy: 0.88,
        refusal: 0.95,
        confidently_wrong: 0.03,
        blind: true,
    },
    // Written blind in stop 16, with many follow-ups on details the article leaves open
    // (measured 90.0%, 92.5%, 3.0%).
    Floor {
        file: "fresh2.jsonl",
        accuracy: 0.88,
        refusal: 0.91,
        confidently_wrong: 0.035,
        blind: true,
    },
    // Written in stop 17 from the article and the entries' answers: follow-ups on details the
    // article leaves open and their answerable twins. A development set: read, and the groups
    // of such details were trimmed where they took its answerable questions (measured 70.9%,
    // 88.1%, 9.6%).
    Floor {
        file: "open_details.jsonl",
        accuracy: 0.70,
        refusal: 0.85,
        confidently_wrong: 0.11,
        blind: false,
    },
    // Written blind in stop 18 from the article and the entries' answers and groups' notes;
    // read once, after that stop's changes, none of which changed a reply of the other sets
    // (measured 90.0%, 96.7%, 1.7%).
    Floor {
        file: "fresh3.jsonl",
        accuracy: 0.88,
        refusal: 0.94,
        confidently_wrong: 0.025,
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
