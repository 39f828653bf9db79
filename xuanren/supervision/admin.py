"""Complaints in the admin, read-only: receiving, verifying and concluding go through ``actions.py``."""

from __future__ import annotations

from django.contrib import admin

from xuanren.campaigns.admin import ReadOnly
from xuanren.supervision.models import Complaint


@admin.register(Complaint)
class ComplaintAdmin(ReadOnly):
    list_display = ("pk", "jurisdiction", "cadre", "during", "status", "outcome", "received_on")
    list_filter = ("status", "during", "outcome")
