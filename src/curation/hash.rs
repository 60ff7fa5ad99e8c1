//! Who voted or asked, without knowing who: a user id becomes a keyed hash (HMAC-SHA256), so the
//! curators' files can tell one reader from another (one vote per reader) yet never hold an id.
//!
//! The key comes from the environment variable `CITEBOT_LOG_KEY` when set, else from a random key
//! kept in a file beside the unanswered log (created, mode 0600, on first use). Without the key
//! the hashes cannot be matched back to Discord ids, even by trying every id.

use std::io::Write;
use std::path::{Path, PathBuf};

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The environment variable holding the hashing key (any text; long and random is best).
pub const KEY_ENV: &str = "CITEBOT_LOG_KEY";
/// The key file's name, beside the unanswered log.
pub const KEY_FILE: &str = "citebot-log.key";

/// Bytes of the MAC kept in a hash: 128 bits is plenty to tell readers apart.
const KEPT: usize = 16;

/// Turns user ids into keyed hashes.
#[derive(Clone)]
pub struct UserHasher {
    key: Vec<u8>,
}

impl std::fmt::Debug for UserHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key is a secret: never printed.
        f.write_str("UserHasher { key: <hidden> }")
    }
}

impl UserHasher {
    pub fn new(key: impl Into<Vec<u8>>) -> UserHasher {
        UserHasher { key: key.into() }
    }

    /// The key from `env_key` (the value of `CITEBOT_LOG_KEY`) if set, else from the key file in
    /// `dir`, made with fresh random bytes if missing.
    pub fn load(env_key: Option<String>, dir: &Path) -> Result<UserHasher, String> {
        if let Some(key) = env_key.filter(|k| !k.trim().is_empty()) {
            return Ok(UserHasher::new(key.into_bytes()));
        }
        let path = dir.join(KEY_FILE);
        match std::fs::read(&path) {
            Ok(key) if !key.is_empty() => Ok(UserHasher::new(key)),
            Ok(_) => Err(format!(
                "the key file {} is empty\n  hint: delete it to have a new one made, or set {KEY_ENV}",
                path.display()
            )),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => create_key(&path),
            Err(e) => Err(format!(
                "cannot read the key file {}: {e}\n  hint: make it readable, or set {KEY_ENV}",
                path.display()
            )),
        }
    }

    /// The keyed hash of `id`, as 32 hex digits.
    pub fn hash(&self, id: u64) -> String {
        let mac = hmac_sha256(&self.key, id.to_string().as_bytes());
        mac[..KEPT].iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// HMAC (RFC 2104) over SHA-256.
fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    // Infallible: HMAC takes a key of any length.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        unreachable!("HMAC accepts keys of every length")
    };
    mac.update(message);
    mac.finalize().into_bytes().into()
}

fn create_key(path: &PathBuf) -> Result<UserHasher, String> {
    let fail = |what: &str, e: std::io::Error| {
        format!(
            "cannot {what} the key file {}: {e}\n  hint: make its folder writable, or set {KEY_ENV}",
            path.display()
        )
    };
    let mut key = [0u8; 32];
    getrandom::fill(&mut key)
        .map_err(|e| fail("make random bytes for", std::io::Error::other(e)))?;
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| fail("create the folder of", e))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(mut file) => {
            file.write_all(hex.as_bytes())
                .and_then(|()| file.sync_all())
                .map_err(|e| fail("write", e))?;
            Ok(UserHasher::new(hex.into_bytes()))
        }
        // Another process made it first: use theirs, so both hash alike.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => std::fs::read(path)
            .map(UserHasher::new)
            .map_err(|e| fail("read", e)),
        Err(e) => Err(fail("create", e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn hmac_matches_rfc_4231() {
        // Test case 2 of RFC 4231.
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            hex(&mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // Test case 6: a key longer than the block is hashed first.
        let mac = hmac_sha256(
            &[0xaa; 131],
            b"Test Using Larger Than Block-Size Key - Hash Key First",
        );
        assert_eq!(
            hex(&mac),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn hashes_hide_the_id_and_depend_on_the_key() {
        let id = 1_500_000_000_000_000_002_u64;
        let a = UserHasher::new("key one").hash(id);
        assert_eq!(a.len(), 32);
        assert!(!a.contains(&id.to_string()));
        assert_eq!(a, UserHasher::new("key one").hash(id), "stable");
        assert_ne!(a, UserHasher::new("key two").hash(id), "keyed");
        assert_ne!(a, UserHasher::new("key one").hash(id + 1), "per user");
    }

    #[test]
    fn the_key_file_is_made_once_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let first = UserHasher::load(None, dir.path()).unwrap();
        let again = UserHasher::load(None, dir.path()).unwrap();
        assert_eq!(first.hash(7), again.hash(7));
        let env = UserHasher::load(Some("from env".into()), dir.path()).unwrap();
        assert_ne!(env.hash(7), first.hash(7));
        assert_eq!(format!("{first:?}"), "UserHasher { key: <hidden> }");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "the key file is readable by others");
        }
    }
}
