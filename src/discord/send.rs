//! Sending with retries on HTTP 429, and no more REST calls at once than a bound.
//!
//! Behind an `api_proxy` serenity's own rate limiter is off (serenity only honours a proxy that
//! way), so a 429 reaches citebot as an error instead of being waited out. Replies (messages and
//! interaction responses) go through [`direct`], which reads the wait the 429 asks for. Other
//! calls made through serenity's builders (command registration, edits) get serenity's error,
//! which drops the 429's body, so they are retried after a doubling pause (0.5 s, 1 s, 2 s, 4 s,
//! 8 s), which covers Discord's usual per-route waits, and given up after that so a shutdown is
//! never held for long.

use std::future::Future;
use std::time::Duration;

use serenity::all::{
    ChannelId, CommandInteraction, ComponentInteraction, CreateInteractionResponse,
    CreateInteractionResponseMessage, Http, HttpError, InteractionId, Route, StatusCode,
};
use serenity::builder::Builder;
use tokio::sync::Semaphore;

use super::direct;

/// Pauses before each retry.
const PAUSES: [Duration; 5] = [
    Duration::from_millis(500),
    Duration::from_secs(1),
    Duration::from_secs(2),
    Duration::from_secs(4),
    Duration::from_secs(8),
];

/// REST calls in flight at once, process-wide. Each open call holds an HTTP connection with its
/// buffers, so without a cap memory grows with the number of replies in flight; Discord's own
/// per-route limits (a handful of messages a second per channel) make more calls at once
/// pointless anyway. A static, because the connection pool it protects is per process too.
const REST_CALLS_AT_ONCE: usize = 32;
static REST_CALLS: Semaphore = Semaphore::const_new(REST_CALLS_AT_ONCE);

/// Runs `send` until it succeeds, fails with something other than a 429, or the retries run
/// out. `what` names the call in the log. No more than [`REST_CALLS_AT_ONCE`] calls are on the
/// wire at once; a call waiting for its turn or its retry holds no connection.
pub async fn with_retry<T, F, Fut>(what: &str, mut send: F) -> serenity::Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = serenity::Result<T>>,
{
    retry(what, &PAUSES, is_rate_limited, || in_turn(send())).await
}

/// Runs one REST call once a slot among the [`REST_CALLS_AT_ONCE`] is free.
pub async fn in_turn<F: Future>(call: F) -> F::Output {
    // The semaphore is never closed, so acquiring cannot fail; if it did, sending without a
    // permit is still right.
    let _permit = REST_CALLS.acquire().await.ok();
    call.await
}

/// Answers an interaction (a slash command, an autocomplete, a button press). A failure is
/// logged, since there is nobody else to tell; the result says whether it went through.
pub async fn respond(
    http: &Http,
    id: InteractionId,
    token: &str,
    response: CreateInteractionResponse,
) -> bool {
    let route = Route::InteractionResponse {
        interaction_id: id,
        token,
    };
    let sent = match direct::post(http, "interaction response", route, &response).await {
        Some(sent) => sent.map(drop),
        None => {
            with_retry("interaction response", || {
                response.clone().execute(http, (id, token))
            })
            .await
        }
    };
    if let Err(error) = &sent {
        tracing::error!(%error, interaction = id.get(), "could not answer an interaction");
    }
    sent.is_ok()
}

/// An interaction to answer: a slash command or a button press.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub id: InteractionId,
    pub token: &'a str,
    /// The parent channel, when the interaction happened in a thread.
    pub parent: Option<ChannelId>,
}

impl<'a> Target<'a> {
    pub fn command(command: &'a CommandInteraction) -> Target<'a> {
        Target {
            id: command.id,
            token: &command.token,
            parent: command.channel.as_ref().and_then(|c| c.parent_id),
        }
    }

    pub fn component(press: &'a ComponentInteraction) -> Target<'a> {
        Target {
            id: press.id,
            token: &press.token,
            parent: press.channel.as_ref().and_then(|c| c.parent_id),
        }
    }

    /// Answers with a message; false if that failed (logged).
    pub async fn respond(&self, http: &Http, message: CreateInteractionResponseMessage) -> bool {
        let response = CreateInteractionResponse::Message(message);
        respond(http, self.id, self.token, response).await
    }
}

/// The retry loop: `retryable` errors are retried after each of `pauses` in turn.
async fn retry<T, E, F, Fut>(
    what: &str,
    pauses: &[Duration],
    retryable: impl Fn(&E) -> bool,
    mut send: F,
) -> Result<T, E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let mut pauses = pauses.iter();
    loop {
        match send().await {
            Err(error) if retryable(&error) => match pauses.next() {
                Some(&pause) => {
                    tracing::warn!(
                        call = what,
                        retry_in_ms = pause.as_millis() as u64,
                        "Discord said 429 Too Many Requests; retrying"
                    );
                    tokio::time::sleep(pause).await;
                }
                None => return Err(error),
            },
            result => return result,
        }
    }
}

fn is_rate_limited(error: &serenity::Error) -> bool {
    matches!(
        error,
        serenity::Error::Http(HttpError::UnsuccessfulRequest(response))
            if response.status_code == StatusCode::TOO_MANY_REQUESTS
    )
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    const QUICK: [Duration; 3] = [Duration::from_millis(1); 3];

    #[derive(Debug, PartialEq)]
    enum Fake {
        TooMany,
        Other,
    }

    async fn run(outcomes: Vec<Result<u32, Fake>>) -> (Result<u32, Fake>, usize) {
        let calls = Cell::new(0);
        let result = retry(
            "test",
            &QUICK,
            |e| *e == Fake::TooMany,
            || {
                let i = calls.get();
                calls.set(i + 1);
                let outcome = match &outcomes[i] {
                    Ok(v) => Ok(*v),
                    Err(Fake::TooMany) => Err(Fake::TooMany),
                    Err(Fake::Other) => Err(Fake::Other),
                };
                async move { outcome }
            },
        )
        .await;
        (result, calls.get())
    }

    #[tokio::test]
    async fn a_429_is_retried_until_it_goes_through() {
        let (result, calls) = run(vec![Err(Fake::TooMany), Err(Fake::TooMany), Ok(7)]).await;
        assert_eq!(result, Ok(7));
        assert_eq!(calls, 3);
    }

    #[tokio::test]
    async fn other_errors_are_not_retried() {
        let (result, calls) = run(vec![Err(Fake::Other), Ok(7)]).await;
        assert_eq!(result, Err(Fake::Other));
        assert_eq!(calls, 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_more_than_the_cap_of_calls_are_on_the_wire_at_once() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicUsize, Ordering};

        let on_wire = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let calls: Vec<_> = (0..REST_CALLS_AT_ONCE * 3)
            .map(|_| {
                let (on_wire, most) = (Arc::clone(&on_wire), Arc::clone(&most));
                tokio::spawn(async move {
                    with_retry("test", || {
                        let (on_wire, most) = (Arc::clone(&on_wire), Arc::clone(&most));
                        async move {
                            let now = on_wire.fetch_add(1, Ordering::SeqCst) + 1;
                            most.fetch_max(now, Ordering::SeqCst);
                            tokio::time::sleep(Duration::from_millis(20)).await;
                            on_wire.fetch_sub(1, Ordering::SeqCst);
                            serenity::Result::Ok(())
                        }
                    })
                    .await
                })
            })
            .collect();
        for call in calls {
            assert!(call.await.expect("the call task panicked").is_ok());
        }
        let most = most.load(Ordering::SeqCst);
        assert!(most <= REST_CALLS_AT_ONCE, "{most} calls at once");
        assert!(most > 1, "calls should still run side by side, saw {most}");
    }

    #[tokio::test]
    async fn retries_are_bounded() {
        let (result, calls) = run((0..10).map(|_| Err(Fake::TooMany)).collect()).await;
        assert_eq!(result, Err(Fake::TooMany));
        assert_eq!(calls, QUICK.len() + 1);
    }
}
