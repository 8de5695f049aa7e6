"""Quotes in titles and subtitles: found apart from the body, offsets into their own line."""

from __future__ import annotations

from typing import Any

import pytest

from storydesk.analyze import analyze_with
from storydesk.model import AnalyzedArticle, Article
from storydesk.render import analysis_to_dict as to_json

BODY = (
    "Mayor Lena Ortiz said on Monday that the harbour bridge will open in May.",
    "“We will open the bridge in May, and nobody will pay a toll,” Ortiz told reporters.",
)


def analyzed(nlp: Any, title: str, subtitle: str | None = None) -> AnalyzedArticle:
    article = Article("<test>", "", title, BODY, subtitle=subtitle)
    return analyze_with(nlp, [article])[0]


def test_title_naming_its_speaker_before_a_colon(nlp: Any) -> None:
    title = "Lena Ortiz: ‘We will open the bridge in May’"
    (found,) = analyzed(nlp, title).headline_quotes
    assert found.line == "title"
    assert title[found.quote.start : found.quote.end] == "‘We will open the bridge in May’"
    assert found.quote.speaker is not None
    assert found.quote.speaker.name == "Lena Ortiz"


def test_subtitle_says_a_title_the_body_gives_a_name(nlp: Any) -> None:
    subtitle = "'Nobody will pay a toll to cross the new bridge,' says city mayor"
    a = analyzed(nlp, "Harbour bridge to open in May", subtitle)
    (found,) = a.headline_quotes
    assert found.line == "subtitle"
    q = found.quote
    assert subtitle[q.start : q.end] == "'Nobody will pay a toll to cross the new bridge,'"
    assert q.speaker is not None and q.cue is not None
    assert subtitle[q.speaker.start : q.speaker.end] == q.speaker.text
    assert q.speaker.name == "Lena Ortiz"
    assert subtitle[q.cue.start : q.cue.end] == "says"


def test_short_name_in_the_title_takes_the_body_full_name(nlp: Any) -> None:
    (found,) = analyzed(nlp, "‘The bridge will open in May,’ says Ortiz").headline_quotes
    assert found.quote.speaker is not None
    assert found.quote.speaker.name == "Lena Ortiz"


def test_body_offsets_unchanged_and_plain_titles_cost_nothing(nlp: Any) -> None:
    plain = analyzed(nlp, "Harbour bridge to open in May")
    quoted = analyzed(nlp, "Lena Ortiz: ‘We will open the bridge in May’")
    assert plain.headline_quotes == ()
    assert [(q.start, q.end) for q in plain.quotes] == [(q.start, q.end) for q in quoted.quotes]
    for q in quoted.quotes:
        assert quoted.text[q.start : q.end] == q.text


def test_headline_quotes_in_the_analysis_json(nlp: Any) -> None:
    obj = to_json(analyzed(nlp, "Lena Ortiz: ‘We will open the bridge in May’"))
    (found,) = obj["headline_quotes"]
    assert found["line"] == "title"
    assert obj["title"][found["start"] : found["end"]] == found["text"]
    assert found["speaker"]["name"] == "Lena Ortiz"


def test_headline_quotes_survive_storage(nlp: Any) -> None:
    from storydesk.serialize import from_dict, to_dict

    a = analyzed(nlp, "Lena Ortiz: ‘We will open the bridge in May’")
    assert from_dict(AnalyzedArticle, to_dict(a)).headline_quotes == a.headline_quotes
    old = {k: v for k, v in to_dict(a).items() if k != "headline_quotes"}
    assert from_dict(AnalyzedArticle, old).headline_quotes == ()


@pytest.mark.parametrize(
    "title", ["Ortiz: 'We will open the bridge in May'", "ORTIZ: ‘WE WILL OPEN IT’"]
)
def test_bare_surname_before_a_colon_in_the_title(nlp: Any, title: str) -> None:
    (found,) = analyzed(nlp, title).headline_quotes
    assert found.quote.speaker is not None
    assert found.quote.speaker.name == "Lena Ortiz"
    assert title[found.quote.speaker.start : found.quote.speaker.end].lower() == "ortiz"


def test_a_label_before_a_colon_is_no_speaker(nlp: Any) -> None:
    (found,) = analyzed(nlp, "Update: 'We will open the bridge in May'").headline_quotes
    assert found.quote.speaker is None


def test_a_speaker_in_the_title_of_a_subtitle_quote_indexes_the_title(nlp: Any) -> None:
    title, subtitle = "Lena Ortiz says:", "“We will open the bridge in May”"
    for found in analyzed(nlp, title, subtitle).headline_quotes:
        q = found.quote
        line = title if found.line == "title" else subtitle
        assert line[q.start : q.end] == q.text
        if q.speaker is not None:
            speaker_line = title if (found.speaker_line or found.line) == "title" else subtitle
            assert q.speaker.start >= 0
            assert speaker_line[q.speaker.start : q.speaker.end] == q.speaker.text
