"""Who's who across a story: surnames joined, countries under one name, roles collected."""

from __future__ import annotations

import dataclasses
from collections import Counter

from storydesk.dossier.whoswho import role_key, story_roles, whos_who
from storydesk.model import AnalyzedArticle, Article, Entity, EntityEntry, Sentence
from storydesk.render import dossier_to_dict, render
from tests.test_render import make_dossier

Mention = tuple[str, str, str, tuple[str, ...]]  # surface, label, canonical, roles


def _article(article_id: int, text: str, mentions: list[Mention]) -> AnalyzedArticle:
    """An analysed article whose mentions are found left to right in ``text``."""
    entities, at = [], 0
    for surface, label, canonical, roles in mentions:
        start = text.index(surface, at)
        at = start + len(surface)
        entities.append(Entity(start, at, surface, label, canonical, roles))
    article = Article(
        source=f"test://{article_id}", sha256="", title="", paragraphs=(text,), id=article_id
    )
    return AnalyzedArticle(article, (Sentence(0, len(text), text),), tuple(entities))


def _story() -> list[AnalyzedArticle]:
    one = _article(
        1,
        "Kazakh President Aldan Serikov met US envoy Ilse Brandt. The Kazakh government agreed. "
        "Aron Holt and Mira Holt watched. Mohammed bin Salman was away. Ana P. Ruiz spoke.",
        [
            ("Kazakh", "NORP", "Kazakh", ()),
            ("Aldan Serikov", "PERSON", "Aldan Serikov", ("Kazakh president",)),
            ("US", "GPE", "United States", ()),
            ("Ilse Brandt", "PERSON", "Ilse Brandt", ("US envoy",)),
            ("Kazakh", "NORP", "Kazakh", ()),
            ("Aron Holt", "PERSON", "Aron Holt", ()),
            ("Mira Holt", "PERSON", "Mira Holt", ()),
            ("Mohammed bin Salman", "PERSON", "Mohammed bin Salman", ()),
            ("Ana P. Ruiz", "PERSON", "Ana P. Ruiz", ()),
        ],
    )
    two = _article(
        2,
        "President Serikov told America that Brandt was welcome in the Kazakh capital. Holt "
        "left. Mohammed Bin-Salman did not. Kazakhstan's president Serikov smiled. Ana Ruiz "
        "agreed.",
        [
            ("Serikov", "PERSON", "Serikov", ("president",)),
            ("America", "GPE", "United States", ()),
            ("Brandt", "PERSON", "Brandt", ()),
            ("Kazakh", "NORP", "Kazakh", ()),
            ("Holt", "PERSON", "Holt", ()),
            ("Mohammed Bin-Salman", "PERSON", "Mohammed Bin-Salman", ()),
            ("Kazakhstan", "GPE", "Kazakhstan", ()),
            ("Serikov", "PERSON", "Serikov", ("Kazakhstan's president",)),
            ("Ana Ruiz", "PERSON", "Ana Ruiz", ()),
        ],
    )
    return [one, two]


def _by_name() -> dict[str, EntityEntry]:
    return {e.name: e for e in whos_who(_story())}


def test_surname_joins_the_one_full_name_of_the_story() -> None:
    entries = _by_name()
    serikov = entries["Aldan Serikov"]
    assert serikov.articles == (1, 2) and serikov.mentions == 3
    assert set(serikov.aliases) == {"Aldan Serikov", "Serikov"}
    assert entries["Ilse Brandt"].articles == (1, 2)
    assert "Serikov" not in entries and "Brandt" not in entries


def test_ambiguous_surname_stays_apart() -> None:
    entries = _by_name()
    assert entries["Holt"].articles == (2,)  # Aron Holt or Mira Holt: not guessed
    assert entries["Aron Holt"].mentions == 1 and entries["Mira Holt"].mentions == 1


def test_spelling_variants_of_a_name_are_one_person() -> None:
    salman = _by_name()["Mohammed bin Salman"]
    assert salman.articles == (1, 2) and "Mohammed Bin-Salman" in salman.aliases
    ruiz = _by_name()["Ana P. Ruiz"]  # the name without its middle initial is the same person
    assert ruiz.articles == (1, 2) and ruiz.aliases == ("Ana P. Ruiz", "Ana Ruiz")


def test_countries_and_their_demonyms_are_one_entity() -> None:
    entries = _by_name()
    assert set(entries["United States"].aliases) == {"US", "America"}
    kazakhstan = entries["Kazakhstan"]  # "Kazakh President", "... government", "Kazakh capital"
    assert kazakhstan.label == "GPE" and kazakhstan.mentions == 4
    assert set(kazakhstan.aliases) == {"Kazakh", "Kazakhstan"} and "Kazakh" not in entries


def test_roles_collected_and_bare_titles_give_way() -> None:
    entries = _by_name()
    assert entries["Aldan Serikov"].roles == ("Kazakh president",)  # one role, three spellings
    assert entries["Ilse Brandt"].roles == ("US envoy",)
    assert entries["Mira Holt"].roles == ()
    counts = Counter({"president": 3, "vice president": 1, "rabbi": 1})
    assert story_roles(counts) == ("president", "rabbi", "vice president")
    assert role_key("president of the United States") == ("United States", "president")
    assert role_key("U.S. secretary of state") == ("United States", "secretary of state")


def test_people_and_organisations_first_then_most_mentioned() -> None:
    entries = whos_who(_story())
    places = [e.label not in ("PERSON", "ORG") for e in entries]
    assert places == sorted(places) and any(places)
    for group in (False, True):
        mentions = [e.mentions for e, p in zip(entries, places, strict=True) if p == group]
        assert mentions == sorted(mentions, reverse=True)


def test_roles_shown_by_every_renderer() -> None:
    entry = EntityEntry(
        "Ines Calloway", "PERSON", ("Calloway",), (1,), 2, ("<b>harbour</b> master",)
    )
    dossier = dataclasses.replace(make_dossier(), entities=(entry,))
    assert dossier_to_dict(dossier)["entities"][0]["roles"] == ["<b>harbour</b> master"]
    assert "&lt;b&gt;harbour&lt;/b&gt; master" in render(dossier, "html")
    assert "<b>harbour" not in render(dossier, "html")
    assert "harbour" in render(dossier, "md") and "master" in render(dossier, "terminal")


def _placed(article_id: int, text: str, mentions: list[tuple[str, str, str]]) -> AnalyzedArticle:
    """An analysed article whose mentions carry a syntactic role (surface, label, dep)."""
    found = _article(article_id, text, [(s, label, s, ()) for s, label, _ in mentions])
    deps = [dep for _, _, dep in mentions]
    entities = tuple(
        dataclasses.replace(e, dep=dep) for e, dep in zip(found.entities, deps, strict=True)
    )
    return dataclasses.replace(found, entities=entities)


def test_places_listed_only_where_they_act() -> None:
    article = _placed(
        1,
        "Ostrava signed the pact in Telmar with Kestria. Ilse Brandt of Dunmere watched.",
        [
            ("Ostrava", "GPE", "nsubj"),
            ("Telmar", "GPE", "pobj:in"),
            ("Kestria", "GPE", "pobj:with"),
            ("Ilse Brandt", "PERSON", "nsubj"),
            ("Dunmere", "GPE", "pobj:of"),
        ],
    )
    names = [e.name for e in whos_who([article])]
    assert names[0] == "Ilse Brandt"  # people and organisations first
    assert set(names) == {"Ilse Brandt", "Ostrava", "Kestria"}


def test_demonym_of_a_place_the_story_names_folds_into_it() -> None:
    article = _placed(
        1,
        "Ostrenian officials met. Ostrenia agreed. Valdora said no.",
        [
            ("Ostrenian", "NORP", "amod"),
            ("Ostrenia", "GPE", "nsubj"),
            ("Valdora", "PERSON", "nsubj"),
        ],
    )
    other = _placed(2, "Valdora objected.", [("Valdora", "GPE", "nsubj")])
    entries = {e.name: e for e in whos_who([article, other])}
    assert entries["Ostrenia"].mentions == 2 and "Ostrenian" in entries["Ostrenia"].aliases
    assert entries["Valdora"].label == "GPE" and entries["Valdora"].mentions == 2
    assert "Ostrenian" not in entries


def test_a_name_tagged_a_place_once_joins_the_person() -> None:
    one = _placed(1, "Harbor master Ines Calloway spoke.", [("Ines Calloway", "GPE", "nsubj")])
    two = _placed(2, "Ines Calloway said more.", [("Ines Calloway", "PERSON", "nsubj")])
    entries = whos_who([one, two])
    assert [(e.name, e.label, e.mentions) for e in entries] == [("Ines Calloway", "PERSON", 2)]


def test_one_word_name_joins_the_organisation_it_begins() -> None:
    article = _placed(
        1,
        "Bluewater Lines halted sailings. Bluewater said more.",
        [("Bluewater Lines", "ORG", "nsubj"), ("Bluewater", "PERSON", "nsubj")],
    )
    entries = whos_who([article])
    assert [(e.name, e.label, e.mentions) for e in entries] == [("Bluewater Lines", "ORG", 2)]
