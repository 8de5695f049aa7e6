"""A dated stream of 10,000 articles fed through ``storydesk run``, 1,000 a run, into one database.

The articles are the development texts (``../shared/data/ecbplus-dev`` and PolNeAR's dev and
train texts), replicated with perturbation up to the size asked: each replica renames the rare
capitalised words (names) consistently within its copy of the corpus, so a replica of a
story's articles makes a parallel story, and shuffles the sentences of each paragraph. Dates
are spread over 30 days: PolNeAR's ``metadata.tsv`` dates are squeezed into the window in
order, an ECB+ topic gets one day for all its articles, and a replica falls within two days
after its original. The records are written as JSON Lines (``text``, ``title``,
``published``, ``outlet``), sorted by date, in files of ``--batch`` records; each file is one
``storydesk run`` into the same database, as a day of ``watch`` would feed it.

    .venv/bin/python bench/stream10k.py                      # 10,000 articles, 1,000 a run
    .venv/bin/python bench/stream10k.py --articles 2000      # a quick look
    .venv/bin/python bench/stream10k.py --keep /tmp/s.db     # keep the database
    .venv/bin/python bench/stream10k.py --stages             # and each run's time per stage

Prints per run: articles added, wall, CPU (the run and its workers), articles/s, seconds per
article, peak RSS of the process tree; then the ratio of the per-article cost of the last run
to the first (target <= 1.2) and the peak RSS of all runs (target <= 2 GB).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from e2e import run_once, show, tree_rss

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
START = date(2026, 11, 1)
DAYS = 30
BOOT = "from storydesk.cli.main import main; main()"
NAME = re.compile(r"\b[A-Z][a-z]{2,}\b")
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
KEEP = set(
    re.findall(
        r"\w+",
        """
        The This That These Those There Then They Their Them Thus Though Today Tomorrow
        Yesterday He She His Her Hers Him It Its We Our You Your Who What When Where Why How
        Which While And But Or Nor For Yet So If In On At By From With Without Into Onto Over
        Under After Before Since Until During About Above Below Between Among Against Also Both
        Each Every Some Many Most More Much Such Other Another Any All Not No Yes One Two Three
        Four Five Six Seven Eight Nine Ten First Second Third Last Next New Mr Mrs Ms Dr Read
        Related January February March April May June July August September October November
        December Monday Tuesday Wednesday Thursday Friday Saturday Sunday Jan Feb Mar Apr Jun
        Jul Aug Sep Sept Oct Nov Dec According Although However Meanwhile Earlier Later Still
        Even Just
        """,
    )
)
SYLLABLES = re.findall(
    r"\w+", "ka lo mi ne ru sa ti vo ba de fi gu ha je ko lu ma no pe ri so ta ve zu"
)


@dataclass(frozen=True)
class Base:
    """One development article: its title, paragraphs, day in the window, outlet."""

    key: str
    title: str
    paragraphs: tuple[str, ...]
    day: int
    outlet: str | None


def _split(text: str) -> tuple[str, tuple[str, ...]]:
    """A plain-text article's first line (its title) and its paragraphs."""
    lines = text.strip().splitlines()
    body = "\n".join(lines[1:])
    paragraphs = tuple(p.strip() for p in re.split(r"\n\s*\n|\n", body) if p.strip())
    return lines[0].strip() if lines else "", paragraphs


def _seeded_day(key: str) -> int:
    """A day in the window chosen by a key's hash (the same key, the same day)."""
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % DAYS


def base_articles() -> list[Base]:
    """The development articles with their days in the window."""
    found: list[Base] = []
    for path in sorted((DATA / "ecbplus-dev").glob("*.txt")):
        title, paragraphs = _split(path.read_text(encoding="utf-8", errors="replace"))
        topic = path.name.split("_")[0]
        found.append(Base(path.stem, title, paragraphs, _seeded_day(f"ecb{topic}"), None))
    meta: dict[str, dict[str, str]] = {}
    with (DATA / "polnear" / "metadata.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            meta[row["filename"]] = row
    dated = [
        (meta.get(p.stem, {}).get("publication_date") or "2016-06-01", p)
        for p in sorted((DATA / "polnear").glob("*/text/*.txt"))
    ]
    stamps = sorted({d for d, _ in dated})
    for stamp, path in dated:
        title, paragraphs = _split(path.read_text(encoding="utf-8", errors="replace"))
        day = stamps.index(stamp) * DAYS // max(1, len(stamps))  # order kept, a year in 30 days
        outlet = meta.get(path.stem, {}).get("publisher")
        found.append(Base(path.stem, title, paragraphs, day, outlet))
    return found


def _rename(word: str, copy: int) -> str:
    """A made-up name for a word in one copy of the corpus (the same word, the same name)."""
    digest = hashlib.sha256(f"{copy}:{word}".encode()).digest()
    parts = [SYLLABLES[b % len(SYLLABLES)] for b in digest[: 2 + digest[5] % 2]]
    return "".join(parts).capitalize()


def perturbed(base: Base, copy: int) -> tuple[str, tuple[str, ...]]:
    """A replica of an article: its names renamed for this copy, each paragraph reshuffled."""

    def names(text: str) -> str:
        return NAME.sub(lambda m: m[0] if m[0] in KEEP else _rename(m[0], copy), text)

    rng = random.Random(f"{base.key}:{copy}")
    paragraphs = []
    for paragraph in base.paragraphs:
        sentences = SENTENCE.split(paragraph)
        rng.shuffle(sentences)
        paragraphs.append(names(" ".join(sentences)))
    return names(base.title), tuple(paragraphs)


def records(n: int, seed: int = 16) -> list[dict[str, str]]:
    """``n`` dated records in date order: the originals, then replicas, chosen at random."""
    bases = [b for b in base_articles() if b.paragraphs]
    rng = random.Random(seed)
    chosen: list[tuple[Base, int]] = [(b, 0) for b in bases][:n]
    copy = 1
    while len(chosen) < n:
        picks = rng.sample(bases, min(len(bases), n - len(chosen)))
        chosen += [(b, copy) for b in picks]
        copy += 1
    out: list[tuple[int, str, dict[str, str]]] = []
    for base, k in chosen:
        title, paragraphs = (base.title, base.paragraphs) if k == 0 else perturbed(base, k)
        day = min(DAYS - 1, base.day + (0 if k == 0 else rng.randint(0, 2)))
        record = {"title": title, "text": "\n\n".join(paragraphs)}
        record["published"] = (START + timedelta(days=day)).isoformat()
        if base.outlet:
            record["outlet"] = base.outlet
        out.append((day, f"{base.key}:{k}", record))
    out.sort(key=lambda x: (x[0], x[1]))
    return [r for _, _, r in out]


@dataclass(frozen=True)
class Batch:
    """One run's figures."""

    added: int
    wall: float
    cpu: float
    peak_rss: int


def run_batch(path: Path, db: Path, workers: int) -> Batch:
    """``storydesk run`` on one file in a child process: wall, CPU and peak tree RSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    args = ["--db", str(db), "run", "--workers", str(workers), str(path)]
    child = subprocess.Popen(
        [sys.executable, "-c", BOOT, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = 0
    while child.poll() is None:
        peak = max(peak, sum(tree_rss(child.pid)))
        time.sleep(0.2)
    wall = time.perf_counter() - start
    err = child.stderr.read() if child.stderr else ""
    if child.returncode not in (0, 1):
        sys.exit(f"run failed with exit code {child.returncode}: {err[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    found = re.search(r"(\d+) new article", err)
    return Batch(int(found[1]) if found else 0, wall, cpu, peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", "--limit", type=int, default=10_000, help="stream size")
    parser.add_argument("--batch", type=int, default=1_000, help="articles per run")
    parser.add_argument("--workers", type=int, default=0, help="analysis processes (0: auto)")
    parser.add_argument("--keep", type=Path, help="keep the database at this path")
    parser.add_argument(
        "--stages", action="store_true", help="also the time per stage of each run (as e2e.py)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="storydesk-stream-") as tmp:
        db = args.keep or Path(tmp) / "stream.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        stream = records(args.articles)
        files = []
        for k in range(0, len(stream), args.batch):
            path = Path(tmp) / f"day-{k // args.batch:02d}.jsonl"
            with path.open("w", encoding="utf-8") as handle:
                for record in stream[k : k + args.batch]:
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            files.append(path)
        first_day, last_day = stream[0]["published"], stream[-1]["published"]
        print(f"{len(stream)} articles dated {first_day} to {last_day}, {len(files)} runs")
        print(f"load average before: {os.getloadavg()[0]:.2f}")
        results: list[Batch] = []
        for k, path in enumerate(files):
            if args.stages:  # the library in a child that reports its stages, as e2e.py runs it
                r = run_once(path, db, args.workers, 0, None)
                done = next((e for e in r.events if "done" in e), {})
                show(f"  run {k + 1:>2} stages", int(done.get("added") or 0), r)
                b = Batch(int(done.get("added") or 0), r.wall, r.cpu, r.peak_rss)
            else:
                b = run_batch(path, db, args.workers)
            results.append(b)
            per = b.wall / max(1, b.added)
            print(
                f"  run {k + 1:>2}: +{b.added:>5} articles  wall {b.wall:7.1f} s  "
                f"cpu {b.cpu:7.1f} s  {b.added / b.wall:6.2f} articles/s  "
                f"{per * 1000:6.1f} ms/article  peak RSS {b.peak_rss / 2**20:6.0f} MiB  "
                f"load {os.getloadavg()[0]:.2f}",
                flush=True,
            )
        first, last = results[0], results[-1]
        ratio = (last.wall / max(1, last.added)) / (first.wall / max(1, first.added))
        cpu_ratio = (last.cpu / max(1, last.added)) / (first.cpu / max(1, first.added))
        print(
            f"per-article cost, last run / first: {ratio:.2f}x wall, {cpu_ratio:.2f}x CPU "
            "(target <= 1.2)"
        )
        peak = max(b.peak_rss for b in results)
        print(f"peak RSS of any run: {peak / 2**20:.0f} MiB (target <= 2048)")
        total = sum(b.wall for b in results)
        print(f"all runs: {total:.1f} s wall, {len(stream) / total:.2f} articles/s")
        print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
