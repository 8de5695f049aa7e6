"""A story of 2,000 articles: what adding one costs, `show`, a full rebuild, peak memory.

Usage: python bench/big_story.py [--sizes 10,100,1000,2000] [--before 10,100,300]
                                 [--exact 40] [--db /tmp/storydesk-big.db] [--adds 1]
                                 [--no-rebuild] [--parts] [--warm]

The 772 ECB+ dev articles (analysed once, cached under /tmp by ``bench/ecb_analyzed.py``)
and perturbed copies of them (every copy drops a different quarter of its sentences, and
gets another outlet and date) are forced into one story in join order. The story grows to
each size; at each one, one more article is assigned and its dossier brought in step
(``finish_stale``: the fold and the parts it publishes: search rows, listing, changes) and
timed, then shown twice with ``api.dossier`` + ``render_json``: the first read assembles the
dossier from the stored state and caches it, the second reads the cache. At the end
``show --format json`` in a subprocess (the CLI), and a full rebuild. ``--parts`` also times,
at each size, what a first read does (reading the state, assembling, ``dumps``, the cache
write rolled back, ``render_json``); ``--warm`` loads the embedding model once for all adds,
as a long-running ``serve --watch`` does (without it every add opens the model, as one
``storydesk run`` does). ``--before`` times the exact all-pairs dossier (``core_step`` on all
the articles: what every added article cost before issue 16) at those sizes.
Run by hand, never in ``make test``.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from storydesk.model import AnalyzedArticle, Assignment, MediaType, Quote, RawDocument
from storydesk.options import DossierSettings, Options

OUTLETS = ("Wire One", "Daily Two", "Post Three", "Herald Four", "Radio Five", "Times Six")


def copy_of(a: AnalyzedArticle, r: int, new_id: int) -> AnalyzedArticle:
    """A perturbed copy: a quarter of the sentences dropped (which ones depends on r), the
    offsets of what is kept moved, another outlet and date."""
    kept = [s for i, s in enumerate(a.sentences) if (i + r) % 4 != 0] or list(a.sentences)
    shift: list[tuple[int, int, int]] = []  # (start, end, delta) per kept sentence
    texts: list[str] = []
    at = 0
    for s in kept:
        shift.append((s.start, s.end, at - s.start))
        texts.append(s.text)
        at += len(s.text) + 2

    def moved(start: int, end: int) -> int | None:
        for lo, hi, delta in shift:
            if lo <= start and end <= hi:
                return delta
        return None

    def span(x: object) -> object | None:
        d = moved(x.start, x.end)  # type: ignore[attr-defined]
        if d is None:
            return None
        return dataclasses.replace(x, start=x.start + d, end=x.end + d)  # type: ignore[attr-defined,type-var]

    sentences = tuple(
        dataclasses.replace(s, start=s.start + d, end=s.end + d, paragraph=k)
        for k, (s, (_, _, d)) in enumerate(zip(kept, shift, strict=True))
    )
    quotes: list[Quote] = []
    for q in a.quotes:
        d = moved(q.start, q.end)
        if d is not None:
            quotes.append(
                dataclasses.replace(
                    q,
                    start=q.start + d,
                    end=q.end + d,
                    speaker=span(q.speaker) if q.speaker else None,  # type: ignore[arg-type]
                    cue=span(q.cue) if q.cue else None,  # type: ignore[arg-type]
                )
            )
    day = 1 + (r * 7 + new_id) % 27
    article = dataclasses.replace(
        a.article,
        id=new_id,
        paragraphs=tuple(texts),
        outlet=OUTLETS[(r + new_id) % len(OUTLETS)],
        title=f"{a.article.title} ({r})",
        published=f"2025-03-{day:02d}",
        sha256=f"{a.article.sha256}-{r}",
        source=f"{a.article.source}#copy={r}",
    )
    return dataclasses.replace(
        a,
        article=article,
        sentences=sentences,
        entities=tuple(e for e in (span(e) for e in a.entities) if e is not None),  # type: ignore[misc]
        quotes=tuple(quotes),
        times=tuple(t for t in (span(t) for t in a.times) if t is not None),  # type: ignore[misc]
        credits=tuple(c for c in (span(c) for c in a.credits) if c is not None),  # type: ignore[misc]
        attributions=(),
        numbers=tuple(n for n in (span(n) for n in a.numbers) if n is not None),  # type: ignore[misc]
        headline_quotes=(),
    )


def pool(n: int) -> list[AnalyzedArticle]:
    """n articles: the ECB+ dev articles, then perturbed copies (ids set by the store)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from ecb_analyzed import DEFAULT_DATA, analyzed

    base = analyzed(DEFAULT_DATA)
    out = list(base)
    r = 1
    while len(out) < n:
        out += [copy_of(a, r, 0) for a in base]
        r += 1
    return out[:n]


def add(store: object, sid: int, articles: Sequence[AnalyzedArticle], options: Options) -> None:
    """Store articles with their analyses and assign them to the story (no dossier work)."""
    from storydesk.store import Store

    assert isinstance(store, Store)
    with store.transaction():
        for a in articles:
            content = f"{a.article.source}\n{a.text}".encode()
            sha = hashlib.sha256(content).hexdigest()
            store.put_raw(RawDocument(a.article.source, content, MediaType.TEXT, sha))
            stored = store.add_article(dataclasses.replace(a.article, id=0, sha256=sha))
            store.put_analysis(dataclasses.replace(a, article=stored), options.spacy_model)
            store.assign(Assignment(stored.id, sid, 1.0, reason="bench"), sid)


def parts(store: object, sid: int, options: Options) -> str:
    """What a first read of a big story does: reading the state, assembling, serialising,
    caching (rolled back), and rendering the JSON."""
    from storydesk.dossier.assemble import assemble
    from storydesk.render.jsonout import render_json
    from storydesk.serialize import dumps
    from storydesk.store import Store
    from storydesk.store.folds import FoldStore
    from storydesk.store.published import cache, due

    assert isinstance(store, Store)
    times: list[tuple[str, float]] = []
    t = time.perf_counter()
    snap = FoldStore(store, sid).snapshot()
    assert snap is not None
    times.append(("read state", time.perf_counter() - t))
    t = time.perf_counter()
    dossier = assemble(sid, snap.articles, snap.facts, snap.members, snap.quotes, snap.edges,
                       snap.conflicts, snap.counts.lead, options, snap.quote_conflicts)  # fmt: skip
    times.append(("assemble", time.perf_counter() - t))
    t = time.perf_counter()
    dumps(dossier)
    times.append(("dumps", time.perf_counter() - t))
    marked = due(store, sid)
    if marked is not None:
        store.conn.execute("SAVEPOINT parts")
        t = time.perf_counter()
        cache(store, dossier, marked.folded)
        times.append(("cache (dumps + write)", time.perf_counter() - t))
        store.conn.execute("ROLLBACK TO parts")
        store.conn.execute("RELEASE parts")
    t = time.perf_counter()
    render_json(dossier)
    times.append(("render_json", time.perf_counter() - t))
    return ", ".join(f"{name} {s:.2f} s" for name, s in times)


def main() -> None:
    """Grow one story, time one more article at each size, show, rebuild; print a table."""
    from storydesk import api
    from storydesk.pipeline.dossiers import core_step
    from storydesk.pipeline.run import SilentReporter, finish_stale, rebuild
    from storydesk.render.jsonout import render_json
    from storydesk.store import Store
    from storydesk.text.embed import LazyEmbedder

    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10,100,1000,2000")
    ap.add_argument("--before", default="10,100,300")
    ap.add_argument("--exact", type=int, default=DossierSettings().exact_articles)
    ap.add_argument("--db", type=Path, default=Path("/tmp/storydesk-big.db"))
    ap.add_argument("--adds", type=int, default=1, help="single adds timed at each size")
    ap.add_argument("--rebuild", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument("--parts", action="store_true", help="time the dossier update's parts")
    ap.add_argument(
        "--warm", action="store_true", help="one embedding model for all adds (as `serve` holds)"
    )
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    before = [int(s) for s in args.before.split(",") if s]
    options = Options(db=args.db, dossier=DossierSettings(exact_articles=args.exact))
    articles = pool(max(sizes) + len(sizes) * args.adds + 1)
    print(f"pool: {len(articles)} articles; exact core: {args.exact}", flush=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(args.db) + suffix).unlink(missing_ok=True)
    rep = SilentReporter()
    warm = LazyEmbedder(options) if args.warm else None
    rows: list[tuple[int, float, float, float, float]] = []
    with Store(args.db) as store:

        def stale() -> None:
            """Bring the story in step (with the one warm model when ``--warm``)."""
            if warm is None:
                finish_stale(options, store, rep)
            else:
                finish_stale(options, store, rep, warm)

        sid = store.new_story("big")
        used = 0
        for size in sizes:
            t = time.perf_counter()
            add(store, sid, articles[used:size], options)
            used = size
            stale()
            grow = time.perf_counter() - t
            times = []
            for _ in range(args.adds):
                t = time.perf_counter()
                add(store, sid, articles[used : used + 1], options)
                stale()
                times.append(time.perf_counter() - t)
                used += 1
            one = sorted(times)[len(times) // 2]
            shows = []
            for _ in range(2):  # the first read assembles and caches, the second reads it
                t = time.perf_counter()
                found = api.dossier(sid, options)
                assert found is not None
                render_json(found)
                shows.append(time.perf_counter() - t)
            rows.append((size, one, grow, shows[0], shows[1]))
            each = ", ".join(f"{x:.2f}" for x in times)
            print(f"size {size}: add one {one:.2f} s (median of {each}; growing to it:"
                  f" {grow:.1f} s); show {shows[0]:.2f} s first, {shows[1]:.2f} s cached",
                  flush=True)  # fmt: skip
            if args.parts and used > args.exact:
                print(f"  parts at {used}: {parts(store, sid, options)}", flush=True)
        t = time.perf_counter()
        shown = api.dossier(sid, options)
        assert shown is not None
        read_s = time.perf_counter() - t
        text = render_json(shown)
        show_s = time.perf_counter() - t
        t = time.perf_counter()
        if args.rebuild:
            rebuild([sid], options, store, rep)
        rebuild_s = time.perf_counter() - t
    t = time.perf_counter()
    out = subprocess.run(
        [str(Path(sys.executable).parent / "storydesk"), "--db", str(args.db), "show", str(sid),
         "--format", "json"],
        capture_output=True, check=False,
    )  # fmt: skip
    cli_s = time.perf_counter() - t
    print(
        f"story of {used} articles: {len(shown.facts)} facts, {len(shown.quotes)} quotes,"
        f" {len(shown.conflicts)} conflicts, JSON {len(text) / 1e6:.1f} MB"
    )
    print(f"show (api.dossier + render_json): {show_s:.2f} s (api.dossier {read_s:.2f} s);"
          f" CLI show --format json: {cli_s:.2f} s (rc {out.returncode})")  # fmt: skip
    if args.rebuild:
        print(f"full rebuild of {used} articles: {rebuild_s:.1f} s")
    befores: list[tuple[int, float]] = []
    embedder = LazyEmbedder(options)
    for size in before:
        t = time.perf_counter()
        core_step(1, articles[:size], options, embedder)
        befores.append((size, time.perf_counter() - t))
        print(f"before (exact all-pairs dossier of {size}): {befores[-1][1]:.2f} s", flush=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {rss:.0f} MB")
    print("| story size | add one article (fold + published parts) | first show | cached show"
          " | growing to it |")  # fmt: skip
    print("|---|---|---|---|---|")
    for size, one, grow, first, again in rows:
        print(f"| {size} | {one:.2f} s | {first:.2f} s | {again:.2f} s | {grow:.1f} s |")


if __name__ == "__main__":
    main()
