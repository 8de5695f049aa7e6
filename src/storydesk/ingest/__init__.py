"""Ingest: read sources (files, folders, JSON Lines) into raw documents or rejections."""

from storydesk.ingest.files import read_sources
from storydesk.ingest.jsonl import RECORD_MEDIA_TYPE, parse_record
from storydesk.text.decode import decode_text, document_text, sniff_binary

__all__ = [
    "RECORD_MEDIA_TYPE",
    "decode_text",
    "document_text",
    "parse_record",
    "read_sources",
    "sniff_binary",
]
