//! [`FakeDiscord`]: a Discord on 127.0.0.1 for tests, REST and gateway on one port.
//!
//! A bot reaches it through `api_proxy = "http://127.0.0.1:PORT"`: REST calls arrive as
//! `/api/v10/...` (handled in `rest.rs`), and `GET /api/v10/gateway` points the shards at
//! `ws://127.0.0.1:PORT`, served by `gateway.rs`. Tests drive it from here: dispatch events, ask
//! for a reconnect or drop connections, make a route answer 429, and wait for the REST calls the
//! bot makes.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::get;
use serde_json::Value;
use tokio::sync::Notify;

use super::gateway::{self, Gateway, GatewayFrame};
use super::payloads::{self, Origin};
use super::rest::{self, Call, RateLimit};

/// Shared by the server tasks and the test's handle.
pub(crate) struct Inner {
    pub base_url: String,
    pub ws_url: String,
    pub heartbeat_interval_ms: u64,
    pub calls: Mutex<Vec<Call>>,
    pub rate_limits: Mutex<Vec<RateLimit>>,
    pub gateway: Mutex<Gateway>,
    /// Frames the bot sent on the gateway, in order (heartbeats included).
    pub gateway_log: Mutex<Vec<GatewayFrame>>,
    /// Woken whenever a call or a gateway frame is recorded.
    pub changed: Notify,
    /// Messages the bot created (`POST /channels/{id}/messages`), counted apart for the load bench.
    pub messages_created: AtomicUsize,
    /// The `shards` that `GET /gateway/bot` recommends (what `shards = "auto"` starts).
    pub recommended_shards: AtomicU32,
    next_id: AtomicU64,
}

impl Inner {
    /// A fresh snowflake for a message or an interaction.
    pub fn next_id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::Relaxed)
    }
}

/// Locks `mutex`, shrugging off poisoning: a panicking test thread must not hide the real error.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A running fake Discord. Dropping it stops the server.
pub struct FakeDiscord {
    addr: SocketAddr,
    inner: Arc<Inner>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl FakeDiscord {
    /// Starts a fake on a free loopback port with Discord's usual heartbeat interval scaled down
    /// (5 s), so a dead connection is noticed within a test's patience.
    pub async fn start() -> std::io::Result<FakeDiscord> {
        FakeDiscord::start_with_heartbeat(Duration::from_secs(5)).await
    }

    pub async fn start_with_heartbeat(heartbeat: Duration) -> std::io::Result<FakeDiscord> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let inner = Arc::new(Inner {
            base_url: format!("http://{addr}"),
            ws_url: format!("ws://{addr}"),
            heartbeat_interval_ms: u64::try_from(heartbeat.as_millis()).unwrap_or(u64::MAX),
            calls: Mutex::new(Vec::new()),
            rate_limits: Mutex::new(Vec::new()),
            gateway: Mutex::new(Gateway::default()),
            gateway_log: Mutex::new(Vec::new()),
            changed: Notify::new(),
            messages_created: AtomicUsize::new(0),
            recommended_shards: AtomicU32::new(1),
            next_id: AtomicU64::new(1_700_000_000_000_000_001),
        });
        let app = Router::new()
            .route("/", get(gateway::upgrade))
            .fallback(rest::handle)
            .with_state(Arc::clone(&inner));
        let server = tokio::spawn(async move {
            // The server only stops when the test drops the fake (abort); an error here means
            // the listener broke, which the test then sees as missing calls.
            let _ = axum::serve(listener, app).await;
        });
        Ok(FakeDiscord {
            addr,
            inner,
            server,
        })
    }

    /// `http://127.0.0.1:PORT`: what a bot's `api_proxy` is set to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// `ws://127.0.0.1:PORT`: where `GET /gateway` sends the shards.
    pub fn ws_url(&self) -> &str {
        &self.inner.ws_url
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A fresh snowflake (for a question's message id, an interaction id...).
    pub fn next_id(&self) -> u64 {
        self.inner.next_id()
    }

    // ---- gateway ----

    /// Sends a dispatch (op 0) to the shard that owns `d.guild_id` (shard 0 for DMs), as Discord
    /// routes it, filtered by the shard's intents (see `intents.rs`). It is kept for replay, so a
    /// shard that resumes later still gets it. Returns its sequence number, or `None` when no
    /// shard has identified yet or its intents exclude the event.
    pub fn dispatch(&self, event: &str, d: Value) -> Option<u64> {
        let mut gateway = lock(&self.inner.gateway);
        gateway.dispatch(event, d)
    }

    /// A reader's message: MESSAGE_CREATE. Returns the message id.
    pub fn send_message(&self, from: Origin, content: &str) -> Option<u64> {
        let id = self.next_id();
        self.dispatch(
            "MESSAGE_CREATE",
            payloads::message_create(id, from, content),
        )?;
        Some(id)
    }

    /// An INTERACTION_CREATE of `kind` with `data`. Returns (interaction id, token).
    pub fn send_interaction(&self, kind: u8, from: Origin, data: Value) -> Option<(u64, String)> {
        let id = self.next_id();
        let token = payloads::interaction_token(id, from);
        let interaction = payloads::interaction(id, &token, kind, from, data);
        self.dispatch("INTERACTION_CREATE", interaction)?;
        Some((id, token))
    }

    /// `/name options...`, with the command id the bot registered for `name` if it did.
    pub fn send_command(&self, from: Origin, name: &str, options: Value) -> Option<(u64, String)> {
        let command_id = self.command_id(name).unwrap_or_else(|| self.next_id());
        let data = payloads::command_data(command_id, name, options, from);
        self.send_interaction(payloads::APPLICATION_COMMAND, from, data)
    }

    /// An autocomplete request for `/name` with the focused option in `options`.
    pub fn send_autocomplete(
        &self,
        from: Origin,
        name: &str,
        options: Value,
    ) -> Option<(u64, String)> {
        let command_id = self.command_id(name).unwrap_or_else(|| self.next_id());
        let data = payloads::command_data(command_id, name, options, from);
        self.send_interaction(payloads::AUTOCOMPLETE, from, data)
    }

    /// A press on the button `custom_id` of `message` (a full message object).
    pub fn press_button(
        &self,
        from: Origin,
        custom_id: &str,
        message: Value,
    ) -> Option<(u64, String)> {
        let id = self.next_id();
        let token = payloads::interaction_token(id, from);
        let press = payloads::button_press(id, &token, from, custom_id, message);
        self.dispatch("INTERACTION_CREATE", press)?;
        Some((id, token))
    }

    /// Sends op 7 RECONNECT on every open gateway connection.
    pub fn request_reconnect(&self) -> usize {
        lock(&self.inner.gateway).request_reconnect()
    }

    /// Drops every open gateway connection's TCP stream without a close frame.
    pub fn drop_connections(&self) -> usize {
        lock(&self.inner.gateway).drop_connections()
    }

    /// Open gateway connections right now.
    pub fn connections(&self) -> usize {
        lock(&self.inner.gateway).connections()
    }

    /// Makes `GET /gateway/bot` recommend `shards` shards (1 until told otherwise), as Discord
    /// does for a bot in many guilds. Set it before the bot starts.
    pub fn recommend_shards(&self, shards: u32) {
        self.inner
            .recommended_shards
            .store(shards.max(1), Ordering::Relaxed);
    }

    /// The `shard: [id, total]` of every IDENTIFY the bot sent, in order (`[0, 1]` when it sent
    /// none, as Discord assumes).
    pub fn identified_shards(&self) -> Vec<[u32; 2]> {
        self.gateway_frames(2)
            .iter()
            .map(|frame| gateway::shard_of(&frame.d))
            .collect()
    }

    /// The shard whose connected session gets `guild`'s events (`None` for DMs), i.e. where
    /// [`FakeDiscord::dispatch`] would send them now; `None` if no such shard is connected.
    pub fn shard_owning(&self, guild: Option<u64>) -> Option<[u32; 2]> {
        lock(&self.inner.gateway).shard_owning(guild)
    }

    /// Gateway frames the bot sent whose op is `op` (2 IDENTIFY, 6 RESUME, 1 heartbeat...).
    pub fn gateway_frames(&self, op: u64) -> Vec<GatewayFrame> {
        lock(&self.inner.gateway_log)
            .iter()
            .filter(|f| f.op == op)
            .cloned()
            .collect()
    }

    /// Waits until the bot has sent `count` gateway frames with `op`.
    pub async fn wait_for_gateway_op(&self, op: u64, count: usize, timeout: Duration) -> bool {
        self.wait_until(timeout, || self.gateway_frames(op).len() >= count)
            .await
    }

    /// Waits until some shard has identified (or resumed) and is connected, so dispatches reach it.
    pub async fn wait_for_session(&self, timeout: Duration) -> bool {
        self.wait_until(timeout, || lock(&self.inner.gateway).has_live_session())
            .await
    }

    // ---- REST ----

    /// Every REST call so far, in arrival order.
    pub fn calls(&self) -> Vec<Call> {
        lock(&self.inner.calls).clone()
    }

    pub fn calls_matching(&self, predicate: impl Fn(&Call) -> bool) -> Vec<Call> {
        lock(&self.inner.calls)
            .iter()
            .filter(|c| predicate(c))
            .cloned()
            .collect()
    }

    /// Messages the bot created so far (cheap; for the load bench).
    pub fn messages_created(&self) -> usize {
        self.inner.messages_created.load(Ordering::Relaxed)
    }

    /// Waits for the first recorded call (past or future) that satisfies `predicate`.
    pub async fn wait_for_call(
        &self,
        timeout: Duration,
        predicate: impl Fn(&Call) -> bool,
    ) -> Option<Call> {
        let mut found = None;
        self.wait_until(timeout, || {
            found = lock(&self.inner.calls)
                .iter()
                .find(|c| predicate(c))
                .cloned();
            found.is_some()
        })
        .await;
        found
    }

    /// Rate limits the route: the next call with `method` whose path contains `path_part` gets
    /// 429 with `retry_after` seconds, and so does every such call until that time has passed,
    /// as with an exhausted Discord bucket.
    pub fn rate_limit_next(&self, method: &str, path_part: &str, retry_after: f64) {
        lock(&self.inner.rate_limits).push(RateLimit {
            method: method.to_string(),
            path_part: path_part.to_string(),
            retry_after,
            started: None,
        });
    }

    /// The command id the bot registered for `name`, if it did.
    pub fn command_id(&self, name: &str) -> Option<u64> {
        lock(&self.inner.calls)
            .iter()
            .filter(|c| c.is_command_registration())
            .flat_map(|c| c.response.as_array().cloned().unwrap_or_default())
            .find(|command| command["name"] == name)
            .and_then(|command| command["id"].as_str()?.parse().ok())
    }

    /// Polls `done` until it holds or `timeout` passes, waking on every recorded call or frame.
    pub async fn wait_until(&self, timeout: Duration, mut done: impl FnMut() -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            let changed = self.inner.changed.notified();
            if done() {
                return true;
            }
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            // Also re-check on a short tick: some conditions change without a recorded call.
            let tick = (deadline - now).min(Duration::from_millis(100));
            let _ = tokio::time::timeout(tick, changed).await;
        }
    }
}
