"""The event a time expression dates: the predicate it attaches to and that clause's extent."""

from __future__ import annotations

from typing import Any

from storydesk.analyze.times.tense import REPORT_LEMMAS

# Links that make a date modify a noun ("Thursday night's collision", "the Nov. 6 meeting").
NOUN_LINKS = frozenset({"poss", "compound", "nmod", "amod"})
# A verb's dependents that state its event (kept in the title); others (advcl, conj, ...) not.
CORE_DEPS = frozenset(
    {"nsubj", "nsubjpass", "aux", "auxpass", "neg", "dobj", "dative", "attr", "oprd", "prep",
     "agent", "prt", "xcomp", "ccomp", "acomp", "npadvmod", "pobj", "advmod"}
)  # fmt: skip
NOUN_PARTS = frozenset({"prep", "compound", "amod", "nummod", "poss"})  # an event noun's words
SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl"})
CLIMB = 10  # at most this many steps from the date to its predicate
TITLE_WORDS = 20  # an event's title is cut after this many words
_QUOTE_MARKS = frozenset('"“”')  # a quoted statement: the saying is the dated event
_CUTS = (", ", "; ", " — ", " – ", ": ", " (")


def dated_event(doc: Any, start: int, end: int) -> tuple[str, int, int] | None:
    """(predicate lemma, clause start, clause end) for the expression at [start, end) of ``doc``."""
    if not len(doc):
        return None
    inside = [t for t in doc if start <= t.idx < end]
    if not inside:
        return None
    head = next((t for t in inside if not start <= t.head.idx < end or t.head.i == t.i), inside[0])
    if head.dep_ in NOUN_LINKS and head.head.pos_ in ("NOUN", "PROPN") and head.head.i != head.i:
        noun = head.head
        right = max([noun, *(c.right_edge for c in noun.children if c.dep_ in NOUN_PARTS)],
                    key=lambda t: t.i)  # fmt: skip
        return _clause(doc, noun.lemma_.lower(), noun.left_edge.idx, noun.idx, _token_end(right))
    verb = _predicate(head)
    if verb is not None and verb.lemma_.lower() in REPORT_LEMMAS:
        content = next((c for c in verb.children if c.dep_ == "ccomp" and c.i < verb.i), None)
        quoted = content is not None and _QUOTE_MARKS & set(doc.text[content.idx : verb.idx])
        if content is not None and not quoted:  # "X happened, the company said Friday": X
            verb = content
    if verb is None:  # a parse without a verb over the date: the sentence's first verb, whole
        sent = head.sent
        lead = next((t for t in sent if t.pos_ == "VERB"), sent.root)
        return _clause(doc, lead.lemma_.lower(), sent.start_char, lead.idx, sent.end_char)
    subject = _subject(verb)
    first = min([verb, *(c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg"))],
                key=lambda t: t.i)  # fmt: skip
    if subject is not None and subject.i < first.i:
        first = subject.left_edge if subject.dep_ in SUBJECTS else subject
    last = verb
    for child in verb.children:
        if child.dep_ in CORE_DEPS and child.i > verb.i:
            last = max(last, child.right_edge, key=lambda t: t.i)
    return _clause(doc, verb.lemma_.lower(), first.idx, verb.idx, _token_end(last))


def _predicate(token: Any) -> Any:
    """The verb a date's head word depends on (or the sentence's root when there is none)."""
    current = token
    for _ in range(CLIMB):
        if current.head.i == current.i:
            return current if current.pos_ in ("VERB", "AUX") else None
        current = current.head
        if current.pos_ == "VERB" or (current.pos_ == "AUX" and current.dep_ != "aux"):
            return current
    return None


def _subject(verb: Any) -> Any:
    """Who does what the verb says: its subject, a controlling verb's, or the noun it modifies."""
    current = verb
    for _ in range(4):
        found = next((c for c in current.children if c.dep_ in SUBJECTS), None)
        if found is not None:
            return found
        if current.dep_ in ("acl", "relcl") and current.head.i != current.i:
            return current.head
        if current.dep_ not in ("xcomp", "conj", "ccomp", "advcl") or current.head.i == current.i:
            return None
        current = current.head
    return None


def _token_end(token: Any) -> int:
    """The character offset just past a token."""
    return int(token.idx) + len(token.text)


def _clause(doc: Any, lemma: str, start: int, pivot: int, end: int) -> tuple[str, int, int]:
    """The predicate and its clause, cut at the first comma-like break after the predicate."""
    text = doc.text
    for cut in _CUTS:
        at = text.find(cut, pivot, end)
        if at >= 0:
            end = at
    words = text[start:end].split()
    if len(words) > TITLE_WORDS:
        end = start + len(" ".join(words[:TITLE_WORDS]))  # a close bound: spaces may differ
        end = min(end, len(text))
    while end > start and text[end - 1] in ".,;:!? ":
        end -= 1
    return lemma, start, end
