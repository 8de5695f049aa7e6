"""SQLite storage: raw bytes by sha256, articles, analyses, stories, dossiers."""

from storydesk.store.db import Store, StoryRow

__all__ = ["Store", "StoryRow"]
