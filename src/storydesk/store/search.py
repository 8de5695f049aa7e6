"""Full-text search over articles, facts and quotes (FTS5, bm25), and article listings."""

from __future__ import annotations

import html
import sqlite3
from dataclasses import dataclass
from typing import Any

from storydesk.errors import InputError
from storydesk.model import Article, LineageEdge
from storydesk.serialize import loads
from storydesk.store.db import Store

OPEN, CLOSE = "\x02", "\x03"  # snippet() marks, replaced by <mark> once the text is escaped
SNIPPET_TOKENS = 16
KINDS = ("article", "fact", "quote")
# a fact or quote is dated by its story's latest article (a big story's rows are written only
# when a fold touches them, so the date is read from its listing row)
_STORY_DATE = (
    "coalesce((SELECT i.last_published FROM story_index i WHERE i.story_id = c.story), c.published)"
)
# FTS5 reports a malformed query as an OperationalError with one of these in its message
_QUERY_ERRORS = ("fts5", "syntax error", "no such column", "unterminated", "unknown special query")


class SearchQueryError(InputError):
    """A full-text query SQLite cannot parse; the message says what is wrong."""


@dataclass(frozen=True)
class Window:
    """Which rows of a list: filters shared by searches and listings, and the page."""

    story: int | None = None
    outlet: str | None = None
    since: str | None = None  # ISO date, inclusive
    until: str | None = None  # ISO date, inclusive
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True)
class SearchHit:
    """One ranked hit: an article, or a fact or quote of a story's dossier."""

    kind: str
    story: int | None
    article: int | None
    ref: int  # article id; a fact's number (``Fact.number``); a quote's key in its story
    title: str  # article title; a quote's speaker
    snippet: str  # HTML-escaped text with the matched terms in <mark>...</mark>
    rank: float  # bm25: lower is better
    outlets: tuple[str, ...]
    published: str | None
    status: str | None = None  # a fact's status


@dataclass(frozen=True)
class ArticleRow:
    """An article as listed: where it came from and which story it is in."""

    id: int
    url: str | None
    source: str
    outlet: str | None
    published: str | None
    story: int | None
    title: str


@dataclass(frozen=True)
class ArticleDetail:
    """One article with its text, sentences, lineage edges and story."""

    row: ArticleRow
    article: Article
    sentences: tuple[tuple[int, int, str], ...]
    lineage: tuple[LineageEdge, ...]


@dataclass(frozen=True)
class OutletRow:
    """An outlet with how many articles and stories it has, and its date span."""

    name: str
    articles: int
    stories: int
    first_published: str | None
    last_published: str | None


def search(
    store: Store, query: str, window: Window, kinds: tuple[str, ...] = KINDS
) -> list[SearchHit]:
    """Hits for an FTS5 query, best first; SearchQueryError for a malformed query."""
    parts: list[str] = []
    args: list[Any] = []
    if "article" in kinds:
        sql, found = _article_hits(query, window)
        parts.append(sql)
        args += found
    claims = tuple(k for k in kinds if k in ("fact", "quote"))
    if claims:
        sql, found = _claim_hits(query, window, claims)
        parts.append(sql)
        args += found
    if not parts:
        return []
    sql = " UNION ALL ".join(f"SELECT * FROM ({p})" for p in parts)
    sql += " ORDER BY 7, 1, 4 LIMIT ? OFFSET ?"
    try:
        with store.snapshot():
            rows = store.conn.execute(sql, [*args, window.limit, window.offset]).fetchall()
            snippets = _snippets(store, query, rows)
    except sqlite3.OperationalError as exc:
        raise _query_error(query, exc) from None
    return [_hit(r, snippets.get((r[0], r[10]), "")) for r in rows]


def _snippets(store: Store, query: str, rows: list[tuple[Any, ...]]) -> dict[tuple[str, int], str]:
    """The snippets of one page of hits (made for the page only, not for every match)."""
    found: dict[tuple[str, int], str] = {}
    for table, kinds in (("articles_search", ("article",)), ("claims_search", ("fact", "quote"))):
        ids = [int(r[10]) for r in rows if r[0] in kinds]
        if not ids:
            continue
        column = -1 if table == "articles_search" else 1
        marks = ",".join("?" * len(ids))
        got = store.conn.execute(
            f"SELECT rowid, snippet({table}, {column}, '{OPEN}', '{CLOSE}', '…', {SNIPPET_TOKENS})"
            f" FROM {table} WHERE {table} MATCH ? AND rowid IN ({marks})",
            [query, *ids],
        )
        for rowid, text in got:
            for kind in kinds:
                found[(kind, int(rowid))] = text or ""
    return found


def check_query(store: Store, query: str) -> None:
    """SearchQueryError unless SQLite can parse the full-text query."""
    try:
        store.conn.execute(
            "SELECT rowid FROM articles_search WHERE articles_search MATCH ? LIMIT 1", (query,)
        ).fetchall()
    except sqlite3.OperationalError as exc:
        raise _query_error(query, exc) from None


def matching_articles(store: Store, query: str, article_ids: list[int]) -> set[int]:
    """Those of the given articles that match a full-text query."""
    if not article_ids:
        return set()
    marks = ",".join("?" * len(article_ids))
    rows = store.conn.execute(
        f"SELECT rowid FROM articles_search WHERE articles_search MATCH ? AND rowid IN ({marks})",
        [query, *article_ids],
    )
    return {int(r[0]) for r in rows}


def _query_error(query: str, exc: sqlite3.OperationalError) -> Exception:
    text = str(exc)
    if any(marker in text for marker in _QUERY_ERRORS):
        return SearchQueryError(f"malformed search query {query!r}: {text}")
    return exc


def _article_filters(w: Window) -> tuple[list[str], list[Any]]:
    """SQL conditions (over ``a`` articles and ``m`` memberships) and arguments of a window."""
    where, args = _dates("a.published", w)
    if w.story is not None:
        where.append("m.story_id = ?")
        args.append(w.story)
    if w.outlet is not None:
        where.append("a.outlet = ?")
        args.append(w.outlet)
    return where, args


def _article_hits(query: str, w: Window) -> tuple[str, list[Any]]:
    where, args = _article_filters(w)
    sql = (
        "SELECT 'article', m.story_id, a.id, a.id, a.title, NULL,"
        " bm25(articles_search, 2.0, 1.0), json_array(a.outlet), a.published, NULL, s.rowid"
        " FROM articles_search s JOIN articles a ON a.id = s.rowid"
        " LEFT JOIN memberships m ON m.article_id = a.id WHERE articles_search MATCH ?"
    )
    return sql + "".join(f" AND {c}" for c in where), [query, *args]


def _claim_hits(query: str, w: Window, kinds: tuple[str, ...]) -> tuple[str, list[Any]]:
    where, args = _dates(_STORY_DATE, w)
    where.append(f"c.kind IN ({','.join('?' * len(kinds))})")
    args += list(kinds)
    if w.story is not None:
        where.append("c.story = ?")
        args.append(w.story)
    if w.outlet is not None:
        where.append("EXISTS (SELECT 1 FROM json_each(c.outlets) WHERE value = ?)")
        args.append(w.outlet)
    sql = (
        "SELECT c.kind, CAST(c.story AS INTEGER), NULL, CAST(c.ref AS INTEGER), c.title, NULL,"
        f" bm25(claims_search), c.outlets, {_STORY_DATE}, c.status, c.rowid"
        " FROM claims_search c WHERE claims_search MATCH ?"
    )
    return sql + "".join(f" AND {c}" for c in where), [query, *args]


def _dates(column: str, w: Window) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    args: list[Any] = []
    if w.since is not None:
        where.append(f"substr({column}, 1, 10) >= ?")
        args.append(w.since)
    if w.until is not None:
        where.append(f"substr({column}, 1, 10) <= ?")
        args.append(w.until)
    return where, args


def _hit(r: tuple[Any, ...], snippet: str) -> SearchHit:
    import json

    outlets = tuple(o for o in json.loads(r[7] or "[]") if o) if r[7] else ()
    return SearchHit(
        kind=r[0],
        story=None if r[1] is None else int(r[1]),
        article=None if r[2] is None else int(r[2]),
        ref=int(r[3]),
        title=r[4] or "",
        snippet=marked(snippet),
        rank=float(r[6]),
        outlets=outlets,
        published=r[8],
        status=r[9],
    )


def marked(snippet: str) -> str:
    """A snippet with its text HTML-escaped and the matched terms in <mark>...</mark>."""
    return html.escape(snippet).replace(OPEN, "<mark>").replace(CLOSE, "</mark>")


# ---------------------------------------------------------------- articles and outlets


def articles(store: Store, window: Window, after: int = 0) -> list[ArticleRow]:
    """Articles in id order after ``after``, filtered by story, outlet and date."""
    where, args = _article_filters(window)
    sql = (
        "SELECT a.id, a.url, a.source, a.outlet, a.published, m.story_id, a.title FROM articles a"
        " LEFT JOIN memberships m ON m.article_id = a.id WHERE a.id > ?"
        + "".join(f" AND {c}" for c in where)
        + " ORDER BY a.id LIMIT ?"
    )
    rows = store.conn.execute(sql, [after, *args, window.limit])
    return [ArticleRow(*r) for r in rows]


def article_detail(store: Store, article_id: int) -> ArticleDetail | None:
    """One article with its sentences (when analysed), lineage edges and story."""
    with store.snapshot():
        row = store.conn.execute(
            "SELECT a.id, a.url, a.source, a.outlet, a.published, m.story_id, a.title, a.data"
            " FROM articles a LEFT JOIN memberships m ON m.article_id = a.id WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            return None
        analyses = store.analyses([article_id])
        edges = store.conn.execute(
            "SELECT derived, source, kind, score, directed, evidence FROM lineage_edges"
            " WHERE derived = ? OR source = ? ORDER BY derived, source",
            (article_id, article_id),
        ).fetchall()
    article = loads(Article, row[7])
    sentences = tuple((s.start, s.end, s.text) for s in analyses[0].sentences) if analyses else ()
    lineage = tuple(LineageEdge(d, s, k, sc, bool(di), ev) for d, s, k, sc, di, ev in edges)
    return ArticleDetail(ArticleRow(*row[:7]), article, sentences, lineage)


def outlets(store: Store) -> list[OutletRow]:
    """Every outlet named by an article, most articles first."""
    rows = store.conn.execute(
        "SELECT a.outlet, count(*), count(DISTINCT m.story_id), min(a.published),"
        " max(a.published) FROM articles a LEFT JOIN memberships m ON m.article_id = a.id"
        " WHERE a.outlet IS NOT NULL AND a.outlet != '' GROUP BY a.outlet"
        " ORDER BY count(*) DESC, a.outlet"
    )
    return [OutletRow(*r) for r in rows]
