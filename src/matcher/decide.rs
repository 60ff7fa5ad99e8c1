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
    /// The question is one the article is known not to answer: `gap` indexes
    /// `Knowledge::not_in_article`, `score` is how well it fits; `near` as for `NoMatch`.
    NotInArticle {
        gap: usize,
        score: f32,
        near: Vec<Candidate>,
    },
}

/// `ranked` is best first, one candidate per indexed entry; those from `answers` on are
/// `not_in_article` and are never answered with nor suggested.
pub fn decide(ranked: &[Candidate], config: &MatchingConfig, answers: usize) -> Decision {
    let is_gap = |c: &Candidate| c.entry >= answers;
    let near = || -> Vec<Candidate> {
        ranked
            .iter()
            .filter(|c| !is_gap(c) && c.score >= config.suggest_threshold)
            .take(config.suggestions)
            .copied()
            .collect()
    };
    let Some(top) = ranked.first() else {
        return Decision::NoMatch(Vec::new());
    };
    if top.score < config.threshold {
        return Decision::NoMatch(near());
    }
    let close: Vec<Candidate> = ranked
        .iter()
        .take_while(|c| top.score - c.score < config.margin)
        .copied()
        .collect();
    // A question too close to one the article is known not to answer is not answered: a
    // confident wrong answer costs more than an honest "the article does not say".
    if let Some(gap) = close.iter().find(|c| is_gap(c)) {
        return Decision::NotInArticle {
            gap: gap.entry - answers,
            score: gap.score,
            near: near(),
        };
    }
    if close.len() > 1 {
        Decision::Ambiguous(close.into_iter().take(config.suggestions.max(2)).collect())
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
        assert_eq!(decide(&ranked, &config, 10), Decision::Answered(ranked[0]));
    }

    #[test]
    fn close_runner_up_is_ambiguous() {
        let config = MatchingConfig::default();
        let ranked = [candidate(1, 0.8), candidate(2, 0.8 - config.margin / 2.0)];
        assert_eq!(
            decide(&ranked, &config, 10),
            Decision::Ambiguous(ranked.to_vec())
        );
    }

    #[test]
    fn a_gap_on_top_or_close_behind_is_not_in_article_and_never_suggested() {
        let config = MatchingConfig::default();
        // Entries 0..10 answer; 10 and up are `not_in_article`.
        let gap_first = [candidate(11, 0.9), candidate(2, 0.6), candidate(10, 0.5)];
        assert_eq!(
            decide(&gap_first, &config, 10),
            Decision::NotInArticle {
                gap: 1,
                score: 0.9,
                near: vec![gap_first[1]]
            }
        );
        let gap_close = [candidate(2, 0.8), candidate(10, 0.8 - config.margin / 2.0)];
        assert!(matches!(
            decide(&gap_close, &config, 10),
            Decision::NotInArticle { gap: 0, .. }
        ));
        let gap_far = [candidate(2, 0.8), candidate(10, 0.8 - config.margin * 2.0)];
        assert_eq!(
            decide(&gap_far, &config, 10),
            Decision::Answered(gap_far[0])
        );
        let weak_gap = [candidate(10, config.threshold - 0.01), candidate(3, 0.3)];
        assert_eq!(
            decide(&weak_gap, &config, 10),
            Decision::NoMatch(vec![weak_gap[1]])
        );
    }

    #[test]
    fn weak_top_is_no_match_with_only_worthwhile_suggestions() {
        let config = MatchingConfig::default();
        let low = config.suggest_threshold / 2.0;
        let ranked = [candidate(1, config.threshold - 0.01), candidate(2, low)];
        assert_eq!(
            decide(&ranked, &config, 10),
            Decision::NoMatch(vec![ranked[0]])
        );
        assert_eq!(decide(&[], &config, 10), Decision::NoMatch(vec![]));
    }
}
