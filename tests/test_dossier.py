"""Dossier: grounded brief, article references, quote book, timeline, who's who, coverage."""

from __future__ import annotations

import dataclasses

import pytest

from storydesk.crosscheck.facts import crosscheck
from storydesk.dossier.brief import brief
from storydesk.dossier.build import _names_itself, article_refs, build_dossier, check_grounding
from storydesk.dossier.grounding import note_text
from storydesk.dossier.quotebook import named_as_in, quote_book
from storydesk.dossier.timeline import timeline
from storydesk.dossier.trim import made_by_deletion
from storydesk.dossier.whoswho import whos_who
from storydesk.lineage.derivation import find_lineage
from storydesk.model import (
    AnalyzedArticle,
    BriefSentence,
    Conflict,
    Dossier,
    EntityEntry,
    Fact,
    Lineage,
    QuoteEntry,
    Speaker,
    Support,
    Variant,
)
from storydesk.options import DossierSettings, Options
from storydesk.text.embed import LazyEmbedder
from storydesk.text.features import sentence_index
from tests.conftest import SEEDS
from tests.factories import fisheries_story, make_article, seed_articles

OPTIONS = Options()
EMBEDDER = LazyEmbedder(OPTIONS)  # the model loads once for the whole module


def _dossier(articles: list[AnalyzedArticle]) -> Dossier:
    lineage = find_lineage(articles, OPTIONS)
    facts, conflicts = crosscheck(articles, lineage, OPTIONS, EMBEDDER)
    return build_dossier(7, articles, lineage, facts, conflicts, OPTIONS)


def _assert_grounded(d: Dossier, articles: list[AnalyzedArticle]) -> None:
    by_id = {a.id: a for a in articles}
    assert 3 <= len(d.brief) <= 10
    notes = {note_text(c) for c in d.conflicts}  # a note naming a conflict rests on its sentences
    for b in d.brief:
        assert b.support
        assert b.text in notes or any(
            b.text == s.text or made_by_deletion(b.text, s.text) for s in b.support
        )
        for s in b.support:
            assert by_id[s.article].sentences[s.sentence].text == s.text
    assert check_grounding(d) == []


def test_header_and_articles() -> None:
    articles = fisheries_story()
    d = _dossier(articles)
    assert d.story_id == 7
    assert d.headline == "Norvania and Estmark sign fisheries treaty"
    assert (d.first_published, d.last_published) == ("2025-03-04", "2025-03-05")
    assert d.independent_sources == 2
    refs = {r.id: r for r in d.articles}
    assert refs[2].derived_from == (1,) and refs[2].cites == ("Coastwire",)
    assert refs[3].derived_from == (1, 2)  # undirected rewrites: listed on the later article
    assert refs[1].derived_from == () and refs[4].derived_from == ()
    assert refs[4].outlet == "Estmark Herald" and refs[1].source == "test://1"


def test_brief_is_grounded_and_ordered_by_the_lead_article() -> None:
    articles = fisheries_story()
    d = _dossier(articles)
    _assert_grounded(d, articles)
    notes = {note_text(c) for c in d.conflicts}  # conflict notes follow their sentence (#17)
    stated = [b for b in d.brief if b.text not in notes]
    lead_positions = [s.sentence for b in stated for s in b.support if s.article == 1]
    assert lead_positions == sorted(lead_positions)
    assert all(f.independent_sources == 2 for f in d.facts[: len(stated)])


def test_brief_shows_the_main_conflict() -> None:
    d = _dossier(fisheries_story())
    disputed = {s.text for s in d.conflicts[0].support}
    assert any(b.text in disputed for b in d.brief)


def test_check_grounding_reports_problems() -> None:
    d = _dossier(fisheries_story())
    support = (Support(1, 0, "Some other sentence."),)
    bad = dataclasses.replace(
        d,
        brief=(
            BriefSentence("Invented claim.", ()),
            BriefSentence("Invented claim.", support),
        ),
    )
    problems = check_grounding(bad)
    assert len(problems) == 2
    assert "no support" in problems[0] and "not in any cited sentence" in problems[1]


def test_quote_book_merges_wordings_across_articles() -> None:
    q1 = "“This treaty protects our fishermen and our fish stocks for a generation,”"
    q2 = "“This treaty protects our fishermen and our fish stocks for one generation,”"
    a = make_article(1, [f"{q1} Varga said."], outlet="A", quotes=((q1, "Lena Varga"),))
    b = make_article(2, [f"Varga said: {q2}"], outlet="B", quotes=((q2, "Lena Varga"),))
    c = make_article(3, [f"{q1} she said."], outlet="C", quotes=((q1, None),))
    (entry,) = quote_book([a, b, c])
    assert entry.speaker == "Lena Varga"
    assert entry.text == q1 and entry.variants == (q2,)
    assert entry.outlets == ("A", "B", "C")
    assert [(s.article, s.sentence) for s in entry.support] == [(1, 0), (2, 0), (3, 0)]
    for s in entry.support:
        assert s.text == {1: a, 2: b, 3: c}[s.article].sentences[0].text


def test_timeline_dedupes_sorts_and_marks_background() -> None:
    articles = fisheries_story()
    entries = timeline(articles, "2025-03-04")
    values = [e.value for e in entries]
    assert values == sorted(values) and len(values) == len(set(values))
    by_value = {e.value: e for e in entries}
    assert by_value["2019"].background and not by_value["2025-06-01"].background
    assert by_value["2025-03-04"].label == "Tuesday"
    assert {s.article for s in by_value["2025-06-01"].support} == {1, 2, 3}
    for e in entries:
        assert e.text in {s.text for s in e.support}


def test_whos_who_groups_aliases() -> None:
    entries = {e.name: e for e in whos_who(fisheries_story())}
    varga = entries["Lena Varga"]
    assert varga.label == "PERSON" and set(varga.aliases) == {"Lena Varga", "Varga"}
    assert varga.articles == (1, 2, 3, 4)
    assert set(entries["Norvania"].aliases) == {"Norvania", "Norvanian"}
    assert "Grey Sea" not in entries  # LOC is not listed
    found = whos_who(fisheries_story())  # people and organisations first (issue 18)
    ranks = [(e.label not in ("PERSON", "ORG"), -e.mentions) for e in found]
    assert ranks == sorted(ranks)


def test_coverage_matrix_and_exclusives() -> None:
    d = _dossier(fisheries_story())
    cov = d.coverage
    assert cov.outlets == ("Coastwire", "Estmark Herald", "Harbour Daily", "Tide Times")
    assert len(cov.matrix) == len(d.facts)
    exclusives = dict(cov.exclusives)
    assert exclusives["Coastwire"] == ()
    herald = [d.facts[i].text for i in exclusives["Estmark Herald"]]
    assert any("Opposition lawmakers" in t for t in herald)


def test_quote_support_is_the_sentence_holding_it() -> None:
    articles = fisheries_story()
    d = _dossier(articles)
    by_id = {a.id: a for a in articles}
    for entry in d.quotes:
        for s in entry.support:
            article = by_id[s.article]
            starts = [q.start for q in article.quotes]
            assert s.sentence in {sentence_index(article, x) for x in starts}


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed articles not present")
def test_seed_dossier_is_grounded() -> None:
    articles = seed_articles("2025-11-06", analysed=True)
    d = _dossier(articles)
    _assert_grounded(d, articles)
    assert d.independent_sources == 4
    assert d.headline == articles[0].article.title
    refs = {r.id: r for r in d.articles}
    assert refs[2].derived_from == (0,)
    assert "Reuters" in refs[0].cites
    days = {e.value: e for e in d.timeline}
    assert not days["2025-11-06"].background and days["2020"].background


def test_brief_adds_a_sentence_of_the_main_conflict_when_missing() -> None:
    articles = fisheries_story()
    lineage = find_lineage(articles, OPTIONS)
    facts, _ = crosscheck(articles, lineage, OPTIONS, EMBEDDER)
    lone = next(f for f in facts if "Opposition lawmakers" in f.text)
    other = Support(1, 0, articles[0].sentences[0].text)
    conflict = Conflict(
        "number",
        "count of seat differs",
        (Variant("a", lone.support), Variant("b", (other,))),
    )
    chosen = brief(articles, facts, [conflict], articles[0])
    texts = [b.text for b in chosen]
    assert lone.text in texts or other.text in texts
    assert note_text(conflict) in texts  # the brief names the conflict (#17)
    notes = {note_text(conflict)}
    assert all(b.text in {s.text for s in b.support} for b in chosen if b.text not in notes)


def test_brief_prefers_sentences_that_read_on_their_own() -> None:
    from storydesk.dossier.brief import _stands_alone

    assert _stands_alone("The board will open an inquiry on Monday, its chair said.")
    assert _stands_alone("“We will rebuild,” the mayor said.")
    assert not _stands_alone("“Visibility was poor and both vessels were in the channel.")
    assert not _stands_alone('We will find out why," she said.')
    assert not _stands_alone("He added that the ferry would sail again.")


def test_quotation_middles_and_unresolved_pronouns_stay_out_of_the_brief() -> None:
    speech = (
        "“The dam will be finished next spring. It will feed every farm in the Tarn valley."
        " We start on Monday,” Varga said."
    )
    quote = speech.split(" Varga")[0]
    others = [
        "The Tarn valley council approved the dam plan on Tuesday.",
        "Fishermen downstream fear lower salmon runs.",
        "Construction will cost 40 million crowns, the ministry estimates.",
        "Opposition deputies called for a referendum.",
        "Two villages will be moved before the reservoir fills.",
    ]
    facts = []
    for k, text in enumerate(others):
        facts.append(Fact(text, (Support(10 + k, 0, text),), 2, "corroborated"))
    a = make_article(1, [speech], quotes=((quote, "Lena Varga"),))
    middle = a.sentences[1].text
    assert middle.startswith("It will feed")
    facts.insert(0, Fact(middle, (Support(1, 1, middle),), 3, "corroborated"))
    who = "Speaking in Kestrava, she added that the dam would open in May."  # who is she?
    facts.insert(0, Fact(who, (Support(20, 0, who),), 3, "corroborated"))
    shown = [b.text for b in brief([a], facts, [], None)]
    assert middle not in shown and who not in shown and len(shown) == 5


def test_an_outlet_quoting_itself_is_not_listed_as_citing_itself() -> None:
    herald = make_article(
        1,
        ["“We will rebuild,” the mayor told the Herald, according to Harbor Wire."],
        outlet="Tidewater Herald",
        credits=["Herald", "Harbor Wire"],
    )
    (ref,) = article_refs([herald], Lineage((), (frozenset({1}),)))
    assert ref.cites == ("Harbor Wire",)
    assert _names_itself("Coastline Radio", "coastlineradio.example")
    assert not _names_itself("AP", "The Japan Times")
    assert not _names_itself("Washington Post", "Meridian Post")


def test_a_quote_from_an_unnamed_source_keeps_how_the_article_describes_it() -> None:
    quoted = "“The talks are over,”"
    article = make_article(
        1, [f"{quoted} a senior official told reporters."], quotes=((quoted, None),)
    )
    q = article.quotes[0]
    mention = Speaker(None, q.end + 1, q.end + 18, "a senior official")
    article = dataclasses.replace(article, quotes=(dataclasses.replace(q, speaker=mention),))
    (entry,) = quote_book([article])
    assert entry.speaker is None and entry.unnamed == "a senior official"
    he = dataclasses.replace(mention, text="he")
    lone = dataclasses.replace(article, quotes=(dataclasses.replace(q, speaker=he),))
    assert quote_book([lone])[0].unnamed is None


def test_quote_speakers_take_the_who_is_who_name() -> None:
    book = [
        QuoteEntry("Trump", "“We will win.”", ()),
        QuoteEntry("Holt", "“No comment.”", (), speakers=("Holt", "Trump")),
    ]
    people = [
        EntityEntry("Donald Trump", "PERSON", ("Trump", "Donald Trump"), (1,), 3),
        EntityEntry("Aron Holt", "PERSON", ("Holt",), (1,), 1),
        EntityEntry("Mira Holt", "PERSON", ("Holt",), (2,), 1),
    ]
    named = named_as_in(book, people)
    assert named[0].speaker == "Donald Trump"
    assert named[1].speaker == "Holt"  # two Holts: left as written
    assert named[1].speakers == ("Holt", "Donald Trump")


def test_brief_length_and_background_window_are_read_from_options() -> None:
    articles = fisheries_story()
    lineage = find_lineage(articles, OPTIONS)
    facts, conflicts = crosscheck(articles, lineage, OPTIONS, EMBEDDER)
    assert len(brief(articles, facts, conflicts, articles[0], OPTIONS)) > 3
    short = Options(dossier=DossierSettings(brief_min=2, brief_max=3))
    assert len(brief(articles, facts, conflicts, articles[0], short)) == 3
    wide = Options(dossier=DossierSettings(background_days=10_000))
    assert not any(e.background for e in timeline(articles, "2025-03-04", wide))
    narrow = Options(dossier=DossierSettings(background_days=0))
    marked = {e.value for e in timeline(articles, "2025-03-04", narrow) if e.background}
    assert marked == {"2019"}
