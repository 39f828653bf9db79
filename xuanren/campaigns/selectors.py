"""What the campaign pages read, scoped by jurisdiction, with a fixed number of queries.

Each page's data is built here (STYLE §3): the querysets decide their ``select_related`` and
``prefetch_related`` so that a campaign with 60 candidates runs the same queries as one with 6;
the timeline itself is computed in Python from the rows fetched (``timeline.py``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from xuanren.accounts.scoping import get_visible_or_404
from xuanren.campaigns import engine
from xuanren.campaigns.actions import METHOD_STEP, METHOD_STEP_NAME
from xuanren.campaigns.models import (
    AnnualPlan,
    Campaign,
    CampaignStep,
    Candidate,
    CandidateStep,
    Disclosure,
    InspectionTeam,
    InspectionTeamMember,
    Meeting,
    MeetingMember,
    Nomination,
    Notice,
    Probation,
    Vacancy,
)
from xuanren.campaigns.timeline import (
    Block,
    Deadline,
    ExtraStep,
    PersonTimeline,
    State,
    TimelineStep,
    campaign_timeline,
    person_timeline,
)
from xuanren.rules import deadlines
from xuanren.rules.calendar import CalendarDataMissing, Schedules
from xuanren.rules.decision import Outcome
from xuanren.rules.policy import Policy
from xuanren.rules.procedure import StepView, person_steps

# --------------------------------------------------------------------------- small helpers


def policy_url(campaign: Campaign) -> str:
    """The pinned policy's own page (the policies app), or "" where it is not installed."""
    try:
        return reverse("policies:detail", args=[campaign.policy_id, campaign.policy_version])
    except NoReverseMatch:
        return ""


def record_url(name: str, *args: int) -> str:
    try:
        return reverse(f"record:{name}", args=args)
    except NoReverseMatch:
        return ""


def load_policy(campaign: Campaign) -> Policy:
    """The campaign's pinned policy, verified; a page cannot run without it."""
    return engine.policy_of(campaign)


class PolicyCache:
    """Each pinned policy loaded and verified once per page, however many campaigns pin it."""

    def __init__(self) -> None:
        self._loaded: dict[tuple[str, int, str], Policy] = {}

    def __call__(self, campaign: Campaign) -> Policy:
        key = (campaign.policy_id, campaign.policy_version, campaign.policy_sha256)
        if key not in self._loaded:
            self._loaded[key] = load_policy(campaign)
        return self._loaded[key]


# The campaign step the core adds before the announcement: the method and steps are published first.
METHOD = (ExtraStep(METHOD_STEP, METHOD_STEP_NAME, after="motion_plan"),)


def _refusal_text(payload: Mapping[str, Any]) -> tuple[str, str, str]:
    """(step, rule id, reason) of a ``step_refused`` entry's payload."""
    step = str(payload.get("step") or "")
    rule = str(payload.get("rule_id") or payload.get("rule") or "")
    reason = str(payload.get("reason") or payload.get("message") or "")
    return step, rule, reason


# --------------------------------------------------------------------------- campaign list


@dataclass(frozen=True)
class CampaignRow:
    campaign: Campaign
    vacancies: list[Vacancy]
    states: list[tuple[str, int]]  # (state label, count), in procedure order
    candidates: int
    steps: tuple[TimelineStep, ...]
    policy_name: str = ""

    @property
    def current(self) -> TimelineStep | None:
        return next((s for s in self.steps if s.state is State.CURRENT), None)


def campaigns_visible_to(user: Any) -> QuerySet[Campaign]:
    return Campaign.objects.visible_to(user)


def campaign_rows(user: Any, *, year: int | None = None) -> list[CampaignRow]:
    """Every campaign the user may see, with posts, counts by state and the campaign steps.

    Four queries whatever the number of campaigns or candidates: campaigns, their steps, their
    vacancies with posts, and candidate counts by state (one GROUP BY).
    """
    qs = campaigns_visible_to(user).select_related("jurisdiction", "annual_plan")
    if year is not None:
        qs = qs.filter(year=year)
    qs = qs.prefetch_related(  # type: ignore[type-var]
        Prefetch("steps", queryset=CampaignStep.objects.order_by("id")),
        Prefetch("vacancies", queryset=Vacancy.objects.select_related("post__unit")),
    )
    campaigns = list(qs)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    if campaigns:
        for row in (
            Candidate.objects.filter(campaign__in=[c.pk for c in campaigns])
            .values("campaign_id", "state")
            .annotate(n=Count("id"))
        ):
            counts[row["campaign_id"]][row["state"]] = row["n"]
    order = {value: i for i, value in enumerate(Candidate.State.values)}
    labels = dict(Candidate.State.choices)
    rows = []
    policy_of = PolicyCache()
    for campaign in campaigns:
        policy = policy_of(campaign)
        done = {s.step: s.done_on for s in campaign.steps.all()}
        by_state = counts.get(campaign.pk, {})
        rows.append(
            CampaignRow(
                campaign=campaign,
                vacancies=list(campaign.vacancies.all()),
                states=[
                    (labels[s], n) for s, n in sorted(by_state.items(), key=lambda kv: order.get(kv[0], 99))
                ],
                candidates=sum(by_state.values()),
                steps=campaign_timeline(policy, done, extra=METHOD),
                policy_name=policy.name,
            )
        )
    return rows


@dataclass(frozen=True)
class PlanView:
    plan: AnnualPlan | None
    year: int
    campaigns: list[CampaignRow]


def annual_plans(user: Any, rows: Sequence[CampaignRow]) -> list[PlanView]:
    """The annual selection plans (001 二、): each year's planned campaigns, newest year first."""
    plans = {p.year: p for p in AnnualPlan.objects.visible_to(user).select_related("jurisdiction")}
    years = sorted({r.campaign.year for r in rows} | set(plans), reverse=True)
    return [
        PlanView(plans.get(year), year, [r for r in rows if r.campaign.year == year and r.campaign.planned])
        for year in years
    ]


# --------------------------------------------------------------------------- the campaign page


@dataclass(frozen=True)
class CandidateRow:
    candidate: Candidate
    timeline: PersonTimeline
    open_complaints: int = 0

    @property
    def cells(self) -> tuple[TimelineStep, ...]:
        return self.timeline.steps


@dataclass(frozen=True)
class StageHead:
    id: str
    name: str
    steps: tuple[StepView, ...]


@dataclass(frozen=True)
class OpenStep:
    """A step some candidates are at now: who acts, the earliest deadline, what blocks them."""

    step: TimelineStep
    candidates: list[Candidate]
    deadline: Deadline | None
    blocks: list[tuple[Candidate | None, Block]]


@dataclass(frozen=True)
class Refusal:
    seq: int
    time: str
    step: str
    step_name: str
    rule_id: str
    reason: str
    cadre_id: int | None  # the record names a candidate by the cadre's id
    actor: str


@dataclass
class CampaignPage:
    campaign: Campaign
    policy: Policy
    policy_url: str
    today: date
    steps: tuple[TimelineStep, ...]
    vacancies: list[Vacancy]
    candidates: list[CandidateRow]
    stage_heads: list[StageHead]
    open_steps: list[OpenStep]
    meetings: Sequence[Meeting]
    notices: list[Notice]
    teams: list[InspectionTeam]
    refusals: list[Refusal]
    polls: list[Any]
    open_complaints: int
    nominations: dict[str, int] = field(default_factory=dict)

    @property
    def current_campaign_step(self) -> TimelineStep | None:
        return next((s for s in self.steps if s.state is State.CURRENT), None)

    @property
    def active_candidates(self) -> list[CandidateRow]:
        return [r for r in self.candidates if r.candidate.active]

    @property
    def stopped(self) -> list[CandidateRow]:
        return [r for r in self.candidates if not r.candidate.active]


def campaign_for(user: Any, pk: int) -> Campaign:
    return get_visible_or_404(  # type: ignore[no-any-return]
        Campaign.objects.select_related("jurisdiction", "annual_plan", "created_by"), user, pk=pk
    )


def _refusals(campaign: Campaign, policy: Policy, limit: int = 50) -> list[Refusal]:
    from xuanren.record.models import Entry

    names = {v.id: v.name for v in (*engine.campaign_step_views(policy), *person_steps(policy))}
    refusals = []
    for entry in Entry.objects.filter(campaign_id=campaign.pk, action="step_refused").order_by("-seq")[
        :limit
    ]:
        step, rule, reason = _refusal_text(entry.payload)
        step = step or (entry.step or "")
        refusals.append(
            Refusal(
                seq=entry.seq,
                time=entry.time,
                step=step,
                step_name=names.get(step, step),
                rule_id=rule,
                reason=reason,
                cadre_id=entry.candidate_id,
                actor=entry.actor_name,
            )
        )
    return refusals


def _polls(campaign: Campaign) -> list[Any]:
    from xuanren.ballots.selectors import polls_for_campaign

    return list(polls_for_campaign(campaign.pk))


def _deadline_from(decision: Any, what: str) -> Deadline | None:
    if decision.outcome is Outcome.NOT_APPLICABLE or not decision.value:
        return None
    return Deadline(date.fromisoformat(str(decision.value)), what, decision.rule_id, decision.explanation)


def candidate_deadlines(
    policy: Policy,
    campaign: Campaign,
    candidate: Candidate,
    *,
    team: InspectionTeam | None,
    notices: Sequence[Notice],
    disclosures: Sequence[Disclosure],
    probation: Probation | None,
    schedules: Schedules,
) -> dict[str, Deadline]:
    """By when each of a candidate's steps must happen, from the policy's period rules.

    ``schedules`` are the administrator-entered holiday schedules, read once per page (the
    calendar helpers of ``xuanren.policies.calendar`` would read them once per call).
    """
    out: dict[str, Deadline] = {}
    day = timedelta(days=1)
    if campaign.nomination_closes:
        out["nominated"] = Deadline(campaign.nomination_closes, "推荐提名截止")
        out["qualification_review"] = Deadline(campaign.nomination_closes + day, "可进行资格审核", after=True)
    if team is not None:
        try:
            latest = _deadline_from(
                deadlines.inspection_notice_deadline(
                    policy, inspection_starts=team.starts_on, schedules=schedules
                ),
                "考察预告最迟发布",
            )
        except CalendarDataMissing as missing:
            latest = Deadline(
                team.starts_on, f"考察开始（{missing.year} 年节假日安排未录入，无法推算预告期限）"
            )
        if latest is not None:
            out["inspection_notice"] = latest
        out["inspection_conducted"] = Deadline(team.starts_on, "实施考察", after=True)
    if candidate.appeal_deadline:
        out["inspection_review"] = Deadline(
            candidate.appeal_deadline + day,
            "可以会审（申诉期满）",
            policy.rule_id("inspection.appeal"),
            after=True,
        )
    first = next((d for d in disclosures if d.round == Disclosure.Round.FIRST), None)
    if first is not None:
        out["standing_committee_vote"] = Deadline(
            first.ends_on + day,
            "可以讨论决定（有关事项第一次公开期满）",
            policy.rule_id("disclosure.first"),
            after=True,
        )
    notice = next((n for n in notices if n.kind == Notice.Kind.PRE_APPOINTMENT and n.ends_on), None)
    if notice is not None and notice.ends_on:
        out["pre_appointment_notice"] = Deadline(
            notice.ends_on + day, "可以办理任职（任前公示期满）", policy.rule_id("notice.period"), after=True
        )
    if probation is not None:
        out["appointment_and_probation"] = Deadline(
            probation.remind_on,
            f"进行试用期满考核（{probation.ends_on.year}年{probation.ends_on.month}月{probation.ends_on.day}日期满）",
            policy.rule_id("probation.period"),
            after=True,
        )
    return out


def campaign_page(user: Any, campaign: Campaign, today: date) -> CampaignPage:
    """Everything the campaign page shows, in a constant number of queries."""
    policy = load_policy(campaign)
    campaign_done = {s.step: s.done_on for s in campaign.steps.order_by("id")}
    vacancies = list(campaign.vacancies.select_related("post__unit"))
    vacancy_by_id = {v.pk: v for v in vacancies}
    candidates = list(
        campaign.candidates.select_related("cadre", "cadre__unit", "inspection_team").order_by(
            "sort_order", "id"
        )
    )
    for candidate in candidates:  # share the vacancy objects instead of joining them per row
        if candidate.vacancy_id:
            candidate.vacancy = vacancy_by_id.get(candidate.vacancy_id)
    steps_by_candidate: dict[int, dict[str, date]] = defaultdict(dict)
    for candidate_id, step, done_on in CandidateStep.objects.filter(candidate__campaign=campaign).values_list(
        "candidate_id", "step", "done_on"
    ):
        steps_by_candidate[candidate_id][step] = done_on
    teams = list(
        campaign.inspection_teams.prefetch_related(
            Prefetch("members", queryset=InspectionTeamMember.objects.select_related("user"))  # type: ignore[arg-type]
        )
    )
    team_by_id = {t.pk: t for t in teams}
    notices = list(campaign.notices.prefetch_related("candidates"))
    notices_by_candidate: dict[int, list[Notice]] = defaultdict(list)
    for notice in notices:
        for c in notice.candidates.all():
            notices_by_candidate[c.pk].append(notice)
    disclosures: dict[int, list[Disclosure]] = defaultdict(list)
    for d in Disclosure.objects.filter(candidate__campaign=campaign):
        disclosures[d.candidate_id].append(d)
    probations = {p.candidate_id: p for p in Probation.objects.filter(candidate__campaign=campaign)}
    complaints = _open_complaints(campaign)
    refusals = _refusals(campaign, policy)
    schedules = engine.schedules()

    views_by_kind: dict[str, tuple[StepView, ...]] = {}
    rows = []
    for candidate in candidates:
        kind = candidate.post_kind
        if kind not in views_by_kind:
            views_by_kind[kind] = person_steps(policy, post_kind=kind)
        done = steps_by_candidate.get(candidate.pk, {})
        blocks = _blocks_for(candidate.cadre_id, done, refusals)
        n_complaints = complaints.get(candidate.cadre_id, 0)
        if n_complaints:
            _complaint_blocks(policy, blocks, n_complaints)
        stopped = (
            Block(candidate.stopped_rule, candidate.stopped_reason or candidate.get_state_display())
            if not candidate.active
            else None
        )
        timeline = person_timeline(
            policy,
            done,
            post_kind=kind,
            stopped=stopped,
            deadlines=candidate_deadlines(
                policy,
                campaign,
                candidate,
                team=team_by_id.get(candidate.inspection_team_id) if candidate.inspection_team_id else None,
                notices=notices_by_candidate.get(candidate.pk, ()),
                disclosures=disclosures.get(candidate.pk, ()),
                probation=probations.get(candidate.pk),
                schedules=schedules,
            ),
            blocks=blocks,
            views=views_by_kind[kind],
        )
        rows.append(CandidateRow(candidate, timeline, n_complaints))

    campaign_blocks = _blocks_for(None, campaign_done, refusals)
    campaign_deadlines: dict[str, Deadline] = {}
    steps = campaign_timeline(
        policy, campaign_done, extra=METHOD, deadlines=campaign_deadlines, blocks=campaign_blocks
    )
    heads = _stage_heads(person_steps(policy, post_kind=_widest_kind(vacancies)))
    nominations = dict(
        Nomination.objects.filter(campaign=campaign).values_list("channel").annotate(n=Count("id")).order_by()
    )
    meetings = list(
        campaign.meetings.annotate(
            n_members=Count("members", distinct=True),
            n_present=Count("members", filter=Q(members__present=True), distinct=True),
            n_candidates=Count("candidates", distinct=True),
        ).order_by("held_on", "id")
    )
    return CampaignPage(
        campaign=campaign,
        policy=policy,
        policy_url=policy_url(campaign),
        today=today,
        steps=steps,
        vacancies=vacancies,
        candidates=rows,
        stage_heads=heads,
        open_steps=_open_steps(rows),
        meetings=meetings,
        notices=notices,
        teams=teams,
        refusals=refusals,
        polls=_polls(campaign),
        open_complaints=sum(complaints.values()),
        nominations=nominations,
    )


def _widest_kind(vacancies: Iterable[Vacancy]) -> str:
    """A post kind that shows every step (the grid header covers town heads' full-committee vote)."""
    return next((v.post_kind for v in vacancies if v.post_kind), "")


def _stage_heads(views: Sequence[StepView]) -> list[StageHead]:
    heads: list[StageHead] = []
    for view in views:
        if not heads or heads[-1].id != view.stage_id:
            heads.append(StageHead(view.stage_id, view.stage_name, ()))
        last = heads[-1]
        heads[-1] = StageHead(last.id, last.name, (*last.steps, view))
    return heads


def _blocks_for(
    cadre_id: int | None, done: Mapping[str, Any], refusals: Sequence[Refusal]
) -> dict[str, Block]:
    """The latest refusal of each step not yet done (refusals come newest first)."""
    blocks: dict[str, Block] = {}
    for r in refusals:
        if r.cadre_id == cadre_id and r.step and r.step not in done and r.step not in blocks:
            blocks[r.step] = Block(r.rule_id, r.reason)
    return blocks


def _complaint_blocks(policy: Policy, blocks: dict[str, Block], count: int) -> None:
    """An unverified complaint holds the end of the notice and the appointment (000 三、:
    反映问题未查实的不任用), under the rule the actions cite."""
    rule = engine.cite_rule(policy, "eligibility.complaints", "notice.complaints", "disclosure.complaints")
    message = f"有 {count} 件信访举报尚未核查办结，反映问题未查实的不任用"
    for step in ("pre_appointment_notice", "appointment_and_probation"):
        blocks.setdefault(step, Block(rule.rule_id, message))


def _open_complaints(campaign: Campaign) -> dict[int, int]:
    """Unverified complaints per cadre among the campaign's candidates (one query)."""
    from xuanren.supervision.models import Complaint

    rows = (
        Complaint.objects.unverified()
        .filter(cadre__candidacies__campaign=campaign)
        .values("cadre_id")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    )
    return {r["cadre_id"]: r["n"] for r in rows}


def _open_steps(rows: Sequence[CandidateRow]) -> list[OpenStep]:
    grouped: dict[str, list[tuple[CandidateRow, TimelineStep]]] = {}
    for row in rows:
        current = row.timeline.current
        if current is not None:
            grouped.setdefault(current.id, []).append((row, current))
    out = []
    for pairs in sorted(grouped.values(), key=lambda p: p[0][1].number):
        step = pairs[0][1]
        deadlines = [s.deadline for _, s in pairs if s.deadline is not None]
        out.append(
            OpenStep(
                step=step,
                candidates=[r.candidate for r, _ in pairs],
                deadline=min(deadlines, key=lambda d: d.day) if deadlines else None,
                blocks=[(r.candidate, s.block) for r, s in pairs if s.block is not None],
            )
        )
    return out


# --------------------------------------------------------------------------- one candidate


@dataclass
class CandidatePage:
    campaign: Campaign
    candidate: Candidate
    policy: Policy
    timeline: PersonTimeline
    nominations: list[Nomination]
    talks: list[Any]
    talk_groups: list[tuple[str, int]]
    inspection_records: list[Any]
    conclusions: list[Any]
    appeals: list[Any]
    opinions: list[Any]
    disclosures: list[Disclosure]
    positions: list[Any]
    votes: list[Any]
    scores: list[Any]
    notices: list[Notice]
    probation: Probation | None
    complaints: list[Any]
    entries: list[Any]
    record_form_url: str
    step_names: dict[str, str] = field(default_factory=dict)
    procedure_form: Any = None


def candidate_for(user: Any, campaign: Campaign, pk: int) -> Candidate:
    try:
        return (  # type: ignore[no-any-return]
            Candidate.objects.visible_to(user)
            .select_related("cadre", "cadre__unit", "vacancy__post__unit", "inspection_team", "holding")
            .get(pk=pk, campaign=campaign)
        )
    except Candidate.DoesNotExist as exc:
        raise Http404 from exc


def candidate_page(user: Any, campaign: Campaign, candidate: Candidate, today: date) -> CandidatePage:
    from xuanren.record.models import Entry
    from xuanren.supervision.models import Complaint

    policy = load_policy(campaign)
    done = {s.step: s.done_on for s in candidate.steps.all()}
    notices = list(candidate.notices.all())
    disclosures = list(candidate.disclosures.all())
    probation = Probation.objects.filter(candidate=candidate).first()
    complaints = list(Complaint.objects.filter(cadre_id=candidate.cadre_id).order_by("-received_on"))
    # Entries name a candidate by the cadre's id (see actions.py).
    entries = list(
        Entry.objects.filter(campaign_id=campaign.pk, candidate_id=candidate.cadre_id).order_by("seq")
    )
    refusals = [
        Refusal(e.seq, e.time, *_step_rule_reason(e, policy), candidate.cadre_id, e.actor_name)
        for e in reversed(entries)
        if e.action == "step_refused"
    ]
    blocks = _blocks_for(candidate.cadre_id, done, refusals)
    unverified = [c for c in complaints if c.status != Complaint.Status.CONCLUDED]
    if unverified:
        _complaint_blocks(policy, blocks, len(unverified))
    timeline = person_timeline(
        policy,
        done,
        post_kind=candidate.post_kind,
        stopped=Block(candidate.stopped_rule, candidate.stopped_reason or candidate.get_state_display())
        if not candidate.active
        else None,
        deadlines=candidate_deadlines(
            policy,
            campaign,
            candidate,
            team=candidate.inspection_team,
            notices=notices,
            disclosures=disclosures,
            probation=probation,
            schedules=engine.schedules(),
        ),
        blocks=blocks,
    )
    talks = list(candidate.talks.select_related("interviewer"))
    groups = engine.must_talk_groups(policy)
    counted = {g: 0 for g in groups}
    for talk in talks:
        counted[talk.group] = counted.get(talk.group, 0) + 1
    return CandidatePage(
        campaign=campaign,
        candidate=candidate,
        policy=policy,
        timeline=timeline,
        nominations=list(candidate.nominations.select_related("unit", "vacancy__post")),
        talks=talks,
        talk_groups=list(counted.items()),
        inspection_records=list(candidate.inspection_records.all()),
        conclusions=list(
            candidate.conclusions.select_related("team").prefetch_related(
                "signatures__member", "team__members"
            )
        ),
        appeals=list(candidate.appeals.all()),
        opinions=list(candidate.opinions.all()),
        disclosures=disclosures,
        positions=list(
            candidate.positions.select_related("member", "meeting").order_by("meeting_id", "speaking_order")
        ),
        votes=list(candidate.committee_votes.select_related("meeting")),
        scores=list(candidate.recommendation_scores.select_related("recommendation")),
        notices=notices,
        probation=probation,
        complaints=complaints,
        entries=entries,
        record_form_url=record_url("record_form", campaign.pk, candidate.pk),
        step_names={v.id: v.name for v in (*engine.campaign_step_views(policy), *person_steps(policy))},
        procedure_form=candidate.procedure_forms.order_by("-id").first(),
    )


def _step_rule_reason(entry: Any, policy: Policy) -> tuple[str, str, str, str]:
    step, rule, reason = _refusal_text(entry.payload)
    step = step or (entry.step or "")
    names = {v.id: v.name for v in (*engine.campaign_step_views(policy), *person_steps(policy))}
    return step, names.get(step, step), rule, reason


# --------------------------------------------------------------------------- meetings


def meeting_for(user: Any, campaign: Campaign, pk: int) -> Meeting:
    try:
        return Meeting.objects.visible_to(user).get(pk=pk, campaign=campaign)  # type: ignore[no-any-return]
    except Meeting.DoesNotExist as exc:
        raise Http404 from exc


@dataclass
class MeetingPage:
    meeting: Meeting
    members: list[MeetingMember]
    candidates: list[Candidate]
    positions: dict[int, list[Any]]  # candidate id -> positions in speaking order
    votes: dict[int, Any]  # candidate id -> CommitteeVote
    me: MeetingMember | None


def meeting_page(user: Any, meeting: Meeting) -> MeetingPage:
    members = list(meeting.members.select_related("user").order_by("sort_order", "id"))
    candidates = list(
        meeting.candidates.select_related("cadre", "vacancy__post").order_by("sort_order", "id")
    )
    positions: dict[int, list[Any]] = defaultdict(list)
    for p in meeting.positions.select_related("member").order_by("candidate_id", "speaking_order"):
        positions[p.candidate_id].append(p)
    votes = {v.candidate_id: v for v in meeting.votes.all()}
    me = next((m for m in members if m.user_id == user.pk), None)
    return MeetingPage(meeting, members, candidates, dict(positions), votes, me)


def my_meetings(user: Any, *, limit: int = 20) -> QuerySet[Meeting]:
    """Meetings the user is a member of and that have not closed."""
    return (
        Meeting.objects.visible_to(user)
        .filter(members__user=user)
        .exclude(status=Meeting.Status.CLOSED)
        .select_related("campaign")
        .distinct()
        .order_by("held_on", "id")[:limit]
    )


# --------------------------------------------------------------------------- my work (home page)


@dataclass(frozen=True)
class WorkLine:
    campaign: Campaign
    step: TimelineStep
    candidates: list[Candidate]
    url: str


@dataclass
class Work:
    lines: list[WorkLine]
    meetings: list[Meeting]
    watching: list[CampaignRow]  # discipline and supervision: every campaign in progress, read-only
    open_complaints: int
    probations_due: list[Probation]
    refusals: int

    @property
    def empty(self) -> bool:
        return not (
            self.lines or self.meetings or self.watching or self.open_complaints or self.probations_due
        )


WATCHERS = frozenset({"discipline", "supervision_office"})


def work_for(user: Any, today: date | None = None) -> Work:
    """What waits for this user: the current steps their roles move, their meetings, and for
    discipline and supervision the campaigns under way and the complaints not yet concluded.

    A fixed number of queries: running campaigns, their steps, their candidates, the candidates'
    steps, meetings, complaints, due probations and refusals.
    """
    from django.utils import timezone

    from xuanren.record.models import Entry
    from xuanren.supervision.models import Complaint

    today = today or timezone.localdate()
    roles = set(user.role_codes) if not user.is_superuser else {"cadre_officer", *WATCHERS}
    running = list(
        campaigns_visible_to(user)
        .exclude(status__in=[Campaign.Status.FINISHED, Campaign.Status.CANCELLED])
        .select_related("jurisdiction")
        .prefetch_related(Prefetch("steps", queryset=CampaignStep.objects.order_by("id")))
    )
    by_campaign: dict[int, list[Candidate]] = defaultdict(list)
    steps_of: dict[int, dict[str, date]] = defaultdict(dict)
    if running:
        ids = [c.pk for c in running]
        for candidate in (
            Candidate.objects.filter(campaign__in=ids)
            .select_related("cadre", "vacancy")
            .order_by("campaign_id", "sort_order", "id")
        ):
            by_campaign[candidate.campaign_id].append(candidate)
        for candidate_id, step, done_on in CandidateStep.objects.filter(
            candidate__campaign__in=ids
        ).values_list("candidate_id", "step", "done_on"):
            steps_of[candidate_id][step] = done_on
    my_teams = set(
        InspectionTeamMember.objects.filter(
            user=user, team__campaign__in=[c.pk for c in running]
        ).values_list("team_id", flat=True)
    )
    lines: list[WorkLine] = []
    watching: list[CampaignRow] = []
    policy_of = PolicyCache()
    for campaign in running:
        policy = policy_of(campaign)
        url = reverse("campaigns:detail", args=[campaign.pk])
        steps = campaign_timeline(policy, {s.step: s.done_on for s in campaign.steps.all()}, extra=METHOD)
        current = next((s for s in steps if s.state is State.CURRENT), None)
        if current is not None and roles & set(current.duty.roles):
            lines.append(WorkLine(campaign, current, [], url))
        grouped: dict[str, tuple[TimelineStep, list[Candidate]]] = {}
        views: dict[str, tuple[StepView, ...]] = {}
        for candidate in by_campaign.get(campaign.pk, []):
            if not candidate.active:
                continue
            kind = candidate.post_kind
            views.setdefault(kind, person_steps(policy, post_kind=kind))
            now = person_timeline(policy, steps_of.get(candidate.pk, {}), views=views[kind]).current
            if now is None or not roles & set(now.duty.roles):
                continue
            if now.duty.roles == ("inspection_team",) and not user.is_superuser:
                # Inspectors see the candidates of their own team only.
                if candidate.inspection_team_id not in my_teams:
                    continue
            grouped.setdefault(now.id, (now, []))[1].append(candidate)
        for open_step, people in sorted(grouped.values(), key=lambda p: p[0].number):
            lines.append(WorkLine(campaign, open_step, people, url))
        if roles & WATCHERS:
            counts: dict[str, int] = defaultdict(int)
            for candidate in by_campaign.get(campaign.pk, []):
                counts[candidate.get_state_display()] += 1
            watching.append(
                CampaignRow(
                    campaign, [], sorted(counts.items()), len(by_campaign.get(campaign.pk, [])), steps
                )
            )
    complaints = Complaint.objects.visible_to(user).unverified().count() if roles & WATCHERS else 0  # type: ignore[attr-defined]
    refusals = (
        # The running campaigns are the user's already; the entries are found by campaign.
        Entry.objects.filter(action="step_refused", campaign_id__in=[c.pk for c in running]).count()
        if roles & WATCHERS
        else 0
    )
    probations = (
        list(
            Probation.objects.visible_to(user)  # type: ignore[attr-defined]
            .due(today)
            .select_related("candidate__cadre", "candidate__campaign")
            .order_by("ends_on")[:20]
        )
        if "cadre_officer" in roles
        else []
    )
    return Work(
        lines=lines,
        meetings=list(my_meetings(user)),
        watching=watching,
        open_complaints=complaints,
        probations_due=probations,
        refusals=refusals,
    )
