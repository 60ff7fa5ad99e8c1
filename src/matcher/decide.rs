//! From ranked candidates to one decision.
use super::Candidate;

#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    Answered(Candidate),
    /// The close candidates, best first.
    Ambiguous(Vec<Candidate>),
    /// The nearest candidates worth suggesting, best first (maybe none).
    NoMatch(Vec<Candidate>),
}
