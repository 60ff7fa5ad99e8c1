//! Configuration errors, worded for the person fixing them: where (`file:line:column` with the
//! offending line, or the environment variable), what is wrong, and a hint.
//!
//! The line is never shown for a refused `token` key, so a token pasted into config.toml does not
//! end up in a terminal or a log through the error meant to say it does not belong there.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use super::File;
use super::token::TOKEN_REFUSED;

/// A configuration that cannot be used. Its `Display` is the whole report, meant to follow an
/// `error: ` prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    report: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.report)
    }
}

impl std::error::Error for ConfigError {}

/// Where a bad value came from.
#[derive(Debug, Clone)]
pub(crate) enum Origin {
    File,
    Env(String),
}

/// A value that parsed but makes no sense (found after all layers are merged).
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    /// The key path, e.g. `["discord", "shard_range"]`.
    pub key: Vec<String>,
    pub message: String,
    pub hint: String,
}

impl Problem {
    pub fn new(key: &[&str], message: impl Into<String>, hint: impl Into<String>) -> Problem {
        Problem {
            key: key.iter().map(|k| k.to_string()).collect(),
            message: message.into(),
            hint: hint.into(),
        }
    }
}

impl ConfigError {
    pub(crate) fn plain(report: String) -> ConfigError {
        ConfigError { report }
    }

    /// An error at `span` of the file, or in an environment override.
    pub(crate) fn located(
        file: &File<'_>,
        span: Option<Range<usize>>,
        message: &str,
        origin: Origin,
    ) -> ConfigError {
        let hint = hint_for(message);
        let report = match origin {
            Origin::Env(var) => {
                format!("in environment variable {var}: {message}\n  = hint: {hint}")
            }
            Origin::File => at_span(file, span, message, &hint),
        };
        ConfigError { report }
    }

    pub(crate) fn from_problems(
        file: &File<'_>,
        overridden: &BTreeMap<Vec<String>, String>,
        problems: Vec<Problem>,
    ) -> ConfigError {
        let reports: Vec<String> = problems
            .iter()
            .map(|p| match overridden.get(&p.key) {
                Some(var) => format!(
                    "in environment variable {var}: {}\n  = hint: {}",
                    p.message, p.hint
                ),
                None => at_span(file, value_span(file.text, &p.key), &p.message, &p.hint),
            })
            .collect();
        ConfigError {
            report: reports.join("\nerror: "),
        }
    }
}

/// `error: path:line:col: message`, the line with a caret under the span, and the hint.
fn at_span(file: &File<'_>, span: Option<Range<usize>>, message: &str, hint: &str) -> String {
    let path = file.path.display();
    let Some(span) = span else {
        return format!("{path}: {message}\n  = hint: {hint}");
    };
    let start = span.start.min(file.text.len());
    let line_start = file.text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = file.text[start..]
        .find('\n')
        .map_or(file.text.len(), |i| start + i);
    let line_no = file.text[..line_start].matches('\n').count() + 1;
    let column = file.text[line_start..start].chars().count() + 1;
    let line = &file.text[line_start..line_end];
    let secret = message.contains(TOKEN_REFUSED) || may_hold_a_secret(line);
    let mut message = without_token_offered(message);
    if secret {
        // A parser's message may quote the value ("invalid type: string \"...\"").
        let value = line.split_once('=').map_or("", |(_, value)| value);
        let value = value.trim().trim_matches(|c| matches!(c, '"' | '\''));
        if value.len() >= 4 {
            message = message.replace(value, "[redacted]");
        }
    }
    let mut out = format!("{path}:{line_no}:{column}: {message}\n");
    if secret {
        out.push_str("  (the line is not shown: it may hold a secret)\n");
    } else {
        let width = file.text[start..span.end.clamp(start, line_end)]
            .chars()
            .count()
            .max(1);
        let gutter = " ".repeat(line_no.to_string().len());
        out.push_str(&format!(
            "{gutter} |\n{line_no} | {line}\n{gutter} | {}{}\n",
            " ".repeat(column - 1),
            "^".repeat(width)
        ));
    }
    out.push_str(&format!("  = hint: {hint}"));
    out
}

/// `message` without `token` among the keys it offers ("expected one of `token_file`, `token`,
/// ..."): that key is accepted only to be refused.
fn without_token_offered(message: &str) -> String {
    let Some((before, offered)) = message.split_once("expected one of ") else {
        return message.to_string();
    };
    let keys: Vec<&str> = offered
        .split(", ")
        .filter(|key| *key != "`token`")
        .collect();
    format!("{before}expected one of {}", keys.join(", "))
}

/// Whether a line of config.toml may hold a secret, and so is never echoed: a key naming a token,
/// secret or password ("bot_token = ...", "DISCORD_TOKEN = ..."; not `token_file`, a path), or
/// a value shaped like a Discord token (three dot-separated runs of base64url), whatever the key.
fn may_hold_a_secret(line: &str) -> bool {
    let key = line.split('=').next().unwrap_or_default().to_lowercase();
    let key = key.trim().trim_matches('"');
    let named = ["token", "secret", "password", "passwd"]
        .iter()
        .any(|word| key.contains(word))
        && key != "token_file";
    let shaped = line
        .split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        .any(|run| {
            let parts: Vec<&str> = run.split('.').collect();
            parts.len() == 3 && parts[0].len() >= 20 && parts[1].len() >= 5 && parts[2].len() >= 20
        });
    named || shaped
}

/// The span of the value at `key` in the file's text (or of the closest enclosing table that is
/// written there), for problems found after merging.
fn value_span(text: &str, key: &[String]) -> Option<Range<usize>> {
    let document = toml::de::DeTable::parse(text).ok()?;
    let mut table = document.get_ref();
    let mut best = None;
    for part in key {
        let Some((found_key, value)) = table.iter().find(|(k, _)| k.get_ref() == part) else {
            break;
        };
        best = Some(match value.get_ref() {
            toml::de::DeValue::Table(_) => found_key.span(),
            _ => value.span(),
        });
        match value.get_ref() {
            toml::de::DeValue::Table(inner) => table = inner,
            _ => break,
        }
    }
    best
}

fn hint_for(message: &str) -> String {
    if message.contains(TOKEN_REFUSED) {
        "delete the line and set DISCORD_TOKEN, or put the token in a file named by [discord] token_file".to_string()
    } else if message.contains("unknown field") {
        "check the spelling; the accepted keys are listed above, and the shipped config.toml documents each one".to_string()
    } else if message.contains("invalid type") {
        "the shipped config.toml shows the expected type of every setting in its comments"
            .to_string()
    } else {
        "see the comments in the shipped config.toml for what this setting takes".to_string()
    }
}
