//! `citebot stats [--json]`: readers' votes per entry ("helpful" / "not helpful"), the entries
//! with the worst share of helpful votes first. Reads the votes file beside the unanswered log;
//! changes nothing.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use clap::Args;

use super::shown::{json_pretty, visible};
use crate::config::LogConfig;
use crate::curation::votes::{Tally, VoteStore};

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Print the tallies as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(config: &LogConfig, args: &StatsArgs) -> anyhow::Result<ExitCode> {
    let path = config.votes_path();
    // Only a file that is not there is missing: one the user may not read is VoteStore's error.
    let missing = std::fs::metadata(&path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound);
    if missing {
        // Not "no votes yet": nothing says the bot ever kept votes there.
        let _ = writeln!(
            std::io::stderr(),
            "no votes file at {}: no reader has voted yet, or the bot keeps its votes elsewhere \
             (beside its [log] unanswered_path); is that setting (or --config) the one the bot \
             uses?",
            path.display()
        );
        return Ok(ExitCode::from(super::NOTHING_TO_READ));
    }
    let store = VoteStore::load(&path).map_err(anyhow::Error::msg)?;
    let tallies = store.tallies();
    // Through a handle, not print!: a reader that goes away (`| head -1`) is an error to
    // return (main ends quietly on it), not a panic.
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", json_pretty(&tallies)?)?;
    } else {
        out.write_all(render(&tallies, &path.display().to_string()).as_bytes())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The tallies as a table, worst first. Entry ids come from the votes file, which front ends
/// fill from what readers' clicks carry: they go through [`visible`] like any text of theirs.
pub fn render(tallies: &[Tally], path: &str) -> String {
    let mut out = String::new();
    if tallies.is_empty() {
        let _ = writeln!(out, "No votes yet in {path}.");
        return out;
    }
    let votes: u32 = tallies.iter().map(|t| t.helpful + t.not_helpful).sum();
    let _ = writeln!(
        out,
        "{votes} vote{} on {} entr{}, worst first:\n",
        if votes == 1 { "" } else { "s" },
        tallies.len(),
        if tallies.len() == 1 { "y" } else { "ies" }
    );
    let entries: Vec<_> = tallies.iter().map(|t| visible(&t.entry)).collect();
    let width = entries
        .iter()
        .map(|entry| entry.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    let _ = writeln!(
        out,
        "  {:<width$}  helpful  not helpful  helpful %",
        "entry"
    );
    for (tally, entry) in tallies.iter().zip(&entries) {
        let _ = writeln!(
            out,
            "  {:<width$}  {:>7}  {:>11}  {:>8.0}%",
            entry,
            tally.helpful,
            tally.not_helpful,
            tally.ratio() * 100.0
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_lists_worst_first_as_given() {
        let tallies = [
            Tally {
                entry: "born".into(),
                helpful: 0,
                not_helpful: 2,
            },
            Tally {
                entry: "capture".into(),
                helpful: 3,
                not_helpful: 1,
            },
        ];
        let text = render(&tallies, "votes.json");
        assert!(text.starts_with("6 votes on 2 entries"), "{text}");
        let born = text.find("born").unwrap();
        let capture = text.find("capture").unwrap();
        assert!(born < capture, "{text}");
        assert!(text.contains("75%"), "{text}");
        assert!(render(&[], "v.json").contains("No votes yet"));
    }
}
