"""Deadlines: inspection notice lead time, appeal window, validity of a recommendation, the
pre-appointment notice and disclosure periods, and the end of probation.

Working-day periods (公示 "不少于5个工作日") count the first day when it is a working day; see
:func:`xuanren.rules.calendar.notice_end`. Calendar periods ("一周内", "一年") do not count the day
they start from (民法典 第二百零一条) and end on the corresponding day (第二百零二条); where the
policy says so, a last day that is a rest day moves to the next working day (第二百零三条).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from .calendar import Schedules, add_working_days, calendar_source, first_working_day, notice_end
from .decision import Decision, Outcome, cite
from .periods import Unit, describe, period_end
from .policy import Policy
from .schema import NoticeAheadRule, PeriodRule
from .thresholds import not_applicable


def _period_rule(policy: Policy, path: str) -> PeriodRule | None:
    rule = policy.rule(path)
    if rule is not None and not isinstance(rule, PeriodRule):
        raise TypeError(f"{path} 不是期间规则")
    return rule


def last_day(rule: PeriodRule, start: date, schedules: Schedules = None) -> date:
    """Last day of the period ``rule`` that runs from ``start``."""
    if rule.unit is Unit.WORKING_DAYS:
        return notice_end(start, rule.length, schedules)
    end = period_end(start, rule.length, rule.unit)
    if rule.extend_if_rest_day:
        end = first_working_day(end, schedules)
    return end


def _period_decision(
    policy: Policy, path: str, *, subject: str, start: date, what: str, schedules: Schedules = None
) -> Decision:
    rule = _period_rule(policy, path)
    if rule is None:
        return not_applicable(policy, path, subject)
    end = last_day(rule, start, schedules)
    rule_id = policy.rule_id(path)
    if rule.unit is Unit.WORKING_DAYS:
        how = f"自 {start.isoformat()} 起（当日为工作日则计入）{describe(rule.length, rule.unit)}"
        calendars = sorted({calendar_source(y, schedules) for y in range(start.year, end.year + 1)})
        inputs: dict[str, object] = {"calendar": calendars}
    else:
        how = f"自 {start.isoformat()} 次日起算 {describe(rule.length, rule.unit)}"
        if rule.extend_if_rest_day:
            how += "，末日逢休息日顺延"
        inputs = {}
    return Decision(
        outcome=Outcome.INFO,
        rule_id=rule_id,
        source=rule.source,
        explanation=f"{subject}：{how}，{what} {end.isoformat()}{cite(rule_id, rule.source)}",
        inputs={"start": start, "length": rule.length, "unit": rule.unit, **inputs},
        subject=subject,
        value=end,
        policy_version=policy.version,
    )


def notice_period(
    policy: Policy, *, starts_on: date, subject: str = "任前公示", schedules: Schedules = None
) -> Decision:
    """Last day of the pre-appointment notice (e.g. 5 working days)."""
    return _period_decision(
        policy, "notice.period", subject=subject, start=starts_on, what="最后一日为", schedules=schedules
    )


def check_notice_over(
    policy: Policy, *, starts_on: date, today: date, subject: str = "任前公示", schedules: Schedules = None
) -> Decision:
    """Whether the notice period has run out by ``today`` (appointment may follow)."""
    period = notice_period(policy, starts_on=starts_on, subject=subject, schedules=schedules)
    if period.outcome is Outcome.NOT_APPLICABLE:
        return period
    end = date.fromisoformat(period.value)
    over = today > end
    return Decision(
        outcome=Outcome.PASS if over else Outcome.PENDING,
        rule_id=period.rule_id,
        source=period.source,
        explanation=period.explanation.removesuffix(cite(period.rule_id, period.source))
        + (f"；{today.isoformat()} 已期满" if over else f"；{today.isoformat()} 尚未期满")
        + cite(period.rule_id, period.source),
        inputs={**period.inputs, "today": today},
        subject=subject,
        value=period.value,
        policy_version=policy.version,
    )


def disclosure_period(
    policy: Policy, *, round: Literal["first", "second"], starts_on: date, schedules: Schedules = None
) -> Decision:
    """Last day of a round of personal-matters disclosure (003 开鲁县: 5 working days each)."""
    label = "第一次公开" if round == "first" else "第二次公开"
    return _period_decision(
        policy,
        f"disclosure.{round}",
        subject=f"有关事项{label}",
        start=starts_on,
        what="最后一日为",
        schedules=schedules,
    )


def appeal_deadline(policy: Policy, *, feedback_on: date, schedules: Schedules = None) -> Decision:
    """Last day to appeal after the inspection result is fed back (001: 一周内)."""
    return _period_decision(
        policy,
        "inspection.appeal",
        subject="考察结果申诉",
        start=feedback_on,
        what="申诉截止日为",
        schedules=schedules,
    )


def check_appeal_in_time(
    policy: Policy, *, feedback_on: date, appealed_on: date, schedules: Schedules = None
) -> Decision:
    deadline = appeal_deadline(policy, feedback_on=feedback_on, schedules=schedules)
    if deadline.outcome is Outcome.NOT_APPLICABLE:
        return deadline
    end = date.fromisoformat(deadline.value)
    in_time = feedback_on <= appealed_on <= end
    return Decision(
        outcome=Outcome.PASS if in_time else Outcome.FAIL,
        rule_id=deadline.rule_id,
        source=deadline.source,
        explanation=f"考察结果 {feedback_on.isoformat()} 反馈，{appealed_on.isoformat()} 提出申诉，"
        + (f"在 {end.isoformat()} 截止日之内" if in_time else f"已超过 {end.isoformat()} 截止日")
        + cite(deadline.rule_id, deadline.source),
        inputs={**deadline.inputs, "appealed_on": appealed_on},
        subject="考察结果申诉",
        value=deadline.value,
        policy_version=policy.version,
    )


def recommendation_expiry(policy: Policy, *, held_on: date) -> Decision:
    """Last day a recommendation result may be used (baseline: 1 year)."""
    return _period_decision(
        policy, "recommendation.validity", subject="民主推荐结果", start=held_on, what="有效期至"
    )


def check_recommendation_current(policy: Policy, *, held_on: date, today: date) -> Decision:
    expiry = recommendation_expiry(policy, held_on=held_on)
    if expiry.outcome is Outcome.NOT_APPLICABLE:
        return expiry
    end = date.fromisoformat(expiry.value)
    current = today <= end
    return Decision(
        outcome=Outcome.PASS if current else Outcome.FAIL,
        rule_id=expiry.rule_id,
        source=expiry.source,
        explanation=f"民主推荐 {held_on.isoformat()} 进行，有效期至 {end.isoformat()}，{today.isoformat()} "
        + ("仍有效" if current else "已失效，须重新推荐")
        + cite(expiry.rule_id, expiry.source),
        inputs={**expiry.inputs, "today": today},
        subject="民主推荐结果",
        value=expiry.value,
        policy_version=policy.version,
    )


def inspection_notice_deadline(
    policy: Policy, *, inspection_starts: date, schedules: Schedules = None
) -> Decision:
    """Latest day the inspection notice may go up (000: 提前2天)."""
    path = "inspection.notice"
    rule = policy.rule(path)
    if not isinstance(rule, NoticeAheadRule) or rule.days_ahead is None:
        return not_applicable(policy, path, "考察预告", "未规定提前天数")
    if rule.unit == "working_days":
        latest = add_working_days(inspection_starts, -rule.days_ahead, schedules)
        ahead = f"提前 {rule.days_ahead} 个工作日"
    else:
        latest = inspection_starts - timedelta(days=rule.days_ahead)
        ahead = f"提前 {rule.days_ahead} 天"
    rule_id = policy.rule_id(path)
    published = f"（预告{'、'.join(rule.published)}）" if rule.published else ""
    return Decision(
        outcome=Outcome.INFO,
        rule_id=rule_id,
        source=rule.source,
        explanation=f"考察 {inspection_starts.isoformat()} 开始，{ahead}预告{published}，最迟 {latest.isoformat()} 发布"
        + cite(rule_id, rule.source),
        inputs={"inspection_starts": inspection_starts, "days_ahead": rule.days_ahead, "unit": rule.unit},
        subject="考察预告",
        value=latest,
        policy_version=policy.version,
    )


def check_inspection_notice(
    policy: Policy, *, posted_on: date, inspection_starts: date, schedules: Schedules = None
) -> Decision:
    deadline = inspection_notice_deadline(policy, inspection_starts=inspection_starts, schedules=schedules)
    if deadline.outcome is Outcome.NOT_APPLICABLE:
        return deadline
    latest = date.fromisoformat(deadline.value)
    in_time = posted_on <= latest
    return Decision(
        outcome=Outcome.PASS if in_time else Outcome.FAIL,
        rule_id=deadline.rule_id,
        source=deadline.source,
        explanation=f"考察预告 {posted_on.isoformat()} 发布，考察 {inspection_starts.isoformat()} 开始，"
        + (
            f"不晚于 {latest.isoformat()}，符合要求"
            if in_time
            else f"晚于最迟发布日 {latest.isoformat()}，预告时间不足"
        )
        + cite(deadline.rule_id, deadline.source),
        inputs={**deadline.inputs, "posted_on": posted_on},
        subject="考察预告",
        value=deadline.value,
        policy_version=policy.version,
    )


def probation_end(policy: Policy, *, appointed_on: date, remind_days_before: int = 30) -> Decision:
    """End of probation (baseline: 1 year) and the day to start the end-of-probation assessment.

    The reminder lead time is a setting of the caller, not a rule of any document.
    """
    path = "probation.period"
    rule = _period_rule(policy, path)
    if rule is None:
        return not_applicable(policy, path, "试用期")
    end = last_day(rule, appointed_on)
    remind = end - timedelta(days=remind_days_before)
    rule_id = policy.rule_id(path)
    return Decision(
        outcome=Outcome.INFO,
        rule_id=rule_id,
        source=rule.source,
        explanation=f"试用期：{appointed_on.isoformat()} 任职，试用期 {describe(rule.length, rule.unit)}，"
        f"{end.isoformat()} 期满；{remind.isoformat()} 起安排试用期满考核（提前 {remind_days_before} 天提醒）"
        + cite(rule_id, rule.source),
        inputs={
            "appointed_on": appointed_on,
            "length": rule.length,
            "unit": rule.unit,
            "remind_days_before": remind_days_before,
        },
        subject="试用期",
        value={"ends_on": end, "remind_on": remind},
        policy_version=policy.version,
    )
