"""The fetcher: the only code in storydesk that touches the network."""

from storydesk.fetch.client import Fetched, Fetcher
from storydesk.fetch.errors import FetchError
from storydesk.fetch.guard import check_url
from storydesk.fetch.policy import USER_AGENT, FetchPolicy

__all__ = ["USER_AGENT", "FetchError", "FetchPolicy", "Fetched", "Fetcher", "check_url"]
