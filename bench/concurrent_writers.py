"""Concurrent writers and readers on one database: nothing lost, nothing broken, same stories.

Usage: python bench/concurrent_writers.py [--data DIR] [--articles 200] [--trials 10]
       [--reader-minutes 10] [--workers 1] [--published 2026-03-13] [--out /tmp/h19/conc]

The first ``--articles`` ECB+ dev files (sorted by name) are split into two halves (alternate
files, so that most stories have articles in both). Baselines: the halves run one after the
other (first, second) and in the other order; the B³F1 between those two is what a change of
input order alone does. Each trial starts two ``storydesk run``s, one per half, at the same
moment on a fresh database, and reports their exit codes, tracebacks, writes lost (articles
expected but not stored, or stored but in no story), stories listed without a dossier,
dossiers of stories that are not listed (empty or merged away), stale marks left, and B³F1 of
the stories against the sequential run's (over file names: article ids differ between orders).
Then, for ``--reader-minutes``, two writers take turns over batches of 10 files of the whole
corpus while a reader calls ``storydesk stories --format json`` and ``show N --format json``
for a listed story in a loop; a reader call that fails is an error, unless ``show`` answered
"no story" for a story merged away between the two calls.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from cluster_ecb import bcubed
from kill_trials import DEFAULT_DATA, STORYDESK, corpus, state

BATCH = 10  # files per writer run in the mixed run


def run_cmd(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A storydesk command, waited for."""
    env = {k: v for k, v in os.environ.items() if k != "STORYDESK_DB"}
    return subprocess.run(
        [*STORYDESK, "--db", str(db), *args], env=env, capture_output=True, text=True
    )


def writer(db: Path, folder: Path, a: argparse.Namespace) -> subprocess.Popen[str]:
    """Start `storydesk run` over one folder."""
    env = {k: v for k, v in os.environ.items() if k != "STORYDESK_DB"}
    args = ["--db", str(db), "run", "--published", a.published, "--workers", str(a.workers)]
    return subprocess.Popen(
        [*STORYDESK, *args, str(folder)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def partition(db: Path) -> dict[str, int]:
    """File name to story id."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT a.source, m.story_id FROM memberships m JOIN articles a ON a.id = m.article_id"
        ).fetchall()
    finally:
        conn.close()
    return {Path(src).name: int(sid) for src, sid in rows}


def f1(pred: dict[str, int], gold: dict[str, int]) -> float:
    """B³F1 of one partition against another, over the files both hold."""
    names = sorted(set(pred) & set(gold))
    index = {n: i for i, n in enumerate(names)}
    _, _, score = bcubed(
        {index[n]: pred[n] for n in names}, {index[n]: str(gold[n]) for n in names}
    )
    return round(score, 4)


def sequential(first: Path, second: Path, db: Path, a: argparse.Namespace) -> dict[str, int]:
    """The stories of the two halves run one after the other."""
    for folder in (first, second):
        _, err = writer(db, folder, a).communicate()
        assert "Traceback" not in err, err
    return partition(db)


def trial(n: int, halves: tuple[Path, Path], seq: dict[str, int], a: argparse.Namespace) -> Any:
    """Two writers started together on a fresh database."""
    db = a.out / f"w{n}.db"
    procs = [writer(db, half, a) for half in halves]
    errs = [p.communicate()[1] for p in procs]
    final = state(db)
    expected = len(seq)
    stored = len(final["articles"])
    pred = partition(db)
    return {
        "trial": n,
        "rc": [p.returncode for p in procs],
        "tracebacks": sum("Traceback" in e for e in errs),
        "locked": sum("database is locked" in e for e in errs),
        "writes_lost": expected - stored + (stored - len(pred)),
        "stories": len(final["stories"]),
        "broken": final["broken"],
        "b3f1_vs_sequential": f1(pred, seq),
    }


def mixed(files: list[Path], a: argparse.Namespace) -> dict[str, Any]:
    """Writers taking turns over batches of the corpus while a reader reads, for some minutes."""
    db = a.out / "mixed.db"
    writer(db, a.out / "empty", a).communicate()  # the database exists before readers start
    batches = [files[i : i + BATCH] for i in range(0, len(files), BATCH)]
    deadline = time.monotonic() + 60 * a.reader_minutes
    tally = {
        "writer_runs": 0,
        "writer_tracebacks": 0,
        "reader_calls": 0,
        "reader_errors": 0,
        "merged_meanwhile": 0,
    }
    errors: list[str] = []
    lock = threading.Lock()
    turn = iter(range(10**9))

    def write() -> None:
        while time.monotonic() < deadline:
            with lock:
                k = next(turn)
            folder = a.out / f"batch{k}"
            folder.mkdir(exist_ok=True)
            for f in batches[k % len(batches)]:
                shutil.copy(f, folder / f.name)
            _, err = writer(db, folder, a).communicate()
            with lock:
                tally["writer_runs"] += 1
                tally["writer_tracebacks"] += "Traceback" in err

    def read() -> None:
        rng = random.Random(a.seed)
        while time.monotonic() < deadline:
            done = run_cmd(db, "stories", "--format", "json")
            calls, failed = 1, done.returncode != 0
            if failed:
                errors.append(f"stories rc {done.returncode}: {done.stderr[-300:]}")
            listed = json.loads(done.stdout) if not failed and done.stdout.strip() else []
            if listed:
                sid = rng.choice(listed)["id"]
                shown = run_cmd(db, "show", str(sid), "--format", "json")
                calls += 1
                if shown.returncode != 0:
                    if merged_away(db, sid):
                        tally["merged_meanwhile"] += 1
                    else:
                        failed = True
                        errors.append(f"show {sid} rc {shown.returncode}: {shown.stderr[-300:]}")
            with lock:
                tally["reader_calls"] += calls
                tally["reader_errors"] += int(failed)

    threads = [threading.Thread(target=write) for _ in range(2)] + [threading.Thread(target=read)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    final = state(db)
    return {
        **tally,
        "errors": errors[:5],
        "articles": len(final["articles"]),
        "stories": len(final["stories"]),
        "broken": final["broken"],
    }


def merged_away(db: Path, story_id: int) -> bool:
    """Whether a story was merged into another (so `show` rightly finds no story)."""
    conn = sqlite3.connect(db)
    try:
        row = conn.execute("SELECT 1 FROM story_merges WHERE absorbed = ?", (story_id,)).fetchone()
        return row is not None
    finally:
        conn.close()


def main() -> None:
    """Baselines, trials, then the mixed run; one JSON line each."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--trials", type=int, default=10)
    ap.add_argument("--reader-minutes", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--published", default="2026-03-13")
    ap.add_argument("--out", type=Path, default=Path("/tmp/h19/conc"))
    a = ap.parse_args()
    if a.out.exists():
        shutil.rmtree(a.out)
    a.out.mkdir(parents=True)
    (a.out / "empty").mkdir()
    files = corpus(a.data, a.articles, a.out / "corpus")
    halves = (a.out / "first", a.out / "second")
    for i, f in enumerate(files):
        halves[i % 2].mkdir(exist_ok=True)
        shutil.copy(f, halves[i % 2] / f.name)
    if a.trials:
        seq = sequential(*halves, a.out / "seq.db", a)
        other = sequential(halves[1], halves[0], a.out / "seq_reversed.db", a)
        print(
            json.dumps(
                {
                    "sequential_stories": len(set(seq.values())),
                    "reversed_stories": len(set(other.values())),
                    "b3f1_order_change": f1(other, seq),
                }
            ),
            flush=True,
        )
        rows = []
        for n in range(a.trials):
            rows.append(trial(n, halves, seq, a))
            print(json.dumps(rows[-1]), flush=True)
        print(
            json.dumps(
                {
                    "trials": len(rows),
                    "writes_lost": sum(r["writes_lost"] for r in rows),
                    "tracebacks": sum(r["tracebacks"] for r in rows),
                    "nonzero_exits": sum(c != 0 for r in rows for c in r["rc"]),
                    "broken_trials": sum(bool(r["broken"]) for r in rows),
                    "stories": sorted(r["stories"] for r in rows),
                    "b3f1_min": min(r["b3f1_vs_sequential"] for r in rows),
                    "b3f1_mean": round(sum(r["b3f1_vs_sequential"] for r in rows) / len(rows), 4),
                }
            ),
            flush=True,
        )
    if a.reader_minutes > 0:
        everything = sorted(a.data.glob("*.txt"))
        print(json.dumps({"mixed": mixed(everything, a)}), flush=True)


if __name__ == "__main__":
    main()
