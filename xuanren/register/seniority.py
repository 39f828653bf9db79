"""Age and seniority in whole years and months (年龄、党龄、工龄、任职年限).

Every count here is "completed" time (周岁, 满N年): the number of anniversaries that have been
reached on the day ``on``. Plain Python: no Django, no clock; the caller passes ``on``.

**Anniversaries that do not exist.** An anniversary falls on the same month and day as the
start. When that day does not exist in the target month, the anniversary is the first day
after the month ends:

- born on 29 February: one year older on **1 March** in a common year (not on 28 February);
- a post taken on 31 January: one month served on **1 March**, not on 28 or 29 February;
  two months on 31 March; three months on **1 May** (30 April is not enough).

This is a choice: on 28 February a person born on 29 February has not yet lived the whole
year, and it is the same comparison of (month, day) for years and for months, so the rules stay
consistent: ``duration(start, on).years == whole_years(start, on)`` for all dates, and no count
ever goes down as ``on`` moves forward.

**Cadre forms (干部任免审批表).** The form records birth only as year and month (出生年月) and
states the day the ages are computed for (计算年龄时间, ``JiSuanNianLingShiJian``). An age there
is counted by months: the person is a year older from the first day of the birth month; see
:func:`age_from_year_month`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = [
    "Duration",
    "SeniorityError",
    "age",
    "age_from_year_month",
    "duration",
    "format_duration",
    "full_membership_date",
    "party_age",
    "whole_months",
    "whole_years",
    "working_age",
    "years_in_post",
    "years_in_rank",
]


class SeniorityError(ValueError):
    """A count was asked for a day before its start."""


@dataclass(frozen=True, slots=True, order=True)
class Duration:
    """Completed years and months, ``months`` always 0-11."""

    years: int
    months: int

    @property
    def total_months(self) -> int:
        return self.years * 12 + self.months

    def __str__(self) -> str:
        return format_duration(self)


def _check_order(start: date, on: date, what: str) -> None:
    if on < start:
        raise SeniorityError(f"{what}：计算日期{on.isoformat()}早于起始日期{start.isoformat()}")


def whole_months(start: date, on: date) -> int:
    """Completed months from ``start`` to ``on`` (see the module notes for month ends)."""
    _check_order(start, on, "月数")
    months = (on.year - start.year) * 12 + (on.month - start.month)
    # The monthly anniversary is reached when on's day is at least start's day. A start day
    # the month lacks (31st, 30th, 29 Feb) is therefore reached only on the 1st of the next
    # month, which the month difference above already counts.
    if on.day < start.day:
        months -= 1
    return months


def whole_years(start: date, on: date) -> int:
    """Completed years from ``start`` to ``on``; 29 February anniversaries fall on 1 March."""
    _check_order(start, on, "年数")
    years = on.year - start.year
    if (on.month, on.day) < (start.month, start.day):
        years -= 1
    return years


def duration(start: date, on: date) -> Duration:
    """Completed years and months, for display such as ``3年2个月``."""
    months = whole_months(start, on)
    return Duration(years=months // 12, months=months % 12)


def format_duration(value: Duration) -> str:
    """``3年2个月``, ``3年``, ``2个月``, or ``不满1个月``."""
    if value.years and value.months:
        return f"{value.years}年{value.months}个月"
    if value.years:
        return f"{value.years}年"
    if value.months:
        return f"{value.months}个月"
    return "不满1个月"


def age(birth: date, on: date) -> int:
    """Age in completed years (周岁) on the day ``on``."""
    _check_order(birth, on, "年龄")
    return whole_years(birth, on)


def age_from_year_month(birth_year: int, birth_month: int, on: date) -> int:
    """Age as the appointment form counts it, from 出生年月 and 计算年龄时间.

    Only the birth year and month are known, so the person is taken to be a year older from
    the first day of the birth month: born 1975.06, on 2024-06-01 the form shows 49.
    """
    if not 1 <= birth_month <= 12:
        raise SeniorityError(f"出生月份应为1到12，实际为{birth_month}")
    return age(date(birth_year, birth_month, 1), on)


def full_membership_date(admitted: date) -> date:
    """The end of the one-year probation (预备期) of a member admitted on ``admitted``.

    Party age counts from becoming a full member (党章第七条: 党龄从预备期满转为正式党员之日算起).
    A 29 February admission ends probation on 1 March, as with every anniversary here.
    """
    try:
        return admitted.replace(year=admitted.year + 1)
    except ValueError:  # 29 February -> common year
        return date(admitted.year + 1, 3, 1)


def party_age(full_member_since: date, on: date) -> int:
    """Party age (党龄) in completed years, from the day of full membership.

    When only the admission date (入党时间) is recorded, pass
    ``full_membership_date(admitted)``.
    """
    _check_order(full_member_since, on, "党龄")
    return whole_years(full_member_since, on)


def working_age(work_start: date, on: date) -> int:
    """Working age (工龄) in completed years from the start of work (参加工作时间)."""
    _check_order(work_start, on, "工龄")
    return whole_years(work_start, on)


def years_in_post(post_start: date, on: date) -> int:
    """Completed years in the current post (任现职年限)."""
    _check_order(post_start, on, "任现职年限")
    return whole_years(post_start, on)


def years_in_rank(rank_reached: date, on: date) -> int:
    """Completed years in the current rank (任现职级年限), from the day the rank was reached."""
    _check_order(rank_reached, on, "任现职级年限")
    return whole_years(rank_reached, on)
