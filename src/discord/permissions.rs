//! Who may run `/kb status`, `/kb reload` and `/kb teach`, and where citebot answers at all.
//!
//! Admins are members whose permissions in the channel (as the interaction reports them,
//! overwrites included) hold Manage Server or Administrator, plus the roles and users listed in
//! `[discord]`. In a DM there is no member, so only listed users qualify.

use serenity::all::{ChannelId, Permissions, RoleId, UserId};

use crate::config::DiscordConfig;

/// What an interaction or message says about its author.
#[derive(Debug, Clone, Copy)]
pub struct Author<'a> {
    pub user: UserId,
    /// The member's permissions; `None` outside guilds.
    pub permissions: Option<Permissions>,
    pub roles: &'a [RoleId],
}

/// Whether `author` may use the knowledge-base commands.
pub fn is_admin(author: Author<'_>, config: &DiscordConfig) -> bool {
    let manages = author
        .permissions
        .is_some_and(|p| p.intersects(Permissions::MANAGE_GUILD | Permissions::ADMINISTRATOR));
    manages
        || config.admin_user_ids.contains(&author.user.get())
        || author
            .roles
            .iter()
            .any(|role| config.admin_role_ids.contains(&role.get()))
}

/// Whether citebot answers in this channel: always in DMs, in guilds only in
/// `allowed_channels` when that is set. A thread counts as its parent channel when the parent is
/// known.
pub fn channel_allowed(
    in_guild: bool,
    channel: ChannelId,
    parent: Option<ChannelId>,
    config: &DiscordConfig,
) -> bool {
    !in_guild
        || config.allowed_channels.is_empty()
        || config.allowed_channels.contains(&channel.get())
        || parent.is_some_and(|p| config.allowed_channels.contains(&p.get()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> DiscordConfig {
        DiscordConfig {
            admin_role_ids: vec![500],
            admin_user_ids: vec![42],
            allowed_channels: vec![10],
            ..DiscordConfig::default()
        }
    }

    fn member(user: u64, permissions: Permissions, roles: &[RoleId]) -> Author<'_> {
        Author {
            user: UserId::new(user),
            permissions: Some(permissions),
            roles,
        }
    }

    #[test]
    fn manage_server_or_administrator_may() {
        let config = config();
        assert!(is_admin(member(1, Permissions::MANAGE_GUILD, &[]), &config));
        assert!(is_admin(
            member(1, Permissions::ADMINISTRATOR, &[]),
            &config
        ));
        let both = Permissions::SEND_MESSAGES | Permissions::MANAGE_GUILD;
        assert!(is_admin(member(1, both, &[]), &config));
    }

    #[test]
    fn ordinary_members_may_not() {
        let config = config();
        let ordinary = Permissions::SEND_MESSAGES | Permissions::MANAGE_MESSAGES;
        assert!(!is_admin(member(1, ordinary, &[RoleId::new(7)]), &config));
        assert!(!is_admin(member(1, Permissions::empty(), &[]), &config));
    }

    #[test]
    fn listed_roles_and_users_may() {
        let config = config();
        let roles = [RoleId::new(7), RoleId::new(500)];
        assert!(is_admin(member(1, Permissions::empty(), &roles), &config));
        assert!(is_admin(member(42, Permissions::empty(), &[]), &config));
    }

    #[test]
    fn in_a_dm_only_listed_users_may() {
        let config = config();
        let dm = |user| Author {
            user: UserId::new(user),
            permissions: None,
            roles: &[],
        };
        assert!(is_admin(dm(42), &config));
        assert!(!is_admin(dm(1), &config));
    }

    #[test]
    fn allowed_channels_limit_guilds_only() {
        let config = config();
        let channel = ChannelId::new;
        assert!(channel_allowed(true, channel(10), None, &config));
        assert!(!channel_allowed(true, channel(11), None, &config));
        assert!(channel_allowed(
            true,
            channel(11),
            Some(channel(10)),
            &config
        ));
        assert!(channel_allowed(false, channel(11), None, &config));
        let everywhere = DiscordConfig::default();
        assert!(channel_allowed(true, channel(11), None, &everywhere));
    }
}
