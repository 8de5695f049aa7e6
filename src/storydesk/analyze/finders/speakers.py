"""Who said a quote: the speech cue near it, its subject, and what that mention refers to."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from storydesk.analyze.finders.cues import FRAGMENT_LEMMAS, REPORT_LEMMAS, SPEECH_LEMMAS
from storydesk.analyze.finders.entities import base_name
from storydesk.analyze.finders.framing import (
    colon_intro,
    dash_signed,
    dashed_after_name,
    headline_colon,
)
from storydesk.analyze.finders.labels import labelled
from storydesk.analyze.finders.quoting import (
    SUBJECT_DEPS,
    TITLE_KEYS,
    Context,
    entity_at,
    in_quote,
    quote_between,
    titled_person,
)
from storydesk.analyze.finders.referents import HE_SHE, described, resolve_pronoun
from storydesk.analyze.finders.speechverbs import cue_span, find_cue, np_end, within
from storydesk.analyze.nlp import Block
from storydesk.model import Quote, Span, Speaker

NAME_REACH = 12  # tokens before a speech verb searched for its speaker when the parse has none
NAMING_LEMMAS = FRAGMENT_LEMMAS - SPEECH_LEMMAS  # "call", "describe", "label", "dub"
RELATIVE = frozenset({"who", "that", "which"})
OTHER_PRONOUNS = frozenset({"i", "we", "they", "it", "you", "who", "that", "which", "this"})
GROUP_NOUNS = frozenset(
    {"government", "ministry", "department", "office", "embassy", "administration", "presidency",
     "cabinet", "military", "army", "police", "company", "firm", "campaign", "committee",
     "council", "agency", "party", "kremlin", "palace", "court", "board", "union", "spokesman",
     "spokeswoman", "spokesperson", "statement", "spokespeople", "group", "organization",
     "organisation", "foundation", "commission", "authority", "authorities", "coalition"}
)  # fmt: skip
VIA_NOUNS = frozenset(
    {"statement", "spokesman", "spokeswoman", "spokesperson", "spokespeople", "release",
     "letter", "post", "representative", "aide", "memo", "report", "tweet", "posting",
     "message"}
)  # fmt: skip
NP_LEFT = frozenset({"det", "amod", "compound", "poss", "nummod", "nmod", "quantmod", "npadvmod"})
INVERTED_DEPS = frozenset({"dobj", "attr", "npadvmod", "appos", "dative"})
CLIMB_DEPS = frozenset({"advcl", "xcomp", "conj", "pcomp", "acl", "relcl", "ccomp", "prep"})
POST_NOUNS = frozenset({"tweet", "post", "posting", "retweet", "message"})
WRITTEN_NOUNS = POST_NOUNS | {"statement", "letter", "memo", "release", "note"}
POST_STANDINS = frozenset({"one", "another", "it"})  # "“…,” one read" after "tweets"
DEFINITE = frozenset({"the", "this", "that"})
INDEFINITE = frozenset({"a", "an", "one", "some", "another", "several", "two", "three"})


def attribute(
    context: Context, block_index: int, quote: Quote, fragment: bool
) -> tuple[Speaker | None, Span | None]:
    """The speaker mention and speech cue for one quote, from the parse around it."""
    own, doc = context.blocks[block_index], context.docs[block_index]
    qs, qe = quote.start - own.start, quote.end - own.start
    verb = find_cue(context, own, doc, qs, qe, FRAGMENT_LEMMAS if fragment else SPEECH_LEMMAS)
    block = own
    if verb is not None and not fragment and _named_before_colon(context, own, verb, qs):
        named = headline_colon(context, own, qs)
        if named is not None:
            return named
    if verb is None and not fragment:
        named = labelled(context, own, qs)
        if named is not None:
            return named
        verb, block = colon_intro(context, block_index, qs)
        named = headline_colon(context, own, qs) if verb is None else None
        if named is not None:
            return named
    dashed = None if fragment else dashed_after_name(context, own, qs)
    if dashed is not None and (verb is None or verb.lower_ != "according"):
        return dashed[0], dashed[1] if verb is None else _through(context, block, verb, quote)[1]
    if verb is None and not fragment:
        signed = _signature(context, block_index, qe)
        if signed is not None:
            return signed
        verb, block = _governing_verb(context, own, doc, qs, qe), own
    if verb is None:
        return None, None
    return _through(context, block, verb, quote)


def _named_before_colon(context: Context, block: Block, verb: Any, qs: int) -> bool:
    """True when a "Name:" introduces the quote and another quotation sits after the verb.

    "Rubio told reporters: “…,” and Trump: “…”": the verb belongs to the first quotation.
    """
    if verb.idx >= qs or not block.text[:qs].rstrip().endswith(":"):
        return False
    return quote_between(context, block.start + verb.idx, block.start + qs)


def _through(
    context: Context, block: Block, verb: Any, quote: Quote
) -> tuple[Speaker | None, Span | None]:
    """Speaker and cue of a quote attributed through a verb (or "according to") in a block."""
    if verb.lower_ == "according":
        return according_to(context, block, verb)
    qs, qe = quote.start - block.start, quote.end - block.start
    cue = cue_span(context, block, verb, qs, qe)
    subject = _speaker_token(context, block, verb, qe)
    if subject is None:
        return None, cue
    return speaker_at(context, block, subject, quote.start), cue


def _signature(context: Context, index: int, qe: int) -> tuple[Speaker, Span] | None:
    """A dash signature after the quote, or on a short line of its own after it ("- Sanders.")."""
    own = context.blocks[index]
    speaker, cue = dash_signed(context, own, qe)
    if speaker is None and not own.text[qe:].strip() and index + 1 < len(context.blocks):
        line = context.blocks[index + 1]
        if len(line.text.split()) <= 6:
            speaker, cue = dash_signed(context, line, 0)
    return (speaker, cue) if speaker is not None and cue is not None else None


def _governing_verb(context: Context, block: Block, doc: Any, qs: int, qe: int) -> Any:
    """The verb a person's quoted words are the object of ("Trump attacked “the hateful …”")."""
    roots = [t for t in within(doc, qs, qe) if not qs <= t.head.idx < qe and not t.is_punct]
    if len(roots) != 1:
        return None
    root, naming = roots[0], False
    if root.dep_ in ("oprd", "xcomp") or (root.dep_ == "appos" and root.head.dep_ == "dobj"):
        # "Skelly called Braynard “a real smart guy …”", "labeling Obama's actions “a …”"
        root, naming = (root.head if root.dep_ == "appos" else root), True
    if root.dep_ not in ("dobj", "ccomp", "attr", "oprd", "xcomp"):
        return None
    verb = root.head
    if naming and verb.lemma_.lower() not in NAMING_LEMMAS:
        return None  # "made them “…”" is not said
    subject = subject_of(verb, lambda t: not in_quote(context, block.start + t.idx))
    if subject is None and verb.i > 0 and _untagged_name(context, verb.nbor(-1)):
        subject = verb.nbor(-1)  # "And Skelly called …", the name not tagged here
    if verb.pos_ != "VERB" or subject is None:
        return None
    entity = entity_at(context, block.start + subject.idx)
    person = entity is not None and entity.label == "PERSON"
    return verb if person or subject.lower_ in HE_SHE or _untagged_name(context, subject) else None


def _untagged_name(context: Context, token: Any) -> bool:
    """True for a capitalised word, not tagged as a name here, that is a known person's surname."""
    if not token.is_title or entity_at(context, _block_start_of(context, token) + token.idx):
        return False
    modifier = token.dep_ in ("compound", "amod") and token.head.pos_ != "PROPN"
    return not modifier and _surname(context, token.text) is not None


def _speaker_token(context: Context, block: Block, verb: Any, qe: int) -> Any:
    """The token naming who speaks through a cue verb, the rules tried in turn."""
    if verb.lower_.endswith("ing") and verb.i > 0:
        named = _person_token(context, block, verb.nbor(-1))  # "footage of Clinton asking, “…”"
        if named is not None:
            return named
    subject = subject_of(verb, lambda t: not in_quote(context, block.start + t.idx))
    if subject is not None:
        return subject
    if verb.idx >= qe and not block.text[qe : verb.idx].strip(" ,"):
        # "“…,” added a South Carolina Democrat": the parser took the speaker for an object
        after = [c for c in verb.children if c.i > verb.i and c.dep_ in INVERTED_DEPS]
        if after:
            return after[0]
    if verb.dep_ == "acl" and verb.head.i < verb.i and verb.head.idx >= qe:
        return verb.head  # "“…?” the 43-year-old asked", read as a noun modified by "asked"
    return nearby_name(context, block, verb) or _sentence_subject(context, block, verb)


def _person_token(context: Context, block: Block, token: Any) -> Any:
    """The token itself when it is part of a person's name outside quotes, else None."""
    at = block.start + token.idx
    entity = entity_at(context, at)
    ok = entity is not None and entity.label == "PERSON" and not in_quote(context, at)
    return token if ok else None


def _sentence_subject(context: Context, block: Block, verb: Any) -> Any:
    """The person subject before a verb in its sentence ("Trump …, asserting, “…”"), if any."""
    found = None
    for token in verb.sent:
        if token.i >= verb.i:
            break
        at = block.start + token.idx
        if token.dep_ not in SUBJECT_DEPS or in_quote(context, at):
            continue
        entity = entity_at(context, at)
        if token.lower_ in HE_SHE or (entity is not None and entity.label == "PERSON"):
            found = token
        elif any(_person_token(context, block, c) for c in token.children if c.dep_ == "appos"):
            found = token  # "the aide, Rita Vance, 31, who …, wrote …, saying “…”"
    return found


def subject_of(verb: Any, outside: Callable[[Any], bool]) -> Any:
    """The subject (outside quotes) of a speech verb, climbing out of participles and conjuncts."""
    current = verb
    for step in range(4):
        subjects = [
            c
            for c in current.children
            if c.dep_ in SUBJECT_DEPS and outside(c) and any(ch.isalnum() for ch in c.text)
        ]
        if step and _reported(current):
            subjects = []  # "Gore insisted it was “premature”, adding …": Gore adds, not "it"
        if subjects:  # two subjects are a parser's slip ("Berea, OH, …, Kasich said"):
            before = [c for c in subjects if c.i < current.i]  # the one nearest the verb
            return before[-1] if before else subjects[0]
        if current.dep_ not in CLIMB_DEPS or current.head.i == current.i:
            return None
        current = current.head
    return None


def _reported(clause: Any) -> bool:
    """True for a clause reported by a verb of saying above it ("told X that [Romney had …]")."""
    return bool(clause.dep_ == "ccomp" and clause.head.lemma_.lower() in REPORT_LEMMAS)


def _antecedent(relative: Any, head: Any) -> Any:
    """What "who" stands for: the name just before it ("…, Wonder, who joked"), else its head."""
    before = relative.i - 1
    if before >= 0 and relative.doc[before].is_punct:
        before -= 1
    if before >= 0 and relative.doc[before].pos_ == "PROPN":
        return relative.doc[before]
    return head


def nearby_name(context: Context, block: Block, verb: Any) -> Any:
    """A name or pronoun right after (inverted "said Trump") or right before the verb."""
    doc = verb.doc
    after = range(verb.i + 1, min(len(doc), verb.i + 4))
    before = []  # back to a closing quotation mark: "“…,” Flynn, a top surrogate, said"
    for i in range(verb.i - 1, max(-1, verb.i - NAME_REACH), -1):
        if in_quote(context, block.start + doc[i].idx):
            break
        before.append(i)
    near, far = before[:2], before[2:][::-1]
    fallback = None
    for i in [*after, *near, *far]:
        token = doc[i]
        at = block.start + token.idx
        if in_quote(context, at):
            continue
        entity = entity_at(context, at)
        if i > verb.i and _not_inverted(token, verb):
            continue  # "told AFP", "said to CNN", "said when Boyle asked": not who spoke
        if entity is None and _untagged_name(context, token):
            return token  # "said Skelly", "Trump barked": a known name the tagger missed here
        if entity is not None and entity.label in ("PERSON", "ORG"):
            if i < verb.i and _addressed(token) and not _above(token, verb):
                # "Trump, asked about journalists under Putin, said": Putin is only mentioned;
                # "wrote a letter to Tom Brandt, saying": Brandt is not even a fallback
                if verb.tag_ != "VBG" and fallback is None:
                    fallback = token
                continue
            return token
        if token.lower_ in HE_SHE:
            return token
    return fallback


def _not_inverted(token: Any, verb: Any) -> bool:
    """True for a name after a speech verb that is spoken to or does something else."""
    head = token
    while head.dep_ in ("compound", "flat") and head.head.i != head.i:
        head = head.head
    if head.dep_ in SUBJECT_DEPS and head.head.i != verb.i:
        between = token.doc[verb.i + 1 : token.i]  # "said when Boyle asked him"
        return any(t.tag_ == "WRB" or t.pos_ == "SCONJ" or _clause_verb(t) for t in between)
    if head.dep_ in ("dobj", "dative", "oprd") and head.head.i == verb.i:
        # "told AFP", "called Braynard “…”", but "said Trump" (parsed as an object)
        return verb.lemma_.lower() in NAMING_LEMMAS | {"tell", "ask"}
    prep = head.head
    return head.dep_ == "pobj" and prep.lower_ in ("to", "with") and prep.head.i == verb.i


def _clause_verb(token: Any) -> bool:
    """True for a verb heading a clause (not "retired" in "retired neurosurgeon", not "will")."""
    modifier = token.dep_ in ("amod", "compound", "aux", "auxpass")
    return token.pos_ in ("VERB", "AUX") and not modifier


def _above(token: Any, verb: Any) -> bool:
    """True when the verb hangs below a name ("after Trump, asked about Putin, had said")."""
    return any(a.i == token.i for a in verb.ancestors)


def _addressed(token: Any) -> bool:
    """True for a name that is the object of a verb or preposition (who is spoken to or of)."""
    current = token
    for _ in range(4):
        if current.dep_ in ("pobj", "dobj", "dative"):
            return True
        if current.dep_ not in ("compound", "flat", "conj") or current.head.i == current.i:
            return False
        current = current.head
    return False


def speaker_at(context: Context, block: Block, head: Any, quote_start: int) -> Speaker:
    """The mention around a subject token and the name it resolves to."""
    at = block.start + head.idx
    entity = _before_brackets(context, at) or entity_at(context, at)
    if entity is not None:
        return _whole(context, entity)
    start = min(
        [head.idx] + [c.left_edge.idx for c in head.children if c.i < head.i and c.dep_ in NP_LEFT]
    )
    a, b = block.start + start, block.start + np_end(head)
    word = head.lower_
    for child in head.children:  # "the engineer Paul Grant", "his spokesman, Ed Lowe,"
        named = entity_at(context, block.start + child.idx) if child.dep_ == "appos" else None
        if named is not None and named.label == "PERSON":
            return Speaker(named.canonical, named.start, named.end, named.text)
    if word in RELATIVE and head.head.dep_ == "relcl":
        meant = speaker_at(context, block, _antecedent(head, head.head.head), quote_start)
        if word != "who":
            return meant  # "a headline that said": the headline is the mention
        return Speaker(meant.name, a, b, context.text[a:b])
    if word in HE_SHE:
        name = resolve_pronoun(context, min(a, quote_start), pronoun=word)
    elif word in POST_STANDINS or (head.lemma_.lower() in POST_NOUNS and _bare_post(head)):
        name = _post_author(context, block, head)  # "… a series of tweets. “…,” one read."
    elif word in OTHER_PRONOUNS:
        name = None
    elif head.is_title and _surname(context, head.text):  # "Lauten", a name the tagger missed
        name = _surname(context, head.text)
    elif head.pos_ == "PROPN" and head.is_title:
        name = None
    else:
        name = _resolve_nominal(context, head, a)
    return Speaker(name, a, b, context.text[a:b])


def _before_brackets(context: Context, at: int) -> Any:
    """The person named just before a bracket holding this offset ("John Kasich (R-OH)")."""
    opening = context.text.rfind("(", max(0, at - 12), at + 1)
    if opening < 0 or ")" in context.text[opening:at]:
        return None
    entity = entity_at(context, len(context.text[:opening].rstrip()) - 1)
    return entity if entity is not None and entity.label == "PERSON" else None


def _whole(context: Context, entity: Any) -> Speaker:
    """The speaker an entity names; "Facebook, Holt" tagged as one name is Holt."""
    last = entity.text.rsplit(", ", 1)[-1]
    name = _surname(context, last) or (last if entity.label == "PERSON" else None)
    if ", " not in entity.text or name is None:
        return Speaker(entity.canonical, entity.start, entity.end, entity.text)
    return Speaker(name, entity.end - len(last), entity.end, last)


def _bare_post(head: Any) -> bool:
    """True for "the tweet" or "the post" with no owner of its own ("Holt's tweet")."""
    return not any(c.dep_ in ("poss", "prep") for c in head.children)


def _owner(context: Context, noun: Any) -> str | None:
    """Whose a post or statement is, from its possessor ("Reyes's tweets", "his post")."""
    offset = _block_start_of(context, noun)
    for child in noun.children:
        if child.dep_ != "poss":
            continue
        entity = entity_at(context, offset + child.idx)
        if entity is not None and entity.label in ("PERSON", "ORG"):
            return entity.canonical
        if child.lower_ in ("his", "her"):
            return resolve_pronoun(context, offset + child.idx, pronoun=child.lower_)
    return None


def _post_author(context: Context, block: Block, head: Any) -> str | None:
    """Who wrote the posts a stand-in ("one", "it", "the tweet") refers to, named just before."""
    # The latest post noun ("tweet", "post", "message") in this paragraph or the one before
    # gives it: its possessor, or the subject of its verb ("Reyes fired off a series of tweets").
    index = next(i for i, b in enumerate(context.blocks) if b.start == block.start)
    for i in range(index, max(-1, index - 2), -1):
        doc, offset = context.docs[i], context.blocks[i].start
        limit = head.i if i == index else len(doc)
        for token in reversed(doc[:limit]):
            if token.lemma_.lower() not in POST_NOUNS or in_quote(context, offset + token.idx):
                continue
            owner = _owner(context, token)
            if owner is not None:
                return owner
            current = token
            while current.dep_ in ("pobj", "prep", "dobj", "conj") and current.head.i != current.i:
                current = current.head  # "a series of tweets" → "fired off"
            if current.pos_ in ("VERB", "AUX"):
                subject = subject_of(current, lambda t: True)
                if subject is not None:
                    return speaker_at(context, context.blocks[i], subject, offset + token.idx).name
            return None
    return None


def _surname(context: Context, word: str) -> str | None:
    """The person named in full elsewhere whose last name this untagged word is ("Grant")."""
    same = [n for n in context.mentions if n.split()[-1] == word]
    return max(same, key=lambda n: context.mentions[n]) if same else None


def _resolve_nominal(context: Context, head: Any, start: int) -> str | None:
    """A name for "the president", "the Kazakh government", "a statement from the ministry"."""
    lemma = head.lemma_.lower()
    determiners = {c.lower_ for c in head.children if c.dep_ == "det"}
    if determiners & INDEFINITE and lemma not in VIA_NOUNS:
        return None
    if lemma in VIA_NOUNS:
        owner = _owner(context, head) if lemma in WRITTEN_NOUNS else None
        if owner is not None:  # "Reyes's tweet", "his statement" (not "his aide")
            return owner
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in ("from", "of", "for", "by"):
                for obj in prep.children:
                    entity = entity_at(context, _block_start_of(context, obj) + obj.idx)
                    if entity is not None:
                        return entity.canonical
    titled = titled_person(context, head) if lemma in TITLE_KEYS else None
    if titled is not None and not determiners & INDEFINITE:
        return titled
    named = described(context, lemma, start) if determiners & DEFINITE else None
    if named is not None and head.tag_ == "NN":
        return named
    if lemma in GROUP_NOUNS:
        return _group_name(context, head, start)
    return None


def _block_start_of(context: Context, token: Any) -> int:
    """Article offset of the block whose Doc holds a token."""
    for index, doc in enumerate(context.docs):
        if doc is token.doc:
            return context.blocks[index].start
    return 0


def _group_name(context: Context, head: Any, start: int) -> str | None:
    """A named group ("Kazakh government") for this noun phrase or an earlier one like it."""
    named = _named_group(context, head, _block_start_of(context, head))
    if named is not None:
        return named
    latest = None
    lemma = head.lemma_.lower()
    for block, doc in zip(context.blocks, context.docs, strict=True):
        for token in doc:
            at = block.start + token.idx
            if at >= start:
                return latest
            same_noun = token.lemma_.lower() == lemma and token.pos_ in ("NOUN", "PROPN")
            if same_noun and not in_quote(context, at):
                latest = _named_group(context, token, block.start) or latest
    return latest


def _named_group(context: Context, head: Any, offset: int) -> str | None:
    """The group's name when the noun is or carries a named entity ("Kazakh government")."""
    own = entity_at(context, offset + head.idx)
    if own is not None:
        return own.canonical if own.label == "ORG" else None
    for child in head.children:
        if child.i < head.i and child.dep_ in ("amod", "compound", "poss", "nmod"):
            entity = entity_at(context, offset + child.idx)
            if entity is not None and entity.label in ("NORP", "GPE", "ORG", "LOC"):
                return f"{base_name(entity.canonical)} {head.text}"
    return None


def according_to(context: Context, block: Block, verb: Any) -> tuple[Speaker | None, Span | None]:
    """Speaker and cue for "..., according to X"."""
    to = verb.doc[verb.i + 1]
    start = block.start + verb.idx
    end = block.start + to.idx + len(to)
    cue = Span(start, end, context.text[start:end])
    objects = [c for c in to.children if c.dep_ == "pobj"]
    if not objects:
        return None, cue
    obj = objects[0]
    for token in obj.subtree:
        entity = entity_at(context, block.start + token.idx)
        if entity is not None and entity.label in ("PERSON", "ORG", "GPE", "NORP"):
            return Speaker(entity.canonical, entity.start, entity.end, entity.text), cue
    return speaker_at(context, block, obj, start), cue
