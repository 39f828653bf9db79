"""Template helpers of the exam pages, and the link the public campaign page shows."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html

from xuanren.competition.models import ExamRound

register = template.Library()


@register.simple_tag
def cell_key(candidate_id: int, examiner_id: int | None) -> str:
    """The key of a cell of the score grid: ``<candidate>-<examiner, 0 for a written test>``."""
    return f"{candidate_id}-{examiner_id or 0}"


@register.simple_tag
def typed_value(typed: dict[str, str], key: str, stored: Decimal | None) -> str:
    """What a cell shows: what was typed (after a refusal), else the stored score."""
    if key in typed:
        return typed[key]
    return "" if stored is None else str(stored)


@register.simple_tag
def absent_checked(posted: set[int] | None, row: Any) -> str:
    """`` checked`` for a candidate marked absent: as posted after a refusal, else as stored."""
    marked = row.absent if posted is None else row.candidate.pk in posted
    return " checked" if marked else ""


@register.filter
def normalize(value: Any) -> str:
    return f"{Decimal(value).normalize():f}" if value is not None else ""


@register.simple_tag
def scores_link(page: Any) -> str:
    """On the public campaign page: a link to the published exam scores, or nothing (one query)."""
    if not ExamRound.objects.filter(campaign_id=page.pk, status=ExamRound.Status.PUBLISHED).exists():
        return ""
    url = reverse("portal:scores", args=[page.jurisdiction.code, page.pk])
    return format_html(
        '<section aria-labelledby="exam-scores" class="card"><h2 id="exam-scores">考试成绩</h2>'
        '<ul class="list"><li><a href="{}">笔试、面试成绩和考官评分（考官姓名和具体评分）</a></li></ul></section>',
        url,
    )
