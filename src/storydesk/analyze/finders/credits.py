"""Outlets and agencies an article credits ("according to Reuters", "Axios first reported")."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from storydesk.analyze.nlp import Block
from storydesk.clean.outlets import OUTLET_WORDS
from storydesk.model import Credit, Entity

_WORD = r"[A-Z][\w&.’'-]*"
# A name has at most this many words (1,851 news texts: 8 at most). Unbounded, a run of
# capitalised words ("Mr. Mr. Mr. ...") is retried from each of its words: quadratic time.
MAX_NAME_WORDS = 12
# Words join across spaces, but not after a sentence-final "Reuters." (abbreviations may: "U.S.").
NAME = (
    rf"(?P<name>(?:[Tt]he\s+)?{_WORD}"
    rf"(?:(?<!\w\w\w\.)\s+(?:(?:of|for|and|&)\s+)?{_WORD}){{0,{MAX_NAME_WORDS - 1}}})"
)
PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        rf"\b(?P<cue>[Aa]ccording to)\s+{NAME}",
        rf"{NAME}\s+(?P<cue>(?:(?:first|previously|earlier|also|initially)\s+)?(?:reported"
        r"|reports|identified|revealed|disclosed|broke the news)"
        r"|was the first to (?:report|reveal|identify))\b",
        rf"\b(?P<cue>told|confirmed to|said to|speaking to|spoke to|in an interview with)\s+{NAME}",
        rf"\b(?P<cue>cited by|citing|quoted by|(?:first\s+)?reported by)\s+{NAME}",
        rf"^[A-Z][A-Za-z .,'’-]{{0,40}}?\((?P<cue>){NAME}\)\s*[-—–:]",
    )
)
NOT_OUTLETS = frozenset(
    {"he", "she", "they", "it", "we", "i", "you", "this", "that", "these", "those", "sources",
     "source", "officials", "official", "reporters", "a", "an", "his", "her", "their", "its",
     "one", "some", "many", "police", "congress", "parliament"}
)  # fmt: skip
INSTITUTION_HEADS = frozenset(
    {"department", "ministry", "office", "council", "committee", "police", "army", "court",
     "senate", "house", "congress", "government", "administration", "commission", "party",
     "campaign", "embassy", "pentagon", "kremlin", "parliament", "cabinet", "navy", "military"}
)  # fmt: skip
TRAILING_TIME = re.compile(
    r"(?:\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February"
    r"|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\."
    r"|Aug\.|Sept\.|Oct\.|Nov\.|Dec\.|On|In|That|The))+$"
)
NOT_NAME_LABELS = frozenset({"PERSON", "GPE", "NORP", "LOC"})
# "Committee for a Responsible" before a name: looked for just before it, not in the whole head.
_NAME_TAIL = re.compile(r"\b[A-Z][\w.’'-]*(?:\s+(?:a|an|the|of|for|and))+\s+$")
NAME_TAIL_REACH = 200


def find_credits(blocks: Sequence[Block], entities: Sequence[Entity]) -> tuple[Credit, ...]:
    """Every credit to an outlet or agency, in text order."""
    out: list[Credit] = []
    seen: set[tuple[int, int]] = set()
    index = _Index(entities)
    for block in blocks:
        for pattern in PATTERNS:
            for m in pattern.finditer(block.text):
                credit = _credit(block, m, index)
                if credit is not None and (credit.start, credit.end) not in seen:
                    seen.add((credit.start, credit.end))
                    out.append(credit)
    return tuple(sorted(out, key=lambda c: c.start))


class _Index:
    """The article's entities by start, to find those about one offset without a scan."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        self.entities = sorted(entities, key=lambda e: e.start)
        self.starts = [e.start for e in self.entities]
        self.longest = max((e.end - e.start for e in self.entities), default=0)

    def reaching(self, at: int) -> list[Entity]:
        """Every entity that starts at or before ``at + 1`` and ends at or after ``at - 1``."""
        lo = bisect.bisect_left(self.starts, at - 1 - self.longest)
        hi = bisect.bisect_right(self.starts, at + 1)
        return [e for e in self.entities[lo:hi] if e.end >= at - 1]


def _credit(block: Block, m: re.Match[str], index: _Index) -> Credit | None:
    """The credit one pattern match names, or None when the name is no outlet."""
    start, end = m.span("name")
    name = m.group("name")
    possessive = re.search(r"[’']s?(?=\s|$)", name)
    if possessive:
        name = name[: possessive.start()]
    trailing = TRAILING_TIME.search(name)
    if trailing:
        name = name[: trailing.start()]
    lead = re.match(r"(?:the|The)\s+", name)
    if lead:
        start += lead.end()
        name = name[lead.end() :]
    name = name.rstrip(".,")
    end = start + len(name)
    words = name.split()
    if not words or name.lower() in NOT_OUTLETS or words[-1].lower() in INSTITUTION_HEADS:
        return None
    if len(words) == 1 and len(name) < 2:
        return None
    if _NAME_TAIL.search(block.text, max(0, start - NAME_TAIL_REACH), start):
        return None  # the tail of a longer name ("Committee for a Responsible ...")
    a, b = block.start + start, block.start + end
    if any(w.lower().strip(".") in OUTLET_WORDS for w in words):
        return Credit(name=name, start=a, end=b, cue=m.group("cue") or "dateline")
    for e in index.reaching(b):  # only these can cover the name's end
        if e.label in NOT_NAME_LABELS and e.start <= a + 1 and e.end >= b - 1:
            return None  # a person, place or nationality, not an outlet
        if e.label == "PERSON" and a <= e.start < b and e.end >= b - 1:
            return None  # ends in a person's name ("AFL-CIO President Doris Crouse-Mays")
    cue = m.group("cue") or "dateline"
    return Credit(name=name, start=a, end=b, cue=cue)
