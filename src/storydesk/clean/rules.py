"""Boilerplate rules: which lines are scraping debris, and why.

Each rule is a (pattern or predicate, reason) pair tried in order on one whitespace-normalised
line. The rules are deliberately conservative: a line is debris only when it matches a
shape that real body sentences do not have.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from storydesk.clean.meta import byline_names, link_host

Matcher = re.Pattern[str] | Callable[[str], bool]

_I = re.IGNORECASE
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", _I)
_SUBSCRIPTION = re.compile(
    r"\b(?:website|web site|site) (?:contains|carries|publishes|offers) only\b"
    r"|\bcontact us for (?:a |more |your )?subscription"
    r"|\bsubscription options\b"
    r"|\boffered to (?:our )?subscribers\b"
    r"|\b(?:already a subscriber|become a (?:subscriber|member)|subscribers? only)\b"
    r"|^(?:subscribe|log in|sign in|register) (?:now |today )?"
    r"(?:to (?:continue|read)|for (?:full|unlimited) access)",
    _I,
)
_FOOTER_OUTLET = re.compile(
    r"^(?P<name>[A-Z][\w&.'’ -]{1,60}?)(?:'s|’s)? (?:website|web site|site|news service)"
    r" (?:contains|carries|publishes|offers) only\b"
)
_READ_MORE = re.compile(
    r"^(?:read more|read also|also read|see also|more on this(?: story)?"
    r"|read the full (?:story|article)|continue reading|related|watch|listen)"
    r"\s*(?:[:>»|–—-]+\s*\S.*|:?\s*$)",
    _I,
)
_RELATED = re.compile(
    r"^(?:related(?: (?:content|articles?|stories|news|coverage|links|posts|topics|reading"
    r"|videos?))?"
    r"|recommended(?: for you| stories| articles| reading| videos?)?"
    r"|you (?:may|might) also (?:like|be interested in)|more (?:stories|news|from [\w .&'’-]{1,40})"
    r"|trending(?: now| stories)?|most (?:read|popular|viewed|shared)|top stories"
    r"|latest (?:news|stories)|editor'?s picks)\s*:?$",
    _I,
)
_BARE_URL = re.compile(r"^<?(?:https?://|www\.)\S+>?$", _I)
_FOLLOW = re.compile(
    r"^follow (?:us|@\w+|[\w .'’-]{1,40}? on (?:twitter|x|facebook|instagram|linkedin|threads"
    r"|bluesky|telegram|whatsapp|google news|youtube|tiktok|mastodon))\b",
    _I,
)
_NEWSLETTER = re.compile(
    r"^(?:sign up|subscribe|join|get|receive)\b.{0,100}\bnewsletters?\b"
    r"|\bnewsletters?\b.{0,60}\b(?:sign up|subscribe|your inbox)\b",
    _I,
)
_COPYRIGHT_HOLDER = re.compile(
    r"^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?,?\s+)?"
    r"(?P<name>[A-Z][\w&'’ -]{1,50}?)\.?(?:\s+all rights reserved\.?)?\s*$",
    _I,
)
_COPYRIGHT = re.compile(r"^(?:©|\(c\)\s|copyright\s*(?:©|\(c\)|\d{4}))|\ball rights reserved\b", _I)
_ADVERT = re.compile(
    r"^(?:advertisement|advertising|ad|sponsored(?: content)?|paid (?:content|post)"
    r"|(?:story|article) continues (?:below|after)(?: this)?(?: advertisement)?"
    r"|scroll to continue(?: with content)?|skip advertisement)\s*:?$",
    _I,
)
_DESK = re.compile(
    r"^(?:[A-Z][\w&/.'’-]*\s+){0,4}(?:desk|bureau)$"
    r"|^(?:staff (?:reporter|report|writer|correspondent)|our (?:staff )?correspondent)$",
    _I,
)
_WIRE_CREDIT = re.compile(
    r"^\((?:reporting|writing|editing|additional reporting|compiled)\s+by\b.*\)$", _I
)
_CALL_TO_ACTION = re.compile(
    r"^(?:click|tap) here\b|^(?:WATCH|LISTEN|VIDEO|PHOTOS|GALLERY|PODCAST):"
)
_CAPTION = re.compile(
    r"^(?:photo|image|picture|file photo|photo credit)\s*:"
    r"|^\((?:photo|image)s?\s*(?:by|:|credit)",
    _I,
)
_SOCIAL_WORDS = re.compile(
    r"(?:share|shares|sharing|tweet|email|e\-mail|print|facebook|twitter|x|whatsapp"
    r"|linkedin|telegram|reddit|pinterest|messenger|flipboard|copy|link|copied|save"
    r"|bookmark|comments|comment|this|article|story|on|via)",
    re.IGNORECASE,
)
_CLOSERS = "\"'”’»)]"
_OPENERS = "\"'“‘«("


def _short(limit: int) -> Callable[[str], bool]:
    """A predicate: the line has at most ``limit`` words."""
    return lambda line: len(line.split()) <= limit


def _social(line: str) -> bool:
    """Share and social-media button labels ("Share | Tweet | Email")."""
    if line.endswith("."):
        return False
    words = re.findall(r"[\w'-]+", line.lower())
    return (
        0 < len(words) <= 12
        and all(_SOCIAL_WORDS.fullmatch(w) for w in words)
        and words != ["this"]
    )


def _byline(line: str) -> bool:
    """A byline line ("By Jane Roe and Ann Poe")."""
    return byline_names(line) is not None


def _desk(line: str) -> bool:
    """A desk or staff line without a named author ("NEWS DESK", "Our Correspondent")."""
    return bool(_DESK.match(line)) and all(word[0].isupper() for word in line.split())


def _both(*matchers: Matcher) -> Callable[[str], bool]:
    """A predicate true when every matcher matches."""
    return lambda line: all(_matches(m, line) for m in matchers)


@dataclass(frozen=True)
class Debris:
    """Why a line is boilerplate, and any outlet or link host it reveals."""

    kind: str
    reason: str
    outlet: str | None = None  # named by an agency footer
    host: str | None = None  # of a link in the line


# (matcher, kind, reason), tried in order.
RULES: tuple[tuple[Matcher, str, str], ...] = (
    (_both(_SUBSCRIPTION, _short(80)), "footer", "subscription notice"),
    (_both(_READ_MORE, _short(40)), "link", "link to another story"),
    (_RELATED, "related", "related-content heading"),
    (_BARE_URL, "url", "bare URL"),
    (_social, "social", "share buttons"),
    (_both(_FOLLOW, _short(25)), "social", "social-media promotion"),
    (_both(_NEWSLETTER, _short(40)), "promo", "newsletter promotion"),
    (_both(_COPYRIGHT, _short(30)), "footer", "copyright notice"),
    (_ADVERT, "advert", "advertisement marker"),
    (_desk, "desk", "desk line (no named author)"),
    (_byline, "byline", "byline (kept as metadata)"),
    (_WIRE_CREDIT, "credit", "wire credit line"),
    (_both(_CALL_TO_ACTION, _short(30)), "promo", "call to action"),
    (_both(_CAPTION, _short(40)), "caption", "photo credit or caption"),
)


def _matches(matcher: Matcher, line: str) -> bool:
    """Apply one pattern (searched) or predicate to a line."""
    if isinstance(matcher, re.Pattern):
        return matcher.search(line) is not None
    return matcher(line)


def classify(line: str) -> Debris | None:
    """Why a line is boilerplate, or None when it is not."""
    for matcher, kind, reason in RULES:
        if _matches(matcher, line):
            outlet = footer_outlet(line) if kind == "footer" else None
            host = url_host(line)
            if outlet:
                reason = f"{reason} (names the outlet {outlet})"
            elif host:
                reason = f"{reason} (to {host})"
            return Debris(kind, reason, outlet, host)
    return None


def footer_outlet(line: str) -> str | None:
    """The outlet a footer names: an agency notice or the holder of a copyright line."""
    m = _FOOTER_OUTLET.match(line) or _COPYRIGHT_HOLDER.match(line)
    return m.group("name").strip() if m else None


def url_host(line: str) -> str | None:
    """The host of the first URL in a line, or None."""
    m = _URL.search(line)
    return link_host(m.group(0)) if m else None


def is_shouted(line: str) -> bool:
    """A line in capitals that is not a sentence: a promo headline of another story."""
    letters = [ch for ch in line if ch.isalpha()]
    if len(letters) < 4 or sum(ch.isupper() for ch in letters) < 0.8 * len(letters):
        return False
    return line[0] not in _OPENERS and not line.rstrip(_CLOSERS).endswith((".", "!"))
