"""Step bookkeeping over the policy's procedure, and the facts the rules are asked about.

The procedure is data in the campaign's pinned policy (``record.procedure``): three campaign steps
(motion proposal, motion plan, vacancy announcement), then per person 6 stages and 16 steps.
This module answers, from the database, "which steps are done", "may this step be recorded now"
(as a :class:`~xuanren.rules.decision.Decision`), "what comes next", and builds the plain values
(:class:`~xuanren.rules.eligibility.CadreFacts`, :class:`~xuanren.rules.eligibility.PostRequirements`)
the pure rules take. It writes nothing: actions do.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from xuanren.rules import deadlines
from xuanren.rules.calendar import Schedules
from xuanren.rules.decision import Decision, Outcome, cite
from xuanren.rules.eligibility import AuditStatus, CadreFacts, PostRequirements
from xuanren.rules.periods import completed_months
from xuanren.rules.policy import Policy, builtin_registry, get_policy
from xuanren.rules.procedure import StepView, campaign_steps, check_step, person_steps, procedure
from xuanren.rules.schema import ItemsRule
from xuanren.rules.vocabulary import Education, Level

from .models import Campaign, Candidate, InspectionRecord, Opinion, Talk, Vacancy

NOT_STATED = "（本政策未规定）"

# --- the policy and the calendar: the two seams to xuanren.policies ---------------------------


def policy_of(campaign: Campaign) -> Policy:
    """The policy version the campaign is pinned to, verified against its stored SHA-256.

    Read through ``xuanren.policies`` (built-in files and versions uploaded by administrators,
    each checked against the hash it was saved with); the built-in files alone where that app's
    selectors are not importable.
    """
    try:
        from xuanren.policies.selectors import resolve_campaign_policy
    except ImportError:
        return builtin_registry().verify(campaign.policy_id, campaign.policy_version, campaign.policy_sha256)
    return resolve_campaign_policy(campaign.policy_id, campaign.policy_version, campaign.policy_sha256)


def pin_policy(ref: str) -> Policy:
    """The policy a new campaign is pinned to: ``"linze"`` (latest version) or ``"linze@1"``."""
    try:
        from xuanren.policies.selectors import policy_registry
    except ImportError:
        return get_policy(ref)
    return policy_registry().lookup(ref)


def schedules() -> Schedules:
    """Administrator-entered holiday schedules for working-day periods (None: the package only)."""
    try:
        from xuanren.policies.selectors import working_day_schedules
    except ImportError:
        return None
    return working_day_schedules()


# --- citing rules -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cited:
    """A rule to cite in a refusal: its id, its source and whether the policy has it."""

    rule_id: str
    source: str
    present: bool


def cite_rule(policy: Policy, *paths: str) -> Cited:
    """The first of ``paths`` the policy has, or the first path marked as not stated."""
    for path in paths:
        rule = policy.rule(path)
        if rule is not None:
            return Cited(policy.rule_id(path), rule.source, True)
    return Cited(policy.rule_id(paths[0]), NOT_STATED, False)


def decide(
    policy: Policy,
    cited: Cited,
    *,
    passed: bool,
    text: str,
    subject: str = "",
    inputs: Mapping[str, Any] | None = None,
    outcome: Outcome | None = None,
    flags: Sequence[str] = (),
) -> Decision:
    """A Decision made here (bookkeeping checks the rules module has no evaluator for)."""
    return Decision(
        outcome=outcome or (Outcome.PASS if passed else Outcome.FAIL),
        rule_id=cited.rule_id,
        source=cited.source,
        explanation=f"{subject + '：' if subject else ''}{text}{cite(cited.rule_id, cited.source)}",
        inputs=dict(inputs or {}),
        subject=subject,
        flags=tuple(flags),
        policy_version=policy.version,
    )


def items_of(policy: Policy, path: str) -> tuple[str, ...]:
    rule = policy.rule(path)
    return tuple(rule.items) if isinstance(rule, ItemsRule) else ()


def flag(policy: Policy, path: str) -> bool:
    rule = policy.rule(path)
    return bool(getattr(rule, "value", False)) if rule is not None else False


# --- steps -------------------------------------------------------------------------------------


def campaign_step_views(policy: Policy) -> tuple[StepView, ...]:
    return campaign_steps(policy)


def person_step_views(policy: Policy, post_kind: str = "") -> tuple[StepView, ...]:
    return person_steps(policy, post_kind=post_kind)


def stage_of(policy: Policy, step_id: str) -> str:
    """The stage id of a step ("campaign" for campaign steps)."""
    if any(v.id == step_id for v in campaign_steps(policy)):
        return "campaign"
    for view in person_steps(policy):
        if view.id == step_id:
            return view.stage_id
    raise KeyError(f"{policy.label} 的程序中没有步骤 {step_id}")


def step_name(policy: Policy, step_id: str) -> str:
    for view in (*campaign_steps(policy), *person_steps(policy)):
        if view.id == step_id:
            return view.name
    return step_id


def campaign_steps_done(campaign: Campaign) -> set[str]:
    return set(campaign.steps.values_list("step", flat=True))


def candidate_steps_done(candidate: Candidate) -> set[str]:
    return set(candidate.steps.values_list("step", flat=True))


def check_campaign_step(policy: Policy, *, step_id: str, done: Iterable[str]) -> Decision:
    """Whether a campaign step may be recorded now: every earlier campaign step must be done."""
    views = campaign_steps(policy)
    ids = [v.id for v in views]
    if step_id not in ids:
        raise KeyError(f"{policy.label} 的程序中没有选任工作步骤 {step_id}")
    finished = set(done)
    target = views[ids.index(step_id)]
    missing = [v for v in views if v.number < target.number and v.id not in finished]
    cited = Cited(policy.rule_id("record.procedure"), procedure(policy).source, True)
    if missing:
        listed = "、".join(f"“{v.name}”" for v in missing)
        return decide(
            policy,
            cited,
            passed=False,
            text=f"“{target.name}”之前尚未完成：{listed}，程序不得跳过",
            subject="选任工作",
            inputs={"step": step_id, "done": sorted(finished), "missing": [v.id for v in missing]},
        )
    return decide(
        policy,
        cited,
        passed=True,
        text=f"可以进行“{target.name}”",
        subject="选任工作",
        inputs={"step": step_id, "done": sorted(finished), "missing": []},
    )


def check_person_step(
    policy: Policy, candidate: Candidate, step_id: str, done: Iterable[str] | None = None
) -> Decision:
    """:func:`xuanren.rules.procedure.check_step` for a candidate (their post kind decides whether
    the full-committee vote applies)."""
    return check_step(
        policy,
        step_id=step_id,
        done=candidate_steps_done(candidate) if done is None else done,
        post_kind=candidate.post_kind,
        subject=candidate.cadre.name,
    )


@dataclass(frozen=True)
class StepStatus:
    stage_id: str
    stage_name: str
    id: str
    name: str
    applies: bool
    done_on: date | None
    state: str  # "done", "next", "pending" or "skipped"


@dataclass(frozen=True)
class Progress:
    """Where a campaign or a candidate stands: each step's status and the next step."""

    steps: tuple[StepStatus, ...]
    next: StepStatus | None

    @property
    def complete(self) -> bool:
        return self.next is None


def _progress(views: Sequence[StepView], done_on: Mapping[str, date]) -> Progress:
    rows, nxt = [], None
    for view in views:
        if not view.applies:
            state = "skipped"
        elif view.id in done_on:
            state = "done"
        elif nxt is None:
            state = "next"
        else:
            state = "pending"
        row = StepStatus(
            view.stage_id, view.stage_name, view.id, view.name, view.applies, done_on.get(view.id), state
        )
        if state == "next":
            nxt = row
        rows.append(row)
    return Progress(tuple(rows), nxt)


def campaign_progress(policy: Policy, campaign: Campaign) -> Progress:
    done = {s.step: s.done_on for s in campaign.steps.all()}
    return _progress(campaign_steps(policy), done)


def candidate_progress(policy: Policy, candidate: Candidate) -> Progress:
    done = {s.step: s.done_on for s in candidate.steps.all()}
    return _progress(person_steps(policy, post_kind=candidate.post_kind), done)


# --- facts for the rules -------------------------------------------------------------------------

# Register ranks (职级) to the rules' leadership levels; 科员 is not a leadership level.
LEVEL_OF_RANK: dict[str, Level] = {
    "fuke": Level.SECTION_DEPUTY,
    "zhengke": Level.SECTION_HEAD,
    "fuchu": Level.COUNTY_DEPUTY,
    "zhengchu": Level.COUNTY_HEAD,
    "futing": Level.BUREAU_DEPUTY,
    "zhengting": Level.BUREAU_HEAD,
}
EDUCATION_OF: dict[str, Education] = {
    "high_school": Education.HIGH_SCHOOL,
    "technical": Education.SECONDARY_VOCATIONAL,
    "junior_college": Education.JUNIOR_COLLEGE,
    "bachelor": Education.BACHELOR,
    "master": Education.MASTER,
    "doctor": Education.DOCTOR,
}
TOWN_HEAD_KIND = "乡镇党政正职"


def post_kind_of(post: Any) -> str:
    """The policy's post kind for a register post: town party and government heads are
    "乡镇党政正职" (the full-committee rule, 000 一、（四差额）四是); other posts have none."""
    if post.unit.unit_type == "town" and post.role in ("party_head", "gov_head"):
        return TOWN_HEAD_KIND
    return ""


def post_requirements(vacancy: Vacancy) -> PostRequirements:
    level = LEVEL_OF_RANK.get(vacancy.rank)
    if level is None:
        raise ValueError(f"{vacancy.post} 的职级 {vacancy.get_rank_display()} 不是领导职务层次")
    return PostRequirements(
        title=str(vacancy.post),
        level=level,
        unit=vacancy.post.unit.name,
        kind=vacancy.post_kind,
        min_education=EDUCATION_OF.get(vacancy.min_education) if vacancy.min_education else None,
        min_years_in_rank=vacancy.min_years_in_rank,
        max_age=vacancy.max_age,
        min_age=vacancy.min_age,
    )


def vacancy_conditions(vacancy: Vacancy) -> dict[str, Any]:
    """The announced conditions of a vacancy, as plain JSON (hashed when frozen)."""
    return {
        "post_id": vacancy.post_id,
        "post": str(vacancy.post),
        "rank": vacancy.rank,
        "post_kind": vacancy.post_kind,
        "min_years_in_rank": vacancy.min_years_in_rank,
        "min_education": vacancy.min_education,
        "max_age": vacancy.max_age,
        "min_age": vacancy.min_age,
        "other_conditions": vacancy.other_conditions,
    }


def sha256_json(value: Any) -> str:
    """SHA-256 of canonical JSON (sorted keys, no whitespace, UTF-8)."""
    data = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def audit_status(candidate: Candidate) -> AuditStatus:
    """The economic-responsibility audit as the opinions recorded it (the latest audit opinion)."""
    opinion = candidate.opinions.filter(source=Opinion.Source.AUDIT).order_by("-given_on", "-id").first()
    if opinion is None:
        return AuditStatus.NOT_AUDITED
    return AuditStatus.VIOLATION if opinion.veto or not opinion.agrees else AuditStatus.CLEAN


def unverified_complaints(cadre_id: int) -> int:
    from xuanren.supervision.models import Complaint

    return Complaint.objects.filter(cadre_id=cadre_id).unverified().count()


def cadre_facts(candidate: Candidate, today: date) -> CadreFacts:
    """What the register (and this campaign's record) knows about a candidate, as of ``today``."""
    cadre = candidate.cadre
    education = cadre.highest_education
    holdings = list(cadre.holdings.all())
    grassroots = sum(
        completed_months(h.start, min(h.end or today, today)) for h in holdings if h.is_grassroots
    )
    open_probation = [h.probation_until for h in holdings if h.end is None and h.probation_until]
    ranks = sorted(cadre.rank_records.all(), key=lambda r: r.reached_on)
    sanctions = [
        r.period_end
        for r in cadre.rewards_sanctions.all()
        if r.kind == "sanction" and r.period_end is not None
    ]
    leading_relatives = [
        f
        for f in cadre.family.all()
        if f.relative_cadre_id and f.relative_cadre and f.relative_cadre.current_rank
    ]
    return CadreFacts(
        name=cadre.name,
        birth_date=cadre.birth_date,
        work_start=cadre.work_start_date,
        education=EDUCATION_OF.get(education, Education.HIGH_SCHOOL),
        current_level=LEVEL_OF_RANK.get(cadre.current_rank),
        level_since=cadre.rank_since,
        grassroots_months=grassroots,
        probation_until=max(open_probation) if open_probation else None,
        last_promotion=ranks[-1].reached_on if ranks else cadre.rank_since,
        discipline_until=max(sanctions) if sanctions else None,
        audit=audit_status(candidate),
        unverified_complaints=unverified_complaints(cadre.pk),
        relative_of_leader=bool(leading_relatives),
    )


def must_talk_groups(policy: Policy) -> tuple[str, ...]:
    """The groups each inspection must talk to (四必谈), from ``inspection.must_talk``."""
    return items_of(policy, "inspection.must_talk")


# --- the procedure-execution form --------------------------------------------------------------


@dataclass(frozen=True)
class FormRow:
    """One line of the procedure-execution form (人选产生程序情况表)."""

    stage: str
    step: str
    name: str
    done_on: str
    detail: str
    done: bool
    applies: bool = True


@dataclass
class ProcedureCheck:
    rows: list[FormRow] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing


def procedure_check(policy: Policy, candidate: Candidate, today: date) -> ProcedureCheck:
    """The procedure-execution form of a candidate before the committee: every step before the
    standing-committee vote, and the inspection procedures inside them, from the record.

    ``missing`` lists what is not done; the form is complete when it is empty (001: a candidate
    whose procedure is incomplete is not discussed).
    """
    check = ProcedureCheck()
    done = {s.step: s for s in candidate.steps.all()}
    for view in person_steps(policy, post_kind=candidate.post_kind):
        if view.id == "standing_committee_vote":
            break
        step = done.get(view.id)
        detail = ""
        if view.id == "inspection_conducted":
            detail = _inspection_detail(policy, candidate, check)
        check.rows.append(
            FormRow(
                view.stage_name,
                view.id,
                view.name,
                step.done_on.isoformat() if step else "",
                detail,
                step is not None,
                view.applies,
            )
        )
        if view.applies and step is None:
            check.missing.append(f"第 {view.number} 步“{view.name}”")
    first = candidate.disclosures.filter(round="first").first()
    if policy.rule("disclosure.first") is not None:
        if first is None:
            check.missing.append("有关事项第一次公开")
        elif first.ends_on >= today:
            check.missing.append(f"有关事项第一次公开（{first.ends_on.isoformat()} 期满）")
    if candidate.exceptional_reason and candidate.exceptional_approved_on is None:
        check.missing.append("破格提拔报经上级组织部门同意")
    return check


def _inspection_detail(policy: Policy, candidate: Candidate, check: ProcedureCheck) -> str:
    talks = list(candidate.talks.all())
    by_group: dict[str, int] = {}
    for talk in talks:
        by_group[talk.group] = by_group.get(talk.group, 0) + 1
    records = {r.kind for r in candidate.inspection_records.all()}
    parts = [f"个别谈话 {len(talks)} 人（" + "、".join(f"{g}{n}" for g, n in by_group.items()) + "）"]
    labels = dict(InspectionRecord.Kind.choices)
    parts += [labels[k] for k in InspectionRecord.Kind.values if k in records and k != "joint_review"]
    return "；".join(parts)


# --- deadlines through the calendar seam --------------------------------------------------------


def notice_period(policy: Policy, *, starts_on: date, subject: str = "任前公示") -> Decision:
    return deadlines.notice_period(policy, starts_on=starts_on, subject=subject, schedules=schedules())


def check_notice_over(policy: Policy, *, starts_on: date, today: date, subject: str = "任前公示") -> Decision:
    return deadlines.check_notice_over(
        policy, starts_on=starts_on, today=today, subject=subject, schedules=schedules()
    )


def disclosure_period(policy: Policy, *, round: str, starts_on: date) -> Decision:
    assert round in ("first", "second")
    return deadlines.disclosure_period(policy, round=round, starts_on=starts_on, schedules=schedules())  # type: ignore[arg-type]


def appeal_deadline(policy: Policy, *, feedback_on: date) -> Decision:
    return deadlines.appeal_deadline(policy, feedback_on=feedback_on, schedules=schedules())


def check_appeal_in_time(policy: Policy, *, feedback_on: date, appealed_on: date) -> Decision:
    return deadlines.check_appeal_in_time(
        policy, feedback_on=feedback_on, appealed_on=appealed_on, schedules=schedules()
    )


def inspection_notice_deadline(policy: Policy, *, inspection_starts: date) -> Decision:
    return deadlines.inspection_notice_deadline(
        policy, inspection_starts=inspection_starts, schedules=schedules()
    )


def check_inspection_notice(policy: Policy, *, posted_on: date, inspection_starts: date) -> Decision:
    return deadlines.check_inspection_notice(
        policy, posted_on=posted_on, inspection_starts=inspection_starts, schedules=schedules()
    )


def recommendation_expiry(policy: Policy, *, held_on: date) -> Decision:
    return deadlines.recommendation_expiry(policy, held_on=held_on)


def check_recommendation_current(policy: Policy, *, held_on: date, today: date) -> Decision:
    return deadlines.check_recommendation_current(policy, held_on=held_on, today=today)


def probation_end(policy: Policy, *, appointed_on: date, remind_days_before: int = 30) -> Decision:
    return deadlines.probation_end(policy, appointed_on=appointed_on, remind_days_before=remind_days_before)


__all__ = [
    "Cited",
    "FormRow",
    "ProcedureCheck",
    "Progress",
    "StepStatus",
    "Talk",
    "cadre_facts",
    "campaign_progress",
    "candidate_progress",
    "check_campaign_step",
    "check_person_step",
    "cite_rule",
    "decide",
    "must_talk_groups",
    "pin_policy",
    "policy_of",
    "post_kind_of",
    "post_requirements",
    "procedure_check",
    "schedules",
    "stage_of",
]
