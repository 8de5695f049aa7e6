"""`storydesk compare` and `api.compare`: shared facts, what each article has alone, conflicts,
and agreement with the dossier of the same two articles."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from storydesk import api
from storydesk.cli.main import cli
from storydesk.crosscheck.compare import NEAR_SHOWN
from storydesk.model import AnalyzedArticle, ConflictKind, Dossier
from storydesk.model_compare import Comparison
from storydesk.options import Options
from tests.conftest import SEEDS, needs_seeds

# Invented reports of one event: four claims paraphrased, one claim each alone, one number
# that differs (the bridge's cost).
TEXT_A = """Riverton council approves new bridge over the Amber River

RIVERTON (Lakeview Courier) - The Riverton city council voted on Tuesday to build a new \
pedestrian bridge over the Amber River, Mayor Helena Droste said.

The bridge will cost $14 million and is due to open in the spring of 2028, according to the \
city's budget office.

Construction will be carried out by Kessing Works, a firm based in the nearby town of Ostra.

The old ferry crossing, which has operated since 1952, will close once the bridge opens.

The council rejected a rival plan for a road tunnel under the river by seven votes to four.
"""

TEXT_B = """Amber River to get pedestrian bridge after council vote

By Marta Ilves

Riverton's city council approved plans on Tuesday for a pedestrian bridge across the Amber \
River, according to Mayor Helena Droste.

The bridge will cost $18 million and should open in spring 2028, the city's budget office said.

Kessing Works, a builder from the town of Ostra, will carry out the construction work.

The ferry crossing that has run since 1952 will be closed when the bridge opens.

Cyclists will be allowed to ride on the bridge outside rush hours, the mayor added.
"""

ONLY_A = "rival plan for a road tunnel"
ONLY_B = "Cyclists will be allowed"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def same_pairs(c: Comparison) -> set[tuple[int, int]]:
    return {(p.a.sentence, p.b.sentence) for p in c.pairs if p.same}


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("compare")
    a, b = folder / "courier.txt", folder / "gazette.txt"
    a.write_text(TEXT_A)
    b.write_text(TEXT_B)
    return a, b


@pytest.fixture(scope="module")
def compared() -> Comparison:
    return api.compare(TEXT_A, TEXT_B, Options())


# ---------------------------------------------------------------- the library


def test_api_compare_pairs_paraphrases_and_keeps_the_rest_apart(compared: Comparison) -> None:
    a_text = {p.a.sentence: p.a.text for p in compared.pairs}
    pairs = same_pairs(compared)
    assert len(pairs) >= 3, compared.pairs
    # one sentence per side per pair, and both sides of a pair state one claim
    assert len({a for a, _ in pairs}) == len(pairs) == len({b for _, b in pairs})
    for p in compared.pairs:
        if p.same:
            assert 0.0 <= p.score <= 1.0
    texts = [(a_text[a], b) for a, b in pairs]
    assert any("Kessing Works" in t for t, _ in texts)
    assert any("ferry crossing" in t for t, _ in texts)
    assert [s for s in compared.only_a if ONLY_A in s.text]
    assert [s for s in compared.only_b if ONLY_B in s.text]
    # what is alone is in no same pair; a near miss shown is between two sentences alone
    alone = {s.sentence for s in compared.only_a}
    assert not alone & {a for a, _ in pairs}
    alone_b = {s.sentence for s in compared.only_b}
    for p in compared.pairs:
        if not p.same:
            assert p.a.sentence in alone and p.b.sentence in alone_b and p.score >= NEAR_SHOWN
    assert compared.articles[0].title.startswith("Riverton council")
    assert compared.articles[1].byline == "Marta Ilves"


def test_api_compare_finds_the_number_conflict(compared: Comparison) -> None:
    numbers = [c for c in compared.conflicts if c.kind == ConflictKind.NUMBER]
    assert numbers, compared.conflicts
    values = " ".join(v.value for v in numbers[0].variants)
    assert "14" in values and "18" in values
    sides = {s.article for s in numbers[0].support}
    assert sides == {r.id for r in compared.articles}
    # the conflict names the pair of sentences it disputes, as a dossier's names its fact
    (named,) = numbers[0].facts
    pair = compared.pairs[named]
    assert pair.same and "$14 million" in pair.a.text and "$18 million" in pair.b.text


def test_support_points_at_the_sentences_of_each_side(compared: Comparison) -> None:
    a_id, b_id = (r.id for r in compared.articles)
    for p in compared.pairs:
        assert (p.a.article, p.b.article) == (a_id, b_id)
    assert all(s.article == a_id for s in compared.only_a)
    assert all(s.article == b_id for s in compared.only_b)


# ---------------------------------------------------------------- agreement with the dossier


def _dossier_of(a: AnalyzedArticle, b: AnalyzedArticle, options: Options) -> Dossier:
    from storydesk.pipeline.run import build_story

    dossier, _ = build_story(1, [a, b], options)
    return dossier


def _conflict_keys(conflicts: Any) -> set[tuple[str, str, tuple[tuple[int, int], ...]]]:
    return {
        (str(c.kind), c.description, tuple(sorted((s.article, s.sentence) for s in c.support)))
        for c in conflicts
    }


def _assert_agrees(a: AnalyzedArticle, b: AnalyzedArticle, options: Options) -> Comparison:
    from storydesk.pipeline.compare import compare_analyzed
    from storydesk.text.embed import LazyEmbedder

    embedder = LazyEmbedder(options)
    found = compare_analyzed(a, b, options, embedder)
    dossier = _dossier_of(a, b, options)
    shared = set()
    for fact in dossier.facts:
        by_article = {s.article: s.sentence for s in fact.support}
        if a.id in by_article and b.id in by_article:
            shared.add((by_article[a.id], by_article[b.id]))
    assert same_pairs(found) == shared
    assert _conflict_keys(found.conflicts) == _conflict_keys(dossier.conflicts)
    return found


def test_compare_agrees_with_the_dossier_of_the_two_articles() -> None:
    from storydesk.pipeline.compare import compare_found, compare_texts

    options = Options()
    found = compare_texts(TEXT_A, TEXT_B, options)
    assert found.pairs
    # the same two articles, analysed, as a story of their own
    analysed = _analysed(TEXT_A, TEXT_B, options)
    again = _assert_agrees(*analysed, options)
    assert same_pairs(again) == same_pairs(found)
    assert compare_found(analysed, options).conflicts == again.conflicts


def _analysed(text_a: str, text_b: str, options: Options) -> list[AnalyzedArticle]:
    from dataclasses import replace

    from storydesk.analyze import analyze_articles
    from storydesk.clean import clean
    from storydesk.model import MediaType, RawDocument

    docs = [
        RawDocument(f"text {k}", t.encode(), MediaType.TEXT, f"{k:064x}")
        for k, t in enumerate((text_a, text_b), start=1)
    ]
    articles = [replace(clean(d, options), id=k) for k, d in enumerate(docs, start=1)]
    return analyze_articles(articles, options)


@needs_seeds
def test_compare_agrees_with_the_dossier_on_seed_pairs() -> None:
    from dataclasses import replace

    from storydesk.analyze import analyze_articles
    from storydesk.pipeline.compare import read_source

    options = Options(published="2025-11-07")
    files = sorted(p for p in SEEDS.iterdir() if p.is_file() and not p.name.startswith("."))
    articles = [replace(read_source("A", str(f), options), id=k) for k, f in enumerate(files, 1)]
    analysed = analyze_articles(articles[:3], options)
    for i, j in ((0, 1), (2, 0)):  # the second pair given in reverse id order
        found = _assert_agrees(analysed[i], analysed[j], options)
        assert (found.articles[0].id, found.articles[1].id) == (analysed[i].id, analysed[j].id)


# ---------------------------------------------------------------- the command line


def test_cli_json_follows_the_dossier_conventions(texts: tuple[Path, Path]) -> None:
    result = invoke("compare", str(texts[0]), str(texts[1]), "--format", "json")
    assert result.exit_code == 0, result.output
    obj = json.loads(result.output)
    assert set(obj) >= {"articles", "pairs", "only_a", "only_b", "conflicts"}
    a, b = obj["articles"]
    assert (a["side"], b["side"]) == ("A", "B")
    assert a["source"] == str(texts[0]) and b["source"] == str(texts[1])
    assert {"id", "outlet", "title", "published", "derived_from", "cites"} <= set(a)
    assert any(p["same"] for p in obj["pairs"])
    for p in obj["pairs"]:
        left, right = p["support"]
        assert (left["article"], left["sentence"]) == (a["id"], p["a"])
        assert (right["article"], right["sentence"]) == (b["id"], p["b"])
        assert isinstance(p["score"], float) and isinstance(p["same"], bool)
    for item in obj["only_a"]:
        expected = {"article": a["id"], "sentence": item["sentence"], "text": item["text"]}
        assert item["support"] == [expected]
    assert any(ONLY_B in item["text"] for item in obj["only_b"])
    kinds = {c["kind"] for c in obj["conflicts"]}
    assert "number" in kinds
    for c in obj["conflicts"]:
        assert c["support"] and all(set(s) == {"article", "sentence", "text"} for s in c["support"])
        assert all(obj["pairs"][k]["same"] for k in c["pairs"])


def test_cli_terminal_puts_the_articles_side_by_side(texts: tuple[Path, Path]) -> None:
    result = invoke("compare", str(texts[0]), str(texts[1]), "--published", "2026-03-13")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.count("2026-03-13") == 2  # each side's date, from --published
    for heading in ("Same facts, side by side", "Only in A", "Only in B", "Conflicts"):
        assert heading in out
    # a row holds A's sentence on the left and B's on the right
    row = next(line for line in out.splitlines() if "Construction will be" in line)
    assert row.index("[1.") < row.index("Construction") < len(row) // 2 < row.index("[2.")
    assert "Kessing" in row[len(row) // 2 :]
    assert "Lakeview Courier" in out


def test_cli_compares_stored_articles_by_id(texts: tuple[Path, Path], tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    run = invoke("--db", str(db), "run", str(texts[0]), str(texts[1]))
    assert run.exit_code == 0, run.output
    by_id = json.loads(invoke("--db", str(db), "compare", "1", "2", "--format", "json").output)
    by_file = json.loads(
        invoke("--db", str(db), "compare", str(texts[0]), "2", "--format", "json").output
    )
    assert [r["id"] for r in by_id["articles"]] == [1, 2]
    assert [r["id"] for r in by_file["articles"]] == [3, 2]  # a file is numbered after them
    sources = {r["source"] for r in by_id["articles"]}
    assert sources == {str(texts[0]), str(texts[1])}
    pairs = {(p["a"], p["b"]) for p in by_id["pairs"] if p["same"]}
    assert pairs and pairs == {(p["a"], p["b"]) for p in by_file["pairs"] if p["same"]}
    reversed_ = json.loads(invoke("--db", str(db), "compare", "2", "1", "--format", "json").output)
    assert {(p["b"], p["a"]) for p in reversed_["pairs"] if p["same"]} == pairs


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("{a}", "{missing}"), "B '{missing}': no such file"),
        (("{folder}", "{a}"), "A '{folder}': holds 2 articles, not one"),
        (("{a}", "{empty}"), "B '{empty}'"),
        (("--db", "{db}", "7", "{a}"), "A '7': no stored article 7"),
        (("--db", "{db}", "1", "1"), "one stored article"),
    ],
)
def test_bad_input_is_named_with_its_reason_exit_2(
    texts: tuple[Path, Path], tmp_path: Path, args: tuple[str, ...], named: str
) -> None:
    db = tmp_path / "bad.db"
    assert invoke("--db", str(db), "run", str(texts[0])).exit_code == 0
    folder = tmp_path / "two"
    folder.mkdir()
    for p in texts:
        (folder / p.name).write_text(p.read_text())
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    names = {
        "a": str(texts[0]),
        "missing": str(tmp_path / "nope.txt"),
        "folder": str(folder),
        "empty": str(empty),
        "db": str(db),
    }
    argv = [a.format(**names) for a in args]
    argv = [*argv[:2], "compare", *argv[2:]] if argv[0] == "--db" else ["compare", *argv]
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 2, result.output
    assert named.format(**names) in result.output


def test_stored_ids_without_a_database_are_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "none.db"), "compare", "1", "2"])
    assert result.exit_code == 2
    assert "none.db" in result.output
    assert not (tmp_path / "none.db").exists()


def _page(text: str) -> bytes:
    """An invented article as a web page."""
    title, *paragraphs = [p for p in text.split("\n\n") if p.strip()]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    head = f'<title>{title}</title><meta property="og:type" content="article">'
    page = f"<html><head>{head}</head><body><article><h1>{title}</h1>{body}</article></body></html>"
    return page.encode()


def test_urls_are_fetched_and_a_failed_fetch_is_named(texts: tuple[Path, Path]) -> None:
    from storydesk.errors import InputError
    from storydesk.options import FetchPolicy
    from tests.localserver import Answer, serve

    policy = FetchPolicy(allow_private=True, delay=0.0, backoff=0.01, timeout=2.0, retries=1)
    options = Options(fetch=policy)
    with serve({"/a": Answer(body=_page(TEXT_A)), "/robots.txt": Answer(404)}) as srv:
        found = api.compare_sources(srv.base + "/a", str(texts[1]), options)
        assert found.articles[0].url == srv.base + "/a"
        assert same_pairs(found)
        assert any(
            "$14 million" in c.variants[0].value or "14" in c.description for c in found.conflicts
        )
        with pytest.raises(InputError, match=r"^B '.*/gone': .*404"):
            api.compare_sources(str(texts[0]), srv.base + "/gone", options)
