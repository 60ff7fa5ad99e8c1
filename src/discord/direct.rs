//! Replies sent with our own handle on the HTTP client, so that a 429's `retry_after` is read.
//!
//! Behind an `api_proxy` serenity's rate limiter is off (serenity only honours a proxy that way)
//! and its error for a 429 keeps neither the body nor the headers, so the time Discord asks us
//! to wait is lost. [`install`] gives serenity a reqwest client we keep a clone of; [`post`] then
//! builds the request exactly as serenity would (same route, token and proxy rewrite) and reads
//! the wait from the 429 itself: the body's `retry_after`, else `X-RateLimit-Reset-After`, else
//! `Retry-After`. Without a proxy serenity's own limiter waits out 429s and nothing here is used.
//!
//! Its retry loop is its own, not `send::retry`'s fixed pauses: each wait is read from the 429's
//! response, which the read consumes, and the last 429's response becomes the error instead.

use std::sync::OnceLock;
use std::time::Duration;

use serenity::all::{ErrorResponse, Http, HttpBuilder, HttpError, LightMethod, Request, Route};

/// The client serenity sends with, set when its rate limiter is off.
static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();

/// Tries after the first; with Discord's waits honoured a second 429 in a row is rare.
const RETRIES: usize = 4;
/// A reply that would have to wait longer than this is stale: give up instead.
const LONGEST_WAIT: Duration = Duration::from_secs(20);
/// Used when a 429 names no wait at all.
const UNNAMED_WAIT: Duration = Duration::from_secs(1);

/// Makes serenity send through a client [`post`] can use too. Only for a builder whose rate
/// limiter is off; a failure to build the client leaves serenity's default in place.
pub fn install(http: HttpBuilder) -> HttpBuilder {
    match reqwest::Client::builder().use_rustls_tls().build() {
        Ok(client) => {
            let _ = CLIENT.set(client.clone());
            http.client(client)
        }
        Err(error) => {
            tracing::warn!(%error, "cannot build an HTTP client; a 429's retry_after will not be read");
            http
        }
    }
}

/// POSTs `body` (a serenity builder, serialised as serenity does) to `route`, waiting as long as
/// each 429 asks. `None` when serenity's own path must be used instead (its rate limiter is on,
/// or [`install`] was not called); otherwise the response body on success.
pub async fn post(
    http: &Http,
    what: &str,
    route: Route<'_>,
    body: &impl serde::Serialize,
) -> Option<serenity::Result<Vec<u8>>> {
    if http.ratelimiter.is_some() {
        return None;
    }
    let client = CLIENT.get()?;
    Some(post_with(client, http, what, route, body).await)
}

async fn post_with(
    client: &reqwest::Client,
    http: &Http,
    what: &str,
    route: Route<'_>,
    body: &impl serde::Serialize,
) -> serenity::Result<Vec<u8>> {
    let body = serde_json::to_vec(body)?;
    let mut retries = 0;
    loop {
        let request = Request::new(route, LightMethod::Post)
            .body(Some(body.clone()))
            .build(client, http.token(), http.proxy.as_deref())?
            .build()?;
        let response = super::send::in_turn(client.execute(request)).await?;
        let status = response.status();
        if status.is_success() {
            return Ok(response.bytes().await?.to_vec());
        }
        if status != reqwest::StatusCode::TOO_MANY_REQUESTS || retries == RETRIES {
            let error = ErrorResponse::from_response(response, reqwest::Method::POST).await;
            return Err(HttpError::UnsuccessfulRequest(error).into());
        }
        let wait = wait_asked(response).await;
        if wait > LONGEST_WAIT {
            tracing::warn!(
                call = what,
                wait_ms = wait.as_millis() as u64,
                "Discord asks to wait longer than a reply stays useful; giving up"
            );
            return Err(serenity::Error::Other("rate limited for too long"));
        }
        tracing::warn!(
            call = what,
            retry_in_ms = wait.as_millis() as u64,
            "Discord said 429 Too Many Requests; retrying after the wait it asked for"
        );
        tokio::time::sleep(wait).await;
        retries += 1;
    }
}

/// The wait a 429 asks for.
async fn wait_asked(response: reqwest::Response) -> Duration {
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<f64>().ok())
    };
    let from_headers = header("x-ratelimit-reset-after").or_else(|| header("retry-after"));
    let from_body = response
        .bytes()
        .await
        .ok()
        .and_then(|body| serde_json::from_slice::<serde_json::Value>(&body).ok())
        .and_then(|body| body.get("retry_after")?.as_f64());
    seconds(from_body.or(from_headers))
}

/// Seconds as a wait: missing, negative or not a number means [`UNNAMED_WAIT`].
fn seconds(seconds: Option<f64>) -> Duration {
    seconds
        .filter(|s| s.is_finite() && *s >= 0.0)
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .unwrap_or(UNNAMED_WAIT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wait_in_seconds_is_read_as_given() {
        assert_eq!(seconds(Some(1.25)), Duration::from_millis(1250));
        assert_eq!(seconds(Some(0.0)), Duration::ZERO);
    }

    #[test]
    fn a_missing_or_nonsense_wait_falls_back() {
        for nonsense in [None, Some(-1.0), Some(f64::NAN), Some(f64::INFINITY)] {
            assert_eq!(seconds(nonsense), UNNAMED_WAIT, "{nonsense:?}");
        }
    }
}
