from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xuanren.register.seniority import (
    Duration,
    SeniorityError,
    age,
    age_from_year_month,
    duration,
    format_duration,
    full_membership_date,
    party_age,
    whole_months,
    whole_years,
    working_age,
    years_in_post,
    years_in_rank,
)

# ---------------------------------------------------------------- birthdays


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2024, 4, 14), 45),  # the day before the birthday
        (date(2024, 4, 15), 46),  # the birthday
        (date(2024, 4, 16), 46),  # the day after
        (date(2024, 12, 31), 46),
        (date(2025, 1, 1), 46),
        (date(2025, 4, 14), 46),
        (date(2025, 4, 15), 47),
    ],
)
def test_age_turns_on_the_birthday(on: date, expected: int) -> None:
    assert age(date(1978, 4, 15), on) == expected


def test_age_on_the_day_of_birth_is_zero() -> None:
    assert age(date(1978, 4, 15), date(1978, 4, 15)) == 0


def test_age_before_birth_is_an_error() -> None:
    with pytest.raises(SeniorityError, match="年龄：计算日期1978-04-14早于起始日期1978-04-15"):
        age(date(1978, 4, 15), date(1978, 4, 14))


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2023, 2, 28), 34),  # common year: 28 Feb is not yet the birthday
        (date(2023, 3, 1), 35),  # ... 1 March is
        (date(2024, 2, 28), 35),  # leap year: the day before
        (date(2024, 2, 29), 36),  # ... the birthday itself
        (date(2024, 3, 1), 36),
        (date(2100, 2, 28), 111),  # 2100 is not a leap year
        (date(2100, 3, 1), 112),
    ],
)
def test_leap_day_birthday_falls_on_1_march_in_common_years(on: date, expected: int) -> None:
    assert age(date(1988, 2, 29), on) == expected


def test_birthday_on_31_december_and_1_january() -> None:
    assert age(date(1980, 12, 31), date(2024, 12, 30)) == 43
    assert age(date(1980, 12, 31), date(2024, 12, 31)) == 44
    assert age(date(1981, 1, 1), date(2024, 12, 31)) == 43
    assert age(date(1981, 1, 1), date(2025, 1, 1)) == 44


# ---------------------------------------------------------------- month ends


@pytest.mark.parametrize(
    ("on", "months"),
    [
        (date(2023, 2, 27), 0),
        (date(2023, 2, 28), 0),  # no 31 February: the month is not yet complete
        (date(2023, 3, 1), 1),  # ... it is on 1 March
        (date(2023, 3, 30), 1),
        (date(2023, 3, 31), 2),
        (date(2023, 4, 30), 2),  # 31 → 30: April has no 31st
        (date(2023, 5, 1), 3),
        (date(2023, 5, 30), 3),
        (date(2023, 5, 31), 4),
        (date(2023, 6, 30), 4),
        (date(2023, 7, 1), 5),
        (date(2024, 1, 30), 11),
        (date(2024, 1, 31), 12),
    ],
)
def test_months_from_31_january(on: date, months: int) -> None:
    assert whole_months(date(2023, 1, 31), on) == months


@pytest.mark.parametrize(
    ("start", "on", "months"),
    [
        (date(2023, 1, 30), date(2023, 2, 28), 0),
        (date(2023, 1, 30), date(2023, 3, 1), 1),
        (date(2024, 1, 30), date(2024, 2, 29), 0),
        (date(2024, 1, 29), date(2024, 2, 29), 1),
        (date(2024, 2, 29), date(2024, 3, 28), 0),
        (date(2024, 2, 29), date(2024, 3, 29), 1),
        (date(2023, 4, 30), date(2023, 5, 30), 1),
        (date(2023, 4, 30), date(2023, 5, 31), 1),
        (date(2023, 3, 1), date(2023, 3, 31), 0),
        (date(2023, 3, 1), date(2023, 4, 1), 1),
    ],
)
def test_month_ends(start: date, on: date, months: int) -> None:
    assert whole_months(start, on) == months


# ---------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("start", "on", "expected", "text"),
    [
        (date(2021, 3, 15), date(2024, 5, 14), Duration(3, 1), "3年1个月"),
        (date(2021, 3, 15), date(2024, 5, 15), Duration(3, 2), "3年2个月"),
        (date(2021, 3, 15), date(2024, 3, 15), Duration(3, 0), "3年"),
        (date(2024, 3, 15), date(2024, 5, 20), Duration(0, 2), "2个月"),
        (date(2024, 3, 15), date(2024, 4, 14), Duration(0, 0), "不满1个月"),
        (date(2020, 12, 31), date(2024, 2, 29), Duration(3, 1), "3年1个月"),
        (date(2020, 12, 31), date(2024, 3, 1), Duration(3, 2), "3年2个月"),
    ],
)
def test_duration_in_years_and_months(start: date, on: date, expected: Duration, text: str) -> None:
    assert duration(start, on) == expected
    assert format_duration(duration(start, on)) == text
    assert str(duration(start, on)) == text


def test_duration_total_months() -> None:
    assert Duration(3, 2).total_months == 38


# ---------------------------------------------------------------- the named counts


def test_party_age_counts_from_full_membership() -> None:
    admitted = date(2001, 6, 20)
    full = full_membership_date(admitted)
    assert full == date(2002, 6, 20)
    assert party_age(full, date(2024, 6, 19)) == 21
    assert party_age(full, date(2024, 6, 20)) == 22


def test_probation_of_a_leap_day_admission_ends_on_1_march() -> None:
    assert full_membership_date(date(2004, 2, 29)) == date(2005, 3, 1)


def test_working_age_post_and_rank() -> None:
    on = date(2024, 5, 20)
    assert working_age(date(2000, 7, 1), on) == 23
    assert years_in_post(date(2020, 12, 28), on) == 3
    assert years_in_rank(date(2021, 5, 20), on) == 3
    assert years_in_rank(date(2021, 5, 21), on) == 2


def test_each_count_names_itself_when_asked_before_its_start() -> None:
    start, before = date(2020, 1, 1), date(2019, 12, 31)
    for count, label in [
        (party_age, "党龄"),
        (working_age, "工龄"),
        (years_in_post, "任现职年限"),
        (years_in_rank, "任现职级年限"),
    ]:
        with pytest.raises(SeniorityError, match=f"^{label}："):
            count(start, before)


# ---------------------------------------------------------------- the appointment form


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2024, 5, 31), 45),
        (date(2024, 6, 1), 46),  # counted by month: a year older from the 1st of the birth month
        (date(2024, 6, 30), 46),
    ],
)
def test_form_age_from_birth_year_and_month(on: date, expected: int) -> None:
    assert age_from_year_month(1978, 6, on) == expected


def test_form_age_refuses_a_bad_month() -> None:
    with pytest.raises(SeniorityError, match="出生月份应为1到12"):
        age_from_year_month(1978, 13, date(2024, 1, 1))


# ---------------------------------------------------------------- properties

dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31))


@st.composite
def ordered_dates(draw: st.DrawFn, count: int = 2) -> list[date]:
    return sorted(draw(dates) for _ in range(count))


@given(ordered_dates(3))
def test_counts_never_go_down_as_on_moves_forward(days: list[date]) -> None:
    start, earlier, later = days
    assert whole_years(start, earlier) <= whole_years(start, later)
    assert whole_months(start, earlier) <= whole_months(start, later)


@given(ordered_dates(3))
def test_counts_never_go_up_as_start_moves_forward(days: list[date]) -> None:
    start, later_start, on = days
    assert whole_months(later_start, on) <= whole_months(start, on)


@given(ordered_dates())
def test_years_agree_with_months(days: list[date]) -> None:
    start, on = days
    result = duration(start, on)
    assert result.years == whole_years(start, on)
    assert 0 <= result.months <= 11
    assert result.total_months == whole_months(start, on)


@given(ordered_dates())
def test_one_day_moves_a_count_by_at_most_one(days: list[date]) -> None:
    start, on = days
    nxt = on + timedelta(days=1)
    assert whole_years(start, nxt) - whole_years(start, on) in (0, 1)
    assert whole_months(start, nxt) - whole_months(start, on) in (0, 1)


@given(dates, st.integers(0, 150))
def test_each_anniversary_that_exists_is_reached_on_its_day(start: date, years: int) -> None:
    try:
        anniversary = start.replace(year=start.year + years)
    except ValueError:  # 29 February in a common year
        anniversary = date(start.year + years, 3, 1)
    assert whole_years(start, anniversary) == years
    if anniversary > start:
        assert whole_years(start, anniversary - timedelta(days=1)) == years - 1


@given(dates, dates)
def test_asking_before_the_start_is_always_an_error(a: date, b: date) -> None:
    if a <= b:
        return
    with pytest.raises(SeniorityError):
        whole_years(a, b)
    with pytest.raises(SeniorityError):
        whole_months(a, b)
