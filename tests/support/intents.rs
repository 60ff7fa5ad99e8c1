//! Gateway intents, applied to dispatches the way Discord applies them: a shard only receives
//! the events its IDENTIFY asked for, and without the privileged Message Content intent a guild
//! message reaches it with its content blanked unless it mentions the bot.
//!
//! Without this a bot that forgot an intent would pass every test here and hear nothing on
//! Discord.

use serde_json::{Value, json};

use super::world::BOT_ID;

pub const GUILDS: u64 = 1 << 0;
pub const GUILD_MEMBERS: u64 = 1 << 1;
pub const GUILD_PRESENCES: u64 = 1 << 8;
pub const GUILD_MESSAGES: u64 = 1 << 9;
pub const DIRECT_MESSAGES: u64 = 1 << 12;
pub const MESSAGE_CONTENT: u64 = 1 << 15;

/// The privileged intents, which a bot must switch on in the developer portal.
pub const PRIVILEGED: u64 = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT;

/// `d` as a shard with `intents` receives it, or `None` if it does not receive it at all.
pub fn filter(event: &str, mut d: Value, intents: u64) -> Option<Value> {
    match event {
        "GUILD_CREATE" | "GUILD_UPDATE" | "GUILD_DELETE" | "CHANNEL_CREATE" | "CHANNEL_UPDATE"
        | "CHANNEL_DELETE" | "GUILD_ROLE_CREATE" | "GUILD_ROLE_UPDATE" | "GUILD_ROLE_DELETE" => {
            (intents & GUILDS != 0).then_some(d)
        }
        "MESSAGE_CREATE" | "MESSAGE_UPDATE" | "MESSAGE_DELETE" => {
            let in_guild = d.get("guild_id").is_some_and(|g| !g.is_null());
            let needed = if in_guild {
                GUILD_MESSAGES
            } else {
                DIRECT_MESSAGES
            };
            if intents & needed == 0 {
                return None;
            }
            if in_guild && intents & MESSAGE_CONTENT == 0 && !mentions_bot(&d) {
                for (key, empty) in [
                    ("content", json!("")),
                    ("embeds", json!([])),
                    ("attachments", json!([])),
                    ("components", json!([])),
                ] {
                    if d.get(key).is_some() {
                        d[key] = empty;
                    }
                }
            }
            Some(d)
        }
        _ => Some(d),
    }
}

fn mentions_bot(message: &Value) -> bool {
    let bot = BOT_ID.to_string();
    message["mentions"]
        .as_array()
        .is_some_and(|users| users.iter().any(|u| u["id"] == bot.as_str()))
}
