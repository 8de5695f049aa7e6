"""Shared fixtures: paths to data the tests may read, and the spaCy pipeline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
EXAMPLES = REPO / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def embeddings_installed() -> bool:
    """Whether the sentence-embedding model files are installed (tests skip without them)."""
    from storydesk.text.embed import EmbeddingsUnavailable, model_files

    try:
        model_files()
    except EmbeddingsUnavailable:
        return False
    return True


needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not present")


@pytest.fixture(scope="session")
def nlp() -> Any:
    """The project's spaCy pipeline, loaded once for the whole session (tests only read it)."""
    from storydesk.analyze import load_nlp
    from storydesk.options import Options

    return load_nlp(Options().spacy_model)
