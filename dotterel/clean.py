"""Clean: crawl noise out, story metadata in.

``clean_article(article)`` fills, in place, and returns the Article:

- ``clean``: the text the parser sees;
- ``offsets``: the offset contract (below);
- ``story_date``, ``source``, ``language``, ``headline``: read from the text
  unless already set on the Article (given metadata wins);
- ``id``: ``"art_"`` + the first 16 hex digits of the SHA-1 of the
  normalised raw text (lower-cased, whitespace collapsed, stripped);
- ``skip_ranges``: an extra attribute (Article is a plain dataclass, so it
  accepts one): a list of ``(start, end)`` ranges of ``clean`` holding a
  paragraph that repeats an earlier one (a restated lead, a copied
  paragraph).  The text stays in ``clean``; a coder should read each range
  once, i.e. skip events whose sentences lie inside a range.

Offset contract
---------------
``len(article.offsets) == len(article.clean)`` and ``offsets[i]`` is the
index in ``article.text`` of the raw character that clean character ``i``
came from.  The list is non-decreasing and every value is a valid index of
``article.text`` (for an empty text both are empty).  Where cleaning
*replaces* raw characters (an HTML entity residue such as ``rsquo;`` becomes
``’``; ftfy mends mojibake), every replacement character maps to the first
raw character of what it replaced.  Where cleaning *inserts* a character (a
space splitting a glued word, a newline ending a headline) it maps to the
raw index of the following character (the preceding one at the very end).
Removed text (the leading `` date YYYY-MM-DD`` token, ``\\r``) simply has no
clean characters.  Blanked text (a stray clock time such as ``16:04`` or a
date-only header line) is replaced by as many spaces, one to one.  So the
raw span of a clean span ``[s, e)`` is ``[offsets[s], offsets[e-1] + 1)``
(``Article.raw_span``), and it equals the clean span's text up to inserted
spaces and replaced entities - except that a span *ending* in a replaced
character gets only the first raw character of what was replaced (e.g. the
"r" of "rdquo;").  ``raw_span(article, s, e)`` here ends the raw span where
the next clean character starts (less trailing whitespace) and so covers
the whole replaced text; use it for evidence spans.

What is cleaned: CRLF line ends; the crawl's leading date token; HTML
entity residue with or without its ampersand; mojibake (ftfy); stray clock
times and date-only lines; words glued by a lost space ("phonecall",
"theagreement", "IlhamAliyev"; decided with wordfreq, cached per token);
a short headline line gets a paragraph break after it.  Lines stay lines:
each line is a paragraph.
"""
from __future__ import annotations

import datetime as _dt
import difflib
import hashlib
import html
import re
from functools import lru_cache
from importlib import resources
from typing import Optional

from .model import Article

__all__ = ["clean_article", "raw_span", "split_glued", "detect_language", "read_source",
           "read_story_date", "article_id"]

_ZIPF_KNOWN = 3.0        # a part of a split must be at least this common
_ZIPF_VERY_COMMON = 5.0  # parts of a split of a rare-but-attested token
_ZIPF_FUNCTION = 6.0     # "and", "of", "the", "in", "to": glued after a name
_ZIPF_RARE = 2.5         # an attested token below this may be a web glue


# ------------------------------------------------------------------ data
@lru_cache(maxsize=1)
def _data() -> dict:
    import yaml
    base = resources.files("dotterel") / "data"
    words = yaml.safe_load((base / "clean_words.yaml").read_text(encoding="utf-8"))
    outlets = yaml.safe_load((base / "outlets.yaml").read_text(encoding="utf-8"))["outlets"]
    alias: dict[str, str] = {}
    distributors = set()
    for o in outlets:
        name = str(o["name"])
        for a in [name] + [str(x) for x in (o.get("aliases") or [])]:
            alias.setdefault(a.lower(), name)
        if o.get("distributor"):
            distributors.add(name)
    month = {}
    for num, names in words["months"].items():
        for n in names:
            month[str(n).lower()] = int(num)
    spellings = sorted({s for s in alias}, key=len, reverse=True)
    keep = {w.lower() for w in words.get("camel_keep", [])}
    keep |= {s.replace(" ", "") for s in alias}
    return {
        "alias": alias,
        "distributors": distributors,
        "month": month,
        "keep": keep,
        "prefixes": tuple(words.get("name_prefixes", [])),
        "suffixes": {s.lower() for s in words.get("outlet_suffixes", [])},
        "outlet_re": re.compile(
            r"(?<![\w.])(" + "|".join(re.escape(s) for s in spellings) + r")(?![\w])",
            re.IGNORECASE),
    }


@lru_cache(maxsize=1)
def _wordfreq():
    from wordfreq import zipf_frequency
    return zipf_frequency


@lru_cache(maxsize=200_000)
def _zipf(word: str) -> float:
    return _wordfreq()(word, "en")


# ------------------------------------------------------------------ edits
def _apply(text: str, offs: list[int], edits: list[tuple[int, int, str, list[int]]]
           ) -> tuple[str, list[int]]:
    """Apply non-overlapping edits (start, end, new_text, new_offsets)."""
    if not edits:
        return text, offs
    edits.sort(key=lambda e: (e[0], e[1]))
    out: list[str] = []
    out_offs: list[int] = []
    pos = 0
    for s, e, new, new_offs in edits:
        if s < pos:      # overlapping edit: ignore the later one
            continue
        out.append(text[pos:s])
        out_offs.extend(offs[pos:s])
        out.append(new)
        out_offs.extend(new_offs)
        pos = e
    out.append(text[pos:])
    out_offs.extend(offs[pos:])
    return "".join(out), out_offs


def _anchor(offs: list[int], i: int, raw_len: int) -> int:
    """Raw index for a character inserted before clean position i."""
    if i < len(offs):
        return offs[i]
    if offs:
        return offs[-1]
    return 0 if raw_len else 0


def _replace(offs: list[int], s: int, e: int, new: str) -> tuple[int, int, str, list[int]]:
    a = offs[s] if s < len(offs) else (offs[-1] if offs else 0)
    return (s, e, new, [a] * len(new))


# ---------------------------------------------------------------- steps
_DATE_TOKEN = re.compile(r"\A\s*date\s+(\d{4})-(\d{2})-(\d{2})(?:[ \t]+|(?=\n)|\Z)")

# residue that cannot end an English word: matched even glued to a word
# ("agreedquot;"); the rest only after a non-letter ("camp;" stays)
_ENTITY_GLUED = "quot|ldquo|rdquo|lsquo|rsquo|sbquo|bdquo|nbsp|mdash|ndash|hellip|laquo|raquo"
_ENTITY_FREE = ("amp|apos|bull|middot|lt|gt|prime|Prime|trade|copy|reg|eacute|egrave|"
                "aacute|agrave|oacute|uacute|iacute|ccedil|ntilde|uuml|ouml|auml|szlig|"
                "euro|pound|deg|shy|zwnj|zwj|lrm|rlm")
_ENTITY = re.compile(r"&?(" + _ENTITY_GLUED + r");|&?#(\d{2,5});|&?#x([0-9a-fA-F]{2,4});"
                     r"|(?:&|(?<![A-Za-z0-9&]))(" + _ENTITY_FREE + r");")


def _entity_edits(text: str, offs: list[int]) -> list:
    edits = []
    for m in _ENTITY.finditer(text):
        name = m.group(1) or m.group(4)
        if name:
            ch = html.unescape("&" + name + ";")
            if ch == "&" + name + ";":
                continue
        else:
            try:
                cp = int(m.group(2)) if m.group(2) else int(m.group(3), 16)
                ch = chr(cp)
            except (ValueError, OverflowError):
                continue
        if ch in ("\u00a0", "\u200c", "\u200d", "\u200e", "\u200f", "\u00ad"):
            ch = " " if ch == "\u00a0" else ""
        edits.append(_replace(offs, m.start(), m.end(), ch))
    return edits


def _align(a: str, b: str) -> list[int]:
    """For each char of b, an index into a (non-decreasing)."""
    if len(a) == len(b):    # one-for-one fixes (curly quotes, widths)
        return list(range(len(a)))
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    res: list[int] = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            res.extend(range(i1, i2))
        elif tag in ("replace", "insert"):
            anchor = min(i1, max(len(a) - 1, 0))
            res.extend([anchor] * (j2 - j1))
    return res


# what ftfy (without HTML unescaping and line-break fixes) can change in
# ASCII text: terminal escapes and control characters; the rest of its fixes
# need non-ASCII characters
_ASCII_FTFY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _ftfy(text: str, offs: list[int]) -> tuple[str, list[int]]:
    if text.isascii() and not _ASCII_FTFY.search(text):
        return text, offs          # nothing for ftfy to do (and it is not cheap)
    import ftfy
    fixed = ftfy.fix_text(text, unescape_html=False, fix_line_breaks=False)
    if fixed == text:
        return text, offs
    out: list[str] = []
    out_offs: list[int] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        new = line if line.isascii() and not _ASCII_FTFY.search(line) else \
            ftfy.fix_text(line, unescape_html=False, fix_line_breaks=False)
        if new == line:
            out.append(line)
            out_offs.extend(offs[pos:pos + len(line)])
        else:
            out.append(new)
            out_offs.extend(offs[pos + i] for i in _align(line, new))
        pos += len(line)
    return "".join(out), out_offs


_CLOCK_LINE = re.compile(r"(?m)^[ \t]*\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?"
                         r"(?:\s*(?:GMT|UTC|WIB|IST|EST|CET|MSK))?[ \t]*$")


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    chars = list(text)
    for s, e in spans:
        for i in range(s, e):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


# ------------------------------------------------------------ glued words
_LETTERS = re.compile(r"(?<![\w./@:-])[^\W\d_]{4,40}(?![\w@]|\.[^\W\d_]|/)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _part_ok(part: str, min_part: float, first: bool) -> bool:
    """Is ``part`` a word that may stand on its own after a split?  Short
    parts must be very common (a lone "a" only first, "to", "of", "in"),
    long ones may be rarer ("delimitation", "trilateral")."""
    n = len(part)
    if n == 1:
        return first and part == "a"
    z = _zipf(part)
    if n == 2:
        return z >= 5.5
    if n == 3:
        return z >= max(min_part, 4.0)
    if n >= 7 and min_part <= _ZIPF_KNOWN:
        return z >= 2.0
    return z >= min_part


def _best_split(low: str, min_part: float) -> Optional[list[int]]:
    """Cut points splitting ``low`` into two (or three) words, best by the
    rarest part; three parts only when no two-part split exists."""
    n = len(low)
    best, best_score = None, -1.0
    for i in range(1, n):
        a, b = low[:i], low[i:]
        if _part_ok(a, min_part, True) and _part_ok(b, min_part, False):
            score = min(_zipf(a), _zipf(b))
            if score > best_score:
                best, best_score = [i], score
    if best is not None or n < 10:
        return best
    # three parts: only after a leading function word ("ofthecommission")
    for i in range(2, 4):
        if _zipf(low[:i]) < _ZIPF_FUNCTION:
            continue
        for j in range(i + 2, n - 2):
            parts = (low[:i], low[i:j], low[j:])
            if all(_part_ok(p, min_part, False) for p in parts[1:]):
                score = min(_zipf(p) for p in parts)
                if score > best_score:
                    best, best_score = [i, j], score
    return best


@lru_cache(maxsize=200_000)
def split_glued(token: str) -> tuple[int, ...]:
    """Cut points (indices into ``token``) where a lost space goes, or ().

    camelCase joins ("IlhamAliyev") split at the case change unless the
    token is a known word (YouTube), a listed name (AzerNews) or a name with
    a prefix (McDonald, DeSantis).  Lower-case or Capitalised tokens split
    only when the token is not a word and its parts are common words
    ("theagreement", "Armeniaand"), or when it is a rare web glue of two
    very common words ("phonecall").  Unknown names stay whole.
    """
    d = _data()
    low = token.lower()
    if low in d["keep"]:
        return ()
    zt = _zipf(low)
    cuts = [m.start() for m in _CAMEL.finditer(token)]
    if cuts:
        if zt >= _ZIPF_KNOWN or token[0].islower() and cuts[0] == 1:
            return ()
        cuts = [c for c in cuts if token[:c] not in d["prefixes"] and c >= 2
                and len(token) - c >= 2]
        out: list[int] = []
        start = 0
        for c in cuts + [len(token)]:
            part = token[start:c]
            sub = split_glued(part) if part != token and (part[:1].islower() or part[1:].islower()) else ()
            out.extend(start + s for s in sub)
            if c < len(token):
                out.append(c)
            start = c
        return tuple(out)
    if not (token.islower() or (token[0].isupper() and token[1:].islower())):
        return ()
    if zt == 0.0:
        capital = token[0].isupper()
        cut = _best_split(low, _ZIPF_KNOWN)
        if cut and capital:
            # a Capitalised token must split into a known word of three or
            # more letters and a function word ("Armeniaand"): names stay whole
            parts = [low[a:b] for a, b in zip([0] + cut, cut + [len(low)])]
            if len(parts) != 2 or len(parts[0]) < 3 or _zipf(parts[1]) < _ZIPF_FUNCTION:
                return ()
        return tuple(cut or ())
    if zt < _ZIPF_RARE and token.islower():
        cut = _best_split(low, _ZIPF_VERY_COMMON)
        if cut and len(cut) == 1:
            return tuple(cut)
    return ()


_MONTH_DIGITS = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|"
    r"November|December)(\d{1,2})\b")


def _glue_edits(text: str, offs: list[int]) -> list:
    edits = []
    for m in _LETTERS.finditer(text):
        tok = m.group(0)
        if not tok.isascii():
            continue
        cuts = split_glued(tok)
        if (not cuts and tok[0] == "s" and m.start() > 0 and text[m.start() - 1] in "'’"
                and _zipf(tok.lower()) == 0.0 and _part_ok(tok[1:].lower(), _ZIPF_KNOWN, True)):
            cuts = (1,)   # "Armenia'sarming" -> "Armenia's arming"
        for c in cuts:
            p = m.start() + c
            edits.append((p, p, " ", [offs[p]]))
    for m in _MONTH_DIGITS.finditer(text):
        p = m.start(2)
        edits.append((p, p, " ", [offs[p]]))
    return edits


# ------------------------------------------------------------- metadata
def article_id(text: str) -> str:
    norm = " ".join(text.lower().split())
    return "art_" + hashlib.sha1(norm.encode("utf-8")).hexdigest()[:16]


_MONTH_WORD = r"[^\W\d_]{3,10}\.?"
_DATE_PATTERNS = [
    # 2024-04-28 / 2024/04/28
    (re.compile(r"\b(\d{4})[-/](\d{1,2})[-/](\d{1,2})\b"), ("y", "m", "d")),
    # 28 April 2024 / 02nd March, 2021 / 31 Oktober 2020
    (re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\.?\s+(" + _MONTH_WORD + r"),?\s+(\d{4})\b"),
     ("d", "M", "y")),
    # April 28, 2024 / May 08, 2014
    (re.compile(r"\b(" + _MONTH_WORD + r")\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b"),
     ("M", "d", "y")),
]


def _parse_dates(line: str) -> list[str]:
    months = _data()["month"]
    found = []
    for rx, order in _DATE_PATTERNS:
        for m in rx.finditer(line):
            vals = dict(zip(order, m.groups()))
            try:
                mon = int(vals["m"]) if "m" in vals else months.get(vals["M"].lower().rstrip("."))
                if not mon:
                    continue
                d = _dt.date(int(vals["y"]), mon, int(vals["d"]))
            except (ValueError, KeyError):
                continue
            if 1900 <= d.year <= 2100:
                found.append((m.start(), d.isoformat()))
    return [iso for _, iso in sorted(found)]


_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*\s*$")
_UPDATE_LABEL = re.compile(r"(?i)\b(last\s+)?(update[sd]?|modified|edited|printed|retrieved|accessed)\b")
_MENAFN_ID = re.compile(r"\bMENAFN(\d{2})(\d{2})(\d{4})\d+ID\d+\b")


def _is_body(line: str) -> bool:
    n = len(line.split())
    return n >= 30 or (n >= 12 and bool(_SENTENCE_END.search(line)))


def read_story_date(lines: list[str]) -> Optional[str]:
    """Publication date from the header lines before the first body
    paragraph (the last dated one wins: page chrome such as today's date
    or "Last update" comes first, the article's own dateline last), else a
    dated sign-off line at the end, else a MENAFN story id."""
    cands: list[tuple[bool, str]] = []
    for i, line in enumerate(lines[:15]):
        s = line.strip()
        if not s:
            continue
        if _is_body(s):
            break
        if len(s.split()) > 25:
            continue
        for iso in _parse_dates(s)[:1]:
            cands.append((bool(_UPDATE_LABEL.search(s)), iso))
    if cands:
        plain = [iso for upd, iso in cands if not upd]
        return (plain or [iso for _, iso in cands])[-1]
    tail = [ln.strip() for ln in lines[-6:] if ln.strip()]
    for s in reversed(tail[-3:]):
        if len(s.split()) <= 8:
            ds = _parse_dates(s)
            if ds:
                return ds[-1]
    for s in reversed(tail):
        m = _MENAFN_ID.search(s)
        if m:
            try:
                return _dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
            except ValueError:
                pass
    return None


def _canonical(name: str) -> Optional[str]:
    """Canonical outlet name for a spelling; None when it is no outlet."""
    d = _data()
    name = name.strip(" \t-–—,.:;'\"“”")
    if not name:
        return None
    if name.lower() in d["alias"]:
        return d["alias"][name.lower()]
    m = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", name)
    if m:
        for part in (m.group(1), m.group(2)):
            if part.strip().lower() in d["alias"]:
                return d["alias"][part.strip().lower()]
        return _canonical(m.group(1)) if _outlet_like(m.group(1)) else None
    return None


def _outlet_like(name: str) -> bool:
    """An unknown name that still looks like an outlet: a domain (News.Az,
    example.com), an outlet word at its end (… News, … Times, … Agency)."""
    name = name.strip()
    if not name or len(name) > 60 or not name[0].isupper():
        return False
    if re.fullmatch(r"[\w-]+\.(?:az|com|am|ge|kz|uz|ru|net|org|info|news|co|in|pk|ir|tr)",
                    name, re.IGNORECASE):
        return True
    last = name.split()[-1].lower()
    return len(name.split()) <= 5 and last in _data()["suffixes"]


def _name_to_outlet(name: str) -> Optional[str]:
    canon = _canonical(name)
    if canon:
        return canon
    name = name.strip(" \t-–—,.:;'\"“”")
    return name if _outlet_like(name) else None


_NAME = r"[A-Z][\w&.'-]*(?:\s+(?:of\s+)?[A-Z][\w&.'-]*){0,4}"
_ATTR_BEFORE = re.compile(r"(?:^|(?<=[,;:.!?—–])\s*|(?<=\n))\s*(?P<o>" + _NAME + r")\s+reports\b"
                          r"(?!\s+(?:on|of|about|from)\b)", re.MULTILINE)
_ATTR_AFTER = re.compile(r"[,;]\s*reports\s+(?P<o>" + _NAME + r")\s*[.;\n]")
_DATELINE_PAREN = re.compile(r"(?m)^[^\n()]{0,60}?\((?P<o>[^()\n]{2,60})\)\s*(?P<dash>--|—|–|-|:)?")
_DATELINE_COMMA = re.compile(r"(?m)^[A-Z][\w .'-]{1,30},\s+(?P<o>[A-Z][\w.-]*)\s*(?:--|—|–|-)")
_MENAFN = re.compile(r"\(MENAFN-\s*(?P<o>[^()\n]+(?:\([^()\n]*\))?)\s*\)")
_SIGNOFF_SOURCE = re.compile(r"(?i)^(?:source|sources|via|credit)\s*:\s*(?P<o>[^(,;\n]+)")
_SIGNOFF_SLASH = re.compile(r"(?:^|\s)/{2,}\s*(?P<o>[^,/\n]+?)\s*(?:,|$)")


def read_source(text: str) -> Optional[str]:
    """The outlet the text names as its own, or None.

    In order: a self-attribution ("…, Azernews reports", "X reports via
    state media", "…, reports Trend."), a dateline agency ("KIEV, July 12
    (Xinhua) --", "Tehran, IRNA –"), a sign-off line ("Source: Reuters",
    "/// nCa, 17 March 2022", a last line "News.Az"), and last the outlet of
    a distributor prefix "(MENAFN- Outlet)" (the distributor itself only
    when nothing else is named).  A past-tense "X reported that …",
    "according to X" or "told X" cites another outlet and is not read.
    """
    d = _data()
    head = text[:3000]
    for rx in (_ATTR_BEFORE, _ATTR_AFTER):
        for m in rx.finditer(head):
            name = m.group("o")
            # "…, the Azernews reports": drop a leading article
            name = re.sub(r"^(?:The|the)\s+(?=\S)", "", name) if not _canonical(name) else name
            out = _name_to_outlet(name)
            if out is None:
                # a longer capitalised run ("Armenian Azernews") – try its tail
                words = name.split()
                for k in range(1, len(words)):
                    out = _canonical(" ".join(words[k:]))
                    if out:
                        break
            if out and out not in d["distributors"]:
                return out
    for m in _DATELINE_PAREN.finditer(text[:1500]):
        inner = m.group("o")
        if "MENAFN" in inner:
            continue
        inner = re.split(r"\s+[-–—]\s+", inner)[0]
        parts = [p.strip() for p in inner.split("/") if p.strip()]
        for p in reversed(parts):
            out = _canonical(p)
            if out is None and m.group("dash") and re.fullmatch(r"[A-Z]{2,6}", p):
                out = p
            if out and out not in d["distributors"]:
                return out
    for m in _DATELINE_COMMA.finditer(text[:1500]):
        out = _canonical(m.group("o"))
        if out is None and re.fullmatch(r"[A-Z]{2,6}|[A-Z][a-z]+[A-Z]\w+", m.group("o")):
            out = m.group("o")
        if out and out not in d["distributors"]:
            return out
    tail = [ln.strip() for ln in text[-2000:].splitlines() if ln.strip()]
    tail = [ln for ln in tail if not _MENAFN_ID.fullmatch(ln) and re.search(r"[^\W\d_]{2}", ln)]
    for s in reversed(tail[-3:]):
        for rx in (_SIGNOFF_SOURCE, _SIGNOFF_SLASH):
            m = rx.search(s) if rx is _SIGNOFF_SLASH else rx.match(s)
            if m:
                out = _name_to_outlet(m.group("o"))
                if out is None:
                    out = m.group("o").strip()
                    out = out if 0 < len(out.split()) <= 4 and out[:1].isalpha() else None
                if out and out not in d["distributors"]:
                    return out
        if len(s.split()) <= 4 and not _SENTENCE_END.search(s.rstrip(".") + "x"):
            out = _name_to_outlet(s)
            if out and out not in d["distributors"]:
                return out
    m = _MENAFN.search(text[:2000])
    if m:
        out = _canonical(m.group("o"))
        if out is None:
            out = re.sub(r"\s*\([^()]*\)\s*$", "", m.group("o")).strip() or None
        return out
    return None


@lru_cache(maxsize=1)
def _langid():
    """A py3langid identifier of our own, limited to ISO 639-1 labels (the
    model also knows ISO 639-3-only languages such as "gug")."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier
    ident = LanguageIdentifier.from_model_file(MODEL_FILE)
    ident.set_languages([c for c in ident.labels if len(c) == 2])
    return ident


def detect_language(text: str) -> Optional[str]:
    """ISO 639-1 code of the text's language (py3langid, offline), or None
    for a text with no letters."""
    sample = text[:3000]
    if not any(ch.isalpha() for ch in sample):
        return None
    if len(sample) < 600:
        # short texts: names dominate and fool the character model; English
        # function words decide instead
        low = re.findall(r"\b[a-z]+\b", sample)
        if len(low) >= 3 and sum(w in _EN_FUNCTION for w in low) / len(low) >= 0.25:
            return "en"
        ranked = [lang for lang, _ in _langid().rank(sample)[:3]]
        if len(low) >= 2:
            # the same without the capitalised words (names)
            ranked_lc = [lang for lang, _ in _langid().rank(" ".join(low))[:3]]
        else:
            ranked_lc = []
        if "en" in ranked or "en" in ranked_lc:
            return "en"     # too short to overrule English among the close candidates
        return ranked[0]
    lang, _score = _langid().classify(sample)
    return lang


_EN_FUNCTION = frozenset("""the of and to with has have had is are for by at said that from
this his her their its it been not but which who were would""".split())


def _headline(lines: list[str]) -> Optional[tuple[int, str]]:
    """(line index, text) of a short headline line near the top."""
    seen = 0
    for i, line in enumerate(lines):
        s = line.strip()
        if not s:
            continue
        seen += 1
        if seen > 3:
            return None
        n = len(s.split())
        if n < 4 or (n <= 12 and (_parse_dates(s) or re.search(r"\b\d{1,2}:\d{2}\b", s))):
            continue  # too short, or page chrome such as a dated line
        if n > 20 or s[-1] in ".!?:;,":
            return None
        rest = lines[i + 1:]
        nxt = next((ln for ln in rest if ln.strip()), "")
        blank_after = bool(rest) and not rest[0].strip()
        if blank_after or len(nxt.split()) > n:
            return i, s
        return None
    return None


_WORD = re.compile(r"\w+")
_CAPNUM = re.compile(r"\b(?:[A-Z][\w.]*|\d+)\b")


def _repeat_ranges(clean: str, after_clock: set[int]) -> list[tuple[int, int]]:
    """Ranges of paragraphs (lines) that repeat an earlier paragraph: equal
    or nearly equal when normalised, or - after a stray clock time, where a
    crawl appends an earlier version of the story - naming mostly the same
    names and numbers as an earlier paragraph."""
    paras = []
    pos = 0
    for line in clean.split("\n"):
        s = len(line) - len(line.lstrip())
        if line.strip():
            paras.append((pos + s, pos + len(line.rstrip()), line))
        pos += len(line) + 1
    seen: list[tuple[list, set, set]] = []
    out = []
    for start, end, line in paras[:400]:
        words = _WORD.findall(line.lower())
        if len(words) < 6:
            continue
        wset = set(words)
        names = set(_CAPNUM.findall(line))
        rep = False
        for prev, prev_set, prev_names in seen:
            if words == prev:
                rep = True
            elif (0.8 <= len(words) / len(prev) <= 1.25
                  and len(wset & prev_set) >= 0.85 * max(len(wset), len(prev_set))):
                # word-level similarity: cheap, and robust to small edits
                rep = difflib.SequenceMatcher(None, words, prev, autojunk=False).ratio() >= 0.9
            if not rep and start in after_clock and len(names) >= 4:
                rep = len(names & prev_names) >= 0.5 * len(names)
            if rep:
                break
        if rep:
            out.append((start, end))
        else:
            seen.append((words, wset, names))
    return out


def _date_only_lines(text: str) -> list[tuple[int, int]]:
    """Spans of header-chrome lines that hold a date and little else
    ("Tuesday, 02 January 2024 12:17 GMT", "Rabu, 22 Januari 2025 19:53")."""
    months = _data()["month"]
    spans = []
    pos = 0
    for line in text.split("\n"):
        s = line.strip()
        if s and len(s.split()) <= 8 and not _SENTENCE_END.search(s) and _parse_dates(s):
            other = [w for w in re.findall(r"[^\W\d_]+", s) if w.lower() not in months]
            if len(other) <= 2:
                spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def raw_span(article: Article, start: int, end: int) -> tuple[int, int]:
    """Raw ``[start, end)`` for a clean span, covering replaced text whole
    (kept for callers of this module; the mapping lives on Article)."""
    return article.raw_span(start, end)


# ------------------------------------------------------------------ main
def clean_article(article: Article) -> Article:
    """Clean ``article`` in place (see the module docstring) and return it."""
    raw = article.text or ""
    text = raw
    offs = list(range(len(raw)))

    # line ends: CRLF / CR -> LF
    edits = [(m.start(), m.end(), "\n", [offs[m.end() - 1]])
             for m in re.finditer(r"\r\n?", text)]
    text, offs = _apply(text, offs, edits)

    # the crawl's leading " date YYYY-MM-DD" token
    token_date = None
    m = _DATE_TOKEN.match(text)
    if m:
        try:
            token_date = _dt.date(*map(int, m.groups())).isoformat()
        except ValueError:
            token_date = None
        text, offs = _apply(text, offs, [(0, m.end(), "", [])])

    text, offs = _apply(text, offs, _entity_edits(text, offs))
    text, offs = _ftfy(text, offs)
    text, offs = _apply(text, offs, _glue_edits(text, offs))

    # metadata read before header lines are blanked
    lines = text.split("\n")
    story_date = token_date or read_story_date(lines)
    source = read_source(text)

    # stray clock times and date-only lines -> spaces (one to one)
    blank = [(m.start(), m.end()) for m in _CLOCK_LINE.finditer(text)]
    clock_ends = [e for _, e in blank]
    blank += _date_only_lines(text)
    text = _blank(text, blank)

    # headline: keep it, but end it with a paragraph break
    lines = text.split("\n")
    head = _headline(lines)
    headline = None
    if head is not None:
        idx, headline = head
        end = sum(len(ln) + 1 for ln in lines[:idx]) + len(lines[idx])
        if end < len(text) and idx + 1 < len(lines) and lines[idx + 1].strip():
            text, offs = _apply(text, offs, [(end, end, "\n", [offs[end]])])
            clock_ends = [e + 1 if e > end else e for e in clock_ends]

    # paragraphs after a stray clock time: a crawl appends an earlier
    # version of the story there
    after_clock: set[int] = set()
    if clock_ends:
        first_clock = min(clock_ends)
        pos = 0
        for line in text.split("\n"):
            if pos >= first_clock and line.strip():
                after_clock.add(pos + len(line) - len(line.lstrip()))
            pos += len(line) + 1

    article.clean = text
    article.offsets = offs
    article.skip_ranges = _repeat_ranges(text, after_clock)
    if article.story_date is None:
        article.story_date = story_date
    if article.source is None:
        article.source = source
    if article.language is None:
        article.language = detect_language(text)
    if article.headline is None:
        article.headline = headline
    article.id = article_id(raw)
    return article
