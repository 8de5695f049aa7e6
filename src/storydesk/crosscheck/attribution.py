"""Who a sentence attributes its claim to: "a senior official told the Washington Examiner
that ..." is that official's claim, reported by that outlet; a sentence in the writer's own
voice has no attribution.

The analysis' attributions come first (an attribution whose reported content covers the
sentence's main clause, the outermost one when they nest; not one after a clause of the
writer's own, nor a statement still to come), then the speaker of a direct quotation that is
most of the sentence; only when the analysis has neither is the sentence's own framing read:
"According to X, ...", "..., according to X", "..., X said" and "X said (that) ...". The
medium ("via") is an outlet the analysis credits in the part of the sentence that frames the
claim ("told The Epoch Times", "confirmed to the Washington Examiner", "according to
Reuters"). Facts carry one attribution per supporting sentence, and the fact itself is
attributed when every one of its sentences is (then to the source of the sentence whose
wording the fact shows): a claim any outlet states in its own voice is that outlet's claim
too, so "per X" would understate it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence

from storydesk.model import (
    AnalyzedArticle,
    Attribution,
    AttributionKind,
    ClaimSource,
    Fact,
    Sentence,
    Support,
)

MAIN_SHARE = 0.5  # share of the sentence, besides source and cue, the content must cover
MAX_SOURCE_WORDS = 10  # a source named in the sentence's own framing has at most these words
MIN_CLAIM_WORDS = 3  # ... and the claim it frames at least these
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "him", "her", "them"})
# what may follow a source's head before its cue and still name the source
# ("Sources familiar with the matter said", "officials close to the talks said")
_POSTMODIFIER = re.compile(
    r"^(?:familiar with|close to|with (?:direct )?knowledge of|briefed on|involved in"
    r"|knowledgeable about|from|at|of|who|that)\s[^,;:\"“”]{1,60}$",
    re.IGNORECASE,
)
_CUES = (
    r"said|says|told|added|confirmed|stated|noted|explained|announced|reported|claimed"
    r"|insisted|argued|warned|acknowledged|estimated|predicted|wrote|maintained|suggested"
    r"|hinted|indicated|signaled|signalled|revealed|disclosed|declared|asserted|stressed"
    r"|emphasized|emphasised|cautioned|contended|conceded|alleged"
)
# what may follow a closing cue: "said in a statement", "confirmed to X", "said on Monday"
_ADJUNCT = (
    r"to|in|on|at|during|after|before|from|via|through|with|by|late|earlier|later|last|this"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|tonight"
)
_SOURCE = r"(?P<src>(?:[A-Z]|[Aa]n?\s|[Tt]he\s)[^,;:\"“”]{0,120}?)"
_APPOSITION = r"(?:,\s[^,;\"“”]{1,80},)?"  # "Marco Rubio, who is also ..., added"
_OPENING = r"(?:[^,;\"“”]{1,100},\s+){0,2}"  # "Asked about it, Vice President JD Vance said"
_LEADING_ACCORDING = re.compile(r"^[Aa]ccording to\s+(?P<src>[^,;]{2,120}?),\s+(?P<claim>.+)$")
_TRAILING_ACCORDING = re.compile(
    r"^(?P<claim>.+?),?\s+according to\s+(?P<src>[^,;]{2,120}?)[.!?]?[\"”’]?$"
)
_TRAILING_CUE = re.compile(  # after a quotation the source may open in lower case
    rf"^(?P<claim>.+?)(?:[,\"”]+\s+{_SOURCE}|[,.!?][\"”]\s+(?P<lower>[a-z][^,;:\"“”]{{0,120}}?))"
    rf"{_APPOSITION}\s+(?P<cue>(?:told|tells)(?:\s+[^,;\"“”]{{1,80}})?|(?:{_CUES})"
    rf"(?:\s+(?:{_ADJUNCT})\b[^,;\"“”]{{0,80}})?)[.!?]?$"
)
_MIDDLE_CUE = re.compile(  # "The observatory hopes to ..., Varga said, giving pupils ..."
    rf"^(?P<claim>.+?),\s+{_SOURCE}\s+(?P<cue>{_CUES}),\s+(?P<more>.+)$"
)
_INVERTED_CUE = re.compile(  # '"...," said X': after a quotation only
    rf"^(?P<claim>.+?),?[\"”],?\s+(?P<cue>said|says|added|told|wrote)\s+{_SOURCE}[.!?]?$"
)
_LEADING_CUE = re.compile(
    rf"^{_OPENING}{_SOURCE}{_APPOSITION}\s+(?P<cue>{_CUES})(?:\s+(?:on|in)\s+\w+)?"
    r"(?::|\s+that)?\s+(?P<claim>.+)$"
)
# a word that opens a clause of its own: an attribution after it is not the main clause
_LINKS = frozenset(
    {"although", "though", "while", "whereas", "but", "and", "because", "as", "since", "if",
     "when", "after", "before", "so", "yet", "which", "who", "whom", "unless", "until", "once"}
)  # fmt: skip
_PREPOSITIONS = frozenset({"of", "in", "on", "at", "for", "with", "to", "from", "by", "about"})
_MODALS = frozenset({"will", "would", "could", "may", "might", "should", "can", "shall"})
_NOT_YET = frozenset(  # "... to announce": a statement still to come
    {"expected", "set", "going", "due", "scheduled", "planning", "plans", "plan", "likely",
     "poised", "hoping", "hopes", "wants", "intends", "expects"}
)  # fmt: skip
_VERBISH = re.compile(r"\b(?:is|are|was|were|will|would|has|have|had|do|does|did)\b")


def sentence_attribution(article: AnalyzedArticle, index: int) -> ClaimSource | None:
    """Who one sentence attributes its claim to, and through which medium; None when the
    writer states it in their own voice."""
    sentence = article.sentences[index]
    found = _from_analysis(article, sentence) or _from_quotes(article, sentence)
    if found is not None:
        return found
    return _from_framing(article, sentence)


def article_attributions(article: AnalyzedArticle) -> tuple[tuple[int, ClaimSource], ...]:
    """Every attributed sentence of an article: (sentence index, attribution)."""
    out: list[tuple[int, ClaimSource]] = []
    for i in range(len(article.sentences)):
        found = sentence_attribution(article, i)
        if found is not None:
            out.append((i, found))
    return tuple(out)


def fact_attribution(
    text: str, support: Sequence[Support], attributions: Sequence[ClaimSource | None]
) -> ClaimSource | None:
    """A fact's attribution: its shown sentence's, when every supporting sentence attributes
    the claim to someone; None when any states it in its own voice."""
    if not attributions or any(a is None for a in attributions):
        return None
    shown = next((k for k, s in enumerate(support) if s.text == text), 0)
    return attributions[shown]


def attributed_fact(fact: Fact, lookup: Callable[[int, int], ClaimSource | None]) -> Fact:
    """A fact with its sentences' attributions (``lookup``: article id, sentence -> source)."""
    found = tuple(lookup(s.article, s.sentence) for s in fact.support)
    return dataclasses.replace(
        fact, attributions=found, attributed_to=fact_attribution(fact.text, fact.support, found)
    )


def attributed_facts(articles: Sequence[AnalyzedArticle], facts: Sequence[Fact]) -> list[Fact]:
    """Facts of a story's articles, each with its sentences' attributions."""
    by_id: Mapping[int, AnalyzedArticle] = {a.id: a for a in articles}

    def lookup(article: int, sentence: int) -> ClaimSource | None:
        found = by_id.get(article)
        if found is None or not 0 <= sentence < len(found.sentences):
            return None
        return sentence_attribution(found, sentence)

    return [attributed_fact(f, lookup) for f in facts]


# ---------------------------------------------------------------- from the analysis


def _from_analysis(article: AnalyzedArticle, sentence: Sentence) -> ClaimSource | None:
    """The outermost analysed attribution whose content covers the sentence's main clause."""
    here = [
        a
        for a in article.attributions
        if sentence.start <= a.cue.start < sentence.end
        and a.content.start < sentence.end
        and a.content.end > sentence.start
    ]
    outer = [
        a
        for a in here
        if not any(b is not a and _inside(a.cue.start, b) for b in here)
        and _covers_main_clause(article, sentence, a)
    ]
    if not outer:
        return None
    best = max(outer, key=lambda a: _clipped(a.content.start, a.content.end, sentence))
    via = _medium(article, sentence, best.content.start, best.content.end)
    if best.source is None:  # "Axios was the first to report that ...": the credited outlet
        return None if via is None else ClaimSource(source=via, via=via)
    name = _source_text(article, sentence, best)
    if not name:
        return None
    resolved = best.source.name if best.source.name and best.source.name != name else None
    return ClaimSource(source=name, via=via, name=resolved)


def _inside(at: int, a: Attribution) -> bool:
    """Whether an offset lies inside an attribution's content."""
    return a.content.start <= at < a.content.end


def _clipped(start: int, end: int, sentence: Sentence) -> int:
    """Characters of a span that lie within a sentence."""
    return max(0, min(end, sentence.end) - max(start, sentence.start))


def _covers_main_clause(article: AnalyzedArticle, sentence: Sentence, a: Attribution) -> bool:
    """Whether an attribution's content is most of what the sentence says besides its frame
    (source to cue, with an apposition between them), and the attribution does not follow
    a clause of the writer's own ("The strike will last five days, although X said ...")."""
    spans = [(a.cue.start, a.cue.end)]
    if a.source is not None and sentence.start <= a.source.start < sentence.end:
        spans.append((a.source.start, a.source.end))
    lo, hi = min(s for s, _ in spans), max(e for _, e in spans)
    apposition = len(spans) == 2 and article.text[spans[1][1] : a.cue.start].lstrip()[:1] == ","
    if apposition and (hi <= a.content.start or lo >= a.content.end):
        frame = _clipped(lo, hi, sentence)  # "Rubio, who is also ..., added"
    else:
        frame = sum(_clipped(s, e, sentence) for s, e in spans)
    rest = sentence.end - sentence.start - frame
    clause = a.kind == AttributionKind.ACCORDING_TO and (
        a.content.start <= sentence.start + 1 or a.content.end >= sentence.end - 1
    )  # "according to X" qualifies the clause it opens or closes, however short
    if rest <= 0 or (
        not clause and _clipped(a.content.start, a.content.end, sentence) < MAIN_SHARE * rest
    ):
        return False
    before = _words(article.text[sentence.start : max(sentence.start, min(lo, a.content.start))])
    if before and before[-1] in _LINKS:
        return False
    # "is expected to announce that ...", "will say": a statement still to come claims nothing
    ahead = _words(article.text[max(sentence.start, a.cue.start - 30) : a.cue.start])
    if ahead and ahead[-1] in _MODALS:
        return False
    return not (ahead[-2:-1] and ahead[-1] == "to" and ahead[-2] in _NOT_YET)


def _words(text: str) -> list[str]:
    """Lower-case words of a text."""
    return re.findall(r"[\w’']+", text.lower())


def _source_text(article: AnalyzedArticle, sentence: Sentence, a: Attribution) -> str:
    """The source as the sentence names it, with a post-modifier that belongs to it ("Sources
    familiar with the matter"); a pronoun or a source outside the sentence by its name."""
    source = a.source
    assert source is not None
    text = source.text.strip()
    inside = sentence.start <= source.start and source.end <= sentence.end
    if not inside or text.lower() in _PRONOUNS:
        return source.name or ("" if text.lower() in _PRONOUNS else text)
    if source.end < a.cue.start:  # "Sources familiar with the matter said"
        tail = article.text[source.end : a.cue.start]
    else:  # "according to two officials who have seen the text, ..."
        tail = re.split(r"[,;:.!?\"“”]", article.text[source.end : sentence.end], maxsplit=1)[0]
    if not a.content.start <= source.end < a.content.end and _POSTMODIFIER.match(tail.strip()):
        text = article.text[source.start : source.end] + " " + tail.strip()
    return " ".join(text.split())


def _from_quotes(article: AnalyzedArticle, sentence: Sentence) -> ClaimSource | None:
    """The speaker of the direct quotation that is most of the sentence, when it has one."""
    size = sentence.end - sentence.start
    for q in article.quotes:
        if q.speaker is None or not sentence.start <= q.speaker.start < sentence.end:
            continue
        if _clipped(q.start, q.end, sentence) < MAIN_SHARE * size:
            continue
        text = " ".join(q.speaker.text.split())
        name = q.speaker.name
        if text.lower() in _PRONOUNS:
            if not name:
                continue
            text, name = name, None
        via = _medium(article, sentence, q.start, q.end)
        return ClaimSource(source=text, via=via, name=name if name != text else None)
    return None


# ---------------------------------------------------------------- from the sentence's framing


def _from_framing(article: AnalyzedArticle, sentence: Sentence) -> ClaimSource | None:
    """The source the sentence's own words frame its claim with, when they do."""
    text = sentence.text.strip()
    offset = sentence.start + (len(sentence.text) - len(sentence.text.lstrip()))
    for pattern in (
        _LEADING_ACCORDING,
        _TRAILING_ACCORDING,
        _TRAILING_CUE,
        _INVERTED_CUE,
        _MIDDLE_CUE,
        _LEADING_CUE,
    ):
        m = pattern.match(text)
        if m is None:
            continue
        found = m.groupdict().get("lower") or m.group("src")
        source = " ".join(found.split()).rstrip(".")
        claim = m.group("claim")
        if source.lower() in _PRONOUNS:  # "..., he said": the quotation's speaker, if named
            at = offset + m.start("lower" if m.groupdict().get("lower") else "src")
            source = _quote_speaker(article, at) or ""
        if not _plausible_source(source, pattern is _LEADING_CUE):
            continue
        if len(claim.split()) < MIN_CLAIM_WORDS:
            continue
        start, end = m.span("claim")
        via = _medium(article, sentence, offset + start, offset + end)
        return ClaimSource(source=source, via=via)
    return None


def _plausible_source(source: str, opening: bool) -> bool:
    """Whether words read as a source's name, not a clause ("the talks have stalled")."""
    words = source.split()
    if not words or len(words) > MAX_SOURCE_WORDS or source.lower() in _PRONOUNS:
        return False
    if _VERBISH.search(source) or words[0].lower() in _LINKS | _PREPOSITIONS:
        return False
    if words[0].lower().endswith("ing"):  # "Having announced ..., the judge proceeded"
        return False
    return not opening or len(words) <= MAX_SOURCE_WORDS // 2


def _quote_speaker(article: AnalyzedArticle, at: int) -> str | None:
    """The resolved speaker of a quotation whose attributing mention starts at an offset."""
    for q in article.quotes:
        speaker = q.speaker
        if speaker is not None and speaker.name and speaker.start == at:
            return speaker.name
    return None


def _medium(
    article: AnalyzedArticle, sentence: Sentence, claim_start: int, claim_end: int
) -> str | None:
    """The outlet credited in the sentence's frame (outside the claim), as the sentence
    names it ("The Epoch Times"; a lower-case "the" is not part of the name)."""
    for credit in article.credits:
        if not sentence.start <= credit.start < sentence.end:
            continue
        if claim_start <= credit.start < claim_end:
            continue
        before = article.text[max(sentence.start, credit.start - 4) : credit.start]
        return ("The " if before == "The " else "") + credit.name
    return None
