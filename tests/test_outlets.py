"""Outlets from the article's own evidence; inferred ones marked; one name per outlet (issue 18)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from click.testing import CliRunner

from storydesk.clean import clean
from storydesk.clean.outlets import byline_outlet, outlet_key, self_reference, spells_host
from storydesk.cli.main import cli
from storydesk.dossier.build import article_refs
from storydesk.model import (
    AnalyzedArticle,
    Article,
    Credit,
    Lineage,
    OutletEvidence,
    OutletSource,
    RawDocument,
)
from storydesk.options import Options
from storydesk.pipeline.door import ingest_into
from storydesk.pipeline.run import SilentReporter
from storydesk.store import Store
from tests.conftest import SEEDS, needs_seeds

HTML = Path(__file__).resolve().parent / "fixtures" / "html"
BODY = (
    "The harbour board voted on Tuesday to close the old fish market for repairs.\n"
    "Board chair Mara Venn said the roof had been leaking for three winters and that traders"
    " would move to a temporary hall on the quay until the work is finished next spring.\n"
    "Traders said they had been promised the move would not raise their rents, and the board"
    " agreed to publish the costs of the repairs every month.\n"
)


def text_doc(text: str, source: str = "t.txt") -> RawDocument:
    data = text.encode("utf-8")
    return RawDocument(source, data, "text/plain", hashlib.sha256(data).hexdigest())


def record_doc(**fields: str) -> RawDocument:
    data = json.dumps(fields).encode("utf-8")
    hints = tuple((k, v) for k, v in fields.items() if k != "text")
    sha = hashlib.sha256(data).hexdigest()
    return RawDocument("r.jsonl#line=1", data, "application/x-storydesk-record", sha, hints)


def outlet_of(text: str, **options: str) -> tuple[str | None, OutletEvidence | None]:
    article = clean(text_doc(text), Options(**options))  # type: ignore[arg-type]
    return article.outlet, article.outlet_evidence


# ---------------------------------------------------------------- each kind of evidence


def test_site_metadata_names_the_outlet() -> None:
    data = (HTML / "cheese-award.html").read_bytes()
    doc = RawDocument("p.html", data, "text/html", hashlib.sha256(data).hexdigest())
    article = clean(doc, Options())
    assert article.outlet == "Ashby Echo"
    assert article.outlet_evidence is not None
    assert article.outlet_evidence.source == OutletSource.SITE
    assert article.outlet_evidence.host == "ashbyecho.example"
    assert not article.outlet_evidence.inferred


def test_byline_credits_the_outlet() -> None:
    outlet, ev = outlet_of("Market to close\nBy Jane Roe, Reuters\n" + BODY)
    assert outlet == "Reuters" and ev is not None and ev.source == OutletSource.BYLINE
    assert byline_outlet("Jane Roe | The Kestrel Times") == "The Kestrel Times"
    assert byline_outlet("Jane Roe, Associated Press Writer") == "Associated Press"
    assert byline_outlet("Jane Roe and Ann Poe") is None
    assert byline_outlet("Jane Roe, Staff Writer") is None


def test_dateline_credits_the_outlet() -> None:
    outlet, ev = outlet_of("Market to close\nDUNMERE (Kestrel Wire) - " + BODY)
    assert outlet == "Kestrel Wire"
    assert ev is not None and ev.source == OutletSource.DATELINE and "(Kestrel Wire)" in ev.text


def test_footer_names_the_outlet() -> None:
    footer = "© 2026 Kestrel Times. All rights reserved."
    outlet, ev = outlet_of("Market to close\n" + BODY + footer)
    assert outlet == "Kestrel Times" and ev is not None and ev.source == OutletSource.FOOTER


def test_self_reference_is_inferred_with_its_evidence() -> None:
    text = (
        "Market to close\nThe harbour board will close the fish market, a board member told"
        " the Kestrel Herald on Tuesday.\n" + BODY + "A trader told Axios the move was unfair."
    )
    outlet, ev = outlet_of(text)
    assert outlet == "Kestrel Herald"  # the lead's self-reference, not a later "told Axios"
    assert ev is not None and ev.inferred and ev.source == OutletSource.SELF_REFERENCE
    assert ev.text.startswith("The harbour board will close")
    assert "told the Kestrel Herald" in ev.text


def test_has_learned_is_a_self_reference() -> None:
    found = self_reference(["The Kestrel Post has learned that the board will vote on Friday."])
    assert found is not None and found[0] == "The Kestrel Post"


def test_a_person_told_is_no_outlet() -> None:
    assert self_reference(["The board chair told Jane Roe the market would close."]) is None
    outlet, ev = outlet_of("Market to close\nThe chair told Mara Venn it would close.\n" + BODY)
    assert outlet is None and ev is None


def test_self_reference_only_without_other_evidence() -> None:
    text = (
        "Market to close\nThe board will close the market, an official told the Kestrel Herald.\n"
        + BODY
        + "© 2026 Dunmere Daily. All rights reserved."
    )
    outlet, ev = outlet_of(text)
    assert outlet == "Dunmere Daily" and ev is not None and not ev.inferred


def test_a_host_takes_the_name_its_text_spells() -> None:
    text = BODY + "The chair told Kestrel Radio the work would start in May."
    article = clean(record_doc(text=text, url="https://www.kestrelradio.example/x"), Options())
    assert article.outlet == "Kestrel Radio"
    ev = article.outlet_evidence
    assert ev is not None and ev.source == OutletSource.URL and ev.host == "kestrelradio.example"
    bare = clean(record_doc(text=BODY, url="https://www.kestrelradio.example/y"), Options())
    assert bare.outlet == "kestrelradio.example"


def test_spellings_and_keys() -> None:
    assert spells_host("New York Times", "nytimes.com")
    assert spells_host("The Epoch Times", "theepochtimes.com")
    assert spells_host("Fox News", "foxnews.com")
    assert not spells_host("Fox", "foxnews.com")
    assert outlet_key("The Epoch Times") == outlet_key("Epoch Times")


# ---------------------------------------------------------------- own outlet is no citation


def test_own_outlet_is_not_cited() -> None:
    body = "An official told The Epoch Times and Reuters that the deal was done."
    article = Article(
        "a.txt", "0" * 64, "Deal done", (body,), outlet="Epoch Times", id=7
    )  # outlet without "The": still the same outlet
    credits = (Credit("The Epoch Times", 18, 33, "told"), Credit("Reuters", 38, 45, "told"))
    analyzed = AnalyzedArticle(article, (), credits=credits)
    (ref,) = article_refs([analyzed], Lineage((), ()))
    assert ref.cites == ("Reuters",)


# ---------------------------------------------------------------- one name per outlet


def test_host_takes_the_name_seen_in_another_input(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    # read first (name order), named only by a link to its own site
    (folder / "a-link.txt").write_text(
        "Telescope restored\n" + BODY + "Read more: https://www.kestrelobserver.example/x\n"
    )
    (folder / "b-footer.txt").write_text(
        "Bus strike looms\n"
        + BODY.replace("fish market", "bus depot")
        + "(c) 2026 Kestrel Observer. All rights reserved.\n"
    )
    options = Options(db=tmp_path / "o.db")
    with Store(options.db) as store:
        added, _, rejected = ingest_into([str(folder)], options, store, SilentReporter())
        assert not rejected and len(added) == 2
        stored = [a for i in added if (a := store.article(i)) is not None]
    linked = next(a for a in stored if a.source.endswith("a-link.txt"))
    assert linked.outlet == "Kestrel Observer"
    assert linked.outlet_evidence is not None
    assert linked.outlet_evidence.host == "kestrelobserver.example"
    assert "learned" in (linked.outlet_evidence.name_from or "")


def test_one_name_per_outlet_across_spellings(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Market to close\n" + BODY + "© 2026 The Kestrel Times\n")
    (folder / "b.txt").write_text(
        "Depot to close\nDUNMERE (Kestrel Times) - " + BODY.replace("fish market", "bus depot")
    )
    options = Options(db=tmp_path / "o.db")
    with Store(options.db) as store:
        added, _, _ = ingest_into([str(folder)], options, store, SilentReporter())
        stored = [a for i in added if (a := store.article(i)) is not None]
    assert [a.outlet for a in stored] == ["The Kestrel Times", "The Kestrel Times"]
    assert "Kestrel Times" in (stored[1].outlet_evidence.name_from or "")  # type: ignore[union-attr]


def test_a_name_seen_later_renames_stored_hosts(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "a.txt").write_text(
        "Telescope restored\n" + BODY + "Read more: https://www.kestrelobserver.example/x\n"
    )
    (second / "b.txt").write_text(
        "Bus strike looms\nBRACKENFIELD (Kestrel Observer) - "
        + BODY.replace("fish market", "bus depot")
    )
    options = Options(db=tmp_path / "o.db")
    with Store(options.db) as store:
        (early,), _, _ = ingest_into([str(first)], options, store, SilentReporter())
        assert store.article(early).outlet == "kestrelobserver.example"  # type: ignore[union-attr]
        ingest_into([str(second)], options, store, SilentReporter())
        assert store.article(early).outlet == "Kestrel Observer"  # type: ignore[union-attr]


# ---------------------------------------------------------------- seeds acceptance


@needs_seeds
def test_seeds_outlets(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    run = CliRunner().invoke(
        cli, ["--db", db, "run", "--published", "2025-11-07", str(SEEDS)], catch_exceptions=False
    )
    assert run.exit_code == 0, run.output
    shown = CliRunner().invoke(cli, ["--db", db, "show", "1", "--format", "json"])
    articles = json.loads(shown.output)["articles"]
    outlets = [a["outlet"] for a in articles]
    assert outlets.count(None) == 1
    assert {"Anadolu Agency", "nayakashmir.com", "Washington Examiner", "The Epoch Times"} <= set(
        outlets
    )
    for a in articles:
        inferred = a["outlet"] in ("Washington Examiner", "The Epoch Times")
        ev = a["outlet_evidence"]
        assert (ev is not None and ev["inferred"]) == inferred, a["outlet"]
        if inferred:
            assert ev["source"] == "self-reference" and a["outlet"].split()[-1] in ev["text"]
        if a["outlet"]:
            own = outlet_key(a["outlet"])
            assert all(outlet_key(c) != own for c in a["cites"]), (a["outlet"], a["cites"])
    terminal = CliRunner().invoke(cli, ["--db", db, "show", "1"]).output
    assert "inferred" in terminal
