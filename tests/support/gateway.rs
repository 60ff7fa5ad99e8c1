//! The fake's gateway: Discord's websocket protocol, as much of it as a bot's shards use.
//!
//! HELLO on connect; IDENTIFY (op 2) starts a session: READY, then GUILD_CREATE for the test guild
//! if it lives on that shard. Heartbeats (op 1) are acknowledged (op 11). Every dispatch is kept
//! with its sequence number, so RESUME (op 6) replays what the shard missed and ends with
//! RESUMED, as Discord does; an unknown session gets op 9. Tests can send op 7 RECONNECT or drop
//! the TCP connection without a close frame.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use serde_json::{Value, json};
use tokio::sync::mpsc;

use super::server::{Inner, lock};
use super::world::GUILD_ID;
use super::{intents, payloads};

/// One frame a bot sent on the gateway.
#[derive(Debug, Clone)]
pub struct GatewayFrame {
    /// Which connection it came on (1, 2, ... in connection order).
    pub connection: u64,
    pub op: u64,
    pub d: Value,
}

/// What the test side asks a connection's task to do.
enum Command {
    Send(String),
    /// Drop the TCP stream without a close frame.
    Drop,
}

struct Connection {
    sender: mpsc::UnboundedSender<Command>,
    session: Option<String>,
}

/// A gateway session: what IDENTIFY created and RESUME continues.
struct Session {
    shard: [u32; 2],
    seq: u64,
    /// Every dispatch of the session, for replay on RESUME.
    sent: Vec<(u64, String)>,
    connection: Option<u64>,
    /// Sessions replaced by a newer IDENTIFY of the same shard get no more dispatches.
    current: bool,
    /// The gateway intents the shard identified with.
    intents: u64,
}

#[derive(Default)]
pub(crate) struct Gateway {
    connections: HashMap<u64, Connection>,
    sessions: HashMap<String, Session>,
    next_connection: u64,
    next_session: u64,
}

impl Gateway {
    /// See [`super::FakeDiscord::dispatch`]; `None` when no shard takes the event (none
    /// connected yet, or its intents exclude it).
    pub fn dispatch(&mut self, event: &str, d: Value) -> Option<u64> {
        let guild = d
            .get("guild_id")
            .and_then(Value::as_str)
            .and_then(|g| g.parse::<u64>().ok());
        let (session_id, intents) = self
            .sessions
            .iter()
            .filter(|(_, s)| s.current && owns(s.shard, guild))
            .map(|(id, s)| (id.clone(), s.intents))
            .next()?;
        let d = intents::filter(event, d, intents)?;
        self.dispatch_to(&session_id, event, d)
    }

    fn dispatch_to(&mut self, session_id: &str, event: &str, d: Value) -> Option<u64> {
        let session = self.sessions.get_mut(session_id)?;
        session.seq += 1;
        let seq = session.seq;
        let frame = json!({"op": 0, "s": seq, "t": event, "d": d}).to_string();
        session.sent.push((seq, frame.clone()));
        if let Some(connection) = session.connection.and_then(|c| self.connections.get(&c)) {
            // A closed connection's task is gone; the frame stays for replay on RESUME.
            let _ = connection.sender.send(Command::Send(frame));
        }
        Some(seq)
    }

    /// See [`super::FakeDiscord::shard_owning`].
    pub fn shard_owning(&self, guild: Option<u64>) -> Option<[u32; 2]> {
        self.sessions
            .values()
            .find(|s| s.current && s.connection.is_some() && owns(s.shard, guild))
            .map(|s| s.shard)
    }

    pub fn request_reconnect(&self) -> usize {
        let frame = json!({"op": 7, "d": null}).to_string();
        self.connections
            .values()
            .filter(|c| c.sender.send(Command::Send(frame.clone())).is_ok())
            .count()
    }

    pub fn drop_connections(&self) -> usize {
        self.connections
            .values()
            .filter(|c| c.sender.send(Command::Drop).is_ok())
            .count()
    }

    pub fn connections(&self) -> usize {
        self.connections.len()
    }

    pub fn has_live_session(&self) -> bool {
        self.sessions
            .values()
            .any(|s| s.current && s.connection.is_some())
    }

    fn open(&mut self, sender: mpsc::UnboundedSender<Command>) -> u64 {
        self.next_connection += 1;
        let id = self.next_connection;
        self.connections.insert(
            id,
            Connection {
                sender,
                session: None,
            },
        );
        id
    }

    fn close(&mut self, connection: u64) {
        if let Some(closed) = self.connections.remove(&connection)
            && let Some(session) = closed.session.and_then(|s| self.sessions.get_mut(&s))
            && session.connection == Some(connection)
        {
            session.connection = None;
        }
    }

    fn send(&self, connection: u64, frame: Value) {
        if let Some(c) = self.connections.get(&connection) {
            let _ = c.sender.send(Command::Send(frame.to_string()));
        }
    }

    /// IDENTIFY: a new session for the shard, replacing any older one; READY and GUILD_CREATE.
    fn identify(&mut self, connection: u64, d: &Value, ws_url: &str) {
        let shard = shard_of(d);
        for session in self.sessions.values_mut() {
            if session.shard == shard {
                session.current = false;
            }
        }
        self.next_session += 1;
        let session_id = format!("fake-session-{}", self.next_session);
        self.sessions.insert(
            session_id.clone(),
            Session {
                shard,
                seq: 0,
                sent: Vec::new(),
                connection: Some(connection),
                current: true,
                intents: d["intents"].as_u64().unwrap_or(0),
            },
        );
        if let Some(c) = self.connections.get_mut(&connection) {
            c.session = Some(session_id.clone());
        }
        let shard_field = d.get("shard").map(|_| shard);
        let mut ready = payloads::ready(&session_id, ws_url, shard_field);
        // As on Discord, a shard's READY lists only the guilds that shard serves.
        if !owns(shard, Some(GUILD_ID)) {
            ready["guilds"] = json!([]);
        }
        self.dispatch_to(&session_id, "READY", ready);
        if owns(shard, Some(GUILD_ID)) {
            self.dispatch_to(&session_id, "GUILD_CREATE", payloads::guild_create());
        }
    }

    /// RESUME: replay what the shard missed, then RESUMED; op 9 if the session is unknown.
    fn resume(&mut self, connection: u64, d: &Value) {
        let session_id = d["session_id"].as_str().unwrap_or_default().to_string();
        let after = d["seq"].as_u64().unwrap_or(0);
        let Some(session) = self.sessions.get_mut(&session_id).filter(|s| s.current) else {
            self.send(connection, json!({"op": 9, "d": false}));
            return;
        };
        session.connection = Some(connection);
        let missed: Vec<String> = session
            .sent
            .iter()
            .filter(|(seq, _)| *seq > after)
            .map(|(_, frame)| frame.clone())
            .collect();
        if let Some(c) = self.connections.get_mut(&connection) {
            c.session = Some(session_id.clone());
            for frame in missed {
                let _ = c.sender.send(Command::Send(frame));
            }
        }
        self.dispatch_to(&session_id, "RESUMED", json!({}));
    }
}

/// Whether a shard receives a guild's events: `(guild_id >> 22) % total`, DMs on shard 0.
fn owns(shard: [u32; 2], guild: Option<u64>) -> bool {
    let [id, total] = shard;
    match guild {
        Some(guild) => (guild >> 22) % u64::from(total.max(1)) == u64::from(id),
        None => id == 0,
    }
}

pub(crate) fn shard_of(identify: &Value) -> [u32; 2] {
    let number = |i: usize| {
        identify["shard"][i]
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
    };
    match (number(0), number(1)) {
        (Some(id), Some(total)) => [id, total],
        _ => [0, 1],
    }
}

pub(crate) async fn upgrade(State(inner): State<Arc<Inner>>, ws: WebSocketUpgrade) -> Response {
    ws.max_message_size(16 << 20)
        .on_upgrade(move |socket| serve(socket, inner))
}

async fn serve(mut socket: WebSocket, inner: Arc<Inner>) {
    let (sender, mut commands) = mpsc::unbounded_channel();
    let connection = lock(&inner.gateway).open(sender);
    let hello = json!({"op": 10, "d": {"heartbeat_interval": inner.heartbeat_interval_ms}});
    if socket
        .send(Message::Text(hello.to_string().into()))
        .await
        .is_ok()
    {
        loop {
            tokio::select! {
                incoming = socket.recv() => match incoming {
                    Some(Ok(Message::Text(text))) => received(&inner, connection, text.as_str()),
                    Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                    Some(Ok(_)) => {}
                },
                command = commands.recv() => match command {
                    Some(Command::Send(frame)) => {
                        if socket.send(Message::Text(frame.into())).await.is_err() {
                            break;
                        }
                    }
                    Some(Command::Drop) | None => break,
                },
            }
        }
    }
    lock(&inner.gateway).close(connection);
    inner.changed.notify_waiters();
    // Dropping `socket` here closes the TCP stream; for `Command::Drop` that is the point.
}

/// Handles one frame from the bot.
fn received(inner: &Inner, connection: u64, text: &str) {
    let Ok(frame) = serde_json::from_str::<Value>(text) else {
        return;
    };
    let op = frame["op"].as_u64().unwrap_or(u64::MAX);
    let d = frame["d"].clone();
    {
        let mut gateway = lock(&inner.gateway);
        match op {
            1 => gateway.send(connection, json!({"op": 11})),
            2 => gateway.identify(connection, &d, &inner.ws_url),
            6 => gateway.resume(connection, &d),
            _ => {}
        }
    }
    lock(&inner.gateway_log).push(GatewayFrame { connection, op, d });
    inner.changed.notify_waiters();
}
