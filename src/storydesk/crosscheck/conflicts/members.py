"""Member-list conflicts: one enumeration listed with different members across articles."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from storydesk.crosscheck.conflicts.describe import carried_by, verb_for
from storydesk.crosscheck.conflicts.finder import ConflictInput
from storydesk.crosscheck.evidence import dedupe_supports, support_at
from storydesk.model import AnalyzedArticle, Conflict, ConflictKind, Entity, Support, Variant
from storydesk.text.features import entity_key, sentence_entities, sentence_index

MEMBER_LABELS = frozenset({"GPE", "ORG"})
MIN_SHARED_MEMBERS = 2  # two enumerations describe the same list when they share this many
_LIST_GLUE = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s*)(?:the\s+)?$", re.I)


def enumerations(article: AnalyzedArticle) -> list[tuple[int, tuple[Entity, ...]]]:
    """Lists of two or more GPE/ORG names joined by commas or 'and', per sentence index."""
    out: list[tuple[int, tuple[Entity, ...]]] = []
    ents = sorted((e for e in article.entities if e.label in MEMBER_LABELS), key=lambda e: e.start)
    run: list[Entity] = []
    text = article.text
    for e in [*ents, None]:
        if e is not None and run and _LIST_GLUE.match(text[run[-1].end : e.start]):
            run.append(e)
            continue
        if len({entity_key(x.canonical or x.text) for x in run}) >= 2:
            index = sentence_index(article, run[0].start)
            if index is not None:
                out.append((index, tuple(run)))
        run = [e] if e is not None else []
    return out


def find_members(story: ConflictInput) -> list[Conflict]:
    """Different member lists for the same enumeration across articles (omission or change)."""
    articles = story.articles
    items: list[tuple[int, int, frozenset[str]]] = []  # (article index, sentence, members)
    names: dict[str, str] = {}
    for a_index, article in enumerate(articles):
        for s_index, run in enumerations(article):
            member_keys: list[str] = []
            for e in run:
                key = entity_key(e.canonical or e.text)
                name = e.canonical or e.text
                if len(name) > len(names.get(key, "")):
                    names[key] = name
                member_keys.append(key)
            items.append((a_index, s_index, frozenset(member_keys)))
    out: list[Conflict] = []
    for group in _overlapping(items):
        if len({items[i][0] for i in group}) < 2:
            continue
        union = frozenset().union(*(items[i][2] for i in group))
        variants: dict[frozenset[str], list[Support]] = {}
        for i in group:
            a_index, s_index, keys = items[i]
            mentioned = _sentence_keys(articles[a_index], s_index) & union
            variants.setdefault(keys | mentioned, []).append(support_at(articles, a_index, s_index))
        if len(variants) > 1:
            out.append(_members_conflict(articles, variants, names))
    return out


def _overlapping(items: Sequence[tuple[int, int, frozenset[str]]]) -> list[list[int]]:
    """Groups of enumerations linked by sharing enough members."""
    parent = list(range(len(items)))

    def find(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if len(items[i][2] & items[j][2]) >= MIN_SHARED_MEMBERS:
                parent[max(find(i), find(j))] = min(find(i), find(j))
    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def _sentence_keys(article: AnalyzedArticle, s_index: int) -> frozenset[str]:
    """Keys of every GPE/ORG named anywhere in one sentence."""
    sentence = article.sentences[s_index]
    return frozenset(
        entity_key(e.canonical or e.text)
        for e in sentence_entities(article, sentence)
        if e.label in MEMBER_LABELS
    )


def _members_conflict(
    articles: Sequence[AnalyzedArticle],
    variants: dict[frozenset[str], list[Support]],
    names: dict[str, str],
) -> Conflict:
    """Describe differing member lists: omissions when nested, else what each side lists."""
    ordered = sorted(variants.items(), key=lambda kv: (-len(kv[0]), sorted(kv[0])))
    largest = ordered[0][0]

    def show(keys: Iterable[str]) -> str:
        return ", ".join(sorted(names.get(k, k) for k in keys))

    parts: list[str] = []
    nested = all(keys <= largest for keys, _ in ordered)
    for keys, support in ordered[1:]:
        who = carried_by(articles, (s.article for s in support))
        if nested:
            parts.append(f"{who} {verb_for('omit', who)} {show(largest - keys)}")
        else:
            lists = show(keys - largest) or "none of them"
            instead = show(largest - keys) or "nothing"
            parts.append(f"{who} {verb_for('list', who)} {lists} instead of {instead}")
    first = carried_by(articles, (s.article for s in ordered[0][1]))
    head = f"{first} {verb_for('list', first)} {show(largest)}"
    description = f"member list differs: {head}; " + "; ".join(parts)
    return Conflict(
        ConflictKind.MEMBERS,
        description,
        tuple(Variant(show(keys), dedupe_supports(support)) for keys, support in ordered),
    )
