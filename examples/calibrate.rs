//! Calibrates `[matching]` on an evaluation set: evaluates a grid of thresholds, margins and
//! score shares, and prints the best settings by a simple cost (confidently wrong answers cost
//! most, then misses and unrefused questions).
//!
//! `cargo run --release --example calibrate -- knowledge tests/eval/questions.jsonl [HELD_OUT]`
//! Chooses on the first set and reports a second, held-out set too (without one, on odd lines
//! and reports even lines), so a setting that only fits the questions it was chosen on shows up.

use std::path::PathBuf;

use citebot::engine::Snapshot;
use citebot::eval::{self, EvalReport};
use citebot::knowledge::loader;
use citebot::matcher::MatchingConfig;

fn cost(r: &EvalReport) -> f64 {
    let total = (r.answerable + r.unanswerable) as f64;
    (5.0 * r.confidently_wrong as f64
        + (r.answerable - r.answered_right) as f64
        + (r.unanswerable - r.refused) as f64)
        / total
}

fn line(r: &EvalReport) -> String {
    format!(
        "acc {:.3} refuse {:.3} wrong {:.3}",
        r.accuracy(),
        r.refusal(),
        r.confidently_wrong_rate()
    )
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(args.first().map(String::as_str).unwrap_or("knowledge"));
    let set = PathBuf::from(
        args.get(1)
            .map(String::as_str)
            .unwrap_or("tests/eval/questions.jsonl"),
    );
    let knowledge = loader::parse(&dir).map_err(|e| anyhow::anyhow!("{e}"))?;
    let questions = eval::read_questions(&set)?;
    // With a second set, choose on the first and report the second; else split the one set.
    let (tune, hold): (Vec<_>, Vec<_>) = match args.get(2) {
        Some(other) => (questions, eval::read_questions(&PathBuf::from(other))?),
        None => questions.into_iter().partition(|(line, _)| line % 2 == 1),
    };
    let mut results = Vec::new();
    for unknown in [0.6f32, 0.8, 1.0] {
        for weight_floor in [0.0f32, 0.2] {
            for soft_and in [0.0f32, 0.5, 1.0] {
                let base = MatchingConfig {
                    unknown_word_weight: unknown,
                    weight_floor,
                    soft_and,
                    question_share: 0.45,
                    entry_share: 0.4,
                    ..MatchingConfig::default()
                };
                for threshold in [0.5f32, 0.55, 0.6, 0.65, 0.7] {
                    for margin in [0.03f32, 0.05] {
                        let config = MatchingConfig {
                            threshold,
                            margin,
                            ..base.clone()
                        };
                        let view = Snapshot::new(knowledge.clone(), &config);
                        let a = eval::evaluate(&view, &tune)?;
                        let b = eval::evaluate(&view, &hold)?;
                        results.push((cost(&a), config, a, b));
                    }
                }
            }
        }
    }
    results.sort_by(|x, y| x.0.total_cmp(&y.0));
    for (c, config, a, b) in results.iter().take(15) {
        println!(
            "cost {c:.3} | unknown {} floor {} soft-and {} thr {} margin {} | tune {} | held out {}",
            config.unknown_word_weight,
            config.weight_floor,
            config.soft_and,
            config.threshold,
            config.margin,
            line(a),
            line(b)
        );
    }
    Ok(())
}
