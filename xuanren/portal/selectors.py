"""What the public pages read: only what a publishing action has put out (DOMAIN D1, D5).

Every page here is open to anyone, so every function answers one question first: *has this been
published?* A campaign is public once its method and steps are published (``publish_method``); a
vacancy's conditions once they are announced (``announce_vacancies``); the list of qualifying
people once the committee has settled it (``confirm_nominees``: the list put before those who
recommend); a notice once it exists (``publish_inspection_notice`` and
``publish_pre_appointment_notice`` create it at publication, from a snapshot of what was
published); a committee's counts once ``publish_vote_counts`` has run; the second round of the
personal-matters disclosure once it has started. Drafts, internal steps, talks, opinions, minutes,
positions, the recommender of a signed nomination, the first disclosure round, family members
and ID numbers are never read here at all.

"When it was published" is the time of the publishing action's full-process record entry
(:class:`Published`), the moment the signed log says it happened.

Each page's queries are fixed in number whatever the number of candidates, vacancies or
notices (STYLE §3); ``xuanren/portal/tests/test_queries.py`` holds them to it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet
from django.http import Http404

from xuanren.accounts.models import Jurisdiction
from xuanren.campaigns import engine
from xuanren.campaigns.models import (
    AnnualPlan,
    Campaign,
    Candidate,
    CandidateStep,
    CommitteeVote,
    ConclusionSignature,
    Disclosure,
    Meeting,
    MeetingMember,
    Nomination,
    Notice,
    TeamConclusion,
    Vacancy,
)
from xuanren.ledger.canonical import parse_time
from xuanren.record.models import Entry, LogHead
from xuanren.register.choices import Degree, Education, PoliticalStatus
from xuanren.register.models import Cadre, PostHolding, RewardSanction
from xuanren.rules.policy import Policy

# The actions whose entries mark a publication (their time is the page's "发布时间").
ANNUAL_PLAN_PUBLISHED = "annual_plan_published"
METHOD_PUBLISHED = "method_published"
VACANCIES_ANNOUNCED = "vacancies_announced"
NOMINEES_CONFIRMED = "nominees_confirmed"
INSPECTION_NOTICE_PUBLISHED = "inspection_notice_published"
PRE_APPOINTMENT_NOTICE_PUBLISHED = "pre_appointment_notice_published"
DISCLOSURE_STARTED = "disclosure_started"
VOTE_COUNTS_PUBLISHED = "vote_counts_published"
APPOINTED = "appointed"
PUBLISHING_ACTIONS = (
    ANNUAL_PLAN_PUBLISHED,
    METHOD_PUBLISHED,
    VACANCIES_ANNOUNCED,
    NOMINEES_CONFIRMED,
    INSPECTION_NOTICE_PUBLISHED,
    PRE_APPOINTMENT_NOTICE_PUBLISHED,
    DISCLOSURE_STARTED,
    VOTE_COUNTS_PUBLISHED,
    APPOINTED,
)

# The disclosure item answered from the register: age, party age, working age, education, CV and
# identity (三龄两历一身份, 003 开鲁县).
IDENTITY_ITEMS = "三龄两历一身份"
# The deciding meetings whose counts are published (001 一、（三）3(4)).
COMMITTEES = (Meeting.Kind.STANDING_COMMITTEE, Meeting.Kind.FULL_COMMITTEE)
# States of a candidate who was appointed by the campaign (the result).
APPOINTED_STATES = (
    Candidate.State.APPOINTED,
    Candidate.State.PROBATION,
    Candidate.State.CONFIRMED_IN_POST,
    Candidate.State.PROBATION_FAILED,
)


# --------------------------------------------------------------------------- publication times


@dataclass(frozen=True)
class Published:
    """When something was published: the time of its publishing entry in the full-process record."""

    at: datetime
    seq: int


def ledger_size() -> int:
    """The number of entries in the full-process record.

    Every change to what the portal shows is made by an action, and every action appends an entry,
    so this number moves whenever a public page may have changed: the views key their page cache
    on it.
    """
    size = LogHead.objects.values_list("size", flat=True).first()
    return int(size or 0)


def _publications(entries: QuerySet[Entry], key: str | None = None) -> dict[Any, Published]:
    """The earliest entry per ``payload[key]`` (or per entry's cadre when ``key`` is None)."""
    found: dict[Any, Published] = {}
    rows = entries.order_by("seq").values_list("seq", "time", "candidate_id", "data")
    for seq, time, cadre_id, data in rows:
        ident = cadre_id if key is None else json.loads(data).get("payload", {}).get(key)
        if ident not in found:
            found[ident] = Published(parse_time(time), seq)
    return found


def _first(times: Iterable[Published | None]) -> Published | None:
    present = [t for t in times if t is not None]
    return min(present, key=lambda t: t.seq) if present else None


def _last(times: Iterable[Published | None]) -> Published | None:
    present = [t for t in times if t is not None]
    return max(present, key=lambda t: t.seq) if present else None


# --------------------------------------------------------------------------- small formatting


def year_month(value: date | str | None) -> str:
    """``1984年5月`` from a date or a ``"1984-05"`` snapshot string."""
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        return f"{value.year}年{value.month}月"
    year, _, month = str(value).partition("-")
    return f"{year}年{int(month[:2])}月" if month[:2].isdigit() else str(value)


def _percent(value: str) -> str:
    try:
        return f"{float(Fraction(str(value))) * 100:.1f}%"
    except (ValueError, ZeroDivisionError):
        return ""


def share_text(value: str | None) -> str:
    """``100/120（83.3%）`` from a stored ``"p/q"`` share; "" when there is none."""
    if not value:
        return ""
    try:
        share = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        return str(value)
    percent = f"{float(share) * 100:.1f}%"
    return f"{value}（{percent}）"


def completed_years(start: date | None, on: date) -> int | None:
    """Whole years from ``start`` to ``on`` (age, party age, working age)."""
    if start is None:
        return None
    return on.year - start.year - ((on.month, on.day) < (start.month, start.day))


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


# --------------------------------------------------------------------------- scope


def jurisdiction_or_404(code: str) -> Jurisdiction:
    try:
        return Jurisdiction.objects.get(code=code)
    except Jurisdiction.DoesNotExist:
        raise Http404("没有这个地区") from None


def public_campaigns() -> QuerySet[Campaign]:
    """Campaigns whose method and steps have been published: the rest are drafts."""
    return Campaign.objects.filter(method_published_on__isnull=False)


def _campaign_or_404(code: str, pk: int) -> Campaign:
    campaign = (
        public_campaigns().select_related("jurisdiction").filter(pk=pk, jurisdiction__code=code).first()
    )
    if campaign is None:
        raise Http404("没有这项公开的选任工作")
    return campaign


# --------------------------------------------------------------------------- the index: /public/


@dataclass(frozen=True)
class JurisdictionLink:
    code: str
    name: str
    campaigns: int


@dataclass(frozen=True)
class IndexPage:
    jurisdictions: list[JurisdictionLink]
    updated: Published | None


def _latest(entries: QuerySet[Entry]) -> Published | None:
    row = entries.order_by("-seq").values_list("seq", "time").first()
    return Published(parse_time(row[1]), row[0]) if row else None


def index_page() -> IndexPage:
    """Jurisdictions with something published: a published annual plan or a public campaign."""
    planned = AnnualPlan.objects.filter(published_on__isnull=False).values("jurisdiction_id")
    rows = (
        Jurisdiction.objects.filter(Q(campaigns__method_published_on__isnull=False) | Q(pk__in=planned))
        .annotate(
            public=Count("campaigns", filter=Q(campaigns__method_published_on__isnull=False), distinct=True)
        )
        .order_by("path")
        .values_list("code", "name", "public")
        .distinct()
    )
    return IndexPage(
        jurisdictions=[JurisdictionLink(code, name, n) for code, name, n in rows],
        updated=_latest(Entry.objects.filter(action__in=PUBLISHING_ACTIONS)),
    )


# --------------------------------------------------------------------------- a jurisdiction's home


@dataclass(frozen=True)
class PlanLink:
    year: int
    published_on: date


@dataclass(frozen=True)
class CampaignLink:
    pk: int
    title: str
    year: int
    status: str
    method_published_on: date
    announced_on: date | None


@dataclass(frozen=True)
class NoticeLink:
    pk: int
    kind: str
    kind_label: str
    campaign_title: str
    posted_on: date
    starts_on: date
    ends_on: date | None
    names: list[str]


@dataclass(frozen=True)
class VoteLink:
    pk: int
    title: str
    campaign_title: str
    held_on: date
    published_on: date


@dataclass(frozen=True)
class HomePage:
    jurisdiction: Jurisdiction
    plans: list[PlanLink]
    campaigns: list[CampaignLink]
    notices: list[NoticeLink]
    votes: list[VoteLink]
    updated: Published | None

    @property
    def empty(self) -> bool:
        return not (self.plans or self.campaigns)


def _notice_link(notice: Notice) -> NoticeLink:
    return NoticeLink(
        pk=notice.pk,
        kind=notice.kind,
        kind_label=notice.get_kind_display(),
        campaign_title=notice.campaign.title,
        posted_on=notice.posted_on,
        starts_on=notice.starts_on,
        ends_on=notice.ends_on,
        names=[str(c.get("name", "")) for c in (notice.content or {}).get("candidates", [])],
    )


def _vote_link(meeting: Meeting) -> VoteLink:
    assert meeting.counts_published_on is not None
    return VoteLink(
        pk=meeting.pk,
        title=f"{meeting.get_kind_display()}票决情况",
        campaign_title=meeting.campaign.title,
        held_on=meeting.held_on,
        published_on=meeting.counts_published_on,
    )


def _published_meetings() -> QuerySet[Meeting]:
    return Meeting.objects.filter(kind__in=COMMITTEES, counts_published_on__isnull=False)


def home_page(code: str) -> HomePage:
    """A jurisdiction's public home: its annual plans, campaigns, notices and vote counts."""
    jurisdiction = jurisdiction_or_404(code)
    plans = AnnualPlan.objects.filter(jurisdiction=jurisdiction, published_on__isnull=False).order_by("-year")
    campaigns = public_campaigns().filter(jurisdiction=jurisdiction).order_by("-year", "-id")
    notices = (
        Notice.objects.filter(
            campaign__jurisdiction=jurisdiction, campaign__method_published_on__isnull=False
        )
        .select_related("campaign")
        .order_by("-posted_on", "-id")
    )
    meetings = (
        _published_meetings()
        .filter(campaign__jurisdiction=jurisdiction, campaign__method_published_on__isnull=False)
        .select_related("campaign")
        .order_by("-held_on", "-id")
    )
    return HomePage(
        jurisdiction=jurisdiction,
        plans=[PlanLink(p.year, p.published_on) for p in plans if p.published_on],
        campaigns=[
            CampaignLink(c.pk, c.title, c.year, c.get_status_display(), c.method_published_on, c.announced_on)
            for c in campaigns
            if c.method_published_on
        ],
        notices=[_notice_link(n) for n in notices],
        votes=[_vote_link(m) for m in meetings],
        updated=_latest(Entry.objects.filter(jurisdiction_code=code, action__in=PUBLISHING_ACTIONS)),
    )


# --------------------------------------------------------------------------- the annual plan


@dataclass(frozen=True)
class PlannedCampaign:
    title: str
    quarter: int | None
    pk: int | None  # set when the campaign itself is public


@dataclass(frozen=True)
class PlanPage:
    jurisdiction: Jurisdiction
    year: int
    note: str
    published_on: date
    published: Published | None
    campaigns: list[PlannedCampaign]

    @property
    def last_modified(self) -> datetime | None:
        return self.published.at if self.published else None


def plan_page(code: str, year: int) -> PlanPage:
    """The annual selection plan as published (001 二、): the planned campaigns by quarter, read
    from the publishing entry, so a campaign added to the plan later is not shown as published."""
    plan = (
        AnnualPlan.objects.select_related("jurisdiction")
        .filter(jurisdiction__code=code, year=year, published_on__isnull=False)
        .first()
    )
    if plan is None or plan.published_on is None:
        raise Http404("该年度选任计划尚未公布")
    rows = (
        Entry.objects.filter(jurisdiction_code=code, action=ANNUAL_PLAN_PUBLISHED)
        .order_by("-seq")
        .values_list("seq", "time", "data")
    )
    published, listed = None, []
    for seq, time, data in rows:
        payload = json.loads(data).get("payload", {})
        if payload.get("plan") == plan.pk:
            published, listed = Published(parse_time(time), seq), payload.get("campaigns", [])
            break
    ids = [c.get("campaign") for c in listed]
    public = set(
        public_campaigns().filter(pk__in=ids, jurisdiction=plan.jurisdiction).values_list("pk", flat=True)
    )
    return PlanPage(
        jurisdiction=plan.jurisdiction,
        year=plan.year,
        note=plan.note,
        published_on=plan.published_on,
        published=published,
        campaigns=[
            PlannedCampaign(
                str(c.get("title", "")),
                c.get("quarter"),
                c.get("campaign") if c.get("campaign") in public else None,
            )
            for c in listed
        ],
    )


# --------------------------------------------------------------------------- a campaign


@dataclass(frozen=True)
class VacancyRow:
    post: str
    rank: str
    min_years_in_rank: int | None
    min_education: str
    min_age: int | None
    max_age: int | None
    other_conditions: str


@dataclass(frozen=True)
class StageProgress:
    name: str
    steps: list[str]
    first: date | None
    last: date | None
    state: str  # "已完成", "进行中", "未开始"


@dataclass(frozen=True)
class AppointmentRow:
    name: str
    post: str
    appointed_on: date
    published: Published | None


@dataclass(frozen=True)
class DisclosureLink:
    pk: int
    name: str
    starts_on: date
    ends_on: date


@dataclass
class CampaignPage:
    jurisdiction: Jurisdiction
    pk: int
    title: str
    year: int
    status: str
    policy_name: str
    method: str
    method_published_on: date
    method_published: Published | None
    method_media: list[str]
    announced_on: date | None
    announced: Published | None
    announcement_media: list[str]
    nomination_opens: date | None
    nomination_closes: date | None
    vacancies: list[VacancyRow]
    stages: list[StageProgress]
    nominees_published: Published | None
    nominees_listed_on: date | None
    notices: list[NoticeLink]
    votes: list[VoteLink]
    disclosures: list[DisclosureLink]
    appointments: list[AppointmentRow]
    updated: Published | None = None


def _post_name(vacancy: Vacancy | None) -> str:
    return str(vacancy.post) if vacancy is not None else ""


def _vacancy_row(vacancy: Vacancy) -> VacancyRow:
    return VacancyRow(
        post=str(vacancy.post),
        rank=vacancy.get_rank_display(),
        min_years_in_rank=vacancy.min_years_in_rank,
        min_education=_label(Education, vacancy.min_education) if vacancy.min_education else "",
        min_age=vacancy.min_age,
        max_age=vacancy.max_age,
        other_conditions=vacancy.other_conditions,
    )


def _stages(policy: Policy, campaign: Campaign, done: Mapping[str, tuple[date, date]]) -> list[StageProgress]:
    """The procedure's stages with the dates of the first and the latest step done in each.

    Only dates: who took which step, and how the steps came out, are not public here.
    """
    views = engine.person_step_views(policy)
    order: list[str] = []
    names: dict[str, str] = {}
    steps: dict[str, list[str]] = defaultdict(list)
    for view in views:
        if view.stage_id not in names:
            order.append(view.stage_id)
            names[view.stage_id] = view.stage_name
        steps[view.stage_id].append(view.name)
    stage_of = {view.id: view.stage_id for view in views}
    spans: dict[str, list[date]] = defaultdict(list)
    for step, (first, last) in done.items():
        if step in stage_of:
            spans[stage_of[step]] += [first, last]
    started = [s for s in order if spans.get(s)]
    latest = started[-1] if started else None
    finished = campaign.status in (Campaign.Status.FINISHED, Campaign.Status.CANCELLED)
    out = []
    for stage in order:
        days = spans.get(stage, [])
        if not days:
            state = "未开始"
        elif stage == latest and not finished:
            state = "进行中"
        else:
            state = "已完成" if campaign.status != Campaign.Status.CANCELLED or stage != latest else "已终止"
        out.append(
            StageProgress(
                names[stage], steps[stage], min(days) if days else None, max(days) if days else None, state
            )
        )
    return out


def campaign_page(code: str, pk: int) -> CampaignPage:
    """A public campaign: method and steps, vacancies and conditions once announced, progress by
    stage, and links to the lists, notices, disclosures, vote counts and appointments published."""
    campaign = _campaign_or_404(code, pk)
    policy = engine.policy_of(campaign)
    vacancies = (
        list(campaign.vacancies.select_related("post__unit").order_by("sort_order", "id"))
        if campaign.announced_on
        else []
    )
    done = {
        row["step"]: (row["first"], row["last"])
        for row in CandidateStep.objects.filter(candidate__campaign=campaign)
        .values("step")
        .annotate(first=Min("done_on"), last=Max("done_on"))
    }
    notices = list(campaign.notices.select_related("campaign").order_by("posted_on", "id"))
    meetings = list(
        _published_meetings().filter(campaign=campaign).select_related("campaign").order_by("held_on", "id")
    )
    disclosures = list(
        Disclosure.objects.filter(candidate__campaign=campaign, round=Disclosure.Round.SECOND)
        .select_related("candidate__cadre")
        .order_by("starts_on", "id")
    )
    appointed = list(
        campaign.candidates.filter(state__in=APPOINTED_STATES, appointed_on__isnull=False)
        .select_related("cadre", "vacancy__post__unit")
        .order_by("appointed_on", "sort_order", "id")
    )
    entries = Entry.objects.filter(
        campaign_id=campaign.pk,
        action__in=(METHOD_PUBLISHED, VACANCIES_ANNOUNCED, NOMINEES_CONFIRMED, APPOINTED),
    ).order_by("seq")
    by_action: dict[str, list[Published]] = defaultdict(list)
    appointed_at: dict[int | None, Published] = {}
    method_media: list[str] = []
    for seq, time, action, cadre_id, data in entries.values_list(
        "seq", "time", "action", "candidate_id", "data"
    ):
        published = Published(parse_time(time), seq)
        by_action[action].append(published)
        if action == APPOINTED:
            appointed_at.setdefault(cadre_id, published)
        elif action == METHOD_PUBLISHED and not method_media:
            method_media = [str(m) for m in json.loads(data).get("payload", {}).get("media", [])]
    method_published = _first(by_action[METHOD_PUBLISHED])
    announced = _first(by_action[VACANCIES_ANNOUNCED])
    nominees = _first(by_action[NOMINEES_CONFIRMED]) if "nominee_confirmed" in done else None
    page = CampaignPage(
        jurisdiction=campaign.jurisdiction,
        pk=campaign.pk,
        title=campaign.title,
        year=campaign.year,
        status=campaign.get_status_display(),
        policy_name=policy.name,
        method=campaign.method,
        method_published_on=campaign.method_published_on or campaign.created_at.date(),
        method_published=method_published,
        method_media=method_media,
        announced_on=campaign.announced_on,
        announced=announced,
        announcement_media=list(campaign.announcement_media or []),
        nomination_opens=campaign.nomination_opens,
        nomination_closes=campaign.nomination_closes,
        vacancies=[_vacancy_row(v) for v in vacancies],
        stages=_stages(policy, campaign, done),
        nominees_published=nominees,
        nominees_listed_on=done["nominee_confirmed"][0] if "nominee_confirmed" in done else None,
        notices=[_notice_link(n) for n in notices],
        votes=[_vote_link(m) for m in meetings],
        disclosures=[
            DisclosureLink(d.pk, d.candidate.cadre.name, d.starts_on, d.ends_on) for d in disclosures
        ],
        appointments=[
            AppointmentRow(
                c.cadre.name,
                _post_name(c.vacancy),
                c.appointed_on,
                appointed_at.get(c.cadre_id),
            )
            for c in appointed
            if c.appointed_on
        ],
    )
    page.updated = _last([method_published, announced, nominees, *appointed_at.values()])
    return page


# --------------------------------------------------------------------------- the list for recommenders


@dataclass(frozen=True)
class NomineeRow:
    name: str
    gender: str
    birth: str
    education: str
    post_then: str


@dataclass(frozen=True)
class NomineeGroup:
    vacancy: str
    nominees: list[NomineeRow]


@dataclass(frozen=True)
class NomineesPage:
    jurisdiction: Jurisdiction
    campaign_pk: int
    campaign_title: str
    listed_on: date
    published: Published | None
    groups: list[NomineeGroup]

    @property
    def last_modified(self) -> datetime | None:
        return self.published.at if self.published else None


def _post_on(holdings: Sequence[PostHolding], day: date, fallback: str) -> str:
    """The post a cadre held on ``day`` (the CV as it stood then), else ``fallback``."""
    held = [h for h in holdings if h.start <= day and (h.end is None or h.end > day)]
    if not held:
        return fallback
    h = max(held, key=lambda h: (h.start, h.pk))
    return _cv_text(h)


def _cv_text(holding: PostHolding) -> str:
    org, title = holding.organization, holding.title
    return title if not org or title.startswith(org) else f"{org}{title}"


def nominees_page(code: str, pk: int) -> NomineesPage:
    """The people the committee settled as nominees (提名人选), put before those who recommend
    (000 两公开二是: 推荐时向参与推荐的干部群众公布符合职位条件的人选), grouped by vacancy, as the
    list stood when it was published: later stops and appointments do not change it."""
    campaign = _campaign_or_404(code, pk)
    listed = list(
        Candidate.objects.filter(campaign=campaign, steps__step="nominee_confirmed")
        .select_related("cadre", "vacancy__post__unit")
        .prefetch_related(Prefetch("cadre__holdings", queryset=PostHolding.objects.order_by("start", "id")))
        .annotate(listed_on=Min("steps__done_on", filter=Q(steps__step="nominee_confirmed")))
        .order_by("vacancy__sort_order", "vacancy_id", "sort_order", "id")
    )
    if not listed:
        raise Http404("提名人选名单尚未公布")
    published = _first(
        _publications(Entry.objects.filter(campaign_id=campaign.pk, action=NOMINEES_CONFIRMED)).values()
    )
    groups: dict[str, list[NomineeRow]] = {}
    for c in listed:
        cadre: Cadre = c.cadre
        day = c.listed_on  # type: ignore[attr-defined]
        groups.setdefault(str(c.vacancy.post) if c.vacancy else "未确定职位", []).append(
            NomineeRow(
                name=cadre.name,
                gender=cadre.get_gender_display(),
                birth=year_month(cadre.birth_date),
                education=_label(Education, cadre.highest_education) if cadre.highest_education else "",
                post_then=_post_on(list(cadre.holdings.all()), day, cadre.current_title),
            )
        )
    return NomineesPage(
        jurisdiction=campaign.jurisdiction,
        campaign_pk=campaign.pk,
        campaign_title=campaign.title,
        listed_on=min(c.listed_on for c in listed),  # type: ignore[attr-defined]
        published=published,
        groups=[NomineeGroup(vacancy, rows) for vacancy, rows in groups.items()],
    )


# --------------------------------------------------------------------------- notices


@dataclass(frozen=True)
class NoticeCandidate:
    """One inspection candidate as the inspection notice published them."""

    name: str
    gender: str
    birth: str
    current_post: str
    proposed_post: str


@dataclass(frozen=True)
class TeamMember:
    name: str
    unit_post: str
    leader: bool


@dataclass(frozen=True)
class CvLine:
    period: str
    text: str
    note: str = ""


@dataclass(frozen=True)
class Figure:
    """One public figure of recommendation, inspection or decision: a label and its value."""

    label: str
    value: str


@dataclass
class NoticePerson:
    """One person in a pre-appointment notice: the published particulars (the notice's snapshot),
    the CV and education as they stood on the posting day, achievements, and the public figures."""

    name: str
    gender: str
    birth: str
    age: int | None
    ethnicity: str
    native_place: str
    political_status: str
    party_joined: str
    work_start: str
    education: str
    schooling: list[str]
    current_post: str
    proposed_post: str
    cv: list[CvLine]
    achievements: list[str]
    rewards: list[str]
    figures: list[Figure]
    conclusion: str = ""
    conclusion_signed_by: list[str] = field(default_factory=list)
    exceptional: str = ""
    exceptional_approval: str = ""
    disclosure_pk: int | None = None


@dataclass
class NoticePage:
    jurisdiction: Jurisdiction
    pk: int
    kind: str
    title: str
    campaign_pk: int
    campaign_title: str
    posted_on: date
    starts_on: date
    ends_on: date | None
    hotline: str
    published: Published | None
    published_items: list[str]
    places: list[str]
    inspection_candidates: list[NoticeCandidate] = field(default_factory=list)
    team: list[TeamMember] = field(default_factory=list)
    people: list[NoticePerson] = field(default_factory=list)

    @property
    def last_modified(self) -> datetime | None:
        return self.published.at if self.published else None

    @property
    def is_inspection(self) -> bool:
        return self.kind == Notice.Kind.INSPECTION


def _cv(holdings: Iterable[PostHolding], on: date) -> list[CvLine]:
    """The CV (简历) as it stood on ``on``: periods begun by then; one still open then ends "—"."""
    lines = []
    for h in holdings:
        if h.start > on:
            continue
        end = f"{h.end.year}.{h.end.month:02d}" if h.end and h.end <= on else ""
        lines.append(CvLine(f"{h.start.year}.{h.start.month:02d}—{end}", _cv_text(h), h.note.strip()))
    return lines


def _schooling(cadre: Cadre) -> list[str]:
    """Full-time and in-service education: level, degree (none is not mentioned) and school."""
    out = []
    for kind, education, degree, school in (
        ("全日制教育", cadre.fulltime_education, cadre.fulltime_degree, cadre.fulltime_school),
        ("在职教育", cadre.inservice_education, cadre.inservice_degree, cadre.inservice_school),
    ):
        parts = [_label(Education, education) if education else "", _label(Degree, degree) if degree else ""]
        if any(parts) or school:
            out.append(f"{kind}：{'、'.join(p for p in parts if p)}{'（' + school + '）' if school else ''}")
    return out


def _figures(item: Mapping[str, Any]) -> list[Figure]:
    """The notice's public figures of recommendation, inspection and decision, in words."""
    figures = []
    if item.get("recommendation_share"):
        votes, _, voters = str(item["recommendation_share"]).partition("/")
        figures.append(
            Figure(
                "民主推荐",
                f"参加推荐 {voters} 人，得票 {votes} 票，得票率 {_percent(item['recommendation_share'])}",
            )
        )
    if item.get("evaluation"):
        figures.append(Figure("民主测评", f"认可票比例 {share_text(item['evaluation'])}"))
    if item.get("vote"):
        votes, _, members = str(item["vote"]).partition("/")
        figures.append(Figure("讨论决定", f"应到会成员 {members} 人，表决同意 {votes} 票"))
    return figures


def _notice_people(notice: Notice, policy: Policy) -> list[NoticePerson]:
    posted = notice.posted_on
    publishes_conclusions = policy.rule("inspection.conclusions_published") is not None
    candidates = {
        c.pk: c
        for c in notice.candidates.select_related("cadre", "vacancy__post__unit").prefetch_related(
            Prefetch(
                "cadre__holdings",
                queryset=PostHolding.objects.filter(start__lte=posted).order_by("start", "id"),
                to_attr="cv_holdings",
            ),
            Prefetch(
                "cadre__rewards_sanctions",
                queryset=RewardSanction.objects.filter(
                    kind=RewardSanction.Kind.REWARD, decided_on__lte=posted
                ).order_by("decided_on", "id"),
                to_attr="public_rewards",
            ),
            # The unit's report in a collective nomination states the main achievements (主要工作实绩);
            # a signed nomination's assessment is the recommender's own words and stays inside.
            Prefetch(
                "nominations",
                queryset=Nomination.objects.filter(
                    channel=Nomination.Channel.UNIT_COLLECTIVE, falsified=False
                )
                .exclude(report_achievements="")
                .order_by("id"),
                to_attr="unit_reports",
            ),
            Prefetch(
                "conclusions",
                queryset=TeamConclusion.objects.order_by("-id").prefetch_related(
                    Prefetch(
                        "signatures",
                        queryset=ConclusionSignature.objects.select_related("member").order_by("id"),
                    )
                ),
                to_attr="team_conclusions",
            ),
            Prefetch(
                "disclosures",
                queryset=Disclosure.objects.filter(round=Disclosure.Round.SECOND).order_by("id"),
                to_attr="second_round",
            ),
        )
    }
    people = []
    for item in (notice.content or {}).get("candidates", []):
        candidate = candidates.get(item.get("candidate"))
        cadre = candidate.cadre if candidate else None
        person = NoticePerson(
            name=str(item.get("name", "")),
            gender=str(item.get("gender", "")),
            birth=year_month(item.get("birth")),
            age=completed_years(cadre.birth_date, posted) if cadre else None,
            ethnicity=cadre.ethnicity if cadre else "",
            native_place=str(item.get("native_place", "")),
            political_status=str(item.get("political_status", "")),
            party_joined=year_month(cadre.party_join_date) if cadre else "",
            work_start=year_month(item.get("work_start")),
            education=str(item.get("education", "")),
            schooling=_schooling(cadre) if cadre else [],
            current_post=str(item.get("current_post", "")),
            proposed_post=str(item.get("proposed_post", "")),
            cv=_cv(getattr(cadre, "cv_holdings", []), posted) if cadre else [],
            achievements=[n.report_achievements for n in getattr(candidate, "unit_reports", [])],
            rewards=[
                f"{r.decided_on.year}年{r.decided_on.month}月 {r.description}"
                + (f"（{r.authority}）" if r.authority else "")
                for r in getattr(cadre, "public_rewards", [])
            ],
            figures=_figures(item),
            exceptional=str(item.get("exceptional") or ""),
        )
        if candidate is not None:
            if item.get("exceptional") and candidate.exceptional_authority:
                day = candidate.exceptional_approved_on
                person.exceptional_approval = candidate.exceptional_authority + (
                    f" {day.year}年{day.month}月{day.day}日批准" if day else ""
                )
            conclusions = getattr(candidate, "team_conclusions", [])
            if publishes_conclusions and conclusions:
                person.conclusion = conclusions[0].text
                person.conclusion_signed_by = [s.member.name for s in conclusions[0].signatures.all()]
            second = getattr(candidate, "second_round", [])
            person.disclosure_pk = second[0].pk if second else None
        people.append(person)
    return people


def notice_page(code: str, pk: int) -> NoticePage:
    """An inspection notice (考察预告: candidates, time, team, hotline) or a pre-appointment notice
    (任前公示: particulars, CV, education, achievements, the public figures of recommendation,
    inspection and decision, reasons for an exceptional promotion), as published."""
    notice = (
        Notice.objects.select_related("campaign__jurisdiction")
        .filter(pk=pk, campaign__jurisdiction__code=code, campaign__method_published_on__isnull=False)
        .first()
    )
    if notice is None:
        raise Http404("没有这份公告")
    campaign = notice.campaign
    content = notice.content or {}
    action = (
        INSPECTION_NOTICE_PUBLISHED
        if notice.kind == Notice.Kind.INSPECTION
        else PRE_APPOINTMENT_NOTICE_PUBLISHED
    )
    published = _publications(Entry.objects.filter(campaign_id=campaign.pk, action=action), "notice").get(
        notice.pk
    )
    page = NoticePage(
        jurisdiction=campaign.jurisdiction,
        pk=notice.pk,
        kind=notice.kind,
        title=campaign.jurisdiction.name
        + ("干部考察预告" if notice.kind == Notice.Kind.INSPECTION else "干部任前公示"),
        campaign_pk=campaign.pk,
        campaign_title=campaign.title,
        posted_on=notice.posted_on,
        starts_on=notice.starts_on,
        ends_on=notice.ends_on,
        hotline=notice.hotline or str(content.get("hotline", "")),
        published=published,
        published_items=[str(i) for i in content.get("published", [])],
        places=[str(i) for i in content.get("places", [])],
    )
    if notice.kind == Notice.Kind.INSPECTION:
        page.inspection_candidates = [
            NoticeCandidate(
                str(c.get("name", "")),
                str(c.get("gender", "")),
                year_month(c.get("birth")),
                str(c.get("current_post", "")),
                str(c.get("proposed_post", "")),
            )
            for c in content.get("candidates", [])
        ]
        page.team = [
            TeamMember(str(m.get("name", "")), str(m.get("unit_post", "")), bool(m.get("leader")))
            for m in content.get("team", [])
        ]
    else:
        page.people = _notice_people(notice, engine.policy_of(campaign))
    return page


# --------------------------------------------------------------------------- the second disclosure


@dataclass(frozen=True)
class DisclosurePage:
    jurisdiction: Jurisdiction
    pk: int
    campaign_pk: int
    campaign_title: str
    name: str
    proposed_post: str
    starts_on: date
    ends_on: date
    places: list[str]
    items: list[str]
    facts: list[Figure]
    matters: list[Figure]
    cv: list[CvLine]
    notice_pk: int | None
    published: Published | None

    @property
    def last_modified(self) -> datetime | None:
        return self.published.at if self.published else None


def disclosure_page(code: str, pk: int) -> DisclosurePage:
    """The second round of the personal-matters disclosure (有关事项第二次公开, 003 开鲁县): after
    the decision, on television and the web, the items the policy names for it (age, CV, marriage,
    real estate, annual income). The first round is posted in the unit and the place of residence
    only, so it has no page here."""
    disclosure = (
        Disclosure.objects.select_related(
            "candidate__cadre", "candidate__vacancy__post__unit", "candidate__campaign__jurisdiction"
        )
        .filter(
            pk=pk,
            round=Disclosure.Round.SECOND,
            candidate__campaign__jurisdiction__code=code,
            candidate__campaign__method_published_on__isnull=False,
        )
        .first()
    )
    if disclosure is None:
        raise Http404("没有这项公开")
    candidate = disclosure.candidate
    campaign, cadre = candidate.campaign, candidate.cadre
    policy = engine.policy_of(campaign)
    rule = policy.rule("disclosure.second")
    items = [str(i) for i in getattr(rule, "items", ())] or [str(i) for i in disclosure.items]
    # ``Disclosure.items`` names the items disclosed; where it maps each item to what was declared,
    # the second round's own items are shown with their content (never the first round's others).
    declared = disclosure.items if isinstance(disclosure.items, dict) else {}
    matters = [Figure(item, str(declared.get(item, ""))) for item in items if item != IDENTITY_ITEMS]
    holdings = list(
        PostHolding.objects.filter(cadre=cadre, start__lte=disclosure.starts_on).order_by("start", "id")
    )
    on = disclosure.starts_on
    facts = [
        Figure("年龄", f"{completed_years(cadre.birth_date, on)} 岁（{year_month(cadre.birth_date)}出生）"),
        Figure("政治面貌", _label(PoliticalStatus, cadre.political_status)),
    ]
    if cadre.party_join_date:
        facts.append(
            Figure(
                "党龄",
                f"{completed_years(cadre.party_join_date, on)} 年（{year_month(cadre.party_join_date)}入党）",
            )
        )
    facts.append(
        Figure(
            "工龄",
            f"{completed_years(cadre.work_start_date, on)} 年（{year_month(cadre.work_start_date)}参加工作）",
        )
    )
    if cadre.highest_education:
        facts.append(Figure("学历", _label(Education, cadre.highest_education)))
    notice = (
        candidate.notices.filter(kind=Notice.Kind.PRE_APPOINTMENT)
        .order_by("-id")
        .values_list("pk", flat=True)
        .first()
    )
    published = _publications(
        Entry.objects.filter(campaign_id=campaign.pk, action=DISCLOSURE_STARTED), "disclosure"
    ).get(disclosure.pk)
    return DisclosurePage(
        jurisdiction=campaign.jurisdiction,
        pk=disclosure.pk,
        campaign_pk=campaign.pk,
        campaign_title=campaign.title,
        name=cadre.name,
        proposed_post=_post_name(candidate.vacancy),
        starts_on=disclosure.starts_on,
        ends_on=disclosure.ends_on,
        places=[str(p) for p in disclosure.places],
        items=items,
        facts=facts,
        matters=matters,
        cv=_cv(holdings, on),
        notice_pk=notice,
        published=published,
    )


# --------------------------------------------------------------------------- vote counts


@dataclass(frozen=True)
class VoteRow:
    name: str
    proposed_post: str
    members: int
    present: int
    in_favour: int
    against: int
    abstain: int
    passed: bool


@dataclass(frozen=True)
class VotePage:
    jurisdiction: Jurisdiction
    pk: int
    title: str
    campaign_pk: int
    campaign_title: str
    held_on: date
    published_on: date
    published: Published | None
    voters: list[str]
    rows: list[VoteRow]

    @property
    def last_modified(self) -> datetime | None:
        return self.published.at if self.published else None


def vote_page(code: str, pk: int) -> VotePage:
    """Who voted and the counts of a standing or full committee (参加票决的常委名单、表决票数情况,
    001 一、（三）3(4)), once published. Nothing else of the ballot: no one's vote, no positions,
    no minutes."""
    meeting = (
        _published_meetings()
        .select_related("campaign__jurisdiction")
        .filter(pk=pk, campaign__jurisdiction__code=code, campaign__method_published_on__isnull=False)
        .first()
    )
    if meeting is None or meeting.counts_published_on is None:
        raise Http404("没有公开的表决情况")
    campaign = meeting.campaign
    voters = list(
        MeetingMember.objects.filter(meeting=meeting, present=True)
        .exclude(role=MeetingMember.Role.OBSERVER)
        .order_by("sort_order", "id")
        .values_list("name", flat=True)
    )
    votes = CommitteeVote.objects.filter(meeting=meeting).select_related(
        "candidate__cadre", "candidate__vacancy__post__unit", "vacancy__post__unit"
    )
    published = _publications(
        Entry.objects.filter(campaign_id=campaign.pk, action=VOTE_COUNTS_PUBLISHED), "meeting"
    ).get(meeting.pk)
    return VotePage(
        jurisdiction=campaign.jurisdiction,
        pk=meeting.pk,
        title=f"{campaign.jurisdiction.name}委{meeting.get_kind_display()}票决情况",
        campaign_pk=campaign.pk,
        campaign_title=campaign.title,
        held_on=meeting.held_on,
        published_on=meeting.counts_published_on,
        published=published,
        voters=[str(v) for v in voters],
        rows=[
            VoteRow(
                name=v.candidate.cadre.name,
                proposed_post=_post_name(v.vacancy or v.candidate.vacancy),
                members=v.members,
                present=v.present,
                in_favour=v.in_favour,
                against=v.against,
                abstain=v.abstain,
                passed=v.passed,
            )
            for v in votes.order_by("candidate__vacancy__sort_order", "candidate__sort_order", "id")
        ],
    )
