"""Periods counted in calendar days, weeks, months and years.

The seeds say "一周内", "一年", "满7年" without saying how to count. This module counts the way
Chinese civil law does (民法典 第二百零一条、第二百零二条): the day on which a period starts is not
counted, and a period in months or years ends on the corresponding day of the final month, or on
that month's last day when it has no such day (a year from 29 February ends on 28 February).
Working-day periods are in :mod:`xuanren.rules.calendar`.
"""

from __future__ import annotations

import calendar as _gregorian
from datetime import date, timedelta
from enum import StrEnum


class Unit(StrEnum):
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"
    WORKING_DAYS = "working_days"

    @property
    def label(self) -> str:
        return {
            Unit.DAYS: "日",
            Unit.WEEKS: "周",
            Unit.MONTHS: "个月",
            Unit.YEARS: "年",
            Unit.WORKING_DAYS: "个工作日",
        }[self]


def add_months(day: date, months: int) -> date:
    """The corresponding day ``months`` later (or earlier); the month's last day if there is none."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = _gregorian.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


def period_end(start: date, length: int, unit: Unit) -> date:
    """Last day of a calendar period that starts after ``start`` (start day not counted)."""
    if length < 0:
        raise ValueError("期间长度不能为负数")
    if unit is Unit.DAYS:
        return start + timedelta(days=length)
    if unit is Unit.WEEKS:
        return start + timedelta(days=7 * length)
    if unit is Unit.MONTHS:
        return add_months(start, length)
    if unit is Unit.YEARS:
        return add_years(start, length)
    raise ValueError("工作日期间请用 xuanren.rules.calendar 计算")


def completed_years(start: date, on: date) -> int:
    """Whole years from ``start`` to ``on``: a year is complete on its anniversary."""
    if on < start:
        return 0
    years = on.year - start.year
    if add_years(start, years) > on:
        years -= 1
    return years


def completed_months(start: date, on: date) -> int:
    if on < start:
        return 0
    months = (on.year - start.year) * 12 + (on.month - start.month)
    if add_months(start, months) > on:
        months -= 1
    return months


def describe(length: int, unit: Unit) -> str:
    """ "5个工作日", "1年", "7日" for display."""
    return f"{length}{unit.label}"
