//! End to end: `/kb teach` from Discord, through the fake Discord (`tests/support`) into the real
//! `citebot run` binary. A taught phrasing lands in the bot's `qa.toml` and the same question is
//! then answered by that entry; a phrasing that collides with another entry is refused with the
//! diagnostic and `qa.toml` is left byte for byte as it was; members who may not curate are
//! refused too.

mod support;

use std::time::Duration;

use serde_json::Value;

use citebot::knowledge::{lints, teach};
use citebot::reply::Status;
use support::inspect::{contains_passage, is_ephemeral, text_of};
use support::payloads::{ask_options, teach_autocomplete_options, teach_options};
use support::scenario::{fail, interaction_reply, start_bot};
use support::world::*;
use support::{BotProcess, BotSetup, FakeDiscord, Origin, expect};

/// Patience for anything the bot does; the test machine is shared and busy.
const PATIENCE: Duration = Duration::from_secs(30);

/// The entry a curator teaches, and questions a reader might ask for it in other words.
const ENTRY: &str = "how_many";
const CANDIDATES: [&str; 5] = [
    "what's the pow headcount",
    "headcount of captives",
    "how big was the haul of pows",
    "tally of north korean captives",
    "what number of nk fighters are in ukrainian hands",
];

/// The first candidate the bot's knowledge does not yet answer with [`ENTRY`] and that `citebot
/// check` accepts as a phrasing of it (worked out with the core, so edits to the shipped
/// knowledge do not break the test).
fn teachable_question(bot: &BotProcess) -> String {
    let config = citebot::config::Config::load(&bot.config_path()).expect("the test config");
    let dir = bot.knowledge_dir();
    let qa = std::fs::read_to_string(dir.join("qa.toml")).expect("read qa.toml");
    let article = std::fs::read_to_string(dir.join("article.txt")).expect("read article.txt");
    let snapshot = expect::snapshot(&bot.config_path());
    CANDIDATES
        .iter()
        .find(|question| {
            snapshot.ask(question).entry_id.as_deref() != Some(ENTRY)
                && teach::add_phrasing(&qa, ENTRY, question).is_ok_and(|edited| {
                    !lints::check_str(&dir, &edited, &article, &config.matching).has_errors()
                })
        })
        .map(|question| question.to_string())
        .unwrap_or_else(|| panic!("no candidate question is new and teachable to {ENTRY}"))
}

async fn send(
    fake: &FakeDiscord,
    bot: &BotProcess,
    from: u64,
    name: &str,
    options: Value,
) -> Value {
    let sent = fake
        .send_command(Origin::guild(from), name, options)
        .unwrap_or_else(|| fail(bot, "no gateway session to dispatch to"));
    interaction_reply(fake, bot, &sent, PATIENCE).await
}

fn read(path: &std::path::Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn teach_adds_a_phrasing_and_the_question_is_then_answered() {
    let (fake, bot) = start_bot(&BotSetup::default(), PATIENCE).await;
    let question = teachable_question(&bot);
    let new_question = question.as_str();
    let qa = bot.knowledge_dir().join("qa.toml");
    let original = read(&qa);
    let before = expect::snapshot(&bot.config_path()).ask(new_question);
    assert_ne!(
        before.entry_id.as_deref(),
        Some(ENTRY),
        "{new_question:?} is already answered with {ENTRY}"
    );

    // The entry option completes to entry ids, for curators.
    let completing = fake
        .send_autocomplete(
            Origin::guild(ADMIN_ID),
            "kb",
            teach_autocomplete_options(new_question, &ENTRY[..3]),
        )
        .unwrap_or_else(|| fail(&bot, "no session"));
    let choices = interaction_reply(&fake, &bot, &completing, PATIENCE).await;
    let offered: Vec<&str> = choices["choices"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["value"].as_str())
        .collect();
    assert!(offered.contains(&ENTRY), "autocomplete offered {offered:?}");

    // A plain member may not teach.
    let refused = send(
        &fake,
        &bot,
        MEMBER_ID,
        "kb",
        teach_options(new_question, ENTRY),
    )
    .await;
    assert!(is_ephemeral(&refused), "{refused}");
    assert_eq!(
        read(&qa),
        original,
        "a plain member's teach changed qa.toml"
    );

    let taught = send(
        &fake,
        &bot,
        ADMIN_ID,
        "kb",
        teach_options(new_question, ENTRY),
    )
    .await;
    let text = text_of(&taught);
    if !text.contains("Phrasing added") || !text.contains(new_question) {
        fail(&bot, &format!("the teach did not report success: {text}"));
    }
    let now = String::from_utf8(read(&qa)).expect("qa.toml is UTF-8");
    assert!(
        now.contains(&format!("\"{new_question}\"")),
        "not in qa.toml"
    );
    assert_eq!(
        read(&bot.knowledge_dir().join("qa.toml.bak")),
        original,
        "the backup is not the previous qa.toml"
    );

    // The core, loading the edited file, answers the question with the entry; so does the bot.
    let expected = expect::snapshot(&bot.config_path()).ask(new_question);
    assert_eq!(expected.status, Status::Answered);
    assert_eq!(expected.entry_id.as_deref(), Some(ENTRY));
    let answered = send(&fake, &bot, MEMBER_ID, "ask", ask_options(new_question)).await;
    let text = text_of(&answered);
    let answer = expected.answer.unwrap_or_default();
    if !contains_passage(&text, &answer) {
        fail(
            &bot,
            &format!("not answered with {ENTRY} after the teach: {text}"),
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_colliding_teach_is_refused_and_qa_toml_is_unchanged() {
    let (fake, bot) = start_bot(&BotSetup::default(), PATIENCE).await;
    let qa = bot.knowledge_dir().join("qa.toml");
    let original = read(&qa);
    let snapshot = expect::snapshot(&bot.config_path());
    // Another entry's own main question, taught to ENTRY: the two entries would collide.
    let other = snapshot
        .knowledge
        .entries
        .iter()
        .find(|e| e.id != ENTRY)
        .expect("a second entry");
    let question = other.questions[0].clone();

    let refused = send(&fake, &bot, ADMIN_ID, "kb", teach_options(&question, ENTRY)).await;
    let text = text_of(&refused);
    if !text.contains("Not taught") || !text.contains(&other.id) || !text.contains("qa.toml") {
        fail(
            &bot,
            &format!(
                "the refusal does not name the file and the entry {}: {text}",
                other.id
            ),
        );
    }
    assert_eq!(read(&qa), original, "qa.toml changed");
    assert!(!bot.knowledge_dir().join("qa.toml.bak").exists());
    // Still answered by its own entry.
    assert_eq!(
        expect::snapshot(&bot.config_path())
            .ask(&question)
            .entry_id
            .as_deref(),
        Some(other.id.as_str())
    );
}

/// A curator saves `qa.toml` by hand while a teach is running: both changes end up in the file
/// and in the answers. (The unit tests in `knowledge::teach` place the hand edit at the worst
/// moment deterministically; here it lands wherever the real timing puts it.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hand_edit_during_a_teach_loses_nothing() {
    let (fake, bot) = start_bot(&BotSetup::default(), PATIENCE).await;
    let question = teachable_question(&bot);
    let new_question = question.as_str();
    let qa = bot.knowledge_dir().join("qa.toml");
    let snapshot = expect::snapshot(&bot.config_path());
    let entry = snapshot
        .knowledge
        .entries
        .iter()
        .find(|e| e.id != ENTRY)
        .expect("a second entry");
    let answer = entry.answer.clone();
    let edited_answer = format!("{answer} (Edited by hand during a teach.)");

    let sent = fake
        .send_command(
            Origin::guild(ADMIN_ID),
            "kb",
            teach_options(new_question, ENTRY),
        )
        .unwrap_or_else(|| fail(&bot, "no session"));
    // The teach checks the whole knowledge before writing, which takes a moment: save meanwhile,
    // the way an editor does (read, change, write back).
    tokio::time::sleep(Duration::from_millis(50)).await;
    let text = String::from_utf8(read(&qa)).expect("qa.toml is UTF-8");
    assert!(
        text.contains(&answer),
        "the answer is not verbatim in qa.toml"
    );
    std::fs::write(&qa, text.replacen(&answer, &edited_answer, 1)).expect("hand edit");

    let taught = text_of(&interaction_reply(&fake, &bot, &sent, PATIENCE).await);
    if !taught.contains("Phrasing added") {
        fail(&bot, &format!("the teach did not go through: {taught}"));
    }
    let now = String::from_utf8(read(&qa)).expect("qa.toml is UTF-8");
    assert!(now.contains(&edited_answer), "the hand edit was lost");
    assert!(
        now.contains(&format!("\"{new_question}\"")),
        "the taught phrasing was lost"
    );

    // Both are served once the watcher has picked up the last write.
    let deadline = std::time::Instant::now() + PATIENCE;
    loop {
        let edited = text_of(
            &send(
                &fake,
                &bot,
                MEMBER_ID,
                "ask",
                ask_options(&entry.questions[0]),
            )
            .await,
        );
        let taught = text_of(&send(&fake, &bot, MEMBER_ID, "ask", ask_options(new_question)).await);
        let expected = expect::snapshot(&bot.config_path()).ask(new_question);
        if contains_passage(&edited, &edited_answer)
            && contains_passage(&taught, expected.answer.as_deref().unwrap_or("?"))
        {
            break;
        }
        if std::time::Instant::now() > deadline {
            fail(&bot, &format!("not both served: {edited}\n---\n{taught}"));
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}
