//! `citebot check`: validates and lints the knowledge folder like a compiler and prints what it
//! found, ending with a summary line.
//!
//! The work is `knowledge::lints::check`, the same check the engine runs on every (re)load; this
//! front end only prints the report and turns it into an exit status: 0 when there are no errors
//! (warnings are printed but pass), 1 when there are.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::knowledge::lints;
use crate::matcher::MatchingConfig;

/// Checks `dir`, prints the report to stdout (ANSI colours if `color`, unless `NO_COLOR` is set).
pub fn run(dir: &Path, config: &MatchingConfig, color: bool) -> ExitCode {
    let color = color && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let report = lints::check(dir, config);
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`citebot check | head`) must not turn a clean check into a failure.
    let _ = stdout.write_all(report.render(color).as_bytes());
    let _ = stdout.flush();
    if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
