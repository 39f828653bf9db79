"""Boundary tests: exactly at each threshold, one vote above, one vote below."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from xuanren.rules.decision import Outcome, RuleInputError
from xuanren.rules.evaluation import judge_evaluation, judge_trust_vote
from xuanren.rules.meetings import check_quorum, judge_vote
from xuanren.rules.policy import builtin_registry, get_policy
from xuanren.rules.recommendation import check_recommendation_attendance, judge_recommendation
from xuanren.rules.schema import ThresholdRule
from xuanren.rules.thresholds import judge_share
from xuanren.rules.vocabulary import Denominator, RecommendationMode

PASS, FAIL = Outcome.PASS, Outcome.FAIL


def _threshold_rules() -> list[tuple[str, str]]:
    return [
        (policy.label, path)
        for policy in builtin_registry().all_latest()
        for path, rule in policy.rules()
        if isinstance(rule, ThresholdRule)
    ]


@pytest.mark.parametrize(("policy_ref", "path"), _threshold_rules())
def test_every_threshold_at_below_and_above(policy_ref: str, path: str) -> None:
    policy = get_policy(policy_ref)
    rule = policy.rule(path)
    assert isinstance(rule, ThresholdRule)
    denominator = rule.share.value.denominator * 12
    at = rule.share.value * denominator
    assert at.denominator == 1
    count = int(at)

    def outcome(votes: int) -> Outcome:
        return judge_share(
            policy, path, subject="甲", count=votes, denominators=dict.fromkeys(Denominator, denominator)
        ).outcome

    assert outcome(count + 1) is PASS
    assert outcome(count - 1) is FAIL
    assert outcome(count) is (PASS if rule.comparison == "at_least" else FAIL)


def recommend(policy: str, votes: int, participants: int = 120, mode: str = "from_list") -> Outcome:
    return judge_recommendation(
        get_policy(policy),
        candidate="李四",
        votes=votes,
        participants=participants,
        mode=RecommendationMode(mode),
    ).outcome


@pytest.mark.parametrize(
    ("policy", "mode", "votes", "expected"),
    [
        # 000 三、 民主推荐达不到三分之一的不列为考察人选: 40/120 is exactly one third.
        ("linze", "from_list", 40, PASS),
        ("linze", "from_list", 41, PASS),
        ("linze", "from_list", 39, FAIL),
        ("linze", "open", 40, PASS),
        ("linze", "open", 39, FAIL),
        # 002 一、一是 不提名推荐票未达30%: 36/120 = 30%.
        ("county-30-60", "open", 36, PASS),
        ("county-30-60", "open", 37, PASS),
        ("county-30-60", "open", 35, FAIL),
        # 002 一、一是 提名推荐票未达60%: 72/120 = 60%.
        ("county-30-60", "from_list", 72, PASS),
        ("county-30-60", "from_list", 73, PASS),
        ("county-30-60", "from_list", 71, FAIL),
    ],
)
def test_recommendation_threshold_boundaries(policy: str, mode: str, votes: int, expected: Outcome) -> None:
    assert recommend(policy, votes, mode=mode) is expected


def test_share_of_exactly_one_third_passes() -> None:
    decision = judge_recommendation(get_policy("linze"), candidate="张三", votes=40, participants=120)
    assert decision.passed
    assert decision.inputs["share"] == "40/120"
    assert Fraction(decision.inputs["threshold_value"]) == Fraction(1, 3)
    assert "40/120 ≈ 33.33% ≥ 1/3" in decision.explanation


def test_share_just_under_one_third_fails_with_the_arithmetic_in_words() -> None:
    decision = judge_recommendation(get_policy("linze"), candidate="李四", votes=39, participants=120)
    assert decision.outcome is FAIL
    assert decision.explanation.startswith(
        "李四 39/120 = 32.5% < 1/3，不列为考察人选（linze recommendation.threshold."
    )
    assert decision.explanation.endswith("，000 三、）")
    assert decision.source == "000 三、"
    json.dumps(decision.to_dict(), ensure_ascii=False)


def test_the_same_votes_differ_between_linze_and_county_30_60() -> None:
    # 39/120 = 32.5%: under 1/3 in linze, over 30% for an open recommendation in county-30-60.
    assert recommend("linze", 39, mode="open") is FAIL
    assert recommend("county-30-60", 39, mode="open") is PASS
    assert recommend("county-30-60", 39, mode="from_list") is FAIL


def test_the_national_baseline_has_no_recommendation_threshold() -> None:
    decision = judge_recommendation(get_policy("national-2019"), candidate="王五", votes=1, participants=120)
    assert decision.outcome is Outcome.NOT_APPLICABLE
    assert "不简单以票取人" in decision.explanation


def test_a_threshold_on_valid_ballots_needs_the_valid_ballot_count() -> None:
    with pytest.raises(RuleInputError, match="有效票数"):
        judge_share(get_policy("linze"), "inspection.evaluation", subject="甲", count=1, denominators={})


def test_more_votes_than_voters_is_refused() -> None:
    with pytest.raises(RuleInputError):
        judge_recommendation(get_policy("linze"), candidate="甲", votes=121, participants=120)


@pytest.mark.parametrize(
    ("approving", "expected"),
    # 000 三、 考察测评不过半的不酝酿: exactly half is not over half.
    [(50, FAIL), (51, PASS), (49, FAIL)],
)
def test_evaluation_must_be_over_half(approving: int, expected: Outcome) -> None:
    counts = {
        "优秀": approving // 2,
        "称职": approving - approving // 2,
        "基本称职": 100 - approving,
        "不称职": 0,
    }
    assert judge_evaluation(get_policy("linze"), candidate="张三", counts=counts).outcome is expected


def test_blank_evaluation_ballots_count_as_cast() -> None:
    # 51 approving of 100 graded plus 2 blank: 51/102 is not over half.
    counts = {"优秀": 51, "不称职": 49}
    assert judge_evaluation(get_policy("linze"), candidate="张三", counts=counts).outcome is PASS
    assert judge_evaluation(get_policy("linze"), candidate="张三", counts=counts, blank=2).outcome is FAIL


def test_an_unknown_evaluation_grade_is_refused() -> None:
    with pytest.raises(RuleInputError, match="测评等次"):
        judge_evaluation(get_policy("linze"), candidate="张三", counts={"满意": 10})


@pytest.mark.parametrize(("trust", "expected"), [(60, PASS), (61, PASS), (59, FAIL)])
def test_trust_vote_under_sixty_percent_moves_down(trust: int, expected: Outcome) -> None:
    # 002 一、二是 凡群众信任票未达60% ... 一律降免职
    counts = {"信任": trust, "基本信任": 100 - trust, "不信任": 0}
    assert judge_trust_vote(get_policy("county-30-60"), cadre="王五", counts=counts).outcome is expected


def test_last_place_with_enough_trust_waits_for_inspection_then_moves_down() -> None:
    policy = get_policy("county-30-60")
    counts = {"信任": 70, "基本信任": 20, "不信任": 10}
    assert judge_trust_vote(policy, cadre="王五", counts=counts, ranked_last=True).outcome is Outcome.PENDING
    confirmed = judge_trust_vote(policy, cadre="王五", counts=counts, ranked_last=True, confirmed_unfit=True)
    assert confirmed.outcome is FAIL and confirmed.rule_id == "county-30-60 moving_down.last_place"
    cleared = judge_trust_vote(policy, cadre="王五", counts=counts, ranked_last=True, confirmed_unfit=False)
    assert cleared.outcome is PASS


@pytest.mark.parametrize(
    ("members", "present", "expected"),
    [(9, 6, PASS), (9, 7, PASS), (9, 5, FAIL), (11, 8, PASS), (11, 7, FAIL)],
)
def test_quorum_is_at_least_two_thirds_present(members: int, present: int, expected: Outcome) -> None:
    assert check_quorum(get_policy("national-2019"), members=members, present=present).outcome is expected


@pytest.mark.parametrize(
    ("members", "present", "in_favour", "expected"),
    [
        (10, 10, 5, FAIL),  # exactly half of all members is not more than half
        (10, 10, 6, PASS),
        (10, 10, 4, FAIL),
        (11, 8, 5, FAIL),  # a majority of those present (5/8) but not of all 11 members
        (11, 8, 6, PASS),
        (11, 7, 7, FAIL),  # unanimous, but 7/11 present is below the quorum
    ],
)
def test_approval_needs_more_than_half_of_all_members(
    members: int, present: int, in_favour: int, expected: Outcome
) -> None:
    decision = judge_vote(
        get_policy("national-2019"), subject="任用张三", members=members, present=present, in_favour=in_favour
    )
    assert decision.outcome is expected


@pytest.mark.parametrize(("present", "expected"), [(60, PASS), (61, PASS), (59, FAIL)])
def test_recommendation_meeting_attendance_two_thirds(present: int, expected: Outcome) -> None:
    assert (
        check_recommendation_attendance(get_policy("national-2019"), expected=90, present=present).outcome
        is expected
    )
