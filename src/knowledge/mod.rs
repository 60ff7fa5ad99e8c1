//! The curated knowledge: the article and `qa.toml`, loaded, validated and watched.
//!
//! - `model`: the types the rest of citebot reads.
//! - `loader`: `parse(dir)` reads the folder, `parse_str` the same from text (tests use it);
//!   `load`/`load_str` also keep every value's span, for `lints`.
//! - `lints`: everything `citebot check` reports beyond parse errors.
//! - `diagnostics`: compiler-style messages (file:line:column, the offending line, a hint).
//! - `raw`: `qa.toml` as written, with the span of every value (the loader's input).
//! - `closest`: the article passage nearest a misquoted excerpt, for the loader's error.
//! - `watcher`: notices edits to the folder so a running bot can reload.
//! - `teach`: adds a phrasing to an entry in `qa.toml` (`/kb teach`), checked, in place;
//!   `atomic`: the safe replacement of a file it writes with (backup, conflict detection).

pub mod atomic;
pub mod closest;
pub mod diagnostics;
pub mod lints;
pub mod loader;
pub mod model;
pub mod raw;
pub mod teach;
pub mod watcher;

pub use model::{Article, Entry, Excerpt, Knowledge, NotInArticle, Probe, Source};
