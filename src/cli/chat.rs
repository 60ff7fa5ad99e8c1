//! `citebot chat`: an interactive session in the terminal, with line editing and history.
//! Typing the number of a suggestion answers it, as pressing its button does in Discord.

use std::process::ExitCode;

use rustyline::DefaultEditor;
use rustyline::error::ReadlineError;

use crate::engine::Snapshot;
use crate::reply::Reply;

pub fn run(snapshot: &Snapshot) -> anyhow::Result<ExitCode> {
    let mut editor = DefaultEditor::new()?;
    println!(
        "Ask about: {}\n(Type a question; a number picks a suggestion; Ctrl-D or \"quit\" ends.)",
        snapshot.knowledge.article.headline()
    );
    let mut last: Option<Reply> = None;
    loop {
        let line = match editor.readline("you> ") {
            Ok(line) => line,
            Err(ReadlineError::Interrupted | ReadlineError::Eof) => break,
            Err(error) => return Err(error.into()),
        };
        let input = line.trim();
        if input.is_empty() {
            continue;
        }
        if matches!(input, "quit" | "exit" | "/quit" | "/exit") {
            break;
        }
        let _ = editor.add_history_entry(input);
        let picked = input
            .parse::<usize>()
            .ok()
            .and_then(|n| last.as_ref()?.suggestions.get(n.checked_sub(1)?))
            .and_then(|s| snapshot.answer_entry(&s.entry_id));
        let reply = picked.unwrap_or_else(|| snapshot.ask(input));
        println!("{}", super::text::render(&reply));
        last = Some(reply);
    }
    Ok(ExitCode::SUCCESS)
}
