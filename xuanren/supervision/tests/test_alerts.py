"""Alerts raised from real campaign data: a meeting opened without quorum, a low-share or direct
inspection candidate, a complaint past its due date, an appeal waiting."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from xuanren.campaigns import actions as campaign_actions
from xuanren.campaigns.errors import CampaignRefused
from xuanren.campaigns.models import Candidate
from xuanren.campaigns.testing import D
from xuanren.record.models import Entry
from xuanren.supervision import actions
from xuanren.supervision.alerts import EntryFacts, OpenItem, alerts_for, alerts_from

pytestmark = pytest.mark.django_db


def test_pure_rules_table() -> None:
    def facts(action: str, **payload: Any) -> EntryFacts:
        return EntryFacts(1, 1, action, "2025-04-21T01:00:00Z", 7, payload, "王建国")

    entries = [
        facts("inspection_candidate_set", basis="direct", share=None, passed=None),
        facts("inspection_candidate_set", basis="recommendation", share="1/5", threshold="1/3", passed=False),
        facts("inspection_candidate_set", basis="recommendation", share="2/3", threshold="1/3", passed=True),
        facts("tie_settled", reason="票数相同，重新投票"),
        facts(
            "step_refused",
            step="standing_committee_vote",
            rule_id="linze decision.quorum",
            reason="到会成员不足三分之二",
        ),
        facts("step_refused", step="publish_notice", rule_id="notice.days", reason="公示不足 5 个工作日"),
        facts("nomination_proposed"),
    ]
    items = [
        OpenItem("complaint", 3, 7, 9, date(2025, 5, 1), date(2025, 4, 1), 11, "王建国"),
        OpenItem("complaint", 4, 7, 9, date(2025, 6, 1), date(2025, 4, 1), 12, "王建国"),
        OpenItem("appeal", 5, 7, 9, None, date(2025, 5, 2), None, "李红梅"),
    ]
    kinds = sorted(a.kind for a in alerts_from(entries, items, date(2025, 5, 10)))
    assert kinds == sorted(
        ["exception", "low_share", "exception", "no_quorum", "refused", "complaint_overdue", "appeal_waiting"]
    )


def test_alerts_from_a_campaign_run(inspected: Any, login: Any, client: Client) -> None:
    driver = inspected
    s = driver.world.staff
    candidate = driver.candidates(Candidate.State.INSPECTION_CANDIDATE)[0]
    complaint = actions.receive_complaint(
        acting_user=s.supervisor,
        jurisdiction=driver.world.jurisdiction,
        today=D["inspection_candidates"],
        summary="反映其隐瞒房产",
        candidate=candidate,
        due_on=D["inspection_candidates"],
    )
    actions.start_verification(
        complaint, acting_user=s.supervisor, today=D["inspection_candidates"], verifiers="组织部、纪委"
    )
    driver.inspect()
    driver.deliberate()
    driver.prepare_forms()
    day = D["standing_committee"]
    meeting = driver.committee("standing_committee", day, 11, driver.candidates(Candidate.State.DELIBERATED))
    driver.sign_in_all(meeting, day, absent=5)
    with pytest.raises(CampaignRefused):
        campaign_actions.open_meeting(meeting, acting_user=s.officer, today=day)
    refused = Entry.objects.filter(action="step_refused").last()
    assert refused is not None

    alerts = alerts_for(s.supervisor, date(2025, 6, 1))
    kinds = {a.kind for a in alerts}
    assert "no_quorum" in kinds, [(a.kind, a.text) for a in alerts]
    assert "complaint_overdue" in kinds
    quorum = next(a for a in alerts if a.kind == "no_quorum")
    assert quorum.entry_pk == refused.pk and quorum.campaign_id == driver.c.pk

    login(s.supervisor)
    page = client.get(reverse("supervision:alerts"), {"on": "2025-06-01"})
    body = page.content.decode()
    assert page.status_code == 200
    assert reverse("record:entry", args=[refused.pk]) in body
    assert reverse("campaigns:detail", args=[driver.c.pk]) in body
