//! Turns citebot's platform-neutral [`Reply`] into a Discord [`Card`]: the same content as
//! `citebot ask`, dressed as one embed with "did you mean" buttons, or, under an answer, the
//! "helpful" / "not helpful" vote buttons.
//!
//! Nothing the reader typed is echoed: titles and lists are the curated questions, and the text
//! comes from the knowledge. (Allowed mentions are off anyway, see `card.rs`.)

use std::fmt::Write as _;

use super::card::{Button, Card, Embed};
use super::{buttons, vote};
use crate::reply::{Reply, SourceLine, Status, Suggestion};

/// Embed colours: answered, unsure, not in the article.
const GREEN: u32 = 0x2e7d32;
const AMBER: u32 = 0xf9a825;
const GREY: u32 = 0x757575;

/// "Did you mean" offers at most this many buttons (the "up to 3").
const AMBIGUOUS_BUTTONS: usize = 3;
/// "Not in the article" offers at most one row of closest questions.
const NO_MATCH_BUTTONS: usize = 5;

/// The reply to a question, as one message.
pub fn reply(reply: &Reply) -> Card {
    let mut card = match reply.status {
        Status::Answered => answered(reply),
        Status::Ambiguous => ambiguous(reply),
        Status::NoMatch => no_match(reply),
    };
    if reply.truncated {
        card.content = Some(
            "Your question was long, so I read only its beginning; ask a shorter one if this misses it."
                .to_string(),
        );
    }
    card.fit()
}

fn answered(reply: &Reply) -> Card {
    let fields = reply
        .excerpts
        .iter()
        .map(|excerpt| (excerpt.label.clone(), quote(&excerpt.text)))
        .collect();
    Card {
        embed: Some(Embed {
            title: Some(
                reply
                    .matched_question
                    .clone()
                    .unwrap_or_else(|| "Answer".to_string()),
            ),
            url: reply.source.url.clone(),
            description: reply.answer.clone().unwrap_or_default(),
            fields,
            footer: Some(footer(&reply.source)),
            colour: GREEN,
        }),
        buttons: reply
            .entry_id
            .as_deref()
            .map(vote::buttons)
            .unwrap_or_default(),
        ..Card::default()
    }
}

fn ambiguous(reply: &Reply) -> Card {
    let offered = &reply.suggestions[..reply.suggestions.len().min(AMBIGUOUS_BUTTONS)];
    let mut description =
        "Your question could mean more than one thing the article covers. Pick one:\n".to_string();
    list(&mut description, offered);
    offering("Did you mean…?", description, AMBER, reply, offered)
}

fn no_match(reply: &Reply) -> Card {
    let offered = &reply.suggestions[..reply.suggestions.len().min(NO_MATCH_BUTTONS)];
    let mut description = match &reply.not_in_article {
        // The curators know what is missing: say exactly that.
        Some(known) => format!(
            "{} I answer only from the article “{}”.",
            known.note, reply.source.title
        ),
        None if reply.asks_nothing() => format!(
            "There is no question in that. I answer questions about the article “{}”.",
            reply.source.title
        ),
        None => format!(
            "I answer only from the article “{}”, and it does not answer this.",
            reply.source.title
        ),
    };
    if offered.is_empty() {
        description.push_str(" Try /help to see what you can ask.");
    } else if reply.asks_nothing() {
        description.push_str("\n\nFor example:\n");
        list(&mut description, offered);
    } else {
        description.push_str("\n\nThe closest questions it does answer:\n");
        list(&mut description, offered);
    }
    let title = if reply.asks_nothing() {
        "Ask me about the article"
    } else {
        "The article doesn't answer that"
    };
    offering(title, description, GREY, reply, offered)
}

/// A card that offers questions as buttons (for `ambiguous` and `no_match`).
fn offering(
    title: &str,
    description: String,
    colour: u32,
    reply: &Reply,
    offered: &[Suggestion],
) -> Card {
    Card {
        embed: Some(Embed {
            title: Some(title.to_string()),
            url: None,
            description,
            fields: Vec::new(),
            footer: Some(footer(&reply.source)),
            colour,
        }),
        buttons: suggestion_buttons(offered),
        ..Card::default()
    }
}

fn list(out: &mut String, suggestions: &[Suggestion]) {
    for suggestion in suggestions {
        let _ = writeln!(out, "• {}", suggestion.question);
    }
}

fn suggestion_buttons(suggestions: &[Suggestion]) -> Vec<Button> {
    suggestions
        .iter()
        .filter_map(|s| {
            Some(Button {
                label: s.question.clone(),
                custom_id: buttons::answer_id(&s.entry_id)?,
            })
        })
        .collect()
}

/// A block quote: every line starts with `> `.
fn quote(text: &str) -> String {
    text.lines()
        .map(|line| format!("> {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// "Headline · Outlet · published", with the parts the knowledge knows.
pub fn footer(source: &SourceLine) -> String {
    [
        Some(source.title.as_str()),
        source.outlet.as_deref(),
        source.published.as_deref(),
    ]
    .into_iter()
    .flatten()
    .filter(|part| !part.is_empty())
    .collect::<Vec<_>>()
    .join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discord::limits;
    use crate::knowledge::Excerpt;

    const HEADLINE: &str =
        "Ukraine has captured two North Korean soldiers in Russia, Zelensky says";

    fn base(status: Status) -> Reply {
        Reply {
            question: "@everyone who captured them? <@&42>".to_string(),
            status,
            entry_id: None,
            score: 0.0,
            answer: None,
            matched_question: None,
            excerpts: Vec::new(),
            suggestions: Vec::new(),
            not_in_article: None,
            truncated: false,
            source: SourceLine {
                title: HEADLINE.to_string(),
                outlet: None,
                published: None,
                url: None,
            },
        }
    }

    fn answered_reply() -> Reply {
        Reply {
            entry_id: Some("capture".to_string()),
            score: 0.9,
            answer: Some("Ukraine captured two North Korean soldiers, Zelensky said.".to_string()),
            matched_question: Some("Who captured North Korean soldiers?".to_string()),
            excerpts: vec![Excerpt {
                text: "Ukraine has captured two North Korean soldiers".to_string(),
                paragraph: 1,
                label: "headline".to_string(),
            }],
            ..base(Status::Answered)
        }
    }

    fn suggestion(id: &str, question: &str) -> Suggestion {
        Suggestion {
            entry_id: id.to_string(),
            question: question.to_string(),
            score: 0.4,
        }
    }

    #[test]
    fn an_answer_is_one_embed_with_quoted_excerpts_and_the_headline() {
        let card = reply(&answered_reply());
        assert_eq!(card.content, None);
        let ids: Vec<_> = card.buttons.iter().map(|b| b.custom_id.as_str()).collect();
        assert_eq!(
            ids,
            ["citebot:vote:up:capture", "citebot:vote:down:capture"]
        );
        let embed = card.embed.unwrap();
        assert_eq!(
            embed.title.as_deref(),
            Some("Who captured North Korean soldiers?")
        );
        assert_eq!(
            embed.description,
            "Ukraine captured two North Korean soldiers, Zelensky said."
        );
        assert_eq!(
            embed.fields,
            [(
                "headline".to_string(),
                "> Ukraine has captured two North Korean soldiers".to_string()
            )]
        );
        assert_eq!(embed.footer.as_deref(), Some(HEADLINE));
    }

    #[test]
    fn the_readers_text_is_never_echoed() {
        for status in [Status::Answered, Status::Ambiguous, Status::NoMatch] {
            let mut r = if status == Status::Answered {
                answered_reply()
            } else {
                base(status)
            };
            r.suggestions = vec![suggestion("a", "What is this article?")];
            let card = reply(&r);
            let all = format!("{card:?}");
            assert!(!all.contains("@everyone"), "{status:?}: {all}");
            assert!(!all.contains("<@&42>"), "{status:?}: {all}");
        }
    }

    #[test]
    fn ambiguous_offers_at_most_three_buttons_that_answer_entries() {
        let mut r = base(Status::Ambiguous);
        r.suggestions = (0..5)
            .map(|i| suggestion(&format!("e{i}"), &format!("Question {i}?")))
            .collect();
        let card = reply(&r);
        assert_eq!(
            card.embed.as_ref().unwrap().title.as_deref(),
            Some("Did you mean…?")
        );
        assert_eq!(card.buttons.len(), 3);
        assert_eq!(card.buttons[0].label, "Question 0?");
        assert_eq!(buttons::entry_of(&card.buttons[2].custom_id), Some("e2"));
        assert!(card.embed.unwrap().description.contains("• Question 2?"));
    }

    #[test]
    fn no_match_says_so_and_offers_the_closest_questions() {
        let mut r = base(Status::NoMatch);
        let card = reply(&r);
        let description = card.embed.unwrap().description;
        assert!(
            description.contains("does not answer this"),
            "{description}"
        );
        assert!(description.contains("/help"), "{description}");
        assert!(card.buttons.is_empty());

        r.suggestions = vec![suggestion("born", "When was the sniper born?")];
        let card = reply(&r);
        assert!(
            card.embed
                .unwrap()
                .description
                .contains("• When was the sniper born?")
        );
        assert_eq!(card.buttons[0].custom_id, "citebot:answer:born");
    }

    #[test]
    fn nothing_asked_says_how_to_ask_not_that_the_article_is_silent() {
        let mut r = base(Status::NoMatch);
        r.question = "🙂 ?!".to_string();
        r.suggestions = vec![suggestion("capture", "What happened?")];
        let embed = reply(&r).embed.unwrap();
        assert_eq!(embed.title.as_deref(), Some("Ask me about the article"));
        assert!(
            embed
                .description
                .starts_with("There is no question in that.")
                && embed.description.contains("For example:\n• What happened?")
                && !embed.description.contains("does not answer"),
            "{}",
            embed.description
        );
    }

    #[test]
    fn a_question_known_not_to_be_in_the_article_gets_its_note() {
        let mut r = base(Status::NoMatch);
        r.not_in_article = Some(crate::reply::NotInArticleNote {
            id: "names".to_string(),
            note: "The article does not give the soldiers' names.".to_string(),
        });
        let description = reply(&r).embed.unwrap().description;
        assert!(
            description.starts_with("The article does not give the soldiers' names."),
            "{description}"
        );
        assert!(description.contains(HEADLINE), "{description}");
    }

    #[test]
    fn a_cut_question_is_mentioned() {
        let mut r = answered_reply();
        r.truncated = true;
        assert!(reply(&r).content.unwrap().contains("long"));
    }

    #[test]
    fn huge_knowledge_texts_still_fit() {
        let mut r = answered_reply();
        r.matched_question = Some("q".repeat(400));
        r.answer = Some("answer ".repeat(1000));
        r.excerpts = (0..30)
            .map(|i| Excerpt {
                text: "x".repeat(2000),
                paragraph: i + 3,
                label: format!("¶{}", i + 1),
            })
            .collect();
        let embed = reply(&r).embed.unwrap();
        assert!(limits::len(embed.title.as_deref().unwrap()) <= limits::TITLE);
        assert!(limits::len(&embed.description) <= limits::DESCRIPTION);
        assert!(
            embed
                .fields
                .iter()
                .all(|(_, v)| limits::len(v) <= limits::FIELD_VALUE)
        );
        assert!(embed.total() <= limits::EMBED_TOTAL);
        assert!(embed.description.ends_with('…'));

        let mut r = base(Status::Ambiguous);
        r.suggestions = vec![suggestion("long", &"why ".repeat(100))];
        let card = reply(&r);
        assert!(limits::len(&card.buttons[0].label) <= limits::BUTTON_LABEL);
    }

    #[test]
    fn footer_adds_known_source_parts_only() {
        let mut source = base(Status::NoMatch).source;
        assert_eq!(footer(&source), HEADLINE);
        source.outlet = Some("The Outlet".to_string());
        assert_eq!(footer(&source), format!("{HEADLINE} · The Outlet"));
    }
}
