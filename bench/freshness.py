"""Live-feed freshness (issue 20): how long an entry takes from a feed to a story.

Three outlets serve a feed and its pages on their own 127.0.0.1 ports (three hosts); every few
seconds one of them adds an entry for a real article (``../shared/data/ecbplus-dev``, one
article a page), round robin, over ``--minutes``. One host is slow: every third of its pages
answers only after ``--slow-delay`` seconds (longer than the fetcher's 20 s read timeout, so
those time out). storydesk polls the feeds (``serve --watch``, or ``watch`` for a baseline that
has no service) every ``--interval`` seconds with its default politeness. The database is read
every half second: an article is fresh once it is in a story (a membership row).

Reported: freshness median / p90 / max over the articles that reached a story (and how many
did), requests per host per second, and requests per URL (feeds, robots.txt, pages).

    .venv/bin/python bench/freshness.py --minutes 4 [--mode serve|watch] [--src PATH]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ecbplus-dev"
SLOW_EVERY = 3  # every third page of the slow host is slow


@dataclass
class Outlet:
    """One host: its entries so far, its pages, and the requests it saw."""

    name: str
    slow_delay: float = 0.0
    pages: dict[str, bytes] = field(default_factory=dict)
    entries: list[tuple[str, str]] = field(default_factory=list)  # (slug, title), oldest first
    seen: list[tuple[float, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    base: str = ""

    def feed(self) -> bytes:
        with self.lock:
            entries = list(reversed(self.entries[-50:]))
        items = "".join(
            f"<item><title>{escape(t)}</title><link>{self.base}/news/{s}</link>"
            f"<guid>{self.base}/news/{s}</guid></item>"
            for s, t in entries
        )
        return (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>{self.name}</title>'
            f"<link>{self.base}/</link><description>news</description>{items}</channel></rss>"
        ).encode()


def page_html(title: str, body: str, outlet: str) -> bytes:
    paras = "".join(f"<p>{escape(p)}</p>" for p in body.split("\n") if p.strip())
    return (
        f"<!doctype html><html><head><title>{escape(title)}</title>"
        f'<meta property="og:site_name" content="{outlet}">'
        f'<meta property="article:published_time" content="2026-12-06T09:00:00Z">'
        f"</head><body><article><h1>{escape(title)}</h1>{paras}</article></body></html>"
    ).encode()


def start(outlet: Outlet) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with outlet.lock:
                outlet.seen.append((time.monotonic(), self.path))
            if self.path == "/feed.xml":
                self._send(200, outlet.feed(), "application/rss+xml")
            elif self.path == "/robots.txt":
                self._send(200, b"User-agent: *\nAllow: /\n", "text/plain")
            elif self.path.startswith("/news/") and self.path[6:] in outlet.pages:
                slug = self.path[6:]
                if outlet.slow_delay and int(slug.rsplit("-", 1)[-1]) % SLOW_EVERY == 0:
                    time.sleep(outlet.slow_delay)
                self._send(200, outlet.pages[slug], "text/html; charset=utf-8")
            else:
                self._send(404, b"not found", "text/plain")

        def _send(self, status: int, body: bytes, kind: str) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    outlet.base = f"http://127.0.0.1:{server.server_port}"
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def in_stories(db: Path) -> set[str]:
    """Sources of the articles that are in a story now (read-only)."""
    if not db.exists():
        return set()
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            rows = conn.execute(
                "SELECT a.source FROM articles a JOIN memberships m ON m.article_id = a.id"
            ).fetchall()
    except sqlite3.Error:
        return set()
    return {r[0] for r in rows}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=4.0, help="minutes over which entries come")
    ap.add_argument("--articles", type=int, default=48)
    ap.add_argument("--interval", type=float, default=20.0)
    ap.add_argument("--slow-delay", type=float, default=25.0)
    ap.add_argument("--grace", type=float, default=90.0, help="seconds to wait after the last")
    ap.add_argument("--mode", choices=("serve", "watch"), default="serve")
    ap.add_argument("--src", type=Path, help="storydesk source tree to run (PYTHONPATH)")
    args = ap.parse_args()

    files = sorted(DATA.glob("*.txt"))[: args.articles]
    if len(files) < args.articles:
        sys.exit(f"need {args.articles} articles under {DATA}")
    outlets = [Outlet("Ashby Echo"), Outlet("Brisk Post"), Outlet("Calder Times", args.slow_delay)]
    schedule: list[tuple[Outlet, str, str]] = []
    for i, path in enumerate(files):
        outlet = outlets[i % 3]
        lines = path.read_text(encoding="utf-8").split("\n")
        title, body = lines[0].strip(), "\n".join(lines[1:])
        slug = f"{path.stem.replace('_', '-')}-{i // 3}"
        outlet.pages[slug] = page_html(title, body, outlet.name)
        schedule.append((outlet, slug, title))
    servers = [start(o) for o in outlets]

    work = Path(tempfile.mkdtemp(prefix="freshness-"))
    db = work / "fresh.db"
    listing = work / "feeds.txt"
    listing.write_text("".join(f"{o.base}/feed.xml\n" for o in outlets), encoding="utf-8")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if args.src:
        env["PYTHONPATH"] = str(args.src)
    entry = "from storydesk.cli.main import main; main()"
    cmd = [sys.executable, "-c", entry, "--db", str(db)]
    if args.mode == "serve":
        cmd += ["serve", "--port", str(free_port()), "--watch", str(listing)]
    else:
        cmd += ["watch", str(listing)]
    cmd += ["--interval", f"{args.interval:g}", "--allow-private-hosts"]
    log = (work / "storydesk.log").open("wb")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)

    appeared: dict[str, float] = {}
    fresh: dict[str, float] = {}
    gap = args.minutes * 60 / max(1, len(schedule))
    t0 = time.monotonic()
    pending = list(schedule)
    while True:
        now = time.monotonic()
        while pending and now - t0 >= gap * (len(schedule) - len(pending)):
            outlet, slug, title = pending.pop(0)
            with outlet.lock:
                outlet.entries.append((slug, title))
            appeared[f"{outlet.base}/news/{slug}"] = time.monotonic()
        for source in in_stories(db) - fresh.keys():
            if source in appeared:
                fresh[source] = time.monotonic() - appeared[source]
        done = not pending and (
            len(fresh) == len(schedule) or now - t0 > gap * len(schedule) + args.grace
        )
        if done or proc.poll() is not None:
            break
        time.sleep(0.5)
    span = time.monotonic() - t0
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(60)
    except subprocess.TimeoutExpired:
        proc.kill()
    for server in servers:
        server.shutdown()

    values = list(fresh.values())
    slow_pages = sum(
        1 for o, s, _ in schedule if o.slow_delay and int(s.rsplit("-", 1)[-1]) % SLOW_EVERY == 0
    )
    print(
        f"mode {args.mode}, interval {args.interval:g} s, {len(schedule)} entries over"
        f" {args.minutes:g} min, run {span:.0f} s"
    )
    print(f"in a story: {len(values)}/{len(schedule)} ({slow_pages} slow pages that time out)")
    if values:
        print(
            f"freshness: median {statistics.median(values):.1f} s, p90 {pct(values, 0.9):.1f} s,"
            f" max {max(values):.1f} s"
        )
        fast = [v for k, v in fresh.items() if not k.startswith(outlets[2].base)]
        if fast:
            print(
                f"  the two prompt hosts: median {statistics.median(fast):.1f} s,"
                f" max {max(fast):.1f} s"
            )
    for o in outlets:
        paths = Counter(p for _, p in o.seen)
        pages = [n for p, n in paths.items() if p.startswith("/news/")]
        slow = " (slow)" if o.slow_delay else ""
        print(
            f"{o.name}{slow}: {len(o.seen) / span:.3f} req/s; feed {paths['/feed.xml']},"
            f" robots.txt {paths['/robots.txt']}, pages {len(pages)} asked"
            f" {sum(pages)} times (max {max(pages, default=0)} per URL)"
        )
    print(f"storydesk log: {work / 'storydesk.log'}")


if __name__ == "__main__":
    main()
