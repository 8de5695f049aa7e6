"""Speakers in general English patterns (issue 21): cues after the quote, addressees, names."""

from __future__ import annotations

from typing import Any

from storydesk.analyze.finders.cues import SPEECH_LEMMAS
from storydesk.analyze.finders.entities import EntityFindings, find_entities
from storydesk.analyze.finders.marks import find_quote_spans
from storydesk.analyze.finders.quotes import quote_context
from storydesk.analyze.finders.quoting import build_context
from storydesk.analyze.finders.speakers import nearby_name
from storydesk.analyze.finders.speechverbs import is_cue, sentence_end_in
from storydesk.analyze.nlp import parse_articles
from storydesk.model import Article, Entity
from tests.test_quotes_speakers import quote_with, speaker


def test_said_clause_after_the_quote_beats_one_in_the_sentence_before(nlp: Any) -> None:
    text = (
        "The ministry would not give a figure for the job losses, Mr. Tomas Quell said. "
        "“So it is very hard to know how many people lose work if output falls,” he said."
    )
    assert speaker(nlp, text, "very hard")[0] == "he"
    assert sentence_end_in(" said. ") and sentence_end_in("said. He went on. ")
    assert not sentence_end_in(" Mr. ") and not sentence_end_in(" the U.S. ")
    assert not sentence_end_in(", ")


def test_a_new_sentence_with_its_own_claim_is_not_the_cue_of_the_quote_before(nlp: Any) -> None:
    text = (
        "“It is a very sad day,” Lena Ortiz told reporters outside the hall in Dover. "
        "“This is what the culture of that campaign gives us. It has no place here.” "
        "Paul Grant said he would have fired the manager, according to press reports."
    )
    assert speaker(nlp, text, "culture of that campaign")[1] != "Paul Grant"


def _near(nlp: Any, text: str, verb: str) -> str | None:
    """The token nearby_name finds around the first ``verb`` of a one-paragraph text."""
    article = Article(source="<t>", sha256="", title="", paragraphs=(text,))
    parsed = parse_articles(nlp, [article])[0]
    context = quote_context(parsed, find_entities(parsed))
    doc = parsed.docs[0]
    token = next(t for t in doc if t.text == verb)
    found = nearby_name(context, parsed.blocks[0], token)
    return None if found is None else str(found.text)


def test_who_is_told_or_acts_after_the_verb_is_not_who_speaks(nlp: Any) -> None:
    told = "“We were wrong,” Vance, 58, told Reuters in an interview in Lima."
    assert _near(nlp, told, "told") != "Reuters"
    asked = "“Very good reporter,” she said when Lena Ortiz asked her a question."
    assert _near(nlp, asked, "said") not in ("Lena", "Ortiz")
    inverted = "“We will win,” said Lena Ortiz on Monday."
    assert _near(nlp, inverted, "said") in ("Lena", "Ortiz")


def test_a_verb_right_after_a_closing_mark_is_a_cue_even_as_a_modifier(nlp: Any) -> None:
    doc = nlp("“Debate recap,” tweeted Alex Conant. She read a prepared statement.")
    tweeted = next(t for t in doc if t.text == "tweeted")
    prepared = next(t for t in doc if t.text == "prepared")
    tweeted.dep_ = prepared.dep_ = "amod"  # how the parser often reads the inverted cue
    prepared.lemma_ = "state"  # a speech lemma, so only the position tells them apart
    assert is_cue(tweeted, SPEECH_LEMMAS)
    assert not is_cue(prepared, SPEECH_LEMMAS)


def test_called_and_labelled_quotes_go_to_the_subject(nlp: Any) -> None:
    text = (
        "Former Governor Paul Grant, for his part, is labeling the mayor's plan "
        "“a blatant, belligerent abuse of power.”\n\n"
        "Lena Ortiz called the plan “a real smart idea. I think it will work.”"
    )
    assert speaker(nlp, text, "abuse of power")[1] == "Paul Grant"
    assert speaker(nlp, text, "real smart idea")[1] == "Lena Ortiz"


def test_a_place_to_post_is_no_one_she_can_mean(nlp: Any) -> None:
    text = (
        "Rita Vance describes herself on Twitter as a fan of cats. "
        "Her note was later posted on Twitter by a reporter."
    )
    article = Article(source="<t>", sha256="", title="", paragraphs=(text,))
    parsed = parse_articles(nlp, [article])[0]
    found = find_entities(parsed)
    at = [i for i in range(len(text)) if text.startswith("Twitter", i)]
    tagged = tuple(Entity(a, a + 7, "Twitter", "PERSON", "Twitter") for a in at)
    entities = tuple(sorted((*found.entities, *tagged), key=lambda e: e.start))
    context = build_context(parsed, EntityFindings(entities, found.titles), ())
    # the second "Twitter" is a place to post, so the first (after "describes") is no one too
    assert "Twitter" not in {p.name for p in context.persons}


def test_a_participle_after_a_reported_clause_belongs_to_who_reports(nlp: Any) -> None:
    text = (
        "In a 2014 interview, Paul Grant insisted it was “premature” to back the mayor "
        "while adding on the climate, “I have no doubt that her heart is in the right place.”"
    )
    assert speaker(nlp, text, "no doubt")[1] == "Paul Grant"


def test_roundup_label_after_a_dash_names_the_speaker(nlp: Any) -> None:
    text = (
        "Signs of a late shift were there all along - More from Carl Bialik: “One of the "
        "biggest lessons was a simple one: keep on calling voters as late as you can.” [538.]"
    )
    assert speaker(nlp, text, "biggest lessons")[1] == "Carl Bialik"


def test_he_is_not_a_person_the_article_calls_ms(nlp: Any) -> None:
    text = (
        "Ms. Lena Ortiz, the host, questioned Paul Grant about the harbour bridge on Monday. "
        "He replied: “The bridge will open in May, and nobody will pay a toll.”"
    )
    assert speaker(nlp, text, "open in May")[1] == "Paul Grant"
    assert not quote_with(nlp, text, "open in May").continues


def test_a_known_surname_the_tagger_missed_is_an_inverted_speaker(nlp: Any) -> None:
    text = "Bill Skelly runs the data desk. “It is valuable,” said Skelly, explaining his work."
    article = Article(source="<t>", sha256="", title="", paragraphs=(text,))
    parsed = parse_articles(nlp, [article])[0]
    only_first = (Entity(0, 11, "Bill Skelly", "PERSON", "Bill Skelly"),)  # the second missed
    context = build_context(parsed, EntityFindings(only_first, ()), quote_context_spans(text))
    said = next(t for t in parsed.docs[0] if t.text == "said")
    found = nearby_name(context, parsed.blocks[0], said)
    assert found is not None and found.text == "Skelly"


def quote_context_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The quotation spans of a one-paragraph text."""
    return tuple((s.start, s.end) for s in find_quote_spans(text))
