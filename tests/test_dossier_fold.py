"""Incremental dossiers (issue 16): an exact core, then articles folded in through indexes.

The fold must give, article by article, the same dossier as a rebuild from scratch (which
recomputes the core and folds the rest through the same function), and its work per article
must be bounded by the index's limits, not by the story.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from storydesk.crosscheck.fold import FOLD_CANDIDATES, FOLD_MEMBERS, fold_facts
from storydesk.model import Dossier
from storydesk.model_state import FactMember
from storydesk.options import DossierSettings, Options
from storydesk.pipeline import run as pipeline
from storydesk.pipeline.dossiers import stored_dossier
from storydesk.render import render
from storydesk.render.jsonout import render_json
from storydesk.store import Store
from storydesk.store.folds import FoldStore
from tests.conftest import EXAMPLES, SEEDS, needs_seeds


def _options(db: Path, exact: int, published: str) -> Options:
    return Options(db=db, published=published, dossier=DossierSettings(exact_articles=exact))


def _shown(store: Store, sid: int, options: Options) -> Dossier | None:
    """A story's dossier as readers get it: whole, or assembled from its published parts."""
    with store.snapshot():
        return stored_dossier(store, sid, options)[0]


def _incremental_and_rebuilt(
    files: Sequence[Path], tmp_path: Path, exact: int, published: str
) -> tuple[dict[int, str], dict[int, str]]:
    """Dossier JSON per story: one run per article (folded), and all at once then rebuilt."""
    one = _options(tmp_path / "one.db", exact, published)
    with Store(one.db) as store:
        for f in files:
            pipeline.run([str(f)], one, store)
        folded = {sid: _shown(store, sid, one) for sid in store.story_members()}
        assert any(len(m) > exact for m in store.story_members().values())
        big = max(store.story_members().items(), key=lambda kv: len(kv[1]))[0]
        assert FoldStore(store, big).folded() == store.members_of(big)
    every = _options(tmp_path / "all.db", exact, published)
    with Store(every.db) as store:
        pipeline.run([str(f) for f in files], every, store)
        sids = sorted(store.story_members())
        assert pipeline.rebuild(sids, every, store, pipeline.SilentReporter()) == sids
        rebuilt = {sid: _shown(store, sid, every) for sid in sids}
    return (
        {k: render_json(v) for k, v in folded.items() if v is not None},
        {k: render_json(v) for k, v in rebuilt.items() if v is not None},
    )


def test_folding_article_by_article_equals_a_rebuild(tmp_path: Path) -> None:
    files = sorted(EXAMPLES.glob("ferry-*.txt"))
    assert len(files) >= 4
    folded, rebuilt = _incremental_and_rebuilt(files, tmp_path, 2, "2026-03-13")
    assert folded.keys() == rebuilt.keys() and folded
    for sid in folded:
        assert folded[sid] == rebuilt[sid], f"story {sid} differs"


@needs_seeds
def test_seeds_folded_equal_rebuilt(tmp_path: Path) -> None:
    files = sorted(SEEDS.glob("*.txt"))
    folded, rebuilt = _incremental_and_rebuilt(files, tmp_path, 3, "2025-11-07")
    assert folded == rebuilt and len(folded) == 1


def test_assembled_dossier_keeps_every_sentence_and_is_grounded(tmp_path: Path) -> None:
    from storydesk.crosscheck.align import sentence_units
    from storydesk.dossier.build import check_grounding

    options = _options(tmp_path / "s.db", 2, "2026-03-13")
    files = sorted(EXAMPLES.glob("ferry-*.txt"))
    with Store(options.db) as store:
        pipeline.run([str(f) for f in files], options, store)
        sid, members = max(store.story_members().items(), key=lambda kv: len(kv[1]))
        dossier = _shown(store, sid, options)
        articles = store.analyses(members)
    assert dossier is not None and len(members) > 2
    assert check_grounding(dossier) == []
    supported = {(s.article, s.sentence) for f in dossier.facts for s in f.support}
    alignable = {(articles[u.article].id, u.sentence) for u in sentence_units(articles)}
    assert supported == alignable  # every fact is kept, each sentence in exactly one fact
    assert sum(len(f.support) for f in dossier.facts) == len(alignable)
    assert [a.id for a in dossier.articles] == members
    assert dossier.brief and dossier.quotes and dossier.timeline and dossier.entities


def test_a_split_resets_the_state_and_matches_a_rebuild(tmp_path: Path) -> None:
    from storydesk.pipeline import corrections

    options = _options(tmp_path / "c.db", 2, "2026-03-13")
    with Store(options.db) as store:
        pipeline.run([str(f) for f in sorted(EXAMPLES.glob("ferry-*.txt"))], options, store)
        sid, members = max(store.story_members().items(), key=lambda kv: len(kv[1]))
    corrections.split(sid, [members[1]], options)  # the state no longer is a prefix
    with Store(options.db) as store:
        assert store.stale() == {}
        left = store.members_of(sid)
        assert FoldStore(store, sid).folded() == left
        after_split = render_json(_shown(store, sid, options))  # type: ignore[arg-type]
        pipeline.rebuild([sid], options, store, pipeline.SilentReporter())
        assert render_json(_shown(store, sid, options)) == after_split  # type: ignore[arg-type]


class _CountingIndex:
    """A fact index over a fixed story that counts what the fold reads."""

    def __init__(self, facts: int, members: int) -> None:
        self.facts, self.per_fact = facts, members
        self.reads: Counter[str] = Counter()

    def doc_freq(self, terms: Sequence[str]) -> dict[str, int]:
        return {t: 3 for t in terms}

    def fact_postings(self, term: str, limit: int) -> list[int]:
        self.reads["postings"] += 1
        return list(range(min(self.facts, limit)))

    def fact_members(self, fact: int, limit: int) -> list[FactMember]:
        self.reads["members"] += 1
        self.reads["rows"] += min(limit, self.per_fact)
        return [
            FactMember(fact, 1000 + k, 0, "The ferry ran aground near the harbour.", ("ferry",))
            for k in range(min(limit, self.per_fact))
        ]


def test_fold_work_is_bounded_whatever_the_story_size(nlp: object) -> None:
    from storydesk.analyze import analyze_articles
    from storydesk.model import Article

    text = (
        "The ferry Aurora ran aground near Port Ellis on Tuesday. "
        "Forty passengers were taken off by lifeboats. The coast guard is investigating."
    )
    article = analyze_articles([Article("t", "x", "Ferry aground", (text,), id=1)], Options())[0]
    reads = []
    for facts in (10, 10_000):
        index = _CountingIndex(facts, members=5_000)
        fold = fold_facts(article, index, 50_000, facts, lambda texts: None, lambda ids: [])
        assert fold.members and all(m.article == 1 for m in fold.members)
        reads.append(index.reads)
    big = reads[1]
    units = len({m.sentence for m in fold.members})
    assert big["members"] <= FOLD_CANDIDATES * units
    assert big["rows"] <= FOLD_CANDIDATES * FOLD_MEMBERS * units
    assert reads[0]["rows"] <= big["rows"] <= FOLD_CANDIDATES * FOLD_MEMBERS * units


def test_renderers_list_the_strongest_facts_and_count_the_rest(tmp_path: Path) -> None:
    import dataclasses

    from storydesk.render.common import SHOWN

    options = _options(tmp_path / "r.db", 40, "2026-03-13")
    with Store(options.db) as store:
        pipeline.run([str(EXAMPLES / "ferry-harbor-wire.txt")], options, store)
        dossier = store.dossier(1)
    assert dossier is not None and dossier.facts
    many = dataclasses.replace(dossier, facts=dossier.facts * (SHOWN // len(dossier.facts) + 5))
    hidden = len(many.facts) - SHOWN
    for fmt, last, first_hidden in (
        ("md", f"| F{SHOWN} |", f"| F{SHOWN + 1} |"),
        ("html", f'id="f{SHOWN}"', f'id="f{SHOWN + 1}"'),
        ("terminal", f"F{SHOWN} ", f"F{SHOWN + 1} "),
    ):
        out = render(many, fmt)
        assert f"and {hidden:,} more facts" in out
        assert last in out and first_hidden not in out
    assert len(json.loads(render_json(many))["facts"]) == len(many.facts)  # JSON keeps all
    assert "more facts" not in render(dossier, "md")


def test_migrations_apply_with_a_gap_in_their_numbers(tmp_path: Path) -> None:
    from storydesk.store.migrate import available

    numbers = [n for n, _, _ in available()]
    assert 8 in numbers and numbers == sorted(numbers)
    with Store(tmp_path / "m.db") as store:
        done = {r[0] for r in store.conn.execute("SELECT number FROM schema_migrations")}
        assert done == set(numbers)
        assert store.conn.execute("SELECT count(*) FROM fold_state").fetchone()[0] == 0


def test_render_json_is_the_json_modules_text_for_a_folded_story(tmp_path: Path) -> None:
    import dataclasses

    from storydesk import api
    from storydesk.model import Assignment
    from storydesk.render.jsonout import dossier_to_dict, dumps

    options = _options(tmp_path / "j.db", 2, "2026-03-13")
    with Store(options.db) as store:
        pipeline.run([str(f) for f in sorted(EXAMPLES.glob("ferry-*.txt"))], options, store)
        sid = max(store.story_members().items(), key=lambda kv: len(kv[1]))[0]
        assert len(FoldStore(store, sid).folded()) > 2  # folded above its exact core
    shown = api.dossier(sid, options)  # with its memberships (floats, nulls, empty lists)
    assert shown is not None and shown.membership and shown.quotes
    assert render_json(shown) == dumps(dossier_to_dict(shown))
    odd = Assignment(1, sid, 0.1 + 0.2, shared_entities=('Zoë\u2028\x00"\\',), reason="\t")
    strange = dataclasses.replace(shown, headline="\u201cQ\u201d\n\x1f", membership=(odd,))
    assert render_json(strange) == dumps(dossier_to_dict(strange))


def test_the_dossier_trigger_writes_what_the_service_migration_wrote(tmp_path: Path) -> None:
    from importlib import resources

    service = (
        resources.files("storydesk.store")
        .joinpath("migrations", "0009_service.sql")
        .read_text(encoding="utf-8")
    )
    start = service.index("CREATE TRIGGER dossier_written")
    original = service[start : service.index("END;", start) + 4]
    files = [str(f) for f in sorted(EXAMPLES.glob("ferry-*.txt"))]
    found = []
    for name, trigger in (("now", None), ("0009", original)):
        options = _options(tmp_path / f"{name}.db", 2, "2026-03-13")
        with Store(options.db) as store:
            if trigger is not None:
                with store.transaction():
                    store.conn.execute("DROP TRIGGER dossier_written")
                    store.conn.execute(trigger)
            for f in files:  # every article a dossier write
                pipeline.run([f], options, store)
            found.append(
                [
                    store.conn.execute(q).fetchall()
                    for q in (
                        "SELECT rowid, * FROM claims_search ORDER BY rowid",
                        "SELECT story_id, kind, ref, text, detail FROM changes ORDER BY id",
                        "SELECT story_id, articles, sources, facts, conflicts, first_published,"
                        " last_published FROM story_index ORDER BY story_id",
                    )
                ]
            )
    assert found[0] == found[1] and all(found[0])


def test_a_core_bounded_by_sentences_folds_like_a_rebuild(tmp_path: Path) -> None:
    """A core of long articles stops at ``exact_sentences`` (memory bounded by it, not by the
    story); articles arriving one by one, in two runs, or all at once give one dossier."""
    files = sorted(EXAMPLES.glob("ferry-*.txt"))

    def settings(db: Path) -> Options:
        bounded = DossierSettings(exact_articles=40, exact_sentences=40)
        return Options(db=db, published="2026-03-13", dossier=bounded)

    shown: list[str] = []
    for name, runs in (
        ("one", [[f] for f in files]),
        ("two", [files[:2], files[2:]]),
        ("all", [files]),
    ):
        options = settings(tmp_path / f"{name}.db")
        with Store(options.db) as store:
            for batch in runs:
                pipeline.run([str(f) for f in batch], options, store)
            sid, members = max(store.story_members().items(), key=lambda kv: len(kv[1]))
            counts = FoldStore(store, sid).counts()
            assert counts is not None and counts.core is not None
            assert 1 <= counts.core < len(members) == len(files)  # bounded by sentences
            shown.append(render_json(_shown(store, sid, options)))  # type: ignore[arg-type]
            pipeline.rebuild([sid], options, store, pipeline.SilentReporter())
            assert render_json(_shown(store, sid, options)) == shown[-1]  # type: ignore[arg-type]
    assert shown[0] == shown[1] == shown[2]
