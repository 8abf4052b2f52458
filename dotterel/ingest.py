"""Ingest: files and folders in, ``Article`` or ``BadInput`` records out.

``iter_articles(paths)`` walks its arguments in order.  A path that is a
directory is searched recursively for ``*.txt`` files (sorted by path; other
extensions are ignored); a file named explicitly is read whatever its
extension.  Each file yields exactly one item:

- ``Article(doc=<file name>, text=<decoded text>)`` for a readable article, or
- ``BadInput(name, reason)`` saying why the file was skipped: unreadable,
  empty, too large, binary, not decodable text, no letters, or JSON (Lines)
  data rather than prose.

Other formats (see ``iter_articles``): JSON Lines and CSV/TSV records
(configurable field names; one Article per record, ``doc`` = the id field
or ``file:line``), HTML pages (main text by trafilatura) and WARC crawl
files (warcio; HTML and plain-text responses).  Given metadata -- a date,
outlet, title or URL field, or an HTML page's own meta tags -- is set on
the Article before cleaning, so it wins over what the cleaner reads from
the text.  A malformed line, row or record is a ``BadInput`` named by its
location (``file:line``, ``file@offset`` in a WARC) and the rest is read.

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

import io
import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator, Union

from .model import Article

__all__ = ["BadInput", "iter_articles", "read_article", "DEFAULT_MAX_BYTES", "FORMATS",
           "iter_jsonl", "iter_csv", "iter_warc", "read_html", "html_article", "format_of",
           "article_from_bytes"]

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


def _walk_dir(root: Path, exts: tuple[str, ...] = (".txt",)) -> Iterator[Path]:
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return
    for e in entries:
        try:
            if e.is_dir():
                yield from _walk_dir(Path(e.path), exts)
            elif e.name.lower().endswith(exts):
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
    problem = _not_prose(text)
    if problem:
        # a guess that decodes noise into characters of that encoding
        return None, (f"not valid UTF-8 ({first_error}; {best.encoding} gives no prose: "
                      f"{problem})")
    return text, None


# characters legacy-encoded prose does not decode to: controls other than
# layout, private use, unassigned, surrogates, and combining marks (the
# single-byte encodings charset-normalizer guesses precompose accents)
_ODD_CATEGORIES = {"Cc", "Co", "Cn", "Cs", "Mn"}


def _script(ch: str) -> str:
    import unicodedata
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else "?"


def _not_prose(text: str) -> str | None:
    """Why ``text`` (decoded from a guessed legacy encoding) is not prose,
    or None.  Random bytes decode to letters too, so a guess must also read
    like words of one script: enough letters and word breaks, plausible word
    lengths, words cased as words are (``Word``, ``word``, ``WORD``, not
    ``wOrD``), letters mostly from one script (plus Latin), a varied
    alphabet, and almost no control, private-use, unassigned or combining
    characters."""
    import unicodedata
    body = [ch for ch in text if not ch.isspace()]
    if not body:
        return "no letters"
    letters = [ch for ch in body if ch.isalpha()]
    if len(letters) < 0.6 * len(body):
        return f"letters are {len(letters) / len(body):.0%} of the characters"
    odd = sum(unicodedata.category(ch) in _ODD_CATEGORIES and ch not in "\t\n\r\f"
              for ch in text)
    if odd > 0.01 * len(text):
        return f"{odd} control, unassigned or combining character(s)"
    words = text.split()
    lengths = [len(w) for w in words]
    if len(text) > 100:
        if len(text) - len(body) < 0.08 * len(text):
            return "no word breaks"
        mean = sum(lengths) / len(lengths)
        if not 2 <= mean <= 14 or sum(n > 25 for n in lengths) > 0.05 * len(lengths):
            return f"implausible word lengths (mean {mean:.1f})"
    cased = [w.strip(".,;:!?\"'()«»-–—") for w in words]
    cased = [w for w in cased if len(w) >= 2 and w.isalpha() and w.lower() != w.upper()]
    if len(cased) >= 5:
        good = sum(w.islower() or w.isupper() or w.istitle() for w in cased)
        if good < 0.8 * len(cased):
            return f"{len(cased) - good} of {len(cased)} words mix upper and lower case"
    scripts = Counter(_script(ch) for ch in letters)
    main, n_main = scripts.most_common(1)[0]
    if n_main + (scripts["LATIN"] if main != "LATIN" else 0) < 0.9 * len(letters):
        return "letters from several scripts"
    if len(letters) >= 200 and len({ch.lower() for ch in letters}) < 12:
        return f"only {len({ch.lower() for ch in letters})} distinct letters"
    return None


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
    return article_from_bytes(data, path.name, shown, max_bytes)


def article_from_bytes(data: bytes, doc: str, shown: str | None = None,
                       max_bytes: int = DEFAULT_MAX_BYTES) -> Union[Article, BadInput]:
    """``read_article``'s checks on a file's bytes already read: an Article
    named ``doc``, or a ``BadInput`` named ``shown`` (default ``doc``)."""
    shown = shown or doc
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
    if len(text) > 200 and text.isascii() and sum(ch.isspace() for ch in text) < 0.02 * len(text):
        return BadInput(shown, "not text: no word breaks (encoded or random data?)")
    json_reason = _looks_like_json(text)
    if json_reason:
        return BadInput(shown, json_reason)
    return Article(doc=doc, text=text)


# ---------------------------------------------------------------- formats
FORMATS = ("txt", "jsonl", "csv", "html", "warc")
_EXTENSIONS = {
    "txt": (".txt",),
    "jsonl": (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz"),
    "csv": (".csv", ".tsv", ".csv.gz", ".tsv.gz"),
    "html": (".html", ".htm", ".xhtml"),
    "warc": (".warc", ".warc.gz", ".arc.gz"),
}
DEFAULT_FIELDS = {"text": "text", "id": "id", "date": "date", "source": "source",
                  "title": "title", "url": "url"}


def format_of(path: Union[str, Path]) -> str:
    """The input format a file name says (``txt`` for anything unknown)."""
    name = str(path).lower()
    for fmt, exts in _EXTENSIONS.items():
        if any(name.endswith(e) for e in exts):
            return fmt
    return "txt"


def _given_date(value) -> str | None:
    """A given date field as ISO ``YYYY-MM-DD`` (``YYYY-MM`` / ``YYYY`` kept),
    else None: ISO prefixes first, then dateutil for other spellings."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    import re
    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:$|[T ])", text)
    if m:
        return "-".join(g for g in m.groups() if g)
    try:
        from dateutil import parser as dparser
        return dparser.parse(text, fuzzy=False).date().isoformat()
    except (ValueError, OverflowError, TypeError):
        return None


def _record_article(rec: dict, fields: dict, where: str, name: str) -> Union[Article, BadInput]:
    """An Article from one JSON / CSV record (given metadata preset, so it
    wins over what the cleaner reads from the text)."""
    text = rec.get(fields["text"])
    if not isinstance(text, str) or not text.strip():
        return BadInput(where, f"no text in field {fields['text']!r}")
    if not any(ch.isalpha() for ch in text):
        return BadInput(where, "no words: only punctuation, digits or symbols")

    def opt(key: str) -> str | None:
        v = rec.get(fields[key])
        if v is None:
            return None
        v = str(v).strip()
        return v or None

    doc = opt("id") or where
    return Article(doc=doc, text=text, story_date=_given_date(rec.get(fields["date"])),
                   source=opt("source"), headline=opt("title"), url=opt("url"))


def _open_text(path: Path):
    if str(path).lower().endswith(".gz"):
        import gzip
        return gzip.open(path, "rt", encoding="utf-8", errors="strict", newline="")
    return open(path, encoding="utf-8-sig", errors="strict", newline="")


def _open_records(path: Union[str, Path], name: str | None, fields: dict | None):
    """The common start of the record readers: ``(path, shown name, fields
    with defaults, open text file)``, the file a ``BadInput`` when it cannot
    be opened."""
    path = Path(path)
    shown = name or str(path)
    fields = {**DEFAULT_FIELDS, **(fields or {})}
    try:
        fh = _open_text(path)
    except OSError as exc:
        fh = BadInput(shown, f"unreadable ({exc.strerror or exc})")
    return path, shown, fields, fh


def iter_jsonl(path: Union[str, Path], fields: dict | None = None,
               name: str | None = None) -> Iterator[Union[Article, BadInput]]:
    """One Article per JSON Lines record; a bad line is ``BadInput("file:line")``."""
    path, shown, fields, fh = _open_records(path, name, fields)
    if isinstance(fh, BadInput):
        yield fh
        return
    with fh:
        lineno = 0
        seen = False
        while True:
            try:
                line = fh.readline()
            except (UnicodeDecodeError, OSError, EOFError) as exc:
                yield BadInput(f"{shown}:{lineno + 1}", f"unreadable ({exc}); rest of file skipped")
                return
            if not line:
                if not seen:
                    yield BadInput(shown, "empty (no JSON Lines records)")
                return
            lineno += 1
            if not line.strip():
                continue
            seen = True
            where = f"{shown}:{lineno}"
            try:
                rec = json.loads(line)
            except ValueError as exc:
                yield BadInput(where, f"malformed JSON ({exc.msg} at column {exc.colno})")
                continue
            if not isinstance(rec, dict):
                yield BadInput(where, "malformed record (not a JSON object)")
                continue
            yield _record_article(rec, fields, where, shown)


def iter_csv(path: Union[str, Path], fields: dict | None = None,
             name: str | None = None) -> Iterator[Union[Article, BadInput]]:
    """One Article per CSV row (TSV for ``.tsv``), the first row naming the
    columns; a row with the wrong number of cells is ``BadInput("file:line")``."""
    import csv
    csv.field_size_limit(DEFAULT_MAX_BYTES)
    path, shown, fields, fh = _open_records(path, name, fields)
    if isinstance(fh, BadInput):
        yield fh
        return
    delim = "\t" if ".tsv" in path.name.lower() else ","
    with fh:
        reader = csv.reader(fh, delimiter=delim)
        header = None
        line = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                if header is None:
                    yield BadInput(shown, "empty (no CSV header or rows)")
                break
            except (csv.Error, UnicodeDecodeError) as exc:
                yield BadInput(f"{shown}:{reader.line_num or line}",
                               f"malformed CSV ({exc}); rest of file skipped")
                return
            where = f"{shown}:{line}"
            line = reader.line_num + 1
            if header is None:
                header = [h.strip() for h in row]
                if fields["text"] not in header:
                    yield BadInput(where, f"no column {fields['text']!r} in the header "
                                          f"({', '.join(header[:10])})")
                    return
                continue
            if not any(c.strip() for c in row):
                continue
            if len(row) != len(header):
                yield BadInput(where, f"malformed row ({len(row)} cells, header has "
                                      f"{len(header)})")
                continue
            yield _record_article(dict(zip(header, row)), fields, where, shown)


def html_article(html: str | bytes, doc: str, url: str | None = None
                 ) -> Union[Article, BadInput]:
    """Main text of an HTML page (trafilatura) as an Article; the page's own
    metadata (title, publication date, site name) is given metadata."""
    import trafilatura
    if isinstance(html, bytes):
        text_html, reason = _decode(html)
        if text_html is None:
            return BadInput(doc, reason or "not decodable")
        html = text_html
    try:
        text = trafilatura.extract(html, include_comments=False, include_tables=False,
                                   favor_recall=True, with_metadata=False)
        meta = trafilatura.extract_metadata(html)
    except Exception as exc:  # a parser failure is one bad page, not the run
        return BadInput(doc, f"HTML not parsed ({type(exc).__name__}: {exc})")
    if not text or not any(ch.isalpha() for ch in text):
        return BadInput(doc, "no article text found in the HTML")
    title = getattr(meta, "title", None) if meta else None
    if title and not text.lstrip().startswith(title.strip()):
        text = title.strip() + "\n\n" + text
    return Article(doc=doc, text=text,
                   story_date=_given_date(getattr(meta, "date", None) if meta else None),
                   source=(getattr(meta, "sitename", None) or None) if meta else None,
                   headline=title or None,
                   url=url or ((getattr(meta, "url", None) or None) if meta else None))


def read_html(path: Union[str, Path], max_bytes: int = DEFAULT_MAX_BYTES,
              name: str | None = None) -> Union[Article, BadInput]:
    path = Path(path)
    shown = name or str(path)
    try:
        if path.stat().st_size > max_bytes:
            return BadInput(shown, f"too large (> limit {max_bytes} bytes)")
        data = path.read_bytes()
    except FileNotFoundError:
        return BadInput(shown, "file not found")
    except OSError as exc:
        return BadInput(shown, f"unreadable ({exc.strerror or exc})")
    if not data.strip():
        return BadInput(shown, "empty file")
    if b"\x00" in data:
        return BadInput(shown, "binary file, not HTML")
    art = html_article(data, path.name)
    if isinstance(art, BadInput):
        return BadInput(shown, art.reason)
    return art


_WARC_MANDATORY = ("WARC-Type", "WARC-Record-ID", "WARC-Date", "Content-Length")


def _warc_missing(rec) -> str | None:
    """The first mandatory WARC header a record lacks (or whose
    Content-Length is not a number), else None."""
    for name in _WARC_MANDATORY:
        value = (rec.rec_headers.get_header(name) or "").strip()
        if not value or (name == "Content-Length" and not value.isdigit()):
            return name
    return None


def _warc_tail(fh, offset: int) -> int:
    """Bytes other than blank lines after ``offset`` (the end of the last
    whole record) in the raw file ``fh``; 0 when the file ends cleanly."""
    try:
        fh.seek(offset)
        rest = fh.read(1 << 16)
    except (OSError, ValueError):
        return 0
    return len(rest.strip(b"\r\n\t \x00"))


def iter_warc(path: Union[str, Path, bytes, BinaryIO], max_bytes: int = DEFAULT_MAX_BYTES,
              name: str | None = None) -> Iterator[Union[Article, BadInput]]:
    """One Article per HTML (or plain-text) response record of a WARC file
    (warcio); ``doc`` is ``file#record number``, ``url`` the target URI.  A
    damaged record is ``BadInput("file@offset")`` and ends the file (a WARC
    cannot be resynchronised safely); the records before it are kept.

    ``path``: a file path, or the file's bytes or a seekable binary file
    object (``dotterel spark`` reads WARC files that way), then with ``name``
    (the file's path or URI: ``file`` in ``file@offset``; its last component
    is ``file`` in ``file#n``)."""
    if isinstance(path, (bytes, bytearray, memoryview)) or hasattr(path, "read"):
        if not name:
            raise ValueError("iter_warc: reading bytes or a file object needs a name")
        fh = io.BytesIO(bytes(path)) if not hasattr(path, "read") else path
        yield from _warc_items(fh, name, name.rstrip("/").rsplit("/", 1)[-1], max_bytes)
        return
    path = Path(path)
    shown = name or str(path)
    try:
        fh = open(path, "rb")
    except OSError as exc:
        yield BadInput(shown, f"unreadable ({exc.strerror or exc})")
        return
    with fh:
        yield from _warc_items(fh, shown, path.name, max_bytes)


def _warc_items(fh: BinaryIO, shown: str, base: str,
                max_bytes: int) -> Iterator[Union[Article, BadInput]]:
    """``iter_warc`` on an open binary file: BadInputs named ``shown@offset``,
    Articles ``base#n``."""
    from warcio.archiveiterator import ArchiveIterator
    n = 0
    it = ArchiveIterator(fh)
    offset = end = 0
    while True:
        try:
            rec = next(it)
        except StopIteration:
            # warcio ends quietly when the file stops inside a record's
            # headers (its EOFError means "no more records"): bytes left
            # after the last whole record are a cut-off record
            tail = _warc_tail(fh, it.offset)
            if tail:
                yield BadInput(f"{shown}@{it.offset}", "truncated WARC record (the file "
                                                      f"ends inside its headers: {tail} "
                                                      "bytes after the last whole record)")
            return
        except Exception as exc:
            yield BadInput(f"{shown}@{end}", f"malformed WARC record "
                                                f"({type(exc).__name__}: {exc}); "
                                                "rest of file skipped")
            return
        missing = _warc_missing(rec)
        if missing:
            # a record cut inside its header block parses as a record
            # without its mandatory fields (WARC 1.1, section 5)
            at = it.get_record_offset()
            yield BadInput(f"{shown}@{at}", f"malformed WARC record (header {missing} "
                                            "missing or empty: truncated or damaged "
                                            "headers); rest of file skipped")
            return
        if rec.rec_type not in ("response", "resource"):
            continue
        n += 1
        uri = rec.rec_headers.get_header("WARC-Target-URI")
        doc = f"{base}#{n}"
        ctype = (rec.http_headers.get_header("Content-Type") if rec.http_headers
                 else rec.rec_headers.get_header("Content-Type")) or ""
        try:
            body = rec.content_stream().read(max_bytes + 1)
            # the offset once the record is read (asking earlier empties it);
            # a damaged record after this one is reported at its end
            offset = it.get_record_offset()
            end = offset + (it.get_record_length() or 0)
        except Exception as exc:
            yield BadInput(f"{shown}@{offset}", f"malformed WARC record "
                                                f"({type(exc).__name__}: {exc}); "
                                                "rest of file skipped")
            return
        if len(body) > max_bytes:
            yield BadInput(f"{shown}@{offset}", f"record too large (> {max_bytes} bytes)")
            continue
        if getattr(rec.raw_stream, "limit", 0):
            # the file ended before the record's Content-Length: a cut-off
            # record must not pass as a short article
            yield BadInput(f"{shown}@{offset}", "truncated WARC record "
                                                f"({rec.raw_stream.limit} bytes missing)")
            continue
        ctype = ctype.lower()
        if "html" in ctype:
            art = html_article(body, doc, url=uri)
        elif ctype.startswith("text/plain"):
            text, reason = _decode(body)
            art = (Article(doc=doc, text=text, url=uri) if text and text.strip()
                   else BadInput(doc, reason or "empty record"))
        else:
            continue        # images, scripts, robots.txt ... are not articles
        if isinstance(art, BadInput):
            yield BadInput(f"{shown}@{offset}", art.reason)
        else:
            yield art


def iter_articles(paths: Iterable[Union[str, Path]],
                  max_bytes: int | None = None, fields: dict | None = None,
                  fmt: str | None = None) -> Iterator[Union[Article, BadInput]]:
    """Yield ``Article`` or ``BadInput`` items under ``paths``, streaming.

    A file named explicitly is read by its extension (``.jsonl``/``.ndjson``,
    ``.csv``/``.tsv``, ``.html``/``.htm``, ``.warc``/``.warc.gz``, anything
    else as plain text) unless ``fmt`` forces one of ``FORMATS``.  A
    directory yields its ``*.txt`` files, or with ``fmt`` the files of that
    format.  ``fields`` renames the record fields of JSON Lines / CSV
    (``text``, ``id``, ``date``, ``source``, ``title``, ``url``).
    """
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"unknown input format {fmt!r} (one of {', '.join(FORMATS)})")
    if max_bytes is None:   # the process-wide limit (``--max-bytes``; limits.py)
        from .limits import current
        max_bytes = current().max_bytes
    if isinstance(paths, (str, Path)):
        paths = [paths]
    for p in paths:
        p = Path(p)
        if p.is_dir():
            exts = _EXTENSIONS[fmt or "txt"]
            files = _walk_dir(p, exts)
        else:
            files = iter([p])
        for f in files:
            kind = fmt or (format_of(f) if not p.is_dir() else "txt")
            if kind == "jsonl":
                yield from iter_jsonl(f, fields)
            elif kind == "csv":
                yield from iter_csv(f, fields)
            elif kind == "html":
                yield read_html(f, max_bytes=max_bytes)
            elif kind == "warc":
                yield from iter_warc(f, max_bytes=max_bytes)
            else:
                yield read_article(f, max_bytes=max_bytes)
