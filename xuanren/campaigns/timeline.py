"""The campaign page's timeline: the policy's procedure marked done / current / next.

Plain values in, plain values out: the steps come from the pinned policy
(:func:`xuanren.rules.procedure.campaign_steps` and :func:`person_steps`); what is done, the
deadlines and the refusals come from the caller (the selectors read them from the database). Each
step says who must act (:data:`STEP_DUTIES`, the role map) and by when, and what blocks it and why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from xuanren.rules.policy import Policy
from xuanren.rules.procedure import StepView, campaign_steps, person_steps


class State(StrEnum):
    DONE = "done"
    CURRENT = "current"
    NEXT = "next"
    PENDING = "pending"
    SKIPPED = "skipped"  # the step does not apply to this post (e.g. no full-committee vote)
    STOPPED = "stopped"  # the candidate was stopped before this step

    @property
    def label(self) -> str:
        return {
            State.DONE: "已完成",
            State.CURRENT: "进行中",
            State.NEXT: "下一步",
            State.PENDING: "未开始",
            State.SKIPPED: "不适用",
            State.STOPPED: "已终止",
        }[self]

    @property
    def mark(self) -> str:
        """One character for the compact candidate grid (screen readers get ``label``)."""
        return {
            State.DONE: "✓",
            State.CURRENT: "●",
            State.NEXT: "○",
            State.PENDING: "·",
            State.SKIPPED: "—",
            State.STOPPED: "✕",
        }[self]


@dataclass(frozen=True)
class Duty:
    """Who must act at a step: role codes (accounts.roles) and how the page names them."""

    roles: tuple[str, ...]
    who: str


# The role map: which role moves each step forward (DOMAIN D0). Steps a policy adds that are not
# listed here fall to the cadre section, which runs the campaign.
RUNNER = Duty(("cadre_officer",), "组织部干部科")
STEP_DUTIES: Mapping[str, Duty] = {
    "motion_proposal": Duty(("cadre_officer",), "组织部干部科提出动议建议"),
    "method_published": Duty(("cadre_officer",), "组织部干部科公布选任方法和步骤"),
    "motion_plan": Duty(("deliberation_member", "secretary"), "县委人事酝酿会议审定（书记只提方向和标准）"),
    "vacancy_announcement": Duty(("cadre_officer",), "组织部干部科发布空缺职位公告"),
    "nominated": Duty(("cadre_officer",), "组织部干部科受理五种渠道提名"),
    "qualification_review": Duty(("cadre_officer", "discipline"), "组织部干部科资格审核（纪委联审）"),
    "nomination_proposal": Duty(("department_head",), "组织部部务会按 1:3 提出提名建议人选"),
    "nominee_confirmed": Duty(("committee_member", "secretary"), "县委按 1:2 确定提名人选"),
    "recommendation_held": Duty(("cadre_officer",), "组织部干部科组织民主推荐"),
    "inspection_candidates": Duty(("department_head", "discipline"), "组织部确定考察对象（纪委联审）"),
    "inspection_notice": Duty(("cadre_officer",), "组织部干部科发布考察预告"),
    "inspection_conducted": Duty(("inspection_team",), "考察组实施考察"),
    "inspection_review": Duty(("inspection_team", "department_head"), "考察组会审、签署结论并反馈"),
    "department_meeting": Duty(("department_head",), "组织部部务会酝酿"),
    "consultation": Duty(("cadre_officer",), "组织部干部科征求意见"),
    "personnel_deliberation": Duty(("deliberation_member", "secretary"), "县委人事酝酿会议酝酿"),
    "standing_committee_vote": Duty(("committee_member", "secretary"), "县委常委会讨论票决（书记最后表态）"),
    "full_committee_vote": Duty(("committee_member", "secretary"), "县委全委会票决"),
    "pre_appointment_notice": Duty(
        ("cadre_officer", "supervision_office"), "组织部任前公示（监督室受理举报）"
    ),
    "appointment_and_probation": Duty(("cadre_officer", "department_head"), "组织部办理任职、试用期考核"),
}


def duty_for(step_id: str) -> Duty:
    return STEP_DUTIES.get(step_id, RUNNER)


@dataclass(frozen=True)
class Deadline:
    """By when a step must happen, or from when it may (``after``): from the policy's period rule
    and the working-day calendar."""

    day: date
    what: str  # "考察预告最迟发布" / "可进行资格审核"
    rule_id: str = ""
    explanation: str = ""
    after: bool = False  # True: the step may not happen before ``day`` (a period must run out)

    @property
    def label(self) -> str:
        when = f"{self.day.year}年{self.day.month}月{self.day.day}日"
        return f"{when}起{self.what}" if self.after else f"{self.what} {when}"

    def state_on(self, today: date) -> str:
        """For the page's colour: "wait" / "ready" for a from-when date; "overdue", "today",
        "soon" (within 3 days) or "later" for a by-when date."""
        days = (self.day - today).days
        if self.after:
            return "wait" if days > 0 else "ready"
        if days < 0:
            return "overdue"
        if days == 0:
            return "today"
        return "soon" if days <= 3 else "later"


@dataclass(frozen=True)
class Block:
    """Why a step cannot go ahead: the rule that refused it and the refusal in Chinese."""

    rule_id: str
    message: str


@dataclass(frozen=True)
class TimelineStep:
    stage_id: str
    stage_name: str
    number: int
    id: str
    name: str
    state: State
    duty: Duty
    rules: tuple[str, ...] = ()
    note: str = ""
    done_on: date | None = None
    deadline: Deadline | None = None
    block: Block | None = None

    @property
    def is_open(self) -> bool:
        return self.state in (State.CURRENT, State.NEXT)


@dataclass(frozen=True)
class Stage:
    id: str
    name: str
    steps: tuple[TimelineStep, ...]

    @property
    def state(self) -> State:
        states = {s.state for s in self.steps if s.state is not State.SKIPPED}
        if not states:
            return State.SKIPPED
        if states == {State.DONE}:
            return State.DONE
        if State.CURRENT in states:
            return State.CURRENT
        if State.STOPPED in states:
            return State.STOPPED
        if State.DONE in states:
            return State.CURRENT
        return State.NEXT if State.NEXT in states else State.PENDING


@dataclass(frozen=True)
class PersonTimeline:
    stages: tuple[Stage, ...]
    current: TimelineStep | None
    stopped: Block | None = None
    done_count: int = 0
    applicable_count: int = 0

    @property
    def steps(self) -> tuple[TimelineStep, ...]:
        return tuple(step for stage in self.stages for step in stage.steps)

    @property
    def complete(self) -> bool:
        return self.current is None and self.stopped is None


Done = Mapping[str, date | None] | Iterable[str]


def _done_map(done: Done) -> dict[str, date | None]:
    if isinstance(done, Mapping):
        return dict(done)
    return dict.fromkeys(done)


def _mark(
    views: Sequence[StepView],
    done: Done,
    *,
    deadlines: Mapping[str, Deadline],
    blocks: Mapping[str, Block],
    stopped: Block | None = None,
) -> list[TimelineStep]:
    finished = _done_map(done)
    steps: list[TimelineStep] = []
    seen_open = 0  # 0: none yet, 1: current found, 2: next found too
    for view in views:
        if not view.applies:
            state = State.SKIPPED
        elif view.id in finished:
            state = State.DONE
        elif stopped is not None:
            state = State.STOPPED if seen_open == 0 else State.PENDING
            seen_open = 2
        elif seen_open == 0:
            state, seen_open = State.CURRENT, 1
        elif seen_open == 1:
            state, seen_open = State.NEXT, 2
        else:
            state = State.PENDING
        steps.append(
            TimelineStep(
                stage_id=view.stage_id,
                stage_name=view.stage_name,
                number=view.number,
                id=view.id,
                name=view.name,
                state=state,
                duty=duty_for(view.id),
                rules=view.rules,
                note=view.note,
                done_on=finished.get(view.id),
                deadline=deadlines.get(view.id) if state is not State.DONE else None,
                block=(stopped if state is State.STOPPED else blocks.get(view.id))
                if state is not State.DONE
                else None,
            )
        )
    return steps


@dataclass(frozen=True)
class ExtraStep:
    """A campaign step the core adds around the policy's own (e.g. publishing the method first)."""

    id: str
    name: str
    after: str = ""  # the policy step it follows; "" puts it first


def campaign_timeline(
    policy: Policy,
    done: Done,
    *,
    extra: Sequence[ExtraStep] = (),
    deadlines: Mapping[str, Deadline] | None = None,
    blocks: Mapping[str, Block] | None = None,
) -> tuple[TimelineStep, ...]:
    """The campaign-level steps (motion, plan, announcement...) in order."""
    views = list(campaign_steps(policy))
    for step in extra:
        if any(v.id == step.id for v in views):
            continue
        at = next((i + 1 for i, v in enumerate(views) if v.id == step.after), 0)
        views.insert(at, StepView("campaign", "选任工作", 0, step.id, step.name, (), (), True))
    views = [
        StepView(v.stage_id, v.stage_name, n, v.id, v.name, v.rules, v.absent_rules, v.applies, v.note)
        for n, v in enumerate(views, start=1)
    ]
    return tuple(_mark(views, done, deadlines=deadlines or {}, blocks=blocks or {}))


def person_timeline(
    policy: Policy,
    done: Done,
    *,
    post_kind: str = "",
    stopped: Block | None = None,
    deadlines: Mapping[str, Deadline] | None = None,
    blocks: Mapping[str, Block] | None = None,
    views: Sequence[StepView] | None = None,
) -> PersonTimeline:
    """One candidate's record form (一人一表): 6 stages, 16 steps in the baseline.

    ``views`` may be passed in when many candidates share a policy and post kind, so the steps
    are computed once per page rather than once per candidate.
    """
    steps = _mark(
        views if views is not None else person_steps(policy, post_kind=post_kind),
        done,
        deadlines=deadlines or {},
        blocks=blocks or {},
        stopped=stopped,
    )
    stages: list[Stage] = []
    for step in steps:
        if not stages or stages[-1].id != step.stage_id:
            stages.append(Stage(step.stage_id, step.stage_name, ()))
        last = stages[-1]
        stages[-1] = Stage(last.id, last.name, (*last.steps, step))
    current = next((s for s in steps if s.state is State.CURRENT), None)
    applicable = [s for s in steps if s.state is not State.SKIPPED]
    return PersonTimeline(
        stages=tuple(stages),
        current=current,
        stopped=stopped,
        done_count=sum(1 for s in applicable if s.state is State.DONE),
        applicable_count=len(applicable),
    )


@dataclass(frozen=True)
class Task:
    """A line of someone's work list: which step, of what, who acts, by when."""

    title: str
    step: TimelineStep
    url: str
    roles: tuple[str, ...] = field(default=())


def tasks_for(roles: Iterable[str], steps: Iterable[tuple[str, str, TimelineStep]]) -> list[Task]:
    """The open steps whose duty falls to any of ``roles``: (title, url, step) triples in, tasks out."""
    mine = set(roles)
    return [
        Task(title, step, url, step.duty.roles)
        for title, url, step in steps
        if step.state is State.CURRENT and mine & set(step.duty.roles)
    ]
