//! `/kb status`, `/kb reload` and `/kb teach`: the knowledge base, for the people who curate it.
//! Only members with Manage Server, or the roles and users listed in config, may use them; others
//! are told so. `teach` has its own module (`teach.rs`).

use std::time::SystemTime;

use serenity::all::{
    CommandInteraction, CommandOptionType, CreateCommand, CreateCommandOption, Http,
};

use super::{respond, teach};
use crate::curation::votes::Tally;
use crate::discord::bot::Bot;
use crate::discord::card::{Card, Embed};
use crate::discord::permissions::{Author, is_admin};
use crate::discord::reload::reload;
use crate::engine::{ReloadSummary, Snapshot};

pub const NAME: &str = "kb";
const STATUS: &str = "status";
const RELOAD: &str = "reload";

/// Told to members who may not use `/kb`.
pub const REFUSAL: &str = "Sorry, only server managers (Manage Server permission) and the roles or users set in citebot's config can use /kb.";

pub fn register() -> CreateCommand {
    CreateCommand::new(NAME)
        .description("citebot's knowledge base (server managers only)")
        .add_option(CreateCommandOption::new(
            CommandOptionType::SubCommand,
            STATUS,
            "Entries, article checksum, when it was loaded, the last reload error",
        ))
        .add_option(CreateCommandOption::new(
            CommandOptionType::SubCommand,
            RELOAD,
            "Re-read the knowledge folder now",
        ))
        .add_option(teach::subcommand())
}

/// Whether the member behind `command` may curate (use `/kb`).
pub fn may_curate(bot: &Bot, command: &CommandInteraction) -> bool {
    let member = command.member.as_deref();
    let author = Author {
        user: command.user.id,
        permissions: member.and_then(|m| m.permissions),
        roles: member.map_or(&[], |m| m.roles.as_slice()),
    };
    is_admin(author, &bot.discord)
}

pub async fn run(bot: &Bot, http: &Http, command: &CommandInteraction) {
    if !may_curate(bot, command) {
        tracing::info!(
            command = "kb",
            guild = command.guild_id.map_or(0, |g| g.get()),
            "refused: not an admin"
        );
        respond(http, command, Card::text(REFUSAL), true).await;
        return;
    }
    let sub = command.data.options.first().map(|o| o.name.as_str());
    let card = match sub {
        Some(teach::NAME) => return teach::run(bot, http, command).await,
        Some(RELOAD) => {
            let result = reload(&bot.live, "/kb reload").await;
            reloaded(&result)
        }
        _ => status(
            &bot.live.snapshot(),
            bot.live.last_error().as_deref(),
            &bot.curation.tallies(),
        ),
    };
    respond(http, command, card, true).await;
}

/// Entries shown under "Worst-rated answers" in `/kb status`.
const WORST: usize = 3;

/// `/kb status`; `votes` are the readers' votes per entry, worst first.
pub fn status(snapshot: &Snapshot, last_error: Option<&str>, votes: &[Tally]) -> Card {
    let knowledge = &snapshot.knowledge;
    let loaded_at = humantime::format_rfc3339_seconds(snapshot.loaded_at);
    let age = SystemTime::now()
        .duration_since(snapshot.loaded_at)
        .map(|d| {
            humantime::format_duration(std::time::Duration::from_secs(d.as_secs())).to_string()
        })
        .unwrap_or_else(|_| "just now".to_string());
    let mut fields = vec![
        ("Entries".to_string(), knowledge.entries.len().to_string()),
        (
            "Article checksum (SHA-256)".to_string(),
            format!("`{}`", knowledge.article.checksum),
        ),
        ("Loaded at".to_string(), format!("{loaded_at} ({age} ago)")),
        (
            "Folder".to_string(),
            format!("`{}`", knowledge.dir.display()),
        ),
    ];
    fields.push(("Worst-rated answers".to_string(), worst(votes)));
    fields.push((
        "Last reload error".to_string(),
        match last_error {
            Some(error) => code_block(error),
            None => "none".to_string(),
        },
    ));
    Card {
        embed: Some(Embed {
            title: Some("Knowledge base".to_string()),
            url: None,
            description: format!("Answering from “{}”.", knowledge.source.title),
            fields,
            footer: None,
            colour: 0x1565c0,
        }),
        ..Card::default()
    }
}

/// The entries with the lowest share of "helpful" votes (`citebot stats` lists them all).
fn worst(votes: &[Tally]) -> String {
    if votes.is_empty() {
        return "no votes yet".to_string();
    }
    votes
        .iter()
        .take(WORST)
        .map(|t| {
            format!(
                "`{}`: {} helpful, {} not helpful",
                t.entry, t.helpful, t.not_helpful
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The answer to `/kb reload`.
pub fn reloaded(result: &Result<ReloadSummary, String>) -> Card {
    match result {
        Ok(summary) => {
            let list = |ids: &[String]| {
                if ids.is_empty() {
                    "none".to_string()
                } else {
                    ids.join(", ")
                }
            };
            Card {
                embed: Some(Embed {
                    title: Some("Knowledge reloaded".to_string()),
                    url: None,
                    description: summary.to_string(),
                    fields: vec![
                        ("Added".to_string(), list(&summary.added)),
                        ("Removed".to_string(), list(&summary.removed)),
                        ("Changed".to_string(), list(&summary.changed)),
                    ],
                    footer: None,
                    colour: 0x2e7d32,
                }),
                ..Card::default()
            }
        }
        Err(diagnostics) => Card {
            embed: Some(Embed {
                title: Some("Reload refused: the knowledge has errors".to_string()),
                url: None,
                description: format!(
                    "The previous knowledge keeps serving. Fix these and reload (or run `citebot check`):\n{}",
                    code_block(diagnostics)
                ),
                fields: Vec::new(),
                footer: None,
                colour: 0xc62828,
            }),
            ..Card::default()
        },
    }
}

/// Text in a code block, cut so the closing fence survives the embed's limits.
pub(crate) fn code_block(text: &str) -> String {
    let body = crate::discord::limits::clip(text.trim(), 900).replace("```", "ʼʼʼ");
    format!("```\n{body}\n```")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discord::commands::shipped;

    fn text(card: &Card) -> String {
        let embed = card.embed.as_ref().unwrap();
        let fields: Vec<String> = embed
            .fields
            .iter()
            .map(|(n, v)| format!("{n}: {v}"))
            .collect();
        format!(
            "{:?}\n{}\n{}",
            embed.title,
            embed.description,
            fields.join("\n")
        )
    }

    #[test]
    fn status_shows_entries_checksum_load_time_and_last_error() {
        let snapshot = shipped();
        let clean = text(&status(&snapshot, None, &[]));
        assert!(
            clean.contains(&format!("Entries: {}", snapshot.knowledge.entries.len())),
            "{clean}"
        );
        assert!(
            clean.contains(&snapshot.knowledge.article.checksum),
            "{clean}"
        );
        assert!(clean.contains("Loaded at: 20"), "{clean}");
        assert!(clean.contains("Last reload error: none"), "{clean}");
        assert!(
            clean.contains("Worst-rated answers: no votes yet"),
            "{clean}"
        );
        let votes: Vec<Tally> = (0..5)
            .map(|i| Tally {
                entry: format!("entry-{i}"),
                helpful: i,
                not_helpful: 2,
            })
            .collect();
        let rated = text(&status(&snapshot, None, &votes));
        assert!(
            rated.contains("`entry-0`: 0 helpful, 2 not helpful\n`entry-1`"),
            "{rated}"
        );
        assert!(!rated.contains("entry-3"), "only the worst few: {rated}");
        let failed = status(&snapshot, Some("qa.toml:3:1: unclosed array ```"), &[]);
        let failed_text = text(&failed);
        assert!(
            failed_text.contains("qa.toml:3:1: unclosed array"),
            "{failed_text}"
        );
        assert_eq!(
            failed_text.matches("```").count(),
            2,
            "the error cannot break out of its block"
        );
        let fitted = failed.fit();
        assert!(fitted.embed.unwrap().total() <= crate::discord::limits::EMBED_TOTAL);
    }

    #[test]
    fn reload_results_say_what_changed_or_why_not() {
        let summary = ReloadSummary {
            added: vec!["new-entry".into()],
            removed: Vec::new(),
            changed: vec!["capture".into()],
            entries: 37,
        };
        let done = text(&reloaded(&Ok(summary)));
        assert!(
            done.contains("Added: new-entry") && done.contains("Changed: capture"),
            "{done}"
        );
        assert!(done.contains("Removed: none"), "{done}");
        let refused = text(&reloaded(&Err("qa.toml:9:1: duplicate id".into())));
        assert!(
            refused.contains("previous knowledge keeps serving"),
            "{refused}"
        );
        assert!(refused.contains("qa.toml:9:1: duplicate id"), "{refused}");
        let huge = reloaded(&Err("x".repeat(50_000))).fit();
        assert!(huge.embed.unwrap().total() <= crate::discord::limits::EMBED_TOTAL);
    }
}
