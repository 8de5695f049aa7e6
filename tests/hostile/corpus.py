"""The bad-input corpus: each kind of hostile input written into a folder of its own.

Nothing large is committed: every input is generated at test time. Big ones are cheap to make
(the 100 MB page is a sparse file; bombs compress runs of zeros). Each kind says what must come
of it: a named rejection (step and words of the reason) or an article. The bench
(bench/hostile_inputs.py) runs the same kinds through `storydesk run` and `analyze`.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import random
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from storydesk.model import Article, Rejection

ANY = "*"  # an expected step: named either way (a rejection at any step, or an article)
MIB = 1 << 20


@dataclass(frozen=True)
class Expect:
    """What must come of one input of a kind."""

    source: str  # relative to the kind's folder ("records.jsonl#line=2")
    step: str | None  # the rejection's step; None: an article; ANY: named either way
    reason: str = ""  # words of the rejection's reason, or of a note on the article's removed lines


@dataclass(frozen=True)
class Kind:
    """One kind of hostile input: how to write it into a folder, and what must come of it."""

    name: str
    make: Callable[[Path], None]
    expects: tuple[Expect, ...]
    skip: Callable[[], str] = lambda: ""  # why the kind cannot be made here ("" when it can)
    area: str = "files"  # "feeds": read by the feed and archive readers (tested in a batch apart)


def story(tag: str) -> str:
    """A short article whose words (and so whose body text) are this tag's own."""
    name = tag.replace("-", " ").title()
    return (
        f"{name} pier closes after storms\n\n"
        f"The harbour board of {name} voted on Tuesday to close the old pier after a winter of"
        " storms damaged its pilings beyond repair, officials said.\n\n"
        f"Repairs to the {name} pier would cost more than the town can raise this year, the"
        " board's chair, Mara Quell, told reporters.\n"
    )


def record(tag: str, **fields: object) -> bytes:
    """One JSON Lines record of the tag's story (with its title), plus any other fields."""
    title, _, text = story(tag).partition("\n\n")
    return json.dumps({"title": title, "text": text, **fields}).encode()


def page(tag: str, head: str = "", body_extra: str = "") -> str:
    """An article page of the tag's story, marked as an article."""
    title, _, text = story(tag).partition("\n\n")
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n") if p.strip())
    return (
        f'<!DOCTYPE html><html><head><meta property="og:type" content="article">{head}'
        f"<title>{title}</title></head><body><article><h1>{title}</h1>{paragraphs}{body_extra}"
        "</article></body></html>"
    )


def _write(name: str, data: bytes | str) -> Callable[[Path], None]:
    """A maker that writes one file."""

    def make(folder: Path) -> None:
        (folder / name).write_bytes(data.encode() if isinstance(data, str) else data)

    return make


def _lines(name: str, *lines: bytes) -> Callable[[Path], None]:
    """A maker that writes a JSON Lines file."""
    return _write(name, b"\n".join(lines) + b"\n")


def _links(*pairs: tuple[str, str]) -> Callable[[Path], None]:
    """A maker that makes symbolic links (name, target)."""

    def make(folder: Path) -> None:
        for name, target in pairs:
            os.symlink(target, folder / name)

    return make


def _named(name: bytes, tag: str) -> Callable[[Path], None]:
    """A maker that writes the tag's story under a file name given as bytes."""

    def make(folder: Path) -> None:
        with open(os.path.join(os.fsencode(folder), name), "wb") as out:
            out.write(story(tag).encode())

    return make


def _locked(kind: str) -> Callable[[Path], None]:
    """A maker of a file or folder that cannot be read (mode 000)."""

    def make(folder: Path) -> None:
        if kind == "folder":
            inner = folder / "locked"
            inner.mkdir()
            (inner / "story.txt").write_text(story("locked-folder"))
            inner.chmod(0)
        else:
            path = folder / "locked.txt"
            path.write_text(story("locked-file"))
            path.chmod(0)

    return make


def _as_root() -> str:
    """Why mode 000 does not stop this process from reading ("" when it does)."""
    return "root reads files whatever their mode" if os.geteuid() == 0 else ""


def _fifo(folder: Path) -> None:
    os.mkfifo(folder / "pipe.txt")


def _sparse(folder: Path) -> None:
    """A 100 MB page that takes no room on disk: a head, then a hole."""
    with (folder / "huge.html").open("wb") as out:
        out.write(page("huge-page").encode()[:200])
        out.truncate(100_000_000)


def _deep_folders(folder: Path) -> None:
    """1,200 nested folders (deeper than Python's recursion limit) with one story at the end."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        for _ in range(DEEP_FOLDERS):
            os.mkdir("d", dir_fd=fd)
            inner = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        with open(os.open("story.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "wb") as out:
            out.write(story("deep-folders").encode())
    finally:
        os.close(fd)


def _empty_files(folder: Path) -> None:
    for i in range(1, EMPTY_FILES + 1):
        (folder / f"e{i:05d}.txt").touch()


def _gzip_bomb(folder: Path) -> None:
    (folder / "bomb.gz").write_bytes(gzip.compress(bytes(BOMB_BYTES), 9))


def _zip_bomb(folder: Path) -> None:
    with zipfile.ZipFile(folder / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.txt", bytes(BOMB_BYTES))


def _warc_bomb(folder: Path) -> None:
    """A WARC.gz whose one HTML record inflates past the input limit (50 MB)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    payload = b"<html><body>" + b" " * (52 * MIB) + b"</body></html>"
    with (folder / "bomb.warc.gz").open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://example.org/bomb",
                "response",
                payload=io.BytesIO(payload),
                http_headers=headers,
            )
        )


def _big_line(folder: Path) -> None:
    """A JSON Lines file whose middle line is 50 MiB, between two good records."""
    with (folder / "records.jsonl").open("wb") as out:
        out.write(record("before-big-line") + b"\n")
        out.write(b'{"text": "' + b"a" * (50 * MIB) + b'"}\n')
        out.write(record("after-big-line") + b"\n")


def _noise() -> bytes:
    """Bytes of every value in a fixed shuffled order."""
    data = bytearray(bytes(range(256)) * 16)
    random.Random(19).shuffle(data)
    return bytes(data)


def _feed(items: Iterable[str]) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile feed</title>'
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def _one_mb_paragraph() -> bytes:
    words = ("harbour", "board", "voted", "close", "pier", "storms", "repair", "town")
    rng = random.Random(19)
    sentence_count = MIB // 80
    body = " ".join(
        " ".join(rng.choice(words) for _ in range(12)).capitalize() + "."
        for _ in range(sentence_count)
    )
    return f"One paragraph of a megabyte\n\n{body}\n".encode()


def _unmarked(html: str) -> str:
    """A page without its og:type article mark."""
    return html.replace('<meta property="og:type" content="article">', "")


def _with(tag: str, old: str, new: str) -> str:
    """The tag's story with the first ``old`` replaced."""
    return story(tag).replace(old, new, 1)


DEEP_FOLDERS = 1200
EMPTY_FILES = 10_000
BOMB_BYTES = 20 * MIB
DEEP_PATH = "/".join(["d"] * DEEP_FOLDERS) + "/story.txt"
ARTICLE = None  # an expected step: the input becomes an article
DATE_NOTE = "publication date dropped"
DEEP_JSON = "[" * 100_000 + "]" * 100_000
_LD_OPEN = "<script type='application/ld+json'>"
_LONG_URL = "https://example.org/" + "a" * 100_000
HUGE_JSON = '{"@type": "NewsArticle", "wordCount": ' + "9" * 5000 + "}"

KINDS: tuple[Kind, ...] = (
    # ---- the crashes issue 19 names
    Kind(
        "jsonl-deep-nesting",
        _lines("records.jsonl", record("deep-nesting"), b"[" * 100_000 + b"]" * 100_000),
        (Expect("records.jsonl#line=1", ARTICLE), Expect("records.jsonl#line=2", "parse", "deep")),
    ),
    Kind(
        "jsonl-huge-integer",
        _lines("records.jsonl", record("huge-integer")[:-1] + b', "views": ' + b"9" * 5000 + b"}"),
        (Expect("records.jsonl#line=1", ARTICLE),),
    ),
    Kind(
        "jsonl-lone-surrogate",
        _lines(
            "records.jsonl",
            json.dumps({"text": _with("lone-surrogate", "pier", "pier \ud800")}).encode(),
        ),
        (Expect("records.jsonl#line=1", "parse", "lone surrogate"),),
    ),
    Kind(
        "text-encoded-surrogate",
        _write(
            "story.txt",
            _with("encoded-surrogate", "pier", "pier \ud800").encode("utf-8", "surrogatepass"),
        ),
        (Expect("story.txt", "decode", "not valid UTF-8"),),
    ),
    Kind(
        "symlink-loop",
        _links(("a.txt", "b.txt"), ("b.txt", "a.txt")),
        (Expect("a.txt", "read", "link loop"), Expect("b.txt", "read", "link loop")),
    ),
    Kind("self-link", _links(("self.txt", "self.txt")), (Expect("self.txt", "read", "link loop"),)),
    Kind(
        "dangling-link",
        _links(("dangling.txt", "nowhere.txt")),
        (Expect("dangling.txt", "read", "dangling link"),),
    ),
    Kind("link-to-folder", _links(("up", "..")), (Expect("up", "read", "link to a folder"),)),
    Kind(
        "published-year-0",
        _lines("records.jsonl", record("year-zero", published="0000-01-01")),
        (Expect("records.jsonl#line=1", ARTICLE, DATE_NOTE),),
    ),
    Kind(
        "published-year-1",
        _lines("records.jsonl", record("year-one", published="0001-01-01T00:00:00Z")),
        (Expect("records.jsonl#line=1", ARTICLE, DATE_NOTE),),
    ),
    Kind(
        "published-year-9999",
        _lines("records.jsonl", record("year-nines", published="9999-12-31")),
        (Expect("records.jsonl#line=1", ARTICLE, DATE_NOTE),),
    ),
    Kind(
        "published-31-february",
        _lines("records.jsonl", record("thirty-first-february", published="31 Feb 2026")),
        (Expect("records.jsonl#line=1", ARTICLE, DATE_NOTE),),
    ),
    Kind(
        "page-date-out-of-range",
        _write(
            "page.html",
            page(
                "page-date",
                head='<script type="application/ld+json">{"@type": "NewsArticle",'
                ' "datePublished": "0001-01-01T00:00:00Z"}</script>',
            ),
        ),
        (Expect("page.html", ARTICLE, DATE_NOTE),),
    ),
    Kind(
        "stamp-date-out-of-range",
        _write("story.txt", _with("stamp-date", "\n\n", "\nPublished: January 1, 0001\n\n")),
        (Expect("story.txt", ARTICLE, DATE_NOTE),),
    ),
    Kind(
        "times-at-calendar-ends",
        _lines(
            "records.jsonl",
            json.dumps(
                {
                    "published": "2026-03-13",
                    "text": story("calendar-ends")
                    + "\nOn December 31, 9999, and the following day; January 1, 1500 and the day"
                    " before; 999999999999 days ago, 5,000 centuries ago, last Monday, next Easter"
                    " and the weekend.\n",
                }
            ).encode(),
        ),
        (Expect("records.jsonl#line=1", ARTICLE),),
    ),
    # ---- empty, binary and badly encoded
    Kind("empty-file", _write("empty.txt", b""), (Expect("empty.txt", "read", "empty file"),)),
    Kind(
        "whitespace-only",
        _write("blank.txt", b"  \n\t\r\n   \n"),
        (Expect("blank.txt", "read", "only whitespace"),),
    ),
    Kind(
        "binary-noise",
        _write("noise.txt", _noise()),
        (Expect("noise.txt", "read", "binary content"),),
    ),
    Kind(
        "invalid-utf8",
        _write("latin1.txt", _with("latin-one", "pier", "café pier").encode("latin-1")),
        (Expect("latin1.txt", "decode", "not valid UTF-8"),),
    ),
    Kind(
        "mixed-encodings",
        _write("mixed.txt", story("mixed-encodings").encode() + "Café Zoë\n".encode("latin-1")),
        (Expect("mixed.txt", "decode", "not valid UTF-8"),),
    ),
    Kind(
        "html-mixed-encodings",
        _write("page.html", page("html-mixed").encode() + "<p>Café</p>".encode("latin-1")),
        (Expect("page.html", "clean", "not valid UTF-8"),),
    ),
    Kind(
        "html-unknown-charset",
        _write(
            "page.html",
            page("unknown-charset", head='<meta charset="x-klingon">').encode("latin-1") + b"\xe9",
        ),
        (Expect("page.html", "clean", "unknown charset"),),
    ),
    Kind(
        "html-charset-makes-surrogate",
        _write(
            "page.html",
            page(
                "charset-surrogate", head='<meta charset="unicode_escape">', body_extra="\\ud800"
            ).encode("latin-1")
            + b"\xe9",
        ),
        (Expect("page.html", "clean", "lone surrogate"),),
    ),
    Kind(
        "utf16-without-bom",
        _write("wide.txt", story("utf-sixteen").encode("utf-16-le")),
        (Expect("wide.txt", "read", "UTF-16 text without a byte-order mark"),),
    ),
    Kind(
        "utf32-without-bom",
        _write("wider.txt", story("utf-thirty-two").encode("utf-32-le")),
        (Expect("wider.txt", "read", "UTF-32 text without a byte-order mark"),),
    ),
    # ---- broken, huge and pathological HTML
    Kind(
        "html-truncated",
        _write("page.html", page("truncated")[:300]),
        (Expect("page.html", "clean", "truncated HTML"),),
    ),
    Kind("html-100mb", _sparse, (Expect("huge.html", "read", "over the limit"),)),
    Kind(
        "html-deeply-nested",
        _write("page.html", page("nested", body_extra="<div>" * 20_000 + "x" + "</div>" * 20_000)),
        (Expect("page.html", ANY),),
    ),
    Kind(
        "page-json-ld-nested-deep",
        _write(
            "page.html",
            page("json-ld-deep", head=f"<script type='application/ld+json'>{DEEP_JSON}</script>"),
        ),
        (Expect("page.html", ARTICLE),),
    ),
    Kind(
        "page-json-ld-huge-integer",
        _write(
            "page.html",
            page("json-ld-number", head=f"<script type='application/ld+json'>{HUGE_JSON}</script>"),
        ),
        (Expect("page.html", ARTICLE),),
    ),
    Kind(
        "html-20k-open-meta-tags",
        _write("page.html", _unmarked(page("open-meta", head="<meta " * 20_000 + ">"))),
        (Expect("page.html", "clean", "no article found"),),
    ),
    Kind(
        "html-40k-unclosed-json-ld",
        _write("page.html", page("unclosed-ld", body_extra=_LD_OPEN * 40_000)),
        (Expect("page.html", ARTICLE),),
    ),
    Kind(
        "html-many-leading-comments",
        _write("page.html", "<!-- generated -->" * 40 + page("comments").split("<html>", 1)[1]),
        (Expect("page.html", ARTICLE),),
    ),
    Kind(
        "html-million-paragraphs",
        _write("page.html", page("million-paragraphs", body_extra="<p>a</p>" * 1_000_000)),
        (Expect("page.html", "clean", "elements, over the limit"),),
    ),
    Kind(
        "text-million-paragraphs",
        _write("story.txt", story("million-lines") + "a\n\n" * 1_000_000),
        (Expect("story.txt", "clean", "too long for one article"),),
    ),
    Kind(
        "text-run-of-abbreviations",
        _write("story.txt", "Mr. " * 20_000 + "\n\n" + story("abbreviations")),
        (Expect("story.txt", ARTICLE),),
    ),
    Kind(
        "text-giant-word",
        _write("story.txt", story("giant-word") + "\n" + "[" * 200_000 + "\n"),
        (Expect("story.txt", ARTICLE),),
    ),
    Kind(
        "text-many-attribution-cues",
        _write("story.txt", story("attribution-cues") + "\n" + "according to " * 3000 + "\n"),
        (Expect("story.txt", ARTICLE),),
    ),
    Kind(
        "text-many-quotes",
        _write("story.txt", story("many-quotes") + "\n" + "“Yes,” " * 3000 + "\n"),
        (Expect("story.txt", ARTICLE),),
    ),
    Kind(
        "one-mb-paragraph",
        _write("story.txt", _one_mb_paragraph()),
        (Expect("story.txt", "clean", "too long for one article"),),
    ),
    # ---- bombs: never inflated
    Kind("gzip-bomb", _gzip_bomb, (Expect("bomb.gz", "read", "gzip-compressed data"),)),
    Kind("zip-bomb", _zip_bomb, (Expect("bomb.zip", "read", "ZIP archive"),)),
    Kind(
        "gzip-body-as-page",
        _write("page.html", gzip.compress(page("gzipped").encode())),
        (Expect("page.html", "read", "gzip-compressed data"),),
    ),
    Kind("warc-gzip-bomb", _warc_bomb, (Expect("bomb.warc.gz", ANY),), area="feeds"),
    # ---- JSON Lines
    Kind(
        "jsonl-wrong-types",
        _lines(
            "records.jsonl",
            b'{"text": 42}',
            json.dumps({"text": story("wrong-title"), "title": ["x"]}).encode(),
            json.dumps({"text": story("wrong-date"), "published": 20260313}).encode(),
        ),
        tuple(Expect(f"records.jsonl#line={n}", "parse", "must be a string") for n in (1, 2, 3)),
    ),
    Kind(
        "jsonl-50mb-line",
        _big_line,
        (
            Expect("records.jsonl#line=1", ARTICLE),
            Expect("records.jsonl#line=2", "read", "over the limit"),
            Expect("records.jsonl#line=3", ARTICLE),
        ),
    ),
    Kind(
        "jsonl-bad-middle-line",
        _lines(
            "records.jsonl",
            record("before-bad-line"),
            b'{"text": "broken',
            record("after-bad-line"),
        ),
        (
            Expect("records.jsonl#line=1", ARTICLE),
            Expect("records.jsonl#line=2", "parse", "invalid JSON"),
            Expect("records.jsonl#line=3", ARTICLE),
        ),
    ),
    Kind(
        "jsonl-metadata-too-long",
        _lines(
            "records.jsonl",
            record("long-metadata", byline="Jane Roe in Paris " * 8000 + "!", url=_LONG_URL),
        ),
        (Expect("records.jsonl#line=1", ARTICLE, "too long for metadata"),),
    ),
    Kind(
        "json-not-jsonl",
        _write("export.json", record("plain-json")),
        (Expect("export.json", "read", "JSON files are not supported"),),
    ),
    # ---- characters
    Kind(
        "text-nul-byte",
        _write("story.txt", _with("nul-byte", "pier", "pier\x00").encode()),
        (Expect("story.txt", "read", "NUL byte"),),
    ),
    Kind(
        "jsonl-nul-escape",
        _lines(
            "records.jsonl", json.dumps({"text": _with("nul-escape", "pier", "pier\x00")}).encode()
        ),
        (Expect("records.jsonl#line=1", ARTICLE),),
    ),
    Kind(
        "control-characters",
        _write("story.txt", _with("control-characters", "pier", "\x1b[31mpier\x1b[0m\x07\x9b")),
        (Expect("story.txt", ARTICLE),),
    ),
    Kind(
        "rtl-characters",
        _write("story.txt", _with("right-to-left", "pier", "pier \u202eשלום مرحبا\u202c\u200f")),
        (Expect("story.txt", ARTICLE),),
    ),
    Kind(
        "zero-width-characters",
        _write("story.txt", _with("zero-width", "pier", "pi\u200ber\u200c\u200d\ufeff\u2060")),
        (Expect("story.txt", ARTICLE),),
    ),
    # ---- names and the file system
    Kind(
        "name-undecodable-byte",
        _named(b"caf\xe9.txt", "undecodable-name"),
        (Expect("caf\\xe9.txt", ARTICLE),),
    ),
    Kind(
        "name-control-characters",
        _named(b"new\nline\x1b[31m.txt", "control-name"),
        (Expect("new\\nline\\x1b[31m.txt", ARTICLE),),
    ),
    Kind(
        "name-rtl-override",
        _named("report\u202etxt.exe".encode(), "override-name"),
        (Expect("report\\u202etxt.exe", ARTICLE),),
    ),
    Kind(
        "name-punctuation",
        _named(b"-n 'quoted' \"story\" & $(x) *.txt", "punctuation-name"),
        (Expect("-n 'quoted' \"story\" & $(x) *.txt", ARTICLE),),
    ),
    Kind(
        "name-255-bytes",
        _named(b"n" * 251 + b".txt", "long-name"),
        (Expect("n" * 251 + ".txt", ARTICLE),),
    ),
    Kind(
        "unreadable-file",
        _locked("file"),
        (Expect("locked.txt", "read", "cannot read"),),
        skip=_as_root,
    ),
    Kind(
        "unreadable-folder",
        _locked("folder"),
        (Expect("locked", "read", "cannot list folder"),),
        skip=_as_root,
    ),
    Kind("named-pipe", _fifo, (Expect("pipe.txt", "read", "not a regular file"),)),
    Kind("deep-folders", _deep_folders, (Expect(DEEP_PATH, ARTICLE),)),
    Kind(
        "ten-thousand-empty-files",
        _empty_files,
        (
            Expect("e00001.txt", "read", "empty file"),
            Expect(f"e{EMPTY_FILES:05d}.txt", "read", "empty file"),
        ),
    ),
    # ---- feeds and archives (their readers belong to the feed work; outcomes only)
    Kind(
        "malformed-rss",
        _write(
            "feed.rss",
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>A',
        ),
        (Expect("feed.rss", ANY),),
        area="feeds",
    ),
    Kind(
        "malformed-atom",
        _write(
            "feed.atom",
            b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>x</title><link href=',
        ),
        (Expect("feed.atom", ANY),),
        area="feeds",
    ),
    Kind(
        "feed-10k-entries",
        _write("feed.rss", _feed(f"<item><title>Entry {n}</title></item>" for n in range(10_000))),
        (Expect("feed.rss", ANY),),
        area="feeds",
    ),
    Kind(
        "malformed-warc",
        _write(
            "crawl.warc",
            b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\ntruncated",
        ),
        (Expect("crawl.warc", ANY),),
        area="feeds",
    ),
)

# Good inputs in every batch: they must come through whatever the hostile ones do.
CONTROLS: tuple[tuple[str, Callable[[Path], None]], ...] = (
    ("control.txt", _write("control.txt", story("control-text"))),
    ("control.html", _write("control.html", page("control-page"))),
    (
        "control.jsonl",
        _lines("control.jsonl", record("control-record-one"), record("control-record-two")),
    ),
)
CONTROL_SOURCES = ("control.txt", "control.html", "control.jsonl#line=1", "control.jsonl#line=2")


def unmet(
    kind: Kind,
    root: Path,
    rejections: Sequence[Rejection],
    articles: Mapping[str, Article | None],
    notes: bool = True,
) -> list[str]:
    """Why a kind's outcome in a batch under ``root`` is not what it expects ([] when it is)."""
    # ``articles``: the batch's articles by source (None where only their analysis is known);
    # ``notes``: whether an expected note on an article's removed lines is checked.
    folder = root / kind.name
    return [
        p
        for e in kind.expects
        if (p := _unmet(f"{folder}/{e.source}", e, rejections, articles, notes))
    ]


def _unmet(
    source: str,
    expect: Expect,
    rejections: Sequence[Rejection],
    articles: Mapping[str, Article | None],
    notes: bool,
) -> str:
    named = [r for r in rejections if r.source == source]
    if expect.step == ANY:
        found = [r.source for r in rejections if r.source.startswith(source)]
        found += [s for s in articles if s.startswith(source)]
        return "" if found else f"{source}: neither named nor an article"
    if expect.step is None:
        if source not in articles:
            return f"{source}: no article ({[(r.step, r.reason) for r in named]})"
        article = articles[source]
        if article is None or not notes or not expect.reason:
            return ""
        if any(expect.reason in r.reason for r in article.removed):
            return ""
        return f"{source}: no note '{expect.reason}' in {article.removed}"
    if any(r.step == expect.step and expect.reason in r.reason for r in named):
        return ""
    return f"{source}: expected ({expect.step}, ...{expect.reason}...), got {named}"


def missing_controls(root: Path, articles: Mapping[str, object]) -> list[str]:
    """The good inputs of a batch under ``root`` that did not become articles."""
    return [s for s in CONTROL_SOURCES if f"{root}/controls/{s}" not in articles]


def write_kind(kind: Kind, folder: Path) -> Path:
    """Write one kind's inputs into ``folder/<kind name>``; that folder."""
    where = folder / kind.name
    where.mkdir(parents=True)
    kind.make(where)
    return where


def write_controls(folder: Path) -> Path:
    """Write the good inputs into ``folder``; that folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for _, make in CONTROLS:
        make(folder)
    return folder


def dismantle(folder: Path) -> None:
    """Make a corpus folder removable: locked inputs unlocked, the deep folders taken down."""
    for kind in ("unreadable-file", "unreadable-folder"):
        for path in (folder / kind).glob("locked*"):
            path.chmod(0o755 if path.is_dir() else 0o644)
    deep = folder / "deep-folders"
    if not deep.is_dir():
        return
    chain = [os.open(deep, os.O_RDONLY)]  # by descriptor: no path grows past the OS limit
    try:
        while _has_d(chain[-1]):
            chain.append(os.open("d", os.O_RDONLY, dir_fd=chain[-1]))
        with contextlib.suppress(FileNotFoundError):
            os.unlink("story.txt", dir_fd=chain[-1])
        while len(chain) > 1:
            os.close(chain.pop())
            os.rmdir("d", dir_fd=chain[-1])
    finally:
        for fd in chain:
            os.close(fd)


def _has_d(fd: int) -> bool:
    """True when the folder open as ``fd`` holds a folder named "d"."""
    try:
        os.stat("d", dir_fd=fd)
    except FileNotFoundError:
        return False
    return True
