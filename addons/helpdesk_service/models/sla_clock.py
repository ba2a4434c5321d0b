"""Working-time arithmetic of the service-level clocks (no model here)."""

from datetime import timedelta

import pytz

# the ticket's date that reaches each target
TARGET_DATE_FIELD = {
    "ack": "date_ack",
    "report": "date_first_response",
    "resolve": "date_resolved",
}


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
    datetimes, with a cache so that tickets of one batch share the work."""

    def __init__(self, calendar):
        self.calendar = calendar
        self._plan_cache = {}

    def work_intervals(self, start, end):
        if end <= start:
            return []
        if not self.calendar:
            return [(start, end)]
        aware = self.calendar._work_intervals_batch(
            pytz.utc.localize(start), pytz.utc.localize(end)
        )[False]
        return [(_to_utc_naive(a), _to_utc_naive(b)) for a, b, _meta in aware]

    def working_minutes(self, start, end, pauses=()):
        return _minutes(_subtract(self.work_intervals(start, end), pauses))

    def plan(self, start, minutes):
        """The moment when `minutes` of working time have passed after start."""
        key = (start, round(minutes, 4))
        if key not in self._plan_cache:
            if not self.calendar:
                result = start + timedelta(minutes=minutes)
            else:
                planned = self.calendar.plan_hours(
                    minutes / 60, pytz.utc.localize(start), compute_leaves=True
                )
                result = _to_utc_naive(planned) if planned else False
            self._plan_cache[key] = result
        return self._plan_cache[key]
