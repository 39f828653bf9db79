"""Judging a counted share against a threshold rule ("at least 1/3", "more than half").

The comparison is exact: the share is ``Fraction(count, denominator)`` and the threshold the
Fraction of the policy's text, so 40/120 passes "at least 1/3" and 60/120 fails "more than 1/2".
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from .decision import Decision, Outcome, RuleInputError, cite
from .policy import Policy
from .schema import ThresholdRule
from .shares import fraction_text, share_equation
from .vocabulary import Denominator

NOT_STATED = "（本政策未规定）"


def not_applicable(policy: Policy, path: str, subject: str = "", why: str = "") -> Decision:
    """The policy has no rule at ``path``: say so, rather than inventing one."""
    text = f"{policy.label} 未规定 {path}" + (f"：{why}" if why else "")
    return Decision(
        outcome=Outcome.NOT_APPLICABLE,
        rule_id=policy.rule_id(path),
        source=NOT_STATED,
        explanation=(f"{subject} " if subject else "") + text,
        subject=subject,
        policy_version=policy.version,
    )


def check_count(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleInputError(f"{name} 应为整数，收到 {value!r}")
    if value < 0:
        raise RuleInputError(f"{name} 不能为负数：{value}")


def threshold_rule(policy: Policy, path: str) -> ThresholdRule | None:
    rule = policy.rule(path)
    if rule is not None and not isinstance(rule, ThresholdRule):
        raise TypeError(f"{path} 不是比例门槛规则")
    return rule


def judge_share(
    policy: Policy,
    path: str,
    *,
    subject: str,
    count: int,
    denominators: Mapping[Denominator, int | None],
    extra_inputs: Mapping[str, object] | None = None,
    flags: tuple[str, ...] = (),
) -> Decision:
    """Judge ``count`` against the threshold rule at ``path``.

    ``denominators`` offers the possible denominators (participants, valid ballots, members...);
    the rule says which one it is a share of.
    """
    rule = threshold_rule(policy, path)
    if rule is None:
        return not_applicable(policy, path, subject)
    check_count("票数", count)
    denominator = denominators.get(rule.denominator)
    if denominator is None:
        raise RuleInputError(
            f"{policy.rule_id(path)} 以{rule.denominator.label}为分母，但没有提供{rule.denominator.label}"
        )
    check_count(rule.denominator.label, denominator)
    if denominator == 0:
        raise RuleInputError(f"{rule.denominator.label}为 0，无法计算比例")
    if count > denominator:
        raise RuleInputError(f"{subject} 的票数 {count} 超过{rule.denominator.label} {denominator}")
    share = Fraction(count, denominator)
    passed = rule.comparison.holds(share, rule.share.value)
    symbol = rule.comparison.symbols[0 if passed else 1]
    consequence = rule.on_pass if passed else rule.on_fail
    explanation = (
        f"{subject} {share_equation(count, denominator)} {symbol} {rule.share.text}"
        + (f"，{consequence}" if consequence else "")
        + cite(policy.rule_id(path), rule.source)
    )
    inputs: dict[str, object] = {
        "count": count,
        "denominator": denominator,
        "denominator_kind": rule.denominator,
        "share": fraction_text(count, denominator),
        "threshold": rule.share.text,
        "threshold_value": rule.share.value,
        "comparison": rule.comparison,
    }
    if rule.grades:
        inputs["grades"] = list(rule.grades)
    inputs.update(extra_inputs or {})
    return Decision(
        outcome=Outcome.PASS if passed else Outcome.FAIL,
        rule_id=policy.rule_id(path),
        source=rule.source,
        explanation=explanation,
        inputs=dict(inputs),
        subject=subject,
        value=fraction_text(count, denominator),
        flags=flags,
        policy_version=policy.version,
    )
