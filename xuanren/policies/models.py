"""Policy versions a department adopts without code changes, and official holiday schedules.

A :class:`PolicyVersion` is one uploaded TOML policy file, stored as written, with the SHA-256
of its resolved content (see ``xuanren.rules.policy``). Versions are immutable: editing a policy
stores a new version, and the database refuses to change a stored one (model methods here,
triggers in migration 0002), so a campaign that pinned ``(id, version, sha256)`` is decided by
the same rules forever.

A :class:`HolidaySchedule` is the State Council's holiday schedule for a year that the
``chinese_calendar`` package does not know yet, entered by a system administrator. Unlike a
policy version it may be corrected, each change being an action with a record entry.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models


class ImmutableVersionError(Exception):
    """A stored policy version was about to be changed or deleted."""


class PolicyVersionQuerySet(models.QuerySet["PolicyVersion"]):
    def update(self, **kwargs: Any) -> int:
        raise ImmutableVersionError("已保存的政策版本不得修改：请另立新版本")

    def delete(self) -> Any:
        raise ImmutableVersionError("已保存的政策版本不得删除：旧版本须永远可读")


PolicyVersionManager = models.Manager.from_queryset(PolicyVersionQuerySet)


class PolicyVersion(models.Model):
    """One version of a policy entered in the system (the built-in ones live in ``xuanren/rules``)."""

    policy_id = models.CharField(
        "政策编号",
        max_length=64,
        validators=[RegexValidator(r"^[a-z0-9][a-z0-9-]*$", "编号只能用小写字母、数字和连字符")],
    )
    version = models.PositiveIntegerField("版本", validators=[MinValueValidator(1)])
    name = models.CharField("名称", max_length=200)
    effective = models.DateField("生效日期")
    inherits = models.CharField("继承", max_length=80, blank=True)
    text = models.TextField("政策文件（TOML）")
    sha256 = models.CharField("内容摘要（SHA-256）", max_length=64)
    comment = models.CharField("修订说明", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="录入人"
    )
    created_at = models.DateTimeField("录入时间")

    objects = PolicyVersionManager()

    class Meta:
        verbose_name = "政策版本"
        verbose_name_plural = "政策版本"
        ordering = ["policy_id", "version"]
        constraints = [models.UniqueConstraint(fields=["policy_id", "version"], name="policy_version_unique")]

    def __str__(self) -> str:
        return self.label

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableVersionError(f"政策 {self.label} 已保存，不得修改：请另立新版本")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableVersionError(f"政策 {self.label} 已保存，不得删除：旧版本须永远可读")

    @property
    def label(self) -> str:
        return f"{self.policy_id}@{self.version}"


class HolidaySchedule(models.Model):
    """The official holiday schedule (放假调休安排) of one year, as published by the State Council.

    ``holidays`` and ``workdays`` are lists of ISO dates ("2027-10-01"): the days off that would
    otherwise be working days, and the make-up working days on a Saturday or Sunday.
    """

    year = models.PositiveSmallIntegerField(
        "年份", unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    holidays = models.JSONField("放假日", default=list)
    workdays = models.JSONField("调休上班日", default=list)
    source = models.CharField("依据（通知文号）", max_length=200)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="录入人"
    )
    updated_at = models.DateTimeField("录入时间")

    class Meta:
        verbose_name = "法定节假日安排"
        verbose_name_plural = "法定节假日安排"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year} 年放假安排"

    def holiday_dates(self) -> list[date]:
        return sorted(date.fromisoformat(day) for day in self.holidays)

    def workday_dates(self) -> list[date]:
        return sorted(date.fromisoformat(day) for day in self.workdays)
