//! The fake's REST API: the `/api/v10/...` routes a bot uses, each call recorded as a [`Call`].
//!
//! Answers are as complete as serenity needs to deserialize them. Anything not modelled here
//! gets Discord's 404 body, but is still recorded, so a test can see a bot calling something
//! unexpected. A route can be told to answer 429 (see [`RateLimit`]).

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::payloads::{self, channel_of_token};
use super::server::{Inner, lock};
use super::world::*;

/// One REST call the bot made, with the fake's answer.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    /// The full path, e.g. `/api/v10/channels/1/messages`.
    pub path: String,
    pub query: Option<String>,
    /// The JSON body (`Null` when there was none; a string when it was not JSON).
    pub body: Value,
    /// Whether an `Authorization: Bot ...` header came with it.
    pub bot_auth: bool,
    pub status: u16,
    pub response: Value,
    pub at: Instant,
}

impl Call {
    /// The path without `/api/v10`.
    pub fn route(&self) -> &str {
        self.path.strip_prefix("/api/v10").unwrap_or(&self.path)
    }

    pub fn is(&self, method: &str, route_prefix: &str) -> bool {
        self.method == method && self.route().starts_with(route_prefix)
    }

    /// A message the bot posted in `channel_id` (answered or rate limited).
    pub fn is_channel_message(&self, channel_id: u64) -> bool {
        self.method == "POST" && self.route() == format!("/channels/{channel_id}/messages")
    }

    /// The bot's response to the interaction `interaction_id`.
    pub fn is_callback(&self, interaction_id: u64) -> bool {
        self.method == "POST"
            && self
                .route()
                .starts_with(&format!("/interactions/{interaction_id}/"))
            && self.route().ends_with("/callback")
    }

    /// A follow-up or an edit of the response to the interaction with `token`.
    pub fn is_webhook_for(&self, token: &str) -> bool {
        self.route()
            .starts_with(&format!("/webhooks/{APP_ID}/{token}"))
    }

    pub fn is_command_registration(&self) -> bool {
        self.method == "PUT" && self.route().ends_with("/commands") && self.status == 200
    }

    pub fn succeeded(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// "The next call like this is rate limited for `retry_after` seconds": as with Discord's
/// buckets, every matching call within that window gets 429 with the time still to wait.
#[derive(Debug, Clone)]
pub struct RateLimit {
    pub method: String,
    pub path_part: String,
    pub retry_after: f64,
    /// When the first matching call hit the limit.
    pub started: Option<Instant>,
}

pub(crate) async fn handle(
    State(inner): State<Arc<Inner>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_string();
    let body_value = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&body)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into_owned()))
    };
    let bot_auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bot "));

    let (status, response, extra_headers) = match take_rate_limit(&inner, method.as_str(), &path) {
        Some(retry_after) => rate_limited(retry_after),
        None => {
            let (status, response) = route(&inner, &method, &path, &body_value);
            (status, response, Vec::new())
        }
    };

    let call = Call {
        method: method.to_string(),
        path,
        query: uri.query().map(str::to_string),
        body: body_value,
        bot_auth,
        status: status.as_u16(),
        response: response.clone(),
        at: Instant::now(),
    };
    if call.succeeded() && call.method == "POST" && call.route().starts_with("/channels/") {
        inner.messages_created.fetch_add(1, Ordering::Relaxed);
    }
    lock(&inner.calls).push(call);
    inner.changed.notify_waiters();

    let mut reply = if status == StatusCode::NO_CONTENT {
        status.into_response()
    } else {
        (status, axum::Json(response)).into_response()
    };
    for (name, value) in extra_headers {
        if let Ok(value) = HeaderValue::from_str(&value) {
            reply.headers_mut().insert(name, value);
        }
    }
    reply
}

/// The seconds still to wait if this call is rate limited; spent limits are removed.
fn take_rate_limit(inner: &Inner, method: &str, path: &str) -> Option<f64> {
    let mut limits = lock(&inner.rate_limits);
    let now = Instant::now();
    limits.retain(|l| {
        l.started
            .is_none_or(|started| now.duration_since(started).as_secs_f64() < l.retry_after)
    });
    let limit = limits
        .iter_mut()
        .find(|l| l.method == method && path.contains(&l.path_part))?;
    let started = *limit.started.get_or_insert(now);
    Some(limit.retry_after - now.duration_since(started).as_secs_f64())
}

type Answer = (StatusCode, Value, Vec<(&'static str, String)>);

/// Discord's 429: the JSON body and the headers its rate limiter sends.
fn rate_limited(retry_after: f64) -> Answer {
    let body = json!({
        "message": "You are being rate limited.",
        "retry_after": retry_after,
        "global": false,
    });
    let headers = vec![
        ("retry-after", format!("{}", retry_after.ceil() as u64)),
        ("x-ratelimit-limit", "5".to_string()),
        ("x-ratelimit-remaining", "0".to_string()),
        ("x-ratelimit-reset-after", format!("{retry_after:.3}")),
        ("x-ratelimit-bucket", "fake-bucket".to_string()),
        ("x-ratelimit-scope", "user".to_string()),
    ];
    (StatusCode::TOO_MANY_REQUESTS, body, headers)
}

/// Discord's answer to one call that was not rate limited.
fn route(inner: &Inner, method: &Method, path: &str, body: &Value) -> (StatusCode, Value) {
    let Some(rest) = path.strip_prefix("/api/v10/") else {
        return not_found();
    };
    let segments: Vec<&str> = rest.split('/').collect();
    let ok = |value: Value| (StatusCode::OK, value);
    match (method.as_str(), segments.as_slice()) {
        ("GET", ["gateway"]) => ok(json!({"url": inner.ws_url})),
        ("GET", ["gateway", "bot"]) => ok(json!({
            "url": inner.ws_url,
            "shards": inner.recommended_shards.load(Ordering::Relaxed),
            "session_start_limit": {
                "total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1
            },
        })),
        ("GET", ["oauth2", "applications", "@me"]) | ("GET", ["applications", "@me"]) => {
            ok(application())
        }
        ("GET", ["users", "@me"]) => ok(payloads::user(BOT_ID)),
        ("PUT", ["applications", _, "commands"])
        | ("PUT", ["applications", _, "guilds", _, "commands"]) => {
            ok(register_commands(inner, body, guild_of(&segments)))
        }
        ("POST", ["applications", _, "commands"])
        | ("POST", ["applications", _, "guilds", _, "commands"]) => {
            ok(command(inner, body, guild_of(&segments)))
        }
        ("GET", ["applications", _, "commands"])
        | ("GET", ["applications", _, "guilds", _, "commands"]) => ok(json!([])),
        ("POST", ["channels", channel, "messages"]) => match channel.parse::<u64>() {
            Ok(channel_id) => ok(payloads::message_from_body(
                inner.next_id(),
                channel_id,
                guild_of_channel(channel_id),
                body,
            )),
            Err(_) => not_found(),
        },
        ("PATCH", ["channels", channel, "messages", message]) => {
            match (channel.parse::<u64>(), message.parse::<u64>()) {
                (Ok(channel_id), Ok(message_id)) => ok(payloads::message_from_body(
                    message_id,
                    channel_id,
                    guild_of_channel(channel_id),
                    body,
                )),
                _ => not_found(),
            }
        }
        ("POST", ["channels", _, "typing"]) => (StatusCode::NO_CONTENT, Value::Null),
        ("DELETE", ["channels", _, "messages", _]) => (StatusCode::NO_CONTENT, Value::Null),
        ("POST", ["interactions", _, _, "callback"]) => (StatusCode::NO_CONTENT, Value::Null),
        ("POST", ["webhooks", _, token]) => {
            let channel_id = channel_of_token(token).unwrap_or(CHANNEL_ID);
            ok(payloads::message_from_body(
                inner.next_id(),
                channel_id,
                guild_of_channel(channel_id),
                body,
            ))
        }
        ("PATCH", ["webhooks", _, token, "messages", message])
        | ("GET", ["webhooks", _, token, "messages", message]) => {
            let id = message.parse::<u64>().unwrap_or_else(|_| inner.next_id());
            let channel_id = channel_of_token(token).unwrap_or(CHANNEL_ID);
            ok(payloads::message_from_body(
                id,
                channel_id,
                guild_of_channel(channel_id),
                body,
            ))
        }
        ("DELETE", ["webhooks", _, _, "messages", _]) => (StatusCode::NO_CONTENT, Value::Null),
        _ => not_found(),
    }
}

fn not_found() -> (StatusCode, Value) {
    (
        StatusCode::NOT_FOUND,
        json!({"message": "404: Not Found", "code": 0}),
    )
}

fn guild_of(segments: &[&str]) -> Option<u64> {
    match segments {
        ["applications", _, "guilds", guild, ..] => guild.parse().ok(),
        _ => None,
    }
}

fn guild_of_channel(channel_id: u64) -> Option<u64> {
    (channel_id == CHANNEL_ID || channel_id == OTHER_CHANNEL_ID).then_some(GUILD_ID)
}

/// `GET /oauth2/applications/@me`: the application, owned by the guild's owner.
fn application() -> Value {
    json!({
        "id": APP_ID.to_string(),
        "name": BOT_NAME,
        "icon": null,
        "description": "answers questions about one article",
        "bot_public": true,
        "bot_require_code_grant": false,
        "verify_key": "0".repeat(64),
        "owner": payloads::user(OWNER_ID),
        "team": null,
        "flags": 0,
        "summary": "",
        "bot": payloads::user(BOT_ID),
    })
}

/// `PUT .../commands`: Discord replaces the set and answers with the command objects.
fn register_commands(inner: &Inner, body: &Value, guild: Option<u64>) -> Value {
    let commands = body.as_array().cloned().unwrap_or_default();
    Value::Array(commands.iter().map(|c| command(inner, c, guild)).collect())
}

/// One command object as Discord returns it: the bot's definition plus ids and a version.
fn command(inner: &Inner, definition: &Value, guild: Option<u64>) -> Value {
    let mut command = definition.clone();
    let id = inner.next_id();
    command["id"] = json!(id.to_string());
    command["application_id"] = json!(APP_ID.to_string());
    command["version"] = json!(id.to_string());
    if command.get("type").is_none() {
        command["type"] = json!(1);
    }
    if command.get("description").is_none() {
        command["description"] = json!("");
    }
    if let Some(guild) = guild {
        command["guild_id"] = json!(guild.to_string());
    }
    command
}
