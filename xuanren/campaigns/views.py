"""Campaign pages: the list with the annual plan, the campaign timeline, one candidate's record,
meetings, and one form per action of ``actions.py``.

Every page fetches through the user's jurisdiction (another county's campaign is a plain 404) and
states the roles that may open it. Forms call the actions and nothing else writes; a refused
action shows the rule and its Chinese reason above the form, keeps what was typed and saves nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from xuanren.accounts.access import roles_required
from xuanren.accounts.roles import STAFF_ROLES
from xuanren.accounts.scoping import get_visible_or_404
from xuanren.campaigns import engine, forms, online, selectors
from xuanren.campaigns.errors import CampaignRefused
from xuanren.campaigns.models import OnlineNomination
from xuanren.supervision.actions import ComplaintRefused

# Who may do what (DOMAIN D0). Every staff role reads; discipline and supervision only read.
READERS = tuple(sorted(STAFF_ROLES))
RUNNERS = ("cadre_officer",)
SIGNERS = ("department_head",)
INSPECTORS = ("inspection_team",)
MEETING_MEMBERS = ("deliberation_member", "committee_member", "secretary", "department_head")
COMPLAINT_DESK = ("supervision_office", "cadre_officer")
# What a meeting's page offers first, by the meeting's state.
MEETING_NOW = {
    "convened": frozenset({"sign_in", "open"}),
    "open": frozenset({"present", "position", "vote", "postpone", "close"}),
    "closed": frozenset({"publish_counts"}),
}


def today() -> date:
    return timezone.localdate()


def _can(request: HttpRequest, roles: tuple[str, ...]) -> bool:
    user: Any = request.user
    return bool(user.is_superuser or user.has_role(*roles))


@roles_required(*READERS)
def campaign_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.campaign_rows(request.user)
    return render(
        request,
        "campaigns/campaign_list.html",
        {
            "rows": rows,
            "plans": selectors.annual_plans(request.user, rows),
            "can_run": _can(request, RUNNERS),
            "can_publish_plan": _can(request, OFFICE),
            "create_url": reverse("campaigns:create"),
        },
    )


@roles_required(*READERS)
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_for(request.user, pk)
    page = selectors.campaign_page(request.user, campaign, today())
    current = {s.id for s in page.steps if s.state.value == "current"} | {o.step.id for o in page.open_steps}
    if not page.current_campaign_step and not page.candidates:
        current.add("nominated")
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "page": page,
            "campaign": campaign,
            "can_run": _can(request, RUNNERS),
            "today": page.today,
            "actions": action_links(request, campaign, "campaign", current),
            "record_url": selectors.record_url("campaign", campaign.pk),
            "online_pending": online.pending_count(request.user, campaign)
            if _can(request, online.READERS)
            else None,
        },
    )


@roles_required(*READERS)
def candidate_detail(request: HttpRequest, pk: int, candidate_pk: int) -> HttpResponse:
    campaign = selectors.campaign_for(request.user, pk)
    candidate = selectors.candidate_for(request.user, campaign, candidate_pk)
    page = selectors.candidate_page(request.user, campaign, candidate, today())
    return render(
        request,
        "campaigns/candidate_detail.html",
        {
            "page": page,
            "campaign": campaign,
            "candidate": candidate,
            "can_run": _can(request, RUNNERS),
            "today": today(),
            "actions": action_links(
                request,
                campaign,
                "candidate",
                {page.timeline.current.id} if page.timeline.current else set(),
                state=candidate.state,
                candidate_pk=candidate.pk,
            ),
        },
    )


@roles_required(*READERS)
def meeting_detail(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    campaign = selectors.campaign_for(request.user, pk)
    meeting = selectors.meeting_for(request.user, campaign, meeting_pk)
    page = selectors.meeting_page(request.user, meeting)
    return render(
        request,
        "campaigns/meeting_detail.html",
        {
            "page": page,
            "campaign": campaign,
            "meeting": meeting,
            "can_run": _can(request, RUNNERS),
            "actions": action_links(
                request,
                campaign,
                "meeting",
                set(),
                now=MEETING_NOW.get(meeting.status, frozenset()),
                meeting_pk=meeting.pk,
            ),
        },
    )


# --------------------------------------------------------------------------- action pages


@dataclass(frozen=True)
class ActionPage:
    """One form page for one action: where it lives, who may use it, the steps it moves."""

    name: str  # URL name (campaigns:<name>) and path segment
    title: str
    form: type[forms.ActionForm]
    roles: tuple[str, ...]
    scope: str = "campaign"  # "campaign", "candidate" or "meeting"
    steps: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    intro: str = ""
    template: str = "campaigns/action_form.html"
    states: tuple[str, ...] = ()  # candidate states in which it is offered first (empty: any)

    @property
    def path(self) -> str:
        return self.name.replace("_", "-") + "/"


OFFICE = ("cadre_officer", "department_head")
DELIBERATION = ("cadre_officer", "deliberation_member", "secretary")
COMMITTEE = ("cadre_officer", "committee_member", "secretary")
INSPECTION = ("cadre_officer", "inspection_team")
MEMBERS = ("cadre_officer", "committee_member", "secretary", "deliberation_member")
VERIFIERS = ("supervision_office", "discipline")

ACTION_PAGES: tuple[ActionPage, ...] = (
    ActionPage("motion", "提出动议建议", forms.MotionForm, RUNNERS, steps=("motion_proposal",),
               rules=("motion.within_quota",), template="campaigns/motion_form.html",
               intro="列出空缺职位和任职条件。动议须在核定职数范围内；现有人员在任的职位不是空缺职位。"),
    ActionPage("direction", "书记提出方向、原则和标准", forms.DirectionForm, ("cadre_officer", "secretary"),
               steps=("motion_plan",), rules=("motion.secretary_direction_only",),
               intro="书记只提方向原则、选拔标准和选拔要求，不定具体职位、具体人选和选拔范围。"),
    ActionPage("plan", "审定动议方案", forms.MotionPlanForm, DELIBERATION, steps=("motion_plan",),
               rules=("motion.plan_agreed_by",)),
    ActionPage("method", "公开选任方式和程序步骤", forms.MethodForm, RUNNERS, steps=("method_published",),
               rules=("openness.progress_items",), intro="选任工作启动前，向社会公开选任方式和程序步骤。"),
    ActionPage("announce", "公布空缺职位和任职条件", forms.AnnounceForm, RUNNERS, steps=("vacancy_announcement",),
               rules=("openness.vacancy_items", "openness.media", "openness.standard_frozen"),
               intro="公布后，本次选任的职位、级别和任职条件不得再改变。"),
    ActionPage("conditions", "修改任职条件", forms.ConditionsForm, RUNNERS,
               rules=("openness.standard_frozen", "openness.vacancy_items"),
               intro="只能在公布前修改；公布后的修改会被拒绝并记入全程纪实。"),
    ActionPage("nominate_meeting", "干部大会推荐提名", forms.CadreMeetingNominationForm, RUNNERS,
               steps=("nominated",), rules=("nomination.channels",)),
    ActionPage("nominate_masses", "干部群众推荐提名", forms.MassesNominationForm, RUNNERS, steps=("nominated",),
               rules=("nomination.unit_participation",)),
    ActionPage("nominate_unit", "部门单位集体推荐提名", forms.UnitNominationForm, RUNNERS, steps=("nominated",),
               rules=("nomination.channels",), intro="单位党委（党组）会议研究决定，附会议记录，以正式文件上报。"),
    ActionPage("nominate_signed", "领导干部及群众署名推荐提名", forms.SignedNominationForm, RUNNERS,
               steps=("nominated",), rules=("nomination.relationship_declaration", "nomination.falsification")),
    ActionPage("nominate_self", "干部个人自荐提名", forms.SelfNominationForm, RUNNERS, steps=("nominated",),
               rules=("nomination.channels",)),
    ActionPage("review", "资格审核", forms.ReviewForm, RUNNERS, steps=("qualification_review",),
               rules=("eligibility.exceptional",)),
    ActionPage("propose", "确定提名建议人选（1:3）", forms.ProposeForm, OFFICE, steps=("nomination_proposal",),
               rules=("nomination.proposal_ratio",)),
    ActionPage("confirm", "确定提名人选（1:2）", forms.ConfirmForm, COMMITTEE, steps=("nominee_confirmed",),
               rules=("nomination.candidate_ratio",)),
    ActionPage("widen", "扩大推荐范围", forms.WidenForm, OFFICE, rules=("recommendation.widening",)),
    ActionPage("poll", "创建投票（民主推荐、测评、票决）", forms.PollSetupForm, RUNNERS,
               steps=("recommendation_held",), intro="在“投票”中生成投票码、投票、计票后，回到这里录入结果。"),
    ActionPage("recommendation", "录入民主推荐结果", forms.RecommendationForm, RUNNERS,
               steps=("recommendation_held",),
               rules=("recommendation.attendance", "recommendation.ratio", "recommendation.threshold.open",
                      "recommendation.threshold.from_list", "inspection.ratio"),
               template="campaigns/recommendation_form.html"),
    ActionPage("tie", "得票相同人选研究确定", forms.TieForm, DELIBERATION, steps=("inspection_candidates",),
               rules=("inspection.ratio",)),
    ActionPage("inspection_candidates", "确定考察对象", forms.InspectionCandidatesForm, OFFICE,
               steps=("inspection_candidates",),
               rules=("inspection.ratio", "inspection.joint_review", "recommendation.validity")),
    ActionPage("exceptional", "申报破格提拔", forms.ExceptionalForm, OFFICE, scope="candidate",
               steps=("qualification_review",), rules=("eligibility.exceptional",)),
    ActionPage("exceptional_approval", "上级组织部门同意破格提拔", forms.ExceptionalApprovalForm, OFFICE,
               scope="candidate", rules=("eligibility.exceptional",)),
    ActionPage("falsified", "弄虚作假，取消资格", forms.FalsifiedForm, RUNNERS, scope="candidate",
               rules=("nomination.falsification",)),
    ActionPage("joint_review", "考察对象资格会审", forms.JointReviewForm, ("cadre_officer", "discipline"),
               scope="candidate", steps=("inspection_candidates",), rules=("inspection.joint_review",)),
    ActionPage("direct", "直接确定为考察对象", forms.DirectInspectionForm, OFFICE, scope="candidate",
               steps=("inspection_candidates",), rules=("inspection.ratio",),
               intro="由组织推荐提名直接确定为考察对象的，须写明理由，记为重要情况。"),
    # inspection
    ActionPage("team", "组建考察组", forms.TeamForm, OFFICE, steps=("inspection_notice",),
               rules=("inspection.notice", "qualification.inspector_certificate", "inspection.team_recusal"),
               template="campaigns/team_form.html"),
    ActionPage("inspection_notice", "发布考察预告", forms.InspectionNoticeForm, RUNNERS, steps=("inspection_notice",),
               rules=("inspection.notice",), intro="预告考察对象、考察时间、考察组成员和受理反映电话，须在考察开始前规定天数发布。"),
    ActionPage("work_report", "考察对象述职", forms.WorkReportForm, INSPECTION, scope="candidate",
               steps=("inspection_conducted",), rules=("inspection.work_report",)),
    ActionPage("evaluation", "民主测评", forms.EvaluationForm, INSPECTION, scope="candidate",
               steps=("inspection_conducted",), rules=("inspection.evaluation",),
               template="campaigns/evaluation_form.html"),
    ActionPage("talk", "个别谈话", forms.TalkForm, INSPECTION, scope="candidate", steps=("inspection_conducted",),
               rules=("inspection.must_talk",), template="campaigns/talk_form.html"),
    ActionPage("procedure", "面谈、查阅档案、走访", forms.InspectionProcedureForm, INSPECTION, scope="candidate",
               steps=("inspection_conducted",), rules=("inspection.procedures",)),
    ActionPage("disclosure", "有关事项第一次公开", forms.DisclosureForm, RUNNERS, scope="candidate",
               rules=("disclosure.first", "disclosure.items", "disclosure.incomplete")),
    ActionPage("conclude_inspection", "结束考察", forms.ConcludeInspectionForm, INSPECTION, scope="candidate",
               steps=("inspection_conducted",), rules=("inspection.must_talk", "inspection.procedures"),
               intro="每一类必谈对象至少谈话一人，民主测评和规定的考察程序都已记录，方可结束考察。"),
    ActionPage("conclusion", "考察结论（考察组全体成员签名）", forms.ConclusionForm, INSPECTION, scope="candidate",
               steps=("inspection_review",), rules=("inspection.team_agreement",),
               template="campaigns/conclusion_form.html"),
    ActionPage("feedback", "反馈考察结果", forms.FeedbackForm, INSPECTION, scope="candidate",
               steps=("inspection_review",), rules=("inspection.appeal",)),
    ActionPage("appeal", "受理申诉", forms.AppealForm, RUNNERS, scope="candidate", rules=("inspection.appeal",)),
    ActionPage("appeal_decision", "处理申诉", forms.AppealDecisionForm, OFFICE, scope="candidate",
               rules=("inspection.appeal",)),
    ActionPage("review_complete", "考察结果会审", forms.ReviewCompleteForm, OFFICE, scope="candidate",
               steps=("inspection_review",), rules=("inspection.evaluation", "inspection.team_agreement", "inspection.appeal"),
               intro="测评不过半或考察组意见不统一的，不进入酝酿。"),
    # deliberation
    ActionPage("department_meeting", "组织部部务会酝酿", forms.DepartmentMeetingForm, OFFICE,
               steps=("department_meeting",), rules=("deliberation.meetings", "deliberation.ratio")),
    ActionPage("dual_managed", "双重管理干部", forms.DualManagedForm, RUNNERS, scope="candidate",
               rules=("deliberation.dual_managed",)),
    ActionPage("opinion", "征求意见", forms.OpinionForm, ("cadre_officer", "discipline"), scope="candidate",
               steps=("consultation",), rules=("deliberation.consult", "eligibility.audit_veto")),
    ActionPage("consultation", "完成征求意见", forms.ConsultationCompleteForm, RUNNERS, scope="candidate",
               steps=("consultation",), rules=("deliberation.consult", "deliberation.dual_managed")),
    ActionPage("personnel_deliberation", "人事酝酿会议酝酿", forms.PersonnelDeliberationForm, DELIBERATION,
               steps=("personnel_deliberation",), rules=("deliberation.personnel_meeting", "deliberation.ratio")),
    ActionPage("file_plan", "任免方案报上级备案", forms.FilePlanForm, OFFICE, steps=("standing_committee_vote",),
               rules=("decision.report_to_higher",)),
    # decision
    ActionPage("procedure_form", "生成人选产生程序情况表", forms.ProcedureFormGenerateForm, OFFICE, scope="candidate",
               steps=("standing_committee_vote",), rules=("decision.procedure_form",),
               intro="程序情况表由全程纪实生成。程序不完整的人选不能提交会议研究。"),
    ActionPage("procedure_sign", "程序情况表负责人签字", forms.ProcedureFormSignForm, OFFICE, scope="candidate",
               steps=("standing_committee_vote",), rules=("decision.procedure_form",)),
    ActionPage("convene", "召集常委会（全委会）", forms.ConveneForm, COMMITTEE,
               steps=("standing_committee_vote", "full_committee_vote"),
               rules=("decision.procedure_form", "decision.report_to_higher", "decision.full_committee")),
    ActionPage("sign_in", "会议签到", forms.SignInForm, MEMBERS, scope="meeting", rules=("decision.sign_in",)),
    ActionPage("open", "开始讨论", forms.OpenMeetingForm, COMMITTEE, scope="meeting", rules=("decision.quorum",)),
    ActionPage("present", "组织部门介绍人选情况", forms.PresentForm, COMMITTEE, scope="meeting",
               rules=("decision.no_preference",)),
    ActionPage("position", "表态", forms.PositionForm, MEMBERS, scope="meeting",
               rules=("decision.positions", "decision.secretary_last"), template="campaigns/position_form.html"),
    ActionPage("vote", "票决结果", forms.VoteForm, COMMITTEE, scope="meeting", rules=("decision.approval", "decision.quorum")),
    ActionPage("postpone", "缓议", forms.PostponeForm, COMMITTEE, scope="meeting", rules=("decision.divided_defers",)),
    ActionPage("close", "结束会议", forms.CloseMeetingForm, COMMITTEE, scope="meeting"),
    ActionPage("publish_counts", "公开表决情况", forms.PublishCountsForm, COMMITTEE, scope="meeting",
               rules=("decision.results_published",)),
    # notice, appointment, probation
    ActionPage("pre_notice", "任前公示", forms.PreAppointmentNoticeForm, RUNNERS, steps=("pre_appointment_notice",),
               rules=("notice.period", "notice.published", "disclosure.second")),
    ActionPage("notice_over", "任前公示期满", forms.NoticeConcludeForm, RUNNERS, scope="candidate",
               steps=("pre_appointment_notice",), rules=("notice.period", "eligibility.complaints")),
    ActionPage("appoint", "任职", forms.AppointForm, RUNNERS, scope="candidate",
               steps=("appointment_and_probation",), rules=("eligibility.complaints", "motion.within_quota", "probation.period"),
               states=("noticed",)),
    ActionPage("probation", "试用期满考核", forms.ProbationForm, OFFICE, scope="candidate",
               steps=("appointment_and_probation",), rules=("probation.period", "probation.failure"),
               states=("probation",)),
    # complaints
    ActionPage("complaint", "受理信访举报", forms.ComplaintForm, COMPLAINT_DESK, scope="candidate",
               rules=("eligibility.complaints", "notice.complaints")),
    ActionPage("verification", "开始核查", forms.VerificationForm, VERIFIERS, scope="candidate",
               rules=("disclosure.verifiers",)),
    ActionPage("complaint_conclusion", "核查办结", forms.ComplaintConclusionForm, VERIFIERS, scope="candidate",
               rules=("notice.complaints", "disclosure.complaints")),
)  # fmt: skip
PAGES = {p.name: p for p in ACTION_PAGES}


@dataclass(frozen=True)
class ActionLink:
    title: str
    url: str
    now: bool
    group: str


@dataclass(frozen=True)
class ActionGroup:
    name: str
    links: list[ActionLink]


@dataclass(frozen=True)
class ActionMenu:
    """The action pages a user may open on a page: those moving a current step, then all by stage."""

    now: list[ActionLink]
    groups: list[ActionGroup]

    def __bool__(self) -> bool:
        return bool(self.now or self.groups)

    @property
    def count(self) -> int:
        return sum(len(g.links) for g in self.groups)


def _group_of(policy: Any, page: ActionPage) -> str:
    if not page.steps:
        return "其他"
    try:
        stage = engine.stage_of(policy, page.steps[0])
    except KeyError:  # a step the core adds (publishing the method)
        return "动议和两公开"
    if stage == "campaign":
        return "动议和两公开"
    return next((v.stage_name for v in engine.person_step_views(policy) if v.stage_id == stage), "其他")


def action_links(
    request: HttpRequest,
    campaign: Any,
    scope: str,
    current: set[str],
    *,
    now: frozenset[str] = frozenset(),
    state: str = "",
    **ids: int,
) -> ActionMenu:
    """The action pages of ``scope`` this user may open; those moving a current step come first."""
    policy = selectors.load_policy(campaign)
    links = []
    for page in ACTION_PAGES:
        if page.scope != scope or not _can(request, page.roles):
            continue
        try:
            url = reverse(f"campaigns:{page.name}", kwargs={"pk": campaign.pk, **ids})
        except NoReverseMatch:
            continue
        is_now = (
            bool(current & set(page.steps)) and (not page.states or state in page.states)
        ) or page.name in now
        links.append(ActionLink(page.title, url, is_now, _group_of(policy, page)))
    groups: dict[str, list[ActionLink]] = {}
    for link in links:
        groups.setdefault(link.group, []).append(link)
    return ActionMenu(
        now=[link for link in links if link.now],
        groups=[ActionGroup(name, items) for name, items in groups.items()],
    )


def rule_notes(policy: Any, paths: tuple[str, ...]) -> list[dict[str, str]]:
    """The policy rules a form is checked against, as the page shows them beside the form."""
    notes = []
    for path in paths:
        rule = policy.rule(path)
        if rule is None:
            continue
        notes.append(
            {
                "id": policy.rule_id(path),
                "source": rule.source,
                "quote": getattr(rule, "quote", ""),
                "note": getattr(rule, "note", ""),
            }
        )
    return notes


def _action_view(page: ActionPage) -> Any:
    @roles_required(*page.roles)
    def view(
        request: HttpRequest, pk: int, candidate_pk: int | None = None, meeting_pk: int | None = None
    ) -> HttpResponse:
        campaign = selectors.campaign_for(request.user, pk)
        candidate = selectors.candidate_for(request.user, campaign, candidate_pk) if candidate_pk else None
        meeting = selectors.meeting_for(request.user, campaign, meeting_pk) if meeting_pk else None
        policy = selectors.load_policy(campaign)
        day = today()
        form = page.form(
            request.POST or None,
            request.FILES or None,
            campaign=campaign,
            policy=policy,
            user=request.user,
            candidate=candidate,
            meeting=meeting,
            today=day,
        )
        refusal: CampaignRefused | None = None
        if request.method == "POST" and form.is_valid():
            try:
                message = form.act(acting_user=request.user, today=day)
            except CampaignRefused as refused:
                refusal = refused
            except ComplaintRefused as refused:
                refusal = CampaignRefused(refused.rule, refused.message)
            except ValidationError as invalid:
                form.add_error(None, invalid)
            else:
                messages.success(request, message)
                if candidate is not None:
                    back = reverse("campaigns:candidate", args=[campaign.pk, candidate.pk])
                elif meeting is not None:
                    back = reverse("campaigns:meeting", args=[campaign.pk, meeting.pk])
                else:
                    back = reverse("campaigns:detail", args=[campaign.pk])
                return redirect(form.redirect_url() or back)
        status = 200 if refusal is None else 409
        return render(
            request,
            page.template,
            {
                "page": page,
                "form": form,
                "campaign": campaign,
                "candidate": candidate,
                "meeting": meeting,
                "policy": policy,
                "refusal": refusal,
                "rules": rule_notes(policy, page.rules),
                "today": day,
                "multipart": form.is_multipart(),
                "can_run": _can(request, RUNNERS),
                **form.page_context(),
            },
            status=status,
        )

    view.__name__ = view.__qualname__ = f"action_{page.name}"
    return view


ACTION_VIEWS = {p.name: _action_view(p) for p in ACTION_PAGES}


@roles_required(*RUNNERS)
def campaign_create(request: HttpRequest) -> HttpResponse:
    """Create a campaign pinned to a policy version (and put it on the year's plan)."""
    from xuanren.campaigns import actions
    from xuanren.campaigns.models import AnnualPlan

    user: Any = request.user
    form = forms.CampaignCreateForm(request.POST or None, today=today())
    refusal: CampaignRefused | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if user.jurisdiction is None:
                raise CampaignRefused("campaigns.access", "您的账号没有所属辖区，不能新建选任工作")
            plan = None
            if data["planned"]:
                plan = AnnualPlan.objects.filter(jurisdiction=user.jurisdiction, year=data["year"]).first()
                if plan is None:
                    plan = actions.create_annual_plan(
                        acting_user=user, jurisdiction=user.jurisdiction, year=data["year"], today=today()
                    )
            campaign = actions.create_campaign(
                acting_user=user,
                jurisdiction=user.jurisdiction,
                title=data["title"],
                year=data["year"],
                policy_ref=data["policy"],
                today=today(),
                annual_plan=plan,
                plan_quarter=data["plan_quarter"],
            )
        except CampaignRefused as refused:
            refusal = refused
        else:
            messages.success(request, "选任工作已新建：下一步提出动议建议")
            return redirect("campaigns:motion", pk=campaign.pk)
    return render(
        request,
        "campaigns/campaign_form.html",
        {"form": form, "refusal": refusal},
        status=200 if refusal is None else 409,
    )


@roles_required(*OFFICE)
def plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish a year's selection plan (the list of planned campaigns)."""
    from xuanren.campaigns import actions
    from xuanren.campaigns.models import AnnualPlan

    plan = get_visible_or_404(AnnualPlan.objects.select_related("jurisdiction"), request.user, pk=pk)
    if request.method == "POST":
        try:
            actions.publish_annual_plan(plan, acting_user=request.user, today=today())
        except CampaignRefused as refused:
            messages.error(request, f"{refused.message}（规则 {refused.rule_id}）")
        else:
            messages.success(request, f"{plan.year} 年度选拔任用工作计划已公布")
        return redirect("campaigns:list")
    campaigns = list(plan.campaigns.order_by("plan_quarter", "id"))
    return render(request, "campaigns/plan_publish.html", {"plan": plan, "campaigns": campaigns})


# --------------------------------------------------------------------------- documents (DOCX)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    response["Cache-Control"] = "no-store"
    return response


@roles_required(*READERS)
def notice_docx(request: HttpRequest, pk: int, notice_pk: int) -> HttpResponse:
    """The inspection notice or the pre-appointment notice as published (the same bytes whose
    SHA-256 the record holds)."""
    from xuanren.campaigns import documents
    from xuanren.campaigns.models import Notice

    campaign = selectors.campaign_for(request.user, pk)
    notice = get_visible_or_404(
        Notice.objects.select_related("campaign__jurisdiction"), request.user, pk=notice_pk, campaign=campaign
    )
    if notice.kind == Notice.Kind.INSPECTION:
        return _docx(documents.inspection_notice_docx(notice), f"干部考察预告-{notice.posted_on:%Y%m%d}.docx")
    return _docx(
        documents.pre_appointment_notice_docx(notice), f"干部任前公示-{notice.posted_on:%Y%m%d}.docx"
    )


@roles_required(*READERS)
def minutes_docx(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    """A meeting's minutes: attendance, quorum, positions in speaking order, votes, minutes."""
    from xuanren.campaigns import documents

    campaign = selectors.campaign_for(request.user, pk)
    meeting = selectors.meeting_for(request.user, campaign, meeting_pk)
    return _docx(documents.meeting_minutes_docx(meeting), f"{meeting}-会议记录-{meeting.held_on:%Y%m%d}.docx")


@roles_required(*READERS)
def procedure_form_docx(request: HttpRequest, pk: int, candidate_pk: int) -> HttpResponse:
    """The latest procedure-execution form of a candidate, as generated from the record."""
    from django.http import Http404

    from xuanren.campaigns import documents

    campaign = selectors.campaign_for(request.user, pk)
    candidate = selectors.candidate_for(request.user, campaign, candidate_pk)
    form = candidate.procedure_forms.order_by("-id").first()
    if form is None:
        raise Http404("尚未生成人选产生程序情况表")
    candidate.campaign = campaign
    from xuanren.campaigns.actions import procedure_form_file_name
    from xuanren.record import materials

    try:  # the file as generated, whose hash the record holds
        data = materials.read_bytes(form.docx_sha256)
    except (OSError, ValueError, materials.MaterialDamaged):  # a form generated before files were kept
        data = documents.procedure_form_docx(candidate, form.rows, form.missing, form.generated_on)
    return _docx(data, procedure_form_file_name(candidate, form.generated_on))


@require_POST
@roles_required(*RUNNERS)
def probation_reminders(request: HttpRequest) -> HttpResponse:
    """Record a reminder for every probation whose assessment falls due (each once)."""
    from xuanren.campaigns import actions

    user: Any = request.user
    if user.jurisdiction is None:
        messages.error(request, "您的账号没有所属辖区")
        return redirect("campaigns:list")
    due = actions.send_probation_reminders(acting_user=user, jurisdiction=user.jurisdiction, today=today())
    names = "、".join(p.candidate.cadre.name for p in due)
    messages.success(request, f"已提醒 {len(due)} 人的试用期满考核" + (f"：{names}" if names else ""))
    return redirect("campaigns:list")


# --------------------------------------------------------------------------- online nominations


@roles_required(*online.READERS)
def online_list(request: HttpRequest, pk: int) -> HttpResponse:
    """网上推荐和自荐: the campaign's submissions from the portal, pending first."""
    campaign = selectors.campaign_for(request.user, pk)
    rows = list(online.submissions_of(request.user, campaign))
    return render(
        request,
        "campaigns/online_list.html",
        {
            "campaign": campaign,
            "rows": rows,
            "pending": sum(1 for r in rows if r.status == OnlineNomination.Status.PENDING),
            "window": online.window_refusal(campaign, today()),
            "can_review": _can(request, online.REVIEWERS),
        },
    )


@roles_required(*online.READERS)
def online_review(request: HttpRequest, pk: int, submission_pk: int) -> HttpResponse:
    """Review one submission: confirm the recommender's identity, match the nominee to a cadre of
    the register and accept (the ordinary nomination action), or reject with a reason."""
    campaign = selectors.campaign_for(request.user, pk)
    submission = online.submission_for(request.user, campaign, submission_pk)
    if request.method == "GET" and request.GET.get("file") == "attachment":
        return _online_attachment(submission)
    can_review = _can(request, online.REVIEWERS)
    query = (request.GET.get("q") or request.POST.get("q") or submission.nominee_name).strip()[:64]
    cadres = online.cadre_matches(request.user, campaign, query)
    decision = request.POST.get("decision") if request.method == "POST" else None
    if decision is not None and not can_review:
        raise PermissionDenied("您的角色不能审核网上推荐")
    accept_form = online.AcceptForm(request.POST if decision == "accept" else None, cadres=cadres)
    reject_form = online.RejectForm(request.POST if decision == "reject" else None)
    refusal: CampaignRefused | None = None
    try:
        if decision == "accept" and accept_form.is_valid():
            data = accept_form.cleaned_data
            nomination = online.accept_online_nomination(
                submission,
                acting_user=request.user,
                today=today(),
                cadre=accept_form.cadres[data["cadre"]],
                identity_method=data["identity_method"],
                identity_note=data["identity_note"],
            )
            messages.success(request, f"已受理，{nomination.candidate.cadre.name} 列入推荐提名")
            return redirect("campaigns:online_list", pk=campaign.pk)
        if decision == "reject" and reject_form.is_valid():
            data = reject_form.cleaned_data
            online.reject_online_nomination(
                submission,
                acting_user=request.user,
                today=today(),
                reason=data["reason"],
                identity_method=data["identity_method"],
                identity_note=data["identity_note"],
            )
            messages.success(request, "已不予受理，推荐人可凭查询码看到理由")
            return redirect("campaigns:online_list", pk=campaign.pk)
    except CampaignRefused as refused:
        refusal = refused
    status = 200
    if decision is not None:
        status = 409 if refusal is not None else 400
    return render(
        request,
        "campaigns/online_review.html",
        {
            "campaign": campaign,
            "submission": submission,
            "query": query,
            "cadres": cadres,
            "accept_form": accept_form,
            "reject_form": reject_form,
            "refusal": refusal,
            "can_review": can_review,
            "statuses": OnlineNomination.Status,
        },
        status=status,
    )


def _online_attachment(submission: OnlineNomination) -> HttpResponse:
    """The submitted scan (stored by SHA-256, checked against it), as a download."""
    from xuanren.record import materials

    if not submission.attachment_sha256:
        raise Http404("没有附件")
    try:
        data = materials.read_bytes(submission.attachment_sha256)
    except materials.MaterialDamaged as damaged:
        raise Http404(str(damaged)) from damaged
    content_type, _ = materials.sniff(data)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, submission.attachment_name) or ""
    response["X-Content-Type-Options"] = "nosniff"
    return response
