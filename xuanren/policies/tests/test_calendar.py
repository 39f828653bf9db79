"""Holiday schedules entered by a system administrator make a year computable."""

from __future__ import annotations

from datetime import date

import pytest

from xuanren.policies import actions, calendar, selectors
from xuanren.policies.models import HolidaySchedule
from xuanren.record.models import Entry
from xuanren.rules.calendar import CalendarDataMissing
from xuanren.rules.policy import get_policy

# A made-up 2027 National Day: 1–7 October off, Saturday 9 October worked.
NATIONAL_DAY_2027 = [date(2027, 10, day) for day in range(1, 8)]
MAKE_UP_2027 = [date(2027, 10, 9)]


def enter_2027(admin) -> HolidaySchedule:
    return actions.save_holiday_schedule(
        year=2027,
        holidays=NATIONAL_DAY_2027,
        workdays=MAKE_UP_2027,
        source="国办发明电〔2026〕测试号",
        acting_user=admin,
    )


def test_the_package_covers_2004_to_2026() -> None:
    years = calendar.package_years()
    assert years[0] == 2004 and years[-1] >= 2026
    assert years == tuple(range(2004, years[-1] + 1))  # no gaps


def test_a_year_without_a_schedule_raises_the_named_error(db):
    with pytest.raises(CalendarDataMissing) as missing:
        calendar.notice_end(date(2027, 9, 28), 5)
    assert missing.value.year == 2027 and "2027" in str(missing.value)
    with pytest.raises(CalendarDataMissing):
        calendar.notice_period(get_policy("linze"), starts_on=date(2027, 9, 28))


def test_an_entered_schedule_makes_2027_computable(admin, counties):
    enter_2027(admin)
    # Tue 28 Sep, Wed 29, Thu 30 — holiday 1–7 Oct — Fri 8 Oct, Sat 9 Oct (make-up day).
    assert calendar.notice_end(date(2027, 9, 28), 5) == date(2027, 10, 9)
    assert calendar.is_working_day(date(2027, 10, 9)) and not calendar.is_working_day(date(2027, 10, 4))
    assert "国办发明电〔2026〕测试号" in calendar.calendar_source(2027)
    decision = calendar.notice_period(get_policy("linze"), starts_on=date(2027, 9, 28))
    assert decision.value == "2027-10-09"
    [entry] = Entry.objects.all()
    assert entry.action == "policies.save_holiday_schedule"
    assert entry.payload["workdays"] == ["2027-10-09"]
    assert entry.jurisdiction_code == counties.province.code  # a superuser without a jurisdiction


def test_correcting_a_schedule_is_recorded_with_what_it_replaced(admin, counties):
    enter_2027(admin)
    actions.save_holiday_schedule(
        year=2027, holidays=NATIONAL_DAY_2027[:-1], workdays=[], source="更正通知", acting_user=admin
    )
    assert selectors.working_day_schedules()[2027].workdays == frozenset()
    last = Entry.objects.order_by("-seq").first()
    assert last is not None and last.payload["before"]["workdays"] == ["2027-10-09"]
    actions.delete_holiday_schedule(year=2027, acting_user=admin)
    with pytest.raises(CalendarDataMissing):
        calendar.notice_end(date(2027, 9, 28), 5)
    assert Entry.objects.count() == 3


def test_an_entered_schedule_wins_over_the_package(admin, counties):
    assert calendar.is_working_day(date(2026, 3, 2))
    actions.save_holiday_schedule(
        year=2026, holidays=[date(2026, 3, 2)], workdays=[], source="测试", acting_user=admin
    )
    assert not calendar.is_working_day(date(2026, 3, 2))


def test_only_superusers_enter_schedules_and_bad_schedules_are_refused(officer, admin, counties):
    with pytest.raises(actions.PolicyRefused):
        enter_2027(officer)
    with pytest.raises(actions.PolicyRefused, match="调休上班日应为周六或周日"):
        actions.save_holiday_schedule(
            year=2027, holidays=[], workdays=[date(2027, 10, 8)], source="x", acting_user=admin
        )
    with pytest.raises(actions.PolicyRefused, match="其他年份"):
        actions.save_holiday_schedule(
            year=2027, holidays=[date(2028, 1, 1)], workdays=[], source="x", acting_user=admin
        )
    assert HolidaySchedule.objects.count() == 0
