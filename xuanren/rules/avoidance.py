"""Appointment avoidance (任职回避, 党政领导干部任职回避暂行规定; DOMAIN D12).

Spouses, lineal relatives, collateral relatives within three generations and close in-laws may not
hold posts in one organ where one directly supervises the other (or both answer directly to the
same leader), nor work in the personnel, discipline, audit or finance posts of an organ that one
of them leads. Certain county-level heads avoid their home area.

Who supervises whom is a fact of the organization chart, so the caller states it per relative
(``direct_line``); this module applies the rule to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .decision import Decision, Outcome, cite
from .policy import Policy
from .schema import FlagRule, KinshipRule, RegionalRule, SensitivePostsRule
from .thresholds import not_applicable
from .vocabulary import Kinship, PostFunction


@dataclass(frozen=True)
class ProposedPost:
    unit: str
    title: str
    function: PostFunction = PostFunction.OTHER
    leads_unit: bool = False
    kind: str = ""
    area: str = ""


@dataclass(frozen=True)
class Relative:
    """A relative of the cadre who holds a post. ``direct_line``: the relative's post and the
    proposed post are in a direct line of supervision, or both answer directly to one leader."""

    name: str
    relation: Kinship
    unit: str
    title: str = ""
    function: PostFunction = PostFunction.OTHER
    leads_unit: bool = False
    direct_line: bool = False


@dataclass(frozen=True)
class Avoidance:
    overall: Decision
    checks: tuple[Decision, ...]

    @property
    def clear(self) -> bool:
        return self.overall.outcome is Outcome.PASS


def check_avoidance(
    policy: Policy,
    *,
    cadre: str,
    post: ProposedPost,
    relatives: Sequence[Relative] = (),
    home_area: str = "",
) -> Avoidance:
    checks: list[Decision] = []
    kinship = policy.rule("avoidance.kinship")
    if not isinstance(kinship, KinshipRule):
        checks.append(not_applicable(policy, "avoidance.kinship", cadre))
    else:
        direct = policy.rule("avoidance.direct_line")
        sensitive = policy.rule("avoidance.sensitive_posts")
        functions = sensitive.functions if isinstance(sensitive, SensitivePostsRule) else ()
        for relative in relatives:
            if relative.relation not in kinship.relations or relative.unit != post.unit:
                continue
            who = f"{relative.relation.label}的{relative.name}（{relative.title or relative.unit}）"
            if isinstance(direct, FlagRule) and direct.value and relative.direct_line:
                checks.append(
                    _decide(
                        policy,
                        "avoidance.direct_line",
                        cadre,
                        Outcome.FAIL,
                        f"与{who}在{post.unit}有直接上下级领导关系，应当回避",
                        relative,
                        post,
                    )
                )
            elif relative.leads_unit and post.function in functions:
                assert isinstance(sensitive, SensitivePostsRule)
                checks.append(
                    _decide(
                        policy,
                        "avoidance.sensitive_posts",
                        cadre,
                        Outcome.FAIL,
                        f"{who}领导{post.unit}，不得在该单位从事{post.function.label}工作，应当回避",
                        relative,
                        post,
                    )
                )
            elif post.leads_unit and relative.function in functions:
                checks.append(
                    _decide(
                        policy,
                        "avoidance.sensitive_posts",
                        cadre,
                        Outcome.FAIL,
                        f"拟任{post.unit}领导职务，而{who}在该单位从事{relative.function.label}工作，应当回避",
                        relative,
                        post,
                    )
                )
            else:
                checks.append(
                    _decide(
                        policy,
                        "avoidance.kinship",
                        cadre,
                        Outcome.PASS,
                        f"与{who}同在{post.unit}，但无直接上下级关系，也不涉及人事、纪检、审计、财务工作",
                        relative,
                        post,
                    )
                )
    regional = policy.rule("avoidance.regional")
    if isinstance(regional, RegionalRule) and post.kind in regional.posts:
        if not home_area or not post.area:
            checks.append(
                _decide(
                    policy,
                    "avoidance.regional",
                    cadre,
                    Outcome.PENDING,
                    f"拟任{post.kind}，须核实是否为{regional.area}",
                    None,
                    post,
                )
            )
        else:
            same = home_area == post.area
            checks.append(
                _decide(
                    policy,
                    "avoidance.regional",
                    cadre,
                    Outcome.FAIL if same else Outcome.PASS,
                    f"拟任{post.area}{post.kind}，{regional.area}为{home_area}"
                    + ("，应当地域回避" if same else "，无需地域回避"),
                    None,
                    post,
                )
            )
    failing = [d for d in checks if d.outcome is Outcome.FAIL]
    pending = [d for d in checks if d.outcome is Outcome.PENDING]
    outcome = Outcome.FAIL if failing else Outcome.PENDING if pending else Outcome.PASS
    verdict = {
        Outcome.FAIL: f"须回避（{len(failing)} 项）",
        Outcome.PENDING: "待核实",
        Outcome.PASS: "无须回避",
    }[outcome]
    overall = Decision(
        outcome=outcome,
        rule_id=f"{policy.id} avoidance",
        source="见各项",
        explanation=f"{cadre} 任 {post.unit}{post.title}：{verdict}",
        inputs={"cadre": cadre, "post": post, "relatives": list(relatives), "home_area": home_area},
        subject=cadre,
        policy_version=policy.version,
    )
    return Avoidance(overall, tuple(checks))


def _decide(
    policy: Policy,
    path: str,
    cadre: str,
    outcome: Outcome,
    text: str,
    relative: Relative | None,
    post: ProposedPost,
) -> Decision:
    rule = policy.rule(path)
    assert rule is not None
    rule_id = policy.rule_id(path)
    return Decision(
        outcome=outcome,
        rule_id=rule_id,
        source=rule.source,
        explanation=f"{cadre} {text}{cite(rule_id, rule.source)}",
        inputs={"relative": relative, "post": post},
        subject=cadre,
        policy_version=policy.version,
    )
