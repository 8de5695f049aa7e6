"""Outlet evidence in an article's own text: bylines, dateline credits, self-references, hosts.

Each finder reads one kind of evidence and returns the outlet's name with the text it rests
on. A self-reference ("a senior official told The Epoch Times") is only an inference: the
caller uses it when nothing else names the outlet, and marks it as inferred.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from storydesk.clean.pagemeta import registered_domain

AGENCIES: Mapping[str, str] = MappingProxyType({
    "reuters": "Reuters", "thomson reuters": "Reuters", "ap": "Associated Press",
    "associated press": "Associated Press", "the associated press": "Associated Press",
    "afp": "AFP", "agence france-presse": "AFP", "agence france presse": "AFP",
    "bloomberg": "Bloomberg", "bloomberg news": "Bloomberg", "dpa": "dpa", "xinhua": "Xinhua",
    "tass": "TASS", "efe": "EFE", "ansa": "ANSA", "kyodo": "Kyodo", "kyodo news": "Kyodo",
    "yonhap": "Yonhap", "upi": "UPI", "united press international": "UPI", "ani": "ANI",
    "pti": "PTI", "ians": "IANS", "anadolu": "Anadolu", "anadolu agency": "Anadolu",
})  # fmt: skip
# Words that make a name an outlet's ("Washington Examiner", "Coastline Radio").
OUTLET_WORDS = frozenset(
    {"news", "times", "post", "press", "agency", "journal", "herald", "tribune", "courier",
     "ledger", "gazette", "daily", "telegraph", "radio", "tv", "television", "broadcasting",
     "network", "wire", "reuters", "bloomberg", "axios", "politico", "examiner", "observer",
     "guardian", "independent", "standard", "magazine", "review", "chronicle", "record",
     "inquirer", "monitor", "bulletin", "dispatch", "mail", "express", "sun", "star", "globe"}
)  # fmt: skip
# Words after a byline's names that say what the person is, not where ("Jane Roe, Staff Writer").
_ROLE_TAIL = re.compile(
    r"(?:\s+(?:staff|senior|chief|political|special|writer|reporter|correspondent|editor"
    r"|contributor|columnist|desk))+$",
    re.IGNORECASE,
)
_NAME = r"(?:[Tt]he\s+)?[A-Z][\w&.’'-]*(?:\s+(?:of\s+|for\s+|and\s+|&\s+)?[A-Z][\w&’'-]*){0,5}"
# A byline's names, then the outlet after a comma, a bar, a dash or "for".
_BYLINE_OUTLET = re.compile(rf"^.+?(?:,|\s\||\s[-–—]|\sfor)\s+(?P<name>{_NAME})\.?$")
_BRACKETED = re.compile(r"\((?P<name>[A-Z][^()]{0,40})\)")
# Cues that name the outlet an article was written for, when it is the one addressed.
_SELF_CUES = (
    re.compile(
        rf"\b(?:told|confirmed to|said to|speaking to|spoke to|spoke with"
        rf"|(?:said )?in an interview with)\s+(?P<name>{_NAME})"
    ),
    re.compile(rf"(?P<name>{_NAME})\s+(?:has learned|can reveal|can confirm|has confirmed that)\b"),
)
_TRAILING_TIME = re.compile(
    r"(?:\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February"
    r"|March|April|May|June|July|August|September|October|November|December))+$"
)
LEAD_PARAGRAPHS = 3  # a self-reference is looked for in the opening paragraphs only
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]?[A-Z])")
_CAPITALISED = re.compile(r"[A-Z][\w&’'-]*(?:\s+(?:[Tt]he\s+)?[A-Z][\w&’'-]*)*")
MAX_NAME_WORDS = 6  # a display name found in the text has at most this many words


def agency(name: str) -> str | None:
    """The canonical agency a name stands for, or None."""
    return AGENCIES.get(" ".join(name.casefold().replace(".", "").split()))


def outlet_key(name: str) -> str:
    """A name compared without case, punctuation or a leading "the" ("The Epoch Times")."""
    words = re.findall(r"\w+", name.casefold())
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def name_key(name: str) -> str:
    """One key for the ways of writing one name ("The Epoch Times", "EpochTimes": epochtimes)."""
    return "".join(outlet_key(name).split())


def outlet_like(name: str) -> bool:
    """True for a name shaped like an outlet's: an agency, or a name with an outlet word."""
    words = re.findall(r"[\w’'-]+", name.casefold())
    return bool(agency(name)) or any(w.strip("’'") in OUTLET_WORDS for w in words)


def host_of(url: str | None) -> str | None:
    """The registered domain an address is on ("www.foxnews.com/x" -> "foxnews.com")."""
    return registered_domain(url) if url else None


def spellings(name: str) -> frozenset[str]:
    """How a host may spell a name: whole ("foxnews"), or with leading initials ("nytimes")."""
    words = outlet_key(name).split()
    if not words or len(words) > MAX_NAME_WORDS:
        return frozenset()
    out = {name_key(name)}
    for k in range(2, len(words) + 1):  # "ny" + "times", "nyt"; one initial alone is no spelling
        out.add("".join(w[0] for w in words[:k]) + "".join(words[k:]))
    return frozenset(s for s in out if len(s) >= 3 or len(words) == len(s))


def host_spellings(host: str) -> frozenset[str]:
    """The label of a host a name may spell ("theepochtimes.com" -> theepochtimes, epochtimes)."""
    label = host.split(".")[0].replace("-", "")
    return frozenset({label, label.removeprefix("the")} - {""})


def spells_host(name: str, host: str) -> bool:
    """True when a name is what its host spells ("Fox News" and foxnews.com)."""
    return bool(spellings(name) & host_spellings(host))


def name_for_host(host: str, texts: Iterable[str]) -> str | None:
    """The name in the texts that the host spells, most often written form first, or None."""
    labels = host_spellings(host)
    initials = {label[0] for label in labels}
    counts: dict[str, int] = {}
    for text in texts:
        for run in _CAPITALISED.finditer(text):
            if text.startswith(".", run.end()) and text[run.end() + 1 : run.end() + 2].islower():
                continue  # part of an address ("FoxNews.com"), not a name
            words = run.group().split()
            for i in range(len(words)):
                if words[i][0].lower() not in initials:
                    continue  # a spelling starts with the name's first letter
                for j in range(i + 1, min(len(words), i + MAX_NAME_WORDS) + 1):
                    name = " ".join(words[i:j]).strip("’'.-")
                    if spellings(name) & labels:
                        counts[name] = counts.get(name, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda n: (counts[n], len(n)))


def byline_outlet(byline: str | None) -> str | None:
    """The outlet a byline credits after its names ("Jane Roe, Reuters"), or None."""
    if not byline:
        return None
    m = _BYLINE_OUTLET.match(byline.strip())
    if not m:
        return None
    name = _ROLE_TAIL.sub("", m.group("name")).strip()
    if not name:
        return None
    return agency(name) or (name if outlet_like(name) else None)


def dateline_outlet(dateline: str | None) -> str | None:
    """The outlet a dateline credits in brackets ("PORT ELLIS (Harbor Wire)"), or None."""
    m = _BRACKETED.search(dateline or "")
    if not m:
        return None
    name = m.group("name").strip()
    return agency(name) or name


def self_reference(paragraphs: Iterable[str]) -> tuple[str, str] | None:
    """(outlet, sentence) of the first self-reference in the opening paragraphs, or None."""
    best: tuple[int, int, str, str] | None = None
    for i, paragraph in enumerate(list(paragraphs)[:LEAD_PARAGRAPHS]):
        for pattern in _SELF_CUES:
            for m in pattern.finditer(paragraph):
                name = _bare(m.group("name"))
                if not name or not outlet_like(name):
                    continue
                key = (i, m.start())
                if best is None or key < best[:2]:
                    best = (i, m.start(), name, _sentence(paragraph, m.start("name")))
        if best is not None:
            break
    return (best[2], best[3]) if best else None


def _bare(name: str) -> str:
    """A matched name without "the", a possessive's tail ("Fox News' Bill") or a weekday."""
    name = name.strip().removeprefix("the ")  # "confirmed to the Washington Examiner"
    possessive = re.search(r"[’']s?(?=\s|$)", name)
    if possessive:
        name = name[: possessive.start()]
    return _TRAILING_TIME.sub("", name.rstrip(".,"))


def _sentence(text: str, start: int) -> str:
    """The sentence of a paragraph that holds the offset ``start``."""
    begin = 0
    for m in _SENTENCE_END.finditer(text):
        if m.end() > start:
            return text[begin : m.end()].strip()
        begin = m.end()
    return text[begin:].strip()
