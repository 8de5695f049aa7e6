"""Is it an article? Pages that are not (README-like files, tables, listings, too little prose)
are named as such, and the language of one that is is told, English when unsure."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from storydesk.errors import InputError, MissingExtraError
from storydesk.model import ENGLISH

# A body of fewer words (title included) and no sentence is a stub or a one-word file. Not
# more: an ECB+ dev text is a headline of seven words, and stays an article.
MIN_ARTICLE_WORDS = 5
MIN_WORDS = 2  # below it nothing is an article; up to MIN_ARTICLE_WORDS only with a sentence
MIN_SENTENCE_WORDS = 5  # a shorter run of words ending in a full stop is a label, not prose
MIN_TABLE_WORDS = 30  # fewer words of rows and entries can be subheads, a dateline, a fact box
MAX_ENTRY_WORDS = 12  # a line this short without a sentence is a heading, an entry or a row
# A longer line without a sentence is rows run together (a table whose lines were joined as
# hard-wrapped text) when this share of its tokens hold digits (positions, points, times);
# junk runs of words ("according to according to ...") have none and are not a table.
MIN_ROW_DIGITS = 0.2
MIN_MARKDOWN_HEADINGS = 2  # a title and a section heading in Markdown: a document, not a page
# Language ID is unreliable on little text: below this many letters, or below this
# probability for a language other than English, the text is taken as English
# (docs/benchmarks.md, "Not articles": no dev text cut to 40-200 characters reached 0.81).
MIN_LANGUAGE_LETTERS = 120
MIN_LANGUAGE_PROB = 0.95
LANGUAGE_SAMPLE_CHARS = 3000  # the title and the start of the body decide

_HEADING = re.compile(r"^#{1,6}\s+\S")
_FENCE = re.compile(r"^\s*(```|~~~)")
_COMMAND = re.compile(
    r"^\s*(\$\s|>>>\s|(pip|pip3|npm|yarn|make|git|cargo|brew|apt|apt-get|uv|docker|go|conda)"
    r"\s+(install|clone|add|run|build|test|get|sync)\b)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])[\"'”’)\]]*\s+")
_TERMINAL = re.compile(r"[.!?。！？][\"'”’)\]]*$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


@dataclass(frozen=True)
class Shape:
    """What a body's lines are: prose sentences, table rows or entries, Markdown markup."""

    prose_sentences: int
    prose_words: int
    table_lines: int
    table_words: int
    headings: int
    fences: int
    commands: int


def check_article(title: str | None, paragraphs: Sequence[str]) -> None:
    """InputError naming why a cleaned body is not an article (README, table, listing, stub)."""
    lines = [line.strip() for p in paragraphs for line in p.split("\n") if line.strip()]
    shape = body_shape(title, lines)
    if shape.headings >= MIN_MARKDOWN_HEADINGS and (shape.fences or shape.commands):
        raise InputError(
            f"not an article: a README-like document ({shape.headings} Markdown heading(s),"
            f" {shape.fences} code fence(s), {shape.commands} command line(s))"
        )
    if shape.table_words >= MIN_TABLE_WORDS and shape.table_words > shape.prose_words:
        raise InputError(
            f"not an article: a table or listing ({shape.table_lines} of {len(lines)} lines are"
            f" rows or short entries; {shape.prose_sentences} sentence(s) of prose)"
        )
    words = sum(_words(line) for line in lines if line != title) + _words(title or "")
    ended = any(_TERMINAL.search(line) for line in lines)
    if words < MIN_WORDS or (words < MIN_ARTICLE_WORDS and not ended):
        raise InputError(
            f"not an article: {words} word(s) of text, no sentence (at least {MIN_ARTICLE_WORDS},"
            " or a sentence)"
        )


def body_shape(title: str | None, lines: Sequence[str]) -> Shape:
    """Count a body's prose sentences, table rows and entries, and its Markdown markup."""
    prose = words = table = table_words = 0
    for line in lines:
        n = _words(line)
        sentences = [s for s in _SENTENCE_END.split(line) if _is_sentence(s)]
        if sentences:
            prose += len(sentences)
            words += sum(_words(s) for s in sentences)
        elif n <= MAX_ENTRY_WORDS or _digit_share(line) >= MIN_ROW_DIGITS:  # no sentence in it
            table += 1
            table_words += n
    heads = sum(1 for line in [title or "", *lines] if _HEADING.match(line))
    fences = sum(1 for line in lines if _FENCE.match(line))
    commands = sum(1 for line in lines if _COMMAND.match(line))
    return Shape(prose, words, table, table_words, heads, fences, commands)


def _words(text: str) -> int:
    """Words in a text; CJK characters count as half a word each."""
    return max(len(text.split()), len(_CJK.findall(text)) // 2)


def _is_sentence(text: str) -> bool:
    """True for a run of words that ends like a sentence and is not mostly numbers."""
    text = text.strip()
    return (
        bool(_TERMINAL.search(text)) and _words(text) >= MIN_SENTENCE_WORDS and not _numeric(text)
    )


def _numeric(text: str) -> bool:
    """True when at least a third of a text's tokens hold digits (scores, times, points)."""
    return _digit_share(text) >= 1 / 3


def _digit_share(text: str) -> float:
    """The share of a text's tokens that hold a digit."""
    tokens = text.split()
    return sum(1 for t in tokens if any(c.isdigit() for c in t)) / max(1, len(tokens))


@functools.lru_cache(maxsize=1)
def _identifier() -> Any:
    """py3langid's identifier with normalised probabilities, loaded once per process."""
    try:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise MissingExtraError(
            "language detection needs py3langid (pip install storydesk)"
        ) from exc
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(title: str | None, paragraphs: Sequence[str]) -> tuple[str, float]:
    """The language of the title and body (ISO 639-1) and its probability; English when unsure."""
    text = "\n".join([title or "", *paragraphs])[:LANGUAGE_SAMPLE_CHARS]
    if sum(1 for c in text if c.isalpha()) < MIN_LANGUAGE_LETTERS:
        return ENGLISH, 0.0
    lang, prob = guess_language(text)
    return (ENGLISH, prob) if prob < MIN_LANGUAGE_PROB else (lang, prob)


def guess_language(text: str) -> tuple[str, float]:
    """py3langid's most likely language of a text and its probability, unchecked."""
    lang, prob = _identifier().classify(text)
    return str(lang), float(prob)
