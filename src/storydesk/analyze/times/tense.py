"""The tense around a word, from spaCy's parse: where a weekday or a month without a year falls."""

from __future__ import annotations

from typing import Any

FUTURE_AUX = frozenset({"will", "wo", "shall", "'ll", "’ll", "would", "gon"})
FUTURE_LEMMAS = frozenset(
    {"expect", "set", "schedule", "slate", "plan", "due", "poise", "aim", "intend", "prepare", "go"}
)
PLAN_LEMMAS = frozenset({"plan", "schedule", "reschedule"})
REPORT_LEMMAS = frozenset({"say", "tell", "announce", "report", "confirm", "write", "add"})
MODAL_FUTURE = frozenset({"could", "may", "might", "should", "must", "can", "need"})
# Words that make a date a deadline or a plan whatever the clause's tense: "was extended to
# Nov. 20", "payable Dec. 7 to holders of record Nov. 20", "set Nov. 10 as the deadline".
FORWARD_PREPS = frozenset({"until", "till", "by", "through", "pending"})
FORWARD_WORDS = frozenset(
    {"deadline", "date", "due", "payable", "effective", "schedule", "slate", "expire", "expiration",
     "record", "extend", "postpone", "delay", "defer", "adjourn", "reschedule", "upcoming"}
)  # fmt: skip


def token_at(doc: Any, idx: int) -> Any:
    """The token covering a character offset of its doc (the last one starting at or before it)."""
    lo, hi = 0, len(doc) - 1  # a binary search: a scan per expression is quadratic in a block
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if doc[mid].idx <= idx:
            lo = mid
        else:
            hi = mid - 1
    return doc[lo]


def token_ent(doc: Any, idx: int) -> str:
    """The entity label spaCy gave the token at a character offset ("" for none)."""
    return str(token_at(doc, idx).ent_type_) if len(doc) else ""


def date_cue(doc: Any, idx: int) -> str | None:
    """ "future" if a deadline or plan governs the date at ``idx`` ("extended until Nov. 20"),
    "past" if "since" does, else None."""
    if not len(doc):
        return None
    token = token_at(doc, idx)
    for _ in range(8):
        if token.pos_ in ("VERB", "AUX"):
            return "future" if _forward(token) or any(map(_forward, _verb_cues(token))) else None
        if token.lower_ == "since":
            return "past"
        if _forward(token) or any(_forward(c) for c in token.children if c.dep_ == "amod"):
            return "future"
        if token.head.i == token.i:
            return None
        token = token.head
    return None


def _verb_cues(verb: Any) -> list[Any]:
    """Words that can make a verb's date a deadline: its subject, its object, "as" phrases."""
    out = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "attr", "oprd")]
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ == "as":
            out.extend(c for c in prep.children if c.dep_ == "pobj")
    return out


def _forward(token: Any) -> bool:
    """Whether one word is a deadline or plan cue."""
    return bool(token.lower_ in FORWARD_PREPS or token.lemma_.lower() in FORWARD_WORDS)


def tense_at(doc: Any, idx: int) -> str | None:
    """Tense ("past", "future" or None) of the verb governing the token at ``idx``."""
    if not len(doc):
        return None
    verb = token_at(doc, idx)
    if verb.dep_ == "poss" or doc[min(verb.i + 1, len(doc) - 1)].tag_ == "POS":
        return None  # "Friday's vote": the clause's tense is not the day's
    for _ in range(12):
        if verb.pos_ in ("VERB", "AUX"):
            return _verb_tense(verb, 0)
        if verb.head.i == verb.i:
            return None
        verb = verb.head
    return None


def _verb_tense(verb: Any, depth: int) -> str | None:
    """Tense of one verb from its tag and auxiliaries, climbing to the verb it depends on."""
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {c.lower_ for c in aux}
    if words & FUTURE_AUX:
        return "future"
    if verb.lemma_ in PLAN_LEMMAS and not _past_frame(verb):
        return "future"  # "planned a rally on Saturday": the plan was made, the rally is ahead
    if verb.tag_ == "VB" and "to" in words and depth < 4 and verb.head.i != verb.i:
        head = verb.head
        if head.lemma_ in FUTURE_LEMMAS:
            return None if _past_frame(head) else "future"  # "had been due to expire Friday"
        return "future" if _verb_tense(head, depth + 1) != "past" else None
    if words & MODAL_FUTURE:
        return "past" if "have" in words and verb.tag_ == "VBN" else "future"  # "may have been"
    if verb.tag_ == "VBD" or any(c.tag_ == "VBD" for c in aux):
        return "past"
    perfect = words & {"has", "have", "had", "'s", "’s", "'ve", "’ve"}
    if perfect and (verb.tag_ == "VBN" or "been" in words):  # "have been searching since"
        return "past"
    if verb.lemma_ in FUTURE_LEMMAS and verb.tag_ in ("VBN", "VBG", "JJ") and _looks_ahead(verb):
        return "future"
    if verb.tag_ == "VBP" and any(
        c.dep_ == "nsubj" and c.tag_ in ("NN", "NNP") for c in verb.children
    ):
        return "past"  # "weakness hurt": a singular subject makes an unmarked form past
    if verb.tag_ in ("VBZ", "VBP") or words & {"is", "are", "am", "'re", "’re"}:
        return None if verb.lemma_ in REPORT_LEMMAS else "future"
    if verb.tag_ == "VBN" and not aux and verb.dep_ in ("acl", "advcl", "amod", "relcl"):
        return "past"  # "the ruling, issued Thursday"
    if (verb.dep_ == "conj" or not aux) and depth < 4:
        head = _verb_above(verb)
        return _verb_tense(head, depth + 1) if head is not None else None
    return None


def _looks_ahead(verb: Any) -> bool:
    """Whether "set" looks ahead ("set to expire", "set for Friday"), not back ("a high set on
    Aug. 6"); the other plan words always do."""
    if verb.lemma_ != "set":
        return True
    return any(c.dep_ == "xcomp" or c.lower_ == "for" for c in verb.children)


def _past_frame(token: Any) -> bool:
    """Whether a word sits in the past perfect ("had been due", "had planned")."""
    for word in (token, token.head):
        if any(c.dep_ == "aux" and c.lower_ in ("had", "'d", "’d") for c in word.children):
            return True
    return False


def _verb_above(token: Any) -> Any:
    """The nearest verb governing a token (a participle's or conjunct's clause)."""
    current = token
    for _ in range(8):
        if current.head.i == current.i:
            return None
        current = current.head
        if current.pos_ in ("VERB", "AUX"):
            return current
    return None
