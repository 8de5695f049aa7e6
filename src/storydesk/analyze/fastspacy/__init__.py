"""Fast decoders over spaCy's model weights: everything that reads spaCy internals."""
