"""The policy sandbox: one result, judged under several policies side by side.

A user enters a result — posts, participants, votes per candidate, evaluation counts, optionally
a committee vote — and sees, per policy, the decisions each rule makes. ``linze`` (at least 1/3)
and ``county-30-60`` (30% open, 60% from a list) differ visibly for the same votes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .decision import JSON, Decision, Outcome, RuleInputError
from .evaluation import check_team_agreement, judge_evaluation, judge_trust_vote
from .meetings import check_quorum, full_committee_required, judge_vote
from .policy import Policy, PolicyRef, PolicyRegistry, builtin_registry
from .recommendation import check_recommendation_attendance, judge_recommendation
from .schema import RatioRule, ScalesRule
from .shortlist import check_ratio, marks_allowed, shortlist
from .thresholds import not_applicable
from .vocabulary import RecommendationMode


@dataclass(frozen=True)
class SandboxResult:
    """A result to try: the figures of one recommendation (and optionally what followed)."""

    posts: int
    participants: int
    votes: Mapping[str, int]
    mode: RecommendationMode = RecommendationMode.FROM_LIST
    valid_ballots: int | None = None
    expected: int | None = None
    inspection_candidates: int | None = None
    evaluations: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    team_agrees: Mapping[str, bool] = field(default_factory=dict)
    committee_members: int | None = None
    committee_present: int | None = None
    committee_votes: Mapping[str, int] = field(default_factory=dict)
    post_kind: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SandboxResult:
        """Build from a web form's JSON; raises :class:`RuleInputError` naming the bad field."""
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - known)
        if unknown:
            raise RuleInputError(f"不认识的字段：{'、'.join(unknown)}")

        def integer(name: str, *, required: bool = False) -> int | None:
            value = data.get(name)
            if value is None or value == "":
                if required:
                    raise RuleInputError(f"{name}：缺少必填项")
                return None
            if isinstance(value, bool) or not isinstance(value, int | str):
                raise RuleInputError(f"{name}：应为整数")
            try:
                number = int(value)
            except ValueError:
                raise RuleInputError(f"{name}：应为整数，收到 {value!r}") from None
            if number < 0:
                raise RuleInputError(f"{name}：不能为负数")
            return number

        def counts(name: str, value: Any) -> dict[str, int]:
            if not isinstance(value, Mapping):
                raise RuleInputError(f"{name}：应为“名称: 票数”的对象")
            out = {}
            for key, number in value.items():
                if isinstance(number, bool) or not isinstance(number, int) or number < 0:
                    raise RuleInputError(f"{name}.{key}：应为非负整数")
                out[str(key)] = number
            return out

        mode = data.get("mode", RecommendationMode.FROM_LIST)
        try:
            mode = RecommendationMode(mode)
        except ValueError:
            raise RuleInputError("mode：应为 open 或 from_list") from None
        evaluations = data.get("evaluations") or {}
        if not isinstance(evaluations, Mapping):
            raise RuleInputError("evaluations：应为对象")
        team = data.get("team_agrees") or {}
        if not isinstance(team, Mapping) or not all(isinstance(v, bool) for v in team.values()):
            raise RuleInputError("team_agrees：应为“姓名: true/false”的对象")
        posts = integer("posts", required=True)
        participants = integer("participants", required=True)
        assert posts is not None and participants is not None
        return cls(
            posts=posts,
            participants=participants,
            votes=counts("votes", data.get("votes")),
            mode=mode,
            valid_ballots=integer("valid_ballots"),
            expected=integer("expected"),
            inspection_candidates=integer("inspection_candidates"),
            evaluations={str(k): counts(f"evaluations.{k}", v) for k, v in evaluations.items()},
            team_agrees={str(k): bool(v) for k, v in team.items()},
            committee_members=integer("committee_members"),
            committee_present=integer("committee_present"),
            committee_votes=counts("committee_votes", data.get("committee_votes") or {}),
            post_kind=str(data.get("post_kind") or ""),
        )


@dataclass(frozen=True)
class SandboxOutcome:
    policy: PolicyRef
    name: str
    stages: tuple[tuple[str, tuple[Decision, ...]], ...]
    inspection_candidates: tuple[str, ...]
    tied: tuple[str, ...]
    summary: str

    def decisions(self) -> tuple[Decision, ...]:
        return tuple(d for _, ds in self.stages for d in ds)

    def to_dict(self) -> dict[str, JSON]:
        return {
            "policy": {"id": self.policy.id, "version": self.policy.version, "sha256": self.policy.sha256},
            "name": self.name,
            "stages": [{"stage": stage, "decisions": [d.to_dict() for d in ds]} for stage, ds in self.stages],
            "inspection_candidates": list(self.inspection_candidates),
            "tied": list(self.tied),
            "summary": self.summary,
        }


def _is_trust_scale(policy: Policy, counts: Mapping[str, int]) -> bool:
    scales = policy.rule("ballot.scales")
    if not isinstance(scales, ScalesRule) or not scales.trust:
        return False
    return bool(counts) and set(counts) <= set(scales.trust)


def judge_result(policy: Policy, result: SandboxResult) -> SandboxOutcome:
    """Every decision the policy makes about ``result``."""
    if result.posts < 1:
        raise RuleInputError("posts：职位数至少为 1")
    stages: list[tuple[str, tuple[Decision, ...]]] = []

    recommendation: list[Decision] = []
    if result.expected is not None:
        recommendation.append(
            check_recommendation_attendance(policy, expected=result.expected, present=result.participants)
        )
    ratio = policy.rule("recommendation.ratio")
    if isinstance(ratio, RatioRule) and ratio.use == "list":
        recommendation.append(
            check_ratio(
                policy, "recommendation.ratio", base=result.posts, count=len(result.votes), subject="推荐人选"
            )
        )
    elif isinstance(ratio, RatioRule) and ratio.use == "marks":
        base = result.inspection_candidates or result.posts
        recommendation.append(marks_allowed(policy, "recommendation.ratio", base=base))
    passing: dict[str, int] = {}
    for candidate, votes in sorted(result.votes.items(), key=lambda item: -item[1]):
        decision = judge_recommendation(
            policy,
            candidate=candidate,
            votes=votes,
            participants=result.participants,
            valid_ballots=result.valid_ballots,
            mode=result.mode,
        )
        recommendation.append(decision)
        if decision.outcome in (Outcome.PASS, Outcome.NOT_APPLICABLE):
            passing[candidate] = votes
    stages.append(("民主推荐", tuple(recommendation)))

    selection: list[Decision] = []
    proposed: tuple[str, ...] = tuple(passing)
    tied: tuple[str, ...] = ()
    inspection_ratio = policy.rule("inspection.ratio")
    if isinstance(inspection_ratio, RatioRule) and inspection_ratio.use == "cut":
        cut = shortlist(policy, "inspection.ratio", scores=passing, base=result.posts, subject="考察对象")
        selection.append(cut.decision)
        proposed, tied = cut.selected, cut.tied
    elif isinstance(inspection_ratio, RatioRule):
        selection.append(
            check_ratio(policy, "inspection.ratio", base=result.posts, count=len(passing), subject="考察对象")
        )
    else:
        selection.append(not_applicable(policy, "inspection.ratio", "考察对象", "未规定考察对象的差额比例"))
    verdict = selection[-1].outcome
    stages.append(("确定考察对象", tuple(selection)))

    if result.evaluations or result.team_agrees:
        evaluation: list[Decision] = []
        for candidate, counts in result.evaluations.items():
            if _is_trust_scale(policy, counts):
                evaluation.append(judge_trust_vote(policy, cadre=candidate, counts=counts))
            else:
                evaluation.append(judge_evaluation(policy, candidate=candidate, counts=counts))
        for candidate, agrees in result.team_agrees.items():
            evaluation.append(check_team_agreement(policy, candidate=candidate, team_agrees=agrees))
        stages.append(("民主测评", tuple(evaluation)))

    if result.committee_members is not None and result.committee_present is not None:
        meeting: list[Decision] = [
            check_quorum(policy, members=result.committee_members, present=result.committee_present)
        ]
        for candidate, in_favour in result.committee_votes.items():
            meeting.append(
                judge_vote(
                    policy,
                    subject=f"任用{candidate}",
                    members=result.committee_members,
                    present=result.committee_present,
                    in_favour=in_favour,
                )
            )
        if result.post_kind:
            meeting.append(full_committee_required(policy, post_kind=result.post_kind))
        stages.append(("讨论决定", tuple(meeting)))

    names = "、".join(proposed) if proposed else "无人"
    if verdict is Outcome.TIE:
        summary = f"考察对象：{names}；{'、'.join(tied)} 并列，须会议研究确定"
    elif verdict is Outcome.FAIL:
        summary = f"差额不足：达到要求的只有 {names}，不能进行差额考察"
    elif verdict is Outcome.NOT_APPLICABLE:
        summary = f"本政策不设推荐门槛和考察比例，推荐结果供会议研究参考：{names}"
    else:
        summary = f"考察对象：{names}"
    return SandboxOutcome(policy.ref, policy.name, tuple(stages), proposed, tied, summary)


def sandbox(
    policy_ids: Sequence[str],
    result: SandboxResult | Mapping[str, Any],
    *,
    registry: PolicyRegistry | None = None,
) -> dict[str, SandboxOutcome]:
    """Judge one result under each policy ("linze" or "linze@1"), keyed by the id as given."""
    if not isinstance(result, SandboxResult):
        result = SandboxResult.from_dict(result)
    registry = registry or builtin_registry()
    return {ref: judge_result(registry.lookup(ref), result) for ref in policy_ids}
