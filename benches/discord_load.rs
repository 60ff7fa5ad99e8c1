//! Load benchmark: 10,000 questions through the fake Discord's gateway into a real
//! `citebot run`, counting the replies it POSTs back.
//!
//! Prints answers per second end to end (first question dispatched to last reply received) and
//! the bot's resident memory (VmRSS) before, during (min and max of samples) and after the run.
//! Cooldowns are off for the run so every question is answered. Bounded: it gives up after
//! `DEADLINE` and prints what it measured. Run with `cargo bench --bench discord_load`; set
//! `CITEBOT_LOAD_QUESTIONS` to change the count.

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
    let count = std::env::var("CITEBOT_LOAD_QUESTIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(QUESTIONS);
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

    let started = Instant::now();
    for i in 0..count {
        let from = Origin::guild(readers[i % readers.len()]);
        let question = &questions[i % questions.len()];
        if fake.send_message(from, &mention_bot(question)).is_none() {
            eprintln!("the bot's gateway session went away after {i} questions");
            return ExitCode::FAILURE;
        }
    }
    let dispatched_in = started.elapsed();

    let mut samples = Vec::new();
    let mut answered = 0;
    while started.elapsed() < DEADLINE {
        answered = fake.messages_created() - already;
        if let Some(rss) = bot.rss_kb() {
            samples.push(rss);
        }
        if answered >= count {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
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
    println!("  dispatched in      {:.2} s", dispatched_in.as_secs_f64());
    println!(
        "  answered          {answered} / {count} in {:.2} s",
        elapsed.as_secs_f64()
    );
    println!(
        "  answers/s         {:.0} (end to end: first dispatch to last reply POSTed)",
        answered as f64 / elapsed.as_secs_f64()
    );
    println!("  RSS before        {}", mb(before_rss));
    println!(
        "  RSS during        min {} / max {} ({} samples)",
        mb(samples.iter().min().copied()),
        mb(samples.iter().max().copied()),
        samples.len()
    );
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
