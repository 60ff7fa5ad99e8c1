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
    /// Also show how the question was read and how the top entries scored (on standard error
    /// with --json or in batch mode, so that standard output stays JSON).
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
        let mut stdin = std::io::stdin().lock();
        let mut bytes = Vec::new();
        for number in 1.. {
            bytes.clear();
            let read = stdin
                .read_until(b'\n', &mut bytes)
                .with_context(|| format!("cannot read question {number} from stdin"))?;
            if read == 0 {
                break;
            }
            // A line that is not UTF-8 is still a question, answered as best its text allows,
            // so the replies stay one a line and in order.
            let line = String::from_utf8_lossy(&bytes);
            let line = line.strip_suffix('\n').unwrap_or(&line);
            let line = line.strip_suffix('\r').unwrap_or(line);
            if args.explain {
                explain_to_stderr(snapshot, line);
            }
            let reply = snapshot.ask(line);
            writeln!(out, "{}", serde_json::to_string(&reply)?)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let question = args.question.join(" ");
    let reply = snapshot.ask(&question);
    if args.explain && args.json {
        // Standard output is for the JSON alone, so that it parses.
        explain_to_stderr(snapshot, &question);
    } else if args.explain {
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

/// How `question` was read, on standard error (beside JSON on standard output).
fn explain_to_stderr(snapshot: &Snapshot, question: &str) {
    eprint!(
        "Q: {question}\n{}",
        snapshot.matcher.explain(question, &snapshot.knowledge)
    );
}
