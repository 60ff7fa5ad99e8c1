//! The slash commands: `/ask`, `/help`, `/sources`, `/kb` (its `teach` subcommand in `teach`).
//! Each has its own module with its registration and its handler; this one registers them all
//! and routes interactions to them.

pub mod ask;
pub mod help;
pub mod kb;
pub mod sources;
pub mod teach;

use serenity::all::{
    Command, CommandInteraction, CreateCommand, CreateInteractionResponse, GuildId, Http,
};

use super::bot::Bot;
use super::card::Card;
use super::send::{self, with_retry};

/// Every command citebot offers.
pub fn all() -> Vec<CreateCommand> {
    vec![
        ask::register(),
        help::register(),
        sources::register(),
        kb::register(),
    ]
}

/// Registers the commands in each of `guilds` (instant), or globally when there are none.
pub async fn register(http: &Http, guilds: &[u64]) -> serenity::Result<()> {
    if guilds.is_empty() {
        with_retry("register global commands", || {
            Command::set_global_commands(http, all())
        })
        .await?;
        tracing::info!(
            commands = all().len(),
            "registered the slash commands globally"
        );
    }
    for &guild in guilds {
        let guild = GuildId::new(guild);
        with_retry("register guild commands", || {
            guild.set_commands(http, all())
        })
        .await?;
        tracing::info!(
            guild = guild.get(),
            "registered the slash commands in a guild"
        );
    }
    Ok(())
}

/// Runs the command an interaction names.
pub async fn dispatch(bot: &Bot, http: &Http, command: &CommandInteraction) {
    match command.data.name.as_str() {
        ask::NAME => ask::run(bot, http, command).await,
        help::NAME => help::run(bot, http, command).await,
        sources::NAME => sources::run(bot, http, command).await,
        kb::NAME => kb::run(bot, http, command).await,
        other => {
            tracing::warn!(
                command = other,
                "an unknown command was invoked (stale registration?)"
            );
            let card = Card::text("I don't know that command any more; try `/help`.");
            respond(http, command, card, true).await;
        }
    }
}

/// Answers a command interaction with `card`.
pub async fn respond(
    http: &Http,
    command: &CommandInteraction,
    card: Card,
    ephemeral: bool,
) -> bool {
    let response = CreateInteractionResponse::Message(card.interaction(ephemeral));
    send::respond(http, command.id, &command.token, response).await
}

/// The shipped knowledge, for the commands' tests. Parsed without the matcher lints, so these
/// tests do not hinge on the matcher's calibration.
#[cfg(test)]
pub(crate) fn shipped() -> crate::engine::Snapshot {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
    match crate::knowledge::loader::parse(&dir) {
        Ok(knowledge) => {
            crate::engine::Snapshot::new(knowledge, &crate::matcher::MatchingConfig::default())
        }
        Err(error) => panic!("the shipped knowledge does not parse: {error:?}"),
    }
}

/// One field ("name" or "value") of each autocomplete choice, as Discord receives them.
#[cfg(test)]
pub(crate) fn choice_field(
    choices: &[serenity::all::AutocompleteChoice],
    field: &str,
) -> Vec<String> {
    serde_json::to_value(choices)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c[field].as_str().unwrap().to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_have_valid_names_and_descriptions() {
        let json = serde_json::to_value(all()).unwrap();
        for command in json.as_array().unwrap() {
            let name = command["name"].as_str().unwrap();
            assert!(
                (1..=32).contains(&name.len())
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '_' || c == '-'),
                "{name}"
            );
            let description = command["description"].as_str().unwrap();
            assert!(
                (1..=100).contains(&description.chars().count()),
                "{name}: {description}"
            );
        }
        let ask = &json[0];
        assert_eq!(ask["name"], "ask");
        assert_eq!(ask["options"][0]["name"], "question");
        assert_eq!(ask["options"][0]["autocomplete"], true);
        assert_eq!(ask["options"][0]["required"], true);
    }
}
