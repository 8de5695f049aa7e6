"""Frozen dataclasses passed between pipeline stages.

Offsets are always Python ``str`` indices into the text they belong to
(for analysis: ``AnalyzedArticle.text``, the cleaned body).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

ENGLISH = "en"  # the one language analysed so far; an article in another is stored, not analysed


class Step(StrEnum):
    """The pipeline step at which an input was rejected."""

    READ = "read"
    DECODE = "decode"
    PARSE = "parse"
    FETCH = "fetch"
    CLEAN = "clean"
    ANALYZE = "analyze"


class QuoteKind(StrEnum):
    DIRECT = "direct"  # a whole quotation
    FRAGMENT = "fragment"  # a few quoted words inside the writer's sentence


class TimeType(StrEnum):
    """TimeML types of a time expression."""

    DATE = "DATE"
    TIME = "TIME"
    DURATION = "DURATION"
    SET = "SET"


class AttributionKind(StrEnum):
    REPORTED = "reported"  # a verb of saying or reporting
    ACCORDING_TO = "according-to"


class EdgeKind(StrEnum):
    """How one article derives from another."""

    DUPLICATE = "duplicate"
    NEAR_DUPLICATE = "near-duplicate"
    REWRITE = "rewrite"
    RELAY = "relay"


class FactStatus(StrEnum):
    CORROBORATED = "corroborated"  # enough independent sources
    SINGLE_SOURCE = "single-source"
    CONFLICTING = "conflicting"  # outlets disagree on it


class ConflictKind(StrEnum):
    """What two outlets disagree on; each kind has one finder in ``crosscheck.conflicts``."""

    NUMBER = "number"
    DATE = "date"
    MEMBERS = "members"
    MODALITY = "modality"
    QUOTE = "quote"
    SPEAKER = "speaker"
    EARLIER_REPORT = "earlier-report"  # a preview the story moved on from: not a contradiction


HeadlineLine = Literal["title", "subtitle"]

# ---------------------------------------------------------------- ingest


class MediaType(StrEnum):
    """What a raw document's bytes are; the formats of ``ingest.formats`` read into these."""

    TEXT = "text/plain"
    HTML = "text/html"
    RECORD = "application/x-storydesk-record"  # one JSON Lines record
    FEED = "application/x-storydesk-feed"  # an RSS, RDF or Atom feed


@dataclass(frozen=True)
class Validators:
    """What the fetcher last got for a URL: its validators and body hash."""

    etag: str | None
    last_modified: str | None
    sha256: str | None


@dataclass(frozen=True)
class FetchFailure:
    """A URL's failed fetches in a row: how many, the last reason, and when to ask again."""

    url: str
    failures: int
    reason: str
    retry_at: float | None  # Unix time of the next attempt; None: never again (410 Gone)


@dataclass(frozen=True)
class RobotsFile:
    """A host's robots.txt as last fetched: 200 with its text, or 4xx (no rules: allow all)."""

    origin: str
    status: int
    text: str
    expires_at: float  # Unix time after which it is fetched again


@dataclass(frozen=True)
class RawDocument:
    """Bytes read from one input, before any parsing."""

    source: str  # path or URL it was read from ("file.jsonl#line=3" for a JSONL record)
    content: bytes
    media_type: str  # a MediaType value (stored documents read back as plain strings)
    sha256: str
    hints: tuple[tuple[str, str], ...] = ()  # metadata the input itself states (title, url, ...)

    def hint(self, key: str) -> str | None:
        """Value of one metadata hint, or None."""
        for k, v in self.hints:
            if k == key:
                return v
        return None


@dataclass(frozen=True)
class Rejection:
    """An input that could not be processed, with the step and reason."""

    source: str
    step: Step
    reason: str


# ---------------------------------------------------------------- clean


@dataclass(frozen=True)
class RemovedLine:
    """A line dropped by cleaning, and why."""

    text: str
    reason: str


class OutletSource(StrEnum):
    """The kind of evidence an article's outlet was read from, strongest first."""

    DECLARED = "declared"  # a record field or an input hint
    SITE = "site"  # page metadata: og:site_name, a JSON-LD publisher
    URL = "url"  # the host of the page's own address
    BYLINE = "byline"  # "By Jane Roe, Reuters", "Jane Roe | The Outlet"
    DATELINE = "dateline"  # "WASHINGTON (AP) -"
    FOOTER = "footer"  # an agency footer or a copyright line
    LINK = "link"  # the host of a link to the outlet's own pages ("Read more: ...")
    OPTIONS = "options"  # --outlet
    SELF_REFERENCE = "self-reference"  # "told X", "confirmed to X": inferred


@dataclass(frozen=True)
class OutletEvidence:
    """Why an article's outlet is what it is: the kind of evidence and the text it rests on."""

    source: OutletSource
    text: str  # the value, line or sentence the outlet was read from
    inferred: bool = False  # a self-reference, not a statement of the outlet
    host: str | None = None  # the host of the article's own address (or of its own links)
    name_from: str | None = None  # how a host got its display name, when it did


@dataclass(frozen=True)
class Article:
    """A cleaned article: metadata plus body paragraphs."""

    source: str
    sha256: str  # of the raw document it came from
    title: str
    paragraphs: tuple[str, ...]
    subtitle: str | None = None
    byline: str | None = None
    authors: tuple[str, ...] = ()
    dateline: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO date "YYYY-MM-DD" (or datetime) when known
    url: str | None = None
    language: str = ENGLISH  # ISO 639-1, detected in cleaning
    removed: tuple[RemovedLine, ...] = ()
    id: int = 0  # assigned by the store
    fetched: str | None = None  # when the page was fetched (HTTP or a WARC record's date)
    outlet_evidence: OutletEvidence | None = None  # where ``outlet`` was found

    @property
    def text(self) -> str:
        """The cleaned body: paragraphs joined by blank lines."""
        return "\n\n".join(self.paragraphs)


# ---------------------------------------------------------------- analyze


@dataclass(frozen=True)
class Span:
    """A character span with its text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int = 0


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    text: str
    label: str  # spaCy label: PERSON, ORG, GPE, NORP, ...
    canonical: str  # canonical name within the article
    roles: tuple[str, ...] = ()  # what a title or apposition calls a person here ("rabbi")
    dep: str = ""  # the mention's syntactic role ("nsubj", "pobj", "compound"; "" unknown)


@dataclass(frozen=True)
class Speaker:
    """The mention in the attributing clause and what it resolves to."""

    name: str | None
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Quote:
    start: int  # span of the quoted content, quotation marks included
    end: int
    text: str
    speaker: Speaker | None = None
    cue: Span | None = None
    kind: QuoteKind = QuoteKind.DIRECT
    continues: bool = False  # a later piece of the quote before it (split by "he said", or
    # a paragraph left open that the next one carries on)


@dataclass(frozen=True)
class HeadlineQuote:
    """A quote in the title or subtitle: its offsets index that line, not the body text."""

    line: HeadlineLine
    quote: Quote
    speaker_line: HeadlineLine | None = None  # the speaker and cue's line, when not ``line``


@dataclass(frozen=True)
class TimeExpression:
    start: int
    end: int
    text: str
    type: TimeType
    value: str | None  # TimeML value ("2025-11-06", "2025-11", "P1M", "PRESENT_REF") or None
    predicate: str = ""  # lemma of the verb (or noun) the expression dates ("meet")
    event_start: int = -1  # the clause it dates, subject to complement ("Rubio met with Tokayev")
    event_end: int = -1


@dataclass(frozen=True)
class Credit:
    """An outlet or agency the article credits ("according to Reuters")."""

    name: str
    start: int
    end: int
    cue: str  # the phrase that marks the credit


@dataclass(frozen=True)
class Attribution:
    """A claim credited to a source: "X said that ...", "according to X, ...", "X reported ..."."""

    source: Speaker | None  # the mention naming the source and what it resolves to
    cue: Span  # "said", "told reporters", "according to", "first reported"
    content: Span  # what is attributed (the reported clause), not a direct quote
    kind: AttributionKind = AttributionKind.REPORTED


@dataclass(frozen=True)
class Quantity:
    """A number with its unit and what it counts ("more than 25 percent of oil purchases")."""

    start: int
    end: int
    text: str
    value: float | None  # 25.0, 4.0, 1500000.0; None when it cannot be read
    unit: str | None = None  # "percent", "USD", "km", ... (None for a bare count)
    counts: str | None = None  # what is counted or measured ("nations", "Israel's oil purchases")
    approx: str | None = None  # "more than", "about", "at least", ... as written


@dataclass(frozen=True)
class AnalyzedArticle:
    """An article with everything the per-article analysis found."""

    article: Article
    sentences: tuple[Sentence, ...]
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    times: tuple[TimeExpression, ...] = ()
    credits: tuple[Credit, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    numbers: tuple[Quantity, ...] = ()
    headline_quotes: tuple[HeadlineQuote, ...] = ()  # quotes in the title and subtitle

    @property
    def id(self) -> int:
        return self.article.id

    @property
    def text(self) -> str:
        return self.article.text


# ---------------------------------------------------------------- lineage


@dataclass(frozen=True)
class LineageEdge:
    """``derived`` is (probably) derived from ``source``; undirected when ``directed`` is False."""

    derived: int
    source: int
    kind: EdgeKind
    score: float
    directed: bool = True
    evidence: str = ""


@dataclass(frozen=True)
class Lineage:
    edges: tuple[LineageEdge, ...]
    groups: tuple[frozenset[int], ...]  # independent-source groups of article ids
    relays: tuple[tuple[int, str], ...] = ()  # (article, agency) for articles relaying one

    def group_of(self, article_id: int) -> int:
        """Index of the independence group holding an article."""
        for i, g in enumerate(self.groups):
            if article_id in g:
                return i
        raise KeyError(article_id)


# ---------------------------------------------------------------- cluster


@dataclass(frozen=True)
class Assignment:
    """Why an article joined (or opened) a story."""

    article: int
    story: int | None  # None: opens a new story
    score: float
    shared_entities: tuple[str, ...] = ()
    shared_terms: tuple[str, ...] = ()
    candidates: int = 0  # candidate stories the index offered and that were scored
    reason: str = ""  # one line: joined, opened, merged or placed by a user correction


ENTITY_KEY = "@"  # an entity's index key is this prefix and its key, apart from word keys


@dataclass(frozen=True)
class ArticleProfile:
    """What clustering compares for one article: its words, entities, date and details."""

    id: int
    title: str
    terms: tuple[str, ...]  # content words, title words counted twice
    entities: frozenset[str]
    day: int | None
    details: frozenset[str] = frozenset()  # title and lead numbers, "@" + main actor
    gist: bytes = b""  # embedding of headline and lead (storydesk.cluster.gist); empty when off

    def index_keys(self) -> set[str]:
        """The keys the story index files the article under: its distinct terms and entities."""
        return set(self.terms) | {ENTITY_KEY + e for e in self.entities}


@dataclass(frozen=True)
class TopicLink:
    """A story linked to the topic of its most similar story, and why."""

    story: int
    nearest: int
    score: float
    words: float  # story similarity on words, entities and dates
    gist: float | None = None  # gist cosine, when both stories had gists (then blended)
    explanation: str = field(default="", compare=False)  # the scorer's words (not stored)

    def reason(self) -> str:
        """The link in words, as ``storydesk stories --explain`` prints it."""
        return self.explanation or f"similar to story {self.nearest}: {self.score:.2f}"


# ---------------------------------------------------------------- crosscheck / dossier


@dataclass(frozen=True)
class Support:
    article: int
    sentence: int  # index into that article's sentences
    text: str


@dataclass(frozen=True)
class ClaimSource:
    """Who a sentence attributes its claim to, and the medium that reported it."""

    source: str  # as the sentence names it ("a senior U.S. administration official")
    via: str | None = None  # the outlet its cue names ("told The Epoch Times"), when it does
    name: str | None = None  # what the source resolves to, when that says more ("He": "X Y")

    def who(self) -> str:
        """The source as shown: its name where the words refer to it ("Fenn": "Arvid Fenn",
        "The president": "Donald Trump"), else the words ("a spokesperson for X's")."""
        head = self.source.split()[-1].casefold() if self.source.split() else ""
        if self.name and (head in self.name.casefold() or self.source[:4].casefold() == "the "):
            return self.name
        return self.source

    def label(self) -> str:
        """The attribution in words: "per a senior official (The Epoch Times)"."""
        who = self.who()
        shown = self.via is not None and self.via.casefold() not in who.casefold()
        return f"per {who}" + (f" ({self.via})" if shown else "")


@dataclass(frozen=True)
class Fact:
    text: str
    support: tuple[Support, ...]
    independent_sources: int
    status: FactStatus
    outlets: tuple[str, ...] = ()
    attributions: tuple[ClaimSource | None, ...] = ()  # per support item; None: own voice
    attributed_to: ClaimSource | None = None  # when every sentence attributes it
    number: int | None = None  # stable within its story: search hits and changes name it


@dataclass(frozen=True)
class Variant:
    value: str
    support: tuple[Support, ...]


@dataclass(frozen=True)
class Conflict:
    kind: ConflictKind
    description: str
    variants: tuple[Variant, ...]
    facts: tuple[int, ...] = ()  # the story's facts it concerns (indices into its facts)

    @property
    def support(self) -> tuple[Support, ...]:
        return tuple(s for v in self.variants for s in v.support)


@dataclass(frozen=True)
class BriefSentence:
    text: str
    support: tuple[Support, ...]


@dataclass(frozen=True)
class QuoteEntry:
    speaker: str | None
    text: str
    support: tuple[Support, ...]
    outlets: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()  # other wordings of the same quote
    speakers: tuple[str, ...] = ()  # every speaker it is attributed to, when more than one
    part_of: str | None = None  # for a fragment: the full quote it comes from
    unnamed: str | None = None  # an unnamed source as the article words it ("a U.S. official")


@dataclass(frozen=True)
class TimelineEntry:
    value: str  # TimeML value, sortable for dates
    label: str  # the expression as written ("Thursday")
    text: str  # the sentence it is in
    support: tuple[Support, ...]
    background: bool = False
    title: str = ""  # the event: who did what ("Marco Rubio met with Tokayev")
    part: str = ""  # part of the day ("night") or clock time ("21:40"), when stated


@dataclass(frozen=True)
class EntityEntry:
    name: str
    label: str
    aliases: tuple[str, ...]
    articles: tuple[int, ...]
    mentions: int
    roles: tuple[str, ...] = ()  # titles the story gives a person, most frequent first


@dataclass(frozen=True)
class ArticleRef:
    id: int
    source: str
    outlet: str | None
    title: str
    byline: str | None
    published: str | None
    url: str | None
    derived_from: tuple[int, ...] = ()
    cites: tuple[str, ...] = ()
    outlet_evidence: OutletEvidence | None = None  # where the outlet was found (inferred or not)


@dataclass(frozen=True)
class Coverage:
    outlets: tuple[str, ...]
    matrix: tuple[tuple[int, tuple[str, ...]], ...]  # (fact index, outlets carrying it)
    exclusives: tuple[tuple[str, tuple[int, ...]], ...]  # outlet -> facts only it carried
    omissions: tuple[tuple[str, tuple[int, ...]], ...] = ()  # outlet -> facts all others carried
    columns: tuple[tuple[str, tuple[int, ...]], ...] = ()  # outlet (or "article N") -> articles


@dataclass(frozen=True)
class Dossier:
    story_id: int
    headline: str
    first_published: str | None
    last_published: str | None
    independent_sources: int
    articles: tuple[ArticleRef, ...]
    brief: tuple[BriefSentence, ...]
    facts: tuple[Fact, ...]
    conflicts: tuple[Conflict, ...]
    quotes: tuple[QuoteEntry, ...]
    timeline: tuple[TimelineEntry, ...]
    entities: tuple[EntityEntry, ...]
    coverage: Coverage = field(default_factory=lambda: Coverage((), (), ()))
    membership: tuple[Assignment, ...] = ()  # why each article is in the story (read at show)
