//! The operators' HTTP listener (`[metrics] listen`): `GET /healthz` and `GET /metrics`.
//!
//! Two fixed routes answering small GETs need no HTTP framework: this is a minimal HTTP/1.1
//! server on tokio's TCP listener that reads one request head, answers it and closes the
//! connection. `/healthz` is 200 only while a gateway shard is connected and knowledge with
//! entries is being served, else 503, each with a short JSON body saying which; `/metrics` is
//! the Prometheus text of [`super::Metrics`].

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

use super::Metrics;
use crate::engine::LiveKnowledge;

/// A request head larger than this is refused.
const MAX_HEAD: usize = 8 * 1024;
/// A client must send its request within this long.
const READ_TIMEOUT: Duration = Duration::from_secs(5);
/// Connections served at once; more wait their turn.
const MAX_CONNECTIONS: usize = 32;

/// One response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
}

/// Binds `addr` (port 0: any free port; the bound address is logged and returned).
pub async fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    TcpListener::bind(addr).await
}

/// Serves requests on `listener` until the runtime stops.
pub async fn serve(listener: TcpListener, live: Arc<LiveKnowledge>, metrics: &'static Metrics) {
    let permits = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(permit) = Arc::clone(&permits).acquire_owned().await else {
            return;
        };
        match listener.accept().await {
            Ok((stream, _)) => {
                let live = Arc::clone(&live);
                tokio::spawn(async move {
                    if let Err(error) = answer(stream, &live, metrics).await {
                        tracing::debug!(%error, "metrics connection failed");
                    }
                    drop(permit);
                });
            }
            Err(error) => {
                tracing::warn!(%error, "the metrics listener could not accept a connection");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

async fn answer(
    mut stream: TcpStream,
    live: &LiveKnowledge,
    metrics: &Metrics,
) -> std::io::Result<()> {
    let head = tokio::time::timeout(READ_TIMEOUT, read_head(&mut stream))
        .await
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "no request in time"))??;
    let response = match head {
        Some(head) => {
            let mut words = head.split_whitespace();
            let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
            route(method, target, live, metrics)
        }
        None => plain(400, "bad request\n"),
    };
    let head = format!(
        "HTTP/1.1 {} {}\r\ncontent-type: {}\r\ncontent-length: {}\r\ncache-control: no-store\r\nconnection: close\r\n\r\n",
        response.status,
        reason(response.status),
        response.content_type,
        response.body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(response.body.as_bytes()).await?;
    stream.shutdown().await
}

/// The request line, once the whole head has arrived; `None` if it is not HTTP or too large.
async fn read_head(stream: &mut TcpStream) -> std::io::Result<Option<String>> {
    let mut buffer = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    while !buffer.windows(4).any(|w| w == b"\r\n\r\n") {
        let read = stream.read(&mut chunk).await?;
        if read == 0 || buffer.len() + read > MAX_HEAD {
            return Ok(None);
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
    let text = String::from_utf8_lossy(&buffer);
    Ok(text.lines().next().map(str::to_string))
}

/// The response to `method target`.
pub fn route(method: &str, target: &str, live: &LiveKnowledge, metrics: &Metrics) -> Response {
    let path = target.split('?').next().unwrap_or("");
    match (method, path) {
        ("GET", "/healthz") => health(live, metrics),
        ("GET", "/metrics") => Response {
            status: 200,
            content_type: "application/openmetrics-text; version=1.0.0; charset=utf-8",
            body: metrics.render(),
        },
        (_, "/healthz" | "/metrics") => plain(405, "only GET\n"),
        _ => plain(404, "not found: try /healthz or /metrics\n"),
    }
}

/// 200 while a shard is connected and knowledge with entries is served, else 503.
pub fn health(live: &LiveKnowledge, metrics: &Metrics) -> Response {
    let entries = live.snapshot().knowledge.entries.len();
    let connected = metrics.gateway_connected();
    let healthy = connected && entries > 0;
    let body = json!({
        "status": if healthy { "ok" } else { "unavailable" },
        "gateway": if connected { "connected" } else { "disconnected" },
        "knowledge_entries": entries,
        "last_reload_failed": live.last_error().is_some(),
    });
    Response {
        status: if healthy { 200 } else { 503 },
        content_type: "application/json",
        body: format!("{body}\n"),
    }
}

fn plain(status: u16, body: &str) -> Response {
    Response {
        status,
        content_type: "text/plain; charset=utf-8",
        body: body.to_string(),
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Binds `[metrics] listen` and serves it in the background; logs the bound address.
pub async fn start(
    addr: SocketAddr,
    live: Arc<LiveKnowledge>,
) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    let listener = bind(addr).await.map_err(|error| {
        anyhow::anyhow!(
            "cannot listen on {addr} for /metrics and /healthz: {error}\n  hint: pick a free \
             port in [metrics] listen (or CITEBOT_METRICS__LISTEN), or remove it to turn the \
             listener off"
        )
    })?;
    let bound: SocketAddr = listener.local_addr()?;
    tracing::info!(addr = %bound, "serving /metrics and /healthz on http://{bound}");
    Ok(tokio::spawn(serve(listener, live, super::global())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::MatchingConfig;

    fn live() -> LiveKnowledge {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid");
        match LiveKnowledge::load(&dir, &MatchingConfig::default()) {
            Ok(live) => live,
            Err(report) => panic!("{}", report.render(false)),
        }
    }

    #[test]
    fn health_needs_a_connected_gateway() {
        let (live, metrics) = (live(), Metrics::new());
        let down = route("GET", "/healthz", &live, &metrics);
        assert_eq!(down.status, 503);
        assert!(down.body.contains("\"disconnected\""), "{}", down.body);
        metrics.session_started(0);
        let up = route("GET", "/healthz?verbose", &live, &metrics);
        assert_eq!(up.status, 200);
        let body: serde_json::Value = serde_json::from_str(&up.body).unwrap();
        assert_eq!(body["status"], "ok");
        assert_eq!(body["knowledge_entries"], 3);
        metrics.shard_disconnected(0);
        assert_eq!(route("GET", "/healthz", &live, &metrics).status, 503);
    }

    #[test]
    fn other_routes_and_methods() {
        let (live, metrics) = (live(), Metrics::new());
        let scrape = route("GET", "/metrics", &live, &metrics);
        assert_eq!(scrape.status, 200);
        assert!(
            scrape
                .body
                .contains("citebot_questions_total{status=\"ambiguous\"} 0"),
            "{}",
            scrape.body
        );
        assert_eq!(route("POST", "/metrics", &live, &metrics).status, 405);
        assert_eq!(route("GET", "/", &live, &metrics).status, 404);
    }

    #[tokio::test]
    async fn serves_over_tcp() -> anyhow::Result<()> {
        let listener = bind("127.0.0.1:0".parse()?).await?;
        let addr = listener.local_addr()?;
        static METRICS: LazyMetrics = LazyMetrics::new(Metrics::new);
        tokio::spawn(serve(listener, Arc::new(live()), &METRICS));
        let mut stream = TcpStream::connect(addr).await?;
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
            .await?;
        let mut reply = String::new();
        stream.read_to_string(&mut reply).await?;
        assert!(reply.starts_with("HTTP/1.1 503 "), "{reply}");
        assert!(reply.ends_with("}\n"), "{reply}");
        Ok(())
    }

    type LazyMetrics = std::sync::LazyLock<Metrics>;
}
