//! STUB
use super::{Candidate, Decision, MatchingConfig};
use crate::knowledge::Knowledge;

pub struct Matcher {}

impl Matcher {
    pub fn new(_k: &Knowledge, _c: &MatchingConfig) -> Matcher {
        Matcher {}
    }
    pub fn decide(&self, _q: &str) -> Decision {
        Decision::NoMatch(vec![])
    }
    pub fn rank(&self, _q: &str, _limit: usize) -> Vec<Candidate> {
        vec![]
    }
    pub fn complete(&self, _q: &str, _limit: usize) -> Vec<Candidate> {
        vec![]
    }
}
