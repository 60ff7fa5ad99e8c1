//! Log setup through tracing: human-readable lines by default, one JSON object a line with
//! `--log-format json` (for log shippers), always on stderr so stdout stays free for replies
//! (`citebot ask --json`). The level comes from `RUST_LOG` when set, else `[log] level`.

use std::io::IsTerminal;

use serde::Deserialize;
use tracing_subscriber::EnvFilter;

use crate::config::LogConfig;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Plain lines for a terminal or journald.
    #[default]
    Human,
    /// One JSON object a line.
    Json,
}

/// The filter to log with: `RUST_LOG` (given as `rust_log`) wins over the configured level.
pub fn filter(config: &LogConfig, rust_log: Option<&str>) -> anyhow::Result<EnvFilter> {
    if let Some(directives) = rust_log.filter(|d| !d.trim().is_empty()) {
        return EnvFilter::builder().parse(directives).map_err(|e| {
            anyhow::anyhow!("RUST_LOG={directives:?} is not a log filter: {e}\n  hint: e.g. RUST_LOG=info or RUST_LOG=citebot=debug")
        });
    }
    EnvFilter::builder()
        .parse(&config.level)
        .map_err(|e| anyhow::anyhow!("[log] level {:?} is not a log filter: {e}", config.level))
}

/// Installs the global subscriber. Call once, early; a second call is a harmless no-op.
pub fn init(config: &LogConfig) -> anyhow::Result<()> {
    let rust_log = std::env::var("RUST_LOG").ok();
    let filter = filter(config, rust_log.as_deref())?;
    // Colours only for a person at a terminal: not in journald, files or pipes, nor with NO_COLOR.
    let colour = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colour)
        .with_writer(std::io::stderr);
    // Already installed (tests, or a second front end in one process): keep the first.
    let _ = match config.format {
        LogFormat::Human => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_log_wins_over_config() {
        let config = LogConfig {
            level: "warn".to_string(),
            format: LogFormat::Human,
            ..LogConfig::default()
        };
        let from_env = filter(&config, Some("citebot=debug")).unwrap();
        assert_eq!(from_env.to_string(), "citebot=debug");
        let from_config = filter(&config, None).unwrap();
        assert_eq!(from_config.to_string(), "warn");
        let blank_env = filter(&config, Some(" ")).unwrap();
        assert_eq!(blank_env.to_string(), "warn");
    }

    #[test]
    fn bad_rust_log_is_named() {
        let config = LogConfig::default();
        let err = filter(&config, Some("citebot=loud"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("RUST_LOG"), "{err}");
    }
}
