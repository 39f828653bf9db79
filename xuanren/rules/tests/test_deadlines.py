"""Deadlines: inspection notice, appeal window, recommendation validity, notice, probation."""

from __future__ import annotations

from datetime import date

import pytest

from xuanren.rules.calendar import CalendarDataMissing, YearSchedule
from xuanren.rules.deadlines import (
    appeal_deadline,
    check_appeal_in_time,
    check_inspection_notice,
    check_notice_over,
    check_recommendation_current,
    disclosure_period,
    inspection_notice_deadline,
    notice_period,
    probation_end,
    recommendation_expiry,
)
from xuanren.rules.decision import Outcome
from xuanren.rules.policy import get_policy

LINZE = get_policy("linze")
STUDY = get_policy("supervision-001")


@pytest.mark.parametrize(
    ("posted", "expected"),
    # 000 一、（两公开）二是 考察对象……提前2天……预告: inspection starting 3-10 needs the notice by 3-8.
    [(date(2025, 3, 8), Outcome.PASS), (date(2025, 3, 7), Outcome.PASS), (date(2025, 3, 9), Outcome.FAIL)],
)
def test_inspection_notice_two_days_ahead(posted: date, expected: Outcome) -> None:
    assert (
        check_inspection_notice(LINZE, posted_on=posted, inspection_starts=date(2025, 3, 10)).outcome
        is expected
    )
    assert inspection_notice_deadline(LINZE, inspection_starts=date(2025, 3, 10)).value == "2025-03-08"


def test_the_national_baseline_sets_no_lead_time_for_the_inspection_notice() -> None:
    decision = inspection_notice_deadline(get_policy("national-2019"), inspection_starts=date(2025, 3, 10))
    assert decision.outcome is Outcome.NOT_APPLICABLE


def test_the_appeal_window_is_one_week_after_feedback() -> None:
    # 001 二、（二）7 一周内: fed back on Tuesday 2025-06-03, last day Tuesday 2025-06-10.
    assert appeal_deadline(STUDY, feedback_on=date(2025, 6, 3)).value == "2025-06-10"
    assert check_appeal_in_time(STUDY, feedback_on=date(2025, 6, 3), appealed_on=date(2025, 6, 10)).passed
    assert not check_appeal_in_time(STUDY, feedback_on=date(2025, 6, 3), appealed_on=date(2025, 6, 11)).passed


def test_an_appeal_window_ending_in_a_holiday_runs_to_the_next_working_day() -> None:
    # 2025-09-24 + 1 week = 10-01, National Day: the window runs to 10-09.
    assert appeal_deadline(STUDY, feedback_on=date(2025, 9, 24)).value == "2025-10-09"


def test_a_recommendation_is_valid_for_a_year() -> None:
    assert recommendation_expiry(LINZE, held_on=date(2024, 5, 10)).value == "2025-05-10"
    assert check_recommendation_current(LINZE, held_on=date(2024, 5, 10), today=date(2025, 5, 10)).passed
    assert not check_recommendation_current(LINZE, held_on=date(2024, 5, 10), today=date(2025, 5, 11)).passed
    # A year from 29 February ends on 28 February.
    assert recommendation_expiry(LINZE, held_on=date(2024, 2, 29)).value == "2025-02-28"


def test_the_pre_appointment_notice_runs_five_working_days_across_national_day() -> None:
    decision = notice_period(LINZE, starts_on=date(2025, 9, 26))
    assert decision.value == "2025-10-09"
    assert decision.inputs["calendar"] == ["chinese_calendar 1.11.0"]
    assert (
        check_notice_over(LINZE, starts_on=date(2025, 9, 26), today=date(2025, 10, 9)).outcome
        is Outcome.PENDING
    )
    assert check_notice_over(LINZE, starts_on=date(2025, 9, 26), today=date(2025, 10, 10)).passed


def test_a_notice_into_2027_needs_the_entered_schedule() -> None:
    with pytest.raises(CalendarDataMissing):
        notice_period(LINZE, starts_on=date(2026, 12, 30))
    schedule = YearSchedule(2027, holidays=frozenset({date(2027, 1, 1)}), source="测试数据（非官方安排）")
    decision = notice_period(LINZE, starts_on=date(2026, 12, 30), schedules=[schedule])
    assert decision.value == "2027-01-06"
    assert any("测试数据" in source for source in decision.inputs["calendar"])


def test_both_disclosure_rounds_run_five_working_days() -> None:
    tongliao = get_policy("tongliao-003")
    assert disclosure_period(tongliao, round="first", starts_on=date(2026, 2, 12)).value == "2026-02-25"
    assert disclosure_period(tongliao, round="second", starts_on=date(2025, 9, 30)).value == "2025-10-13"


def test_probation_ends_a_year_after_appointment_with_a_reminder() -> None:
    decision = probation_end(LINZE, appointed_on=date(2025, 3, 15), remind_days_before=30)
    assert decision.value == {"ends_on": "2026-03-15", "remind_on": "2026-02-13"}
