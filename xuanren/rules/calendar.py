"""Working days (工作日) under China's official holiday schedule.

Notice periods are counted in working days: "不少于5个工作日" (条例 2019 第四十二条; 003 开鲁县).
Official holidays do not count; official make-up working days (调休上班日, often a Saturday or
Sunday) do. Each year's schedule is published by the State Council General Office
(国务院办公厅) late in the previous year. This module reads it from the maintained
``chinese_calendar`` package; for a year the package does not know, an administrator enters the
official schedule in the system and the caller passes it in as a :class:`YearSchedule`. Without
either, these functions refuse with :class:`CalendarDataMissing`: a schedule is never guessed from
weekends alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import chinese_calendar  # type: ignore[import-untyped, unused-ignore]

PACKAGE_SOURCE = f"chinese_calendar {getattr(chinese_calendar, '__version__', '?')}"

# Longest run of days searched before deciding a schedule must be wrong (a year of holidays).
_SEARCH_LIMIT = 400


class CalendarDataMissing(LookupError):
    """No official holiday schedule is known for a year."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"缺少 {year} 年的法定节假日安排，无法计算工作日：请系统管理员录入国务院办公厅公布的 "
            f"{year} 年放假调休安排后再试（系统不按周末推算）。"
        )


@dataclass(frozen=True)
class YearSchedule:
    """An official holiday schedule for one year, as entered by an administrator.

    ``holidays`` are the days off (放假日) that would otherwise be working days — listing the
    weekend days inside a holiday block as well is harmless. ``workdays`` are the make-up
    working days (调休上班日), which fall on Saturdays or Sundays. ``source`` names the notice the
    schedule was taken from (e.g. "国办发明电〔2026〕N号"). Any day not listed follows the
    ordinary week: Monday to Friday work, Saturday and Sunday rest.
    """

    year: int
    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)
    source: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "workdays", frozenset(self.workdays))
        for day in self.holidays | self.workdays:
            if day.year != self.year:
                raise ValueError(f"{self.year} 年的放假安排中出现了其他年份的日期 {day.isoformat()}")
        both = self.holidays & self.workdays
        if both:
            listed = "、".join(sorted(d.isoformat() for d in both))
            raise ValueError(f"{listed} 不能既是放假日又是调休上班日")
        weekday_workdays = [d for d in self.workdays if d.weekday() < 5]
        if weekday_workdays:
            listed = "、".join(sorted(d.isoformat() for d in weekday_workdays))
            raise ValueError(f"调休上班日应为周六或周日，{listed} 本来就是工作日")

    def is_working_day(self, day: date) -> bool:
        if day.year != self.year:
            raise ValueError(f"{day.isoformat()} 不在 {self.year} 年")
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays


Schedules = Mapping[int, YearSchedule] | Iterable[YearSchedule] | None


def _index(schedules: Schedules) -> dict[int, YearSchedule]:
    if schedules is None:
        return {}
    if isinstance(schedules, Mapping):
        indexed = dict(schedules)
        for year, schedule in indexed.items():
            if schedule.year != year:
                raise ValueError(f"放假安排的年份 {schedule.year} 与键 {year} 不一致")
        return indexed
    indexed = {}
    for schedule in schedules:
        if schedule.year in indexed:
            raise ValueError(f"{schedule.year} 年的放假安排重复")
        indexed[schedule.year] = schedule
    return indexed


def _working(day: date, schedules: Mapping[int, YearSchedule]) -> bool:
    # An administrator-entered schedule wins: it is the later, official word for its year.
    schedule = schedules.get(day.year)
    if schedule is not None:
        return schedule.is_working_day(day)
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        raise CalendarDataMissing(day.year) from None


def is_working_day(day: date, schedules: Schedules = None) -> bool:
    """Whether ``day`` is an official working day (make-up days count, holidays do not)."""
    return _working(day, _index(schedules))


def calendar_source(year: int, schedules: Schedules = None) -> str:
    """Where the schedule for ``year`` comes from, for the record."""
    schedule = _index(schedules).get(year)
    if schedule is not None:
        return f"管理员录入的 {year} 年放假安排" + (f"（{schedule.source}）" if schedule.source else "")
    return PACKAGE_SOURCE


def notice_end(start: date, working_days: int, schedules: Schedules = None) -> date:
    """Last day of a notice that starts on ``start`` and lasts ``working_days`` working days.

    ``start`` counts as the first day when it is a working day; a notice put up on a holiday
    starts counting on the next working day.
    """
    if working_days < 1:
        raise ValueError("公示期至少为 1 个工作日")
    indexed = _index(schedules)
    day, counted = start, 0
    for _ in range(working_days * 7 + _SEARCH_LIMIT):
        if _working(day, indexed):
            counted += 1
            if counted == working_days:
                return day
        day += timedelta(days=1)
    raise ValueError(f"自 {start.isoformat()} 起找不到 {working_days} 个工作日，放假安排可能有误")


def add_working_days(start: date, working_days: int, schedules: Schedules = None) -> date:
    """The day ``working_days`` working days after ``start`` (before it, if negative); ``start``
    itself is not counted."""
    indexed = _index(schedules)
    step = 1 if working_days >= 0 else -1
    remaining = abs(working_days)
    day = start
    for _ in range(remaining * 7 + _SEARCH_LIMIT):
        if remaining == 0:
            return day
        day += timedelta(days=step)
        if _working(day, indexed):
            remaining -= 1
    if remaining == 0:
        return day
    raise ValueError(f"自 {start.isoformat()} 起找不到 {working_days} 个工作日，放假安排可能有误")


def working_days_between(first: date, last: date, schedules: Schedules = None) -> int:
    """Number of working days from ``first`` to ``last``, both included (0 if last < first)."""
    indexed = _index(schedules)
    count, day = 0, first
    while day <= last:
        if _working(day, indexed):
            count += 1
        day += timedelta(days=1)
    return count


def first_working_day(on_or_after: date, schedules: Schedules = None) -> date:
    """The first working day on or after the given day."""
    indexed = _index(schedules)
    day = on_or_after
    for _ in range(_SEARCH_LIMIT):
        if _working(day, indexed):
            return day
        day += timedelta(days=1)
    raise ValueError(f"自 {on_or_after.isoformat()} 起找不到工作日，放假安排可能有误")
