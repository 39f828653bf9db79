"""Democratic evaluation (民主测评) in inspection, and trust votes for moving down (能上能下)."""

from __future__ import annotations

from collections.abc import Mapping

from .decision import Decision, Outcome, RuleInputError, cite
from .policy import Policy
from .schema import BlankRule, FlagRule, ScalesRule, TextRule
from .thresholds import check_count, judge_share, not_applicable, threshold_rule
from .vocabulary import Denominator


def _scale(policy: Policy, kind: str) -> tuple[str, ...]:
    rule = policy.rule("ballot.scales")
    if not isinstance(rule, ScalesRule):
        return ()
    return rule.evaluation if kind == "evaluation" else rule.trust


def blank_counts_as_cast(policy: Policy) -> bool:
    rule = policy.rule("ballot.blank")
    return rule.counts_as_cast if isinstance(rule, BlankRule) else True


def _tally(
    policy: Policy, counts: Mapping[str, int], grades: tuple[str, ...], scale_kind: str, blank: int
) -> tuple[int, int]:
    """(approving votes, valid ballots) for evaluation ``counts`` (grade -> number of ballots)."""
    scale = _scale(policy, scale_kind)
    for grade, number in counts.items():
        check_count(f"“{grade}”票数", number)
        if scale and grade not in scale:
            raise RuleInputError(f"“{grade}”不是本政策的测评等次（{'、'.join(scale)}）")
    check_count("空白票数", blank)
    approving = sum(counts.get(grade, 0) for grade in grades)
    valid = sum(counts.values()) + (blank if blank_counts_as_cast(policy) else 0)
    return approving, valid


def _breakdown(counts: Mapping[str, int], blank: int) -> str:
    parts = [f"{grade}{number}" for grade, number in counts.items()]
    if blank:
        parts.append(f"空白{blank}")
    return "、".join(parts)


def judge_evaluation(
    policy: Policy,
    *,
    candidate: str,
    counts: Mapping[str, int],
    blank: int = 0,
    participants: int | None = None,
) -> Decision:
    """Whether an inspection candidate's democratic evaluation passes (000: 考察测评不过半的不酝酿).

    ``counts`` maps each grade (优秀、称职、基本称职、不称职) to its number of ballots.
    """
    path = "inspection.evaluation"
    rule = threshold_rule(policy, path)
    if rule is None:
        return not_applicable(policy, path, candidate, "民主测评结果作为考察的参考，不设通过比例")
    approving, valid = _tally(policy, counts, rule.grades, "evaluation", blank)
    return judge_share(
        policy,
        path,
        subject=f"{candidate} 民主测评（{'、'.join(rule.grades)}）",
        count=approving,
        denominators={Denominator.VALID_BALLOTS: valid, Denominator.PARTICIPANTS: participants or valid},
        extra_inputs={"counts": dict(counts), "blank": blank, "breakdown": _breakdown(counts, blank)},
    )


def check_team_agreement(policy: Policy, *, candidate: str, team_agrees: bool) -> Decision:
    """Whether the inspection team's agreement is required and given (000: 考察组意见不统一的不酝酿)."""
    path = "inspection.team_agreement"
    rule = policy.rule(path)
    if not isinstance(rule, FlagRule) or not rule.value:
        return not_applicable(policy, path, candidate)
    rule_id = policy.rule_id(path)
    verdict = "考察组意见统一，可以酝酿" if team_agrees else "考察组意见不统一，不酝酿"
    return Decision(
        outcome=Outcome.PASS if team_agrees else Outcome.FAIL,
        rule_id=rule_id,
        source=rule.source,
        explanation=f"{candidate} {verdict}{cite(rule_id, rule.source)}",
        inputs={"team_agrees": team_agrees},
        subject=candidate,
        policy_version=policy.version,
    )


def judge_trust_vote(
    policy: Policy,
    *,
    cadre: str,
    counts: Mapping[str, int],
    blank: int = 0,
    participants: int | None = None,
    ranked_last: bool = False,
    confirmed_unfit: bool | None = None,
) -> Decision:
    """Whether a serving cadre's trust vote keeps them in post (002: 信任票未达60%的降免职).

    Pass means the cadre stays. Under 002 a cadre with at least 60% who is ranked last in the
    evaluation is moved down too once inspection confirms they are unfit; until that is known the
    decision is pending.
    """
    path = "moving_down.trust_vote"
    rule = threshold_rule(policy, path)
    if rule is None:
        return not_applicable(policy, path, cadre)
    approving, valid = _tally(policy, counts, rule.grades, "trust", blank)
    vote = judge_share(
        policy,
        path,
        subject=f"{cadre} 信任票",
        count=approving,
        denominators={Denominator.VALID_BALLOTS: valid, Denominator.PARTICIPANTS: participants or valid},
        extra_inputs={"counts": dict(counts), "blank": blank, "ranked_last": ranked_last},
    )
    last_place = policy.rule("moving_down.last_place")
    if vote.outcome is not Outcome.PASS or not ranked_last or not isinstance(last_place, TextRule):
        return vote
    last_id = policy.rule_id("moving_down.last_place")
    if confirmed_unfit is None:
        outcome, verdict = Outcome.PENDING, "但民主测评排在倒数第一，须经考察确认是否不称职"
    elif confirmed_unfit:
        outcome, verdict = Outcome.FAIL, "但民主测评排在倒数第一，经考察确属不称职，降免职"
    else:
        outcome, verdict = Outcome.PASS, "民主测评排在倒数第一，经考察不属不称职"
    return Decision(
        outcome=outcome,
        rule_id=last_id,
        source=last_place.source,
        explanation=f"{vote.explanation}；{verdict}{cite(last_id, last_place.source)}",
        inputs={**vote.inputs, "confirmed_unfit": confirmed_unfit},
        subject=cadre,
        value=vote.value,
        policy_version=policy.version,
    )
