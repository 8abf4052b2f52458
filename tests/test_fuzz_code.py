"""A bounded fuzz target for ``dotterel.code_text`` (hypothesis), run in CI.

Text comes from a grammar of news-like fragments built from the package's
own data (people and countries from the actor KB, trigger verbs and nouns
from ``data/lexicon.yaml``) mixed with crawl residue (HTML entity residue,
glued words, datelines, clock times), quotes, unicode, control characters,
very long tokens, and raw random text.  For every input:

- ``code_text`` returns (no exception, no hang);
- every event's ``evidence`` is exactly ``text[evidence_start:evidence_end]``
  of the raw input, with ``0 <= start < end <= len(text)``;
- event ids are unique and shaped ``ev_<16 hex>``;
- every ``event_type`` is a PLOVER type and every ``mode`` one of that
  type's modes (``data/plover.yaml``); contexts are PLOVER contexts;
  salience is main or background;
- dates are ISO prefixes (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) of real
  days.

The budget: ``DOTTEREL_FUZZ_EXAMPLES`` examples per target (default 150,
about 15-30 s on a 2-core machine together); set it higher for a longer
local fuzz run (``DOTTEREL_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz_code.py``).
``scripts/fuzz_code_text.py`` runs the same checks under atheris when it is
installed.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import string
from functools import lru_cache
from importlib import resources

import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

import dotterel

EXAMPLES = int(os.environ.get("DOTTEREL_FUZZ_EXAMPLES", "150"))
_SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=False,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
EVENT_ID = re.compile(r"^ev_[0-9a-f]{16}$")


@lru_cache(maxsize=1)
def _data() -> dict:
    base = resources.files("dotterel") / "data"

    def load(name):
        return yaml.safe_load((base / name).read_text(encoding="utf-8"))

    people = load("kb/people.yaml")
    countries = load("kb/countries.yaml")
    lex = load("lexicon.yaml")
    plover = load("plover.yaml")
    return {
        "people": sorted({p["name"] for p in people} | {a for p in people
                                                          for a in (p.get("aliases") or [])}),
        "countries": sorted({c["name"] for c in countries}),
        "demonyms": sorted({d for c in countries for d in (c.get("demonyms") or [])}),
        "capitals": sorted({c["capital"] for c in countries if c.get("capital")}),
        "verbs": sorted(str(v) for v in lex["verbs"]),
        "nouns": sorted(str(n) for n in lex["nouns"]),
        "types": {t: set(v.get("modes") or []) for t, v in plover["types"].items()},
        "contexts": set(plover["contexts"]),
    }


def check_events(text: str, events) -> None:
    """The invariants every coded input must keep (shared with the atheris script)."""
    d = _data()
    ids = [e.id for e in events]
    assert len(ids) == len(set(ids)), f"duplicate event ids: {ids}"
    for e in events:
        assert EVENT_ID.match(e.id), e.id
        assert 0 <= e.evidence_start < e.evidence_end <= len(text), \
            (e.evidence_start, e.evidence_end, len(text))
        assert e.evidence == text[e.evidence_start:e.evidence_end], \
            (e.evidence, text[e.evidence_start:e.evidence_end])
        assert e.event_type in d["types"], e.event_type
        assert e.mode is None or e.mode in d["types"][e.event_type], (e.event_type, e.mode)
        assert set(e.contexts) <= d["contexts"], e.contexts
        assert e.salience in ("main", "background"), e.salience
        if e.date is not None:
            assert ISO.match(e.date), e.date
            parts = [int(p) for p in e.date.split("-")]
            dt.date(parts[0], parts[1] if len(parts) > 1 else 1,
                    parts[2] if len(parts) > 2 else 1)   # raises on a non-day
        for ent in [*e.actor, *e.recipient]:
            assert ent.name or ent.country or ent.sector, ent
        rec = e.to_dict()
        assert rec["evidence"] == e.evidence and rec["id"] == e.id


# ------------------------------------------------------------------ grammar
def _inflect(verb: str) -> list[str]:
    if verb.endswith("e"):
        return [verb, verb + "s", verb + "d", verb[:-1] + "ing"]
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        return [verb, verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"]
    return [verb, verb + "s", verb + "ed", verb + "ing"]


def _names():
    d = _data()
    return st.one_of(st.sampled_from(d["people"]), st.sampled_from(d["countries"]),
                     st.sampled_from(d["capitals"]),
                     st.tuples(st.sampled_from(["President", "Prime Minister", "Foreign Minister",
                                                "Defence Minister", "Ambassador", "the"]),
                               st.sampled_from(d["people"])).map(" ".join),
                     st.tuples(st.sampled_from(d["demonyms"]),
                               st.sampled_from(["President", "Foreign Minister", "troops",
                                                "police", "protesters", "officials",
                                                "government"])).map(" ".join))


_RESIDUE = st.sampled_from([
    "quot;", "rsquo;", "ldquo;", "rdquo;", "&amp;", "#39;", "&#8217;", "nbsp;", "mdash;",
    "\u00e2\u20ac\u2122", "\u00c3\u00a9", "16:04", "10:12 GMT", " date 2024-03-06 ",
    "(MENAFN- AzerNews) ", "BAKU, March 5 (Xinhua) -- ", ", Trend reports.", "Source: Reuters",
])
_PUNCT = st.sampled_from([".", ",", ";", ":", "!", "?", "...", " -- ", "—", "(", ")", '"', "'",
                          "“", "”", "‘", "’", "«", "»", "/", "&", "%", "$"])
_ODD = st.one_of(
    st.sampled_from(["\x00", "\x01", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\u0085",
                     "\u2028", "\u2029", "\u200b", "\u200d", "\ufeff", "\u202e", "\ufffd",
                     "\U0001F600", "\u0301", "ﬁ", "İ", "ß", "Ω", "你好", "Привет", "مرحبا",
                     "\t", "\r", "\r\n", "\n\n\n", "  "]),
    st.integers(40, 3000).map(lambda n: "x" * n),                 # very long token
    st.integers(5, 200).map(lambda n: "Ab" * n),
    st.integers(2, 400).map(lambda n: "." * n),
    st.integers(1, 50).map(lambda n: "A" * n + "and" + "B" * n),  # glued
)


def _word_pieces():
    d = _data()
    verb = st.sampled_from(d["verbs"]).flatmap(lambda v: st.sampled_from(_inflect(v)))
    noun = st.sampled_from(d["nouns"])
    date = st.sampled_from(["on Monday", "last week", "yesterday", "on March 5", "in 2023",
                            "on 12 February 2019", "two days ago", "next month", "today",
                            "on Feb. 29", "on 31 April", "in May", "earlier this year"])
    glued = st.tuples(st.sampled_from(["the", "and", "of", "in"]),
                      st.sampled_from(d["people"] + d["countries"])).map(
        lambda t: t[0] + t[1].replace(" ", "") if t[0] == "the" else t[1].replace(" ", "") + t[0])
    clause = st.tuples(_names(), verb, st.one_of(_names(), noun), st.sampled_from(
        ["", " in Baku", " with " , " over the border", " on trade"]), date).map(
        lambda t: f"{t[0]} {t[1]} {t[2]}{t[3]} {t[4]}.")
    light = st.tuples(_names(), st.sampled_from(["held", "expressed", "made", "signed",
                                                  "voiced", "conveyed"]),
                      noun, _names()).map(lambda t: f"{t[0]} {t[1]} {t[2]} with {t[3]}.")
    quote = st.tuples(_names(), clause).map(lambda t: f'“{t[1]}” {t[0]} said.')
    return st.one_of(clause, light, quote, _names(), verb, noun, date, glued, _RESIDUE,
                     _PUNCT, _ODD, st.text(max_size=20))


def _news_text():
    return st.lists(_word_pieces(), min_size=1, max_size=25).flatmap(
        lambda pieces: st.lists(st.sampled_from([" ", "", "\n", " \n\n"]),
                                min_size=len(pieces), max_size=len(pieces)).map(
            lambda seps: "".join(p + s for p, s in zip(pieces, seps))))


_STORY = st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)).map(
    dt.date.isoformat))


# ------------------------------------------------------------------- targets
@_SETTINGS
@given(text=_news_text(), story_date=_STORY)
def test_fuzz_code_text_news_grammar(text, story_date):
    check_events(text, dotterel.code_text(text, story_date=story_date))


@_SETTINGS
@given(text=st.one_of(st.text(max_size=400),
                      st.text(st.characters(codec="utf-8"), max_size=400),
                      st.text(string.printable, max_size=600),
                      st.binary(max_size=400).map(lambda b: b.decode("latin-1"))),
       story_date=_STORY)
def test_fuzz_code_text_raw_text(text, story_date):
    check_events(text, dotterel.code_text(text, story_date=story_date))


def test_grammar_reaches_the_coder():
    """The grammar is worth its time only if it makes the coder code: a fixed
    sample of its sentences yields events of several types."""
    d = _data()
    people = [p for p in d["people"] if " " in p][:40]
    types = set()
    for i, verb in enumerate(["met", "visited", "praised", "accused", "condemned", "signed",
                              "called", "threatened", "received", "hosted"]):
        text = f"{people[i]} {verb} {people[-1 - i]} in Baku on Monday."
        evs = dotterel.code_text(text, story_date="2024-03-06")
        check_events(text, evs)
        types |= {e.event_type for e in evs}
    assert len(types) >= 3, types
