//! `citebot bench`: load time, query latency (p50/p99), peak memory, and the speed-up over a
//! naive linear scan, for the shipped knowledge and a synthetic one of 100,000 entries.
//! Figures, not assertions: the README quotes what this prints (built with `--release`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;

use crate::config::Config;
use crate::engine::Snapshot;
use crate::knowledge::{Knowledge, loader};
use crate::matcher::{Matcher, normalise};
use crate::synthetic::{self, Rng};

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Entries in the synthetic knowledge.
    #[arg(long, default_value_t = 100_000)]
    pub entries: usize,
    /// Timed queries per knowledge.
    #[arg(long, default_value_t = 5_000)]
    pub queries: usize,
    /// Queries also answered by the naive scan (it is slow on large knowledge).
    #[arg(long, default_value_t = 30)]
    pub naive_queries: usize,
    /// Extra questions for the shipped knowledge (JSON lines with "q"), e.g. the eval set; a
    /// file given here that cannot be read is an error. Default: tests/eval/questions.jsonl,
    /// when there is one (run from the repository).
    #[arg(long, value_name = "PATH")]
    pub questions: Option<PathBuf>,
}

/// The calibration set, beside the sources: there when run from the repository.
const DEFAULT_QUESTIONS: &str = "tests/eval/questions.jsonl";

/// The extra questions to time on the shipped knowledge, and a line saying where they came from.
fn extra_questions(args: &BenchArgs) -> anyhow::Result<(Vec<String>, String)> {
    let path = match &args.questions {
        Some(path) => path.as_path(),
        // Outside the repository the default is not there, which is no mistake of the user's;
        // but the figures then come from other questions, and the output must say so.
        None if !Path::new(DEFAULT_QUESTIONS).exists() => {
            return Ok((
                Vec::new(),
                format!(
                    "no {DEFAULT_QUESTIONS} here (run from the repository, or pass --questions): \
                     none but the stored questions"
                ),
            ));
        }
        None => Path::new(DEFAULT_QUESTIONS),
    };
    let questions: Vec<String> = crate::eval::read_questions(path)
        .with_context(|| {
            format!(
                "cannot read the questions file {}: give a JSON lines file of {{\"q\": ...}} \
                 with --questions PATH, or leave --questions out",
                path.display()
            )
        })?
        .into_iter()
        .map(|(_, q)| q.q)
        .collect();
    let from = format!("{} questions from {}", questions.len(), path.display());
    Ok((questions, from))
}

pub fn run(dir: &Path, config: &Config, args: &BenchArgs) -> anyhow::Result<ExitCode> {
    if cfg!(debug_assertions) {
        println!(
            "note: this is a debug build; run `cargo run --release -- bench` for real figures"
        );
    }
    println!("memory at start: {}", memory());

    let started = Instant::now();
    let shipped = crate::cli::load(dir, config)?;
    let load_time = started.elapsed();
    let started = Instant::now();
    let _ = Matcher::new(&shipped.knowledge, &config.matching);
    let index_time = started.elapsed();
    let (mut questions, from) = extra_questions(args)?;
    let stored = shipped.matcher.len();
    let mut rng = Rng::new(7);
    for entry in &shipped.knowledge.entries {
        for question in &entry.questions {
            questions.push(synthetic::perturb(&mut rng, question));
        }
    }
    println!(
        "\nshipped knowledge: {} entries, {stored} stored questions",
        shipped.knowledge.entries.len(),
    );
    println!(
        "  queries: {from}, and every entry's stored questions reworded a little (a word \
         dropped, two swapped, or a typo)"
    );
    println!(
        "  load + check + index: {}   (index alone: {})",
        fmt(load_time),
        fmt(index_time)
    );
    if questions.is_empty() {
        // An empty knowledge checks clean, and without a question file there is nothing to ask.
        println!(
            "  no questions to time: the knowledge has no entries and no question file was read"
        );
    } else {
        measure(&shipped.knowledge, &shipped.matcher, &questions, args);
        steady(&shipped.matcher, &questions);
    }
    println!("  memory: {}", memory());

    if args.entries == 0 {
        return Ok(ExitCode::SUCCESS);
    }
    let scratch = std::env::temp_dir().join(format!("citebot-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)
        .with_context(|| format!("cannot create {}", scratch.display()))?;
    let result = synthetic_run(&scratch, &shipped, config, args);
    let _ = std::fs::remove_dir_all(&scratch);
    result?;
    Ok(ExitCode::SUCCESS)
}

fn synthetic_run(
    scratch: &Path,
    shipped: &Snapshot,
    config: &Config,
    args: &BenchArgs,
) -> anyhow::Result<()> {
    synthetic::write(scratch, &shipped.knowledge.article, args.entries, 42).with_context(|| {
        format!(
            "cannot write the synthetic knowledge in {}",
            scratch.display()
        )
    })?;
    let started = Instant::now();
    let knowledge = loader::parse(scratch).map_err(|e| anyhow::anyhow!("{e}"))?;
    let parse_time = started.elapsed();
    let after_load = memory();
    let started = Instant::now();
    let matcher = Matcher::new(&knowledge, &config.matching);
    let index_time = started.elapsed();
    let after_index = memory();
    println!(
        "\nsynthetic knowledge: {} entries, {} stored questions",
        knowledge.entries.len(),
        matcher.len()
    );
    println!(
        "  load: {}   index: {}   total: {}",
        fmt(parse_time),
        fmt(index_time),
        fmt(parse_time + index_time)
    );
    println!("  memory after load: {after_load}; after index: {after_index}");
    let mut rng = Rng::new(11);
    let vocabulary = synthetic::vocabulary(&knowledge.article);
    let questions: Vec<String> = (0..args.queries.max(1))
        .map(|i| {
            if i % 4 == 3 {
                synthetic::question(&mut rng, &vocabulary)
            } else {
                let entry = &knowledge.entries[rng.below(knowledge.entries.len())];
                let question = &entry.questions[rng.below(entry.questions.len())];
                synthetic::perturb(&mut rng, question)
            }
        })
        .collect();
    measure(&knowledge, &matcher, &questions, args);
    println!("  memory: {}", memory());
    Ok(())
}

/// Times every question through the matcher, then a few through the naive scan.
fn measure(knowledge: &Knowledge, matcher: &Matcher, questions: &[String], args: &BenchArgs) {
    for question in questions.iter().take(200) {
        std::hint::black_box(matcher.decide(question));
    }
    let mut times: Vec<Duration> = Vec::with_capacity(args.queries);
    for question in questions
        .iter()
        .cycle()
        .take(args.queries.max(questions.len()))
    {
        let started = Instant::now();
        std::hint::black_box(matcher.decide(question));
        times.push(started.elapsed());
    }
    let mean_indexed = times.iter().sum::<Duration>() / times.len().max(1) as u32;
    println!(
        "  query latency over {} queries: {}  mean {}",
        times.len(),
        spread(&mut times),
        fmt(mean_indexed)
    );

    let stored: Vec<String> = knowledge
        .entries
        .iter()
        .flat_map(|e| e.questions.iter().map(|q| normalise::plain(q)))
        .collect();
    let naive: Vec<&String> = questions.iter().take(args.naive_queries.max(1)).collect();
    let started = Instant::now();
    for question in &naive {
        let plain = normalise::plain(question);
        let best = stored
            .iter()
            .map(|s| strsim::normalized_levenshtein(&plain, s))
            .fold(0.0f64, f64::max);
        std::hint::black_box(best);
    }
    let mean_naive = started.elapsed() / naive.len() as u32;
    let started = Instant::now();
    for question in &naive {
        std::hint::black_box(matcher.decide(question));
    }
    let mean_same = started.elapsed() / naive.len() as u32;
    println!(
        "  naive scan (strsim over all {} stored questions): mean {} a query over {} queries; \
         the index answers the same queries in {} a query: {:.0}x faster",
        stored.len(),
        fmt(mean_naive),
        naive.len(),
        fmt(mean_same),
        mean_naive.as_secs_f64() / mean_same.as_secs_f64().max(1e-9)
    );
}

/// Each question's best of a few runs: the cost of the work itself, without the pauses a shared
/// machine adds to single timings (which the p99 above includes).
fn steady(matcher: &Matcher, questions: &[String]) {
    const RUNS: usize = 9;
    let mut times: Vec<Duration> = questions
        .iter()
        .map(|question| {
            (0..RUNS)
                .map(|_| {
                    let started = Instant::now();
                    std::hint::black_box(matcher.decide(question));
                    started.elapsed()
                })
                .min()
                .unwrap_or_default()
        })
        .collect();
    println!(
        "  best of {RUNS} runs for each of the {} questions: {}",
        times.len(),
        spread(&mut times)
    );
}

/// "p50 …  p99 …  max …" of `times` (sorted here).
fn spread(times: &mut [Duration]) -> String {
    times.sort_unstable();
    format!(
        "p50 {}  p99 {}  max {}",
        fmt(percentile(times, 0.50)),
        fmt(percentile(times, 0.99)),
        fmt(times.last().copied().unwrap_or_default())
    )
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn fmt(d: Duration) -> String {
    let micros = d.as_secs_f64() * 1e6;
    if micros < 1000.0 {
        format!("{micros:.1} µs")
    } else if micros < 1e6 {
        format!("{:.2} ms", micros / 1000.0)
    } else {
        format!("{:.2} s", micros / 1e6)
    }
}

/// Resident and peak resident memory of this process, from /proc (Linux).
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<u64>().ok())
            .map(|kb| format!("{:.1} MB", kb as f64 / 1024.0))
            .unwrap_or_else(|| "unknown".to_string())
    };
    format!("resident {}, peak {}", field("VmRSS:"), field("VmHWM:"))
}
