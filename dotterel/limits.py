"""Per-document limits: no input makes a run crash or hang.

Three limits, each with a default and a command-line flag (``dotterel code``
and ``dotterel run``):

- ``max_bytes`` (``--max-bytes``, default 5 MiB): a file or record larger
  than this is not read; it is reported as ``too large`` (ingest).
- ``max_chars`` (``--max-chars``, default 100 000): only the first
  ``max_chars`` characters of an article's cleaned text are parsed and
  coded, cut at the last line or sentence end before the limit; the article
  is reported as ``truncated`` and its events come from the part kept.
  News articles are a few thousand characters; the limit bounds the parse
  and the coder's time on pathological input (a whole book, a dump of
  scraped pages).
- ``timeout_s`` (``--timeout``, default 60 s; 0 turns it off): wall-clock
  seconds to clean, parse and code one article.  An article over it is
  reported as failed ``timed out after N s`` and the run goes on.  The watchdog
  is ``SIGALRM`` (``signal.setitimer``) in the process that codes, so it
  works on POSIX in the main thread of the main process and of each worker
  process; elsewhere (Windows, a non-main thread such as a web server's
  worker) there is no timer and ``max_chars`` alone bounds the work.  The
  exception it raises, ``DocumentTimeout``, derives from ``BaseException`` so
  that no ``except Exception`` inside the coder can swallow it.

The process-wide limits are ``current()``; ``configure(...)`` changes them
(the command line does this once, before any worker process starts; the
pool is handed them explicitly as well).
"""
from __future__ import annotations

import re
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Iterator, Optional

from .model import Article

__all__ = ["Limits", "DocumentTimeout", "current", "configure", "time_limit",
           "truncate_article", "DEFAULT_MAX_CHARS", "DEFAULT_TIMEOUT_S"]

DEFAULT_MAX_CHARS = 100_000
DEFAULT_TIMEOUT_S = 60.0


def _default_max_bytes() -> int:
    from .ingest import DEFAULT_MAX_BYTES
    return DEFAULT_MAX_BYTES


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 5 * 1024 * 1024
    max_chars: int = DEFAULT_MAX_CHARS
    timeout_s: float = DEFAULT_TIMEOUT_S

    def __post_init__(self) -> None:
        if self.max_bytes < 1:
            raise ValueError("max_bytes must be at least 1")
        if self.max_chars < 1:
            raise ValueError("max_chars must be at least 1")
        if self.timeout_s < 0:
            raise ValueError("timeout_s must be 0 (off) or more")


_current = Limits(max_bytes=_default_max_bytes())


def current() -> Limits:
    """The limits this process codes under."""
    return _current


def configure(max_bytes: Optional[int] = None, max_chars: Optional[int] = None,
              timeout_s: Optional[float] = None) -> Limits:
    """Set the process-wide limits (None keeps a value) and return them."""
    global _current
    kw = {k: v for k, v in (("max_bytes", max_bytes), ("max_chars", max_chars),
                            ("timeout_s", timeout_s)) if v is not None}
    _current = replace(_current, **kw)
    return _current


class DocumentTimeout(BaseException):
    """One document took longer than its time limit."""


def _timer_usable() -> bool:
    return (hasattr(signal, "setitimer") and hasattr(signal, "SIGALRM")
            and threading.current_thread() is threading.main_thread())


@contextmanager
def time_limit(seconds: Optional[float]) -> Iterator[None]:
    """Raise ``DocumentTimeout("timed out after N s")`` in the body once
    ``seconds`` of wall-clock time have passed (no-op for None/0 or where no
    timer can be set, see the module docstring).  An alarm the caller had set
    is put back when the body ends."""
    if not seconds or seconds <= 0 or not _timer_usable():
        yield
        return

    def on_alarm(signum, frame):
        raise DocumentTimeout(f"timed out after {seconds:g} s")

    old_handler = signal.signal(signal.SIGALRM, on_alarm)
    old_delay, old_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        left, _ = signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old_handler)
        if old_delay > 0:   # the caller's own alarm, less the time spent here
            spent = seconds - left
            signal.setitimer(signal.ITIMER_REAL, max(0.001, old_delay - spent), old_interval)


_SENT_END = re.compile(r"[.!?][\"'”’)\]]*\s")


def truncate_article(article: Article, max_chars: int) -> Optional[str]:
    """Keep at most ``max_chars`` characters of a cleaned article (``clean``,
    ``offsets`` and ``skip_ranges`` together, so evidence still maps to the
    raw text), cut after the last line break or sentence end in the second
    half of the window, else at the limit.  Returns a note saying what was cut,
    or None when the article fits."""
    text = article.clean or ""
    if len(text) <= max_chars:
        return None
    window = text[:max_chars]
    cut = window.rfind("\n") + 1
    if cut < max_chars // 2:
        ends = [m.end() for m in _SENT_END.finditer(window, max_chars // 2)]
        cut = ends[-1] if ends else max_chars
    article.raw_end = article.offsets[cut]   # spans ending at the cut stop here (raw_span)
    article.clean = text[:cut]
    article.offsets = list(article.offsets[:cut])
    ranges = getattr(article, "skip_ranges", None)
    if ranges:
        article.skip_ranges = [(s, min(e, cut)) for s, e in ranges if s < cut]
    note = f"truncated: coded the first {cut} of {len(text)} characters (limit {max_chars})"
    article.truncated = note
    return note
