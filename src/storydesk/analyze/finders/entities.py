"""Named-entity mentions from spaCy, repaired, with one canonical name per entity per article."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, replace

from storydesk.analyze.finders import roles
from storydesk.analyze.nlp import Block, Parsed, is_shouting
from storydesk.model import Entity
from storydesk.text.canon import country_named, demonym_country, short_form

NAMED_LABELS = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"}
)
# Title as written (lower case) -> the key a later "the <key>" refers back to (None: honorific).
TITLES: dict[str, str | None] = {
    "vice president": "vice president",
    "president-elect": "president-elect",
    "president": "president",
    "prime minister": "prime minister",
    "foreign minister": "foreign minister",
    "defense minister": "defense minister",
    "minister": "minister",
    "secretary of state": "secretary",
    "secretary-general": "secretary-general",
    "secretary general": "secretary-general",
    "secretary": "secretary",
    "attorney general": "attorney general",
    "crown prince": "crown prince",
    "prince": "prince",
    "princess": "princess",
    "king": "king",
    "queen": "queen",
    "sheikh": "sheikh",
    "emir": "emir",
    "rabbi": "rabbi",
    "imam": "imam",
    "pope": "pope",
    "cardinal": "cardinal",
    "bishop": "bishop",
    "senator": "senator",
    "sen.": "senator",
    "rep.": "representative",
    "representative": "representative",
    "congressman": "congressman",
    "congresswoman": "congresswoman",
    "gov.": "governor",
    "governor": "governor",
    "mayor-elect": "mayor-elect",
    "mayor": "mayor",
    "councillor": "councillor",
    "councilor": "councillor",
    "councilman": "councilman",
    "councilwoman": "councilwoman",
    "commissioner": "commissioner",
    "director": "director",
    "chief": "chief",
    "spokesman": "spokesman",
    "spokeswoman": "spokeswoman",
    "special envoy": "envoy",
    "envoy": "envoy",
    "ambassador": "ambassador",
    "chancellor": "chancellor",
    "chairman": "chairman",
    "chairwoman": "chairwoman",
    "speaker": "speaker",
    "justice": "justice",
    "judge": "judge",
    "gen.": "general",
    "general": "general",
    "adm.": "admiral",
    "admiral": "admiral",
    "col.": "colonel",
    "colonel": "colonel",
    "lt.": None,
    "mr.": None,
    "mrs.": None,
    "ms.": None,
    "dr.": None,
    "sir": None,
    "dame": None,
    "lord": None,
}
_TITLE_ALT = "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True))
_LOWER_WORD = re.compile(r"(?<![\w./@-])([a-z]+)(?![\w@/-]|\.[a-z])")
BEFORE_WINDOW = 120  # characters before a mention searched for a title ending there
TITLE_AT_END = re.compile(rf"(?:^|[^\w.])({_TITLE_ALT})\s*$", re.IGNORECASE)
TITLE_INSIDE = re.compile(rf"(?:^|\s)({_TITLE_ALT})\s+(?=[A-Z])", re.IGNORECASE)
NAME_PARTICLES = frozenset({"bin", "bint", "al", "de", "da", "van", "von", "der", "la", "le", "di"})
# Lower-case words inside a person's name: particles and patronymic markers ("uulu", "kyzy").
_INNER_PARTICLES = (
    "uulu", "kyzy", "ogly", "oglu", "ogli", "qizi", "bin", "binti", "bint", "ibn", "al", "el",
    "van", "von", "der", "den", "de", "da", "dos", "das", "del", "della", "di", "du", "ter",
)  # fmt: skip
_NAME_GOES_ON = re.compile(
    r"[ \t\xa0]+(?:" + "|".join(_INNER_PARTICLES) + r")[ \t\xa0]+[A-Z][\w’'-]*[a-z][\w’'-]*"
)
# Last words that make a "name" an organisation, a building or a vessel, not a person.
NOT_PERSON_ENDINGS = frozenset(
    {"freight", "lines", "airlines", "shipping", "logistics", "holdings", "memorial", "hospital",
     "clinic", "foundation", "institute", "center", "centre", "board", "authority", "services",
     "service", "association", "union", "club", "school", "college", "academy", "radio", "herald",
     "ledger", "observer", "wire", "daily", "tribune", "journal", "gazette", "press", "network",
     "bridge", "street", "road", "square", "park", "river", "station", "airport", "port"}
)  # fmt: skip
# What comes before a platform, not a place: "posting on", "wrote on his", "his ... platform".
_PLATFORM_BEFORE = re.compile(
    r"(?:\b(?:post(?:s|ed|ing)?|wr(?:ote|ites|iting|itten)|shar(?:e|es|ed|ing)|tweet(?:s|ed|ing)?"
    r"|announc(?:e|es|ed|ing)|said|says)\s+on\s+(?:(?:his|her|its|their|the)\s+)?"
    r"|\b(?:his|her|its|their|my|our|your)\s+)$",
    re.IGNORECASE,
)
PLACE_PREFIXES = frozenset({"port", "mount", "mt.", "fort", "lake", "cape"})  # not "St.": hospitals
_IN_PLACE = re.compile(r"\b(?:in|across|throughout|inside|outside)\s+$")
MODIFIER_DEPS = frozenset({"compound", "amod", "nmod"})  # a name used to qualify a noun
ORG_ENDINGS = frozenset(
    {"inc", "corp", "co", "ltd", "llc", "company", "department", "ministry", "office", "group",
     "bank", "university", "party", "council", "committee", "agency", "times", "news", "post"}
)  # fmt: skip
_POSSESSIVE = re.compile(r"(?:[’']s|(?<=s)[’'])$")
_SPACES = re.compile(r"\s+")
_LEADING_JUNK = frozenset("“”\"‘’'―—–-([ \t\xa0")
SURNAME_RELABEL = frozenset({"ORG", "NORP", "PRODUCT", "WORK_OF_ART", "FAC", "EVENT", "LAW"})
PLACE_LABELS = frozenset({"GPE", "LOC"})
# Words that may head "<word> of <country>" as one place name ("Republic of Korea").
PLACE_HEADS = frozenset(
    {"republic", "kingdom", "state", "states", "islands", "island", "gulf", "bay", "sea", "city",
     "province", "region", "sultanate", "emirate", "commonwealth", "federation", "union",
     "principality", "strait", "straits", "coast", "north", "south", "east", "west", "central"}
)  # fmt: skip
_NAME_OF_PLACE = re.compile(r"([A-Z][\w’'-]+) of ((?:the )?[A-Z][\w.’' -]+)")
QUALIFIER_LABELS = frozenset({"GPE", "NORP", "ORG"})  # may say whose title it is ("Kazakh")
ROLE_BEFORE = roles.compile_before(list(TITLES))
ROLE_AFTER = roles.compile_after(list(TITLES))
_PLACE_PREPOSITION = re.compile(
    r"\b(?:in|to|from|at|of|across|near|into|toward|towards|outside|inside)\s+$", re.I
)


@dataclass(frozen=True)
class _Mention:
    """A mention while it is being repaired (offsets into the article text)."""

    start: int
    end: int
    label: str
    shouting: bool
    title: str | None = None
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class EntityFindings:
    """Entity mentions plus the titles people were given ("president" -> "Donald Trump")."""

    entities: tuple[Entity, ...]
    titles: tuple[tuple[str, str], ...]


def find_entities(parsed: Parsed) -> EntityFindings:
    """Entity mentions with small-model slips repaired and article-level canonical names."""
    text = parsed.text
    mentions: list[_Mention] = []
    for block, doc in zip(parsed.blocks, parsed.docs, strict=True):
        shouting = is_shouting(block.text)
        for ent in doc.ents:
            if ent.label_ not in NAMED_LABELS:
                continue
            m = _repair(
                text,
                _Mention(
                    block.start + ent.start_char, block.start + ent.end_char, ent.label_, shouting
                ),
                block.start,
            )
            if m is not None:
                mentions.append(m)
    mentions = _retype(text, _extend_to_known(text, _drop_common_nouns(text, mentions)))
    found = _canonicalise(text, _with_roles(text, parsed.blocks, mentions))
    return replace(found, entities=_not_modifiers(_with_deps(parsed, found.entities)))


def _repair(text: str, m: _Mention, block_start: int) -> _Mention | None:
    """Fix one mention: possessives, titles inside or before names, "State" in a title."""
    start, end = m.start, m.end
    while start < end and text[start] in _LEADING_JUNK:
        start += 1  # "”― Francisco Herrero": marks the tokenizer left on the name
    found = _POSSESSIVE.search(text[start:end])
    if found and end - start - len(found.group()) > 1:
        end -= len(found.group())
    before = _window(text, block_start, start)
    words = text[start:end].split()
    if re.search(r"(?:secretary|minister|department) of\s*$", before, re.I):
        if len(words) == 1:
            return None  # "State" in "Secretary of State" is part of a title, not an ORG
        if _looks_like_name(words[1:]):  # "State Ilse Brandt": the title's end swallowed
            start = text.index(words[1], start + len(words[0]))
            before, m = _window(text, block_start, start), replace(m, label="PERSON")
            words = words[1:]
    label = m.label
    if len(words) == 1 and label != "NORP" and demonym_country(words[0].strip("’'")):
        label = "NORP"  # "The Kazakh government": a nationality, not a person or an ORG
    inside = list(TITLE_INSIDE.finditer(text[start:end]))
    if inside:
        cut = start + inside[-1].end()
        if label == "PERSON" or _titled_name(text[start:end], inside[-1]):
            before, start, label = _window(text, block_start, cut), cut, "PERSON"
    of = _NAME_OF_PLACE.fullmatch(text[start:end])
    if (
        label in PLACE_LABELS
        and of is not None
        and of.group(1).lower() not in PLACE_HEADS
        and country_named(of.group(2))
    ):
        start += of.start(2)  # "Japarov of Kyrgyzstan": a name the tagger folded into the place
    if label == "NORP" and text[start:end].endswith("stan"):
        label = "GPE"  # "Uzbekistan" is a country, not a nationality
    title = None
    if label != "PERSON" and _looks_like_name(words) and TITLE_AT_END.search(before):
        label = "PERSON"  # "councillor Ines Varga" is a person whatever the tagger said
    if label == "PERSON":
        at_end = TITLE_AT_END.search(before)
        if at_end:
            title = TITLES[at_end.group(1).lower()]
    if label == "PERSON":
        goes_on = _NAME_GOES_ON.match(text, end)
        if goes_on and "\n" not in goes_on.group():
            end = goes_on.end()  # "Sadyr Nurgojo uulu Japarov": the tagger stopped at "uulu"
    if start >= end:
        return None
    return _Mention(start, end, label, m.shouting, title)


def _window(text: str, block_start: int, end: int) -> str:
    """The words just before an offset in its block (a title fits in it), cut at a space.

    Bounded so that long paragraphs stay linear: the title patterns are anchored at the end.
    """
    start = max(block_start, end - BEFORE_WINDOW)
    if start > block_start:
        space = text.find(" ", start, end)
        start = space if space >= 0 else end
    return text[start:end]


def _drop_common_nouns(text: str, mentions: list[_Mention]) -> list[_Mention]:
    """Drop a one-word plural the article also writes in lower case ("many more Countries").

    Not a name after "the" ("the Times reported"), and a lower-case word in a web address
    ("reuters.com") does not count.
    """
    lower = set(_LOWER_WORD.findall(text))
    out = []
    for m in mentions:
        word = text[m.start : m.end]
        if (
            m.label != "PERSON"
            and word.isalpha()
            and word.endswith("s")
            and word[0].isupper()
            and word[1:].islower()
            and word.lower() in lower
            and text[max(0, m.start - 4) : m.start].lower() != "the "
        ):
            continue
        out.append(m)
    return out


def _with_roles(text: str, blocks: tuple[Block, ...], mentions: list[_Mention]) -> list[_Mention]:
    """Give each person-like mention the roles its title and apposition state, if any."""
    starts = [b.start for b in blocks]
    qualifiers: dict[int, list[_Mention]] = {}  # per block, in mention order
    for o in mentions:
        at = bisect.bisect_right(starts, o.start) - 1
        if o.label in QUALIFIER_LABELS and at >= 0:
            qualifiers.setdefault(at, []).append(o)
    out = []
    for m in mentions:
        at = bisect.bisect_right(starts, m.start) - 1
        block = blocks[at] if at >= 0 and m.start < blocks[at].end else None
        if block is None or m.label not in {"PERSON", *SURNAME_RELABEL, *PLACE_LABELS}:
            out.append(m)
            continue
        ends = {
            o.end - block.start: o.start - block.start
            for o in qualifiers.get(at, ())
            if o.end <= m.start
        }
        after = text[m.end : block.end]
        role = roles.role_before(ROLE_BEFORE, text[block.start : m.start], ends)
        if role is not None and " of " not in role:
            place = roles.place_after(after)
            role = f"{role} of {place}" if place else role
        found = (role, roles.role_after(ROLE_AFTER, after))
        out.append(replace(m, roles=tuple(r for r in found if r)))
    return out


def _titled_name(surface: str, title: re.Match[str]) -> bool:
    """True for "Kazakh President Kassym-Jomart Tokayev", not for "General Motors"."""
    lead = surface[: title.start(1)].split()
    return (
        bool(lead)
        and lead[-1].lower() != "the"
        and (title.group(1)[0].isupper() and _looks_like_name(surface[title.end() :].split()))
    )


def _looks_like_name(words: list[str]) -> bool:
    """Two or more capitalised words that do not end like an organisation's name."""
    return (
        len(words) >= 2
        and all(w[0].isupper() for w in words if w not in NAME_PARTICLES)
        and words[-1].strip(".").lower() not in ORG_ENDINGS
    )


def _extend_to_known(text: str, mentions: list[_Mention]) -> list[_Mention]:
    """Grow a mention that is the start of a longer name found elsewhere ("Abraham" Accords)."""
    known = sorted(
        {_flat(text[m.start : m.end]) for m in mentions if len(text[m.start : m.end].split()) > 1},
        key=len,
        reverse=True,
    )
    out: list[_Mention] = []
    for m in mentions:
        current = _flat(text[m.start : m.end])
        for name in known:
            if (
                len(name) > len(current)
                and name.startswith(current + " ")
                and (_flat(text[m.start : m.start + len(name)]) == name)
            ):
                end = m.start + len(name)
                if end == len(text) or not text[end].isalnum():
                    m = replace(m, end=end, label="")
                break
        out.append(m)
    inside = _strictly_inside(out)
    out = [m for i, m in enumerate(out) if i not in inside]
    labels: dict[str, Counter[str]] = {}
    for m in out:
        if m.label:
            labels.setdefault(_flat(text[m.start : m.end]), Counter())[m.label] += 1
    return [
        replace(m, label=labels[_flat(text[m.start : m.end])].most_common(1)[0][0])
        if not m.label
        else m
        for m in out
        if m.label or _flat(text[m.start : m.end]) in labels
    ]


def _flat(surface: str) -> str:
    """A mention with every run of whitespace (no-break spaces too) made one space."""
    return _SPACES.sub(" ", surface)


def _strictly_inside(mentions: list[_Mention]) -> set[int]:
    """Indexes of the mentions that another, longer mention contains (one sorted sweep)."""
    order = sorted(range(len(mentions)), key=lambda i: (mentions[i].start, -mentions[i].end))
    inside: set[int] = set()
    best_end = -1  # furthest end among mentions with a different span, starting no later
    group_end = -1
    previous: tuple[int, int] | None = None
    for i in order:
        span = (mentions[i].start, mentions[i].end)
        if span != previous:
            best_end = max(best_end, group_end)
            group_end, previous = span[1], span
        if best_end >= span[1]:
            inside.add(i)
    return inside


def base_name(surface: str) -> str:
    """A mention without leading "the", possessive ending or odd spacing, short forms of
    countries and unions written out ("U.S." -> "United States", ``canon.short_form``)."""
    name = _SPACES.sub(" ", surface).strip()
    name = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
    name = _POSSESSIVE.sub("", name)
    return short_form(name) or name


def _canonicalise(text: str, mentions: list[_Mention]) -> EntityFindings:
    """Give each mention the article's fullest name for it and a majority label."""
    bases = [base_name(text[m.start : m.end]) for m in mentions]
    full_counts: Counter[str] = Counter(
        b
        for b, m in zip(bases, mentions, strict=True)
        if m.label == "PERSON" and len(b.split()) >= 2 and not m.shouting
    )
    folded = {full: [w.casefold() for w in full.split()] for full in full_counts}
    canon: list[str | None] = []
    labels: list[str] = []
    for i, (b, m) in enumerate(zip(bases, mentions, strict=True)):
        person = _person_name(b, i, bases, mentions, full_counts, folded)
        if person is not None and (
            m.label == "PERSON" or m.label in SURNAME_RELABEL or m.shouting
            or (m.label in PLACE_LABELS and not _PLACE_PREPOSITION.search(text[:m.start][-20:]))
        ):  # fmt: skip
            canon.append(person)
            labels.append("PERSON")
        elif m.shouting:
            same = [
                c
                for c, o in zip(bases, mentions, strict=True)
                if not o.shouting and c.casefold() == b.casefold()
            ]
            canon.append(same[0] if same else None)
            labels.append(m.label)
        else:
            canon.append(_mixed_case(b, bases))
            labels.append(m.label)
    votes: dict[str, Counter[str]] = {}
    for c, label in zip(canon, labels, strict=True):
        if c is not None:
            votes.setdefault(c, Counter())[label] += 1
    entities: list[Entity] = []
    titles: list[tuple[str, str]] = []
    for m, c in zip(mentions, canon, strict=True):
        if c is None:
            continue
        label = votes[c].most_common(1)[0][0]
        found = m.roles if label == "PERSON" else ()
        entities.append(Entity(m.start, m.end, text[m.start : m.end], label, c, found))
        if m.title and label == "PERSON":
            titles.append((m.title, c))
    entities.sort(key=lambda e: (e.start, e.end))
    return EntityFindings(tuple(entities), tuple(titles))


def _mixed_case(base: str, bases: list[str]) -> str:
    """The mixed-case form of an all-caps name ("WASHINGTON") when the article has one."""
    if not (base.isupper() and len(base) > 4):
        return base
    same = [b for b in bases if b.casefold() == base.casefold() and not b.isupper()]
    return same[0] if same else base


def _person_name(
    base: str,
    index: int,
    bases: list[str],
    mentions: list[_Mention],
    full_counts: Counter[str],
    folded_fulls: dict[str, list[str]],
) -> str | None:
    """The full person name a mention stands for, or None when it names no known person."""
    words = base.split()
    if not words:
        return None
    folded = [w.casefold() for w in words]
    candidates = [
        full
        for full, full_words in folded_fulls.items()
        if len(full_words) > len(words) and _contains_at_edge(full_words, folded)
    ]
    if not candidates:
        return base if mentions[index].label == "PERSON" and not mentions[index].shouting else None

    def score(full: str) -> tuple[int, int, int]:
        """Rank full names: most mentioned, then latest before this mention, then longest."""
        before = [j for j in range(index) if bases[j] == full]
        return (full_counts[full], before[-1] if before else -1, len(full))

    return max(candidates, key=score)


def _contains_at_edge(full: list[str], part: list[str]) -> bool:
    """True when ``part`` is how ``full`` ends (a surname) or how it starts (a shortened name)."""
    n = len(part)
    if full[-n:] == part:
        return True
    return n >= 2 and full[:n] == part


def _retype(text: str, mentions: list[_Mention]) -> list[_Mention]:
    """Fix labels that the mention's own words or context contradict.

    A "place" after "posting on" or "his" is a platform or an outlet; a "person" with a digit
    or ending in "Freight" or "Memorial" is a vessel or an organisation, and "the Herald" is
    not a person; a "place" of capitalised words whose last word the article also uses alone
    as a name ("harbor master Ines Calloway" ... "Calloway said") is a person.
    """
    alone = {
        text[m.start : m.end]
        for m in mentions
        if m.label in ("PERSON", "ORG")
        and " " not in text[m.start : m.end]
        and text[max(0, m.start - 4) : m.start].casefold() != "the "
    }
    placed = _place_words(text, mentions)
    out = []
    for m in mentions:
        words = text[m.start : m.end].split()
        label = m.label
        before = text[max(0, m.start - 40) : m.start]
        if len(words) == 1 and label in placed.get(words[0], ()):
            label = "GPE"  # "in Valdora", "Valdoran": a place (ORG only by its demonym)
        elif label in PLACE_LABELS and _PLATFORM_BEFORE.search(before):
            label = "ORG"
        elif (
            label == "ORG"
            and len(words) >= 2
            and words[0].casefold() in PLACE_PREFIXES
            and words[-1].casefold() not in ORG_ENDINGS | NOT_PERSON_ENDINGS
        ):
            label = "GPE"  # "Port Ellis", "Mount Kellen": a place however it was tagged
        elif label == "PERSON" and any(c.isdigit() for c in text[m.start : m.end]):
            label = "PRODUCT"
        elif label == "PERSON" and (
            (words and words[-1].casefold() in NOT_PERSON_ENDINGS)
            or (len(words) == 1 and _after_the(text, m.start))
        ):
            label = "ORG"
        elif (
            label in PLACE_LABELS
            and len(words) >= 2
            and words[-1] in alone
            and words[0].casefold() not in PLACE_HEADS
            and country_named(" ".join(words)) is None
            and all(w[:1].isupper() for w in words)
        ):
            label = "PERSON"
        out.append(m if label == m.label else replace(m, label=label))
    return out


def _after_the(text: str, start: int) -> bool:
    """Whether a mention follows "the" ("the Herald")."""
    return text[max(0, start - 4) : start].casefold() == "the "


def _with_deps(parsed: Parsed, entities: tuple[Entity, ...]) -> tuple[Entity, ...]:
    """Each mention with its syntactic role: the dependency of its head word, through "and"."""
    starts = [b.start for b in parsed.blocks]
    out = []
    for e in entities:
        at = bisect.bisect_right(starts, e.start) - 1
        if at < 0:
            out.append(e)
            continue
        block, doc = parsed.blocks[at], parsed.docs[at]
        span = doc.char_span(e.start - block.start, e.end - block.start, alignment_mode="expand")
        if span is None or not len(span):
            out.append(e)
            continue
        head = span.root
        for _ in range(4):  # "Kazakhstan and Israel signed": the conjunct shares the role
            if head.dep_ not in ("conj", "appos") or head.head.i == head.i:
                break
            head = head.head
        dep = f"pobj:{head.head.lower_}" if head.dep_ == "pobj" else str(head.dep_)
        out.append(replace(e, dep=dep))
    return tuple(out)


def _not_modifiers(entities: tuple[Entity, ...]) -> tuple[Entity, ...]:
    """Drop a one-word "person" or "organisation" the article only ever uses to qualify a
    noun ("Daytime crossings", "the Skerra route", "the Calder breakwater")."""
    names: dict[str, list[Entity]] = {}
    for e in entities:
        names.setdefault(e.canonical, []).append(e)
    dropped = {
        name
        for name, found in names.items()
        if len(name.split()) == 1
        and all(e.label in ("PERSON", "ORG") and e.dep in MODIFIER_DEPS for e in found)
    }
    return tuple(e for e in entities if e.canonical not in dropped)


def _place_words(text: str, mentions: list[_Mention]) -> dict[str, tuple[str, ...]]:
    """One-word names the article shows to be places, with the labels that may be retyped:
    a person's or an organisation's when the article derives a demonym from the name
    ("Valdoran"), a person's when it writes "in <name>" (people are not "in" anyone)."""
    out: dict[str, tuple[str, ...]] = {}
    for m in mentions:
        word = text[m.start : m.end]
        if " " in word or not word[:1].isupper() or len(word) < 3:
            continue
        if re.search(rf"\b{re.escape(word)}(?:n|an|ian|ese)\b", text):
            out[word] = ("ORG", "PERSON")
        elif _IN_PLACE.search(text[max(0, m.start - 12) : m.start]) and word not in out:
            out[word] = ("PERSON",)
    return out
