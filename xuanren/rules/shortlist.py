"""Competitive ratios (差额比例): ranked cuts with ties reported, and list sizes.

A ratio such as 1:2 counts people per post (or, in 004, per inspection candidate). Under a
``cut`` rule people are ranked by votes and the list is cut at the required size. When people at
the cut-off have the same votes, nobody is dropped silently: the decision is a tie, it names the
tied people and the seats they compete for, and it names the meeting that must settle it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from .decision import Decision, Outcome, RuleInputError, cite
from .policy import Policy
from .schema import RatioRule
from .thresholds import check_count, not_applicable

_BASE_LABEL = {"posts": "职位", "inspection_candidates": "考察对象名额"}


def ratio_rule(policy: Policy, path: str) -> RatioRule | None:
    rule = policy.rule(path)
    if rule is not None and not isinstance(rule, RatioRule):
        raise TypeError(f"{path} 不是差额比例规则")
    return rule


def required_size(rule: RatioRule, base: int) -> int:
    """The number of people a ratio asks for: exactly/at least ``base × ratio`` (rounded up), or
    for "more than" the least whole number above it."""
    wanted = base * rule.ratio.per_post
    if rule.comparison == "more_than":
        return math.floor(wanted) + 1
    return math.ceil(wanted)


def _wording(rule: RatioRule, base: int, size: int) -> str:
    return f"{_BASE_LABEL[rule.base]} {base} 个，{_required(rule, size)}"


def _required(rule: RatioRule, size: int) -> str:
    """ "按 1:2 应为 4 人" / "至少" / "须多于": what the ratio asks for."""
    if rule.comparison == "exactly":
        return f"按 {rule.ratio.text} 应为 {size} 人"
    if rule.comparison == "at_least":
        return f"按 {rule.ratio.text} 至少 {size} 人"
    return f"按 {rule.ratio.text} 须多于 {size - 1} 人"


@dataclass(frozen=True)
class Shortlist:
    """A ranked cut: who is in, who ties at the cut-off, who is below it.

    ``others`` are excluded when the rule says ``exactly``; under a minimum (``at_least``,
    ``more_than``) they are not in the minimum list but the meeting may still add them.
    """

    decision: Decision
    selected: tuple[str, ...]
    tied: tuple[str, ...]
    seats_in_tie: int
    others: tuple[str, ...]
    size: int


def shortlist(
    policy: Policy, path: str, *, scores: Mapping[str, int], base: int, subject: str = ""
) -> Shortlist:
    """Rank ``scores`` (name -> votes) and cut at the size the ratio rule at ``path`` asks for."""
    rule = ratio_rule(policy, path)
    if rule is None:
        decision = not_applicable(policy, path, subject)
        ranked_names = tuple(name for name, _ in _ranked(scores))
        return Shortlist(decision, ranked_names, (), 0, (), len(ranked_names))
    if rule.use != "cut":
        raise ValueError(f"{policy.rule_id(path)} 不是按得票截取的规则（use = {rule.use}）")
    check_count("基数", base)
    if base == 0:
        raise RuleInputError("职位数（基数）至少为 1")
    for name, votes in scores.items():
        check_count(f"{name} 的票数", votes)
    ranked = _ranked(scores)
    size = required_size(rule, base)
    rule_id = policy.rule_id(path)
    head = f"{subject}：" if subject else ""
    wording = _wording(rule, base, size)
    listing = "、".join(f"{name}（{votes}票）" for name, votes in ranked) or "无人"
    inputs: dict[str, object] = {
        "base": base,
        "base_kind": rule.base,
        "ratio": rule.ratio.text,
        "comparison": rule.comparison,
        "size": size,
        "ranking": [[name, votes] for name, votes in ranked],
    }
    if len(ranked) < size:
        names = tuple(name for name, _ in ranked)
        decision = Decision(
            outcome=Outcome.FAIL,
            rule_id=rule_id,
            source=rule.source,
            explanation=f"{head}{wording}，只有 {len(ranked)} 人（{listing}），差额不足{cite(rule_id, rule.source)}",
            inputs=inputs,
            subject=subject,
            value={"selected": list(names), "tied": [], "others": []},
            policy_version=policy.version,
        )
        return Shortlist(decision, names, (), 0, (), size)
    cutoff = ranked[size - 1][1]
    beyond = ranked[size][1] if len(ranked) > size else None
    if beyond is None or beyond < cutoff:
        selected = tuple(name for name, _ in ranked[:size])
        others = tuple(name for name, _ in ranked[size:])
        rest = ""
        if others:
            rest = (
                "；其余"
                + ("不再列入" if rule.comparison == "exactly" else "可由会议研究是否增列")
                + f"：{'、'.join(others)}"
            )
        decision = Decision(
            outcome=Outcome.PASS,
            rule_id=rule_id,
            source=rule.source,
            explanation=f"{head}{wording}，按得票取 {'、'.join(selected)}{rest}{cite(rule_id, rule.source)}",
            inputs=inputs,
            subject=subject,
            value={"selected": list(selected), "tied": [], "others": list(others)},
            policy_version=policy.version,
        )
        return Shortlist(decision, selected, (), 0, others, size)
    selected = tuple(name for name, votes in ranked if votes > cutoff)
    tied = tuple(name for name, votes in ranked if votes == cutoff)
    others = tuple(name for name, votes in ranked if votes < cutoff)
    seats = size - len(selected)
    settled_by = rule.tie_settled_by
    explanation = (
        f"{head}{wording}；"
        + (f"{'、'.join(selected)} 入选；" if selected else "")
        + f"{'、'.join(tied)} 均得 {cutoff} 票，{len(tied)} 人并列争 {seats} 个名额，"
        + f"须由{settled_by}研究确定，不得按排名先后自行取舍{cite(rule_id, rule.source)}"
    )
    decision = Decision(
        outcome=Outcome.TIE,
        rule_id=rule_id,
        source=rule.source,
        explanation=explanation,
        inputs={**inputs, "tie_votes": cutoff, "seats_in_tie": seats, "settled_by": settled_by},
        subject=subject,
        value={
            "selected": list(selected),
            "tied": list(tied),
            "others": list(others),
            "settled_by": settled_by,
        },
        policy_version=policy.version,
    )
    return Shortlist(decision, selected, tied, seats, others, size)


def shortlist_by_post(
    policy: Policy, path: str, *, scores_by_post: Mapping[str, Mapping[str, int]], subject: str = ""
) -> tuple[Shortlist, dict[str, Shortlist]]:
    """The cut of :func:`shortlist` made post by post (同一职位), for people who each stand for one
    post: each post's own people ranked and cut for that one post. Returns the whole list (what
    every post selected, tied and left, the worst outcome of any post: a failure, else a tie) and
    each post's own cut."""
    parts = {
        post: shortlist(
            policy, path, scores=scores, base=1, subject=f"{subject}（{post}）" if subject else post
        )
        for post, scores in scores_by_post.items()
    }
    if not parts:
        raise RuleInputError("职位数（基数）至少为 1")
    decisions = [part.decision for part in parts.values()]
    first = decisions[0]
    outcomes = {d.outcome for d in decisions}
    outcome = next((o for o in (Outcome.FAIL, Outcome.TIE) if o in outcomes), first.outcome)

    def joined(field: str) -> tuple[str, ...]:
        return tuple(name for part in parts.values() for name in getattr(part, field))

    decision = Decision(
        outcome=outcome,
        rule_id=first.rule_id,
        source=first.source,
        explanation="；".join(d.explanation for d in decisions),
        inputs={"per": "post", "posts": {post: part.decision.inputs for post, part in parts.items()}},
        subject=subject,
        value={
            "selected": list(joined("selected")),
            "tied": list(joined("tied")),
            "others": list(joined("others")),
            "posts": {post: part.decision.value for post, part in parts.items()},
        },
        policy_version=policy.version,
    )
    whole = Shortlist(
        decision,
        joined("selected"),
        joined("tied"),
        sum(part.seats_in_tie for part in parts.values()),
        joined("others"),
        sum(part.size for part in parts.values()),
    )
    return whole, parts


def _ranked(scores: Mapping[str, int]) -> list[tuple[str, int]]:
    # Equal scores keep the order given (e.g. the ballot's); at a cut-off they are reported as a tie.
    return sorted(scores.items(), key=lambda item: -item[1])


def check_ratio(
    policy: Policy,
    path: str,
    *,
    base: int,
    count: int,
    subject: str = "",
    per_post: Mapping[str, int] | None = None,
) -> Decision:
    """Whether a list of ``count`` people meets the ratio at ``path`` for ``base`` posts.

    ``per_post`` (each post's name -> how many of the list stand for it), when every person on
    the list stands for one post: a ratio counted in posts is then met post by post (同一职位),
    not only in sum — three people for one post and one for the other are not 1:2 for two."""
    rule = ratio_rule(policy, path)
    if rule is None:
        return not_applicable(policy, path, subject)
    check_count("基数", base)
    check_count("人数", count)
    if base == 0:
        raise RuleInputError("职位数（基数）至少为 1")
    if per_post is not None and rule.base == "posts" and len(per_post) > 1:
        if len(per_post) != base or sum(per_post.values()) != count:
            raise RuleInputError(f"各职位人数 {dict(per_post)} 与职位数 {base}、人数 {count} 不符")
        return _check_each_post(policy, path, rule, per_post, subject)
    size = required_size(rule, base)
    passed = _meets(rule, count, size)
    if passed:
        verdict = "符合差额比例"
    elif count < size:
        verdict = "差额不足"
    else:
        verdict = "超出规定人数"
    rule_id = policy.rule_id(path)
    head = f"{subject}：" if subject else ""
    return Decision(
        outcome=Outcome.PASS if passed else Outcome.FAIL,
        rule_id=rule_id,
        source=rule.source,
        explanation=f"{head}{_wording(rule, base, size)}，实有 {count} 人，{verdict}{cite(rule_id, rule.source)}",
        inputs={
            "base": base,
            "base_kind": rule.base,
            "ratio": rule.ratio.text,
            "comparison": rule.comparison,
            "required": size,
            "count": count,
        },
        subject=subject,
        policy_version=policy.version,
    )


def _meets(rule: RatioRule, count: int, size: int) -> bool:
    return count == size if rule.comparison == "exactly" else count >= size


def _check_each_post(
    policy: Policy, path: str, rule: RatioRule, per_post: Mapping[str, int], subject: str
) -> Decision:
    for count in per_post.values():
        check_count("人数", count)
    size = required_size(rule, 1)
    missed = {post: count for post, count in per_post.items() if not _meets(rule, count, size)}
    if not missed:
        verdict = "每个职位都符合差额比例"
    else:
        verdict = "；".join(
            f"{post}{'差额不足' if count < size else '超出规定人数'}" for post, count in missed.items()
        )
    wording = f"每个职位{_required(rule, size)}"
    each = "，".join(f"{post} {count} 人" for post, count in per_post.items())
    rule_id = policy.rule_id(path)
    head = f"{subject}：" if subject else ""
    return Decision(
        outcome=Outcome.FAIL if missed else Outcome.PASS,
        rule_id=rule_id,
        source=rule.source,
        explanation=f"{head}职位 {len(per_post)} 个，{wording}；实有 {each}；{verdict}{cite(rule_id, rule.source)}",
        inputs={
            "base": len(per_post),
            "base_kind": rule.base,
            "per": "post",
            "ratio": rule.ratio.text,
            "comparison": rule.comparison,
            "required": size,
            "count": sum(per_post.values()),
            "posts": dict(per_post),
        },
        subject=subject,
        policy_version=policy.version,
    )


def marks_allowed(policy: Policy, path: str, *, base: int) -> Decision:
    """How many names one ballot may carry under a ``marks`` ratio (004: 1:2 of the inspection
    candidates to be chosen)."""
    rule = ratio_rule(policy, path)
    if rule is None or rule.use != "marks":
        return not_applicable(policy, path, "每票可推荐人数")
    check_count("基数", base)
    size = required_size(rule, base)
    rule_id = policy.rule_id(path)
    return Decision(
        outcome=Outcome.INFO,
        rule_id=rule_id,
        source=rule.source,
        explanation=f"{_BASE_LABEL[rule.base]} {base} 个，按 {rule.ratio.text} 每张推荐票最多推荐 {size} 人"
        + cite(rule_id, rule.source),
        inputs={"base": base, "base_kind": rule.base, "ratio": rule.ratio.text},
        subject="每票可推荐人数",
        value=size,
        policy_version=policy.version,
    )
