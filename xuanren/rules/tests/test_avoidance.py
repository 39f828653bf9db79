"""Appointment avoidance (任职回避)."""

from __future__ import annotations

from xuanren.rules.avoidance import ProposedPost, Relative, check_avoidance
from xuanren.rules.decision import Outcome
from xuanren.rules.policy import get_policy
from xuanren.rules.vocabulary import Kinship, PostFunction

NATIONAL = get_policy("national-2019")
FINANCE_POST = ProposedPost(unit="县财政局", title="财务科科长", function=PostFunction.FINANCE)


def test_a_spouse_in_a_direct_line_of_supervision_must_avoid() -> None:
    wife = Relative("李梅", Kinship.SPOUSE, unit="县财政局", title="副局长", direct_line=True)
    result = check_avoidance(NATIONAL, cadre="王强", post=FINANCE_POST, relatives=[wife])
    assert result.overall.outcome is Outcome.FAIL
    assert result.checks[0].rule_id == "national-2019 avoidance.direct_line"


def test_finance_work_in_a_unit_a_relative_leads_must_avoid() -> None:
    father = Relative("王父", Kinship.LINEAL, unit="县财政局", title="局长", leads_unit=True)
    result = check_avoidance(NATIONAL, cadre="王强", post=FINANCE_POST, relatives=[father])
    assert not result.clear
    assert "财务" in result.checks[0].explanation


def test_leading_a_unit_where_a_relative_does_audit_work_must_avoid() -> None:
    cousin = Relative(
        "张表", Kinship.COLLATERAL_3, unit="县审计局", title="审计员", function=PostFunction.AUDIT
    )
    post = ProposedPost(unit="县审计局", title="局长", leads_unit=True)
    assert (
        check_avoidance(NATIONAL, cadre="王强", post=post, relatives=[cousin]).overall.outcome is Outcome.FAIL
    )


def test_a_relative_in_the_same_unit_without_supervision_or_sensitive_work_is_fine() -> None:
    brother = Relative("王弟", Kinship.COLLATERAL_3, unit="县财政局", title="科员")
    post = ProposedPost(unit="县财政局", title="办公室主任")
    result = check_avoidance(NATIONAL, cadre="王强", post=post, relatives=[brother])
    assert result.clear and result.checks[0].outcome is Outcome.PASS


def test_relatives_elsewhere_or_outside_the_covered_relations_are_not_concerned() -> None:
    friend = Relative("赵友", Kinship.OTHER, unit="县财政局", title="局长", leads_unit=True, direct_line=True)
    aunt = Relative("王姑", Kinship.COLLATERAL_3, unit="县教育局", title="局长", leads_unit=True)
    assert check_avoidance(NATIONAL, cadre="王强", post=FINANCE_POST, relatives=[friend, aunt]).clear


def test_county_heads_avoid_their_home_area() -> None:
    post = ProposedPost(unit="甲县县委", title="书记", kind="县级党委正职", area="甲县")
    assert (
        check_avoidance(NATIONAL, cadre="王强", post=post, home_area="甲县").overall.outcome is Outcome.FAIL
    )
    assert check_avoidance(NATIONAL, cadre="王强", post=post, home_area="乙县").clear
    assert check_avoidance(NATIONAL, cadre="王强", post=post).overall.outcome is Outcome.PENDING
