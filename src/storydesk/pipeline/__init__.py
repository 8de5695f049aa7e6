"""Orchestration: run, process and rebuild; admission at the door; reprocess; corrections."""
