"""Each forbidden step is refused with the rule that forbids it, and the refusal is recorded as a
``step_refused`` entry although the refused change rolled back (docs/campaigns.md)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from xuanren.campaigns import actions
from xuanren.campaigns.errors import CampaignRefused
from xuanren.campaigns.models import Campaign, Candidate, CandidateStep, Vacancy
from xuanren.campaigns.testing import CampaignDriver, D, build_world
from xuanren.record.models import Entry
from xuanren.register.choices import PostRole, Rank
from xuanren.supervision import actions as supervision
from xuanren.testing import factories

pytestmark = pytest.mark.django_db


def refused(call: Callable[[], Any], rule_id: str, step: str) -> CampaignRefused:
    """Run ``call``, expect a refusal by ``rule_id`` and its ``step_refused`` entry for ``step``."""
    before = Entry.objects.filter(action="step_refused").count()
    with pytest.raises(CampaignRefused) as info:
        call()
    assert info.value.rule_id == rule_id, info.value.message
    entries = list(Entry.objects.filter(action="step_refused").order_by("seq"))
    assert len(entries) == before + 1
    entry = entries[-1]
    assert entry.payload["rule_id"] == rule_id
    assert entry.payload["reason"] == info.value.message
    assert entry.step == step
    return info.value


@pytest.fixture
def driver() -> CampaignDriver:
    return CampaignDriver(build_world())


def to_inspection(driver: CampaignDriver) -> list[Candidate]:
    driver.open_campaign()
    driver.nominate_all()
    driver.nominations_to_confirmed()
    driver.recommend()
    driver.joint_review()
    return driver.choose_inspection_candidates()


def test_a_skipped_stage_is_refused(driver: CampaignDriver) -> None:
    driver.open_campaign()
    driver.nominate_all()
    driver.nominations_to_confirmed()
    driver.recommend()
    recommended = driver.candidates(Candidate.State.RECOMMENDED)
    # Straight to the department meeting: inspection candidates, notice and inspection skipped.
    refusal = refused(
        lambda: actions.hold_department_meeting(
            driver.c,
            acting_user=driver.world.staff.head,
            today=D["department_meeting"],
            held_on=D["department_meeting"],
            candidates=recommended,
            attendees=["组织部长"],
        ),
        "linze record.procedure",
        "department_meeting",
    )
    assert "inspection_candidates" in refusal.decision.inputs["missing"]
    assert not CandidateStep.objects.filter(step="department_meeting").exists()


def test_nominations_before_the_announcement_are_refused() -> None:
    world = build_world()
    s = world.staff
    campaign = actions.create_campaign(
        acting_user=s.officer,
        jurisdiction=world.jurisdiction,
        title="提前提名",
        year=2025,
        policy_ref="linze",
        today=D["motion"],
    )
    from xuanren.campaigns.testing import vacancy_inputs

    actions.propose_motion(
        campaign, acting_user=s.officer, today=D["motion"], reason="空缺", vacancies=vacancy_inputs(world)
    )
    refused(
        lambda: actions.nominate_self(
            campaign, acting_user=s.officer, today=D["motion"], cadre=world.nominees[0], statement="自荐"
        ),
        "linze record.procedure",
        "nominated",
    )
    assert not Candidate.objects.filter(campaign=campaign).exists()


def test_conditions_cannot_change_after_publication(driver: CampaignDriver) -> None:
    driver.open_campaign()
    vacancy = driver.vacancies()[0]
    digest = vacancy.conditions_sha256
    refused(
        lambda: actions.change_vacancy_conditions(
            vacancy, acting_user=driver.world.staff.officer, today=D["nominate"], changes={"max_age": 40}
        ),
        "linze openness.vacancy_items",
        "vacancy_announcement",
    )
    vacancy = Vacancy.objects.get(pk=vacancy.pk)
    assert vacancy.max_age == 45 and vacancy.conditions_sha256 == digest


def test_conditions_change_freely_before_publication() -> None:
    world = build_world()
    s = world.staff
    from xuanren.campaigns.testing import vacancy_inputs

    campaign = actions.create_campaign(
        acting_user=s.officer,
        jurisdiction=world.jurisdiction,
        title="t",
        year=2025,
        policy_ref="supervision-001",
        today=D["motion"],
    )
    actions.propose_motion(
        campaign, acting_user=s.officer, today=D["motion"], reason="空缺", vacancies=vacancy_inputs(world)
    )
    vacancy = campaign.vacancies.first()
    assert vacancy is not None
    actions.change_vacancy_conditions(
        vacancy, acting_user=s.officer, today=D["motion"], changes={"max_age": 40}
    )
    vacancy.refresh_from_db()
    assert vacancy.max_age == 40
    assert Entry.objects.filter(action="vacancy_conditions_changed").count() == 1


def test_a_missing_must_talk_group_keeps_the_inspection_open(driver: CampaignDriver) -> None:
    to_inspection(driver)
    s = driver.world.staff
    chosen = driver.candidates(Candidate.State.INSPECTION_CANDIDATE)
    team = actions.form_inspection_team(
        driver.c,
        acting_user=s.head,
        today=D["notice"],
        starts_on=D["inspection_starts"],
        hotline="0936-5551234",
        members=[actions.TeamMemberInput("马德华", is_leader=True)],
        candidates=chosen,
    )
    actions.publish_inspection_notice(team, acting_user=s.officer, today=D["notice"])
    candidate = chosen[0]
    day = D["talks"]
    actions.record_work_report(
        candidate, acting_user=s.inspector, today=day, held_on=day, audience="全体干部", summary="述职"
    )
    actions.record_evaluation(
        candidate,
        acting_user=s.inspector,
        today=day,
        held_on=day,
        figures=actions.EvaluationFigures({"优秀": 40, "称职": 40}),
    )
    for group in ("班子成员", "中层干部", "群众代表"):  # no talk with 纪检财务人员
        actions.record_talk(
            candidate, acting_user=s.inspector, today=day, group=group, interviewee="某", held_on=day
        )
    actions.record_face_to_face_talk(
        candidate, acting_user=s.inspector, today=day, held_on=day, summary="面谈"
    )
    actions.record_file_check(candidate, acting_user=s.inspector, today=day, held_on=day, summary="查档")
    refusal = refused(
        lambda: actions.conclude_inspection(candidate, acting_user=s.inspector, today=day),
        "linze inspection.must_talk",
        "inspection_conducted",
    )
    assert refusal.decision.inputs["missing"] == ["纪检财务人员"]
    actions.record_talk(
        candidate, acting_user=s.inspector, today=day, group="纪检财务人员", interviewee="某", held_on=day
    )
    actions.conclude_inspection(candidate, acting_user=s.inspector, today=day)
    assert Candidate.objects.get(pk=candidate.pk).state == Candidate.State.INSPECTED


def decided_ready(driver: CampaignDriver) -> list[Candidate]:
    to_inspection(driver)
    driver.inspect()
    deliberated = driver.deliberate()
    driver.prepare_forms()
    return deliberated


def test_no_quorum_no_discussion(driver: CampaignDriver) -> None:
    deliberated = decided_ready(driver)
    day = D["standing_committee"]
    meeting = driver.committee("standing_committee", day, 11, deliberated)
    driver.sign_in_all(meeting, day, absent=4)  # 7 of 11 < 2/3
    refusal = refused(
        lambda: actions.open_meeting(meeting, acting_user=driver.world.staff.officer, today=day),
        "linze decision.quorum",
        "standing_committee_vote",
    )
    assert refusal.decision.inputs["present"] == 7
    meeting.refresh_from_db()
    assert meeting.status == "convened"
    last = meeting.members.filter(present=False).order_by("sort_order").last()
    actions.sign_in(meeting, acting_user=driver.world.staff.officer, today=day, member=last)  # 8 of 11
    actions.open_meeting(meeting, acting_user=driver.world.staff.officer, today=day)


def test_an_unverified_complaint_blocks_appointment(driver: CampaignDriver) -> None:
    deliberated = decided_ready(driver)
    winners = [next(c for c in deliberated if c.vacancy_id == v.pk) for v in driver.vacancies()]
    driver.decide(winners, [c for c in deliberated if c not in winners])
    driver.notice()
    s = driver.world.staff
    candidate = driver.candidates(Candidate.State.NOTICED)[0]
    complaint = supervision.receive_complaint(
        acting_user=s.supervisor,
        jurisdiction=driver.world.jurisdiction,
        today=D["pre_notice"],
        summary="反映其亲属经商问题",
        candidate=candidate,
        reporter_name="匿名群众",
        anonymous=True,
    )
    assert complaint.during == "pre_appointment_notice"
    refused(
        lambda: actions.conclude_pre_appointment_notice(candidate, acting_user=s.officer, today=D["appoint"]),
        "linze eligibility.complaints",
        "pre_appointment_notice",
    )
    supervision.start_verification(
        complaint, acting_user=s.supervisor, today=D["appoint"], verifiers="组织部、纪委监委、市场监管局"
    )
    refused(
        lambda: actions.conclude_pre_appointment_notice(candidate, acting_user=s.officer, today=D["appoint"]),
        "linze eligibility.complaints",
        "pre_appointment_notice",
    )
    supervision.conclude_complaint(
        complaint,
        acting_user=s.supervisor,
        today=D["appoint"],
        outcome="cleared",
        conclusion="经核查，所反映问题不属实",
    )
    actions.conclude_pre_appointment_notice(candidate, acting_user=s.officer, today=D["appoint"])
    actions.appoint(candidate, acting_user=s.officer, today=D["appoint"])
    assert Candidate.objects.get(pk=candidate.pk).state == Candidate.State.PROBATION


def test_the_notice_period_must_run_out(driver: CampaignDriver) -> None:
    deliberated = decided_ready(driver)
    winners = [next(c for c in deliberated if c.vacancy_id == v.pk) for v in driver.vacancies()]
    driver.decide(winners, [c for c in deliberated if c not in winners])
    driver.notice()
    candidate = driver.candidates(Candidate.State.NOTICED)[0]
    refused(
        lambda: actions.conclude_pre_appointment_notice(
            candidate, acting_user=driver.world.staff.officer, today=date(2025, 4, 29)
        ),
        "linze notice.period",
        "pre_appointment_notice",
    )
    refused(
        lambda: actions.appoint(candidate, acting_user=driver.world.staff.officer, today=date(2025, 4, 29)),
        "linze record.procedure",
        "appointment_and_probation",
    )


def test_a_motion_beyond_the_approved_headcount_is_refused() -> None:
    world = build_world()
    s = world.staff
    unit = factories.make_unit(world.jurisdiction, "县财政局", zhengke=1)
    held = factories.make_post(unit, "局长", Rank.ZHENGKE, PostRole.GOV_HEAD)
    factories.hold(factories.make_cadre(world.jurisdiction, "现任局长", unit=unit, rank=Rank.ZHENGKE), held)
    extra = factories.make_post(unit, "党组书记", Rank.ZHENGKE, PostRole.PARTY_HEAD)
    campaign = actions.create_campaign(
        acting_user=s.officer,
        jurisdiction=world.jurisdiction,
        title="超职数",
        year=2025,
        policy_ref="linze",
        today=D["motion"],
    )
    refusal = refused(
        lambda: actions.propose_motion(
            campaign,
            acting_user=s.officer,
            today=D["motion"],
            reason="增设党组书记",
            vacancies=[actions.VacancyInput(post=extra, min_years_in_rank=2, min_education="junior_college")],
        ),
        "linze motion.within_quota",
        "motion_proposal",
    )
    assert refusal.decision.inputs == {
        "unit": unit.pk,
        "rank": "zhengke",
        "approved": 1,
        "used": 1,
        "other_campaigns": 0,
        "requested": 1,
    }
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.DRAFT
    assert not Vacancy.objects.filter(campaign=campaign).exists()


def test_an_inspection_notice_put_up_too_late_is_refused(driver: CampaignDriver) -> None:
    chosen = to_inspection(driver)
    s = driver.world.staff
    team = actions.form_inspection_team(
        driver.c,
        acting_user=s.head,
        today=date(2025, 3, 27),
        starts_on=D["inspection_starts"],  # 28 March: the notice must be up by 26 March (000: 提前2天)
        hotline="0936-5551234",
        members=[actions.TeamMemberInput("马德华", is_leader=True)],
        candidates=chosen,
    )
    refusal = refused(
        lambda: actions.publish_inspection_notice(team, acting_user=s.officer, today=date(2025, 3, 27)),
        "linze inspection.notice",
        "inspection_notice",
    )
    assert refusal.decision.value == "2025-03-26"
    assert not CandidateStep.objects.filter(step="inspection_notice").exists()
    actions.publish_inspection_notice(team, acting_user=s.officer, today=date(2025, 3, 26))
    assert CandidateStep.objects.filter(step="inspection_notice").count() == len(chosen)
