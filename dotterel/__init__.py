"""Dotterel: an offline PLOVER political event coder.

    >>> import dotterel
    >>> events = dotterel.code_text("President X met President Y in Paris on Monday.",
    ...                             story_date="2024-05-01")
"""
from .model import Article, Entity, Event, Location
from .pipeline import code_article, code_files, code_text

__all__ = ["Article", "Entity", "Event", "Location", "code_article", "code_files", "code_text"]
__version__ = "0.1.0"
