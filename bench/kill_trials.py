"""Kill -9 trials: runs killed at random points recover to an uninterrupted run's final state.

Usage: python bench/kill_trials.py [--data DIR] [--articles 200] [--trials 24] [--timed 8]
       [--seed 19] [--workers 1] [--published 2026-03-13] [--out /tmp/h19/kill]

The first ``--articles`` ECB+ dev files (sorted by name) are copied into one folder. One clean
``storydesk run`` over it gives the reference state (a second clean run measures how far two
uninterrupted runs differ). Each trial then starts a run on a fresh database and kills it with
SIGKILL: ``--trials - --timed`` trials through the test hook ``STORYDESK_TEST_KILL_AT=stage:n``
(the stages in turn, n drawn at random over the stage's units, so every stage is hit), the
other ``--timed`` ones from outside after a random delay over the clean run's duration (a run
that ends first is started again on a fresh database, killed sooner). The
killed database must pass ``PRAGMA integrity_check``; then the same run is started again and
its final state (articles and their cleaned text, memberships, listed stories and titles,
dossier JSON, lineage edges; no stale mark, every listed story with its dossier) is compared
with the clean run's. One JSON line per trial, then a summary.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "ecbplus-dev"
STAGES = ("ingest", "analyze", "cluster", "dossiers")
KILL_AT = "STORYDESK_TEST_KILL_AT"
STORYDESK = (sys.executable, "-c", "from storydesk.cli.main import main; main()")


def corpus(data: Path, n: int, folder: Path) -> list[Path]:
    """The first n ECB+ files (by name) copied into a folder."""
    folder.mkdir(parents=True, exist_ok=True)
    files = sorted(data.glob("*.txt"))[:n]
    for f in files:
        if not (folder / f.name).exists():
            shutil.copy(f, folder / f.name)
    return files


def start(db: Path, sources: list[Path], args: argparse.Namespace, kill_at: str = "") -> Any:
    """Start `storydesk run` (in its own process group) over the sources."""
    env = {k: v for k, v in os.environ.items() if k not in ("STORYDESK_DB", KILL_AT)}
    if kill_at:
        env[KILL_AT] = kill_at
    cmd = [*STORYDESK, "--db", str(db), "run"]
    cmd += ["--published", args.published, "--workers", str(args.workers), *map(str, sources)]
    return subprocess.Popen(
        cmd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def state(db: Path) -> dict[str, Any]:
    """A finished database's content, keyed so two runs compare; plus the invariants it breaks."""
    conn = sqlite3.connect(db)
    try:
        articles = {
            int(i): (Path(src).name, hashlib.sha256(data.encode()).hexdigest())
            for i, src, data in conn.execute("SELECT id, source, data FROM articles")
        }
        members = dict(conn.execute("SELECT article_id, story_id FROM memberships").fetchall())
        stories: dict[int, list[int]] = {}
        for aid, sid in sorted(members.items()):
            stories.setdefault(sid, []).append(aid)
        titles = dict(conn.execute("SELECT id, title FROM stories").fetchall())
        dossiers = dict(conn.execute("SELECT story_id, data FROM dossiers").fetchall())
        edges = sorted(conn.execute("SELECT * FROM lineage_edges").fetchall())
        stale = [r[0] for r in conn.execute("SELECT story_id FROM stale_stories")]
        analysed = {r[0] for r in conn.execute("SELECT article_id FROM analyses")}
    finally:
        conn.close()
    broken = []
    if set(members) != set(articles):
        broken.append(f"{len(set(articles) - set(members))} article(s) in no story")
    if set(analysed) != set(articles):
        broken.append(f"{len(set(articles) - analysed)} article(s) not analysed")
    if set(dossiers) != set(stories):
        broken.append(
            f"{len(set(stories) - set(dossiers))} listed story(ies) without a dossier,"
            f" {len(set(dossiers) - set(stories))} dossier(s) of no listed story"
        )
    for sid, data in dossiers.items():
        ids = [a["id"] for a in json.loads(data)["articles"]]
        if sid in stories and ids != stories[sid]:
            broken.append(f"story {sid}: dossier of {len(ids)}, story of {len(stories[sid])}")
    if stale:
        broken.append(f"{len(stale)} stale mark(s) left")
    return {
        "articles": articles,
        "stories": {sid: (titles.get(sid, ""), aids) for sid, aids in stories.items()},
        "dossiers": dossiers,
        "edges": edges,
        "broken": broken,
    }


def differences(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """How two final states differ (empty when equal)."""
    out = []
    for key in ("articles", "stories", "edges"):
        if a[key] != b[key]:
            out.append(key)
    changed = [
        s
        for s in set(a["dossiers"]) | set(b["dossiers"])
        if a["dossiers"].get(s) != b["dossiers"].get(s)
    ]
    if changed:
        out.append(f"{len(changed)} dossier(s): {sorted(changed)[:8]}")
    return out


def stage_of(db: Path, articles_expected: int) -> str:
    """Which stage a killed run was in, read from what it left."""
    if not db.exists():
        return "ingest"
    conn = sqlite3.connect(db)
    try:

        def one(sql: str) -> int:
            return int(conn.execute(sql).fetchone()[0])

        if one("SELECT count(*) FROM sqlite_master WHERE name = 'stale_stories'") == 0:
            return "ingest"
        articles = one("SELECT count(*) FROM articles")
        if articles < articles_expected:
            return "ingest"
        if one("SELECT count(*) FROM analyses") < articles:
            return "analyze"
        if one("SELECT count(*) FROM memberships") < articles:
            return "cluster"
        if one("SELECT count(*) FROM stale_stories"):
            return "dossiers"
        return "done"
    finally:
        conn.close()


def main() -> None:
    """Run the trials and print one JSON line each, then the summary."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--trials", type=int, default=24)
    ap.add_argument(
        "--timed", type=int, default=8, help="trials killed from outside at a random time"
    )
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--published", default="2026-03-13")
    ap.add_argument("--out", type=Path, default=Path("/tmp/h19/kill"))
    args = ap.parse_args()
    rng = random.Random(args.seed)
    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    folder = args.out / "corpus"
    corpus(args.data, args.articles, folder)
    sources = [folder]

    began = time.monotonic()
    clean = start(args.out / "clean.db", sources, args)
    _, err = clean.communicate()
    clean_s = time.monotonic() - began
    assert clean.returncode in (0, 1), err
    reference = state(args.out / "clean.db")
    again = start(args.out / "clean2.db", sources, args)
    again.communicate()
    noise = differences(reference, state(args.out / "clean2.db"))
    units = {
        "ingest": args.articles,
        "analyze": len(reference["articles"]),
        "cluster": len(reference["articles"]),
        "dossiers": len(reference["stories"]),
    }
    print(
        json.dumps(
            {
                "clean_s": round(clean_s, 1),
                "stories": len(reference["stories"]),
                "articles": len(reference["articles"]),
                "clean_vs_clean": noise,
                "broken": reference["broken"],
            }
        ),
        flush=True,
    )

    results = []
    for trial in range(args.trials):
        db = args.out / f"t{trial}.db"
        hooked = trial < args.trials - args.timed
        if hooked:
            stage = STAGES[trial % len(STAGES)]
            point = f"{stage}:{rng.randint(1, units[stage])}"
            proc = start(db, sources, args, point)
            proc.communicate()
        else:
            span = clean_s
            for _ in range(3):  # a run that ends before its kill is tried again, sooner
                delay = rng.uniform(0.5, span)
                point = f"after {delay:.1f}s"
                if db.exists():
                    for leftover in db.parent.glob(db.name + "*"):
                        leftover.unlink()
                began = time.monotonic()
                proc = start(db, sources, args)
                try:
                    proc.communicate(timeout=delay)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.communicate()
                    break
                span = max(1.0, 0.9 * (time.monotonic() - began))
        killed = proc.returncode == -signal.SIGKILL
        where = stage_of(db, len(reference["articles"]))
        integrity = "missing"
        if db.exists():
            with sqlite3.connect(db) as conn:
                integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        rerun = start(db, sources, args)
        _, err = rerun.communicate()
        final = state(db)
        diff = differences(reference, final)
        ok = integrity == "ok" and rerun.returncode in (0, 1) and not final["broken"] and not diff
        row = {
            "trial": trial,
            "point": point,
            "killed": killed,
            "stage": where,
            "integrity": integrity,
            "rerun_rc": rerun.returncode,
            "traceback": "Traceback" in err,
            "broken": final["broken"],
            "diff": diff,
            "recovered": ok,
        }
        results.append(row)
        print(json.dumps(row), flush=True)
    killed_n = [r for r in results if r["killed"]]
    by_stage: dict[str, list[int]] = {}
    for r in killed_n:
        tally = by_stage.setdefault(r["stage"], [0, 0])
        tally[0] += int(r["recovered"])
        tally[1] += 1
    print(
        json.dumps(
            {
                "recovered": f"{sum(r['recovered'] for r in killed_n)}/{len(killed_n)}",
                "by_stage": {k: f"{v[0]}/{v[1]}" for k, v in sorted(by_stage.items())},
                "not_killed": len(results) - len(killed_n),
                "all_recovered": all(r["recovered"] for r in results),
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
