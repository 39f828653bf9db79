"""Complaints: received, verified and concluded; a cancelled one stops the candidate; the record
names the period and the complaint, never the reporter."""

from __future__ import annotations

import pytest

from xuanren.campaigns.models import Candidate
from xuanren.campaigns.testing import CampaignDriver, D, build_world
from xuanren.record.models import Entry
from xuanren.supervision import actions
from xuanren.supervision.models import Complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspected() -> CampaignDriver:
    driver = CampaignDriver(build_world())
    driver.open_campaign()
    driver.nominate_all()
    driver.nominations_to_confirmed()
    driver.recommend()
    driver.joint_review()
    driver.choose_inspection_candidates()
    return driver


def test_a_complaint_during_the_inspection_notice_is_recorded_without_the_reporter(
    inspected: CampaignDriver,
) -> None:
    s = inspected.world.staff
    candidate = inspected.candidates(Candidate.State.INSPECTION_CANDIDATE)[0]
    complaint = actions.receive_complaint(
        acting_user=s.supervisor,
        jurisdiction=inspected.world.jurisdiction,
        today=D["inspection_candidates"],
        summary="反映其在招商引资中弄虚作假",
        candidate=candidate,
        reporter_name="李某某",
        reporter_contact="13900000000",
        channel="phone",
    )
    assert complaint.during == Complaint.During.INSPECTION_NOTICE
    assert complaint.cadre_id == candidate.cadre_id
    entry = Entry.objects.get(action="complaint_received")
    assert entry.candidate_id == candidate.cadre_id and entry.campaign_id == inspected.c.pk
    assert entry.payload["during"] == "inspection_notice" and entry.payload["complaint_id"] == complaint.pk
    assert "李某某" not in entry.data and "13900000000" not in entry.data
    assert entry.step == "inspection_notice"


def test_a_cancelled_complaint_stops_the_candidate(inspected: CampaignDriver) -> None:
    s = inspected.world.staff
    candidate = inspected.candidates(Candidate.State.INSPECTION_CANDIDATE)[0]
    complaint = actions.receive_complaint(
        acting_user=s.supervisor,
        jurisdiction=inspected.world.jurisdiction,
        today=D["inspection_candidates"],
        summary="反映其隐瞒房产",
        candidate=candidate,
        anonymous=True,
        reporter_name="不应保存",
    )
    assert complaint.reporter_name == ""
    with pytest.raises(actions.ComplaintRefused):
        actions.conclude_complaint(
            complaint, acting_user=s.supervisor, today=D["notice"], outcome="cancelled", conclusion="x"
        )
    actions.start_verification(
        complaint, acting_user=s.supervisor, today=D["notice"], verifiers="组织部、纪委监委、住建局"
    )
    actions.conclude_complaint(
        complaint,
        acting_user=s.supervisor,
        today=D["notice"],
        outcome="cancelled",
        conclusion="经核查，隐瞒房产两套属实",
    )
    candidate.refresh_from_db()
    assert candidate.state == Candidate.State.STOPPED
    assert candidate.stopped_rule == "linze eligibility.complaints"
    concluded = Entry.objects.get(action="complaint_concluded")
    assert concluded.payload["outcome"] == "cancelled"
    assert concluded.candidate_id == candidate.cadre_id


def test_only_the_supervision_desk_verifies(inspected: CampaignDriver) -> None:
    s = inspected.world.staff
    complaint = actions.receive_complaint(
        acting_user=s.officer,
        jurisdiction=inspected.world.jurisdiction,
        today=D["inspection_candidates"],
        summary="反映问题",
        cadre=inspected.world.nominees[0],
    )
    with pytest.raises(actions.ComplaintRefused) as info:
        actions.start_verification(complaint, acting_user=s.officer, today=D["notice"], verifiers="某")
    assert info.value.rule == "supervision.access"
    actions.start_verification(complaint, acting_user=s.discipline, today=D["notice"], verifiers="纪委监委")
    actions.conclude_complaint(
        complaint, acting_user=s.discipline, today=D["notice"], outcome="referred", conclusion="移交纪委监委"
    )
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.CONCLUDED and complaint.fed_back_on == D["notice"]
    assert not Complaint.objects.unverified().exists()
