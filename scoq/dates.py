"""Dates at the precision the text gives them.

Absolute dates are written in a subset of EDTF (ISO 8601-2): ``2018``, ``2018-06``,
``2018-06-08``, ``2018-05-23T02:56:16``, and intervals ``2023-08/2023-10`` with ``..``
for an open end (``2018-06-08/..``: on or after). Every value is kept as written and
as the first and last day it covers, so that a month sorts as a month and a filter
can ask whether two dates overlap.

Relative expressions as a news report writes them ("on Friday", "this month",
"from August to October last year") are resolved against the publication date.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

PRECISIONS = ("year", "month", "day", "second")

WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}


class DateError(ValueError):
    """A date that is malformed or impossible; the message says how to write it."""


@dataclass(frozen=True)
class Span:
    """A date or interval: as written (EDTF), first and last day covered, precision.

    ``start``/``end`` are ISO days (``end`` inclusive); ``None`` means open or unknown.
    """

    edtf: str
    start: str | None
    end: str | None
    precision: str

    @property
    def is_interval(self) -> bool:
        return "/" in self.edtf

    def covers(self, other: "Span") -> bool:
        """True when every day of ``other`` lies within this span."""
        lo_ok = self.start is None or (other.start is not None and other.start >= self.start)
        hi_ok = self.end is None or (other.end is not None and other.end <= self.end)
        return lo_ok and hi_ok

    def overlaps(self, other: "Span") -> bool:
        lo_ok = self.end is None or other.start is None or other.start <= self.end
        hi_ok = self.start is None or other.end is None or other.end >= self.start
        return lo_ok and hi_ok


_SINGLE = re.compile(
    r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})"
    r"(?:T(?P<time>\d{2}:\d{2}(?::\d{2})?)(?P<tz>Z|[+-]\d{2}:\d{2})?)?)?)?$"
)


def _single(text: str) -> tuple[date, date, str]:
    m = _SINGLE.match(text)
    if not m:
        raise DateError(
            f"'{text}' is not a date: write YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS"
        )
    y = int(m["y"])
    if m["m"] is None:
        return date(y, 1, 1), date(y, 12, 31), "year"
    mo = int(m["m"])
    if not 1 <= mo <= 12:
        raise DateError(f"'{text}' has no month {mo}: months run 01 to 12")
    last = calendar.monthrange(y, mo)[1]
    if m["d"] is None:
        return date(y, mo, 1), date(y, mo, last), "month"
    d = int(m["d"])
    if not 1 <= d <= last:
        raise DateError(f"'{text}' is impossible: {calendar.month_name[mo]} {y} has {last} days")
    if m["time"]:
        try:
            datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise DateError(f"'{text}' has an impossible time of day") from None
        return date(y, mo, d), date(y, mo, d), "second"
    return date(y, mo, d), date(y, mo, d), "day"


def normalize_input(value: object) -> str:
    """YAML turns ``2018-06-08`` into a date and ``2018`` into an int: give back the text."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def parse(value: object) -> Span:
    """Parse an EDTF date or interval; raise DateError if malformed or impossible."""
    return _parse(normalize_input(value).strip())


@lru_cache(maxsize=4096)
def _parse(text: str) -> Span:
    # A corpus names the same few dates again and again (publication days, events):
    # each is parsed once. (A DateError is raised again each time, never kept.)
    if "/" in text:
        left, _, right = text.partition("/")
        if "/" in right:
            raise DateError(f"'{text}' has more than one '/': an interval is START/END")
        start = end = None
        precisions = []
        if left not in ("", ".."):
            s, _, p = _single(left)
            start = s
            precisions.append(p)
        if right not in ("", ".."):
            _, e, p = _single(right)
            end = e
            precisions.append(p)
        if start is None and end is None:
            raise DateError(f"'{text}' has neither start nor end")
        if start and end and end < start:
            raise DateError(f"'{text}' ends before it starts: write START/END in order")
        precision = min(precisions, key=PRECISIONS.index)
        return Span(text, start and start.isoformat(), end and end.isoformat(), precision)
    s, e, p = _single(text)
    return Span(text, s.isoformat(), e.isoformat(), p)


def is_edtf(value: object) -> bool:
    """True when ``value`` looks like an absolute date rather than words from a text."""
    if isinstance(value, (date, int)):
        return True
    text = str(value).strip()
    return bool(re.match(r"^(\d{4}|\.\.)?(-\d|/|$)", text)) and any(c.isdigit() for c in text)


def day_of(span: Span) -> date | None:
    """The single day a span stands for, if it is known to the day."""
    if span.precision in ("day", "second") and span.start and span.start == span.end:
        return date.fromisoformat(span.start)
    return None


def _month_span(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    n = year * 12 + (month - 1) + delta
    return n // 12, n % 12 + 1


class Unresolvable(ValueError):
    """A relative expression this module cannot turn into a date."""


_LEAD = re.compile(r"^(?:on|in|from|since|during|of|between)\s+", re.I)


def _weekday(name: str, anchor: date, tense: str) -> date:
    target = WEEKDAYS[name]
    if tense == "future":
        return anchor + timedelta(days=(target - anchor.weekday()) % 7)
    return anchor - timedelta(days=(anchor.weekday() - target) % 7)


def _week(day: date, delta: int) -> str:
    """The week ``delta`` weeks from the one holding ``day``, as an EDTF interval. Weeks
    begin on Monday in some places and on Sunday in others, and a report seldom says
    which: the interval covers the week in both reckonings (eight days, or thirteen
    for a Sunday paper's "last week") rather than pick one."""
    monday = day - timedelta(days=day.weekday())
    sunday = day - timedelta(days=(day.weekday() + 1) % 7)
    first = min(monday, sunday) + timedelta(weeks=delta)
    last = max(monday, sunday) + timedelta(days=6, weeks=delta)
    return f"{first.isoformat()}/{last.isoformat()}"


def resolve(expression: str, published: Span, tense: str = "past") -> Span:
    """Resolve words such as "on Friday" against the publication date.

    A weekday means the nearest such day on or before the publication day ("said on
    Friday" in a Saturday paper is the day before; "on Wednesday" in a Wednesday paper
    is that day), or on or after it when ``tense`` is ``future`` ("will be held on
    Saturday"). Raises Unresolvable when the words are not understood or the publication
    date is not known precisely enough for them.
    """
    words = " ".join(expression.lower().replace(",", " ").split())
    if words.startswith("since "):
        # "since March": from then up to the publication day.
        first = resolve(words[len("since "):], published, "past")
        last = day_of(published)
        if last is None:
            raise Unresolvable(f"'{expression}' needs the publication day, known only as '{published.edtf}'")
        return parse(f"{first.edtf.split('/')[0]}/{last.isoformat()}")
    words = _LEAD.sub("", words)
    words = re.sub(r"^the\s+", "", words)
    if not words:
        raise Unresolvable("empty date expression")

    # Absolute dates written out: "June 8, 2018", "June 15, 2001".
    m = re.fullmatch(r"([a-z]+) (\d{1,2}) (\d{4})", words)
    if m and m[1] in MONTHS:
        return parse(f"{int(m[3]):04d}-{MONTHS[m[1]]:02d}-{int(m[2]):02d}")
    m = re.fullmatch(r"([a-z]+) (\d{4})", words)
    if m and m[1] in MONTHS:
        return parse(_month_span(int(m[2]), MONTHS[m[1]]))

    pub_day = day_of(published)

    def need_day() -> date:
        if pub_day is None:
            raise Unresolvable(
                f"'{expression}' needs the publication day, which is known only as "
                f"'{published.edtf}'"
            )
        return pub_day

    def need_year() -> int:
        if published.start is None or published.end is None or published.start[:4] != published.end[:4]:
            raise Unresolvable(
                f"'{expression}' needs the publication year, which is known only as "
                f"'{published.edtf}'"
            )
        return int(published.start[:4])

    def need_month() -> tuple[int, int]:
        if published.start is None or published.end is None or published.start[:7] != published.end[:7]:
            raise Unresolvable(
                f"'{expression}' needs the publication month, which is known only as "
                f"'{published.edtf}'"
            )
        return int(published.start[:4]), int(published.start[5:7])

    if words in ("today", "at present", "now", "currently", "present"):
        return parse(need_day().isoformat())
    if words == "yesterday":
        return parse((need_day() - timedelta(days=1)).isoformat())
    if words == "tomorrow":
        return parse((need_day() + timedelta(days=1)).isoformat())
    if words in WEEKDAYS:
        return parse(_weekday(words, need_day(), tense).isoformat())
    m = re.fullmatch(r"([a-z]+) and ([a-z]+)", words)
    if m and m[1] in WEEKDAYS and m[2] in WEEKDAYS:
        first = _weekday(m[1], need_day(), tense)
        last = first + timedelta(days=(WEEKDAYS[m[2]] - WEEKDAYS[m[1]]) % 7)
        return parse(f"{first.isoformat()}/{last.isoformat()}")

    for word, delta in (("this", 0), ("last", -1), ("next", 1)):
        if words == f"{word} week":
            return parse(_week(need_day(), delta))
        if words == f"{word} month":
            y, mo = _shift_month(*need_month(), delta)
            return parse(_month_span(y, mo))
        if words == f"{word} year":
            return parse(f"{need_year() + delta:04d}")

    # "June last year", "June of last year", "August to October last year".
    m = re.fullmatch(r"([a-z]+)(?: (?:to|through|until|-) ([a-z]+))?(?: of)? (this|last|next) year", words)
    if m and m[1] in MONTHS and (m[2] is None or m[2] in MONTHS):
        year = need_year() + {"this": 0, "last": -1, "next": 1}[m[3]]
        first = MONTHS[m[1]]
        if m[2] is None:
            return parse(_month_span(year, first))
        last = MONTHS[m[2]]
        end_year = year if last >= first else year + 1
        return parse(f"{_month_span(year, first)}/{_month_span(end_year, last)}")

    # "in February": the latest such month up to the publication (or from it, in the future).
    if words in MONTHS:
        year, month = need_month()
        target = MONTHS[words]
        if tense == "future":
            year = year if target >= month else year + 1
        else:
            year = year if target <= month else year - 1
        return parse(_month_span(year, target))

    # "June 8", "June 9 and 10", "June 9 to 10" in the publication's year.
    m = re.fullmatch(r"([a-z]+) (\d{1,2})(?: (?:and|to|through|-) (\d{1,2}))?", words)
    if m and m[1] in MONTHS:
        year = need_year()
        first = parse(f"{year:04d}-{MONTHS[m[1]]:02d}-{int(m[2]):02d}")
        if m[3] is None:
            return first
        last = parse(f"{year:04d}-{MONTHS[m[1]]:02d}-{int(m[3]):02d}")
        return parse(f"{first.edtf}/{last.edtf}")

    raise Unresolvable(f"cannot resolve '{expression}' to a date")
