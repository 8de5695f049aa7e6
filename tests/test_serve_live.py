"""`storydesk serve` as a user starts it: a subprocess on 127.0.0.1 answering /api/v1/stories."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from storydesk.cli.main import cli
from tests.conftest import EXAMPLES

pytest.importorskip("uvicorn")
STARTUP_S = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_answers_on_loopback(tmp_path: Path, workers: int) -> None:
    db = tmp_path / "live.db"
    ran = CliRunner().invoke(
        cli, ["--db", str(db), "run", "--published", "2026-03-13", str(EXAMPLES / "feeds")]
    )
    assert ran.exit_code == 0, ran.output
    port = free_port()
    exe = Path(sys.executable).with_name("storydesk")
    proc = subprocess.Popen(
        [str(exe), "--db", str(db), "serve", "--port", str(port), "--workers", str(workers)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + STARTUP_S
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/stories") as resp:
                    body = json.loads(resp.read())
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
                assert time.monotonic() < deadline, "serve did not answer"
                time.sleep(0.2)
        assert body["ok"] is True and body["rows"] and body["next"] is None
    finally:
        proc.terminate()
        proc.wait(10)
    assert proc.returncode is not None


def test_serve_refuses_several_workers_with_one_feed_poller(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.txt"
    feeds.write_text("http://127.0.0.1:9/feed.xml\n", encoding="utf-8")
    args = ["--db", str(tmp_path / "w.db"), "serve", "--watch", str(feeds), "--workers", "2"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "--workers 1" in result.output
    assert not (tmp_path / "w.db").exists()
