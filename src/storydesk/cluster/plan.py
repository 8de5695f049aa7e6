"""The second look: a window of new articles grouped first (``plan``), each group placed as one.

The articles of one run arrive in windows (``options.batch_articles``): ``plan`` groups a
window by average linkage (``cluster.window``), and each group is then placed as one
(``place``), by average linkage against the existing stories: a second look that keeps a
window's stories from depending on its order. ``StoryIndex.plan`` / ``adopt`` / ``assign``
call these; the plan is data, so the index of a later chunk of the window takes it up.
Delayed commitment: when the backend can move articles (``MovingBackend``), the young stories
(every member among the index's last ``cluster.recommit_articles``) are grouped again with
the window, their articles still movable. A group goes on in the young story it holds most
of (articles of other young stories move into it), and a group that holds none opens its
own story, taking its young articles along: a small window then gives the stories of one
large window, whatever the order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Container, Mapping, Sequence
from dataclasses import dataclass, field

from storydesk.cluster.assign import shared_terms
from storydesk.cluster.backend import IndexBackend, MovingBackend
from storydesk.cluster.keys import KEY_SCAN, MAX_CANDIDATES, key_cap, lookup_keys, weight
from storydesk.cluster.score import SHARED_SHOWN, StoryProfile, mentions, vector
from storydesk.cluster.scorer import StoryScorer
from storydesk.cluster.window import average_linkage, pair_scores
from storydesk.model import ENTITY_KEY, ArticleProfile, Assignment
from storydesk.options import ClusterSettings
from storydesk.text.features import Vector, content_words, tfidf

Profiles = Callable[[Sequence[int], int], list[StoryProfile]]  # StoryIndex's cached profiles


@dataclass
class Plan:
    """A window of new articles grouped by average linkage, and what became of the groups.

    ``placed``: the story each group went to once its first member was placed; ``opening``:
    the planned articles that opened a story, ``new``: the stories they opened (the window's
    groups never join nor merge with a story another of its groups opened). With delayed
    commitment, ``held``: the young stories grouped again with the window (no group joins one
    but the group grouped with it); ``pending``: articles of young stories to move into their
    group's story once it has one; ``moved``: the stories whose articles moved.
    """

    group_of: dict[int, int] = field(default_factory=dict)  # article id to group
    groups: list[tuple[ArticleProfile, ...]] = field(default_factory=list)
    planned: frozenset[int] = frozenset()
    placed: dict[int, int] = field(default_factory=dict)
    opening: set[int] = field(default_factory=set)
    new: set[int] = field(default_factory=set)
    held: frozenset[int] = frozenset()
    pending: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # (article, story)
    moved: set[int] = field(default_factory=set)

    def opened(self, p: ArticleProfile, story_id: int) -> bool:
        """Whether a planned article would join a story another group of its window opened."""
        return p.id in self.planned and (story_id in self.new or story_id in self.held)

    def remember(self, result: Assignment) -> Assignment:
        """Note a planned article that opens a story (``added`` then marks the story new)."""
        if result.story is None and result.article in self.planned:
            self.opening.add(result.article)
        return result

    def added(self, article: int, story_id: int) -> list[tuple[int, int]]:
        """Note that an article went to a story; return young articles (and their stories) to
        move there too."""
        if article in self.opening:
            self.new.add(story_id)
        if article not in self.group_of:
            return []
        g = self.group_of[article]
        self.placed.setdefault(g, story_id)
        return self.pending.pop(g, []) if self.placed[g] == story_id else []

    def merged(self, absorbed: int, into: int) -> None:
        """Note that one story absorbed another."""
        self.placed = {g: into if s == absorbed else s for g, s in self.placed.items()}
        if absorbed not in self.new:  # a story the window did not open lives on as into
            self.new.discard(into)
        self.new.discard(absorbed)

    def apart(self, a: int, b: int) -> bool:
        """Whether two stories were both opened or held by the window (its grouping kept them
        apart)."""
        mine = self.new | self.held
        return a in mine and b in mine


def plan(
    articles: Sequence[ArticleProfile],
    backend: IndexBackend,
    scorer: StoryScorer,
    settings: ClusterSettings,
) -> Plan:
    """Group a window of new articles by average linkage before any is placed (``window``).

    The pair score blends the word, entity and headline-word cosines (the weights
    ``cluster.window_entity_weight`` and ``window_title_weight``), lowered by the scorer
    (``pair_score``: dates); groups are merged down to ``cluster.group_bar``. The young
    stories' articles (delayed commitment) are grouped with the window's and moved as the
    groups say (``_claims``); the groups that hold new articles are returned, to be placed.
    """
    out = Plan()
    if settings.window_bar <= 0 or not articles:
        return out
    out.planned = frozenset(p.id for p in articles)
    young: dict[int, list[ArticleProfile]] = {}
    if settings.recommit_articles > 0 and isinstance(backend, MovingBackend):
        young = backend.recent(settings.recommit_articles)
    story_of = {p.id: sid for sid, ps in young.items() for p in ps}
    everything = [*(p for sid in sorted(young) for p in young[sid]), *articles]
    chunk: Counter[str] = Counter(k for p in articles for k in p.index_keys())
    stored = backend.frequencies({k for p in everything for k in p.index_keys()})
    freq = {k: stored.get(k, 0) + chunk[k] for k in {*stored, *chunk}}
    n = backend.size() + len(articles)
    weights = {k: weight(f, n) for k, f in freq.items()}
    vectors = [vector(p, weights) for p in everything]
    telling = {k for k, f in freq.items() if f <= key_cap(n)}  # as the story profiles' entities
    spaces = [
        (settings.window_entity_weight, [entity_vector(p, weights, telling) for p in everything]),
        (settings.window_title_weight, [title_vector(p, weights) for p in everything]),
    ]
    said = [mentions(p) for p in everything]

    def pair(i: int, j: int, cos: float) -> float:
        return scorer.pair_score(everything[i], said[i], everything[j], said[j], cos)

    scores = pair_scores(vectors, pair, spaces=[(w, vs) for w, vs in spaces if w > 0])
    grouped = [[everything[i] for i in g] for g in average_linkage(scores, settings.group_bar)]
    target = _claims(grouped, story_of)
    out.held = frozenset(young)
    for k, group in enumerate(grouped):
        new = tuple(p for p in group if p.id not in story_of)
        old = [p.id for p in group if p.id in story_of]
        story = target.get(k)
        if story is not None:  # the group goes on in the young story it holds most of
            for aid in old:
                if story_of[aid] != story:
                    assert isinstance(backend, MovingBackend)
                    backend.move(aid, story)
                    out.moved |= {story_of[aid], story}
        if not new:
            continue
        g = len(out.groups)
        if story is not None:
            out.placed[g] = story
        elif old:  # split off a young story: moved once the group's new story opens
            out.pending[g] = [(aid, story_of[aid]) for aid in old]
        for p in new:
            out.group_of[p.id] = g
        out.groups.append(new)
    return out


def _claims(
    groups: Sequence[Sequence[ArticleProfile]], story_of: Mapping[int, int]
) -> dict[int, int]:
    """The young story each group goes on in: the one it holds most articles of, one each.

    Pairs of (group, story) are taken by the story's articles in the group, most first (then
    the lower story id, the earlier group); a story and a group are each taken once.
    """
    counts: Counter[tuple[int, int]] = Counter(
        (k, story_of[p.id]) for k, group in enumerate(groups) for p in group if p.id in story_of
    )
    out: dict[int, int] = {}
    taken: set[int] = set()
    for (k, sid), _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][1], kv[0][0])):
        if k not in out and sid not in taken:
            out[k] = sid
            taken.add(sid)
    return out


def place(
    plan: Plan,
    p: ArticleProfile,
    backend: IndexBackend,
    scorer: StoryScorer,
    settings: ClusterSettings,
    profiles: Profiles,
) -> tuple[Assignment, Vector, dict[str, int]]:
    """The story of a planned article: where its group's first member went, or chosen by all.

    A group's first member goes to the existing story its members are closest to on average
    (``scorer.link_score``) when that reaches ``cluster.window_bar``, else to a story of its
    own; never to a story another group of the window opened. Also returned: the article's
    vector and its keys' frequencies (before it is added).
    """
    g = plan.group_of[p.id]
    group = plan.groups[g]
    n = backend.size()
    placed = plan.placed.get(g)
    bar = settings.window_bar
    members = [p] if placed is not None else list(group)
    df = backend.frequencies(set().union(*(m.index_keys() for m in members)))
    vecs = [vector(m, {t: weight(df.get(t, 0), n + 1) for t in set(m.terms)}) for m in members]
    mine = vecs[members.index(p)]
    last = (mine, {k: df.get(k, 0) for k in p.index_keys()})
    grouped = (
        f" with its group ({len(group)} articles of this run grouped by average linkage)"
        if len(group) > 1
        else ""
    )
    if placed is not None:
        (story,) = profiles([placed], n) or (None,)
        if story is None:  # merged away by another writer meanwhile: decide afresh
            del plan.placed[g]
            return place(plan, p, backend, scorer, settings, profiles)
        score = scorer.link_score(p, mentions(p), mine, story)
        joined = Assignment(
            article=p.id,
            story=placed,
            score=round(score, 4),
            shared_entities=tuple(sorted(p.entities & story.entities))[:SHARED_SHOWN],
            shared_terms=shared_terms(mine, story),
            candidates=1,
            reason=f"joined story {placed}{grouped}",
        )
        return joined, *last
    hits: Counter[int] = Counter()
    for m in group:
        keys = lookup_keys(m, df, n)
        found = backend.candidates(keys, m.day, settings.window_days, MAX_CANDIDATES, KEY_SCAN)
        hits.update(dict(found))
    ranked = [kv for kv in hits.items() if not plan.opened(p, kv[0])]
    ranked = sorted(ranked, key=lambda kv: (-kv[1], kv[0]))[:MAX_CANDIDATES]
    stories = profiles([sid for sid, _ in ranked], n)
    if not stories:
        alone = Assignment(
            article=p.id,
            story=None,
            score=0.0,
            reason=f"opened a story{grouped}: no earlier story shares rare terms or entities",
        )
        return alone, *last
    totals = [0.0] * len(stories)
    for m, vec in zip(members, vecs, strict=True):
        said = mentions(m)
        for k, story in enumerate(stories):
            totals[k] += scorer.link_score(m, said, vec, story) / len(members)
    k = min(range(len(stories)), key=lambda k: (-totals[k], stories[k].id))
    best, best_score = stories[k], totals[k]
    joins = best_score >= bar
    verdict = f"joined story {best.id}" if joins else "opened a story"
    relation = "≥" if joins else "<"
    chosen = Assignment(
        article=p.id,
        story=best.id if joins else None,
        score=round(best_score, 4),
        shared_entities=tuple(sorted(p.entities & best.entities))[:SHARED_SHOWN],
        shared_terms=shared_terms(mine, best),
        candidates=len(stories),
        reason=f"{verdict}{grouped}: mean word similarity to the members of story {best.id}"
        f" {best_score:.2f} {relation} {bar}",
    )
    return chosen, *last


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
