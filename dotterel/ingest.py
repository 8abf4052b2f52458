"""Ingest: files and folders in, ``Article`` or ``BadInput`` records out.

``iter_articles(paths)`` walks its arguments in order.  A path that is a
directory is searched recursively for ``*.txt`` files (sorted by path; other
extensions are ignored); a file named explicitly is read whatever its
extension.  Each file yields exactly one item:

- ``Article(doc=<file name>, text=<decoded text>)`` for a readable article, or
- ``BadInput(name, reason)`` saying why the file was skipped: unreadable,
  empty, too large, binary, not decodable text, no letters, or JSON (Lines)
  data rather than prose.

Nothing is raised for a bad file and nothing is read ahead: items are
yielded one at a time, so memory stays bounded by the largest single file
(itself bounded by ``max_bytes``).

Decoding: strict UTF-8 first (a UTF-8 BOM is dropped); on failure
charset-normalizer guesses the encoding, and its guess is accepted only for
a confident single-byte or multi-byte text encoding (cp1251, latin-1, ...)
whose decoded text is mostly letters; otherwise the file is a
``BadInput("not valid UTF-8 (...)")``.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Union

from .model import Article

__all__ = ["BadInput", "iter_articles", "read_article", "DEFAULT_MAX_BYTES"]

DEFAULT_MAX_BYTES = 5 * 1024 * 1024

# share of control characters (other than \t \n \r \f) above which a file is binary
_CONTROL_SHARE = 0.05
# charset-normalizer "chaos" (mess) ratio above which a guess is rejected
_MAX_CHAOS = 0.2


@dataclass(frozen=True)
class BadInput:
    """A file that was not read as an article: ``name`` as shown to the user
    (the path as given or found), ``reason`` in words."""
    name: str
    reason: str


def _iter_paths(paths: Iterable[Union[str, Path]]) -> Iterator[tuple[Path, bool]]:
    """Yield (path, named_explicitly) in order; directories are walked lazily."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    for p in paths:
        p = Path(p)
        if p.is_dir():
            yield from ((f, False) for f in _walk_dir(p))
        else:
            yield p, True


def _walk_dir(root: Path) -> Iterator[Path]:
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return
    for e in entries:
        try:
            if e.is_dir():
                yield from _walk_dir(Path(e.path))
            elif e.name.lower().endswith(".txt"):
                yield Path(e.path)
        except OSError:
            yield Path(e.path)


def _decode(data: bytes) -> tuple[str | None, str | None]:
    """Return (text, None) or (None, reason)."""
    try:
        text = data.decode("utf-8")
        return (text[1:] if text.startswith("\ufeff") else text), None
    except UnicodeDecodeError as exc:
        first_error = f"bad byte 0x{data[exc.start]:02x} at offset {exc.start}"
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - declared dependency
        return None, f"not valid UTF-8 ({first_error})"
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        return None, f"not valid UTF-8 ({first_error}; no other encoding fits)"
    if best.chaos > _MAX_CHAOS:
        return None, (f"not valid UTF-8 ({first_error}; best guess {best.encoding} "
                      f"is not confident)")
    text = str(best)
    letters = sum(ch.isalpha() for ch in text)
    words = text.split()
    if (letters < 0.5 * max(1, sum(not ch.isspace() for ch in text))
            or (len(text) > 100 and sum(map(len, words)) / max(1, len(words)) > 20)):
        # no letters, or no word breaks: a guess that decodes noise
        return None, f"not valid UTF-8 ({first_error}; {best.encoding} gives no prose)"
    return text, None


def _looks_binary(data: bytes) -> bool:
    if b"\x00" in data:
        return True
    sample = data[:65536]
    ctrl = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return ctrl > _CONTROL_SHARE * max(1, len(sample))


def _looks_like_json(text: str) -> str | None:
    """A reason when the text is JSON / JSON Lines data rather than prose."""
    stripped = text.strip()
    if stripped[:1] in "[{":
        try:
            json.loads(stripped)
            return "looks like JSON data, not article text"
        except ValueError:
            pass
    lines = [ln.strip() for ln in stripped.splitlines() if ln.strip()]
    sample = lines[:200]
    n_obj = 0
    for ln in sample:
        # a line may carry junk before the first "{" (e.g. a stray id)
        i = ln.find("{")
        if i < 0 or i > 40 or not ln.endswith("}"):
            continue
        try:
            if isinstance(json.loads(ln[i:]), dict):
                n_obj += 1
        except ValueError:
            pass
    if n_obj >= 2 and n_obj >= 0.6 * len(sample):
        return "looks like JSON Lines data, not article text"
    return None


def read_article(path: Union[str, Path], max_bytes: int = DEFAULT_MAX_BYTES,
                 name: str | None = None) -> Union[Article, BadInput]:
    """Read one file into an Article, or say why not (never raises OSError)."""
    path = Path(path)
    shown = name or str(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            return BadInput(shown, "is a directory")
        if size > max_bytes:
            return BadInput(shown, f"too large ({size} bytes > limit {max_bytes})")
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except FileNotFoundError:
        return BadInput(shown, "file not found")
    except PermissionError:
        return BadInput(shown, "permission denied")
    except OSError as exc:
        return BadInput(shown, f"unreadable ({exc.strerror or exc})")
    if len(data) > max_bytes:
        return BadInput(shown, f"too large (> limit {max_bytes} bytes)")
    if not data.strip():
        return BadInput(shown, "empty file" if not data else "only whitespace")
    if _looks_binary(data):
        return BadInput(shown, "binary file, not text")
    text, reason = _decode(data)
    if text is None:
        return BadInput(shown, reason or "not valid UTF-8")
    if not text.strip():
        return BadInput(shown, "only whitespace")
    if not any(ch.isalpha() for ch in text):
        return BadInput(shown, "no words: only punctuation, digits or symbols")
    json_reason = _looks_like_json(text)
    if json_reason:
        return BadInput(shown, json_reason)
    return Article(doc=path.name, text=text)


def iter_articles(paths: Iterable[Union[str, Path]],
                  max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Union[Article, BadInput]]:
    """Yield one ``Article`` or ``BadInput`` per file under ``paths``, streaming."""
    for path, _explicit in _iter_paths(paths):
        yield read_article(path, max_bytes=max_bytes)
