//! The reply as a person reads it in a terminal: answer, quoted excerpts with their paragraphs,
//! the source line. Shared by `citebot ask` and `citebot chat`.

use std::fmt::Write;

use crate::reply::{Reply, Status};

pub fn render(reply: &Reply) -> String {
    let mut out = String::new();
    if reply.truncated {
        let _ = writeln!(
            out,
            "(Your question was long, so only its first {} characters were read.)",
            reply.question.chars().count()
        );
    }
    match reply.status {
        Status::Answered => {
            if let Some(question) = &reply.matched_question {
                let _ = writeln!(out, "Q: {question}");
            }
            if let Some(answer) = &reply.answer {
                let _ = writeln!(out, "A: {answer}");
            }
            if !reply.excerpts.is_empty() {
                let _ = writeln!(out, "\nFrom the article:");
                for excerpt in &reply.excerpts {
                    let _ = writeln!(out, "  ({}) “{}”", excerpt.label, excerpt.text);
                }
            }
            let _ = writeln!(out, "\nSource: {}", source_line(reply));
        }
        Status::Ambiguous => {
            let _ = writeln!(out, "Did you mean:");
            list_suggestions(&mut out, reply);
        }
        Status::NoMatch => {
            match &reply.not_in_article {
                Some(known) => {
                    let _ = writeln!(out, "{} I only know what it says.", known.note);
                }
                None if reply.asks_nothing() => {
                    let _ = writeln!(
                        out,
                        "There is no question in that: ask me about the article."
                    );
                }
                None => {
                    let _ = writeln!(
                        out,
                        "The article does not answer that, as far as I can tell. I only know what it says."
                    );
                }
            }
            if reply.asks_nothing() && !reply.suggestions.is_empty() {
                let _ = writeln!(out, "For example:");
                list_suggestions(&mut out, reply);
            } else if !reply.suggestions.is_empty() {
                let _ = writeln!(out, "Closest questions I can answer:");
                list_suggestions(&mut out, reply);
            }
        }
    }
    out
}

fn list_suggestions(out: &mut String, reply: &Reply) {
    for (i, suggestion) in reply.suggestions.iter().enumerate() {
        let _ = writeln!(out, "  {}. {}", i + 1, suggestion.question);
    }
}

fn source_line(reply: &Reply) -> String {
    let source = &reply.source;
    let mut line = format!("“{}”", source.title);
    for extra in [&source.outlet, &source.published, &source.url]
        .into_iter()
        .flatten()
    {
        line.push_str(", ");
        line.push_str(extra);
    }
    line
}
