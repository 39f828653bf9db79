"""The campaign procedure as data, for a campaign engine to walk.

The policy's ``record.procedure`` lists the campaign-level steps (motion, plan, vacancy
announcement) and the per-person stages and steps of the record form (记实表: 6 stages, 16 steps
in the baseline). Each step names the rules that govern it; a step whose ``condition`` does not
hold for a post (e.g. the full-committee vote for posts that do not need one) is skipped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .decision import Decision, Outcome, cite
from .policy import Policy
from .schema import FullCommitteeRule, ProcedureRule, Step


@dataclass(frozen=True)
class StepView:
    stage_id: str
    stage_name: str
    number: int
    id: str
    name: str
    rules: tuple[str, ...]
    absent_rules: tuple[str, ...]
    applies: bool
    note: str = ""


def procedure(policy: Policy) -> ProcedureRule:
    rule = policy.rule("record.procedure")
    assert isinstance(rule, ProcedureRule)  # every resolved policy has one (REQUIRED_RULES)
    return rule


def _applies(policy: Policy, step: Step, post_kind: str) -> tuple[bool, str]:
    if step.condition == "full_committee":
        rule = policy.rule("decision.full_committee")
        if isinstance(rule, FullCommitteeRule) and post_kind in rule.required_for:
            return True, ""
        return False, f"{post_kind or '该职位'}不需全委会票决"
    return True, ""


def _view(
    policy: Policy, stage_id: str, stage_name: str, number: int, step: Step, post_kind: str
) -> StepView:
    present = tuple(path for path in step.rules if policy.rule(path) is not None)
    absent = tuple(path for path in step.rules if policy.rule(path) is None)
    applies, why = _applies(policy, step, post_kind)
    return StepView(
        stage_id, stage_name, number, step.id, step.name, present, absent, applies, why or step.note
    )


def campaign_steps(policy: Policy) -> tuple[StepView, ...]:
    """Steps of the campaign as a whole, before any person's record starts."""
    return tuple(
        _view(policy, "campaign", "选任工作", number, step, "")
        for number, step in enumerate(procedure(policy).campaign_steps, start=1)
    )


def person_steps(policy: Policy, *, post_kind: str = "") -> tuple[StepView, ...]:
    """Every per-person step in order, numbered 1..N, with ``applies`` for this kind of post."""
    views, number = [], 0
    for stage in procedure(policy).stages:
        for step in stage.steps:
            number += 1
            views.append(_view(policy, stage.id, stage.name, number, step, post_kind))
    return tuple(views)


def next_step(policy: Policy, done: Iterable[str], *, post_kind: str = "") -> StepView | None:
    """The first applicable step not yet done, or None when the record is complete."""
    finished = set(done)
    for view in person_steps(policy, post_kind=post_kind):
        if view.applies and view.id not in finished:
            return view
    return None


def check_step(
    policy: Policy, *, step_id: str, done: Iterable[str], post_kind: str = "", subject: str = ""
) -> Decision:
    """Whether ``step_id`` may be recorded now: every earlier applicable step must be done."""
    rule = procedure(policy)
    rule_id = policy.rule_id("record.procedure")
    views = {view.id: view for view in person_steps(policy, post_kind=post_kind)}
    if step_id not in views:
        raise KeyError(f"{policy.label} 的程序中没有步骤 {step_id}")
    target = views[step_id]
    finished = set(done)
    missing = [v for v in views.values() if v.number < target.number and v.applies and v.id not in finished]
    head = f"{subject} " if subject else ""
    if not target.applies:
        outcome, text = Outcome.NOT_APPLICABLE, f"第 {target.number} 步“{target.name}”不适用：{target.note}"
    elif missing:
        listed = "、".join(f"第 {v.number} 步“{v.name}”" for v in missing)
        outcome, text = (
            Outcome.FAIL,
            f"第 {target.number} 步“{target.name}”之前尚未完成：{listed}，程序不得跳过",
        )
    else:
        outcome, text = Outcome.PASS, f"可以进行第 {target.number} 步“{target.name}”（{target.stage_name}）"
    return Decision(
        outcome=outcome,
        rule_id=rule_id,
        source=rule.source,
        explanation=f"{head}{text}{cite(rule_id, rule.source)}",
        inputs={
            "step": step_id,
            "done": sorted(finished),
            "post_kind": post_kind,
            "missing": [v.id for v in missing],
        },
        subject=subject or step_id,
        policy_version=policy.version,
    )
