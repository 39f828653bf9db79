"""Ratio cuts and list sizes; a tie at the cut-off is reported with the meeting that settles it."""

from __future__ import annotations

import pytest

from xuanren.rules.decision import Outcome, RuleInputError
from xuanren.rules.policy import get_policy
from xuanren.rules.shortlist import check_ratio, marks_allowed, shortlist

LINZE = get_policy("linze")


def test_a_clean_cut_takes_the_top_and_keeps_the_rest_as_reserve() -> None:
    cut = shortlist(LINZE, "inspection.ratio", scores={"甲": 80, "乙": 60, "丙": 50}, base=1)
    assert cut.decision.outcome is Outcome.PASS
    assert cut.selected == ("甲", "乙")  # 000: more than 1 per post -> at least 2 for 1 post
    assert cut.others == ("丙",)
    assert "可由会议研究是否增列" in cut.decision.explanation


def test_a_tie_at_the_cut_off_is_reported_with_the_meeting_that_settles_it() -> None:
    cut = shortlist(LINZE, "inspection.ratio", scores={"甲": 80, "乙": 60, "丙": 60, "丁": 10}, base=1)
    assert cut.decision.outcome is Outcome.TIE
    assert cut.selected == ("甲",)
    assert cut.tied == ("乙", "丙")
    assert cut.seats_in_tie == 1
    assert cut.others == ("丁",)
    assert "县委人事酝酿会议" in cut.decision.explanation
    assert cut.decision.value["settled_by"] == "县委人事酝酿会议"


def test_a_tie_of_everyone_leaves_nobody_selected_but_nobody_dropped() -> None:
    cut = shortlist(LINZE, "inspection.ratio", scores={"甲": 5, "乙": 5, "丙": 5}, base=1)
    assert cut.decision.outcome is Outcome.TIE
    assert cut.selected == () and cut.tied == ("甲", "乙", "丙") and cut.seats_in_tie == 2


def test_a_tie_above_the_cut_off_is_no_tie() -> None:
    cut = shortlist(LINZE, "inspection.ratio", scores={"甲": 60, "乙": 60, "丙": 50}, base=1)
    assert cut.decision.outcome is Outcome.PASS
    assert cut.selected == ("甲", "乙")


def test_too_few_people_for_a_competitive_list_fails() -> None:
    cut = shortlist(LINZE, "inspection.ratio", scores={"甲": 80}, base=1)
    assert cut.decision.outcome is Outcome.FAIL
    assert "差额不足" in cut.decision.explanation


def test_at_least_one_to_two_needs_twice_the_posts() -> None:
    policy = get_policy("supervision-001")
    cut = shortlist(policy, "inspection.ratio", scores={"甲": 9, "乙": 8, "丙": 7, "丁": 6, "戊": 5}, base=2)
    assert cut.size == 4 and cut.selected == ("甲", "乙", "丙", "丁") and cut.others == ("戊",)


@pytest.mark.parametrize(("count", "expected"), [(6, Outcome.PASS), (5, Outcome.FAIL), (7, Outcome.FAIL)])
def test_the_nomination_proposal_list_is_one_to_three(count: int, expected: Outcome) -> None:
    # 000 一、（五提名）: 按选任职位1∶3的差额比例综合确定提名建议人选 (2 posts -> 6 people)
    assert check_ratio(LINZE, "nomination.proposal_ratio", base=2, count=count).outcome is expected


@pytest.mark.parametrize(("count", "expected"), [(4, Outcome.PASS), (3, Outcome.FAIL), (5, Outcome.FAIL)])
def test_the_nominee_list_is_one_to_two(count: int, expected: Outcome) -> None:
    assert check_ratio(LINZE, "nomination.candidate_ratio", base=2, count=count).outcome is expected


@pytest.mark.parametrize(
    ("per_post", "expected"),
    [
        ({"镇长": 2, "副镇长": 2}, Outcome.PASS),
        ({"镇长": 3, "副镇长": 1}, Outcome.FAIL),
        ({"镇长": 4, "副镇长": 0}, Outcome.FAIL),
    ],
)
def test_a_list_drawn_up_for_several_posts_meets_the_ratio_post_by_post(
    per_post: dict, expected: Outcome
) -> None:
    # 4 people for 2 posts is 1:2 in sum; 3 for one post and 1 for the other is not 1:2 per post.
    decision = check_ratio(
        LINZE, "nomination.candidate_ratio", base=2, count=4, subject="提名人选", per_post=per_post
    )
    assert decision.outcome is expected
    assert decision.inputs["posts"] == per_post and decision.inputs["required"] == 2
    assert "每个职位按 1:2 应为 2 人" in decision.explanation
    if expected is Outcome.FAIL:
        assert "副镇长差额不足" in decision.explanation


def test_same_post_more_than_one_is_checked_for_each_post() -> None:
    # 000 一、（四差额）三是: 按同一职位多于1人的差额比例研究提出建议人选
    ok = check_ratio(LINZE, "deliberation.ratio", base=2, count=5, per_post={"镇长": 3, "副镇长": 2})
    short = check_ratio(LINZE, "deliberation.ratio", base=2, count=4, per_post={"镇长": 3, "副镇长": 1})
    assert ok.outcome is Outcome.PASS and short.outcome is Outcome.FAIL
    assert "须多于 1 人" in short.explanation and "副镇长 1 人" in short.explanation
    # One post: the sum is the post's own count.
    assert (
        check_ratio(LINZE, "deliberation.ratio", base=1, count=2, per_post={"镇长": 2}).inputs.get("per")
        is None
    )


def test_per_post_counts_must_add_up() -> None:
    with pytest.raises(RuleInputError, match="不符"):
        check_ratio(LINZE, "deliberation.ratio", base=2, count=5, per_post={"镇长": 3, "副镇长": 1})


def test_handan_ballots_carry_twice_the_inspection_candidates() -> None:
    decision = marks_allowed(get_policy("handan"), "recommendation.ratio", base=3)
    assert decision.value == 6
    assert decision.source == "004 重公信·创新推荐方式"


def test_a_list_rule_cannot_be_used_as_a_cut() -> None:
    with pytest.raises(ValueError, match="不是按得票截取"):
        shortlist(LINZE, "nomination.proposal_ratio", scores={"甲": 1}, base=1)


def test_no_rule_means_not_applicable_and_nobody_cut() -> None:
    cut = shortlist(get_policy("handan"), "inspection.ratio", scores={"甲": 3, "乙": 2}, base=1)
    assert cut.decision.outcome is Outcome.NOT_APPLICABLE
    assert cut.selected == ("甲", "乙")
