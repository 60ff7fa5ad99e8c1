//! The curators' loop: what readers asked that citebot could not answer, and what they thought
//! of the answers it gave. Platform-neutral: front ends hand in replies, places and user ids;
//! nothing here names a chat platform, and nothing here changes the knowledge (curators do).
//!
//! - `log`: the unanswered log (JSON lines, bounded, rotated), read back by `citebot gaps`.
//! - `gaps`: the logged questions grouped by what they ask, with the nearest entry.
//! - `votes`: "helpful" / "not helpful" per answer, one per reader, saved atomically.
//! - `hash`: readers as keyed hashes, never ids.
//! - `recorder`: the one handle a running bot writes all of that through.

pub mod gaps;
pub mod hash;
pub mod log;
pub mod recorder;
pub mod votes;

pub use recorder::Recorder;
