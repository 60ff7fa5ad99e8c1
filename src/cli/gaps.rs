//! `citebot gaps [--since 7d] [--top N] [--json]`: what readers asked that citebot could not
//! answer, grouped by what they ask, largest groups first, each with a few wordings and the
//! entry that came nearest. Reads the unanswered log (and its rotated predecessor) that
//! `[log] unanswered_path` names; changes nothing. Readers' text is shown escaped where it
//! could act on the terminal (see `shown::visible`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use anyhow::Context;
use clap::Args;

use super::shown::{json_pretty, visible};
use crate::config::LogConfig;
use crate::curation::gaps::{Gap, gaps, question_of};
use crate::curation::log::{self, Unanswered, Why};
use crate::engine::Snapshot;

#[derive(Debug, Args)]
pub struct GapsArgs {
    /// Only questions logged within this long (e.g. 36h, 7d, 2weeks); default: the whole log.
    #[arg(long, value_name = "AGE", value_parser = humantime::parse_duration)]
    pub since: Option<Duration>,
    /// Show at most this many groups (at least 1).
    #[arg(
        long,
        value_name = "N",
        default_value_t = 20,
        value_parser = groups_to_show
    )]
    pub top: usize,
    /// Print the groups as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `--top`: 1 or more (the 0 largest groups would be none, under a line counting them).
fn groups_to_show(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("0 groups would show nothing; give 1 or more".to_string()),
        Ok(n) => Ok(n),
        Err(e) => Err(format!("{e}; give a number of groups, 1 or more")),
    }
}

pub fn run(snapshot: &Snapshot, config: &LogConfig, args: &GapsArgs) -> anyhow::Result<ExitCode> {
    let path = &config.unanswered_path;
    let read = log::read(path).with_context(|| {
        format!(
            "cannot read the unanswered log {}; check [log] unanswered_path in the config",
            path.display()
        )
    })?;
    if !read.found {
        // Not "no unanswered questions": nothing says the bot ever logged there.
        let off = if config.unanswered {
            ""
        } else {
            " and this config turns logging off ([log] unanswered = false)"
        };
        let _ = writeln!(
            std::io::stderr(),
            "no log at {}{off}: the bot has not written one yet (it logs only what it could not \
             answer), or it writes elsewhere; is [log] unanswered_path (or --config) the one the \
             bot uses?",
            path.display()
        );
        return Ok(ExitCode::from(super::NOTHING_TO_READ));
    }
    for skipped in &read.skipped {
        let _ = writeln!(
            std::io::stderr(),
            "warning: skipped a line that is not a log record: {}",
            visible(skipped)
        );
    }
    let cutoff = args
        .since
        .and_then(|age| SystemTime::now().checked_sub(age));
    let records: Vec<_> = read
        .records
        .into_iter()
        .filter(|r| cutoff.is_none_or(|cutoff| r.at().is_some_and(|at| at >= cutoff)))
        .collect();
    let groups = gaps(&records, snapshot, args.top);
    // Through a handle, not print!: a reader that goes away (`| head -1`) is an error to
    // return (main ends quietly on it), not a panic.
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", json_pretty(&groups)?)?;
    } else {
        let since = args
            .since
            .map(|age| format!(" in the last {}", age_text(age)))
            .unwrap_or_default();
        let counted = Counted::of(&records);
        out.write_all(render(&groups, &counted, &since, path).as_bytes())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// "7 days", "36 hours", or humantime's form for anything else.
fn age_text(age: Duration) -> String {
    let secs = age.as_secs();
    let plural = |n: u64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    match secs {
        0 => humantime::format_duration(age).to_string(),
        s if s % 86_400 == 0 => plural(s / 86_400, "day"),
        s if s % 3_600 == 0 => plural(s / 3_600, "hour"),
        _ => humantime::format_duration(age).to_string(),
    }
}

/// What the status line counts.
#[derive(Debug, Default)]
pub struct Counted {
    /// Records with a question, the ones the groups hold.
    pub questions: usize,
    /// "Not helpful" votes on an answer given before a restart, which the log keeps without a
    /// question: no group can hold them, so they are not counted as questions (the line would
    /// promise more than the groups show) but listed apart, by the entry that answered.
    pub votes_without_question: BTreeMap<String, usize>,
}

impl Counted {
    pub fn of(records: &[Unanswered]) -> Counted {
        let mut counted = Counted::default();
        for record in records {
            if question_of(record).is_some() {
                counted.questions += 1;
            } else if record.status == Why::VotedDown {
                let entry = record.entry.clone().unwrap_or_else(|| "?".to_string());
                *counted.votes_without_question.entry(entry).or_default() += 1;
            }
        }
        counted
    }
}

/// The groups as a curator reads them in a terminal. Readers wrote the questions: each string
/// goes through [`visible`], so an escape sequence or a bidi override shows as what it is.
pub fn render(groups: &[Gap], counted: &Counted, since: &str, path: &std::path::Path) -> String {
    let mut out = String::new();
    let questions = counted.questions;
    let votes: usize = counted.votes_without_question.values().sum();
    let votes_line = (votes > 0).then(|| {
        let entries: Vec<String> = counted
            .votes_without_question
            .iter()
            .map(|(entry, n)| format!("{} ({n})", visible(entry)))
            .collect();
        let (votes_on, were) = if votes == 1 {
            ("vote on an answer", "question was")
        } else {
            ("votes on answers", "questions were")
        };
        format!(
            "{votes} “not helpful” {votes_on} given before a restart{since}, whose {were} not \
             kept: {}. `citebot stats` counts every vote by entry.",
            entries.join(", ")
        )
    });
    if questions == 0 {
        let _ = writeln!(
            out,
            "No unanswered questions{since} in {}. (citebot run logs them as readers ask.)",
            path.display()
        );
        if let Some(line) = votes_line {
            let _ = writeln!(out, "{line}");
        }
        return out;
    }
    let _ = writeln!(
        out,
        "{questions} unanswered question{}{since}; the {} largest group{} of similar ones:",
        if questions == 1 { "" } else { "s" },
        groups.len(),
        if groups.len() == 1 { "" } else { "s" }
    );
    for gap in groups {
        let voted = if gap.voted_down > 0 {
            format!(" ({} voted not helpful)", gap.voted_down)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "\n{:>4} × “{}”{voted}",
            gap.count,
            visible(&gap.examples[0])
        );
        for example in &gap.examples[1..] {
            let _ = writeln!(out, "         also “{}”", visible(example));
        }
        match &gap.nearest {
            Some(nearest) => {
                let _ = writeln!(
                    out,
                    "         nearest: {} ({:.2}) “{}”",
                    visible(&nearest.entry),
                    nearest.score,
                    visible(&nearest.question)
                );
            }
            None => {
                let _ = writeln!(out, "         nearest: none");
            }
        }
        if let Some(known) = &gap.not_in_article {
            let _ = writeln!(
                out,
                "         already listed as not in the article: {}",
                visible(known)
            );
        }
    }
    if let Some(line) = votes_line {
        let _ = writeln!(out, "\n{line}");
    }
    let _ = writeln!(
        out,
        "\nAdd a phrasing to the nearest entry in qa.toml if it answers them, a new entry, or a [[not_in_article]] if the article does not answer them; then `citebot check`."
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_as_people_write_them() {
        assert_eq!(age_text(Duration::from_secs(7 * 86_400)), "7 days");
        assert_eq!(age_text(Duration::from_secs(86_400)), "1 day");
        assert_eq!(age_text(Duration::from_secs(36 * 3_600)), "36 hours");
        assert_eq!(age_text(Duration::from_secs(90)), "1m 30s");
    }

    #[test]
    fn readers_escape_sequences_and_bidi_overrides_are_shown_escaped() {
        let gap = Gap {
            count: 2,
            voted_down: 0,
            examples: vec![
                "who\u{1b}[2J\u{1b}]0;pwned\u{7} are they".into(),
                "\u{202e}eman\u{2066}x\u{2069}\u{200e}\u{200f}\u{9b}\u{7f}".into(),
            ],
            nearest: None,
            not_in_article: None,
            last: String::new(),
        };
        let counted = Counted {
            questions: 2,
            ..Counted::default()
        };
        let text = render(&[gap], &counted, "", std::path::Path::new("u.jsonl"));
        assert!(
            text.contains("“who\\u{1b}[2J\\u{1b}]0;pwned\\u{7} are they”"),
            "{text}"
        );
        assert!(
            text.contains("\\u{202e}eman\\u{2066}x\\u{2069}\\u{200e}\\u{200f}\\u{9b}\\u{7f}"),
            "{text}"
        );
        let raw: Vec<char> = text
            .chars()
            .filter(|&c| {
                c != '\n'
                    && (c.is_control()
                        || matches!(
                            c,
                            '\u{200e}' | '\u{200f}' | '\u{202e}' | '\u{2066}' | '\u{2069}'
                        ))
            })
            .collect();
        assert!(raw.is_empty(), "{raw:?} reached the terminal: {text}");
    }

    #[test]
    fn an_empty_log_says_so() {
        let text = render(
            &[],
            &Counted::default(),
            " in the last 7 days",
            std::path::Path::new("u.jsonl"),
        );
        assert!(
            text.starts_with("No unanswered questions in the last 7 days in u.jsonl"),
            "{text}"
        );
    }
}
