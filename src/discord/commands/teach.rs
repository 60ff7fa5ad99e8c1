//! `/kb teach question:<text> entry:<id>`: a curator adds a reader's question as a new phrasing
//! of an entry, from Discord. The work is the core's (`knowledge::teach`: checked, in place,
//! atomic, conflict-safe); this module reads the options, offers the entry ids as autocomplete,
//! and reports the outcome. `/kb` has already checked that the member may curate.

use serenity::all::{
    AutocompleteChoice, CommandDataOption, CommandDataOptionValue, CommandInteraction,
    CommandOptionType, CreateAutocompleteResponse, CreateCommandOption, CreateInteractionResponse,
    CreateInteractionResponseMessage, EditInteractionResponse, Http,
};

use super::kb::{code_block, may_curate};
use crate::discord::bot::Bot;
use crate::discord::card::{Card, Embed, no_mentions};
use crate::discord::limits;
use crate::discord::reload::reload;
use crate::discord::send::{self, with_retry};
use crate::engine::{ReloadSummary, Snapshot};
use crate::knowledge::teach::{self, Taught, TeachError};

pub const NAME: &str = "teach";
const QUESTION: &str = "question";
const ENTRY: &str = "entry";

/// The `teach` subcommand of `/kb`.
pub fn subcommand() -> CreateCommandOption {
    CreateCommandOption::new(
        CommandOptionType::SubCommand,
        NAME,
        "Add a question as a new phrasing of an entry (checked before qa.toml is written)",
    )
    .add_sub_option(
        CreateCommandOption::new(
            CommandOptionType::String,
            QUESTION,
            "The question as readers ask it",
        )
        .required(true),
    )
    .add_sub_option(
        CreateCommandOption::new(
            CommandOptionType::String,
            ENTRY,
            "The id of the entry that answers it",
        )
        .required(true)
        .set_autocomplete(true),
    )
}

/// Runs `/kb teach` for a member allowed to curate.
pub async fn run(bot: &Bot, http: &Http, command: &CommandInteraction) {
    let options = sub_options(command);
    let text = |name: &str| {
        options
            .iter()
            .find(|option| option.name == name)
            .and_then(|option| option.value.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let (question, entry) = (text(QUESTION), text(ENTRY));
    // Checking and reloading take longer than Discord's 3 s for a first answer.
    let defer =
        CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new().ephemeral(true));
    if !send::respond(http, command.id, &command.token, defer).await {
        return;
    }
    let dir = bot.live.dir().to_path_buf();
    let config = bot.live.snapshot().config.clone();
    let (taught_entry, taught_question) = (entry.clone(), question.clone());
    let taught = tokio::task::spawn_blocking(move || {
        teach::teach(&dir, &taught_entry, &taught_question, &config)
    })
    .await
    .unwrap_or_else(|error| {
        Err(TeachError::File {
            path: bot.live.dir().join(crate::knowledge::loader::QA_FILE),
            message: format!("the teach stopped unexpectedly: {error}"),
        })
    });
    let guild = command.guild_id.map_or(0, |g| g.get());
    let card = match taught {
        Ok(taught) => {
            tracing::info!(
                entry = %taught.entry,
                question = %taught.question,
                redone = taught.redone,
                backup = %taught.backup.display(),
                guild,
                "/kb teach added a phrasing to qa.toml"
            );
            let reloaded = reload(&bot.live, "/kb teach").await;
            done(&taught, &reloaded)
        }
        Err(error) => {
            tracing::info!(entry = %entry, %error, guild, "/kb teach refused");
            refused(&error)
        }
    };
    let card = card.fit();
    let mut edit = EditInteractionResponse::new().allowed_mentions(no_mentions());
    if let Some(content) = card.content {
        edit = edit.content(content);
    }
    if let Some(embed) = card.embed {
        edit = edit.embed(embed.build());
    }
    let edited = with_retry("edit the /kb teach response", || {
        command.edit_response(http, edit.clone())
    })
    .await;
    if let Err(error) = edited {
        tracing::error!(%error, "could not report the /kb teach outcome");
    }
}

/// Autocomplete for the `entry` option: entry ids, each with its main question.
pub async fn autocomplete(bot: &Bot, http: &Http, command: &CommandInteraction) {
    let typed = command
        .data
        .autocomplete()
        .map(|option| option.value)
        .unwrap_or_default();
    // Only curators see the ids; others will be refused when they send the command anyway.
    let choices = if may_curate(bot, command) {
        entry_choices(&bot.live.snapshot(), typed)
    } else {
        Vec::new()
    };
    let response = CreateInteractionResponse::Autocomplete(
        CreateAutocompleteResponse::new().set_choices(choices),
    );
    send::respond(http, command.id, &command.token, response).await;
}

/// Up to 25 entries whose id or main question holds what is typed: ids starting with it first.
pub fn entry_choices(snapshot: &Snapshot, typed: &str) -> Vec<AutocompleteChoice> {
    let typed = typed.trim().to_lowercase();
    let mut ranked: Vec<(u8, &str, &str)> = snapshot
        .knowledge
        .entries
        .iter()
        .filter_map(|entry| {
            let question = entry.questions.first().map_or("", String::as_str);
            let id = entry.id.to_lowercase();
            let rank = if id.starts_with(&typed) {
                0
            } else if id.contains(&typed) {
                1
            } else if question.to_lowercase().contains(&typed) {
                2
            } else {
                return None;
            };
            Some((rank, entry.id.as_str(), question))
        })
        .collect();
    // Stable: within a rank, the file's order.
    ranked.sort_by_key(|(rank, _, _)| *rank);
    ranked
        .into_iter()
        .filter(|(_, id, _)| limits::len(id) <= limits::CHOICE_VALUE)
        .take(limits::CHOICES)
        .map(|(_, id, question)| {
            let name = limits::clip(&format!("{id}: {question}"), limits::CHOICE_NAME);
            AutocompleteChoice::new(name, id.to_string())
        })
        .collect()
}

/// The options given to the subcommand.
fn sub_options(command: &CommandInteraction) -> &[CommandDataOption] {
    match command.data.options.first().map(|o| &o.value) {
        Some(CommandDataOptionValue::SubCommand(options)) => options,
        _ => &[],
    }
}

/// The answer when the phrasing was added.
pub fn done(taught: &Taught, reloaded: &Result<ReloadSummary, String>) -> Card {
    let mut description = format!(
        "“{}” is now a phrasing of `{}` in `{}` (previous version kept as `{}`).",
        taught.question,
        taught.entry,
        taught.qa_path.display(),
        taught.backup.display()
    );
    if taught.redone {
        description.push_str(
            "\nqa.toml was edited by someone else meanwhile: the phrasing was added on top of \
             their edit, which is kept.",
        );
    }
    let reload = match reloaded {
        Ok(summary) => format!("Knowledge reloaded: {summary}."),
        Err(diagnostics) => format!(
            "qa.toml was written, but the reload failed; the previous knowledge keeps serving:\n{}",
            code_block(diagnostics)
        ),
    };
    Card {
        embed: Some(Embed {
            title: Some("Phrasing added".to_string()),
            url: None,
            description: format!("{description}\n{reload}"),
            fields: Vec::new(),
            footer: None,
            colour: 0x2e7d32,
        }),
        ..Card::default()
    }
}

/// The answer when nothing was written.
pub fn refused(error: &TeachError) -> Card {
    let description = match error {
        TeachError::Refused(diagnostics) => format!(
            "`citebot check` refuses the edited knowledge, so qa.toml is unchanged. Pick another \
             entry, or reword the question (line numbers are those of qa.toml with the phrasing \
             added):\n{}",
            code_block(diagnostics)
        ),
        other => format!("qa.toml is unchanged: {other}"),
    };
    Card {
        embed: Some(Embed {
            title: Some("Not taught".to_string()),
            url: None,
            description,
            fields: Vec::new(),
            footer: None,
            colour: 0xc62828,
        }),
        ..Card::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discord::commands::shipped;

    fn values(choices: &[AutocompleteChoice]) -> Vec<String> {
        crate::discord::commands::choice_field(choices, "value")
    }

    #[test]
    fn entry_choices_are_ids_matching_what_is_typed() {
        let snapshot = shipped();
        let all = values(&entry_choices(&snapshot, ""));
        assert_eq!(
            all.len(),
            snapshot.knowledge.entries.len().min(limits::CHOICES)
        );
        let how = values(&entry_choices(&snapshot, "HOW_"));
        assert!(how.contains(&"how_many".to_string()), "{how:?}");
        assert!(how.iter().all(|id| id.starts_with("how_")), "{how:?}");
        assert!(entry_choices(&snapshot, "zzzz-nothing").is_empty());
        let json = serde_json::to_value(entry_choices(&snapshot, "")).unwrap();
        for choice in json.as_array().unwrap() {
            let name = choice["name"].as_str().unwrap();
            assert!(!name.is_empty() && limits::len(name) <= limits::CHOICE_NAME);
        }
    }

    #[test]
    fn a_refusal_shows_the_diagnostic_within_discord_limits() {
        let error = TeachError::Refused("qa.toml:12:5: collides with entry `capture`".into());
        let card = refused(&error).fit();
        let embed = card.embed.unwrap();
        assert!(embed.description.contains("collides with entry `capture`"));
        assert!(embed.description.contains("unchanged"));
        let huge = refused(&TeachError::Refused("x".repeat(20_000))).fit();
        assert!(huge.embed.unwrap().total() <= limits::EMBED_TOTAL);
    }
}
