from __future__ import annotations

from datetime import date

import pytest

from xuanren.campaigns import actions
from xuanren.record.hooks import campaign_info

pytestmark = pytest.mark.django_db


def test_record_forms_carry_the_campaign_title_and_its_pinned_policy(counties, make_user):
    officer = make_user("cadre_officer", jurisdiction=counties.a)
    campaign = actions.create_campaign(
        acting_user=officer,
        jurisdiction=counties.a,
        title="2026年县审计局副科级领导职务选任",
        year=2026,
        policy_ref="linze@1",
        today=date(2026, 3, 2),
    )
    info = campaign_info(campaign.pk)
    assert info.title == "2026年县审计局副科级领导职务选任"
    assert info.policy == "linze@1"
    assert [stage.id for stage in info.stages][:2] == ["nomination", "recommendation"]
    assert campaign_info(campaign.pk + 999).title.startswith("选任工作（编号")
