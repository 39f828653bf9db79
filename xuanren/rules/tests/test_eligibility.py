"""Eligibility of a cadre for a post, and exceptional promotion as a recorded exception."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from xuanren.rules.decision import Outcome
from xuanren.rules.eligibility import (
    AuditStatus,
    CadreFacts,
    ExceptionalRequest,
    HigherApproval,
    PostRequirements,
    check_eligibility,
)
from xuanren.rules.policy import get_policy
from xuanren.rules.vocabulary import Education, EligibilityCheck, Level

NATIONAL = get_policy("national-2019")
TODAY = date(2025, 6, 1)

# A section head (乡科级正职) since 2022-03-01, for a county deputy post (县处级副职).
CADRE = CadreFacts(
    name="张三",
    birth_date=date(1985, 5, 1),
    work_start=date(2008, 7, 1),
    education=Education.BACHELOR,
    current_level=Level.SECTION_HEAD,
    level_since=date(2022, 3, 1),
    grassroots_months=30,
    last_promotion=date(2022, 3, 1),
)
POST = PostRequirements(title="县发改局局长", level=Level.COUNTY_DEPUTY)
APPROVAL = HigherApproval("市委组织部", "市组干〔2025〕1号", date(2025, 5, 20))


def check(cadre: CadreFacts = CADRE, post: PostRequirements = POST, **kwargs: object):
    return check_eligibility(
        kwargs.pop("policy", NATIONAL), cadre, post, today=kwargs.pop("today", TODAY), **kwargs
    )  # type: ignore[arg-type]


def outcome_of(result, check_name: EligibilityCheck) -> Outcome:
    outcomes = [d.outcome for d in result.checks if d.inputs.get("check") == check_name.value]
    assert outcomes, f"no decision for {check_name}"
    return outcomes[0]


def test_a_cadre_meeting_every_condition_is_eligible() -> None:
    result = check()
    assert result.eligible
    assert result.overall.explanation == "张三 任 县发改局局长（县处级副职）：符合任职条件"


@pytest.mark.parametrize(
    ("since", "expected"),
    # 条例 第八条: lower-level head to upper-level deputy needs 3 years; complete on the anniversary.
    [(date(2022, 6, 1), Outcome.PASS), (date(2022, 6, 2), Outcome.FAIL), (date(2022, 5, 31), Outcome.PASS)],
)
def test_years_in_rank_boundary(since: date, expected: Outcome) -> None:
    result = check(replace(CADRE, level_since=since))
    assert outcome_of(result, EligibilityCheck.YEARS_IN_RANK) is expected


def test_deputy_to_head_needs_two_years() -> None:
    cadre = replace(CADRE, current_level=Level.SECTION_DEPUTY, level_since=date(2023, 6, 2))
    post = PostRequirements(title="局长", level=Level.SECTION_HEAD)
    assert outcome_of(check(cadre, post), EligibilityCheck.YEARS_IN_RANK) is Outcome.FAIL
    assert (
        outcome_of(check(replace(cadre, level_since=date(2023, 6, 1)), post), EligibilityCheck.YEARS_IN_RANK)
        is Outcome.PASS
    )


def test_a_post_announcement_may_ask_for_more_years_than_the_policy() -> None:
    post = replace(POST, min_years_in_rank=4)
    result = check(post=post)
    decision = next(d for d in result.checks if d.inputs.get("check") == "years_in_rank")
    assert decision.outcome is Outcome.FAIL and decision.rule_id == "职位公告 min_years_in_rank"


@pytest.mark.parametrize(("months", "expected"), [(24, Outcome.PASS), (23, Outcome.FAIL)])
def test_grassroots_experience_boundary(months: int, expected: Outcome) -> None:
    assert (
        outcome_of(check(replace(CADRE, grassroots_months=months)), EligibilityCheck.GRASSROOTS) is expected
    )


def test_years_of_service_apply_from_county_level_only() -> None:
    young = replace(CADRE, work_start=date(2021, 1, 1))
    assert outcome_of(check(young), EligibilityCheck.YEARS_OF_SERVICE) is Outcome.FAIL
    section_post = PostRequirements(title="副局长", level=Level.SECTION_HEAD)
    cadre = replace(young, current_level=Level.SECTION_DEPUTY, level_since=date(2021, 1, 1))
    assert outcome_of(check(cadre, section_post), EligibilityCheck.YEARS_OF_SERVICE) is Outcome.NOT_APPLICABLE


def test_education_levels_from_policy_and_post() -> None:
    assert (
        outcome_of(check(replace(CADRE, education=Education.JUNIOR_COLLEGE)), EligibilityCheck.EDUCATION)
        is Outcome.PASS
    )
    assert (
        outcome_of(
            check(replace(CADRE, education=Education.SECONDARY_VOCATIONAL)), EligibilityCheck.EDUCATION
        )
        is Outcome.FAIL
    )
    bureau = PostRequirements(title="市局副局长", level=Level.BUREAU_DEPUTY)
    cadre = replace(
        CADRE,
        education=Education.JUNIOR_COLLEGE,
        current_level=Level.COUNTY_HEAD,
        level_since=date(2020, 1, 1),
    )
    assert outcome_of(check(cadre, bureau), EligibilityCheck.EDUCATION) is Outcome.FAIL
    master_post = replace(POST, min_education=Education.MASTER)
    assert outcome_of(check(post=master_post), EligibilityCheck.EDUCATION) is Outcome.FAIL


@pytest.mark.parametrize(("max_age", "expected"), [(40, Outcome.PASS), (39, Outcome.FAIL)])
def test_age_limit_of_the_post(max_age: int, expected: Outcome) -> None:
    # born 1985-05-01: 40 on 2025-06-01
    assert outcome_of(check(post=replace(POST, max_age=max_age)), EligibilityCheck.AGE) is expected


def test_missing_training_is_allowed_within_a_year_and_recorded() -> None:
    result = check(replace(CADRE, training_done=False))
    assert result.eligible
    assert "提任后1年内完成培训" in result.flags


def test_a_disciplinary_period_not_over_bars_promotion() -> None:
    result = check(replace(CADRE, discipline_until=date(2025, 6, 1)))
    assert outcome_of(result, EligibilityCheck.DISCIPLINE) is Outcome.FAIL
    assert not result.eligible


def test_promotion_after_a_disciplinary_period_is_an_important_circumstance() -> None:
    result = check(replace(CADRE, discipline_until=date(2025, 5, 31)))
    assert result.eligible
    assert "受纪律处分干部到期后提拔任用" in result.flags


def test_audit_violation_is_a_one_vote_veto_where_the_policy_says_so() -> None:
    cadre = replace(CADRE, audit=AuditStatus.VIOLATION)
    assert check(cadre, policy=get_policy("linze")).overall.outcome is Outcome.FAIL
    assert check(cadre, policy=get_policy("supervision-001")).overall.outcome is Outcome.FAIL
    # The national baseline has no veto: the finding is shown, not decisive.
    assert check(cadre).eligible


def test_promotion_waits_for_the_audit_where_every_promotion_is_audited() -> None:
    policy = get_policy("county-30-60")  # 002: 拟提必审
    assert check(policy=policy).overall.outcome is Outcome.PENDING
    assert check(replace(CADRE, audit=AuditStatus.CLEAN), policy=policy).eligible


def test_unverified_complaints_hold_the_appointment_under_linze() -> None:
    result = check(replace(CADRE, unverified_complaints=1), policy=get_policy("linze"))
    assert result.overall.outcome is Outcome.PENDING
    assert "未查实" in result.overall.explanation


def test_relatives_of_leaders_are_flagged() -> None:
    assert "提拔领导干部配偶、子女及其他直系亲属" in check(replace(CADRE, relative_of_leader=True)).flags


# --- exceptional promotion (破格提拔, 第九条) ------------------------------------------------

SHORT = replace(CADRE, level_since=date(2023, 6, 1), last_promotion=date(2023, 6, 1))  # 2 of 3 years


def test_short_of_years_without_an_exception_fails_and_says_how_to_proceed() -> None:
    result = check(SHORT)
    assert result.overall.outcome is Outcome.FAIL
    assert "破格提拔" in result.overall.explanation


def test_an_exception_without_a_recorded_approval_is_pending() -> None:
    result = check(SHORT, exceptional=ExceptionalRequest(reason="特别优秀"))
    assert result.overall.outcome is Outcome.PENDING
    assert "上级组织（人事）部门" in result.overall.explanation
    assert not result.waived


def test_an_approved_exception_waives_the_years_and_is_recorded() -> None:
    result = check(SHORT, exceptional=ExceptionalRequest(reason="特别优秀", approval=APPROVAL))
    assert result.eligible
    assert result.waived == (EligibilityCheck.YEARS_IN_RANK,)
    assert "破格提拔" in result.flags
    # The failed check stays visible.
    assert outcome_of(result, EligibilityCheck.YEARS_IN_RANK) is Outcome.FAIL


def test_an_approval_dated_after_today_does_not_count() -> None:
    late = HigherApproval("市委组织部", "市组干〔2025〕9号", date(2025, 6, 2))
    assert (
        check(SHORT, exceptional=ExceptionalRequest(reason="特别优秀", approval=late)).overall.outcome
        is Outcome.PENDING
    )


def test_an_exception_never_bypasses_a_bar() -> None:
    cadre = replace(SHORT, discipline_until=date(2025, 12, 31))
    result = check(cadre, exceptional=ExceptionalRequest(reason="特别优秀", approval=APPROVAL))
    assert result.overall.outcome is Outcome.FAIL
    assert EligibilityCheck.DISCIPLINE not in result.waived


def test_no_exception_during_probation() -> None:
    cadre = replace(SHORT, probation_until=date(2025, 6, 1))
    result = check(cadre, exceptional=ExceptionalRequest(reason="特别优秀", approval=APPROVAL))
    assert outcome_of(result, EligibilityCheck.PROBATION) is Outcome.FAIL
    assert not result.eligible


def test_no_exception_within_a_year_of_the_last_promotion() -> None:
    cadre = replace(SHORT, last_promotion=date(2024, 6, 2))
    result = check(cadre, exceptional=ExceptionalRequest(reason="特别优秀", approval=APPROVAL))
    assert outcome_of(result, EligibilityCheck.SINCE_LAST_PROMOTION) is Outcome.FAIL
    assert not result.eligible


def test_probation_and_one_year_bind_only_exceptional_promotion_in_the_baseline() -> None:
    cadre = replace(CADRE, probation_until=date(2025, 12, 31))
    result = check(cadre)
    assert outcome_of(result, EligibilityCheck.PROBATION) is Outcome.NOT_APPLICABLE
    assert "只约束破格提拔" in next(
        d.explanation for d in result.checks if d.inputs.get("check") == "probation"
    )


def test_no_consecutive_exception_on_years() -> None:
    cadre = replace(SHORT, last_promotion_exceptional_on_years=True)
    result = check(cadre, exceptional=ExceptionalRequest(reason="特别优秀", approval=APPROVAL))
    assert not result.eligible
    assert "不得连续破格" in result.decisions()[-2].explanation


def test_skipping_one_level_needs_an_exception_and_two_levels_are_never_allowed() -> None:
    deputy = replace(CADRE, current_level=Level.SECTION_DEPUTY, level_since=date(2019, 1, 1))
    one_skip = check(deputy)
    assert outcome_of(one_skip, EligibilityCheck.LEVEL_SKIP) is Outcome.FAIL and not one_skip.eligible
    approved = check(deputy, exceptional=ExceptionalRequest(reason="工作特殊需要", approval=APPROVAL))
    assert approved.eligible and EligibilityCheck.LEVEL_SKIP in approved.waived
    two_skips = check(
        deputy,
        PostRequirements(title="县长", level=Level.COUNTY_HEAD),
        exceptional=ExceptionalRequest(reason="工作特殊需要", approval=APPROVAL),
    )
    assert not two_skips.eligible
    assert "超过最多越 1 级" in two_skips.overall.explanation


def test_a_reason_outside_the_rule_is_refused() -> None:
    result = check(SHORT, exceptional=ExceptionalRequest(reason="资历较深", approval=APPROVAL))
    assert not result.eligible


def test_every_eligibility_decision_is_json() -> None:
    import json

    result = check(SHORT, exceptional=ExceptionalRequest(reason="特别优秀", approval=APPROVAL))
    json.dumps([d.to_dict() for d in result.decisions()], ensure_ascii=False, allow_nan=False)
