//! The `citebot` command line: argument parsing and dispatch to one module per subcommand.
//!
//! Every subcommand answers through the same core (`engine::Snapshot`), so `ask`, `chat` and the
//! Discord bot give the same reply to the same question.

pub mod ask;
pub mod bench;
pub mod chat;
pub mod check;
pub mod eval;
pub mod gaps;
pub mod run;
pub mod shown;
pub mod stats;
pub mod text;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::config::{self, Config};
use crate::engine::Snapshot;

#[derive(Debug, Parser)]
#[command(
    name = "citebot",
    version,
    about = "Answers questions about one news article, quoting the article as its source",
    after_help = "Start with: citebot ask \"who captured the soldiers?\"  or  citebot chat"
)]
pub struct Cli {
    /// The config file.
    #[arg(long, global = true, value_name = "PATH", default_value = config::DEFAULT_PATH)]
    pub config: PathBuf,
    /// The knowledge folder (qa.toml and the article), overriding the config.
    #[arg(long, global = true, value_name = "DIR")]
    pub knowledge: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Answer one question (or, with none given, one question per line of stdin as JSON lines).
    Ask(ask::AskArgs),
    /// Ask questions interactively.
    Chat,
    /// Validate and lint the knowledge like a compiler; exit 1 on errors.
    Check,
    /// Measure answer quality on a question set (JSON lines of {"q": .., "expect": id | null}).
    Eval(eval::EvalArgs),
    /// Measure load time, query latency and memory, on the shipped and a synthetic knowledge.
    Bench(bench::BenchArgs),
    /// Run the Discord bot (token from DISCORD_TOKEN or [discord] token_file) until SIGTERM.
    Run(run::RunArgs),
    /// What readers asked that citebot could not answer, grouped, largest groups first.
    ///
    /// Reads the unanswered log that [log] unanswered_path names (and its rotated `.1`). Exit
    /// status: 0 when the log was read, even with nothing in it; 1 when there is no log at that
    /// path (the bot has not written one yet, or writes elsewhere: said on standard error,
    /// nothing on standard output); 2 on an error.
    Gaps(gaps::GapsArgs),
    /// Readers' votes per entry (helpful / not helpful), worst first.
    ///
    /// Reads citebot-votes.json beside [log] unanswered_path. Exit status: 0 when the file was
    /// read, even with no votes in it; 1 when there is no votes file there (no reader has voted
    /// yet, or the bot keeps it elsewhere: said on standard error, nothing on standard output);
    /// 2 on an error.
    Stats(stats::StatsArgs),
}

/// The exit status of `gaps` and `stats` when the file they read is not there: not an error of
/// the tool, but a script must be able to tell "nothing to read" from "nothing in it" (a
/// misspelt path would otherwise pass for a bot that never failed anyone).
const NOTHING_TO_READ: u8 = 1;

/// Parses the command line and runs it; the binary's whole `main`.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(code) => code,
        // The reader of our output went away (`citebot ask ... | head -1`): nothing to report.
        Err(error) if output_closed(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn output_closed(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = Config::load(&cli.config)?;
    let knowledge_dir = cli
        .knowledge
        .clone()
        .unwrap_or_else(|| config.knowledge.dir.clone());
    match cli.command {
        Command::Ask(args) => ask::run(&load(&knowledge_dir, &config)?, &args),
        Command::Chat => chat::run(&load(&knowledge_dir, &config)?),
        Command::Check => {
            let color = std::io::IsTerminal::is_terminal(&std::io::stdout());
            Ok(check::run(&knowledge_dir, &config.matching, color))
        }
        Command::Eval(args) => eval::run(&load(&knowledge_dir, &config)?, &args),
        Command::Bench(args) => bench::run(&knowledge_dir, &config, &args),
        Command::Run(args) => run::run(&config, &knowledge_dir, &args),
        Command::Gaps(args) => gaps::run(&load(&knowledge_dir, &config)?, &config.log, &args),
        Command::Stats(args) => stats::run(&config.log, &args),
    }
}

/// Loads the knowledge for answering; a broken knowledge is reported as `citebot check` would.
pub fn load(dir: &Path, config: &Config) -> anyhow::Result<Snapshot> {
    Snapshot::load(dir, &config.matching)
        .map_err(|report| anyhow::anyhow!("{}", report.render(false)))
        .with_context(|| {
            format!(
                "the knowledge in {} has errors; fix them (run `citebot check --knowledge {}`)",
                dir.display(),
                dir.display()
            )
        })
}
