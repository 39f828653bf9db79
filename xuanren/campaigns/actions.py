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

from django.db.models import Q

from xuanren.accounts.models import Jurisdiction
from xuanren.campaigns import engine
from xuanren.campaigns.errors import CampaignRefused, NotPermitted
from xuanren.campaigns.figures import EvaluationFigures, RecommendationFigures, VoteFigures
from xuanren.campaigns.models import (
    AnnualPlan,
    Appeal,
    Campaign,
    CampaignStep,
    Candidate,
    CandidateStep,
    CommitteeVote,
    ConclusionSignature,
    Disclosure,
    InspectionRecord,
    InspectionTeam,
    InspectionTeamMember,
    Meeting,
    MeetingMember,
    Nomination,
    Notice,
    Opinion,
    Position,
    Probation,
    ProcedureForm,
    RangeWidening,
    Recommendation,
    RecommendationScore,
    Talk,
    TeamConclusion,
    TieSettlement,
    Vacancy,
)
from xuanren.record.api import append, in_recorded_action, recorded_action
from xuanren.record.models import Entry
from xuanren.register import selectors as register_selectors
from xuanren.register.models import Cadre, Post, PostHolding, RankRecord, Unit
from xuanren.rules.decision import Decision, Outcome
from xuanren.rules.eligibility import ExceptionalRequest, HigherApproval, check_eligibility
from xuanren.rules.evaluation import check_team_agreement, judge_evaluation
from xuanren.rules.meetings import check_positions, check_quorum, check_speaking_order, judge_vote
from xuanren.rules.policy import Policy
from xuanren.rules.recommendation import (
    check_nomination_participation,
    check_recommendation_attendance,
    judge_recommendation,
)
from xuanren.rules.schema import ChannelsRule, FormsRule, ModesRule, RatioRule
from xuanren.rules.shortlist import check_ratio, shortlist, shortlist_by_post
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
# A nominee qualifies when every check passes or waits on something later in the procedure (an
# audit before promotion, a complaint under verification): those are checked again where they bite.
QUALIFYING = (Outcome.PASS, Outcome.PENDING)


# --------------------------------------------------------------------------- refusals


def campaign_action(fn: Callable[P, R]) -> Callable[P, R]:
    """Record a refused action as ``step_refused`` in its own transaction, then re-raise.

    The refused action's own transaction has rolled back by then; the entry says which step was
    refused, by which rule and why, so the supervision desk sees refused steps too. Access
    refusals (:class:`NotPermitted`) are not steps the policy refused and are not recorded.
    Called inside another action (nested), the refusal is left to the outer action, whose
    transaction a refusal entry written here would share and lose with it.
    """

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        nested = in_recorded_action()
        try:
            return fn(*args, **kwargs)
        except NotPermitted:
            raise
        except CampaignRefused as refusal:
            if not nested:
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


def _by_post(run: Run, people: Sequence[Candidate]) -> dict[str, list[Candidate]] | None:
    """Each post of the campaign (named as the record shows it) -> those of ``people`` who stand
    for it, every post listed, for a ratio met post by post (同一职位). None when someone stands
    for no particular post: the ratio is then counted over the whole list."""
    if any(c.vacancy_id is None for c in people):
        return None
    vacancies = list(run.campaign.vacancies.select_related("post__unit").order_by("sort_order", "id"))
    labels: dict[int, str] = {}
    for vacancy in vacancies:
        label = str(vacancy.post)
        labels[vacancy.pk] = label if label not in labels.values() else f"{label}（{vacancy.sort_order}）"
    groups: dict[str, list[Candidate]] = {label: [] for label in labels.values()}
    for person in people:
        if person.vacancy_id not in labels:
            return None
        groups[labels[person.vacancy_id]].append(person)
    return groups


def _list_ratio(run: Run, path: str, people: Sequence[Candidate], subject: str) -> Decision:
    """Whether ``people`` make a list at the ratio at ``path``: post by post when each stands for
    a post (:func:`_by_post`), else over the whole list."""
    groups = _by_post(run, people)
    return check_ratio(
        run.policy,
        path,
        base=_posts(run) if groups is None else len(groups),
        count=len(people),
        subject=subject,
        per_post=None if groups is None else {post: len(group) for post, group in groups.items()},
    )


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
            step="motion_proposal",
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
        if result.overall.outcome in QUALIFYING:
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
            if result.overall.outcome in QUALIFYING and vacancy is not None and candidate.vacancy_id is None:
                candidate.vacancy = vacancy
                fields.append("vacancy")
            candidate.save(update_fields=fields)
            reasons = tuple(d.explanation for d in result.checks if d.outcome is Outcome.FAIL)
            waiting = [d.explanation for d in result.checks if d.outcome is Outcome.PENDING]
            eligible = result.overall.outcome in QUALIFYING
            if eligible:
                _set_state(candidate, Candidate.State.QUALIFIED)
                qualified.append(candidate)
            else:
                _stop(run, candidate, result.overall, "qualification_review", Candidate.State.DISQUALIFIED)
                failed.append((candidate, reasons))
            entry = run.record(
                "qualification_reviewed",
                {
                    "eligible": eligible,
                    "pending": waiting,
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
        ratio = run.require(_list_ratio(run, ratio_path, chosen, "人选名单"))
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
            decisions.append(run.require(_list_ratio(run, "recommendation.ratio", listed, "民主推荐人选")))
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
        label_of = {c.pk: label for label, c in labels.items()}
        groups = _by_post(run, listed)
        posts = (
            None
            if groups is None
            else {post: [label_of[c.pk] for c in group if c.pk in label_of] for post, group in groups.items()}
        )
        cut = _cut(run, scores, posts)
        ids = {label: c.pk for label, c in labels.items()}
        recommendation.shortlist = {
            "decision": cut["decision"],
            "selected": [ids[n] for n in cut["selected"]],
            "tied": [ids[n] for n in cut["tied"]],
            "others": [ids[n] for n in cut["others"]],
            "seats_in_tie": cut["seats_in_tie"],
            "ties": [{"tied": [ids[n] for n in t["tied"]], "seats": t["seats"]} for t in cut["ties"]],
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


def _cut(run: Run, scores: Mapping[str, int], posts: Mapping[str, Sequence[str]] | None) -> dict[str, Any]:
    """The inspection cut over those who passed the threshold (``inspection.ratio``): post by post
    when ``posts`` (each post -> the names standing for it) is given and there is more than one
    post, else over the whole list. ``ties``: each tie at a post's cut-off, with its seats."""
    rule = run.policy.rule("inspection.ratio")
    ranked = [name for name, _ in sorted(scores.items(), key=lambda kv: -kv[1])]
    per_post = posts is not None and len(posts) > 1 and isinstance(rule, RatioRule) and rule.base == "posts"
    if isinstance(rule, RatioRule) and rule.use == "cut" and per_post and posts is not None:
        cut, parts = shortlist_by_post(
            run.policy,
            "inspection.ratio",
            scores_by_post={
                post: {n: scores[n] for n in names if n in scores} for post, names in posts.items()
            },
            subject="确定考察对象",
        )
        ties = [{"tied": list(p.tied), "seats": p.seats_in_tie} for p in parts.values() if p.tied]
    elif isinstance(rule, RatioRule) and rule.use == "cut" and scores:
        cut = shortlist(
            run.policy, "inspection.ratio", scores=scores, base=_posts(run), subject="确定考察对象"
        )
        ties = [{"tied": list(cut.tied), "seats": cut.seats_in_tie}] if cut.tied else []
    else:
        counts = None
        if per_post and posts is not None:
            counts = {post: sum(n in scores for n in names) for post, names in posts.items()}
        decision = check_ratio(
            run.policy,
            "inspection.ratio",
            base=_posts(run),
            count=len(scores),
            subject="确定考察对象",
            per_post=counts,
        )
        return {
            "decision": decision.to_dict(),
            "outcome": decision.outcome,
            "selected": ranked,
            "tied": [],
            "others": [],
            "seats_in_tie": 0,
            "ties": [],
        }
    return {
        "decision": cut.decision.to_dict(),
        "outcome": cut.decision.outcome,
        "selected": list(cut.selected),
        "tied": list(cut.tied),
        "others": list(cut.others),
        "seats_in_tie": cut.seats_in_tie,
        "ties": ties,
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
        for tie in rec.shortlist.get("ties", []):  # a tie at each post's cut-off fills that post's seats
            if len(set(picked) & set(tie["tied"])) != tie["seats"]:
                run.refuse_by(
                    ["inspection.ratio"],
                    f"同一职位并列的 {len(tie['tied'])} 人中须确定 {tie['seats']} 人",
                    tied=tie["tied"],
                    chosen=picked,
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
        already = list(
            run.campaign.candidates.filter(
                inspection_basis="direct", state=Candidate.State.INSPECTION_CANDIDATE
            )
        )
        ratio = run.require(_list_ratio(run, "inspection.ratio", [*chosen, *already], "考察对象"))
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


# --------------------------------------------------------------------------- inspection (D3.2)


@dataclass(frozen=True)
class TeamMemberInput:
    """A member of an inspection team: name, unit and post, leader or not, inspector certificate."""

    name: str
    unit_post: str = ""
    is_leader: bool = False
    certificate: str = ""
    user: Any = None


@campaign_action
def form_inspection_team(
    campaign: Campaign,
    *,
    acting_user: Any,
    today: date,
    starts_on: date,
    hotline: str,
    members: Sequence[TeamMemberInput],
    candidates: Sequence[Candidate],
    name: str = "考察组",
) -> InspectionTeam:
    """Form an inspection team (考察组) with its leader, members, start date and hotline, and assign
    it inspection candidates. Where the policy asks inspectors to hold a certificate
    (``qualification.inspector_certificate``, 001 三、2) every member must have one."""
    with recorded_action():
        run = _run(campaign, acting_user, today, DEPARTMENT, "inspection_notice")
        chosen = _own(run, candidates)
        if not chosen:
            run.refuse_by(["inspection.notice"], "考察组至少要考察一名考察对象")
        for candidate in chosen:
            if candidate.state != Candidate.State.INSPECTION_CANDIDATE:
                check_person_step(run, candidate, "inspection_notice")
                run.refuse_by(["inspection.ratio"], f"{_name(candidate)} 不是考察对象", candidate=candidate)
        if not members or sum(1 for m in members if m.is_leader) != 1:
            run.refuse_by(["inspection.notice"], "考察组须有成员，并有且只有一名组长")
        if run.policy.rule("qualification.inspector_certificate") is not None:
            lacking = [m.name for m in members if not m.certificate.strip()]
            if lacking:
                run.refuse_by(
                    ["qualification.inspector_certificate"],
                    f"考察人员须持证参加考察：{'、'.join(lacking)} 未填写考察资格证书编号",
                )
        if not hotline.strip():
            run.refuse_by(["inspection.notice"], "请填写受理反映电话")
        if starts_on < today:
            run.refuse_by(["inspection.notice"], "考察开始日期不能早于今天")
        team = InspectionTeam.objects.create(
            campaign=run.campaign, name=name, starts_on=starts_on, hotline=hotline.strip()
        )
        for i, m in enumerate(members):
            InspectionTeamMember.objects.create(
                team=team,
                name=m.name,
                unit_post=m.unit_post,
                is_leader=m.is_leader,
                certificate=m.certificate,
                user=m.user,
                sort_order=i,
            )
        Candidate.objects.filter(pk__in=[c.pk for c in chosen]).update(inspection_team=team)
        deadline = engine.inspection_notice_deadline(run.policy, inspection_starts=starts_on)
        run.record(
            "inspection_team_formed",
            {
                "team": team.pk,
                "name": name,
                "starts_on": starts_on,
                "hotline": team.hotline,
                "members": [
                    {"name": m.name, "unit_post": m.unit_post, "leader": m.is_leader} for m in members
                ],
                "candidates": [c.pk for c in chosen],
                "notice_deadline": deadline.to_dict(),
            },
        )
    return team


def _notice_lines(candidates: Sequence[Candidate]) -> list[dict[str, Any]]:
    return [
        {
            "candidate": c.pk,
            "name": c.cadre.name,
            "gender": c.cadre.get_gender_display(),
            "birth": c.cadre.birth_date.strftime("%Y-%m"),
            "current_post": c.cadre.current_title,
            "proposed_post": str(c.vacancy.post) if c.vacancy_id and c.vacancy else "",
        }
        for c in candidates
    ]


@campaign_action
def publish_inspection_notice(team: InspectionTeam, *, acting_user: Any, today: date) -> Notice:
    """Post the inspection notice (考察预告, step ``inspection_notice``): the candidates, the time of
    inspection, the team members and the hotline, at least the policy's days ahead of the start
    (000: 2 days, ``inspection.notice``). Posted too late, it is refused."""
    from xuanren.campaigns import documents

    with recorded_action():
        run = _run(team.campaign, acting_user, today, RUNNER, "inspection_notice")
        team = InspectionTeam.objects.prefetch_related("members").get(pk=team.pk)
        candidates = _own(run, team.candidates.all())
        if not candidates:
            run.refuse_by(["inspection.notice"], "考察组没有考察对象")
        procedures = [check_person_step(run, c, "inspection_notice") for c in candidates]
        lead = run.require(
            engine.check_inspection_notice(run.policy, posted_on=today, inspection_starts=team.starts_on)
        )
        members = list(team.members.all())
        notice = Notice.objects.create(
            campaign=run.campaign,
            kind=Notice.Kind.INSPECTION,
            posted_on=today,
            starts_on=team.starts_on,
            ends_on=team.ends_on,
            hotline=team.hotline,
            team=team,
            content={
                "candidates": _notice_lines(candidates),
                "starts_on": team.starts_on.isoformat(),
                "team": [{"name": m.name, "unit_post": m.unit_post, "leader": m.is_leader} for m in members],
                "hotline": team.hotline,
                "published": list(getattr(run.policy.rule("inspection.notice"), "published", ()) or ()),
            },
            decision=lead.to_dict(),
        )
        notice.candidates.set(candidates)
        notice.docx_sha256 = hashlib.sha256(documents.inspection_notice_docx(notice)).hexdigest()
        notice.save(update_fields=["docx_sha256"])
        for candidate, procedure in zip(candidates, procedures, strict=True):
            entry = run.record(
                "inspection_notice_published",
                {
                    "notice": notice.pk,
                    "team": team.pk,
                    "posted_on": today,
                    "inspection_starts": team.starts_on,
                    "hotline": team.hotline,
                    "decision": lead.to_dict(),
                    "docx_sha256": notice.docx_sha256,
                    "procedure": procedure.to_dict(),
                },
                candidate=candidate,
            )
            _mark_step(run, candidate, "inspection_notice", entry)
    return notice


def _inspecting(run: Run, candidate: Candidate, held_on: date) -> Candidate:
    """A candidate under inspection: the notice is out, the inspection has begun, not concluded."""
    candidate = _candidate(run, candidate)
    if not candidate.active:
        _refuse_stopped(run, candidate)
    done = engine.candidate_steps_done(candidate)
    if "inspection_notice" not in done:
        check_person_step(run, candidate, "inspection_conducted")
    if "inspection_conducted" in done:
        run.refuse_by(["inspection.procedures"], f"{_name(candidate)} 的考察已经结束", candidate=candidate)
    team = candidate.inspection_team
    if team is not None and held_on < team.starts_on:
        run.refuse_by(
            ["inspection.notice"],
            f"考察 {team.starts_on.isoformat()} 开始，预告期内不能进行考察（{held_on.isoformat()}）",
            candidate=candidate,
        )
    if held_on > run.today:
        run.refuse_by(["inspection.procedures"], "日期不能晚于今天", candidate=candidate)
    return candidate


@campaign_action
def record_work_report(
    candidate: Candidate,
    *,
    acting_user: Any,
    today: date,
    held_on: date,
    audience: str,
    summary: str,
    material: Material | None = None,
) -> InspectionRecord:
    """The candidate's work report (述职, 001 二、（二）4) on 德能勤绩廉, before the evaluation."""
    with recorded_action():
        run = _run(candidate.campaign, acting_user, today, INSPECTORS, "inspection_conducted")
        candidate = _inspecting(run, candidate, held_on)
        _required(
            run, ["inspection.work_report"], {"述职范围": audience.strip(), "述职情况": summary.strip()}
        )
        record = InspectionRecord.objects.create(
            candidate=candidate,
            kind=InspectionRecord.Kind.WORK_REPORT,
            held_on=held_on,
            summary=f"{audience.strip()}：{summary.strip()}",
            passed=True,
            material_name=material.name if material else "",
            material_sha256=material.sha256 if material else "",
        )
        run.record(
            "work_report_recorded",
            {
                "record": record.pk,
                "held_on": held_on,
                "audience": audience.strip(),
                "summary": summary.strip(),
            },
            candidate=candidate,
            files=[material.ref()] if material else (),
        )
    return record


@campaign_action
def record_evaluation(
    candidate: Candidate, *, acting_user: Any, today: date, held_on: date, figures: EvaluationFigures
) -> InspectionRecord:
    """Democratic evaluation (民主测评) judged by the policy (``inspection.evaluation``; 000: more than
    half 优秀/称职). A failing result stops the candidate at the inspection review. Where the policy
    requires a work report first (``inspection.work_report``), it must be on record."""
    with recorded_action():
        run = _run(candidate.campaign, acting_user, today, INSPECTORS, "inspection_conducted")
        candidate = _inspecting(run, candidate, held_on)
        kinds = set(candidate.inspection_records.values_list("kind", flat=True))
        if (
            engine.flag(run.policy, "inspection.work_report")
            and InspectionRecord.Kind.WORK_REPORT not in kinds
        ):
            run.refuse_by(
                ["inspection.work_report"],
                f"{_name(candidate)} 须先述职，再进行民主测评",
                candidate=candidate,
            )
        if InspectionRecord.Kind.EVALUATION in kinds:
            run.refuse_by(
                ["inspection.evaluation"], f"{_name(candidate)} 已进行民主测评", candidate=candidate
            )
        decision = judge_evaluation(
            run.policy,
            candidate=_name(candidate),
            counts=dict(figures.counts),
            blank=figures.blank,
            participants=figures.participants,
        )
        record = InspectionRecord.objects.create(
            candidate=candidate,
            kind=InspectionRecord.Kind.EVALUATION,
            held_on=held_on,
            passed=None if decision.outcome is Outcome.NOT_APPLICABLE else decision.passed,
            figures={
                "counts": dict(figures.counts),
                "blank": figures.blank,
                "participants": figures.participants,
            },
            decision=decision.to_dict(),
            poll_id=figures.poll_id,
        )
        run.record(
            "evaluation_recorded",
            {
                "record": record.pk,
                "held_on": held_on,
                "counts": dict(figures.counts),
                "blank": figures.blank,
                "participants": figures.participants,
                "poll": figures.poll_id,
                "passed": record.passed,
                "decision": decision.to_dict(),
            },
            candidate=candidate,
        )
    return record


@campaign_action
def record_talk(
    candidate: Candidate,
    *,
    acting_user: Any,
    today: date,
    group: str,
    interviewee: str,
    held_on: date,
    interviewee_post: str = "",
    interviewer: InspectionTeamMember | None = None,
    summary: str = "",
) -> Talk:
    """An individual talk (个别谈话) by group: one of the policy's must-talk groups
    (``inspection.must_talk``: 班子成员、中层干部、群众代表、纪检财务人员) or 其他."""
    with recorded_action():
        run = _run(candidate.campaign, acting_user, today, INSPECTORS, "inspection_conducted")
        candidate = _inspecting(run, candidate, held_on)
        groups = engine.must_talk_groups(run.policy)
        if group != Talk.OTHER and groups and group not in groups:
            run.refuse_by(
                ["inspection.must_talk"],
                f"谈话对象类别应为{'、'.join(groups)}或{Talk.OTHER}",
                candidate=candidate,
            )
        if not interviewee.strip():
            run.refuse_by(["inspection.must_talk"], "请填写谈话对象", candidate=candidate)
        if interviewer is not None and interviewer.team_id != candidate.inspection_team_id:
            run.refuse_by(["inspection.must_talk"], "谈话人不是该考察对象的考察组成员", candidate=candidate)
        talk = Talk.objects.create(
            candidate=candidate,
            group=group,
            interviewee=interviewee.strip(),
            interviewee_post=interviewee_post,
            held_on=held_on,
            interviewer=interviewer,
            summary=summary,
        )
        # The record names the group and the date, not what was said (the talk notes stay in the file).
        run.record(
            "talk_recorded",
            {
                "talk": talk.pk,
                "group": group,
                "held_on": held_on,
                "interviewer": interviewer.name if interviewer else None,
            },
            candidate=candidate,
        )
    return talk


@campaign_action
def record_inspection_procedure(
    candidate: Candidate,
    *,
    acting_user: Any,
    today: date,
    kind: str,
    held_on: date,
    summary: str,
    material: Material | None = None,
) -> InspectionRecord:
    """Another procedure of the inspection: the face-to-face talk with the candidate
    (``face_to_face``), the personnel-file check (``file_check``, with the declared social and life
    circles, 001) or a visit (``visit``)."""
    allowed = {
        InspectionRecord.Kind.FACE_TO_FACE,
        InspectionRecord.Kind.FILE_CHECK,
        InspectionRecord.Kind.VISIT,
    }
    with recorded_action():
        run = _run(candidate.campaign, acting_user, today, INSPECTORS, "inspection_conducted")
        candidate = _inspecting(run, candidate, held_on)
        if kind not in allowed:
            run.refuse_by(["inspection.procedures"], f"不是可记录的考察程序：{kind}", candidate=candidate)
        if not summary.strip():
            run.refuse_by(["inspection.procedures"], "请填写情况", candidate=candidate)
        record = InspectionRecord.objects.create(
            candidate=candidate,
            kind=kind,
            held_on=held_on,
            summary=summary.strip(),
            passed=True,
            material_name=material.name if material else "",
            material_sha256=material.sha256 if material else "",
        )
        run.record(
            "inspection_procedure_recorded",
            {
                "record": record.pk,
                "kind": kind,
                "label": InspectionRecord.Kind(kind).label,
                "held_on": held_on,
            },
            candidate=candidate,
            files=[material.ref()] if material else (),
        )
    return record


def record_face_to_face_talk(
    candidate: Candidate,
    *,
    acting_user: Any,
    today: date,
    held_on: date,
    summary: str,
    material: Material | None = None,
) -> InspectionRecord:
    """The face-to-face talk with the candidate (与考察对象面谈); see :func:`record_inspection_procedure`."""
    return record_inspection_procedure(
        candidate,
        acting_user=acting_user,
        today=today,
        kind=InspectionRecord.Kind.FACE_TO_FACE,
        held_on=held_on,
        summary=summary,
        material=material,
    )


def record_file_check(
    candidate: Candidate,
    *,
    acting_user: Any,
    today: date,
    held_on: date,
    summary: str,
    material: Material | None = None,
) -> InspectionRecord:
    """The personnel-file check (查阅干部档案, with the declared social and life circles); see
    :func:`record_inspection_procedure`."""
    return record_inspection_procedure(
        candidate,
        acting_user=acting_user,
        today=today,
        kind=InspectionRecord.Kind.FILE_CHECK,
        held_on=held_on,
        summary=summary,
        material=material,
    )


# Which records stand for which of the policy's named inspection procedures.
_PROCEDURE_RECORDS = {
    "民主测评": InspectionRecord.Kind.EVALUATION,
    "与考察对象面谈": InspectionRecord.Kind.FACE_TO_FACE,
    "同考察对象面谈": InspectionRecord.Kind.FACE_TO_FACE,
    "查阅干部档案": InspectionRecord.Kind.FILE_CHECK,
    "实地走访": InspectionRecord.Kind.VISIT,
}


@campaign_action
def conclude_inspection(candidate: Candidate, *, acting_user: Any, today: date) -> Candidate:
    """Close the inspection of a candidate (实施考察, step ``inspection_conducted``).

    Refused until every must-talk group has at least one talk (``inspection.must_talk``), the
    democratic evaluation and the procedures the policy names are on record
    (``inspection.procedures``), and, where required, the work report (``inspection.work_report``).
    """
    with recorded_action():
        run = _run(candidate.campaign, acting_user, today, INSPECTORS, "inspection_conducted")
        candidate = _candidate(run, candidate)
        procedure = check_person_step(run, candidate, "inspection_conducted")
        talks: dict[str, int] = {}
        for group in candidate.talks.values_list("group", flat=True):
            talks[group] = talks.get(group, 0) + 1
        groups = engine.must_talk_groups(run.policy)
        missing = [g for g in groups if not talks.get(g)]
        cited = engine.cite_rule(run.policy, "inspection.must_talk")
        talk_decision = engine.decide(
            run.policy,
            cited,
            passed=not missing,
            text=(
                f"必谈对象均已谈话（{'、'.join(f'{g}{talks[g]}人' for g in groups)}）"
                if not missing
                else f"尚未与{'、'.join(missing)}谈话，考察不能结束"
            ),
            subject=_name(candidate),
            inputs={"talks": talks, "must_talk": list(groups), "missing": missing},
        )
        run.require(talk_decision, candidate)
        kinds = set(candidate.inspection_records.values_list("kind", flat=True))
        needed = {InspectionRecord.Kind.EVALUATION}
        for item in engine.items_of(run.policy, "inspection.procedures"):
            if item in _PROCEDURE_RECORDS:
                needed.add(_PROCEDURE_RECORDS[item])
        if engine.flag(run.policy, "inspection.work_report"):
            needed.add(InspectionRecord.Kind.WORK_REPORT)
        absent = [InspectionRecord.Kind(k).label for k in sorted(needed) if k not in kinds]
        if absent:
            run.refuse_by(
                ["inspection.procedures", "inspection.work_report"],
                f"{_name(candidate)} 尚缺考察程序：{'、'.join(absent)}",
                candidate=candidate,
                missing=absent,
            )
        evaluation = candidate.inspection_records.filter(kind=InspectionRecord.Kind.EVALUATION).first()
        _set_state(candidate, Candidate.State.INSPECTED)
        entry = run.record(
            "inspection_concluded",
            {
                "talks": talks,
                "must_talk": talk_decision.to_dict(),
                "procedures": sorted(kinds),
                "evaluation": evaluation.decision if evaluation else None,
                "procedure": procedure.to_dict(),
            },
            candidate=candidate,
        )
        _mark_step(run, candidate, "inspection_conducted", entry)
    return candidate


def _disclosure(
    run: Run,
    candidate: Candidate,
    *,
    round: str,
    starts_on: date,
    places: Sequence[str],
    matters: Mapping[str, str],
    ends_on: date | None,
) -> Disclosure:
    path = f"disclosure.{round}"
    required = engine.items_of(run.policy, "disclosure.items")
    blank = [item for item in required if not str(matters.get(item, "")).strip()]
    if blank:
        run.refuse_by(
            ["disclosure.incomplete", "disclosure.items"],
            f"有关事项填报不完整，退回补填：{'、'.join(blank)}",
            candidate=candidate,
            missing=blank,
        )
    if not places:
        run.refuse_by([path], "请填写公开范围", candidate=candidate)
    if candidate.disclosures.filter(round=round).exists():
        run.refuse_by([path], f"{Disclosure.Round(round).label}已经进行", candidate=candidate)
    # What was declared, item by item: the round's public page shows its own items with these.
    declared = {item: str(matters[item]).strip() for item in sorted(matters)}
    period = engine.disclosure_period(run.policy, round=round, starts_on=starts_on)
    if period.outcome is Outcome.INFO:
        last = date.fromisoformat(period.value)
        if ends_on is not None and ends_on < last:
            run.refuse_by([path], f"公开期限不得少于规定期限（至 {last.isoformat()}）", candidate=candidate)
        ends_on = ends_on or last
    elif ends_on is None:
        run.refuse_by([path], "本政策未规定公开期限，请填写公开截止日期", candidate=candidate)
    disclosure = Disclosure.objects.create(
        candidate=candidate,
        round=round,
        starts_on=starts_on,
        ends_on=ends_on,
        places=list(places),
        items=declared,
        decision=period.to_dict(),
    )
    run.record(
        "disclosure_started",
        {
            "disclosure": disclosure.pk,
            "round": round,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "places": list(places),
            "items": sorted(matters),
            "declared": declared,
            "decision": period.to_dict(),
        },
        candidate=candidate,
    )
    return disclosure


@campaign_action
def start_first_disclosure(
    candidate: Candidate,
    *,
    acting_user: Any,
    today: date,
    starts_on: date,
    places: Sequence[str],
    matters: Mapping[str, str],
    ends_on: date | None = None,
) -> Disclosure:
    """First round of personal-matters disclosure (有关事项第一次公开, 003 开鲁县): after becoming an
    inspection candidate and before the committee decides, in the unit and place of residence, for
    the policy's period (``disclosure.first``: 5 working days, counted with the holiday calendar).
    A form missing any of the policy's items is returned (``disclosure.incomplete``). The
    procedure-execution form counts it open until it has run out."""
    with recorded_action():
        run = _run(candidate.campaign, acting_user, today, RUNNER, "inspection_conducted")
        candidate = _candidate(run, candidate)
        if not candidate.active:
            _refuse_stopped(run, candidate)
        done = engine.candidate_steps_done(candidate)
        if "inspection_candidates" not in done:
            check_person_step(run, candidate, "inspection_notice")
        if "standing_committee_vote" in done:
            run.refuse_by(["disclosure.first"], "第一次公开应在讨论决定之前", candidate=candidate)
        return _disclosure(
            run,
            candidate,
            round="first",
            starts_on=starts_on,
            places=places,
            matters=matters,
            ends_on=ends_on,
        )


@dataclass(frozen=True)
class SignatureInput:
    """A team member's signature on the conclusion: agrees or not, with any dissent."""

    member: InspectionTeamMember
    agrees: bool = True
    dissent: str = ""


@campaign_action
def record_team_conclusion(
    candidate: Candidate,
    *,
    acting_user: Any,
    today: date,
    text: str,
    signatures: Sequence[SignatureInput],
) -> TeamConclusion:
    """The inspection team's conclusion on a candidate, signed by every member (001 二、（二）6).
    Whether the team agrees is judged by ``inspection.team_agreement`` at the review."""
    with recorded_action():
        run = _run(candidate.campaign, acting_user, today, INSPECTORS, "inspection_review")
        candidate = _candidate(run, candidate)
        if not candidate.active:
            _refuse_stopped(run, candidate)
        done = engine.candidate_steps_done(candidate)
        if "inspection_conducted" not in done:
            check_person_step(run, candidate, "inspection_review")
        if "inspection_review" in done:
            run.refuse_by(["inspection.team_agreement"], "考察结果已会审，不能再改结论", candidate=candidate)
        if not text.strip():
            run.refuse_by(["inspection.team_agreement"], "请填写考察结论", candidate=candidate)
        team = candidate.inspection_team
        if team is None:
            run.refuse_by(["inspection.team_agreement"], "该人选没有考察组", candidate=candidate)
        members = list(team.members.all())
        signed = {s.member.pk for s in signatures}
        unsigned = [m.name for m in members if m.pk not in signed]
        strangers = [s.member.name for s in signatures if s.member.pk not in {m.pk for m in members}]
        if unsigned or strangers or not members:
            run.refuse_by(
                ["inspection.team_agreement", "inspection.conclusions_published"],
                "考察结论须由考察组全体成员签名"
                + (f"：{'、'.join(unsigned)} 未签名" if unsigned else "")
                + (f"；{'、'.join(strangers)} 不是考察组成员" if strangers else ""),
                candidate=candidate,
            )
        agreed = all(s.agrees for s in signatures)
        decision = check_team_agreement(run.policy, candidate=_name(candidate), team_agrees=agreed)
        conclusion = TeamConclusion.objects.create(
            candidate=candidate,
            team=team,
            text=text.strip(),
            recorded_on=today,
            agreed=agreed,
            decision=decision.to_dict(),
        )
        for s in signatures:
            ConclusionSignature.objects.create(
                conclusion=conclusion, member=s.member, agrees=s.agrees, dissent=s.dissent, signed_on=today
            )
        run.record(
            "team_conclusion_signed",
            {
                "conclusion": conclusion.pk,
                "text_sha256": hashlib.sha256(conclusion.text.encode("utf-8")).hexdigest(),
                "signers": [
                    {"name": s.member.name, "agrees": s.agrees, "dissent": s.dissent} for s in signatures
                ],
                "agreed": agreed,
                "decision": decision.to_dict(),
            },
            candidate=candidate,
        )
    return conclusion


@campaign_action
def feed_back_inspection(candidate: Candidate, *, acting_user: Any, today: date) -> Candidate:
    """Feed the inspection result back to the candidate; the appeal window opens
    (``inspection.appeal``, 001: within one week)."""
    with recorded_action():
        run = _run(candidate.campaign, acting_user, today, INSPECTORS, "inspection_review")
        candidate = _candidate(run, candidate)
        if not candidate.conclusions.exists():
            run.refuse_by(
                ["inspection.appeal", "inspection.team_agreement"],
                "尚无考察结论，不能反馈",
                candidate=candidate,
            )
        deadline = engine.appeal_deadline(run.policy, feedback_on=today)
        candidate.feedback_on = today
        candidate.appeal_deadline = (
            date.fromisoformat(deadline.value) if deadline.outcome is Outcome.INFO else None
        )
        candidate.save(update_fields=["feedback_on", "appeal_deadline"])
        run.record(
            "inspection_fed_back",
            {
                "feedback_on": today,
                "appeal_deadline": _iso(candidate.appeal_deadline),
                "decision": deadline.to_dict(),
            },
            candidate=candidate,
        )
    return candidate


@campaign_action
def file_appeal(candidate: Candidate, *, acting_user: Any, today: date, reasons: str) -> Appeal:
    """The candidate appeals against the inspection process or result, with reasons (申诉, 001
    二、（二）7); refused after the policy's window (``inspection.appeal``)."""
    with recorded_action():
        run = _run(candidate.campaign, acting_user, today, RUNNER, "inspection_review")
        candidate = _candidate(run, candidate)
        if candidate.feedback_on is None:
            run.refuse_by(["inspection.appeal"], "考察结果尚未反馈", candidate=candidate)
        if not reasons.strip():
            run.refuse_by(["inspection.appeal"], "申诉须说明理由", candidate=candidate)
        in_time = run.require(
            engine.check_appeal_in_time(run.policy, feedback_on=candidate.feedback_on, appealed_on=today),
            candidate,
        )
        appeal = Appeal.objects.create(
            candidate=candidate,
            filed_on=today,
            reasons=reasons.strip(),
            deadline=candidate.appeal_deadline,
            in_time=in_time.to_dict(),
        )
        run.record(
            "appeal_filed",
            {"appeal": appeal.pk, "reasons": appeal.reasons, "decision": in_time.to_dict()},
            candidate=candidate,
        )
    return appeal


@campaign_action
def decide_appeal(
    appeal: Appeal, *, acting_user: Any, today: date, upheld: bool, decision_text: str
) -> Appeal:
    """Decide an appeal (upheld: the team must form a new conclusion; dismissed: the review goes on)."""
    with recorded_action():
        run = _run(appeal.candidate.campaign, acting_user, today, DEPARTMENT, "inspection_review")
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        candidate = _candidate(run, appeal.candidate)
        if appeal.status != Appeal.Status.PENDING:
            run.refuse_by(["inspection.appeal"], "该申诉已处理", candidate=candidate)
        if not decision_text.strip():
            run.refuse_by(["inspection.appeal"], "请填写处理意见", candidate=candidate)
        appeal.status = Appeal.Status.UPHELD if upheld else Appeal.Status.DISMISSED
        appeal.decided_on = today
        appeal.decision_text = decision_text.strip()
        appeal.save(update_fields=["status", "decided_on", "decision_text"])
        run.record(
            "appeal_decided",
            {"appeal": appeal.pk, "upheld": upheld, "decision_text": appeal.decision_text},
            candidate=candidate,
        )
    return appeal


@campaign_action
def complete_inspection_review(candidate: Candidate, *, acting_user: Any, today: date) -> Candidate:
    """Joint review of the inspection result and feedback (考察结果会审与反馈, step
    ``inspection_review``).

    Refused while the conclusion is missing or unsigned, before feedback, while the appeal window
    is open or an appeal is pending, or after an upheld appeal with no new conclusion. An
    evaluation below the threshold (``inspection.evaluation``) or a team that does not agree
    (``inspection.team_agreement``) stops the candidate here: not taken to deliberation.
    """
    with recorded_action():
        run = _run(candidate.campaign, acting_user, today, DEPARTMENT, "inspection_review")
        candidate = _candidate(run, candidate)
        procedure = check_person_step(run, candidate, "inspection_review")
        conclusion = candidate.conclusions.order_by("-id").first()
        if conclusion is None:
            run.refuse_by(["inspection.team_agreement"], "尚无考察组签名的考察结论", candidate=candidate)
        if candidate.feedback_on is None:
            run.refuse_by(
                ["inspection.appeal", "inspection.team_agreement"],
                "考察结果尚未向本人反馈",
                candidate=candidate,
            )
        if candidate.appeal_deadline and today <= candidate.appeal_deadline:
            run.refuse_by(
                ["inspection.appeal"],
                f"申诉期至 {candidate.appeal_deadline.isoformat()}，期满后方可会审",
                candidate=candidate,
            )
        if candidate.appeals.filter(status=Appeal.Status.PENDING).exists():
            run.refuse_by(["inspection.appeal"], "有申诉尚未处理", candidate=candidate)
        upheld = candidate.appeals.filter(status=Appeal.Status.UPHELD, decided_on__gte=conclusion.recorded_on)
        if upheld.exists():
            run.refuse_by(["inspection.appeal"], "申诉成立，考察组须重新形成考察结论", candidate=candidate)
        evaluation = candidate.inspection_records.filter(kind=InspectionRecord.Kind.EVALUATION).first()
        decisions = [
            Decision(**_decision_args(evaluation.decision)) if evaluation and evaluation.decision else None,
            Decision(**_decision_args(conclusion.decision)) if conclusion.decision else None,
        ]
        failed = next((d for d in decisions if d is not None and d.outcome is Outcome.FAIL), None)
        if failed is not None:
            _stop(run, candidate, failed, "inspection_review")
        entry = run.record(
            "inspection_reviewed",
            {
                "conclusion": conclusion.pk,
                "passed": failed is None,
                "decisions": [d.to_dict() for d in decisions if d is not None],
                "stopped_by": failed.rule_id if failed else None,
                "procedure": procedure.to_dict(),
            },
            candidate=candidate,
        )
        _mark_step(run, candidate, "inspection_review", entry)
    return candidate


# --------------------------------------------------------------------------- deliberation (D3.3)


def _meeting_members(meeting: Meeting, names: Sequence[str]) -> None:
    for i, name in enumerate(names):
        MeetingMember.objects.create(meeting=meeting, name=name, present=True, sort_order=i)


def _deliberate(
    campaign: Campaign,
    *,
    acting_user: Any,
    today: date,
    held_on: date,
    candidates: Sequence[Candidate],
    attendees: Sequence[str],
    minutes: str,
    step: str,
    kind: str,
    roles: Sequence[str],
    to_state: str,
) -> Meeting:
    with recorded_action():
        run = _run(campaign, acting_user, today, roles, step)
        chosen = _own(run, candidates)
        if not chosen:
            run.refuse_by(["deliberation.ratio"], "请选择酝酿的人选")
        if not attendees:
            run.refuse_by(["deliberation.meetings", "deliberation.personnel_meeting"], "请填写参加会议的人员")
        procedures = [check_person_step(run, c, step) for c in chosen]
        ratio = run.require(_list_ratio(run, "deliberation.ratio", chosen, "酝酿人选"))
        meeting = Meeting.objects.create(
            campaign=run.campaign,
            kind=kind,
            held_on=held_on,
            status=Meeting.Status.CLOSED,
            minutes=minutes,
            minutes_sha256=hashlib.sha256(minutes.encode("utf-8")).hexdigest(),
        )
        meeting.candidates.set(chosen)
        _meeting_members(meeting, attendees)
        for candidate, procedure in zip(chosen, procedures, strict=True):
            if to_state:
                _set_state(candidate, to_state)
            entry = run.record(
                f"{step}_held",
                {
                    "meeting": meeting.pk,
                    "held_on": held_on,
                    "attendees": list(attendees),
                    "minutes_sha256": meeting.minutes_sha256,
                    "ratio": ratio.to_dict(),
                    "procedure": procedure.to_dict(),
                },
                candidate=candidate,
            )
            _mark_step(run, candidate, step, entry, on=held_on)
    return meeting


@campaign_action
def hold_department_meeting(
    campaign: Campaign,
    *,
    acting_user: Any,
    today: date,
    held_on: date,
    candidates: Sequence[Candidate],
    attendees: Sequence[str],
    minutes: str = "",
) -> Meeting:
    """The organization department meeting deliberates (组织部部务会酝酿, step ``department_meeting``)
    with more than one candidate per post (``deliberation.ratio``)."""
    return _deliberate(
        campaign,
        acting_user=acting_user,
        today=today,
        held_on=held_on,
        candidates=candidates,
        attendees=attendees,
        minutes=minutes,
        step="department_meeting",
        kind=Meeting.Kind.DEPARTMENT,
        roles=DEPARTMENT,
        to_state="",
    )


@campaign_action
def set_dual_managed(
    candidate: Candidate, *, acting_user: Any, today: date, co_managing_body: str
) -> Candidate:
    """Mark a candidate as a dual-managed cadre (双重管理干部): the co-managing side's opinion is
    then required in consultation (``deliberation.dual_managed``)."""
    with recorded_action():
        run = _run(candidate.campaign, acting_user, today, RUNNER, "consultation")
        candidate = _candidate(run, candidate)
        if not co_managing_body.strip():
            run.refuse_by(
                ["deliberation.dual_managed", "deliberation.consult"], "请填写协管方", candidate=candidate
            )
        candidate.dual_managed = True
        candidate.save(update_fields=["dual_managed"])
        run.record("dual_managed_set", {"co_managing_body": co_managing_body.strip()}, candidate=candidate)
    return candidate


@campaign_action
def record_opinion(
    candidate: Candidate,
    *,
    acting_user: Any,
    today: date,
    source: str,
    body: str,
    agrees: bool,
    text: str = "",
    needs_explanation: bool = False,
    veto: bool = False,
) -> Opinion:
    """An opinion asked for in deliberation (征求意见; entry ``opinion_recorded``): leaders of the
    four bodies, the co-managing side (disagreement is an important circumstance), discipline and
    law-enforcement integrity opinions, or the economic-responsibility audit — whose violation is a
    one-vote veto that stops the candidate (``eligibility.audit_veto``, 001 二、（四）4)."""
    with recorded_action():
        run = _run(candidate.campaign, acting_user, today, DISCIPLINE, "consultation")
        candidate = _candidate(run, candidate)
        if not candidate.active:
            _refuse_stopped(run, candidate)
        done = engine.candidate_steps_done(candidate)
        if "department_meeting" not in done:
            check_person_step(run, candidate, "consultation")
        if "consultation" in done:
            run.refuse_by(["deliberation.consult"], "征求意见已经完成", candidate=candidate)
        if source not in Opinion.Source.values:
            run.refuse_by(["deliberation.consult"], f"意见来源不正确：{source}", candidate=candidate)
        if not body.strip():
            run.refuse_by(["deliberation.consult"], "请填写提出意见的领导或机关", candidate=candidate)
        if source == Opinion.Source.AUDIT and not agrees:
            veto = True
        opinion = Opinion.objects.create(
            candidate=candidate,
            source=source,
            body=body.strip(),
            agrees=agrees,
            needs_explanation=needs_explanation,
            veto=veto,
            text=text,
            given_on=today,
        )
        decision = None
        if veto and source == Opinion.Source.AUDIT:
            cited = engine.cite_rule(run.policy, "eligibility.audit_veto", "eligibility.audit_required")
            decision = engine.decide(
                run.policy,
                cited,
                passed=False,
                text=f"经济责任审计发现问题（{text or body}），一票否决，不得提拔",
                subject=_name(candidate),
                inputs={"opinion": opinion.pk, "body": body},
            )
            opinion.decision = decision.to_dict()
            opinion.save(update_fields=["decision"])
            _stop(run, candidate, decision, "consultation")
        run.record(
            "opinion_recorded",
            {
                "opinion": opinion.pk,
                "source": source,
                "body": opinion.body,
                "agrees": agrees,
                "veto": veto,
                "needs_explanation": needs_explanation,
                "text": text,
                "decision": decision.to_dict() if decision else None,
            },
            candidate=candidate,
        )
    return opinion


@campaign_action
def complete_consultation(candidate: Candidate, *, acting_user: Any, today: date) -> Candidate:
    """Close the consultation (征求意见, step ``consultation``): the leaders' opinion is on record,
    the co-managing side's for a dual-managed cadre, and the audit where the policy requires one
    before promotion (``eligibility.audit_required``)."""
    with recorded_action():
        run = _run(candidate.campaign, acting_user, today, RUNNER, "consultation")
        candidate = _candidate(run, candidate)
        procedure = check_person_step(run, candidate, "consultation")
        sources = set(candidate.opinions.values_list("source", flat=True))
        missing = []
        if Opinion.Source.LEADERS not in sources:
            missing.append(Opinion.Source.LEADERS.label)
        if candidate.dual_managed and Opinion.Source.CO_MANAGING not in sources:
            missing.append(Opinion.Source.CO_MANAGING.label)
        if engine.flag(run.policy, "eligibility.audit_required") and Opinion.Source.AUDIT not in sources:
            missing.append(Opinion.Source.AUDIT.label)
        if missing:
            run.refuse_by(
                ["deliberation.consult", "deliberation.dual_managed", "eligibility.audit_required"],
                f"尚未征求：{'、'.join(missing)}",
                candidate=candidate,
                missing=missing,
            )
        entry = run.record(
            "consultation_completed",
            {"sources": sorted(sources), "procedure": procedure.to_dict()},
            candidate=candidate,
        )
        _mark_step(run, candidate, "consultation", entry)
    return candidate


@campaign_action
def hold_personnel_deliberation(
    campaign: Campaign,
    *,
    acting_user: Any,
    today: date,
    held_on: date,
    candidates: Sequence[Candidate],
    attendees: Sequence[str],
    minutes: str = "",
) -> Meeting:
    """The personnel deliberation meeting (人事酝酿会议: 书记、副书记、组织部长、纪委书记) deliberates
    (step ``personnel_deliberation``) with more than one candidate per post (``deliberation.ratio``)."""
    return _deliberate(
        campaign,
        acting_user=acting_user,
        today=today,
        held_on=held_on,
        candidates=candidates,
        attendees=attendees,
        minutes=minutes,
        step="personnel_deliberation",
        kind=Meeting.Kind.PERSONNEL_DELIBERATION,
        roles=DELIBERATION,
        to_state=Candidate.State.DELIBERATED,
    )


@campaign_action
def file_plan_with_higher_department(
    campaign: Campaign, *, acting_user: Any, today: date, filed_with: str, reference: str
) -> Campaign:
    """File the appointment plan with the higher organization department before the standing
    committee (000 三、, ``decision.report_to_higher``)."""
    with recorded_action():
        run = _run(campaign, acting_user, today, DEPARTMENT, "standing_committee_vote")
        if not run.campaign.candidates.filter(state=Candidate.State.DELIBERATED).exists():
            run.refuse_by(["decision.report_to_higher", "record.procedure"], "尚无经人事酝酿会议酝酿的人选")
        _required(
            run,
            ["decision.report_to_higher"],
            {"报备机关": filed_with.strip(), "报备文号": reference.strip()},
        )
        run.campaign.plan_filed_on = today
        run.campaign.plan_filed_with = filed_with.strip()
        run.campaign.plan_filed_reference = reference.strip()
        run.campaign.save(update_fields=["plan_filed_on", "plan_filed_with", "plan_filed_reference"])
        run.record(
            "plan_filed",
            {
                "filed_with": run.campaign.plan_filed_with,
                "reference": run.campaign.plan_filed_reference,
                "candidates": list(
                    run.campaign.candidates.filter(state=Candidate.State.DELIBERATED).values_list(
                        "pk", flat=True
                    )
                ),
            },
        )
    return run.campaign


# --------------------------------------------------------------------------- decision (D3.4, D4)


@campaign_action
def generate_procedure_form(candidate: Candidate, *, acting_user: Any, today: date) -> ProcedureForm:
    """Generate the procedure-execution form (人选产生程序情况表, 001 一、（三）3) from the record:
    each step before the decision with its date, the inspection procedures, the first disclosure
    and any exceptional-promotion approval. ``complete`` is false and ``missing`` names what is
    not done; such a candidate cannot go on the committee's agenda. Signed with
    :func:`sign_procedure_form`."""
    from xuanren.campaigns import documents

    with recorded_action():
        run = _run(candidate.campaign, acting_user, today, DEPARTMENT, "standing_committee_vote")
        candidate = _candidate(run, candidate)
        check = engine.procedure_check(run.policy, candidate, today)
        rows = [
            {
                "stage": r.stage,
                "step": r.step,
                "name": r.name,
                "done_on": r.done_on,
                "detail": r.detail,
                "done": r.done,
                "applies": r.applies,
            }
            for r in check.rows
        ]
        data = documents.procedure_form_docx(candidate, rows, check.missing, today)
        # The file as generated is kept (by its hash): printed again later it would show the
        # candidate's post as it is then, and no longer match the hash the record holds.
        from xuanren.record import materials

        stored = materials.store_bytes(data)
        form = ProcedureForm.objects.create(
            candidate=candidate,
            generated_on=today,
            rows=rows,
            complete=check.complete,
            missing=list(check.missing),
            docx_sha256=hashlib.sha256(data).hexdigest(),
        )
        entry = run.record(
            "procedure_form_generated",
            {
                "form": form.pk,
                "complete": form.complete,
                "missing": form.missing,
                "docx_sha256": form.docx_sha256,
            },
            candidate=candidate,
            files=[{"name": procedure_form_file_name(candidate, today), "sha256": stored}],
        )
        form.entry_seq = entry.seq
        form.save(update_fields=["entry_seq"])
    return form


def procedure_form_file_name(candidate: Candidate, generated_on: date) -> str:
    return f"人选产生程序情况表-{candidate.cadre.name}-{generated_on:%Y%m%d}.docx"


@campaign_action
def sign_procedure_form(
    form: ProcedureForm, *, acting_user: Any, today: date, signer_name: str
) -> ProcedureForm:
    """The responsible person signs the procedure-execution form (具体负责人签字)."""
    with recorded_action():
        run = _run(form.candidate.campaign, acting_user, today, DEPARTMENT, "standing_committee_vote")
        form = ProcedureForm.objects.select_for_update().get(pk=form.pk)
        candidate = _candidate(run, form.candidate)
        if form.signed_on is not None:
            run.refuse_by(["decision.procedure_form", "record.procedure"], "该表已签字", candidate=candidate)
        if not signer_name.strip():
            run.refuse_by(
                ["decision.procedure_form", "record.procedure"], "请填写签字人", candidate=candidate
            )
        form.signed_by = acting_user
        form.signer_name = signer_name.strip()
        form.signed_on = today
        form.save(update_fields=["signed_by", "signer_name", "signed_on"])
        run.record(
            "procedure_form_signed",
            {
                "form": form.pk,
                "signer": form.signer_name,
                "complete": form.complete,
                "docx_sha256": form.docx_sha256,
            },
            candidate=candidate,
        )
    return form


@dataclass(frozen=True)
class MemberInput:
    """A member who should attend a committee meeting, the secretary, or an observer (列席)."""

    name: str
    role: str = MeetingMember.Role.MEMBER
    user: Any = None


def _agenda_ok(run: Run, candidate: Candidate) -> Decision:
    """A candidate may be on the standing committee's agenda only with a complete, signed
    procedure-execution form generated after their last step (001: 未完整执行规定程序的，不予研究)."""
    cited = engine.cite_rule(run.policy, "decision.procedure_form", "record.procedure")
    form = candidate.procedure_forms.order_by("-id").first()
    last = candidate.steps.order_by("-done_on").values_list("done_on", flat=True).first()
    problem = ""
    if form is None:
        problem = "未填写人选产生程序情况表"
    elif not form.complete:
        problem = f"程序不完整（{'；'.join(form.missing)}）"
    elif form.signed_on is None:
        problem = "人选产生程序情况表未经负责人签字"
    elif last is not None and form.generated_on < last:
        problem = "人选产生程序情况表生成后又有程序变化，须重新生成"
    else:
        current = engine.procedure_check(run.policy, candidate, run.today)
        if not current.complete:
            problem = f"程序不完整（{'；'.join(current.missing)}）"
    decision = engine.decide(
        run.policy,
        cited,
        passed=not problem,
        text=(f"{problem}，不能提交会议研究" if problem else "程序完整，可以提交会议研究"),
        subject=_name(candidate),
        inputs={"form": form.pk if form else None},
    )
    return run.require(decision, candidate)


@campaign_action
def convene_meeting(
    campaign: Campaign,
    *,
    acting_user: Any,
    today: date,
    kind: str,
    held_on: date,
    members: Sequence[MemberInput],
    candidates: Sequence[Candidate],
    title: str = "",
) -> Meeting:
    """Convene the standing committee (常委会) or the full committee (全委会) to decide candidates.

    Standing committee: each candidate's procedure-execution form must be complete and signed
    (``decision.procedure_form``), and the plan filed with the higher department where the policy
    asks (``decision.report_to_higher``). Full committee: only for posts the policy sends there
    (``decision.full_committee``), after the standing committee approved. Exactly one member is the
    secretary (主要负责人), who speaks last.
    """
    step = "standing_committee_vote" if kind == Meeting.Kind.STANDING_COMMITTEE else "full_committee_vote"
    with recorded_action():
        run = _run(campaign, acting_user, today, COMMITTEE, step)
        if kind not in (Meeting.Kind.STANDING_COMMITTEE, Meeting.Kind.FULL_COMMITTEE):
            run.refuse_by(["decision.quorum"], "只能召集常委会或全委会讨论决定")
        chosen = _own(run, candidates)
        if not chosen:
            run.refuse_by(["decision.quorum"], "会议没有议题人选")
        secretaries = [m for m in members if m.role == MeetingMember.Role.SECRETARY]
        if len(secretaries) != 1 or not [m for m in members if m.role != MeetingMember.Role.OBSERVER]:
            run.refuse_by(
                ["decision.secretary_last", "decision.quorum"], "会议成员中须有且只有一名书记（主要负责人）"
            )
        if kind == Meeting.Kind.STANDING_COMMITTEE:
            if (
                run.policy.rule("decision.report_to_higher") is not None
                and run.campaign.plan_filed_on is None
            ):
                run.refuse_by(["decision.report_to_higher"], "常委会召开前须将任免方案报上级组织部门审核备案")
            for candidate in chosen:
                check_person_step(run, candidate, step)
                _agenda_ok(run, candidate)
        else:
            for candidate in chosen:
                check_person_step(run, candidate, step)
                if candidate.state != Candidate.State.APPROVED:
                    run.refuse_by(
                        ["decision.full_committee"], f"{_name(candidate)} 未经常委会通过", candidate=candidate
                    )
        meeting = Meeting.objects.create(
            campaign=run.campaign,
            kind=kind,
            title=title or Meeting.Kind(kind).label,
            held_on=held_on,
        )
        meeting.candidates.set(chosen)
        for i, m in enumerate(members):
            MeetingMember.objects.create(meeting=meeting, name=m.name, role=m.role, user=m.user, sort_order=i)
        run.record(
            "meeting_convened",
            {
                "meeting": meeting.pk,
                "kind": kind,
                "held_on": held_on,
                "members": [{"name": m.name, "role": m.role} for m in members],
                "candidates": [c.pk for c in chosen],
            },
        )
    return meeting


def _meeting_run(
    meeting: Meeting, acting_user: Any, today: date, roles: Sequence[str] = COMMITTEE
) -> tuple[Run, Meeting]:
    step = (
        "standing_committee_vote"
        if meeting.kind == Meeting.Kind.STANDING_COMMITTEE
        else "full_committee_vote"
    )
    if meeting.kind not in (Meeting.Kind.STANDING_COMMITTEE, Meeting.Kind.FULL_COMMITTEE):
        step = meeting.kind
    run = _run(meeting.campaign, acting_user, today, roles, step)
    return run, Meeting.objects.select_for_update().get(pk=meeting.pk)


def _voting(meeting: Meeting) -> list[MeetingMember]:
    return [m for m in meeting.members.order_by("sort_order", "id") if m.votes]


@campaign_action
def sign_in(meeting: Meeting, *, acting_user: Any, today: date, member: MeetingMember) -> MeetingMember:
    """A member signs in to the meeting (签到, 001 一、（三）3)."""
    from django.utils import timezone

    with recorded_action():
        run, meeting = _meeting_run(meeting, acting_user, today)
        member = MeetingMember.objects.select_for_update().get(pk=member.pk)
        if member.meeting_id != meeting.pk:
            run.refuse_by(["decision.sign_in", "decision.quorum"], f"{member.name} 不是本次会议的成员")
        if meeting.status == Meeting.Status.CLOSED:
            run.refuse_by(["decision.sign_in", "decision.quorum"], "会议已经结束")
        if member.present:
            run.refuse_by(["decision.sign_in", "decision.quorum"], f"{member.name} 已经签到")
        member.present = True
        member.signed_in_at = timezone.now()
        member.save(update_fields=["present", "signed_in_at"])
        run.record("member_signed_in", {"meeting": meeting.pk, "member": member.name, "role": member.role})
    return member


@campaign_action
def open_meeting(meeting: Meeting, *, acting_user: Any, today: date) -> Meeting:
    """Open the discussion: enough of the members who should attend must have signed in
    (``decision.quorum``: at least 2/3). Without a quorum it is refused."""
    with recorded_action():
        run, meeting = _meeting_run(meeting, acting_user, today)
        if meeting.status != Meeting.Status.CONVENED:
            run.refuse_by(["decision.quorum"], "会议不在召集状态")
        voting = _voting(meeting)
        present = sum(1 for m in voting if m.present)
        quorum = run.require(
            check_quorum(run.policy, members=len(voting), present=present, meeting=meeting.get_kind_display())
        )
        meeting.status = Meeting.Status.OPEN
        meeting.quorum = quorum.to_dict()
        meeting.save(update_fields=["status", "quorum"])
        run.record(
            "meeting_opened",
            {
                "meeting": meeting.pk,
                "present": [m.name for m in voting if m.present],
                "absent": [m.name for m in voting if not m.present],
                "observers": [m.name for m in meeting.members.all() if not m.votes and m.present],
                "quorum": quorum.to_dict(),
            },
        )
    return meeting


# Words of a preference among competitors; the department presents without one (000 三、).
PREFERENCE_WORDS = ("倾向", "建议任用", "建议人选为", "首选", "意向人选", "推荐为拟任")


@campaign_action
def present_candidates(meeting: Meeting, *, acting_user: Any, today: date, presentation: str) -> Meeting:
    """The department presents each candidate's recommendation, inspection and reasons to the
    meeting, without stating a preference among competitors (``decision.no_preference``, 000 三、)."""
    with recorded_action():
        run, meeting = _meeting_run(meeting, acting_user, today, (*COMMITTEE, "department_head"))
        if meeting.status != Meeting.Status.OPEN:
            run.refuse_by(["decision.quorum"], "会议尚未开始讨论")
        if not presentation.strip():
            run.refuse_by(["decision.no_preference", "decision.quorum"], "请填写组织部门的情况介绍")
        words = [w for w in PREFERENCE_WORDS if w in presentation]
        if words and engine.flag(run.policy, "decision.no_preference"):
            run.refuse_by(
                ["decision.no_preference"],
                f"组织部门介绍人选情况时不提差额的意向性意见（介绍中有“{'”“'.join(words)}”）",
            )
        meeting.presentation = presentation.strip()
        meeting.no_preference = True
        meeting.save(update_fields=["presentation", "no_preference"])
        run.record(
            "candidates_presented",
            {
                "meeting": meeting.pk,
                "presentation_sha256": hashlib.sha256(meeting.presentation.encode("utf-8")).hexdigest(),
            },
        )
    return meeting


def speaking_order(meeting: Meeting) -> list[MeetingMember]:
    """The present voting members in the order they speak: the secretary last (000 书记末尾表态)."""
    present = [m for m in _voting(meeting) if m.present]
    return [m for m in present if m.role != MeetingMember.Role.SECRETARY] + [
        m for m in present if m.role == MeetingMember.Role.SECRETARY
    ]


@campaign_action
def record_position(
    meeting: Meeting,
    *,
    acting_user: Any,
    today: date,
    member: MeetingMember,
    candidate: Candidate,
    position: str,
    reason: str = "",
) -> Position:
    """A member's stated position on a candidate (同意 / 不同意 / 缓议, with reasons where the policy
    asks, ``decision.positions``), in speaking order: the secretary only after every other present
    member, and nobody after the secretary (``decision.secretary_last``)."""
    with recorded_action():
        run, meeting = _meeting_run(meeting, acting_user, today)
        candidate = _candidate(run, candidate)
        member = MeetingMember.objects.get(pk=member.pk)
        if meeting.status != Meeting.Status.OPEN:
            run.refuse_by(["decision.quorum"], "会议尚未开始讨论", candidate=candidate)
        if meeting.kind == Meeting.Kind.STANDING_COMMITTEE and not meeting.presentation:
            run.refuse_by(["decision.no_preference"], "组织部门尚未介绍人选情况", candidate=candidate)
        if not meeting.candidates.filter(pk=candidate.pk).exists():
            run.refuse_by(
                ["decision.positions"], f"{_name(candidate)} 不在本次会议议题中", candidate=candidate
            )
        if member.meeting_id != meeting.pk or not member.votes or not member.present:
            run.refuse_by(
                ["decision.sign_in", "decision.positions"],
                f"{member.name} 不是已签到的会议成员",
                candidate=candidate,
            )
        run.require(check_positions(run.policy, positions={member.name: (position, reason)}), candidate)
        stated = list(
            meeting.positions.filter(candidate=candidate).select_related("member").order_by("speaking_order")
        )
        if any(p.member_id == member.pk for p in stated):
            run.refuse_by(["decision.positions"], f"{member.name} 已经表态", candidate=candidate)
        order = speaking_order(meeting)
        secretary = next((m for m in order if m.role == MeetingMember.Role.SECRETARY), None)
        speakers = [p.member.name for p in stated] + [member.name]
        if secretary is not None:
            pending = [
                m.name for m in order if m.pk not in {p.member_id for p in stated} and m.pk != member.pk
            ]
            if member.pk == secretary.pk and pending:
                decision = check_speaking_order(
                    run.policy, speakers=[*speakers, *pending], secretary=secretary.name
                )
                run.require(decision, candidate)
            if member.pk != secretary.pk and any(p.member_id == secretary.pk for p in stated):
                run.require(
                    check_speaking_order(run.policy, speakers=speakers, secretary=secretary.name), candidate
                )
        row = Position.objects.create(
            meeting=meeting,
            member=member,
            candidate=candidate,
            position=position,
            reason=reason,
            speaking_order=len(stated) + 1,
        )
        run.record(
            "position_stated",
            {
                "meeting": meeting.pk,
                "member": member.name,
                "role": member.role,
                "position": position,
                "reason": reason,
                "speaking_order": row.speaking_order,
            },
            candidate=candidate,
        )
    return row


@campaign_action
def record_committee_vote(
    meeting: Meeting, *, acting_user: Any, today: date, candidate: Candidate, figures: VoteFigures
) -> CommitteeVote:
    """The vote on one candidate (secret ballot, paper or a committee poll) judged by the policy:
    quorum first, then more than half of **all** members who should attend
    (``decision.approval``). At the standing committee every present member must first have stated
    a position, the secretary last. Passing approves the candidate (step
    ``standing_committee_vote`` / ``full_committee_vote``); failing rejects them."""
    with recorded_action():
        run, meeting = _meeting_run(meeting, acting_user, today)
        candidate = _candidate(run, candidate)
        if meeting.status != Meeting.Status.OPEN:
            run.refuse_by(["decision.quorum"], "会议尚未开始讨论", candidate=candidate)
        if not meeting.candidates.filter(pk=candidate.pk).exists():
            run.refuse_by(
                ["decision.approval"], f"{_name(candidate)} 不在本次会议议题中", candidate=candidate
            )
        procedure = check_person_step(run, candidate, run.step)
        voting = _voting(meeting)
        present = [m for m in voting if m.present]
        order_decision = None
        if meeting.kind == Meeting.Kind.STANDING_COMMITTEE:
            stated = list(
                meeting.positions.filter(candidate=candidate)
                .select_related("member")
                .order_by("speaking_order")
            )
            silent = [m.name for m in present if m.pk not in {p.member_id for p in stated}]
            if silent and run.policy.rule("decision.positions") is not None:
                run.refuse_by(
                    ["decision.positions"], f"{'、'.join(silent)} 尚未表态，不能表决", candidate=candidate
                )
            secretary = next((m for m in present if m.role == MeetingMember.Role.SECRETARY), None)
            if secretary is not None:
                order_decision = run.require(
                    check_speaking_order(
                        run.policy, speakers=[p.member.name for p in stated], secretary=secretary.name
                    ),
                    candidate,
                )
        if figures.in_favour + figures.against + figures.abstain > len(present):
            run.refuse_by(
                ["decision.approval"], f"表决票合计多于实到人数 {len(present)}", candidate=candidate
            )
        decision = judge_vote(
            run.policy,
            subject=_name(candidate),
            members=len(voting),
            present=len(present),
            in_favour=figures.in_favour,
            against=figures.against,
            postponed=figures.abstain,
            meeting=meeting.get_kind_display(),
        )
        if decision.rule_id == run.policy.rule_id("decision.quorum"):
            run.require(decision, candidate)
        vote = CommitteeVote.objects.create(
            meeting=meeting,
            candidate=candidate,
            vacancy=candidate.vacancy,
            members=len(voting),
            present=len(present),
            in_favour=figures.in_favour,
            against=figures.against,
            abstain=figures.abstain,
            poll_id=figures.poll_id,
            passed=decision.passed,
            decision=decision.to_dict(),
        )
        candidate.decided_on = meeting.held_on
        candidate.save(update_fields=["decided_on"])
        if decision.passed:
            _set_state(candidate, Candidate.State.APPROVED)
        else:
            _stop(run, candidate, decision, run.step, Candidate.State.REJECTED)
        entry = run.record(
            "committee_vote",
            {
                "meeting": meeting.pk,
                "kind": meeting.kind,
                "members": len(voting),
                "present": len(present),
                "in_favour": figures.in_favour,
                "against": figures.against,
                "abstain": figures.abstain,
                "poll": figures.poll_id,
                "passed": decision.passed,
                "decision": decision.to_dict(),
                "speaking_order": order_decision.to_dict() if order_decision else None,
                "procedure": procedure.to_dict(),
                **{k: v for k, v in figures.extra.items() if isinstance(v, str | int)},
            },
            candidate=candidate,
        )
        _mark_step(run, candidate, run.step, entry, on=meeting.held_on)
    return vote


@campaign_action
def postpone_candidate(
    meeting: Meeting, *, acting_user: Any, today: date, candidate: Candidate, reason: str
) -> Candidate:
    """Defer the vote on a candidate when views are sharply divided or a major question is unclear
    (缓议, ``decision.divided_defers``). The candidate may go to a later meeting."""
    with recorded_action():
        run, meeting = _meeting_run(meeting, acting_user, today)
        candidate = _candidate(run, candidate)
        if meeting.status != Meeting.Status.OPEN or not meeting.candidates.filter(pk=candidate.pk).exists():
            run.refuse_by(["decision.divided_defers"], "只能在会议讨论中对议题人选缓议", candidate=candidate)
        if not reason.strip():
            run.refuse_by(["decision.divided_defers"], "请写明缓议理由", candidate=candidate)
        _set_state(candidate, Candidate.State.POSTPONED)
        run.record(
            "candidate_postponed", {"meeting": meeting.pk, "reason": reason.strip()}, candidate=candidate
        )
    return candidate


@campaign_action
def close_meeting(meeting: Meeting, *, acting_user: Any, today: date, minutes: str) -> Meeting:
    """Close the meeting with its full minutes (讨论情况完整记录); the DOCX minutes' SHA-256 goes in
    the entry."""
    from xuanren.campaigns import documents

    with recorded_action():
        run, meeting = _meeting_run(meeting, acting_user, today)
        if meeting.status != Meeting.Status.OPEN:
            run.refuse_by(["decision.quorum"], "会议不在讨论状态")
        if not minutes.strip():
            run.refuse_by(["decision.positions", "decision.quorum"], "请填写会议记录")
        pending = meeting.candidates.exclude(
            pk__in=meeting.votes.values_list("candidate_id", flat=True)
        ).exclude(state=Candidate.State.POSTPONED)
        if pending.exists():
            names = "、".join(pending.values_list("cadre__name", flat=True))
            run.refuse_by(["decision.approval"], f"尚未表决或缓议：{names}")
        meeting.minutes = minutes.strip()
        meeting.minutes_sha256 = hashlib.sha256(meeting.minutes.encode("utf-8")).hexdigest()
        meeting.status = Meeting.Status.CLOSED
        meeting.save(update_fields=["minutes", "minutes_sha256", "status"])
        docx = hashlib.sha256(documents.meeting_minutes_docx(meeting)).hexdigest()
        run.record(
            "meeting_closed",
            {"meeting": meeting.pk, "minutes_sha256": meeting.minutes_sha256, "docx_sha256": docx},
        )
    return meeting


@campaign_action
def publish_vote_counts(meeting: Meeting, *, acting_user: Any, today: date) -> Meeting:
    """Publish who voted and the counts (参加票决的常委名单、表决票数, 001 一、（三）3(4))."""
    with recorded_action():
        run, meeting = _meeting_run(meeting, acting_user, today)
        if meeting.status != Meeting.Status.CLOSED:
            run.refuse_by(["decision.results_published", "decision.approval"], "会议结束后方可公开表决情况")
        if meeting.counts_published_on is not None:
            run.refuse_by(["decision.results_published", "decision.approval"], "表决情况已经公开")
        meeting.counts_published_on = today
        meeting.save(update_fields=["counts_published_on"])
        votes = list(meeting.votes.select_related("candidate__cadre"))
        run.record(
            "vote_counts_published",
            {
                "meeting": meeting.pk,
                "kind": meeting.kind,
                "voters": [m.name for m in _voting(meeting) if m.present],
                "results": [
                    {
                        "candidate": v.candidate_id,
                        "name": v.candidate.cadre.name,
                        "in_favour": v.in_favour,
                        "against": v.against,
                        "abstain": v.abstain,
                        "passed": v.passed,
                    }
                    for v in votes
                ],
            },
        )
    return meeting


# --------------------------------------------------------------------------- notice, appointment (D5)


def _unverified(candidate: Candidate) -> list[int]:
    from xuanren.supervision.models import Complaint

    return list(
        Complaint.objects.filter(Q(candidate=candidate) | Q(cadre_id=candidate.cadre_id))
        .unverified()
        .values_list("pk", flat=True)
    )


def _require_no_complaints(run: Run, candidate: Candidate) -> None:
    open_ids = _unverified(candidate)
    if open_ids:
        run.refuse_by(
            ["eligibility.complaints", "notice.complaints", "disclosure.complaints"],
            f"{_name(candidate)} 有 {len(open_ids)} 件信访举报尚未核查办结，反映问题未查实的不任用",
            candidate=candidate,
            complaints=open_ids,
        )


def _public_parts(candidate: Candidate) -> dict[str, Any]:
    """What the pre-appointment notice publishes of a candidate (D5; 001 一、（二）2)."""
    cadre = candidate.cadre
    score = candidate.recommendation_scores.order_by("-recommendation__round").first()
    evaluation = candidate.inspection_records.filter(kind=InspectionRecord.Kind.EVALUATION).first()
    vote = candidate.committee_votes.order_by("-id").first()
    return {
        "candidate": candidate.pk,
        "name": cadre.name,
        "gender": cadre.get_gender_display(),
        "birth": cadre.birth_date.strftime("%Y-%m"),
        "native_place": cadre.native_place,
        "education": cadre.get_fulltime_education_display() if cadre.fulltime_education else "",
        "political_status": cadre.get_political_status_display(),
        "work_start": cadre.work_start_date.strftime("%Y-%m"),
        "current_post": cadre.current_title,
        "proposed_post": str(candidate.vacancy.post) if candidate.vacancy_id and candidate.vacancy else "",
        "recommendation_share": score.share if score else None,
        "evaluation": (evaluation.decision or {}).get("inputs", {}).get("share") if evaluation else None,
        "vote": f"{vote.in_favour}/{vote.members}" if vote else None,
        "exceptional": candidate.exceptional_justification if candidate.exceptional_reason else None,
    }


@campaign_action
def publish_pre_appointment_notice(
    campaign: Campaign,
    *,
    acting_user: Any,
    today: date,
    candidates: Sequence[Candidate],
    starts_on: date,
    hotline: str,
    second_disclosure: Mapping[str, str] | None = None,
    disclosure_places: Sequence[str] = (),
) -> Notice:
    """Publish the pre-appointment notice (任前公示) of approved candidates for the policy's period
    (``notice.period``: at least 5 working days, counted with the holiday calendar), with their CV,
    education, achievements and the public parts of recommendation, inspection and decision; an
    exceptional promotion states its reasons. The second round of personal-matters disclosure runs
    with it where the policy has one (``disclosure.second``; pass ``second_disclosure``)."""
    from xuanren.campaigns import documents

    with recorded_action():
        run = _run(campaign, acting_user, today, RUNNER, "pre_appointment_notice")
        chosen = _own(run, candidates)
        if not chosen:
            run.refuse_by(["notice.period"], "请选择公示人选")
        if not hotline.strip():
            run.refuse_by(["notice.period", "notice.published"], "请填写受理反映电话")
        if starts_on < today:
            run.refuse_by(["notice.period"], "公示开始日期不能早于今天")
        for candidate in chosen:
            check_person_step(run, candidate, "pre_appointment_notice")
            if candidate.state != Candidate.State.APPROVED:
                run.refuse_by(
                    ["decision.approval"], f"{_name(candidate)} 未经讨论决定通过", candidate=candidate
                )
            if run.policy.rule("decision.results_published") is not None:
                unpublished = candidate.committee_votes.filter(meeting__counts_published_on__isnull=True)
                if unpublished.exists():
                    run.refuse_by(["decision.results_published"], "票决情况尚未公开", candidate=candidate)
        by_vacancy: dict[int | None, list[str]] = {}
        for candidate in chosen:
            by_vacancy.setdefault(candidate.vacancy_id, []).append(_name(candidate))
        doubled = [names for names in by_vacancy.values() if len(names) > 1]
        if doubled or None in by_vacancy:
            run.refuse_by(
                ["decision.approval"],
                "每个职位只能公示一名拟任人选" + (f"：{'、'.join(doubled[0])}" if doubled else ""),
            )
        period = engine.notice_period(run.policy, starts_on=starts_on)
        ends_on = date.fromisoformat(period.value) if period.outcome is Outcome.INFO else starts_on
        notice = Notice.objects.create(
            campaign=run.campaign,
            kind=Notice.Kind.PRE_APPOINTMENT,
            posted_on=today,
            starts_on=starts_on,
            ends_on=ends_on,
            hotline=hotline.strip(),
            content={
                "candidates": [_public_parts(c) for c in chosen],
                "hotline": hotline.strip(),
                "published": list(engine.items_of(run.policy, "notice.published")),
                "places": list(engine.items_of(run.policy, "notice.places")),
            },
            decision=period.to_dict(),
        )
        notice.candidates.set(chosen)
        notice.docx_sha256 = hashlib.sha256(documents.pre_appointment_notice_docx(notice)).hexdigest()
        notice.save(update_fields=["docx_sha256"])
        for candidate in chosen:
            _set_state(candidate, Candidate.State.NOTICED)
            run.record(
                "pre_appointment_notice_published",
                {
                    "notice": notice.pk,
                    "starts_on": starts_on,
                    "ends_on": ends_on,
                    "hotline": notice.hotline,
                    "decision": period.to_dict(),
                    "docx_sha256": notice.docx_sha256,
                },
                candidate=candidate,
            )
            if run.policy.rule("disclosure.second") is not None:
                if second_disclosure is None:
                    run.refuse_by(
                        ["disclosure.second"], "任前公示时须同时进行有关事项第二次公开", candidate=candidate
                    )
                places = list(disclosure_places) or list(
                    getattr(run.policy.rule("disclosure.second"), "where", ())
                )
                _disclosure(
                    run,
                    candidate,
                    round="second",
                    starts_on=starts_on,
                    places=places,
                    matters=second_disclosure,
                    ends_on=None,
                )
    return notice


@campaign_action
def conclude_pre_appointment_notice(candidate: Candidate, *, acting_user: Any, today: date) -> Candidate:
    """Close the notice of a candidate (任前公示, step ``pre_appointment_notice``): refused while the
    period runs (``notice.period``), while the second disclosure runs, and while a complaint about
    the candidate is not verified (``eligibility.complaints``: 反映问题未查实的不任用)."""
    with recorded_action():
        run = _run(candidate.campaign, acting_user, today, RUNNER, "pre_appointment_notice")
        candidate = _candidate(run, candidate)
        procedure = check_person_step(run, candidate, "pre_appointment_notice")
        notice = candidate.notices.filter(kind=Notice.Kind.PRE_APPOINTMENT).order_by("-id").first()
        if notice is None:
            run.refuse_by(["notice.period"], "尚未发布任前公示", candidate=candidate)
        over = run.require(
            engine.check_notice_over(run.policy, starts_on=notice.starts_on, today=today),
            candidate,
            allowed=(Outcome.PASS, Outcome.NOT_APPLICABLE),
        )
        second = candidate.disclosures.filter(round=Disclosure.Round.SECOND).first()
        if second is not None and second.ends_on >= today:
            run.refuse_by(
                ["disclosure.second"],
                f"有关事项第二次公开至 {second.ends_on.isoformat()}",
                candidate=candidate,
            )
        _require_no_complaints(run, candidate)
        entry = run.record(
            "pre_appointment_notice_concluded",
            {"notice": notice.pk, "decision": over.to_dict(), "procedure": procedure.to_dict()},
            candidate=candidate,
        )
        _mark_step(run, candidate, "pre_appointment_notice", entry)
    return candidate


@campaign_action
def appoint(
    candidate: Candidate, *, acting_user: Any, today: date, document_reference: str = ""
) -> Probation | None:
    """Appoint the candidate (任职) and update the register: the cadre's former post ends, the new
    post is held (headcount used) with ``probation_until``, the current title, rank, ``post_since``
    and ``rank_since`` change, and a rank record is added. Probation starts where the policy has
    one (``probation.period``), with a reminder date; the step ``appointment_and_probation`` is
    done at the end-of-probation assessment (at once without probation).

    Refused while a complaint is not verified (``eligibility.complaints``), beyond the approved
    headcount or into a post someone holds (``motion.within_quota``).
    """
    with recorded_action():
        run = _run(candidate.campaign, acting_user, today, RUNNER, "appointment_and_probation")
        candidate = _candidate(run, candidate)
        procedure = check_person_step(run, candidate, "appointment_and_probation")
        if candidate.state != Candidate.State.NOTICED or candidate.vacancy is None:
            run.refuse_by(["record.procedure"], f"{_name(candidate)} 不在可任职状态", candidate=candidate)
        _require_no_complaints(run, candidate)
        vacancy = candidate.vacancy
        post = vacancy.post
        holder = PostHolding.objects.filter(post=post, end__isnull=True).select_related("cadre").first()
        if holder is not None:
            run.refuse_by(["motion.within_quota"], f"{post} 现由{holder.cadre.name}担任", candidate=candidate)
        approved = register_selectors.headcount_approved(post.unit_id, vacancy.rank)
        used = register_selectors.headcount_used(post.unit_id, vacancy.rank)
        quota = run.require(
            engine.decide(
                run.policy,
                engine.cite_rule(run.policy, "motion.within_quota"),
                passed=used < approved,
                text=f"{post.unit.name}核定职数 {approved} 名，现任 {used} 名",
                subject=str(post),
                inputs={"approved": approved, "used": used},
            ),
            candidate,
        )
        cadre = Cadre.objects.select_for_update().get(pk=candidate.cadre_id)
        former = list(PostHolding.objects.filter(cadre=cadre, end__isnull=True).order_by("-start", "-id"))
        former_holding = former[0] if former else None
        probation_decision = engine.probation_end(run.policy, appointed_on=today)
        has_probation = probation_decision.outcome is Outcome.INFO
        ends_on = date.fromisoformat(probation_decision.value["ends_on"]) if has_probation else None
        PostHolding.objects.filter(pk__in=[h.pk for h in former]).update(end=today)
        holding = PostHolding.objects.create(
            cadre=cadre,
            post=post,
            organization=post.unit.name,
            title=post.title,
            rank=vacancy.rank,
            start=today,
            probation_until=ends_on,
            is_grassroots=post.unit.unit_type == "town",
            note=document_reference,
        )
        probation = None
        if has_probation:
            assert ends_on is not None
            probation = Probation.objects.create(
                candidate=candidate,
                holding=holding,
                starts_on=today,
                ends_on=ends_on,
                remind_on=date.fromisoformat(probation_decision.value["remind_on"]),
                former_rank=cadre.current_rank,
                former_rank_since=cadre.rank_since,
                former_title=cadre.current_title,
                former_post_since=cadre.post_since,
                former_holding=former_holding,
                decision=probation_decision.to_dict(),
            )
        promoted = cadre.current_rank != vacancy.rank
        cadre.current_title = f"{post.unit.name}{post.title}"
        cadre.post_since = today
        if promoted:
            cadre.current_rank = vacancy.rank
            cadre.rank_since = today
        cadre.unit = post.unit
        cadre.save(update_fields=["current_title", "post_since", "current_rank", "rank_since", "unit"])
        if promoted:
            RankRecord.objects.create(cadre=cadre, rank=vacancy.rank, reached_on=today)
        candidate.appointed_on = today
        candidate.holding = holding
        candidate.state = Candidate.State.PROBATION if has_probation else Candidate.State.APPOINTED
        candidate.save(update_fields=["appointed_on", "holding", "state"])
        entry = run.record(
            "appointed",
            {
                "post": post.pk,
                "title": cadre.current_title,
                "rank": vacancy.rank,
                "holding": holding.pk,
                "former_holding": former_holding.pk if former_holding else None,
                "document_reference": document_reference,
                "headcount": quota.to_dict(),
                "probation": probation_decision.to_dict(),
                "procedure": procedure.to_dict(),
            },
            candidate=candidate,
        )
        if not has_probation:
            _mark_step(run, candidate, "appointment_and_probation", entry)
        filled = Candidate.objects.filter(
            campaign=run.campaign,
            state__in=[
                Candidate.State.APPOINTED,
                Candidate.State.PROBATION,
                Candidate.State.CONFIRMED_IN_POST,
            ],
        ).count()
        if filled >= run.campaign.vacancies.count():
            run.campaign.status = Campaign.Status.FINISHED
            run.campaign.finished_on = today
            run.campaign.save(update_fields=["status", "finished_on"])
    return probation


@campaign_action
def send_probation_reminders(*, acting_user: Any, jurisdiction: Jurisdiction, today: date) -> list[Probation]:
    """Remind of probations whose assessment falls due (the reminder day has come): each gets a
    ``probation_reminder`` entry once."""
    check_actor(acting_user, jurisdiction, RUNNER)
    with recorded_action():
        due = list(
            Probation.objects.due(today)
            .filter(
                reminded_on__isnull=True,
                candidate__campaign__jurisdiction__path__startswith=jurisdiction.path,
            )
            .select_related("candidate__campaign__jurisdiction", "candidate__cadre")
            .select_for_update(of=("self",))
        )
        for probation in due:
            probation.reminded_on = today
            probation.save(update_fields=["reminded_on"])
            candidate = probation.candidate
            append(
                action="probation_reminder",
                actor=acting_user,
                jurisdiction_code=candidate.campaign.jurisdiction.code,
                payload={
                    "candidate": candidate.pk,
                    "ends_on": probation.ends_on,
                    "remind_on": probation.remind_on,
                },
                campaign_id=candidate.campaign_id,
                candidate_id=candidate.cadre_id,
                stage=engine.stage_of(engine.policy_of(candidate.campaign), "appointment_and_probation"),
                step="appointment_and_probation",
                candidate_name=candidate.cadre.name,
            )
    return due


@campaign_action
def assess_probation(
    candidate: Candidate, *, acting_user: Any, today: date, competent: bool, assessment: str
) -> Probation:
    """The end-of-probation assessment (试用期满考核, step ``appointment_and_probation``): confirm the
    appointment, or — not competent — cancel the trial post and restore the former rank, title and
    dates (``probation.failure``: 免去试任职务，按试任前职务层次安排工作)."""
    with recorded_action():
        run = _run(candidate.campaign, acting_user, today, DEPARTMENT, "appointment_and_probation")
        candidate = _candidate(run, candidate)
        probation = Probation.objects.select_for_update().filter(candidate=candidate).first()
        if probation is None or probation.outcome != Probation.Outcome.PENDING:
            run.refuse_by(["probation.period"], "没有待考核的试用期", candidate=candidate)
        if today < probation.remind_on:
            run.refuse_by(
                ["probation.period"],
                f"试用期 {probation.ends_on.isoformat()} 期满，{probation.remind_on.isoformat()} 起方可考核",
                candidate=candidate,
            )
        if not assessment.strip():
            run.refuse_by(["probation.period", "probation.failure"], "请填写考核情况", candidate=candidate)
        procedure = check_person_step(run, candidate, "appointment_and_probation")
        cited = engine.cite_rule(run.policy, "probation.failure", "probation.period")
        decision = engine.decide(
            run.policy,
            cited,
            passed=competent,
            text="试用期满考核合格，正式任职"
            if competent
            else "试用期满考核不胜任，免去试任职务，恢复试任前职级",
            subject=_name(candidate),
            inputs={"ends_on": probation.ends_on, "competent": competent},
        )
        probation.outcome = Probation.Outcome.CONFIRMED if competent else Probation.Outcome.FAILED
        probation.assessed_on = today
        probation.assessment = assessment.strip()
        probation.decision = decision.to_dict()
        probation.save(update_fields=["outcome", "assessed_on", "assessment", "decision"])
        restored: dict[str, Any] = {}
        if competent:
            _set_state(candidate, Candidate.State.CONFIRMED_IN_POST)
        else:
            cadre = Cadre.objects.select_for_update().get(pk=candidate.cadre_id)
            PostHolding.objects.filter(pk=probation.holding_id).update(end=today)
            trial_rank = probation.holding.rank
            if probation.former_rank and probation.former_rank != trial_rank:
                RankRecord.objects.filter(
                    cadre=cadre, rank=trial_rank, reached_on=probation.starts_on
                ).delete()
                cadre.current_rank = probation.former_rank
                cadre.rank_since = probation.former_rank_since
            cadre.current_title = probation.former_title
            cadre.post_since = probation.former_post_since
            cadre.save(update_fields=["current_rank", "rank_since", "current_title", "post_since"])
            restored = {
                "rank": cadre.current_rank,
                "rank_since": cadre.rank_since,
                "title": cadre.current_title,
                "post_since": cadre.post_since,
            }
            _stop(run, candidate, decision, "appointment_and_probation", Candidate.State.PROBATION_FAILED)
        entry = run.record(
            "probation_assessed",
            {
                "competent": competent,
                "assessment": probation.assessment,
                "decision": decision.to_dict(),
                "restored": restored or None,
                "procedure": procedure.to_dict(),
            },
            candidate=candidate,
        )
        _mark_step(run, candidate, "appointment_and_probation", entry)
    return probation


# --------------------------------------------------------------------------- used by supervision


def cancel_candidacy(candidate: Candidate, *, decision: Decision, run_actor: Any, today: date) -> None:
    """Stop a candidate whose reported problem was verified (inside the supervision action's
    transaction; ``disclosure.complaints`` / ``notice.complaints``: 取消考察对象资格或任职资格)."""
    run = Run(candidate.campaign, engine.policy_of(candidate.campaign), run_actor, today)
    candidate = _candidate(run, candidate)
    if candidate.state in (Candidate.State.STOPPED, Candidate.State.DISQUALIFIED, Candidate.State.REJECTED):
        return
    step = next(
        (s for s in _step_order(run, candidate) if s not in engine.candidate_steps_done(candidate)), ""
    )
    _stop(run, candidate, decision, step)
