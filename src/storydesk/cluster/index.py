"""The incremental story index: candidate stories by rare keys and time window, then scoring.

A new article is compared only with the stories that share its rarest terms or entities
(and lie within a time window of it), never with every story. Stories are grouped into
topics, a looser level: whenever a story changes it is linked to the topic of its most
similar candidate story when their topic similarity reaches the scorer's bar; candidates for
this link are also looked up, each time a story doubles in size, by its heaviest common
words (``topic_keys``), which two events of one kind share while their names differ
(topics only grow by such links and by merges, so a story's topic never depends on
reading every story).
A story's profile holds its latest members (``MAX_MEMBERS``) and its core, its first members
(``options.cluster.core_members``, read through ``CoreBackend.first_members`` when the
backend has it), so that the scorer can hold every article against both: a story cannot
drift member by member into a whole topic's coverage.
Every score goes through one ``StoryScorer`` (``storydesk.cluster.scorer``). Where the stories
and their keys live is a backend: ``cluster.memory.MemoryBackend`` in memory,
``storydesk.store.profiles.StoredIndex`` for the database (it meets ``IndexBackend``
structurally), so the benchmark and the pipeline run the same code.
The articles of one run arrive in windows (``options.batch_articles``): ``plan`` first groups
a window by average linkage (``cluster.window``), and each group is then placed as one, by
average linkage against the existing stories (a second look that keeps a window's stories
from depending on its order); articles assigned without a plan are scored one by one as above.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, deque
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from storydesk.cluster.assign import choose, shared_terms
from storydesk.cluster.gist import as_vector, to_gist
from storydesk.cluster.memory import MemoryBackend
from storydesk.cluster.score import SHARED_SHOWN, StoryProfile, mentions, profile, vector
from storydesk.cluster.scorer import StoryScorer, WeightedScorer
from storydesk.cluster.window import average_linkage, pair_scores
from storydesk.model import ENTITY_KEY, AnalyzedArticle, ArticleProfile, Assignment, TopicLink
from storydesk.options import Options
from storydesk.text.features import Vector, content_words, normalized, tfidf

RARE_KEYS = 24  # rarest keys of an article looked up in the index
RARE_POOL = 2 * RARE_KEYS  # rarest terms a story keeps at hand for its own lookups
KEY_SHARE = 0.05  # keys carried by more than this share of articles are not looked up (nor
# count as a story's entities: every campaign article names both candidates) ...
KEY_FLOOR = 40  # ... unless carried by fewer articles than this;
KEY_SCAN = 40  # of each key, only its latest articles are read (keeps lookups flat as data grows)
MAX_CANDIDATES = 30  # stories scored per article
MAX_MEMBERS = 64  # latest members of a story used for its profile
TOPIC_KEYS = 20  # heaviest centroid words of a story looked up for its topic (besides its keys)
TOPIC_SCAN = 10  # of each of those words, only its latest articles are read
IDF_REFRESH = 0.1  # cached story profiles are recomputed when the index grew by this share


class IndexBackend(Protocol):
    """Where the story index keeps articles, their keys and their stories."""

    def size(self) -> int:
        """Number of articles in the index."""
        ...

    def frequencies(self, keys: Iterable[str]) -> dict[str, int]:
        """Number of indexed articles carrying each key (missing keys: absent)."""
        ...

    def candidates(
        self, keys: Sequence[str], day: int | None, window: int, limit: int, per_key: int
    ) -> list[tuple[int, int]]:
        """(story, keys matched) for stories sharing keys with an article, most matched first.

        Of each key only the ``per_key`` latest articles (within the time window) are read.
        """
        ...

    def members(self, story_ids: Sequence[int], limit: int) -> dict[int, list[ArticleProfile]]:
        """Profiles of the latest members of each story."""
        ...

    def add(self, story_id: int, p: ArticleProfile) -> None:
        """Index an article as a member of a story, under its keys (``p.index_keys()``)."""
        ...

    def may_merge(self, a: int, b: int) -> bool:
        """Whether two stories may be merged automatically (no user correction forbids it)."""
        ...

    def merge(self, absorbed: int, into: int, score: float) -> None:
        """Move every article of one story into another."""
        ...

    def topic_of(self, story_id: int) -> int:
        """The topic of a story: the lowest story id of its topic (its own id when alone)."""
        ...

    def link_topics(self, a: int, b: int, why: TopicLink | None = None) -> None:
        """Put the topics of two stories together (``why``: the link that did it)."""
        ...


@runtime_checkable
class CoreBackend(Protocol):
    """A backend that also gives a story's first members (its core; else the latest stand in)."""

    def first_members(
        self, story_ids: Sequence[int], limit: int
    ) -> dict[int, list[ArticleProfile]]:
        """Profiles of the first members of each story, oldest first."""
        ...


def weight(df: int, n: int) -> float:
    """Smoothed idf of a term carried by df of n articles."""
    return math.log((1 + n) / (1 + df)) + 1.0


@dataclass
class _Story:
    """A cached story profile and what updating it in place needs (its latest members)."""

    n: int  # index size whose idf the member vectors use
    members: deque[tuple[ArticleProfile, Vector]]  # latest members, oldest first
    total: dict[str, float]  # sum of the member vectors
    profile: StoryProfile
    entities: Counter[str] = field(default_factory=Counter)
    details: Counter[str] = field(default_factory=Counter)
    mentioned: Counter[str] = field(default_factory=Counter)
    gists: npt.NDArray[np.float32] | None = None  # sum of the members' gists, if any
    # the frequencies of the members' keys and the members' rarest terms (RARE_POOL), read
    # when the story first converges after a build and kept up to date as members come
    df: dict[str, int] = field(default_factory=dict)
    rare: frozenset[str] = frozenset()
    # the sum of the vectors of the story's first members (its core, of at most core_limit),
    # their entities and their number
    core_total: dict[str, float] = field(default_factory=dict)
    core_vector: Vector = field(default_factory=dict)  # core_total at unit length
    core_entities: Counter[str] = field(default_factory=Counter)
    core_size: int = 0
    core_limit: int = 0
    # how many indexed articles name each of the members' entities (read with the vectors'
    # idf, kept up to date as members come): the profile leaves out those too common
    entity_df: dict[str, int] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        sid: int,
        n: int,
        members: Sequence[tuple[ArticleProfile, Vector]],
        first: Sequence[tuple[ArticleProfile, Vector]] | None = None,
        entity_df: Mapping[str, int] | None = None,
        core_limit: int = 0,
    ) -> _Story:
        """A story's state from its latest and first members (else the latest's) and entity df."""
        total: dict[str, float] = {}
        entities: Counter[str] = Counter()
        details: Counter[str] = Counter()
        mentioned: Counter[str] = Counter()
        for p, vec in members:
            for t, v in vec.items():
                total[t] = total.get(t, 0.0) + v
            entities.update(p.entities)
            details.update(p.details)
            mentioned.update(mentions(p))
        state = cls(n, deque(members), total, _EMPTY, entities, details, mentioned)
        state.entity_df = dict(entity_df or {})
        state.core_limit = core_limit
        for p, vec in (members if first is None else first)[:core_limit]:
            state.add_core(p, vec)
        for p, _ in members:
            state.add_gist(p.gist, 1.0)
        state.profile = state.snapshot(sid)
        return state

    def read_keys(self, df: Mapping[str, int]) -> None:
        """Take the frequencies of all the members' keys and pick the rarest terms."""
        self.df = dict(df)
        self.rare = frozenset()
        self.pick_rare(self.total)

    def pick_rare(self, terms: Iterable[str]) -> None:
        """Keep the rarest of the kept rare terms and these (a story's lookup keys come from them).

        Kept up to date member by member, so that a large story (thousands of terms) does not
        read and rank all its terms each time it changes.
        """
        pool = ((self.df.get(t, 0), t) for t in self.rare.union(terms))
        self.rare = frozenset(t for _, t in heapq.nsmallest(RARE_POOL, pool))

    def add_core(self, p: ArticleProfile, vec: Vector) -> None:
        """Count a member into the core (the story's first members)."""
        _accumulate(self.core_total, vec, 1.0)
        self.core_vector = normalized(self.core_total)  # at most core_limit times a story
        self.core_entities.update(p.entities)
        self.core_size += 1

    def core_cohesion(self) -> float:
        """Length of the mean of the core members' unit vectors."""
        length = math.sqrt(sum(v * v for v in self.core_total.values()))
        return length / self.core_size if self.core_size else 1.0

    def add_gist(self, gist: bytes, sign: float) -> None:
        """Add (or subtract) a member's gist into the running sum."""
        if not gist:
            return
        vec = as_vector(gist)
        if self.gists is None or len(self.gists) != len(vec):
            self.gists = np.zeros_like(vec)
        self.gists += sign * vec

    def push(self, sid: int, p: ArticleProfile, vec: Vector, df: Mapping[str, int]) -> None:
        """Add a member (dropping the oldest beyond MAX_MEMBERS) and refresh the profile.

        ``df``: the frequencies of the member's keys, the member counted.
        """
        self.members.append((p, vec))
        self.entity_df.update((e, df.get(ENTITY_KEY + e, 0)) for e in p.entities)
        if self.core_size < self.core_limit:
            self.add_core(p, vec)
        if self.rare:  # keys read: keep them up to date
            self.df.update(df)
            self.pick_rare(p.terms)
        _accumulate(self.total, vec, 1.0)
        self.entities.update(p.entities)
        self.details.update(p.details)
        self.mentioned.update(mentions(p))
        self.add_gist(p.gist, 1.0)
        while len(self.members) > MAX_MEMBERS:
            old, old_vec = self.members.popleft()
            _accumulate(self.total, old_vec, -1.0)
            self.entities.subtract(old.entities)
            self.entities += Counter()  # drop entities no member names any more
            self.details.subtract(old.details)
            self.details += Counter()
            self.mentioned.subtract(mentions(old))
            self.mentioned += Counter()
            self.add_gist(old.gist, -1.0)
            for k in old.index_keys():
                entity = k.startswith(ENTITY_KEY)
                if k[len(ENTITY_KEY) :] not in self.entities if entity else k not in self.total:
                    self.df.pop(k, None)  # no remaining member carries the key
                    self.rare -= {k}
            if self.rare and len(self.rare) < RARE_KEYS:
                self.pick_rare(self.total)
        self.profile = self.snapshot(sid)

    def telling(self, entities: Iterable[str]) -> frozenset[str]:
        """The entities that tell events apart: those most articles name are left out."""
        cap = key_cap(self.n)
        return frozenset(e for e in entities if self.entity_df.get(e, 0) <= cap)

    def snapshot(self, sid: int) -> StoryProfile:
        """The story profile of the current members (as ``cluster.story_profile`` makes it)."""
        days = [p.day for p, _ in self.members if p.day is not None]
        beyond = 0 < self.core_size < len(self.members)  # members outside the core: check it
        length = math.sqrt(sum(v * v for v in self.total.values()))
        return StoryProfile(
            id=sid,
            centroid={t: v / length for t, v in self.total.items()} if length else {},
            entities=self.telling(self.entities),
            first_day=min(days) if days else None,
            last_day=max(days) if days else None,
            details=frozenset(self.details),
            mentioned=frozenset(self.mentioned),
            gist=to_gist(self.gists) if self.gists is not None else b"",
            core=self.core_vector if beyond else None,
            core_entities=self.telling(self.core_entities) if beyond else frozenset(),
            cohesion=length / len(self.members) if self.members else 1.0,
            core_cohesion=self.core_cohesion() if beyond else 1.0,
        )


_EMPTY = StoryProfile(0, {}, frozenset(), None, None)


def _accumulate(total: dict[str, float], vec: Vector, sign: float) -> None:
    """Add (or subtract) a vector into a running sum, dropping terms that cancel out."""
    for t, v in vec.items():
        left = total.get(t, 0.0) + sign * v
        if sign < 0 and abs(left) < 1e-12:
            total.pop(t, None)
        else:
            total[t] = left


@dataclass
class Plan:
    """A window of new articles grouped by average linkage, and what became of the groups.

    ``placed``: the story each group went to once its first member was placed; ``opening``:
    the planned articles that opened a story, ``new``: the stories they opened (the window's
    groups never join nor merge with a story another of its groups opened).
    """

    group_of: dict[int, int] = field(default_factory=dict)  # article id to group
    groups: list[tuple[ArticleProfile, ...]] = field(default_factory=list)
    planned: frozenset[int] = frozenset()
    placed: dict[int, int] = field(default_factory=dict)
    opening: set[int] = field(default_factory=set)
    new: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class Merge:
    """Two stories that converged: ``absorbed`` joined ``into``."""

    absorbed: int
    into: int
    score: float


class StoryIndex:
    """Assigns articles to stories through a candidate index, and merges converging stories."""

    def __init__(
        self,
        options: Options,
        backend: IndexBackend | None = None,
        scorer: StoryScorer | None = None,
    ) -> None:
        self.options = options
        self.backend: IndexBackend = backend if backend is not None else MemoryBackend()
        self.scorer: StoryScorer = scorer if scorer is not None else WeightedScorer()
        self._cache: dict[int, _Story] = {}  # story profiles, updated in place on add
        # the article last assigned, its vector and its keys' frequencies (before it was added)
        self._last: tuple[ArticleProfile, Vector, dict[str, int]] | None = None
        self.last_link: TopicLink | None = None  # the topic link converge() made last
        self._plan = Plan()  # the second look: the planned window's groups (``plan``)

    def plan(self, articles: Sequence[ArticleProfile]) -> Plan:
        """Group a window of new articles by average linkage before any is placed (``window``).

        The pair score blends the word, entity and headline-word cosines (the weights
        ``cluster.window_entity_weight`` and ``window_title_weight``), lowered by the scorer
        (``pair_score``: dates); groups are merged down to ``cluster.group_bar``. Each group
        (one article or more) then goes to one story, by average linkage too: the existing
        story its members are closest to on average (``scorer.link_score``) when that reaches
        ``cluster.window_bar``, else a story of its own; never to a story another group of the
        window opened, so the window's stories do not depend on its order. The plan is
        returned: the index of a later chunk of the window takes it up with ``adopt``.
        """
        self._plan = Plan()
        settings = self.options.cluster
        if settings.window_bar <= 0 or not articles:
            return self._plan
        self._plan.planned = frozenset(p.id for p in articles)
        chunk: Counter[str] = Counter(k for p in articles for k in p.index_keys())
        stored = self.backend.frequencies(chunk)
        freq = {k: stored.get(k, 0) + c for k, c in chunk.items()}
        n = self.backend.size() + len(articles)
        weights = {k: weight(f, n) for k, f in freq.items()}
        vectors = [vector(p, weights) for p in articles]
        telling = {k for k, f in freq.items() if f <= key_cap(n)}  # as the story profiles' entities
        spaces = [
            (settings.window_entity_weight, [entity_vector(p, weights, telling) for p in articles]),
            (settings.window_title_weight, [title_vector(p, weights) for p in articles]),
        ]
        said = [mentions(p) for p in articles]

        def pair(i: int, j: int, cos: float) -> float:
            return self.scorer.pair_score(articles[i], said[i], articles[j], said[j], cos)

        scores = pair_scores(vectors, pair, spaces=[(w, vs) for w, vs in spaces if w > 0])
        for group in average_linkage(scores, settings.group_bar):
            for i in group:
                self._plan.group_of[articles[i].id] = len(self._plan.groups)
            self._plan.groups.append(tuple(articles[i] for i in group))
        return self._plan

    def adopt(self, plan: Plan) -> None:
        """Go on with a plan made (and partly carried out) by another index over this backend."""
        self._plan = plan

    def assign(self, article: AnalyzedArticle | ArticleProfile) -> Assignment:
        """Assign an article to the most similar candidate story (it is not added)."""
        p = article if isinstance(article, ArticleProfile) else profile(article)
        if p.id in self._plan.group_of:
            return self._remember(self._assign_group(p, self._plan.group_of[p.id]))
        n = self.backend.size()
        df = self.backend.frequencies(p.index_keys())
        weights = {t: weight(df.get(t, 0), n + 1) for t in set(p.terms)}
        keys = lookup_keys(p, df, n)
        window = self.options.cluster.window_days
        found = self.backend.candidates(keys, p.day, window, MAX_CANDIDATES, KEY_SCAN)
        stories = self._profiles([sid for sid, _ in found if not self._opened(p, sid)], n)
        vec = vector(p, weights)
        self._last = (p, vec, df)
        result = choose(p, vec, stories, self.options.cluster.story_threshold, self.scorer)
        if not result.reason:
            reason = "opened a story: no story shares its rare terms or entities"
            result = replace(result, reason=reason)
        return self._remember(result)

    def _opened(self, p: ArticleProfile, story_id: int) -> bool:
        """Whether a planned article would join a story another group of its window opened."""
        return p.id in self._plan.planned and story_id in self._plan.new

    def _remember(self, result: Assignment) -> Assignment:
        """Note a planned article that opens a story (``add`` then marks the story new)."""
        if result.story is None and result.article in self._plan.planned:
            self._plan.opening.add(result.article)
        return result

    def _assign_group(self, p: ArticleProfile, g: int) -> Assignment:
        """The story of an article's group: where its first member went, or chosen by all."""
        group = self._plan.groups[g]
        n = self.backend.size()
        placed = self._plan.placed.get(g)
        bar = self.options.cluster.window_bar
        members = [p] if placed is not None else list(group)
        df = self.backend.frequencies(set().union(*(m.index_keys() for m in members)))
        vecs = [vector(m, {t: weight(df.get(t, 0), n + 1) for t in set(m.terms)}) for m in members]
        mine = vecs[members.index(p)]
        self._last = (p, mine, {k: df.get(k, 0) for k in p.index_keys()})
        grouped = (
            f" with its group ({len(group)} articles of this run grouped by average linkage)"
            if len(group) > 1
            else ""
        )
        if placed is not None:
            (story,) = self._profiles([placed], n) or (None,)
            if story is None:  # merged away by another writer meanwhile: decide afresh
                del self._plan.placed[g]
                return self._assign_group(p, g)
            score = self.scorer.link_score(p, mentions(p), mine, story)
            return Assignment(
                article=p.id,
                story=placed,
                score=round(score, 4),
                shared_entities=tuple(sorted(p.entities & story.entities))[:SHARED_SHOWN],
                shared_terms=shared_terms(mine, story),
                candidates=1,
                reason=f"joined story {placed}{grouped}",
            )
        window = self.options.cluster.window_days
        hits: Counter[int] = Counter()
        for m in group:
            keys = lookup_keys(m, df, n)
            found = self.backend.candidates(keys, m.day, window, MAX_CANDIDATES, KEY_SCAN)
            hits.update(dict(found))
        ranked = [kv for kv in hits.items() if not self._opened(p, kv[0])]
        ranked = sorted(ranked, key=lambda kv: (-kv[1], kv[0]))[:MAX_CANDIDATES]
        stories = self._profiles([sid for sid, _ in ranked], n)
        if not stories:
            return Assignment(
                article=p.id,
                story=None,
                score=0.0,
                reason=f"opened a story{grouped}: no earlier story shares rare terms or entities",
            )
        totals = [0.0] * len(stories)
        for m, vec in zip(members, vecs, strict=True):
            said = mentions(m)
            for k, story in enumerate(stories):
                totals[k] += self.scorer.link_score(m, said, vec, story) / len(members)
        k = min(range(len(stories)), key=lambda k: (-totals[k], stories[k].id))
        best, best_score = stories[k], totals[k]
        joins = best_score >= bar
        verdict = f"joined story {best.id}" if joins else "opened a story"
        relation = "≥" if joins else "<"
        return Assignment(
            article=p.id,
            story=best.id if joins else None,
            score=round(best_score, 4),
            shared_entities=tuple(sorted(p.entities & best.entities))[:SHARED_SHOWN],
            shared_terms=shared_terms(mine, best),
            candidates=len(stories),
            reason=f"{verdict}{grouped}: mean word similarity to the members of story {best.id}"
            f" {best_score:.2f} {relation} {bar}",
        )

    def add(self, story_id: int, article: AnalyzedArticle | ArticleProfile) -> None:
        """Record an article as a member of a story."""
        p = article if isinstance(article, ArticleProfile) else profile(article)
        self.backend.add(story_id, p)
        if p.id in self._plan.group_of:
            self._plan.placed.setdefault(self._plan.group_of[p.id], story_id)
        if p.id in self._plan.opening:
            self._plan.new.add(story_id)
        state = self._cache.get(story_id)
        if state is None or not self._fresh(state, self.backend.size()):
            self._cache.pop(story_id, None)
            return
        if self._last is not None and self._last[0] == p:
            _, vec, before = self._last  # what assign() scored it with
            df = {k: before.get(k, 0) + 1 for k in p.index_keys()}
        else:
            n = self.backend.size()
            df = self.backend.frequencies(p.index_keys())
            vec = vector(p, {t: weight(df.get(t, 0), n) for t in set(p.terms)})
        state.push(story_id, p, vec, df)

    def converge(self, story_id: int) -> Merge | None:
        """Merge the story with the most similar candidate story when they have converged.

        The most similar candidate, found by the story's keys or (when ``kin_due``) by its
        heaviest common words (``topic_keys``), also links the story's topic (when the scorer's
        topic similarity passes its ``topic_bar``).
        """
        n = self.backend.size()
        (mine,) = self._profiles([story_id], n) or (None,)
        if mine is None:
            return None
        state = self._cache[story_id]  # _profiles just cached it
        # the centroid's terms are the distinct terms of the story's latest members; a large
        # story has thousands, so their counts are read in full only after a build and when
        # siblings are looked up (kin_due); otherwise only the pool of rare terms is re-read
        probe = ArticleProfile(story_id, "", tuple(mine.centroid), mine.entities, mine.last_day)
        read_all = not state.rare  # first convergence since the story was built
        if read_all:
            state.read_keys(self.backend.frequencies(probe.index_keys()))
            fresh = state.df
        else:  # the pool of rare terms, chosen as members came, is re-ranked afresh
            fresh = self.backend.frequencies([*state.rare, *replace(probe, terms=()).index_keys()])
            state.df.update(fresh)
        keys = _lookup(mine.entities, state.rare, fresh, n)
        window = self.options.cluster.window_days
        found = self.backend.candidates(keys, mine.last_day, window, MAX_CANDIDATES, KEY_SCAN)
        others = self._profiles([sid for sid, _ in found if sid != story_id], n)
        bar = self.options.cluster.story_threshold + self.scorer.merge_margin
        kin: list[StoryProfile] = []
        if kin_due(len(state.members)):
            if not read_all:  # counts read afresh for the sibling lookup, the pool kept
                state.df.update(self.backend.frequencies(probe.index_keys()))
            kin = self._kin(mine, state.df, n, {story_id, *(other.id for other in others)})
        similar = {other.id: self.scorer.story_similarity(mine, other) for other in [*others, *kin]}
        link = _nearest_topic(self.scorer, story_id, mine, [*others, *kin], similar)
        if link is not None:
            self.last_link = link
            self.backend.link_topics(story_id, link.nearest, link)
        merge_score = self.scorer.merge_score
        # two stories opened by one planned window stay apart: its grouping kept them apart
        both_new = story_id in self._plan.new
        mergeable = [other for other in others if not (both_new and other.id in self._plan.new)]
        best = _best((merge_score(mine, other, similar[other.id]), other) for other in mergeable)
        if best is None or best[0] < bar or not self.backend.may_merge(story_id, best[1].id):
            return None
        into, absorbed = sorted((story_id, best[1].id))
        self.backend.merge(absorbed, into, best[0])
        self._plan.placed = {g: into if s == absorbed else s for g, s in self._plan.placed.items()}
        if absorbed not in self._plan.new:  # a story the window did not open lives on as into
            self._plan.new.discard(into)
        self._plan.new.discard(absorbed)
        self._cache.pop(absorbed, None)
        self._cache.pop(into, None)
        return Merge(absorbed, into, round(best[0], 4))

    def _kin(
        self, mine: StoryProfile, df: Mapping[str, int], n: int, seen: set[int]
    ) -> list[StoryProfile]:
        """Further topic candidates: stories sharing the story's heaviest common words."""
        keys = topic_keys(mine, df, n)
        window = self.options.cluster.window_days
        found = self.backend.candidates(keys, mine.last_day, window, MAX_CANDIDATES, TOPIC_SCAN)
        return self._profiles([sid for sid, _ in found if sid not in seen], n)

    def _profiles(self, story_ids: Sequence[int], n: int) -> list[StoryProfile]:
        """Story profiles (cached until the story changes or idf drifts)."""
        out: dict[int, StoryProfile] = {}
        stale: list[int] = []
        for sid in story_ids:
            hit = self._cache.get(sid)
            if hit is not None and self._fresh(hit, n):
                out[sid] = hit.profile
            else:
                stale.append(sid)
        if stale:
            members = self.backend.members(stale, MAX_MEMBERS)
            # a story with more members than its profile holds: its first ones, for its core
            full = [sid for sid, ps in members.items() if len(ps) >= MAX_MEMBERS]
            first: dict[int, list[ArticleProfile]] = {}
            core = self.options.cluster.core_members
            if full and core > 0 and isinstance(self.backend, CoreBackend):
                first = self.backend.first_members(full, core)
            profiles = [p for ps in [*members.values(), *first.values()] for p in ps]
            terms = {t for p in profiles for t in p.terms}
            entities = {e for p in profiles for e in p.entities}
            df = self.backend.frequencies([*terms, *(ENTITY_KEY + e for e in entities)])
            weights = {t: weight(df.get(t, 0), n) for t in terms}
            entity_df = {e: df.get(ENTITY_KEY + e, 0) for e in entities}
            for sid, ps in members.items():
                if ps:
                    firsts = first.get(sid)
                    state = _Story.build(
                        sid,
                        n,
                        [(p, vector(p, weights)) for p in ps],
                        None if firsts is None else [(p, vector(p, weights)) for p in firsts],
                        entity_df,
                        core,
                    )
                    self._cache[sid] = state
                    out[sid] = state.profile
        return [out[sid] for sid in sorted(out)]

    @staticmethod
    def _fresh(state: _Story, n: int) -> bool:
        """Whether a cached story's idf is recent enough (the index grew by < IDF_REFRESH)."""
        return n <= state.n * (1 + IDF_REFRESH)


def _nearest_topic(
    scorer: StoryScorer,
    story_id: int,
    mine: StoryProfile,
    others: Sequence[StoryProfile],
    similar: Mapping[int, float],
) -> TopicLink | None:
    """The link to the most similar story whose topic the story joins, if any passes its bar.

    Similarities blended with gists and plain ones may have their own bars (the scorer's
    ``topic_bar``); each is scaled by its bar so that they compare.
    """
    best: tuple[float, int, TopicLink] | None = None
    for other in others:
        score, gist = scorer.topic_similarity(mine, other, similar[other.id])
        rel = score / scorer.topic_bar(gist)
        if best is None or rel > best[0] or (rel == best[0] and other.id < best[1]):
            link = TopicLink(
                story_id,
                other.id,
                round(score, 4),
                round(similar[other.id], 4),
                None if gist is None else round(gist, 4),
            )
            best = (rel, other.id, link)
    if best is None or best[0] < 1.0:
        return None
    return replace(best[2], explanation=scorer.link_reason(best[2]))


def _best(scored: Iterable[tuple[float, StoryProfile]]) -> tuple[float, StoryProfile] | None:
    """The highest-scoring story (the lower id on ties), or None."""
    best: tuple[float, StoryProfile] | None = None
    for score, other in scored:
        if best is None or score > best[0] or (score == best[0] and other.id < best[1].id):
            best = (score, other)
    return best


def entity_vector(
    p: ArticleProfile, weights: Mapping[str, float], telling: Container[str]
) -> Vector:
    """The unit TF-IDF vector of an article's entities (index keys) that tell events apart.

    Entities that most articles name (more than ``key_cap``: every campaign article names both
    candidates) are left out, as from a story's profile.
    """
    return tfidf([k for e in p.entities if (k := ENTITY_KEY + e) in telling], weights)


def title_vector(p: ArticleProfile, weights: Mapping[str, float]) -> Vector:
    """The unit TF-IDF vector of an article's headline words."""
    return tfidf(content_words(p.title), weights)


def key_cap(n: int) -> int:
    """Keys carried by more of n indexed articles than this are common: no event's own."""
    return max(KEY_FLOOR, int(KEY_SHARE * n))


def lookup_keys(p: ArticleProfile, df: Mapping[str, int], n: int) -> list[str]:
    """The article's entities and rarest terms that other articles carry, common ones left out."""
    return _lookup(p.entities, set(p.terms), df, n)


def _lookup(
    entities: Iterable[str], terms: Iterable[str], df: Mapping[str, int], n: int
) -> list[str]:
    """Entity keys and the rarest terms that other articles carry, common ones left out."""
    cap = key_cap(n)
    entity_keys = [ENTITY_KEY + e for e in sorted(entities)]
    usable = [k for k in entity_keys if 0 < df.get(k, 0) <= cap]
    rarest = heapq.nsmallest(
        RARE_KEYS,
        (t for t in terms if 0 < df.get(t, 0) <= cap),
        key=lambda t: (df[t], t),
    )
    return usable + rarest


def kin_due(members: int) -> bool:
    """Whether a story of this many (latest) members looks for sibling stories again.

    At 1, 2, 4 ... 32 members: the link is re-checked as the story grows, at a bounded cost
    per article (amortised, a constant share of the changes); a story whose profile is full
    (``MAX_MEMBERS``, where the count stops telling sizes apart) keeps its links.
    """
    return 0 < members < MAX_MEMBERS and members & (members - 1) == 0


def topic_keys(story: StoryProfile, df: Mapping[str, int], n: int) -> list[str]:
    """The heaviest words of a story's centroid that other articles may share (no numbers).

    Two events of one kind differ in their names and numbers (the rarest keys) but share
    what happened, which weighs heavily in both centroids: these words find sibling stories.
    """
    cap = key_cap(n)
    usable = (
        (t, w) for t, w in story.centroid.items() if not t.isdigit() and 1 < df.get(t, 0) <= cap
    )
    return [t for t, _ in heapq.nsmallest(TOPIC_KEYS, usable, key=lambda kv: (-kv[1], kv[0]))]
