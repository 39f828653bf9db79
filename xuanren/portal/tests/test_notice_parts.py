"""Rarer parts of a pre-appointment notice, from rows written directly."""

from __future__ import annotations

import re
from datetime import date

import pytest

from xuanren.campaigns.models import Candidate, Notice
from xuanren.portal.tests.rows import build

pytestmark = pytest.mark.django_db


def text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_an_exceptional_promotion_states_its_reasons_and_the_approval(client, counties):
    urls = build(counties.a, 2)
    notice = Notice.objects.get(kind=Notice.Kind.PRE_APPOINTMENT, campaign__jurisdiction=counties.a)
    content = notice.content
    content["candidates"][0]["exceptional"] = "在脱贫攻坚中实绩特别突出，破格提拔"
    Notice.objects.filter(pk=notice.pk).update(content=content)
    Candidate.objects.filter(pk=content["candidates"][0]["candidate"]).update(
        exceptional_reason="outstanding",
        exceptional_authority="市委组织部",
        exceptional_approved_on=date(2025, 4, 18),
    )
    page = text(client, urls["pre-appointment notice"])
    assert "破格提拔 理由：在脱贫攻坚中实绩特别突出，破格提拔 批准：市委组织部 2025年4月18日批准" in page
    assert page.count("破格提拔 理由") == 1  # the other candidate is promoted in the ordinary way


def test_the_cv_is_the_cv_of_the_posting_day(client, counties):
    urls = build(counties.a, 2)
    page = text(client, urls["pre-appointment notice"])
    assert "2008.07—2015.03 乡政府科员" in page
    assert "2015.03— 临泽县测试局副局长0" in page  # still held on the posting day: no end
    assert "全日制教育：大学本科" in page and "先进个人" in page
