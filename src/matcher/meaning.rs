//! The second reading: what a question means, beside which words it shares.
//!
//! The word matcher (`score`) only sees shared words, so a reader who asks in other words ("wen
//! did the koreans show up") scores just under the threshold even when the right entry is on
//! top. Here a static embedding model (`knowledge/meaning/`, distilled from all-MiniLM-L6-v2 by
//! model2vec, one vector per word piece) places the question and every stored question in one
//! space, and names the stored question nearest in meaning. `decide::confirm` answers a close
//! call only when this reading and the word matcher agree on the entry; the model never answers
//! alone and never picks an entry the words did not.
//!
//! Embedding a question costs about a microsecond; finding its nearest stored question is one
//! dot product per stored question, done only for close calls.

use std::path::{Path, PathBuf};

use model2vec_rs::model::StaticModel;

/// The folder inside the knowledge folder that holds the model, when it is there.
pub const MEANING_DIR: &str = "meaning";

/// The files the model is read from.
const FILES: [&str; 3] = ["config.json", "tokenizer.json", "model.safetensors"];

/// Past this many stored questions, the nearest-question scan would cost more than the word
/// matcher itself, and the vectors more memory than the index: such knowledge is matched by
/// words alone.
pub const MAX_STORED_QUESTIONS: usize = 50_000;

#[derive(Debug, thiserror::Error)]
#[error(
    "{}: cannot load the meaning model: {reason}\n  \
     rebuild it with tools/distil_meaning.py, or delete the folder to match by words alone",
    dir.display()
)]
pub struct MeaningError {
    pub dir: PathBuf,
    pub reason: String,
}

/// The loaded model. Read once per knowledge load; shared by every matcher built from it.
pub struct MeaningModel {
    model: StaticModel,
    dir: PathBuf,
}

impl std::fmt::Debug for MeaningModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MeaningModel")
            .field("dir", &self.dir)
            .field("dim", &self.model.dim())
            .finish()
    }
}

impl MeaningModel {
    /// The model in `knowledge_dir/meaning`, `None` when there is no such folder.
    pub fn find(knowledge_dir: &Path) -> Result<Option<MeaningModel>, MeaningError> {
        let dir = knowledge_dir.join(MEANING_DIR);
        if !dir.is_dir() {
            return Ok(None);
        }
        MeaningModel::load(&dir).map(Some)
    }

    pub fn load(dir: &Path) -> Result<MeaningModel, MeaningError> {
        let fail = |reason: String| MeaningError {
            dir: dir.to_path_buf(),
            reason,
        };
        if let Some(missing) = FILES.iter().find(|f| !dir.join(f).is_file()) {
            return Err(fail(format!("{missing} is missing")));
        }
        let model = StaticModel::from_pretrained(dir, None, Some(true), None)
            .map_err(|e| fail(format!("{e:#}")))?;
        if model.dim() == 0 {
            return Err(fail("its vectors have no dimensions".into()));
        }
        Ok(MeaningModel {
            model,
            dir: dir.to_path_buf(),
        })
    }

    /// Where it was loaded from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The question's vector, of unit length (or all zeros when no piece of it is known).
    pub fn embed(&self, text: &str) -> Vec<f32> {
        self.model.encode_single(text)
    }

    fn dim(&self) -> usize {
        self.model.dim()
    }
}

/// Every stored question's vector, in the matcher's doc order.
pub(crate) struct MeaningIndex {
    model: std::sync::Arc<MeaningModel>,
    dim: usize,
    /// `docs × dim`, row-major.
    vectors: Vec<f32>,
}

impl MeaningIndex {
    /// `None` when there are too many stored questions for the scan to pay (see
    /// [`MAX_STORED_QUESTIONS`]).
    pub(crate) fn new(
        model: std::sync::Arc<MeaningModel>,
        questions: &[&str],
    ) -> Option<MeaningIndex> {
        if questions.len() > MAX_STORED_QUESTIONS {
            tracing::warn!(
                questions = questions.len(),
                limit = MAX_STORED_QUESTIONS,
                "too many stored questions for the meaning model: matching by words alone"
            );
            return None;
        }
        let dim = model.dim();
        let mut vectors = Vec::with_capacity(questions.len() * dim);
        for question in questions {
            vectors.extend(model.embed(question));
        }
        Some(MeaningIndex {
            model,
            dim,
            vectors,
        })
    }

    /// The stored question (doc index) nearest `question` in meaning, with its cosine
    /// similarity; `None` when the question has no known word piece.
    pub(crate) fn nearest(&self, question: &str) -> Option<(usize, f32)> {
        let query = self.model.embed(question);
        if query.iter().all(|&x| x == 0.0) {
            return None;
        }
        let mut best: Option<(usize, f32)> = None;
        for (doc, row) in self.vectors.chunks_exact(self.dim).enumerate() {
            let similarity: f32 = row.iter().zip(&query).map(|(a, b)| a * b).sum();
            if best.is_none_or(|(_, s)| similarity > s) {
                best = Some((doc, similarity));
            }
        }
        best
    }
}
