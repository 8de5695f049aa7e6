"""The service (issue 20) in-process: every endpoint, filter, error and envelope; ETags;
tokens and limits; corrections with their audit log; alerts; reads beside writes."""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from storydesk.cli.main import cli
from storydesk.options import Options
from tests.conftest import EXAMPLES

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from storydesk.serve.app import create_app
from storydesk.serve.settings import ServeOptions, refusal

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
V1 = "/api/v1"


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples, run once; tests that write get their own copy."""
    db = tmp_path_factory.mktemp("serve") / "ex.db"
    result = invoke("--db", str(db), "run", "--published", "2026-03-13", str(EXAMPLES))
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


@pytest.fixture()
def fresh(built: Path, tmp_path: Path) -> Path:
    """A private copy of the examples database."""
    db = tmp_path / "copy.db"
    shutil.copy(built, db)
    return db


def client(db: Path, **settings: Any) -> TestClient:
    return TestClient(create_app(Options(db=db), ServeOptions(**settings)))


@pytest.fixture(scope="module")
def ro(built: Path) -> Iterator[TestClient]:
    with client(built) as c:
        yield c


def ok_rows(resp: Any) -> list[dict[str, Any]]:
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["ok"] is True and set(body) == {"ok", "rows", "next"}
    return list(body["rows"])


def failed(resp: Any, status: int) -> str:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert body == {"ok": False, "error": body["error"], "status": status}
    assert body["error"]
    return str(body["error"])


# ---------------------------------------------------------------- stories


def test_story_list_pages_cover_every_story_once(ro: TestClient, built: Path) -> None:
    every = json.loads(invoke("--db", str(built), "stories", "--format", "json").output)
    seen: list[int] = []
    url: str | None = f"{V1}/stories?size=2&sort=size"
    while url:
        body = ro.get(url).json()
        assert len(body["rows"]) <= 2
        seen += [r["id"] for r in body["rows"]]
        url = f"{V1}/stories?size=2&sort=size&cursor={body['next']}" if body["next"] else None
    assert sorted(seen) == sorted(s["id"] for s in every)
    sizes = [len(r["articles"]) for r in ok_rows(ro.get(f"{V1}/stories?sort=size"))]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] > 1


def test_story_list_filters(ro: TestClient) -> None:
    rows = ok_rows(ro.get(f"{V1}/stories", params={"outlet": "Harbor Wire"}))
    assert rows and all("Harbor Wire" in r["outlets"] for r in rows)
    assert len(rows) < len(ok_rows(ro.get(f"{V1}/stories")))
    treaty = ok_rows(ro.get(f"{V1}/stories", params={"q": "treaty"}))
    assert treaty and all("treaty" in r["title"].lower() for r in treaty)
    multi = ok_rows(ro.get(f"{V1}/stories", params={"min_sources": 3, "sort": "sources"}))
    assert multi and all(r["independent_sources"] >= 3 for r in multi)
    assert ok_rows(ro.get(f"{V1}/stories", params={"since": "2030-01-01"})) == []
    assert ok_rows(ro.get(f"{V1}/stories", params={"until": "2000-01-01"})) == []
    first = ok_rows(ro.get(f"{V1}/stories"))[0]
    same = ok_rows(ro.get(f"{V1}/stories", params={"topic": first["topic"]}))
    assert first["id"] in [r["id"] for r in same]


def test_story_list_errors(ro: TestClient) -> None:
    assert "size" in failed(ro.get(f"{V1}/stories?size=100000"), 422)
    assert "sort" in failed(ro.get(f"{V1}/stories?sort=nope"), 422)
    assert "cursor" in failed(ro.get(f"{V1}/stories?cursor=%%%"), 400)
    assert "malformed search query" in failed(ro.get(f'{V1}/stories?q="open'), 400)


def test_story_is_the_show_json_with_etag(ro: TestClient, built: Path) -> None:
    shown = json.loads(invoke("--db", str(built), "show", "1", "--format", "json").output)
    resp = ro.get(f"{V1}/stories/1")
    assert resp.status_code == 200
    assert resp.json() == {"ok": True, "data": shown, "next": None}
    assert ro.get(f"{V1}/stories/1.json").json()["data"] == shown
    tag = resp.headers["etag"]
    again = ro.get(f"{V1}/stories/1", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    other = ro.get(f"{V1}/stories/1", headers={"If-None-Match": '"stale"'})
    assert other.status_code == 200


def test_missing_and_bad_ids_are_envelopes_never_files(ro: TestClient) -> None:
    assert failed(ro.get(f"{V1}/stories/999"), 404) == "no story 999"
    failed(ro.get(f"{V1}/stories/abc"), 422)
    failed(ro.get(f"{V1}/stories/0"), 422)
    for path in ("/stories/..%2F..%2Fetc%2Fpasswd", "/articles/%2Fetc%2Fpasswd", "/nowhere"):
        resp = ro.get(V1 + path)
        assert resp.status_code in (404, 422) and resp.json()["ok"] is False
        assert "root:" not in resp.text


def test_story_sections_with_csv_twins(ro: TestClient) -> None:
    facts = ok_rows(ro.get(f"{V1}/stories/1/facts"))
    assert facts and {"text", "status", "independent_sources", "support"} <= facts[0].keys()
    good = ok_rows(ro.get(f"{V1}/stories/1/facts.json?status=corroborated"))
    assert good and len(good) < len(facts) and all(f["status"] == "corroborated" for f in good)
    csv = ro.get(f"{V1}/stories/1/facts.csv")
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.splitlines()
    assert lines[0] == "number,text,status,independent_sources,outlets,attributed_to,support"
    for section in ("quotes", "coverage", "articles"):
        rows = ok_rows(ro.get(f"{V1}/stories/1/{section}"))
        assert rows, section
        text = ro.get(f"{V1}/stories/1/{section}.csv").text
        assert text.count("\r\n") >= len(rows) + 1, section
    coverage = ok_rows(ro.get(f"{V1}/stories/1/coverage"))
    assert {"fact", "text", "Harbor Wire"} <= coverage[0].keys()
    failed(ro.get(f"{V1}/stories/999/facts.csv"), 404)


def test_cli_show_csv_matches_the_api(ro: TestClient, built: Path) -> None:
    out = invoke("--db", str(built), "show", "1", "--format", "csv", "--section", "facts").output
    api = ro.get(f"{V1}/stories/1/facts.csv").text
    assert out.splitlines() == api.splitlines() and len(api.splitlines()) > 5


# ---------------------------------------------------------------- articles, outlets, search


def test_articles_list_and_detail(ro: TestClient, built: Path) -> None:
    rows = ok_rows(ro.get(f"{V1}/articles?size=100"))
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows) and len(rows) == 19
    assert set(rows[0]) >= {"id", "url", "source", "outlet", "published", "story"}
    page = ro.get(f"{V1}/articles?size=5").json()
    rest = ok_rows(ro.get(f"{V1}/articles?size=100&cursor={page['next']}"))
    assert [r["id"] for r in page["rows"] + rest] == [r["id"] for r in rows]
    in_story = ok_rows(ro.get(f"{V1}/articles?story=6"))
    assert in_story and {r["story"] for r in in_story} == {6}
    assert {r["outlet"] for r in ok_rows(ro.get(f"{V1}/articles?outlet=Harbor Wire"))} == {
        "Harbor Wire"
    }
    assert ok_rows(ro.get(f"{V1}/articles?since=2030-01-01")) == []
    cli_rows = [
        json.loads(line)
        for line in invoke("--db", str(built), "articles", "--format", "jsonl").output.splitlines()
    ]
    assert cli_rows == rows

    resp = ro.get(f"{V1}/articles/5")
    art = resp.json()["data"]
    assert art["id"] == 5 and art["story"] is not None and art["sentences"]
    for s in art["sentences"]:
        assert art["text"][s["start"] : s["end"]] == s["text"]
    assert isinstance(art["lineage"], list)
    assert (
        ro.get(f"{V1}/articles/5", headers={"If-None-Match": resp.headers["etag"]}).status_code
        == 304
    )
    failed(ro.get(f"{V1}/articles/9999"), 404)


def test_outlets_and_rejections(ro: TestClient, fresh: Path) -> None:
    outlets = ok_rows(ro.get(f"{V1}/outlets"))
    assert sum(o["articles"] for o in outlets) == 19
    assert ro.get(f"{V1}/outlets.csv").text.startswith("name,articles,stories,")
    assert ok_rows(ro.get(f"{V1}/rejections")) == []
    from storydesk.model import Rejection, Step
    from storydesk.store import Store

    with Store(fresh) as store:
        store.add_rejection(Rejection("bad.txt", Step.CLEAN, "too short"))
    with client(fresh) as c:
        (row,) = ok_rows(c.get(f"{V1}/rejections"))
        assert row == {"source": "bad.txt", "step": "clean", "reason": "too short", "state": "open"}
        assert ok_rows(c.get(f"{V1}/rejections?state=recovered")) == []


def test_search_ranks_marks_and_filters(ro: TestClient, built: Path) -> None:
    hits = ok_rows(ro.get(f"{V1}/search", params={"q": "ferry"}))
    assert {h["kind"] for h in hits} >= {"article", "fact"}
    assert all("<mark>" in h["snippet"].lower() for h in hits)
    assert [h["rank"] for h in hits] == sorted(h["rank"] for h in hits)
    quotes = ok_rows(ro.get(f"{V1}/search", params={"q": "visibility", "kind": "quote"}))
    assert quotes and all(h["kind"] == "quote" and h["title"] for h in quotes)
    only6 = ok_rows(ro.get(f"{V1}/search", params={"q": "strike", "story": 6}))
    assert only6 and {h["story"] for h in only6} == {6}
    wire = ok_rows(ro.get(f"{V1}/search", params={"q": "ferry", "outlet": "Harbor Wire"}))
    assert wire and all("Harbor Wire" in h["outlets"] for h in wire)
    assert ok_rows(ro.get(f"{V1}/search", params={"q": "ferry", "until": "2000-01-01"})) == []
    for bad in ('"open', "ferry AND", "nosuchcolumn: x", "(("):
        assert "malformed search query" in failed(ro.get(f"{V1}/search", params={"q": bad}), 400)
    failed(ro.get(f"{V1}/search"), 422)
    csv = ro.get(f"{V1}/search.csv", params={"q": "ferry"}).text
    assert csv.startswith("kind,story,article,ref,title,snippet,rank,")
    cli_hits = json.loads(invoke("--db", str(built), "search", "ferry", "--format", "json").output)
    assert cli_hits == hits[:20]
    bad = CliRunner().invoke(cli, ["--db", str(built), "search", '"open'])
    assert bad.exit_code == 2 and "malformed search query" in bad.output


def test_snippets_escape_article_text() -> None:
    from storydesk.store.search import CLOSE, OPEN, marked

    assert marked(f"<script>x</script> {OPEN}ferry{CLOSE} & co") == (
        "&lt;script&gt;x&lt;/script&gt; <mark>ferry</mark> &amp; co"
    )


def test_changes_log(ro: TestClient) -> None:
    rows = ok_rows(ro.get(f"{V1}/changes?size=500"))
    kinds = {r["kind"] for r in rows}
    assert {"story", "article", "fact", "corroborated", "sources"} <= kinds
    assert all(r["at"] and r["story"] for r in rows)
    articles = {int(r["ref"]) for r in rows if r["kind"] == "article"}
    assert articles == set(range(1, 20))
    page = ro.get(f"{V1}/changes?size=3").json()
    nxt = ok_rows(ro.get(f"{V1}/changes?size=3&cursor={page['next']}"))
    assert [r["id"] for r in page["rows"] + nxt] == [r["id"] for r in rows[:6]]
    assert ok_rows(ro.get(f"{V1}/changes?since=2999-01-01T00:00:00Z")) == []
    failed(ro.get(f"{V1}/changes?since=yesterday"), 422)


# ---------------------------------------------------------------- corrections and the audit log


def test_merge_redirects_and_undo_restores(fresh: Path) -> None:
    with client(fresh) as c:
        made = c.post(f"{V1}/corrections/merge", json={"keep": 3, "absorb": 2})
        assert made.status_code == 201 and made.json()["data"]["action"] == "merge"
        moved = c.get(f"{V1}/stories/2/facts.csv?status=corroborated", follow_redirects=False)
        assert moved.status_code == 308
        assert moved.headers["location"].endswith("/api/v1/stories/3/facts.csv?status=corroborated")
        assert c.get(f"{V1}/stories/2").json()["data"]["story"]["id"] == 3
        new = [
            r
            for r in ok_rows(c.get(f"{V1}/changes?size=500"))
            if r["story"] == 3 and r["kind"] == "article"
        ]
        assert {int(r["ref"]) for r in new} == {2, 3}
        failed(c.post(f"{V1}/corrections/merge", json={"keep": 3, "absorb": 3}), 400)
        failed(c.post(f"{V1}/corrections/merge", json={"keep": 3}), 422)
        failed(c.post(f"{V1}/corrections/merge", json={"keep": 3, "absorb": 99, "x": 1}), 422)
        undo = c.post(f"{V1}/corrections/undo")
        assert undo.status_code == 201 and undo.json()["data"]["detail"]["undid"] == 1
        assert c.get(f"{V1}/stories/2", follow_redirects=False).status_code == 200
        log = ok_rows(c.get(f"{V1}/corrections"))
        assert [e["action"] for e in log] == ["merge", "undo"] and log[0]["undone_by"] == log[1][
            "id"
        ]
        assert "no correction to undo" in failed(c.post(f"{V1}/corrections/undo"), 400)


def test_split_move_edit_and_their_undo(fresh: Path) -> None:
    with client(fresh) as c:
        members = c.get(f"{V1}/stories/6").json()["data"]["articles"]
        first = members[0]["id"]
        split = c.post(f"{V1}/corrections/split", json={"story": 6, "articles": [first]})
        new = split.json()["data"]["story"]
        assert (
            split.status_code == 201
            and c.get(f"{V1}/articles/{first}").json()["data"]["story"] == new
        )
        move = c.post(f"{V1}/corrections/move", json={"article": first, "story": 6})
        assert move.status_code == 201 and move.json()["data"]["left"] == new
        assert c.get(f"{V1}/articles/{first}").json()["data"]["story"] == 6
        edit = c.post(
            f"{V1}/corrections/edit",
            json={"article": first, "outlet": "Brackenfield Bugle", "published": "2026-03-12"},
        )
        assert edit.status_code == 201
        art = c.get(f"{V1}/articles/{first}").json()["data"]
        assert (art["outlet"], art["published"]) == ("Brackenfield Bugle", "2026-03-12")
        shown = c.get(f"{V1}/stories/6").json()["data"]["articles"]
        assert "Brackenfield Bugle" in [a["outlet"] for a in shown]
        failed(c.post(f"{V1}/corrections/edit", json={"article": first}), 422)
        failed(c.post(f"{V1}/corrections/edit", json={"article": 9999, "outlet": "X"}), 400)
        assert c.post(f"{V1}/corrections/undo").status_code == 201
        art = c.get(f"{V1}/articles/{first}").json()["data"]
        assert art["outlet"] == members[0]["outlet"] and art["published"] == members[0]["published"]
        log = ok_rows(c.get(f"{V1}/corrections"))
        assert [e["action"] for e in log] == ["split", "move", "edit", "undo"]
        assert log[2]["detail"]["before"]["outlet"] == members[0]["outlet"]
        assert c.get(f"{V1}/corrections.csv").text.startswith("id,action,story,other,articles,")


# ---------------------------------------------------------------- alerts and feeds


def test_alert_fires_names_what_fired_and_feeds(fresh: Path) -> None:
    with client(fresh) as c:
        watch = c.post(f"{V1}/alerts", json={"story": 3, "reasons": ["articles", "source"]})
        assert watch.status_code == 201
        aid = watch.json()["data"]["id"]
        search = c.post(f"{V1}/alerts", json={"query": "orchestra", "reasons": ["articles"]})
        other = c.post(f"{V1}/alerts", json={"query": "telescope", "reasons": ["articles"]})
        failed(c.post(f"{V1}/alerts", json={"reasons": ["articles"]}), 422)
        failed(c.post(f"{V1}/alerts", json={"story": 1, "reasons": ["nope"]}), 422)
        failed(c.post(f"{V1}/alerts", json={"query": '"x', "reasons": ["articles"]}), 400)
        assert c.post(f"{V1}/alerts/check").json()["data"]["events"] == []  # nothing new yet
        c.post(f"{V1}/corrections/merge", json={"keep": 3, "absorb": 2})
        events = c.post(f"{V1}/alerts/check").json()["data"]["events"]
        by_alert: dict[int, list[dict[str, Any]]] = {}
        for e in events:
            by_alert.setdefault(e["alert"], []).append(e)
        fired = by_alert[aid]
        assert {(e["reason"], e["ref"]) for e in fired} == {("articles", "2"), ("source", "2")}
        assert {e["reason"] for e in by_alert[search.json()["data"]["id"]]} == {"articles"}
        assert other.json()["data"]["id"] not in by_alert
        assert c.post(f"{V1}/alerts/check").json()["data"]["events"] == []  # never twice
        feed = c.get(f"{V1}/alerts/{aid}/feed.atom")
        assert feed.headers["content-type"].startswith("application/atom+xml")
        assert feed.text.count("<entry>") == 2 and "tag:storydesk,2026:alert/" in feed.text
        assert "orchestra" in feed.text.lower() or "article 2" in feed.text
        assert len(ok_rows(c.get(f"{V1}/alerts"))) == 3
        failed(c.get(f"{V1}/alerts/99/feed.atom"), 404)


def test_story_and_search_feeds_have_stable_entry_ids(fresh: Path) -> None:
    with client(fresh) as c:
        before = c.get(f"{V1}/search/feed.atom?q=ferry OR orchestra OR bank").text
        c.post(f"{V1}/corrections/merge", json={"keep": 3, "absorb": 2})
        after = c.get(f"{V1}/search/feed.atom?q=ferry OR orchestra OR bank").text
        assert "<id>tag:storydesk,2026:story/3</id>" in before
        assert "<id>tag:storydesk,2026:story/3</id>" in after
        assert after.count("tag:storydesk,2026:story/3<") == 1
        story = c.get(f"{V1}/stories/1/feed.atom").text
        assert story.count("<entry>") == 6 and "tag:storydesk,2026:article/" in story


def payload(alert: int, event: int, reason: str, ref: str) -> dict[str, Any]:
    """The webhook body expected (time left out)."""
    return {"alert": alert, "event": event, "reason": reason, "story": 3, "ref": ref}


class _Hook(BaseHTTPRequestHandler):
    got: list[dict[str, Any]] = []  # noqa: RUF012 (one server per test, reset there)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        got = json.loads(body)
        assert got.pop("at") and got.pop("text")
        type(self).got.append(got)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_webhooks_go_through_the_fetcher_rules(fresh: Path) -> None:
    from dataclasses import replace

    from storydesk import api

    _Hook.got = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    try:
        guarded = Options(db=fresh)
        guarded = replace(guarded, fetch=replace(guarded.fetch, allow_private=False, retries=0))
        allowed = replace(guarded, fetch=replace(guarded.fetch, allow_private=True))
        api.add_alert(guarded, None, 3, ["articles"], url)
        api.merge(3, 2, guarded)
        assert len(api.check_alerts(guarded)) == 1
        assert _Hook.got == []
        (_, events) = api.alert_events(1, guarded) or (None, [])
        assert events[0].delivery is not None and "SSRF" in events[0].delivery
        from storydesk.store.search import Window

        (joining,) = api.articles(Window(story=4), allowed)
        api.merge(3, 4, allowed)  # its article is new to story 3 (an article joins a story once)
        (sent,) = api.check_alerts(allowed)
        assert _Hook.got == [payload(1, sent.id, "articles", str(joining.id))]
        assert api.alert_events(1, allowed)[1][0].delivery == "delivered"  # type: ignore[index]
    finally:
        server.shutdown()


# ---------------------------------------------------------------- security


def test_token_guards_writes_not_reads(fresh: Path) -> None:
    with client(fresh, token="s3cret") as c:
        assert c.get(f"{V1}/stories").status_code == 200
        body = {"keep": 3, "absorb": 2}
        assert "Bearer" in failed(c.post(f"{V1}/corrections/merge", json=body), 401)
        wrong = {"Authorization": "Bearer nope"}
        failed(c.post(f"{V1}/corrections/merge", json=body, headers=wrong), 403)
        right = {"Authorization": "Bearer s3cret"}
        assert c.post(f"{V1}/corrections/merge", json=body, headers=right).status_code == 201
        assert c.post(f"{V1}/corrections/undo", headers=right).status_code == 201
    assert refusal(ServeOptions(host="0.0.0.0")) is not None
    assert refusal(ServeOptions(host="0.0.0.0", token="t")) is None
    assert refusal(ServeOptions(host="::1")) is None and refusal(ServeOptions()) is None
    out = CliRunner().invoke(
        cli, ["--db", str(fresh), "serve", "--host", "0.0.0.0"], env={"STORYDESK_TOKEN": ""}
    )
    assert out.exit_code == 2 and "STORYDESK_TOKEN" in out.output


def test_body_limit_and_headers(fresh: Path) -> None:
    with client(fresh, max_body=200) as c:
        big = {"story": 6, "articles": list(range(1, 200))}
        assert "over 200 bytes" in failed(c.post(f"{V1}/corrections/split", json=big), 413)

        def chunks() -> Iterator[bytes]:
            yield b'{"story": 6, "articles": ['
            yield b"1," * 200
            yield b"1]}"

        failed(c.post(f"{V1}/corrections/split", content=chunks()), 413)
        docs = c.get("/api/docs")
        csp = docs.headers["content-security-policy"]
        assert docs.status_code == 200 and "default-src 'none'" in csp and "script" not in docs.text
        assert "/api/v1/stories" in docs.text
        assert "content-security-policy" not in c.get(f"{V1}/stories").headers
        assert c.get(f"{V1}/stories").headers["x-content-type-options"] == "nosniff"
        assert c.get("/api/openapi.json").json()["paths"][f"{V1}/stories"]


def test_unforeseen_errors_are_the_envelope(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from storydesk import api

    def boom(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(api, "outlets", boom)
    with TestClient(create_app(Options(db=built)), raise_server_exceptions=False) as c:
        assert failed(c.get(f"{V1}/outlets"), 500) == "internal error"


def test_no_database_is_503(tmp_path: Path) -> None:
    with client(tmp_path / "none.db") as c:
        assert "no database" in failed(c.get(f"{V1}/stories"), 503)
    assert not (tmp_path / "none.db").exists()


def test_background_task_runs_with_the_app(built: Path) -> None:
    ran: list[str] = []

    def poll(stop: threading.Event) -> None:
        ran.append("started")
        stop.wait(10)
        ran.append("stopped")

    with TestClient(create_app(Options(db=built), background=poll)) as c:
        assert c.get(f"{V1}/stories").status_code == 200
        assert ran == ["started"]
    assert ran == ["started", "stopped"]


# ---------------------------------------------------------------- reads beside writes


def test_readers_never_see_a_locked_database(fresh: Path, tmp_path: Path) -> None:
    """A writer (a run of more files, then corrections) while readers hit every kind of route."""
    from storydesk import api

    extra = tmp_path / "more"
    extra.mkdir()
    for f in sorted(EXAMPLES.glob("*.txt"))[:6]:
        text = f.read_text(encoding="utf-8")
        (extra / f.name).write_text(
            text.replace("\n", "\nUpdate: more reporting.\n", 1), encoding="utf-8"
        )
    errors: list[str] = []
    done = threading.Event()
    app = create_app(Options(db=fresh))

    def write() -> None:
        try:
            api.run([str(extra)], Options(db=fresh, published="2026-03-13"))
            for _ in range(3):
                api.merge(3, 2, Options(db=fresh))
                api.undo(Options(db=fresh))
        except Exception as exc:  # reported below
            errors.append(f"writer: {exc!r}")
        finally:
            done.set()

    def read() -> None:
        urls = [
            f"{V1}/stories",
            f"{V1}/stories/1",
            f"{V1}/stories/2",
            f"{V1}/articles/5",
            f"{V1}/search?q=ferry",
            f"{V1}/changes",
            f"{V1}/stories/6/facts.csv",
        ]
        with TestClient(app) as c:
            n = 0
            while not done.is_set() or n < len(urls):
                resp = c.get(urls[n % len(urls)])
                n += 1
                if resp.status_code >= 500 or "locked" in resp.text:
                    errors.append(f"{resp.request.url}: {resp.status_code} {resp.text[:200]}")

    threads = [threading.Thread(target=write)] + [threading.Thread(target=read) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert errors == []
    with client(fresh) as c:
        assert len(ok_rows(c.get(f"{V1}/articles?size=100"))) == 25
