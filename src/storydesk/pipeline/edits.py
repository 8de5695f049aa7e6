"""Edits of an article's outlet or date, and undo of the latest correction, as library calls.

Each is a row of the corrections log (``storydesk.store.edits``); the stories it touches are
marked stale with it and rebuilt at once, like merge, split and move. A changed date also
re-analyses the article: its relative dates ("Thursday") are resolved against it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from storydesk.options import Options
from storydesk.pipeline.run import SilentReporter, finish_stale, rebuild
from storydesk.store import Store
from storydesk.store import edits as stored
from storydesk.store.corrections import story_of

Values = dict[str, str | None]


@dataclass(frozen=True)
class Update:
    """What ``--update`` did to inputs already stored."""

    correction: int | None  # the one correction recording every edit (None: nothing changed)
    articles: tuple[int, ...]  # the articles edited
    notes: tuple[str, ...]  # inputs not edited, each named with why


def edit(article_id: int, values: Values, options: Options) -> int:
    """Set an article's outlet and/or published date; returns the correction id."""
    return edit_many([(article_id, values)], options)


def edit_many(changes: Sequence[tuple[int, Values]], options: Options) -> int:
    """Set several articles' outlets and/or dates as one correction; returns its id."""
    with Store(options.db) as store:
        cid = stored.edit_articles(store, changes)
        stories = {story_of(store, aid) for aid, _ in changes}
        _settle(store, cid, sorted(s for s in stories if s is not None), options)
    return cid


def update_stored(sources: Iterable[str], values: Values, options: Options) -> Update:
    """Give the stored articles read from ``sources`` these values (those that differ)."""
    changes: list[tuple[int, Values]] = []
    notes: list[str] = []
    with Store(options.db) as store:
        for source in dict.fromkeys(sources):
            own, folded = stored.stored_from(store, source)
            if own is None:
                why = (
                    f"a duplicate of article {folded}: edit that with `storydesk edit {folded}`"
                    if folded is not None
                    else "no single stored article is read from it"
                )
                notes.append(f"{source}: not updated ({why})")
                continue
            article = store.article(own)
            differ = {k: v for k, v in values.items() if getattr(article, k, None) != v}
            if differ and own not in (aid for aid, _ in changes):
                changes.append((own, differ))
    if not changes:
        return Update(None, (), tuple(notes))
    return Update(edit_many(changes, options), tuple(a for a, _ in changes), tuple(notes))


def undo(options: Options) -> tuple[int, int]:
    """Undo the latest correction not yet undone; returns (the undo's id, the one undone)."""
    with Store(options.db) as store:
        done = stored.undo_last(store)
        # from scratch: an undone edit changes outlets and dates the stored state holds
        _settle(store, done[0], sorted(store.stale()), options)
    return done


def _settle(store: Store, cid: int, stories: Sequence[int], options: Options) -> None:
    """Re-analyse the articles a correction re-dated, then rebuild the stories it touched."""
    redated = [
        int(e["article"])
        for e in stored.edited(store, cid)
        if "published" in e["after"] and e["before"].get("published") != e["after"]["published"]
    ]
    _reanalyse(store, redated, options)
    # from scratch: a story's stored state (fold rows) holds outlets and dates
    rebuild(list(stories), options, store, SilentReporter())
    finish_stale(options, store, SilentReporter())


def _reanalyse(store: Store, article_ids: Sequence[int], options: Options) -> None:
    """Analyse again the (analysed) articles given, as they are stored now."""
    from storydesk.analyze.core import analyze_articles

    had = {a.id for a in store.analyses(article_ids)}
    articles = [a for a in (store.article(aid) for aid in article_ids if aid in had) if a]
    if not articles:
        return
    for analysis in analyze_articles(articles, replace(options, workers=1)):
        store.put_analysis(analysis, options.spacy_model)  # marks its story stale
