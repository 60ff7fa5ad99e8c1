//! End to end: the curators' loop through the fake Discord (`tests/support`) into the real
//! `citebot run` binary, read back with the real `citebot gaps` and `citebot stats`.
//!
//! A question the article does not answer lands in the unanswered log (reader as a keyed hash,
//! never an id) and shows up in `citebot gaps` with the entry that came nearest; votes on an
//! answer are counted one per reader, survive a restart of the bot, and a changed mind replaces
//! the earlier vote.

mod support;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use serde_json::Value;

use citebot::config::Config;
use citebot::reply::Status;
use support::inspect::{buttons_of, is_ephemeral, references, text_of};
use support::payloads::{mention_bot, subcommand_options};
use support::rest::Call;
use support::scenario::{fail, start_bot};
use support::world::*;
use support::{BotProcess, BotSetup, FakeDiscord, Origin, expect};

/// Patience for anything the bot does; the test machine is shared and busy.
const PATIENCE: Duration = Duration::from_secs(30);

/// Asks `question` by mentioning the bot and returns its reply message.
async fn ask(fake: &FakeDiscord, bot: &BotProcess, from: u64, question: &str) -> Call {
    let asked = fake
        .send_message(Origin::guild(from), &mention_bot(question))
        .unwrap_or_else(|| fail(bot, "no gateway session to dispatch to"));
    fake.wait_for_call(PATIENCE, |c| {
        c.is_channel_message(CHANNEL_ID) && c.succeeded() && references(&c.body, asked)
    })
    .await
    .unwrap_or_else(|| fail(bot, &format!("no reply to {question:?}")))
}

/// Presses `custom_id` on `message` as `from`; returns the bot's (immediate) answer.
async fn press(
    fake: &FakeDiscord,
    bot: &BotProcess,
    from: u64,
    custom_id: &str,
    message: &Value,
) -> Value {
    let (id, _) = fake
        .press_button(Origin::guild(from), custom_id, message.clone())
        .unwrap_or_else(|| fail(bot, "no gateway session to dispatch to"));
    let callback = fake
        .wait_for_call(PATIENCE, |c| c.is_callback(id) && c.succeeded())
        .await
        .unwrap_or_else(|| fail(bot, &format!("no response to the press of {custom_id}")));
    callback.body["data"].clone()
}

/// Runs the real `citebot` with the bot's config: `citebot --config ... <args>`.
fn citebot(bot: &BotProcess, args: &[&str]) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_citebot"));
    command.arg("--config").arg(bot.config_path()).args(args);
    for (key, _) in std::env::vars() {
        if key.starts_with("CITEBOT_") {
            command.env_remove(key);
        }
    }
    let output = command.output().expect("run citebot");
    if !output.status.success() {
        fail(
            bot,
            &format!(
                "citebot {args:?} failed: {}\n{}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            ),
        );
    }
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn json(bot: &BotProcess, args: &[&str]) -> Value {
    let out = citebot(bot, args);
    serde_json::from_str(&out).unwrap_or_else(|e| fail(bot, &format!("{args:?}: {e}: {out}")))
}

fn log_settings(bot: &BotProcess) -> citebot::config::LogConfig {
    Config::load(&bot.config_path())
        .expect("the test config loads")
        .log
}

/// The log's records, once `done` holds for them (the bot writes as it answers).
async fn logged(
    fake: &FakeDiscord,
    bot: &BotProcess,
    path: &Path,
    done: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let read = || -> Vec<Value> {
        std::fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect()
    };
    if !fake.wait_until(PATIENCE, || done(&read())).await {
        fail(
            bot,
            &format!("the unanswered log {} holds: {:?}", path.display(), read()),
        );
    }
    read()
}

/// A file the bot wrote for curators holds no raw Discord user id and no user name.
fn assert_anonymous(bot: &BotProcess, path: &Path) {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    for user in [MEMBER_ID, ADMIN_ID, OTHER_MEMBER_ID] {
        if text.contains(&user.to_string()) || text.contains(&format!("\"{}\"", user_name(user))) {
            fail(
                bot,
                &format!("{} names user {user}: {text}", path.display()),
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_no_match_is_logged_and_appears_in_gaps() {
    let (fake, bot) = start_bot(&BotSetup::default(), PATIENCE).await;
    let snapshot = expect::snapshot(&bot.config_path());
    let settings = log_settings(&bot);
    let (question, expected) = expect::question_with(&snapshot, Status::NoMatch)
        .unwrap_or_else(|| fail(&bot, "no evaluation question is a no-match"));
    let (unsure, unsure_expected) = expect::question_with(&snapshot, Status::Ambiguous)
        .unwrap_or_else(|| fail(&bot, "no evaluation question is ambiguous"));

    ask(&fake, &bot, MEMBER_ID, &question).await;
    ask(&fake, &bot, OTHER_MEMBER_ID, &question).await;
    ask(&fake, &bot, MEMBER_ID, &unsure).await;
    let records = logged(&fake, &bot, &settings.unanswered_path, |r| r.len() >= 3).await;
    assert_eq!(records.len(), 3, "{records:?}");
    let first = &records[0];
    assert_eq!(first["status"], "no_match");
    assert_eq!(first["question"], expected.question.as_str());
    assert_eq!(first["guild"], GUILD_ID.to_string());
    assert_eq!(first["channel"], CHANNEL_ID.to_string());
    let candidates: Vec<&str> = first["candidates"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["entry"].as_str())
        .collect();
    let suggested: Vec<&str> = expected
        .suggestions
        .iter()
        .map(|s| s.entry_id.as_str())
        .collect();
    assert_eq!(candidates, suggested);
    let hash = first["user"].as_str().unwrap_or_default();
    assert_eq!(hash.len(), 32, "{first}");
    assert_ne!(records[1]["user"], first["user"], "two readers, two hashes");
    assert_eq!(records[2]["status"], "ambiguous");
    assert_eq!(records[2]["question"], unsure_expected.question.as_str());
    assert_anonymous(&bot, &settings.unanswered_path);

    let gaps = json(&bot, &["gaps", "--since", "1h", "--json"]);
    let groups = gaps.as_array().cloned().unwrap_or_default();
    let group = groups
        .iter()
        .find(|g| g["examples"][0] == expected.question.as_str())
        .unwrap_or_else(|| fail(&bot, &format!("the no-match is not in gaps: {gaps}")));
    assert_eq!(group["count"], 2, "{group}");
    assert_eq!(groups[0], *group, "the largest group comes first: {gaps}");
    let nearest = snapshot.matcher.rank(&expected.question, 1);
    let entry = &snapshot.knowledge.entries[nearest[0].entry];
    assert_eq!(group["nearest"]["entry"], entry.id.as_str(), "{group}");
    let score = group["nearest"]["score"].as_f64().unwrap_or(-1.0);
    assert!(
        (score - f64::from(nearest[0].score)).abs() < 1e-4,
        "{group}"
    );

    let text = citebot(&bot, &["gaps", "--top", "1"]);
    assert!(
        text.contains(&format!("2 × “{}”", expected.question)),
        "{text}"
    );
    assert!(text.contains(&entry.id), "{text}");
    assert!(!text.contains(&unsure), "--top 1 shows one group: {text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn votes_are_counted_per_reader_and_survive_a_restart() {
    let (fake, mut bot) = start_bot(&BotSetup::default(), PATIENCE).await;
    let snapshot = expect::snapshot(&bot.config_path());
    let settings = log_settings(&bot);
    let entry = &snapshot.knowledge.entries[0];
    let question = entry.questions[0].clone();
    assert_eq!(
        snapshot.ask(&question).entry_id.as_deref(),
        Some(entry.id.as_str())
    );

    let answer = ask(&fake, &bot, MEMBER_ID, &question).await;
    let ids: Vec<String> = buttons_of(&answer.body)
        .into_iter()
        .map(|(_, id)| id)
        .collect();
    let up = format!("citebot:vote:up:{}", entry.id);
    let down = format!("citebot:vote:down:{}", entry.id);
    assert_eq!(
        ids,
        [up.clone(), down.clone()],
        "vote buttons on the answer"
    );
    let message = &answer.response;

    let thanks = press(&fake, &bot, MEMBER_ID, &up, message).await;
    assert!(is_ephemeral(&thanks), "{thanks}");
    assert!(text_of(&thanks).contains("helpful"), "{thanks}");
    press(&fake, &bot, ADMIN_ID, &up, message).await;
    press(&fake, &bot, OTHER_MEMBER_ID, &down, message).await;
    let again = press(&fake, &bot, OTHER_MEMBER_ID, &down, message).await;
    assert!(text_of(&again).contains("already"), "{again}");
    let tally = |bot: &BotProcess| {
        let stats = json(bot, &["stats", "--json"]);
        let mine = stats
            .as_array()
            .into_iter()
            .flatten()
            .find(|t| t["entry"] == entry.id.as_str())
            .cloned();
        mine.map(|t| (t["helpful"].as_u64(), t["not_helpful"].as_u64()))
    };
    assert_eq!(tally(&bot), Some((Some(2), Some(1))));

    // The "not helpful" went to the unanswered log, with the question that was asked.
    let records = logged(&fake, &bot, &settings.unanswered_path, |r| !r.is_empty()).await;
    assert_eq!(
        records.len(),
        1,
        "one line per not-helpful vote: {records:?}"
    );
    assert_eq!(records[0]["status"], "voted_down");
    assert_eq!(records[0]["entry"], entry.id.as_str());
    assert_eq!(records[0]["question"], question.as_str());

    bot.restart(&fake).expect("restart citebot run");
    bot.wait_ready(&fake, PATIENCE).await;

    // The first reader changes their mind after the restart: replaced, not added.
    let changed = press(&fake, &bot, MEMBER_ID, &down, message).await;
    assert!(text_of(&changed).contains("Changed"), "{changed}");
    assert_eq!(tally(&bot), Some((Some(1), Some(2))));
    assert_anonymous(&bot, &settings.votes_path());
    assert_anonymous(&bot, &settings.unanswered_path);

    // /kb status shows the worst-rated answers.
    let sent = fake
        .send_command(Origin::guild(ADMIN_ID), "kb", subcommand_options("status"))
        .unwrap_or_else(|| fail(&bot, "no gateway session to dispatch to"));
    let status = fake
        .wait_for_call(PATIENCE, |c| c.is_callback(sent.0) && c.succeeded())
        .await
        .unwrap_or_else(|| fail(&bot, "no answer to /kb status"));
    let text = text_of(&status.body);
    assert!(
        text.contains(&format!("`{}`: 1 helpful, 2 not helpful", entry.id)),
        "{text}"
    );
}

/// A reader toggling the vote buttons is held to the `[cooldown]` pace, like one asking: the
/// press over the limit is told to wait, privately, and its vote is not counted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn votes_are_charged_to_the_readers_cooldown() {
    let setup = BotSetup {
        cooldown: Some((2, 60.0, 60)),
        ..BotSetup::default()
    };
    let (fake, bot) = start_bot(&setup, PATIENCE).await;
    let snapshot = expect::snapshot(&bot.config_path());
    let entry = &snapshot.knowledge.entries[0];
    let answer = ask(&fake, &bot, MEMBER_ID, &entry.questions[0]).await;
    let up = format!("citebot:vote:up:{}", entry.id);
    let down = format!("citebot:vote:down:{}", entry.id);
    let message = &answer.response;

    let counted = press(&fake, &bot, MEMBER_ID, &up, message).await;
    assert!(text_of(&counted).contains("helpful"), "{counted}");
    let held = press(&fake, &bot, MEMBER_ID, &down, message).await;
    assert!(is_ephemeral(&held), "{held}");
    assert!(text_of(&held).contains("voting quickly"), "{held}");
    // Another reader has a bucket of their own.
    let other = press(&fake, &bot, OTHER_MEMBER_ID, &down, message).await;
    assert!(text_of(&other).contains("not helpful"), "{other}");

    let stats = json(&bot, &["stats", "--json"]);
    let tally = stats
        .as_array()
        .into_iter()
        .flatten()
        .find(|t| t["entry"] == entry.id.as_str())
        .map(|t| (t["helpful"].as_u64(), t["not_helpful"].as_u64()));
    assert_eq!(tally, Some((Some(1), Some(1))), "{stats}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_rotates_at_its_bound() {
    let (fake, mut bot) = start_bot(&BotSetup::default(), PATIENCE).await;
    // A small bound: a few questions fill it. The bot reads its config when it starts.
    let bound = 1024_u64;
    let config = std::fs::read_to_string(bot.config_path()).expect("read the test config");
    std::fs::write(
        bot.config_path(),
        format!("{config}\n[log]\nunanswered_max_bytes = {bound}\n"),
    )
    .expect("write the test config");
    bot.restart(&fake).expect("restart citebot run");
    bot.wait_ready(&fake, PATIENCE).await;
    let settings = log_settings(&bot);
    assert_eq!(settings.unanswered_max_bytes, bound);
    let snapshot = expect::snapshot(&bot.config_path());
    // A made-up tag keeps each line distinct; a bare number ("#2") would be read as "two"
    // and could make the question answerable, and even a tag's letters and digits are read by
    // the meaning model, so the question is one that every tagged form leaves unanswered.
    let tagged = |question: &str, tag: &str| format!("{question} xq{tag}");
    let tags: Vec<String> = (1..=40)
        .map(|n| n.to_string())
        .chain(["last".into()])
        .collect();
    let question = expect::questions_with(&snapshot, Status::NoMatch)
        .into_iter()
        .find(|question| {
            tags.iter()
                .all(|tag| snapshot.ask(&tagged(question, tag)).status == Status::NoMatch)
        })
        .unwrap_or_else(|| fail(&bot, "no evaluation question stays a no-match when tagged"));

    let rotated = {
        let mut name = settings.unanswered_path.clone().into_os_string();
        name.push(".1");
        std::path::PathBuf::from(name)
    };
    let mut asked = 0;
    while !rotated.exists() {
        asked += 1;
        if asked > 40 {
            fail(
                &bot,
                &format!("{} never rotated", settings.unanswered_path.display()),
            );
        }
        ask(
            &fake,
            &bot,
            MEMBER_ID,
            &tagged(&question, &asked.to_string()),
        )
        .await;
        let size = std::fs::metadata(&settings.unanswered_path).map_or(0, |m| m.len());
        assert!(size <= bound, "the log grew to {size} bytes, past {bound}");
    }
    // One more, so the rotation has a successor; both files stay within the bound.
    ask(&fake, &bot, MEMBER_ID, &tagged(&question, "last")).await;
    for file in [&settings.unanswered_path, &rotated] {
        let size = std::fs::metadata(file).map_or(0, |m| m.len());
        assert!(
            size > 0 && size <= bound,
            "{}: {size} bytes",
            file.display()
        );
    }
    // gaps reads both files.
    let gaps = json(&bot, &["gaps", "--json"]);
    let counted: u64 = gaps
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|g| g["count"].as_u64())
        .sum();
    let lines = |path: &Path| {
        std::fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .count() as u64
    };
    assert_eq!(
        counted,
        lines(&settings.unanswered_path) + lines(&rotated),
        "{gaps}"
    );
    // One rotation loses nothing: the previous file is kept whole as `.1`.
    assert_eq!(counted, asked + 1, "{gaps}");
}
