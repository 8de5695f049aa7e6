"""Crosscheck: align sentences across a story's articles into facts, and find conflicts.

Facts are greedy clusters of sentences (at most one per article) aligned by words and
sentence embeddings (``crosscheck.align``); support is counted in independent-source
groups from lineage. Conflicts compare structured values only (numbers with their noun, dates,
member lists, modality, quote wording and speakers), so each one can say exactly what differs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from storydesk.crosscheck.align import Unit, align, align_facts, sentence_units
from storydesk.crosscheck.quotes import (
    Occurrence,
    group_quotes,
    inside_quote,
    occurrences,
    quote_key,
    relays,
    speaker_groups,
    wording_changes,
    wording_classes,
)
from storydesk.model import (
    AnalyzedArticle,
    Conflict,
    ConflictKind,
    Entity,
    Fact,
    FactStatus,
    Lineage,
    Support,
    Variant,
)
from storydesk.options import Options
from storydesk.text.embed import LazyEmbedder
from storydesk.text.features import (
    NUMBER_WORDS,
    STOPWORDS,
    content_words,
    entity_key,
    normalize_text,
    sentence_entities,
    sentence_index,
    stem,
)

MEMBER_LABELS = frozenset({"GPE", "ORG"})
MIN_SHARED_MEMBERS = 2  # two enumerations describe the same list when they share this many
MIN_SPEAKER_QUOTE_WORDS = 4  # shorter quotations are too common to pin on one speaker
CONFLICT_SAME = 0.55  # alignment score from which differing counts are a conflict, not 2 facts
CONTEXT_WORDS = 3  # content words before a number or date that say what it is about

_NUMBER = re.compile(
    r"(?<![\w.,:/-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|"
    + "|".join(w for w in NUMBER_WORDS if w not in ("zero", "one"))
    + r")(?![\w])(\s*%)?",
    re.IGNORECASE,
)
_MONTH_BEFORE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*$", re.IGNORECASE
)
_NOT_A_COUNT_AFTER = re.compile(r"\s*(?:a\.m\.|p\.m\.|am\b|pm\b|:\d|,\s*\d{4})", re.IGNORECASE)
_NOUN = re.compile(r"[A-Za-z]+")
_LOWER_WORD = re.compile(r" ([a-z]+)\b(?![-'])")
UNIT_WORDS = 2  # lower-case words after the counted noun that may belong to it
_YEAR = re.compile(r"(?<![\w.,])(1[89]\d\d|20\d\d)(?![\w])")
_CALENDAR_TEXT = """january february march april may june july august september october
    november december jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday
    wednesday thursday friday saturday sunday mon tue wed thu fri sat sun"""
_CALENDAR_WORDS = frozenset(_CALENDAR_TEXT.split())
_HEDGES = frozenset(
    {"roughly", "about", "nearly", "almost", "around", "approximately", "estimated"}
    | {"some", "least", "most"}
)
_DATE_VALUE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_LIST_GLUE = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s*)(?:the\s+)?$", re.I)
MODALITY = (
    ("agreed in principle", re.compile(r"\bagree(?:d|s)? in principle\b", re.I)),
    ("has agreed", re.compile(r"\b(?:has|have|had)\s+(?:\w+\s+)?agreed\b", re.I)),
    ("is expected to", re.compile(r"\b(?:is|are|was|were)\s+(?:\w+\s+)?expected\s+to\b", re.I)),
    (
        "still in negotiations",
        re.compile(
            r"\bfinal (?:stage|stages|phase)\b|\bstill being negotiated\b|\bin negotiations?\b",
            re.I,
        ),
    ),
    ("will join", re.compile(r"\bwill\s+(?:\w+\s+)?(?:join|sign|enter)\b", re.I)),
)


def crosscheck(
    articles: Sequence[AnalyzedArticle],
    lineage: Lineage,
    options: Options,
    embedder: LazyEmbedder | None = None,
) -> tuple[tuple[Fact, ...], tuple[Conflict, ...]]:
    """Facts (aligned sentences with independent support) and conflicts for one story."""
    # pass one LazyEmbedder per run so the model loads once; without one, one is made here
    units = sentence_units(articles)
    sim = align(articles, units, embedder or LazyEmbedder(options)).score
    sim = split_disagreeing(articles, units, sim)
    clusters = align_facts(units, sim)
    conflicts: list[Conflict] = []
    for members in clusters:
        if len(members) > 1:
            conflicts.extend(fact_conflicts(articles, [units[i] for i in members]))
    conflicts.extend(member_conflicts(articles))
    conflicts.extend(quote_conflicts(articles))
    conflicts.sort(key=lambda c: (-_spread(c, articles, lineage), -len(c.support), c.kind))
    # differing status wordings are variants of one claim: listed, but the claim stands
    disputed = {
        (s.article, s.sentence) for c in conflicts if c.kind != "modality" for s in c.support
    }
    facts = [_fact(articles, lineage, units, sim, members, disputed) for members in clusters]
    facts.sort(key=lambda f: (-f.independent_sources, -len(f.support), _first(f, articles)))
    return tuple(facts), tuple(conflicts)


def split_disagreeing(
    articles: Sequence[AnalyzedArticle], units: Sequence[Unit], sim: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Scores with weakly aligned pairs that give one count different values set below the
    'same' mark: a disagreement is a conflict only between sentences that clearly align."""
    # "the last strike lasted nine days" ~ "the strike is set to last five days" (0.51)
    rows, cols = np.nonzero(np.triu((sim >= 0.5) & (sim < CONFLICT_SAME), k=1))
    if not len(rows):
        return sim
    counts: dict[int, list[Mention]] = {}

    def of(i: int) -> list[Mention]:
        if i not in counts:
            u = units[i]
            counts[i] = _unambiguous(numbers(articles[u.article].sentences[u.sentence].text))
        return counts[i]

    out = sim.copy()
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        if any(
            a.key == b.key and a.value != b.value and a.context & b.context
            for a in of(i)
            for b in of(j)
        ):
            out[i, j] = out[j, i] = 0.0
    return out


def _fact(
    articles: Sequence[AnalyzedArticle],
    lineage: Lineage,
    units: Sequence[Unit],
    sim: npt.NDArray[np.float64],
    members: Sequence[int],
    disputed: set[tuple[int, int]],
) -> Fact:
    """A fact from one cluster of units."""
    support = tuple(_support(articles, units[i].article, units[i].sentence) for i in members)
    best = 0
    if len(members) > 1:
        # the most central sentence, preferring one that is not cut from inside a quotation
        central = sim[np.ix_(members, members)].sum(axis=1)
        quoted = [inside_quote(articles[units[i].article], units[i].sentence) for i in members]
        best = max(range(len(members)), key=lambda k: (not quoted[k], central[k], -k))
    groups = independent_groups([s.article for s in support], lineage)
    conflicting = any((s.article, s.sentence) in disputed for s in support)
    status = (
        FactStatus.CONFLICTING
        if conflicting
        else FactStatus.CORROBORATED
        if groups >= 2
        else FactStatus.SINGLE_SOURCE
    )
    outlets = {articles[units[i].article].article.outlet for i in members}
    return Fact(
        text=support[best].text,
        support=support,
        independent_sources=groups,
        status=status,
        outlets=tuple(sorted(o for o in outlets if o)),
    )


def independent_groups(article_ids: Iterable[int], lineage: Lineage) -> int:
    """Number of distinct independence groups among articles (unknown ids count alone)."""
    keys: set[tuple[str, int]] = set()
    for aid in article_ids:
        try:
            keys.add(("group", lineage.group_of(aid)))
        except KeyError:
            keys.add(("article", aid))
    return len(keys)


def _support(articles: Sequence[AnalyzedArticle], a_index: int, s_index: int) -> Support:
    """Support pointing at one sentence."""
    article = articles[a_index]
    return Support(article.id, s_index, article.sentences[s_index].text)


def _first(fact: Fact, articles: Sequence[AnalyzedArticle]) -> tuple[int, int]:
    """Earliest position of a fact: (article order, sentence index)."""
    order = {a.id: i for i, a in enumerate(articles)}
    return min((order.get(s.article, len(order)), s.sentence) for s in fact.support)


def _spread(conflict: Conflict, articles: Sequence[AnalyzedArticle], lineage: Lineage) -> int:
    """Independent groups behind a conflict, to rank conflicts by significance."""
    return independent_groups({s.article for s in conflict.support}, lineage)


def _who(articles: Sequence[AnalyzedArticle], ids: Iterable[int]) -> str:
    """Outlets (or article ids) of the given articles, for descriptions."""
    by_id = {a.id: a for a in articles}
    names: list[str] = []
    for aid in ids:
        outlet = by_id[aid].article.outlet if aid in by_id else None
        name = outlet or f"article {aid}"
        if name not in names:
            names.append(name)
    return ", ".join(names)


# ---------------------------------------------------------------- values per sentence


@dataclass(frozen=True)
class Mention:
    """A value stated in a sentence: a count of something, or a date."""

    key: str  # what it measures: the counted noun ("nation"), or a date's precision ("day")
    value: str  # normalised: "4", "12.5", "2025-06-01"
    written: str  # as the sentence writes it: "Four nations", "June 1, 2025"
    context: frozenset[str]  # content words each side of it
    unit: str = ""  # what is counted, as written: "bus drivers", "billion cubic metres"
    opens: bool = False  # the count opens its sentence: it is what the sentence is about


def numbers(text: str) -> list[Mention]:
    """Counts in a sentence with the noun right after them: 'four nations', '12%', '3 cables'."""
    out: list[Mention] = []
    for m in _NUMBER.finditer(text):
        word = m.group(1).lower()
        if _MONTH_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
            continue
        if text[: m.start()].rstrip().endswith(":"):
            continue  # the minutes of a time ("7 : 40 p.m.")
        after = text[m.end() :]
        if m.group(2):
            noun, end = "percent", m.end()
            noun_end = end
        else:
            if _YEAR.fullmatch(word) or _NOT_A_COUNT_AFTER.match(after):
                continue
            w = _NOUN.match(after.lstrip(" "))
            if w is None or w.group(0).lower() in STOPWORDS or after[:1] not in (" ", ""):
                continue
            if len(w.group(0)) < 2:
                continue  # "p" of "p . m ."
            noun = stem(w.group(0).lower())
            noun_end = m.end() + (len(after) - len(after.lstrip(" "))) + w.end()
            end = _unit_end(text, noun_end, w.group(0))
        amount = float(NUMBER_WORDS[word]) if word in NUMBER_WORDS else float(word.replace(",", ""))
        # the words each side say what is counted: "receive 3.2 billion cubic metres"
        context = _context(text[max(0, m.start() - 40) : m.start()])
        context |= _context(text[noun_end : noun_end + 60], last=False)
        unit = "percent" if m.group(2) else text[m.end() : end].strip()
        opens = not text[: m.start()].strip()
        out.append(Mention(noun, f"{amount:g}", text[m.start() : end], context, unit, opens))
    return out


def _unit_end(text: str, end: int, noun: str) -> int:
    """End of the counted phrase: 'bus' -> 'bus drivers', 'billion' -> 'billion cubic metres'
    (up to two more lower-case words, stopping after a plural)."""
    last = noun
    for _ in range(UNIT_WORDS):
        if (last.endswith("s") and last.lower() != "bus") or last.lower() in ("percent", "per"):
            break
        w = _LOWER_WORD.match(text, end)
        if w is None or w.group(1) in STOPWORDS:
            break
        end, last = w.end(), w.group(1)
    return end


def dates(article: AnalyzedArticle, s_index: int) -> list[Mention]:
    """Explicit dates and years in one sentence (time expressions, then bare years)."""
    sentence = article.sentences[s_index]
    found: list[tuple[int, int, str, str]] = []
    for t in article.times:
        if t.start >= sentence.start and t.end <= sentence.end:
            found.append((t.start, t.end, t.value or "", t.text))
    for m in _YEAR.finditer(sentence.text):
        start = sentence.start + m.start()
        if not any(s <= start < e for s, e, _, _ in found):
            found.append((start, sentence.start + m.end(), m.group(1), m.group(1)))
    out: list[Mention] = []
    for start, end, value, written in sorted(found):
        if not _DATE_VALUE.match(value):
            continue
        context = _context(article.text[max(sentence.start, start - 40) : start])
        if not context:  # a date that opens the sentence: use the words after it
            context = _context(article.text[end : min(sentence.end, end + 60)], last=False)
        precision = {4: "year", 7: "month", 10: "day"}[len(value)]
        out.append(Mention(precision, value, written, context))
    return out


def _context(text: str, *, last: bool = True) -> frozenset[str]:
    """The last (or first) three content words of a text, without numbers or calendar words."""
    words = [
        w
        for w in content_words(text)
        if not w.isdigit() and w not in _CALENDAR_WORDS and w not in _HEDGES
    ]
    return frozenset(words[-CONTEXT_WORDS:] if last else words[:CONTEXT_WORDS])


def modality(text: str) -> tuple[str, str] | None:
    """The status a sentence gives a claim, as (label, phrase), or None."""
    for label, pattern in MODALITY:
        m = pattern.search(text)
        if m:
            return label, m.group(0)
    return None


# ---------------------------------------------------------------- conflicts


def fact_conflicts(articles: Sequence[AnalyzedArticle], units: Sequence[Unit]) -> list[Conflict]:
    """Number, date and modality disagreements among the sentences of one fact."""
    counts: list[tuple[Unit, Mention]] = []
    days: list[tuple[Unit, Mention]] = []
    modal: dict[str, list[tuple[Unit, str]]] = {}
    for u in units:
        text = articles[u.article].sentences[u.sentence].text
        counts.extend((u, m) for m in _unambiguous(numbers(text)))
        days.extend((u, m) for m in _unambiguous(dates(articles[u.article], u.sentence)))
        status = modality(text)
        if status:
            modal.setdefault(status[0], []).append((u, status[1]))
    out: list[Conflict] = []
    for kind, mentions in ((ConflictKind.NUMBER, counts), (ConflictKind.DATE, days)):
        for component in _linked(mentions):
            by_value: dict[str, list[tuple[Unit, str]]] = {}
            for u, m in component:
                by_value.setdefault(m.value, []).append((u, m.written))
            if len(by_value) > 1:
                m0 = component[0][1]
                what = f"count of {m0.unit or m0.key}" if kind == "number" else "date"
                out.append(_conflict(articles, kind, what, by_value))
    if len(modal) > 1:
        out.append(_conflict(articles, ConflictKind.MODALITY, "status", modal))
    return out


def _unambiguous(mentions: Sequence[Mention]) -> list[Mention]:
    """Mentions whose key has a single value in the sentence ('two or three weeks' has two)."""
    values: dict[str, set[str]] = {}
    for m in mentions:
        values.setdefault(m.key, set()).add(m.value)
    seen: set[str] = set()
    out: list[Mention] = []
    for m in mentions:
        if len(values[m.key]) == 1 and m.key not in seen:
            seen.add(m.key)
            out.append(m)
    return out


def _linked(mentions: Sequence[tuple[Unit, Mention]]) -> list[list[tuple[Unit, Mention]]]:
    """Same-key mentions in different articles whose leading words overlap, as components."""
    # "take effect on June 1" ~ "take effect on July 1"; "met on May 2" !~ "drafted on May 9";
    # two aligned sentences that both open with a count of the same thing are about that count
    # ("Twelve people were injured …" ~ "Fourteen people were treated in hospital …")
    parent = list(range(len(mentions)))

    def find(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for i, (ui, mi) in enumerate(mentions):
        for j in range(i + 1, len(mentions)):
            uj, mj = mentions[j]
            same_topic = mi.context & mj.context or (mi.opens and mj.opens)
            if ui.article != uj.article and mi.key == mj.key and same_topic:
                parent[max(find(i), find(j))] = min(find(i), find(j))
    groups: dict[int, list[tuple[Unit, Mention]]] = {}
    for i, pair in enumerate(mentions):
        groups.setdefault(find(i), []).append(pair)
    return [g for g in groups.values() if len(g) > 1]


def _conflict(
    articles: Sequence[AnalyzedArticle],
    kind: ConflictKind,
    what: str,
    values: dict[str, list[tuple[Unit, str]]],
) -> Conflict:
    """A conflict whose variants are the distinct values, each with its sentences."""
    variants: list[Variant] = []
    parts: list[str] = []
    for value, found in values.items():
        shown = found[0][1]
        support = dedupe_supports(_support(articles, u.article, u.sentence) for u, _ in found)
        label = shown if kind != "date" else f"{shown} ({value})"
        variants.append(Variant(label, support))
        parts.append(f"“{label}” ({_who(articles, (s.article for s in support))})")
    return Conflict(kind, f"{what} differs: " + " vs ".join(parts), tuple(variants))


def dedupe_supports(supports: Iterable[Support]) -> tuple[Support, ...]:
    """Supports without repeats, in first-seen order."""
    seen: dict[tuple[int, int], Support] = {}
    for s in supports:
        seen.setdefault((s.article, s.sentence), s)
    return tuple(seen.values())


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


def member_conflicts(articles: Sequence[AnalyzedArticle]) -> list[Conflict]:
    """Different member lists for the same enumeration across articles (omission or change)."""
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
            variants.setdefault(keys | mentioned, []).append(_support(articles, a_index, s_index))
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
        who = _who(articles, (s.article for s in support))
        if nested:
            parts.append(f"{who} {_verb('omit', who)} {show(largest - keys)}")
        else:
            lists = show(keys - largest) or "none of them"
            instead = show(largest - keys) or "nothing"
            parts.append(f"{who} {_verb('list', who)} {lists} instead of {instead}")
    first = _who(articles, (s.article for s in ordered[0][1]))
    head = f"{first} {_verb('list', first)} {show(largest)}"
    description = f"member list differs: {head}; " + "; ".join(parts)
    return Conflict(
        ConflictKind.MEMBERS,
        description,
        tuple(Variant(show(keys), dedupe_supports(support)) for keys, support in ordered),
    )


def _verb(verb: str, who: str) -> str:
    """Third-person verb agreeing with a comma-separated list of names."""
    return verb if ", " in who else verb + "s"


def quote_conflicts(articles: Sequence[AnalyzedArticle]) -> list[Conflict]:
    """One quote worded materially differently, or attributed to different speakers."""
    out: list[Conflict] = []
    for members in group_quotes(occurrences(articles)):
        if len({m.article for m in members}) < 2:
            continue
        classes = wording_classes(members)
        if len(classes) > 1:
            out.append(_wording_conflict(articles, classes))
        conflict = _speaker_conflict(articles, members)
        if conflict is not None:
            out.append(conflict)
    return out


def _wording_conflict(
    articles: Sequence[AnalyzedArticle], classes: Sequence[Sequence[Occurrence]]
) -> Conflict:
    """Wordings of one quote that say different things: what changed, and who carried each."""
    base = classes[0][0].text
    speaker = next((m.speaker for c in classes for m in c if m.speaker), None)
    variants = tuple(
        Variant(c[0].text, dedupe_supports(_support(articles, m.article, m.sentence) for m in c))
        for c in classes
    )
    parts: list[str] = []
    for cls, variant in zip(classes[1:], variants[1:], strict=True):
        changes = wording_changes(base, cls[0].text)
        said = "; ".join(f"“{x}” vs “{y}”" for x, y in changes)
        parts.append(f"{said} ({_who(articles, (s.article for s in variant.support))})")
    head = f"wording differs{f' ({speaker})' if speaker else ''}: "
    carried = _who(articles, (s.article for s in variants[0].support))
    quoting = f"{carried} {_verb('quote', carried)} “{_short(base)}”; "
    description = head + quoting + ", ".join(parts)
    return Conflict(ConflictKind.QUOTE, description, variants)


def _speaker_conflict(
    articles: Sequence[AnalyzedArticle], members: Sequence[Occurrence]
) -> Conflict | None:
    """The same quotation attributed to different speakers in different articles."""
    long_enough = [m for m in members if len(quote_key(m.text).split()) >= MIN_SPEAKER_QUOTE_WORDS]
    speakers = speaker_groups(long_enough, relays(articles))
    if len(speakers) < 2 or len({m.article for _, v in speakers.values() for m in v}) < 2:
        return None
    variants = tuple(
        Variant(name, dedupe_supports(_support(articles, m.article, m.sentence) for m in found))
        for name, found in speakers.values()
    )
    who = " vs ".join(
        f"{v.value} ({_who(articles, (s.article for s in v.support))})" for v in variants
    )
    quote = _short(quote_key(members[0].text))
    return Conflict(ConflictKind.SPEAKER, f"speaker of “{quote}” differs: {who}", variants)


def _short(text: str, limit: int = 60) -> str:
    """A text cut to a length for descriptions."""
    plain = normalize_text(text).strip(" \"',")
    return plain if len(plain) <= limit else plain[: limit - 3].rstrip() + "..."
