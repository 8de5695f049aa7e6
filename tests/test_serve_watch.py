"""`storydesk serve --watch` as a user starts it: feeds on 127.0.0.1 polled while serving.

The service runs as a subprocess on a free loopback port; the feeds are served by a local
server (private hosts allowed: the one relaxation, everything is on 127.0.0.1). An entry added
to a feed shows up through the API as an article in a story and as a `changes` row.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.localserver import serve
from tests.test_poll import feed_answer, page
from tests.test_serve_live import free_port

pytest.importorskip("uvicorn")
WAIT_S = 240.0  # a generous bound on a loaded machine (model load, first analysis)


def get(base: str, path: str) -> Any:
    with urllib.request.urlopen(base + path, timeout=30) as resp:
        return json.loads(resp.read())


def wait_for(base: str, path: str, proc: subprocess.Popen[bytes], found: Any) -> Any:
    """Poll an API path until ``found(body)`` holds; the body."""
    deadline = time.monotonic() + WAIT_S
    while True:
        try:
            body = get(base, path)
            if found(body):
                return body
        except OSError:
            pass
        assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
        assert time.monotonic() < deadline, f"timed out waiting on {path}"
        time.sleep(0.3)


def test_serve_watch_picks_up_a_new_feed_entry(tmp_path: Path) -> None:
    with serve({}) as srv:
        srv.routes.update(
            {
                "/feed.xml": feed_answer(srv.base, "/news/one"),
                "/news/one": page("school-meals"),
                "/news/two": page("ferry-strike"),
            }
        )
        listing = tmp_path / "feeds.txt"
        listing.write_text(srv.base + "/feed.xml\n", encoding="utf-8")
        port = free_port()
        exe = Path(sys.executable).with_name("storydesk")
        args = ["--db", str(tmp_path / "live.db"), "serve", "--port", str(port)]
        args += ["--watch", str(listing), "--interval", "1", "--delay", "0"]
        proc = subprocess.Popen(
            [str(exe), *args, "--allow-private-hosts"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}/api/v1"
        try:

            def in_story(url: str) -> Any:
                return lambda body: any(r["source"] == url and r["story"] for r in body["rows"])

            wait_for(base, "/articles", proc, in_story(srv.base + "/news/one"))
            polls = srv.hits("/feed.xml")
            srv.routes["/feed.xml"] = feed_answer(srv.base, "/news/one", "/news/two")
            body = wait_for(base, "/articles", proc, in_story(srv.base + "/news/two"))
            [new] = [r for r in body["rows"] if r["source"] == srv.base + "/news/two"]
            changes = wait_for(
                base,
                "/changes?size=500",
                proc,
                lambda b: any(
                    c["kind"] == "article" and str(c["ref"]) == str(new["id"]) for c in b["rows"]
                ),
            )
            [row] = [
                c
                for c in changes["rows"]
                if c["kind"] == "article" and str(c["ref"]) == str(new["id"])
            ]
            assert row["story"] == new["story"] and row["at"]
            assert srv.hits("/feed.xml") > polls  # found by a later poll
            assert srv.hits("/news/one") == 1 and srv.hits("/news/two") == 1
            assert srv.hits("/robots.txt") == 1  # kept between polls
        finally:
            proc.terminate()
            out = proc.communicate(timeout=60)[0].decode()
    assert proc.returncode is not None
    assert "watching 1 feed(s)" in out
