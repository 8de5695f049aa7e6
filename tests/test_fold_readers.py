"""The fold state's readers: fast row readers equal to ``serialize.loads``, bounded lookups."""

from __future__ import annotations

import json
import re
from pathlib import Path

from storydesk.model_state import QuoteMember
from storydesk.serialize import dumps, loads
from storydesk.store import Store
from storydesk.store.folds import FoldStore, quote_of


def test_quote_rows_read_fast_equal_the_generic_reader() -> None:
    full = QuoteMember(
        3, 17, 2, "“We will”", "Ana Ruiz", None, "“We will,” she said.", "Wire", ("we", "will")
    )
    bare = QuoteMember(0, 1, 0, "“No”", unnamed="a spokesman")
    for q in (full, bare):
        assert quote_of(dumps(q)) == loads(QuoteMember, dumps(q)) == q
        assert isinstance(quote_of(dumps(q)).words, tuple)


def test_a_quote_row_of_another_shape_falls_back_to_the_generic_reader() -> None:
    row = json.loads(dumps(QuoteMember(1, 2, 3, "“Yes”", words=("yes",))))
    del row["words"]  # a row written before the field existed
    assert quote_of(json.dumps(row)) == QuoteMember(1, 2, 3, "“Yes”")


def test_assembled_facts_carry_their_sentences_attributions_in_support_order() -> None:
    from storydesk.crosscheck.attribution import attributed_fact
    from storydesk.dossier.assemble import _facts
    from storydesk.model import ClaimSource, Lineage
    from storydesk.model_state import FactMember
    from storydesk.options import Options

    said = ClaimSource("the coast guard")
    members = [  # stored out of join order: article 9 joined before article 4
        FactMember(0, 4, 2, "The ferry sank.", ("ferry",)),
        FactMember(0, 9, 1, "The ferry sank, the coast guard said.", ("ferry",)),
        FactMember(1, 4, 0, "Forty were rescued.", ("forty",)),
    ]
    claimed = {(9, 1): said, (4, 0): said}
    order = {9: 0, 4: 1}
    lineage = Lineage((), (frozenset({9}), frozenset({4})))
    texts = {0: "The ferry sank.", 1: "Forty were rescued."}
    facts, _ = _facts(texts, members, lineage, order, claimed, Options())
    assert [f.text for f in facts] == ["The ferry sank.", "Forty were rescued."]
    ferry, forty = facts
    assert [s.article for s in ferry.support] == [9, 4]
    assert ferry.attributions == (said, None) and ferry.attributed_to is None
    assert forty.attributions == (said,) and forty.attributed_to == said
    for fact in facts:  # what attributing each fact afterwards gives
        assert attributed_fact(fact, lambda a, s: claimed.get((a, s))) == fact


def test_every_fold_lookup_reads_through_an_index_narrower_than_the_story(tmp_path: Path) -> None:
    with Store(tmp_path / "t.db") as store:
        seen: list[str] = []
        store.conn.set_trace_callback(seen.append)
        state = FoldStore(store, 1)
        state.quote_bag(3, ["ferry", "sank"])
        state.relaying("AP", False)
        state.fact_members(3, 4)
        state.quote_members(2, 5)
        state.fact_postings("ferry", 12)
        state.quote_postings("ferry", 5)
        state.doc_freq(["ferry"])
        state.quote_df(["ferry"])
        state.band_candidates(["b1"], 8)
        store.conn.set_trace_callback(None)
        assert len(seen) == 10
        for sql in seen:
            plan = [r[3] for r in store.conn.execute("EXPLAIN QUERY PLAN " + sql)]
            reads = [p for p in plan if " fold_" in p]
            assert reads, sql
            for p in reads:  # a scan, or a search on the story alone, grows with the story
                assert p.startswith("SEARCH ") and not re.search(r"\(story_id=\?\)$", p), (sql, p)
