"""End to end: a fresh database, ``storydesk run`` over the 1,696 development articles.

The corpus is every ``.txt`` of ``../shared/data/ecbplus-dev`` and of
``../shared/data/polnear/*/text``, copied into one folder (plain text, no dates), as a new user
would try it. The run is the library's ``api.run`` (what ``storydesk run`` calls) in a child
process; this parent samples the resident memory of the child and its workers together every
0.2 s, and the child reports the wall time of each stage.

    .venv/bin/python bench/e2e.py                      # the whole corpus
    .venv/bin/python bench/e2e.py --limit 300          # a quick look
    .venv/bin/python bench/e2e.py --again              # then a second run on the same inputs

Prints wall time, articles/s, peak RSS (sum over the process tree) and the time per stage.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"

CHILD = r"""
import json, sys, time
from storydesk import api
from storydesk.options import Options

class Timing:
    def __init__(self):
        self.t0 = time.perf_counter()
        self.stages = []
    def stage(self, name, total):
        now = time.perf_counter() - self.t0
        self.stages.append([name, total, now])
        log.write(json.dumps({"stage": name, "total": total, "at": round(now, 2)}) + "\n")
        log.flush()
    def advance(self, n=1):
        pass
    def reject(self, rejection):
        pass

folder, db, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
log = open(sys.argv[4], "w")
rep = Timing()
report = api.run([folder], Options(db=db, workers=workers), rep)
end = time.perf_counter() - rep.t0
log.write(json.dumps({"done": round(end, 2), "added": len(report.added),
                      "unchanged": len(report.unchanged), "rejected": len(report.rejections),
                      "stories": len(report.stories)}) + "\n")
log.close()
"""


def corpus(folder: Path, limit: int | None) -> int:
    """Copy the dev articles into one folder; return how many."""
    files = sorted((DATA / "ecbplus-dev").glob("*.txt"))
    files += sorted((DATA / "polnear").glob("*/text/*.txt"))
    if not files:
        sys.exit(f"no dev articles under {DATA}")
    files = files[:limit] if limit else files
    folder.mkdir(parents=True, exist_ok=True)
    for i, f in enumerate(files):
        shutil.copyfile(f, folder / f"{i:05d}_{f.name}")
    return len(files)


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            statm = (entry / "statm").read_text().split()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
        rss[int(entry.name)] = int(statm[1]) * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total


@dataclass(frozen=True)
class Result:
    """One run: wall seconds, peak resident bytes of the process tree, the child's events."""

    wall: float
    peak_rss: int
    events: list[dict[str, Any]]


def run_once(folder: Path, db: Path, workers: int) -> Result:
    """One run in a child process: its stage times, wall time and peak tree RSS."""
    log = db.with_suffix(".events.jsonl")
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(folder), str(db), str(workers), str(log)],
        stdout=subprocess.DEVNULL,
    )
    peak = 0
    while child.poll() is None:
        peak = max(peak, tree_rss(child.pid))
        time.sleep(0.2)
    wall = time.perf_counter() - start
    if child.returncode not in (0, 1):
        sys.exit(f"run failed with exit code {child.returncode}")
    events = [json.loads(x) for x in log.read_text().splitlines() if x.strip()]
    return Result(wall, peak, events)


def show(label: str, n: int, result: Result) -> None:
    """Print one run's figures."""
    wall, events = result.wall, result.events
    done = next((e for e in events if "done" in e), {})
    print(
        f"{label}: {n} articles, wall {wall:.1f} s, {n / wall:.2f} articles/s, "
        f"peak RSS {result.peak_rss / 2**20:.0f} MiB (process tree)"
    )
    print(
        f"  added {done.get('added')}, already stored {done.get('unchanged')}, "
        f"rejected {done.get('rejected')}, stories updated {done.get('stories')}"
    )
    stages = [e for e in events if "stage" in e]
    ends = [e["at"] for e in stages[1:]] + [done.get("done", wall)]
    for e, end in zip(stages, ends, strict=True):
        print(
            f"  {e['stage']:<10} {e['total'] if e['total'] is not None else '':>6}"
            f"  {end - e['at']:7.1f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N articles")
    parser.add_argument("--workers", type=int, default=0, help="analysis processes (0: auto)")
    parser.add_argument("--again", action="store_true", help="then run again on the same inputs")
    parser.add_argument("--keep", type=Path, help="keep the database at this path")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="storydesk-e2e-") as tmp:
        folder = Path(tmp) / "articles"
        n = corpus(folder, args.limit)
        db = args.keep or Path(tmp) / "e2e.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        print(f"load average before: {os.getloadavg()[0]:.2f}")
        show("first run", n, run_once(folder, db, args.workers))
        if args.again:
            show("second run", n, run_once(folder, db, args.workers))
        print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
