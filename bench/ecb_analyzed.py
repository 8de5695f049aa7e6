"""ECB+ dev articles as the pipeline sees them: read, cleaned and analysed, cached on disk.

Usage: python bench/ecb_analyzed.py [DATA_DIR] [--cache PATH] [--workers 2] [--refresh]

Each gold file goes through ``storydesk.ingest.read_sources``, ``storydesk.clean.clean``
and ``storydesk.analyze.analyze_articles`` (the stages ``storydesk run`` uses), and gets
the gold line number as its article id. The analyses are cached as JSON lines (outside the
repository: the articles are third-party text) keyed by the data folder and the model, so
``cluster_ecb.py --analyzed`` re-reads them in seconds; ``--refresh`` analyses them again
(after the clean or analyze stages changed).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import tempfile
import time
from pathlib import Path

from storydesk.model import AnalyzedArticle
from storydesk.options import Options

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "ecbplus-dev"


def cache_path(data: Path, model: str) -> Path:
    """Where the analyses of one data folder and model are cached."""
    digest = hashlib.sha256(str(data.resolve()).encode() + b"\0" + model.encode())
    return Path(tempfile.gettempdir()) / f"storydesk-ecb-{digest.hexdigest()[:16]}.jsonl"


def analyzed(
    data: Path, options: Options | None = None, cache: Path | None = None, refresh: bool = False
) -> list[AnalyzedArticle]:
    """The analysed gold articles in gold order (id = gold line), from the cache when there."""
    from storydesk.serialize import from_dict, to_dict

    options = options or Options()
    cache = cache or cache_path(data, options.spacy_model)
    if cache.is_file() and not refresh:
        rows = cache.read_text().splitlines()
        return [from_dict(AnalyzedArticle, json.loads(line)) for line in rows]
    done = _analyze(data, options)
    tmp = cache.with_suffix(".part")
    tmp.write_text("".join(json.dumps(to_dict(a), ensure_ascii=False) + "\n" for a in done))
    tmp.replace(cache)
    return done


def analyzed_files(
    paths: list[Path], options: Options | None = None, cache: Path | None = None
) -> list[AnalyzedArticle]:
    """Input files analysed as ``storydesk run`` would (id = position), cached under /tmp."""
    from storydesk.serialize import from_dict, to_dict

    options = options or Options()
    names = "\0".join(str(path.resolve()) for path in paths) + "\0" + options.spacy_model
    digest = hashlib.sha256(names.encode()).hexdigest()[:16]
    cache = cache or Path(tempfile.gettempdir()) / f"storydesk-files-{digest}.jsonl"
    if cache.is_file():
        rows = cache.read_text().splitlines()
        return [from_dict(AnalyzedArticle, json.loads(line)) for line in rows]
    done = _analyze_paths(paths, options)
    tmp = cache.with_suffix(".part")
    tmp.write_text("".join(json.dumps(to_dict(a), ensure_ascii=False) + "\n" for a in done))
    tmp.replace(cache)
    return done


def cached_gists(texts: list[str], cache: Path | None = None) -> list[bytes]:
    """The gist (``storydesk.cluster.gist``) of each text, cached under /tmp by digest."""
    import numpy as np

    from storydesk.cluster.gist import DTYPE, gists
    from storydesk.text.embed import load_embedder

    digest = hashlib.sha256("\0".join(texts).encode()).hexdigest()[:16]
    path = cache or Path(tempfile.gettempdir()) / f"storydesk-gists-{digest}.npy"
    if path.is_file():
        rows = np.load(path)
        return [row.tobytes() if row.any() else b"" for row in rows]
    made = gists(load_embedder(), texts)
    width = max(len(g) for g in made) // np.dtype(DTYPE).itemsize
    rows = np.zeros((len(made), width), dtype=DTYPE)
    for i, g in enumerate(made):
        if g:
            rows[i] = np.frombuffer(g, dtype=DTYPE)
    np.save(path, rows)
    return made


def _analyze(data: Path, options: Options) -> list[AnalyzedArticle]:
    """Read, clean and analyse every gold file (rejections are fatal: the gold needs all)."""
    rows = [json.loads(line) for line in (data / "gold.jsonl").read_text().splitlines()]
    return _analyze_paths([data / row["file"] for row in rows], options)


def _analyze_paths(paths: list[Path], options: Options) -> list[AnalyzedArticle]:
    """Read, clean and analyse each file's articles, ids by position (rejections are fatal)."""
    from storydesk.analyze import analyze_articles
    from storydesk.clean import clean
    from storydesk.ingest import read_sources
    from storydesk.model import RawDocument

    articles = []
    for path in paths:
        for doc in read_sources([str(path)], options):  # one, or a JSONL file's records
            if not isinstance(doc, RawDocument):
                raise SystemExit(f"{path}: {doc.reason}")
            articles.append(dataclasses.replace(clean(doc, options), id=len(articles)))
    return analyze_articles(articles, options)


def main() -> None:
    """Analyse (or re-read) the ECB+ dev articles and print where the cache lies."""
    ap = argparse.ArgumentParser()
    ap.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--refresh", action="store_true", help="analyse again, ignoring the cache")
    args = ap.parse_args()
    options = Options(workers=args.workers)
    start = time.perf_counter()
    done = analyzed(args.data, options, args.cache, args.refresh)
    cache = args.cache or cache_path(args.data, options.spacy_model)
    print(f"{len(done)} articles in {time.perf_counter() - start:.1f} s; cache {cache}")


if __name__ == "__main__":
    main()
