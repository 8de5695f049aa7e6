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


# Issue 21: the speaker is who says a quote, not someone named in or near it.


def test_pronoun_means_the_last_speaker_not_a_person_only_mentioned(nlp: Any) -> None:
    text = (
        "Mr. Karl Weber said he had never met the woman. “She has done nothing wrong,” "
        "Mr. Weber said.\n\n"
        "The congressman also spoke about the toll on his wife, Ana Ruiz, a longtime aide "
        "to Governor Maria Lopez. “I’m protecting my wife,” he told CNN."
    )
    assert speaker(nlp, text, "protecting my wife") == ("he", "Karl Weber")


def test_pronoun_subject_is_not_the_name_in_its_own_clause(nlp: Any) -> None:
    text = "Mayor Dan Cole spoke for an hour. Of Governor Ruth Hale, he said, “I want her to win.”"
    assert speaker(nlp, text, "want her to win")[1] == "Dan Cole"


def test_surname_the_tagger_missed_is_the_person_a_pronoun_means(nlp: Any) -> None:
    text = (
        "Elizabeth Lauten, an aide to a congressman, wrote about the president's daughters, "
        "Sasha and Malia Obama.\n\n"
        "Lauten later apologized for rushing to judgment on Facebook.\n\n"
        "“I reacted to an article and judged the two young ladies,” she said."
    )
    assert speaker(nlp, text, "reacted to an article")[1] == "Elizabeth Lauten"


def test_participle_after_a_letter_to_someone_is_the_writers(nlp: Any) -> None:
    text = (
        "On Friday, the aide, Rita Vance, 31, wrote an open letter to Tom and Lily Brandt on "
        "her Facebook page, saying they should “try showing a little class.”"
    )
    assert speaker(nlp, text, "little class")[1] == "Rita Vance"


def test_description_means_the_person_so_described(nlp: Any) -> None:
    text = (
        "The aide, Rita Vance, wrote a letter to Tom Brandt on Friday. "
        "On Monday the aide apologized: “I judged them too quickly.”"
    )
    assert speaker(nlp, text, "too quickly") == ("the aide", "Rita Vance")


def test_description_of_nobody_named_stays_unresolved(nlp: Any) -> None:
    text = "Tom Brandt spoke on Monday. “It was a long night,” the driver said."
    assert speaker(nlp, text, "long night") == ("the driver", None)


# Names are whole and clean.


def test_speaker_names_lose_brackets_marks_and_end_punctuation() -> None:
    from storydesk.analyze.finders.referents import clean_name

    assert clean_name("Barack] Obama") == "Barack Obama"
    assert clean_name("[President Barack] Obama") == "President Barack Obama"
    assert clean_name("“Lena Ortiz") == "Lena Ortiz"
    assert clean_name("Joe Biden,") == "Joe Biden"
    assert clean_name("Robert F. Kennedy Jr.") == "Robert F. Kennedy Jr."
    assert clean_name("O’Malley") == "O’Malley"


def test_name_run_together_with_a_place_before_a_comma(nlp: Any) -> None:
    text = (
        "Senator Dana Holt answered her critics on Sunday. "
        "In a post on Facebook, Holt wrote: “We will not back down.”"
    )
    assert speaker(nlp, text, "not back down") == ("Holt", "Dana Holt")


# Tweets and posts get their author.


def test_wrote_on_a_platform(nlp: Any) -> None:
    text = (
        "Former governor Dana Holt attacked the court again on Tuesday. "
        "Holt wrote on Truth Social: “The trial is a total Hoax.”"
    )
    assert speaker(nlp, text, "total Hoax")[1] == "Dana Holt"
    assert quote_with(nlp, text, "total Hoax").cue.text == "wrote on Truth Social"


def test_capitalised_tweeted_after_an_exclamation(nlp: Any) -> None:
    text = (
        "Ron Pale, the head of the group, praised the stunt. “Not us but can’t argue with "
        "it!” Pale, the head of Right to Rise, Tweeted on Friday."
    )
    assert speaker(nlp, text, "argue with")[1] == "Ron Pale"


def test_possessor_of_tweets_says_their_words(nlp: Any) -> None:
    text = (
        "Governor Tom Reyes was furious about the inquiry. "
        "Reyes’s tweets called the inquiry a “Witch Hunt” and “a total Hoax.”"
    )
    quotes = analyze_text(text, None, Options(), nlp=nlp).quotes
    witch = next(q for q in quotes if "Witch Hunt" in q.text)
    assert witch.speaker is not None and witch.speaker.name == "Tom Reyes"


def test_possessor_of_a_tweet_before_a_colon(nlp: Any) -> None:
    text = "Governor Tom Reyes spent the night online.\n\nReyes’s tweet: “Witch Hunt!”"
    assert speaker(nlp, text, "Witch Hunt")[1] == "Tom Reyes"


def test_one_of_the_posts_said(nlp: Any) -> None:
    text = (
        "Governor Tom Reyes spent the night online. His posts on Truth Social were angry. "
        "“The trial is rigged,” one said."
    )
    assert speaker(nlp, text, "trial is rigged") == ("one", "Tom Reyes")


def test_went_on_is_a_speech_cue(nlp: Any) -> None:
    text = (
        "Lena Ortiz asked about the bridge. “Can happen to anyone,” she said.\n\n"
        "“You know, it happens, right?” Paul Grant went on, as if he had not heard her."
    )
    assert speaker(nlp, text, "it happens")[1] == "Paul Grant"


def test_markup_attributes_are_not_quotations() -> None:
    line = '<tweet id="7711" author="@cspan">Grant wears a "Build the Bridge" hat</tweet>.'
    assert [line[s.start : s.end] for s in find_quote_spans(line)] == ['"Build the Bridge"']


def test_title_cited_with_its_author_is_not_a_quotation() -> None:
    line = (
        'FAREWELL—"The Harbour Club to close in May," by the Gazette\'s Ann Lee: '
        '"The club, a small stage for new bands, will shut."'
    )
    assert [line[s.start : s.end] for s in find_quote_spans(line)] == [
        '"The club, a small stage for new bands, will shut."'
    ]
