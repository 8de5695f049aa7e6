"""The service: a JSON API over the library (``storydesk serve``); FastAPI is imported here only."""
