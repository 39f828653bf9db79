"""Complaints (信访举报) and their verification (核查).

A complaint may concern a campaign candidate (during the inspection notice, the personal-matters
disclosure or the pre-appointment notice: DOMAIN D4.2, D5) or any registered cadre; the public
complaint portal and the supervision desk build on this one model. The reporter's identity is
kept here only, never in the full-process record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xuanren.accounts.models import Jurisdiction
from xuanren.accounts.scoping import ScopedQuerySet


class ComplaintQuerySet(ScopedQuerySet["Complaint"]):
    def unverified(self) -> ComplaintQuerySet:
        """Complaints whose verification has not concluded (they block appointment)."""
        return self.exclude(status=Complaint.Status.CONCLUDED)


class Complaint(models.Model):
    class During(models.TextChoices):
        INSPECTION_NOTICE = "inspection_notice", "考察预告期间"
        FIRST_DISCLOSURE = "first_disclosure", "有关事项第一次公开期间"
        PRE_APPOINTMENT_NOTICE = "pre_appointment_notice", "任前公示期间"
        SECOND_DISCLOSURE = "second_disclosure", "有关事项第二次公开期间"
        PROBATION = "probation", "试用期间"
        OTHER = "other", "其他时间"

    class Channel(models.TextChoices):
        LETTER = "letter", "来信"
        VISIT = "visit", "来访"
        PHONE = "phone", "来电"
        ONLINE = "online", "网络"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        RECEIVED = "received", "已受理"
        VERIFYING = "verifying", "核查中"
        CONCLUDED = "concluded", "已办结"

    class Outcome(models.TextChoices):
        CLEARED = "cleared", "查无实据、予以澄清"
        CANCELLED = "cancelled", "问题属实、取消资格"
        REFERRED = "referred", "移交有关部门处理"

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name="辖区"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    candidate = models.ForeignKey(
        "campaigns.Candidate", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    cadre = models.ForeignKey(
        "register.Cadre",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name="被反映人",
    )
    during = models.CharField("反映期间", max_length=24, choices=During.choices, default=During.OTHER)
    channel = models.CharField("反映方式", max_length=12, choices=Channel.choices, default=Channel.LETTER)
    received_on = models.DateField("受理日期")
    anonymous = models.BooleanField("匿名", default=False)
    reporter_name = models.CharField("反映人", max_length=64, blank=True)
    reporter_contact = models.CharField("反映人联系方式", max_length=64, blank=True)
    summary = models.TextField("反映的主要问题")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.RECEIVED)
    verification_started_on = models.DateField("核查开始日期", null=True, blank=True)
    verifiers = models.CharField("核查人员（核查组）", max_length=200, blank=True)
    due_on = models.DateField("办结期限", null=True, blank=True)
    outcome = models.CharField("核查结论", max_length=12, choices=Outcome.choices, blank=True)
    conclusion = models.TextField("核查情况", blank=True)
    concluded_on = models.DateField("办结日期", null=True, blank=True)
    fed_back_on = models.DateField("向反映人反馈日期", null=True, blank=True)
    published = models.BooleanField("结论已公开", default=False)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A complaint filed on the public portal is followed with a tracking code and a password; only
    # the password's hash is kept (Django's hashers: Argon2 first, see PASSWORD_HASHERS).
    tracking_code = models.CharField("查询码", max_length=16, unique=True, null=True, blank=True)
    tracking_password = models.CharField("查询密码（哈希）", max_length=128, blank=True)
    attachments = models.ManyToManyField("record.Material", blank=True, related_name="+", verbose_name="附件")
    answer = models.TextField("答复反映人", blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)

    scope_path = "jurisdiction__path"
    objects = models.Manager.from_queryset(ComplaintQuerySet)()

    class Meta:
        verbose_name = "信访举报"
        verbose_name_plural = "信访举报"
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"信访举报 {self.pk}"
