"""The analyze stage: sentences, entities, quotes, time expressions and credits per article.

The entry points are imported on first use, so a module that needs only a table of this
stage (the timeline needs ``times.tense``'s reporting verbs) does not load the analyser.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storydesk.analyze.core import analyze_articles, analyze_text, analyze_with
    from storydesk.analyze.nlp import load_nlp

_WHERE = {
    "analyze_articles": "storydesk.analyze.core",
    "analyze_text": "storydesk.analyze.core",
    "analyze_with": "storydesk.analyze.core",
    "load_nlp": "storydesk.analyze.nlp",
}

__all__ = ["analyze_articles", "analyze_text", "analyze_with", "load_nlp"]


def __getattr__(name: str) -> Any:
    """An entry point of the stage, imported when first asked for."""
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
