"""The flow, in one screen:

    ingest -> clean -> parse -> actors -> events -> resolve (dates, places,
    contexts) -> dedup -> (store)

``code_article`` runs every stage on one Article; ``code_files`` streams
files through it; ``code_text`` is the one-string convenience API.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from .model import Article, Event


def code_article(article: Article, kb_files: tuple[str, ...] = ()) -> list[Event]:
    """Code one ingested Article (cleaned here if it is not yet)."""
    from . import clean, events, nlp
    from .kb import load_kb

    if not article.clean:
        clean.clean_article(article)
    if article.language and article.language != "en":
        return []
    kb = load_kb(tuple(kb_files))
    doc = nlp.parse(article.clean, kb)
    found = events.extract(doc, article, kb)
    for ev in found:
        ev.doc = article.doc
        ev.article_id = article.id
        ev.make_id()
    return found


def code_text(text: str, story_date: Optional[str] = None, doc: str = "text",
              kb_files: tuple[str, ...] = ()) -> list[Event]:
    """Code a string: ``dotterel.code_text(text, story_date=None) -> list[Event]``."""
    from . import clean
    art = Article(doc=doc, text=text)
    clean.clean_article(art)
    if story_date:
        art.story_date = story_date
    return code_article(art, kb_files)


def code_files(paths: Iterable[str | Path], kb_files: tuple[str, ...] = (),
               on_error: Optional[Callable[[str, str], None]] = None
               ) -> Iterator[tuple[Article, list[Event]]]:
    """Yield (article, events) for every readable article under ``paths``.

    A file that cannot be read or coded is reported through ``on_error(name,
    reason)`` (default: a line on stderr) and skipped; the others go on.
    """
    from .ingest import BadInput, iter_articles

    def report(name: str, reason: str) -> None:
        if on_error:
            on_error(name, reason)
        else:
            print(f"dotterel: skipped {name}: {reason}", file=sys.stderr)

    for item in iter_articles(paths):
        if isinstance(item, BadInput):
            report(item.name, item.reason)
            continue
        try:
            evs = code_article(item, kb_files)
        except Exception as exc:  # one bad document never costs the rest
            report(item.doc, f"coding failed: {type(exc).__name__}: {exc}")
            continue
        yield item, evs


def write_jsonl(pairs: Iterable[tuple[Article, list[Event]]], out) -> tuple[int, int]:
    n_docs = n_events = 0
    for art, evs in pairs:
        out.write(json.dumps(art.meta_dict(), ensure_ascii=False) + "\n")
        n_docs += 1
        for ev in evs:
            out.write(json.dumps(ev.to_dict(), ensure_ascii=False) + "\n")
            n_events += 1
    return n_docs, n_events


def cli_code(args) -> int:
    kb_files = tuple(args.kb or ())
    pairs = code_files(args.paths, kb_files)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            n_docs, n_events = write_jsonl(pairs, fh)
    else:
        n_docs, n_events = write_jsonl(pairs, sys.stdout)
    print(f"dotterel: coded {n_docs} article(s), {n_events} event(s)", file=sys.stderr)
    return 0 if n_docs else 1
