//! Load benchmark: 10,000 questions through the fake Discord's gateway into a real
//! `citebot run`, counting the replies it POSTs back.
//!
//! Prints answers per second end to end (first question dispatched to last reply received) and
//! the bot's resident memory (VmRSS) before, during (min and max of samples) and after the run.
//! Cooldowns are off for the run so every question is answered. Questions are sent closed loop,
//! at most `WINDOW` awaiting their reply at a time. Bounded: it gives up after `DEADLINE` and
//! prints what it measured. Run with `cargo bench --bench discord_load`; set
//! `DISCORD_LOAD_QUESTIONS` or `DISCORD_LOAD_WINDOW` to change the count or the window.

#[path = "../tests/support/mod.rs"]
mod support;

use std::process::ExitCode;
use std::time::{Duration, Instant};

use support::payloads::mention_bot;
use support::world::*;
use support::{BotProcess, BotSetup, FakeDiscord, Origin, expect};

const QUESTIONS: usize = 10_000;
const DEADLINE: Duration = Duration::from_secs(180);
const READY_WITHIN: Duration = Duration::from_secs(60);
/// Questions waiting for their reply at any time (`DISCORD_LOAD_WINDOW` changes it).
const WINDOW: usize = 256;

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("cannot start a tokio runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run())
}

async fn run() -> ExitCode {
    let count = std::env::var("DISCORD_LOAD_QUESTIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(QUESTIONS);
    let window: usize = std::env::var("DISCORD_LOAD_WINDOW")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(WINDOW)
        .max(1);
    let fake = match FakeDiscord::start().await {
        Ok(fake) => fake,
        Err(e) => {
            eprintln!("cannot bind the fake Discord on loopback: {e}");
            return ExitCode::FAILURE;
        }
    };
    let setup = BotSetup {
        cooldown: None,
        log_filter: "info".to_string(),
        ..BotSetup::default()
    };
    let mut bot = match BotProcess::start(&fake, &setup) {
        Ok(bot) => bot,
        Err(e) => {
            eprintln!("cannot start citebot run: {e}");
            return ExitCode::FAILURE;
        }
    };
    bot.wait_ready(&fake, READY_WITHIN).await;

    // Reader-style questions (answerable and not), as mentions from a few readers.
    let questions: Vec<String> = expect::eval_questions()
        .into_iter()
        .map(|q| q.q)
        .filter(|q| !q.trim().is_empty())
        .collect();
    let readers = [MEMBER_ID, ADMIN_ID, OTHER_MEMBER_ID, OWNER_ID];
    let before_rss = bot.rss_kb();
    let already = fake.messages_created();

    // Closed loop: at most `window` questions wait for their reply at any time, as a busy
    // guild's traffic would; a burst of all 10,000 at once measures queueing, not citebot.
    let started = Instant::now();
    let mut samples = Vec::new();
    let mut last_sample = started;
    let mut sent = 0;
    let mut answered = 0;
    while answered < count && started.elapsed() < DEADLINE {
        while sent < count && sent < answered + window {
            let from = Origin::guild(readers[sent % readers.len()]);
            let question = &questions[sent % questions.len()];
            if fake.send_message(from, &mention_bot(question)).is_none() {
                eprintln!("the bot's gateway session went away after {sent} questions");
                return ExitCode::FAILURE;
            }
            sent += 1;
        }
        let target = (answered + 1).min(count);
        fake.wait_until(Duration::from_millis(50), || {
            fake.messages_created() - already >= target
        })
        .await;
        answered = fake.messages_created() - already;
        if last_sample.elapsed() >= Duration::from_millis(100) {
            samples.extend(bot.rss_kb().map(|rss| (answered, rss)));
            last_sample = Instant::now();
        }
    }
    let elapsed = started.elapsed();
    // Settle, then measure memory once the burst is over.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after_rss = bot.rss_kb();
    let rate_limited = fake.calls_matching(|c| c.status == 429).len();
    let failed = fake.calls_matching(|c| !c.succeeded()).len();

    let mb = |kb: Option<u64>| {
        kb.map_or("?".to_string(), |kb| {
            format!("{:.1} MB", kb as f64 / 1024.0)
        })
    };
    println!("discord_load: {count} questions as MESSAGE_CREATE through the fake gateway");
    println!("  in flight at most  {window}");
    println!(
        "  answered          {answered} / {count} in {:.2} s",
        elapsed.as_secs_f64()
    );
    println!(
        "  answers/s         {:.0} (end to end: first dispatch to last reply POSTed)",
        answered as f64 / elapsed.as_secs_f64()
    );
    println!("  RSS before        {}", mb(before_rss));
    let rss_only: Vec<u64> = samples.iter().map(|&(_, rss)| rss).collect();
    println!(
        "  RSS during        min {} / max {} ({} samples)",
        mb(rss_only.iter().min().copied()),
        mb(rss_only.iter().max().copied()),
        samples.len()
    );
    // Flat or growing? The last sample at each quarter of the run.
    let quarters: Vec<String> = (1..=4)
        .filter_map(|q| {
            let mark = count * q / 4;
            let (at, rss) = samples.iter().rev().find(|&&(at, _)| at <= mark)?;
            Some(format!("{at}: {}", mb(Some(*rss))))
        })
        .collect();
    println!("  RSS by answers    {}", quarters.join(", "));
    println!("  RSS after         {}", mb(after_rss));
    println!("  failed REST calls {failed} (429: {rate_limited})");

    let _ = bot.signal("TERM");
    let _ = bot.wait_exit(Duration::from_secs(12)).await;
    if answered < count {
        eprintln!(
            "only {answered} of {count} questions answered within {DEADLINE:?}\n--- last of the bot's log ---\n{}",
            tail(&bot.log(), 20)
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn tail(log: &str, lines: usize) -> String {
    let all: Vec<&str> = log.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
