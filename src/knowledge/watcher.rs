//! Notices edits to the knowledge folder so a running bot can reload (`LiveKnowledge::reload`).
//!
//! The folder is watched, not the files: editors often save by writing a temporary file and
//! renaming it over the old one, which a watch on the file itself would lose. Changes are
//! debounced (notify-debouncer-mini), so one save, however many file-system events it makes,
//! gives one reload signal; editors' temporary, swap and backup files are ignored.

use std::path::Path;
use std::time::Duration;

use notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_mini::{DebounceEventResult, Debouncer, new_debouncer};
use tokio::sync::mpsc;

/// Keeps the watch alive; dropping it stops watching (and closes the receiver's channel).
pub struct KnowledgeWatcher {
    _debouncer: Debouncer<RecommendedWatcher>,
}

/// Watches `dir`; the receiver gets one `()` per debounced batch of changes to its files.
///
/// Signals coalesce: while one is waiting to be received, later changes add nothing, since the
/// reload it triggers reads the folder after them anyway.
pub fn watch(
    dir: &Path,
    debounce: Duration,
) -> notify::Result<(KnowledgeWatcher, mpsc::Receiver<()>)> {
    let (sender, receiver) = mpsc::channel(1);
    let mut debouncer = new_debouncer(debounce, move |result: DebounceEventResult| match result {
        Ok(events) => {
            if events.iter().any(|event| is_knowledge_file(&event.path)) {
                // Full means a reload is already pending; closed means nobody listens any more.
                let _ = sender.try_send(());
            }
        }
        Err(error) => tracing::warn!(%error, "watching the knowledge folder failed"),
    })?;
    debouncer
        .watcher()
        .watch(dir, RecursiveMode::NonRecursive)?;
    Ok((
        KnowledgeWatcher {
            _debouncer: debouncer,
        },
        receiver,
    ))
}

/// Whether a change to `path` may change the knowledge: not hidden, and not an editor's
/// temporary, swap or backup file.
pub fn is_knowledge_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let temporary_suffixes = [
        "~",
        ".swp",
        ".swo",
        ".swx",
        ".tmp",
        ".bak",
        ".orig",
        ".part",
        ".crdownload",
    ];
    !(name.is_empty()
        || name.starts_with('.')
        || name.starts_with('#')
        || name.starts_with(".#")
        // vim probes whether it may write in a folder with a file named "4913"
        || name.chars().all(|c| c.is_ascii_digit())
        || temporary_suffixes.iter().any(|suffix| name.ends_with(suffix)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_files_are_not_knowledge() {
        for name in [
            ".qa.toml.swp",
            "qa.toml~",
            "#qa.toml#",
            ".#qa.toml",
            "4913",
            "qa.toml.tmp",
            "article.txt.bak",
            ".DS_Store",
        ] {
            assert!(
                !is_knowledge_file(Path::new("knowledge").join(name).as_path()),
                "{name}"
            );
        }
        for name in ["qa.toml", "article.txt", "other-article.txt"] {
            assert!(
                is_knowledge_file(Path::new("knowledge").join(name).as_path()),
                "{name}"
            );
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 1)]
    async fn an_edit_gives_a_signal() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let qa = dir.path().join("qa.toml");
        std::fs::write(&qa, "[source]\n")?;
        let (_watcher, mut changes) = watch(dir.path(), Duration::from_millis(100))?;
        // Generous: the signal normally comes within the debounce time, but CI machines stall.
        let deadline = Duration::from_secs(20);
        // Write more than once, in case the watch was not yet armed for the first write.
        let received = tokio::time::timeout(deadline, async {
            for round in 0.. {
                std::fs::write(&qa, format!("[source]\n# edit {round}\n"))?;
                if let Ok(Some(())) =
                    tokio::time::timeout(Duration::from_secs(2), changes.recv()).await
                {
                    return anyhow::Ok(());
                }
            }
            anyhow::Ok(())
        })
        .await;
        assert!(
            matches!(received, Ok(Ok(()))),
            "no reload signal after editing qa.toml"
        );
        Ok(())
    }
}
