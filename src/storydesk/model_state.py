"""The stored state of a story's dossier: what the incremental fold reads and writes."""

from __future__ import annotations

from dataclasses import dataclass

from storydesk.model import ArticleRef, ClaimSource, Conflict, LineageEdge, Support


@dataclass(frozen=True)
class FactMember:
    """One sentence of a stored fact, with what a new sentence is compared on."""

    fact: int  # the fact's number within its story
    article: int  # article id
    sentence: int  # index into that article's sentences
    text: str
    words: tuple[str, ...]  # content words (``crosscheck.align`` rules)
    entities: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    quoted: bool = False  # the sentence lies wholly inside a quotation
    outlet: str | None = None


@dataclass(frozen=True)
class QuoteMember:
    """One occurrence of a stored quote group."""

    group: int  # the group's number within its story
    article: int  # article id
    sentence: int
    text: str  # the quotation as written
    speaker: str | None = None
    unnamed: str | None = None
    context: str = ""  # the sentence it is in
    outlet: str | None = None
    words: tuple[str, ...] = ()  # the words of its comparison key (the quote index's terms)


@dataclass(frozen=True)
class Sighting:
    """One entity mention as who's who counts it."""

    article: int
    name: str
    label: str
    alias: str
    roles: tuple[str, ...] = ()
    acts: bool = True  # the mention is a subject or object, not a place or a modifier


@dataclass(frozen=True)
class TimeHit:
    """One dated time expression of an article, for the timeline."""

    value: str
    label: str
    support: Support
    predicate: str = ""  # lemma of the verb (or noun) it dates
    title: str = ""  # the clause it dates
    actors: tuple[str, ...] = ()  # keys of the named entities in that clause


@dataclass(frozen=True)
class ArticleDigest:
    """What a story's dossier needs of one article beyond its facts and quotes."""

    ref: ArticleRef  # without ``derived_from`` (that comes from the story's lineage)
    relay: str | None = None  # the agency the article relays (or is)
    relay_own: bool = False  # the article is that agency's own report
    relay_keys: tuple[str, ...] = ()  # keys of its outlet and credited names (quote relays)
    times: tuple[TimeHit, ...] = ()
    sightings: tuple[Sighting, ...] = ()
    attributions: tuple[tuple[int, ClaimSource], ...] = ()  # (sentence, source) when attributed


@dataclass(frozen=True)
class FoldedArticle:
    """One article as a story's stored state records it: its digest and LSH band keys."""

    id: int
    digest: ArticleDigest
    bands: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoryDelta:
    """Rows one step adds to a story's stored state (the exact core, or one folded article)."""

    articles: tuple[FoldedArticle, ...]
    edges: tuple[LineageEdge, ...] = ()
    facts: tuple[tuple[int, str], ...] = ()  # new facts: number and wording
    members: tuple[FactMember, ...] = ()  # new sentences of new or existing facts
    conflicts: tuple[Conflict, ...] = ()
    quotes: tuple[QuoteMember, ...] = ()
    lead: int | None = None  # set by the exact core
