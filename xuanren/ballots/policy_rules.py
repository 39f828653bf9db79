"""From a resolved policy to the plain values a poll is counted by (BallotRules, Threshold, scale).

A poll copies these values when it is created, so the policy version that was in force decides
how it is counted, whatever versions come later.
"""

from __future__ import annotations

from xuanren.ballots import tally
from xuanren.rules.policy import Policy
from xuanren.rules.schema import BlankRule, OverMarkingRule, ScalesRule, ThresholdRule

# Threshold rules a poll may be judged by, with their Chinese names (policy paths).
THRESHOLD_PATHS: dict[str, str] = {
    "recommendation.threshold.open": "民主推荐（不提名推荐）得票比例",
    "recommendation.threshold.from_list": "民主推荐（提名推荐）得票比例",
    "inspection.evaluation": "考察民主测评",
    "moving_down.trust_vote": "信任度测评",
    "decision.approval": "票决：同意票超过应到会成员半数",
}


def ballot_rules(policy: Policy) -> tally.BallotRules:
    over = policy.rule("ballot.over_marking")
    blank = policy.rule("ballot.blank")
    return tally.BallotRules(
        over_marking=over.invalidates if isinstance(over, OverMarkingRule) else "post",
        blank_counts_as_cast=blank.counts_as_cast if isinstance(blank, BlankRule) else True,
        rule_id=policy.rule_id("ballot.over_marking"),
        source=over.source if isinstance(over, OverMarkingRule) else "计票规则",
    )


def threshold(policy: Policy, path: str) -> tally.Threshold | None:
    rule = policy.rule(path)
    if not isinstance(rule, ThresholdRule):
        return None
    return tally.Threshold(
        share=rule.share.value,
        text=rule.share.text,
        comparison=rule.comparison,
        denominator=rule.denominator,
        rule_id=policy.rule_id(path),
        source=rule.source,
        grades=tuple(rule.grades),
        on_pass=rule.on_pass,
        on_fail=rule.on_fail,
    )


def scale(policy: Policy, trust: bool = False) -> tuple[str, ...]:
    rule = policy.rule("ballot.scales")
    if isinstance(rule, ScalesRule):
        if trust and rule.trust:
            return tuple(rule.trust)
        return tuple(rule.evaluation)
    return tally.TRUST_SCALE if trust else tally.EVALUATION_SCALE
