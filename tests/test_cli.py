"""The CLI contracts of DESIGN.md, exercised in-process end to end."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from storydesk.cli.main import cli
from storydesk.model import Rejection
from storydesk.options import Options
from tests.conftest import EXAMPLES, FIXTURES, SEEDS, needs_seeds

DOSSIER_KEYS = {
    "story",
    "articles",
    "brief",
    "facts",
    "conflicts",
    "quotes",
    "timeline",
    "entities",
    "coverage",
}


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def _supports(obj: Any) -> list[dict[str, Any]]:
    """Every `support` list anywhere inside a JSON value, flattened."""
    found: list[dict[str, Any]] = []
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key == "support":
                found.extend(value)
            else:
                found.extend(_supports(value))
    elif isinstance(obj, list):
        for value in obj:
            found.extend(_supports(value))
    return found


@pytest.fixture(scope="module")
def examples_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("ex") / "ex.db"
    result = invoke("--db", str(db), "run", "--published", "2026-03-13", str(EXAMPLES))
    assert result.exit_code == 0, result.output
    return db


def test_run_lists_stories_and_json_contract(examples_db: Path) -> None:
    stories = json.loads(invoke("--db", str(examples_db), "stories", "--format", "json").output)
    assert len(stories) >= 3
    ids = {s["id"] for s in stories}
    for s in stories:
        assert set(s) == {"id", "title", "articles", "outlets", "topic"}
        assert s["articles"] and all(isinstance(a, int) for a in s["articles"])
        assert s["topic"] in ids and s["topic"] <= s["id"]  # the lowest story id of its topic
    biggest = max(stories, key=lambda s: len(s["articles"]))
    out = invoke("--db", str(examples_db), "show", str(biggest["id"]), "--format", "json")
    dossier = json.loads(out.output)
    assert set(dossier) >= DOSSIER_KEYS
    ids = {a["id"] for a in dossier["articles"]}
    for a in dossier["articles"]:
        assert {"id", "source", "outlet", "title", "published", "derived_from", "cites"} <= set(a)
    for f in dossier["facts"]:
        assert f["status"] in {"corroborated", "single-source", "conflicting"}
        assert f["independent_sources"] >= 1
    for q in dossier["quotes"]:
        assert "speaker" in q and q["text"]
    assert 3 <= len(dossier["brief"]) <= 10
    assert all(b["support"] for b in dossier["brief"])
    for s in _supports(dossier):
        assert s["article"] in ids and isinstance(s["sentence"], int) and s["text"]


def test_rerun_adds_and_changes_nothing(examples_db: Path) -> None:
    before = invoke("--db", str(examples_db), "show", "1", "--format", "json").output
    again = invoke("--db", str(examples_db), "run", "--published", "2026-03-13", str(EXAMPLES))
    assert again.exit_code == 0
    assert again.stderr.startswith("0 new article(s)")
    assert invoke("--db", str(examples_db), "show", "1", "--format", "json").output == before


def test_markdown_and_terminal(examples_db: Path) -> None:
    md = invoke("--db", str(examples_db), "show", "1", "--format", "md")
    assert md.exit_code == 0 and md.output.startswith("#")
    term = invoke("--db", str(examples_db), "show", "1")
    assert term.exit_code == 0 and len(term.output) > 200


def test_unknown_story_is_a_usage_error(examples_db: Path) -> None:
    assert invoke("--db", str(examples_db), "show", "999").exit_code == 2


def test_env_var_picks_database(tmp_path: Path) -> None:
    db = tmp_path / "env.db"
    result = invoke("run", str(FIXTURES / "raw" / "harbor.txt"), env={"STORYDESK_DB": str(db)})
    assert result.exit_code == 0
    assert db.exists()


def test_bad_inputs_are_named_and_the_rest_processed(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(
        "Harbour pier to close\nThe Port Ellis harbour board voted to close the old pier.\n",
        encoding="utf-8",
    )
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.html").write_bytes(bytes(range(256)) * 4)
    (folder / "latin.txt").write_bytes("Caf\xe9 closes\nThe caf\xe9 closed.\n".encode("latin-1"))
    db = tmp_path / "bad.db"
    result = invoke("--db", str(db), "run", str(folder))
    assert result.exit_code == 1
    for name in ("empty.txt", "binary.html", "latin.txt"):
        assert name in result.stderr
    stories = json.loads(invoke("--db", str(db), "stories", "--format", "json").output)
    assert sum(len(s["articles"]) for s in stories) == 1
    listed = invoke("--db", str(db), "rejected").output
    assert "binary.html" in listed and "empty.txt" in listed
    # A second run keeps what was stored and reports the same rejections.
    again = invoke("--db", str(db), "run", str(folder))
    assert again.exit_code == 1
    stories = json.loads(invoke("--db", str(db), "stories", "--format", "json").output)
    assert sum(len(s["articles"]) for s in stories) == 1


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert invoke("--db", str(tmp_path / "x.db"), "run").exit_code == 2
    bad_date = invoke("--db", str(tmp_path / "x.db"), "run", "--published", "yesterday", "x")
    assert bad_date.exit_code == 2


def test_analyze_raw_offsets_slice_text() -> None:
    files = sorted(str(p) for p in (FIXTURES / "raw").glob("*.txt"))
    result = invoke("analyze", "--raw", "--published", "2026-03-13", "--format", "jsonl", *files)
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert len(lines) == len(files)
    for line, path in zip(lines, files, strict=True):
        obj = json.loads(line)
        assert obj["file"] == path
        text = obj["text"]
        assert text == Path(path).read_text(encoding="utf-8")
        assert obj["sentences"]
        for key in ("sentences", "entities", "quotes", "times"):
            for span in obj[key]:
                assert text[span["start"] : span["end"]] == span["text"], (key, span)
        for q in obj["quotes"]:
            for part in ("speaker", "cue"):
                if q[part] is not None:
                    p = q[part]
                    assert text[p["start"] : p["end"]] == p["text"]
    harbor = json.loads(lines[next(i for i, f in enumerate(files) if "harbor" in f)])
    speakers = {q["speaker"]["name"] for q in harbor["quotes"] if q["speaker"]}
    assert "Mara Quell" in speakers and "Tomas Brandt" in speakers


def test_analyze_cleans_without_raw() -> None:
    path = str(EXAMPLES / sorted(p.name for p in EXAMPLES.glob("*.txt"))[0])
    obj = json.loads(invoke("analyze", path, "--format", "json").output)
    assert obj["title"] and obj["text"]
    assert obj["title"] not in obj["text"].split("\n\n")[0]


def test_analyze_passes_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    from storydesk import api

    seen: list[int] = []
    real = api.analyze_paths

    def spy(paths: Any, options: Any, raw: bool = False) -> Any:
        seen.append(options.workers)
        return real(paths, options, raw=raw)

    monkeypatch.setattr(api, "analyze_paths", spy)
    path = str(FIXTURES / "raw" / "council.txt")
    assert invoke("analyze", "--raw", "--workers", "3", path).exit_code == 0
    assert invoke("analyze", "--raw", path).exit_code == 0
    assert seen == [3, 0]  # one file stays in-process whatever the count: too small to share
    assert invoke("analyze", "--raw", "--workers", "-1", path).exit_code == 2


def test_analyze_paths_hands_out_each_batch_before_reading_on(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from storydesk import api
    from storydesk.analyze import core

    monkeypatch.setattr(core, "batch_size", lambda options: 1)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    files = [str(empty), *sorted(str(p) for p in (FIXTURES / "raw").glob("*.txt"))]
    pulled: list[str] = []

    def lazily() -> Any:
        for f in files:
            pulled.append(f)
            yield f

    results = api.analyze_paths(lazily(), Options(), raw=True)
    rejected, first = next(results), next(results)
    assert isinstance(rejected[1], Rejection) and rejected[0].endswith("empty.txt")
    assert first[0] == files[1] and first[1]["sentences"]
    assert pulled == files[:2]  # the third file is not read before the second is handed out
    assert [src for src, _ in results] == files[2:]


def test_analyze_names_unreadable_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    good = FIXTURES / "raw" / "council.txt"
    result = invoke("analyze", "--raw", "--format", "jsonl", str(empty), str(good))
    assert result.exit_code == 1
    assert "empty.txt" in result.stderr
    assert len(result.stdout.strip().splitlines()) == 1


@needs_seeds
def test_seeds_acceptance(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    result = invoke("--db", db, "run", "--published", "2025-11-07", str(SEEDS))
    assert result.exit_code == 0, result.stderr
    stories = json.loads(invoke("--db", db, "stories", "--format", "json").output)
    assert len(stories) == 1 and len(stories[0]["articles"]) == 5
    dossier = json.loads(
        invoke("--db", db, "show", str(stories[0]["id"]), "--format", "json").output
    )
    assert set(dossier) >= DOSSIER_KEYS
    linked = [a for a in dossier["articles"] if a["derived_from"]]
    assert len(linked) == 1
    assert dossier["story"]["independent_sources"] == 4
    assert dossier["brief"] and all(b["support"] for b in dossier["brief"])
    debris = [
        "subscription options",
        "Read more:",
        "TENSION BUILDS",
        "Related Content",
        "NK MONITORING DESK",
        "By Jackson Richman",
    ]
    blob = json.dumps(dossier, ensure_ascii=False)
    for line in debris:
        assert line not in blob, line


def test_every_citation_points_at_that_sentence(examples_db: Path) -> None:
    from storydesk.store import Store

    with Store(examples_db) as store:
        rows = store.stories()
        sentences = {
            a.id: [s.text for s in a.sentences]
            for a in store.analyses([i for r in rows for i in r.articles])
        }
    checked = 0
    for row in rows:
        out = invoke("--db", str(examples_db), "show", str(row.id), "--format", "json").output
        for s in _supports(json.loads(out)):
            assert sentences[s["article"]][s["sentence"]] == s["text"]
            checked += 1
    assert checked > 50


def test_story_table_names_a_topic_shared_with_other_stories(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from storydesk.cli.main import _print_stories
    from storydesk.store.db import StoryRow

    rows = [StoryRow(1, "A", (1,), ("x",)), StoryRow(2, "B", (2,), ()), StoryRow(3, "C", (3,), ())]
    _print_stories(rows, None, {1: 1, 2: 1, 3: 3})
    first, second, third = capsys.readouterr().out.splitlines()
    assert first.endswith("(1 article; x; topic 1)")
    assert second.endswith("(1 article; outlets unknown; topic 1)")
    assert "topic" not in third
