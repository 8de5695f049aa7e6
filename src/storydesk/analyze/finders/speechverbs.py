"""The speech verb of a quote: the cue nearest it in its sentences, and the words of saying."""

from __future__ import annotations

import re
from typing import Any

from storydesk.analyze.finders.quoting import SUBJECT_DEPS, Context, in_quote
from storydesk.analyze.nlp import Block
from storydesk.model import Span

# Tokens either side of a quote where its speech verb is looked for: real cues sit within a
# sentence of it, and a sentence of thousands of quotes would be searched once per quote.
CUE_REACH = 200
# Speech verbs whose "on ..."/"in ..." phrase belongs to the cue ("wrote on his platform").
PREP_CUE_LEMMAS = frozenset({"say", "write", "post", "tweet", "tell", "add", "state", "announce"})
CLOSING_MARKS = frozenset({"”", '"', "''", "’", "'"})
_SENTENCE_END = re.compile(r"([\w.]*)([.!?])[\"”’')]*\s")


def within(doc: Any, qs: int, qe: int) -> list[Any]:
    """The tokens that start inside a quote's offsets (qs < start < qe), found without a scan."""
    span = doc.char_span(qs, qe, alignment_mode="expand")
    return [t for t in span if qs < t.idx < qe] if span is not None else []


def find_cue(
    context: Context, block: Block, doc: Any, qs: int, qe: int, lemmas: frozenset[str]
) -> Any:
    """The speech verb nearest the quote in its sentences (then the ones around them)."""
    # The sentences around the quote are reached from its tokens, not by listing the block's:
    # a block of many quotes would list its sentences once per quote (quadratic time).
    span = doc.char_span(qs, qe, alignment_mode="expand")
    if span is None or not len(span):
        return None
    core = [doc[span.start].sent]  # the sentences the quote overlaps
    while core[-1].end < span.end:
        core.append(doc[core[-1].end].sent)
    extra: list[Any] = []
    if core[0].start > 0 and (before := doc[core[0].start - 1].sent).text.rstrip().endswith(":"):
        extra.append(before)
    if core[-1].end < len(doc) and core[-1].end_char <= qe + 2:
        nxt = doc[core[-1].end].sent
        if (
            nxt[0].is_lower
            or len(nxt) <= 8
            or _bare_cue(nxt.root, lemmas)
            or _named_cue(nxt, lemmas)
        ):
            extra.append(nxt)
    lo, hi = span.start - CUE_REACH, span.end + CUE_REACH
    closed = _closes_sentence(block.text[qs:qe])
    for group in (core, extra):
        best, best_key = None, (2, 0)
        for sent in group:
            for token in doc[max(sent.start, lo) : min(sent.end, hi)]:
                if in_quote(context, block.start + token.idx) or not is_cue(token, lemmas):
                    continue
                end = token.idx + len(token)
                if end <= qs:  # a cue before the quote, in its sentence or an earlier one
                    key = (int(sentence_end_in(block.text[end:qs])), qs - end)
                elif closed and token.idx >= qe and _own_sentence(context, block, token, qe):
                    continue  # "“… .” Kasich said he would …": a new sentence, its own claim
                else:
                    key = (0, max(0, token.idx - qe))
                if key < best_key:
                    best, best_key = token, key
        if best is not None and best.lower_ == "according" and is_cue(best.head, lemmas):
            return best.head  # "“…,” said Trump, according to TIME. “…”": Trump said it
        if best is not None:
            return best
    return None


def sentence_end_in(text: str) -> bool:
    """True when a sentence ends inside a stretch of text ("said Lou. He went on. “")."""
    for found in _SENTENCE_END.finditer(text):
        word = found.group(1)
        if found.group(2) == "." and ("." in word or (len(word) <= 3 and word[:1].isupper())):
            continue  # "Mr.", "U.S.", "Jr.": an abbreviation, not a sentence's end
        return True
    return False


def _closes_sentence(quote: str) -> bool:
    """True when a quotation ends its own sentence ("“We will win.”", not "“We will win,”")."""
    return quote.rstrip("”\"’' ")[-1:] in (".", "!", "?")


def _own_sentence(context: Context, block: Block, cue: Any, qe: int) -> bool:
    """True when a cue after a closed quote says something of its own ("said he would …")."""
    if any(c.dep_ == "ccomp" and c.i > cue.i for c in cue.children):
        return True
    between = (t for t in cue.doc[: cue.i] if t.idx >= qe)  # "… had happened, according to"
    return any(
        t.pos_ in ("VERB", "AUX") and any(c.dep_ in SUBJECT_DEPS for c in t.children)
        for t in between
    )  # a clause of its own between them; not "Right to Rise" read as a verb


def _bare_cue(root: Any, lemmas: frozenset[str]) -> bool:
    """True for a sentence that only says who spoke ("…?” Trump said, looking at the crowd.")."""
    has_subject = any(c.dep_ in SUBJECT_DEPS and c.i < root.i for c in root.children)
    content = ("ccomp",) if root.lemma_.lower() in ("tell", "ask") else ("ccomp", "dobj")
    said_what = any(c.dep_ in content for c in root.children)
    return has_subject and not said_what and is_cue(root, lemmas)


def _named_cue(sent: Any, lemmas: frozenset[str]) -> bool:
    """True for "Pale, the head of the group, tweeted on Friday." after a quote ending in "!"."""
    if sent[0].pos_ != "PROPN":
        return False
    return any(
        is_cue(t, lemmas) and not any(c.dep_ in ("ccomp", "dobj") for c in t.children) for t in sent
    )


def is_cue(token: Any, lemmas: frozenset[str]) -> bool:
    """True for a speech verb, "put it" ("as X put it"), or the "according" of "according to"."""
    if token.lower_ == "according":
        return bool(token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ == "to")
    if token.pos_ not in ("VERB", "AUX"):
        return False
    if token.dep_ == "amod" and not _after_closing_mark(token):
        return False  # "a prepared statement"; but "“…,” tweeted Rubio spokesman Alex Conant"
    lemma = token.lemma_.lower()
    if lemma == "put":
        return any(c.dep_ == "dobj" and c.lower_ == "it" for c in token.children)
    if lemma in ("shoot", "fire", "hit", "push"):  # "shot back", "fired back"
        return any(c.dep_ in ("prt", "advmod") and c.lower_ == "back" for c in token.children)
    if lemma == "point":  # "pointed out"
        return any(c.dep_ == "prt" and c.lower_ == "out" for c in token.children)
    if lemma == "go":  # "went on", as "continued"
        return any(
            c.lower_ == "on" and c.i == token.i + 1 and not any(c.children) for c in token.children
        )
    return lemma in lemmas


def _after_closing_mark(token: Any) -> bool:
    """True for a word right after a quotation's closing mark (an inverted cue)."""
    return token.i > 0 and token.doc[token.i - 1].text in CLOSING_MARKS


def cue_span(context: Context, block: Block, verb: Any, qs: int, qe: int) -> Span:
    """The verb plus what belongs to the act of saying ("told reporters", "wrote on X")."""
    end = verb.idx + len(verb)
    lemma = verb.lemma_.lower()
    for child in verb.children:
        if child.i <= verb.i or qs <= child.idx < qe:
            continue
        if child.dep_ == "prt" or (child.dep_ in ("dobj", "dative") and lemma in ("tell", "ask")):
            end = max(end, np_end(child))
        elif (
            child.dep_ == "prep"
            and child.lower_ in ("on", "in", "via")
            and (lemma in PREP_CUE_LEMMAS)
        ):
            objects = [g for g in child.children if g.dep_ == "pobj"]
            if objects and child.i == verb.i + 1:
                end = max(end, np_end(objects[0]))
    if verb.idx < qe and end > qs:
        end = verb.idx + len(verb)
    start = block.start + verb.idx
    return Span(start, block.start + end, context.text[start : block.start + end])


def np_end(token: Any) -> int:
    """End (in its block) of a noun phrase headed by ``token``, without clauses after it."""
    end = token.idx + len(token)
    for child in token.children:
        if child.i > token.i and child.dep_ in ("compound", "flat", "nummod", "case"):
            end = max(end, child.idx + len(child))
    return int(end)
