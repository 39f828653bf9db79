"""Jurisdictions (GB/T 2260 administrative divisions) and staff users."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models


class Jurisdiction(models.Model):
    """An administrative division: province → city → county (→ town).

    `path` is the chain of codes from the root ("620000/620700/620723/"), so "this jurisdiction
    and those under it" is one indexed prefix match.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", "省级"
        CITY = "city", "市级"
        COUNTY = "county", "县级"
        TOWN = "town", "乡级"

    code = models.CharField(
        "行政区划代码",
        max_length=12,
        unique=True,
        validators=[
            RegexValidator(r"^\d{6}(\d{3})?$", "行政区划代码应为 6 位（县级及以上）或 9 位（乡级）数字")
        ],
    )
    name = models.CharField("名称", max_length=64)
    level = models.CharField("层级", max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)

    class Meta:
        verbose_name = "辖区"
        verbose_name_plural = "辖区"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.path = (self.parent.path if self.parent else "") + self.code + "/"
        super().save(*args, **kwargs)

    def contains(self, other: Jurisdiction) -> bool:
        return other.path.startswith(self.path)


class User(AbstractUser):
    """A staff member. Their roles are Django groups (see roles.py); their reach is a jurisdiction."""

    jurisdiction = models.ForeignKey(
        Jurisdiction,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name="所属辖区",
    )
    display_name = models.CharField("姓名", max_length=64, blank=True)
    totp_secret = models.CharField("动态口令密钥", max_length=64, blank=True)
    totp_confirmed = models.BooleanField("已绑定动态口令", default=False)
    totp_last_step = models.BigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def role_codes(self) -> frozenset[str]:
        cached = getattr(self, "_role_codes", None)
        if cached is None:
            from xuanren.accounts.roles import role_codes_of

            cached = role_codes_of(self)
            self._role_codes = cached
        return cached

    def has_role(self, *codes: str) -> bool:
        return bool(self.role_codes.intersection(codes))
