"""The last day to appeal a municipal decision: three weeks after the anslag,
moved past weekends, holidays and the three eves the law treats as holidays."""

from __future__ import annotations

import datetime

import pytest

from workflows.legal_dates import anslag_due, justering_due, last_appeal_day

D = datetime.date


@pytest.mark.parametrize(
    ("anslag", "last_day", "why"),
    [
        # The two cases: julafton, juldagen, annandag jul and a weekend;
        # nyårsafton, nyårsdagen and a weekend.
        (D(2026, 12, 3), D(2026, 12, 28), "julafton → måndag efter jul"),
        (D(2026, 12, 10), D(2027, 1, 4), "nyårsafton → måndag efter nyår"),
        (D(2026, 3, 2), D(2026, 3, 23), "a Monday: no move"),
        (D(2026, 3, 7), D(2026, 3, 30), "a Saturday → Monday"),
        (D(2026, 3, 8), D(2026, 3, 30), "a Sunday → Monday"),
        (D(2026, 3, 12), D(2026, 4, 2), "skärtorsdagen is a working day"),
        (D(2026, 3, 13), D(2026, 4, 7), "långfredag, påskafton, påskdagen, annandag påsk"),
        (D(2026, 5, 29), D(2026, 6, 22), "midsommarafton (a Friday) and the weekend"),
        (D(2026, 5, 30), D(2026, 6, 22), "midsommarafton, midsommardagen, Sunday"),
        (D(2026, 5, 16), D(2026, 6, 8), "nationaldagen on a Saturday, 8 June a Monday"),
        (D(2027, 5, 16), D(2027, 6, 7), "6 June 2027 is a Sunday: Monday"),
        (D(2026, 4, 23), D(2026, 5, 15), "Kristi himmelsfärd (14 May 2026) → Friday"),
        (D(2026, 4, 10), D(2026, 5, 4), "första maj a Friday, weekend after"),
        (D(2024, 2, 8), D(2024, 2, 29), "a leap day counts"),
    ],
)
def test_the_last_day_to_appeal_is_three_weeks_after_the_anslag_on_a_working_day(
    anslag, last_day, why
):
    assert last_appeal_day(anslag) == last_day, why


def test_justering_is_due_within_14_days_and_anslag_within_two():
    assert justering_due(D(2026, 3, 20)) == D(2026, 4, 3)
    assert anslag_due(D(2026, 4, 3)) == D(2026, 4, 5)
