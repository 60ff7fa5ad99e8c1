//! The second reading: what a question means, beside which words it shares.
//!
//! The word matcher (`score`) only sees shared words, so a reader who asks in other words ("wen
//! did the koreans show up") scores just under the threshold even when the right entry is on
//! top. Here a static embedding model (`knowledge/meaning/`, distilled from all-MiniLM-L6-v2 by
//! model2vec, one vector per word piece) places the question and every stored question in one
//! space (the model is tuned on the stored questions by `tools/build_meaning.py`), and says
//! which stored questions a question is near. `decide::confirm` answers a close call only when
//! this reading and the word matcher agree on the entry; `decide::veto` withdraws an answer when
//! the question is nearest, by a margin, a `not_in_article` group the words also rank. The
//! overrule (and `decide::past_requests`) gives an answer a group came close to when the
//! meaning sides with it, `decide::blend` checks an answer against the words' other leaders,
//! and an unanswered question nearest a group by the margin gets that group's note. The model
//! never answers alone and never picks an entry the words did not.
//!
//! Embedding a question costs one or two microseconds. The scans of the stored questions read half
//! of each vector as int8 and bound the rest ([`MeaningIndex::agrees`],
//! [`MeaningIndex::best_among`], [`MeaningIndex::reaches`]), with the same verdicts as
//! comparing every one in full.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use model2vec_rs::model::StaticModel;

/// The folder inside the knowledge folder that holds the model, when it is there.
pub const MEANING_DIR: &str = "meaning";

/// The files the model is read from.
const FILES: [&str; 3] = ["config.json", "tokenizer.json", "model.safetensors"];

/// Past this many stored questions, the nearest-question scan would cost more than the word
/// matcher itself, and the vectors more memory than the index: such knowledge is matched by
/// words alone.
pub const MAX_STORED_QUESTIONS: usize = 50_000;

/// The model last loaded: its folder, a digest of its files, and the model.
type Loaded = (PathBuf, Vec<u8>, Arc<MeaningModel>);

/// A digest of the model's files (about 3 MB: a millisecond or two), so a rebuilt model is
/// never mistaken for the loaded one, whatever its files' sizes and times say.
fn digest(files: &[Vec<u8>]) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for bytes in files {
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    }
    hasher.finalize().to_vec()
}

#[derive(Debug, thiserror::Error)]
#[error(
    "{}: cannot load the meaning model: {reason}\n  \
     rebuild it with tools/build_meaning.py, or delete the folder to match by words alone",
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
    /// [`questions_digest`] of the `qa.toml` it was tuned on, as `tools/build_meaning.py`
    /// recorded it in config.json (`tuned_on`); `None` for a model that does not say.
    tuned_on: Option<String>,
    /// The stored questions the tuning left out as function words alone, each as
    /// "<entry or gap:group id>\t<question>" (config.json's `left_out`); `None` for a model
    /// that does not say.
    left_out: Option<Vec<String>>,
    /// The whole words the tokenizer has a piece for (`None` when its vocabulary is not a
    /// WordPiece one): a reader's word among them is common English, which the matcher
    /// reads as typed rather than as a misspelling of a knowledge word.
    words: Option<HashSet<String>>,
}

/// A digest of the knowledge's stored questions with their entry (or `gap:` group) ids, in the
/// matcher's order: `tools/build_meaning.py` computes the same, so `citebot check` can tell
/// when the model was tuned on other questions than the file has now.
pub fn questions_digest(knowledge: &crate::knowledge::Knowledge) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for ((prefix, id), questions, _) in super::analysis::indexed_with_ids(knowledge) {
        for question in questions {
            hasher.update(format!("{prefix}{id}\t{question}\n").as_bytes());
        }
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The whole words (not the "##" word endings) of a WordPiece tokenizer.json's vocabulary.
fn whole_words(tokenizer: &[u8]) -> Result<HashSet<String>, serde_json::Error> {
    #[derive(serde::Deserialize)]
    struct Tokenizer {
        model: Vocabulary,
    }
    #[derive(serde::Deserialize)]
    struct Vocabulary {
        vocab: HashMap<String, u32>,
    }
    let tokenizer: Tokenizer = serde_json::from_slice(tokenizer)?;
    Ok(tokenizer
        .model
        .vocab
        .into_keys()
        .filter(|piece| !piece.starts_with("##"))
        .collect())
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
            // A folder deleted to match by words alone: its model is not kept for nothing.
            let mut last = LAST.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if last
                .as_ref()
                .is_some_and(|(last_dir, _, _)| *last_dir == dir)
            {
                *last = None;
            }
            return Ok(None);
        }
        let fail = |reason: String| MeaningError {
            dir: dir.clone(),
            reason,
        };
        let read = |name: &str| {
            std::fs::read(dir.join(name)).map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => fail(format!("{name} is missing")),
                _ => fail(format!("cannot read {name}: {e}")),
            })
        };
        // Read once: digested to recognise a model already loaded, parsed only when it is not.
        let files = [read(FILES[0])?, read(FILES[1])?, read(FILES[2])?];
        let digest = digest(&files);
        let mut last = LAST.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((last_dir, last_digest, model)) = last.as_ref()
            && *last_dir == dir
            && *last_digest == digest
        {
            return Ok(Some(Arc::clone(model)));
        }
        let [config, tokenizer, weights] = &files;
        let model = StaticModel::from_bytes(tokenizer, weights, config, Some(true))
            .map_err(|e| fail(format!("{e:#}")))?;
        if model.dim() == 0 {
            return Err(fail("its vectors have no dimensions".into()));
        }
        let recorded = serde_json::from_slice::<serde_json::Value>(config).ok();
        let tuned_on = (recorded.as_ref())
            .and_then(|config| Some(config.get("tuned_on")?.as_str()?.to_string()));
        let left_out = (recorded.as_ref())
            .and_then(|config| serde_json::from_value(config.get("left_out")?.clone()).ok());
        let words = whole_words(tokenizer).ok();
        let model = Arc::new(MeaningModel {
            model,
            dir: dir.clone(),
            tuned_on,
            left_out,
            words,
        });
        *last = Some((dir, digest, Arc::clone(&model)));
        Ok(Some(model))
    }

    /// The question's vector, of unit length (or all zeros when no piece of it is known).
    pub fn embed(&self, text: &str) -> Vec<f32> {
        self.model.encode_single(text)
    }

    /// Whether `word` (folded) is a whole word of the model's vocabulary; `None` when the
    /// vocabulary could not be read.
    pub fn knows_word(&self, word: &str) -> Option<bool> {
        Some(self.words.as_ref()?.contains(word))
    }

    fn dim(&self) -> usize {
        self.model.dim()
    }

    /// The folder the model was read from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The stored questions the tuning left out as function words alone (see the field).
    pub fn left_out(&self) -> Option<&[String]> {
        self.left_out.as_deref()
    }

    /// Whether the model was tuned on other questions than `knowledge`'s (false when it does
    /// not say what it was tuned on).
    pub fn is_stale_for(&self, knowledge: &crate::knowledge::Knowledge) -> bool {
        self.tuned_on
            .as_deref()
            .is_some_and(|tuned_on| tuned_on != questions_digest(knowledge))
    }
}

/// Every stored question's vector, in the matcher's doc order.
///
/// Deciding scans every stored question, so the scan is kept small without changing its
/// verdict: it reads only the leading [`SCAN_DIMS`] dimensions (the model's are PCA components,
/// most telling first), as int8, and bounds what the rest and the rounding could add; only a
/// stored question whose bound reaches the best is compared in full.
pub(crate) struct MeaningIndex {
    model: Arc<MeaningModel>,
    dim: usize,
    /// `docs × dim`, row-major, of unit length.
    vectors: Vec<f32>,
    /// Each row's leading `scan_dims` dimensions scaled to fill -127..=127 (zero past a short
    /// model's last dimension), split in two so the first pass reads only the heads. Fixed-size
    /// rows let the compiler unroll the dot products, without bounds checks.
    head_codes: Vec<HeadCodes>,
    tail_codes: Vec<TailCodes>,
    scan_dims: usize,
    head_dims: usize,
    /// Per row, what the first pass needs to bound the full dot product.
    rows: Vec<RowBound>,
}

/// Leading dimensions read by the scan: the first pass reads `HEAD_DIMS`, and a stored question
/// it cannot rule out gets the rest of `SCAN_DIMS` read too.
const SCAN_DIMS: usize = 128;
const HEAD_DIMS: usize = 64;
type HeadCodes = [i8; HEAD_DIMS];
type TailCodes = [i8; SCAN_DIMS - HEAD_DIMS];

/// `codes` (at most [`SCAN_DIMS`] of them) as a head and a tail, zero past their end: a zero
/// code adds nothing to a dot product, so a model of fewer dimensions scans the same way.
fn split_codes(codes: &[i8]) -> (HeadCodes, TailCodes) {
    let (mut head, mut tail) = ([0; HEAD_DIMS], [0; SCAN_DIMS - HEAD_DIMS]);
    for (slot, &code) in head.iter_mut().chain(tail.iter_mut()).zip(codes) {
        *slot = code;
    }
    (head, tail)
}

/// A question as the scans read it: its vector, and its leading dimensions as int8.
pub(crate) struct MeaningQuery {
    vector: Vec<f32>,
    head: HeadCodes,
    tail: TailCodes,
    bound: RowBound,
}

/// One vector's leading dimensions as int8, and what bounds the error of using them alone.
#[derive(Debug, Clone, Copy, Default)]
struct RowBound {
    /// From `codes` back to the vector: `value ≈ scale × code`, off by at most `scale / 2`.
    scale: f32,
    /// For the leading `HEAD_DIMS`, then the leading `SCAN_DIMS`.
    prefixes: [Prefix; 2],
}

/// What a dot product over a vector's leading dimensions leaves out.
#[derive(Debug, Clone, Copy, Default)]
struct Prefix {
    /// Their L1 norm.
    l1: f32,
    /// The other dimensions' L2 norm.
    rest_l2: f32,
}

impl Prefix {
    fn new(vector: &[f32], dims: usize) -> Prefix {
        let (leading, rest) = vector.split_at(dims.min(vector.len()));
        Prefix {
            l1: leading.iter().map(|x| x.abs()).sum(),
            rest_l2: rest.iter().map(|x| x * x).sum::<f32>().sqrt(),
        }
    }
}

impl RowBound {
    /// Quantises `vector`'s leading `scan_dims` into `codes`.
    fn new(vector: &[f32], scan_dims: usize, codes: &mut Vec<i8>) -> RowBound {
        let leading = &vector[..scan_dims.min(vector.len())];
        let largest = leading.iter().fold(0.0f32, |m, x| m.max(x.abs()));
        let scale = if largest > 0.0 && largest.is_finite() {
            largest / 127.0
        } else {
            0.0
        };
        codes.extend(leading.iter().map(|x| {
            if scale == 0.0 {
                0
            } else {
                (x / scale).round().clamp(-127.0, 127.0) as i8
            }
        }));
        RowBound {
            scale,
            prefixes: [
                Prefix::new(vector, HEAD_DIMS.min(scan_dims)),
                Prefix::new(vector, scan_dims),
            ],
        }
    }

    /// The most the full dot product of the two vectors can be, given the int8 dot product of
    /// their leading `dims` dimensions (`prefix` 0: the head, 1: all scanned; `dims` as each
    /// was made with). With `d = s·c + e`
    /// (|e| ≤ s/2 each) and `q = t·k + f`: `d·q` over the `n` leading dimensions is within
    /// `s/2·|q|₁ + t/2·(|d|₁ + n·s/2)` of `s·t·(c·k)`, and the rest adds at most the product
    /// of the rests' L2 norms.
    #[inline]
    fn most(&self, query: &RowBound, prefix: usize, dims: usize, codes_dot: i32) -> f32 {
        let (own, other) = (&self.prefixes[prefix], &query.prefixes[prefix]);
        let approximate = codes_dot as f32 * self.scale * query.scale;
        let rounding = self.scale / 2.0 * other.l1
            + query.scale / 2.0 * (own.l1 + dims as f32 * self.scale / 2.0);
        approximate + rounding + own.rest_l2 * other.rest_l2 + 1e-4
    }
}

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
        let scan_dims = SCAN_DIMS.min(dim);
        let head_dims = HEAD_DIMS.min(scan_dims);
        let mut vectors = Vec::with_capacity(questions.len() * dim);
        let mut head_codes = Vec::with_capacity(questions.len());
        let mut tail_codes = Vec::with_capacity(questions.len());
        let mut codes = Vec::with_capacity(scan_dims);
        let mut rows = Vec::with_capacity(questions.len());
        for question in questions {
            let mut vector = model.embed(question);
            if !vector.iter().all(|x| x.is_finite()) {
                // A broken vector is never nearest to anything, rather than poisoning the scan.
                vector.fill(0.0);
            }
            codes.clear();
            rows.push(RowBound::new(&vector, scan_dims, &mut codes));
            let (head, tail) = split_codes(&codes);
            head_codes.push(head);
            tail_codes.push(tail);
            vectors.extend(vector);
        }
        Some(MeaningIndex {
            model,
            dim,
            vectors,
            head_codes,
            tail_codes,
            scan_dims,
            head_dims,
            rows,
        })
    }

    /// The stored question (doc index) nearest `question` in meaning, with its cosine
    /// similarity, by comparing every one in full; `None` when the question has no known word
    /// piece. For `citebot ask --explain` and tests: deciding uses the bounded scans.
    pub(crate) fn nearest(&self, question: &str) -> Option<(usize, f32)> {
        let query = self.query(question)?;
        (0..self.rows.len())
            .map(|doc| (doc, self.similarity(doc, &query.vector)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
    }

    /// The model the stored questions were embedded with.
    pub(crate) fn model(&self) -> &MeaningModel {
        &self.model
    }

    /// `question` embedded and quantised for the scans; `None` when it has no known word piece
    /// (nothing is near it).
    pub(crate) fn query(&self, question: &str) -> Option<MeaningQuery> {
        let vector = self.model.embed(question);
        if vector.iter().all(|&x| x == 0.0) {
            return None;
        }
        let mut codes = Vec::with_capacity(self.scan_dims);
        let bound = RowBound::new(&vector, self.scan_dims, &mut codes);
        let (head, tail) = split_codes(&codes);
        Some(MeaningQuery {
            vector,
            head,
            tail,
            bound,
        })
    }

    /// The stored question (doc index) among `docs` most alike to `query`, with its cosine
    /// similarity, when it is at least `floor` alike (on a tie, the earlier). The int8 bounds
    /// rule most stored questions out, so only the near ones are compared in full.
    pub(crate) fn best_among(
        &self,
        query: &MeaningQuery,
        docs: std::ops::Range<usize>,
        floor: f32,
    ) -> Option<(usize, f32)> {
        let mut best: Option<(usize, f32)> = None;
        for doc in docs {
            let bar = best.map_or(floor, |(_, similarity)| similarity.max(floor));
            if self.may_reach(query, doc, bar) {
                let similarity = self.similarity(doc, &query.vector);
                if similarity >= floor && best.is_none_or(|(_, b)| similarity > b) {
                    best = Some((doc, similarity));
                }
            }
        }
        best
    }

    /// Whether any stored question among `docs` is at least `floor` alike to `query`.
    pub(crate) fn reaches(
        &self,
        query: &MeaningQuery,
        docs: std::ops::Range<usize>,
        floor: f32,
    ) -> bool {
        let mut docs = docs;
        docs.any(|doc| {
            self.may_reach(query, doc, floor) && self.similarity(doc, &query.vector) >= floor
        })
    }

    /// Whether the stored question nearest `query` in meaning is one of `own` (an entry's
    /// docs) and at least `agreement` alike: [`MeaningIndex::nearest`]'s verdict, found faster.
    /// `own`'s best is compared in full first; when it is too faint nothing else is looked at.
    /// Then each other stored question whose bound reaches that best is compared in full, and
    /// the scan stops at the first found nearer.
    pub(crate) fn agrees(
        &self,
        query: &MeaningQuery,
        own: std::ops::Range<usize>,
        agreement: f32,
    ) -> bool {
        let own_best = own
            .clone()
            .map(|doc| self.similarity(doc, &query.vector))
            .fold(f32::NEG_INFINITY, f32::max);
        if own_best.is_nan() || own_best < agreement {
            return false;
        }
        // Every stored question but `own`'s: those before it, then those after.
        for doc in (0..own.start).chain(own.end..self.rows.len()) {
            if self.may_reach(query, doc, own_best) {
                let similarity = self.similarity(doc, &query.vector);
                // On a tie `nearest` names the earlier stored question.
                if similarity > own_best || (similarity == own_best && doc < own.start) {
                    return false;
                }
            }
        }
        true
    }

    /// Whether stored question `doc` may be at least `floor` alike to `query`: false only
    /// when the bound from its leading dimensions (the head alone, then all scanned) proves it
    /// is not.
    #[inline(always)]
    fn may_reach(&self, query: &MeaningQuery, doc: usize, floor: f32) -> bool {
        let row = &self.rows[doc];
        let head_dot = dot_i8(&self.head_codes[doc], &query.head);
        if row.most(&query.bound, 0, self.head_dims, head_dot) < floor {
            return false;
        }
        let dot = head_dot + dot_i8(&self.tail_codes[doc], &query.tail);
        row.most(&query.bound, 1, self.scan_dims, dot) >= floor
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

/// Sixteen running sums, so the compiler can keep them in vector registers; `N` is a multiple
/// of 16 (the head and tail sizes), so there is no remainder loop.
#[inline(always)]
fn dot_i8<const N: usize>(a: &[i8; N], b: &[i8; N]) -> i32 {
    let mut sums = [0i32; 16];
    for (a, b) in a.chunks_exact(16).zip(b.chunks_exact(16)) {
        for lane in 0..16 {
            // An i8 product fits i16: a 16-bit multiply-add, which every x86-64 has in SIMD.
            sums[lane] += i32::from(i16::from(a[lane]) * i16::from(b[lane]));
        }
    }
    sums.iter().sum::<i32>()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic stream of numbers in [-1, 1).
    fn numbers(seed: u64) -> impl Iterator<Item = f32> {
        let mut state = seed;
        std::iter::repeat_with(move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 40) as f32 / (1u64 << 23) as f32) - 1.0
        })
    }

    fn unit(seed: u64, dim: usize) -> Vec<f32> {
        let mut vector: Vec<f32> = numbers(seed).take(dim).collect();
        let norm = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
        vector.iter_mut().for_each(|x| *x /= norm);
        vector
    }

    #[test]
    fn the_bound_is_never_below_the_full_dot_product() {
        for dim in [7, 100, 128, 130, 256] {
            let scan = SCAN_DIMS.min(dim);
            for seed in 0..200u64 {
                let (d, mut q) = (unit(seed, dim), unit(seed + 1_000, dim));
                if seed % 4 == 0 {
                    // Nearly the same vector: the case the bound must get right to the last bit.
                    q = d.iter().zip(&q).map(|(a, b)| a + 0.01 * b).collect();
                }
                let (mut d_codes, mut q_codes) = (Vec::new(), Vec::new());
                let d_row = RowBound::new(&d, scan, &mut d_codes);
                let q_row = RowBound::new(&q, scan, &mut q_codes);
                let exact: f32 = d.iter().zip(&q).map(|(a, b)| a * b).sum();
                let head = HEAD_DIMS.min(scan);
                let ((d_head, d_tail), (q_head, q_tail)) =
                    (split_codes(&d_codes), split_codes(&q_codes));
                let head_dot = dot_i8(&d_head, &q_head);
                let bounds = [
                    d_row.most(&q_row, 0, head, head_dot),
                    d_row.most(&q_row, 1, scan, head_dot + dot_i8(&d_tail, &q_tail)),
                ];
                for most in bounds {
                    assert!(
                        most >= exact,
                        "dim {dim}, seed {seed}: bound {most} < {exact}"
                    );
                    // ...and tight enough to spare most full comparisons.
                    assert!(
                        most - exact < 1.2,
                        "dim {dim}, seed {seed}: {most} vs {exact}"
                    );
                }
            }
        }
    }
}
