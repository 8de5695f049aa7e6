"""Errors that name what went wrong with one input."""

from __future__ import annotations


class InputError(Exception):
    """An input cannot be processed; the message says why (the caller names the input)."""


class MissingExtraError(ImportError):
    """An optional dependency is missing; the message names the extra to install."""


class NoDatabaseError(FileNotFoundError):
    """A command that only reads names a database that does not exist (nothing is created)."""
