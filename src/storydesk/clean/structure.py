"""The layout of a plain-text article: headline, subtitle, dateline, byline, body, debris."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from storydesk.clean.meta import byline_names, date_stamp
from storydesk.clean.rules import classify, is_shouted
from storydesk.errors import InputError
from storydesk.model import RemovedLine
from storydesk.text.chars import drop_controls

_CLOSERS = "\"'”’»)]"
_PLACE_WORD = r"(?:(?:[A-Z]\.){2,}|[A-Z][A-Z'’-]*)"
_PLACE = rf"{_PLACE_WORD}(?:\s+{_PLACE_WORD}){{0,2}}(?:,\s*{_PLACE_WORD}(?:\s+{_PLACE_WORD})?)?"
_MIXED_PLACE = r"[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2}(?:,\s*[A-Z][A-Za-z.]+)?"
_DAY = (
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}"
    r"(?:,\s*\d{4})?"
)
_AGENCY = r"\([A-Z][^()]{1,40}\)"
# "WASHINGTON", "NEW YORK, Nov 6 (Reuters) -", "WASHINGTON-April 27 -": a line of its own.
_DATELINE_LINE = re.compile(
    rf"^(?P<dateline>{_PLACE}(?:\s*[,–—-]\s*{_DAY})?(?:\s*{_AGENCY})?)\s*(?P<sep>[:–—-]*)\s*$"
    rf"|^(?P<mixed>{_MIXED_PLACE}(?:,\s*{_DAY}(?:\s*{_AGENCY})?|\s*{_AGENCY}))\s*[:–—-]+\s*$"
)
# "WASHINGTON: ", "LONDON, Nov 6 (AFP) - ", "Washington (CNN) — " before the first paragraph.
_DATELINE_PREFIX = re.compile(
    rf"^(?P<dateline>{_PLACE}(?:\s*[,–—-]\s*{_DAY})?(?:\s*{_AGENCY})?)\s*(?::|[–—-]{{1,2}})\s+(?=\S)"
    rf"|^(?P<mixed>{_MIXED_PLACE}(?:,\s*{_DAY})?\s*{_AGENCY})\s*[–—-]{{1,2}}\s+(?=\S)"
)
# Capitalised labels that are not places.
_LABELS = re.compile(
    r"^(?:UPDATE[SD]?|BREAKING(?: NEWS)?|EXCLUSIVE|WATCH|LISTEN|VIDEO|PHOTOS|ANALYSIS|OPINION"
    r"|EDITORIAL|COMMENT|LIVE|NEW|FACT CHECK|EXPLAINER|REVIEW|INTERVIEW|REPORT|MUST SEE"
    r"|SPONSORED|PREMIUM|TRENDING|WORLD|NATION|POLITICS|BUSINESS|SPORTS?|ENTERTAINMENT"
    r"|SCIENCE|TECH(?:NOLOGY)?|HEALTH|LOCAL|METRO)\b"
)
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Sgt|Capt|Sen|Rep|Gov|Pres|St|Jr|Sr|No|Vol|vs"
    r"|Inc|Corp|Co|Ltd|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.K|U\.N|E\.U))\.$"
)
ABBREVIATION_CHARS = 8  # the longest abbreviation ("Sept.") and the character before it
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")
MAX_HEADLINE_WORDS = 25
MAX_SUBTITLE_WORDS = 60
MAX_DERIVED_TITLE = 120
MIN_LEAD_WORDS = 10  # a dateline prefix is followed by a lead paragraph at least this long
MAX_WRAP_WIDTH = 100  # hard-wrapped text is wrapped at most this wide
WRAP_SHARE = 0.6  # a wrapped line fills at least this share of the width
# One article's text at most: about 50,000 words, past the longest long-reads. Longer inputs are
# books, dumps or listings, and analysis time grows with length (1 MB: 28-63 s, up to 3 GB).
MAX_ARTICLE_CHARS = 300_000
MAX_ARTICLE_LINES = 10_000  # paragraphs and other lines; a long-read has a few hundred


@dataclass(frozen=True)
class Layout:
    """What the lines of one article turned out to be."""

    paragraphs: tuple[str, ...]
    removed: tuple[RemovedLine, ...]
    title: str | None = None  # the headline line of the text, if it has one
    subtitle: str | None = None
    dateline: str | None = None
    byline: str | None = None
    date: str | None = None  # ISO date from a date-stamp line
    footer_outlet: str | None = None  # named by an agency footer
    link_host: str | None = None  # of a "Read more:" link to the publisher's other stories


def split_lines(text: str) -> list[str]:
    """Non-empty lines (whitespace collapsed, controls dropped); hard-wrapped lines rejoined."""
    rows = [" ".join(raw.split()) for raw in drop_controls(text).splitlines()]
    width = _wrap_width(rows)
    lines: list[str] = []
    previous = ""
    for row in rows:
        if not row:
            previous = ""
            continue
        # A headline is never continued, so the first line is only joined to lower case.
        if (
            width
            and len(previous) >= WRAP_SHARE * width
            and (len(lines) > 1 or row[0].islower())
            and _continues(previous, row)
        ):
            lines[-1] = previous = f"{previous} {row}"
        else:
            lines.append(row)
            previous = row
    return lines


def check_length(lines: Sequence[str]) -> None:
    """InputError when the lines are too many or too long for one article."""
    chars = sum(len(line) for line in lines)
    if chars > MAX_ARTICLE_CHARS or len(lines) > MAX_ARTICLE_LINES:
        raise InputError(
            f"too long for one article: {chars} characters in {len(lines)} lines"
            f" (at most {MAX_ARTICLE_CHARS} characters and {MAX_ARTICLE_LINES} lines)"
        )


def _wrap_width(rows: Sequence[str]) -> int:
    """The column width of hard-wrapped text, or 0 when its lines are paragraphs."""
    # Wrapped text: most lines nearly as long as the longest, and most lines followed by
    # another line of the same block end in the middle of a sentence.
    lengths = [len(row) for row in rows if row]
    if len(lengths) < 4 or max(lengths) > MAX_WRAP_WIDTH:
        return 0
    width = max(lengths)
    if sum(1 for n in lengths if n >= WRAP_SHARE * width) < 0.5 * len(lengths):
        return 0
    inner = [row for row, after in pairwise(rows) if row and after]
    open_ends = sum(1 for row in inner if not row.rstrip(_CLOSERS).endswith((".", "!", "?")))
    return width if inner and open_ends >= 0.5 * len(inner) else 0


def _continues(previous: str, row: str) -> bool:
    """True when a row can continue the paragraph of the wrapped row before it."""
    return (
        classify(row) is None
        and classify(previous) is None
        and not date_stamp(row)[0]
        and not previous.rstrip(_CLOSERS).endswith(":")
    )


def lay_out(lines: Sequence[str], title: str | None = None, find_headline: bool = True) -> Layout:
    """Sort lines into headline, subtitle, dateline, byline, date stamp, body and debris."""
    # ``title``: one the input declares (no headline is looked for; a first line repeating it
    # is dropped). ``find_headline`` is False where lines are known paragraphs (HTML <p>).
    removed: list[RemovedLine] = []
    kept: list[str] = []
    byline = footer = host = None
    for line in lines:
        debris = classify(line)
        if debris is None:
            kept.append(line)
            continue
        removed.append(RemovedLine(line, debris.reason))
        if debris.kind == "byline" and byline is None:
            byline = byline_names(line)
        footer = footer or debris.outlet
        if debris.kind == "link" and host is None:
            host = debris.host
    header = _read_header(kept, title, find_headline, removed)
    body = kept[header.consumed :]
    dateline = header.dateline
    paragraphs: list[str] = []
    for line in body:
        if is_shouted(line):
            removed.append(RemovedLine(line, "capitalised line (promo headline or section label)"))
            continue
        if not paragraphs and dateline is None:
            dateline, line = split_dateline(line)
        paragraphs.append(line)
    return Layout(
        paragraphs=tuple(paragraphs),
        removed=tuple(_in_order(removed, lines)),
        title=header.title,
        subtitle=header.subtitle,
        dateline=dateline,
        byline=byline,
        date=header.date,
        footer_outlet=footer,
        link_host=host,
    )


@dataclass(frozen=True)
class _Header:
    consumed: int
    title: str | None = None
    subtitle: str | None = None
    dateline: str | None = None
    date: str | None = None


def _read_header(
    lines: Sequence[str], declared: str | None, find_headline: bool, removed: list[RemovedLine]
) -> _Header:
    """Headline, subtitle, standalone dateline and date stamp at the top; how many lines."""
    title = subtitle = dateline = date = None
    headed = False  # a headline, or a line repeating the declared title, was seen
    i = 0
    while i < len(lines) - 1:  # the last line is always left for the body
        line = lines[i]
        stamp, iso = date_stamp(line)
        if stamp:
            removed.append(RemovedLine(line, "date stamp (kept as metadata)"))
            date = date or iso
        elif dateline is None and (found := _standalone_dateline(line, first=not headed)):
            removed.append(RemovedLine(line, "dateline (kept as metadata)"))
            dateline = found
        elif not headed and dateline is None and declared and _same_text(line, declared):
            removed.append(RemovedLine(line, "repeats the title"))
            headed = True
        elif not headed and dateline is None and not declared and find_headline:
            if not looks_like_headline(line):
                break
            title, headed = line, True
        elif headed and subtitle is None and dateline is None and _looks_like_subtitle(line):
            subtitle = line
        else:
            break
        i += 1
    return _Header(i, title, subtitle, dateline, date)


def looks_like_headline(line: str, max_words: int = MAX_HEADLINE_WORDS) -> bool:
    """A short line that does not end a sentence with a full stop: a headline or subtitle."""
    words = line.split()
    if not 0 < len(words) <= max_words:
        return False
    end = line.rstrip(_CLOSERS)
    if end.endswith((",", ";", ":")):
        return False
    return not end.endswith(".") or end.endswith("...") or title_cased(line)


def title_cased(text: str) -> bool:
    """True when nearly all longer words are capitalised, as in "Trump Wins Second Term"."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’.-]*", text) if len(w) > 3]
    capitalised = sum(1 for w in words if w[0].isupper())
    return len(words) >= 2 and capitalised >= 0.8 * len(words)


def _looks_like_subtitle(line: str) -> bool:
    """A standfirst under the headline: headline-like, maybe longer, not a dated lead."""
    return (
        looks_like_headline(line, MAX_SUBTITLE_WORDS)
        and not is_shouted(line)
        and _DATELINE_PREFIX.match(line) is None
    )


def _standalone_dateline(line: str, first: bool) -> str | None:
    """A dateline on a line of its own; before the headline only when it cannot be one."""
    m = _DATELINE_LINE.match(line)
    if not m or _LABELS.match(line):
        return None
    if m.group("mixed"):
        return m.group("mixed")
    dateline = m.group("dateline")
    if not first or len(line.split()) == 1 or m.group("sep") or "," in line or "(" in line:
        return dateline
    return None


def split_dateline(paragraph: str) -> tuple[str | None, str]:
    """A dateline prefix ("WASHINGTON: ", "LONDON, Nov 6 (AFP) - ") and the paragraph without it."""
    if _LABELS.match(paragraph):
        return None, paragraph
    m = _DATELINE_PREFIX.match(paragraph)
    rest = paragraph[m.end() :] if m else ""
    if not m or len(rest.split()) < MIN_LEAD_WORDS or title_cased(rest):
        return None, paragraph  # a "LABEL: Headline" line, not a dateline before a lead
    dateline = m.group("dateline") or m.group("mixed")
    return dateline.strip(), rest


def derive_title(paragraph: str) -> str:
    """A title from the lead: its first sentence, cut at a clause or word boundary if long."""
    sentence = first_sentence(paragraph)
    if len(sentence) <= MAX_DERIVED_TITLE:
        return sentence[:-1] if sentence.endswith(".") else sentence
    head = sentence[:MAX_DERIVED_TITLE]
    comma = head.rfind(",")
    cut = comma if comma >= 40 else head.rfind(" ")
    return head[: cut if cut > 0 else MAX_DERIVED_TITLE].rstrip(" ,;:") + "…"


def first_sentence(paragraph: str) -> str:
    """The first sentence of a paragraph, not fooled by abbreviations ("U.S.", "Nov.")."""
    for m in _SENTENCE_END.finditer(paragraph):
        end = m.start() + 1  # the abbreviation is looked for just before, not in the whole head
        if not _ABBREVIATION.search(paragraph[max(0, end - ABBREVIATION_CHARS) : end]):
            return paragraph[: m.end()].rstrip()
    return paragraph


def _same_text(a: str, b: str) -> bool:
    """Equal after whitespace and case are ignored."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _in_order(removed: list[RemovedLine], lines: Sequence[str]) -> list[RemovedLine]:
    """Removed lines in the order they appear in the input."""
    position = {line: i for i, line in reversed(list(enumerate(lines)))}
    return sorted(removed, key=lambda r: position.get(r.text, len(lines)))
