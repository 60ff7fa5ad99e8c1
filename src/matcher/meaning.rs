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
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use model2vec_rs::model::StaticModel;

/// The folder inside the knowledge folder that holds the model, when it is there.
pub const MEANING_DIR: &str = "meaning";

/// The files the model is read from.
const FILES: [&str; 3] = ["config.json", "tokenizer.json", "model.safetensors"];

/// Past this many stored questions, the nearest-question scan would cost more than the word
/// matcher itself, and the vectors more memory than the index: such knowledge is matched by
/// words alone.
pub const MAX_STORED_QUESTIONS: usize = 50_000;

/// What tells a changed model file from the one loaded: its size and modification time.
type FileStamp = Option<(u64, SystemTime)>;

/// The model last loaded: its folder, its files' stamps, and the model.
type Loaded = (PathBuf, Vec<FileStamp>, Arc<MeaningModel>);

fn stamps(dir: &Path) -> Vec<FileStamp> {
    FILES
        .iter()
        .map(|name| {
            let metadata = std::fs::metadata(dir.join(name)).ok()?;
            Some((metadata.len(), metadata.modified().ok()?))
        })
        .collect()
}

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

/// The loaded model: read once, shared by every matcher built while its files are unchanged.
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
    /// The model in `knowledge_dir/meaning`, `None` when there is no such folder. A knowledge
    /// reload (every curator's edit, every `/kb teach`) finds the model already loaded when its
    /// files are unchanged, rather than holding a second copy while the first still serves.
    pub fn find(knowledge_dir: &Path) -> Result<Option<Arc<MeaningModel>>, MeaningError> {
        static LAST: Mutex<Option<Loaded>> = Mutex::new(None);
        let dir = knowledge_dir.join(MEANING_DIR);
        if !dir.is_dir() {
            return Ok(None);
        }
        let stamps = stamps(&dir);
        let mut last = LAST.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((last_dir, last_stamps, model)) = last.as_ref()
            && *last_dir == dir
            && *last_stamps == stamps
        {
            return Ok(Some(Arc::clone(model)));
        }
        let model = Arc::new(MeaningModel::load(&dir)?);
        *last = Some((dir, stamps, Arc::clone(&model)));
        Ok(Some(model))
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
    model: Arc<MeaningModel>,
    dim: usize,
    /// `docs × dim`, row-major, of unit length.
    vectors: Vec<f32>,
    /// The same as int8, each row scaled to fill -127..=127: a quarter of the memory to scan,
    /// and integer dot products the compiler vectorises.
    codes: Vec<i8>,
    /// Per row, the factor from `codes` back to `vectors`.
    scales: Vec<f32>,
}

/// How far an int8 dot product may stray from the full one (measured: under 0.01 for these
/// unit vectors): a stored question within this of the best is compared in full.
const SLACK: f32 = 0.03;

impl MeaningIndex {
    /// `None` when there are too many stored questions for the scan to pay (see
    /// [`MAX_STORED_QUESTIONS`]).
    pub(crate) fn new(model: Arc<MeaningModel>, questions: &[&str]) -> Option<MeaningIndex> {
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
        let mut codes = Vec::with_capacity(questions.len() * dim);
        let mut scales = Vec::with_capacity(questions.len());
        for question in questions {
            let vector = model.embed(question);
            scales.push(quantise(&vector, &mut codes));
            vectors.extend(vector);
        }
        Some(MeaningIndex {
            model,
            dim,
            vectors,
            codes,
            scales,
        })
    }

    /// The stored question (doc index) nearest `question` in meaning, with its cosine
    /// similarity, by comparing every one in full; `None` when the question has no known word
    /// piece. For `citebot ask --explain` and tests: deciding uses [`MeaningIndex::agrees`].
    pub(crate) fn nearest(&self, question: &str) -> Option<(usize, f32)> {
        let query = self.model.embed(question);
        if query.iter().all(|&x| x == 0.0) {
            return None;
        }
        (0..self.scales.len())
            .map(|doc| (doc, self.similarity(doc, &query)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
    }

    /// Whether the stored question nearest `question` in meaning is one of `own` (an entry's
    /// docs) and at least `agreement` alike: [`MeaningIndex::nearest`]'s verdict, found faster.
    /// `own`'s best is compared in full first; when it is too faint nothing else is looked at.
    /// The others are scanned as int8, each that comes within [`SLACK`] compared in full, and
    /// the scan stops at the first found nearer.
    pub(crate) fn agrees(
        &self,
        question: &str,
        own: std::ops::Range<usize>,
        agreement: f32,
    ) -> bool {
        let query = self.model.embed(question);
        let own_best = own
            .clone()
            .map(|doc| self.similarity(doc, &query))
            .fold(f32::NEG_INFINITY, f32::max);
        if own_best.is_nan() || own_best < agreement {
            return false;
        }
        let mut query_codes = Vec::with_capacity(self.dim);
        let query_scale = quantise(&query, &mut query_codes);
        for (doc, row) in self.codes.chunks_exact(self.dim).enumerate() {
            if own.contains(&doc) {
                continue;
            }
            let approximate = dot_i8(row, &query_codes) as f32 * self.scales[doc] * query_scale;
            if approximate + SLACK >= own_best && self.similarity(doc, &query) > own_best {
                return false;
            }
        }
        true
    }

    fn similarity(&self, doc: usize, query: &[f32]) -> f32 {
        let row = &self.vectors[doc * self.dim..(doc + 1) * self.dim];
        let mut sums = [0f32; 8];
        for (a, b) in row.chunks_exact(8).zip(query.chunks_exact(8)) {
            for lane in 0..8 {
                sums[lane] += a[lane] * b[lane];
            }
        }
        let tail: f32 = (row.len() / 8 * 8..row.len().min(query.len()))
            .map(|i| row[i] * query[i])
            .sum();
        sums.iter().sum::<f32>() + tail
    }
}

/// Sixteen running sums, so the compiler can keep them in vector registers.
fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
    let mut sums = [0i32; 16];
    for (a, b) in a.chunks_exact(16).zip(b.chunks_exact(16)) {
        for lane in 0..16 {
            sums[lane] += i32::from(a[lane]) * i32::from(b[lane]);
        }
    }
    let tail: i32 = (a.len() / 16 * 16..a.len().min(b.len()))
        .map(|i| i32::from(a[i]) * i32::from(b[i]))
        .sum();
    sums.iter().sum::<i32>() + tail
}

/// Appends `vector` scaled to -127..=127 to `codes`; returns the factor back (0 for a zero
/// vector).
fn quantise(vector: &[f32], codes: &mut Vec<i8>) -> f32 {
    let largest = vector.iter().fold(0.0f32, |m, x| m.max(x.abs()));
    if largest == 0.0 || !largest.is_finite() {
        codes.extend(std::iter::repeat_n(0, vector.len()));
        return 0.0;
    }
    let scale = largest / 127.0;
    codes.extend(
        vector
            .iter()
            .map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8),
    );
    scale
}
