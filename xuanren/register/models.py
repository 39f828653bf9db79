"""The cadre register: units, posts and headcount, cadres and their careers.

Occupancy and vacancies are derived from post holdings (selectors.py), never typed in.
Every write goes through actions.py, which appends to the full-process record.
"""

from __future__ import annotations

from django.db import models

from xuanren.accounts.models import Jurisdiction
from xuanren.accounts.scoping import ScopedManager
from xuanren.register.choices import (
    AssessmentResult,
    Degree,
    Education,
    Gender,
    Health,
    PoliticalStatus,
    PostRole,
    Rank,
    UnitType,
)


class Unit(models.Model):
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="units", verbose_name="辖区"
    )
    name = models.CharField("单位名称", max_length=100)
    unit_type = models.CharField("单位类型", max_length=20, choices=UnitType.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="上级单位",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)

    scope_path = "jurisdiction__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "name"], name="unit_name_unique_in_jurisdiction")
        ]

    def __str__(self) -> str:
        return self.name


class HeadcountQuota(models.Model):
    """The approved number of leadership posts (核定领导职数) of a unit at one rank."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="quotas", verbose_name="单位")
    rank = models.CharField("职级", max_length=16, choices=Rank.choices)
    approved = models.PositiveIntegerField("核定职数")

    scope_path = "unit__jurisdiction__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "核定职数"
        verbose_name_plural = "核定职数"
        constraints = [models.UniqueConstraint(fields=["unit", "rank"], name="one_quota_per_unit_rank")]


class Post(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="posts", verbose_name="单位")
    title = models.CharField("职务名称", max_length=100)
    rank = models.CharField("职级", max_length=16, choices=Rank.choices)
    role = models.CharField("职务类别", max_length=16, choices=PostRole.choices, default=PostRole.DEPUTY)
    sort_order = models.PositiveIntegerField("排序", default=0)

    scope_path = "unit__jurisdiction__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "职位"
        verbose_name_plural = "职位"
        ordering = ["unit_id", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "title"], name="post_title_unique_in_unit")]

    def __str__(self) -> str:
        return f"{self.unit.name}{self.title}"


class Cadre(models.Model):
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="cadres", verbose_name="管理辖区"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="cadres", verbose_name="工作单位"
    )
    name = models.CharField("姓名", max_length=32, db_index=True)
    name_pinyin = models.CharField("姓名全拼", max_length=128, db_index=True, editable=False)
    name_initials = models.CharField("姓名首字母", max_length=32, db_index=True, editable=False)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    ethnicity = models.CharField("民族", max_length=16, default="汉族")
    birth_date = models.DateField("出生日期")
    native_place = models.CharField("籍贯", max_length=64, blank=True)
    birthplace = models.CharField("出生地", max_length=64, blank=True)
    id_number = models.CharField("公民身份号码", max_length=18, unique=True)
    political_status = models.CharField(
        "政治面貌", max_length=16, choices=PoliticalStatus.choices, default=PoliticalStatus.CPC
    )
    party_join_date = models.DateField("入党时间", null=True, blank=True)
    work_start_date = models.DateField("参加工作时间")
    health = models.CharField("健康状况", max_length=16, choices=Health.choices, default=Health.HEALTHY)
    professional_title = models.CharField("专业技术职务", max_length=64, blank=True)
    specialty = models.CharField("熟悉专业有何专长", max_length=128, blank=True)
    fulltime_education = models.CharField(
        "全日制教育学历", max_length=20, choices=Education.choices, blank=True
    )
    fulltime_degree = models.CharField("全日制教育学位", max_length=20, choices=Degree.choices, blank=True)
    fulltime_school = models.CharField("全日制教育毕业院校系及专业", max_length=128, blank=True)
    inservice_education = models.CharField(
        "在职教育学历", max_length=20, choices=Education.choices, blank=True
    )
    inservice_degree = models.CharField("在职教育学位", max_length=20, choices=Degree.choices, blank=True)
    inservice_school = models.CharField("在职教育毕业院校系及专业", max_length=128, blank=True)
    current_title = models.CharField("现任职务", max_length=128, blank=True)
    current_rank = models.CharField("现职级", max_length=16, choices=Rank.choices, blank=True)
    rank_since = models.DateField("任现职级时间", null=True, blank=True)
    post_since = models.DateField("任现职时间", null=True, blank=True)
    photo = models.BinaryField("照片（JPEG）", null=True, blank=True, editable=False)

    scope_path = "jurisdiction__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "干部"
        verbose_name_plural = "干部"
        ordering = ["id"]
        permissions = [
            ("view_full_id_number", "可查看完整公民身份号码"),
            ("import_register", "可导入干部名册和职位"),
        ]
        indexes = [
            models.Index(fields=["jurisdiction", "name_initials"], name="cadre_scope_initials"),
            # The list's filters (rank, age, gender, years in post) within a jurisdiction.
            models.Index(
                fields=["jurisdiction", "current_rank", "birth_date", "gender", "post_since"],
                name="cadre_scope_filters",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def highest_education(self) -> str:
        from xuanren.register.choices import EDUCATION_ORDER

        levels = [e for e in (self.fulltime_education, self.inservice_education) if e]
        return max(levels, key=lambda e: EDUCATION_ORDER[Education(e)]) if levels else ""


class PostHolding(models.Model):
    """A period in a post: the career history (简历) and, while open, the post's occupancy."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="holdings", verbose_name="干部")
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.PROTECT, related_name="holdings", verbose_name="职位"
    )
    organization = models.CharField("单位", max_length=100, blank=True)
    title = models.CharField("职务", max_length=128)
    rank = models.CharField("职级", max_length=16, choices=Rank.choices, blank=True)
    start = models.DateField("起始时间")
    end = models.DateField("截止时间", null=True, blank=True)
    is_grassroots = models.BooleanField("基层工作经历", default=False)
    probation_until = models.DateField("试用期至", null=True, blank=True)
    # Continuation lines of the resume (简历) under this period, such as "（其间：...）".
    note = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "任职经历"
        verbose_name_plural = "任职经历"
        ordering = ["cadre_id", "start", "id"]
        constraints = [
            # One holder per post at a time: an open holding of a post is unique.
            models.UniqueConstraint(
                fields=["post"],
                condition=models.Q(end__isnull=True, post__isnull=False),
                name="one_open_holding_per_post",
            ),
        ]


class RankRecord(models.Model):
    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="rank_records")
    rank = models.CharField("职级", max_length=16, choices=Rank.choices)
    reached_on = models.DateField("任职级时间")

    class Meta:
        ordering = ["cadre_id", "reached_on"]


class AnnualAssessment(models.Model):
    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="assessments")
    year = models.PositiveSmallIntegerField("年度")
    result = models.CharField("考核结果", max_length=16, choices=AssessmentResult.choices)

    class Meta:
        ordering = ["cadre_id", "year"]
        constraints = [models.UniqueConstraint(fields=["cadre", "year"], name="one_assessment_per_year")]


class RewardSanction(models.Model):
    class Kind(models.TextChoices):
        REWARD = "reward", "奖励"
        SANCTION = "sanction", "处分"
        ADMONISHMENT = "admonishment", "诫勉"

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="rewards_sanctions")
    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    description = models.CharField("内容", max_length=255)
    authority = models.CharField("决定机关", max_length=100, blank=True)
    decided_on = models.DateField("决定时间")
    period_end = models.DateField("影响期截止", null=True, blank=True)

    class Meta:
        ordering = ["cadre_id", "decided_on"]


class FamilyMember(models.Model):
    """Family members and important social relations (家庭主要成员及重要社会关系)."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="family")
    relation = models.CharField("称谓", max_length=16)
    name = models.CharField("姓名", max_length=32)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    political_status = models.CharField("政治面貌", max_length=32, blank=True)
    work_unit_post = models.CharField("工作单位及职务", max_length=128, blank=True)
    # Set when the relative is a registered cadre: the link the avoidance rules and
    # the "relative of a leading cadre" circumstance need.
    relative_cadre = models.ForeignKey(
        Cadre, null=True, blank=True, on_delete=models.SET_NULL, related_name="relatives_of"
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["cadre_id", "sort_order", "id"]
