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
    let mut unreadable = 0;
    loop {
        let line = match editor.readline("you> ") {
            Ok(line) => line,
            Err(ReadlineError::Interrupted | ReadlineError::Eof) => break,
            // A line that is not text (bytes pasted from elsewhere) loses that line only; a
            // stream of nothing else ends the session.
            Err(error) if is_not_text(&error) && unreadable < 3 => {
                unreadable += 1;
                println!("That line was not readable text (not UTF-8); ask again.\n");
                continue;
            }
            Err(error) => return Err(error.into()),
        };
        unreadable = 0;
        // "/ask ..." as in Discord.
        let input = line.trim();
        let input = input.strip_prefix("/ask ").unwrap_or(input).trim();
        if input.is_empty() {
            continue;
        }
        if ends_the_session(input) {
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

/// "quit", "Exit.", "/quit"...: a word that ends the session, in any case, with or without a
/// slash or a closing full stop or exclamation mark.
fn ends_the_session(input: &str) -> bool {
    let word = input
        .trim_start_matches('/')
        .trim_end_matches(['.', '!'])
        .to_lowercase();
    matches!(word.as_str(), "quit" | "exit" | "bye" | "q")
}

fn is_not_text(error: &ReadlineError) -> bool {
    matches!(error, ReadlineError::Io(io) if io.kind() == std::io::ErrorKind::InvalidData)
}

#[cfg(test)]
mod tests {
    use super::ends_the_session;

    #[test]
    fn the_session_ends_on_quit_in_any_case() {
        for word in ["quit", "QUIT", "Exit.", "/quit", "bye!", "q"] {
            assert!(ends_the_session(word), "{word:?}");
        }
        for question in ["quit the war?", "exit strategy", "how old are they"] {
            assert!(!ends_the_session(question), "{question:?}");
        }
    }
}
