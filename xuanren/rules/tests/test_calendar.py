"""Working days across real holidays and make-up working days (调休), and years without data."""

from __future__ import annotations

from datetime import date

import pytest

from xuanren.rules.calendar import (
    CalendarDataMissing,
    YearSchedule,
    add_working_days,
    calendar_source,
    first_working_day,
    is_working_day,
    notice_end,
    working_days_between,
)

D = date


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2025, 9, 28), True),  # Sunday, make-up working day for National Day 2025
        (D(2025, 10, 1), False),
        (D(2025, 10, 8), False),  # Wednesday, still in the National Day / Mid-Autumn holiday
        (D(2025, 10, 9), True),
        (D(2025, 10, 11), True),  # Saturday, make-up working day
        (D(2025, 10, 12), False),
        (D(2025, 1, 26), True),  # Sunday, make-up working day for Spring Festival 2025
        (D(2025, 1, 28), False),
        (D(2025, 2, 4), False),
        (D(2025, 2, 8), True),  # Saturday, make-up working day
        (D(2026, 2, 14), True),  # Saturday, make-up working day for Spring Festival 2026
        (D(2026, 2, 16), False),
        (D(2026, 2, 23), False),  # Monday, last day of the 2026 Spring Festival holiday
        (D(2026, 2, 24), True),
        (D(2026, 2, 28), True),  # Saturday, make-up working day
        (D(2026, 9, 20), True),  # Sunday, make-up working day for National Day 2026
        (D(2026, 10, 7), False),
        (D(2026, 10, 10), True),  # Saturday, make-up working day
    ],
)
def test_official_schedule_of_2025_and_2026(day: date, working: bool) -> None:
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "end"),
    [
        # 9-26 Fri, 9-28 Sun (make-up), 9-29, 9-30, then the holiday to 10-8, then 10-9.
        (D(2025, 9, 26), D(2025, 10, 9)),
        # 9-30, 10-9, 10-10, 10-11 Sat (make-up), 10-13 Mon.
        (D(2025, 9, 30), D(2025, 10, 13)),
        # Put up on a holiday: counting starts on the next working day, 10-9.
        (D(2025, 10, 1), D(2025, 10, 14)),
        # 1-24 Fri, 1-26 Sun (make-up), 1-27, holiday 1-28..2-4, 2-5, 2-6.
        (D(2025, 1, 24), D(2025, 2, 6)),
        # 2-12 Thu, 2-13 Fri, 2-14 Sat (make-up), holiday 2-15..2-23, 2-24, 2-25.
        (D(2026, 2, 12), D(2026, 2, 25)),
        # 9-24 Thu, Mid-Autumn 9-25..27, 9-28, 9-29, 9-30, National Day 10-1..7, 10-8.
        (D(2026, 9, 24), D(2026, 10, 8)),
        # An ordinary week: Monday to Friday.
        (D(2025, 6, 9), D(2025, 6, 13)),
    ],
)
def test_five_working_day_notice_ends_on(start: date, end: date) -> None:
    assert notice_end(start, 5) == end
    assert working_days_between(start, end) == 5


def test_a_one_day_notice_on_a_working_day_ends_that_day() -> None:
    assert notice_end(D(2025, 9, 28), 1) == D(2025, 9, 28)


def test_adding_and_subtracting_working_days_skips_the_holiday() -> None:
    assert add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert add_working_days(D(2025, 10, 9), -1) == D(2025, 9, 30)
    assert add_working_days(D(2025, 10, 9), 0) == D(2025, 10, 9)
    assert first_working_day(D(2025, 10, 4)) == D(2025, 10, 9)
    assert working_days_between(D(2025, 10, 1), D(2025, 10, 12)) == 3


def test_a_year_without_data_is_refused_naming_the_year() -> None:
    with pytest.raises(CalendarDataMissing) as caught:
        notice_end(D(2027, 3, 1), 5)
    assert caught.value.year == 2027
    assert "2027 年" in str(caught.value)
    assert "不按周末推算" in str(caught.value)


def test_an_ordinary_wednesday_of_a_year_without_data_is_not_guessed() -> None:
    with pytest.raises(CalendarDataMissing):
        is_working_day(D(2027, 3, 3))


def test_a_notice_running_into_a_year_without_data_is_refused() -> None:
    with pytest.raises(CalendarDataMissing, match="2027"):
        notice_end(D(2026, 12, 30), 5)


# An administrator-entered schedule for 2027. The dates below are test data, not the official
# 2027 schedule (which is published by the State Council General Office late in 2026).
SCHEDULE_2027 = YearSchedule(
    year=2027,
    holidays=frozenset({D(2027, 1, 1)}),
    workdays=frozenset({D(2027, 1, 2)}),
    source="测试数据（非官方安排）",
)


def test_a_year_without_data_works_with_an_entered_schedule() -> None:
    # 12-30 Wed, 12-31 Thu, 1-1 holiday, 1-2 Sat (make-up), 1-3 Sun, 1-4 Mon, 1-5 Tue.
    assert notice_end(D(2026, 12, 30), 5, schedules=[SCHEDULE_2027]) == D(2027, 1, 5)
    assert notice_end(D(2026, 12, 30), 5, schedules={2027: SCHEDULE_2027}) == D(2027, 1, 5)
    assert is_working_day(D(2027, 3, 3), schedules=[SCHEDULE_2027])
    assert "测试数据" in calendar_source(2027, [SCHEDULE_2027])


def test_an_entered_schedule_takes_precedence_for_its_year() -> None:
    moved = YearSchedule(2025, holidays=frozenset({D(2025, 6, 9)}), source="更正")
    assert is_working_day(D(2025, 6, 9))
    assert not is_working_day(D(2025, 6, 9), schedules=[moved])


@pytest.mark.parametrize(
    ("holidays", "workdays", "message"),
    [
        (set(), {D(2027, 3, 3)}, "周六或周日"),
        ({D(2026, 1, 1)}, set(), "其他年份"),
        ({D(2027, 1, 2)}, {D(2027, 1, 2)}, "既是放假日又是调休上班日"),
    ],
)
def test_an_inconsistent_schedule_is_refused(holidays: set[date], workdays: set[date], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        YearSchedule(2027, holidays=frozenset(holidays), workdays=frozenset(workdays))


def test_a_notice_needs_at_least_one_working_day() -> None:
    with pytest.raises(ValueError):
        notice_end(D(2025, 6, 9), 0)
