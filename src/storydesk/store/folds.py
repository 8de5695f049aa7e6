"""A story's stored dossier state: facts, quote groups, lineage, digests and their indexes.

The fold (``storydesk.pipeline.dossiers``) reads only what one new article needs through the
lookups here (term postings, a fact's first members, LSH band postings) and writes one
``StoryDelta`` per step; the dossier is assembled from ``snapshot``. Every write happens inside
the caller's transaction.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from storydesk.model import ArticleRef, ClaimSource, Conflict, LineageEdge, OutletEvidence, Support
from storydesk.model_state import (
    ArticleDigest,
    FactMember,
    QuoteMember,
    Sighting,
    StoryDelta,
    TimeHit,
)
from storydesk.serialize import dumps, from_dict, loads
from storydesk.store.db import FOLD_TABLES, Store

_CHUNK = 400  # ids or terms per IN (...) list
_SEP = "\x1f"
_VERSION = "SELECT created_at || '/' || length(data) FROM analyses"  # what marks a re-analysis
_MEMBER = "fact, article_id, sentence, text, quoted, outlet, words, entities, speakers"


@dataclass(frozen=True)
class FoldCounts:
    """A story's state header: what it was made with and how much it holds."""

    fingerprint: str
    lead: int | None
    units: int
    facts: int
    groups: int
    quotes: int
    core: int | None = None  # articles of the exact core (None: a state from before)


@dataclass(frozen=True)
class StateSnapshot:
    """Everything a story's stored state holds, for assembling its dossier."""

    counts: FoldCounts
    articles: tuple[ArticleDigest, ...]
    facts: dict[int, str]
    members: tuple[FactMember, ...]
    quotes: tuple[QuoteMember, ...]
    edges: tuple[LineageEdge, ...]
    conflicts: tuple[Conflict, ...]
    quote_conflicts: tuple[Conflict, ...] = ()  # by quote group, as ``store.published`` keeps


def text_hash(text: str) -> str:
    """The key of a sentence in the embedding cache."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


class SentenceEmbeddings:
    """The store's sentence embeddings, by model and text hash: nothing is embedded twice."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def embeddings(self, model: str, texts: Iterable[str]) -> dict[str, npt.NDArray[np.float32]]:
        """Cached sentence embeddings of the texts that have one."""
        wanted = {text_hash(t): t for t in texts}
        found: dict[str, npt.NDArray[np.float32]] = {}
        for chunk in _chunks(sorted(wanted)):
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                "SELECT hash, vector FROM sentence_embeddings"
                f" WHERE model = ? AND hash IN ({marks})",
                (model, *chunk),
            )
            for h, blob in rows:
                found[wanted[h]] = np.frombuffer(blob, dtype="<f4").astype(np.float32)
        return found

    def put_embeddings(self, model: str, vectors: dict[str, npt.NDArray[np.float32]]) -> None:
        """Keep sentence embeddings (the first one kept for a text stays)."""
        self.conn.executemany(
            "INSERT OR IGNORE INTO sentence_embeddings (model, hash, vector) VALUES (?, ?, ?)",
            [(model, text_hash(t), v.astype("<f4").tobytes()) for t, v in sorted(vectors.items())],
        )


class FoldStore:
    """The stored state of one story (reads see the caller's transaction)."""

    def __init__(self, store: Store, story_id: int) -> None:
        self.store = store
        self.conn = store.conn
        self.story = story_id

    # ------------------------------------------------------------ header

    def counts(self) -> FoldCounts | None:
        """The state header, or None when the story has no stored state."""
        row = self.conn.execute(
            "SELECT fingerprint, lead, units, facts, groups, quotes, core FROM fold_state"
            " WHERE story_id = ?",
            (self.story,),
        ).fetchone()
        if row is None:
            return None
        core = None if row[6] is None else int(row[6])
        return FoldCounts(row[0], row[1], int(row[2]), int(row[3]), int(row[4]), int(row[5]), core)

    def folded(self) -> list[int]:
        """The article ids folded in, in join order."""
        rows = self.conn.execute(
            "SELECT article_id FROM fold_articles WHERE story_id = ? ORDER BY seq", (self.story,)
        )
        return [int(r[0]) for r in rows]

    def reanalysed(self) -> bool:
        """Whether an article folded in has been analysed again since."""
        row = self.conn.execute(
            "SELECT 1 FROM fold_articles f JOIN analyses n ON n.article_id = f.article_id"
            " WHERE f.story_id = ? AND f.analyzed IS NOT (n.created_at || '/' || length(n.data))"
            " LIMIT 1",
            (self.story,),
        ).fetchone()
        return row is not None

    def edges(self) -> tuple[LineageEdge, ...]:
        """The story's lineage edges, in the order found."""
        rows = self.conn.execute(
            "SELECT data FROM fold_edges WHERE story_id = ? ORDER BY seq", (self.story,)
        )
        return tuple(loads(LineageEdge, r[0]) for r in rows)

    # ------------------------------------------------------------ lookups

    def doc_freq(self, terms: Iterable[str]) -> dict[str, int]:
        """How many of the story's stored sentences hold each term (absent terms: 0)."""
        found: dict[str, int] = {}
        for chunk in _chunks(sorted(set(terms))):
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT term, df FROM fold_df WHERE story_id = ? AND term IN ({marks})",
                (self.story, *chunk),
            )
            found.update((t, int(df)) for t, df in rows)
        return found

    def fact_postings(self, term: str, limit: int) -> list[int]:
        """The first facts (by number) holding a term."""
        rows = self.conn.execute(
            "SELECT fact FROM fold_terms WHERE story_id = ? AND term = ? ORDER BY fact LIMIT ?",
            (self.story, term, limit),
        )
        return [int(r[0]) for r in rows]

    def fact_members(self, fact: int, limit: int) -> list[FactMember]:
        """A fact's first members in join order."""
        rows = self.conn.execute(
            f"SELECT {_MEMBER} FROM fold_members WHERE story_id = ? AND fact = ?"
            " ORDER BY article_id, sentence LIMIT ?",
            (self.story, fact, limit),
        )
        return [_member(r) for r in rows]

    def quote_postings(self, term: str, limit: int) -> list[int]:
        """The first quote groups (by number) whose words hold a term."""
        rows = self.conn.execute(
            "SELECT grp FROM fold_quote_terms WHERE story_id = ? AND term = ? ORDER BY grp LIMIT ?",
            (self.story, term, limit),
        )
        return [int(r[0]) for r in rows]

    def quote_bag(self, group: int, terms: Iterable[str]) -> tuple[frozenset[str], int]:
        """Which of the terms a quote group's words hold, and how many words it holds."""
        wanted = sorted(set(terms))
        marks = ",".join("?" * len(wanted))
        rows = self.conn.execute(
            "SELECT term FROM fold_quote_terms"
            f" WHERE story_id = ? AND grp = ? AND term IN ({marks})",
            (self.story, group, *wanted),
        )
        size = self.conn.execute(
            "SELECT count(*) FROM fold_quote_terms WHERE story_id = ? AND grp = ?",
            (self.story, group),
        ).fetchone()[0]
        return frozenset(r[0] for r in rows), int(size)

    def quote_members(self, group: int, limit: int) -> list[QuoteMember]:
        """A quote group's first occurrences in folding order."""
        rows = self.conn.execute(
            "SELECT data FROM fold_quotes WHERE story_id = ? AND grp = ? ORDER BY seq LIMIT ?",
            (self.story, group, limit),
        )
        return [quote_of(r[0]) for r in rows]

    def quote_df(self, terms: Iterable[str]) -> dict[str, int]:
        """How many quote groups hold each word."""
        found: dict[str, int] = {}
        for term in sorted(set(terms)):
            row = self.conn.execute(
                "SELECT count(*) FROM (SELECT 1 FROM fold_quote_terms WHERE story_id = ?"
                " AND term = ? LIMIT 1000)",
                (self.story, term),
            ).fetchone()
            found[term] = int(row[0])
        return found

    def band_candidates(self, bands: Sequence[str], per_band: int) -> Counter[int]:
        """Articles sharing LSH band keys with a new one, with the number of keys shared."""
        shared: Counter[int] = Counter()
        for band in bands:
            rows = self.conn.execute(
                "SELECT article_id FROM fold_bands WHERE story_id = ? AND band = ?"
                " ORDER BY article_id LIMIT ?",
                (self.story, band, per_band),
            )
            shared.update(int(r[0]) for r in rows)
        return shared

    def relaying(self, agency: str, own: bool) -> list[int]:
        """Articles that relay an agency (``own``: that are its own reports), in join order."""
        rows = self.conn.execute(
            "SELECT article_id FROM fold_articles WHERE story_id = ? AND relay = ?"
            " AND relay_own = ? ORDER BY seq",
            (self.story, agency, int(own)),
        )
        return [int(r[0]) for r in rows]

    def embeddings(self, model: str, texts: Iterable[str]) -> dict[str, npt.NDArray[np.float32]]:
        """Cached sentence embeddings of the texts that have one."""
        return SentenceEmbeddings(self.conn).embeddings(model, texts)

    def put_embeddings(self, model: str, vectors: dict[str, npt.NDArray[np.float32]]) -> None:
        """Keep sentence embeddings (the first one kept for a text stays)."""
        SentenceEmbeddings(self.conn).put_embeddings(model, vectors)

    # ------------------------------------------------------------ writes

    def reset(self, fingerprint: str, core: int | None = None) -> None:
        """Drop the story's stored state and start an empty one (its core of ``core``
        articles)."""
        for table in FOLD_TABLES:
            self.conn.execute(f"DELETE FROM {table} WHERE story_id = ?", (self.story,))
        self.conn.execute(
            "INSERT INTO fold_state (story_id, fingerprint, core) VALUES (?, ?, ?)",
            (self.story, fingerprint, core),
        )

    def drop(self) -> None:
        """Forget the story's stored state (the story is gone)."""
        for table in FOLD_TABLES:
            self.conn.execute(f"DELETE FROM {table} WHERE story_id = ?", (self.story,))

    def apply(self, delta: StoryDelta) -> None:
        """Add one step's rows to the story's state."""
        sid = self.story
        counts = self.counts()
        assert counts is not None, "reset() first"
        seq = self.conn.execute(
            "SELECT coalesce(max(seq) + 1, 0) FROM fold_articles WHERE story_id = ?", (sid,)
        ).fetchone()[0]
        self.conn.executemany(
            "INSERT INTO fold_articles (story_id, seq, article_id, relay, relay_own, digest,"
            f" analyzed) VALUES (?, ?, ?, ?, ?, ?, ({_VERSION} WHERE article_id = ?))",
            [
                (sid, seq + k, a.id, a.digest.relay, int(a.digest.relay_own), dumps(a.digest), a.id)
                for k, a in enumerate(delta.articles)
            ],
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO fold_bands (story_id, band, article_id) VALUES (?, ?, ?)",
            [(sid, b, a.id) for a in delta.articles for b in a.bands],
        )
        self.conn.executemany(
            "INSERT INTO fold_facts (story_id, fact, text) VALUES (?, ?, ?)",
            [(sid, number, text) for number, text in delta.facts],
        )
        self.conn.executemany(
            "INSERT INTO fold_members (story_id, fact, article_id, sentence, text, quoted, outlet,"
            " words, entities, speakers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    sid,
                    m.fact,
                    m.article,
                    m.sentence,
                    m.text,
                    int(m.quoted),
                    m.outlet,
                    " ".join(m.words),
                    _SEP.join(m.entities),
                    _SEP.join(m.speakers),
                )
                for m in delta.members
            ],
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO fold_terms (story_id, term, fact) VALUES (?, ?, ?)",
            sorted({(sid, w, m.fact) for m in delta.members for w in m.words}),
        )
        df = Counter(w for m in delta.members for w in set(m.words))
        self.conn.executemany(
            "INSERT INTO fold_df (story_id, term, df) VALUES (?, ?, ?)"
            " ON CONFLICT (story_id, term) DO UPDATE SET df = df + excluded.df",
            [(sid, w, n) for w, n in sorted(df.items())],
        )
        qseq = counts.quotes
        self.conn.executemany(
            "INSERT INTO fold_quotes (story_id, grp, seq, data) VALUES (?, ?, ?, ?)",
            [(sid, q.group, qseq + k, dumps(q)) for k, q in enumerate(delta.quotes)],
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO fold_quote_terms (story_id, term, grp) VALUES (?, ?, ?)",
            sorted({(sid, w, q.group) for q in delta.quotes for w in q.words}),
        )
        eseq = self.conn.execute(
            "SELECT coalesce(max(seq) + 1, 0) FROM fold_edges WHERE story_id = ?", (sid,)
        ).fetchone()[0]
        self.conn.executemany(
            "INSERT INTO fold_edges (story_id, seq, data) VALUES (?, ?, ?)",
            [(sid, eseq + k, dumps(e)) for k, e in enumerate(delta.edges)],
        )
        cseq = self.conn.execute(
            "SELECT coalesce(max(seq) + 1, 0) FROM fold_conflicts WHERE story_id = ?", (sid,)
        ).fetchone()[0]
        self.conn.executemany(
            "INSERT INTO fold_conflicts (story_id, seq, data) VALUES (?, ?, ?)",
            [(sid, cseq + k, dumps(c)) for k, c in enumerate(delta.conflicts)],
        )
        facts = max((n + 1 for n, _ in delta.facts), default=counts.facts)
        groups = max((q.group + 1 for q in delta.quotes), default=counts.groups)
        self.conn.execute(
            "UPDATE fold_state SET lead = coalesce(?, lead), units = units + ?, facts = ?,"
            " groups = ?, quotes = quotes + ? WHERE story_id = ?",
            (
                delta.lead,
                len(delta.members),
                max(facts, counts.facts),
                max(groups, counts.groups),
                len(delta.quotes),
                sid,
            ),
        )

    # ------------------------------------------------------------ the whole state

    def snapshot(self) -> StateSnapshot | None:
        """Everything stored for the story, in stored order (None when nothing is)."""
        counts = self.counts()
        if counts is None:
            return None
        sid = (self.story,)
        q = self.conn.execute
        return StateSnapshot(
            counts=counts,
            articles=tuple(
                digest_of(r[0])
                for r in q("SELECT digest FROM fold_articles WHERE story_id = ? ORDER BY seq", sid)
            ),
            facts={
                int(n): t for n, t in q("SELECT fact, text FROM fold_facts WHERE story_id = ?", sid)
            },
            members=tuple(
                FactMember(int(f), int(a), int(s), t, (), quoted=bool(qd), outlet=o)
                for f, a, s, t, qd, o in q(
                    "SELECT fact, article_id, sentence, text, quoted, outlet FROM fold_members"
                    " WHERE story_id = ? ORDER BY fact, article_id, sentence",
                    sid,
                )
            ),
            quotes=tuple(
                quote_of(r[0])
                for r in q("SELECT data FROM fold_quotes WHERE story_id = ? ORDER BY seq", sid)
            ),
            edges=self.edges(),
            conflicts=tuple(
                loads(Conflict, r[0])
                for r in q("SELECT data FROM fold_conflicts WHERE story_id = ? ORDER BY seq", sid)
            ),
            quote_conflicts=tuple(
                loads(Conflict, r[0])
                for r in q(
                    "SELECT data FROM fold_quote_conflicts WHERE story_id = ? ORDER BY grp, seq",
                    sid,
                )
            ),
        )


_QUOTE_KEYS = frozenset(f.name for f in dataclasses.fields(QuoteMember))
_DIGEST_KEYS = frozenset(f.name for f in dataclasses.fields(ArticleDigest))
_REF_KEYS = frozenset(f.name for f in dataclasses.fields(ArticleRef))


def _evidence(data: object) -> OutletEvidence | None:
    """A stored article reference's outlet evidence (None when it has none)."""
    return None if data is None else from_dict(OutletEvidence, data)


def digest_of(text: str) -> ArticleDigest:
    """A stored digest, read without ``serialize``'s generic path (a big story has thousands;
    equal to ``loads(ArticleDigest, text)``, which any other shape falls back to)."""
    data = json.loads(text)
    ref = data.get("ref", {})
    if data.keys() != _DIGEST_KEYS or ref.keys() != _REF_KEYS:
        return loads(ArticleDigest, text)
    return ArticleDigest(
        ref=ArticleRef(
            id=ref["id"],
            source=ref["source"],
            outlet=ref["outlet"],
            title=ref["title"],
            byline=ref["byline"],
            published=ref["published"],
            url=ref["url"],
            derived_from=tuple(ref["derived_from"]),
            cites=tuple(ref["cites"]),
            outlet_evidence=_evidence(ref["outlet_evidence"]),
        ),
        relay=data["relay"],
        relay_own=data["relay_own"],
        relay_keys=tuple(data["relay_keys"]),
        times=tuple(
            TimeHit(
                t["value"],
                t["label"],
                Support(**t["support"]),
                t.get("predicate", ""),
                t.get("title", ""),
                tuple(t.get("actors", ())),
            )
            for t in data["times"]
        ),
        sightings=tuple(
            Sighting(
                s["article"],
                s["name"],
                s["label"],
                s["alias"],
                tuple(s["roles"]),
                s.get("acts", True),
            )
            for s in data["sightings"]
        ),
        attributions=tuple((int(i), ClaimSource(**c)) for i, c in data["attributions"]),
    )


def quote_of(text: str) -> QuoteMember:
    """A stored quote occurrence: ``loads(QuoteMember, text)`` without the generic path."""
    data = json.loads(text)
    if data.keys() != _QUOTE_KEYS:
        return loads(QuoteMember, text)
    return QuoteMember(
        group=data["group"],
        article=data["article"],
        sentence=data["sentence"],
        text=data["text"],
        speaker=data["speaker"],
        unnamed=data["unnamed"],
        context=data["context"],
        outlet=data["outlet"],
        words=tuple(data["words"]),
    )


def _member(row: Sequence[object]) -> FactMember:
    """A fact member from its row (columns as ``_MEMBER`` lists them)."""
    fact, article, sentence, text, quoted, outlet, words, entities, speakers = row
    return FactMember(
        fact=int(str(fact)),
        article=int(str(article)),
        sentence=int(str(sentence)),
        text=str(text),
        words=tuple(str(words).split()),
        entities=tuple(str(entities).split(_SEP)) if entities else (),
        speakers=tuple(str(speakers).split(_SEP)) if speakers else (),
        quoted=bool(quoted),
        outlet=None if outlet is None else str(outlet),
    )


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]
