//! `citebot run`: the Discord bot, as a foreground process a service manager can run.
//!
//! It loads the knowledge (refusing to start on errors, as `citebot check` reports them), keeps
//! it fresh while running (the folder watcher and SIGHUP reload it; a broken edit is logged and
//! the last good knowledge keeps serving), and on SIGTERM or Ctrl-C stops taking questions,
//! finishes the replies in flight (at most 10 s), closes the shards and exits 0. With `[metrics]
//! listen` set it also serves `/healthz` and `/metrics` (see `crate::metrics`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use anyhow::Context as _;
use tokio::signal::unix::{Signal, SignalKind, signal};

use crate::config::token::TOKEN_ENV;
use crate::config::{Config, Token};
use crate::discord;
use crate::engine::LiveKnowledge;
use crate::knowledge::watcher;
use crate::logging::{self, LogFormat};
use crate::metrics;

/// Replies in flight get this long to finish at shutdown.
const GRACE: Duration = Duration::from_secs(10);
/// One save in an editor makes several file events; they become one reload after this quiet.
const DEBOUNCE: Duration = Duration::from_millis(300);

#[derive(Debug, Clone, Default, clap::Args)]
pub struct RunArgs {
    /// How to write log lines (overrides [log] format in config.toml).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub log_format: Option<LogFormat>,
}

/// Runs the bot until SIGTERM or Ctrl-C. Needs `DISCORD_TOKEN` (or `[discord] token_file`).
pub fn run(config: &Config, knowledge_dir: &Path, args: &RunArgs) -> anyhow::Result<ExitCode> {
    let mut log = config.log.clone();
    if let Some(format) = args.log_format {
        log.format = format;
    }
    logging::init(&log)?;
    if !config.from_file {
        tracing::warn!(
            "no {} in the working directory: running on the built-in defaults (no allowed_channels, no admins, guild_ids empty) and CITEBOT_* overrides; pass --config PATH to use a file",
            crate::config::DEFAULT_PATH
        );
    }
    let token = Token::resolve(
        std::env::var(TOKEN_ENV).ok(),
        config.discord.token_file.as_deref(),
    )?;
    let live = LiveKnowledge::load(knowledge_dir, &config.matching).map_err(|report| {
        anyhow::anyhow!(
            "{}\nthe knowledge in {} has errors, so citebot will not start; fix them (see `citebot check --knowledge {}`)",
            report.render(false),
            knowledge_dir.display(),
            knowledge_dir.display()
        )
    })?;
    let snapshot = live.snapshot();
    tracing::info!(
        dir = %knowledge_dir.display(),
        entries = snapshot.knowledge.entries.len(),
        article_checksum = %snapshot.knowledge.article.checksum,
        reads_meaning = snapshot.matcher.reads_meaning(),
        "knowledge loaded"
    );
    drop(snapshot);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(serve(config, Arc::new(live), token))?;
    // Tasks still blocked on the network (a shard mid-reconnect) must not hold the exit.
    runtime.shutdown_timeout(Duration::from_secs(1));
    Ok(ExitCode::SUCCESS)
}

/// The bot's life inside the runtime: watch, connect, wait for a signal, shut down.
pub async fn serve(config: &Config, live: Arc<LiveKnowledge>, token: Token) -> anyhow::Result<()> {
    // Signal handlers first, so a SIGTERM while connecting is not the default kill.
    let mut stop = Stop::new()?;
    let _watch = watch_knowledge(&live);
    reload_on_sighup(&live)?;
    metrics::global().knowledge_loaded(live.snapshot().knowledge.entries.len());
    let _listener = match config.metrics.listen {
        Some(addr) => Some(metrics::http::start(addr, Arc::clone(&live)).await?),
        None => None,
    };
    let mut running = tokio::select! {
        signal = stop.next() => {
            tracing::info!(signal, "stopped before connecting to Discord");
            return Ok(());
        }
        running = discord::start(config, Arc::clone(&live), &token) => running?,
    };
    tokio::select! {
        signal = stop.next() => tracing::info!(signal, "shutting down"),
        stopped = running.stopped() => return stopped,
    }
    running.shutdown(GRACE).await;
    tracing::info!("stopped");
    Ok(())
}

/// SIGTERM (service managers) and SIGINT (Ctrl-C).
struct Stop {
    term: Signal,
    interrupt: Signal,
}

impl Stop {
    fn new() -> anyhow::Result<Stop> {
        Ok(Stop {
            term: signal(SignalKind::terminate()).context("cannot listen for SIGTERM")?,
            interrupt: signal(SignalKind::interrupt()).context("cannot listen for SIGINT")?,
        })
    }

    async fn next(&mut self) -> &'static str {
        tokio::select! {
            _ = self.term.recv() => "SIGTERM",
            _ = self.interrupt.recv() => "SIGINT",
        }
    }
}

/// Reloads on every debounced change to the knowledge folder. Without a watcher (some file
/// systems cannot be watched) the bot still runs, and SIGHUP still reloads.
fn watch_knowledge(live: &Arc<LiveKnowledge>) -> Option<watcher::KnowledgeWatcher> {
    let dir = live.dir().display().to_string();
    match watcher::watch(live.dir(), DEBOUNCE) {
        Ok((watch, mut changes)) => {
            let live = Arc::clone(live);
            tokio::spawn(async move {
                let mut seen = stamp(live.dir());
                while changes.recv().await.is_some() {
                    // The watch also reports files being opened, and a reload opens them all:
                    // reload only when a file really changed, or reloads would feed themselves.
                    let now = stamp(live.dir());
                    if now != seen {
                        seen = now;
                        let _ = discord::reload(&live, "file change").await;
                    }
                }
            });
            tracing::info!(%dir, "watching the knowledge folder");
            Some(watch)
        }
        Err(error) => {
            tracing::warn!(%error, %dir, "cannot watch the knowledge folder; reload with SIGHUP or /kb reload");
            None
        }
    }
}

/// What the knowledge files look like on disk (name, size, modification time), to tell a real
/// edit from a mere read. Reading metadata opens no file, so it makes no watch event itself.
fn stamp(dir: &Path) -> Vec<(PathBuf, u64, Option<SystemTime>)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .flatten()
        .filter(|entry| watcher::is_knowledge_file(&entry.path()))
        .filter_map(|entry| {
            let meta = entry.metadata().ok()?;
            Some((entry.path(), meta.len(), meta.modified().ok()))
        })
        .collect();
    files.sort();
    files
}

fn reload_on_sighup(live: &Arc<LiveKnowledge>) -> anyhow::Result<()> {
    let mut hangups = signal(SignalKind::hangup()).context("cannot listen for SIGHUP")?;
    let live = Arc::clone(live);
    tokio::spawn(async move {
        while hangups.recv().await.is_some() {
            let _ = discord::reload(&live, "SIGHUP").await;
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stamp_changes_on_edits_not_on_reads() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let qa = dir.path().join("qa.toml");
        std::fs::write(&qa, "[source]\n")?;
        std::fs::write(dir.path().join(".qa.toml.swp"), "swap")?;
        let before = stamp(dir.path());
        assert_eq!(
            before.len(),
            1,
            "editor files are not knowledge: {before:?}"
        );
        let _ = std::fs::read_to_string(&qa)?;
        assert_eq!(stamp(dir.path()), before);
        std::fs::write(&qa, "[source]\n# an edit\n")?;
        assert_ne!(stamp(dir.path()), before);
        Ok(())
    }
}
