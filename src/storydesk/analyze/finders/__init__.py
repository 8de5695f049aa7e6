"""Finders over a parsed article: entities, quotes, speakers, attributions, numbers, credits."""
