"""What a fold publishes of a story above the exact core, with work bounded by what it touched.

The facts a step touched (new ones, new sentences of old ones, those of articles whose
independence group it merged, those a new conflict disputes) get their status from their
support and the story's independence groups, as ``dossier.assemble`` gives it; the quote
groups it touched get their search rows; the story's listing row and changes follow
(``store.published``). Reading the story's article ids, edges and relays for the groups (and
grouping them with and without the step's articles) is the one part that reads the whole
story: a few integers per article.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from storydesk.crosscheck.quotegroups import QUOTE_WORDINGS, group_conflicts
from storydesk.model import Conflict
from storydesk.model_state import FoldedArticle, QuoteMember, StoryDelta
from storydesk.options import Options
from storydesk.store import Store
from storydesk.store.folds import FoldStore
from storydesk.store.published import (
    FactRow,
    Listing,
    QuoteRow,
    add_relay_keys,
    add_speakers,
    fact_statuses,
    listed,
    published_outlets,
    put_quote_conflicts,
    quote_conflict_count,
    quote_disputed,
    relay_keys,
    speaking,
)
from storydesk.store.published import publish as write

_CHUNK = 400


def publish(
    store: Store,
    state: FoldStore,
    deltas: Sequence[StoryDelta],
    options: Options,
    full: bool,
    final: bool = True,
) -> None:
    """Publish the parts these steps touched (``full``: every part, read from the state;
    ``final``: the story holds all its articles, so a change in its sources is announced)."""
    from storydesk.crosscheck.facts import disputes
    from storydesk.text.features import published_date

    sid = state.story
    if full:
        deltas = [_whole(state)]
    edges = [e for d in deltas for e in d.edges]
    (store.put_lineage if full else store.add_lineage)(sid, edges)
    ids = state.folded()
    root, moved = _groups(store, sid, ids, deltas)
    found = [c for d in deltas for c in d.conflicts]
    cited = _facts_of(
        store, sid, [(s.article, s.sentence) for c in found if disputes(c) for s in c.support]
    )
    firsts: dict[int, list[QuoteMember]] = {}  # groups' first occurrences, read once
    quoted, requoted = _quote_conflicts(store, state, deltas, full, firsts)
    if full:
        touched = {
            int(r[0])
            for r in store.conn.execute("SELECT fact FROM fold_facts WHERE story_id = ?", (sid,))
        }
    else:
        touched = {n for d in deltas for n, _ in d.facts}
        touched |= {m.fact for d in deltas for m in d.members}
        touched |= _facts_in(store, sid, moved) | cited | requoted
    facts = _fact_rows(store, sid, sorted(touched), root, cited, options)
    groups = sorted({q.group for d in deltas for q in d.quotes})
    quotes = _quote_rows(store, state, groups, [q for d in deltas for q in d.quotes], firsts)
    refs = [a.digest.ref for d in deltas for a in d.articles]
    dates = [r.published for r in refs if r.published and published_date(r.published)]
    previous = None if full else listed(store, sid)
    if previous is not None:
        dates += [p for p in previous[1:] if p]
    dates.sort(key=lambda p: (published_date(p) or "", p))
    lead = next((d.lead for d in deltas if d.lead is not None), None)
    by_id = {r.id: r for r in refs}
    count = store.conn.execute
    listing = Listing(
        articles=len(ids),
        sources=len(set(root.values())),
        facts=count("SELECT count(*) FROM fold_facts WHERE story_id = ?", (sid,)).fetchone()[0],
        conflicts=count(
            "SELECT count(*) FROM fold_conflicts WHERE story_id = ?", (sid,)
        ).fetchone()[0]
        + quote_conflict_count(store, sid),
        first_published=dates[0] if dates else None,
        last_published=dates[-1] if dates else None,
        headline=by_id[lead].title.strip() if full and lead in by_id else None,
        joined=tuple((r.id, r.title) for r in refs),
        found=tuple((c.description, c.kind.value) for c in [*found, *quoted]),
    )
    write(store, sid, facts, quotes, listing, folded=len(ids), full=full, final=final)


def quote_conflicts(store: Store, state: FoldStore) -> None:
    """Find every quote group's conflicts (a story built without being published)."""
    _quote_conflicts(store, state, [_whole(state)], True, {})


def _groups(
    store: Store, sid: int, ids: Sequence[int], deltas: Sequence[StoryDelta]
) -> tuple[dict[int, int], list[int]]:
    """Each folded article's independence group, and the earlier articles whose group the
    steps merged into another."""
    from storydesk.lineage.groups import group_roots

    links = [
        (int(a), int(b))
        for a, b in store.conn.execute(
            "SELECT derived, source FROM lineage_edges WHERE story_id = ?", (sid,)
        )
    ]
    relayed = {
        int(a): r
        for a, r in store.conn.execute(
            "SELECT article_id, relay FROM fold_articles WHERE story_id = ? AND relay IS NOT NULL",
            (sid,),
        )
    }
    root = group_roots(ids, links, relayed)
    new_ids = {a.id for d in deltas for a in d.articles}
    fresh = {(e.derived, e.source) for d in deltas for e in d.edges}
    before = group_roots(
        [i for i in ids if i not in new_ids],
        [p for p in links if p not in fresh],
        {a: r for a, r in relayed.items() if a not in new_ids},
    )
    return root, [a for a, r in before.items() if root[a] != r]


def _quote_conflicts(
    store: Store,
    state: FoldStore,
    deltas: Sequence[StoryDelta],
    full: bool,
    firsts: dict[int, list[QuoteMember]],
) -> tuple[list[Conflict], set[int]]:
    """Re-check the quote groups the steps added to (and those a new relay speaks in); return
    the conflicts not found before and the facts whose disputed sentences changed."""
    from storydesk.crosscheck.facts import disputes
    from storydesk.text.features import entity_key

    sid = state.story
    quotes = [q for d in deltas for q in d.quotes]
    new_keys = add_relay_keys(
        store, sid, [k for d in deltas for a in d.articles for k in a.digest.relay_keys]
    )
    add_speakers(store, sid, [(entity_key(q.speaker), q.group) for q in quotes if q.speaker])
    recheck = {q.group for q in quotes} | (set() if full else speaking(store, sid, new_keys))
    keys = relay_keys(store, sid)
    new: list[Conflict] = []
    sentences: set[tuple[int, int]] = set()
    for g in sorted(recheck):
        found = group_conflicts(_first(state, g, firsts), keys)
        cites = {(s.article, s.sentence) for c in found if disputes(c) for s in c.support}
        before, cited = put_quote_conflicts(store, sid, g, found, cites)
        new += [c for c in found if c.description not in before]
        sentences |= cited | cites
    return new, _facts_of(store, sid, sentences)


def _first(state: FoldStore, group: int, firsts: dict[int, list[QuoteMember]]) -> list[QuoteMember]:
    """A quote group's first occurrences, read once per publish."""
    if group not in firsts:
        firsts[group] = state.quote_members(group, QUOTE_WORDINGS)
    return firsts[group]


def _whole(state: FoldStore) -> StoryDelta:
    """The story's whole state as one step (a rebuild, or a story that starts publishing)."""
    snap = state.snapshot()
    assert snap is not None, "publish after the state is written"
    return StoryDelta(
        articles=tuple(FoldedArticle(d.ref.id, d) for d in snap.articles),
        edges=snap.edges,
        facts=tuple(sorted(snap.facts.items())),
        conflicts=snap.conflicts,
        quotes=snap.quotes,
        lead=snap.counts.lead,
    )


def _facts_of(store: Store, sid: int, sentences: Iterable[tuple[int, int]]) -> set[int]:
    """The facts these sentences (article, sentence) belong to."""
    out: set[int] = set()
    for aid, sentence in set(sentences):
        out.update(
            int(r[0])
            for r in store.conn.execute(
                "SELECT fact FROM fold_members"
                " WHERE story_id = ? AND article_id = ? AND sentence = ?",
                (sid, aid, sentence),
            )
        )
    return out


def _facts_in(store: Store, sid: int, articles: Sequence[int]) -> set[int]:
    """The facts with a sentence in any of these articles."""
    out: set[int] = set()
    for k in range(0, len(articles), _CHUNK):
        chunk = list(articles[k : k + _CHUNK])
        out.update(
            int(r[0])
            for r in store.conn.execute(
                "SELECT DISTINCT fact FROM fold_members WHERE story_id = ?"
                f" AND article_id IN ({','.join('?' * len(chunk))})",
                (sid, *chunk),
            )
        )
    return out


def _fact_rows(
    store: Store,
    sid: int,
    numbers: Sequence[int],
    root: dict[int, int],
    cited: set[int],
    options: Options,
) -> list[FactRow]:
    """Each fact's search row: its sources over the independence groups, status and outlets."""
    from storydesk.crosscheck.facts import status_of

    before = fact_statuses(store, sid, numbers)
    quoted = quote_disputed(store, sid, numbers)
    texts: dict[int, str] = {}
    support: dict[int, list[tuple[int, str | None]]] = {}
    for k in range(0, len(numbers), _CHUNK):
        chunk = list(numbers[k : k + _CHUNK])
        marks = ",".join("?" * len(chunk))
        texts.update(
            (int(n), t)
            for n, t in store.conn.execute(
                f"SELECT fact, text FROM fold_facts WHERE story_id = ? AND fact IN ({marks})",
                (sid, *chunk),
            )
        )
        for n, a, o in store.conn.execute(
            "SELECT fact, article_id, outlet FROM fold_members WHERE story_id = ?"
            f" AND fact IN ({marks})",
            (sid, *chunk),
        ):
            support.setdefault(int(n), []).append((int(a), o))
    rows: list[FactRow] = []
    for n in numbers:
        found = support.get(n)
        if not found or n not in texts:
            continue
        sources = len({root.get(a, -1 - a) for a, _ in found})
        disputed = n in cited or before.get(n, ("", False))[1]  # by a fact conflict: for good
        rows.append(
            FactRow(
                number=n,
                text=texts[n],
                sources=sources,
                status=status_of(sources, disputed or n in quoted, options).value,
                disputed=disputed,
                outlets=tuple(sorted({o for _, o in found if o})),
            )
        )
    return rows


def _quote_rows(
    store: Store,
    state: FoldStore,
    groups: Sequence[int],
    new: Sequence[QuoteMember],
    firsts: dict[int, list[QuoteMember]],
) -> list[QuoteRow]:
    """Each touched quote group's search row: its first wording, most named speaker, outlets."""
    listed_now = published_outlets(store, state.story, groups)
    added: dict[int, set[str]] = {}
    for q in new:
        if q.outlet:
            added.setdefault(q.group, set()).add(q.outlet)
    rows: list[QuoteRow] = []
    for g in groups:
        first = _first(state, g, firsts)
        if not first:
            continue
        named = Counter(q.speaker for q in first if q.speaker)
        outlets = set(listed_now.get(g, [])) | added.get(g, set())
        outlets |= {q.outlet for q in first if q.outlet}
        rows.append(
            QuoteRow(
                group=g,
                text=first[0].text,
                speaker=named.most_common(1)[0][0] if named else None,
                outlets=tuple(sorted(outlets)),
            )
        )
    return rows
