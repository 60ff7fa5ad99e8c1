//! End to end: the real `citebot run` binary against a fake Discord on loopback
//! (`tests/support`), plus one test of the fake alone with serenity's own client.

mod support;

use std::sync::Arc;
use std::time::Duration;

use serenity::all::{
    ChannelId, ClientBuilder, Context, CreateAllowedMentions, CreateMessage, EventHandler,
    GatewayIntents, HttpBuilder, Message, Ready,
};
use tokio::sync::mpsc;

use support::world::*;
use support::{FakeDiscord, Origin};

/// Patience for anything the bot does; the test machine is shared and busy.
const PATIENCE: Duration = Duration::from_secs(20);

/// What the plain serenity client saw, forwarded to the test.
#[derive(Debug)]
enum Seen {
    Ready { application: u64, session: String },
    Message(String),
}

struct Forward(mpsc::UnboundedSender<Seen>);

#[serenity::async_trait]
impl EventHandler for Forward {
    async fn ready(&self, _ctx: Context, ready: Ready) {
        let _ = self.0.send(Seen::Ready {
            application: ready.application.id.get(),
            session: ready.session_id,
        });
    }

    async fn message(&self, ctx: Context, message: Message) {
        let _ = self.0.send(Seen::Message(message.content.clone()));
        let echo = CreateMessage::new()
            .content(format!("heard: {}", message.content))
            .reference_message(&message)
            .allowed_mentions(CreateAllowedMentions::new());
        let _ = ChannelId::new(message.channel_id.get())
            .send_message(&ctx.http, echo)
            .await;
    }
}

async fn next(seen: &mut mpsc::UnboundedReceiver<Seen>) -> Seen {
    match tokio::time::timeout(PATIENCE, seen.recv()).await {
        Ok(Some(event)) => event,
        Ok(None) => panic!("the serenity client stopped"),
        Err(_) => panic!("nothing from the serenity client within {PATIENCE:?}"),
    }
}

/// The fake speaks Discord's protocol well enough for serenity itself, independent of citebot:
/// READY arrives, a MESSAGE_CREATE reaches the handler, its REST reply is recorded, and after a
/// dropped connection the client resumes and still gets the next message.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serenity_client_talks_to_the_fake() {
    let fake = FakeDiscord::start()
        .await
        .expect("bind the fake on loopback");
    let http = HttpBuilder::new("fake-token")
        .proxy(fake.base_url())
        .ratelimiter_disabled(true)
        .build();
    let (sender, mut seen) = mpsc::unbounded_channel();
    let intents =
        GatewayIntents::GUILDS | GatewayIntents::GUILD_MESSAGES | GatewayIntents::DIRECT_MESSAGES;
    let mut client = ClientBuilder::new_with_http(http, intents)
        .event_handler(Forward(sender))
        .await
        .expect("build a serenity client");
    let shards = Arc::clone(&client.shard_manager);
    let running = tokio::spawn(async move { client.start().await });

    let Seen::Ready {
        application,
        session,
    } = next(&mut seen).await
    else {
        panic!("the first event was not READY");
    };
    assert_eq!(application, APP_ID);
    let identify = fake.gateway_frames(2);
    assert_eq!(identify.len(), 1);
    assert_eq!(identify[0].d["token"], "Bot fake-token");
    assert!(
        fake.calls().iter().any(|c| c.is("GET", "/gateway")),
        "the client did not discover the gateway through the proxy"
    );

    let asked = fake
        .send_message(Origin::guild(MEMBER_ID), "first")
        .expect("a session to dispatch to");
    assert!(matches!(next(&mut seen).await, Seen::Message(m) if m == "first"));
    let reply = fake
        .wait_for_call(PATIENCE, |c| c.is_channel_message(CHANNEL_ID))
        .await
        .expect("the client's reply reached the fake's REST");
    assert!(reply.bot_auth);
    assert_eq!(reply.body["content"], "heard: first");
    assert_eq!(
        reply.body["message_reference"]["message_id"],
        asked.to_string()
    );

    assert_eq!(fake.drop_connections(), 1);
    // Dispatched while the shard is away: RESUME must replay it.
    fake.send_message(Origin::guild(MEMBER_ID), "while away")
        .expect("the session survives a dropped connection");
    assert!(fake.wait_for_gateway_op(6, 1, PATIENCE).await, "no RESUME");
    let resume = &fake.gateway_frames(6)[0].d;
    assert_eq!(resume["session_id"], session);
    assert!(matches!(next(&mut seen).await, Seen::Message(m) if m == "while away"));
    assert_eq!(
        fake.gateway_frames(2).len(),
        1,
        "re-identified instead of resuming"
    );

    assert_eq!(fake.request_reconnect(), 1);
    assert!(
        fake.wait_for_gateway_op(6, 2, PATIENCE).await,
        "no RESUME after op 7"
    );
    fake.send_message(Origin::guild(MEMBER_ID), "after reconnect")
        .expect("the session survives op 7");
    assert!(matches!(next(&mut seen).await, Seen::Message(m) if m == "after reconnect"));

    shards.shutdown_all().await;
    running.abort();
}
