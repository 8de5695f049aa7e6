"""Renderers: the JSON contract, Markdown citations, terminal escaping."""

from __future__ import annotations

import io
import json
from typing import Any

import click
import pytest
from rich.console import Console

from storydesk.model import (
    ArticleRef,
    Assignment,
    BriefSentence,
    Conflict,
    Coverage,
    Dossier,
    EntityEntry,
    Fact,
    QuoteEntry,
    Support,
    TimelineEntry,
    TopicLink,
    Variant,
)
from storydesk.render import (
    FORMATS,
    Layout,
    dossier_to_dict,
    dumps,
    print_dossier,
    render,
    stories_table,
)
from storydesk.render.jsonout import stories_json
from storydesk.render.markdown import md_escape

S_WIRE_0 = "Twelve people were injured when a ferry hit a barge in Port Ellis on Thursday night."
S_WIRE_3 = "Bluewater Lines has agreed to suspend night sailings."
S_FARM_0 = "Twelve people were hurt on Thursday night when a ferry crashed into a barge."
S_HERALD_0 = "Fourteen people were treated in hospital, officials said."
S_HERALD_2 = "“Visibility was poor,” harbour master Ines Calloway said."
S_POST_1 = "Bluewater agreed in principle to suspend night sailings, according to Harbor Wire."
S_MARKUP = "A reader wrote [bold]LOUD[/bold] and *stars* | pipes_under in a comment."

WIRE = 1
FARM = 2
HERALD = 3
POST = 4


def sup(article: int, sentence: int, text: str) -> Support:
    """A support item."""
    return Support(article, sentence, text)


def make_dossier() -> Dossier:
    """A small invented dossier touching every section."""
    articles = (
        ArticleRef(
            WIRE,
            "examples/ferry-harbor-wire.txt",
            "Harbor Wire",
            "Twelve injured as ferry hits barge",
            None,
            "2026-03-12",
            None,
        ),
        ArticleRef(
            FARM,
            "examples/ferry-newspulse-daily.txt",
            "NewsPulse Daily",
            "Ferry crash leaves twelve hurt",
            None,
            "2026-03-13",
            "https://www.newspulsedaily.example/world/ferry",
            derived_from=(WIRE,),
        ),
        ArticleRef(
            HERALD,
            "examples/ferry-tidewater-herald.txt",
            "Tidewater Herald",
            "Fourteen hurt as ferry strikes barge",
            "By Marguerite Osei",
            "2026-03-13",
            "https://www.tidewaterherald.example/metro/ferry",
        ),
        ArticleRef(
            POST,
            "examples/ferry-meridian-post.txt",
            "Meridian Post",
            "Ferry collision injures 12",
            "By Tomasz Weller",
            "2026-03-13",
            None,
            cites=("Harbor Wire",),
        ),
    )
    facts = (
        Fact(
            "A ferry hit a barge in Port Ellis on Thursday night.",
            (sup(WIRE, 0, S_WIRE_0), sup(FARM, 0, S_FARM_0), sup(HERALD, 0, S_HERALD_0)),
            2,
            "corroborated",
            ("Harbor Wire", "NewsPulse Daily", "Tidewater Herald"),
        ),
        Fact(
            "Number injured.",
            (sup(WIRE, 0, S_WIRE_0), sup(HERALD, 0, S_HERALD_0)),
            2,
            "conflicting",
            ("Harbor Wire", "Tidewater Herald"),
        ),
        Fact(S_MARKUP, (sup(HERALD, 5, S_MARKUP),), 1, "single-source", ("Tidewater Herald",)),
    )
    conflicts = (
        Conflict(
            "number",
            "people injured",
            (
                Variant("12", (sup(WIRE, 0, S_WIRE_0), sup(FARM, 0, S_FARM_0))),
                Variant("14", (sup(HERALD, 0, S_HERALD_0),)),
            ),
        ),
        Conflict(
            "modality",
            "suspension of night sailings",
            (
                Variant("has agreed", (sup(WIRE, 3, S_WIRE_3),)),
                Variant("agreed in principle", (sup(POST, 1, S_POST_1),)),
            ),
        ),
    )
    return Dossier(
        story_id=7,
        headline="Port Ellis ferry collides with barge in fog",
        first_published="2026-03-12",
        last_published="2026-03-13",
        independent_sources=3,
        articles=articles,
        brief=(
            BriefSentence(S_WIRE_0, (sup(WIRE, 0, S_WIRE_0), sup(HERALD, 0, S_HERALD_0))),
            BriefSentence(S_POST_1, (sup(POST, 1, S_POST_1), sup(WIRE, 3, S_WIRE_3))),
            BriefSentence(S_MARKUP, (sup(HERALD, 5, S_MARKUP),)),
        ),
        facts=facts,
        conflicts=conflicts,
        quotes=(
            QuoteEntry(
                "Ines Calloway",
                "“Visibility was poor,”",
                (sup(HERALD, 2, S_HERALD_2),),
                ("Tidewater Herald",),
                ("“The visibility was poor,”",),
            ),
            QuoteEntry(
                None, "“a bang like thunder”", (sup(HERALD, 5, S_MARKUP),), ("Tidewater Herald",)
            ),
        ),
        timeline=(
            TimelineEntry(
                "2019",
                "since 2019",
                "The route has run since 2019.",
                (sup(HERALD, 9, "The route has run since 2019."),),
                background=True,
            ),
            TimelineEntry("2026-03-12", "Thursday night", S_WIRE_0, (sup(WIRE, 0, S_WIRE_0),)),
        ),
        entities=(
            EntityEntry(
                "Ines Calloway", "PERSON", ("Calloway", "the harbour master"), (WIRE, HERALD), 4
            ),
            EntityEntry("Port Ellis", "GPE", (), (WIRE, FARM, HERALD, POST), 5),
        ),
        coverage=Coverage(
            ("Harbor Wire", "NewsPulse Daily", "Tidewater Herald", "Meridian Post"),
            (
                (0, ("Harbor Wire", "NewsPulse Daily", "Tidewater Herald")),
                (2, ("Tidewater Herald",)),
            ),
            (("Tidewater Herald", (2,)),),
        ),
    )


def supports_in(obj: Any) -> list[Any]:
    """Every `support` list item anywhere inside a JSON value."""
    found: list[Any] = []
    if isinstance(obj, dict):
        for key, value in obj.items():
            found.extend(value if key == "support" else supports_in(value))
    elif isinstance(obj, list):
        for value in obj:
            found.extend(supports_in(value))
    return found


def test_json_has_every_contract_key() -> None:
    data = json.loads(render(make_dossier(), "json"))
    assert list(data) == [
        "story",
        "articles",
        "brief",
        "facts",
        "conflicts",
        "quotes",
        "timeline",
        "entities",
        "coverage",
    ]
    assert set(data["story"]) == {
        "id",
        "headline",
        "first_published",
        "last_published",
        "independent_sources",
        "article_count",
    }
    assert data["story"]["article_count"] == 4
    for a in data["articles"]:
        assert set(a) == {
            "id",
            "source",
            "outlet",
            "title",
            "byline",
            "published",
            "url",
            "derived_from",
            "cites",
            "membership",  # why the article is in the story (None: not recorded)
            "outlet_evidence",  # issue 18: where the outlet was found, inferred or not
        }
    assert data["articles"][1]["derived_from"] == [WIRE]
    assert data["articles"][3]["cites"] == ["Harbor Wire"]
    assert all(set(b) == {"text", "support"} for b in data["brief"])
    for f in data["facts"]:
        # issue 17: whom every sentence attributes the fact to (null: stated in own voice)
        # issue 16: "number" names the fact for search hits and changes (stable as it grows)
        assert set(f) == {
            "number",
            "text",
            "status",
            "independent_sources",
            "outlets",
            "attributed_to",
            "support",
        }
        assert all(set(s) == {"article", "sentence", "text", "attributed_to"} for s in f["support"])
    for c in data["conflicts"]:
        # issue 17: "facts" names the facts (indices) a conflict concerns
        assert set(c) == {"kind", "description", "facts", "variants", "support"}
        assert all(set(v) == {"value", "support"} for v in c["variants"])
        assert len(c["support"]) == sum(len(v["support"]) for v in c["variants"])
    assert all(
        set(q)
        == {"speaker", "text", "outlets", "variants", "speakers", "part_of", "unnamed", "support"}
        for q in data["quotes"]
    )
    assert data["quotes"][1]["speaker"] is None
    assert all(
        set(t) == {"value", "part", "title", "label", "text", "background", "support"}
        for t in data["timeline"]
    )
    assert all(
        set(e) == {"name", "label", "aliases", "articles", "mentions", "roles"}
        for e in data["entities"]
    )
    assert set(data["coverage"]) == {"outlets", "columns", "matrix", "exclusives", "omissions"}
    assert data["coverage"]["matrix"][0] == {
        "fact": 0,
        "outlets": ["Harbor Wire", "NewsPulse Daily", "Tidewater Herald"],
    }
    assert data["coverage"]["exclusives"] == [{"outlet": "Tidewater Herald", "facts": [2]}]


def test_json_supports_are_complete_and_round_trip() -> None:
    d = make_dossier()
    text = render(d, "json")
    data = json.loads(text)
    assert data == dossier_to_dict(d)
    ids = {a["id"] for a in data["articles"]}
    items = supports_in(data)
    assert len(items) > 10
    for s in items:
        # a fact's support items also say whom the sentence attributes the claim to
        assert set(s) - {"attributed_to"} == {"article", "sentence", "text"}
        assert s["article"] in ids and isinstance(s["sentence"], int) and s["text"]
    assert "“Visibility was poor,”" in text  # ensure_ascii=False keeps curly quotes


def test_markdown_has_brief_citations_and_sources() -> None:
    md = render(make_dossier(), "md")
    assert md.startswith("# Port Ellis ferry collides with barge in fog\n")
    assert S_WIRE_0 in md
    assert "\\[1.1\\] \\[3.1\\]" in md  # article 1 sentence 1, article 3 sentence 1
    assert "\\[4.2\\] \\[1.4\\]" in md
    for heading in (
        "## Sources",
        "## Brief",
        "## Facts",
        "## Conflicts",
        "## Quote book",
        "## Timeline",
        "## Who's who",
        "## Coverage",
        "## Cited sentences",
    ):
        assert heading in md
    assert "derived from #1 Harbor Wire" in md
    assert "cites Harbor Wire" in md
    assert "### Corroborated (1)" in md and "### Single-source (1)" in md
    assert "- **\\[3.6\\]** Tidewater Herald:" in md
    assert "[Fourteen hurt as ferry strikes barge](https://www.tidewaterherald.example/" in md


def test_markdown_escapes_article_text() -> None:
    md = render(make_dossier(), "md")
    assert "\\[bold\\]LOUD\\[/bold\\] and \\*stars\\* \\| pipes\\_under" in md
    assert S_MARKUP not in md
    assert md_escape("1. First\nline") == "1\\. First line"
    assert md_escape("- dash") == "\\- dash"


def test_terminal_shows_headline_and_escapes_markup() -> None:
    out = render(make_dossier(), "terminal")
    assert "Port Ellis ferry collides with barge in fog" in out
    assert "[bold]LOUD[/bold]" in out
    assert "\x1b[" not in out  # plain text unless a terminal is forced
    for word in (
        "Sources",
        "Brief",
        "Facts",
        "corroborated",
        "single-source",
        "conflicting",
        "Conflicts",
        "Quotes",
        "Timeline",
        "Who's who",
        "Coverage",
    ):
        assert word in out
    assert "[1.1] [3.1]" in out
    assert "derived from #1 Harbor Wire" in out
    assert "agreed in principle" in out


def test_terminal_colours_when_forced() -> None:
    out = render(make_dossier(), "terminal", force_terminal=True)
    assert "\x1b[" in out
    assert "[bold]LOUD[/bold]" in out


def test_print_dossier_to_console_and_stories_table() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, width=100)
    print_dossier(make_dossier(), console)
    console.print(stories_table([_Row(1, "Ferry [red]collision[/red]", (1, 2), ("A",))]))
    text = buffer.getvalue()
    assert "[bold]LOUD[/bold]" in text
    assert "Ferry [red]collision[/red]" in text


def test_empty_dossier_renders() -> None:
    d = Dossier(1, "", None, None, 0, (), (), (), (), (), (), ())
    assert json.loads(render(d, "json"))["story"]["article_count"] == 0
    assert "date unknown" in render(d, "md")
    assert "no articles" in render(d, "terminal")


def test_unknown_format_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="pdf"):
        render(make_dossier(), "pdf")


class _Row:
    """A story listing row."""

    def __init__(self, id: int, title: str, articles: tuple[int, ...], outlets: tuple[str, ...]):
        self.id = id
        self.title = title
        self.articles = articles
        self.outlets = outlets


def test_the_cli_offers_the_table_of_formats_and_each_renders_a_dossier() -> None:
    from storydesk.cli.main import show

    (option,) = [p for p in show.params if p.name == "fmt"]
    assert isinstance(option.type, click.Choice)
    assert list(option.type.choices) == list(FORMATS)
    d = make_dossier()
    for name, fmt in FORMATS.items():
        assert fmt.name == name and "/" in fmt.media_type
        text = fmt.render(d, Layout())
        # csv is one section (facts by default), without the headline
        expected = d.facts[0].text if name == "csv" else d.headline
        assert expected in text, name
        assert text == render(d, name)


def test_json_text_is_written_one_way() -> None:
    obj = {"quote": "“Visibility was poor,”", "n": [1, 2]}
    assert dumps(obj) == json.dumps(obj, ensure_ascii=False, indent=2)
    assert dumps(obj, indent=None) == json.dumps(obj, ensure_ascii=False)
    assert render(make_dossier(), "json") == dumps(dossier_to_dict(make_dossier()))


def test_story_list_json_with_explanations_and_topic_links() -> None:
    rows = [_Row(1, "Ferry", (1, 2), ("A",)), _Row(2, "Ferry inquiry", (3,), ())]
    assert stories_json(rows, {2: 1}) == [
        {"id": 1, "title": "Ferry", "articles": [1, 2], "outlets": ["A"], "topic": 1},
        {"id": 2, "title": "Ferry inquiry", "articles": [3], "outlets": [], "topic": 1},
    ]
    why = {1: [Assignment(2, 1, 0.5, ("port ellis",), ("ferry",), 3, "joined")], 2: []}
    link = TopicLink(story=2, nearest=1, score=0.4, words=0.4)
    first, second = stories_json(rows, {2: 1}, why, {2: link})
    assert first["explanations"] == [
        {
            "article": 2,
            "score": 0.5,
            "shared_entities": ["port ellis"],
            "shared_terms": ["ferry"],
            "candidates": 3,
            "reason": "joined",
        }
    ]
    assert first["topic_link"] is None
    assert second["topic_link"] == {
        "nearest": 1,
        "score": 0.4,
        "words": 0.4,
        "gist": None,
        "reason": link.reason(),
    }
