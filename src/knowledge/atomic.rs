//! Replacing a knowledge file safely: the new text is written to a temporary file in the same
//! folder and synced, the file is compared with the version the edit was made from, and only if
//! it is unchanged is the old version kept as a backup and the new one renamed over it.
//!
//! A reader (the running bot, the watcher, an editor) therefore sees the old file or the new
//! one, never half of one, and a hand edit made since the file was read is reported
//! ([`Replaced::Changed`]) instead of overwritten. The temporary files start with a dot and end
//! in `.tmp`, and the backup ends in `.bak`: the knowledge watcher ignores all of them.
//!
//! Within one process, replacements take turns: two curators teaching at once would otherwise
//! both find the file unchanged and the second rename would drop the first one's edit.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// Held from the first temporary file to the last rename.
static REPLACING: Mutex<()> = Mutex::new(());

/// How a replacement went.
#[derive(Debug)]
pub enum Replaced {
    /// The new text is in place; the previous one is in `backup`.
    Done { backup: PathBuf },
    /// The file no longer holds the text the edit was made from; nothing was written. Carries
    /// what it holds now.
    Changed(Vec<u8>),
}

/// The backup of `path`: `qa.toml` is kept as `qa.toml.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    path.with_file_name(name)
}

/// Replaces `path`'s content `expected` by `new`, keeping `expected` as the backup.
///
/// `before_compare` runs after the temporary files are written and synced, just before the file
/// is compared with `expected` (tests use it to edit the file at the worst moment).
pub fn replace(
    path: &Path,
    expected: &[u8],
    new: &[u8],
    before_compare: &mut dyn FnMut(),
) -> std::io::Result<Replaced> {
    // A replacement that panicked left nothing half done that the next one relies on.
    let _turn = REPLACING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let backup = backup_path(path);
    let fresh = Temporary::write(path, "new", new)?;
    let old = Temporary::write(path, "bak", expected)?;
    before_compare();
    let current = fs::read(path)?;
    if current != expected {
        return Ok(Replaced::Changed(current));
    }
    old.rename_to(&backup)?;
    fresh.rename_to(path)?;
    sync_folder(path);
    Ok(Replaced::Done { backup })
}

/// `.qa.toml.new-PID-N.tmp` beside `qa.toml`: hidden and `.tmp`, so never taken for knowledge;
/// the process id and a count keep any two replacements' files apart.
fn temporary_path(target: &Path, role: &str) -> PathBuf {
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    let n = COUNT.fetch_add(1, Ordering::Relaxed);
    target.with_file_name(format!(".{name}.{role}-{}-{n}.tmp", std::process::id()))
}

/// A synced temporary file beside its target, removed unless renamed.
struct Temporary {
    path: Option<PathBuf>,
}

impl Temporary {
    fn write(target: &Path, role: &str, bytes: &[u8]) -> std::io::Result<Temporary> {
        let path = temporary_path(target, role);
        let temporary = Temporary {
            path: Some(path.clone()),
        };
        let mut file = File::create(&path)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        // The file keeps the permissions of the one it replaces (a read-only group bit, say).
        if let Ok(meta) = fs::metadata(target) {
            fs::set_permissions(&path, meta.permissions())?;
        }
        Ok(temporary)
    }

    fn rename_to(mut self, target: &Path) -> std::io::Result<()> {
        if let Some(path) = self.path.take() {
            fs::rename(&path, target)?;
        }
        Ok(())
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        if let Some(path) = self.path.take() {
            // Best effort: a leftover `.tmp` is ignored by the watcher and by the loader.
            let _ = fs::remove_file(path);
        }
    }
}

/// Makes the renames durable. Not every file system lets a folder be opened and synced; the
/// rename itself has happened either way, so a failure here is not an error.
fn sync_folder(path: &Path) {
    if let Some(folder) = path.parent()
        && let Ok(folder) = File::open(if folder.as_os_str().is_empty() {
            Path::new(".")
        } else {
            folder
        })
    {
        let _ = folder.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_and_keeps_a_backup_leaving_no_temporary_files() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("qa.toml");
        fs::write(&path, "old")?;
        let done = replace(&path, b"old", b"new", &mut || {})?;
        assert!(matches!(&done, Replaced::Done { backup } if backup.ends_with("qa.toml.bak")));
        assert_eq!(fs::read_to_string(&path)?, "new");
        assert_eq!(fs::read_to_string(dir.path().join("qa.toml.bak"))?, "old");
        let names: Vec<_> = fs::read_dir(dir.path())?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
        Ok(())
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_left_alone() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("qa.toml");
        fs::write(&path, "old")?;
        let outcome = replace(&path, b"old", b"new", &mut || {
            let _ = fs::write(&path, "hand edit");
        })?;
        assert!(matches!(&outcome, Replaced::Changed(now) if now == b"hand edit"));
        assert_eq!(fs::read_to_string(&path)?, "hand edit");
        assert!(!dir.path().join("qa.toml.bak").exists());
        assert_eq!(fs::read_dir(dir.path())?.count(), 1, "temporary files left");
        Ok(())
    }

    #[test]
    fn temporary_and_backup_files_are_not_knowledge() {
        let path = Path::new("knowledge/qa.toml");
        assert!(!super::super::watcher::is_knowledge_file(&backup_path(
            path
        )));
        for role in ["new", "bak"] {
            let temporary = temporary_path(path, role);
            assert!(!super::super::watcher::is_knowledge_file(&temporary));
        }
    }
}
