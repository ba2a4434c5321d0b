"""Working-time arithmetic of the service-level clocks (no model here), on the
resource module's Intervals."""

from bisect import bisect_left, bisect_right
from datetime import timedelta

from odoo.addons.resource.models.utils import Intervals

# working intervals are read for at least this span at a time
WINDOW = timedelta(days=14)
# a deadline further away than this (a calendar with no working time) is none
MAX_HORIZON = timedelta(days=4 * 366)
DAY = timedelta(days=1)


def _day_start(value):
    return value.replace(hour=0, minute=0, second=0, microsecond=0)


def _minutes(intervals):
    """Length of the intervals in minutes. Not sum_intervals(), which adds up
    float hours: a target met to the second must stay met (480 minutes, not
    480.00000000000006), so the exact durations are added up first."""
    duration = sum((stop - start for start, stop, _recs in intervals), timedelta())
    return duration / timedelta(minutes=1)


class SlaClock:
    """Working-time arithmetic for one calendar (empty: 24/7), on naive UTC
    datetimes. The calendar's working intervals (attendances less leaves) are
    read once for a span of time and reused for every ticket and target of a
    batch: one calendar query instead of one per deadline."""

    def __init__(self, calendar):
        self.calendar = calendar
        # the records of the intervals made here (their own records do not matter)
        self._no_records = calendar.env["resource.calendar.attendance"]
        self._span = None  # (start, end, [(start, end, records)], [starts], [ends])

    def _load(self, start, end):
        """Make the cached span cover [start, end)."""
        span = self._span
        if span and span[0] <= start and end <= span[1]:
            return span
        # whole days: the span read for a ticket serves the next ones (the
        # calendar keeps it, see resource.calendar._helpdesk_work_intervals)
        low = _day_start(min(start, span[0]) if span else start)
        high = _day_start(max(end, span[1] if span else end, start + WINDOW)) + DAY
        no_records = self._no_records
        intervals = [
            (a, b, no_records)
            for a, b in self.calendar._helpdesk_work_intervals(
                self.calendar.id, low, high
            )
        ]
        self._span = (
            low,
            high,
            intervals,
            [a for a, _b, _recs in intervals],
            [b for _a, b, _recs in intervals],
        )
        return self._span

    def _work(self, start, end):
        """The working time in [start, end), as Intervals."""
        if end <= start:
            return Intervals()
        window = Intervals([(start, end, self._no_records)])
        if not self.calendar:
            return window
        _low, _high, intervals, starts, ends = self._load(start, end)
        # the cached span may cover years: the window is intersected with its
        # intervals around it only (sorted and disjoint already, so taken as
        # they are)
        return window & intervals[bisect_right(ends, start) : bisect_left(starts, end)]

    def work_intervals(self, start, end, pauses=()):
        """The working time in [start, end), less the pauses [(start, end)],
        as sorted [(start, end)]."""
        work = self._work(start, end)
        if pauses:
            work -= Intervals((a, b, self._no_records) for a, b in pauses)
        return [(a, b) for a, b, _recs in work]

    def working_minutes(self, start, end, pauses=()):
        """Working minutes in [start, end), less the pauses [(start, end)]."""
        work = self._work(start, end)
        if pauses:
            work -= Intervals((a, b, self._no_records) for a, b in pauses)
        return _minutes(work)

    def plan(self, start, minutes, pauses=()):
        """The moment when `minutes` of working time have passed after start,
        not counting the pauses [(start, end)] (planned maintenance), False
        when the calendar has no such time within MAX_HORIZON."""
        if not self.calendar and not pauses:
            return start + timedelta(minutes=minutes)
        skipped = Intervals((a, b, self._no_records) for a, b in pauses)
        left = timedelta(minutes=minutes)
        horizon = WINDOW
        while True:
            work = self._work(start, start + horizon)
            if pauses:
                work -= skipped
            for a, b, _recs in work:
                if b - a >= left:
                    return a + left
                left -= b - a
            if horizon >= MAX_HORIZON:
                return False
            left = timedelta(minutes=minutes)
            horizon = min(horizon * 4, MAX_HORIZON)
