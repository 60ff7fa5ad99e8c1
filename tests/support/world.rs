//! The fixed little Discord world every test lives in: one application (the bot), one guild with
//! two text channels, a plain member, an admin and the owner.
//!
//! Ids are constants so a test's config (`guild_ids`, `allowed_channels`, `admin_role_ids`) and the
//! payloads the fake dispatches agree without passing values around.

/// The application id; as on Discord, the bot user has the same id.
pub const APP_ID: u64 = 1_100_000_000_000_000_001;
pub const BOT_ID: u64 = APP_ID;
pub const BOT_NAME: &str = "citebot";

pub const GUILD_ID: u64 = 1_200_000_000_000_000_001;
pub const GUILD_NAME: &str = "Newsroom";

/// The channel the tests' configs allow.
pub const CHANNEL_ID: u64 = 1_300_000_000_000_000_001;
/// A channel the tests' configs leave out of `allowed_channels`.
pub const OTHER_CHANNEL_ID: u64 = 1_300_000_000_000_000_002;

/// `@everyone` has the guild's id, as on Discord.
pub const EVERYONE_ROLE_ID: u64 = GUILD_ID;
/// A role holding Manage Server.
pub const ADMIN_ROLE_ID: u64 = 1_400_000_000_000_000_001;

pub const OWNER_ID: u64 = 1_500_000_000_000_000_001;
/// A reader without any special permission.
pub const MEMBER_ID: u64 = 1_500_000_000_000_000_002;
/// A reader holding the admin role (Manage Server).
pub const ADMIN_ID: u64 = 1_500_000_000_000_000_003;
/// A second plain reader, for per-user cooldowns.
pub const OTHER_MEMBER_ID: u64 = 1_500_000_000_000_000_004;

/// VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | READ_MESSAGE_HISTORY | USE_APPLICATION_COMMANDS.
pub const MEMBER_PERMISSIONS: u64 = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 16) | (1 << 31);
/// Discord's MANAGE_GUILD ("Manage Server") bit.
pub const MANAGE_GUILD: u64 = 1 << 5;
pub const ADMIN_PERMISSIONS: u64 = MEMBER_PERMISSIONS | MANAGE_GUILD;

/// Everything the test users are called, by id.
pub fn user_name(id: u64) -> &'static str {
    match id {
        BOT_ID => BOT_NAME,
        OWNER_ID => "owner",
        MEMBER_ID => "reader",
        ADMIN_ID => "editor",
        OTHER_MEMBER_ID => "reader2",
        _ => "someone",
    }
}

/// The roles a test user holds in the guild (besides `@everyone`).
pub fn user_roles(id: u64) -> Vec<u64> {
    match id {
        ADMIN_ID | OWNER_ID => vec![ADMIN_ROLE_ID],
        _ => Vec::new(),
    }
}

/// The permissions Discord computes for a test user in the test channels.
pub fn user_permissions(id: u64) -> u64 {
    if user_roles(id).contains(&ADMIN_ROLE_ID) {
        ADMIN_PERMISSIONS
    } else {
        MEMBER_PERMISSIONS
    }
}
