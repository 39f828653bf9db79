"""Meetings that decide: quorum, majority of all members, speaking order, stated positions.

The national rule (D12): at least 2/3 of the members present; a decision needs more than half of
*all members who should attend* (应到会成员), not of those present. So with 11 members and 8
present, 5 in favour is not enough: 5/11 ≤ 1/2.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .decision import Decision, Outcome, RuleInputError, cite
from .policy import Policy
from .schema import FlagRule, FullCommitteeRule, PositionsRule
from .thresholds import check_count, judge_share, not_applicable
from .vocabulary import Denominator


def check_quorum(policy: Policy, *, members: int, present: int, meeting: str = "常委会") -> Decision:
    """Whether enough members are present to decide (e.g. at least 2/3)."""
    check_count("应到会成员数", members)
    check_count("实到人数", present)
    if present > members:
        raise RuleInputError(f"实到 {present} 人多于应到 {members} 人")
    return judge_share(
        policy,
        "decision.quorum",
        subject=f"{meeting}到会（实到/应到）",
        count=present,
        denominators={Denominator.MEMBERS_TOTAL: members, Denominator.EXPECTED: members},
        extra_inputs={"members": members, "present": present, "meeting": meeting},
    )


def judge_vote(
    policy: Policy,
    *,
    subject: str,
    members: int,
    present: int,
    in_favour: int,
    against: int = 0,
    postponed: int = 0,
    meeting: str = "常委会",
    path: str = "decision.approval",
) -> Decision:
    """Whether a motion (an appointment) passes: quorum first, then the approval rule.

    ``path`` may be ``decision.reopen`` for reopening a decision.
    """
    for name, value in (("同意票", in_favour), ("不同意票", against), ("缓议票", postponed)):
        check_count(name, value)
    if in_favour + against + postponed > present:
        raise RuleInputError(f"表决票合计 {in_favour + against + postponed} 多于实到人数 {present}")
    quorum = check_quorum(policy, members=members, present=present, meeting=meeting)
    if quorum.outcome is Outcome.FAIL:
        return Decision(
            outcome=Outcome.FAIL,
            rule_id=quorum.rule_id,
            source=quorum.source,
            explanation=f"{subject}：{quorum.explanation}；会议不足法定人数，表决无效",
            inputs={**quorum.inputs, "in_favour": in_favour, "against": against, "postponed": postponed},
            subject=subject,
            policy_version=policy.version,
        )
    return judge_share(
        policy,
        path,
        subject=f"{subject} 同意票",
        count=in_favour,
        denominators={
            Denominator.MEMBERS_TOTAL: members,
            Denominator.PARTICIPANTS: present,
            Denominator.VALID_BALLOTS: in_favour + against + postponed,
        },
        extra_inputs={
            "members": members,
            "present": present,
            "in_favour": in_favour,
            "against": against,
            "postponed": postponed,
            "meeting": meeting,
        },
    )


def check_speaking_order(policy: Policy, *, speakers: Sequence[str], secretary: str) -> Decision:
    """The secretary (principal leader) states a position last (000 书记末尾表态)."""
    path = "decision.secretary_last"
    rule = policy.rule(path)
    if not isinstance(rule, FlagRule) or not rule.value:
        return not_applicable(policy, path, "发言顺序")
    rule_id = policy.rule_id(path)
    if secretary not in speakers:
        outcome, verdict = Outcome.PENDING, f"书记 {secretary} 尚未表态"
    elif speakers[-1] == secretary and speakers.count(secretary) == 1:
        outcome, verdict = Outcome.PASS, f"书记 {secretary} 最后表态"
    else:
        outcome, verdict = Outcome.FAIL, f"书记 {secretary} 在 {speakers[-1]} 之前表态，应最后表态"
    return Decision(
        outcome=outcome,
        rule_id=rule_id,
        source=rule.source,
        explanation=f"发言顺序 {' → '.join(speakers) or '（无）'}：{verdict}{cite(rule_id, rule.source)}",
        inputs={"speakers": list(speakers), "secretary": secretary},
        subject="发言顺序",
        policy_version=policy.version,
    )


def check_positions(policy: Policy, *, positions: Mapping[str, tuple[str, str]]) -> Decision:
    """Every member stated one of the allowed positions (同意/不同意/缓议), with a reason where the
    policy requires one (001). ``positions`` maps member -> (position, reason)."""
    path = "decision.positions"
    rule = policy.rule(path)
    if not isinstance(rule, PositionsRule):
        return not_applicable(policy, path, "表态")
    problems = []
    for member, (position, reason) in positions.items():
        if position not in rule.options:
            problems.append(f"{member} 的表态“{position}”不在 {'/'.join(rule.options)} 之中")
        elif rule.reasons_required and not reason.strip():
            problems.append(f"{member} 表态“{position}”未说明理由")
    rule_id = policy.rule_id(path)
    summary = f"{len(positions)} 人表态（可选：{'/'.join(rule.options)}）"
    return Decision(
        outcome=Outcome.FAIL if problems else Outcome.PASS,
        rule_id=rule_id,
        source=rule.source,
        explanation=f"{summary}：{'；'.join(problems) if problems else '均符合要求'}{cite(rule_id, rule.source)}",
        inputs={"positions": {m: {"position": p, "reason": r} for m, (p, r) in positions.items()}},
        subject="表态",
        policy_version=policy.version,
    )


def full_committee_required(policy: Policy, *, post_kind: str) -> Decision:
    """Whether a post of this kind also goes to a full-committee vote (e.g. 乡镇党政正职)."""
    path = "decision.full_committee"
    rule = policy.rule(path)
    if not isinstance(rule, FullCommitteeRule):
        return not_applicable(policy, path, post_kind, "本政策不要求全委会票决")
    required = post_kind in rule.required_for
    rule_id = policy.rule_id(path)
    if required:
        verdict = "须在常委会通过后提交全委会票决" if rule.after_standing_committee else "须经全委会票决"
        if rule.observers:
            verdict += f"，{'、'.join(rule.observers)}列席"
    else:
        verdict = f"不属于 {'、'.join(rule.required_for)}，由常委会决定"
    return Decision(
        outcome=Outcome.INFO,
        rule_id=rule_id,
        source=rule.source,
        explanation=f"{post_kind}：{verdict}{cite(rule_id, rule.source)}",
        inputs={"post_kind": post_kind, "required_for": list(rule.required_for)},
        subject=post_kind,
        value=required,
        policy_version=policy.version,
    )
