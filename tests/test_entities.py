"""Entity repairs and roles on invented text (one model load, one analysis per topic)."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest

from storydesk.analyze import analyze_text, analyze_with
from storydesk.analyze.finders.entities import ROLE_AFTER, ROLE_BEFORE, _Mention, _strictly_inside
from storydesk.analyze.finders.roles import place_after, role_after, role_before
from storydesk.dossier.whoswho import whos_who
from storydesk.model import AnalyzedArticle, Article, Entity
from storydesk.options import Options
from tests.conftest import SEEDS

TEXT = "\n\n".join(
    [
        "Kazakh President Aldan Serikov met U.S. Secretary of State Ilse Brandt in Astana. "
        "Serikov thanked Brandt.",
        "“We are ready,” Rabbi Noam Adler, president of the Society for Harbour Studies, said "
        "on Monday. Adler left early.",
        "He was joined by President Ruslan Omarov of Tajikistan and Mr. Tom Reyes.",
        "Former Prime Minister Mara Lind of Norway and Acme chief executive Paul Grant spoke.",
        "The Kazakh government confirmed the talks. There are many more Countries trying to "
        "join, and other countries are watching.",
    ]
)


@pytest.fixture(scope="module")
def article(nlp: Any) -> AnalyzedArticle:
    return analyze_text(TEXT, None, Options(), nlp=nlp)


def _person(a: AnalyzedArticle, surface: str) -> Entity:
    return next(e for e in a.entities if e.text == surface and e.label == "PERSON")


def test_titles_before_names_become_roles_not_names(article: AnalyzedArticle) -> None:
    assert _person(article, "Aldan Serikov").roles == ("Kazakh president",)  # swallowed title
    assert _person(article, "Ilse Brandt").roles == ("U.S. secretary of state",)
    assert _person(article, "Ruslan Omarov").roles == ("president of Tajikistan",)
    assert _person(article, "Mara Lind").roles == ("former prime minister of Norway",)
    assert _person(article, "Paul Grant").roles == ("Acme chief executive",)
    assert _person(article, "Tom Reyes").roles == ()  # "Mr." is an honorific, not a role


def test_title_and_apposition_both_recorded(article: AnalyzedArticle) -> None:
    adler = _person(article, "Noam Adler")
    assert adler.roles == ("rabbi", "president of the Society for Harbour Studies")
    assert adler.canonical == "Noam Adler"  # the title is not part of the name


def test_small_model_slips_repaired(article: AnalyzedArticle) -> None:
    texts = {e.text for e in article.entities}
    assert "State" not in texts and not any(t.startswith("State ") for t in texts)
    assert _person(article, "Brandt").canonical == "Ilse Brandt"  # full name found once fixed
    kazakh = [e for e in article.entities if e.text == "Kazakh"]
    assert kazakh and all(e.label == "NORP" for e in kazakh)
    assert "Countries" not in texts  # a plural the article also writes in lower case


def test_role_patterns_alone() -> None:
    before = "Reporters asked Yesterday President "
    assert role_before(ROLE_BEFORE, before, {}) == "president"  # "Yesterday" qualifies nothing
    assert role_before(ROLE_BEFORE, "he thanked special envoy ", {}) is None  # lower case, bare
    city = "New York City mayor-elect "
    assert role_before(ROLE_BEFORE, city, {13: 0}) == "New York City mayor-elect"
    assert role_after(ROLE_AFTER, ", the secretary of state, said") == "secretary of state"
    assert role_after(ROLE_AFTER, ", Norvania's foreign minister.") == (
        "Norvania's foreign minister"
    )
    assert role_after(ROLE_AFTER, ", who spoke to a minister, said") is None
    assert role_after(ROLE_AFTER, ", director of the Fenwick Trust.") == (
        "director of the Fenwick Trust"
    )
    assert place_after(" of Turkmenistan. They met.") == "Turkmenistan"
    assert place_after(" of Westmoor Holdings") is None


def test_place_with_a_folded_name_is_trimmed(nlp: Any) -> None:
    a = analyze_text("He met President Omarov and Japarov of Kyrgyzstan.", None, Options(), nlp=nlp)
    places = [e.text for e in a.entities if e.label == "GPE"]
    assert places and all(not re.search(r"\bof\b", p) for p in places)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not present")
def test_seed_whos_who_has_each_speaker_once_with_a_role(nlp: Any) -> None:
    articles = [
        Article(source=p.name, sha256="", title="", paragraphs=tuple(
            ln for ln in p.read_text(encoding="utf-8").splitlines()[1:] if ln.strip()), id=i)
        for i, p in enumerate(sorted(SEEDS.glob("*.txt")))
    ]  # fmt: skip
    entries = whos_who(analyze_with(nlp, articles))
    people = {e.name: e for e in entries if e.label == "PERSON"}
    for name in ("Donald Trump", "Kassym-Jomart Tokayev", "Marco Rubio", "JD Vance",
                 "Steve Witkoff", "Marc Schneier"):  # fmt: skip
        assert people[name].roles, name
    short = {"Trump", "Tokayev", "Rubio", "Vance", "Witkoff", "Schneier"}
    assert not short & set(people)  # every surname joined its full name
    assert len([n for n in people if n.split()[-1] in short]) == len(short)  # one entry each
    assert "secretary of state" in people["Marco Rubio"].roles[0]
    names = {e.name for e in entries}
    assert {"Kazakhstan", "United States"} <= names and not {"US", "U.S.", "America"} & names


def test_nested_mentions_found_by_the_sweep_match_pairwise_containment() -> None:
    rng = random.Random(7)
    for _ in range(500):
        mentions = []
        for _ in range(rng.randint(0, 8)):
            start = rng.randint(0, 12)
            mentions.append(_Mention(start, start + rng.randint(1, 5), "PERSON", False, None, ()))
        pairwise = {
            i
            for i, m in enumerate(mentions)
            if any(
                o.start <= m.start and m.end <= o.end and o.end - o.start > m.end - m.start
                for o in mentions
            )
        }
        assert _strictly_inside(mentions) == pairwise


def test_capitalised_plurals_dropped_only_when_the_article_uses_the_common_noun(nlp: Any) -> None:
    text = (
        "Ten Nations signed, the Times reported, citing Reuters at reuters.com. "
        "Officials met three times, and ten nations signed."
    )
    found = {e.text for e in analyze_text(text, None, Options(), nlp=nlp).entities}
    assert "Nations" not in found
    assert {"Times", "Reuters"} <= found


def test_names_stay_whole_across_lower_case_particles(nlp: Any) -> None:
    text = "The summit was attended by President Almaz Temir uulu Bekov of Kestria."
    names = {e.canonical for e in analyze_text(text, None, Options(), nlp=nlp).entities}
    assert "Almaz Temir uulu Bekov" in names


def test_labels_the_context_contradicts_are_fixed() -> None:
    from storydesk.analyze.finders.entities import _retype

    text = (
        "Posting on Quill Square, he said the barge Gresham 7 and Kestle Freight were at fault. "
        "Harbor master Ines Calloway agreed, and Calloway said so to the Herald in Port Ellis."
    )

    def mention(surface: str, label: str) -> _Mention:
        start = text.index(surface)
        return _Mention(start, start + len(surface), label, False)

    found = _retype(
        text,
        [
            mention("Quill Square", "GPE"),
            mention("Gresham 7", "PERSON"),
            mention("Kestle Freight", "PERSON"),
            mention("Ines Calloway", "GPE"),
            _Mention(text.index("Calloway said"), text.index("Calloway said") + 8, "PERSON", False),
            mention("Herald", "PERSON"),
            mention("Port Ellis", "ORG"),
        ],
    )
    labels = {text[m.start : m.end]: m.label for m in found}
    assert labels == {
        "Quill Square": "ORG",  # a platform one posts on
        "Gresham 7": "PRODUCT",  # names of people hold no digits
        "Kestle Freight": "ORG",
        "Ines Calloway": "PERSON",  # the article uses her surname alone
        "Calloway": "PERSON",
        "Herald": "ORG",  # "the Herald" is no person
        "Port Ellis": "GPE",
    }


def test_one_word_names_only_used_as_modifiers_are_dropped(nlp: Any) -> None:
    text = "Daytime crossings ran on schedule on Friday morning, the company said."
    names = {e.canonical for e in analyze_text(text, "2026-03-13", Options(), nlp=nlp).entities}
    assert "Daytime" not in names


def test_place_words_retype_a_person_named_in_them(nlp: Any) -> None:
    text = (
        "Valdora and Ostrenia agreed on the river. Farmers in Valdora welcomed it. "
        "Valdoran officials said the deal was fair."
    )
    found = analyze_text(text, None, Options(), nlp=nlp).entities
    assert {e.label for e in found if e.canonical == "Valdora"} == {"GPE"}
