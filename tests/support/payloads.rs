//! Builders for the JSON payloads a Discord sends: READY, GUILD_CREATE, messages and interactions,
//! complete enough that serenity's own model types accept them.
//!
//! serenity turns a known event whose payload misses a required field into `Event::Unknown`
//! without a word, which looks exactly like "the bot ignored it"; the unit tests in
//! `validate.rs` deserialize every builder's output with serenity's types to rule that out.

use serde_json::{Value, json};

use super::world::*;

/// The fixed time every fixture carries; nothing in citebot depends on it.
pub const TIMESTAMP: &str = "2025-01-01T12:00:00.000000+00:00";

/// Where an event comes from: who, in which channel, in the guild or in a DM.
#[derive(Debug, Clone, Copy)]
pub struct Origin {
    pub user: u64,
    pub channel_id: u64,
    /// `None` for a direct message.
    pub guild_id: Option<u64>,
}

impl Origin {
    /// `user` in the test guild's allowed channel.
    pub fn guild(user: u64) -> Origin {
        Origin {
            user,
            channel_id: CHANNEL_ID,
            guild_id: Some(GUILD_ID),
        }
    }

    /// `user` in a direct message with the bot.
    pub fn dm(user: u64) -> Origin {
        Origin {
            user,
            channel_id: dm_channel_id(user),
            guild_id: None,
        }
    }

    pub fn in_channel(self, channel_id: u64) -> Origin {
        Origin { channel_id, ..self }
    }
}

/// The DM channel between `user` and the bot.
pub fn dm_channel_id(user: u64) -> u64 {
    1_600_000_000_000_000_000 + user % 1_000_000
}

pub fn user(id: u64) -> Value {
    json!({
        "id": id.to_string(),
        "username": user_name(id),
        "discriminator": "0",
        "global_name": user_name(id),
        "avatar": null,
        "bot": id == BOT_ID,
        "public_flags": 0,
    })
}

/// A member as GUILD_CREATE lists it.
pub fn member(id: u64) -> Value {
    json!({
        "user": user(id),
        "roles": ids(&user_roles(id)),
        "nick": null,
        "joined_at": TIMESTAMP,
        "deaf": false,
        "mute": false,
        "flags": 0,
        "pending": false,
    })
}

/// A member as an interaction carries it: with the permissions Discord computed for the channel.
pub fn interaction_member(id: u64) -> Value {
    let mut m = member(id);
    m["permissions"] = json!(user_permissions(id).to_string());
    m
}

/// The member part of a guild MESSAGE_CREATE (no `user`: that is the message's `author`).
pub fn message_member(id: u64) -> Value {
    json!({
        "roles": ids(&user_roles(id)),
        "joined_at": TIMESTAMP,
        "deaf": false,
        "mute": false,
        "flags": 0,
    })
}

pub fn ready(session_id: &str, resume_gateway_url: &str, shard: Option<[u32; 2]>) -> Value {
    let mut ready = json!({
        "v": 10,
        "user": {
            "id": BOT_ID.to_string(),
            "username": BOT_NAME,
            "discriminator": "0",
            "global_name": null,
            "avatar": null,
            "bot": true,
            "verified": true,
            "mfa_enabled": false,
            "flags": 0,
        },
        "guilds": [{"id": GUILD_ID.to_string(), "unavailable": true}],
        "session_id": session_id,
        "resume_gateway_url": resume_gateway_url,
        "application": {"id": APP_ID.to_string(), "flags": 0},
        "private_channels": [],
        "relationships": [],
        "user_settings": {},
        "presences": [],
        "geo_ordered_rtc_regions": [],
        "guild_join_requests": [],
        "auth_session_id_hash": "fake",
    });
    if let Some(shard) = shard {
        ready["shard"] = json!(shard);
    }
    ready
}

pub fn role(id: u64, name: &str, permissions: u64, position: u16) -> Value {
    json!({
        "id": id.to_string(),
        "name": name,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
        "hoist": false,
        "icon": null,
        "unicode_emoji": null,
        "managed": false,
        "mentionable": false,
        "permissions": permissions.to_string(),
        "position": position,
        "flags": 0,
    })
}

pub fn text_channel(id: u64, name: &str, position: u16) -> Value {
    json!({
        "id": id.to_string(),
        "type": 0,
        "guild_id": GUILD_ID.to_string(),
        "name": name,
        "position": position,
        "permission_overwrites": [],
        "topic": null,
        "nsfw": false,
        "last_message_id": null,
        "rate_limit_per_user": 0,
        "parent_id": null,
        "flags": 0,
    })
}

/// The test guild, as GUILD_CREATE delivers it after READY.
pub fn guild_create() -> Value {
    json!({
        "id": GUILD_ID.to_string(),
        "name": GUILD_NAME,
        "icon": null,
        "splash": null,
        "discovery_splash": null,
        "owner_id": OWNER_ID.to_string(),
        "afk_channel_id": null,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "roles": [
            role(EVERYONE_ROLE_ID, "@everyone", MEMBER_PERMISSIONS, 0),
            role(ADMIN_ROLE_ID, "editors", ADMIN_PERMISSIONS, 1),
        ],
        "emojis": [],
        "features": [],
        "mfa_level": 0,
        "application_id": null,
        "system_channel_id": CHANNEL_ID.to_string(),
        "system_channel_flags": 0,
        "rules_channel_id": null,
        "vanity_url_code": null,
        "description": null,
        "banner": null,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": null,
        "nsfw_level": 0,
        "stickers": [],
        "premium_progress_bar_enabled": false,
        "joined_at": TIMESTAMP,
        "large": false,
        "unavailable": false,
        "member_count": 4,
        "voice_states": [],
        "members": [member(BOT_ID), member(OWNER_ID), member(MEMBER_ID), member(ADMIN_ID), member(OTHER_MEMBER_ID)],
        "channels": [
            text_channel(CHANNEL_ID, "ask-citebot", 0),
            text_channel(OTHER_CHANNEL_ID, "off-topic", 1),
        ],
        "threads": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    })
}

/// `content` as a message that mentions the bot first, the way Discord's client writes it.
pub fn mention_bot(content: &str) -> String {
    format!("<@{BOT_ID}> {content}")
}

/// A MESSAGE_CREATE payload for a reader's message. Users written as `<@id>` in `content` are
/// listed in `mentions`, as Discord does.
pub fn message_create(id: u64, from: Origin, content: &str) -> Value {
    let mentions: Vec<Value> = mentioned_users(content).into_iter().map(user).collect();
    let mut message = json!({
        "id": id.to_string(),
        "channel_id": from.channel_id.to_string(),
        "author": user(from.user),
        "content": content,
        "timestamp": TIMESTAMP,
        "edited_timestamp": null,
        "tts": false,
        // Discord only sets this when the author may ping everyone; plain readers may not.
        "mention_everyone": false,
        "mentions": mentions,
        "mention_roles": [],
        "mention_channels": [],
        "attachments": [],
        "embeds": [],
        "reactions": [],
        "pinned": false,
        "type": 0,
        "flags": 0,
        "components": [],
    });
    if let Some(guild_id) = from.guild_id {
        message["guild_id"] = json!(guild_id.to_string());
        message["member"] = message_member(from.user);
    }
    message
}

/// The message object the fake answers a `POST /channels/{id}/messages` (or a webhook call) with:
/// what the bot sent, completed with the fields Discord fills in.
pub fn message_from_body(id: u64, channel_id: u64, guild_id: Option<u64>, body: &Value) -> Value {
    let mut message = json!({
        "id": id.to_string(),
        "channel_id": channel_id.to_string(),
        "author": user(BOT_ID),
        "content": body.get("content").cloned().unwrap_or(json!("")),
        "timestamp": TIMESTAMP,
        "edited_timestamp": null,
        "tts": body.get("tts").cloned().unwrap_or(json!(false)),
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": body.get("embeds").map_or(json!([]), |e| complete_embeds(e.clone())),
        "components": body.get("components").cloned().unwrap_or(json!([])),
        "pinned": false,
        "type": 0,
        "flags": body.get("flags").cloned().unwrap_or(json!(0)),
    });
    if let Some(guild_id) = guild_id {
        message["guild_id"] = json!(guild_id.to_string());
    }
    if let Some(reference) = body.get("message_reference").filter(|r| !r.is_null()) {
        let mut reference = reference.clone();
        if reference.get("channel_id").is_none_or(Value::is_null) {
            reference["channel_id"] = json!(channel_id.to_string());
        }
        message["type"] = json!(19); // InlineReply
        message["message_reference"] = reference;
    }
    message
}

/// Embeds as Discord returns them: typed, with `inline` on every field.
fn complete_embeds(mut embeds: Value) -> Value {
    if let Some(list) = embeds.as_array_mut() {
        for embed in list {
            embed["type"] = json!("rich");
            if let Some(fields) = embed.get_mut("fields").and_then(Value::as_array_mut) {
                for field in fields {
                    if field.get("inline").is_none() {
                        field["inline"] = json!(false);
                    }
                }
            }
        }
    }
    embeds
}

/// An interaction's token. It names the channel, so the fake can answer the follow-ups and edits
/// made with it as messages in the right channel.
pub fn interaction_token(id: u64, from: Origin) -> String {
    format!("itoken-{id}-{}", from.channel_id)
}

/// The channel an [`interaction_token`] was made for.
pub fn channel_of_token(token: &str) -> Option<u64> {
    token.rsplit('-').next()?.parse().ok()
}

/// An INTERACTION_CREATE payload without its `data`: who, where, which token.
pub fn interaction(id: u64, token: &str, kind: u8, from: Origin, data: Value) -> Value {
    let mut interaction = json!({
        "id": id.to_string(),
        "application_id": APP_ID.to_string(),
        "type": kind,
        "data": data,
        "channel_id": from.channel_id.to_string(),
        "token": token,
        "version": 1,
        "locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {},
        "attachment_size_limit": 10_485_760,
        "app_permissions": ADMIN_PERMISSIONS.to_string(),
    });
    match from.guild_id {
        Some(guild_id) => {
            interaction["guild_id"] = json!(guild_id.to_string());
            interaction["guild_locale"] = json!("en-US");
            interaction["member"] = interaction_member(from.user);
            interaction["channel"] = json!({
                "id": from.channel_id.to_string(),
                "type": 0,
                "name": if from.channel_id == CHANNEL_ID { "ask-citebot" } else { "off-topic" },
                "guild_id": guild_id.to_string(),
                "permissions": user_permissions(from.user).to_string(),
            });
            interaction["context"] = json!(0);
        }
        None => {
            interaction["user"] = user(from.user);
            interaction["channel"] = json!({"id": from.channel_id.to_string(), "type": 1});
            interaction["context"] = json!(1);
        }
    }
    interaction
}

/// The `data` of an application command: `/name` with `options` (Discord's option objects).
pub fn command_data(command_id: u64, name: &str, options: Value, from: Origin) -> Value {
    let mut data = json!({
        "id": command_id.to_string(),
        "name": name,
        "type": 1,
        "options": options,
    });
    if let Some(guild_id) = from.guild_id {
        data["guild_id"] = json!(guild_id.to_string());
    }
    data
}

/// `/ask question:<question>`.
pub fn ask_options(question: &str) -> Value {
    json!([{"name": "question", "type": 3, "value": question}])
}

/// `/ask` while the reader is still typing `partial` into `question` (autocomplete).
pub fn ask_autocomplete_options(partial: &str) -> Value {
    json!([{"name": "question", "type": 3, "value": partial, "focused": true}])
}

/// `/<group> <subcommand>` with no options, e.g. `/kb reload`.
pub fn subcommand_options(subcommand: &str) -> Value {
    json!([{"name": subcommand, "type": 1, "options": []}])
}

/// `/kb teach question:<question> entry:<entry>`.
pub fn teach_options(question: &str, entry: &str) -> Value {
    json!([{"name": "teach", "type": 1, "options": [
        {"name": "question", "type": 3, "value": question},
        {"name": "entry", "type": 3, "value": entry},
    ]}])
}

/// `/kb teach` while the curator is still typing `partial` into `entry` (autocomplete).
pub fn teach_autocomplete_options(question: &str, partial: &str) -> Value {
    json!([{"name": "teach", "type": 1, "options": [
        {"name": "question", "type": 3, "value": question},
        {"name": "entry", "type": 3, "value": partial, "focused": true},
    ]}])
}

/// The `data` of a button press on a message.
pub fn button_data(custom_id: &str) -> Value {
    json!({"custom_id": custom_id, "component_type": 2})
}

/// The interaction type numbers.
pub const APPLICATION_COMMAND: u8 = 2;
pub const MESSAGE_COMPONENT: u8 = 3;
pub const AUTOCOMPLETE: u8 = 4;

/// A button press: `custom_id` on `message` (the full message the button is on).
pub fn button_press(id: u64, token: &str, from: Origin, custom_id: &str, message: Value) -> Value {
    let mut press = interaction(id, token, MESSAGE_COMPONENT, from, button_data(custom_id));
    press["message"] = message;
    press
}

/// The user ids written as `<@id>` or `<@!id>` in `content`.
pub fn mentioned_users(content: &str) -> Vec<u64> {
    let mut found = Vec::new();
    for piece in content.split("<@").skip(1) {
        let piece = piece.strip_prefix('!').unwrap_or(piece);
        if let Some((digits, _)) = piece.split_once('>')
            && let Ok(id) = digits.parse::<u64>()
            && !found.contains(&id)
        {
            found.push(id);
        }
    }
    found
}

fn ids(list: &[u64]) -> Vec<String> {
    list.iter().map(u64::to_string).collect()
}
