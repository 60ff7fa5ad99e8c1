//! `citebot ask`: one question answered, or a batch from stdin as JSON lines (for scripts and
//! evaluation; one reply per input line, in order).

use std::io::{BufRead, Write};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use crate::engine::Snapshot;

#[derive(Debug, Args)]
pub struct AskArgs {
    /// Print the reply as JSON.
    #[arg(long)]
    pub json: bool,
    /// Also show how the question was read and how the top entries scored.
    #[arg(long)]
    pub explain: bool,
    /// The question (several words need no quotes). Without one, questions are read from stdin,
    /// one a line, and replies written as JSON lines.
    pub question: Vec<String>,
}

pub fn run(snapshot: &Snapshot, args: &AskArgs) -> anyhow::Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.question.is_empty() {
        for line in std::io::stdin().lock().lines() {
            let line = line.context("cannot read a question from stdin")?;
            let reply = snapshot.ask(&line);
            writeln!(out, "{}", serde_json::to_string(&reply)?)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let question = args.question.join(" ");
    let reply = snapshot.ask(&question);
    if args.explain {
        write!(
            out,
            "{}",
            snapshot.matcher.explain(&question, &snapshot.knowledge)
        )?;
    }
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&reply)?)?;
    } else {
        write!(out, "{}", super::text::render(&reply))?;
    }
    Ok(ExitCode::SUCCESS)
}
