"""Relative dates as properties: whatever the publication date, the words resolve to a
span consistent with it, or are refused when the publication date is not precise
enough. (tests/test_dates.py holds the weekday and "last month" properties.)"""

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from scoq import dates

DAYS = st.dates(min_value=date(1901, 1, 1), max_value=date(2099, 12, 31))
MONTH_NAMES = [calendar.month_name[m] for m in range(1, 13)]


def resolve(words, published: date, tense="past"):
    span = dates.resolve(words, dates.parse(published.isoformat()), tense)
    assert dates.parse(span.edtf) == span  # every answer is a valid EDTF date, as it says
    return span


def first(span):
    return date.fromisoformat(span.start)


def last(span):
    return date.fromisoformat(span.end)


@given(DAYS)
def test_today_yesterday_tomorrow(published):
    assert resolve("today", published).edtf == published.isoformat()
    assert resolve("yesterday", published).edtf == (published - timedelta(days=1)).isoformat()
    assert resolve("tomorrow", published, "future").edtf == (published + timedelta(days=1)).isoformat()


@given(DAYS, st.sampled_from(["this", "last", "next"]))
def test_this_last_next_month_and_year(published, which):
    delta = {"this": 0, "last": -1, "next": 1}[which]
    month = resolve(f"{which} month", published)
    assert month.precision == "month" and first(month).day == 1
    assert (first(month).year * 12 + first(month).month) - (published.year * 12 + published.month) == delta
    year = resolve(f"{which} year", published)
    assert year.edtf == str(published.year + delta) and year.precision == "year"
    if which == "this":
        assert first(month) <= published <= last(month)


@given(DAYS, st.integers(1, 12), st.sampled_from(["past", "future"]))
def test_in_a_month_is_the_nearest_such_month(published, month, tense):
    span = resolve(f"in {calendar.month_name[month]}", published, tense)
    assert first(span).month == month and span.precision == "month"
    pub_month = published.replace(day=1)
    if tense == "past":
        assert first(span) <= pub_month and (pub_month - first(span)).days < 366
    else:
        assert first(span) >= pub_month and (first(span) - pub_month).days < 366


@given(DAYS, st.integers(1, 12), st.integers(1, 12))
def test_months_last_year(published, a, b):
    one = resolve(f"{calendar.month_name[a]} last year", published)
    assert one.edtf == f"{published.year - 1:04d}-{a:02d}"
    span = resolve(f"from {calendar.month_name[a]} to {calendar.month_name[b]} last year", published)
    assert first(span) == date(published.year - 1, a, 1)
    assert first(span) <= last(span) and (last(span) - first(span)).days < 366
    assert last(span).month == b


@given(DAYS, st.integers(1, 12))
def test_since_a_month_runs_to_the_publication_day(published, month):
    span = resolve(f"since {calendar.month_name[month]}", published)
    assert last(span) == published
    assert first(span).month == month and first(span) <= published
    assert (published - first(span)).days < 366


@given(DAYS, st.integers(0, 6), st.integers(0, 6), st.sampled_from(["past", "future"]))
def test_two_weekdays(published, a, b, tense):
    assume(a != b)
    span = resolve(f"on {calendar.day_name[a]} and {calendar.day_name[b]}", published, tense)
    assert first(span).weekday() == a and last(span).weekday() == b
    assert 0 < (last(span) - first(span)).days < 7
    if tense == "past":
        assert published - timedelta(days=6) <= first(span) <= published
    else:
        assert published <= first(span) <= published + timedelta(days=6)


@given(DAYS, st.integers(1, 12), st.integers(1, 31))
def test_a_month_and_day_in_the_publication_year(published, month, day):
    words = f"{calendar.month_name[month]} {day}"
    if day > calendar.monthrange(published.year, month)[1]:
        with pytest.raises(dates.DateError, match="impossible"):
            resolve(words, published)
        return
    assert resolve(words, published).edtf == date(published.year, month, day).isoformat()


@given(DAYS, st.sampled_from(["on Friday", "yesterday", "today", "in June", "this month", "last month",
                               "since March", "June 8", "last year", "June last year"]))
def test_too_vague_a_publication_date_gives_no_date_rather_than_a_guess(published, words):
    needs_day = words in ("on Friday", "yesterday", "today", "since March")
    needs_month = needs_day or words in ("in June", "this month", "last month")
    for vague, enough in ((published.strftime("%Y-%m"), not needs_day),
                          (str(published.year), not needs_month),
                          (f"{published.isoformat()}/..", False)):
        pub = dates.parse(vague)
        if enough:
            dates.resolve(words, pub)
        else:
            with pytest.raises(dates.Unresolvable, match="needs the publication"):
                dates.resolve(words, pub)
