//! Reloading the knowledge while the bot runs, whatever asks for it (the folder watcher, SIGHUP,
//! `/kb reload`), with the log lines a curator looks for: what changed, or why the edit was
//! refused while the last good knowledge keeps serving; and the reload counted in the metrics.

use std::sync::Arc;

use crate::engine::{LiveKnowledge, ReloadSummary};
use crate::metrics;

/// Reloads `live` off the async threads (loading checks and indexes the whole folder) and logs
/// the result. `trigger` says what asked ("file change", "SIGHUP", "/kb reload").
pub async fn reload(
    live: &Arc<LiveKnowledge>,
    trigger: &'static str,
) -> Result<ReloadSummary, String> {
    let worker = Arc::clone(live);
    let result = tokio::task::spawn_blocking(move || worker.reload())
        .await
        .unwrap_or_else(|error| Err(format!("the reload stopped unexpectedly: {error}")));
    match &result {
        Ok(summary) => metrics::global().reloaded(summary.entries),
        Err(_) => metrics::global().reload_failed(),
    }
    match &result {
        Ok(summary) => tracing::info!(
            trigger,
            entries = summary.entries,
            added = ?summary.added,
            removed = ?summary.removed,
            changed = ?summary.changed,
            "knowledge reloaded: {summary}"
        ),
        Err(diagnostics) => tracing::error!(
            trigger,
            dir = %live.dir().display(),
            "knowledge reload failed; still serving the previous knowledge:\n{diagnostics}"
        ),
    }
    result
}
