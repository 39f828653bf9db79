"""Nomination participation and democratic recommendation (民主推荐) thresholds."""

from __future__ import annotations

from .decision import Decision, Outcome, RuleInputError, cite
from .policy import Policy
from .schema import UnitParticipationRule
from .thresholds import check_count, judge_share, not_applicable
from .vocabulary import Denominator, RecommendationMode


def judge_recommendation(
    policy: Policy,
    *,
    candidate: str,
    votes: int,
    participants: int,
    valid_ballots: int | None = None,
    mode: RecommendationMode = RecommendationMode.FROM_LIST,
) -> Decision:
    """Whether a candidate's recommendation votes reach the policy's threshold for ``mode``.

    e.g. ``李四 39/120 = 32.5% < 1/3，不列为考察人选（linze recommendation.threshold.from_list，000 三、）``.
    A policy without a threshold (the national baseline) gives a not-applicable decision: the
    result is then a reference, not a gate.
    """
    mode = RecommendationMode(mode)
    path = f"recommendation.threshold.{mode.value}"
    if policy.rule(path) is None:
        return not_applicable(
            policy, path, candidate, f"{mode.label}不设得票比例门槛，推荐结果作为重要参考，不简单以票取人"
        )
    return judge_share(
        policy,
        path,
        subject=candidate,
        count=votes,
        denominators={Denominator.PARTICIPANTS: participants, Denominator.VALID_BALLOTS: valid_ballots},
        extra_inputs={"mode": mode, "participants": participants, "valid_ballots": valid_ballots},
    )


def check_recommendation_attendance(policy: Policy, *, expected: int, present: int) -> Decision:
    """A recommendation meeting needs enough of those expected to attend (e.g. 2/3)."""
    return judge_share(
        policy,
        "recommendation.attendance",
        subject="推荐会议到会",
        count=present,
        denominators={Denominator.EXPECTED: expected, Denominator.PARTICIPANTS: expected},
    )


def required_participants(rule: UnitParticipationRule, unit_size: int) -> int:
    """How many people of a unit of ``unit_size`` must fill in nomination forms."""
    if unit_size >= rule.large_unit_from:
        return min(rule.min_participants, unit_size)
    return unit_size if rule.small_unit_everyone else min(rule.min_participants, unit_size)


def check_nomination_participation(policy: Policy, *, unit_size: int, participants: int) -> Decision:
    """Enough people took part in an in-unit nomination (000: 30人以上的不少于30人，不足30人的全体)."""
    path = "nomination.unit_participation"
    rule = policy.rule(path)
    if rule is None:
        return not_applicable(policy, path, "单位内推荐提名")
    assert isinstance(rule, UnitParticipationRule)
    check_count("单位人数", unit_size)
    check_count("参加人数", participants)
    if participants > unit_size:
        raise RuleInputError(f"参加人数 {participants} 超过单位人数 {unit_size}")
    needed = required_participants(rule, unit_size)
    large = unit_size >= rule.large_unit_from
    condition = (
        f"单位 {unit_size} 人（{rule.large_unit_from}人以上），应不少于 {rule.min_participants} 人参加"
        if large
        else f"单位 {unit_size} 人（不足{rule.large_unit_from}人），应全体参加"
    )
    passed = participants >= needed
    explanation = (
        f"单位内推荐提名：{condition}，实际 {participants} 人 {'≥' if passed else '<'} {needed}"
        + ("，符合要求" if passed else "，参加人数不足")
        + cite(policy.rule_id(path), rule.source)
    )
    return Decision(
        outcome=Outcome.PASS if passed else Outcome.FAIL,
        rule_id=policy.rule_id(path),
        source=rule.source,
        explanation=explanation,
        inputs={"unit_size": unit_size, "participants": participants, "required": needed},
        subject="单位内推荐提名",
        policy_version=policy.version,
    )
