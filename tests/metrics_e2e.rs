//! End to end: the operators' HTTP listener of the real `citebot run` binary, connected to the
//! fake Discord (`tests/support`). `/healthz` is 200 while the gateway is connected; `/metrics`
//! is scraped after questions of each kind and its counters match what was asked, as the core
//! (`citebot ask`) classifies those questions; a gateway reconnect and a `/kb reload` are counted.

mod support;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use citebot::reply::Status;
use support::inspect::references;
use support::payloads::{mention_bot, subcommand_options};
use support::scenario::fail;
use support::world::*;
use support::{BotProcess, BotSetup, FakeDiscord, Origin, expect};

/// Patience for anything the bot does; the test machine is shared and busy.
const PATIENCE: Duration = Duration::from_secs(30);
/// The log line `citebot run` writes once it listens, before the bound address.
const LISTENING: &str = "serving /metrics and /healthz on http://";

/// `GET path` on the listener: (status code, body).
async fn get(addr: SocketAddr, path: &str) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(addr).await?;
    let request = format!("GET {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await?;
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, body)| body.to_string());
    Ok((status, body))
}

/// The value of the sample `series` (name with labels) in a scrape.
fn sample(scrape: &str, series: &str) -> Option<f64> {
    scrape.lines().find_map(|line| {
        let rest = line.strip_prefix(series)?;
        rest.strip_prefix(' ')?.trim().parse().ok()
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_while_connected_and_metrics_count_what_was_asked() {
    let fake = FakeDiscord::start()
        .await
        .expect("bind the fake on loopback");
    let setup = BotSetup {
        metrics_listen: Some("127.0.0.1:0".to_string()),
        ..BotSetup::default()
    };
    let mut bot = BotProcess::start(&fake, &setup).expect("spawn citebot run");
    bot.wait_ready(&fake, PATIENCE).await;
    if !bot.wait_for_log(LISTENING, PATIENCE).await {
        fail(&bot, "the metrics listener did not start");
    }
    let log = bot.log();
    let addr: SocketAddr = log
        .split(LISTENING)
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|addr| addr.parse().ok())
        .unwrap_or_else(|| fail(&bot, "no listening address in the log"));
    let snapshot = expect::snapshot(&bot.config_path());

    let (status, body) = get(addr, "/healthz").await.expect("GET /healthz");
    if status != 200 {
        fail(
            &bot,
            &format!("/healthz is {status} while connected: {body}"),
        );
    }
    let health: Value = serde_json::from_str(&body).expect("/healthz is JSON");
    assert_eq!(health["status"], "ok");
    assert_eq!(health["gateway"], "connected");
    assert_eq!(
        health["knowledge_entries"],
        snapshot.knowledge.entries.len()
    );

    // Questions of each kind, counted the way the core answers them.
    let mut questions: Vec<String> = snapshot
        .knowledge
        .entries
        .iter()
        .take(3)
        .map(|entry| entry.questions[0].clone())
        .collect();
    for status in [Status::NoMatch, Status::Ambiguous] {
        let (question, _) = expect::question_with(&snapshot, status)
            .unwrap_or_else(|| panic!("no evaluation question gets {status:?}"));
        questions.push(question.clone());
        questions.push(question);
    }
    let mut expected: BTreeMap<&str, f64> = BTreeMap::new();
    for question in &questions {
        *expected
            .entry(snapshot.ask(question).status.as_str())
            .or_default() += 1.0;
    }
    for question in &questions {
        let asked = fake
            .send_message(Origin::guild(MEMBER_ID), &mention_bot(question))
            .unwrap_or_else(|| fail(&bot, "no gateway session"));
        let replied = fake
            .wait_for_call(PATIENCE, |c| {
                c.is_channel_message(CHANNEL_ID) && c.succeeded() && references(&c.body, asked)
            })
            .await;
        if replied.is_none() {
            fail(&bot, &format!("no reply to {question:?}"));
        }
    }

    // A question is counted just after its reply is sent: allow a moment for the last one.
    let counted = |scrape: &str| {
        ["answered", "ambiguous", "no_match", "rate_limited"]
            .iter()
            .map(|status| {
                let series = format!("citebot_questions_total{{status=\"{status}\"}}");
                (*status, sample(scrape, &series).unwrap_or(-1.0))
            })
            .filter(|(_, count)| *count != 0.0)
            .collect::<BTreeMap<&str, f64>>()
    };
    let deadline = std::time::Instant::now() + PATIENCE;
    let scrape = loop {
        let (status, scrape) = get(addr, "/metrics").await.expect("GET /metrics");
        assert_eq!(status, 200, "{scrape}");
        if counted(&scrape) == expected || std::time::Instant::now() > deadline {
            break scrape;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(counted(&scrape), expected, "scraped:\n{scrape}");
    assert_eq!(
        sample(&scrape, "citebot_answer_latency_seconds_count"),
        Some(questions.len() as f64),
        "{scrape}"
    );
    assert_eq!(
        sample(&scrape, "citebot_knowledge_entries"),
        Some(snapshot.knowledge.entries.len() as f64)
    );
    assert_eq!(
        sample(&scrape, "citebot_gateway_shards_connected"),
        Some(1.0)
    );
    assert_eq!(sample(&scrape, "citebot_reload_errors_total"), Some(0.0));
    assert_eq!(get(addr, "/nowhere").await.expect("GET").0, 404);

    // The gateway asks for a reconnect: the bot resumes, the reconnect is counted, and it is
    // healthy again. A /kb reload is counted as a reload.
    assert_eq!(fake.request_reconnect(), 1);
    let reload = fake
        .send_command(Origin::guild(ADMIN_ID), "kb", subcommand_options("reload"))
        .unwrap_or_else(|| fail(&bot, "no gateway session"));
    if fake
        .wait_for_call(PATIENCE, |c| c.is_callback(reload.0) && c.succeeded())
        .await
        .is_none()
    {
        fail(&bot, "/kb reload was not answered");
    }
    let deadline = std::time::Instant::now() + PATIENCE;
    loop {
        let (_, scrape) = get(addr, "/metrics").await.expect("GET /metrics");
        let (health, _) = get(addr, "/healthz").await.expect("GET /healthz");
        let reconnects = sample(&scrape, "citebot_gateway_reconnects_total").unwrap_or(0.0);
        let reloads = sample(&scrape, "citebot_reloads_total").unwrap_or(0.0);
        if reconnects >= 1.0 && reloads == 1.0 && health == 200 {
            break;
        }
        if std::time::Instant::now() > deadline {
            fail(
                &bot,
                &format!("after op 7 and /kb reload: /healthz {health}, scraped:\n{scrape}"),
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
