"""Exams of a competition for posts (公开选拔、竞争上岗): rounds, examiners and their scores.

A campaign run as open selection or competition for posts holds exam rounds (笔试、面试、测评, the
gates of 004) before inspection. Each :class:`ExamRound` states its maximum score, its weight in the
combined score, the scoring method announced and a pass line where the announcement sets one. An
interview or evaluation has :class:`Examiner` rows (name, unit and post, chief examiner or examiner,
each with a recusal declaration); every examiner's score for every candidate is one :class:`Score`.
A written test has one score per candidate and no examiners. Corrections after the round is
locked keep the old value (:class:`ScoreCorrection`). 001 一、（三）2: examiners' names and their
individual scores are published.

Nothing here is written except by :mod:`xuanren.competition.actions`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xuanren.accounts.scoping import ScopedManager
from xuanren.campaigns.models import Campaign, Candidate, Vacancy
from xuanren.competition import scoring

ROUND_SCOPE = "round__campaign__jurisdiction__path"


class ExamRound(models.Model):
    class Kind(models.TextChoices):
        WRITTEN = "written", "笔试"
        INTERVIEW = "interview", "面试"
        EVALUATION = "evaluation", "测评"

    class Method(models.TextChoices):
        SINGLE = scoring.SINGLE, "单一成绩（阅卷评分，每人一个成绩）"
        MEAN = scoring.MEAN, "全体考官评分的平均分"
        TRIMMED_MEAN = scoring.TRIMMED_MEAN, "去掉一个最高分和一个最低分后的平均分（考官 5 人及以上）"

    class Status(models.TextChoices):
        DRAFT = "draft", "录入中"
        LOCKED = "locked", "已复核锁定"
        PUBLISHED = "published", "已公布"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="exam_rounds")
    vacancy = models.ForeignKey(
        Vacancy,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="职位（不填为全部职位）",
    )
    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    title = models.CharField("名称", max_length=100)
    held_on = models.DateField("考试日期")
    max_score = models.DecimalField("满分", max_digits=6, decimal_places=2)
    weight = models.DecimalField("在综合成绩中的权重", max_digits=5, decimal_places=4)
    pass_line = models.DecimalField("合格分数线", max_digits=6, decimal_places=2, null=True, blank=True)
    method = models.CharField("计分方法", max_length=16, choices=Method.choices)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    sheet_entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sheet_entry_seq = models.BigIntegerField("成绩录入纪实条目", null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    locked_at = models.DateTimeField("锁定时间", null=True, blank=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    published_seq = models.BigIntegerField("公布纪实条目", null=True, blank=True)

    scope_path = "campaign__jurisdiction__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "考试"
        verbose_name_plural = "考试"
        ordering = ["campaign_id", "sort_order", "held_on", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def has_examiners(self) -> bool:
        return self.method != scoring.SINGLE

    @property
    def editable(self) -> bool:
        return self.status == self.Status.DRAFT


class Examiner(models.Model):
    """An examiner (考官) of a round, with the recusal declaration (回避声明) made before scoring."""

    class Role(models.TextChoices):
        CHIEF = "chief", "主考官"
        MEMBER = "member", "考官"

    round = models.ForeignKey(ExamRound, on_delete=models.CASCADE, related_name="examiners")
    name = models.CharField("姓名", max_length=64)
    unit_post = models.CharField("单位及职务", max_length=128)
    role = models.CharField("身份", max_length=8, choices=Role.choices, default=Role.MEMBER)
    no_relationship = models.BooleanField("声明与全部人选无亲属关系或其他利害关系", default=False)
    declaration = models.TextField("回避声明", blank=True)
    declared_on = models.DateField("声明日期")
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    entry_seq = models.BigIntegerField("纪实条目", null=True, blank=True)

    scope_path = ROUND_SCOPE
    objects = ScopedManager()

    class Meta:
        verbose_name = "考官"
        verbose_name_plural = "考官"
        ordering = ["round_id", "sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class Score(models.Model):
    """One examiner's score for one candidate (or the one score of a written test)."""

    round = models.ForeignKey(ExamRound, on_delete=models.CASCADE, related_name="scores")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="exam_scores")
    examiner = models.ForeignKey(
        Examiner, null=True, blank=True, on_delete=models.PROTECT, related_name="scores"
    )
    value = models.DecimalField("成绩", max_digits=6, decimal_places=2)

    scope_path = ROUND_SCOPE
    objects = ScopedManager()

    class Meta:
        verbose_name = "考试成绩"
        verbose_name_plural = "考试成绩"
        ordering = ["round_id", "candidate_id", "examiner_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "candidate", "examiner"],
                condition=models.Q(examiner__isnull=False),
                name="exam_score_once_per_examiner",
            ),
            models.UniqueConstraint(
                fields=["round", "candidate"],
                condition=models.Q(examiner__isnull=True),
                name="exam_score_once_without_examiner",
            ),
        ]


class Absence(models.Model):
    """A candidate who did not sit the round (缺考), recorded with the sheet instead of scores."""

    round = models.ForeignKey(ExamRound, on_delete=models.CASCADE, related_name="absences")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="exam_absences")

    scope_path = ROUND_SCOPE
    objects = ScopedManager()

    class Meta:
        verbose_name = "缺考"
        verbose_name_plural = "缺考"
        ordering = ["round_id", "candidate_id"]
        constraints = [models.UniqueConstraint(fields=["round", "candidate"], name="exam_absence_once")]


class ScoreCorrection(models.Model):
    """A score changed after the round was locked: the old value, the new one and why."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="corrections")
    old_value = models.DecimalField("原成绩", max_digits=6, decimal_places=2)
    new_value = models.DecimalField("更正后成绩", max_digits=6, decimal_places=2)
    reason = models.TextField("更正理由")
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    corrected_at = models.DateTimeField("更正时间")
    entry_seq = models.BigIntegerField("纪实条目", null=True, blank=True)

    scope_path = "score__round__campaign__jurisdiction__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "成绩更正"
        verbose_name_plural = "成绩更正"
        ordering = ["score_id", "id"]
