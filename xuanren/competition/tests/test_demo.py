"""The demo competition: built after the demo campaigns, its written test and interview published
and readable on the public page, the two below the written test's pass line stopped."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache

from xuanren.campaigns.demo import build_demo_campaigns
from xuanren.campaigns.models import Candidate
from xuanren.competition.demo import build_demo_competition
from xuanren.competition.models import ExamRound
from xuanren.register import demo

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)


def test_demo_competition_is_published_after_the_demo_campaigns(client):
    demo.build_demo(seed=demo.DEFAULT_SEED, size=700, today=TODAY)
    assert build_demo_campaigns(today=TODAY).skipped == []
    built = build_demo_competition(today=TODAY)
    assert built.skipped == [] and len(built.built) == 1
    rounds = list(ExamRound.objects.order_by("sort_order"))
    assert [r.status for r in rounds] == [ExamRound.Status.PUBLISHED] * 2
    assert rounds[1].examiners.count() == 5
    campaign = rounds[0].campaign
    # The two below the written test's pass line are stopped in the campaign itself, with why.
    stopped = list(campaign.candidates.filter(state=Candidate.State.STOPPED))
    assert len(stopped) == 2 and {c.stopped_rule for c in stopped} == {"competition.pass_line"}
    assert all("未达合格线 60 分" in c.stopped_reason for c in stopped)
    assert campaign.candidates.filter(state=Candidate.State.QUALIFIED).count() == 3
    cache.clear()
    html = client.get(
        f"/public/{campaign.jurisdiction.code}/campaigns/{campaign.pk}/scores/"
    ).content.decode()
    assert "高文华" in html and "去掉最高分" in html and "综合成绩 = 笔试成绩 × 40% + 面试成绩 × 60%" in html
    assert build_demo_competition(today=TODAY).skipped  # once only
