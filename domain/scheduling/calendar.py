"""Working time of the machines (DESIGN §4): shifts per day and days off, and the axis that turns wall
clock times into minutes of working time and back, so the scheduler plans in working minutes only.

An operation runs only in working time: one longer than what is left of a shift pauses at the end of
the shift and goes on at the start of the next (a mold stays mounted overnight), so its wall clock
span is longer than its duration. All times here are naive plant-local times.
"""

import bisect
import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

DAY_MINUTES = 24 * 60


@dataclass(frozen=True)
class Calendar:
    """`shifts`: (start, end) in minutes after midnight, end ≤ 1440; every weekday in `weekdays`
    (0 = Monday) works them, except the dates in `days_off`."""

    shifts: tuple[tuple[int, int], ...] = ((8 * 60, 16 * 60), (16 * 60, 24 * 60))
    weekdays: frozenset[int] = frozenset(range(7))
    days_off: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        for start, end in self.shifts:
            if not 0 <= start < end <= DAY_MINUTES:
                raise ValueError(f"shift {start}-{end} is not inside one day")

    def windows_on(self, day: date) -> list[tuple[datetime, datetime]]:
        if day.weekday() not in self.weekdays or day in self.days_off:
            return []
        midnight = datetime.combine(day, time())
        merged: list[tuple[int, int]] = []
        for start, end in sorted(self.shifts):  # back-to-back shifts are one stretch of working time
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return [(midnight + timedelta(minutes=s), midnight + timedelta(minutes=e)) for s, e in merged]


PLANT_DEFAULT = Calendar()  # two 8-hour shifts, 08:00–16:00 and 16:00–24:00, every day


class TimeAxis:
    """Working minutes counted from `origin` on one calendar, for `days` days ahead."""

    def __init__(self, calendar: Calendar, origin: datetime, days: int = 120) -> None:
        self.origin = origin
        self.windows: list[tuple[datetime, datetime]] = []
        day = origin.date()
        for _ in range(days + 1):
            for start, end in calendar.windows_on(day):
                if end > origin:
                    self._add(max(start, origin), end)
            day += timedelta(days=1)
        if not self.windows:
            raise ValueError("the calendar has no working time")
        self.starts = [w[0] for w in self.windows]
        self.cumulative = [0]  # working minutes before each window
        for start, end in self.windows:
            self.cumulative.append(self.cumulative[-1] + _minutes(end - start))

    def _add(self, start: datetime, end: datetime) -> None:
        if self.windows and self.windows[-1][1] == start:  # 24:00 of one day is 00:00 of the next
            self.windows[-1] = (self.windows[-1][0], end)
        else:
            self.windows.append((start, end))

    @property
    def total(self) -> int:
        return self.cumulative[-1]

    def to_work(self, moment: datetime, up: bool = False) -> int:
        """Working minutes from the origin to `moment` (moments in a break count as its start); a part
        of a minute counts as none, or with `up` (an end) as a whole one."""
        i = bisect.bisect_right(self.starts, moment) - 1
        if i < 0:
            return 0
        start, end = self.windows[i]
        seconds = (min(moment, end) - start).total_seconds()
        return self.cumulative[i] + int(math.ceil(seconds / 60) if up else seconds // 60)

    def to_wall(self, minutes: int, *, end: bool = False) -> datetime:
        """The wall clock moment of working minute `minutes`; on a break, a start is the start of the
        next window and an end is the end of the previous one."""
        if minutes >= self.total:
            return self.windows[-1][1] + timedelta(minutes=minutes - self.total)
        i = bisect.bisect_right(self.cumulative, minutes) - 1
        if end and minutes == self.cumulative[i] and i > 0:
            return self.windows[i - 1][1]
        return self.windows[i][0] + timedelta(minutes=minutes - self.cumulative[i])

    def working_minutes(self, start: datetime, end: datetime) -> int:
        return self.to_work(end) - self.to_work(start)

    def is_working(self, moment: datetime) -> bool:
        i = bisect.bisect_right(self.starts, moment) - 1
        return i >= 0 and moment < self.windows[i][1]


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)
