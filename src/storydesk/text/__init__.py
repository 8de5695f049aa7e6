"""Shared text utilities: features, canonical names, decoding, MinHash, sentence embeddings."""
