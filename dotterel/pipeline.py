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

    from .limits import current, truncate_article

    if not article.clean:
        clean.clean_article(article)
    if article.language and article.language != "en":
        return []
    truncate_article(article, current().max_chars)   # limits.py: bounded parse
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
    from .dedup import mark_duplicates
    from .ingest import BadInput, iter_articles

    def report(name: str, reason: str) -> None:
        if on_error:
            on_error(name, reason)
        else:
            print(f"dotterel: skipped {name}: {reason}", file=sys.stderr)

    def readable():
        for item in iter_articles(paths):
            if isinstance(item, BadInput):
                report(item.name, item.reason)
            else:
                yield item

    # near-duplicates get duplicate_of (dedup.mark_duplicates)
    for item in mark_duplicates(readable()):
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
    workers = getattr(args, "workers", None) or default_workers()
    from .dedup import mark_duplicates
    from .store import _ingest_options
    articles = readable_articles(args.paths, **_ingest_options(args))
    if not getattr(args, "no_dedup", False):
        articles = mark_duplicates(articles)   # fills duplicate_of
    pairs = code_articles(articles, kb_files, workers)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            n_docs, n_events = write_jsonl(pairs, fh)
    else:
        n_docs, n_events = write_jsonl(pairs, sys.stdout)
    print(f"dotterel: coded {n_docs} article(s), {n_events} event(s)", file=sys.stderr)
    return 0 if n_docs else 1


# ---------------------------------------------------------------- many articles
# ``code_articles`` is ``code_article`` over a stream of articles: the parse
# runs with ``nlp.pipe`` over batches of articles (one model call per batch
# instead of per article), and with ``workers > 1`` the batches go to a pool
# of processes that each load the KB and the spaCy pipeline once.  Results
# come back in input order, each article's events exactly those
# ``code_article`` gives it.

_BATCH = 16   # articles per nlp.pipe batch and per pool task


def _finish_ids(found: list[Event], article: Article) -> list[Event]:
    for ev in found:
        ev.doc = article.doc
        ev.article_id = article.id
        ev.make_id()
    return found


def code_batch(articles: list[Article], kb_files: tuple[str, ...] = (),
               limits=None) -> list[tuple[Article, "list[Event] | str"]]:
    """Code a list of articles with one batched parse: ``(article, events)``
    per article in order, or ``(article, reason)`` where coding failed.

    ``limits`` (default ``limits.current()``): an article's cleaned text is
    cut to ``max_chars`` (a line on stderr says so), and cleaning, parsing
    and coding one article each get ``timeout_s`` seconds (the batched parse
    gets the batch's sum; when it runs over, each text is parsed alone).
    """
    from . import clean, events, nlp
    from .kb import load_kb
    from .limits import DocumentTimeout, current, time_limit, truncate_article

    lim = limits or current()
    kb = load_kb(tuple(kb_files))
    out: list = []
    to_parse: list[int] = []
    for art in articles:
        try:
            with time_limit(lim.timeout_s):
                if not art.clean:
                    clean.clean_article(art)
        except DocumentTimeout as exc:
            out.append((art, f"{exc} (cleaning; see --timeout)"))
            continue
        except Exception as exc:
            out.append((art, f"coding failed: {type(exc).__name__}: {exc}"))
            continue
        out.append((art, []))
        if not (art.language and art.language != "en"):
            note = truncate_article(art, lim.max_chars)
            if note:
                print(f"dotterel: {art.doc}: {note}; see --max-chars", file=sys.stderr)
            to_parse.append(len(out) - 1)
    if not to_parse:
        return out
    try:
        with time_limit(lim.timeout_s * len(to_parse)):
            docs = list(nlp.get_nlp(kb).pipe([out[i][0].clean for i in to_parse],
                                             batch_size=len(to_parse)))
    except (Exception, DocumentTimeout):  # find the one text the parser fails on
        docs = []
        for i in to_parse:
            try:
                with time_limit(lim.timeout_s):
                    docs.append(nlp.parse(out[i][0].clean, kb))
            except DocumentTimeout as exc:
                docs.append(f"{exc} (parsing; see --timeout)")
            except Exception as exc:
                docs.append(f"coding failed: {type(exc).__name__}: {exc}")
    for i, doc in zip(to_parse, docs):
        art = out[i][0]
        if isinstance(doc, str):
            out[i] = (art, doc)
            continue
        try:
            with time_limit(lim.timeout_s):
                out[i] = (art, _finish_ids(events.extract(doc, art, kb), art))
        except DocumentTimeout as exc:
            out[i] = (art, f"{exc} (coding; see --timeout)")
        except Exception as exc:  # one bad document never costs the rest
            out[i] = (art, f"coding failed: {type(exc).__name__}: {exc}")
    return out


def readable_articles(paths: Iterable[str | Path], **ingest_opts) -> Iterator[Article]:
    """The readable articles under ``paths``; a line on stderr for each other file.
    ``ingest_opts``: ``iter_articles`` keywords (``fields``, ``fmt``)."""
    from .ingest import BadInput, iter_articles
    for item in iter_articles(paths, **ingest_opts):
        if isinstance(item, BadInput):
            print(f"dotterel: skipped {item.name}: {item.reason}", file=sys.stderr)
        else:
            yield item


def _pool_init(kb_files: tuple[str, ...]) -> None:
    """Pool initializer: load the KB and the spaCy pipeline once per worker."""
    from . import nlp
    from .kb import load_kb
    nlp.get_nlp(load_kb(tuple(kb_files)))


def default_workers() -> int:
    """Worker processes ``dotterel run``/``code`` use by default: one per CPU."""
    import os
    return max(1, os.cpu_count() or 1)


def code_articles(articles: Iterable[Article], kb_files: tuple[str, ...] = (),
                  workers: int = 1, on_error: Optional[Callable[[str, str], None]] = None,
                  batch_size: Optional[int] = None) -> Iterator[tuple[Article, list[Event]]]:
    """Yield ``(article, events)`` for every article, in input order.

    ``workers``: processes to code in (1: this process).  With more, articles
    go in batches of ``batch_size`` to a process pool whose workers load the
    KB and spaCy pipeline once; at most ``2 * workers`` batches are in flight,
    so memory stays bounded however long the stream.  An input too small to
    fill one batch per worker is coded here (a pool would cost more in model
    loading than it saves).  An article that cannot be coded is reported
    through ``on_error(doc, reason)`` (default: a line on stderr) and skipped.
    """
    import itertools
    from collections import deque

    def report(name: str, reason: str) -> None:
        if on_error:
            on_error(name, reason)
        else:
            print(f"dotterel: skipped {name}: {reason}", file=sys.stderr)

    def emit(results):
        for art, res in results:
            if isinstance(res, str):
                report(art.doc, res)
            else:
                yield art, res

    it = iter(articles)
    batch_size = max(1, int(batch_size or _BATCH))
    workers = max(1, int(workers or 1))

    def batches():
        while True:
            b = list(itertools.islice(it, batch_size))
            if not b:
                return
            yield b

    gen = batches()
    head = list(itertools.islice(gen, workers)) if workers > 1 else []
    if workers == 1 or len(head) < workers:
        for b in itertools.chain(head, gen):
            yield from emit(code_batch(b, kb_files))
        return

    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    from .limits import current as current_limits

    # fork where there is one: workers start without re-importing the caller's
    # main module (spawn would need an ``if __name__ == "__main__"`` guard)
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx,
                             initializer=_pool_init, initargs=(tuple(kb_files),)) as pool:
        inflight: deque = deque()
        for b in itertools.chain(head, gen):
            inflight.append(pool.submit(code_batch, b, tuple(kb_files), current_limits()))
            if len(inflight) >= 2 * workers:
                yield from emit(inflight.popleft().result())
        while inflight:
            yield from emit(inflight.popleft().result())
