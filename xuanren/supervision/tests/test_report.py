"""The annual report counts the year's campaigns, posts, nominees by channel, competitive ratios,
complaints and exceptions; the page draws bars without inline styles and exports to Excel."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from xuanren.campaigns.models import Candidate
from xuanren.campaigns.testing import D
from xuanren.supervision import actions
from xuanren.supervision.report import annual_report

pytestmark = pytest.mark.django_db


def test_the_annual_report_counts_the_year(inspected: Any, login: Any, client: Client) -> None:
    s = inspected.world.staff
    candidate = inspected.candidates(Candidate.State.INSPECTION_CANDIDATE)[0]
    actions.receive_complaint(
        acting_user=s.supervisor,
        jurisdiction=inspected.world.jurisdiction,
        today=D["inspection_candidates"],
        summary="反映其隐瞒房产",
        candidate=candidate,
    )
    year = inspected.c.year
    report = annual_report(inspected.world.jurisdiction, year)
    assert [c.pk for c in report.campaigns] == [inspected.c.pk]
    row = report.campaigns[0]
    assert row.posts == inspected.c.vacancies.count()
    assert row.nominees == inspected.c.candidates.count()
    assert row.inspection_candidates == len(inspected.candidates(Candidate.State.INSPECTION_CANDIDATE))
    assert sum(b.count for b in report.channels) == inspected.c.nominations.count()
    assert annual_report(inspected.world.jurisdiction, D["inspection_candidates"].year).complaint_total == 1
    assert annual_report(inspected.world.jurisdiction, year + 5).campaigns == []

    login(s.supervisor)
    page = client.get(reverse("supervision:report"), {"year": year})
    body = page.content.decode()
    assert page.status_code == 200 and inspected.c.title in body and "<svg" in body
    assert "style=" not in body and "<script" not in body
    assert client.get(reverse("supervision:report"), {"year": "junk"}).status_code == 200
    xlsx = client.get(reverse("supervision:report_xlsx"), {"year": year})
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["选任工作", "提名渠道", "信访举报", "规则例外", "申诉"]
    assert book["选任工作"]["A3"].value == inspected.c.title
