"""Service latency under load (issue 20): p50/p95 of story list, story JSON, search and CSV
export with 20 concurrent clients against `storydesk serve` on 127.0.0.1.

The database: a copy of a built one (default /tmp/s2/e2e.db, 1,696 dev articles) whose
articles, stories, memberships and dossiers are replicated in SQL until it holds --articles
articles (copies get new ids; triggers index them for search as a run would).

    .venv/bin/python bench/serve_load.py [--source /tmp/s2/e2e.db] [--articles 10000] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from storydesk.store import Store

QUERIES = ("police", "election", "minister", "fire", "court", "earthquake", "president", "killed")


def build(source: Path, target: Path, articles: int) -> int:
    """Copy ``source`` and replicate its stories until it holds ``articles`` articles."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    with sqlite3.connect(source) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(source, target)
    Store(target).close()  # migrated: search, changes and story index filled
    conn = sqlite3.connect(target, isolation_level=None)
    base_a = conn.execute("SELECT max(id), count(*) FROM articles").fetchone()
    base_s = conn.execute("SELECT max(id) FROM stories").fetchone()[0]
    copy = 1
    while conn.execute("SELECT count(*) FROM articles").fetchone()[0] < articles:
        a, s = base_a[0] * copy, base_s * copy
        conn.execute("BEGIN")
        conn.execute(
            "INSERT INTO articles (id, sha256, source, title, outlet, published, url, data,"
            " created_at) SELECT id + ?, sha256 || '-' || ?, source || '#copy' || ?, title,"
            " outlet, published, url, json_set(data, '$.id', id + ?), created_at FROM articles"
            " WHERE id <= ? AND id + ? <= ?",
            (a, copy, copy, a, base_a[0], a, articles + base_a[0]),
        )
        conn.execute(
            "INSERT INTO stories (id, title, created_at, updated_at) SELECT id + ?, title,"
            " created_at, updated_at FROM stories WHERE id <= ?",
            (s, base_s),
        )
        conn.execute(
            "INSERT INTO memberships (article_id, story_id, score, explanation, created_at)"
            " SELECT article_id + ?, story_id + ?, score, explanation, created_at FROM"
            " memberships WHERE article_id <= ? AND article_id + ? IN (SELECT id FROM articles)",
            (a, s, base_a[0], a),
        )
        conn.execute(
            "INSERT INTO dossiers (story_id, data, updated_at) SELECT story_id + ?,"
            " json_set(data, '$.story_id', story_id + ?), updated_at FROM dossiers"
            " WHERE story_id <= ? AND story_id + ? IN (SELECT story_id FROM memberships)",
            (s, s, base_s, s),
        )
        conn.execute("COMMIT")
        copy += 1
    n = int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    conn.close()
    return n


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def load(
    base: str, clients: int, per_kind: int, stories: list[int]
) -> dict[str, list[float]]:
    """Run the four request kinds interleaved, ``clients`` at a time; latencies in ms."""
    rnd = random.Random(20)
    kinds = {
        "story list": lambda: "/api/v1/stories?size=50",
        "story JSON": lambda: f"/api/v1/stories/{rnd.choice(stories)}",
        "search": lambda: f"/api/v1/search?q={rnd.choice(QUERIES)}&size=20",
        "CSV export": lambda: f"/api/v1/stories/{rnd.choice(stories)}/facts.csv",
    }
    jobs = [(k, make()) for _ in range(per_kind) for k, make in kinds.items()]
    rnd.shuffle(jobs)
    times: dict[str, list[float]] = {k: [] for k in kinds}
    gate = asyncio.Semaphore(clients)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

        async def one(kind: str, url: str) -> None:
            async with gate:
                start = time.perf_counter()
                resp = await client.get(url)
                times[kind].append((time.perf_counter() - start) * 1000)
                assert resp.status_code == 200, (url, resp.status_code, resp.text[:200])

        await asyncio.gather(*(one(k, u) for k, u in jobs))
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=Path, default=Path("/tmp/s2/e2e.db"))
    ap.add_argument("--db", type=Path, default=Path("/tmp/serve_load.db"))
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=200, help="per kind")
    ap.add_argument("--workers", type=int, default=1, help="server processes (serve --workers)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    n = build(args.source, args.db, args.articles)
    with sqlite3.connect(args.db) as conn:
        stories = [r[0] for r in conn.execute("SELECT story_id FROM dossiers")]
    print(f"database: {n} articles, {len(stories)} stories ({time.perf_counter() - t0:.1f} s)")
    port = free_port()
    exe = Path(sys.executable).with_name("storydesk")
    command = [str(exe), "--db", str(args.db), "serve", "--port", str(port)]
    proc = subprocess.Popen([*command, "--workers", str(args.workers)])
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(base + "/api/v1/outlets", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        asyncio.run(load(base, args.clients, 10, stories))  # warm-up
        times = asyncio.run(load(base, args.clients, args.requests, stories))
    finally:
        proc.terminate()
        proc.wait(10)
    print(f"{args.clients} concurrent clients, {args.requests} requests per kind")
    for kind, ms in times.items():
        q = statistics.quantiles(ms, n=100)
        print(f"{kind:12}  p50 {statistics.median(ms):7.1f} ms   p95 {q[94]:7.1f} ms")


if __name__ == "__main__":
    main()
