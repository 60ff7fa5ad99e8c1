//! Reading what the bot sent: the text, buttons and allowed mentions of a message body, whether
//! it came as `POST /channels/{id}/messages` or inside an interaction callback's `data`.

use serde_json::Value;

/// The message part of a body: the body itself, or an interaction callback's `data`.
pub fn message_of(body: &Value) -> &Value {
    match body.get("data") {
        Some(data) if body.get("type").is_some() => data,
        _ => body,
    }
}

/// All visible text of a message: content, then each embed's title, description, fields and
/// footer, one a line, with Markdown escapes removed.
pub fn text_of(body: &Value) -> String {
    let message = message_of(body);
    let mut parts: Vec<String> = Vec::new();
    let mut push = |value: &Value| {
        if let Some(text) = value.as_str() {
            parts.push(text.to_string());
        }
    };
    push(&message["content"]);
    for embed in message["embeds"].as_array().into_iter().flatten() {
        push(&embed["title"]);
        push(&embed["description"]);
        for field in embed["fields"].as_array().into_iter().flatten() {
            push(&field["name"]);
            push(&field["value"]);
        }
        push(&embed["footer"]["text"]);
    }
    parts.join("\n").replace('\\', "")
}

/// Whether `text`'s words appear, in order, in `haystack` (line breaks and quote markers such as
/// "> " may sit between them when a renderer wraps or quotes a passage).
pub fn contains_passage(haystack: &str, text: &str) -> bool {
    let flatten = |s: &str| {
        s.split_whitespace()
            .filter(|w| *w != ">")
            .collect::<Vec<_>>()
            .join(" ")
    };
    flatten(haystack).contains(&flatten(text))
}

/// The buttons of a message, as (label, custom_id).
pub fn buttons_of(body: &Value) -> Vec<(String, String)> {
    let message = message_of(body);
    message["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter(|c| c["type"] == 2)
        .map(|b| {
            (
                b["label"].as_str().unwrap_or_default().to_string(),
                b["custom_id"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// Whether the message pings nobody: `allowed_mentions` present with `parse` empty and no users
/// or roles listed.
pub fn pings_nobody(body: &Value) -> bool {
    let mentions = &message_of(body)["allowed_mentions"];
    let empty = |key: &str| {
        mentions
            .get(key)
            .is_none_or(|v| v.as_array().is_some_and(Vec::is_empty))
    };
    mentions.is_object()
        && mentions["parse"].as_array().is_some_and(Vec::is_empty)
        && empty("users")
        && empty("roles")
        && mentions.get("replied_user").is_none_or(|v| v == false)
}

/// Discord's EPHEMERAL message flag.
pub const EPHEMERAL: u64 = 1 << 6;

pub fn is_ephemeral(body: &Value) -> bool {
    message_of(body)["flags"]
        .as_u64()
        .is_some_and(|flags| flags & EPHEMERAL != 0)
}

/// Whether `value` is the snowflake `id` (Discord writes ids as strings; accept numbers too).
pub fn is_id(value: &Value, id: u64) -> bool {
    value.as_u64() == Some(id) || value.as_str().and_then(|s| s.parse().ok()) == Some(id)
}

/// Whether the message replies to (references) the message `id`.
pub fn references(body: &Value, id: u64) -> bool {
    is_id(&message_of(body)["message_reference"]["message_id"], id)
}
