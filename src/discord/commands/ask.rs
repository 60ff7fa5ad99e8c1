//! `/ask question:<text>`, with autocomplete: while the reader types, the known questions that
//! fit what is typed so far, best first (Discord shows at most 25).

use std::collections::HashSet;
use std::time::Instant;

use serenity::all::{
    AutocompleteChoice, CommandInteraction, CommandOptionType, CreateAutocompleteResponse,
    CreateCommand, CreateCommandOption, CreateInteractionResponse, Http,
};

use crate::discord::bot::Bot;
use crate::discord::card::Card;
use crate::discord::limits;
use crate::discord::permissions::channel_allowed;
use crate::discord::question::{Asked, Outcome, Plan, Via, earlier, slow_down};
use crate::discord::send::{self, Target};
use crate::engine::Snapshot;
use crate::reply::Reply;

pub const NAME: &str = "ask";
const QUESTION: &str = "question";

pub fn register() -> CreateCommand {
    CreateCommand::new(NAME)
        .description("Ask a question about the article; the answer quotes it")
        .add_option(
            CreateCommandOption::new(CommandOptionType::String, QUESTION, "Your question")
                .required(true)
                .set_autocomplete(true),
        )
}

pub async fn run(bot: &Bot, http: &Http, command: &CommandInteraction) {
    let question = command
        .data
        .options
        .iter()
        .find(|option| option.name == QUESTION)
        .and_then(|option| option.value.as_str())
        .unwrap_or_default()
        .to_string();
    let asked = Asked {
        via: Via::Slash,
        user: command.user.id,
        guild: command.guild_id,
        channel: command.channel_id,
        started: Instant::now(),
    };
    let target = Target::command(command);
    answer(bot, http, target, asked, |snapshot| {
        Some(snapshot.ask(&question))
    })
    .await;
}

/// Answers an interaction with the reply `make` builds from the current knowledge, after the
/// channel and cooldown checks. Shared by `/ask` and the "did you mean" buttons.
pub async fn answer(
    bot: &Bot,
    http: &Http,
    interaction: Target<'_>,
    asked: Asked,
    make: impl FnOnce(&Snapshot) -> Option<Reply>,
) {
    let ephemeral = |text: String| Card::text(text).interaction(true);
    let Some(_working) = bot.inflight.start() else {
        let notice = "citebot is restarting; please ask again in a moment.".to_string();
        interaction.respond(http, ephemeral(notice)).await;
        return;
    };
    if !channel_allowed(
        asked.guild.is_some(),
        asked.channel,
        interaction.parent,
        &bot.discord,
    ) {
        let notice = "I don't answer in this channel; ask in one of the channels set up for me, or send me a direct message.";
        interaction
            .respond(http, ephemeral(notice.to_string()))
            .await;
        return;
    }
    if let Err((wait, _)) = asked.admit(bot) {
        interaction.respond(http, ephemeral(slow_down(wait))).await;
        asked.log(None, Outcome::RateLimited);
        return;
    }
    let Some(reply) = make(&bot.live.snapshot()) else {
        let notice = "That question is no longer in my knowledge; please ask again with /ask.";
        interaction
            .respond(http, ephemeral(notice.to_string()))
            .await;
        return;
    };
    asked.record(bot, &reply);
    match asked.plan(bot, &reply) {
        Plan::Post(card) => {
            if interaction.respond(http, card.interaction(false)).await {
                // The answer's message names this interaction: a vote on it finds the question.
                bot.recent.remember(interaction.id.get(), &reply);
                asked.posted(bot, &reply, None);
                asked.log(Some(&reply), Outcome::Posted);
            } else {
                asked.failed(bot, &reply);
                asked.log(Some(&reply), Outcome::SendFailed);
            }
        }
        Plan::Recent { mut card, link } => {
            card.content = Some(format!(
                "{} Here it is again, just for you.",
                earlier(link.as_deref())
            ));
            let outcome = if interaction.respond(http, card.interaction(true)).await {
                Outcome::PointedToEarlier
            } else {
                Outcome::SendFailed
            };
            asked.log(Some(&reply), outcome);
        }
    }
}

/// Autocomplete for the `question` option.
pub async fn autocomplete(bot: &Bot, http: &Http, command: &CommandInteraction) {
    let typed = command
        .data
        .autocomplete()
        .map(|option| option.value)
        .unwrap_or_default();
    let choices = choices(&bot.live.snapshot(), typed);
    let response = CreateInteractionResponse::Autocomplete(
        CreateAutocompleteResponse::new().set_choices(choices),
    );
    send::respond(http, command.id, &command.token, response).await;
}

/// Up to 25 known questions for what is typed so far, best first, each cut to Discord's 100
/// characters; with nothing typed yet, the entries' main questions, as a menu.
pub fn choices(snapshot: &Snapshot, typed: &str) -> Vec<AutocompleteChoice> {
    let questions: Vec<String> = if typed.trim().is_empty() {
        snapshot
            .knowledge
            .entries
            .iter()
            .filter_map(|entry| entry.questions.first().cloned())
            .collect()
    } else {
        snapshot
            .complete(typed, limits::CHOICES)
            .into_iter()
            .map(|suggestion| suggestion.question)
            .collect()
    };
    let mut seen = HashSet::new();
    questions
        .into_iter()
        .map(|question| {
            let value = limits::clip(&question, limits::CHOICE_VALUE);
            (limits::clip(&question, limits::CHOICE_NAME), value)
        })
        .filter(|(name, value)| !name.is_empty() && seen.insert(value.clone()))
        .take(limits::CHOICES)
        .map(|(name, value)| AutocompleteChoice::new(name, value))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discord::commands::shipped;

    fn names(choices: &[AutocompleteChoice]) -> Vec<String> {
        crate::discord::commands::choice_field(choices, "name")
    }

    #[test]
    fn choices_fit_discord_and_follow_what_is_typed() {
        let snapshot = shipped();
        for typed in [
            "",
            "sni",
            "sniper born",
            "who captured",
            "zzzz",
            &"why ".repeat(300),
        ] {
            let choices = choices(&snapshot, typed);
            assert!(choices.len() <= limits::CHOICES, "{typed:?}");
            let json = serde_json::to_value(&choices).unwrap();
            for choice in json.as_array().unwrap() {
                let name = choice["name"].as_str().unwrap();
                let value = choice["value"].as_str().unwrap();
                assert!(!name.is_empty() && limits::len(name) <= limits::CHOICE_NAME);
                assert!(limits::len(value) <= limits::CHOICE_VALUE);
            }
            let names = names(&choices);
            let unique: HashSet<_> = names.iter().collect();
            assert_eq!(unique.len(), names.len(), "duplicate choices for {typed:?}");
        }
        let sniper = names(&choices(&snapshot, "sniper born"));
        assert!(
            sniper
                .first()
                .is_some_and(|q| q.to_lowercase().contains("born")),
            "{sniper:?}"
        );
        // Nothing typed yet: a menu of what can be asked.
        assert!(!choices(&snapshot, "").is_empty());
    }

    #[test]
    fn a_chosen_completion_is_answered_as_that_entry() {
        let snapshot = shipped();
        let typed = "who captured";
        let first = names(&choices(&snapshot, typed)).remove(0);
        let completed = snapshot.complete(typed, 1).remove(0);
        let reply = snapshot.ask(&first);
        assert_eq!(reply.entry_id.as_deref(), Some(completed.entry_id.as_str()));
    }
}
