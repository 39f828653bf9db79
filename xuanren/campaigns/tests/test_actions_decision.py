"""Inspection, deliberation and decision: what stops a candidate, what keeps them off the agenda,
the speaking order, the majority of all members, the appeal window, the audit veto (D3, D4)."""

from __future__ import annotations

from datetime import date

import pytest

from xuanren.campaigns import actions, documents
from xuanren.campaigns.errors import CampaignRefused
from xuanren.campaigns.models import Candidate, MeetingMember, ProcedureForm
from xuanren.campaigns.testing import CampaignDriver, D, build_world
from xuanren.record.models import Entry

pytestmark = pytest.mark.django_db


def to_inspection(policy: str = "linze") -> CampaignDriver:
    driver = CampaignDriver(build_world(), policy=policy)
    driver.open_campaign()
    driver.nominate_all()
    driver.nominations_to_confirmed()
    driver.recommend()
    driver.joint_review()
    driver.choose_inspection_candidates()
    return driver


def test_evaluation_not_over_half_stops_before_deliberation() -> None:
    driver = to_inspection()
    driver.inspect(evaluation={"优秀": 20, "称职": 27, "基本称职": 30, "不称职": 18})  # 47/95 ≤ 1/2
    stopped = driver.candidates(Candidate.State.STOPPED)
    assert {c.stopped_step for c in stopped} >= {"inspection_review"}
    reviewed = [c for c in stopped if c.stopped_step == "inspection_review"]
    assert len(reviewed) == 4  # two for each of the two posts
    assert {c.stopped_rule for c in reviewed} == {"linze inspection.evaluation"}
    with pytest.raises(CampaignRefused) as info:
        actions.hold_department_meeting(
            driver.c,
            acting_user=driver.world.staff.head,
            today=D["department_meeting"],
            held_on=D["department_meeting"],
            candidates=reviewed,
            attendees=["组织部长"],
        )
    assert info.value.rule_id == "linze inspection.evaluation"


def test_a_team_that_does_not_agree_stops_the_candidate() -> None:
    driver = to_inspection()
    driver.inspect(review=False)
    s = driver.world.staff
    candidate = driver.candidates(Candidate.State.INSPECTED)[0]
    # The driver's conclusion was signed by everyone agreeing; a second one with a dissent replaces it.
    members = list(candidate.inspection_team.members.all())
    with pytest.raises(CampaignRefused) as info:
        actions.record_team_conclusion(
            candidate,
            acting_user=s.inspector,
            today=D["feedback"],
            text="结论",
            signatures=[actions.SignatureInput(members[0])],
        )
    assert "未签名" in info.value.message
    actions.record_team_conclusion(
        candidate,
        acting_user=s.inspector,
        today=D["feedback"],
        text="考察组对其群众基础存在不同意见",
        signatures=[
            actions.SignatureInput(members[0]),
            actions.SignatureInput(members[1]),
            actions.SignatureInput(members[2], agrees=False, dissent="群众基础较弱"),
        ],
    )
    actions.feed_back_inspection(candidate, acting_user=s.inspector, today=D["feedback"])
    actions.complete_inspection_review(candidate, acting_user=s.head, today=D["review_done"])
    candidate.refresh_from_db()
    assert candidate.state == Candidate.State.STOPPED
    assert candidate.stopped_rule == "linze inspection.team_agreement"


def test_appeal_window_of_one_week() -> None:
    driver = to_inspection("supervision-001")
    assert len(driver.candidates(Candidate.State.INSPECTION_CANDIDATE)) == 4  # 001: at least 1:2
    driver.inspect(review=False)
    s = driver.world.staff
    first, second, *_ = driver.candidates(Candidate.State.INSPECTED)
    actions.feed_back_inspection(first, acting_user=s.inspector, today=D["feedback"])
    first.refresh_from_db()
    assert first.appeal_deadline == date(2025, 4, 10)
    with pytest.raises(CampaignRefused) as info:
        actions.complete_inspection_review(first, acting_user=s.head, today=date(2025, 4, 8))
    assert info.value.rule_id == "supervision-001 inspection.appeal"
    appeal = actions.file_appeal(first, acting_user=s.officer, today=date(2025, 4, 9), reasons="谈话范围过窄")
    with pytest.raises(CampaignRefused):
        actions.complete_inspection_review(first, acting_user=s.head, today=D["review_done"])
    actions.decide_appeal(
        appeal,
        acting_user=s.head,
        today=D["review_done"],
        upheld=False,
        decision_text="经复核，谈话范围符合规定",
    )
    actions.complete_inspection_review(first, acting_user=s.head, today=D["review_done"])
    actions.feed_back_inspection(second, acting_user=s.inspector, today=D["feedback"])
    with pytest.raises(CampaignRefused) as info:
        actions.file_appeal(second, acting_user=s.officer, today=date(2025, 4, 11), reasons="逾期")
    assert info.value.rule_id == "supervision-001 inspection.appeal"


def ready_for_committee() -> tuple[CampaignDriver, list[Candidate]]:
    driver = to_inspection()
    driver.inspect()
    deliberated = driver.deliberate()
    driver.prepare_forms()
    return driver, deliberated


def test_the_audit_veto_and_the_agenda() -> None:
    driver = to_inspection()
    driver.inspect()
    s = driver.world.staff
    inspected = driver.candidates(Candidate.State.INSPECTED)
    actions.hold_department_meeting(
        driver.c,
        acting_user=s.head,
        today=D["department_meeting"],
        held_on=D["department_meeting"],
        candidates=inspected,
        attendees=["部长"],
    )
    vetoed = inspected[0]
    actions.record_opinion(
        vetoed,
        acting_user=s.discipline,
        today=D["opinions"],
        source="audit",
        body="县审计局",
        agrees=False,
        text="专项资金违规使用",
    )
    vetoed.refresh_from_db()
    assert vetoed.state == Candidate.State.STOPPED and vetoed.stopped_rule == "linze eligibility.audit_veto"
    entry = Entry.objects.get(action="opinion_recorded", candidate_id=vetoed.cadre_id)
    assert entry.payload["source"] == "audit" and entry.payload["veto"] is True
    for candidate in inspected[1:]:
        actions.record_opinion(
            candidate,
            acting_user=s.officer,
            today=D["opinions"],
            source="leaders",
            body="县领导",
            agrees=True,
        )
        actions.complete_consultation(candidate, acting_user=s.officer, today=D["opinions"])
    # Two left for two posts: not competitive.
    with pytest.raises(CampaignRefused) as info:
        actions.hold_personnel_deliberation(
            driver.c,
            acting_user=s.deliberation,
            today=D["personnel_deliberation"],
            held_on=D["personnel_deliberation"],
            candidates=inspected[1:],
            attendees=["书记"],
        )
    assert info.value.rule_id == "linze deliberation.ratio"


def test_no_form_no_agenda_and_full_committee_only_for_town_heads() -> None:
    driver = to_inspection()
    driver.inspect()
    deliberated = driver.deliberate()
    day = D["standing_committee"]
    with pytest.raises(CampaignRefused) as info:
        driver.committee("standing_committee", day, 11, deliberated)
    assert info.value.rule_id == "linze record.procedure"
    assert "人选产生程序情况表" in info.value.message
    form = actions.generate_procedure_form(
        deliberated[0], acting_user=driver.world.staff.officer, today=D["forms"]
    )
    assert form.complete and form.missing == []
    again = documents.procedure_form_docx(deliberated[0], form.rows, form.missing, form.generated_on)
    import hashlib

    assert hashlib.sha256(again).hexdigest() == form.docx_sha256  # reproducible
    driver.prepare_forms(deliberated[1:])
    actions.sign_procedure_form(
        form, acting_user=driver.world.staff.head, today=D["forms"], signer_name="组织部长"
    )
    assert ProcedureForm.objects.filter(signed_on__isnull=False).count() == 4
    county_head = next(c for c in deliberated if not c.post_kind)
    with pytest.raises(CampaignRefused) as info:
        driver.committee("full_committee", day, 25, [county_head])
    assert info.value.rule_id == "linze record.procedure"
    assert "不适用" in info.value.message


def test_the_secretary_speaks_last_and_the_majority_is_of_all_members() -> None:
    driver, deliberated = ready_for_committee()
    s = driver.world.staff
    day = D["standing_committee"]
    meeting = driver.committee("standing_committee", day, 11, deliberated)
    driver.sign_in_all(meeting, day, absent=3)  # 8 of 11 present
    actions.open_meeting(meeting, acting_user=s.officer, today=day)
    with pytest.raises(CampaignRefused) as info:
        actions.present_candidates(
            meeting, acting_user=s.head, today=day, presentation="建议任用王建国同志，倾向于其任局长"
        )
    assert info.value.rule_id == "linze decision.no_preference"
    actions.present_candidates(
        meeting, acting_user=s.head, today=day, presentation="介绍三名考察对象的推荐和考察情况"
    )
    candidate = deliberated[0]
    secretary = meeting.members.get(role=MeetingMember.Role.SECRETARY)
    with pytest.raises(CampaignRefused) as info:
        actions.record_position(
            meeting, acting_user=s.officer, today=day, member=secretary, candidate=candidate, position="同意"
        )
    assert info.value.rule_id == "linze decision.secretary_last"
    order = actions.speaking_order(meeting)
    assert order[-1] == secretary and len(order) == 8
    for member in order:
        actions.record_position(
            meeting,
            acting_user=s.officer,
            today=day,
            member=member,
            candidate=candidate,
            position="同意",
            reason="",
        )
    with pytest.raises(CampaignRefused) as info:
        actions.record_position(
            meeting, acting_user=s.officer, today=day, member=order[0], candidate=candidate, position="缓议"
        )
    assert info.value.rule_id in ("linze decision.positions", "linze decision.secretary_last")
    vote = actions.record_committee_vote(
        meeting,
        acting_user=s.officer,
        today=day,
        candidate=candidate,
        figures=actions.VoteFigures(in_favour=5, against=3),
    )
    assert not vote.passed  # 5/11 is not more than half of all 11 members, though 5 of 8 present
    assert vote.decision["rule_id"] == "linze decision.approval"
    candidate.refresh_from_db()
    assert candidate.state == Candidate.State.REJECTED
