"""Words that mark speech and attribution, and which sentences therefore need a full parse."""

from __future__ import annotations

import re

SPEECH_LEMMAS = frozenset(
    {"say", "tell", "add", "write", "post", "tweet", "state", "note", "declare", "announce",
     "explain", "insist", "argue", "claim", "warn", "reply", "respond", "ask", "answer",
     "continue", "recall", "comment", "acknowledge", "admit", "conclude", "remark", "quip",
     "joke", "exclaim", "shout", "whisper", "urge", "stress", "emphasize", "emphasise",
     "observe", "predict", "promise", "vow", "pledge", "boast", "complain", "concede",
     "confirm", "deny", "testify", "lament", "caution", "counter", "retort",
     "muse", "reiterate", "read", "demand", "assert", "yell", "scream", "plead", "scoff",
     "mock", "interject", "snap", "sigh", "gush", "recount", "scold", "chide", "marvel",
     "wonder", "chuckle", "laugh", "thunder", "fume", "implore", "beg", "inquire",
     "exhort", "bark", "gloat", "assure", "question", "press"}
)  # fmt: skip
FRAGMENT_LEMMAS = SPEECH_LEMMAS | {"call", "describe", "dub", "term", "label", "brand"}
# Verbs that attribute a claim without quoting it ("Axios reported that ...").
REPORT_LEMMAS = SPEECH_LEMMAS | {"report", "reveal", "disclose", "learn", "suggest", "allege",
                                 "indicate", "show", "find", "estimate", "believe", "think",
                                 "accuse", "charge", "contend", "maintain", "assert"}  # fmt: skip
_IRREGULAR = {
    "say": ("said",), "tell": ("told",), "write": ("wrote", "written"), "read": ("read",),
    "think": ("thought",), "find": ("found",), "show": ("shown",), "learn": ("learnt",),
}  # fmt: skip
TIME_WORDS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may"
    "|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept"
    "|oct|nov|dec|weekend|tonight|morning|afternoon|evening"
)


def word_forms(lemma: str) -> set[str]:
    """The inflected forms of a regular or listed irregular English verb."""
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    ies = lemma.endswith("y") and lemma[-2:-1] not in "aeiou"
    forms = {
        lemma,
        lemma[:-1] + "ies" if ies else lemma + ("es" if lemma.endswith(("s", "sh", "ch")) else "s"),
        lemma[:-1] + "ied" if ies else stem + "ed",
        stem + "ing",
    }
    if re.search(r"[^aeiou][aeiou][bdgmnprt]$", lemma):  # "admit" -> "admitted" (extras harmless)
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return forms | set(_IRREGULAR.get(lemma, ()))


def trigger_pattern() -> re.Pattern[str]:
    """Words that make a sentence worth a dependency parse: speech, attribution, dates."""
    words = sorted({f for lemma in REPORT_LEMMAS for f in word_forms(lemma)}, key=len)
    return re.compile(rf"\b(?:{'|'.join(reversed(words))}|according|{TIME_WORDS})\b", re.IGNORECASE)
