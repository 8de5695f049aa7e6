"""The analyze stage: sentences, entities, quotes, time expressions and credits per article."""

from storydesk.analyze.core import analyze_articles, analyze_text, analyze_with
from storydesk.analyze.nlp import load_nlp

__all__ = ["analyze_articles", "analyze_text", "analyze_with", "load_nlp"]
