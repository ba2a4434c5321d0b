"""Working-time arithmetic of the service-level clocks (no model here)."""

from bisect import bisect_right
from datetime import timedelta

import pytz

# the ticket's date that reaches each target
TARGET_DATE_FIELD = {
    "ack": "date_ack",
    "report": "date_first_response",
    "resolve": "date_resolved",
}
# working intervals are read for at least this span at a time
WINDOW = timedelta(days=14)
# a deadline further away than this (a calendar with no working time) is none
MAX_HORIZON = timedelta(days=4 * 366)


def _to_utc_naive(value):
    if value.tzinfo:
        value = value.astimezone(pytz.utc).replace(tzinfo=None)
    return value


def _subtract(intervals, holes):
    """Parts of the sorted, disjoint intervals [(start, end)] outside the holes."""
    result = []
    for start, end in intervals:
        pieces = [(start, end)]
        for hole_start, hole_end in holes:
            next_pieces = []
            for piece_start, piece_end in pieces:
                if hole_end <= piece_start or hole_start >= piece_end:
                    next_pieces.append((piece_start, piece_end))
                    continue
                if hole_start > piece_start:
                    next_pieces.append((piece_start, hole_start))
                if hole_end < piece_end:
                    next_pieces.append((hole_end, piece_end))
            pieces = next_pieces
        result += pieces
    return result


def _minutes(intervals):
    return sum((end - start).total_seconds() for start, end in intervals) / 60


class SlaClock:
    """Working-time arithmetic for one calendar (None: 24/7), on naive UTC
    datetimes. The calendar's working intervals (attendances less leaves) are
    read once for a span of time and reused for every ticket and target of a
    batch: one calendar query instead of one per deadline."""

    def __init__(self, calendar):
        self.calendar = calendar
        self._span = None  # (start, end, [(start, end)], [starts])

    def _load(self, start, end):
        """Make the cached span cover [start, end)."""
        span = self._span
        if span and span[0] <= start and end <= span[1]:
            return span
        low = min(start, span[0]) if span else start
        high = max(end, span[1] if span else end, start + WINDOW)
        aware = self.calendar._work_intervals_batch(
            pytz.utc.localize(low), pytz.utc.localize(high)
        )[False]
        intervals = [(_to_utc_naive(a), _to_utc_naive(b)) for a, b, _meta in aware]
        self._span = (low, high, intervals, [b for _a, b in intervals])
        return self._span

    def work_intervals(self, start, end):
        if end <= start:
            return []
        if not self.calendar:
            return [(start, end)]
        _low, _high, intervals, ends = self._load(start, end)
        result = []
        for a, b in intervals[bisect_right(ends, start) :]:
            if a >= end:
                break
            result.append((max(a, start), min(b, end)))
        return result

    def working_minutes(self, start, end, pauses=()):
        return _minutes(_subtract(self.work_intervals(start, end), pauses))

    def plan(self, start, minutes):
        """The moment when `minutes` of working time have passed after start,
        False when the calendar has no such time within MAX_HORIZON."""
        if not self.calendar:
            return start + timedelta(minutes=minutes)
        left = timedelta(minutes=minutes)
        horizon = WINDOW
        while True:
            for a, b in self.work_intervals(start, start + horizon):
                if b - a >= left:
                    return a + left
                left -= b - a
            if horizon >= MAX_HORIZON:
                return False
            left = timedelta(minutes=minutes)
            horizon = min(horizon * 4, MAX_HORIZON)
