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
import resource
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
        event = {"stage": name, "total": total, "at": round(now, 2)}
        event["cpu"] = round(time.process_time(), 2)
        event["clock"] = time.time()
        log.write(json.dumps(event) + "\n")
        log.flush()
    def advance(self, n=1):
        pass
    def reject(self, rejection):
        pass

folder, db, workers, batch = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[5])
log = open(sys.argv[4], "w")
rep = Timing()
options = Options(db=db, workers=workers, **({"batch_articles": batch} if batch else {}))
report = api.run([folder], options, rep)
end = time.perf_counter() - rep.t0
log.write(json.dumps({"done": round(end, 2), "cpu": round(time.process_time(), 2),
                      "added": len(report.added), "unchanged": len(report.unchanged),
                      "rejected": len(report.rejections), "stories": len(report.stories)}) + "\n")
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


def tree_rss(pid: int) -> tuple[int, ...]:
    """Resident bytes of a process, then of each of its descendants (from /proc)."""
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
    found, todo = [rss.get(pid, 0)], list(children.get(pid, []))
    while todo:
        p = todo.pop()
        found.append(rss.get(p, 0))
        todo.extend(children.get(p, []))
    return tuple(found)


@dataclass(frozen=True)
class Result:
    """One run: wall and CPU seconds, peak resident bytes of the process tree, its events."""

    wall: float
    cpu: float
    peak_rss: int
    events: list[dict[str, Any]]
    at_peak: tuple[int, ...] = ()  # the run's own process, then each worker, at the peak
    samples: tuple[tuple[float, tuple[int, ...]], ...] = ()  # (clock, as at_peak), every 0.2 s


def run_once(folder: Path, db: Path, workers: int, batch: int, src: Path | None) -> Result:
    """One run in a child process: its stage times, wall and CPU time, and peak tree RSS."""
    log = db.with_suffix(".events.jsonl")
    env = dict(os.environ, PYTHONPATH=str(src)) if src else None
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(folder), str(db), str(workers), str(log), str(batch)],
        stdout=subprocess.DEVNULL,
        env=env,
    )
    peak, at_peak, samples = 0, (0,), []
    while child.poll() is None:
        sizes = tree_rss(child.pid)
        samples.append((time.time(), sizes))
        if sum(sizes) > peak:
            peak, at_peak = sum(sizes), sizes
        time.sleep(0.2)
    wall = time.perf_counter() - start
    if child.returncode not in (0, 1):
        sys.exit(f"run failed with exit code {child.returncode}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the run and its worker processes
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    events = [json.loads(x) for x in log.read_text().splitlines() if x.strip()]
    return Result(wall, cpu, peak, events, at_peak, tuple(samples))


def show(label: str, n: int, result: Result) -> None:
    """Print one run's figures."""
    wall, events = result.wall, result.events
    done = next((e for e in events if "done" in e), {})
    print(
        f"{label}: {n} articles, wall {wall:.1f} s, {n / wall:.2f} articles/s, "
        f"CPU {result.cpu:.1f} s (process tree), "
        f"peak RSS {result.peak_rss / 2**20:.0f} MiB (process tree)"
    )
    print(
        f"  added {done.get('added')}, already stored {done.get('unchanged')}, "
        f"rejected {done.get('rejected')}, stories updated {done.get('stories')}"
    )
    # stages interleave batch by batch: the time from each stage event to the next is summed
    # per stage (with worker processes, analysis of the next batch also runs meanwhile)
    stages = [e for e in events if "stage" in e]
    # and so is the CPU time of the run's own process (its threads, not its workers)
    ends = [e["at"] for e in stages[1:]] + [done.get("done", wall)]
    cpu_ends = [e.get("cpu", 0.0) for e in stages[1:]] + [done.get("cpu", 0.0)]
    spent: dict[str, float] = {}
    cpu: dict[str, float] = {}
    totals: dict[str, Any] = {}
    for e, end, cpu_end in zip(stages, ends, cpu_ends, strict=True):
        spent[e["stage"]] = spent.get(e["stage"], 0.0) + end - e["at"]
        cpu[e["stage"]] = cpu.get(e["stage"], 0.0) + cpu_end - e.get("cpu", 0.0)
        totals[e["stage"]] = e["total"]
    for name, seconds in spent.items():
        total = totals[name] if totals[name] is not None else ""
        print(f"  {name:<10} {total:>6}  {seconds:7.1f} s  (run process CPU {cpu[name]:6.1f} s)")
    if result.at_peak:
        mib = [f"{x / 2**20:.0f}" for x in result.at_peak]
        print(f"  at the peak: run process {mib[0]} MiB, workers {' + '.join(mib[1:]) or '-'} MiB")
    print("  peak RSS per stage, run process / process tree (MiB): " + peaks(stages, result))


def peaks(stages: list[dict[str, Any]], result: Result) -> str:
    """The highest RSS of the run's own process and of the tree while each stage ran."""
    clocks = [e.get("clock") for e in stages]
    if not stages or None in clocks:
        return "(no clock in the events)"
    own: dict[str, int] = {}
    tree: dict[str, int] = {}
    for clock, sizes in result.samples:
        name = "start"
        for e in stages:
            if e["clock"] > clock:
                break
            name = e["stage"]
        own[name] = max(own.get(name, 0), sizes[0])
        tree[name] = max(tree.get(name, 0), sum(sizes))
    return ", ".join(f"{k} {own[k] / 2**20:.0f}/{tree[k] / 2**20:.0f}" for k in own)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N articles")
    parser.add_argument("--workers", type=int, default=0, help="analysis processes (0: auto)")
    parser.add_argument("--again", action="store_true", help="then run again on the same inputs")
    parser.add_argument("--keep", type=Path, help="keep the database at this path")
    parser.add_argument("--batch", type=int, default=0, help="articles per batch (0: default)")
    parser.add_argument("--src", type=Path, help="run the storydesk of this src/ tree instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="storydesk-e2e-") as tmp:
        folder = Path(tmp) / "articles"
        n = corpus(folder, args.limit)
        db = args.keep or Path(tmp) / "e2e.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        print(f"load average before: {os.getloadavg()[0]:.2f}, batch {args.batch or 'default'}")
        show("first run", n, run_once(folder, db, args.workers, args.batch, args.src))
        if args.again:
            show("second run", n, run_once(folder, db, args.workers, args.batch, args.src))
        print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
