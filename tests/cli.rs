//! The `citebot` binary as a user runs it: `ask` in both forms, batch mode, `eval`, `gaps` and
//! `stats` on a log of their own, errors.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn citebot(args: &[&str], stdin: Option<&str>) -> Output {
    citebot_bytes(args, stdin.unwrap_or_default().as_bytes())
}

/// The replies of a batch that succeeded, one JSON object a line.
fn json_lines(output: &Output) -> Vec<Value> {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect()
}

fn article_lines() -> Vec<String> {
    std::fs::read_to_string(root().join("knowledge/article.txt"))
        .expect("article")
        .lines()
        .map(String::from)
        .collect()
}

#[test]
fn ask_json_answers_with_verbatim_cited_excerpts() {
    let output = citebot(
        &["ask", "--json", "who captured the north korean soldiers?"],
        None,
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let reply: Value = serde_json::from_slice(&output.stdout).expect("JSON reply");
    assert_eq!(reply["status"], "answered");
    assert!(reply["entry_id"].is_string());
    assert!(reply["answer"].as_str().is_some_and(|a| !a.is_empty()));
    let score = reply["score"].as_f64().expect("score");
    assert!((0.0..=1.0).contains(&score));
    let lines = article_lines();
    let excerpts = reply["excerpts"].as_array().expect("excerpts");
    assert!(!excerpts.is_empty());
    for excerpt in excerpts {
        let paragraph = excerpt["paragraph"].as_u64().expect("paragraph") as usize;
        let text = excerpt["text"].as_str().expect("text");
        assert!(lines[paragraph - 1].contains(text), "not verbatim: {text}");
        assert!(excerpt["label"].is_string());
    }
    assert!(reply["suggestions"].is_array());
}

#[test]
fn ask_prints_answer_excerpts_and_source_for_people() {
    let output = citebot(&["ask", "how", "old", "r", "they"], None);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("A: "), "{text}");
    assert!(text.contains('¶'), "{text}");
    assert!(text.contains("Source: "), "{text}");
}

#[test]
fn explain_shows_the_scores_and_the_reading_by_meaning() {
    let output = citebot(&["ask", "--explain", "what do the pair speak"], None);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("overlap"), "{text}");
    assert!(
        text.contains("meaning: nearest languages ("),
        "the stored question nearest in meaning is named: {text}"
    );
}

#[test]
fn explain_says_when_the_meaning_withdraws_the_words_answer() {
    let question = "what does russia say about the capture";
    let output = citebot(&["ask", "--explain", question], None);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("russia_reaction") && text.contains("the words' answer is withdrawn"),
        "{text}"
    );
}

#[test]
fn unanswerable_question_is_an_honest_no_match_not_an_error() {
    let output = citebot(
        &["ask", "--json", "what is the weather like in Paris today"],
        None,
    );
    assert!(output.status.success());
    let reply: Value = serde_json::from_slice(&output.stdout).expect("JSON reply");
    assert_eq!(reply["status"], "no_match");
    assert!(reply["answer"].is_null());
    assert!(reply["entry_id"].is_null());
    assert!(
        reply["suggestions"]
            .as_array()
            .is_some_and(|s| s.len() <= 3)
    );
}

#[test]
fn batch_mode_writes_one_json_reply_per_line_in_order() {
    let questions = [
        "who caught them",
        "",
        "what languages do they speak",
        "recipe for pancakes",
    ];
    let output = citebot(&["ask"], Some(&(questions.join("\n") + "\n")));
    let replies = json_lines(&output);
    assert_eq!(replies.len(), questions.len());
    for (reply, question) in replies.iter().zip(questions) {
        assert_eq!(reply["question"], question);
    }
    assert_eq!(replies[1]["status"], "no_match");
}

#[test]
fn same_question_same_reply_in_ask_and_batch() {
    let question = "who nabbed the soldiers";
    let single = citebot(&["ask", "--json", question], None);
    let batch = citebot(&["ask"], Some(question));
    let a: Value = serde_json::from_slice(&single.stdout).expect("json");
    let b: Value =
        serde_json::from_str(String::from_utf8_lossy(&batch.stdout).trim()).expect("json");
    assert_eq!(a, b);
}

#[test]
fn eval_reports_accuracy_and_misses() {
    let output = citebot(&["eval", "tests/eval/questions.jsonl"], None);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("answerable"), "{text}");
    assert!(text.contains("confidently wrong"), "{text}");
}

#[test]
fn broken_config_is_reported_with_its_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[matching]\nthreshold = \"high\"\n").expect("write");
    let output = citebot(
        &["--config", config.to_str().expect("utf8"), "ask", "hi"],
        None,
    );
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("config.toml"), "{stderr}");
}

/// `citebot args...` started in the project folder, every stream piped.
fn spawn(args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_citebot"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("citebot starts")
}

fn citebot_bytes(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = spawn(args);
    if let Some(mut pipe) = child.stdin.take() {
        pipe.write_all(stdin).expect("stdin written");
    }
    child.wait_with_output().expect("citebot finishes")
}

#[test]
fn explain_with_json_keeps_standard_output_json() {
    let output = citebot(&["ask", "--explain", "--json", "how old are they"], None);
    assert!(output.status.success());
    let reply: Value = serde_json::from_slice(&output.stdout).expect("stdout is JSON alone");
    assert_eq!(reply["entry_id"], "ages");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("terms:"), "{stderr}");
    // Batch mode explains too, on standard error.
    let batch = citebot(&["ask", "--explain"], Some("how old are they\n"));
    let stderr = String::from_utf8_lossy(&batch.stderr);
    assert!(stderr.contains("terms:"), "{stderr}");
    let reply: Value = serde_json::from_slice(&batch.stdout).expect("stdout is JSON alone");
    assert_eq!(reply["entry_id"], "ages");
}

#[test]
fn a_line_that_is_not_utf8_does_not_end_a_batch() {
    let output = citebot_bytes(
        &["ask"],
        b"how old are they\n\xff\xfe\nwho captured the soldiers\n",
    );
    let replies = json_lines(&output);
    assert_eq!(replies.len(), 3, "{replies:?}");
    assert_eq!(replies[0]["entry_id"], "ages");
    assert_eq!(replies[1]["status"], "no_match");
    assert_eq!(replies[2]["entry_id"], "capture");
}

#[test]
fn a_reader_that_stops_reading_is_not_an_error() {
    use std::io::BufRead;
    let mut child = spawn(&["ask"]);
    // Far more replies than a pipe holds, so citebot is still writing when the pipe closes.
    let questions = "how old are they\n".repeat(2_000);
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(questions.as_bytes());
    });
    let stdout = child.stdout.take().expect("stdout");
    let mut first = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut first)
        .expect("one reply");
    assert!(first.contains("\"ages\""), "{first}");
    // The reader goes away, as `| head -1` does.
    let output = child.wait_with_output().expect("citebot finishes");
    let _ = writer.join();
    assert!(output.status.success(), "{:?}", output.status);
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn eval_refuses_an_empty_set_and_a_misspelt_or_missing_expect() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text, says) in [
        ("empty.jsonl", "\n\n", "no questions"),
        (
            "typo.jsonl",
            "{\"q\": \"how old are they\", \"expcet\": \"ages\"}\n",
            "unknown field `expcet`",
        ),
        (
            "missing.jsonl",
            "{\"q\": \"how old are they\"}\n",
            "missing field `expect`",
        ),
        (
            "no_match.jsonl",
            "{\"q\": \"what is his name\", \"expect\": \"no_match\"}\n",
            "null",
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        let output = citebot(&["eval", path.to_str().expect("utf8")], None);
        assert!(!output.status.success(), "{name}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(name), "{name}: {stderr}");
        assert!(stderr.contains(says), "{name}: {stderr}");
    }
}

#[test]
fn chat_reads_slash_ask_and_ends_on_quit_in_any_case() {
    let output = citebot(
        &["chat"],
        Some("/ask who captured the soldiers\nQUIT\nhow old are they\n"),
    );
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("What happened to the North Korean soldiers in Russia?"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("How old are the North Korean prisoners?"),
        "the session went on after QUIT: {stdout}"
    );
}

/// `run` where no config.toml is says it runs on defaults, before it stops for want of a token
/// (which it names without printing anything of one).
#[test]
fn run_without_a_config_file_says_it_uses_the_defaults() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let output = Command::new(env!("CARGO_BIN_EXE_citebot"))
        .args([
            "--knowledge",
            &root().join("knowledge").to_string_lossy(),
            "run",
        ])
        .current_dir(folder.path())
        .env_remove("DISCORD_TOKEN")
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1")
        .output()
        .expect("citebot runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr
            .contains("no config.toml in the working directory: running on the built-in defaults"),
        "{stderr}"
    );
    assert!(stderr.contains("DISCORD_TOKEN"), "{stderr}");
}

// ---------------------------------------------------------------- gaps and stats

/// Two logged questions the article does not answer, as `citebot run` writes them.
const LOGGED: &str = concat!(
    r#"{"time":"2026-01-01T00:00:00Z","status":"no_match","question":"what are the soldiers names","candidates":[],"guild":"1","channel":"2","user":"ab"}"#,
    "\n",
    r#"{"time":"2026-01-01T00:01:00Z","status":"no_match","question":"what is the weather in kyiv","candidates":[],"guild":"1","channel":"2","user":"cd"}"#,
    "\n",
);

/// Votes on one answer, as `citebot run` keeps them.
const VOTES: &str = r#"{"answers":{"m1":{"entry":"capture","voters":{"h1":"up","h2":"down"}}}}"#;

/// `citebot args...` in the project folder, its unanswered log (and so its votes file, beside
/// it) at `log`.
fn curating(log: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_citebot"));
    command
        .args(args)
        .current_dir(root())
        .env("CITEBOT_LOG__UNANSWERED_PATH", log)
        .stdin(Stdio::null());
    command
}

const CURATING: [&[&str]; 4] = [
    &["gaps"],
    &["gaps", "--json"],
    &["stats"],
    &["stats", "--json"],
];

#[test]
fn gaps_and_stats_end_quietly_when_the_reader_goes_away() {
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("unanswered.jsonl");
    std::fs::write(&log, LOGGED).expect("write the log");
    std::fs::write(dir.path().join("citebot-votes.json"), VOTES).expect("write the votes");
    for args in CURATING {
        // A pipe whose reader is already gone, as `| (exec 0<&-; true)` leaves it: the first
        // write fails.
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        let output = curating(&log, args)
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .expect("citebot runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}

#[test]
fn gaps_and_stats_tell_a_missing_log_from_an_empty_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("curation");
    let log = folder.join("unanswered.jsonl");
    for args in CURATING {
        let output = curating(&log, args).output().expect("citebot runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}: nothing on stdout");
        let said = if args[0] == "gaps" {
            format!("no log at {}", log.display())
        } else {
            format!(
                "no votes file at {}",
                folder.join("citebot-votes.json").display()
            )
        };
        assert!(stderr.contains(&said), "{args:?}: {stderr}");
        assert!(stderr.contains("unanswered_path"), "{args:?}: {stderr}");
    }
    // There, but empty: read, and nothing in them.
    std::fs::create_dir_all(&folder).expect("mkdir");
    std::fs::write(&log, "").expect("write the log");
    std::fs::write(folder.join("citebot-votes.json"), r#"{"answers":{}}"#).expect("write");
    for (args, says) in [
        (&["gaps"][..], "No unanswered questions"),
        (&["gaps", "--json"], "[]"),
        (&["stats"], "No votes yet"),
        (&["stats", "--json"], "[]"),
    ] {
        let output = curating(&log, args).output().expect("citebot runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{args:?}: {stdout}");
        assert!(stdout.contains(says), "{args:?}: {stdout}");
    }
}

#[test]
fn gaps_shows_readers_control_characters_escaped_and_json_keeps_them_intact() {
    let hostile = "who are they\u{1b}[2J\u{1b}]0;pwned\u{7} \u{202e}sdrawkcab\u{2066}x\u{2069}\u{200e}\u{200f}\u{9b}\u{7f}";
    let record = serde_json::json!({
        "time": "2026-01-01T00:00:00Z", "status": "no_match", "question": hostile,
        "candidates": [], "guild": "1", "channel": "2", "user": "ab",
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("unanswered.jsonl");
    std::fs::write(&log, format!("{record}\n")).expect("write the log");
    let raw = |text: &str| -> Vec<char> {
        text.chars()
            .filter(|&c| {
                c != '\n'
                    && (c.is_control()
                        || matches!(
                            c,
                            '\u{200e}' | '\u{200f}' | '\u{202e}' | '\u{2066}' | '\u{2069}'
                        ))
            })
            .collect()
    };

    let output = curating(&log, &["gaps"]).output().expect("citebot runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{text}");
    assert_eq!(raw(&text), [], "reached the terminal raw: {text:?}");
    assert!(
        text.contains("who are they\\u{1b}[2J\\u{1b}]0;pwned\\u{7} \\u{202e}sdrawkcab"),
        "{text}"
    );

    let output = curating(&log, &["gaps", "--json"])
        .output()
        .expect("citebot runs");
    let json = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{json}");
    assert_eq!(raw(&json), [], "reached the terminal raw: {json:?}");
    let groups: Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(
        groups[0]["examples"][0], hostile,
        "the text itself is kept: {json}"
    );
}

#[test]
fn gaps_counts_what_its_groups_show_and_lists_votes_without_a_question_apart() {
    // A "not helpful" on an answer given before a restart: the log has no question for it.
    let unasked = r#"{"time":"2026-01-01T00:02:00Z","status":"voted_down","question":null,"entry":"capture","candidates":[],"guild":"1","channel":"2","user":"ef"}"#;
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("unanswered.jsonl");
    std::fs::write(&log, format!("{LOGGED}{unasked}\n")).expect("write the log");
    let output = curating(&log, &["gaps"]).output().expect("citebot runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{text}");
    let shown: usize = text
        .lines()
        .filter_map(|line| line.trim_start().split_once(" × "))
        .filter_map(|(count, _)| count.parse::<usize>().ok())
        .sum();
    assert_eq!(shown, 2, "{text}");
    assert!(text.starts_with("2 unanswered questions;"), "{text}");
    assert!(
        text.contains("1 “not helpful” vote on an answer given before a restart")
            && text.contains("capture (1)"),
        "{text}"
    );

    // Only such a vote: no question to group, and the vote still shown.
    std::fs::write(&log, format!("{unasked}\n")).expect("write the log");
    let output = curating(&log, &["gaps"]).output().expect("citebot runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("No unanswered questions"), "{text}");
    assert!(text.contains("capture (1)"), "{text}");
}

#[test]
fn gaps_refuses_to_show_the_top_zero_groups() {
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("unanswered.jsonl");
    std::fs::write(&log, LOGGED).expect("write the log");
    let output = curating(&log, &["gaps", "--top", "0"])
        .output()
        .expect("citebot runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--top") && stderr.contains("1 or more"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
    let output = curating(&log, &["gaps", "--top", "1"])
        .output()
        .expect("citebot runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("the 1 largest group of"), "{text}");
}

// ---------------------------------------------------------------- bench

/// A bench that only loads and times the shipped knowledge, briefly.
const SHORT_BENCH: [&str; 7] = [
    "bench",
    "--entries",
    "0",
    "--queries",
    "10",
    "--naive-queries",
    "1",
];

#[test]
fn bench_refuses_a_questions_file_it_cannot_read() {
    let mut args = SHORT_BENCH.to_vec();
    args.extend(["--questions", "nope.jsonl"]);
    let output = citebot(&args, None);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("nope.jsonl"), "{stderr}");
}

#[test]
fn bench_says_when_the_default_questions_file_is_not_there() {
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let output = Command::new(env!("CARGO_BIN_EXE_citebot"))
        .current_dir(elsewhere.path())
        .arg("--config")
        .arg(root().join("config.toml"))
        .arg("--knowledge")
        .arg(root().join("knowledge"))
        .args(SHORT_BENCH)
        .output()
        .expect("citebot runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("no tests/eval/questions.jsonl here"),
        "{stdout}"
    );
    // From the repository, the default is read and said so.
    let output = citebot(&SHORT_BENCH, None);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("questions from tests/eval/questions.jsonl"),
        "{stdout}"
    );
}

#[test]
fn bench_on_a_knowledge_without_entries_says_there_is_nothing_to_time() {
    let empty = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        empty.path().join("qa.toml"),
        "[source]\ntitle = \"t\"\narticle = \"article.txt\"\n",
    )
    .expect("write qa.toml");
    std::fs::copy(
        root().join("knowledge/article.txt"),
        empty.path().join("article.txt"),
    )
    .expect("copy the article");
    let output = Command::new(env!("CARGO_BIN_EXE_citebot"))
        .current_dir(empty.path())
        .arg("--knowledge")
        .arg(empty.path())
        .args(SHORT_BENCH)
        .output()
        .expect("citebot runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("no questions to time"), "{stdout}");
}
