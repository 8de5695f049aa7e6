"""storydesk: turn news coverage from many outlets into sourced story dossiers."""

__version__ = "0.1.0"
