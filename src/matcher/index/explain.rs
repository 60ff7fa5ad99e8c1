//! [`Matcher::explain`], the text `citebot ask --explain` prints: the question's terms and
//! weights, the leading candidates' scores in parts, the stored question nearest in meaning,
//! and the steps of [`Matcher::decide`] that bear on the reply (the veto, a refusal, a group's
//! note, each clause's verdict).

use std::cell::OnceCell;

use rustc_hash::FxHashMap as HashMap;

use super::Matcher;
use crate::knowledge::Knowledge;
use crate::matcher::score::{self, Scope};
use crate::matcher::{Decision, clauses, decide, requests, to_the_bot};

impl Matcher {
    /// How `question` was read and scored: for curators wondering why an answer won.
    pub fn explain(&self, question: &str, knowledge: &Knowledge) -> String {
        use std::fmt::Write;
        let query = self.analyse(question);
        let names: HashMap<u32, &str> = self.terms.iter().map(|(k, v)| (*v, k.as_str())).collect();
        let mut out = String::new();
        let _ = write!(out, "terms:");
        for (id, weight) in &query.terms {
            let _ = write!(
                out,
                " {}={weight:.2}",
                names.get(id).copied().unwrap_or("?")
            );
        }
        let known: f32 = query.terms.iter().map(|(_, w)| w).sum();
        let _ = writeln!(out, "  unknown weight={:.2}", query.total - known);
        let named = |entry: usize| match knowledge.entries.get(entry) {
            Some(entry) => Some((entry.id.clone(), &entry.questions)),
            None => knowledge
                .not_in_article
                .get(entry - self.answers)
                .map(|gap| (format!("(not in article) {}", gap.id), &gap.questions)),
        };
        for (candidate, parts) in score::rank_explained(self, &query, 5, Scope::Everything) {
            let Some((id, questions)) = named(candidate.entry) else {
                continue;
            };
            let _ = writeln!(
                out,
                "  {:.3} {:<22} overlap {:.2} coverage {:.2} damping {:.2} similarity {:.2}  via {:?}",
                candidate.score,
                id,
                parts.best_overlap,
                parts.coverage,
                parts.damping,
                parts.similarity,
                questions
                    .get(candidate.question)
                    .map(String::as_str)
                    .unwrap_or("")
            );
        }
        if let Some((doc, similarity)) = self.nearest_doc_in_meaning(question)
            && let Some((id, questions)) = named(self.docs[doc].entry as usize)
        {
            let via = questions.get(self.docs[doc].question as usize);
            let _ = writeln!(
                out,
                "  meaning: nearest {id} ({similarity:.2}) via {:?}",
                via.map(String::as_str).unwrap_or("")
            );
        }
        let (decision, ranked) = self.decide_ranked(question);
        if matches!(decision, Decision::Answered(_)) {
            let query = self.meaning_query(question);
            let vetoed = decide::veto(decision, &ranked, &self.config, self.answers, || {
                self.ranked_gap_near(&ranked, || query.as_ref())
            });
            if let Decision::NotInArticle {
                gap,
                score: similarity,
                ..
            } = vetoed
                && let Some((id, _)) = named(self.answers + gap)
            {
                let _ = writeln!(
                    out,
                    "  meaning: nearest {id} ({similarity:.2}) by the margin: the words' answer \
                     is withdrawn"
                );
            }
        }
        let whole = self.decide_whole(question);
        let read = self.decide_read(question, &OnceCell::new());
        if matches!(read, Decision::Answered(_)) && requests::is_request(question) {
            let _ = writeln!(
                out,
                "  a request to act (\"say...\", \"send...\"), not a question: never answered"
            );
        } else if let Decision::Answered(answer) = read
            && self.answers_the_bot.get(answer.entry) == Some(&false)
            && to_the_bot::is_to_the_bot(question)
        {
            let _ = writeln!(
                out,
                "  a question about the bot itself (\"how old are you\"): not answered with the \
                 article's facts"
            );
        } else if let Decision::Answered(answer) = read
            && let Some(kind) = self.lacks(answer.entry, question)
        {
            let _ = writeln!(
                out,
                "  {}: not answered with it",
                kind.lacking().replace("its answer", "the answer")
            );
        }
        let unanswered = matches!(whole, Decision::NoMatch(_) | Decision::Ambiguous(_));
        let query = self.meaning_query(question);
        let gap = unanswered
            .then(|| self.gap_near_of_all(|| query.as_ref()))
            .flatten();
        if let Some((gap, similarity)) = gap
            && let Some((id, _)) = named(gap)
        {
            let _ = writeln!(
                out,
                "  meaning: unanswered, and nearest {id} ({similarity:.2}) by the margin: its \
                 note is the reply"
            );
        } else if unanswered && self.reads_clauses(question) {
            for clause in clauses::clauses(question) {
                let verdict = match self.decide_whole(clause) {
                    Decision::Answered(candidate) => {
                        named(candidate.entry).map_or_else(String::new, |(id, _)| {
                            if clauses::refers_back(clause) {
                                format!("answered by {id} alone, but it points at another clause")
                            } else {
                                format!("answered by {id}")
                            }
                        })
                    }
                    Decision::NotInArticle { gap, .. } => named(self.answers + gap)
                        .map_or_else(String::new, |(id, _)| format!("refused: {id}")),
                    _ => "no answer".to_string(),
                };
                let _ = writeln!(out, "  clause {clause:?}: {verdict}");
            }
        }
        out
    }
}
