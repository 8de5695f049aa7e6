"""Scoring the analyze stage on PolNeAR (quotes) and TimeML (times), shared by bench/ and tests."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from storydesk.model import AnalyzedArticle, Article

QUOTE_MARKS = "“”\"‘’'«»"
_TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')

Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class GoldQuote:
    """A PolNeAR attribution whose Content starts with a quotation mark."""

    content: Spans
    source: Spans
    source_text: str


@dataclass(frozen=True)
class PredictedQuote:
    """One predicted quote (a split quote's pieces together), its speaker mention and name."""

    spans: Spans
    speaker: tuple[int, int] | None
    name: str | None


@dataclass(frozen=True)
class Tally:
    """Counts behind precision, recall and an accuracy."""

    gold: int = 0
    found: int = 0
    predicted: int = 0
    correct: int = 0
    judged: int = 0  # items the accuracy is over
    right: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(*(a + b for a, b in zip(self.astuple(), other.astuple(), strict=True)))

    def astuple(self) -> tuple[int, ...]:
        """The counts in field order."""
        return (self.gold, self.found, self.predicted, self.correct, self.judged, self.right)

    @property
    def precision(self) -> float:
        """Share of predictions that are right."""
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        """Share of gold items found."""
        return self.found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy(self) -> float:
        """Share of judged items that are right."""
        return self.right / self.judged if self.judged else 0.0


# ---------------------------------------------------------------- PolNeAR


def polnear_pairs(split_dir: Path) -> list[tuple[Path, Path]]:
    """(text file, annotation file) per article; the first annotator's file when several."""
    pairs: list[tuple[Path, Path]] = []
    annotations = sorted((split_dir / "attributions").glob("*.ann"))
    by_name: dict[str, Path] = {}
    for ann in annotations:
        by_name.setdefault(ann.stem.rsplit("_", 1)[0], ann)
    for text in sorted((split_dir / "text").glob("*.txt")):
        if text.stem in by_name:
            pairs.append((text, by_name[text.stem]))
    return pairs


def _brat_spans(field: str) -> Spans:
    """Offsets of a brat text-bound annotation ("Content 10 20;25 30")."""
    spans = field.split(" ", 1)[1]
    return tuple((int(a), int(b)) for a, b in (p.split() for p in spans.split(";")))


def gold_quotes(annotation: str, text: str) -> list[GoldQuote]:
    """The direct quotes of one brat file: attributions whose Content opens with a mark."""
    bound: dict[str, tuple[str, Spans]] = {}
    links: list[dict[str, str]] = []
    for line in annotation.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            bound[parts[0]] = (parts[1].split(" ", 1)[0], _brat_spans(parts[1]))
        elif line.startswith("E") and len(parts) >= 2:
            links.append(dict(p.split(":", 1) for p in parts[1].split() if ":" in p))
    out: list[GoldQuote] = []
    for link in links:
        content = bound.get(link.get("Content", ""))
        if content is None or text[content[1][0][0]] not in QUOTE_MARKS:
            continue
        source = bound.get(link.get("Source", ""), ("", ()))[1]
        out.append(GoldQuote(content[1], source, " ".join(text[a:b] for a, b in source)))
    return out


def predicted_quotes(analyzed: AnalyzedArticle, pieces: bool = False) -> list[PredictedQuote]:
    """Direct quotes of an analysis, the pieces of one split quote together unless ``pieces``."""
    groups: list[list[int]] = []
    quotes = analyzed.quotes
    for i, q in enumerate(quotes):
        if q.kind != "direct":
            continue
        if not pieces and groups and q.continues:
            groups[-1].append(i)
        else:
            groups.append([i])
    out: list[PredictedQuote] = []
    for group in groups:
        members = [quotes[i] for i in group]
        speaker = next((q.speaker for q in members if q.speaker is not None), None)
        out.append(
            PredictedQuote(
                tuple((q.start, q.end) for q in members),
                (speaker.start, speaker.end) if speaker else None,
                speaker.name if speaker else None,
            )
        )
    return out


def overlap(a: Spans, b: Spans) -> int:
    """Characters two span sets share."""
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _last_word(text: str) -> str:
    """Last word of a name, lower case, without a possessive."""
    words = re.findall(r"[\w-]+", re.sub(r"[’']s\b", "", text))
    return words[-1].lower() if words else ""


def score_quotes(
    gold: Sequence[GoldQuote], predicted: Sequence[PredictedQuote], contents: Sequence[Spans]
) -> Tally:
    """The issue's measure for one article (``contents``: every gold Content span)."""
    found = judged = right = 0
    for g in gold:
        size = sum(b - a for a, b in g.content)
        best = max(predicted, key=lambda p: overlap(p.spans, g.content), default=None)
        if best is None or 2 * overlap(best.spans, g.content) < size:
            continue
        found += 1
        if g.source:
            judged += 1
            mention = best.speaker is not None and overlap((best.speaker,), g.source) > 0
            named = best.name is not None and _last_word(best.name) == _last_word(g.source_text)
            right += mention or named
    correct = sum(1 for p in predicted if any(overlap(p.spans, c) for c in contents))
    return Tally(len(gold), found, len(predicted), correct, judged, right)


def all_contents(annotation: str) -> list[Spans]:
    """Every Content span of a brat file, quote or not."""
    out: list[Spans] = []
    for line in annotation.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2 and parts[1].startswith("Content "):
            out.append(_brat_spans(parts[1]))
    return out


def raw_article(path: Path, published: str | None = None, text: str | None = None) -> Article:
    """An article built the way ``storydesk analyze --raw`` builds it from a file."""
    body = path.read_text(encoding="utf-8") if text is None else text
    return Article(
        source=str(path),
        sha256="",
        title="",
        paragraphs=tuple(body.split("\n\n")),
        published=published,
    )


# ---------------------------------------------------------------- TimeML


@dataclass(frozen=True)
class GoldTime:
    """A TIMEX3 of a TimeML document, placed in its stripped text."""

    start: int
    end: int
    type: str
    value: str


@dataclass(frozen=True)
class TimeDoc:
    """A TimeML document: its creation date, plain text and time expressions."""

    dct: str | None
    text: str
    times: tuple[GoldTime, ...]


def read_timeml(markup: str) -> TimeDoc:
    """Strip a TimeML file's tags, keeping TIMEX3 offsets into the plain ``<TEXT>``."""
    dct_match = re.search(r"<DCT>.*?value=\"([^\"]+)\"", markup, re.S)
    dct = dct_match.group(1)[:10] if dct_match else None
    body_match = re.search(r"<TEXT>(.*)</TEXT>", markup, re.S)
    body = body_match.group(1) if body_match else ""
    pieces: list[str] = []
    size = 0
    open_timex: tuple[int, dict[str, str]] | None = None
    times: list[GoldTime] = []
    pos = 0
    for m in _TAG.finditer(body):
        chunk = html.unescape(body[pos : m.start()])
        pieces.append(chunk)
        size += len(chunk)
        pos = m.end()
        if m.group(2) != "TIMEX3":
            continue
        if m.group(1):
            if open_timex is not None:
                attrs = open_timex[1]
                times.append(
                    GoldTime(open_timex[0], size, attrs.get("type", ""), attrs.get("value", ""))
                )
            open_timex = None
        else:
            open_timex = (size, dict(_ATTR.findall(m.group(3))))
    pieces.append(html.unescape(body[pos:]))
    return TimeDoc(dct, "".join(pieces), tuple(times))


def score_times(
    gold: Iterable[GoldTime], predicted: Iterable[tuple[int, int, str | None]]
) -> Tally:
    """Relaxed extraction (overlap) counts, with matches whose value equals gold's as ``right``."""
    gold_list, pred_list = list(gold), list(predicted)
    found = right = 0
    for g in gold_list:
        matches = [p for p in pred_list if p[0] < g.end and g.start < p[1]]
        if matches:
            found += 1
            right += any(p[2] == g.value for p in matches)
    correct = sum(1 for p in pred_list if any(p[0] < g.end and g.start < p[1] for g in gold_list))
    return Tally(len(gold_list), found, len(pred_list), correct, len(gold_list), right)


def value_f1(t: Tally) -> float:
    """TempEval-3 value F1: matches with the right value over predictions and over gold."""
    p = t.right / t.predicted if t.predicted else 0.0
    r = t.right / t.gold if t.gold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0
