//! The questions behind recent answers, so a "not helpful" vote can tell curators what was asked.
//!
//! An answer message does not carry the reader's question (citebot never echoes it), so the
//! question is remembered here under the answer's message id (mentions, DMs) or the interaction
//! id (`/ask`, whose message names its interaction). Bounded: the oldest are forgotten first, and
//! a restart forgets all; a vote on a forgotten answer is still counted, just without the text.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use crate::reply::Reply;

/// Answers remembered at most.
const CAPACITY: usize = 2000;

/// What was asked for one answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Asked {
    pub question: String,
    pub score: f32,
}

#[derive(Debug, Default)]
pub struct RecentAnswers {
    inner: Mutex<(HashMap<u64, Asked>, VecDeque<u64>)>,
}

impl RecentAnswers {
    /// Remembers `reply`'s question under `id`.
    pub fn remember(&self, id: u64, reply: &Reply) {
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let (map, order) = &mut *guard;
        let asked = Asked {
            question: reply.question.clone(),
            score: reply.score,
        };
        if map.insert(id, asked).is_none() {
            order.push_back(id);
        }
        while order.len() > CAPACITY {
            if let Some(oldest) = order.pop_front() {
                map.remove(&oldest);
            }
        }
    }

    /// The question of the first of `ids` remembered.
    pub fn find(&self, ids: impl IntoIterator<Item = u64>) -> Option<Asked> {
        let guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        ids.into_iter().find_map(|id| guard.0.get(&id).cloned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discord::commands::shipped;

    #[test]
    fn remembers_the_newest_answers_only() {
        let snapshot = shipped();
        let entry = snapshot.knowledge.entries[0].id.clone();
        let mut reply = snapshot.answer_entry(&entry).unwrap();
        let recent = RecentAnswers::default();
        for id in 0..(CAPACITY as u64 + 10) {
            reply.question = format!("question {id}");
            recent.remember(id, &reply);
        }
        assert_eq!(recent.find([3]), None, "the oldest were forgotten");
        let found = recent.find([999_999, CAPACITY as u64 + 9]).unwrap();
        assert_eq!(found.question, format!("question {}", CAPACITY + 9));
        assert_eq!(found.score, reply.score);
    }
}
