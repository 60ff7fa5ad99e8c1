//! End to end, for what `citebot run` does with more than one shard and on SIGHUP: the real
//! binary against the fake Discord of `tests/support`, which routes each guild's events to the
//! shard Discord would, `(guild_id >> 22) % total`, and DMs to shard 0.

mod support;

use std::time::Duration;

use support::inspect::{contains_passage, text_of};
use support::payloads::mention_bot;
use support::scenario::{
    ask, canonical, canonical_answered, fail, qa_holding, reply_to, start_bot,
};
use support::world::*;
use support::{BotProcess, BotSetup, FakeDiscord, Origin, Shards, expect};

/// Patience for anything the bot does; the test machine is shared and busy.
const PATIENCE: Duration = Duration::from_secs(20);

/// The shard Discord routes the test guild to, out of `total`.
fn guild_shard(total: u64) -> u64 {
    (GUILD_ID >> 22) % total
}

/// A fake Discord for a bot of two shards, where the test guild lives on shard 1.
async fn two_shard_fake() -> FakeDiscord {
    assert_eq!(
        guild_shard(2),
        1,
        "the test guild must live on shard 1 of 2"
    );
    FakeDiscord::start()
        .await
        .expect("bind the fake on loopback")
}

/// `shard_range = [1, 1]` of `total_shards = 2`: the process IDENTIFYs as shard [1, 2] and only
/// that (serenity queues a range's shards in order, so a shard 0 would have identified before
/// shard 1), answers a mention in the guild that lives on shard 1, and, not holding shard 0,
/// leaves registering the slash commands to the process that does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shard_range_runs_only_its_own_shard() {
    let fake = two_shard_fake().await;
    let setup = BotSetup {
        shards: Some(Shards::Range {
            first: 1,
            last: 1,
            total: 2,
        }),
        ..BotSetup::default()
    };
    let mut bot = BotProcess::start(&fake, &setup).expect("spawn citebot run");
    bot.wait_shard_ready(1, PATIENCE).await;
    assert_eq!(fake.shard_owning(Some(GUILD_ID)), Some([1, 2]));

    canonical_answered(&fake, &bot, Origin::guild(MEMBER_ID), 0, PATIENCE).await;

    // Checked after the answer, so a stray shard had all that time to show up.
    let identified = fake.identified_shards();
    if identified != [[1, 2]] {
        fail(
            &bot,
            &format!("expected one IDENTIFY as shard [1, 2], got {identified:?}"),
        );
    }
    assert_eq!(
        fake.shard_owning(None),
        None,
        "a shard 0 is connected, so DMs would reach this process"
    );
    assert_eq!(
        bot.shard_ready_lines(0),
        0,
        "the bot logged a shard 0 READY"
    );
    assert_eq!(bot.shard_ready_lines(1), 1);
    let registrations = fake.calls_matching(|c| c.is_command_registration());
    assert!(
        registrations.is_empty(),
        "a process without shard 0 registered commands: {registrations:?}"
    );
}

/// `shards = "auto"`: the bot asks `GET /gateway/bot`, which recommends 2, and opens two gateway
/// connections identifying [0, 2] and [1, 2]. A mention in the test guild, dispatched only on
/// shard 1's connection, is answered; so is a DM, which goes to shard 0.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auto_sharding_follows_the_recommendation() {
    let fake = two_shard_fake().await;
    fake.recommend_shards(2);
    let setup = BotSetup {
        shards: Some(Shards::Auto),
        ..BotSetup::default()
    };
    let mut bot = BotProcess::start(&fake, &setup).expect("spawn citebot run");
    // Shard 0 registers the commands; serenity starts shard 1 five seconds after it.
    bot.wait_ready(&fake, PATIENCE).await;
    bot.wait_shard_ready(1, PATIENCE).await;

    assert!(
        fake.calls().iter().any(|c| c.is("GET", "/gateway/bot")),
        "auto sharding did not ask GET /gateway/bot"
    );
    let identify = fake.gateway_frames(2);
    let mut shards = fake.identified_shards();
    shards.sort_unstable();
    if shards != [[0, 2], [1, 2]] {
        fail(
            &bot,
            &format!("expected IDENTIFY as [0, 2] and [1, 2], got {shards:?}"),
        );
    }
    assert_ne!(
        identify[0].connection, identify[1].connection,
        "both shards identified on one connection"
    );
    assert!(
        fake.connections() >= 2,
        "{} gateway connections open",
        fake.connections()
    );
    assert_eq!(fake.shard_owning(Some(GUILD_ID)), Some([1, 2]));
    assert_eq!(fake.shard_owning(None), Some([0, 2]));

    canonical_answered(&fake, &bot, Origin::guild(MEMBER_ID), 0, PATIENCE).await;
    canonical_answered(&fake, &bot, Origin::dm(MEMBER_ID), 1, PATIENCE).await;
}

/// The bot's log lines announcing a finished reload.
fn reload_lines(bot: &BotProcess) -> Vec<String> {
    bot.log()
        .lines()
        .filter(|line| line.contains("knowledge reloaded"))
        .map(str::to_string)
        .collect()
}

/// Waits until the bot has logged `count` reloads; fails with the log otherwise.
async fn wait_for_reloads(bot: &BotProcess, count: usize) -> Vec<String> {
    let deadline = std::time::Instant::now() + PATIENCE;
    loop {
        let lines = reload_lines(bot);
        if lines.len() >= count {
            return lines;
        }
        if std::time::Instant::now() >= deadline {
            fail(bot, &format!("fewer than {count} reloads logged"));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// SIGHUP reloads the knowledge, and it is the signal that does it, not the folder watcher.
///
/// The test edits one entry's answer in `qa.toml` in a way the watcher deliberately ignores: the
/// same size (the answer's ASCII letters change case) and the modification time put back, so
/// the watcher's (name, size, mtime) stamp is unchanged and it does not reload. Then SIGHUP:
/// the one reload line logged names SIGHUP as its trigger and reports that entry as changed
/// (had anything reloaded the edit before the signal, that reload would have been logged and
/// this one would report nothing changed), no reload names a file change, and the next mention
/// gets the edited answer. A second SIGHUP with no edit reloads again (logged, nothing changed)
/// and the process keeps running, where SIGHUP's default action would have killed it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sighup_reloads_what_the_watcher_did_not() {
    let (fake, bot) = start_bot(&BotSetup::default(), PATIENCE).await;
    let snapshot = expect::snapshot(&bot.config_path());
    let (question, expected) = canonical(&snapshot, 2);
    let entry_id = expected.entry_id.clone().unwrap_or_default();
    let answer = expected.answer.clone().unwrap_or_default();

    let (qa, original) = qa_holding(&bot, &answer);
    let swapped: String = answer
        .chars()
        .map(|c| match c {
            'a'..='z' => c.to_ascii_uppercase(),
            'A'..='Z' => c.to_ascii_lowercase(),
            other => other,
        })
        .collect();
    assert_ne!(swapped, answer, "the answer has no ASCII letters to change");
    let before = std::fs::metadata(&qa).expect("stat qa.toml");
    let mtime = before.modified().expect("qa.toml's modification time");
    std::fs::write(&qa, original.replacen(&answer, &swapped, 1)).expect("edit qa.toml");
    std::fs::File::options()
        .write(true)
        .open(&qa)
        .and_then(|file| file.set_modified(mtime))
        .expect("put qa.toml's modification time back");
    let after = std::fs::metadata(&qa).expect("stat qa.toml");
    assert_eq!(after.len(), before.len(), "the edit changed the size");
    assert_eq!(
        after.modified().ok(),
        Some(mtime),
        "the mtime was not restored"
    );
    let edited = expect::snapshot(&bot.config_path()).ask(&question);
    assert_eq!(edited.entry_id.as_deref(), Some(entry_id.as_str()));
    assert_eq!(edited.answer.as_deref(), Some(swapped.as_str()));

    bot.signal("HUP").expect("send SIGHUP");
    let lines = wait_for_reloads(&bot, 1).await;
    let reload = &lines[0];
    if lines.len() != 1
        || !reload.contains("SIGHUP")
        || !reload.contains("1 changed")
        || !reload.contains(&entry_id)
    {
        fail(
            &bot,
            &format!("expected one SIGHUP reload changing {entry_id:?}, got {lines:?}"),
        );
    }

    let from = Origin::guild(MEMBER_ID);
    let asked = ask(&fake, &bot, from, &mention_bot(&question));
    let reply = reply_to(&fake, &bot, CHANNEL_ID, asked, PATIENCE).await;
    let text = text_of(&reply.body);
    if !contains_passage(&text, &swapped) || contains_passage(&text, &answer) {
        fail(
            &bot,
            &format!("after SIGHUP the reply is not the edited answer {swapped:?}:\n{text}"),
        );
    }

    bot.signal("HUP").expect("send SIGHUP again");
    let lines = wait_for_reloads(&bot, 2).await;
    if lines.len() != 2 || !lines[1].contains("SIGHUP") || !lines[1].contains("0 changed") {
        fail(
            &bot,
            &format!("expected a second SIGHUP reload with nothing changed, got {lines:?}"),
        );
    }
    if lines.iter().any(|line| line.contains("file change")) {
        fail(&bot, &format!("the watcher reloaded: {lines:?}"));
    }
    let asked = ask(&fake, &bot, from, &mention_bot(&question));
    let reply = reply_to(&fake, &bot, CHANNEL_ID, asked, PATIENCE).await;
    assert!(contains_passage(&text_of(&reply.body), &swapped));
}
