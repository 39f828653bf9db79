"""Working days with the administrator-entered holiday schedules always applied.

Other apps count working days through these functions, never through ``xuanren.rules.calendar``
or ``xuanren.rules.deadlines`` directly: a year the ``chinese_calendar`` package does not cover
is then computable as soon as a system administrator enters its official schedule, and refused
with :class:`~xuanren.rules.calendar.CalendarDataMissing` (naming the year) until then.

Changing a year's schedule changes what these functions return for that year; an action that
fixes a date (a notice's last day, say) stores the date and the ``calendar_source`` it came from.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Literal

import chinese_calendar  # type: ignore[import-untyped, unused-ignore]

from xuanren.policies.selectors import working_day_schedules
from xuanren.rules import calendar as rules_calendar
from xuanren.rules import deadlines
from xuanren.rules.calendar import CalendarDataMissing
from xuanren.rules.decision import Decision
from xuanren.rules.policy import Policy

__all__ = [
    "CalendarDataMissing",
    "add_working_days",
    "appeal_deadline",
    "calendar_source",
    "check_appeal_in_time",
    "check_inspection_notice",
    "check_notice_over",
    "disclosure_period",
    "first_working_day",
    "inspection_notice_deadline",
    "is_working_day",
    "notice_end",
    "notice_period",
    "package_years",
    "working_days_between",
]


@functools.cache
def package_years() -> tuple[int, ...]:
    """The years the installed ``chinese_calendar`` has official schedules for (2004–2026 in 1.11)."""
    years = []
    for year in range(1990, 2101):
        try:
            chinese_calendar.is_workday(date(year, 1, 1))
        except NotImplementedError:
            continue
        years.append(year)
    return tuple(years)


def is_working_day(day: date) -> bool:
    return rules_calendar.is_working_day(day, working_day_schedules())


def notice_end(start: date, working_days: int) -> date:
    """Last day of a notice of ``working_days`` working days starting on ``start``."""
    return rules_calendar.notice_end(start, working_days, working_day_schedules())


def add_working_days(start: date, working_days: int) -> date:
    return rules_calendar.add_working_days(start, working_days, working_day_schedules())


def working_days_between(first: date, last: date) -> int:
    return rules_calendar.working_days_between(first, last, working_day_schedules())


def first_working_day(on_or_after: date) -> date:
    return rules_calendar.first_working_day(on_or_after, working_day_schedules())


def calendar_source(year: int) -> str:
    """Where ``year``'s schedule comes from: an entered notice or the package."""
    return rules_calendar.calendar_source(year, working_day_schedules())


# --- deadline decisions (xuanren.rules.deadlines) with the stored schedules ------------------


def notice_period(policy: Policy, *, starts_on: date, subject: str = "任前公示") -> Decision:
    return deadlines.notice_period(
        policy, starts_on=starts_on, subject=subject, schedules=working_day_schedules()
    )


def check_notice_over(policy: Policy, *, starts_on: date, today: date, subject: str = "任前公示") -> Decision:
    return deadlines.check_notice_over(
        policy, starts_on=starts_on, today=today, subject=subject, schedules=working_day_schedules()
    )


def disclosure_period(policy: Policy, *, round: Literal["first", "second"], starts_on: date) -> Decision:
    return deadlines.disclosure_period(
        policy, round=round, starts_on=starts_on, schedules=working_day_schedules()
    )


def appeal_deadline(policy: Policy, *, feedback_on: date) -> Decision:
    return deadlines.appeal_deadline(policy, feedback_on=feedback_on, schedules=working_day_schedules())


def check_appeal_in_time(policy: Policy, *, feedback_on: date, appealed_on: date) -> Decision:
    return deadlines.check_appeal_in_time(
        policy, feedback_on=feedback_on, appealed_on=appealed_on, schedules=working_day_schedules()
    )


def inspection_notice_deadline(policy: Policy, *, inspection_starts: date) -> Decision:
    return deadlines.inspection_notice_deadline(
        policy, inspection_starts=inspection_starts, schedules=working_day_schedules()
    )


def check_inspection_notice(policy: Policy, *, posted_on: date, inspection_starts: date) -> Decision:
    return deadlines.check_inspection_notice(
        policy, posted_on=posted_on, inspection_starts=inspection_starts, schedules=working_day_schedules()
    )
