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
        let reply = match input.parse::<usize>() {
            Ok(number) => {
                let picked = last
                    .as_ref()
                    .and_then(|reply| reply.suggestions.get(number.checked_sub(1)?))
                    .and_then(|suggestion| snapshot.answer_entry(&suggestion.entry_id));
                match picked {
                    Some(reply) => reply,
                    None => {
                        println!("There is no suggestion {number} to pick; ask a question.\n");
                        continue;
                    }
                }
            }
            Err(_) => snapshot.ask(input),
        };
        println!("{}", super::text::render(&reply));
        last = Some(reply);
    }
    Ok(ExitCode::SUCCESS)
}
