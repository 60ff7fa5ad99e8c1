//! Reading `qa.toml` in pieces must be indistinguishable from reading it whole: the same
//! knowledge, the same spans, the same diagnostics, whatever the piece size.

use std::fmt::Write as _;

use super::builder::Builder;
use super::*;
use crate::knowledge::raw::RawQa;

const ARTICLE: &str = "Two soldiers captured\n\
    The wounded fighters were taken to Kyiv for questioning, authorities said.\n\
    He said he was born in 1999 and had served as a scout sniper since 2016.\n\
    The prisoners do not speak Ukrainian, the SBU said.\n";

const HEAD: &str = "# a comment\n[source]\ntitle = \"Two soldiers\"\narticle = \"article.txt\"\n\
                    published = 2024-12-28\n\n[synonyms]\nborn = [\"birth\"]\nkyiv = [\"kiev\"]\n";

/// `n` entries (some written with escapes, arrays over several lines, tags), a probe after
/// every fifth.
fn entries(n: usize) -> String {
    let mut text = String::new();
    for i in 0..n {
        let _ = write!(
            text,
            "\n[[entry]]\nid = \"e{i}\"\nquestions = [\n  \"when was he born {i}\",\n  \
             'literal {i}',\n]\nanswer = \"He said \\\"1999\\\" ({i}).\"\n\
             excerpts = [\"born in 1999\", \"taken to Kyiv\"]\ntags = [\"t{i}\"]\n"
        );
        if i % 5 == 4 {
            let _ = write!(
                text,
                "\n[[probe]]  # checks e{i}\nquestion = \"born {i}\"\nexpect = \"e{i}\"\n"
            );
        }
    }
    text
}

fn read_article(_: &Path) -> Result<String, ReadFailure> {
    Ok(ARTICLE.to_string())
}

fn qa_file(qa: &str) -> SourceFile {
    SourceFile::new("kb/qa.toml", qa)
}

/// What a load gave, in a form two loads can be compared by.
fn outcome(result: Result<Loaded, LoadError>) -> String {
    match result {
        Ok(loaded) => format!("{:?}\n{:?}", loaded.knowledge, loaded.spans),
        Err(error) => format!("{:?}", error.diagnostics),
    }
}

/// The file read whole, the way TOML errors are always reported.
fn whole(qa: &str) -> String {
    let file = qa_file(qa);
    let dir = Path::new("kb");
    outcome(match toml::from_str::<RawQa>(qa) {
        Ok(raw) => Builder::start(dir, &file, raw, &read_article, true)
            .finish()
            .into_loaded(dir, file),
        Err(error) => Err(LoadError {
            diagnostics: vec![toml_diagnostic(&file, &error)],
            files: SourceFiles::new(),
        }),
    })
}

/// Asserts that every piece size gives what the whole file gives; returns whether the
/// smallest pieces were used (rather than falling back to the whole file).
fn same_in_pieces(qa: &str) -> bool {
    let expected = whole(qa);
    for piece_bytes in [1, 100, 700, PIECE_BYTES] {
        let got = outcome(build(
            Path::new("kb"),
            qa_file(qa),
            &read_article,
            true,
            piece_bytes,
        ));
        assert_eq!(got, expected, "pieces of {piece_bytes} bytes, for:\n{qa}");
    }
    let file = qa_file(qa);
    build_in_pieces(Path::new("kb"), &file, &read_article, true, 1).is_some()
}

#[test]
fn a_clean_file_loads_the_same_in_pieces() {
    let qa = format!("{HEAD}{}", entries(40));
    assert!(same_in_pieces(&qa), "the pieces were used");
    let loaded = build(Path::new("kb"), qa_file(&qa), &read_article, true, 1);
    let loaded = loaded.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.knowledge.entries.len(), 40);
    assert_eq!(loaded.knowledge.probes.len(), 8);
    assert_eq!(
        loaded.knowledge.entries[39].answer,
        "He said \"1999\" (39)."
    );
    // Spans from late pieces point into the whole file.
    let span = loaded.spans.entries[39].id.clone();
    assert_eq!(&qa[span], "\"e39\"");
}

#[test]
fn not_in_article_tables_load_the_same_in_pieces() {
    let gap = |i: usize| {
        format!(
            "\n[[not_in_article]]\nid = \"gap{i}\"\nnote = \"The article does not say ({i}).\"\n\
             questions = [\"what is his name {i}\", \"name {i}?\"]\n"
        )
    };
    let qa = format!(
        "{HEAD}{}{}{}{}",
        gap(0),
        entries(20),
        (1..6).map(gap).collect::<String>(),
        entries(3).replace("id = \"e", "id = \"late")
    );
    assert!(same_in_pieces(&qa), "the pieces were used");
    let loaded = build(Path::new("kb"), qa_file(&qa), &read_article, true, 1);
    let loaded = loaded.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.knowledge.entries.len(), 23);
    assert_eq!(loaded.knowledge.not_in_article.len(), 6);
    assert_eq!(
        loaded.knowledge.not_in_article[5].note,
        "The article does not say (5)."
    );
    let span = loaded.spans.not_in_article[5].id.clone();
    assert_eq!(&qa[span], "\"gap5\"");
}

#[test]
fn problems_across_pieces_are_reported_the_same() {
    let mut qa = format!("{HEAD}{}", entries(30));
    qa = qa.replacen("id = \"e25\"", "id = \"e3\"", 1);
    qa = qa.replacen(
        "answer = \"He said \\\"1999\\\" (17).\"",
        "answer = \"  \"",
        1,
    );
    qa = qa.replacen(
        "\"taken to Kyiv\"]\ntags = [\"t20\"]",
        "\"taken to Kiev\"]\ntags = [\"t20\"]",
        1,
    );
    qa = qa.replacen("expect = \"e9\"", "expect = \"e99\"", 1);
    qa.push_str("\n[[entry]]\nid = \"\"\nquestions = [\"\"]\nanswer = \"x\"\nexcerpts = []\n");
    assert!(same_in_pieces(&qa), "the pieces were used");
    let diagnostics = match build(Path::new("kb"), qa_file(&qa), &read_article, true, 1) {
        Ok(_) => panic!("the knowledge has errors"),
        Err(error) => error.diagnostics,
    };
    let codes: Vec<&str> = diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        [
            "empty-field",          // e17's answer
            "excerpt-not-verbatim", // e20's Kiev
            "duplicate-id",         // e25 is called e3
            "empty-field",          // the last entry's id,
            "empty-field",          // question
            "empty-field",          // and excerpts
            "unknown-id"            // the probe expecting e99
        ],
        "{diagnostics:#?}"
    );
}

#[test]
fn files_whose_pieces_do_not_stand_alone_are_read_whole() {
    let body = entries(12);
    let cases = [
        // Valid TOML, but not in the usual order.
        format!("{body}\n{HEAD}"),
        format!("[source]\ntitle = \"t\"\narticle = \"article.txt\"\n{body}\n[synonyms]\nx = [\"y\"]\n"),
        // A `[[entry]]` line inside a multi-line string.
        format!("{HEAD}{body}\n[[entry]]\nid = \"m\"\nquestions = [\"q\"]\nanswer = '''\n[[entry]]\n'''\nexcerpts = [\"born in 1999\"]\n{body}").replace("e1\"", "e1b\""),
        // A header the cutting does not know, before the first cut.
        format!("{HEAD}\n[[ entry ]]\nid = \"s\"\nquestions = [\"q\"]\nanswer = \"a\"\nexcerpts = [\"born in 1999\"]\n{body}"),
        // TOML errors that only show across pieces.
        format!("entry = []\n{HEAD}{body}"),
        format!("not_in_article = []\n{HEAD}{body}\n[[not_in_article]]\nid = \"g\"\nnote = \"n\"\nquestions = [\"q\"]\n"),
        format!("{HEAD}{body}\n[source]\ntitle = \"again\"\narticle = \"article.txt\"\n"),
        format!("{HEAD}{body}\n[entry.extra]\nx = 1\n"),
        format!("{HEAD}{body}\n[[entry]]\nid = \"open\nquestions = [\"q\"]\n"),
        format!("{HEAD}{body}\n[[probe]]\nquestion = \"q\"\nexpect = \"e1\"\nwrong = 1\n"),
    ];
    for qa in &cases {
        assert!(!same_in_pieces(qa), "read whole:\n{qa}");
    }
}
