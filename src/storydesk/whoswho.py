"""Who's who: the people, organisations and places of a story under canonical names."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from storydesk.model import AnalyzedArticle, EntityEntry
from storydesk.text_features import entity_key

WHO_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})


def whos_who(articles: Sequence[AnalyzedArticle]) -> list[EntityEntry]:
    """People, organisations and places grouped by canonical name, most mentioned first."""
    names: dict[str, Counter[str]] = {}
    labels: dict[str, Counter[str]] = {}
    aliases: dict[str, Counter[str]] = {}
    seen_in: dict[str, set[int]] = {}
    for a in articles:
        for e in a.entities:
            if e.label not in WHO_LABELS:
                continue
            canonical = e.canonical or e.text
            key = entity_key(canonical)
            names.setdefault(key, Counter())[canonical] += 1
            labels.setdefault(key, Counter())[e.label] += 1
            aliases.setdefault(key, Counter())[e.text] += 1
            seen_in.setdefault(key, set()).add(a.id)
    entries = [
        EntityEntry(
            name=max(names[k].items(), key=lambda kv: (kv[1], len(kv[0])))[0],
            label=labels[k].most_common(1)[0][0],
            aliases=tuple(t for t, _ in sorted(aliases[k].items(), key=lambda kv: (-kv[1], kv[0]))),
            articles=tuple(sorted(seen_in[k])),
            mentions=sum(aliases[k].values()),
        )
        for k in names
    ]
    entries.sort(key=lambda e: (-e.mentions, -len(e.articles), e.name))
    return entries
