"""Dossier stage: a story's brief, quote book, timeline, who's who and coverage."""
