"""Telling text from binary content, and decoding text without guessing."""

from __future__ import annotations

import codecs

from storydesk.errors import InputError
from storydesk.model import MediaType, RawDocument
from storydesk.text.record import parse_record

SNIFF_BYTES = 8192
MAX_CONTROL_SHARE = 0.05  # share of control bytes above which content is taken as binary

# (byte-order mark, codec); UTF-32 first: its little-endian BOM starts with UTF-16's.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Signatures of common binary formats, to name them in the reason.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

# "<?" of an XML declaration in UTF-32 or UTF-16 without a byte-order mark (XML 1.0, appendix F).
_XML_WITHOUT_BOM = (
    b"\x00\x00\x00<\x00\x00\x00?",
    b"<\x00\x00\x00?\x00\x00\x00",
    b"\x00<\x00?",
    b"<\x00?\x00",
)

# Control bytes that never occur in text (tab, newlines, form feed and escape are allowed).
_CONTROL = frozenset([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])


def bom_codec(content: bytes) -> str | None:
    """The codec named by a leading byte-order mark, or None."""
    for bom, codec in _BOMS:
        if content.startswith(bom):
            return codec
    return None


def sniff_binary(content: bytes) -> str | None:
    """Why the first 8 KB look like binary content, or None when they look like text."""
    head = content[:SNIFF_BYTES]
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return f"binary content ({name})"
    if bom_codec(head) is not None or head.startswith(_XML_WITHOUT_BOM):
        return None
    nul = head.find(b"\x00")
    if nul >= 0:
        if _looks_like_bomless_utf32(head):
            return "binary content (UTF-32 text without a byte-order mark?); save it as UTF-8"
        if _looks_like_bomless_utf16(head):
            return "binary content (UTF-16 text without a byte-order mark?); save it as UTF-8"
        return f"binary content (NUL byte at offset {nul})"
    controls = sum(1 for b in head if b in _CONTROL)
    if head and controls / len(head) > MAX_CONTROL_SHARE:
        return f"binary content ({controls} control bytes in the first {len(head)} bytes)"
    return None


def _looks_like_bomless_utf16(head: bytes) -> bool:
    """True when every other byte is NUL, as in ASCII text encoded as UTF-16."""
    sample = head[: len(head) - len(head) % 2]
    if len(sample) < 4:
        return False
    even, odd = sample[0::2], sample[1::2]
    return even.count(0) == len(even) or odd.count(0) == len(odd)


def _looks_like_bomless_utf32(head: bytes) -> bool:
    """True when three bytes in four are NUL, as in ASCII text encoded as UTF-32."""
    sample = head[: len(head) - len(head) % 4]
    if len(sample) < 8:
        return False
    lanes = [sample[i::4] for i in range(4)]
    return sum(1 for lane in lanes if lane.count(0) == len(lane)) == 3


def decode_text(content: bytes, source: str = "") -> str:
    """Decode UTF-8 (or UTF-8/16/32 text with a byte-order mark); InputError names the bad byte."""
    # ``source`` is accepted for callers that pass it; reasons never repeat it (callers name it).
    codec = bom_codec(content)
    if codec is None or codec == "utf-8-sig":
        skip = 3 if codec else 0
        try:
            return content[skip:].decode("utf-8")
        except UnicodeDecodeError as exc:
            at = exc.start + skip
            raise InputError(
                f"not valid UTF-8 (byte 0x{content[at]:02x} at offset {at}); save the file as UTF-8"
            ) from None
    try:
        return content.decode(codec)
    except UnicodeDecodeError as exc:
        name = codec.upper()
        raise InputError(f"not valid {name} ({exc.reason} at offset {exc.start})") from None


def document_text(doc: RawDocument) -> str:
    """The text a raw document carries: a record's ``text`` field, else its decoded content."""
    if doc.media_type == MediaType.RECORD:
        fields = parse_record(doc.content)
        return fields.get("text") or fields["html"]
    return decode_text(doc.content)
