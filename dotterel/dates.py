"""The date stage of "resolve": date expressions in news text -> ISO strings.

``resolve(expr, story_date)`` turns one expression ("on Monday", "22 January",
"August 8 last year", "earlier this month") into ``YYYY-MM-DD``, or the
partial ``YYYY-MM`` / ``YYYY`` when the expression only supports that much,
or None (EVENTS.md rule 5).  ``find_dates(sentence_span)`` finds the
expressions in a spaCy sentence; ``year_hint(text)`` picks the year an
undated article is about.

Month and weekday names and the relative words are English language
constants, not lexicon, so they live here.  python-dateutil supplies the
calendar arithmetic; dateparser is deliberately not used (it reads "we" as
Wednesday).

Conventions:
- ``future=False`` (a past or present event): ambiguous expressions
  (weekday, day-month, month) resolve to the latest occurrence on or before
  the story date, and nothing after the story date is ever returned
  (a later explicit date cannot date a past event, so it gives None).
- ``future=True``: ambiguous expressions resolve to the next occurrence on
  or after the story date; explicit dates are returned as written.
- A day range ("November 14-19") is one act spanning several days: it gives
  the month, the most specific date the text supports (as the gold does).
- A span of days that is not one day ("last week", "earlier this week")
  gives the month when it lies within one month, else the year when within
  one year, else None.
"""
from __future__ import annotations

import datetime as _dt
import re
from collections import Counter

from dateutil.relativedelta import relativedelta

__all__ = ["resolve", "find_dates", "year_hint"]

# ---------------------------------------------------------------- constants
MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11,
    "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
# month words that are also common English words: only a month when
# capitalised or next to a day number / year
_AMBIGUOUS_MONTHS = {"may", "march", "jan", "mar", "jun", "jul", "aug", "sep",
                     "sept", "oct", "nov", "dec", "feb", "apr"}
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6,
    "tues": 1, "thurs": 3,
}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100,
}
# single days relative to the story date
DAY_OFFSETS = [
    (r"the\s+day\s+before\s+yesterday", -2),
    (r"the\s+day\s+after\s+tomorrow", 2),
    (r"yesterday|last\s+night|last\s+evening", -1),
    (r"tomorrow", 1),
    (r"today|tonight|this\s+(?:morning|afternoon|evening)|earlier\s+today|"
     r"later\s+today|overnight|earlier\s+in\s+the\s+day|on\s+the\s+same\s+day", 0),
]
_SEASON_WORDS = r"spring|summer|autumn|fall|winter"

_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_ALT = "|".join(sorted(WEEKDAYS, key=len, reverse=True))

_RE_ISO = re.compile(r"(?<![\d.])(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?![\d])")
_RE_NUMERIC = re.compile(r"(?<![\d.:/])(\d{1,2})([./])(\d{1,2})(?:\2(\d{4}|\d{2}))?(?![\d:]|[./]\d)")
_RE_YEAR = re.compile(r"(?<![\d$€£¥.,:/-])(?<![A-Za-z])(1[89]\d\d|20\d\d)(?![\d%A-Za-z]|[.,]\d|\s*(?:%|per\s*cent|percent))")
_RE_MONTH = re.compile(rf"\b({_MONTH_ALT})\b\.?", re.I)
_RE_WEEKDAY = re.compile(rf"\b({_WEEKDAY_ALT})\b\.?", re.I)
_RE_DAY_BEFORE = re.compile(
    r"(?<![\d.:])(\d{1,2})(?:st|nd|rd|th)?(?:\s*[-–—]\s*\d{1,2}(?:st|nd|rd|th)?)?"
    r"(?:\s+of)?\s*$", re.I)
_RE_DAY_AFTER = re.compile(
    r"^\s*(\d{1,2})(?:st|nd|rd|th)?(?![\d:])(\s*[-–—]\s*\d{1,2}(?:st|nd|rd|th)?(?![\d:]))?", re.I)
_RE_RANGE_BEFORE = re.compile(r"\d\s*[-–—]\s*\d{1,2}(?:st|nd|rd|th)?(?:\s+of)?\s*$")
_RE_CLOCK = re.compile(r"^\s*\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?\s*$|^\s*\d{1,2}\s*[ap]\.?m\.?\s*$", re.I)
_RE_FUTURE_WORDS = re.compile(r"\b(?:next|coming|upcoming|tomorrow|later\s+this)\b", re.I)
_NUM = r"(\d+|" + "|".join(NUMBER_WORDS) + r")"
_RE_AGO = re.compile(rf"\b{_NUM}\s+(day|week|month|year|decade)s?\s+ago\b", re.I)
_RE_AGO_FEW = re.compile(r"\b(?:a\s+few|several|some|many)\s+(?:day|week|month|year|decade)s?\s+ago\b", re.I)


def _parse_story(story_date) -> _dt.date | None:
    if story_date is None:
        return None
    if isinstance(story_date, _dt.datetime):
        return story_date.date()
    if isinstance(story_date, _dt.date):
        return story_date
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", str(story_date))
    if not m:
        return None
    try:
        return _dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _num(tok: str) -> int | None:
    tok = tok.lower()
    if tok.isdigit():
        return int(tok)
    return NUMBER_WORDS.get(tok)


def _valid(y: int, m: int, d: int) -> _dt.date | None:
    try:
        return _dt.date(y, m, d)
    except ValueError:
        return None


def _span_iso(first: _dt.date, last: _dt.date) -> str | None:
    """The most specific ISO string covering the days first..last."""
    if first == last:
        return first.isoformat()
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.year:04d}-{first.month:02d}"
    if first.year == last.year:
        return f"{first.year:04d}"
    return None


def _after(iso: str, story: _dt.date) -> bool:
    """True when the ISO (possibly partial) date starts after the story date."""
    parts = [int(p) for p in iso.split("-")]
    key = tuple(parts)
    ref = (story.year, story.month, story.day)[: len(parts)]
    return key > ref


def _month_of(text: str, m: re.Match) -> int | None:
    """Month number for a month-name match, rejecting 'may'/'march' as words."""
    word = m.group(1)
    low = word.lower()
    if low in _AMBIGUOUS_MONTHS:
        before, after = text[: m.start()], text[m.end():]
        anchored = bool(_RE_DAY_BEFORE.search(before) or _RE_DAY_AFTER.match(after)
                        or re.match(r"^\s*,?\s*(1[89]\d\d|20\d\d)\b", after))
        if len(low) <= 4 and low != "may" and not anchored:
            return None  # abbreviations need a day or year next to them ("Jan 22")
        if not word[0].isupper() and not anchored and not re.search(
                r"\b(?:mid-|(?:early|late|in|since|of|last|next|this|until|by)\s+)$",
                before, re.I):
            return None  # "may" / "march" as a verb
        if low == "may" and not anchored and re.match(
                r"^\s+(?:be|have|not|also|well|need|want|face|seek|take|help|lead|come|"
                r"soon|still|never|already|even|only|just|yet|become|result|affect|"
                r"lose|win|increase|decrease|cause|prove|seem|want|wish|get|go)\b", after) and not re.search(r"\b(?:in|since|of|until|by)\s+$",
                                                               before, re.I):
            return None  # "May be", "may lead": the modal verb
    return MONTHS[low]


def _pick_year(month: int, day: int | None, story: _dt.date, future: bool) -> int | None:
    """Nearest plausible year for a day-month (or month) around the story date."""
    cands = []
    for y in (story.year - 1, story.year, story.year + 1):
        if day is None:
            start, end = _dt.date(y, month, 1), _dt.date(y, month, 1) + relativedelta(months=1, days=-1)
            if future and end >= story:
                cands.append((start, y))
            elif not future and start <= story:
                cands.append((start, y))
        else:
            d = _valid(y, month, day)
            if d is None:
                continue
            if (future and d >= story) or (not future and d <= story):
                cands.append((d, y))
    if not cands:
        # 29 February in a three-year window with no leap year
        return None
    cands.sort()
    return cands[0][1] if future else cands[-1][1]


def _weekday_date(wd: int, story: _dt.date, future: bool, strict: bool = False) -> _dt.date:
    if future:
        delta = (wd - story.weekday()) % 7
        if strict and delta == 0:
            delta = 7
        return story + _dt.timedelta(days=delta)
    delta = (story.weekday() - wd) % 7
    if strict and delta == 0:
        delta = 7
    return story - _dt.timedelta(days=delta)


def _relative_year(low: str, story: _dt.date | None) -> int | None | bool:
    """Year offset words: returns the year, None (unresolvable) or False (absent)."""
    if re.search(r"\blast\s+year\b|\bprevious\s+year\b|\ba\s+year\s+ago\b", low):
        return story.year - 1 if story else None
    if re.search(r"\bthis\s+year\b|\bthe\s+current\s+year\b", low):
        return story.year if story else None
    if re.search(r"\bnext\s+year\b|\bthe\s+coming\s+year\b", low):
        return story.year + 1 if story else None
    return False


def _core(expr: str, story: _dt.date | None, hint: int | None, future: bool) -> str | None:
    text = " ".join(expr.replace("\u00a0", " ").split())
    text = text.strip(" ,;:()[]\"'“”‘’")
    if not text or len(text) > 200:
        return None
    low = text.lower()
    if _RE_CLOCK.match(text):
        return None
    if not future and _RE_FUTURE_WORDS.search(low):
        return None  # "next week", "tomorrow" cannot date a past event

    # 1. ISO dates
    m = _RE_ISO.search(text)
    if m:
        y, mo = int(m[1]), int(m[2])
        if m[3] and not 1 <= mo <= 12:
            return None  # "2023-13-01": a malformed date, not a year
        if 1 <= mo <= 12 and 1800 <= y <= 2100:
            if m[3]:
                d = _valid(y, mo, int(m[3]))
                return d.isoformat() if d else None
            else:
                return f"{y:04d}-{mo:02d}"

    # 2. numeric day-first dates: 22.01.2024, 22/01/2024, 29/10
    m = _RE_NUMERIC.search(text)
    if m and not _RE_MONTH.search(text):
        a, b = int(m[1]), int(m[3])
        yr = m[4]
        if b > 12 and a <= 12:
            a, b = b, a  # month-first (US style) when unambiguous
        if 1 <= b <= 12 and 1 <= a <= 31:
            if yr:
                y = int(yr)
                if len(yr) == 2:
                    y += 2000 if y < 70 else 1900
                d = _valid(y, b, a)
                if d:
                    return d.isoformat()
            elif m[2] == "/":
                # day/month without a year ("Thursday (29/10)")
                if story is not None:
                    y = _pick_year(b, a, story, future)
                    return _valid(y, b, a).isoformat() if y else None
                if hint is not None:
                    d = _valid(hint, b, a)
                    return d.isoformat() if d else None
                return None

    # 3. numbers of units ago
    m = _RE_AGO.search(low)
    if m:
        n, unit = _num(m[1]), m[2]
        if story is None or n is None:
            return None
        if unit == "day":
            return (story - _dt.timedelta(days=n)).isoformat()
        if unit == "week":
            end = story - _dt.timedelta(weeks=n)
            first = end - _dt.timedelta(days=end.weekday())
            return _span_iso(first, min(first + _dt.timedelta(days=6), story))
        if unit == "month":
            d = story - relativedelta(months=n)
            return f"{d.year:04d}-{d.month:02d}"
        years = n * (10 if unit == "decade" else 1)
        return f"{story.year - years:04d}" if story.year - years >= 1 else None
    if _RE_AGO_FEW.search(low):
        return None

    # 4. month names (with day and/or year)
    month = day = None
    is_range = False
    for mm in _RE_MONTH.finditer(text):
        mo = _month_of(text, mm)
        if mo is None:
            continue
        month = mo
        before, after = text[: mm.start()], text[mm.end():]
        da = _RE_DAY_AFTER.match(after)
        db = _RE_DAY_BEFORE.search(before)
        if db:
            day = int(db[1])
            is_range = bool(_RE_RANGE_BEFORE.search(before))
            if is_range:
                # "14-19 November": the regex's group is the first day
                day = int(re.search(r"(\d{1,2})(?:st|nd|rd|th)?\s*[-–—]", before[db.start():])[1])
        elif da and not re.match(r"^\s*\d{1,2}\s*[:.]\d", after) and not (
                re.match(r"^\s*\d{4}", after)):
            day = int(da[1])
            is_range = bool(da[2])
        if day is not None and not 1 <= day <= 31:
            day = None
        break

    years = [int(y) for y in _RE_YEAR.findall(text)]
    year = years[0] if years else None
    rel_year = _relative_year(low, story)

    if month is not None:
        if year is None and rel_year is not False:
            if rel_year is None:
                return None
            year = rel_year
        if year is not None:
            if day is not None and not is_range:
                d = _valid(year, month, day)
                return d.isoformat() if d else None
            return f"{year:04d}-{month:02d}"
        # no year in the expression
        if story is not None:
            y = _pick_year(month, None if is_range else day, story, future)
            if y is None:
                return None
            if day is not None and not is_range:
                return _valid(y, month, day).isoformat()
            return f"{y:04d}-{month:02d}"
        if hint is not None:
            if day is not None and not is_range:
                d = _valid(hint, month, day)
                return d.isoformat() if d else None
            return f"{hint:04d}-{month:02d}"
        return None

    # 5. weekdays
    wm = None
    for cand in _RE_WEEKDAY.finditer(text):
        wm = cand
        break
    if wm is not None:
        if story is None:
            return None
        wd = WEEKDAYS[wm.group(1).lower()]
        if re.search(r"\blast\s+week\b|\bthe\s+previous\s+week\b|\ba\s+week\s+ago\b", low):
            monday = story - _dt.timedelta(days=story.weekday() + 7)
            return (monday + _dt.timedelta(days=wd)).isoformat()
        if re.search(r"\bnext\s+week\b", low):
            monday = story - _dt.timedelta(days=story.weekday()) + _dt.timedelta(days=7)
            return (monday + _dt.timedelta(days=wd)).isoformat()
        before = low[: wm.start()]
        if re.search(r"\b(?:last|previous|past)\s*$", before):
            return _weekday_date(wd, story, False, strict=True).isoformat()
        if re.search(r"\b(?:next|coming)\s*$", before):
            return _weekday_date(wd, story, True, strict=True).isoformat()
        return _weekday_date(wd, story, future).isoformat()

    # 6. single days relative to the story date
    for pat, off in DAY_OFFSETS:
        if re.search(rf"\b(?:{pat})\b", low):
            return (story + _dt.timedelta(days=off)).isoformat() if story else None

    # 7. weeks
    if re.search(r"\b(?:last|previous|past)\s+week\b|\ba\s+week\s+ago\b", low):
        if story is None:
            return None
        monday = story - _dt.timedelta(days=story.weekday() + 7)
        return _span_iso(monday, monday + _dt.timedelta(days=6))
    if re.search(r"\bthis\s+week\b", low):
        if story is None:
            return None
        monday = story - _dt.timedelta(days=story.weekday())
        if future:
            return _span_iso(story, monday + _dt.timedelta(days=6))
        return _span_iso(monday, story)
    if re.search(r"\b(?:next|coming)\s+week\b", low):
        if story is None:
            return None
        monday = story - _dt.timedelta(days=story.weekday()) + _dt.timedelta(days=7)
        return _span_iso(monday, monday + _dt.timedelta(days=6))
    if re.search(r"\b(?:last|this|past)\s+weekend\b|\bthe\s+weekend\b", low) and not future:
        if story is None:
            return None
        sunday = story - _dt.timedelta(days=(story.weekday() + 1) % 7)
        return _span_iso(sunday - _dt.timedelta(days=1), sunday)

    # 8. months
    if re.search(r"\b(?:last|previous|past)\s+month\b|\ba\s+month\s+ago\b", low):
        if story is None:
            return None
        d = story - relativedelta(months=1)
        return f"{d.year:04d}-{d.month:02d}"
    if re.search(r"\bthis\s+month\b|\bthe\s+current\s+month\b", low):
        return f"{story.year:04d}-{story.month:02d}" if story else None
    if re.search(r"\b(?:next|coming)\s+month\b", low):
        if story is None:
            return None
        d = story + relativedelta(months=1)
        return f"{d.year:04d}-{d.month:02d}"

    # 9. years
    if year is not None:
        return f"{year:04d}"
    if rel_year is not False:
        return f"{rel_year:04d}" if rel_year is not None else None
    return None


def resolve(expr: str, story_date: str | None, *, year_hint: int | None = None,
            future: bool = False) -> str | None:
    """Resolve one date expression to ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or None.

    ``story_date`` is the article's publication date (``YYYY-MM-DD``) or None;
    ``year_hint`` a year stated elsewhere in an undated article; ``future``
    True for an event the text places after the story date.
    """
    if not isinstance(expr, str):
        return None
    story = _parse_story(story_date)
    if year_hint is not None and not (1 <= int(year_hint) <= 9999):
        year_hint = None
    try:
        out = _core(expr, story, year_hint, future)
    except (ValueError, OverflowError, TypeError):
        return None
    if out is not None and story is not None and not future and _after(out, story):
        return None
    return out


# ------------------------------------------------------------ find_dates
_RE_FIND = re.compile(
    r"\b(?:"
    # day month (year) / day-range month
    rf"\d{{1,2}}(?:st|nd|rd|th)?(?:\s*[-–—]\s*\d{{1,2}}(?:st|nd|rd|th)?)?(?:\s+of)?\s+(?:{_MONTH_ALT})\b\.?(?:,?\s+(?:1[89]|20)\d\d\b)?"
    # month day (year)
    rf"|(?:{_MONTH_ALT})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?![\d:])(?:\s*[-–—]\s*\d{{1,2}}(?![\d:]))?(?:,?\s+(?:1[89]|20)\d\d\b)?"
    # month year
    rf"|(?:{_MONTH_ALT})\.?,?\s+(?:1[89]|20)\d\d\b"
    # (last|next|this) weekday (+ part of day)
    rf"|(?:(?:last|next|this|past)\s+)?(?:{_WEEKDAY_ALT})(?:\s+(?:morning|afternoon|evening|night))?\b"
    r"|the\s+day\s+before\s+yesterday|yesterday(?:\s+(?:morning|afternoon|evening))?|today|tonight|tomorrow"
    r"|last\s+(?:night|evening)|this\s+(?:morning|afternoon|evening)|overnight"
    r"|(?:earlier|later)\s+(?:this|last|next)\s+(?:week|month|year)"
    r"|(?:last|this|next|past|previous)\s+(?:week|month|year|weekend)"
    rf"|{_NUM}\s+(?:day|week|month|year|decade)s?\s+ago"
    rf"|(?:mid|early|late)[-\s](?:{_MONTH_ALT})"
    r"|(?:in|since|by|until|from|after|before)\s+(?:1[89]|20)\d\d(?![\d%]|[.,]\d)"
    r")\b", re.I)
_RE_WEEKDAY_CAP = re.compile(rf"\b(?:{'|'.join(w.capitalize() for w in WEEKDAYS)})\b")
# durations and other non-dates among spaCy's DATE entities
_RE_DURATION = re.compile(
    r"\b\w+[-‐]\s*(?:day|week|month|year|decade|hour|minute)s?\b(?!\s+ago)"
    r"|^(?:for\s+)?(?:the\s+)?(?:last|past|next|coming|previous|first)\s+(?:few|several|many|\d+|"
    + "|".join(NUMBER_WORDS) + r")\s+\w+s\b"
    r"|^(?:over\s+|for\s+|within\s+|in\s+)?(?:the\s+)?(?:\d+|" + "|".join(NUMBER_WORDS)
    + r"|few|several|many|some)\s+(?:day|week|month|year|decade|hour|minute|second|centur(?:y|ie))s?(?!\s+ago)\b",
    re.I)
_RE_ANCHOR = re.compile(
    rf"\b(?:{_MONTH_ALT}|{_WEEKDAY_ALT}|yesterday|today|tonight|tomorrow|overnight|ago|"
    r"(?:last|this|next|previous|past|coming)\s+(?:week|month|year|weekend|night|evening|morning|afternoon))\b"
    r"|(?<![\d$€£.,])(?:1[89]|20)\d\d(?![\d%]|[.,]\d)", re.I)


def _is_date_text(t: str) -> bool:
    s = t.strip()
    if not s or _RE_CLOCK.match(s):
        return False
    if not _RE_ANCHOR.search(s):
        return False
    if _RE_DURATION.search(s) and not re.search(r"\bago\b", s, re.I) and not re.search(
            rf"\b(?:{_MONTH_ALT})\b|\b(?:{_WEEKDAY_ALT})\b", s, re.I):
        return False
    # a lone lowercase "may"/"march" is a verb
    if re.fullmatch(r"(?:may|march)", s):
        return False
    return True


def find_dates(sent) -> list[tuple[str, int, int]]:
    """Date expressions in a spaCy sentence Span (or Doc).

    Returns ``(text, start_char, end_char)`` triples sorted by position, with
    offsets in the Doc's text (as ``Span.start_char``).  Uses the DATE (and
    day-part TIME) entities plus a regex pass for forms the small model
    misses; clock times and durations are left out.
    """
    base = getattr(sent, "start_char", 0)
    text = sent.text
    spans: list[tuple[int, int]] = []
    from .nlp import sent_ents
    for ent in sent_ents(sent):
        if ent.label_ not in ("DATE", "TIME"):
            continue
        s, e = ent.start_char - base, ent.end_char - base
        et = text[s:e]
        if ent.label_ == "TIME" and not re.search(
                rf"\b(?:night|evening|morning|afternoon|overnight|tonight|{_WEEKDAY_ALT})\b", et, re.I):
            continue
        if _is_date_text(et):
            spans.append((s, e))
    for m in _RE_FIND.finditer(text):
        t = m.group(0)
        wd = _RE_WEEKDAY.search(t)
        if wd and not _RE_WEEKDAY_CAP.search(t):
            continue  # lower-case weekday words are rare in prose; skip noise
        mm = _RE_MONTH.search(t)
        if mm and _month_of(t, mm) is None and not wd:
            continue
        if _is_date_text(t):
            spans.append((m.start(), m.end()))
    if not spans:
        return []
    spans.sort()
    merged = [list(spans[0])]
    for s, e in spans[1:]:
        if s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out = []
    for s, e in merged:
        t = text[s:e]
        # trim leading prepositions and articles kept by the entity
        lead = re.match(r"^(?:(?:on|in|at|since|from|by|during|of|the|until|till|after|before)\s+)+", t, re.I)
        if lead and _is_date_text(t[lead.end():]):
            s += lead.end()
            t = text[s:e]
        t2 = t.rstrip(" ,.;:")
        e = s + len(t2)
        out.append((t2, base + s, base + e))
    return out


# ------------------------------------------------------------ year_hint
_RE_HINT_YEAR = re.compile(
    r"(?<![\w$€£¥.,/:-])(199\d|20[0-3]\d)(?![\w%]|[.,]\d|-\d|\s*(?:%|per\s*cent|percent))")


def year_hint(text: str, story_date=None) -> int | None:
    """The year an article is about: the story date's year when there is one,
    else the most frequent year (1990-2035) stated in the text, latest on ties.

    Years glued to other characters ("COP29", "$2024", "2024.5", "2010s") do
    not count.
    """
    story = _parse_story(story_date)
    if story is not None:
        return story.year
    if not text:
        return None
    counts = Counter(int(y) for y in _RE_HINT_YEAR.findall(text) if 1990 <= int(y) <= 2035)
    if not counts:
        return None
    return max(counts, key=lambda y: (counts[y], y))
