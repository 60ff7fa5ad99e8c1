//! Checks that the fake's payloads are what serenity accepts: each builder's output is
//! deserialized with serenity's own model types, and each gateway frame must not come out as
//! `Event::Unknown` (serenity's silent fate for a payload missing a field).

use serde_json::{Value, json};
use serenity::all::{
    CreateActionRow, CreateAllowedMentions, CreateButton, CreateEmbed, CreateEmbedFooter,
    CreateMessage, MessageId,
};
use serenity::model::application::{
    Command, CommandDataOptionValue, ComponentInteractionDataKind, CurrentApplicationInfo,
    Interaction,
};
use serenity::model::channel::Message;
use serenity::model::event::{Event, GatewayEvent};
use serenity::model::gateway::Ready;
use serenity::model::guild::Guild;

use super::payloads::*;
use super::world::*;

fn parse<T: serde::de::DeserializeOwned>(what: &str, value: Value) -> T {
    match serde_json::from_value(value) {
        Ok(parsed) => parsed,
        Err(e) => panic!("serenity rejects the fake's {what}: {e}"),
    }
}

/// The dispatch frame as the gateway sends it must be a known event.
fn dispatch(event: &str, d: Value) -> Event {
    let frame = json!({"op": 0, "s": 1, "t": event, "d": d});
    match parse::<GatewayEvent>(event, frame) {
        GatewayEvent::Dispatch(1, Event::Unknown(unknown)) => {
            panic!("serenity reads the fake's {event} as an unknown event: {unknown:?}")
        }
        GatewayEvent::Dispatch(1, event) => event,
        other => panic!("not a dispatch: {other:?}"),
    }
}

#[test]
fn ready_has_what_serenity_needs() {
    let d = ready("s1", "ws://127.0.0.1:1", Some([0, 1]));
    let ready: Ready = parse("READY", d.clone());
    assert_eq!(ready.application.id.get(), APP_ID);
    assert_eq!(ready.user.id.get(), BOT_ID);
    assert_eq!(ready.session_id, "s1");
    assert!(matches!(dispatch("READY", d), Event::Ready(_)));
}

#[test]
fn guild_create_has_roles_channels_and_members() {
    let guild: Guild = parse("GUILD_CREATE", guild_create());
    assert_eq!(guild.id.get(), GUILD_ID);
    assert_eq!(guild.roles.len(), 2);
    assert_eq!(guild.channels.len(), 2);
    let admin = guild
        .members
        .values()
        .find(|m| m.user.id.get() == ADMIN_ID)
        .map(|m| m.roles.clone());
    assert_eq!(
        admin.map(|roles| roles.iter().map(|r| r.get()).collect::<Vec<_>>()),
        Some(vec![ADMIN_ROLE_ID])
    );
    assert!(
        guild.roles[&serenity::all::RoleId::new(ADMIN_ROLE_ID)]
            .permissions
            .manage_guild()
    );
    assert!(matches!(
        dispatch("GUILD_CREATE", guild_create()),
        Event::GuildCreate(_)
    ));
}

#[test]
fn guild_message_mentioning_the_bot() {
    let content = mention_bot("who captured them?");
    let d = message_create(42, Origin::guild(MEMBER_ID), &content);
    let message: Message = parse("MESSAGE_CREATE", d.clone());
    assert_eq!(message.content, content);
    assert_eq!(message.guild_id.map(|g| g.get()), Some(GUILD_ID));
    assert_eq!(message.channel_id.get(), CHANNEL_ID);
    assert!(message.mentions.iter().any(|u| u.id.get() == BOT_ID));
    assert!(message.member.is_some());
    assert!(matches!(
        dispatch("MESSAGE_CREATE", d),
        Event::MessageCreate(_)
    ));
}

#[test]
fn direct_message() {
    let d = message_create(43, Origin::dm(MEMBER_ID), "what happened?");
    let message: Message = parse("MESSAGE_CREATE", d.clone());
    assert!(message.guild_id.is_none());
    assert!(message.mentions.is_empty());
    assert!(matches!(
        dispatch("MESSAGE_CREATE", d),
        Event::MessageCreate(_)
    ));
}

#[test]
fn ask_command_in_guild_and_dm() {
    for from in [Origin::guild(MEMBER_ID), Origin::dm(MEMBER_ID)] {
        let data = command_data(7, "ask", ask_options("who captured them?"), from);
        let d = interaction(44, "tok", APPLICATION_COMMAND, from, data);
        let Interaction::Command(command) = parse::<Interaction>("/ask", d.clone()) else {
            panic!("/ask is not a command interaction");
        };
        assert_eq!(command.data.name, "ask");
        assert_eq!(command.user.id.get(), MEMBER_ID);
        assert_eq!(
            command.data.options[0].value,
            CommandDataOptionValue::String("who captured them?".into())
        );
        assert_eq!(command.member.is_some(), from.guild_id.is_some());
        assert!(matches!(
            dispatch("INTERACTION_CREATE", d),
            Event::InteractionCreate(_)
        ));
    }
}

#[test]
fn member_permissions_reach_the_interaction() {
    for (user, manage) in [(MEMBER_ID, false), (ADMIN_ID, true)] {
        let from = Origin::guild(user);
        let data = command_data(8, "kb", subcommand_options("reload"), from);
        let d = interaction(45, "tok", APPLICATION_COMMAND, from, data);
        let Interaction::Command(command) = parse::<Interaction>("/kb reload", d) else {
            panic!("/kb is not a command interaction");
        };
        let permissions = command.member.and_then(|m| m.permissions);
        assert_eq!(permissions.map(|p| p.manage_guild()), Some(manage));
        assert!(matches!(
            command.data.options[0].value,
            CommandDataOptionValue::SubCommand(_)
        ));
    }
}

#[test]
fn autocomplete_has_the_focused_option() {
    let from = Origin::guild(MEMBER_ID);
    let data = command_data(7, "ask", ask_autocomplete_options("who capt"), from);
    let d = interaction(46, "tok", AUTOCOMPLETE, from, data);
    let Interaction::Autocomplete(autocomplete) = parse::<Interaction>("autocomplete", d) else {
        panic!("not an autocomplete interaction");
    };
    let focused = autocomplete.data.autocomplete();
    assert_eq!(
        focused.map(|f| (f.name, f.value)),
        Some(("question", "who capt"))
    );
}

/// What serenity's builders send for a reply with an embed and buttons.
fn bot_reply_body() -> Value {
    let message = CreateMessage::new()
        .embed(
            CreateEmbed::new()
                .title("Who captured them?")
                .description("Ukrainian forces.")
                .field("¶1", "> quoted", false)
                .footer(CreateEmbedFooter::new("Headline")),
        )
        .components(vec![CreateActionRow::Buttons(vec![
            CreateButton::new("citebot:answer:capture").label("Who captured them?"),
        ])])
        .reference_message((
            serenity::all::ChannelId::new(CHANNEL_ID),
            MessageId::new(42),
        ))
        .allowed_mentions(CreateAllowedMentions::new());
    match serde_json::to_value(&message) {
        Ok(body) => body,
        Err(e) => panic!("cannot serialize a CreateMessage: {e}"),
    }
}

#[test]
fn rest_message_answer_is_a_full_message() {
    let body = bot_reply_body();
    let answer = message_from_body(99, CHANNEL_ID, Some(GUILD_ID), &body);
    let message: Message = parse("POST /channels/{id}/messages answer", answer.clone());
    assert_eq!(message.author.id.get(), BOT_ID);
    assert_eq!(message.embeds[0].fields[0].name, "¶1");
    assert_eq!(
        message
            .message_reference
            .and_then(|r| r.message_id)
            .map(|m| m.get()),
        Some(42)
    );
    assert_eq!(message.components.len(), 1);

    let press = button_press(
        47,
        "tok",
        Origin::guild(MEMBER_ID),
        "citebot:answer:capture",
        answer,
    );
    let Interaction::Component(component) = parse::<Interaction>("button press", press) else {
        panic!("not a component interaction");
    };
    assert_eq!(component.data.custom_id, "citebot:answer:capture");
    assert!(matches!(
        component.data.kind,
        ComponentInteractionDataKind::Button
    ));
    assert_eq!(component.message.id.get(), 99);
}

#[test]
fn application_info_and_commands() {
    let info: CurrentApplicationInfo = parse("application", {
        json!({
            "id": APP_ID.to_string(), "name": "citebot", "icon": null, "description": "",
            "bot_public": true, "bot_require_code_grant": false, "verify_key": "00",
            "owner": user(OWNER_ID), "flags": 0,
        })
    });
    assert_eq!(info.id.get(), APP_ID);
    let command: Command = parse(
        "command",
        json!({"id": "5", "type": 1, "application_id": APP_ID.to_string(), "name": "ask",
               "description": "Ask", "version": "5", "options": []}),
    );
    assert_eq!(command.name, "ask");
}

#[test]
fn mentions_are_found_in_content() {
    assert_eq!(
        mentioned_users(&format!("<@{BOT_ID}> hi <@!{MEMBER_ID}> <@{BOT_ID}>")),
        vec![BOT_ID, MEMBER_ID]
    );
    assert!(mentioned_users("@everyone what happened").is_empty());
}

#[test]
fn intents_decide_what_a_shard_hears() {
    use super::intents::*;
    let mention = message_create(50, Origin::guild(MEMBER_ID), &mention_bot("who?"));
    let plain = message_create(51, Origin::guild(MEMBER_ID), "!ask who?");
    let dm = message_create(52, Origin::dm(MEMBER_ID), "who?");
    let basic = GUILDS | GUILD_MESSAGES | DIRECT_MESSAGES;

    let heard = filter("MESSAGE_CREATE", mention.clone(), basic);
    assert_eq!(
        heard.map(|m| m["content"].clone()),
        Some(mention["content"].clone())
    );
    let blanked = filter("MESSAGE_CREATE", plain.clone(), basic);
    assert_eq!(blanked.map(|m| m["content"].clone()), Some(json!("")));
    let with_content = filter("MESSAGE_CREATE", plain, basic | MESSAGE_CONTENT);
    assert_eq!(
        with_content.map(|m| m["content"].clone()),
        Some(json!("!ask who?"))
    );
    assert!(filter("MESSAGE_CREATE", dm.clone(), GUILDS | GUILD_MESSAGES).is_none());
    assert!(filter("MESSAGE_CREATE", dm, GUILDS | DIRECT_MESSAGES).is_some());
    assert!(filter("MESSAGE_CREATE", mention, GUILDS | DIRECT_MESSAGES).is_none());
}

#[test]
fn an_interaction_token_names_its_channel() {
    let from = Origin::dm(MEMBER_ID);
    assert_eq!(
        channel_of_token(&interaction_token(9, from)),
        Some(from.channel_id)
    );
}
