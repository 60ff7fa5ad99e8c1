//! [`BotProcess`]: the real `citebot run` binary as a child process, pointed at a [`FakeDiscord`].
//!
//! Each bot gets its own temporary folder holding a copy of the shipped knowledge (so a test may
//! edit `qa.toml` freely) and a `config.toml` made from the shipped one (same `[matching]`) with
//! `[discord] api_proxy` aimed at the fake and the test's ids, channels and cooldowns. Its log
//! (stdout and stderr) is collected for assertions. Dropping it kills the process;
//! [`BotProcess::restart`] kills it and starts it again on the same folder.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::server::{FakeDiscord, lock};
use super::world::*;

/// The token the bot is given; the fake accepts any.
pub const FAKE_TOKEN: &str = "fake-token-for-tests.not-a-secret";

/// What a test wants different from the shipped config.
#[derive(Debug, Clone)]
pub struct BotSetup {
    pub guild_ids: Vec<u64>,
    pub allowed_channels: Vec<u64>,
    pub admin_role_ids: Vec<u64>,
    pub admin_user_ids: Vec<u64>,
    /// `[cooldown]` (user_burst, user_refill_seconds, same_answer_seconds); `None` turns both
    /// limits off.
    pub cooldown: Option<(u32, f64, u64)>,
    /// `RUST_LOG` for the child.
    pub log_filter: String,
    /// `[metrics] listen`, e.g. `"127.0.0.1:0"` (any free port; the bot logs the one it got).
    pub metrics_listen: Option<String>,
    /// `[discord]` sharding; `None` leaves it unset (one shard, [0, 1]).
    pub shards: Option<Shards>,
}

/// The `[discord]` sharding keys a test can set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shards {
    /// `shards = "auto"`: as many as `GET /gateway/bot` recommends
    /// (see [`FakeDiscord::recommend_shards`]).
    Auto,
    /// `shard_range = [first, last]` with `total_shards = total`.
    Range { first: u32, last: u32, total: u32 },
}

impl Default for BotSetup {
    /// The test guild, answering only in [`CHANNEL_ID`], cooldowns off so tests can ask freely.
    fn default() -> Self {
        BotSetup {
            guild_ids: vec![GUILD_ID],
            allowed_channels: vec![CHANNEL_ID],
            admin_role_ids: Vec::new(),
            admin_user_ids: Vec::new(),
            cooldown: None,
            log_filter: "info".to_string(),
            metrics_listen: None,
            shards: None,
        }
    }
}

/// A running `citebot run`.
pub struct BotProcess {
    child: Child,
    log: Arc<Mutex<String>>,
    readers: Vec<std::thread::JoinHandle<()>>,
    folder: tempfile::TempDir,
    log_filter: String,
    /// Command registrations the fake had seen when this process started: it is ready once it
    /// has made one more.
    registered_before: usize,
}

impl Drop for BotProcess {
    fn drop(&mut self) {
        // Already exited is fine; a kill that fails leaves nothing else to do in a destructor.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The repository's root (where `config.toml` and `knowledge/` are shipped).
pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

impl BotProcess {
    pub fn start(fake: &FakeDiscord, setup: &BotSetup) -> std::io::Result<BotProcess> {
        let folder = tempfile::Builder::new().prefix("citebot-e2e").tempdir()?;
        let knowledge = folder.path().join("knowledge");
        copy_folder(&repo_root().join("knowledge"), &knowledge)?;
        let config = folder.path().join("config.toml");
        std::fs::write(&config, config_text(fake, setup, &knowledge)?)?;
        let log = Arc::new(Mutex::new(String::new()));
        let (child, readers) = spawn(folder.path(), &config, &setup.log_filter, &log)?;
        Ok(BotProcess {
            child,
            log,
            readers,
            folder,
            log_filter: setup.log_filter.clone(),
            registered_before: registrations(fake),
        })
    }

    /// Kills the process (as a crash would) and starts `citebot run` again with the same folder
    /// and config; the log goes on in the same [`BotProcess::log`]. Then `wait_ready` again.
    pub fn restart(&mut self, fake: &FakeDiscord) -> std::io::Result<()> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        for reader in self.readers.drain(..) {
            let _ = reader.join();
        }
        self.registered_before = registrations(fake);
        let config = self.config_path();
        let (child, readers) = spawn(self.folder.path(), &config, &self.log_filter, &self.log)?;
        self.child = child;
        self.readers = readers;
        Ok(())
    }
}

/// How many times the fake has seen the slash commands registered.
fn registrations(fake: &FakeDiscord) -> usize {
    fake.calls()
        .iter()
        .filter(|c| c.is_command_registration())
        .count()
}

/// Starts `citebot run` in `folder` with `config`, its output collected into `log`.
fn spawn(
    folder: &Path,
    config: &Path,
    log_filter: &str,
    log: &Arc<Mutex<String>>,
) -> std::io::Result<(Child, Vec<std::thread::JoinHandle<()>>)> {
    let mut command = Command::new(env!("CARGO_BIN_EXE_citebot"));
    command
        .arg("--config")
        .arg(config)
        .arg("run")
        .current_dir(folder)
        .env("DISCORD_TOKEN", FAKE_TOKEN)
        .env("RUST_LOG", log_filter)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // The test's own environment must not reconfigure the bot behind the test's back.
    for (key, _) in std::env::vars() {
        if key.starts_with("CITEBOT_") {
            command.env_remove(key);
        }
    }
    let mut child = command.spawn()?;
    let mut readers = Vec::new();
    if let Some(out) = child.stdout.take() {
        readers.push(collect(out, Arc::clone(log)));
    }
    if let Some(err) = child.stderr.take() {
        readers.push(collect(err, Arc::clone(log)));
    }
    Ok((child, readers))
}

impl BotProcess {
    /// Waits until the bot is connected and has registered its slash commands, i.e. its READY
    /// handler ran. On timeout the panic message carries the bot's log.
    pub async fn wait_ready(&mut self, fake: &FakeDiscord, timeout: Duration) {
        let mut exited = None;
        let child = &mut self.child;
        let before = self.registered_before;
        let ready = fake
            .wait_until(timeout, || {
                // A bot that exited (bad config, broken knowledge) will not get ready: say so now.
                exited = child.try_wait().ok().flatten();
                exited.is_some() || registrations(fake) > before
            })
            .await;
        let connected = fake.wait_for_session(Duration::from_secs(1)).await;
        if !ready || exited.is_some() || !connected {
            if exited.is_some() {
                // The pipes are closed: let the readers finish the log.
                for reader in self.readers.drain(..) {
                    let _ = reader.join();
                }
            }
            panic!(
                "citebot run did not get ready within {timeout:?} (exited: {exited:?}, \
                 connected: {connected}); REST calls: {:?}\n--- bot log ---\n{}",
                fake.calls()
                    .iter()
                    .map(|c| format!("{} {} {}", c.method, c.path, c.status))
                    .collect::<Vec<_>>(),
                self.log()
            );
        }
    }

    /// Waits until the bot logs that shard `shard` is connected (its READY handler ran), for a
    /// bot that may never register commands (only the process holding shard 0 does). On timeout
    /// or exit the panic message carries the bot's log.
    pub async fn wait_shard_ready(&mut self, shard: u32, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        loop {
            if self.shard_ready_lines(shard) > 0 {
                return;
            }
            let exited = self.child.try_wait().ok().flatten();
            if exited.is_some() || Instant::now() >= deadline {
                if exited.is_some() {
                    // The pipes are closed: let the readers finish the log.
                    for reader in self.readers.drain(..) {
                        let _ = reader.join();
                    }
                }
                panic!(
                    "shard {shard} did not get ready within {timeout:?} (exited: {exited:?})\n\
                     --- bot log ---\n{}",
                    self.log()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// How many times the bot logged that shard `shard` connected (READY handled).
    pub fn shard_ready_lines(&self, shard: u32) -> usize {
        let field = format!("shard={shard} ");
        self.log()
            .lines()
            .filter(|line| line.contains("connected to Discord"))
            .filter(|line| format!("{line} ").contains(&field))
            .count()
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Everything the bot logged so far (stdout and stderr, interleaved by line).
    pub fn log(&self) -> String {
        lock(&self.log).clone()
    }

    /// Waits until the log contains `needle`.
    pub async fn wait_for_log(&self, needle: &str, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            if self.log().contains(needle) {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The temporary copy of the knowledge the bot serves (safe to edit).
    pub fn knowledge_dir(&self) -> PathBuf {
        self.folder.path().join("knowledge")
    }

    pub fn config_path(&self) -> PathBuf {
        self.folder.path().join("config.toml")
    }

    /// Resident memory in kB (VmRSS from /proc), if the process is alive.
    pub fn rss_kb(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).ok()?;
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|kb| kb.parse().ok())
    }

    /// Sends `signal` (e.g. "TERM", "HUP") with the `kill` command.
    pub fn signal(&self, signal: &str) -> std::io::Result<()> {
        let status = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.pid().to_string())
            .status()?;
        if status.success() {
            Ok(())
        } else {
            Err(std::io::Error::other(format!(
                "kill -{signal} {} failed: {status}",
                self.pid()
            )))
        }
    }

    /// Waits for the process to exit; `None` if it is still running after `timeout`.
    pub async fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                // Let the readers drain the last lines into the log.
                for reader in self.readers.drain(..) {
                    let _ = reader.join();
                }
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// Copies the lines of `stream` into `log` until it closes.
fn collect(
    stream: impl Read + Send + 'static,
    log: Arc<Mutex<String>>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            let mut log = lock(&log);
            log.push_str(&line);
            log.push('\n');
        }
    })
}

fn copy_folder(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name()))?;
        } else if kind.is_dir() {
            // knowledge/meaning: the bot reads questions as `citebot ask` does.
            copy_folder(&entry.path(), &to.join(entry.file_name()))?;
        }
    }
    Ok(())
}

/// The shipped `config.toml` with the test's settings in place of its own.
fn config_text(fake: &FakeDiscord, setup: &BotSetup, knowledge: &Path) -> std::io::Result<String> {
    let shipped = std::fs::read_to_string(repo_root().join("config.toml")).unwrap_or_default();
    let mut config: toml::Table = toml::from_str(&shipped).map_err(std::io::Error::other)?;
    let ids = |list: &[u64]| {
        toml::Value::Array(
            list.iter()
                .map(|id| toml::Value::Integer(i64::try_from(*id).unwrap_or(i64::MAX)))
                .collect(),
        )
    };
    let mut knowledge_table = toml::Table::new();
    knowledge_table.insert(
        "dir".into(),
        toml::Value::String(knowledge.display().to_string()),
    );
    config.insert("knowledge".into(), toml::Value::Table(knowledge_table));

    let mut discord = toml::Table::new();
    discord.insert("api_proxy".into(), fake.base_url().into());
    discord.insert("guild_ids".into(), ids(&setup.guild_ids));
    discord.insert("allowed_channels".into(), ids(&setup.allowed_channels));
    discord.insert("admin_role_ids".into(), ids(&setup.admin_role_ids));
    discord.insert("admin_user_ids".into(), ids(&setup.admin_user_ids));
    match setup.shards {
        None => {}
        Some(Shards::Auto) => {
            discord.insert("shards".into(), "auto".into());
        }
        Some(Shards::Range { first, last, total }) => {
            let range = [i64::from(first), i64::from(last)].map(toml::Value::Integer);
            discord.insert("shard_range".into(), toml::Value::Array(range.to_vec()));
            discord.insert("total_shards".into(), i64::from(total).into());
        }
    }
    config.insert("discord".into(), toml::Value::Table(discord));

    let (burst, refill, same_answer) = setup.cooldown.unwrap_or((0, 3.0, 0));
    let mut cooldown = toml::Table::new();
    cooldown.insert("user_burst".into(), i64::from(burst).into());
    cooldown.insert("user_refill_seconds".into(), refill.into());
    cooldown.insert(
        "same_answer_seconds".into(),
        i64::try_from(same_answer).unwrap_or(i64::MAX).into(),
    );
    config.insert("cooldown".into(), toml::Value::Table(cooldown));
    if let Some(listen) = &setup.metrics_listen {
        let mut metrics = toml::Table::new();
        metrics.insert("listen".into(), listen.clone().into());
        config.insert("metrics".into(), toml::Value::Table(metrics));
    }
    config.remove("log");
    toml::to_string(&config).map_err(std::io::Error::other)
}
