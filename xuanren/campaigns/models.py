"""The selection campaign (选任工作): one run of the procedure under one pinned policy version.

A :class:`Campaign` fills one or more :class:`Vacancy` (a register post with the conditions that
were announced for it). Each person in it is a :class:`Candidate` with one record form (一人一表):
the steps done (:class:`CandidateStep`) and everything recorded about them — nominations,
recommendation scores, talks, evaluation, conclusion, opinions, appeals, disclosure, meeting
positions and votes, notices and probation. Campaign-level steps (motion, plan, announcement) are
:class:`CampaignStep` rows.

Step ids and stage ids are the policy's (``record.procedure``); see ``docs/campaigns.md``.
Nothing here is written except by ``actions.py``; states are stored for queries and always
changed by an action.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models

from xuanren.accounts.models import Jurisdiction
from xuanren.accounts.scoping import ScopedManager, ScopedQuerySet
from xuanren.register.choices import Education, Rank
from xuanren.register.models import Cadre, Post, PostHolding, Unit

CAMPAIGN_SCOPE = "campaign__jurisdiction__path"
CANDIDATE_SCOPE = "candidate__campaign__jurisdiction__path"


class AnnualPlan(models.Model):
    """The annual selection plan (年度选拔任用工作计划, 001 二、): the planned campaigns of a year,
    published as a list."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name="辖区"
    )
    year = models.PositiveSmallIntegerField("年度")
    published_on = models.DateField("公布日期", null=True, blank=True)
    note = models.TextField("说明", blank=True)

    scope_path = "jurisdiction__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "年度选任计划"
        verbose_name_plural = "年度选任计划"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "year"], name="one_plan_per_year")]

    def __str__(self) -> str:
        return f"{self.jurisdiction} {self.year} 年度选任计划"


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "筹备中"
        PROPOSED = "proposed", "已提出动议"
        PLAN_AGREED = "plan_agreed", "动议方案已审定"
        ANNOUNCED = "announced", "已公布空缺职位"
        IN_PROGRESS = "in_progress", "进行中"
        FINISHED = "finished", "已完成"
        CANCELLED = "cancelled", "已终止"

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="campaigns", verbose_name="辖区"
    )
    title = models.CharField("名称", max_length=200)
    year = models.PositiveSmallIntegerField("年度")
    method = models.TextField("选任方式和程序步骤", blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    # The pinned policy (D10): id, version and SHA-256 of the resolved content, verified on load.
    policy_id = models.CharField("政策", max_length=64)
    policy_version = models.PositiveIntegerField("政策版本")
    policy_sha256 = models.CharField("政策摘要", max_length=64)
    # The annual plan (001 二、).
    planned = models.BooleanField("列入年度计划", default=False)
    plan_quarter = models.PositiveSmallIntegerField("计划季度", null=True, blank=True)
    annual_plan = models.ForeignKey(
        AnnualPlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="campaigns"
    )
    # Motion (动议, D1.1).
    motion_reason = models.TextField("动议理由", blank=True)
    motion_proposed_on = models.DateField("提出动议日期", null=True, blank=True)
    plan_agreed_on = models.DateField("动议方案审定日期", null=True, blank=True)
    direction = models.TextField("书记提出的方向原则", blank=True)
    standards = models.TextField("选拔标准和要求", blank=True)
    direction_recorded_on = models.DateField("记录日期", null=True, blank=True)
    # The two openings (两公开, D1).
    method_published_on = models.DateField("公开选任方式日期", null=True, blank=True)
    announced_on = models.DateField("公布空缺职位日期", null=True, blank=True)
    announcement_media = models.JSONField("公布途径", default=list, blank=True)
    nomination_opens = models.DateField("推荐提名开始", null=True, blank=True)
    nomination_closes = models.DateField("推荐提名截止", null=True, blank=True)
    # The plan filed with the higher department before the standing committee (000 三、).
    plan_filed_on = models.DateField("任免方案报备日期", null=True, blank=True)
    plan_filed_with = models.CharField("报备机关", max_length=100, blank=True)
    plan_filed_reference = models.CharField("报备文号", max_length=100, blank=True)
    finished_on = models.DateField("完成日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="创建人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope_path = "jurisdiction__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "选任工作"
        verbose_name_plural = "选任工作"
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def policy_label(self) -> str:
        return f"{self.policy_id}@{self.policy_version}"


class CampaignStep(models.Model):
    """A campaign-level step done (motion_proposal, motion_plan, vacancy_announcement)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField("环节", max_length=64, default="campaign")
    step = models.CharField("步骤", max_length=64)
    done_on = models.DateField("完成日期")
    entry_seq = models.BigIntegerField("纪实条目", null=True, blank=True)

    scope_path = CAMPAIGN_SCOPE
    objects = ScopedManager()

    class Meta:
        verbose_name = "选任工作步骤"
        verbose_name_plural = "选任工作步骤"
        ordering = ["campaign_id", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "step"], name="campaign_step_once")]


class Vacancy(models.Model):
    """A post to fill and its conditions (级别、任职年限、学历层次、年龄、其他), frozen at announcement."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="vacancies")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="+", verbose_name="职位")
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    rank = models.CharField("职级", max_length=16, choices=Rank.choices)
    # The policy's post kind for the full-committee rule ("乡镇党政正职"), derived from the post.
    post_kind = models.CharField("职位类别", max_length=32, blank=True)
    min_years_in_rank = models.PositiveSmallIntegerField("任职年限（年）", null=True, blank=True)
    min_education = models.CharField("学历层次", max_length=20, choices=Education.choices, blank=True)
    max_age = models.PositiveSmallIntegerField("年龄上限（周岁）", null=True, blank=True)
    min_age = models.PositiveSmallIntegerField("年龄下限（周岁）", null=True, blank=True)
    other_conditions = models.TextField("其他条件", blank=True)
    conditions_sha256 = models.CharField("任职条件摘要", max_length=64, blank=True)
    frozen_on = models.DateField("公布（固定）日期", null=True, blank=True)

    scope_path = CAMPAIGN_SCOPE
    objects = ScopedManager()

    class Meta:
        verbose_name = "空缺职位"
        verbose_name_plural = "空缺职位"
        ordering = ["campaign_id", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "post"], name="vacancy_post_once")]

    def __str__(self) -> str:
        return str(self.post)

    @property
    def frozen(self) -> bool:
        return self.frozen_on is not None


class Candidate(models.Model):
    """A person in the campaign: one record form (一人一表). States per docs/campaigns.md."""

    class State(models.TextChoices):
        NOMINATED = "nominated", "已提名"
        QUALIFIED = "qualified", "资格审核通过"
        DISQUALIFIED = "disqualified", "资格不符"
        PROPOSED = "proposed", "提名建议人选"
        CONFIRMED = "confirmed", "提名人选"
        RECOMMENDED = "recommended", "已民主推荐"
        INSPECTION_CANDIDATE = "inspection_candidate", "考察对象"
        INSPECTED = "inspected", "已考察"
        DELIBERATED = "deliberated", "已酝酿"
        APPROVED = "approved", "常委会通过"
        REJECTED = "rejected", "未通过"
        POSTPONED = "postponed", "缓议"
        NOTICED = "noticed", "任前公示中"
        APPOINTED = "appointed", "已任职"
        PROBATION = "probation", "试用期"
        CONFIRMED_IN_POST = "confirmed_in_post", "试用期满正式任职"
        PROBATION_FAILED = "probation_failed", "试用期满不胜任"
        STOPPED = "stopped", "终止"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="candidates")
    cadre = models.ForeignKey(
        Cadre, on_delete=models.PROTECT, related_name="candidacies", verbose_name="干部"
    )
    vacancy = models.ForeignKey(
        Vacancy,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="candidates",
        verbose_name="拟任职位",
    )
    state = models.CharField("状态", max_length=24, choices=State.choices, default=State.NOMINATED)
    stopped_rule = models.CharField("终止依据", max_length=120, blank=True)
    stopped_reason = models.TextField("终止原因", blank=True)
    stopped_step = models.CharField("终止于步骤", max_length=64, blank=True)
    eligibility = models.JSONField("资格审核结果", null=True, blank=True)
    dual_managed = models.BooleanField("双重管理干部", default=False)
    # Exceptional promotion (破格提拔): declared with a reason, approved by the higher department.
    exceptional_reason = models.CharField("破格理由", max_length=64, blank=True)
    exceptional_justification = models.TextField("破格说明", blank=True)
    exceptional_authority = models.CharField("批准机关", max_length=100, blank=True)
    exceptional_reference = models.CharField("批准文号", max_length=100, blank=True)
    exceptional_approved_on = models.DateField("批准日期", null=True, blank=True)
    inspection_basis = models.CharField("确定考察对象方式", max_length=16, blank=True)
    inspection_team = models.ForeignKey(
        "InspectionTeam", null=True, blank=True, on_delete=models.SET_NULL, related_name="candidates"
    )
    feedback_on = models.DateField("反馈考察结果日期", null=True, blank=True)
    appeal_deadline = models.DateField("申诉截止日期", null=True, blank=True)
    decided_on = models.DateField("讨论决定日期", null=True, blank=True)
    appointed_on = models.DateField("任职日期", null=True, blank=True)
    holding = models.ForeignKey(
        PostHolding,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="任职经历",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)

    scope_path = CAMPAIGN_SCOPE
    objects = ScopedManager()

    class Meta:
        verbose_name = "人选"
        verbose_name_plural = "人选"
        ordering = ["campaign_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "cadre"], name="candidate_once_per_campaign")
        ]

    def __str__(self) -> str:
        return self.cadre.name

    @property
    def active(self) -> bool:
        return self.state not in (self.State.STOPPED, self.State.DISQUALIFIED, self.State.REJECTED)

    @property
    def post_kind(self) -> str:
        return self.vacancy.post_kind if self.vacancy_id and self.vacancy else ""


class CandidateStep(models.Model):
    """A person step done (policy ``record.procedure`` stage and step ids)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField("环节", max_length=64)
    step = models.CharField("步骤", max_length=64)
    done_on = models.DateField("完成日期")
    entry_seq = models.BigIntegerField("纪实条目", null=True, blank=True)

    scope_path = CANDIDATE_SCOPE
    objects = ScopedManager()

    class Meta:
        verbose_name = "人选程序步骤"
        verbose_name_plural = "人选程序步骤"
        ordering = ["candidate_id", "id"]
        constraints = [models.UniqueConstraint(fields=["candidate", "step"], name="candidate_step_once")]


class Nomination(models.Model):
    """One nomination through one of the five channels (五提名, D2), with that channel's fields."""

    class Channel(models.TextChoices):
        CADRE_MEETING = "cadre_meeting", "干部大会推荐提名"
        CADRES_AND_MASSES = "cadres_and_masses", "干部群众推荐提名"
        UNIT_COLLECTIVE = "unit_collective", "部门单位集体推荐提名"
        SIGNED = "signed", "领导干部及群众署名推荐提名"
        SELF = "self", "干部个人自荐提名"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="nominations")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="nominations")
    channel = models.CharField("提名渠道", max_length=24, choices=Channel.choices)
    vacancy = models.ForeignKey(
        Vacancy, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="推荐职位"
    )
    received_on = models.DateField("提名日期")
    # Cadre meeting and cadres-and-masses forms (anonymous forms counted within a range).
    meeting_on = models.DateField("推荐会议日期", null=True, blank=True)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="推荐单位"
    )
    unit_size = models.PositiveIntegerField("单位人数", null=True, blank=True)
    participants = models.PositiveIntegerField("参加推荐人数", null=True, blank=True)
    votes = models.PositiveIntegerField("得票数", null=True, blank=True)
    # Collective unit nomination: minutes and the formal report.
    document_reference = models.CharField("上报文件文号", max_length=100, blank=True)
    report_basic_facts = models.TextField("基本情况", blank=True)
    report_achievements = models.TextField("主要工作实绩", blank=True)
    report_proposed_post = models.CharField("拟推荐职务", max_length=200, blank=True)
    # Signed nomination: the recommender, the relationship and the responsibility statement.
    recommender_name = models.CharField("推荐人", max_length=64, blank=True)
    recommender_unit_post = models.CharField("推荐人单位及职务", max_length=128, blank=True)
    recommender_contact = models.CharField("推荐人联系电话", max_length=32, blank=True)
    relationship = models.CharField("与被推荐人的关系", max_length=128, blank=True)
    responsibility_accepted = models.BooleanField("承诺对推荐负责", default=False)
    assessment = models.TextField("德能勤绩廉情况", blank=True)
    proposed_use = models.CharField("使用建议", max_length=200, blank=True)
    reasons = models.TextField("推荐理由", blank=True)
    # Self-nomination: the registration form.
    self_statement = models.TextField("自荐登记表内容", blank=True)
    # The material (minutes, signed form, registration form) by SHA-256.
    material_name = models.CharField("材料", max_length=200, blank=True)
    material_sha256 = models.CharField("材料 SHA-256", max_length=64, blank=True)
    decision = models.JSONField("规则判定", null=True, blank=True)
    falsified = models.BooleanField("弄虚作假", default=False)
    falsified_on = models.DateField("查实日期", null=True, blank=True)
    falsified_reason = models.TextField("查实情况", blank=True)

    scope_path = CAMPAIGN_SCOPE
    objects = ScopedManager()

    class Meta:
        verbose_name = "推荐提名"
        verbose_name_plural = "推荐提名"
        ordering = ["campaign_id", "id"]


class RangeWidening(models.Model):
    """The recommendation range widened across units or systems (扩大推荐范围), with reasons."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="widenings")
    decided_on = models.DateField("决定日期")
    scope = models.TextField("扩大后的范围")
    reasons = models.TextField("理由")
    units = models.ManyToManyField(Unit, blank=True, related_name="+")

    scope_path = CAMPAIGN_SCOPE
    objects = ScopedManager()

    class Meta:
        verbose_name = "扩大推荐范围"
        verbose_name_plural = "扩大推荐范围"
        ordering = ["campaign_id", "id"]


class Recommendation(models.Model):
    """One democratic recommendation (民主推荐) round: form, mode, attendance and its figures."""

    class Form(models.TextChoices):
        MEETING = "meeting", "会议推荐"
        INTERVIEW = "interview", "谈话调研推荐"

    class Mode(models.TextChoices):
        OPEN = "open", "不提名推荐"
        FROM_LIST = "from_list", "提名推荐"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="recommendations")
    round = models.PositiveSmallIntegerField("轮次", default=1)
    form = models.CharField("推荐方式", max_length=16, choices=Form.choices, default=Form.MEETING)
    mode = models.CharField("推荐类型", max_length=16, choices=Mode.choices, default=Mode.FROM_LIST)
    held_on = models.DateField("推荐日期")
    expected = models.PositiveIntegerField("应参加人数", null=True, blank=True)
    participants = models.PositiveIntegerField("参加人数")
    valid_ballots = models.PositiveIntegerField("有效票数", null=True, blank=True)
    poll_id = models.BigIntegerField("投票", null=True, blank=True)
    source = models.CharField("票数来源", max_length=8, default="paper")  # "poll" or "paper"
    attendance = models.JSONField("到会判定", null=True, blank=True)
    shortlist = models.JSONField("差额截取", null=True, blank=True)
    expires_on = models.DateField("结果有效期至", null=True, blank=True)
    widening = models.ForeignKey(
        RangeWidening, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = CAMPAIGN_SCOPE
    objects = ScopedManager()

    class Meta:
        verbose_name = "民主推荐"
        verbose_name_plural = "民主推荐"
        ordering = ["campaign_id", "round"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "round"], name="recommendation_round_once")
        ]


class RecommendationScore(models.Model):
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="scores")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="recommendation_scores")
    votes = models.PositiveIntegerField("得票")
    share = models.CharField("得票比例", max_length=32)
    passed = models.BooleanField("达到比例", null=True)
    decision = models.JSONField("判定")

    scope_path = CANDIDATE_SCOPE
    objects = ScopedManager()

    class Meta:
        verbose_name = "推荐得票"
        verbose_name_plural = "推荐得票"
        ordering = ["recommendation_id", "-votes", "id"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "candidate"], name="recommendation_score_once")
        ]


class TieSettlement(models.Model):
    """A tie at a cut-off settled by the meeting the policy names (``tie_settled_by``)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tie_settlements")
    step = models.CharField("步骤", max_length=64)
    settled_by = models.CharField("研究确定的会议", max_length=100)
    meeting = models.ForeignKey("Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_on = models.DateField("决定日期")
    tied = models.JSONField("并列人选（人选编号）")
    chosen = models.JSONField("确定人选（人选编号）")
    reasons = models.TextField("理由")

    scope_path = CAMPAIGN_SCOPE
    objects = ScopedManager()

    class Meta:
        verbose_name = "并列人选研究确定"
        verbose_name_plural = "并列人选研究确定"
        ordering = ["campaign_id", "id"]


class InspectionTeam(models.Model):
    """An inspection team (考察组): members, leader, the inspection period and the hotline."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="inspection_teams")
    name = models.CharField("名称", max_length=100, default="考察组")
    starts_on = models.DateField("考察开始日期")
    ends_on = models.DateField("考察结束日期", null=True, blank=True)
    hotline = models.CharField("受理反映电话", max_length=64, blank=True)

    scope_path = CAMPAIGN_SCOPE
    objects = ScopedManager()

    class Meta:
        verbose_name = "考察组"
        verbose_name_plural = "考察组"
        ordering = ["campaign_id", "id"]

    def __str__(self) -> str:
        return self.name


class InspectionTeamMember(models.Model):
    team = models.ForeignKey(InspectionTeam, on_delete=models.CASCADE, related_name="members")
    name = models.CharField("姓名", max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_leader = models.BooleanField("组长", default=False)
    unit_post = models.CharField("单位及职务", max_length=128, blank=True)
    certificate = models.CharField("考察资格证书编号", max_length=64, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    scope_path = "team__campaign__jurisdiction__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "考察组成员"
        verbose_name_plural = "考察组成员"
        ordering = ["team_id", "-is_leader", "sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class InspectionRecord(models.Model):
    """A procedure of the inspection other than talks: joint review with discipline inspection,
    work report (述职), democratic evaluation (民主测评), face-to-face talk, file check, visits."""

    class Kind(models.TextChoices):
        JOINT_REVIEW = "joint_review", "考察对象资格会审"
        WORK_REPORT = "work_report", "述职"
        EVALUATION = "evaluation", "民主测评"
        FACE_TO_FACE = "face_to_face", "与考察对象面谈"
        FILE_CHECK = "file_check", "查阅干部档案"
        VISIT = "visit", "走访了解"

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="inspection_records")
    kind = models.CharField("程序", max_length=16, choices=Kind.choices)
    held_on = models.DateField("日期")
    summary = models.TextField("情况", blank=True)
    passed = models.BooleanField("结论通过", null=True, blank=True)
    figures = models.JSONField("数据", null=True, blank=True)
    decision = models.JSONField("规则判定", null=True, blank=True)
    poll_id = models.BigIntegerField("投票", null=True, blank=True)
    material_name = models.CharField("材料", max_length=200, blank=True)
    material_sha256 = models.CharField("材料 SHA-256", max_length=64, blank=True)

    scope_path = CANDIDATE_SCOPE
    objects = ScopedManager()

    class Meta:
        verbose_name = "考察程序记录"
        verbose_name_plural = "考察程序记录"
        ordering = ["candidate_id", "held_on", "id"]


class Talk(models.Model):
    """An individual talk (个别谈话), by group: the policy's must-talk groups (四必谈) or "其他"."""

    OTHER = "其他"

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="talks")
    group = models.CharField("谈话对象类别", max_length=32)
    interviewee = models.CharField("谈话对象", max_length=64)
    interviewee_post = models.CharField("单位及职务", max_length=128, blank=True)
    held_on = models.DateField("谈话日期")
    interviewer = models.ForeignKey(
        InspectionTeamMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.TextField("谈话要点", blank=True)

    scope_path = CANDIDATE_SCOPE
    objects = ScopedManager()

    class Meta:
        verbose_name = "个别谈话"
        verbose_name_plural = "个别谈话"
        ordering = ["candidate_id", "held_on", "id"]


class Disclosure(models.Model):
    """A round of personal-matters disclosure (有关事项公开, D5): first before the decision, second
    alongside the pre-appointment notice."""

    class Round(models.TextChoices):
        FIRST = "first", "第一次公开"
        SECOND = "second", "第二次公开"

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="disclosures")
    round = models.CharField("轮次", max_length=8, choices=Round.choices)
    starts_on = models.DateField("公开开始")
    ends_on = models.DateField("公开截止")
    places = models.JSONField("公开范围", default=list)
    items = models.JSONField("公开内容", default=list)
    decision = models.JSONField("期限判定", null=True, blank=True)

    scope_path = CANDIDATE_SCOPE
    objects = ScopedManager()

    class Meta:
        verbose_name = "有关事项公开"
        verbose_name_plural = "有关事项公开"
        ordering = ["candidate_id", "starts_on", "id"]
        constraints = [models.UniqueConstraint(fields=["candidate", "round"], name="disclosure_round_once")]


class TeamConclusion(models.Model):
    """The inspection team's conclusion on a candidate, signed by every member (001 二、（二）6)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="conclusions")
    team = models.ForeignKey(InspectionTeam, on_delete=models.PROTECT, related_name="conclusions")
    text = models.TextField("考察结论")
    recorded_on = models.DateField("形成日期")
    agreed = models.BooleanField("考察组意见统一", null=True, blank=True)
    decision = models.JSONField("规则判定", null=True, blank=True)

    scope_path = CANDIDATE_SCOPE
    objects = ScopedManager()

    class Meta:
        verbose_name = "考察结论"
        verbose_name_plural = "考察结论"
        ordering = ["candidate_id", "id"]


class ConclusionSignature(models.Model):
    conclusion = models.ForeignKey(TeamConclusion, on_delete=models.CASCADE, related_name="signatures")
    member = models.ForeignKey(InspectionTeamMember, on_delete=models.PROTECT, related_name="+")
    agrees = models.BooleanField("同意结论")
    dissent = models.TextField("不同意见", blank=True)
    signed_on = models.DateField("签名日期")

    scope_path = "conclusion__candidate__campaign__jurisdiction__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "考察结论签名"
        verbose_name_plural = "考察结论签名"
        ordering = ["conclusion_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["conclusion", "member"], name="conclusion_signed_once")
        ]


class Appeal(models.Model):
    """An appeal (申诉, 001 二、（二）7) against the inspection process or result."""

    class Status(models.TextChoices):
        PENDING = "pending", "待处理"
        UPHELD = "upheld", "申诉成立"
        DISMISSED = "dismissed", "申诉不成立"

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="appeals")
    filed_on = models.DateField("提出日期")
    reasons = models.TextField("申诉理由")
    deadline = models.DateField("申诉截止日期", null=True, blank=True)
    in_time = models.JSONField("期限判定", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PENDING)
    decided_on = models.DateField("处理日期", null=True, blank=True)
    decision_text = models.TextField("处理意见", blank=True)

    scope_path = CANDIDATE_SCOPE
    objects = ScopedManager()

    class Meta:
        verbose_name = "申诉"
        verbose_name_plural = "申诉"
        ordering = ["candidate_id", "id"]


class Opinion(models.Model):
    """An opinion asked for in deliberation (征求意见, D3.3; D6)."""

    class Source(models.TextChoices):
        LEADERS = "leaders", "县委、人大、政府、政协领导成员"
        CO_MANAGING = "co_managing", "协管方"
        DISCIPLINE = "discipline", "纪检监察机关"
        LAW_ENFORCEMENT = "law_enforcement", "执法机关"
        AUDIT = "audit", "审计机关（经济责任审计）"

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="opinions")
    source = models.CharField("意见来源", max_length=16, choices=Source.choices)
    body = models.CharField("提出意见的领导或机关", max_length=128)
    agrees = models.BooleanField("同意")
    needs_explanation = models.BooleanField("需要说明", default=False)
    veto = models.BooleanField("一票否决", default=False)
    text = models.TextField("意见", blank=True)
    given_on = models.DateField("日期")
    decision = models.JSONField("规则判定", null=True, blank=True)

    scope_path = CANDIDATE_SCOPE
    objects = ScopedManager()

    class Meta:
        verbose_name = "征求意见"
        verbose_name_plural = "征求意见"
        ordering = ["candidate_id", "id"]


class Meeting(models.Model):
    """A meeting of the procedure: who should attend, who signed in, quorum, agenda and minutes."""

    class Kind(models.TextChoices):
        RECOMMENDATION = "recommendation", "民主推荐会议"
        DEPARTMENT = "department_meeting", "组织部部务会"
        PERSONNEL_DELIBERATION = "personnel_deliberation", "人事酝酿会议"
        STANDING_COMMITTEE = "standing_committee", "常委会"
        FULL_COMMITTEE = "full_committee", "全委会"

    class Status(models.TextChoices):
        CONVENED = "convened", "已召集"
        OPEN = "open", "讨论中"
        CLOSED = "closed", "已结束"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField("会议", max_length=24, choices=Kind.choices)
    title = models.CharField("名称", max_length=200, blank=True)
    held_on = models.DateField("会议日期")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.CONVENED)
    candidates = models.ManyToManyField(
        Candidate, blank=True, related_name="meetings", verbose_name="议题人选"
    )
    quorum = models.JSONField("到会判定", null=True, blank=True)
    presentation = models.TextField("组织部门情况介绍", blank=True)
    no_preference = models.BooleanField("未提差额意向性意见", default=False)
    minutes = models.TextField("会议记录", blank=True)
    minutes_sha256 = models.CharField("会议记录 SHA-256", max_length=64, blank=True)
    counts_published_on = models.DateField("公开表决情况日期", null=True, blank=True)

    scope_path = CAMPAIGN_SCOPE
    objects = ScopedManager()

    class Meta:
        verbose_name = "会议"
        verbose_name_plural = "会议"
        ordering = ["campaign_id", "held_on", "id"]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()


class MeetingMember(models.Model):
    """A member who should attend (应到会成员), the secretary, or an observer (列席, no vote)."""

    class Role(models.TextChoices):
        SECRETARY = "secretary", "书记（主要负责人）"
        MEMBER = "member", "成员"
        OBSERVER = "observer", "列席"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="members")
    name = models.CharField("姓名", max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField("身份", max_length=12, choices=Role.choices, default=Role.MEMBER)
    present = models.BooleanField("已签到", default=False)
    signed_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    scope_path = "meeting__campaign__jurisdiction__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "会议成员"
        verbose_name_plural = "会议成员"
        ordering = ["meeting_id", "sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def votes(self) -> bool:
        return self.role != self.Role.OBSERVER


class Position(models.Model):
    """A member's stated position on a candidate (赞成/不赞成/缓议 with reason), in speaking order."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="positions")
    member = models.ForeignKey(MeetingMember, on_delete=models.PROTECT, related_name="positions")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="positions")
    position = models.CharField("表态", max_length=8)
    reason = models.TextField("理由", blank=True)
    speaking_order = models.PositiveSmallIntegerField("发言顺序")

    scope_path = "meeting__campaign__jurisdiction__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "表态"
        verbose_name_plural = "表态"
        ordering = ["meeting_id", "candidate_id", "speaking_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member", "candidate"], name="position_once_per_member"
            )
        ]


class CommitteeVote(models.Model):
    """The vote on one candidate at a standing or full committee: counts and the decision."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="votes")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="committee_votes")
    vacancy = models.ForeignKey(Vacancy, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    members = models.PositiveIntegerField("应到会成员")
    present = models.PositiveIntegerField("实到")
    in_favour = models.PositiveIntegerField("同意")
    against = models.PositiveIntegerField("不同意")
    abstain = models.PositiveIntegerField("弃权（缓议）")
    poll_id = models.BigIntegerField("投票", null=True, blank=True)
    passed = models.BooleanField("通过")
    decision = models.JSONField("规则判定")

    scope_path = "meeting__campaign__jurisdiction__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "票决结果"
        verbose_name_plural = "票决结果"
        ordering = ["meeting_id", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "candidate"], name="committee_vote_once")]


class Notice(models.Model):
    """An inspection notice (考察预告) or a pre-appointment notice (任前公示)."""

    class Kind(models.TextChoices):
        INSPECTION = "inspection", "考察预告"
        PRE_APPOINTMENT = "pre_appointment", "任前公示"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    posted_on = models.DateField("发布日期")
    starts_on = models.DateField("开始日期")  # inspection start, or first day of the notice period
    ends_on = models.DateField("截止日期", null=True, blank=True)
    hotline = models.CharField("受理反映电话", max_length=64, blank=True)
    team = models.ForeignKey(
        InspectionTeam, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    candidates = models.ManyToManyField(Candidate, related_name="notices")
    content = models.JSONField("公布内容", default=dict)
    decision = models.JSONField("期限判定", null=True, blank=True)
    docx_sha256 = models.CharField("文书 SHA-256", max_length=64, blank=True)

    scope_path = CAMPAIGN_SCOPE
    objects = ScopedManager()

    class Meta:
        verbose_name = "公告"
        verbose_name_plural = "公告"
        ordering = ["campaign_id", "posted_on", "id"]


class ProcedureForm(models.Model):
    """The procedure-execution form (人选产生程序情况表, 001): generated from the record, signed."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="procedure_forms")
    generated_on = models.DateField("生成日期")
    rows = models.JSONField("程序执行情况")
    complete = models.BooleanField("程序完整")
    missing = models.JSONField("缺少的程序", default=list)
    docx_sha256 = models.CharField("文书 SHA-256", max_length=64)
    entry_seq = models.BigIntegerField("纪实条目", null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signer_name = models.CharField("负责人签字", max_length=64, blank=True)
    signed_on = models.DateField("签字日期", null=True, blank=True)

    scope_path = CANDIDATE_SCOPE
    objects = ScopedManager()

    class Meta:
        verbose_name = "人选产生程序情况表"
        verbose_name_plural = "人选产生程序情况表"
        ordering = ["candidate_id", "-id"]


class ProbationQuerySet(ScopedQuerySet["Probation"]):
    def pending(self) -> ProbationQuerySet:
        return self.filter(outcome=Probation.Outcome.PENDING)

    def due(self, today: date) -> ProbationQuerySet:
        """Probations whose reminder day has come and whose assessment is not yet done."""
        return self.pending().filter(remind_on__lte=today)


class Probation(models.Model):
    """Probation (试用期) of an appointed candidate, with what to restore if it fails."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "试用中"
        CONFIRMED = "confirmed", "考核合格，正式任职"
        FAILED = "failed", "考核不胜任，免去试任职务"

    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="probation")
    holding = models.ForeignKey(PostHolding, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField("试用期开始")
    ends_on = models.DateField("试用期满")
    remind_on = models.DateField("提醒日期")
    reminded_on = models.DateField("已提醒", null=True, blank=True)
    former_rank = models.CharField("原职级", max_length=16, choices=Rank.choices, blank=True)
    former_rank_since = models.DateField("原任职级时间", null=True, blank=True)
    former_title = models.CharField("原职务", max_length=128, blank=True)
    former_post_since = models.DateField("原任职时间", null=True, blank=True)
    former_holding = models.ForeignKey(
        PostHolding, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField("考核结果", max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    assessed_on = models.DateField("考核日期", null=True, blank=True)
    assessment = models.TextField("考核情况", blank=True)
    decision = models.JSONField("期限判定", null=True, blank=True)

    scope_path = CANDIDATE_SCOPE
    objects = models.Manager.from_queryset(ProbationQuerySet)()

    class Meta:
        verbose_name = "试用期"
        verbose_name_plural = "试用期"
        ordering = ["ends_on", "id"]


class OnlineNomination(models.Model):
    """A signed recommendation or a self-nomination submitted on the public portal during the
    nomination window (网上署名推荐和自荐, D2 channels 4 and 5), waiting for the cadre section's
    review. Accepting it confirms the recommender's identity and creates the :class:`Nomination`
    through the ordinary nomination action; see ``xuanren/campaigns/online.py``."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        ACCEPTED = "accepted", "已受理"
        REJECTED = "rejected", "不予受理"

    class Relationship(models.TextChoices):
        COLLEAGUE = "colleague", "同事"
        SUPERIOR = "superior", "上级"
        SUBORDINATE = "subordinate", "下级"
        WORK_CONTACT = "work_contact", "工作联系"
        RELATIVE = "relative", "亲属"
        NONE = "none", "无特定关系"
        OTHER = "other", "其他"

    class IdentityCheck(models.TextChoices):
        PHONE = "phone", "电话核实"
        IN_PERSON = "in_person", "当面核验身份证"
        UNIT = "unit", "单位组织核实"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="online_nominations")
    channel = models.CharField("提名渠道", max_length=24, choices=Nomination.Channel.choices)
    vacancy = models.ForeignKey(
        Vacancy, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="推荐职位"
    )
    # The nominee as typed (for self-nomination the submitter is the nominee).
    nominee_name = models.CharField("被推荐人姓名", max_length=64)
    nominee_unit_post = models.CharField("被推荐人单位及职务", max_length=128)
    # The recommender (署名推荐人) or the self-nominee.
    recommender_name = models.CharField("推荐人姓名", max_length=64)
    recommender_unit_post = models.CharField("推荐人单位及职务", max_length=128)
    recommender_phone = models.CharField("推荐人联系电话", max_length=32)
    recommender_id_number = models.CharField("推荐人身份证号", max_length=18)
    relationship = models.CharField(
        "与被推荐人的关系", max_length=16, choices=Relationship.choices, blank=True
    )
    relationship_note = models.CharField("关系说明", max_length=128, blank=True)
    responsibility_accepted = models.BooleanField("承诺对推荐负责", default=False)
    responsibility_text = models.TextField("承诺内容", blank=True)
    assessment = models.TextField("德能勤绩廉情况", blank=True)
    reasons = models.TextField("推荐理由", blank=True)
    proposed_use = models.CharField("使用建议", max_length=200, blank=True)
    self_statement = models.TextField("自荐登记表内容", blank=True)
    attachment_name = models.CharField("附件", max_length=200, blank=True)
    attachment_sha256 = models.CharField("附件 SHA-256", max_length=64, blank=True)
    # The submitted form as canonical JSON, stored by SHA-256: the nomination's material.
    form_sha256 = models.CharField("推荐表 SHA-256", max_length=64, blank=True)
    tracking_code = models.CharField("查询码", max_length=16, unique=True)
    tracking_password = models.CharField("查询密码（哈希）", max_length=128)
    submitted_on = models.DateField("提交日期")
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    submit_entry_seq = models.BigIntegerField("纪实条目", null=True, blank=True)
    # The review (审核): identity confirmed, nominee matched to a cadre, accepted or rejected.
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="审核人",
    )
    reviewed_on = models.DateField("审核日期", null=True, blank=True)
    identity_method = models.CharField(
        "身份核实方式", max_length=16, choices=IdentityCheck.choices, blank=True
    )
    identity_note = models.TextField("身份核实情况", blank=True)
    reject_reason = models.TextField("不予受理理由", blank=True)
    cadre = models.ForeignKey(
        Cadre, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="对应干部"
    )
    nomination = models.OneToOneField(
        Nomination,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="online_submission",
        verbose_name="形成的推荐提名",
    )

    scope_path = CAMPAIGN_SCOPE
    objects = ScopedManager()

    class Meta:
        verbose_name = "网上推荐和自荐"
        verbose_name_plural = "网上推荐和自荐"
        ordering = ["campaign_id", "id"]
        indexes = [models.Index(fields=["campaign", "status"], name="online_nomination_status")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}：{self.nominee_name}"

    @property
    def is_self(self) -> bool:
        return self.channel == Nomination.Channel.SELF

    @property
    def relationship_text(self) -> str:
        """The declared relationship as one phrase (choice and note), as the nomination keeps it."""
        label = self.get_relationship_display() if self.relationship else ""
        note = self.relationship_note.strip()
        return f"{label}（{note}）" if label and note else label or note
