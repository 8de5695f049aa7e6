"""Lineage stage: duplicates, rewrites, agency relays and independence groups."""
