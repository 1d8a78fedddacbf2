"""The points rule of DESIGN §10, on plain weekly tallies.

- An entry error is a submission refused by the compliance engine (one per refused attempt, however
  many rules failed) or a correction: an edit of an order after it was submitted for review.
- A week is error-free when the user entered something that week (a submission) and made no entry
  error. Weeks without entries neither count nor break a run: a holiday is not a mistake.
- Every second error-free week in a run earns POINTS_PER_AWARD; a week with an error ends the run.
  Only finished weeks are judged; the current one is shown as in progress.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

POINTS_PER_AWARD = 10
WEEKS_PER_AWARD = 2


@dataclass(frozen=True)
class WeekTally:
    start: date  # Monday, in the plant's time zone
    submissions: int = 0
    refused: int = 0  # submissions refused by the compliance engine
    corrections: int = 0  # edits after submission

    @property
    def errors(self) -> int:
        return self.refused + self.corrections

    @property
    def active(self) -> bool:
        return self.submissions > 0 or self.errors > 0

    @property
    def error_free(self) -> bool:
        return self.submissions > 0 and self.errors == 0


@dataclass(frozen=True)
class WeekResult:
    tally: WeekTally
    finished: bool
    run: int  # error-free weeks in the current run, this one included
    points: int  # earned by this week


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def judge(weeks: Sequence[WeekTally], today: date) -> list[WeekResult]:
    """Each week (oldest first) with its run length and the points it earned."""
    current = week_start(today)
    run, out = 0, []
    for tally in sorted(weeks, key=lambda w: w.start):
        finished = tally.start < current
        points = 0
        if finished and tally.active:
            if tally.error_free:
                run += 1
                if run % WEEKS_PER_AWARD == 0:
                    points = POINTS_PER_AWARD
            else:
                run = 0
        out.append(WeekResult(tally, finished, run if tally.error_free else 0, points))
    return out


def total_points(results: Sequence[WeekResult]) -> int:
    return sum(r.points for r in results)
