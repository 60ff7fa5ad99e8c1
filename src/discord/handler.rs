//! serenity's event handler: routes gateway events to citebot's handlers. Every event runs in
//! its own task (serenity spawns them), so one slow reply never holds up another question.

use std::sync::Arc;

use serenity::all::{
    ConnectionStage, Context, EventHandler, Interaction, Message, Ready, ResumedEvent,
    ShardStageUpdateEvent,
};
use serenity::async_trait;

use super::bot::Bot;
use super::commands::{self, ask, kb, teach};
use super::{buttons, messages};
use crate::metrics;

pub struct Handler {
    pub bot: Arc<Bot>,
}

#[async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        self.bot.set_me(ready.user.id);
        let shard = ready.shard.map_or(0, |s| s.id.0);
        metrics::global().session_started(shard);
        tracing::info!(shard, guilds = ready.guilds.len(), "connected to Discord");
        // One process per bot registers, the one holding shard 0, once.
        if shard == 0
            && self.bot.first_registration()
            && let Err(error) = commands::register(&ctx.http, &self.bot.discord.guild_ids).await
        {
            tracing::error!(%error, "could not register the slash commands; will retry on the next READY");
            self.bot.registration_failed();
        }
    }

    async fn resume(&self, ctx: Context, _: ResumedEvent) {
        metrics::global().session_started(ctx.shard_id.0);
        tracing::info!(shard = ctx.shard_id.0, "gateway session resumed");
    }

    /// Keeps `/healthz` and the metrics' view of the gateway current: a shard that leaves the
    /// connected stage is reconnecting (it resumes or identifies again).
    async fn shard_stage_update(&self, _: Context, event: ShardStageUpdateEvent) {
        let shard = event.shard_id.0;
        match (event.old, event.new) {
            (_, ConnectionStage::Connected) => metrics::global().shard_connected(shard),
            (ConnectionStage::Connected, _) => metrics::global().shard_disconnected(shard),
            _ => {}
        }
    }

    async fn message(&self, ctx: Context, message: Message) {
        messages::on_message(&self.bot, &ctx.http, &message).await;
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        match interaction {
            Interaction::Command(command) => {
                commands::dispatch(&self.bot, &ctx.http, &command).await
            }
            Interaction::Autocomplete(command) if command.data.name == ask::NAME => {
                ask::autocomplete(&self.bot, &ctx.http, &command).await
            }
            Interaction::Autocomplete(command) if command.data.name == kb::NAME => {
                teach::autocomplete(&self.bot, &ctx.http, &command).await
            }
            Interaction::Component(press) => buttons::press(&self.bot, &ctx.http, &press).await,
            _ => {}
        }
    }
}
