"""Who said a quote: the attribution rules on invented news text, one model load."""

from __future__ import annotations

from typing import Any

from storydesk.analyze import analyze_text
from storydesk.analyze.finders.marks import find_quote_spans
from storydesk.model import Quote
from storydesk.options import Options


def quote_with(nlp: Any, text: str, words: str) -> Quote:
    """The direct quote of ``text`` that holds ``words``."""
    quotes = analyze_text(text, None, Options(), nlp=nlp).quotes
    return next(q for q in quotes if words in q.text and q.kind == "direct")


def speaker(nlp: Any, text: str, words: str) -> tuple[str | None, str | None]:
    """(mention, name) of the speaker of the quote holding ``words``."""
    s = quote_with(nlp, text, words).speaker
    return (s.text, s.name) if s is not None else (None, None)


def test_colon_introduction_in_the_paragraph_before(nlp: Any) -> None:
    text = (
        "Mayor Lena Ortiz spoke to the council on Monday about the harbour bridge. She said:"
        "\n\n“We will open the bridge in May, and nobody will pay a toll to cross it.”"
    )
    assert speaker(nlp, text, "open the bridge") == ("She", "Lena Ortiz")


def test_second_name_and_colon_in_one_sentence_is_its_own_speaker(nlp: Any) -> None:
    text = (
        "Harbour Minister Ines Varga and Mayor Tomas Quell met on Monday.\n\n"
        "Varga told reporters: “The bridge opens in May,” and Quell: “Not before June.”\n\n"
        "As Varga put it to the council: “Tolls stay”, while Quell: “Tolls go.”"
    )
    assert speaker(nlp, text, "opens in May") == ("Varga", "Ines Varga")
    assert speaker(nlp, text, "Not before June") == ("Quell", "Tomas Quell")
    assert speaker(nlp, text, "Tolls stay") == ("Varga", "Ines Varga")
    assert speaker(nlp, text, "Tolls go") == ("Quell", "Tomas Quell")


def test_colon_introduction_takes_the_clause_before_the_colon(nlp: Any) -> None:
    text = (
        "The hall went so quiet after the vote that Lena Ortiz had to repeat her warning: "
        "“The bridge is not safe for heavy trucks.”"
    )
    assert speaker(nlp, text, "not safe")[1] == "Lena Ortiz"


def test_relative_who_names_the_person_just_before_it(nlp: Any) -> None:
    text = (
        "The guests included Tom Hale, Rita Moss and Paul Grant, who joked, "
        "“I came for the cake and stayed for the speeches.”"
    )
    assert speaker(nlp, text, "cake") == ("who", "Paul Grant")


def test_attribution_sentence_after_a_question(nlp: Any) -> None:
    text = (
        "Lena Ortiz spoke first. Then Paul Grant walked on stage. "
        "“Who would have believed that we would get this far in one year?” Grant said, "
        "looking out over the crowd of supporters in the square."
    )
    assert speaker(nlp, text, "Who would")[1] == "Paul Grant"


def test_new_speaker_ends_a_paragraph_left_open(nlp: Any) -> None:
    text = (
        "“We will fix the roads,” Lena Ortiz said. “We will fix the schools and the clinics."
        "\n\n“I have heard all of this before,” said Paul Grant, who leads the opposition."
    )
    assert speaker(nlp, text, "heard all")[1] == "Paul Grant"
    assert not quote_with(nlp, text, "heard all").continues


def test_nested_curly_quote_keeps_the_outer_quote_whole() -> None:
    line = "“I would rather live in what he calls “hell” than vote for him.” ― Ana Ruiz"
    spans = find_quote_spans(line)
    assert [(line[s.start : s.end], s.kind) for s in spans] == [
        ("“I would rather live in what he calls “hell” than vote for him.”", "direct")
    ]


def test_signature_after_a_quote_with_a_nested_quote(nlp: Any) -> None:
    text = "“I would rather live in what he calls “hell” than vote for him.” ― Ana Ruiz"
    assert speaker(nlp, text, "rather live")[1] == "Ana Ruiz"


def test_as_someone_put_it(nlp: Any) -> None:
    text = "As the engineer Paul Grant put it last week, “this bridge is the town's lifeline.”"
    assert speaker(nlp, text, "lifeline")[1] == "Paul Grant"


def test_quote_set_off_by_dashes_after_a_name(nlp: Any) -> None:
    text = (
        "Several officials have said the same, including the treasurer Maria Lind -- "
        "“We cannot pay for a second bridge this decade” -- and two of her deputies."
    )
    assert speaker(nlp, text, "second bridge")[1] == "Maria Lind"


def test_participle_after_a_name(nlp: Any) -> None:
    text = "The new advert uses footage of Lena Ortiz asking, “Why is nobody fixing this?”"
    assert speaker(nlp, text, "nobody fixing")[1] == "Lena Ortiz"


def test_speech_verbs_demand_and_yell(nlp: Any) -> None:
    text = (
        "Paul Grant spoke after her. “Why is the bridge still closed?” Lena Ortiz demanded."
        "\n\n“Open it now!” Grant yelled from the back of the hall."
    )
    assert speaker(nlp, text, "still closed")[1] == "Lena Ortiz"
    assert speaker(nlp, text, "Open it now")[1] == "Paul Grant"


def test_headline_naming_its_speaker_before_a_colon(nlp: Any) -> None:
    text = (
        "Lena Ortiz to council: ‘Fix the bridge now’\n\n"
        "The mayor of Harlow spoke for an hour on Monday evening."
    )
    assert speaker(nlp, text, "Fix the bridge")[1] == "Lena Ortiz"


def test_quoted_words_as_the_object_of_a_persons_verb(nlp: Any) -> None:
    text = (
        "In a speech on Friday, Lena Ortiz attacked “the lazy habit of promising bridges "
        "and building nothing at all.”"
    )
    assert speaker(nlp, text, "lazy habit")[1] == "Lena Ortiz"


def test_inverted_speaker_read_as_an_object(nlp: Any) -> None:
    text = (
        "“There are more candidates in this race than anyone expected this early,” "
        "added a veteran Republican organiser."
    )
    mention, name = speaker(nlp, text, "more candidates")
    assert mention is not None and "organiser" in mention
    assert name is None


def test_shot_back(nlp: Any) -> None:
    text = "Lena Ortiz spoke first. “That is simply not true,” Paul Grant shot back."
    assert speaker(nlp, text, "simply not true")[1] == "Paul Grant"


def test_opening_mark_typed_as_a_closer() -> None:
    line = "“It is unusual,“ said Paul Grant. “It is a hard thing to pull off.”"
    assert [line[s.start : s.end] for s in find_quote_spans(line)] == [
        "“It is unusual,“",
        "“It is a hard thing to pull off.”",
    ]


def test_signature_on_its_own_line_after_the_quote(nlp: Any) -> None:
    text = (
        "Fact check of the debate, claim by claim.\n\n"
        "“Almost all new income is going to the top one percent of earners.”\n\n"
        "- Lena Ortiz.\n\n"
        "The figure she uses is from an older survey."
    )
    assert speaker(nlp, text, "new income")[1] == "Lena Ortiz"


def test_question_then_who_asked_whom(nlp: Any) -> None:
    text = (
        "Paul Grant took questions at the pier. “You think I am going to change my mind "
        "about this bridge?” Grant asked reporters during a news conference on Friday."
    )
    assert speaker(nlp, text, "change my mind")[1] == "Paul Grant"
