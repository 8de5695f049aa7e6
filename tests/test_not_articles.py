"""Not articles (issue 18): README-like files, tables, listings and stubs are rejected with their
reason; pages in another language are stored, named and left out of analysis."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

import storydesk.analyze.core
from storydesk.clean import clean
from storydesk.errors import InputError
from storydesk.ingest.files import read_sources
from storydesk.model import AnalyzedArticle, Article, RawDocument, Sentence
from storydesk.options import Options
from storydesk.pipeline import run as pipeline
from storydesk.store import Store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"

GOOD = (
    "Harbour board reopens the north pier\n\n"
    "The harbour board reopened the north pier on Tuesday after three months of repairs. "
    "Ferry services will resume their normal timetable from Monday, the board said. "
    "Local traders welcomed the decision after a difficult winter.\n"
)
README = (
    "# pierlog\n\nA tool that records ferry departures.\n\n## Install\n\n"
    "```sh\npip install pierlog\n```\n\n## Usage\n\nRun it in the harbour office.\n"
)
STANDINGS = "League standings\n\n" + "".join(
    f"{i}    Team {name:<12} {30 - i}    {90 - 3 * i}\n"
    for i, name in enumerate(["Alder", "Birch", "Cedar", "Dogwood", "Elm", "Fir", "Gum"], 1)
)
LISTING = "Latest news\n\n" + "".join(
    f"{headline}\n{when}\n\n"
    for headline, when in [
        ("Council approves the harbour budget", "2 hours ago"),
        ("Storm warning for the north coast", "3 hours ago"),
        ("Bakery wins a regional award", "Yesterday"),
        ("School reopens after the repairs", "Yesterday"),
        ("Ferry timetable changes on Monday", "2 days ago"),
        ("Library opens on Sundays", "3 days ago"),
    ]
)
SPANISH = (
    "El ayuntamiento aprueba el presupuesto del puerto\n\n"
    "El pleno municipal aprobó el martes un nuevo presupuesto para renovar el puerto. "
    "La alcaldesa explicó que el dinero servirá para reparar los muelles antiguos. "
    "Las obras comenzarán la próxima primavera y durarán unos dos años.\n"
)


def _fake_analyze(articles: Sequence[Article]) -> list[AnalyzedArticle]:
    """A stand-in analyzer that fails loudly on anything not in English."""
    assert all(a.language == "en" for a in articles), "a non-English article was analysed"
    return [
        AnalyzedArticle(a, (Sentence(0, len(a.paragraphs[0]), a.paragraphs[0]),)) for a in articles
    ]


@contextmanager
def _fake_analyzer(
    options: Options,
) -> Iterator[Callable[[Sequence[Article]], list[AnalyzedArticle]]]:
    """The analyzer context with the stand-in inside."""
    yield _fake_analyze


def _article(store: Store, article_id: int) -> Article:
    """A stored article, which must exist."""
    article = store.article(article_id)
    assert article is not None
    return article


def _clean_file(path: Path) -> Article:
    """The article one file cleans into (InputError when it is none)."""
    (doc,) = list(read_sources([str(path)], Options()))
    assert isinstance(doc, RawDocument)
    return clean(doc, Options())


@pytest.fixture
def batch(tmp_path: Path) -> list[str]:
    """Good articles, non-articles of each kind and a Spanish page, as separate files."""
    files = {
        "good.txt": GOOD,
        "good2.txt": GOOD.replace("north", "south").replace("Tuesday", "Friday"),
        "pierlog.md": README,
        "standings.txt": STANDINGS,
        "listing.txt": LISTING,
        "word.txt": "Hello\n",
        "spanish.txt": SPANISH,
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return [str(tmp_path / name) for name in files]


def test_each_kind_is_rejected_with_its_reason_and_the_rest_kept(
    tmp_path: Path, batch: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storydesk.analyze.core, "analyzer", _fake_analyzer)
    db = tmp_path / "n.db"
    with Store(db) as store:
        report = pipeline.run(batch, Options(db=db), store)
        reasons = {Path(r.source).name: (r.step, r.reason) for r in report.rejections}
        assert set(reasons) == {"pierlog.md", "standings.txt", "listing.txt", "word.txt"}
        assert all(step == "clean" for step, _ in reasons.values())
        assert "README-like" in reasons["pierlog.md"][1]
        assert "table or listing" in reasons["standings.txt"][1]
        assert "table or listing" in reasons["listing.txt"][1]
        assert "1 word(s)" in reasons["word.txt"][1]
        stored = {Path(_article(store, i).source).name for i in report.added}
        assert stored == {"good.txt", "good2.txt", "spanish.txt"}
        assert {(Path(r.source).name, r.step) for r in store.rejections()} >= {
            ("word.txt", "clean")
        }


def test_a_non_english_page_is_stored_named_and_not_analysed_nor_retried(
    tmp_path: Path, batch: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storydesk.analyze.core, "analyzer", _fake_analyzer)
    db = tmp_path / "n.db"
    with Store(db) as store:
        report = pipeline.run(batch, Options(db=db), store)
        (spanish,) = [a for i in report.added if (a := _article(store, i)).language != "en"]
        assert spanish.language == "es"
        assert any("not English (es" in r.reason for r in spanish.removed)  # the stored note
        assert [n for n in report.notes if "spanish.txt" in n and "(es)" in n]
        assert store.analyses([spanish.id]) == []
        assert len(store.analyses(list(report.added))) == 2
        members = [i for s in store.stories() for i in s.articles]
        assert spanish.id not in members and len(members) == 2
        assert store.unanalyzed() == []  # nothing waits: the next run does not retry it
        again = pipeline.run(batch, Options(db=db), store)
        assert again.added == () and again.notes == ()
        assert store.analyses([spanish.id]) == []


def test_the_repository_readme_is_rejected() -> None:
    with pytest.raises(InputError, match="README-like"):
        _clean_file(ROOT / "README.md")


def test_short_english_stays_english_and_short_prose_stays_an_article(tmp_path: Path) -> None:
    path = tmp_path / "brief.txt"
    path.write_text("Pier closes\nThe harbour board closed the pier.\n", encoding="utf-8")
    assert _clean_file(path).language == "en"  # too little text to call another language


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is absent")
def test_the_seeds_are_all_kept_as_english() -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    assert seeds
    assert [(p.name, _clean_file(p).language) for p in seeds] == [(p.name, "en") for p in seeds]
