//! `citebot eval FILE.jsonl`: prints accuracy, refusals, confidently wrong answers and misses.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use crate::engine::Snapshot;
use crate::eval;

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The question set: JSON lines of {"q": "...", "expect": "<entry id>" | null}.
    pub file: PathBuf,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(snapshot: &Snapshot, args: &EvalArgs) -> anyhow::Result<ExitCode> {
    let questions = eval::read_questions(&args.file)?;
    let report = eval::evaluate(snapshot, &questions)
        .with_context(|| format!("question set {}", args.file.display()))?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    for miss in &report.misses {
        println!(
            "{}line {}: {:?}\n    expected {}, got {} {} ({:.2})",
            if miss.confidently_wrong {
                "WRONG "
            } else {
                "miss  "
            },
            miss.line,
            miss.question,
            miss.expected.as_deref().unwrap_or("no_match"),
            miss.status.as_str(),
            miss.got.as_deref().unwrap_or("-"),
            miss.score
        );
    }
    println!(
        "\n{} question{}: answerable {}/{} right ({:.1}%, {} abstained), unanswerable {}/{} \
         refused ({:.1}%), confidently wrong {} ({:.1}% of all)",
        report.answerable + report.unanswerable,
        if report.answerable + report.unanswerable == 1 {
            ""
        } else {
            "s"
        },
        report.answered_right,
        report.answerable,
        100.0 * report.accuracy(),
        report.abstained,
        report.refused,
        report.unanswerable,
        100.0 * report.refusal(),
        report.confidently_wrong,
        100.0 * report.confidently_wrong_rate()
    );
    Ok(ExitCode::SUCCESS)
}
