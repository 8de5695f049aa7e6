"""Metadata parsing: dates, bylines and authors, hosts of links."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from urllib.parse import urlsplit

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
# Publication dates outside these years are placeholders ("0001-01-01", "9999-12-31") or typos:
# newspapers began in the 1600s, and dates centuries ahead stand for "never" or "unknown".
PUBLISHED_YEARS = range(1600, 2200)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ISO = re.compile(r"\b(?P<year>\d{4})[-/](?P<month>\d{1,2})[-/](?P<day>\d{1,2})\b")
_MDY = re.compile(
    rf"\b(?P<mon>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b",
    re.IGNORECASE,
)
_DMY = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MONTH})\.?,?\s+(?P<year>\d{{4}})\b",
    re.IGNORECASE,
)
_NUMERIC = re.compile(
    r"\b(?P<a>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<b>\d{1,2})\s*(?P=sep)\s*(?P<year>\d{4}|\d{2})\b"
)
# Words that may stand beside a date in a line that is only a date stamp.
_STAMP_WORDS = re.compile(
    r"(?:published|updated|posted|modified|last|first|on|at|date|time|local|hrs|am|pm"
    r"|a\.m\.|p\.m\.|gmt|utc|est|edt|cst|cdt|mst|mdt|pst|pdt|bst|cet|cest|ist|et|ct|pt"
    r"|mt|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|monday|tuesday|wednesday"
    r"|thursday|friday|saturday|sunday)",
    re.IGNORECASE,
)
_STAMP_WORD = re.compile(r"[A-Za-z]+(?:\.[A-Za-z]+)*\.?")
_TIMEZONE = re.compile(r"^[A-Z]{2,5}$")

_BYLINE = re.compile(
    r"^(?:(?:written |words |story |reporting )?by|byline:)\s+(?P<names>\S.*)$", re.IGNORECASE
)
_NAME_LINKS = re.compile(
    r"(?:and|\&|of|in|de|del|della|der|van|von|den|al|el|bin|ibn|da|dos|du|la|le|y|uulu"
    r"|zu)",
    re.IGNORECASE,
)
_NOT_NAMES = re.compile(
    r"(?:the|a|an|this|that|these|those|monday|tuesday|wednesday|thursday|friday|saturday"
    r"|sunday|january|february|march|april|june|july|august|september|october|november"
    r"|december|today|tomorrow|yesterday|then|now)",
    re.IGNORECASE,
)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\||•|·|\s[-–—]\s)\s*", re.IGNORECASE)
_PLACE_SUFFIX = re.compile(r"\s+in\s+[A-Z][\w .'’-]*$")
_ROLE_WORDS = re.compile(
    r"(?:staff|reporter|reporters|correspondent|correspondents|writer|writers|editor"
    r"|editors|desk|agency|news|service|wire|bureau|team|contributor|contributors)",
    re.IGNORECASE,
)


def parse_date(value: str | None) -> str | None:
    """An ISO date ("YYYY-MM-DD") from a declared date or datetime, or None if it does not parse."""
    if not value or not value.strip():
        return None
    text = value.strip()
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    found = _find_date(text)
    return found[2] if found else None


def publication_date(value: str | None) -> tuple[str | None, str | None]:
    """(ISO date, None) for a usable declared publication date, else (None, why it is dropped)."""
    if not value or not value.strip():
        return None, None
    iso = parse_date(value)
    if iso is None:
        return None, "not a calendar date"
    first, last = PUBLISHED_YEARS[0], PUBLISHED_YEARS[-1]
    if int(iso[:4]) not in PUBLISHED_YEARS:
        return None, f"the year {iso[:4]} is outside {first}-{last} (a placeholder or a typo)"
    return iso, None


def date_stamp(line: str) -> tuple[bool, str | None]:
    """Whether a line is only a date stamp ("Published: July 29, 2004"), and its ISO date."""
    if len(line) > 80 or len(line.split()) > 14:
        return False, None
    found = _find_date(line)
    if found is None:
        return False, None
    start, end, iso = found
    rest = line[:start] + " " + line[end:]
    for word in _STAMP_WORD.findall(rest):
        if not _STAMP_WORDS.fullmatch(word) and not _TIMEZONE.match(word):
            return False, None
    return True, iso


def _find_date(text: str) -> tuple[int, int, str | None] | None:
    """The first date written in the text: its span and ISO value (None when ambiguous)."""
    best: tuple[int, int, str | None] | None = None
    for pattern in (_ISO, _MDY, _DMY, _NUMERIC):
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), m.end(), _iso_from_match(m))
    return best


def _iso_from_match(m: re.Match[str]) -> str | None:
    """The ISO date a date match names, or None when it is invalid or ambiguous."""
    parts = m.groupdict()
    year = int(parts["year"])
    if len(parts["year"]) == 2:  # "3/13/26"; a year written with four digits is taken as written
        year += 2000 if year < 70 else 1900
    if "mon" in parts:
        month = _MONTHS.index(parts["mon"][:3].lower()) + 1
        day = int(parts["day"])
    elif "a" in parts:
        a, b = int(parts["a"]), int(parts["b"])
        if a > 12 >= b:
            day, month = a, b
        elif b > 12 >= a or a == b:
            month, day = a, b
        else:
            return None  # "05/06/2013": month and day cannot be told apart
    else:
        month, day = int(parts["month"]), int(parts["day"])
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def byline_names(line: str) -> str | None:
    """The names of a byline line ("By Jane Roe and Ann Poe" -> "Jane Roe and Ann Poe"), or None."""
    m = _BYLINE.match(line.strip())
    if not m:
        return None
    names = re.sub(r"(?<=[a-z]{2})\.$", "", m.group("names").strip())
    words = names.split()
    if not words or len(words) > 12 or _NOT_NAMES.fullmatch(words[0].strip(",.")):
        return None
    if names[-1] in "!?":
        return None
    for word in words:
        bare = word.strip(",;|&•·-–—()")
        if bare and not bare[0].isupper() and not _NAME_LINKS.fullmatch(bare):
            return None
        if any(ch.isdigit() for ch in bare):
            return None
    return names


def split_authors(byline: str) -> tuple[str, ...]:
    """Person names in a byline; agencies, roles and places are left out."""
    names = byline_names(byline) or byline.strip()
    out: list[str] = []
    for piece in _AUTHOR_SPLIT.split(names):
        piece = _PLACE_SUFFIX.sub("", piece.strip(" .()"))
        words = piece.split()
        if not 2 <= len(words) <= 5:
            continue
        if any(_ROLE_WORDS.fullmatch(w) for w in words):
            continue
        if not all(w[0].isupper() or _NAME_LINKS.fullmatch(w) for w in words):
            continue
        if piece not in out:
            out.append(piece)
    return tuple(out)


def link_host(url: str) -> str | None:
    """The host a link points to, without a leading "www." ("www.reuters.com" -> "reuters.com")."""
    text = url.strip().strip("<>")
    if "://" not in text:
        text = "http://" + text
    try:
        host = urlsplit(text).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    return host.removeprefix("www.")
