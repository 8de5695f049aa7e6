"""Cluster stage: article profiles, the story scorer and the incremental story index."""
