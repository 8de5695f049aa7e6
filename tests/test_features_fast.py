"""The fast paths of the shared text features give what the plain definitions give."""

from __future__ import annotations

import dataclasses
import re

from storydesk.crosscheck.align import (
    Unit,
    compatible,
    entity_words,
    lexical_similarity,
    shared_specific,
)
from storydesk.model import Entity
from storydesk.text.features import (
    STOPWORDS,
    content_words,
    entities_by_sentence,
    normalize_text,
    sentence_entities,
    stem,
    tokens,
)
from storydesk.text.numbers import NUMBER_WORDS
from tests.factories import make_article

_WORD = re.compile(r"[A-Za-z0-9]+(?:[.'’][A-Za-z0-9]+)*")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})

SAMPLES = [
    "The U.S. envoy's talks in Astana ended on Tuesday, officials said.",
    "The U.S.’s envoy “joined” the talks — planned for weeks — in Kazakhstan’s capital.",
    "Three ministers and 1,200 delegates attended; it's the countries' biggest meeting.",
    "\u212a9 units of the İstanbul office reported 5.4 million in sales",  # Kelvin sign, dotted I
    "",
    "'s ... -- 42",
]


def plain_tokens(text: str) -> list[str]:
    """``tokens`` as first written: word by word."""
    out = []
    for m in _WORD.finditer(text.translate(_QUOTES)):
        word = m.group(0).lower()
        word = word[:-2] if word.endswith("'s") else word
        word = word.replace(".", "")
        if word:
            out.append(word)
    return out


def plain_content_words(text: str) -> list[str]:
    """``content_words`` as first written."""
    return [
        str(NUMBER_WORDS[w]) if w in NUMBER_WORDS else stem(w)
        for w in plain_tokens(text)
        if w not in STOPWORDS and (len(w) >= 2 or w.isdigit())
    ]


def test_tokens_and_content_words_match_the_plain_definitions() -> None:
    for text in SAMPLES:
        assert tokens(text) == plain_tokens(text), text
        assert content_words(text) == plain_content_words(text), text
        assert normalize_text(text) == " ".join(text.translate(_QUOTES).split())


def test_non_ascii_letters_are_not_lowercased_into_words() -> None:
    # the Kelvin sign lower-cases to an ASCII "k": it is no letter of a token
    assert tokens("\u212a9 units") == ["9", "units"]


def test_entities_by_sentence_matches_the_scan() -> None:
    article = make_article(
        1,
        ["Ola Varn met Tokayev in Astana. Kazakhstan joined. Varn left for Riyadh."],
        entities=[
            ("Ola Varn", "PERSON", "Ola Varn"),
            ("Tokayev", "PERSON", "Tokayev"),
            ("Astana", "GPE", "Astana"),
            ("Kazakhstan", "GPE", "Kazakhstan"),
            ("Riyadh", "GPE", "Riyadh"),
        ],
    )
    expected = [sentence_entities(article, s) for s in article.sentences]
    assert entities_by_sentence(article) == expected
    assert sum(map(len, expected)) == len(article.entities)
    # an empty mention at a sentence boundary lies in both sentences: the scan decides
    edge = article.sentences[1].start
    odd = dataclasses.replace(
        article, entities=(*article.entities, Entity(edge, edge, "", "GPE", ""))
    )
    assert entities_by_sentence(odd) == [sentence_entities(odd, s) for s in odd.sentences]


def test_shared_specific_keeps_a_sentence_with_only_its_own_words() -> None:
    bags = [frozenset({"a"}), frozenset({"b", "c"}), frozenset({"c"})]
    assert shared_specific(bags).tolist() == [
        [True, False, False],
        [False, True, True],
        [False, True, True],
    ]


def test_lexical_similarity_clears_the_pairs_compatible_refuses() -> None:
    words = frozenset({"pact", "harbour", "signed", "minister"})
    people = [frozenset(), frozenset({"ola varn"}), frozenset({"tokayev"}), frozenset({"varn"})]
    quoted = [frozenset(), frozenset({"ola varn"}), frozenset({"tokayev"})]
    units = [Unit(k, k % 2, words | {f"w{k}"}, people[k % 4], quoted[k % 3]) for k in range(12)]
    sim = lexical_similarity(units)
    names = [entity_words(u.entities) for u in units]
    for i, a in enumerate(units):
        for j, b in enumerate(units):
            if i != j and not compatible(a, b, names[i], names[j]):
                assert sim[i, j] == 0.0
            elif i != j:
                assert sim[i, j] > 0.0
