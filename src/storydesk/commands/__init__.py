"""CLI commands defined in their own modules and registered by :mod:`storydesk.cli`."""
