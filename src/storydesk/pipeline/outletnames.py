"""One display name per outlet across inputs: names learned as inputs arrive, given to hosts.

An article that names its outlet (site name, byline, dateline, footer, ``--outlet``, or a
name in its text that its host spells) teaches the store that name, with its host when it
has one. An article whose only evidence is a host then gets the name that host was seen with,
or a learned name that spells the host ("northgateobserver.example" -> Northgate Observer).
Self-references are inferences and teach nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from storydesk.clean.outlets import host_spellings, name_key, spellings
from storydesk.model import Article, OutletSource
from storydesk.store import Store
from storydesk.store.outlets import OutletNames, articles_on_hosts, rename

_HOSTS = (OutletSource.URL, OutletSource.LINK)


def name_outlets(store: Store, articles: Sequence[Article]) -> list[Article]:
    """Learn from every article, then name bare hosts (stored ones too: stories go stale)."""
    names = OutletNames(store.conn)
    new = [found for a in articles if (found := learn(names, a))]
    for name, host in new:
        labels = spellings(name) | _with_the(spellings(name))
        for aid in articles_on_hosts(store.conn, labels, host):
            stored = store.article(aid)
            if stored is not None and (changed := named(names, stored)) is not stored:
                rename(store, changed)
    return [named(names, a) for a in articles]


def _with_the(labels: frozenset[str]) -> frozenset[str]:
    """Host labels with a leading "the" ("theepochtimes" for Epoch Times)."""
    return frozenset("the" + label for label in labels)


def learn(names: OutletNames, article: Article) -> tuple[str, str | None] | None:
    """Record the outlet name an article states; (name, host) when the store did not know it."""
    ev = article.outlet_evidence
    if not article.outlet or ev is None or ev.inferred:
        return None
    if ev.source in _HOSTS and ev.name_from is None:
        return None
    name = article.outlet
    new = names.learn(ev.host, name, name_key(name), spellings(name))
    return (article.outlet, ev.host) if new else None


def named(names: OutletNames, article: Article) -> Article:
    """The article with a learned name for its bare host, or its outlet's first-seen name."""
    ev = article.outlet_evidence
    if ev is None or not article.outlet:
        return article
    if ev.source in _HOSTS and ev.name_from is None and ev.host:
        found = names.named(ev.host, host_spellings(ev.host))
        if found is None:
            return article
        name, how = found
        why = f"{name} was seen on {ev.host}" if how == "host" else f"{ev.host} spells {name}"
        shown = names.first_named(name_key(name)) or name
        evidence = replace(ev, name_from=f"learned from other inputs: {why}")
        return replace(article, outlet=shown, outlet_evidence=evidence)
    first = names.first_named(name_key(article.outlet))
    if first is None or first == article.outlet:
        return article
    why = f"written {article.outlet} here; the outlet was first seen as {first}"
    return replace(article, outlet=first, outlet_evidence=replace(ev, name_from=why))
