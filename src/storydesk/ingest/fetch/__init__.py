"""The fetcher: the only code in storydesk that touches the network.

Import from the submodules (``client``, ``guard``, ``policy``, ``errors``): this package file
imports nothing, so reading the options (which hold a ``FetchPolicy``) never loads httpx.
"""
