"""Read-only admin pages for the campaign tables: every change goes through ``actions.py``, so the
admin may look but not write (a write here would bypass the rules and the record)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from xuanren.campaigns import models


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(models.Campaign)
class CampaignAdmin(ReadOnly):
    list_display = ("title", "jurisdiction", "year", "status", "policy_id", "policy_version")
    list_filter = ("status", "year")


@admin.register(models.Candidate)
class CandidateAdmin(ReadOnly):
    list_display = ("cadre", "campaign", "vacancy", "state", "stopped_rule")
    list_filter = ("state",)


for model in (
    models.AnnualPlan,
    models.Vacancy,
    models.Nomination,
    models.Recommendation,
    models.InspectionTeam,
    models.Meeting,
    models.Notice,
    models.ProcedureForm,
    models.Probation,
):
    admin.site.register(model, ReadOnly)
