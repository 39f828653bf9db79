"""Personal-matters disclosure (003 开鲁县): an incomplete form is returned; the first round runs
5 working days counted with the holiday calendar and keeps the candidate off the agenda until
it has run out."""

from __future__ import annotations

from datetime import date

import pytest

from xuanren.campaigns import actions, engine
from xuanren.campaigns.errors import CampaignRefused
from xuanren.campaigns.models import Candidate
from xuanren.campaigns.testing import DISCLOSURE_MATTERS, CampaignDriver, D, build_world

pytestmark = pytest.mark.django_db


def test_first_disclosure_runs_five_working_days() -> None:
    driver = CampaignDriver(build_world(), policy="tongliao-003")
    driver.open_campaign()
    driver.nominate_all()
    driver.nominations_to_confirmed()
    driver.recommend()
    driver.joint_review()
    candidate = driver.choose_inspection_candidates()[0]
    s = driver.world.staff
    partial = {k: v for k, v in DISCLOSURE_MATTERS.items() if "房产" not in k}
    with pytest.raises(CampaignRefused) as info:
        actions.start_first_disclosure(
            candidate,
            acting_user=s.officer,
            today=D["disclosure"],
            starts_on=D["disclosure"],
            places=["所在单位"],
            matters=partial,
        )
    assert info.value.rule_id == "tongliao-003 disclosure.incomplete"
    disclosure = actions.start_first_disclosure(
        candidate,
        acting_user=s.officer,
        today=D["disclosure"],
        starts_on=D["disclosure"],
        places=["所在单位", "居住地"],
        matters=DISCLOSURE_MATTERS,
    )
    # 1, 2, 3 April 2025, then 清明 (4–6 April), then 7 and 8 April.
    assert disclosure.ends_on == date(2025, 4, 8)
    assert disclosure.decision["rule_id"] == "tongliao-003 disclosure.first"
    candidate = Candidate.objects.get(pk=candidate.pk)
    policy = engine.policy_of(driver.c)
    assert (
        "有关事项第一次公开（2025-04-08 期满）"
        in engine.procedure_check(policy, candidate, date(2025, 4, 8)).missing
    )
    assert (
        "有关事项第一次公开（2025-04-08 期满）"
        not in engine.procedure_check(policy, candidate, date(2025, 4, 9)).missing
    )
