"""The days Swedish law counts: working days, and the time limits around a
municipal decision. Pure functions over dates; no database.

**Working days.** A time limit that ends on a Saturday, a Sunday, another allmän
helgdag, midsommarafton, julafton or nyårsafton moves to the next working day
(lagen (1930:173) om beräkning av lagstadgad tid).

**A municipal decision** is justerad within 14 days of the meeting (kommunallagen
5 kap. 69 §, 6 kap. 35 §) and the justering is announced on the kommun's
anslagstavla within two days after it (8 kap. 12 §). Anyone who is a member of
the kommun may then appeal it (laglighetsprövning) within three weeks of the day
the announcement went up (13 kap. 5 §): the last day is the anslag date plus 21
days, moved to the next working day as above.
"""

from __future__ import annotations

import datetime
from functools import cache

import holidays

JUSTERING_WITHIN_DAYS = 14
ANSLAG_WITHIN_DAYS = 2
APPEAL_WEEKS = 3


@cache
def _non_working_days(year: int) -> holidays.HolidayBase:
    # include_sundays=False: the library counts every Sunday as a holiday in Sweden
    # by default; weekends are checked by weekday below instead. DE_FACTO holds
    # midsommarafton, julafton and nyårsafton.
    return holidays.country_holidays(
        "SE",
        years=year,
        categories=(holidays.PUBLIC, holidays.DE_FACTO),
        include_sundays=False,
    )


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _non_working_days(day.year)


def next_working_day(day: datetime.date) -> datetime.date:
    """The day itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def last_appeal_day(anslag_on: datetime.date) -> datetime.date:
    """The last day to appeal a decision whose justering was announced ``anslag_on``."""
    return next_working_day(anslag_on + datetime.timedelta(weeks=APPEAL_WEEKS))


def justering_due(meeting_on: datetime.date) -> datetime.date:
    return meeting_on + datetime.timedelta(days=JUSTERING_WITHIN_DAYS)


def anslag_due(justerad_on: datetime.date) -> datetime.date:
    return justerad_on + datetime.timedelta(days=ANSLAG_WITHIN_DAYS)
