"""Who's who: the people, organisations and places of a story under canonical names.

Within an article the analysis already gives each mention its fullest name. Across the story:
a surname (or a shortened name) joins the one full name of the story it is part of, a one-word
name joins the one organisation it begins ("Bluewater" → "Bluewater Lines"), a country is one
entity under all its names ("US", "U.S.", "America"), and a demonym counts as a mention of its
country ("Israeli" → Israel). People and organisations come first; places and nationalities
are listed only when they act in the story: a subject or object of a verb, a party "with" or
"between", a speaker, or a demonym before an actor noun ("the Kazakh government said").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from storydesk.model import AnalyzedArticle, Entity, EntityEntry, Speaker
from storydesk.model_state import Sighting
from storydesk.text.canon import country_named, demonym_country, person_key
from storydesk.text.features import entity_key

WHO_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
FIRST_LABELS = ("PERSON", "ORG")  # always listed, and listed first
PLACES = ("GPE", "LOC")
# Syntactic roles in which a place or a nationality acts ("Israel said", "talks with Israel").
ACTING_DEPS = frozenset(
    {"nsubj", "nsubjpass", "dobj", "dative", "agent", "pobj:by", "pobj:with", "pobj:between",
     "pobj:against", ""}
)  # fmt: skip
# Words after a demonym that make it name a state acting ("the Kazakh government said").
ACTOR_NOUNS = (
    "government", "governments", "ministry", "ministries", "official", "officials",
    "authorities", "administration", "leader", "leaders", "leadership", "embassy", "delegation",
    "diplomat", "diplomats", "military", "army", "forces", "troops", "police", "parliament",
    "cabinet", "state", "side", "spokesman", "spokeswoman", "spokesperson", "president",
    "vice president", "prime minister", "foreign minister", "defense minister", "minister",
    "ambassador", "envoy", "special envoy", "king", "crown prince", "emir", "secretary of state",
    "chancellor", "presidency", "negotiators", "regime", "navy", "air force",
)  # fmt: skip
_ACTOR_AFTER = re.compile(
    r"\s+(?:(?:foreign|deputy|defence|defense|interior|senior|top|former)\s+)?(?:"
    + "|".join(re.escape(n) for n in sorted(ACTOR_NOUNS, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)


def whos_who(articles: Sequence[AnalyzedArticle]) -> list[EntityEntry]:
    """People, organisations and places under story-wide canonical names, most mentioned first."""
    return whos_who_of([s for a in articles for s in sightings(a)])


def sightings(a: AnalyzedArticle) -> list[Sighting]:
    """An article's mentions as who's who counts them, in text order."""
    speaking = [(s.start, s.end) for s in _speakers(a)]
    return [s for e in a.entities if (s := _story_mention(a, e, speaking)) is not None]


def _speakers(a: AnalyzedArticle) -> list[Speaker]:
    """The mentions that name who said something (quotes and attributions)."""
    found = [q.speaker for q in a.quotes] + [t.source for t in a.attributions]
    return [s for s in found if s is not None]


def whos_who_of(seen: Sequence[Sighting]) -> list[EntityEntry]:
    """Who's who from a story's sightings (in article order)."""
    seen = _retyped(seen)
    keys: dict[tuple[str, str], str] = {}  # each distinct name keyed once
    for s in seen:
        if (s.name, s.label) not in keys:
            keys[s.name, s.label] = _key(s)
    people = {k for (_, label), k in keys.items() if label == "PERSON"}
    join = _person_roots(people)
    join.update(_org_roots(keys, join))
    groups: dict[str, list[Sighting]] = {}
    for s in seen:
        key = keys[s.name, s.label]
        groups.setdefault(join.get(key, key), []).append(s)
    entries = []
    for group in groups.values():
        entry = _entry(group)
        if entry.label in FIRST_LABELS or any(s.acts for s in group):
            entries.append(entry)
    entries.sort(key=lambda e: (e.label not in FIRST_LABELS, -e.mentions, -len(e.articles), e.name))
    return entries


def _retyped(seen: Sequence[Sighting]) -> list[Sighting]:
    """Each sighting under the reading the story shows elsewhere: a two-word "place" that is a
    person's name, a one-word "person" that is a place, a nationality of a place it names."""
    people = {person_key(s.name) for s in seen if s.label == "PERSON"}
    places = {s.name for s in seen if s.label in PLACES}
    out = []
    for s in seen:
        name, label = s.name, s.label
        if label != "PERSON" and " " in name and person_key(name) in people:
            label = "PERSON"  # "Ines Calloway" as a place
        elif label in FIRST_LABELS and " " not in name and name in places:
            label = "GPE"  # "Valdora" as a person
        elif label == "NORP":
            stems = (name[:-1], name[:-2], name[:-3], name[:-2] + "a", name[:-3] + "a")
            found = [stem for stem in stems if stem in places]
            if found:
                name, label = found[0], "GPE"  # "Ostrenian": Ostrenia's
        out.append(s if (name, label) == (s.name, s.label) else replace(s, name=name, label=label))
    return out


def _org_roots(keys: dict[tuple[str, str], str], join: dict[str, str]) -> dict[str, str]:
    """Join a one-word name to the one organisation name of the story it begins."""
    orgs = {k for (name, label), k in keys.items() if label == "ORG" and len(name.split()) > 1}
    beginning: dict[str, set[str]] = {}  # first word -> the organisations it begins
    for o in orgs:
        beginning.setdefault(o.split()[0], set()).add(o)
    places = {name for (name, label) in keys if label not in FIRST_LABELS}
    out: dict[str, str] = {}
    for (name, label), key in keys.items():
        if " " in name or key in join or label not in FIRST_LABELS or name in places:
            continue
        found = set(beginning.get(name.casefold(), ()))
        if len(found) == 1:
            out[key] = found.pop()
    return out


def _story_mention(
    a: AnalyzedArticle, e: Entity, speaking: Sequence[tuple[int, int]] = ()
) -> Sighting | None:
    """The mention under its story-level name and label, or None when who's who skips it."""
    name, label = e.canonical or e.text, e.label
    acts = e.dep in ACTING_DEPS or any(s < e.end and e.start < t for s, t in speaking)
    if label != "PERSON":
        country = country_named(name)
        people = demonym_country(name)
        if country is not None:
            name, label = country, "GPE"
        elif people is not None:
            name, label = people, "GPE"  # "Israeli" is Israel's
        if people is not None or e.label == "NORP":
            acts = acts or bool(_ACTOR_AFTER.match(a.text, e.end))
    if label not in WHO_LABELS:
        return None
    roles = e.roles if label == "PERSON" else ()
    return Sighting(a.id, name, label, e.text, roles, acts)


def _key(s: Sighting) -> str:
    """The grouping key before surnames are joined: person names ignore hyphens and case."""
    return "p:" + person_key(s.name) if s.label == "PERSON" else entity_key(s.name)


def _person_roots(keys: set[str]) -> dict[str, str]:
    """Join each person key to the one longer name of the story it ends (or begins) with."""
    roots: dict[str, str] = {}
    ordered = sorted(keys, key=lambda k: (-len(k.split()), k))
    by_word: dict[str, list[str]] = {}  # a name can hold a part only when it holds its words
    for key in ordered:
        for w in set(key[2:].split()):
            by_word.setdefault(w, []).append(key)
    for key in ordered:
        words = key[2:].split()
        if not words:
            continue
        found = {
            roots.get(other, other)
            for other in by_word.get(words[-1], ())
            if len(other[2:].split()) > len(words) and _part_of(other[2:].split(), words)
        }
        if len(found) == 1:
            roots[key] = found.pop()
    return roots


def _part_of(full: list[str], part: list[str]) -> bool:
    """True when ``part`` ends ``full``, begins it (two words or more) or lacks only its middle."""
    n = len(part)
    return (
        full[-n:] == part
        or (n >= 2 and full[:n] == part)
        or (n == 2 and full[0] == part[0] and full[-1] == part[-1])
    )


def _entry(group: list[Sighting]) -> EntityEntry:
    """One who's who line: a full name before a surname, then the most used name."""
    names = Counter(s.name for s in group)
    labels = Counter(s.label for s in group)
    aliases = Counter(s.alias for s in group)
    return EntityEntry(
        name=max(names.items(), key=lambda kv: (" " in kv[0], kv[1], len(kv[0]), kv[0]))[0],
        label=labels.most_common(1)[0][0],
        aliases=tuple(t for t, _ in sorted(aliases.items(), key=lambda kv: (-kv[1], kv[0]))),
        articles=tuple(sorted({s.article for s in group})),
        mentions=len(group),
        roles=story_roles(Counter(r for s in group for r in s.roles)),
    )


def story_roles(counts: Counter[str]) -> tuple[str, ...]:
    """Distinct roles, most frequent first; a bare title gives way to a qualified one.

    "Kazakh president" and "Kazakhstan's president" are one role (shown as the more frequent);
    "president" is dropped when "Kazakh president" is there.
    """
    by_key: dict[tuple[str, str], Counter[str]] = {}
    for role, n in counts.items():
        by_key.setdefault(role_key(role), Counter())[role] += n
    qualified = {title for whose, title in by_key if whose}
    kept = [
        (sum(c.values()), c.most_common(1)[0][0])
        for (whose, title), c in by_key.items()
        if whose or title not in qualified
    ]
    return tuple(role for _, role in sorted(kept, key=lambda nr: (-nr[0], nr[1])))


def role_key(role: str) -> tuple[str, str]:
    """(whose, title): "U.S. secretary of state" -> ("United States", "secretary of state")."""
    words = role.split()
    of = re.fullmatch(r"(.+?) of (?:the )?(.+)", role)
    if of and (country := country_named(of.group(2))):
        return country, of.group(1).casefold()
    if len(words) > 1:
        first = re.sub(r"['’]s$", "", words[0])
        whose = country_named(first) or demonym_country(first)
        if whose:
            return whose, " ".join(words[1:]).casefold()
    return "", role.casefold()
