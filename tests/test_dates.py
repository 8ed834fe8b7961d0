from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoq import dates


@pytest.mark.parametrize(
    "text, start, end, precision",
    [
        ("2018", "2018-01-01", "2018-12-31", "year"),
        ("2024-07", "2024-07-01", "2024-07-31", "month"),
        ("2024-02", "2024-02-01", "2024-02-29", "month"),
        ("2018-06-08", "2018-06-08", "2018-06-08", "day"),
        ("2018-05-23T02:56:16", "2018-05-23", "2018-05-23", "second"),
        ("2023-08/2023-10", "2023-08-01", "2023-10-31", "month"),
        ("2018-06-09/2018-06-10", "2018-06-09", "2018-06-10", "day"),
        ("2018-06-08/..", "2018-06-08", None, "day"),
        ("../2001", None, "2001-12-31", "year"),
    ],
)
def test_parse_keeps_precision(text, start, end, precision):
    span = dates.parse(text)
    assert (span.edtf, span.start, span.end, span.precision) == (text, start, end, precision)


@pytest.mark.parametrize(
    "text, message",
    [
        ("2018-02-30", "'2018-02-30' is impossible: February 2018 has 28 days"),
        ("2018-13", "'2018-13' has no month 13"),
        ("2023-10/2023-08", "ends before it starts"),
        ("June 2018", "is not a date"),
        ("2018-06-08T25:00:00", "impossible time"),
    ],
)
def test_parse_rejects_impossible_dates(text, message):
    with pytest.raises(dates.DateError, match=message):
        dates.parse(text)


SATURDAY = dates.parse("2018-06-09")


@pytest.mark.parametrize(
    "words, published, tense, expected",
    [
        ("on Friday", "2018-06-09", "past", "2018-06-08"),  # 000: a Saturday paper
        ("Friday", "2018-06-08", "past", "2018-06-08"),  # 001: a Friday paper, same day
        ("on Wednesday", "2024-07-10", "past", "2024-07-10"),  # 003
        ("on Tuesday", "2018-05-23T02:56:16", "past", "2018-05-22"),  # 004
        ("on Saturday and Sunday", "2018-06-08", "future", "2018-06-09/2018-06-10"),
        ("on Saturday and Sunday", "2018-06-09", "future", "2018-06-09/2018-06-10"),
        ("from August to October last year", "2024-07-10", "past", "2023-08/2023-10"),
        ("June last year", "2018-06-09", "past", "2017-06"),
        ("this month", "2024-07-10", "past", "2024-07"),
        ("At present", "2024-07-10", "past", "2024-07-10"),
        ("in February", "2025-03-19", "past", "2025-02"),
        ("in November", "2025-03-19", "past", "2024-11"),
        ("last month", "2025-01-05", "past", "2024-12"),
        ("since March", "2025-03-18", "past", "2025-03/2025-03-18"),
        ("June 8, 2018", "2018-06-09", "past", "2018-06-08"),
        ("between June 9 and 10", "2018-06-08", "past", "2018-06-09/2018-06-10"),
        ("November to February last year", "2025-06-01", "past", "2024-11/2025-02"),
        # A week, Sunday-first and Monday-first both: a Wednesday paper, then a Sunday one.
        ("last week", "2026-03-11", "past", "2026-03-01/2026-03-08"),
        ("this week", "2026-03-11", "past", "2026-03-08/2026-03-15"),
        ("next week", "2026-03-11", "future", "2026-03-15/2026-03-22"),
        ("last week", "2026-03-15", "past", "2026-03-02/2026-03-14"),
    ],
)
def test_resolve_against_publication(words, published, tense, expected):
    assert dates.resolve(words, dates.parse(published), tense).edtf == expected


def test_resolve_needs_a_precise_enough_publication_date():
    with pytest.raises(dates.Unresolvable, match="needs the publication day"):
        dates.resolve("on Friday", dates.parse("2018-06-08/.."))
    with pytest.raises(dates.Unresolvable, match="needs the publication month"):
        dates.resolve("this month", dates.parse("2018"))
    with pytest.raises(dates.Unresolvable, match="needs the publication day"):
        dates.resolve("last week", dates.parse("2018-06"))
    with pytest.raises(dates.Unresolvable, match="cannot resolve"):
        dates.resolve("in the spring", SATURDAY)


def test_span_relations():
    month = dates.parse("2024-07")
    assert month.covers(dates.parse("2024-07-10"))
    assert not dates.parse("2024-07-10").covers(month)
    assert month.overlaps(dates.parse("2024-06-15/2024-07-01"))
    assert not month.overlaps(dates.parse("2024-08"))


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), st.integers(0, 6))
def test_weekday_resolves_to_the_latest_such_day(published, weekday):
    name = dates.calendar.day_name[weekday]
    day = date.fromisoformat(dates.resolve(f"on {name}", dates.parse(published.isoformat())).edtf)
    assert day.weekday() == weekday
    assert published - timedelta(days=6) <= day <= published


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), st.integers(0, 6))
def test_future_weekday_is_on_or_after_publication(published, weekday):
    name = dates.calendar.day_name[weekday]
    day = date.fromisoformat(dates.resolve(name, dates.parse(published.isoformat()), "future").edtf)
    assert day.weekday() == weekday
    assert published <= day <= published + timedelta(days=6)


@given(st.dates(min_value=date(1900, 2, 1), max_value=date(2100, 12, 31)))
def test_last_month_is_the_month_before(published):
    span = dates.resolve("last month", dates.parse(published.isoformat()))
    first = date.fromisoformat(span.start)
    assert span.precision == "month"
    assert first < published.replace(day=1)
    assert (first + timedelta(days=32)).replace(day=1) == published.replace(day=1)


@given(st.dates(min_value=date(1900, 1, 8), max_value=date(2100, 12, 24)), st.sampled_from([-1, 0, 1]))
def test_a_week_covers_it_however_weeks_are_counted(published, delta):
    """Whether weeks begin on Monday or on Sunday, the week meant lies inside the span, and
    the span holds nothing that neither reckoning puts in that week."""
    word = {-1: "last", 0: "this", 1: "next"}[delta]
    span = dates.resolve(f"{word} week", dates.parse(published.isoformat()))
    first, last = date.fromisoformat(span.start), date.fromisoformat(span.end)
    weeks = []
    for start_day in (0, 6):  # Monday, Sunday
        begin = published - timedelta(days=(published.weekday() - start_day) % 7) + timedelta(weeks=delta)
        weeks.append({begin + timedelta(days=k) for k in range(7)})
    days = {first + timedelta(days=k) for k in range((last - first).days + 1)}
    assert days == weeks[0] | weeks[1]
