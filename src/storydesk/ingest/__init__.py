"""Ingest: read sources (files, folders, JSON Lines) into raw documents or rejections."""

from storydesk.ingest.files import read_sources
from storydesk.model import MediaType
from storydesk.text.decode import decode_text, document_text, sniff_binary
from storydesk.text.record import parse_record

RECORD_MEDIA_TYPE = MediaType.RECORD  # the media type of one JSON Lines record

__all__ = [
    "RECORD_MEDIA_TYPE",
    "decode_text",
    "document_text",
    "parse_record",
    "read_sources",
    "sniff_binary",
]
