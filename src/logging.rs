//! Log setup through tracing: human-readable lines by default, one JSON object a line with
//! `--log-format json` (for log shippers), always on stderr so stdout stays free for replies
//! (`citebot ask --json`). The level comes from `RUST_LOG` when set, else `[log] level`.
//!
//! Whatever the filter says, the crates that carry Discord's traffic never log at trace level:
//! there they dump raw frames and requests, and the gateway's IDENTIFY frame holds the token.

use std::io::IsTerminal;

use serde::Deserialize;
use tracing::{Level, Metadata};
use tracing_subscriber::filter::{EnvFilter, FilterExt, LevelFilter, filter_fn};
use tracing_subscriber::layer::{Filter, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{Layer, Registry};

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

/// The levels a bare word may name (or their numbers, 0 to 5), as the error lists them. Any
/// other bare word would be read by tracing as a target at every level, so "warning" or
/// "verbose" would silently turn off every log line, errors included.
const LEVELS: [&str; 6] = ["off", "error", "warn", "info", "debug", "trace"];

/// Crates (log targets) that carry Discord's traffic: at trace level they log whole frames and
/// requests, the token among them, so they are held at debug whatever the filter says.
const TRANSPORT: [&str; 8] = [
    "tungstenite",
    "tokio_tungstenite",
    "hyper",
    "hyper_util",
    "h2",
    "reqwest",
    "rustls",
    "tokio_rustls",
];

/// The filter to log with: `RUST_LOG` (given as `rust_log`) wins over the configured level.
pub fn filter(config: &LogConfig, rust_log: Option<&str>) -> anyhow::Result<EnvFilter> {
    if let Some(directives) = rust_log.filter(|d| !d.trim().is_empty()) {
        return parse(directives).map_err(|e| {
            anyhow::anyhow!(
                "RUST_LOG={directives:?} is not a log filter: {e}\n  hint: e.g. RUST_LOG=info or RUST_LOG=citebot=debug"
            )
        });
    }
    parse(&config.level)
        .map_err(|e| anyhow::anyhow!("[log] level {:?} is not a log filter: {e}", config.level))
}

/// Parses tracing directives ("info", "citebot=debug,serenity=warn"), refusing a bare word that
/// is not a level.
pub fn parse(directives: &str) -> Result<EnvFilter, String> {
    // tracing reads " info" as a target named " info": the pieces go to it trimmed.
    let pieces: Vec<&str> = (directives.split(','))
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .collect();
    // tracing's own reading of a level: a name in any case, or 0 to 5.
    let unknown = (pieces.iter())
        .filter(|d| !d.contains(['=', '[', '{']))
        .find(|word| word.parse::<LevelFilter>().is_err());
    if let Some(word) = unknown {
        return Err(format!(
            "{word:?} is not a level (one of {}); a target needs one too, as in \"{word}=debug\"",
            LEVELS.join(", ")
        ));
    }
    EnvFilter::builder()
        .parse(pieces.join(","))
        .map_err(|e| e.to_string())
}

/// Whether an event or span may be logged under `filter`: never a transport crate's trace.
fn admits(filter: EnvFilter) -> impl Filter<Registry> {
    // The hint keeps the filter's own most verbose level the process-wide one: without it the
    // combination has none, and every `trace!` in every crate would be asked about.
    let transport_cap = filter_fn(|meta: &Metadata<'_>| {
        *meta.level() < Level::TRACE || !is_transport(meta.target())
    })
    .with_max_level_hint(LevelFilter::TRACE);
    filter.and(transport_cap)
}

fn is_transport(target: &str) -> bool {
    let crate_name = target.split("::").next().unwrap_or(target);
    TRANSPORT.contains(&crate_name)
}

/// Installs the global subscriber. Call once, early; a second call is a harmless no-op.
pub fn init(config: &LogConfig) -> anyhow::Result<()> {
    let rust_log = std::env::var("RUST_LOG").ok();
    let filter = admits(filter(config, rust_log.as_deref())?);
    // Colours only for a person at a terminal: not in journald, files or pipes, nor with NO_COLOR.
    let colour = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let lines = tracing_subscriber::fmt::layer()
        .with_ansi(colour)
        .with_writer(std::io::stderr);
    let layer = match config.format {
        LogFormat::Human => lines.with_filter(filter).boxed(),
        LogFormat::Json => lines.json().flatten_event(true).with_filter(filter).boxed(),
    };
    // Already installed (tests, or a second front end in one process): keep the first.
    let _ = tracing_subscriber::registry().with(layer).try_init();
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

    #[test]
    fn a_bare_word_must_be_a_level() {
        for word in ["warning", "verbose", "loud", "citebot"] {
            let err = parse(word).unwrap_err();
            assert!(err.contains("is not a level"), "{word}: {err}");
            assert!(err.contains(&format!("{word}=debug")), "{word}: {err}");
        }
        let err = parse("info,citebot=debug,loud").unwrap_err();
        assert!(err.contains("\"loud\""), "{err}");
        for good in ["info", "WARN", "off", "3", "citebot=debug,serenity=warn"] {
            assert!(parse(good).is_ok(), "{good}");
        }
        // Spaces around a piece are not part of it (tracing would read " info" as a target).
        let spaced = parse(" citebot=debug , info ").unwrap();
        assert_eq!(spaced.to_string(), "citebot=debug,info");
        assert_eq!(
            parse(" warn ").unwrap().max_level_hint(),
            Some(LevelFilter::WARN)
        );
    }

    #[test]
    fn the_cap_keeps_the_filters_level_hint() {
        for (level, hint) in [("info", LevelFilter::INFO), ("warn", LevelFilter::WARN)] {
            let filter = admits(parse(level).unwrap());
            assert_eq!(Filter::<Registry>::max_level_hint(&filter), Some(hint));
        }
    }

    /// A buffer the test subscriber writes into.
    #[derive(Clone, Default)]
    struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn transport_crates_never_log_at_trace() {
        let captured = Captured::default();
        let writer = captured.clone();
        let layer = tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .with_filter(admits(parse("trace,tungstenite=trace").unwrap()));
        tracing::subscriber::with_default(tracing_subscriber::registry().with(layer), || {
            tracing::trace!(target: "tungstenite::protocol::frame", "writing frame SECRET");
            tracing::trace!(target: "h2::codec", "send frame SECRET");
            tracing::debug!(target: "tungstenite::protocol", "close frame kept");
            tracing::trace!(target: "citebot::engine", "trace kept");
            tracing::trace!(target: "tungstenite_like", "other crate kept");
        });
        let bytes = captured.0.lock().map(|b| b.clone()).unwrap_or_default();
        let log = String::from_utf8_lossy(&bytes);
        assert!(!log.contains("SECRET"), "{log}");
        for kept in ["close frame kept", "trace kept", "other crate kept"] {
            assert!(log.contains(kept), "{kept} missing from {log}");
        }
    }
}
