//! Connecting to Discord: the HTTP client (through `api_proxy` when set), the gateway intents,
//! the sharding the config asks for, and a clean shutdown.

use std::sync::Arc;
use std::time::Duration;

use serenity::all::{ClientBuilder, GatewayIntents, HttpBuilder, ShardManager};
use tokio::task::JoinHandle;

use super::bot::Bot;
use super::card::no_mentions;
use super::direct;
use super::handler::Handler;
use crate::config::{Config, Sharding, Token};
use crate::curation::Recorder;
use crate::engine::LiveKnowledge;

/// Closing the shards waits at most this long.
const CLOSE_BOUND: Duration = Duration::from_secs(5);

/// A connected bot.
pub struct Running {
    bot: Arc<Bot>,
    shards: Arc<ShardManager>,
    client: JoinHandle<serenity::Result<()>>,
}

/// The gateway intents: guilds, guild messages and DMs; the privileged message-content intent
/// only for prefix commands (mentions and DMs carry their content without it).
pub fn intents(prefix_on: bool) -> GatewayIntents {
    let mut intents =
        GatewayIntents::GUILDS | GatewayIntents::GUILD_MESSAGES | GatewayIntents::DIRECT_MESSAGES;
    if prefix_on {
        intents |= GatewayIntents::MESSAGE_CONTENT;
    }
    intents
}

/// Connects and starts answering.
pub async fn start(
    config: &Config,
    live: Arc<LiveKnowledge>,
    token: &Token,
) -> anyhow::Result<Running> {
    let discord = &config.discord;
    let mut http = HttpBuilder::new(token.expose());
    if let Some(proxy) = &discord.api_proxy {
        // serenity only sends through a proxy with its own rate limiter off; the proxy (or our
        // retry on 429, see direct.rs and send.rs) takes its place.
        http = direct::install(
            http.proxy(proxy.trim_end_matches('/'))
                .ratelimiter_disabled(true),
        );
    }
    let mut http = http.build();
    // Belt and braces: every builder sets allowed mentions itself, this covers any other send.
    http.default_allowed_mentions = Some(no_mentions());
    let curation = Recorder::open(&config.log).map_err(anyhow::Error::msg)?;
    tracing::info!(
        unanswered_log = config.log.unanswered,
        folder = %config.log.curation_dir().display(),
        "keeping unanswered questions and votes for curators"
    );
    let bot = Arc::new(Bot::new(
        live,
        discord.clone(),
        config.cooldown.clone(),
        Arc::new(curation),
    ));
    let intents = intents(discord.prefix().is_some());
    let mut client = ClientBuilder::new_with_http(http, intents)
        .event_handler(Handler {
            bot: Arc::clone(&bot),
        })
        .await?;
    let shards = Arc::clone(&client.shard_manager);
    let sharding = discord.sharding();
    tracing::info!(
        ?sharding,
        proxy = discord.api_proxy.is_some(),
        intents = intents.bits(),
        "starting the Discord client"
    );
    let client = tokio::spawn(async move {
        match sharding {
            Sharding::Single => client.start().await,
            Sharding::Auto => client.start_autosharded().await,
            Sharding::Range { first, last, total } => {
                // serenity reads the range's end as inclusive.
                client.start_shard_range(first..last, total).await
            }
        }
    });
    Ok(Running {
        bot,
        shards,
        client,
    })
}

impl Running {
    /// Resolves if the client stops by itself (it should not: serenity reconnects on its own).
    pub async fn stopped(&mut self) -> anyhow::Result<()> {
        match (&mut self.client).await {
            Ok(Ok(())) => anyhow::bail!("the Discord client stopped"),
            Ok(Err(error)) => anyhow::bail!("the Discord client stopped: {error}"),
            Err(error) => anyhow::bail!("the Discord client crashed: {error}"),
        }
    }

    /// Stops taking questions, lets the replies in flight finish (at most `grace`), then closes
    /// the shards.
    pub async fn shutdown(self, grace: Duration) {
        self.bot.inflight.close();
        let pending = self.bot.inflight.count();
        if pending > 0 {
            tracing::info!(pending, "finishing the replies in flight");
        }
        if !self.bot.inflight.drained(grace).await {
            tracing::warn!(
                pending = self.bot.inflight.count(),
                "replies still in flight after {grace:?}; closing anyway"
            );
        }
        if tokio::time::timeout(CLOSE_BOUND, self.shards.shutdown_all())
            .await
            .is_err()
        {
            tracing::warn!("the shards did not close within {CLOSE_BOUND:?}");
        }
        self.client.abort();
        tracing::info!("disconnected from Discord");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_content_is_asked_for_only_with_a_prefix() {
        let plain = intents(false);
        assert!(plain.contains(
            GatewayIntents::GUILDS
                | GatewayIntents::GUILD_MESSAGES
                | GatewayIntents::DIRECT_MESSAGES
        ));
        assert!(!plain.contains(GatewayIntents::MESSAGE_CONTENT));
        assert_eq!(plain.bits(), 1 | 512 | 4096);
        assert!(intents(true).contains(GatewayIntents::MESSAGE_CONTENT));
    }
}
