//! The `citebot` binary: all the work is in the library (`citebot::cli`).

fn main() -> std::process::ExitCode {
    citebot::cli::main()
}
