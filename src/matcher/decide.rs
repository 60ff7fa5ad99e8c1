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
    /// `Knowledge::not_in_article`, `score` is how well it fits (the words' score, or the
    /// cosine similarity in meaning when the meaning's veto chose it); `near` as for `NoMatch`.
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
    let near = || near(ranked, config, answers);
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

/// The entries worth suggesting, best first: never a `not_in_article`.
pub(crate) fn near(
    ranked: &[Candidate],
    config: &MatchingConfig,
    answers: usize,
) -> Vec<Candidate> {
    ranked
        .iter()
        .filter(|c| c.entry < answers && c.score >= config.suggest_threshold)
        .take(config.suggestions)
        .copied()
        .collect()
}

/// The second reading's veto. An answer the words give becomes "not in the article" when
/// `gap_in_meaning` names a `not_in_article` (indexed as in `ranked`) that stands out as
/// nearest in meaning, with its similarity. The groups list questions the article does not
/// answer worded like ones it does ("what unit were they from" beside "which units caught
/// them"); the words see the shared words, the model sees which group the question is like.
/// `gap_in_meaning` is only called for an answer, and not when `meaning_veto` is 1.
pub fn veto(
    decision: Decision,
    ranked: &[Candidate],
    config: &MatchingConfig,
    answers: usize,
    gap_in_meaning: impl FnOnce() -> Option<(usize, f32)>,
) -> Decision {
    if !matches!(decision, Decision::Answered(_)) || config.meaning_veto >= 1.0 {
        return decision;
    }
    match gap_in_meaning() {
        Some((gap, similarity)) if gap >= answers => Decision::NotInArticle {
            gap: gap - answers,
            score: similarity,
            near: near(ranked, config, answers),
        },
        _ => decision,
    }
}

/// The second reading. A close call (`NoMatch` or `Ambiguous`) whose best entry the words
/// score at least `meaning_floor` (`meaning_floor_long` for a question of `words` words, at
/// least `long_question_words`) is answered with that entry when `agrees(entry)`: the stored
/// question nearest in meaning belongs to that entry and is at least `meaning_agreement` alike.
/// "Did you mean A or B?" is settled for B (or C) the same way: the words found the close
/// candidates equally good, and the meaning names one of them. Two independent readings
/// agreeing is rarely wrong where either alone often is; the meaning model never picks an entry
/// the words did not. An answer a
/// `not_in_article` came within the margin of (`NotInArticle` with an entry on top) is given
/// when `agrees` at `meaning_overrule`. `agrees(entry, agreement)` is only called for these.
pub fn confirm(
    decision: Decision,
    ranked: &[Candidate],
    config: &MatchingConfig,
    answers: usize,
    words: usize,
    mut agrees: impl FnMut(usize, f32) -> bool,
) -> Decision {
    if let Decision::NotInArticle { .. } = decision {
        // The words answer, but a `not_in_article` came within the margin of their answer:
        // the meaning may side with the answer, as the veto may side with the group.
        let overruled = (ranked.first())
            .filter(|c| c.entry < answers && c.score >= config.threshold)
            .filter(|c| config.meaning_overrule < 1.0 && agrees(c.entry, config.meaning_overrule));
        return overruled.map_or(decision, |c| Decision::Answered(*c));
    }
    if !matches!(decision, Decision::NoMatch(_) | Decision::Ambiguous(_)) {
        return decision;
    }
    // Only the words' own choice can be confirmed: never an entry a `not_in_article` beats or
    // comes close to, even under the threshold.
    let Some(best) = ranked.first().filter(|c| c.entry < answers) else {
        return decision;
    };
    let gap_close = ranked
        .iter()
        .any(|c| c.entry >= answers && best.score - c.score < config.margin);
    let floor = if words >= config.long_question_words {
        config.meaning_floor_long
    } else {
        config.meaning_floor
    };
    if gap_close || floor >= 1.0 || best.score < floor {
        return decision;
    }
    if agrees(best.entry, config.meaning_agreement) {
        return Decision::Answered(*best);
    }
    // `decide` leaves no `not_in_article` among the close candidates of an `Ambiguous`.
    let settled = match &decision {
        Decision::Ambiguous(close) => (close.iter().skip(1))
            .find(|c| c.score >= floor && agrees(c.entry, config.meaning_agreement))
            .copied(),
        _ => None,
    };
    settled.map_or(decision, Decision::Answered)
}

/// A question (not a request) the words put nearest a group of requests, with an entry within
/// `request_margin` ("what do the photos show?": "show me the photos" first, the entry about
/// the photos close behind). The group's note answers a request ("I cannot show the photos"),
/// not the question, so the entry is answered when `agrees(entry, meaning_overrule)`. Only for
/// a group `of_requests` says is one, when `asks` (the message is not itself a request).
pub fn past_requests(
    decision: Decision,
    ranked: &[Candidate],
    config: &MatchingConfig,
    answers: usize,
    of_requests: impl FnOnce(usize) -> bool,
    asks: impl FnOnce() -> bool,
    agrees: impl FnOnce(usize, f32) -> bool,
) -> Decision {
    let (Decision::NotInArticle { .. }, Some(top)) = (&decision, ranked.first()) else {
        return decision;
    };
    if config.meaning_overrule >= 1.0 || !of_requests(top.entry) || !asks() {
        return decision;
    }
    let entry = (ranked.iter()).find(|c| {
        c.entry < answers
            && c.score >= config.threshold
            && top.score - c.score < config.request_margin
    });
    match entry {
        Some(entry) if agrees(entry.entry, config.meaning_overrule) => Decision::Answered(*entry),
        _ => decision,
    }
}

/// The blend's check of an answer (see `meaning_blend`): `rival(answer)` is the candidate that
/// comes before the answer when words and meaning are blended, if any. A rival entry makes the
/// reply "did you mean the answer or the rival?"; a rival `not_in_article` group, that group's
/// note. Only an answer is checked, and not when `meaning_blend` is 0.
pub fn blend(
    decision: Decision,
    ranked: &[Candidate],
    config: &MatchingConfig,
    answers: usize,
    rival: impl FnOnce(&Candidate) -> Option<Candidate>,
) -> Decision {
    let Decision::Answered(answer) = decision else {
        return decision;
    };
    if config.meaning_blend <= 0.0 {
        return decision;
    }
    match rival(&answer) {
        Some(gap) if gap.entry >= answers => Decision::NotInArticle {
            gap: gap.entry - answers,
            score: gap.score,
            near: near(ranked, config, answers),
        },
        Some(other) => Decision::Ambiguous(vec![answer, other]),
        None => decision,
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
    fn a_close_call_is_answered_only_when_the_meaning_agrees() {
        let config = MatchingConfig::default();
        let under = config.threshold - 0.05;
        assert!(under >= config.meaning_floor);
        let ranked = [candidate(1, under), candidate(2, 0.2)];
        let no_match = decide(&ranked, &config, 10);
        assert_eq!(no_match, Decision::NoMatch(ranked.to_vec()));
        let mut asked = Vec::new();
        let answered = confirm(no_match.clone(), &ranked, &config, 10, 5, |entry, _| {
            asked.push(entry);
            true
        });
        assert_eq!(answered, Decision::Answered(ranked[0]));
        assert_eq!(
            asked,
            [1],
            "the meaning is asked about the words' best entry"
        );
        assert_eq!(
            confirm(no_match.clone(), &ranked, &config, 10, 5, |_, _| false),
            no_match
        );
        // Too weak for the words: the meaning alone never answers, nor is it even asked.
        let weak = [candidate(1, config.meaning_floor - 0.01)];
        let weak_no_match = decide(&weak, &config, 10);
        assert_eq!(
            confirm(
                weak_no_match.clone(),
                &weak,
                &config,
                10,
                5,
                |_, _| unreachable!()
            ),
            weak_no_match
        );
        // ...unless it is a long message, whose chatter dilutes the words' score.
        let long = config.long_question_words;
        let diluted = [candidate(1, config.meaning_floor_long)];
        let diluted_no_match = decide(&diluted, &config, 10);
        for (words, expected) in [
            (long, Decision::Answered(diluted[0])),
            (long - 1, diluted_no_match.clone()),
        ] {
            let got = confirm(
                diluted_no_match.clone(),
                &diluted,
                &config,
                10,
                words,
                |_, _| true,
            );
            assert_eq!(got, expected, "{words} words");
        }
        // "Did you mean A or B?" settled for A, or for B, or left to the reader.
        let close = [candidate(1, 0.8), candidate(2, 0.8 - config.margin / 2.0)];
        let ambiguous = decide(&close, &config, 10);
        for (nearest, expected) in [
            (1, Decision::Answered(close[0])),
            (2, Decision::Answered(close[1])),
            (3, ambiguous.clone()),
        ] {
            let mut asked = Vec::new();
            let got = confirm(ambiguous.clone(), &close, &config, 10, 5, |entry, _| {
                asked.push(entry);
                entry == nearest
            });
            assert_eq!(got, expected, "nearest in meaning: {nearest}");
            let all: &[usize] = &[1, 2];
            assert_eq!(
                asked,
                all[..nearest.min(2)],
                "A first, then B, never beyond"
            );
        }
        // Under the threshold too, an entry a `not_in_article` beats or comes close to is
        // never confirmed.
        let gap_first = [candidate(10, under), candidate(1, under - 0.01)];
        let gap_no_match = decide(&gap_first, &config, 10);
        assert!(matches!(gap_no_match, Decision::NoMatch(_)));
        assert_eq!(
            confirm(gap_no_match.clone(), &gap_first, &config, 10, 5, |_, _| {
                true
            }),
            gap_no_match
        );
        let gap_close = [
            candidate(1, under),
            candidate(10, under - config.margin / 2.0),
        ];
        let close_no_match = decide(&gap_close, &config, 10);
        assert_eq!(
            confirm(
                close_no_match.clone(),
                &gap_close,
                &config,
                10,
                5,
                |_, _| true
            ),
            close_no_match
        );
        // Floors at 1 turn the second reading off, even for a perfect score.
        let off = MatchingConfig {
            meaning_floor: 1.0,
            meaning_floor_long: 1.0,
            ..config.clone()
        };
        let perfect_tie = [candidate(1, 1.0), candidate(2, 1.0)];
        let tie = decide(&perfect_tie, &off, 10);
        assert_eq!(
            confirm(
                tie.clone(),
                &perfect_tie,
                &off,
                10,
                5,
                |_, _| unreachable!()
            ),
            tie
        );
        // A gap's note stands (its group is on top), and so does a confident answer.
        let gap = [candidate(10, 0.9), candidate(1, 0.5)];
        let in_gap = decide(&gap, &config, 10);
        assert_eq!(
            confirm(in_gap.clone(), &gap, &config, 10, 5, |_, _| true),
            in_gap
        );
        let clear = [candidate(1, 0.9)];
        assert_eq!(
            confirm(
                decide(&clear, &config, 10),
                &clear,
                &config,
                10,
                5,
                |_, _| unreachable!()
            ),
            Decision::Answered(clear[0])
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

    #[test]
    fn the_meaning_withdraws_an_answer_only_for_a_not_in_article() {
        let config = MatchingConfig::default();
        // Entries 0..10 answer; 10 and up are `not_in_article`.
        let ranked = [candidate(1, 0.9), candidate(12, 0.5), candidate(3, 0.3)];
        let answered = decide(&ranked, &config, 10);
        assert_eq!(answered, Decision::Answered(ranked[0]));
        let withdrawn = veto(answered.clone(), &ranked, &config, 10, || Some((12, 0.8)));
        assert_eq!(
            withdrawn,
            Decision::NotInArticle {
                gap: 2,
                score: 0.8,
                near: vec![ranked[0], ranked[2]]
            }
        );
        // Nothing in meaning, or an entry, changes nothing.
        assert_eq!(
            veto(answered.clone(), &ranked, &config, 10, || None),
            answered
        );
        assert_eq!(
            veto(answered.clone(), &ranked, &config, 10, || Some((3, 0.9))),
            answered
        );
        // Only an answer is withdrawn, and not at all when `meaning_veto` is 1.
        let weak = [candidate(1, 0.2)];
        let no_match = decide(&weak, &config, 10);
        assert_eq!(
            veto(no_match.clone(), &weak, &config, 10, || unreachable!()),
            no_match
        );
        let off = MatchingConfig {
            meaning_veto: 1.0,
            ..config
        };
        assert_eq!(
            veto(answered.clone(), &ranked, &off, 10, || unreachable!()),
            answered
        );
    }

    #[test]
    fn a_question_past_a_group_of_requests_is_answered_when_the_meaning_agrees() {
        let config = MatchingConfig::default();
        // Group 10 ("send me the video") first, entry 1 (the video) within the margin.
        let ranked = [
            candidate(10, 0.89),
            candidate(1, 0.89 - config.margin / 2.0),
        ];
        let refused = decide(&ranked, &config, 10);
        let past = |of_requests: bool, asks: bool, agrees: bool| {
            past_requests(
                refused.clone(),
                &ranked,
                &config,
                10,
                |_| of_requests,
                || asks,
                |entry, agreement| {
                    assert_eq!((entry, agreement), (1, config.meaning_overrule));
                    agrees
                },
            )
        };
        assert_eq!(past(true, true, true), Decision::Answered(ranked[1]));
        assert_eq!(past(true, true, false), refused);
        assert_eq!(past(false, true, true), refused, "not a group of requests");
        assert_eq!(past(true, false, true), refused, "the message is a request");
        let far = [
            candidate(10, 0.89),
            candidate(1, 0.89 - config.margin * 2.0),
        ];
        let far_refused = decide(&far, &config, 10);
        assert_eq!(
            past_requests(
                far_refused.clone(),
                &far,
                &config,
                10,
                |_| true,
                || true,
                |_, _| true
            ),
            far_refused
        );
    }

    #[test]
    fn the_meaning_may_side_with_an_answer_a_gap_comes_close_to() {
        let config = MatchingConfig::default();
        let close = [candidate(1, 0.8), candidate(10, 0.8 - config.margin / 2.0)];
        let refused = decide(&close, &config, 10);
        assert!(matches!(refused, Decision::NotInArticle { gap: 0, .. }));
        let mut asked = Vec::new();
        let got = confirm(
            refused.clone(),
            &close,
            &config,
            10,
            5,
            |entry, agreement| {
                asked.push((entry, agreement));
                true
            },
        );
        assert_eq!(got, Decision::Answered(close[0]));
        assert_eq!(asked, [(1, config.meaning_overrule)]);
        assert_eq!(
            confirm(refused.clone(), &close, &config, 10, 5, |_, _| false),
            refused
        );
        // The group on top, or the overrule off: the meaning is not even asked.
        let gap_first = [candidate(10, 0.8), candidate(1, 0.8 - config.margin / 2.0)];
        let refused_first = decide(&gap_first, &config, 10);
        assert_eq!(
            confirm(refused_first.clone(), &gap_first, &config, 10, 5, |_, _| {
                unreachable!()
            }),
            refused_first
        );
        let off = MatchingConfig {
            meaning_overrule: 1.0,
            ..config.clone()
        };
        assert_eq!(
            confirm(refused.clone(), &close, &off, 10, 5, |_, _| unreachable!()),
            refused
        );
    }

    #[test]
    fn the_blend_turns_an_answer_another_candidate_wins_into_a_question_or_a_refusal() {
        let config = MatchingConfig::default();
        assert!(config.meaning_blend > 0.0);
        let ranked = [candidate(1, 0.8), candidate(2, 0.7), candidate(10, 0.6)];
        let answered = Decision::Answered(ranked[0]);
        assert_eq!(
            blend(answered.clone(), &ranked, &config, 10, |_| None),
            answered
        );
        assert_eq!(
            blend(answered.clone(), &ranked, &config, 10, |_| Some(ranked[1])),
            Decision::Ambiguous(vec![ranked[0], ranked[1]])
        );
        assert_eq!(
            blend(answered.clone(), &ranked, &config, 10, |_| Some(ranked[2])),
            Decision::NotInArticle {
                gap: 0,
                score: 0.6,
                near: vec![ranked[0], ranked[1]]
            }
        );
        // Only answers are checked, and not at all with the blend off.
        let no_match = Decision::NoMatch(vec![ranked[0]]);
        assert_eq!(
            blend(no_match.clone(), &ranked, &config, 10, |_| unreachable!()),
            no_match
        );
        let off = MatchingConfig {
            meaning_blend: 0.0,
            ..config
        };
        assert_eq!(
            blend(answered.clone(), &ranked, &off, 10, |_| unreachable!()),
            answered
        );
    }
}
