//! Scoring: how well each entry fits an analysed question, in [0, 1].
//!
//! Three signals, all bounded: the best stored question's weighted overlap with the question
//! (an F-measure of "how much of the question it covers" and "how much of it the question
//! covers"), the entry's coverage of the question by all its words (questions, keywords,
//! answer, excerpts), and strsim's whole-string similarity to the best stored question. A
//! question whose matched words carry little information ("who?") is scaled down, so a lone
//! common word cannot answer on its own.

use std::collections::HashMap;

use super::Candidate;
use super::index::{Matcher, Query};
use super::normalise;

/// Entries whose whole-string similarity is computed (it is the costly signal).
const RESCORED: usize = 8;

struct EntryScore {
    entry: u32,
    best_doc: Option<u32>,
    best_overlap: f32,
    coverage: f32,
    damping: f32,
    token_score: f32,
}

/// The parts a candidate's score is made of, for `citebot ask --explain`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Breakdown {
    pub best_overlap: f32,
    pub coverage: f32,
    pub damping: f32,
    pub similarity: f32,
}

pub(crate) fn rank(matcher: &Matcher, query: &Query, limit: usize) -> Vec<Candidate> {
    rank_explained(matcher, query, limit)
        .into_iter()
        .map(|(c, _)| c)
        .collect()
}

pub(crate) fn rank_explained(
    matcher: &Matcher,
    query: &Query,
    limit: usize,
) -> Vec<(Candidate, Breakdown)> {
    if query.terms.is_empty() || query.total <= 0.0 || limit == 0 {
        return Vec::new();
    }
    let mut per_doc: HashMap<u32, f32> = HashMap::new();
    let mut per_entry: HashMap<u32, f32> = HashMap::new();
    for &(term, weight) in &query.terms {
        for &doc in &matcher.question_postings[term as usize] {
            *per_doc.entry(doc).or_insert(0.0) += weight;
        }
        for &(entry, factor) in &matcher.entry_postings[term as usize] {
            *per_entry.entry(entry).or_insert(0.0) += weight * factor;
        }
    }

    let mut best: HashMap<u32, (u32, f32)> = HashMap::with_capacity(per_entry.len());
    for (&doc, &shared) in &per_doc {
        let stored = &matcher.docs[doc as usize];
        let of_question = shared / query.total;
        let of_stored = shared / stored.weight.max(f32::EPSILON);
        let overlap = 2.0 * of_question * of_stored / (of_question + of_stored);
        let slot = best.entry(stored.entry).or_insert((doc, 0.0));
        if overlap > slot.1 || (overlap == slot.1 && doc < slot.0) {
            *slot = (doc, overlap);
        }
    }

    let config = &matcher.config;
    let (question_share, entry_share) = (config.question_share, config.entry_share);
    let string_share = config.string_share.clamp(0.0, 1.0);
    let mut scores: Vec<EntryScore> = per_entry
        .iter()
        .map(|(&entry, &matched)| {
            let (best_doc, best_overlap) = match best.get(&entry) {
                Some(&(doc, overlap)) => (Some(doc), overlap),
                None => (None, 0.0),
            };
            let coverage = (matched / query.total).min(1.0);
            let damping = (matched / matcher.min_information).min(1.0);
            EntryScore {
                entry,
                best_doc,
                best_overlap,
                coverage,
                damping,
                token_score: damping * (question_share * best_overlap + entry_share * coverage)
                    / (question_share + entry_share).max(f32::EPSILON),
            }
        })
        .collect();
    scores.sort_unstable_by(|a, b| {
        b.token_score
            .total_cmp(&a.token_score)
            .then(a.entry.cmp(&b.entry))
    });
    scores.truncate(limit.max(RESCORED));

    let mut candidates: Vec<(Candidate, Breakdown)> = scores
        .iter()
        .map(|s| {
            let doc = s.best_doc.unwrap_or(matcher.first_doc[s.entry as usize]);
            let stored = &matcher.docs[doc as usize];
            let similarity = strsim::sorensen_dice(&query.plain, &stored.plain) as f32;
            let score =
                (1.0 - string_share) * s.token_score + string_share * similarity * s.damping;
            let candidate = Candidate {
                entry: s.entry as usize,
                question: stored.question as usize,
                score: score.clamp(0.0, 1.0),
            };
            let breakdown = Breakdown {
                best_overlap: s.best_overlap,
                coverage: s.coverage,
                damping: s.damping,
                similarity,
            };
            (candidate, breakdown)
        })
        .collect();
    candidates
        .sort_unstable_by(|(a, _), (b, _)| b.score.total_cmp(&a.score).then(a.entry.cmp(&b.entry)));
    candidates.truncate(limit);
    candidates
}

/// Stored questions that fit a partly typed question. The last word, while still being typed,
/// counts as every known word it begins.
pub(crate) fn complete(matcher: &Matcher, partial: &str, limit: usize) -> Vec<Candidate> {
    if limit == 0 {
        return Vec::new();
    }
    let still_typing = partial.chars().last().is_some_and(char::is_alphanumeric);
    let mut words = normalise::content_words(partial);
    let prefix = if still_typing {
        normalise::words(&normalise::fold(partial)).pop()
    } else {
        None
    };
    if prefix.is_some() && words.last() == prefix.as_ref() {
        words.pop();
    }
    let analysed = matcher.analyse(&words.join(" "));
    let mut slots: Vec<Vec<(u32, f32)>> = analysed.terms.iter().map(|&t| vec![t]).collect();
    let mut total = analysed.total;
    if let Some(prefix) = prefix.filter(|p| p.chars().count() >= 2) {
        let mut expansions: Vec<(u32, f32)> = Vec::new();
        for word in matcher.spelling.words_with_prefix(&prefix, 40) {
            if let Some(id) = matcher.term(&matcher.stem(word))
                && !expansions.iter().any(|(t, _)| *t == id)
            {
                expansions.push((id, matcher.idf[id as usize]));
            }
        }
        if let Some(heaviest) = expansions.iter().map(|(_, w)| *w).reduce(f32::max) {
            total += heaviest;
            slots.push(expansions);
        }
    }
    let folded = normalise::plain(partial);
    if slots.is_empty() || total <= 0.0 {
        return matcher
            .docs
            .iter()
            .filter(|d| d.plain.starts_with(&folded))
            .take(limit)
            .map(|d| Candidate {
                entry: d.entry as usize,
                question: d.question as usize,
                score: 0.0,
            })
            .collect();
    }
    let mut per_doc: HashMap<u32, f32> = HashMap::new();
    for slot in &slots {
        let mut best_in_slot: HashMap<u32, f32> = HashMap::new();
        for &(term, weight) in slot {
            for &doc in &matcher.question_postings[term as usize] {
                let value = best_in_slot.entry(doc).or_insert(0.0);
                *value = value.max(weight);
            }
        }
        for (doc, weight) in best_in_slot {
            *per_doc.entry(doc).or_insert(0.0) += weight;
        }
    }
    let mut ranked: Vec<Candidate> = per_doc
        .into_iter()
        .map(|(doc, shared)| {
            let stored = &matcher.docs[doc as usize];
            let of_partial = shared / total;
            let of_stored = shared / stored.weight.max(f32::EPSILON);
            let starts = if stored.plain.starts_with(&folded) {
                1.0
            } else {
                0.0
            };
            Candidate {
                entry: stored.entry as usize,
                question: stored.question as usize,
                score: (0.7 * of_partial + 0.2 * of_stored + 0.1 * starts).clamp(0.0, 1.0),
            }
        })
        .collect();
    ranked.sort_unstable_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.entry.cmp(&b.entry))
            .then(a.question.cmp(&b.question))
    });
    ranked.truncate(limit);
    ranked
}
