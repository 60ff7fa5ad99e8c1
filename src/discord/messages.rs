//! Questions asked in messages: a mention of the bot (`@citebot who captured them?`), any direct
//! message, and, when switched on, a prefix (`!ask ...`). Answered like `/ask`, as a reply that
//! references the question without pinging its author.

use std::time::Instant;

use serenity::all::{ChannelId, Http, Message, Route, UserId};

use super::bot::Bot;
use super::card::Card;
use super::commands::help;
use super::direct;
use super::permissions::channel_allowed;
use super::question::{Asked, Outcome, Plan, Via, earlier, slow_down};
use super::send::with_retry;

/// Answers `message` if it is a question for citebot; ignores it otherwise.
pub async fn on_message(bot: &Bot, http: &Http, message: &Message) {
    if message.author.bot || message.webhook_id.is_some() {
        return;
    }
    let Some(me) = bot.me() else { return };
    if message.author.id == me {
        return;
    }
    let in_guild = message.guild_id.is_some();
    let Some((via, question)) = question_in(&message.content, me, in_guild, bot.discord.prefix())
    else {
        return;
    };
    if !channel_allowed(in_guild, message.channel_id, None, &bot.discord) {
        tracing::debug!(
            channel = message.channel_id.get(),
            "not an allowed channel; ignored"
        );
        return;
    }
    let Some(_working) = bot.inflight.start() else {
        return;
    };
    let asked = Asked {
        via,
        user: message.author.id,
        guild: message.guild_id,
        channel: message.channel_id,
        started: Instant::now(),
    };
    if let Err((wait, notify)) = asked.admit(bot) {
        if notify {
            let _ = send(http, message, Card::text(slow_down(wait))).await;
        }
        asked.log(None, Outcome::RateLimited);
        return;
    }
    let snapshot = bot.live.snapshot();
    if question.is_empty() {
        let _ = send(http, message, Card::text(help::hint(&snapshot))).await;
        return;
    }
    let reply = snapshot.ask(&question);
    asked.record(bot, &reply);
    match asked.plan(bot, &reply) {
        Plan::Post(card) => match send(http, message, card).await {
            Ok(posted) => {
                bot.recent.remember(posted.id.get(), &reply);
                let link = posted.id.link(posted.channel_id, message.guild_id);
                asked.posted(bot, &reply, Some(link));
                asked.log(Some(&reply), Outcome::Posted);
            }
            Err(()) => {
                asked.failed(bot, &reply);
                asked.log(Some(&reply), Outcome::SendFailed);
            }
        },
        Plan::Recent { link, .. } => {
            let outcome = match send(http, message, Card::text(earlier(link.as_deref()))).await {
                Ok(_) => Outcome::PointedToEarlier,
                Err(()) => Outcome::SendFailed,
            };
            asked.log(Some(&reply), outcome);
        }
    }
}

/// Posts `card` in the question's channel as a non-pinging reply to it.
async fn send(http: &Http, question: &Message, card: Card) -> Result<Message, ()> {
    let channel: ChannelId = question.channel_id;
    let builder = card.message(Some(question));
    let route = Route::ChannelMessages {
        channel_id: channel,
    };
    let sent = match direct::post(http, "send message", route, &builder).await {
        Some(Ok(body)) => serde_json::from_slice(&body).map_err(serenity::Error::from),
        Some(Err(error)) => Err(error),
        None => {
            with_retry("send message", || {
                channel.send_message(http, builder.clone())
            })
            .await
        }
    };
    sent.map_err(|error| {
        tracing::error!(%error, channel = channel.get(), "could not send a reply");
    })
}

/// The question in a message's text, and how it was asked, if the message is meant for
/// citebot: it mentions the bot, or is a DM, or starts with the prefix.
pub fn question_in(
    content: &str,
    me: UserId,
    in_guild: bool,
    prefix: Option<&str>,
) -> Option<(Via, String)> {
    let mentions = [format!("<@{me}>"), format!("<@!{me}>")];
    if mentions.iter().any(|m| content.contains(m.as_str())) {
        let question = mentions
            .iter()
            .fold(content.to_string(), |text, m| text.replace(m.as_str(), " "));
        let via = if in_guild { Via::Mention } else { Via::Dm };
        return Some((via, tidy(&question)));
    }
    if let Some(prefix) = prefix
        && let Some(rest) = strip_prefix(content.trim_start(), prefix)
    {
        return Some((Via::Prefix, tidy(rest)));
    }
    (!in_guild).then(|| (Via::Dm, tidy(content)))
}

/// `text` without `prefix` (any case), when the prefix is a whole word at its start.
fn strip_prefix<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    let rest = &text[prefix.len()..];
    (head.eq_ignore_ascii_case(prefix)
        && (rest.is_empty() || rest.starts_with(char::is_whitespace)))
    .then_some(rest)
}

/// Collapses the gaps a removed mention leaves.
fn tidy(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const ME: UserId = UserId::new(1234);

    #[test]
    fn a_mention_is_a_question_without_the_mention() {
        assert_eq!(
            question_in("<@1234> who captured them?", ME, true, None),
            Some((Via::Mention, "who captured them?".to_string()))
        );
        assert_eq!(
            question_in("so <@!1234>, when was the sniper born", ME, true, None),
            Some((Via::Mention, "so , when was the sniper born".to_string()))
        );
    }

    #[test]
    fn other_mentions_and_plain_guild_messages_are_not_for_citebot() {
        assert_eq!(
            question_in("<@999> who captured them?", ME, true, None),
            None
        );
        assert_eq!(question_in("who captured them?", ME, true, None), None);
        assert_eq!(question_in("<@12345> hi", ME, true, None), None);
    }

    #[test]
    fn a_dm_is_a_question_as_it_is() {
        assert_eq!(
            question_in("  who captured\nthem? ", ME, false, None),
            Some((Via::Dm, "who captured them?".to_string()))
        );
        assert_eq!(
            question_in("<@1234> who?", ME, false, None),
            Some((Via::Dm, "who?".to_string()))
        );
    }

    #[test]
    fn the_prefix_works_only_when_on_and_as_a_whole_word() {
        let on = Some("!ask");
        assert_eq!(
            question_in("!ask who captured them?", ME, true, on),
            Some((Via::Prefix, "who captured them?".to_string()))
        );
        assert_eq!(
            question_in("!ASK who?", ME, true, on),
            Some((Via::Prefix, "who?".to_string()))
        );
        assert_eq!(question_in("!asking who?", ME, true, on), None);
        assert_eq!(question_in("!ask who?", ME, true, None), None);
        assert_eq!(question_in("!a", ME, true, on), None);
        // Multi-byte text right at the prefix's length must not panic.
        assert_eq!(question_in("!aé who?", ME, true, on), None);
    }

    #[test]
    fn everyone_pings_are_kept_as_text_for_matching_only() {
        let (_, question) = question_in("<@1234> @everyone what happened", ME, true, None).unwrap();
        assert_eq!(question, "@everyone what happened");
    }
}
