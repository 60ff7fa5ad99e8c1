//! `/sources`: the article citebot answers from, and how its paragraphs are cited.

use serenity::all::{CommandInteraction, CreateCommand, Http};

use super::respond;
use crate::discord::bot::Bot;
use crate::discord::card::{Card, Embed};
use crate::engine::Snapshot;
use crate::knowledge::Article;

pub const NAME: &str = "sources";

pub fn register() -> CreateCommand {
    CreateCommand::new(NAME).description("The article citebot answers from, and how it cites it")
}

pub async fn run(bot: &Bot, http: &Http, command: &CommandInteraction) {
    respond(http, command, card(&bot.live.snapshot()), true).await;
}

pub fn card(snapshot: &Snapshot) -> Card {
    let knowledge = &snapshot.knowledge;
    let source = &knowledge.source;
    let article = &knowledge.article;
    let body_paragraphs = article.lines.len().saturating_sub(2);
    let mut facts = vec![("Headline".to_string(), article.headline().to_string())];
    if let Some(standfirst) = article.lines.get(1) {
        facts.push(("Standfirst".to_string(), standfirst.clone()));
    }
    for (name, value) in [
        ("Outlet", &source.outlet),
        ("Published", &source.published),
        ("Link", &source.url),
    ] {
        if let Some(value) = value {
            facts.push((name.to_string(), value.clone()));
        }
    }
    let last = Article::label(body_paragraphs + 2);
    let description = format!(
        "Every answer comes from this one article and quotes it word for word. Quotes are cited \
         as “headline”, “standfirst”, or by body paragraph: ¶1 to {last}.\n\n\
         The answers were written by people from the article; when it does not say something, \
         neither do I."
    );
    Card {
        embed: Some(Embed {
            title: Some(source.title.clone()),
            url: source.url.clone(),
            description,
            fields: facts,
            footer: Some(format!("Article checksum (SHA-256): {}", article.checksum)),
            colour: 0x1565c0,
        }),
        ..Card::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discord::commands::shipped;

    #[test]
    fn sources_show_the_article_and_how_it_is_cited() {
        let snapshot = shipped();
        let embed = card(&snapshot).fit().embed.unwrap();
        assert_eq!(
            embed.title.as_deref(),
            Some(snapshot.knowledge.source.title.as_str())
        );
        assert!(
            embed.description.contains("¶1 to ¶12"),
            "{}",
            embed.description
        );
        assert_eq!(
            embed.fields[0],
            (
                "Headline".to_string(),
                snapshot.knowledge.article.headline().to_string()
            )
        );
        assert!(embed.fields.iter().any(|(name, _)| name == "Standfirst"));
        // The shipped source has no outlet, date or link: none is invented.
        assert!(
            !embed
                .fields
                .iter()
                .any(|(name, _)| ["Outlet", "Published", "Link"].contains(&name.as_str()))
        );
    }
}
