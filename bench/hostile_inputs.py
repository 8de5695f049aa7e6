"""The bad-input corpus (tests/hostile/corpus.py) through `storydesk run` and `storydesk analyze`.

Each kind runs as its own batch, beside good inputs (a text, a page, two JSON Lines records),
through both commands as separate processes with a time limit; then the whole corpus runs as
one batch. Per command it counts:
  handled   every input of the kind named as the corpus expects (a rejection with its step and
            reason, or an article), and the command exited 0 or 1
  crashed   an exit code other than 0 or 1, or a traceback on stderr
  hung      the command ran past the time limit
  lost      a good input, or an input the kind expects as an article, did not come through
Run: .venv/bin/python bench/hostile_inputs.py [--workers 4] [--timeout 300] [--kinds a,b]
     [--src OTHER/src]  (the storydesk package to run, e.g. an older checkout's, for a baseline)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository: tests.hostile

from tests.hostile.corpus import (
    KINDS,
    Kind,
    dismantle,
    missing_controls,
    unmet,
    write_controls,
    write_kind,
)

from storydesk.model import Article, Rejection
from storydesk.store import Store

PUBLISHED = "2026-03-13"
REJECTED = re.compile(r"^storydesk: rejected (?P<source>.*?): (?P<reason>.*) \((?P<step>\w+)\)$")
ENTRY = "from storydesk.cli.main import main; main()"


@dataclass(frozen=True)
class Outcome:
    """One command over one batch."""

    kind: str
    command: str
    seconds: float
    crashed: bool
    hung: bool
    lost: list[str]
    unmet: list[str]

    @property
    def handled(self) -> bool:
        """Every input named as expected, without a crash, a hang or a loss."""
        return not (self.crashed or self.hung or self.lost or self.unmet)


def storydesk(
    args: list[str], src: str | None, timeout: float
) -> tuple[int | None, str, str, float]:
    """Run the CLI in a fresh process: (exit code or None on timeout, stdout, stderr, seconds)."""
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", ENTRY, *args],
            capture_output=True,
            text=True,
            errors="backslashreplace",
            env=env,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return None, "", "", time.perf_counter() - started
    return done.returncode, done.stdout, done.stderr, time.perf_counter() - started


def stored(db: Path) -> tuple[list[Rejection], dict[str, Article | None]]:
    """The rejections and the articles (those in a story and analysed) a run left."""
    if not db.exists():
        return [], {}
    with Store(db) as store:
        ids = [i for row in store.stories() for i in row.articles]
        analysed = {a.article.id for a in store.analyses(ids)}
        articles = [store.article(i) for i in ids if i in analysed]
        return store.rejections(), {a.source: a for a in articles if a is not None}


def judge(
    kinds: list[Kind],
    root: Path,
    command: str,
    result: tuple[int | None, str, str, float],
    rejections: list[Rejection],
    articles: dict[str, Article | None],
    name: str,
) -> Outcome:
    """What one command made of a batch holding these kinds."""
    code, _, stderr, seconds = result
    crashed = code is not None and (code not in (0, 1) or "Traceback" in stderr)
    problems = [p for kind in kinds for p in unmet(kind, root, rejections, articles, notes=False)]
    lost = missing_controls(root, articles)
    lost += [p for p in problems if ": no article" in p]
    return Outcome(name, command, seconds, crashed, code is None, lost, problems)


def analyze_outputs(stdout: str, stderr: str) -> tuple[list[Rejection], dict[str, Article | None]]:
    """The rejections (stderr lines) and analysed files (stdout objects) of `analyze`."""
    articles: dict[str, Article | None] = {}
    for line in stdout.splitlines():
        try:
            articles[json.loads(line)["file"]] = None
        except (ValueError, KeyError, TypeError):
            continue
    rejections = [
        Rejection(m["source"], m["step"], m["reason"])  # type: ignore[arg-type]
        for m in map(REJECTED.match, stderr.splitlines())
        if m
    ]
    return rejections, articles


def trial(
    kinds: list[Kind], name: str, work: Path, src: str | None, timeout: float
) -> list[Outcome]:
    """One batch (these kinds and the good inputs) through `run`, then `analyze`."""
    root = work / name / "in"
    for kind in kinds:
        write_kind(kind, root)
    write_controls(root / "controls")
    try:
        db = work / name / "storydesk.db"
        result = storydesk(
            ["--db", str(db), "run", "--published", PUBLISHED, str(root)], src, timeout
        )
        rejections, articles = stored(db)
        outcomes = [judge(kinds, root, "run", result, rejections, articles, name)]
        result = storydesk(
            ["analyze", "--format", "jsonl", "--published", PUBLISHED, str(root)], src, timeout
        )
        rejections, articles = analyze_outputs(result[1], result[2])
        outcomes.append(judge(kinds, root, "analyze", result, rejections, articles, name))
        return outcomes
    finally:
        dismantle(root)
        shutil.rmtree(work / name, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=4, help="batches at once")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per command")
    parser.add_argument("--kinds", default="", help="comma-separated kind names (default: all)")
    parser.add_argument("--src", default=None, help="the src folder of the storydesk to run")
    parser.add_argument("--no-whole", action="store_true", help="skip the whole-corpus batch")
    args = parser.parse_args()
    wanted = {k for k in args.kinds.split(",") if k}
    kinds = [k for k in KINDS if (not wanted or k.name in wanted)]
    skipped = [(k.name, k.skip()) for k in kinds if k.skip()]
    kinds = [k for k in kinds if not k.skip()]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        work = Path(tmp)
        with ThreadPoolExecutor(args.workers) as pool:
            jobs = [pool.submit(trial, [k], k.name, work, args.src, args.timeout) for k in kinds]
            outcomes = [o for job in jobs for o in job.result()]
        whole = [] if args.no_whole else trial(kinds, "whole-corpus", work, args.src, args.timeout)
    report(kinds, skipped, outcomes, whole, args, time.perf_counter() - started)


def report(
    kinds: list[Kind],
    skipped: list[tuple[str, str]],
    outcomes: list[Outcome],
    whole: list[Outcome],
    args: argparse.Namespace,
    seconds: float,
) -> None:
    """The per-kind table and the figures."""
    for o in outcomes:
        if not o.handled:
            state = "CRASH" if o.crashed else "HANG" if o.hung else "LOST" if o.lost else "UNMET"
            print(f"{state:6} {o.command:8} {o.kind}: {'; '.join(o.lost + o.unmet)[:300]}")
    slow = sorted(outcomes, key=lambda o: -o.seconds)[:5]
    print("slowest:", ", ".join(f"{o.kind} {o.command} {o.seconds:.1f} s" for o in slow))
    for name, why in skipped:
        print(f"skipped {name}: {why}")
    print()
    print(
        f"kinds tried: {len(kinds)} of {len(kinds) + len(skipped)} ({len(skipped)} cannot be made"
        f" here), each its own batch with good inputs; time limit {args.timeout:.0f} s per command"
    )
    for command in ("run", "analyze"):
        mine = [o for o in outcomes if o.command == command]
        print(
            f"  {command:8} handled {sum(o.handled for o in mine)}/{len(mine)}"
            f"  crashes {sum(o.crashed for o in mine)}  hangs {sum(o.hung for o in mine)}"
            f"  data lost {sum(bool(o.lost) for o in mine)}"
            f"  slowest {max((o.seconds for o in mine), default=0):.1f} s"
        )
    for o in whole:
        print(
            f"whole corpus in one batch, {o.command}: {'handled' if o.handled else 'NOT handled'}"
            f"  crashed {o.crashed}  hung {o.hung}  lost {len(o.lost)}  unmet {len(o.unmet)}"
            f"  {o.seconds:.1f} s"
        )
    print(f"total {seconds:.0f} s" + (f"; storydesk from {args.src}" if args.src else ""))


if __name__ == "__main__":
    main()
