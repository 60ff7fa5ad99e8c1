//! From ranked candidates to one decision: answer, ask "did you mean A or B?", or say plainly
//! that the article does not answer this. The thresholds come from `[matching]` in config.toml.

use super::{Candidate, MatchingConfig};

#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    Answered(Candidate),
    /// The close candidates, best first.
    Ambiguous(Vec<Candidate>),
    /// The nearest candidates worth suggesting, best first (maybe none).
    NoMatch(Vec<Candidate>),
}

/// `ranked` is best first, one candidate per entry.
pub fn decide(ranked: &[Candidate], config: &MatchingConfig) -> Decision {
    let Some(top) = ranked.first() else {
        return Decision::NoMatch(Vec::new());
    };
    if top.score < config.threshold {
        return Decision::NoMatch(
            ranked
                .iter()
                .filter(|c| c.score >= config.suggest_threshold)
                .take(config.suggestions)
                .copied()
                .collect(),
        );
    }
    let close: Vec<Candidate> = ranked
        .iter()
        .take_while(|c| top.score - c.score < config.margin)
        .take(config.suggestions.max(2))
        .copied()
        .collect();
    if close.len() > 1 {
        Decision::Ambiguous(close)
    } else {
        Decision::Answered(*top)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(entry: usize, score: f32) -> Candidate {
        Candidate {
            entry,
            question: 0,
            score,
        }
    }

    #[test]
    fn clear_winner_is_answered() {
        let config = MatchingConfig::default();
        let ranked = [candidate(1, 0.9), candidate(2, 0.3)];
        assert_eq!(decide(&ranked, &config), Decision::Answered(ranked[0]));
    }

    #[test]
    fn close_runner_up_is_ambiguous() {
        let config = MatchingConfig::default();
        let ranked = [candidate(1, 0.8), candidate(2, 0.8 - config.margin / 2.0)];
        assert_eq!(
            decide(&ranked, &config),
            Decision::Ambiguous(ranked.to_vec())
        );
    }

    #[test]
    fn weak_top_is_no_match_with_only_worthwhile_suggestions() {
        let config = MatchingConfig::default();
        let low = config.suggest_threshold / 2.0;
        let ranked = [candidate(1, config.threshold - 0.01), candidate(2, low)];
        assert_eq!(decide(&ranked, &config), Decision::NoMatch(vec![ranked[0]]));
        assert_eq!(decide(&[], &config), Decision::NoMatch(vec![]));
    }
}
