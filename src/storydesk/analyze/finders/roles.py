"""Roles given to a person: a title before the name or an apposition after it.

"U.S. Secretary of State Marco Rubio" -> "U.S. secretary of state"; "Rubio, the secretary of
state," -> "secretary of state"; "Marc Schneier, president of the Foundation for Ethnic
Understanding," -> "president of the Foundation for Ethnic Understanding"; "President Shavkat
Mirziyoyev of Uzbekistan" -> "president of Uzbekistan". The role is never part of the name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from storydesk.text.canon import country_named, demonym_country

# Written abbreviations of titles -> the word a role spells out.
ABBREVIATIONS = {
    "sen.": "senator",
    "rep.": "representative",
    "gov.": "governor",
    "gen.": "general",
    "adm.": "admiral",
    "col.": "colonel",
    "lt. gen.": "lieutenant general",
}
# Titles before a name that are honorifics, not roles.
HONORIFICS = frozenset({"mr.", "mrs.", "ms.", "dr.", "sir", "dame", "lord", "lt."})
# Nouns that make a role only after a name ("Ann Lee, chief executive of Acme,").
APPOSITION_ROLES = (
    "chief executive", "chief executive officer", "ceo", "founder", "co-founder", "head",
    "leader", "spokesperson", "adviser", "advisor", "executive director", "deputy",
    "managing director", "lawyer", "attorney", "member", "owner", "editor", "professor",
    "economist", "analyst", "researcher", "officer", "official", "diplomat", "negotiator",
)  # fmt: skip
MODIFIERS = r"(?:former|then|acting|interim|outgoing|incoming|deputy|assistant|senior|top)"
_QUALIFIER = rf"(?!{MODIFIERS}\s)(?-i:[A-Z][\w.’'&-]*(?:[’']s)?)"
_OF_PHRASE = (
    r"(?:of|at|for|to|from)\s+(?:the\s+)?[A-Z][\w.’'&-]*"
    r"(?:\s+(?:[A-Z][\w.’'&-]*|of|for|and|on|the|de|du))*?"
)


def _alternation(words: list[str]) -> str:
    """A regex alternation of phrases, longest first so "secretary of state" beats "secretary"."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _title_pattern(titles: list[str]) -> str:
    return _alternation([t for t in titles if t not in HONORIFICS])


def compile_before(titles: list[str]) -> re.Pattern[str]:
    """The pattern of a title right before a name ("Vice President ", "Secretary of Energy ")."""
    nouns = _title_pattern([*titles, *APPOSITION_ROLES])
    of = r"(?:\s+(?:of|for)\s+(?-i:[A-Z][\w-]*))?"
    return re.compile(rf"(?:^|(?<=[^\w.’']))(?P<title>(?:{nouns}){of})\s+$", re.IGNORECASE)


_BEFORE_TITLE = re.compile(
    rf"(?:^|(?<=[^\w.’']))(?:(?P<qual>{_QUALIFIER})\s+)?(?:(?P<mod>{MODIFIERS})\s+)?$",
    re.IGNORECASE,
)


def compile_after(titles: list[str]) -> re.Pattern[str]:
    """The pattern of an apposition right after a name (", the secretary of state,")."""
    nouns = _title_pattern([*titles, *APPOSITION_ROLES])
    return re.compile(
        rf",\s+(?:(?:the|a|an)\s+)?(?:(?P<qual>{_QUALIFIER})\s+)?(?:(?P<mod>{MODIFIERS})\s+)?"
        rf"(?P<title>{nouns})(?P<of>\s+{_OF_PHRASE})?\s*(?=[,;)—–]|\.(?:\s|$)|$)",
        re.IGNORECASE,
    )


def role_before(pattern: re.Pattern[str], before: str, qualifiers: Mapping[int, int]) -> str | None:
    """The role a title right before a name gives ("US special envoy " -> "US special envoy").

    ``before`` is the text of the block up to the name; ``qualifiers`` maps the end of each
    place, nationality or organisation mention in it to its start, so "Kazakh" and "New York
    City" qualify a title and "Yesterday" does not. A lower-case title needs a qualifier or a
    modifier ("former").
    """
    found = pattern.search(before[-120:])
    if found is None:
        return None
    head = before[: len(before) - len(found.group())]
    lead = _BEFORE_TITLE.search(head[-60:])
    qual = lead.group("qual") if lead else None
    mod = lead.group("mod") if lead else None
    if qual is not None:
        end = len(head.rstrip())
        if end in qualifiers:
            qual = before[qualifiers[end] : end]  # the whole mention: "New York City"
        elif not _is_qualifier(qual):
            qual = None
    title = found.group("title")
    if title[0].islower() and qual is None and mod is None:
        return None
    return _role_text(qual, mod, title, None)


def role_after(pattern: re.Pattern[str], after: str) -> str | None:
    """The role an apposition right after a name gives (", president of X," -> its text)."""
    found = pattern.match(after[:200])
    if found is None:
        return None
    of = found.group("of")
    return _role_text(found.group("qual"), found.group("mod"), found.group("title"), of)


def place_after(after: str) -> str | None:
    """ " of Uzbekistan" right after a titled name: the country the title belongs to."""
    found = re.match(r"\s+of\s+((?:the\s+)?[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)?)", after)
    if found is None:
        return None
    for candidate in (found.group(1), found.group(1).rsplit(" ", 1)[0]):
        if not re.search(r"\b[A-Z]\.$", candidate):
            candidate = candidate.rstrip(".")  # a full stop, not an abbreviation's dot
        if country_named(candidate):
            return candidate
    return None


def _is_qualifier(word: str) -> bool:
    """A country or demonym: it says whose title this is."""
    plain = re.sub(r"[’']s$", "", word)
    return country_named(plain) is not None or demonym_country(plain) is not None


def _role_text(qual: str | None, mod: str | None, title: str, of: str | None) -> str:
    """A role as shown: qualifier as written, then the title in lower case and any "of X"."""
    title = " ".join(title.split())
    words = ABBREVIATIONS.get(title.lower(), title.lower())
    if title.isupper() and len(title) <= 4:
        words = title  # "CEO"
    parts = [qual.replace("’", "'") if qual else "", mod.lower() if mod else "", words]
    role = " ".join(p for p in parts if p)
    if of:
        role += " " + " ".join(of.split())
    if role.endswith(".") and not re.search(r"\b[A-Z]\.$", role):
        role = role[:-1]  # the sentence's full stop, not an abbreviation's ("U.S.")
    return role
