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
``storydesk.store.profiles.StoredIndex`` for the database (it meets ``IndexBackend``,
``cluster.backend``, structurally), so the benchmark and the pipeline run the same code.
The articles of one run arrive in windows (``options.batch_articles``): ``plan`` first groups
a window, and each group is then placed as one (``cluster.plan``: a second look that keeps a
window's stories from depending on its order); articles assigned without a plan are scored
one by one as above. The lookup keys and their idf are ``cluster.keys``.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from storydesk.cluster.assign import choose
from storydesk.cluster.backend import CoreBackend, IndexBackend, MovingBackend
from storydesk.cluster.gist import as_vector, to_gist
from storydesk.cluster.keys import (
    KEY_SCAN,
    MAX_CANDIDATES,
    RARE_KEYS,
    key_cap,
    lookup_keys,
    rare_keys,
    weight,
)
from storydesk.cluster.memory import MemoryBackend
from storydesk.cluster.plan import Plan, place
from storydesk.cluster.plan import plan as plan_window
from storydesk.cluster.score import StoryProfile, mentions, profile, vector
from storydesk.cluster.scorer import StoryScorer, WeightedScorer
from storydesk.model import ENTITY_KEY, AnalyzedArticle, ArticleProfile, Assignment, TopicLink
from storydesk.options import Options
from storydesk.text.features import Vector, normalized

# re-exported: what the pipeline, tests and benchmarks read from here
__all__ = [
    "RARE_KEYS",
    "CoreBackend",
    "IndexBackend",
    "Plan",
    "StoryIndex",
    "key_cap",
    "lookup_keys",
    "weight",
]

RARE_POOL = 2 * RARE_KEYS  # rarest terms a story keeps at hand for its own lookups
MAX_MEMBERS = 64  # latest members of a story used for its profile
TOPIC_KEYS = 20  # heaviest centroid words of a story looked up for its topic (besides its keys)
TOPIC_SCAN = 10  # of each of those words, only its latest articles are read
IDF_REFRESH = 0.1  # cached story profiles are recomputed when the index grew by this share


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
            state.add_core(p, vec, unit=False)
        state.core_vector = normalized(state.core_total)  # once, not member by member
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

    def add_core(self, p: ArticleProfile, vec: Vector, unit: bool = True) -> None:
        """Count a member into the core (the story's first members); ``unit``: rescale it."""
        _accumulate(self.core_total, vec, 1.0)
        if unit:  # at most core_limit times a story
            self.core_vector = normalized(self.core_total)
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
        """Group a window of new articles before any is placed (``cluster.plan``).

        Each group (one article or more) then goes to one story, never to a story another
        group of the window opened, so the window's stories do not depend on its order. The
        plan is returned: the index of a later chunk of the window takes it up with ``adopt``.
        """
        self._plan = plan_window(articles, self.backend, self.scorer, self.options.cluster)
        for sid in self._plan.moved:  # young stories grouped again: articles moved
            self._cache.pop(sid, None)
        return self._plan

    def adopt(self, plan: Plan) -> None:
        """Go on with a plan made (and partly carried out) by another index over this backend."""
        self._plan = plan

    def assign(self, article: AnalyzedArticle | ArticleProfile) -> Assignment:
        """Assign an article to the most similar candidate story (it is not added)."""
        p = article if isinstance(article, ArticleProfile) else profile(article)
        if p.id in self._plan.group_of:
            placed, vec, df = place(
                self._plan, p, self.backend, self.scorer, self.options.cluster, self._profiles
            )
            self._last = (p, vec, df)
            return self._plan.remember(placed)
        n = self.backend.size()
        df = self.backend.frequencies(p.index_keys())
        weights = {t: weight(df.get(t, 0), n + 1) for t in set(p.terms)}
        keys = lookup_keys(p, df, n)
        window = self.options.cluster.window_days
        found = self.backend.candidates(keys, p.day, window, MAX_CANDIDATES, KEY_SCAN)
        stories = self._profiles([sid for sid, _ in found if not self._plan.opened(p, sid)], n)
        vec = vector(p, weights)
        self._last = (p, vec, df)
        result = choose(p, vec, stories, self.options.cluster.story_threshold, self.scorer)
        if not result.reason:
            reason = "opened a story: no story shares its rare terms or entities"
            result = replace(result, reason=reason)
        return self._plan.remember(result)

    def add(self, story_id: int, article: AnalyzedArticle | ArticleProfile) -> None:
        """Record an article as a member of a story."""
        p = article if isinstance(article, ArticleProfile) else profile(article)
        self.backend.add(story_id, p)
        moves = self._plan.added(p.id, story_id)
        if moves and isinstance(self.backend, MovingBackend):  # a young story's split-off part
            for aid, old in moves:
                self.backend.move(aid, story_id)
                self._cache.pop(old, None)
            self._plan.moved |= {story_id, *(old for _, old in moves)}
            self._cache.pop(story_id, None)
            return
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
        keys = rare_keys(mine.entities, state.rare, fresh, n)
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
        mergeable = [other for other in others if not self._plan.apart(story_id, other.id)]
        best = _best((merge_score(mine, other, similar[other.id]), other) for other in mergeable)
        if best is None or best[0] < bar or not self.backend.may_merge(story_id, best[1].id):
            return None
        into, absorbed = sorted((story_id, best[1].id))
        self.backend.merge(absorbed, into, best[0])
        self._plan.merged(absorbed, into)
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
