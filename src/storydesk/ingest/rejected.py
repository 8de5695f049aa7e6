"""A rejection that carries the bytes it was read from, so they can be stored and reprocessed."""

from __future__ import annotations

from dataclasses import dataclass

from storydesk.model import RawDocument, Rejection, Step


@dataclass(frozen=True)
class RejectedInput(Rejection):
    """A rejection of bytes that were read: they are stored, so reprocessing can recover them."""

    raw: RawDocument | None = None


def only_whitespace(source: str) -> Rejection:
    """The rejection of a file that holds nothing but whitespace."""
    return Rejection(source, Step.READ, "file holds only whitespace")
