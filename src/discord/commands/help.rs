//! `/help`: what citebot does, how to ask it, and where its answers come from.

use serenity::all::{CommandInteraction, CreateCommand, Http};

use super::respond;
use crate::discord::bot::Bot;
use crate::discord::card::{Card, Embed};
use crate::engine::Snapshot;

pub const NAME: &str = "help";

pub fn register() -> CreateCommand {
    CreateCommand::new(NAME)
        .description("What citebot does, how to ask it, and where its answers come from")
}

pub async fn run(bot: &Bot, http: &Http, command: &CommandInteraction) {
    let card = card(&bot.live.snapshot(), bot.discord.prefix());
    respond(http, command, card, true).await;
}

/// The help card; `prefix` is shown when prefix commands are on.
pub fn card(snapshot: &Snapshot, prefix: Option<&str>) -> Card {
    let source = &snapshot.knowledge.source;
    let mut ways = String::from(
        "• `/ask` and type your question (suggestions appear as you type)\n\
         • mention me: `@citebot who captured the soldiers?`\n\
         • send me a direct message",
    );
    if let Some(prefix) = prefix {
        ways.push_str(&format!("\n• start a message with `{prefix}`"));
    }
    let examples: Vec<String> = snapshot
        .knowledge
        .entries
        .iter()
        .filter_map(|entry| entry.questions.first())
        .take(3)
        .map(|q| format!("• {q}"))
        .collect();
    let description = format!(
        "I answer questions about one news article, “{}”, from answers curated by people, and I \
         quote the article's own words for every answer, citing the paragraph (¶1, ¶2, …).\n\n\
         When the article does not answer a question, I say so and suggest questions it does \
         answer. I never guess.",
        source.title
    );
    Card {
        embed: Some(Embed {
            title: Some("citebot: questions about one article".to_string()),
            url: source.url.clone(),
            description,
            fields: vec![
                ("How to ask".to_string(), ways),
                ("For example".to_string(), examples.join("\n")),
                (
                    "Sources".to_string(),
                    "`/sources` shows the article and how its paragraphs are cited.".to_string(),
                ),
            ]
            .into_iter()
            .filter(|(_, value)| !value.is_empty())
            .collect(),
            footer: Some(source.title.clone()),
            colour: 0x1565c0,
        }),
        ..Card::default()
    }
}

/// A one-line nudge for a mention without a question.
pub fn hint(snapshot: &Snapshot) -> String {
    format!(
        "Ask me a question about the article “{}”, e.g. `@citebot who captured the soldiers?`, or use `/ask`. `/help` says more.",
        snapshot.knowledge.source.title
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discord::commands::shipped;

    #[test]
    fn help_says_how_to_ask_and_where_answers_come_from() {
        let snapshot = shipped();
        let card = card(&snapshot, None).fit();
        let embed = card.embed.unwrap();
        let all = format!("{}\n{:?}", embed.description, embed.fields);
        assert!(all.contains(&snapshot.knowledge.source.title), "{all}");
        assert!(all.contains("/ask") && all.contains("mention") && all.contains("direct message"));
        assert!(all.contains("never guess"), "{all}");
        assert!(!all.contains("!ask"), "the prefix is off");
        let with_prefix = format!("{:?}", card_with_prefix(&snapshot));
        assert!(with_prefix.contains("`!ask`"), "{with_prefix}");
    }

    fn card_with_prefix(snapshot: &Snapshot) -> Card {
        card(snapshot, Some("!ask"))
    }
}
