"""Words that mark speech and attribution (lemmas of the verbs that introduce quotes and claims)."""

from __future__ import annotations

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
     "exhort", "bark", "gloat", "assure", "question", "press", "beam", "smile", "grin", "cry",
     "mutter", "murmur", "sneer", "growl", "groan", "confess", "chime", "report", "opine",
     "elaborate", "chant"}
)  # fmt: skip
FRAGMENT_LEMMAS = SPEECH_LEMMAS | {"call", "describe", "dub", "term", "label", "brand"}
# Verbs that attribute a claim without quoting it ("Axios reported that ...").
REPORT_LEMMAS = SPEECH_LEMMAS | {"report", "reveal", "disclose", "learn", "suggest", "allege",
                                 "indicate", "show", "find", "estimate", "believe", "think",
                                 "accuse", "charge", "contend", "maintain", "assert"}  # fmt: skip
