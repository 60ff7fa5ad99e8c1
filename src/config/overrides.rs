//! The environment layer: `CITEBOT_<SECTION>__<KEY>=value` sets `[section] key = value`, as
//! layered-config crates such as figment do.
//!
//! The value is read as a TOML value (`0.6`, `true`, `[1, 2]`, `"quoted"`), falling back to the
//! raw text as a string, so `CITEBOT_DISCORD__API_PROXY=http://127.0.0.1:3000` needs no quotes.
//! An empty value removes the key, back to its default. Variables are applied in name order and
//! the config is re-checked after each, so an error names the variable that caused it. An
//! override of the token is refused before its value is looked at, and so is a section and key
//! joined by one underscore (`CITEBOT_MATCHING_THRESHOLD`), which would otherwise be ignored.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::problem::{ConfigError, Origin};
use super::token::{TOKEN_ENV, TOKEN_REFUSED};
use super::{Config, File};

/// Every environment variable starting with this and holding a `__` is an override.
pub const ENV_PREFIX: &str = "CITEBOT_";

/// Which key path each override set, and the variable that set it.
pub(crate) type Overridden = BTreeMap<Vec<String>, String>;

/// Applies the overrides found in `env` to the file's `table` and deserializes the result.
pub(crate) fn apply(
    mut table: toml::Table,
    env: impl IntoIterator<Item = (String, String)>,
) -> Result<(Config, Overridden), ConfigError> {
    let mut vars: Vec<(String, Vec<String>, String)> = Vec::new();
    for (name, value) in env {
        let Some(rest) = name.strip_prefix(ENV_PREFIX) else {
            continue;
        };
        if rest.contains("__") {
            let path = rest.split("__").map(str::to_lowercase).collect();
            vars.push((name, path, value));
        } else if rest.eq_ignore_ascii_case("discord_token") {
            return Err(env_error(
                &name,
                &format!("`{name}` is not read: the token comes from {TOKEN_ENV}"),
            ));
        } else if let Some(meant) = one_underscore_short(&name, rest) {
            // Ignored, it would leave the setting at its file's value with no word said.
            return Err(env_error(
                &name,
                &format!(
                    "`{name}` is not read: an override puts two underscores between section and key; did you mean {meant}?"
                ),
            ));
        }
    }
    vars.sort();
    let mut overridden = Overridden::new();
    for (name, path, raw) in vars {
        let fail = |message: String| env_error(&name, &message);
        if path.iter().any(String::is_empty) {
            return Err(fail(format!(
                "`{name}` does not name a setting; write CITEBOT_<SECTION>__<KEY>, e.g. CITEBOT_DISCORD__API_PROXY"
            )));
        }
        if path == ["discord", "token"] {
            return Err(fail(format!(
                "{TOKEN_REFUSED} or its overrides: set {TOKEN_ENV} instead"
            )));
        }
        let candidates = if raw.is_empty() {
            vec![None]
        } else {
            let as_string = toml::Value::String(raw.clone());
            match parse_value(&raw) {
                Some(value) if value != as_string => vec![Some(value), Some(as_string)],
                _ => vec![Some(as_string)],
            }
        };
        let mut first_error = None;
        let mut accepted = None;
        for candidate in candidates {
            let mut trial = table.clone();
            set(&mut trial, &path, candidate).map_err(&fail)?;
            match Config::deserialize(toml::Value::Table(trial.clone())) {
                Ok(_) => {
                    accepted = Some(trial);
                    break;
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        let Some(trial) = accepted else {
            let message = first_error
                .map(|e| e.message().to_string())
                .unwrap_or_default();
            return Err(fail(message));
        };
        table = trial;
        overridden.insert(path, name);
    }
    let config = Config::deserialize(toml::Value::Table(table))
        .map_err(|e| ConfigError::plain(e.message().to_string()))?;
    Ok((config, overridden))
}

/// The sections an override can name.
const SECTIONS: [&str; 6] = [
    "knowledge",
    "matching",
    "discord",
    "cooldown",
    "log",
    "metrics",
];

/// Variables of citebot's own that are not overrides, though they start like one.
const NOT_OVERRIDES: [&str; 1] = [crate::curation::hash::KEY_ENV];

/// The override `name` (`CITEBOT_` + `rest`, no `__`) was most likely meant as, when it is a
/// section's name and one of its keys joined by one underscore: `CITEBOT_MATCHING_THRESHOLD`.
/// Other names are left alone (`CITEBOT_METRICS_SERVICE_HOST`, set by a container platform).
fn one_underscore_short(name: &str, rest: &str) -> Option<String> {
    if NOT_OVERRIDES.contains(&name) {
        return None;
    }
    let (section, key) = rest.split_once('_')?;
    let section = SECTIONS.iter().find(|s| s.eq_ignore_ascii_case(section))?;
    let key = key.to_lowercase();
    is_key(section, &key).then(|| {
        format!(
            "{ENV_PREFIX}{}__{}",
            section.to_uppercase(),
            key.to_uppercase()
        )
    })
}

/// Whether `[section] key` is a setting: the config refuses unknown keys by name, so a probe
/// value that is refused for any other reason (its type) names a real one.
fn is_key(section: &str, key: &str) -> bool {
    let mut table = toml::Table::new();
    if set(
        &mut table,
        &[section.to_string(), key.to_string()],
        Some(toml::Value::Boolean(true)),
    )
    .is_err()
    {
        return false;
    }
    match Config::deserialize(toml::Value::Table(table)) {
        Ok(_) => true,
        Err(e) => !e.message().contains("unknown field"),
    }
}

fn env_error(name: &str, message: &str) -> ConfigError {
    let file = File {
        path: std::path::Path::new(""),
        text: "",
    };
    ConfigError::located(&file, None, message, Origin::Env(name.to_string()))
}

/// `raw` as a TOML value, if it is one.
fn parse_value(raw: &str) -> Option<toml::Value> {
    let deserializer = toml::de::ValueDeserializer::parse(raw).ok()?;
    toml::Value::deserialize(deserializer).ok()
}

/// Sets (or with `None`, removes) the value at `path`, creating tables on the way.
fn set(table: &mut toml::Table, path: &[String], value: Option<toml::Value>) -> Result<(), String> {
    let Some((last, parents)) = path.split_last() else {
        return Err("empty key".to_string());
    };
    let mut current = table;
    for part in parents {
        let next = current
            .entry(part.clone())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        current = match next {
            toml::Value::Table(inner) => inner,
            _ => return Err(format!("`{part}` is a setting, not a section")),
        };
    }
    match value {
        Some(value) => {
            current.insert(last.clone(), value);
        }
        None => {
            current.remove(last);
        }
    }
    Ok(())
}
