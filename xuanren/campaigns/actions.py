"""Every state change of a selection campaign: one function, one durable transaction, one entry.

Each action takes the acting user as ``acting_user`` (keyword-only) and the day it acts on as
``today``. It asks the rules (``xuanren.rules``, through ``engine``) whether the change is
allowed, changes the models, and appends the full-process record entry whose ``stage``/``step``
are the pinned policy's ids and whose payload carries the ``Decision.to_dict()`` values that
decided it. Entries name the **cadre id** as ``candidate_id`` and carry the campaign
:class:`Candidate` id in the payload (``"candidate"``).

A refusal raises :class:`~xuanren.campaigns.errors.CampaignRefused` naming the rule; the
:func:`campaign_action` decorator then records it as a ``step_refused`` entry in its own
transaction (the refused change itself rolled back). See ``docs/campaigns.md``.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NoReturn, ParamSpec, TypeVar

from xuanren.accounts.models import Jurisdiction
from xuanren.campaigns import engine
from xuanren.campaigns.errors import CampaignRefused, NotPermitted
from xuanren.campaigns.figures import RecommendationFigures
from xuanren.campaigns.models import (
    AnnualPlan,
    Campaign,
    CampaignStep,
    Candidate,
    CandidateStep,
    InspectionRecord,
    Nomination,
    RangeWidening,
    Recommendation,
    RecommendationScore,
    TieSettlement,
    Vacancy,
)
from xuanren.record.api import append, recorded_action
from xuanren.record.models import Entry
from xuanren.register import selectors as register_selectors
from xuanren.register.models import Cadre, Post, Unit
from xuanren.rules.decision import Decision, Outcome
from xuanren.rules.eligibility import ExceptionalRequest, HigherApproval, check_eligibility
from xuanren.rules.policy import Policy
from xuanren.rules.recommendation import (
    check_nomination_participation,
    check_recommendation_attendance,
    judge_recommendation,
)
from xuanren.rules.schema import ChannelsRule, FormsRule, ModesRule, RatioRule
from xuanren.rules.shortlist import check_ratio, shortlist
from xuanren.rules.vocabulary import RecommendationMode

P = ParamSpec("P")
R = TypeVar("R")

# Who may act. The cadre section (干部科) runs the campaign and enters what meetings decided, so
# it may take every campaign action; the roles of DOMAIN D0 act on their own steps.
RUNNER = ("cadre_officer",)
DEPARTMENT = ("cadre_officer", "department_head")
DELIBERATION = ("cadre_officer", "deliberation_member", "secretary")
SECRETARY = ("cadre_officer", "secretary")
DISCIPLINE = ("cadre_officer", "discipline")
INSPECTORS = ("cadre_officer", "inspection_team")
COMMITTEE = ("cadre_officer", "committee_member", "secretary")

# Extra campaign step around the policy's own: the method and steps are published before the
# campaign starts (000 一、（两公开）二是: 在干部选任工作启动前,公开不同职位干部选任方式和程序步骤).
METHOD_STEP = "method_published"
METHOD_STEP_NAME = "公开选任方式和程序步骤"

PASSING = (Outcome.PASS, Outcome.NOT_APPLICABLE, Outcome.INFO)


# --------------------------------------------------------------------------- refusals


def campaign_action(fn: Callable[P, R]) -> Callable[P, R]:
    """Record a refused action as ``step_refused`` in its own transaction, then re-raise.

    The refused action's own transaction has rolled back by then; the entry says which step was
    refused, by which rule and why, so the supervision desk sees refused steps too. Access
    refusals (:class:`NotPermitted`) are not steps the policy refused and are not recorded.
    """

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except NotPermitted:
            raise
        except CampaignRefused as refusal:
            record_refusal(refusal, kwargs.get("acting_user"))
            raise

    return wrapper


def record_refusal(refusal: CampaignRefused, actor: Any) -> Entry | None:
    """Append the ``step_refused`` entry of a refusal (payload: step, rule id, reason, decision)."""
    campaign = refusal.campaign
    candidate = refusal.candidate
    code = refusal.jurisdiction_code
    if not code and campaign is not None:
        code = Jurisdiction.objects.values_list("code", flat=True).get(pk=campaign.jurisdiction_id)
    if not code:
        return None
    payload: dict[str, Any] = {
        "step": refusal.step,
        "rule_id": refusal.rule_id,
        "reason": refusal.message,
        "decision": refusal.decision.to_dict() if refusal.decision is not None else None,
    }
    if candidate is not None:
        payload["candidate"] = candidate.pk
    with recorded_action():
        return append(
            action="step_refused",
            actor=actor,
            jurisdiction_code=code,
            payload=payload,
            campaign_id=campaign.pk if campaign is not None else None,
            candidate_id=candidate.cadre_id if candidate is not None else None,
            stage=refusal.stage,
            step=refusal.step,
            candidate_name=_name(candidate) if candidate is not None else None,
        )


def check_actor(user: Any, jurisdiction: Jurisdiction, roles: Sequence[str]) -> None:
    """The acting user must hold one of ``roles`` in a jurisdiction containing the campaign's."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise NotPermitted("campaigns.access", "请先登录")
    if getattr(user, "is_superuser", False):
        return
    own = getattr(user, "jurisdiction", None)
    if own is None or not jurisdiction.path.startswith(own.path):
        raise NotPermitted("campaigns.access", f"{jurisdiction.name}不在您的管辖范围内")
    if not user.has_role(*roles):
        raise NotPermitted("campaigns.access", "您的角色不能进行此项操作")


# --------------------------------------------------------------------------- one action's run


def _stage(policy: Policy, step: str) -> str:
    return "campaign" if step in ("", METHOD_STEP) else engine.stage_of(policy, step)


def _name(candidate: Candidate) -> str:
    return candidate.cadre.name


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass
class Run:
    """One action on one campaign: its policy, actor, day, and the step it works on."""

    campaign: Campaign
    policy: Policy
    actor: Any
    today: date
    step: str = ""
    stage: str = ""

    def at(self, step: str) -> Run:
        """Point the run at a policy step (its stage is looked up in the policy)."""
        self.step = step
        self.stage = _stage(self.policy, step)
        return self

    def refuse(
        self,
        rule_id: str,
        message: str,
        decision: Decision | None = None,
        candidate: Candidate | None = None,
    ) -> NoReturn:
        raise CampaignRefused(
            rule_id,
            message,
            decision,
            campaign=self.campaign,
            candidate=candidate,
            stage=self.stage,
            step=self.step,
            jurisdiction_code=self.campaign.jurisdiction.code,
        )

    def require(
        self,
        decision: Decision,
        candidate: Candidate | None = None,
        allowed: Sequence[Outcome] = PASSING,
    ) -> Decision:
        """Refuse unless the decision's outcome is allowed (pass, not applicable, information)."""
        if decision.outcome not in allowed:
            self.refuse(decision.rule_id, decision.explanation, decision, candidate)
        return decision

    def refuse_by(
        self, paths: Sequence[str], text: str, *, candidate: Candidate | None = None, **inputs: Any
    ) -> NoReturn:
        """Refuse citing the first of the policy rules ``paths`` the policy has."""
        cited = engine.cite_rule(self.policy, *paths)
        subject = _name(candidate) if candidate is not None else "选任工作"
        decision = engine.decide(self.policy, cited, passed=False, text=text, subject=subject, inputs=inputs)
        self.refuse(cited.rule_id, decision.explanation, decision, candidate)

    def record(
        self,
        action: str,
        payload: Mapping[str, Any] | None = None,
        *,
        candidate: Candidate | None = None,
        step: str | None = None,
        files: Iterable[Mapping[str, str]] = (),
    ) -> Entry:
        step_id = self.step if step is None else step
        stage = self.stage if step is None else _stage(self.policy, step_id)
        body: dict[str, Any] = {"policy": self.campaign.policy_label}
        if candidate is not None:
            body["candidate"] = candidate.pk
        body.update(payload or {})
        return append(
            action=action,
            actor=self.actor,
            jurisdiction_code=self.campaign.jurisdiction.code,
            payload=body,
            campaign_id=self.campaign.pk,
            candidate_id=candidate.cadre_id if candidate is not None else None,
            stage=stage,
            step=step_id,
            files=files,
            candidate_name=_name(candidate) if candidate is not None else None,
        )


def _run(campaign: Campaign, acting_user: Any, today: date, roles: Sequence[str], step: str = "") -> Run:
    """Lock the campaign row for this action and load its pinned policy."""
    locked = Campaign.objects.select_for_update().select_related("jurisdiction").get(pk=campaign.pk)
    check_actor(acting_user, locked.jurisdiction, roles)
    run = Run(locked, engine.policy_of(locked), acting_user, today)
    return run.at(step)


def _candidate(run: Run, candidate: Candidate) -> Candidate:
    fresh = (
        Candidate.objects.select_for_update(of=("self",))
        .select_related("cadre", "vacancy", "vacancy__post", "vacancy__post__unit")
        .get(pk=candidate.pk)
    )
    if fresh.campaign_id != run.campaign.pk:
        run.refuse("campaigns.candidate", f"{fresh.cadre.name} 不是本次选任工作的人选", candidate=fresh)
    return fresh


def _campaign_step_done(run: Run, step: str) -> bool:
    return CampaignStep.objects.filter(campaign=run.campaign, step=step).exists()


def _mark_campaign_step(run: Run, step: str, entry: Entry) -> CampaignStep:
    return CampaignStep.objects.create(
        campaign=run.campaign, stage="campaign", step=step, done_on=run.today, entry_seq=entry.seq
    )


def _require_campaign_step(run: Run, step: str) -> Decision:
    """Every earlier campaign step is done, and this one is not yet."""
    done = engine.campaign_steps_done(run.campaign)
    if step in done:
        run.refuse(
            run.policy.rule_id("record.procedure"),
            f"“{engine.step_name(run.policy, step)}”已经完成，不能重复进行",
        )
    return run.require(
        engine.check_campaign_step(run.policy, step_id=step, done=done), allowed=(Outcome.PASS,)
    )


def _require_announced(run: Run, candidate: Candidate | None = None) -> None:
    """Nothing happens to people before the vacancies and conditions are announced."""
    if not _campaign_step_done(run, "vacancy_announcement"):
        run.refuse_by(
            ["record.procedure"],
            f"“{engine.step_name(run.policy, 'vacancy_announcement')}”尚未完成，程序不得跳过",
            candidate=candidate,
            missing=["vacancy_announcement"],
        )


def check_person_step(run: Run, candidate: Candidate, step: str) -> Decision:
    """The procedure allows ``step`` for the candidate now: earlier steps done, this one not."""
    done = engine.candidate_steps_done(candidate)
    if step in done:
        run.refuse(
            run.policy.rule_id("record.procedure"),
            f"{_name(candidate)} 的“{engine.step_name(run.policy, step)}”已经完成，不能重复进行",
            candidate=candidate,
        )
    if not candidate.active:
        _refuse_stopped(run, candidate)
    return run.require(
        engine.check_person_step(run.policy, candidate, step, done), candidate, allowed=(Outcome.PASS,)
    )


def _refuse_stopped(run: Run, candidate: Candidate) -> NoReturn:
    rule = candidate.stopped_rule or run.policy.rule_id("record.procedure")
    why = candidate.stopped_reason or candidate.get_state_display()
    run.refuse(rule, f"{_name(candidate)} 已终止（{why}），不能继续", candidate=candidate)


def _mark_step(
    run: Run, candidate: Candidate, step: str, entry: Entry, on: date | None = None
) -> CandidateStep:
    return CandidateStep.objects.create(
        candidate=candidate,
        stage=engine.stage_of(run.policy, step),
        step=step,
        done_on=on or run.today,
        entry_seq=entry.seq,
    )


def _stop(
    run: Run, candidate: Candidate, decision: Decision, step: str, state: str = Candidate.State.STOPPED
) -> None:
    """Stop a candidate by a rule's decision (the state says why; the entry is the caller's)."""
    candidate.state = state
    candidate.stopped_rule = decision.rule_id
    candidate.stopped_reason = decision.explanation
    candidate.stopped_step = step
    candidate.save(update_fields=["state", "stopped_rule", "stopped_reason", "stopped_step"])


def _set_state(candidate: Candidate, state: str) -> None:
    candidate.state = state
    candidate.save(update_fields=["state"])


def _posts(run: Run) -> int:
    return run.campaign.vacancies.count()


def _candidates(run: Run, *states: str) -> list[Candidate]:
    qs = run.campaign.candidates.select_related("cadre", "vacancy", "vacancy__post").order_by(
        "sort_order", "id"
    )
    return list(qs.filter(state__in=states) if states else qs)


def _own(run: Run, candidates: Iterable[Candidate]) -> list[Candidate]:
    """The given candidates re-read and locked, refusing any of another campaign."""
    return [_candidate(run, c) for c in candidates]


# --------------------------------------------------------------------------- campaign and plan


@campaign_action
def create_annual_plan(
    *, acting_user: Any, jurisdiction: Jurisdiction, year: int, note: str = "", today: date
) -> AnnualPlan:
    """Create the annual selection plan (年度选拔任用工作计划, 001 二、) of a jurisdiction for a year.

    Campaigns join it through :func:`create_campaign` (``annual_plan=``); it is published with
    :func:`publish_annual_plan`.
    """
    check_actor(acting_user, jurisdiction, DEPARTMENT)
    with recorded_action():
        if AnnualPlan.objects.filter(jurisdiction=jurisdiction, year=year).exists():
            raise CampaignRefused(
                "campaigns.annual_plan",
                f"{jurisdiction.name} {year} 年度选任计划已经存在",
                jurisdiction_code=jurisdiction.code,
            )
        plan = AnnualPlan.objects.create(jurisdiction=jurisdiction, year=year, note=note)
        append(
            action="annual_plan_created",
            actor=acting_user,
            jurisdiction_code=jurisdiction.code,
            payload={"plan": plan.pk, "year": year, "note": note, "created_on": today},
            stage="campaign",
        )
    return plan


@campaign_action
def publish_annual_plan(plan: AnnualPlan, *, acting_user: Any, today: date) -> AnnualPlan:
    """Publish the annual plan: the list of planned campaigns, by quarter (001 二、: 向社会公布)."""
    jurisdiction = plan.jurisdiction
    check_actor(acting_user, jurisdiction, DEPARTMENT)
    with recorded_action():
        plan = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
        campaigns = list(plan.campaigns.order_by("plan_quarter", "id"))
        if not campaigns:
            raise CampaignRefused(
                "campaigns.annual_plan", "年度选任计划中还没有选任工作", jurisdiction_code=jurisdiction.code
            )
        plan.published_on = today
        plan.save(update_fields=["published_on"])
        append(
            action="annual_plan_published",
            actor=acting_user,
            jurisdiction_code=jurisdiction.code,
            payload={
                "plan": plan.pk,
                "year": plan.year,
                "published_on": today,
                "campaigns": [
                    {"campaign": c.pk, "title": c.title, "quarter": c.plan_quarter, "policy": c.policy_label}
                    for c in campaigns
                ],
            },
            stage="campaign",
        )
    return plan


@campaign_action
def create_campaign(
    *,
    acting_user: Any,
    jurisdiction: Jurisdiction,
    title: str,
    year: int,
    policy_ref: str,
    today: date,
    annual_plan: AnnualPlan | None = None,
    plan_quarter: int | None = None,
) -> Campaign:
    """Create a campaign pinned to one policy version (``"linze"`` = latest, or ``"linze@1"``).

    The pin (id, version, SHA-256 of the resolved policy) never changes afterwards (D10).
    """
    check_actor(acting_user, jurisdiction, RUNNER)
    if not title.strip():
        raise CampaignRefused("campaigns.title", "请填写选任工作名称", jurisdiction_code=jurisdiction.code)
    try:
        policy = engine.pin_policy(policy_ref)
    except (KeyError, ValueError) as error:
        raise CampaignRefused(
            "campaigns.policy", f"找不到政策 {policy_ref}：{error}", jurisdiction_code=jurisdiction.code
        ) from error
    if annual_plan is not None and (
        annual_plan.jurisdiction_id != jurisdiction.pk or annual_plan.year != year
    ):
        raise CampaignRefused(
            "campaigns.annual_plan", "年度计划与选任工作的辖区或年度不符", jurisdiction_code=jurisdiction.code
        )
    with recorded_action():
        campaign = Campaign.objects.create(
            jurisdiction=jurisdiction,
            title=title.strip(),
            year=year,
            policy_id=policy.id,
            policy_version=policy.version,
            policy_sha256=policy.sha256,
            annual_plan=annual_plan,
            planned=annual_plan is not None,
            plan_quarter=plan_quarter,
            created_by=acting_user,
        )
        append(
            action="campaign_created",
            actor=acting_user,
            jurisdiction_code=jurisdiction.code,
            payload={
                "title": campaign.title,
                "year": year,
                "policy": {"id": policy.id, "version": policy.version, "sha256": policy.sha256},
                "annual_plan": annual_plan.pk if annual_plan else None,
                "plan_quarter": plan_quarter,
                "created_on": today,
            },
            campaign_id=campaign.pk,
            stage="campaign",
        )
    return campaign


# --------------------------------------------------------------------------- motion (D1.1)


@dataclass(frozen=True)
class VacancyInput:
    """A post to fill and the conditions to announce for it (级别、任职年限、学历层次、年龄、其他)."""

    post: Post
    rank: str = ""  # the post's rank unless given
    min_years_in_rank: int | None = None
    min_education: str = ""
    max_age: int | None = None
    min_age: int | None = None
    other_conditions: str = ""


def _open_vacancies_elsewhere(campaign: Campaign, unit_id: int, rank: str) -> int:
    """Vacancies of the same unit and rank in other running campaigns not yet filled."""
    return (
        Vacancy.objects.filter(post__unit_id=unit_id, rank=rank)
        .exclude(campaign=campaign)
        .exclude(campaign__status__in=[Campaign.Status.FINISHED, Campaign.Status.CANCELLED])
        .exclude(candidates__state__in=[Candidate.State.APPOINTED, Candidate.State.PROBATION])
        .count()
    )


def _quota_decisions(run: Run, vacancies: Sequence[VacancyInput]) -> list[Decision]:
    """For each unit and rank: vacancies asked for ≤ approved headcount − posts held (核定职数)."""
    cited = engine.cite_rule(run.policy, "motion.within_quota")
    wanted: dict[tuple[int, str], list[VacancyInput]] = {}
    for v in vacancies:
        wanted.setdefault((v.post.unit_id, v.rank or v.post.rank), []).append(v)
    decisions = []
    for (unit_id, rank), group in wanted.items():
        unit = group[0].post.unit
        approved = register_selectors.headcount_approved(unit_id, rank)
        used = register_selectors.headcount_used(unit_id, rank)
        elsewhere = _open_vacancies_elsewhere(run.campaign, unit_id, rank)
        free = approved - used - elsewhere
        passed = len(group) <= free
        label = dict(Vacancy._meta.get_field("rank").choices or ()).get(rank, rank)
        text = (
            f"{unit.name}{label}核定职数 {approved} 名，现任 {used} 名"
            + (f"，其他选任工作已动议 {elsewhere} 名" if elsewhere else "")
            + f"，可动议 {max(free, 0)} 名；本次动议 {len(group)} 名，"
            + ("在核定职数范围内" if passed else "超出核定职数")
        )
        decisions.append(
            engine.decide(
                run.policy,
                cited,
                passed=passed,
                text=text,
                subject=f"{unit.name}{label}",
                inputs={
                    "unit": unit_id,
                    "rank": rank,
                    "approved": approved,
                    "used": used,
                    "other_campaigns": elsewhere,
                    "requested": len(group),
                },
            )
        )
    return decisions


@campaign_action
def propose_motion(
    campaign: Campaign,
    *,
    acting_user: Any,
    today: date,
    reason: str,
    vacancies: Sequence[VacancyInput],
) -> Campaign:
    """Propose the motion (提出动议建议, step ``motion_proposal``): the posts to fill and why.

    Refused beyond the approved headcount: for each unit and rank the vacancies cannot exceed
    approved − held (minus what other running campaigns already proposed) (``motion.within_quota``).
    A post someone holds now is not vacant.
    """
    with recorded_action():
        run = _run(campaign, acting_user, today, RUNNER, "motion_proposal")
        procedure = _require_campaign_step(run, "motion_proposal")
        if not reason.strip():
            run.refuse_by(["motion.within_quota"], "请说明动议理由（领导班子和干部队伍建设的需要）")
        if not vacancies:
            run.refuse_by(["motion.within_quota"], "动议至少包括一个空缺职位")
        posts = [v.post.pk for v in vacancies]
        if len(set(posts)) != len(posts):
            run.refuse_by(["motion.within_quota"], "同一职位重复列入动议")
        for v in vacancies:
            if v.post.unit.jurisdiction_id != run.campaign.jurisdiction_id:
                run.refuse_by(["motion.within_quota"], f"{v.post} 不属于{run.campaign.jurisdiction.name}")
            holder = v.post.holdings.filter(end__isnull=True).select_related("cadre").first()
            if holder is not None:
                run.refuse_by(
                    ["motion.within_quota"],
                    f"{v.post.unit.name}{v.post.title}现由{holder.cadre.name}担任，不是空缺职位",
                    post=v.post.pk,
                )
        quotas = _quota_decisions(run, vacancies)
        for decision in quotas:
            run.require(decision)
        run.campaign.vacancies.all().delete()
        created = [
            Vacancy.objects.create(
                campaign=run.campaign,
                post=v.post,
                sort_order=i,
                rank=v.rank or v.post.rank,
                post_kind=engine.post_kind_of(v.post),
                min_years_in_rank=v.min_years_in_rank,
                min_education=v.min_education,
                max_age=v.max_age,
                min_age=v.min_age,
                other_conditions=v.other_conditions,
            )
            for i, v in enumerate(vacancies)
        ]
        run.campaign.motion_reason = reason.strip()
        run.campaign.motion_proposed_on = today
        run.campaign.status = Campaign.Status.PROPOSED
        run.campaign.save(update_fields=["motion_reason", "motion_proposed_on", "status"])
        entry = run.record(
            "motion_proposed",
            {
                "reason": run.campaign.motion_reason,
                "vacancies": [engine.vacancy_conditions(v) for v in created],
                "quota": [d.to_dict() for d in quotas],
                "procedure": procedure.to_dict(),
            },
        )
        _mark_campaign_step(run, "motion_proposal", entry)
    return run.campaign


def _mentions_cadre(run: Run, text: str) -> list[str]:
    """Names of registered cadres of the jurisdiction that appear in ``text``."""
    names = (
        Cadre.objects.filter(jurisdiction__path__startswith=run.campaign.jurisdiction.path)
        .values_list("name", flat=True)
        .distinct()
    )
    return sorted({name for name in names if len(name) >= 2 and name in text})


@campaign_action
def record_direction(
    campaign: Campaign, *, acting_user: Any, today: date, direction: str, standards: str
) -> Campaign:
    """Record the secretary's direction, principles and standards for the motion.

    The secretary gives only direction and standards, never a named person (000 三、:
    只提方向原则、选拔标准和选拔要求，不定具体职位、具体人选和选拔范围). Text naming a registered
    cadre of the jurisdiction is refused (``motion.secretary_direction_only``).
    """
    with recorded_action():
        run = _run(campaign, acting_user, today, SECRETARY, "motion_plan")
        if not _campaign_step_done(run, "motion_proposal"):
            _require_campaign_step(run, "motion_plan")
        if _campaign_step_done(run, "motion_plan"):
            run.refuse_by(["motion.secretary_direction_only"], "动议方案已审定，不能再修改方向和标准")
        if not direction.strip() and not standards.strip():
            run.refuse_by(["motion.secretary_direction_only"], "请填写方向原则或选拔标准")
        named = _mentions_cadre(run, f"{direction}\n{standards}")
        if named and engine.flag(run.policy, "motion.secretary_direction_only"):
            run.refuse_by(
                ["motion.secretary_direction_only"],
                f"书记只提方向原则和选拔标准，不得提出具体人选：文中出现了干部姓名 {'、'.join(named)}",
                named=named,
            )
        run.campaign.direction = direction.strip()
        run.campaign.standards = standards.strip()
        run.campaign.direction_recorded_on = today
        run.campaign.save(update_fields=["direction", "standards", "direction_recorded_on"])
        run.record(
            "direction_recorded", {"direction": run.campaign.direction, "standards": run.campaign.standards}
        )
    return run.campaign


@campaign_action
def agree_motion_plan(
    campaign: Campaign,
    *,
    acting_user: Any,
    today: date,
    meeting: str,
    attendees: Sequence[str],
    leaders_heard: Sequence[str] = (),
    minutes: str = "",
) -> Campaign:
    """The personnel deliberation meeting agrees the motion plan (拟定动议方案, step ``motion_plan``)
    after hearing the relevant leaders (000 一、（两公开）一是).

    ``meeting`` must be the body the policy names (``motion.plan_agreed_by``, e.g. 县委人事酝酿会议).
    """
    with recorded_action():
        run = _run(campaign, acting_user, today, DELIBERATION, "motion_plan")
        procedure = _require_campaign_step(run, "motion_plan")
        bodies = engine.items_of(run.policy, "motion.plan_agreed_by")
        if bodies and meeting not in bodies:
            run.refuse_by(
                ["motion.plan_agreed_by"],
                f"动议方案应由{'、'.join(bodies)}审定，不是{meeting or '（未填写）'}",
            )
        if not attendees:
            run.refuse_by(["motion.plan_agreed_by"], "请填写参加会议的人员")
        run.campaign.plan_agreed_on = today
        run.campaign.status = Campaign.Status.PLAN_AGREED
        run.campaign.save(update_fields=["plan_agreed_on", "status"])
        entry = run.record(
            "motion_plan_agreed",
            {
                "meeting": meeting,
                "attendees": list(attendees),
                "leaders_heard": list(leaders_heard),
                "minutes_sha256": hashlib.sha256(minutes.encode("utf-8")).hexdigest() if minutes else None,
                "direction": run.campaign.direction,
                "standards": run.campaign.standards,
                "vacancies": [
                    engine.vacancy_conditions(v) for v in run.campaign.vacancies.select_related("post__unit")
                ],
                "procedure": procedure.to_dict(),
            },
        )
        _mark_campaign_step(run, "motion_plan", entry)
    return run.campaign


@campaign_action
def publish_method(
    campaign: Campaign, *, acting_user: Any, today: date, method: str, media: Sequence[str]
) -> Campaign:
    """Publish the method and steps of the selection before it starts (公开选任方式和程序步骤).

    Required before the vacancy announcement (000 一、（两公开）二是).
    """
    with recorded_action():
        run = _run(campaign, acting_user, today, RUNNER, METHOD_STEP)
        if _campaign_step_done(run, METHOD_STEP):
            run.refuse_by(["openness.progress_items", "openness.items"], "选任方式和程序步骤已经公开")
        if _campaign_step_done(run, "vacancy_announcement"):
            run.refuse_by(
                ["openness.progress_items", "openness.items"], "选任工作已经启动，方式和步骤应在启动前公开"
            )
        if not method.strip() or not media:
            run.refuse_by(["openness.progress_items", "openness.items"], "请填写选任方式和程序步骤及公开途径")
        steps = [v.name for v in engine.person_step_views(run.policy)]
        run.campaign.method = method.strip()
        run.campaign.method_published_on = today
        run.campaign.save(update_fields=["method", "method_published_on"])
        entry = run.record(
            "method_published",
            {"method": run.campaign.method, "media": list(media), "procedure_steps": steps},
        )
        _mark_campaign_step(run, METHOD_STEP, entry)
    return run.campaign


_VACANCY_ITEM_FIELDS = {"级别": "rank", "任职年限": "min_years_in_rank", "学历层次": "min_education"}


@campaign_action
def announce_vacancies(
    campaign: Campaign,
    *,
    acting_user: Any,
    today: date,
    media: Sequence[str],
    nomination_opens: date,
    nomination_closes: date,
) -> Campaign:
    """Announce the vacancies and their conditions (公布空缺职位, step ``vacancy_announcement``).

    Freezes every vacancy's conditions; the entry carries each one's SHA-256 (and the SHA-256 of
    all of them). Once published the standard of this campaign cannot change (001 一、（一）5);
    see :func:`change_vacancy_conditions`. The method and steps must have been published first.
    """
    with recorded_action():
        run = _run(campaign, acting_user, today, RUNNER, "vacancy_announcement")
        procedure = _require_campaign_step(run, "vacancy_announcement")
        if not _campaign_step_done(run, METHOD_STEP):
            run.refuse_by(
                ["openness.progress_items", "openness.items", "record.procedure"],
                f"公布空缺职位前须先{METHOD_STEP_NAME}",
            )
        if not media:
            run.refuse_by(["openness.media"], "请选择公布途径")
        if nomination_closes < nomination_opens or nomination_opens < today:
            run.refuse_by(["nomination.channels"], "推荐提名时限不正确（开始不早于公布日，截止不早于开始）")
        vacancies = list(run.campaign.vacancies.select_related("post__unit"))
        required = engine.items_of(run.policy, "openness.vacancy_items")
        for vacancy in vacancies:
            for item in required:
                name = _VACANCY_ITEM_FIELDS.get(item)
                if name and getattr(vacancy, name) in (None, ""):
                    run.refuse_by(["openness.vacancy_items"], f"{vacancy.post} 未写明{item}，不能公布")
        frozen = []
        for vacancy in vacancies:
            conditions = engine.vacancy_conditions(vacancy)
            vacancy.conditions_sha256 = engine.sha256_json(conditions)
            vacancy.frozen_on = today
            vacancy.save(update_fields=["conditions_sha256", "frozen_on"])
            frozen.append(
                {"vacancy": vacancy.pk, "conditions": conditions, "sha256": vacancy.conditions_sha256}
            )
        run.campaign.announced_on = today
        run.campaign.announcement_media = list(media)
        run.campaign.nomination_opens = nomination_opens
        run.campaign.nomination_closes = nomination_closes
        run.campaign.status = Campaign.Status.ANNOUNCED
        run.campaign.save(
            update_fields=[
                "announced_on",
                "announcement_media",
                "nomination_opens",
                "nomination_closes",
                "status",
            ]
        )
        entry = run.record(
            "vacancies_announced",
            {
                "vacancies": frozen,
                "conditions_sha256": engine.sha256_json([f["conditions"] for f in frozen]),
                "media": list(media),
                "nomination_opens": nomination_opens,
                "nomination_closes": nomination_closes,
                "procedure": procedure.to_dict(),
            },
        )
        _mark_campaign_step(run, "vacancy_announcement", entry)
    return run.campaign


@campaign_action
def change_vacancy_conditions(
    vacancy: Vacancy, *, acting_user: Any, today: date, changes: Mapping[str, Any]
) -> Vacancy:
    """Change a vacancy's conditions before the announcement. After it, refused and recorded
    (``openness.standard_frozen``, or the announcement's ``openness.vacancy_items``)."""
    allowed = {"rank", "min_years_in_rank", "min_education", "max_age", "min_age", "other_conditions"}
    with recorded_action():
        run = _run(vacancy.campaign, acting_user, today, RUNNER, "vacancy_announcement")
        vacancy = Vacancy.objects.select_for_update().select_related("post__unit").get(pk=vacancy.pk)
        unknown = set(changes) - allowed
        if unknown:
            run.refuse_by(["openness.vacancy_items"], f"不能修改的项目：{'、'.join(sorted(unknown))}")
        if vacancy.frozen:
            run.refuse_by(
                ["openness.standard_frozen", "openness.vacancy_items"],
                f"{vacancy.post} 的任职条件已于 {vacancy.frozen_on.isoformat() if vacancy.frozen_on else ''} 公布"
                f"（摘要 {vacancy.conditions_sha256[:12]}…），本次选任标准不得再做改变",
                vacancy=vacancy.pk,
                attempted={k: changes[k] for k in sorted(changes)},
            )
        before = engine.vacancy_conditions(vacancy)
        for name, value in changes.items():
            setattr(
                vacancy,
                name,
                value if value is not None or name in {"max_age", "min_age", "min_years_in_rank"} else "",
            )
        vacancy.save()
        run.record(
            "vacancy_conditions_changed",
            {"vacancy": vacancy.pk, "before": before, "after": engine.vacancy_conditions(vacancy)},
            step="motion_plan",
        )
    return vacancy


# --------------------------------------------------------------------------- five nominations (D2)


@dataclass(frozen=True)
class Material:
    """A stored file (a signed scan, minutes) named by its SHA-256 (``xuanren.record`` stores it)."""

    name: str
    sha256: str

    def ref(self) -> dict[str, str]:
        return {"name": self.name, "sha256": self.sha256}


_ANONYMOUS = {Nomination.Channel.CADRE_MEETING, Nomination.Channel.CADRES_AND_MASSES}


def _nominate(
    campaign: Campaign,
    *,
    acting_user: Any,
    today: date,
    cadre: Cadre,
    vacancy: Vacancy | None,
    channel: str,
    fields: Mapping[str, Any],
    checks: Callable[[Run], Sequence[Decision]] = lambda run: (),
    material: Material | None = None,
) -> Nomination:
    with recorded_action():
        run = _run(campaign, acting_user, today, RUNNER, "nominated")
        _require_announced(run)
        label = Nomination.Channel(channel).label
        rule = run.policy.rule("nomination.channels")
        if isinstance(rule, ChannelsRule) and channel not in rule.enabled:
            run.refuse_by(["nomination.channels"], f"本政策未设“{label}”渠道", channel=channel)
        if engine.flag(run.policy, "nomination.signed_only") and channel in _ANONYMOUS:
            run.refuse_by(["nomination.signed_only"], f"推荐必须署名，不受理无记名的{label}", channel=channel)
        opens, closes = run.campaign.nomination_opens, run.campaign.nomination_closes
        if (opens and today < opens) or (closes and today > closes):
            run.refuse_by(
                ["nomination.channels"],
                f"推荐提名时限为 {_iso(opens)} 至 {_iso(closes)}，{today.isoformat()} 不在时限内",
            )
        if not cadre.jurisdiction.path.startswith(run.campaign.jurisdiction.path):
            run.refuse_by(
                ["nomination.channels"], f"{cadre.name} 不在{run.campaign.jurisdiction.name}的干部名册中"
            )
        if vacancy is not None and vacancy.campaign_id != run.campaign.pk:
            run.refuse_by(["nomination.channels"], f"{vacancy.post} 不是本次选任的空缺职位")
        decisions = list(checks(run))
        candidate = (
            Candidate.objects.filter(campaign=run.campaign, cadre=cadre).select_related("cadre").first()
        )
        new = candidate is None
        if candidate is None:
            candidate = Candidate.objects.create(
                campaign=run.campaign,
                cadre=cadre,
                vacancy=vacancy,
                sort_order=run.campaign.candidates.count() + 1,
            )
            procedure = check_person_step(run, candidate, "nominated")
            decisions.append(procedure)
        else:
            candidate = _candidate(run, candidate)
            if not candidate.active:
                _refuse_stopped(run, candidate)
            if "qualification_review" in engine.candidate_steps_done(candidate):
                run.refuse_by(
                    ["nomination.channels"], f"{cadre.name} 已经过资格审核，不再受理提名", candidate=candidate
                )
            if vacancy is not None and candidate.vacancy_id is None:
                candidate.vacancy = vacancy
                candidate.save(update_fields=["vacancy"])
        nomination = Nomination.objects.create(
            campaign=run.campaign,
            candidate=candidate,
            channel=channel,
            vacancy=vacancy,
            received_on=today,
            material_name=material.name if material else "",
            material_sha256=material.sha256 if material else "",
            decision=[d.to_dict() for d in decisions] or None,
            **fields,
        )
        if run.campaign.status == Campaign.Status.ANNOUNCED:
            run.campaign.status = Campaign.Status.IN_PROGRESS
            run.campaign.save(update_fields=["status"])
        entry = run.record(
            "nomination_received",
            {
                "nomination": nomination.pk,
                "channel": channel,
                "channel_label": label,
                "vacancy": vacancy.pk if vacancy else None,
                **{k: v for k, v in fields.items() if not isinstance(v, Unit)},
                "unit": fields["unit"].pk if isinstance(fields.get("unit"), Unit) else None,
                "decisions": [d.to_dict() for d in decisions],
            },
            candidate=candidate,
            files=[material.ref()] if material else (),
        )
        if new:
            _mark_step(run, candidate, "nominated", entry)
    return nomination


def _required(run: Run, paths: Sequence[str], values: Mapping[str, Any]) -> None:
    missing = [label for label, value in values.items() if value in (None, "") or value is False]
    if missing:
        run.refuse_by(paths, f"未填写：{'、'.join(missing)}")


@campaign_action
def nominate_by_cadre_meeting(
    campaign: Campaign,
    *,
    acting_user: Any,
    today: date,
    cadre: Cadre,
    meeting_on: date,
    participants: int,
    votes: int,
    vacancy: Vacancy | None = None,
    material: Material | None = None,
) -> Nomination:
    """Cadre-meeting nomination (干部大会推荐提名, 000 一、（五提名）一是): the county-wide meeting's
    anonymous forms for one nominee — meeting date, people taking part and their votes."""

    def checks(run: Run) -> Sequence[Decision]:
        _required(run, ["nomination.channels"], {"推荐会议日期": meeting_on, "参加推荐人数": participants})
        if votes < 0 or votes > participants:
            run.refuse_by(["nomination.channels"], f"得票 {votes} 不在 0 至参加人数 {participants} 之间")
        return ()

    return _nominate(
        campaign,
        acting_user=acting_user,
        today=today,
        cadre=cadre,
        vacancy=vacancy,
        channel=Nomination.Channel.CADRE_MEETING,
        fields={"meeting_on": meeting_on, "participants": participants, "votes": votes},
        checks=checks,
        material=material,
    )


@campaign_action
def nominate_by_cadres_and_masses(
    campaign: Campaign,
    *,
    acting_user: Any,
    today: date,
    cadre: Cadre,
    unit: Unit,
    unit_size: int,
    participants: int,
    votes: int,
    meeting_on: date,
    vacancy: Vacancy | None = None,
    material: Material | None = None,
) -> Nomination:
    """Cadre-and-masses nomination in a unit (干部群众推荐提名, 000 一、（五提名）二是).

    The unit-size rule (``nomination.unit_participation``): a unit of 30 or more people needs at
    least 30 taking part; a smaller unit, everyone.
    """

    def checks(run: Run) -> Sequence[Decision]:
        if votes < 0 or votes > participants or participants > unit_size:
            run.refuse_by(["nomination.unit_participation"], "得票、参加人数与单位人数不相符")
        return (
            run.require(
                check_nomination_participation(run.policy, unit_size=unit_size, participants=participants)
            ),
        )

    return _nominate(
        campaign,
        acting_user=acting_user,
        today=today,
        cadre=cadre,
        vacancy=vacancy,
        channel=Nomination.Channel.CADRES_AND_MASSES,
        fields={
            "unit": unit,
            "unit_size": unit_size,
            "participants": participants,
            "votes": votes,
            "meeting_on": meeting_on,
        },
        checks=checks,
        material=material,
    )


@campaign_action
def nominate_by_unit(
    campaign: Campaign,
    *,
    acting_user: Any,
    today: date,
    cadre: Cadre,
    unit: Unit,
    meeting_on: date,
    document_reference: str,
    basic_facts: str,
    achievements: str,
    proposed_post: str,
    reasons: str,
    minutes: Material | None = None,
    vacancy: Vacancy | None = None,
) -> Nomination:
    """Collective unit nomination (部门单位集体推荐提名, 000 一、（五提名）三是): the unit's party
    committee or leadership meeting decides, with minutes, and reports by a formal document that
    states the nominee's basic facts, main achievements, proposed post and reasons."""

    def checks(run: Run) -> Sequence[Decision]:
        _required(
            run,
            ["nomination.channels"],
            {
                "会议日期": meeting_on,
                "上报文件文号": document_reference.strip(),
                "基本情况": basic_facts.strip(),
                "主要工作实绩": achievements.strip(),
                "拟推荐职务": proposed_post.strip(),
                "推荐理由": reasons.strip(),
                "会议记录": minutes is not None,
            },
        )
        return ()

    return _nominate(
        campaign,
        acting_user=acting_user,
        today=today,
        cadre=cadre,
        vacancy=vacancy,
        channel=Nomination.Channel.UNIT_COLLECTIVE,
        fields={
            "unit": unit,
            "meeting_on": meeting_on,
            "document_reference": document_reference.strip(),
            "report_basic_facts": basic_facts.strip(),
            "report_achievements": achievements.strip(),
            "report_proposed_post": proposed_post.strip(),
            "reasons": reasons.strip(),
        },
        checks=checks,
        material=minutes,
    )


@campaign_action
def nominate_by_signature(
    campaign: Campaign,
    *,
    acting_user: Any,
    today: date,
    cadre: Cadre,
    recommender_name: str,
    recommender_unit_post: str,
    recommender_contact: str,
    relationship: str,
    responsibility_accepted: bool,
    assessment: str,
    reasons: str,
    proposed_use: str,
    signed_form: Material | None = None,
    vacancy: Vacancy | None = None,
) -> Nomination:
    """Signed nomination by a leader or member of the public (领导干部及群众署名推荐提名,
    000 一、（五提名）四是; 001 一、（一）): the recommender's name, unit and contact, the nominee's
    德能勤绩廉, reasons and proposed use, the declared relationship to the nominee
    (``nomination.relationship_declaration``) and the recommender's statement that they answer
    for the recommendation (001: recommender liability)."""

    def checks(run: Run) -> Sequence[Decision]:
        _required(
            run,
            ["nomination.channels"],
            {
                "推荐人": recommender_name.strip(),
                "推荐人单位及职务": recommender_unit_post.strip(),
                "推荐人联系电话": recommender_contact.strip(),
                "德能勤绩廉情况": assessment.strip(),
                "推荐理由": reasons.strip(),
                "使用建议": proposed_use.strip(),
            },
        )
        if engine.flag(run.policy, "nomination.relationship_declaration") and not relationship.strip():
            run.refuse_by(["nomination.relationship_declaration"], "推荐人须申明与被推荐人的关系")
        if not responsibility_accepted:
            run.refuse_by(
                ["nomination.recommender_liability", "nomination.falsification"],
                "推荐人须承诺对推荐材料的真实性负责",
            )
        return ()

    return _nominate(
        campaign,
        acting_user=acting_user,
        today=today,
        cadre=cadre,
        vacancy=vacancy,
        channel=Nomination.Channel.SIGNED,
        fields={
            "recommender_name": recommender_name.strip(),
            "recommender_unit_post": recommender_unit_post.strip(),
            "recommender_contact": recommender_contact.strip(),
            "relationship": relationship.strip(),
            "responsibility_accepted": responsibility_accepted,
            "assessment": assessment.strip(),
            "reasons": reasons.strip(),
            "proposed_use": proposed_use.strip(),
        },
        checks=checks,
        material=signed_form,
    )


@campaign_action
def nominate_self(
    campaign: Campaign,
    *,
    acting_user: Any,
    today: date,
    cadre: Cadre,
    statement: str,
    registration_form: Material | None = None,
    vacancy: Vacancy | None = None,
) -> Nomination:
    """Self-nomination on the registration form (干部个人自荐提名, 000 一、（五提名）五是); the
    qualification review checks that the cadre meets the conditions."""

    def checks(run: Run) -> Sequence[Decision]:
        _required(run, ["nomination.channels"], {"自荐登记表内容": statement.strip()})
        return ()

    return _nominate(
        campaign,
        acting_user=acting_user,
        today=today,
        cadre=cadre,
        vacancy=vacancy,
        channel=Nomination.Channel.SELF,
        fields={"self_statement": statement.strip()},
        checks=checks,
        material=registration_form,
    )


# --------------------------------------------------------------------------- qualification review


@dataclass(frozen=True)
class ReviewResult:
    """The qualification review: who passed, and who failed with the reasons."""

    qualified: tuple[Candidate, ...]
    failed: tuple[tuple[Candidate, tuple[str, ...]], ...]


def _exceptional(candidate: Candidate) -> ExceptionalRequest | None:
    if not candidate.exceptional_reason:
        return None
    approval = None
    if candidate.exceptional_approved_on:
        approval = HigherApproval(
            candidate.exceptional_authority,
            candidate.exceptional_reference,
            candidate.exceptional_approved_on,
        )
    return ExceptionalRequest(candidate.exceptional_reason, candidate.exceptional_justification, approval)


def eligibility_of(
    run: Run, candidate: Candidate, vacancies: Sequence[Vacancy]
) -> tuple[Vacancy | None, Any]:
    """The eligibility of a candidate for their vacancy, or the first vacancy they fit."""
    facts = engine.cadre_facts(candidate, run.today)
    targets = [v for v in vacancies if v.pk == candidate.vacancy_id] or list(vacancies)
    results = [
        (
            v,
            check_eligibility(
                run.policy,
                facts,
                engine.post_requirements(v),
                today=run.today,
                exceptional=_exceptional(candidate),
            ),
        )
        for v in targets
    ]
    for vacancy, result in results:
        if result.eligible:
            return vacancy, result
    return results[0] if results else (None, None)


@campaign_action
def review_qualifications(campaign: Campaign, *, acting_user: Any, today: date) -> ReviewResult:
    """Qualification review (资格审核, step ``qualification_review``) of every nominee.

    Runs :func:`xuanren.rules.check_eligibility` for each nominated candidate against their
    vacancy (or each vacancy, the first that fits becoming theirs); those who fail are
    disqualified with every failing check listed. Only after nominations close.
    """
    with recorded_action():
        run = _run(campaign, acting_user, today, DISCIPLINE, "qualification_review")
        _require_announced(run)
        closes = run.campaign.nomination_closes
        if closes and today <= closes:
            run.refuse_by(["nomination.channels"], f"推荐提名 {closes.isoformat()} 截止后方可进行资格审核")
        nominees = _own(run, _candidates(run, Candidate.State.NOMINATED))
        if not nominees:
            run.refuse_by(["record.procedure"], "没有待审核的推荐提名人选")
        vacancies = list(run.campaign.vacancies.select_related("post__unit"))
        qualified, failed = [], []
        for candidate in nominees:
            procedure = check_person_step(run, candidate, "qualification_review")
            vacancy, result = eligibility_of(run, candidate, vacancies)
            decisions = [d.to_dict() for d in result.decisions()]
            candidate.eligibility = {"vacancy": vacancy.pk if vacancy else None, "decisions": decisions}
            fields = ["eligibility"]
            if result.eligible and vacancy is not None and candidate.vacancy_id is None:
                candidate.vacancy = vacancy
                fields.append("vacancy")
            candidate.save(update_fields=fields)
            reasons = tuple(d.explanation for d in result.checks if d.outcome is Outcome.FAIL)
            if result.eligible:
                _set_state(candidate, Candidate.State.QUALIFIED)
                qualified.append(candidate)
            else:
                _stop(run, candidate, result.overall, "qualification_review", Candidate.State.DISQUALIFIED)
                failed.append((candidate, reasons))
            entry = run.record(
                "qualification_reviewed",
                {
                    "eligible": result.eligible,
                    "vacancy": vacancy.pk if vacancy else None,
                    "overall": result.overall.to_dict(),
                    "failures": list(reasons),
                    "waived": [str(w) for w in result.waived],
                    "flags": list(result.flags),
                    "checks": decisions,
                    "procedure": procedure.to_dict(),
                },
                candidate=candidate,
            )
            _mark_step(run, candidate, "qualification_review", entry)
    return ReviewResult(tuple(qualified), tuple(failed))


@campaign_action
def declare_exceptional_promotion(
    candidate: Candidate, *, acting_user: Any, today: date, reason: str, justification: str
) -> Candidate:
    """Declare that a candidate's promotion is exceptional (破格提拔), with the policy's reason
    (``eligibility.exceptional``: 特别优秀 / 工作特殊需要) and a justification. The higher
    department's approval follows with :func:`approve_exceptional_promotion`."""
    with recorded_action():
        run = _run(candidate.campaign, acting_user, today, DEPARTMENT, "qualification_review")
        candidate = _candidate(run, candidate)
        rule = run.policy.rule("eligibility.exceptional")
        allowed = getattr(rule, "allowed", False)
        reasons = tuple(getattr(rule, "reasons", ()))
        if not allowed:
            run.refuse_by(["eligibility.exceptional"], "本政策不允许破格提拔", candidate=candidate)
        if reasons and reason not in reasons:
            run.refuse_by(
                ["eligibility.exceptional"], f"破格理由应为{'、'.join(reasons)}之一", candidate=candidate
            )
        if not justification.strip():
            run.refuse_by(["eligibility.exceptional"], "请说明破格提拔的具体理由", candidate=candidate)
        if "qualification_review" in engine.candidate_steps_done(candidate):
            run.refuse_by(["eligibility.exceptional"], "资格审核后不能再申报破格", candidate=candidate)
        candidate.exceptional_reason = reason
        candidate.exceptional_justification = justification.strip()
        candidate.save(update_fields=["exceptional_reason", "exceptional_justification"])
        run.record(
            "exceptional_promotion_declared",
            {"reason": reason, "justification": candidate.exceptional_justification},
            candidate=candidate,
        )
    return candidate


@campaign_action
def approve_exceptional_promotion(
    candidate: Candidate,
    *,
    acting_user: Any,
    today: date,
    authority: str,
    reference: str,
    approved_on: date,
) -> Candidate:
    """Record the higher organization department's approval of an exceptional promotion
    (before the decision, 条例 第九条). An important circumstance (``exceptional_promotion_approved``)."""
    with recorded_action():
        run = _run(candidate.campaign, acting_user, today, DEPARTMENT, "qualification_review")
        candidate = _candidate(run, candidate)
        if not candidate.exceptional_reason:
            run.refuse_by(["eligibility.exceptional"], "该人选未申报破格提拔", candidate=candidate)
        _required(
            run, ["eligibility.exceptional"], {"批准机关": authority.strip(), "批准文号": reference.strip()}
        )
        if "standing_committee_vote" in engine.candidate_steps_done(candidate) or approved_on > today:
            run.refuse_by(
                ["eligibility.exceptional"], "破格提拔须在讨论决定前报经上级组织部门同意", candidate=candidate
            )
        candidate.exceptional_authority = authority.strip()
        candidate.exceptional_reference = reference.strip()
        candidate.exceptional_approved_on = approved_on
        candidate.save(
            update_fields=["exceptional_authority", "exceptional_reference", "exceptional_approved_on"]
        )
        run.record(
            "exceptional_promotion_approved",
            {
                "reason": candidate.exceptional_reason,
                "justification": candidate.exceptional_justification,
                "approval": f"{candidate.exceptional_authority} {candidate.exceptional_reference}",
                "approved_by": candidate.exceptional_authority,
                "approved_on": approved_on,
            },
            candidate=candidate,
        )
    return candidate


@campaign_action
def disqualify_falsified(
    candidate: Candidate,
    *,
    acting_user: Any,
    today: date,
    reason: str,
    nomination: Nomination | None = None,
) -> Candidate:
    """Falsified material, once verified, cancels the nomination and the right to be appointed
    (``nomination.falsification``, 000 一、（五提名）). Allowed at any point before appointment."""
    with recorded_action():
        run = _run(candidate.campaign, acting_user, today, DISCIPLINE)
        candidate = _candidate(run, candidate)
        run.at(
            next(
                (s for s in _step_order(run, candidate) if s not in engine.candidate_steps_done(candidate)),
                "",
            )
        )
        if candidate.state in (
            Candidate.State.APPOINTED,
            Candidate.State.PROBATION,
            Candidate.State.CONFIRMED_IN_POST,
        ):
            run.refuse_by(["nomination.falsification"], "已任职的，按免职程序处理", candidate=candidate)
        if not reason.strip():
            run.refuse_by(["nomination.falsification"], "请写明查实的弄虚作假情况", candidate=candidate)
        nominations = (
            candidate.nominations.all()
            if nomination is None
            else candidate.nominations.filter(pk=nomination.pk)
        )
        ids = list(nominations.values_list("pk", flat=True))
        nominations.update(falsified=True, falsified_on=today, falsified_reason=reason.strip())
        cited = engine.cite_rule(run.policy, "nomination.falsification")
        decision = engine.decide(
            run.policy,
            cited,
            passed=False,
            text=f"推荐提名材料弄虚作假（{reason.strip()}），取消提名推荐资格和任用资格",
            subject=_name(candidate),
            inputs={"nominations": ids},
        )
        _stop(run, candidate, decision, run.step, Candidate.State.DISQUALIFIED)
        run.record(
            "nomination_falsified",
            {"nominations": ids, "reason": reason.strip(), "decision": decision.to_dict()},
            candidate=candidate,
        )
    return candidate


def _step_order(run: Run, candidate: Candidate) -> list[str]:
    return [v.id for v in engine.person_step_views(run.policy, candidate.post_kind) if v.applies]


def _list_step(
    campaign: Campaign,
    *,
    acting_user: Any,
    today: date,
    candidates: Sequence[Candidate],
    step: str,
    from_state: str,
    to_state: str,
    ratio_path: str,
    roles: Sequence[str],
    action: str,
    extra: Mapping[str, Any],
) -> list[Candidate]:
    with recorded_action():
        run = _run(campaign, acting_user, today, roles, step)
        chosen = _own(run, candidates)
        pool = _candidates(run, from_state)
        if not chosen:
            run.refuse_by([ratio_path], "请选择人选")
        pool_ids = {c.pk for c in pool}
        for candidate in chosen:
            if candidate.pk not in pool_ids:
                check_person_step(run, candidate, step)
                run.refuse_by([ratio_path], f"{_name(candidate)} 不在可选人选之中", candidate=candidate)
        ratio = run.require(
            check_ratio(run.policy, ratio_path, base=_posts(run), count=len(chosen), subject="人选名单")
        )
        chosen_ids = {c.pk for c in chosen}
        for candidate in chosen:
            procedure = check_person_step(run, candidate, step)
            _set_state(candidate, to_state)
            entry = run.record(
                action,
                {"listed": True, "ratio": ratio.to_dict(), "procedure": procedure.to_dict(), **extra},
                candidate=candidate,
            )
            _mark_step(run, candidate, step, entry)
        for candidate in _own(run, [c for c in pool if c.pk not in chosen_ids]):
            stop = engine.decide(
                run.policy,
                engine.cite_rule(run.policy, ratio_path),
                passed=False,
                text=f"未列入{engine.step_name(run.policy, step)}名单",
                subject=_name(candidate),
            )
            _stop(run, candidate, stop, step)
            run.record(
                action,
                {"listed": False, "ratio": ratio.to_dict(), "decision": stop.to_dict(), **extra},
                candidate=candidate,
            )
    return chosen


@campaign_action
def propose_nominees(
    campaign: Campaign, *, acting_user: Any, today: date, candidates: Sequence[Candidate], reasons: str = ""
) -> list[Candidate]:
    """The department's nomination proposal (提名建议人选, step ``nomination_proposal``): chosen
    among the qualified, weighing record, expertise and experience (人岗相适), at the policy's
    ratio (000: 1:3, ``nomination.proposal_ratio``). Qualified people not proposed stop here."""
    return _list_step(
        campaign,
        acting_user=acting_user,
        today=today,
        candidates=candidates,
        step="nomination_proposal",
        from_state=Candidate.State.QUALIFIED,
        to_state=Candidate.State.PROPOSED,
        ratio_path="nomination.proposal_ratio",
        roles=DEPARTMENT,
        action="nomination_proposed",
        extra={"reasons": reasons},
    )


@campaign_action
def confirm_nominees(
    campaign: Campaign,
    *,
    acting_user: Any,
    today: date,
    candidates: Sequence[Candidate],
    meeting: str = "县委",
    reasons: str = "",
) -> list[Candidate]:
    """The county committee settles the nominated candidates (提名人选, step ``nominee_confirmed``)
    among those proposed, at the policy's ratio (000: 1:2, ``nomination.candidate_ratio``)."""
    return _list_step(
        campaign,
        acting_user=acting_user,
        today=today,
        candidates=candidates,
        step="nominee_confirmed",
        from_state=Candidate.State.PROPOSED,
        to_state=Candidate.State.CONFIRMED,
        ratio_path="nomination.candidate_ratio",
        roles=COMMITTEE,
        action="nominees_confirmed",
        extra={"meeting": meeting, "reasons": reasons},
    )


# --------------------------------------------------------------------------- recommendation (D3.1)


@campaign_action
def widen_range(
    campaign: Campaign,
    *,
    acting_user: Any,
    today: date,
    scope: str,
    reasons: str,
    units: Sequence[Unit] = (),
) -> RangeWidening:
    """Widen the recommendation range to related units or across systems, with reasons
    (扩大推荐范围, ``recommendation.widening``). An important circumstance
    (``recommendation_range_widened``); the next :func:`hold_recommendation` round may name it."""
    with recorded_action():
        run = _run(campaign, acting_user, today, DEPARTMENT, "recommendation_held")
        _require_announced(run)
        _required(
            run,
            ["recommendation.widening", "recommendation.ratio"],
            {"扩大后的范围": scope.strip(), "理由": reasons.strip()},
        )
        widening = RangeWidening.objects.create(
            campaign=run.campaign, decided_on=today, scope=scope.strip(), reasons=reasons.strip()
        )
        widening.units.set(units)
        run.record(
            "recommendation_range_widened",
            {
                "widening": widening.pk,
                "scope": widening.scope,
                "reason": widening.reasons,
                "units": [u.name for u in units],
            },
        )
    return widening


def _labels(candidates: Sequence[Candidate]) -> dict[str, Candidate]:
    """Unique display labels for ranking (two people may share a name)."""
    labels: dict[str, Candidate] = {}
    for candidate in candidates:
        label = _name(candidate)
        if label in labels:
            label = f"{label}（{candidate.pk}）"
        labels[label] = candidate
    return labels


@campaign_action
def hold_recommendation(
    campaign: Campaign,
    *,
    acting_user: Any,
    today: date,
    held_on: date,
    figures: RecommendationFigures,
    form: str = Recommendation.Form.MEETING,
    mode: str = Recommendation.Mode.FROM_LIST,
    expected: int | None = None,
    widening: RangeWidening | None = None,
) -> Recommendation:
    """Democratic recommendation (民主推荐, step ``recommendation_held``) of the confirmed
    nominees, from paper figures or a tallied poll (:mod:`xuanren.campaigns.figures`).

    Checks the form and mode the policy allows, the meeting's attendance (``recommendation.attendance``)
    and the list's ratio (``recommendation.ratio``); judges each nominee's share
    (:func:`judge_recommendation`) and ranks those who pass for the inspection cut
    (:func:`shortlist` on ``inspection.ratio``; a tie names the meeting that must settle it).
    The result's validity (``recommendation.validity``) is stored.
    """
    with recorded_action():
        run = _run(campaign, acting_user, today, RUNNER, "recommendation_held")
        _require_announced(run)
        listed = _own(run, _candidates(run, Candidate.State.CONFIRMED))
        if not listed:
            run.refuse_by(
                ["recommendation.ratio", "record.procedure"], "没有确定的提名人选，不能进行民主推荐"
            )
        forms = run.policy.rule("recommendation.forms")
        if isinstance(forms, FormsRule) and form not in forms.allowed:
            run.refuse_by(["recommendation.forms"], f"本政策不采用{Recommendation.Form(form).label}")
        modes = run.policy.rule("recommendation.modes")
        if isinstance(modes, ModesRule) and mode not in modes.allowed:
            run.refuse_by(["recommendation.modes"], f"本政策不采用{Recommendation.Mode(mode).label}")
        if widening is not None and widening.campaign_id != run.campaign.pk:
            run.refuse_by(["recommendation.widening"], "扩大推荐范围的决定不属于本次选任工作")
        if held_on > today:
            run.refuse_by(["recommendation.forms", "record.procedure"], "推荐日期不能晚于今天")
        decisions: list[Decision] = []
        attendance = None
        if expected is not None and form == Recommendation.Form.MEETING:
            if figures.participants > expected:
                run.refuse_by(
                    ["recommendation.attendance"],
                    f"参加人数 {figures.participants} 多于应参加人数 {expected}",
                )
            attendance = run.require(
                check_recommendation_attendance(run.policy, expected=expected, present=figures.participants)
            )
            decisions.append(attendance)
        ratio_rule = run.policy.rule("recommendation.ratio")
        if isinstance(ratio_rule, RatioRule) and ratio_rule.use == "list":
            decisions.append(
                run.require(
                    check_ratio(
                        run.policy,
                        "recommendation.ratio",
                        base=_posts(run),
                        count=len(listed),
                        subject="民主推荐人选",
                    )
                )
            )
        for candidate in listed:
            decisions.append(check_person_step(run, candidate, "recommendation_held"))
        round_no = (
            run.campaign.recommendations.order_by("-round").values_list("round", flat=True).first() or 0
        ) + 1
        expiry = engine.recommendation_expiry(run.policy, held_on=held_on)
        recommendation = Recommendation.objects.create(
            campaign=run.campaign,
            round=round_no,
            form=form,
            mode=mode,
            held_on=held_on,
            expected=expected,
            participants=figures.participants,
            valid_ballots=figures.valid_ballots,
            poll_id=figures.poll_id,
            source=figures.source,
            attendance=attendance.to_dict() if attendance else None,
            expires_on=date.fromisoformat(expiry.value) if expiry.outcome is Outcome.INFO else None,
            widening=widening,
        )
        judged: dict[int, Decision] = {}
        for candidate in listed:
            votes = int(figures.votes.get(candidate.cadre_id, 0))
            if votes > figures.participants:
                run.refuse_by(
                    ["recommendation.threshold." + mode],
                    f"{_name(candidate)} 得票 {votes} 多于参加人数",
                    candidate=candidate,
                )
            decision = judge_recommendation(
                run.policy,
                candidate=_name(candidate),
                votes=votes,
                participants=figures.participants,
                valid_ballots=figures.valid_ballots,
                mode=RecommendationMode(mode),
            )
            judged[candidate.pk] = decision
            RecommendationScore.objects.create(
                recommendation=recommendation,
                candidate=candidate,
                votes=votes,
                share=f"{votes}/{figures.participants}",
                passed=None if decision.outcome is Outcome.NOT_APPLICABLE else decision.passed,
                decision=decision.to_dict(),
            )
        passing = [c for c in listed if judged[c.pk].outcome in (Outcome.PASS, Outcome.NOT_APPLICABLE)]
        labels = _labels(passing)
        scores = {label: int(figures.votes.get(c.cadre_id, 0)) for label, c in labels.items()}
        cut = _cut(run, scores)
        ids = {label: c.pk for label, c in labels.items()}
        recommendation.shortlist = {
            "decision": cut["decision"],
            "selected": [ids[n] for n in cut["selected"]],
            "tied": [ids[n] for n in cut["tied"]],
            "others": [ids[n] for n in cut["others"]],
            "seats_in_tie": cut["seats_in_tie"],
            "below_threshold": [c.pk for c in listed if c not in passing],
        }
        recommendation.save(update_fields=["shortlist"])
        for candidate in listed:
            _set_state(candidate, Candidate.State.RECOMMENDED)
            decision = judged[candidate.pk]
            entry = run.record(
                "recommendation_result",
                {
                    "recommendation": recommendation.pk,
                    "round": round_no,
                    "votes": int(figures.votes.get(candidate.cadre_id, 0)),
                    "participants": figures.participants,
                    "share": decision.inputs.get(
                        "share", f"{figures.votes.get(candidate.cadre_id, 0)}/{figures.participants}"
                    ),
                    "decision": decision.to_dict(),
                },
                candidate=candidate,
            )
            _mark_step(run, candidate, "recommendation_held", entry, on=held_on)
        run.record(
            "recommendation_held",
            {
                "recommendation": recommendation.pk,
                "round": round_no,
                "form": form,
                "mode": mode,
                "held_on": held_on,
                "expected": expected,
                "participants": figures.participants,
                "valid_ballots": figures.valid_ballots,
                "source": figures.source,
                "poll": figures.poll_id,
                "ballot_set_sha256": figures.ballot_set_sha256 or None,
                "widening": widening.pk if widening else None,
                "decisions": [d.to_dict() for d in decisions],
                "shortlist": recommendation.shortlist,
                "expires_on": _iso(recommendation.expires_on),
                "validity": expiry.to_dict(),
                "votes_off_list": sorted(
                    str(cadre_id)
                    for cadre_id in figures.votes
                    if cadre_id not in {c.cadre_id for c in listed}
                ),
            },
        )
    return recommendation


def _cut(run: Run, scores: Mapping[str, int]) -> dict[str, Any]:
    """The inspection cut over those who passed the threshold (``inspection.ratio``)."""
    rule = run.policy.rule("inspection.ratio")
    ranked = [name for name, _ in sorted(scores.items(), key=lambda kv: -kv[1])]
    if isinstance(rule, RatioRule) and rule.use == "cut" and scores:
        cut = shortlist(
            run.policy, "inspection.ratio", scores=scores, base=_posts(run), subject="确定考察对象"
        )
        return {
            "decision": cut.decision.to_dict(),
            "outcome": cut.decision.outcome,
            "selected": list(cut.selected),
            "tied": list(cut.tied),
            "others": list(cut.others),
            "seats_in_tie": cut.seats_in_tie,
        }
    decision = check_ratio(
        run.policy, "inspection.ratio", base=_posts(run), count=len(scores), subject="确定考察对象"
    )
    return {
        "decision": decision.to_dict(),
        "outcome": decision.outcome,
        "selected": ranked,
        "tied": [],
        "others": [],
        "seats_in_tie": 0,
    }


@campaign_action
def settle_tie(
    campaign: Campaign,
    *,
    acting_user: Any,
    today: date,
    chosen: Sequence[Candidate],
    reasons: str,
    settled_by: str,
    recommendation: Recommendation | None = None,
) -> TieSettlement:
    """A tie at the inspection cut-off settled by the meeting the policy names
    (``inspection.ratio`` ``tie_settled_by``), with reasons. An important circumstance
    (``tie_settled``); nobody tied is dropped by rank order alone."""
    with recorded_action():
        run = _run(campaign, acting_user, today, DELIBERATION, "inspection_candidates")
        rec = recommendation or run.campaign.recommendations.order_by("-round").first()
        if rec is None or not rec.shortlist or not rec.shortlist.get("tied"):
            run.refuse_by(["inspection.ratio"], "民主推荐结果没有需要研究确定的并列人选")
        rule = run.policy.rule("inspection.ratio")
        body = getattr(rule, "tie_settled_by", "")
        if body and settled_by != body:
            run.refuse_by(["inspection.ratio"], f"并列人选应由{body}研究确定，不是{settled_by}")
        tied = list(rec.shortlist["tied"])
        picked = [c.pk for c in chosen]
        seats = int(rec.shortlist.get("seats_in_tie", 0))
        if not set(picked) <= set(tied) or len(picked) != seats:
            run.refuse_by(
                ["inspection.ratio"], f"须从并列的 {len(tied)} 人中确定 {seats} 人", tied=tied, chosen=picked
            )
        if not reasons.strip():
            run.refuse_by(["inspection.ratio"], "请写明研究确定的理由")
        settlement = TieSettlement.objects.create(
            campaign=run.campaign,
            step="inspection_candidates",
            settled_by=settled_by,
            decided_on=today,
            tied=tied,
            chosen=picked,
            reasons=reasons.strip(),
        )
        run.record(
            "tie_settled",
            {
                "settlement": settlement.pk,
                "recommendation": rec.pk,
                "settled_by": settled_by,
                "tied": tied,
                "chosen": picked,
                "reason": settlement.reasons,
            },
        )
    return settlement


@campaign_action
def record_joint_review(
    candidate: Candidate,
    *,
    acting_user: Any,
    today: date,
    passed: bool,
    summary: str,
    reviewers: str = "组织部、纪委监委",
) -> InspectionRecord:
    """Joint eligibility review with discipline inspection before inspection candidates are fixed
    (考察对象资格会审, 001 二、（二）2; ``inspection.joint_review``). A cadre with violations cannot be
    an inspection candidate: a failed review stops them."""
    with recorded_action():
        run = _run(candidate.campaign, acting_user, today, DISCIPLINE, "inspection_candidates")
        candidate = _candidate(run, candidate)
        if "recommendation_held" not in engine.candidate_steps_done(candidate):
            check_person_step(run, candidate, "inspection_candidates")
        if not candidate.active:
            _refuse_stopped(run, candidate)
        if not summary.strip():
            run.refuse_by(["inspection.joint_review"], "请填写会审情况", candidate=candidate)
        cited = engine.cite_rule(run.policy, "inspection.joint_review", "eligibility.discipline")
        decision = engine.decide(
            run.policy,
            cited,
            passed=passed,
            text="资格会审通过，可以作为考察对象"
            if passed
            else f"资格会审发现问题（{summary.strip()}），不得作为考察对象",
            subject=_name(candidate),
            inputs={"reviewers": reviewers},
        )
        record = InspectionRecord.objects.create(
            candidate=candidate,
            kind=InspectionRecord.Kind.JOINT_REVIEW,
            held_on=today,
            summary=summary.strip(),
            passed=passed,
            decision=decision.to_dict(),
        )
        if not passed:
            _stop(run, candidate, decision, "inspection_candidates")
        run.record(
            "joint_review_recorded",
            {
                "record": record.pk,
                "passed": passed,
                "reviewers": reviewers,
                "summary": record.summary,
                "decision": decision.to_dict(),
            },
            candidate=candidate,
        )
    return record


def _joint_review_ok(run: Run, candidate: Candidate) -> None:
    if run.policy.rule("inspection.joint_review") is None:
        return
    review = (
        candidate.inspection_records.filter(kind=InspectionRecord.Kind.JOINT_REVIEW).order_by("-id").first()
    )
    if review is None or not review.passed:
        run.refuse_by(
            ["inspection.joint_review"],
            f"{_name(candidate)} 尚未经组织部门会同纪检监察部门资格会审，不能确定为考察对象",
            candidate=candidate,
        )


def _mark_inspection_candidate(
    run: Run, candidate: Candidate, basis: str, score: RecommendationScore | None, extra: Mapping[str, Any]
) -> None:
    procedure = check_person_step(run, candidate, "inspection_candidates")
    decision = score.decision if score is not None else None
    candidate.state = Candidate.State.INSPECTION_CANDIDATE
    candidate.inspection_basis = basis
    candidate.stopped_rule = candidate.stopped_reason = candidate.stopped_step = ""
    candidate.save(
        update_fields=["state", "inspection_basis", "stopped_rule", "stopped_reason", "stopped_step"]
    )
    inputs = (decision or {}).get("inputs", {}) if decision else {}
    entry = run.record(
        "inspection_candidate_set",
        {
            "basis": basis,
            "share": inputs.get("share") if score is not None else None,
            "threshold": inputs.get("threshold_value") if score is not None else None,
            "passed": score.passed if score is not None else None,
            "votes": score.votes if score is not None else None,
            "recommendation_decision": decision,
            "procedure": procedure.to_dict(),
            **extra,
        },
        candidate=candidate,
    )
    _mark_step(run, candidate, "inspection_candidates", entry)


@campaign_action
def set_inspection_candidates(
    campaign: Campaign,
    *,
    acting_user: Any,
    today: date,
    candidates: Sequence[Candidate] | None = None,
    recommendation: Recommendation | None = None,
    reasons: str = "",
) -> list[Candidate]:
    """Fix the inspection candidates from the recommendation (确定考察对象, step
    ``inspection_candidates``; entry ``inspection_candidate_set`` with ``basis: "recommendation"``).

    By default those the inspection cut selected (plus a settled tie); ``candidates`` may add
    others who passed the threshold (the meeting may add them under a minimum ratio). Refused:
    an unsettled tie, someone below the threshold (``recommendation.threshold.*``), a result past
    its validity (``recommendation.validity``), no joint review where the policy asks for one, or
    too few for the ratio (``inspection.ratio``). Recommended people not chosen stop here.
    """
    with recorded_action():
        run = _run(campaign, acting_user, today, DEPARTMENT, "inspection_candidates")
        rec = recommendation or run.campaign.recommendations.order_by("-round").first()
        if rec is None:
            run.refuse_by(["record.procedure"], "尚未进行民主推荐")
        run.require(engine.check_recommendation_current(run.policy, held_on=rec.held_on, today=today))
        short = rec.shortlist or {}
        settled = (
            TieSettlement.objects.filter(campaign=run.campaign, step="inspection_candidates")
            .order_by("-id")
            .first()
        )
        if short.get("tied") and (settled is None or set(settled.tied) != set(short["tied"])):
            decision = Decision(**{**_decision_args(short["decision"])})
            run.refuse(decision.rule_id, decision.explanation, decision)
        default = list(short.get("selected", [])) + (
            list(settled.chosen) if settled and short.get("tied") else []
        )
        wanted_ids = [c.pk for c in candidates] if candidates is not None else default
        scores = {s.candidate_id: s for s in rec.scores.all()}
        chosen = _own(run, [Candidate(pk=pk) for pk in wanted_ids])
        for candidate in chosen:
            score = scores.get(candidate.pk)
            if score is None:
                run.refuse_by(
                    ["record.procedure"], f"{_name(candidate)} 未参加本轮民主推荐", candidate=candidate
                )
            if score.passed is False:
                decision = Decision(**_decision_args(score.decision))
                run.refuse(decision.rule_id, decision.explanation, decision, candidate)
            _joint_review_ok(run, candidate)
        already = run.campaign.candidates.filter(
            inspection_basis="direct", state=Candidate.State.INSPECTION_CANDIDATE
        ).count()
        ratio = run.require(
            check_ratio(
                run.policy,
                "inspection.ratio",
                base=_posts(run),
                count=len(chosen) + already,
                subject="考察对象",
            )
        )
        for candidate in chosen:
            _mark_inspection_candidate(
                run,
                candidate,
                "recommendation",
                scores[candidate.pk],
                {"recommendation": rec.pk, "ratio": ratio.to_dict(), "reasons": reasons},
            )
        chosen_ids = {c.pk for c in chosen}
        for candidate in _own(
            run, [c for c in _candidates(run, Candidate.State.RECOMMENDED) if c.pk not in chosen_ids]
        ):
            score = scores.get(candidate.pk)
            if score is not None and score.passed is False:
                decision = Decision(**_decision_args(score.decision))
            else:
                decision = engine.decide(
                    run.policy,
                    engine.cite_rule(run.policy, "inspection.ratio"),
                    passed=False,
                    text="未确定为考察对象",
                    subject=_name(candidate),
                )
            _stop(run, candidate, decision, "inspection_candidates")
            run.record(
                "inspection_candidate_not_set",
                {"recommendation": rec.pk, "decision": decision.to_dict()},
                candidate=candidate,
            )
    return chosen


def _decision_args(data: Mapping[str, Any]) -> dict[str, Any]:
    """Rebuild a stored ``Decision.to_dict()`` as constructor arguments."""
    return {
        "outcome": data["outcome"],
        "rule_id": data["rule_id"],
        "source": data["source"],
        "explanation": data["explanation"],
        "inputs": data.get("inputs") or {},
        "subject": data.get("subject", ""),
        "value": data.get("value"),
        "flags": tuple(data.get("flags") or ()),
        "policy_version": data.get("policy_version"),
    }


@campaign_action
def set_inspection_candidate_directly(
    candidate: Candidate, *, acting_user: Any, today: date, reasons: str
) -> Candidate:
    """Make someone an inspection candidate directly by organizational nomination, with reasons
    (由组织推荐提名直接确定为考察对象; entry ``inspection_candidate_set`` with ``basis: "direct"``,
    an important circumstance, D4.2). A share below the threshold is recorded with it."""
    with recorded_action():
        run = _run(candidate.campaign, acting_user, today, DEPARTMENT, "inspection_candidates")
        candidate = _candidate(run, candidate)
        if not reasons.strip():
            run.refuse_by(
                ["inspection.ratio", "record.procedure"], "直接确定为考察对象须写明理由", candidate=candidate
            )
        if candidate.state == Candidate.State.STOPPED and candidate.stopped_step == "inspection_candidates":
            candidate.state = Candidate.State.RECOMMENDED  # not chosen by the recommendation; chosen now
        _joint_review_ok(run, candidate)
        score = (
            candidate.recommendation_scores.select_related("recommendation")
            .order_by("-recommendation__round")
            .first()
        )
        _mark_inspection_candidate(run, candidate, "direct", score, {"reasons": reasons.strip()})
    return candidate
