"""Crosscheck stage: aligns claims across a story's articles into facts and finds conflicts."""
