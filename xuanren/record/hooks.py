"""Seams for the campaign app: what the record needs to know about a campaign, and extra files.

The record knows campaigns only by id (entries carry ``campaign``). The campaign app registers:

- :func:`register_campaign_info` — a function ``campaign_id -> CampaignInfo | None`` giving the
  campaign's title and the procedure (``record.procedure`` of the policy it runs under);
- :func:`register_bundle_files` — a function ``campaign_id -> {category: {name: bytes}}`` adding
  files (tallies, minutes ...) to the archive bundle; categories are those of
  ``xuanren.ledger.bundle.CATEGORIES``.

Until then a campaign is titled by its id and runs under the built-in ``national-2019`` procedure
(or the six stages of DOMAIN D4.1 below if no policy can be read).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping

from xuanren.ledger.bundle import CATEGORIES


@dataclasses.dataclass(frozen=True)
class Step:
    id: str
    name: str


@dataclasses.dataclass(frozen=True)
class Stage:
    id: str
    name: str
    steps: tuple[Step, ...]


@dataclasses.dataclass(frozen=True)
class CampaignInfo:
    title: str
    stages: tuple[Stage, ...]
    policy: str = ""


# DOMAIN D4.1: 6 stages and 16 steps, as national-2019 reads seed 000 (used when no policy loads).
BUILTIN_STAGES: tuple[Stage, ...] = (
    Stage("nomination", "人选初始提名", (
        Step("nominated", "推荐提名"), Step("qualification_review", "资格审核"),
        Step("nomination_proposal", "确定提名建议人选"), Step("nominee_confirmed", "确定提名人选"),
    )),
    Stage("recommendation", "民主推荐", (
        Step("recommendation_held", "组织民主推荐"), Step("inspection_candidates", "确定考察对象"),
    )),
    Stage("inspection", "组织考察", (
        Step("inspection_notice", "考察预告"), Step("inspection_conducted", "实施考察"),
        Step("inspection_review", "考察结果会审与反馈"),
    )),
    Stage("deliberation", "沟通酝酿（含征求意见）", (
        Step("department_meeting", "组织部部务会酝酿"), Step("consultation", "征求意见"),
        Step("personnel_deliberation", "人事酝酿会议酝酿"),
    )),
    Stage("decision", "讨论票决", (
        Step("standing_committee_vote", "常委会讨论票决"), Step("full_committee_vote", "全委会票决"),
    )),
    Stage("appointment", "任前公示、任职和试用期考核", (
        Step("pre_appointment_notice", "任前公示"), Step("appointment_and_probation", "任职与试用期考核"),
    )),
)  # fmt: skip


def stages_of_policy(ref: str = "national-2019") -> tuple[Stage, ...]:
    """The record form's stages and steps from a policy's ``record.procedure`` rule."""
    try:
        from xuanren.rules.policy import get_policy

        rule = get_policy(ref).rule("record.procedure")
    except Exception:  # no policy can be read: the record form still has its six stages
        return BUILTIN_STAGES
    stages = getattr(rule, "stages", None)
    if not stages:
        return BUILTIN_STAGES
    return tuple(Stage(s.id, s.name, tuple(Step(t.id, t.name) for t in s.steps)) for s in stages)


@functools.cache
def procedure_names(ref: str = "national-2019") -> dict[str, str]:
    """Chinese names of the procedure's stage and step ids (campaign steps included), for display."""
    from xuanren.record.labels import STEP_NAMES

    names = dict(STEP_NAMES)
    names.update({stage.id: stage.name for stage in BUILTIN_STAGES})
    names.update({step.id: step.name for stage in BUILTIN_STAGES for step in stage.steps})
    for stage in stages_of_policy(ref):
        names[stage.id] = stage.name
        names.update({step.id: step.name for step in stage.steps})
    try:
        from xuanren.rules.policy import get_policy

        rule = get_policy(ref).rule("record.procedure")
        names.update({step.id: step.name for step in getattr(rule, "campaign_steps", ())})
    except Exception:  # names of campaign steps are a nicety
        pass
    return names


_campaign_info: list[Callable[[int], CampaignInfo | None]] = []
_bundle_files: list[Callable[[int], Mapping[str, Mapping[str, bytes]]]] = []


def register_campaign_info(fn: Callable[[int], CampaignInfo | None]) -> None:
    _campaign_info.append(fn)


def register_bundle_files(fn: Callable[[int], Mapping[str, Mapping[str, bytes]]]) -> None:
    _bundle_files.append(fn)


def campaign_info(campaign_id: int) -> CampaignInfo:
    for fn in reversed(_campaign_info):
        info = fn(campaign_id)
        if info is not None:
            return info
    return CampaignInfo(
        title=f"选任工作（编号 {campaign_id}）", stages=stages_of_policy(), policy="national-2019"
    )


def extra_bundle_files(campaign_id: int) -> dict[str, dict[str, bytes]]:
    out: dict[str, dict[str, bytes]] = {c: {} for c in CATEGORIES}
    for fn in _bundle_files:
        for category, files in fn(campaign_id).items():
            if category not in out:
                raise ValueError(f"bundle category {category!r} is not one of {', '.join(CATEGORIES)}")
            out[category].update(files)
    return out
