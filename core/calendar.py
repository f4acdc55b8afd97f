"""Calendar arithmetic shared by DSO, CEI and trends (spec §4)."""

from __future__ import annotations

from datetime import date, timedelta


def month_start(day: date) -> date:
    return day.replace(day=1)


def previous_month_end(day: date) -> date:
    """Last day of the month before ``day``'s month (CEI's default period start a)."""
    return month_start(day) - timedelta(days=1)


def countback_periods(as_of: date, n: int) -> list[tuple[date, date]]:
    """Countback periods as (first day, last day), most recent first.

    Period 0 runs from the first of ``as_of``'s month to ``as_of``; period k is the k-th
    full calendar month before it.
    """
    periods = [(month_start(as_of), as_of)]
    while len(periods) < n:
        end = periods[-1][0] - timedelta(days=1)
        periods.append((month_start(end), end))
    return periods


def month_ends(as_of: date, n: int) -> list[date]:
    """The last ``n`` month-ends on or before ``as_of``, oldest first."""
    nxt = (as_of.replace(day=28) + timedelta(days=4)).replace(day=1)
    last = as_of if nxt - timedelta(days=1) == as_of else previous_month_end(as_of)
    ends = [last]
    while len(ends) < n:
        ends.append(previous_month_end(ends[-1]))
    return ends[::-1]


def one_month_before(day: date) -> date:
    """The same day of the previous month, clamped to its length (31 Mar → 29 Feb)."""
    last_of_previous = previous_month_end(day)
    return last_of_previous.replace(day=min(day.day, last_of_previous.day))
