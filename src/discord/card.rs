//! A message citebot is about to send, as plain data: text, at most one embed, buttons.
//!
//! Renderers build a [`Card`]; [`Card::fit`] cuts it to Discord's limits; only then is it turned
//! into serenity builders, each with allowed mentions set to none, so nothing citebot sends can
//! ping anyone whatever the text holds. Keeping the card plain data lets tests check the limits
//! and the mentions without Discord.

use serenity::all::{
    ButtonStyle, Colour, CreateActionRow, CreateAllowedMentions, CreateButton, CreateEmbed,
    CreateEmbedFooter, CreateInteractionResponseMessage, CreateMessage, Message, MessageReference,
};

use super::limits;

/// One message's worth of reply.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Card {
    /// Plain text above the embed.
    pub content: Option<String>,
    pub embed: Option<Embed>,
    pub buttons: Vec<Button>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Embed {
    pub title: Option<String>,
    pub url: Option<String>,
    pub description: String,
    /// (name, value) pairs, shown one under the other.
    pub fields: Vec<(String, String)>,
    pub footer: Option<String>,
    pub colour: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Button {
    pub label: String,
    pub custom_id: String,
}

/// Puts a fitted card's content, embed and buttons on one of serenity's message builders.
/// `CreateMessage` and `CreateInteractionResponseMessage` have these methods alike but share no
/// trait, hence a macro.
macro_rules! with_card {
    ($builder:expr, $card:expr) => {{
        let mut builder = $builder;
        if let Some(content) = $card.content.clone() {
            builder = builder.content(content);
        }
        if let Some(embed) = $card.embed.clone() {
            builder = builder.embed(embed.build());
        }
        if !$card.buttons.is_empty() {
            builder = builder.components(rows(&$card.buttons));
        }
        builder
    }};
}

impl Card {
    pub fn text(content: impl Into<String>) -> Card {
        Card {
            content: Some(content.into()),
            ..Card::default()
        }
    }

    /// Cuts every part to its limit, then the embed to its total: the last fields go first
    /// (they are the least important excerpts), then the description is shortened.
    pub fn fit(mut self) -> Card {
        self.content = self
            .content
            .map(|c| limits::clip(&c, limits::CONTENT))
            .filter(|c| !c.is_empty());
        if let Some(embed) = &mut self.embed {
            embed.fit();
        }
        self.buttons
            .truncate(limits::BUTTONS_PER_ROW * limits::ROWS);
        self.buttons
            .retain(|b| !b.custom_id.is_empty() && limits::len(&b.custom_id) <= limits::CUSTOM_ID);
        for button in &mut self.buttons {
            button.label = limits::clip(&button.label, limits::BUTTON_LABEL);
        }
        self
    }

    /// As a channel message replying to `question` (referenced, not pinged).
    pub fn message(self, question: Option<&Message>) -> CreateMessage {
        let card = self.fit();
        let mut message = CreateMessage::new().allowed_mentions(no_mentions());
        if let Some(question) = question {
            let mut reference = MessageReference::from(question);
            // A question deleted meanwhile still gets its answer, just without the link.
            reference.fail_if_not_exists = Some(false);
            message = message.reference_message(reference);
        }
        with_card!(message, card)
    }

    /// As an interaction response (a reply to a slash command or a button press).
    pub fn interaction(self, ephemeral: bool) -> CreateInteractionResponseMessage {
        let card = self.fit();
        let message = CreateInteractionResponseMessage::new()
            .allowed_mentions(no_mentions())
            .ephemeral(ephemeral);
        with_card!(message, card)
    }
}

impl Embed {
    fn fit(&mut self) {
        self.title = self
            .title
            .as_deref()
            .map(|t| limits::clip(t, limits::TITLE));
        self.description = limits::clip(&self.description, limits::DESCRIPTION);
        self.footer = self
            .footer
            .as_deref()
            .map(|f| limits::clip(f, limits::FOOTER));
        self.fields.truncate(limits::FIELDS);
        for (name, value) in &mut self.fields {
            *name = limits::clip(name, limits::FIELD_NAME);
            *value = limits::clip(value, limits::FIELD_VALUE);
        }
        while self.total() > limits::EMBED_TOTAL && !self.fields.is_empty() {
            self.fields.pop();
        }
        let excess = self.total().saturating_sub(limits::EMBED_TOTAL);
        if excess > 0 {
            let keep = limits::len(&self.description).saturating_sub(excess);
            self.description = limits::clip(&self.description, keep);
        }
    }

    /// The text Discord counts towards the 6000 total.
    pub fn total(&self) -> usize {
        self.title.as_deref().map_or(0, limits::len)
            + limits::len(&self.description)
            + self.footer.as_deref().map_or(0, limits::len)
            + self
                .fields
                .iter()
                .map(|(n, v)| limits::len(n) + limits::len(v))
                .sum::<usize>()
    }

    pub fn build(self) -> CreateEmbed {
        let mut embed = CreateEmbed::new()
            .description(self.description)
            .colour(Colour::new(self.colour));
        if let Some(title) = self.title {
            embed = embed.title(title);
        }
        if let Some(url) = self.url {
            embed = embed.url(url);
        }
        for (name, value) in self.fields {
            embed = embed.field(name, value, false);
        }
        if let Some(footer) = self.footer {
            embed = embed.footer(CreateEmbedFooter::new(footer));
        }
        embed
    }
}

/// Allowed mentions that allow none: no @everyone, @here, role or user ping, and no ping of the
/// author of a referenced message.
pub fn no_mentions() -> CreateAllowedMentions {
    CreateAllowedMentions::new().replied_user(false)
}

fn rows(buttons: &[Button]) -> Vec<CreateActionRow> {
    buttons
        .chunks(limits::BUTTONS_PER_ROW)
        .map(|row| {
            CreateActionRow::Buttons(
                row.iter()
                    .map(|b| {
                        CreateButton::new(b.custom_id.clone())
                            .label(b.label.clone())
                            .style(ButtonStyle::Secondary)
                    })
                    .collect(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;

    fn huge_card() -> Card {
        Card {
            content: Some("c".repeat(5000)),
            embed: Some(Embed {
                title: Some("t".repeat(1000)),
                url: None,
                description: "d".repeat(10_000),
                fields: (0..40)
                    .map(|i| (format!("¶{i}"), "v".repeat(3000)))
                    .collect(),
                footer: Some("f".repeat(5000)),
                colour: 0,
            }),
            buttons: (0..30)
                .map(|i| Button {
                    label: "l".repeat(200),
                    custom_id: format!("citebot:answer:{i}"),
                })
                .collect(),
        }
    }

    #[test]
    fn fit_respects_every_limit() {
        let card = huge_card().fit();
        assert!(limits::len(card.content.as_deref().unwrap()) <= limits::CONTENT);
        let embed = card.embed.unwrap();
        assert!(limits::len(embed.title.as_deref().unwrap()) <= limits::TITLE);
        assert!(limits::len(&embed.description) <= limits::DESCRIPTION);
        assert!(limits::len(embed.footer.as_deref().unwrap()) <= limits::FOOTER);
        assert!(embed.fields.len() <= limits::FIELDS);
        assert!(
            embed
                .fields
                .iter()
                .all(|(n, v)| limits::len(n) <= limits::FIELD_NAME
                    && limits::len(v) <= limits::FIELD_VALUE)
        );
        assert!(embed.total() <= limits::EMBED_TOTAL, "{}", embed.total());
        assert!(card.buttons.len() <= limits::BUTTONS_PER_ROW * limits::ROWS);
        assert!(
            card.buttons
                .iter()
                .all(|b| limits::len(&b.label) <= limits::BUTTON_LABEL)
        );
    }

    #[test]
    fn fit_drops_buttons_whose_id_would_not_fit() {
        let card = Card {
            buttons: vec![
                Button {
                    label: "ok".into(),
                    custom_id: "citebot:answer:short".into(),
                },
                Button {
                    label: "too long".into(),
                    custom_id: "x".repeat(101),
                },
            ],
            ..Card::default()
        }
        .fit();
        assert_eq!(card.buttons.len(), 1);
        assert_eq!(card.buttons[0].label, "ok");
    }

    #[test]
    fn buttons_go_five_to_a_row() {
        let json = serde_json::to_value(huge_card().message(None)).unwrap();
        let rows = json["components"].as_array().unwrap();
        assert_eq!(rows.len(), limits::ROWS);
        for row in rows {
            assert!(row["components"].as_array().unwrap().len() <= limits::BUTTONS_PER_ROW);
        }
    }

    fn assert_no_mentions(json: &Value) {
        let allowed = &json["allowed_mentions"];
        assert_eq!(allowed["parse"], serde_json::json!([]), "{json}");
        assert_eq!(allowed["users"], serde_json::json!([]), "{json}");
        assert_eq!(allowed["roles"], serde_json::json!([]), "{json}");
        assert_eq!(allowed["replied_user"], serde_json::json!(false), "{json}");
    }

    #[test]
    fn every_builder_allows_no_mentions() {
        let card = Card::text("@everyone @here <@123> <@&456>");
        assert_no_mentions(&serde_json::to_value(card.clone().message(None)).unwrap());
        assert_no_mentions(&serde_json::to_value(card.clone().interaction(false)).unwrap());
        assert_no_mentions(&serde_json::to_value(card.interaction(true)).unwrap());
    }

    #[test]
    fn a_reply_references_the_question_without_pinging_its_author() {
        let question: Message = serde_json::from_value(serde_json::json!({
            "id": "900", "channel_id": "20", "guild_id": "10",
            "author": {"id": "30", "username": "reader", "discriminator": "0", "global_name": null, "avatar": null},
            "content": "<@1> @everyone who captured them?", "timestamp": "2024-12-28T10:00:00+00:00",
            "edited_timestamp": null, "tts": false, "mention_everyone": false, "mentions": [],
            "mention_roles": [], "attachments": [], "embeds": [], "pinned": false, "type": 0
        }))
        .unwrap();
        let json = serde_json::to_value(Card::text("answer").message(Some(&question))).unwrap();
        assert_eq!(json["message_reference"]["message_id"], "900");
        assert_eq!(json["message_reference"]["channel_id"], "20");
        assert_eq!(json["message_reference"]["fail_if_not_exists"], false);
        assert_no_mentions(&json);
    }

    #[test]
    fn ephemeral_sets_the_flag() {
        let json = serde_json::to_value(Card::text("x").interaction(true)).unwrap();
        assert_eq!(json["flags"], serde_json::json!(64));
    }
}
