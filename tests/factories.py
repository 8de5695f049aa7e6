"""Build AnalyzedArticle objects by hand, without spaCy, for tests of the global stages."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from storydesk.model import (
    AnalyzedArticle,
    Article,
    Credit,
    Entity,
    Quote,
    Sentence,
    Speaker,
    TimeExpression,
)
from tests.conftest import SEEDS

_SENTENCE_END = re.compile(r"[.!?][\"”’)]?(\s+)(?=[\"“‘(]?[A-Z0-9])")
_ABBREVIATIONS = ("U.S.", "Nov.", "Oct.", "Mr.", "Mrs.", "Dr.", "St.", "Jan.", "Feb.", "Dec.")


def split_sentences(text: str) -> tuple[Sentence, ...]:
    """Regex sentence splitter over paragraphs separated by blank lines."""
    out: list[Sentence] = []
    offset = 0
    for p_index, paragraph in enumerate(text.split("\n\n")):
        start = 0
        for m in _SENTENCE_END.finditer(paragraph):
            head = paragraph[start : m.start(1)]
            if head.endswith(_ABBREVIATIONS):
                continue
            _add(out, paragraph, offset, start, m.start(1), p_index)
            start = m.end()
        _add(out, paragraph, offset, start, len(paragraph), p_index)
        offset += len(paragraph) + 2
    return tuple(out)


def _add(out: list[Sentence], paragraph: str, offset: int, start: int, end: int, p: int) -> None:
    """Append one stripped sentence span if it is not blank."""
    chunk = paragraph[start:end]
    lead = len(chunk) - len(chunk.lstrip())
    chunk = chunk.strip()
    if chunk:
        s = offset + start + lead
        out.append(Sentence(s, s + len(chunk), chunk, p))


def _spans(text: str, surface: str) -> list[tuple[int, int]]:
    """Every occurrence of a literal string in the text."""
    return [(m.start(), m.end()) for m in re.finditer(re.escape(surface), text)]


def make_article(
    article_id: int,
    paragraphs: Sequence[str],
    *,
    title: str = "",
    outlet: str | None = None,
    published: str | None = None,
    byline: str | None = None,
    entities: Iterable[tuple[str, str, str]] = (),
    quotes: Iterable[tuple[str, str | None]] = (),
    times: Iterable[tuple[str, str]] = (),
    credits: Iterable[str] = (),
) -> AnalyzedArticle:
    """An analysed article; entities, quotes, times and credits are found by string search."""
    # entities: (surface, label, canonical); quotes: (text, speaker); times: (surface, value)
    article = Article(
        source=f"test://{article_id}",
        sha256=f"{article_id:064x}",
        title=title,
        paragraphs=tuple(paragraphs),
        outlet=outlet,
        published=published,
        byline=byline,
        id=article_id,
    )
    text = article.text
    ents = sorted(
        (
            Entity(s, e, surface, label, canonical)
            for surface, label, canonical in entities
            for s, e in _spans(text, surface)
        ),
        key=lambda e: e.start,
    )
    qs = []
    for quoted, speaker in quotes:
        for s, e in _spans(text, quoted):
            who = Speaker(speaker, s, s, "") if speaker else None
            qs.append(Quote(s, e, quoted, who))
    ts = [
        TimeExpression(s, e, surface, "DATE", value)
        for surface, value in times
        for s, e in _spans(text, surface)
    ]
    cs = [Credit(name, s, e, name) for name in credits for s, e in _spans(text, name)[:1]]
    return AnalyzedArticle(
        article=article,
        sentences=split_sentences(text),
        entities=tuple(ents),
        quotes=tuple(sorted(qs, key=lambda q: q.start)),
        times=tuple(sorted(ts, key=lambda t: t.start)),
        credits=tuple(cs),
    )


# Names (not text) to locate in the seed reports, standing in for NER in tests.
SEED_ENTITIES = (
    *(
        (name, "GPE", name)
        for name in (
            "Kazakhstan", "Israel", "Bahrain", "Morocco", "Sudan", "United Arab Emirates",
            "Saudi Arabia", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan",
            "Azerbaijan", "Syria", "Washington", "Riyadh", "Astana", "Gaza", "Lebanon", "Iran",
            "Yemen", "Russia", "China",
        )
    ),
    ("UAE", "GPE", "UAE"),
    ("Donald Trump", "PERSON", "Donald Trump"),
    ("Trump", "PERSON", "Donald Trump"),
    ("Kassym-Jomart Tokayev", "PERSON", "Kassym-Jomart Tokayev"),
    ("Tokayev", "PERSON", "Kassym-Jomart Tokayev"),
    ("Marco Rubio", "PERSON", "Marco Rubio"),
    ("Steve Witkoff", "PERSON", "Steve Witkoff"),
    ("Witkoff", "PERSON", "Steve Witkoff"),
    ("Benjamin Netanyahu", "PERSON", "Benjamin Netanyahu"),
    ("Mohammed bin Salman", "PERSON", "Mohammed bin Salman"),
    ("Abraham Accords", "EVENT", "Abraham Accords"),
    ("Reuters", "ORG", "Reuters"),
    ("Axios", "ORG", "Axios"),
    ("White House", "ORG", "White House"),
)  # fmt: skip
SEED_TIMES = (
    ("Thursday", "2025-11-06"),
    ("Nov. 6", "2025-11-06"),
    ("November 18", "2025-11-18"),
    ("Nov. 18", "2025-11-18"),
    ("Oct. 7, 2023", "2023-10-07"),
    ("April 8", "2025-04-08"),
    ("in 2020", "2020"),
    ("in 2016", "2016"),
    ("in 1992", "1992"),
    ("since 1992", "1992"),
)


def seed_articles(published: str | None = None, *, analysed: bool = False) -> list[AnalyzedArticle]:
    """The seed reports as articles with ids 0..4 (hand-listed names stand in for analysis)."""
    out = []
    for i, path in enumerate(sorted(SEEDS.glob("*.txt"))):
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
        lines = [ln for ln in lines if ln]
        extra: dict[str, Any] = {}
        if analysed:
            extra = {
                "entities": SEED_ENTITIES,
                "times": SEED_TIMES,
                "credits": ("Reuters", "Axios"),
            }
        out.append(
            make_article(
                i, lines[1:], title=lines[0], outlet=path.stem[:3], published=published, **extra
            )
        )
    return out


# ------------------------------------------------------------ an invented story
# Fictional countries and people; every text below was written for these tests.

_ENTITIES = (
    ("Norvanian", "NORP", "Norvania"),
    ("Norvania", "GPE", "Norvania"),
    ("Estmark", "GPE", "Estmark"),
    ("Lakonia", "GPE", "Lakonia"),
    ("Pelagia", "GPE", "Pelagia"),
    ("Ostrava", "GPE", "Ostrava"),
    ("Terrel", "GPE", "Terrel"),
    ("Brisk", "GPE", "Brisk"),
    ("Lena Varga", "PERSON", "Lena Varga"),
    ("Varga", "PERSON", "Lena Varga"),
    ("Aron Holt", "PERSON", "Aron Holt"),
    ("Holt", "PERSON", "Aron Holt"),
    ("Port Halden", "GPE", "Port Halden"),
    ("Grey Sea", "LOC", "Grey Sea"),
    ("Skarn Banks", "LOC", "Skarn Banks"),
    ("Coastwire", "ORG", "Coastwire"),
)

WIRE = (
    "Norvania and Estmark signed a fisheries treaty on Tuesday that sets shared quotas for cod"
    " and herring in the Grey Sea, the Norvanian fisheries ministry said.",
    "Fisheries minister Lena Varga said the deal ends a decade of disputes over the northern"
    " fishing grounds. “This treaty protects our fishermen and our fish stocks for a"
    " generation,” Varga told reporters in Port Halden.",
    "Four nations had already joined the regional fishing pact: Lakonia, Pelagia, Ostrava and"
    " Terrel.",
    "The treaty will take effect on June 1, 2025, after ratification by both parliaments."
    " Estmark has agreed to cut its cod catch by 12 percent over three years.",
    "Environmental groups welcomed the agreement but warned that herring stocks remain fragile."
    " The two countries first opened talks in 2019 after a clash between fishing fleets near"
    " the Skarn Banks.",
)

LIGHT_EDIT = (
    "Norvania and Estmark signed a fisheries treaty on Tuesday that sets shared quotas for cod"
    " and herring in the Grey Sea, the Norvanian fisheries ministry said on Tuesday.",
    "Fisheries minister Lena Varga said the deal ends a decade of disputes over the northern"
    " fishing grounds. “This treaty protects our fishermen and our fish stocks for a"
    " generation,” Varga told journalists in Port Halden.",
    "Four nations had already joined the regional fishing pact: Lakonia, Pelagia, Ostrava and"
    " Terrel.",
    "The treaty will take effect on June 1, 2025, after ratification by both parliaments."
    " Estmark has agreed to cut its cod catch by 12 percent over three years.",
    "Environmental groups welcomed the agreement but warned that herring stocks remain fragile.",
    "(Coastwire)",
)

PARAPHRASE = (
    "Norvania and Estmark have concluded a fishing treaty that fixes common cod and herring"
    " quotas across the Grey Sea, according to the Norvanian fisheries ministry.",
    "The agreement ends ten years of disputes over the northern fishing grounds, fisheries"
    " minister Lena Varga said. Speaking in Port Halden, Varga said the treaty would protect"
    " fishermen and fish stocks for a generation.",
    "Lakonia, Pelagia, Ostrava and Terrel had already joined the regional fishing pact.",
    "Once ratified by both parliaments, the treaty takes effect on June 1, 2025. Under the deal"
    " Estmark agreed to cut its cod catch by 12 percent within three years.",
    "Environmental campaigners praised the agreement while cautioning that herring stocks are"
    " still fragile. Talks between the two countries opened in 2019 after fishing fleets clashed"
    " near the Skarn Banks.",
)

INDEPENDENT = (
    "Estmark's prime minister Aron Holt said on Wednesday that Estmark has agreed in principle"
    " to cut its cod catch by 15 percent, but that details of the quotas are still being"
    " negotiated.",
    "Five nations already belong to the regional fishing pact: Lakonia, Pelagia, Ostrava,"
    " Terrel and Brisk.",
    "Holt said the fisheries treaty would take effect on July 1, 2025.",
    "“We have protected the interests of our coastal towns,” Holt said.",
    "Fishing crews in the northern ports of Estmark have protested against quota cuts for"
    " months, and union leaders plan a rally outside parliament next week.",
    "The quarrel over the Skarn Banks dates back to 2019, when fishing fleets from the two"
    " countries clashed.",
    "Norvania's fisheries minister, Lena Varga, called the deal the end of a decade of"
    " disputes over fishing grounds.",
    "Opposition lawmakers in Estmark accused Holt of giving away too much to secure the deal.",
)

UNRELATED = (
    "A fire broke out at a textile factory in Brenholt on Monday night, injuring seven workers,"
    " the city fire service said.",
    "Firefighters needed four hours to bring the blaze under control, and the cause is under"
    " investigation.",
    "The factory owner, Mira Stolz, said production would resume within a month.",
)


def fisheries_story() -> list[AnalyzedArticle]:
    """Wire report (1), light edit (2), paraphrase (3), independent report (4)."""
    times = (
        ("Tuesday", "2025-03-04"),
        ("Wednesday", "2025-03-05"),
        ("June 1, 2025", "2025-06-01"),
        ("July 1, 2025", "2025-07-01"),
        ("2019", "2019"),
    )
    quotes = (
        (
            "“This treaty protects our fishermen and our fish stocks for a generation,”",
            "Lena Varga",
        ),
        ("“We have protected the interests of our coastal towns,”", "Aron Holt"),
    )
    specs = (
        (1, WIRE, "Norvania and Estmark sign fisheries treaty", "Coastwire", "2025-03-04", ()),
        (2, LIGHT_EDIT, "Fisheries treaty signed", "Harbour Daily", "2025-03-05", ("Coastwire",)),
        (3, PARAPHRASE, "Grey Sea fishing deal agreed", "Tide Times", None, ()),
        (4, INDEPENDENT, "Estmark leader defends cod cuts", "Estmark Herald", "2025-03-05", ()),
    )
    return [
        make_article(
            i, paras, title=title, outlet=outlet, published=date,
            entities=_ENTITIES, quotes=quotes, times=times, credits=credits,
        )
        for i, paras, title, outlet, date, credits in specs
    ]  # fmt: skip


def unrelated_article(article_id: int = 9) -> AnalyzedArticle:
    """A report about an unrelated event."""
    return make_article(
        article_id,
        UNRELATED,
        title="Seven hurt in Brenholt factory fire",
        outlet="Brenholt Post",
        published="2025-03-03",
        entities=(("Brenholt", "GPE", "Brenholt"), ("Mira Stolz", "PERSON", "Mira Stolz")),
        times=(("Monday night", "2025-03-03"),),
    )


def store_articles(store: Any, articles: Sequence[AnalyzedArticle]) -> list[AnalyzedArticle]:
    """Put analysed articles into a Store (raw bytes, article, analysis); ids are the store's."""
    import hashlib
    from dataclasses import replace

    from storydesk.model import RawDocument

    out = []
    for a in articles:
        content = f"{a.id}\n{a.article.title}\n{a.text}".encode()
        sha = hashlib.sha256(content).hexdigest()
        store.put_raw(RawDocument(a.article.source, content, "text/plain", sha))
        stored = store.add_article(replace(a.article, sha256=sha))
        analysed = replace(a, article=stored)
        store.put_analysis(analysed, "test")
        out.append(analysed)
    return out
