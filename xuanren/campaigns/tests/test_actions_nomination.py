"""Motion, the two openings and the five nomination channels, each with its own rules (D1, D2)."""

from __future__ import annotations

from datetime import date

import pytest

from xuanren.campaigns import actions
from xuanren.campaigns.errors import CampaignRefused, NotPermitted
from xuanren.campaigns.models import Candidate, Nomination, TieSettlement
from xuanren.campaigns.testing import CampaignDriver, D, build_world, vacancy_inputs
from xuanren.record.models import Entry
from xuanren.register.choices import Education
from xuanren.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def driver() -> CampaignDriver:
    d = CampaignDriver(build_world())
    d.open_campaign()
    return d


def test_the_campaign_pins_its_policy_and_the_annual_plan_lists_it() -> None:
    world = build_world()
    s = world.staff
    plan = actions.create_annual_plan(
        acting_user=s.head, jurisdiction=world.jurisdiction, year=2025, today=D["motion"]
    )
    campaign = actions.create_campaign(
        acting_user=s.officer,
        jurisdiction=world.jurisdiction,
        title="一季度选任",
        year=2025,
        policy_ref="linze@1",
        today=D["motion"],
        annual_plan=plan,
        plan_quarter=1,
    )
    assert (campaign.policy_id, campaign.policy_version, len(campaign.policy_sha256)) == ("linze", 1, 64)
    actions.publish_annual_plan(plan, acting_user=s.head, today=D["motion"])
    entry = Entry.objects.get(action="annual_plan_published")
    assert entry.payload["campaigns"][0]["campaign"] == campaign.pk
    with pytest.raises(NotPermitted):
        actions.create_campaign(
            acting_user=s.inspector,
            jurisdiction=world.jurisdiction,
            title="x",
            year=2025,
            policy_ref="linze",
            today=D["motion"],
        )


def test_the_secretary_gives_direction_never_names() -> None:
    world = build_world()
    s = world.staff
    campaign = actions.create_campaign(
        acting_user=s.officer,
        jurisdiction=world.jurisdiction,
        title="t",
        year=2025,
        policy_ref="linze",
        today=D["motion"],
    )
    actions.propose_motion(
        campaign, acting_user=s.officer, today=D["motion"], reason="空缺", vacancies=vacancy_inputs(world)
    )
    name = world.nominees[2].name
    with pytest.raises(CampaignRefused) as info:
        actions.record_direction(
            campaign,
            acting_user=s.secretary,
            today=D["motion"],
            direction=f"建议考虑{name}同志",
            standards="年轻化",
        )
    assert info.value.rule_id == "linze motion.secretary_direction_only"
    assert name in info.value.message
    assert Entry.objects.get(action="step_refused").step == "motion_plan"
    actions.record_direction(
        campaign, acting_user=s.secretary, today=D["motion"], direction="注重实绩", standards="年富力强"
    )
    with pytest.raises(CampaignRefused) as info:
        actions.agree_motion_plan(
            campaign, acting_user=s.deliberation, today=D["plan"], meeting="常委会", attendees=["书记"]
        )
    assert info.value.rule_id == "linze motion.plan_agreed_by"


def test_the_method_is_published_before_the_announcement() -> None:
    world = build_world()
    s = world.staff
    campaign = actions.create_campaign(
        acting_user=s.officer,
        jurisdiction=world.jurisdiction,
        title="t",
        year=2025,
        policy_ref="linze",
        today=D["motion"],
    )
    actions.propose_motion(
        campaign, acting_user=s.officer, today=D["motion"], reason="空缺", vacancies=vacancy_inputs(world)
    )
    actions.agree_motion_plan(
        campaign, acting_user=s.deliberation, today=D["plan"], meeting="县委人事酝酿会议", attendees=["书记"]
    )
    with pytest.raises(CampaignRefused) as info:
        actions.announce_vacancies(
            campaign,
            acting_user=s.officer,
            today=D["announce"],
            media=["网络"],
            nomination_opens=D["announce"],
            nomination_closes=D["nominations_close"],
        )
    assert "公开选任方式和程序步骤" in info.value.message


def test_cadres_and_masses_nomination_follows_the_unit_size_rule(driver: CampaignDriver) -> None:
    s = driver.world.staff
    unit = driver.world.units["office"]
    cadre = driver.world.nominees[0]

    def nominate(size: int, participants: int) -> Nomination:
        return actions.nominate_by_cadres_and_masses(
            driver.c,
            acting_user=s.officer,
            today=D["nominate"],
            cadre=cadre,
            unit=unit,
            unit_size=size,
            participants=participants,
            votes=min(12, participants),
            meeting_on=D["nominate"],
        )

    with pytest.raises(CampaignRefused) as info:
        nominate(45, 29)  # 30 or more people: at least 30 take part
    assert info.value.rule_id == "linze nomination.unit_participation"
    with pytest.raises(CampaignRefused):
        nominate(20, 19)  # under 30: everyone
    nomination = nominate(20, 20)
    assert nomination.channel == "cadres_and_masses"
    assert nominate(45, 30).decision[0]["inputs"]["required"] == 30


def test_collective_and_signed_nominations_need_their_fields(driver: CampaignDriver) -> None:
    s = driver.world.staff
    cadre = driver.world.nominees[1]
    with pytest.raises(CampaignRefused) as info:
        actions.nominate_by_unit(
            driver.c,
            acting_user=s.officer,
            today=D["nominate"],
            cadre=cadre,
            unit=driver.world.units["office"],
            meeting_on=D["nominate"],
            document_reference="县委办发〔2025〕1号",
            basic_facts="基本情况",
            achievements="",
            proposed_post="局长",
            reasons="理由",
            minutes=None,
        )
    assert "主要工作实绩" in info.value.message and "会议记录" in info.value.message

    def signed(relationship: str, accepted: bool) -> Nomination:
        return actions.nominate_by_signature(
            driver.c,
            acting_user=s.officer,
            today=D["nominate"],
            cadre=cadre,
            recommender_name="周明",
            recommender_unit_post="县人大常委会",
            recommender_contact="0936-5550000",
            relationship=relationship,
            responsibility_accepted=accepted,
            assessment="德能勤绩廉",
            reasons="理由",
            proposed_use="局长",
        )

    with pytest.raises(CampaignRefused) as info:
        signed("", True)
    assert info.value.rule_id == "linze nomination.relationship_declaration"
    with pytest.raises(CampaignRefused) as info:
        signed("同事", False)
    assert info.value.rule_id == "linze nomination.falsification"
    assert signed("同事", True).relationship == "同事"
    self_nomination = actions.nominate_self(
        driver.c, acting_user=s.officer, today=D["nominate"], cadre=cadre, statement="本人自荐"
    )
    assert Nomination.objects.filter(candidate=self_nomination.candidate).count() == 2
    meeting = actions.nominate_by_cadre_meeting(
        driver.c,
        acting_user=s.officer,
        today=D["nominate"],
        cadre=driver.world.nominees[3],
        meeting_on=D["nominate"],
        participants=180,
        votes=60,
    )
    assert meeting.channel == "cadre_meeting"


def test_nominations_close_and_channels_follow_the_policy() -> None:
    driver = CampaignDriver(build_world(), policy="county-30-60")
    driver.open_campaign()
    s = driver.world.staff
    with pytest.raises(CampaignRefused) as info:
        actions.nominate_self(
            driver.c,
            acting_user=s.officer,
            today=D["nominate"],
            cadre=driver.world.nominees[0],
            statement="自荐",
        )
    assert info.value.rule_id == "county-30-60 nomination.channels"  # the baseline lists two channels
    with pytest.raises(CampaignRefused) as info:
        actions.nominate_by_signature(
            driver.c,
            acting_user=s.officer,
            today=date(2025, 3, 14),
            cadre=driver.world.nominees[0],
            recommender_name="周明",
            recommender_unit_post="县人大",
            recommender_contact="1",
            relationship="无",
            responsibility_accepted=True,
            assessment="好",
            reasons="好",
            proposed_use="局长",
        )
    assert "时限" in info.value.message


def test_qualification_review_lists_failures_with_reasons(driver: CampaignDriver) -> None:
    s = driver.world.staff
    weak = factories.make_cadre(
        driver.world.jurisdiction,
        "钱学勤",
        unit=driver.world.units["office"],
        fulltime_education=Education.HIGH_SCHOOL,
    )
    driver.nominate_all()
    actions.nominate_self(driver.c, acting_user=s.officer, today=D["nominate"], cadre=weak, statement="自荐")
    with pytest.raises(CampaignRefused):
        actions.review_qualifications(
            driver.c, acting_user=s.officer, today=D["nominations_close"]
        )  # not closed yet
    result = actions.review_qualifications(driver.c, acting_user=s.discipline, today=D["review"])
    assert len(result.qualified) == 6
    [(candidate, reasons)] = result.failed
    assert candidate.cadre == weak and candidate.state == Candidate.State.DISQUALIFIED
    assert any("学历" in r for r in reasons)
    entry = Entry.objects.get(action="qualification_reviewed", candidate_id=weak.pk)
    assert entry.payload["eligible"] is False and entry.payload["failures"]


def test_ratios_one_to_three_then_one_to_two(driver: CampaignDriver) -> None:
    s = driver.world.staff
    driver.nominate_all()
    actions.review_qualifications(driver.c, acting_user=s.officer, today=D["review"])
    qualified = driver.candidates(Candidate.State.QUALIFIED)
    with pytest.raises(CampaignRefused) as info:
        actions.propose_nominees(driver.c, acting_user=s.head, today=D["propose"], candidates=qualified[:5])
    assert info.value.rule_id == "linze nomination.proposal_ratio"
    actions.propose_nominees(driver.c, acting_user=s.head, today=D["propose"], candidates=qualified)
    with pytest.raises(CampaignRefused) as info:
        actions.confirm_nominees(
            driver.c, acting_user=s.secretary, today=D["confirm"], candidates=qualified[:3]
        )
    assert info.value.rule_id == "linze nomination.candidate_ratio"
    confirmed = actions.confirm_nominees(
        driver.c, acting_user=s.secretary, today=D["confirm"], candidates=qualified[2:]
    )
    assert len(confirmed) == 4
    assert {c.state for c in driver.candidates()} == {Candidate.State.CONFIRMED, Candidate.State.STOPPED}


def test_falsified_material_disqualifies(driver: CampaignDriver) -> None:
    s = driver.world.staff
    driver.nominate_all()
    candidate = driver.candidates()[0]
    actions.disqualify_falsified(
        candidate, acting_user=s.discipline, today=D["review"], reason="推荐材料中的工作实绩虚报"
    )
    candidate.refresh_from_db()
    assert candidate.state == Candidate.State.DISQUALIFIED
    assert candidate.stopped_rule == "linze nomination.falsification"
    assert all(n.falsified for n in candidate.nominations.all())
    with pytest.raises(CampaignRefused):
        actions.nominate_self(
            driver.c, acting_user=s.officer, today=D["nominate"], cadre=candidate.cadre, statement="再次自荐"
        )


def all_six_confirmed() -> CampaignDriver:
    """A county-30-60 campaign (no list sizes: all six stand for recommendation, three for each
    post; 60% of 120 is 72 votes), its six nominees confirmed."""
    driver = CampaignDriver(build_world(), policy="county-30-60", participants=120, mode="from_list")
    s = driver.world.staff
    driver.open_campaign()
    driver.nominate_all()
    actions.review_qualifications(driver.c, acting_user=s.officer, today=D["review"])
    everyone = driver.candidates(Candidate.State.QUALIFIED)
    actions.propose_nominees(driver.c, acting_user=s.head, today=D["propose"], candidates=everyone)
    proposed = driver.candidates(Candidate.State.PROPOSED)
    actions.confirm_nominees(driver.c, acting_user=s.secretary, today=D["confirm"], candidates=proposed)
    return driver


def test_a_tie_at_a_posts_cut_is_settled_by_the_named_meeting() -> None:
    # Each post is cut on its own at more than one: the 局长 post's 80 and 80 tie for its second
    # place, the 镇长 post's 95 and 90 go through and its 20 is below 72.
    driver = all_six_confirmed()
    s = driver.world.staff
    bureau, town = (v.pk for v in driver.vacancies())
    recommendation = driver.recommend(votes=(100, 95, 80, 90, 80, 20))
    short = recommendation.shortlist
    assert short["decision"]["outcome"] == "tie"
    by_pk = {c.pk: c for c in driver.candidates()}
    assert {by_pk[pk].vacancy_id for pk in short["tied"]} == {bureau}
    assert [t["seats"] for t in short["ties"]] == [1] and short["seats_in_tie"] == 1
    assert sorted(by_pk[pk].vacancy_id == town for pk in short["selected"]) == [False, True, True]
    assert "每个" not in short["decision"]["explanation"]  # each post's own cut, named by post
    assert "（县发展和改革局局长）" in short["decision"]["explanation"]
    driver.joint_review()
    with pytest.raises(CampaignRefused) as info:
        driver.choose_inspection_candidates()
    assert info.value.rule_id == "county-30-60 inspection.ratio"
    tied = [by_pk[pk] for pk in short["tied"]]
    body = "组织部门研究提出，报县委决定"
    for chosen, settled_by in ((tied[:1], "部务会"), (tied, body)):  # another body; both for one seat
        with pytest.raises(CampaignRefused):
            actions.settle_tie(
                driver.c,
                acting_user=s.deliberation,
                today=D["inspection_candidates"],
                chosen=chosen,
                reasons="x",
                settled_by=settled_by,
            )
    actions.settle_tie(
        driver.c,
        acting_user=s.deliberation,
        today=D["inspection_candidates"],
        chosen=tied[:1],
        reasons="综合考虑专业经历，确定其为考察对象",
        settled_by=body,
    )
    assert TieSettlement.objects.count() == 1
    chosen = driver.choose_inspection_candidates()
    assert {c.pk for c in chosen} == {*short["selected"], tied[0].pk}
    assert Entry.objects.filter(action="tie_settled").exists()


def test_a_list_short_for_one_post_is_refused_though_long_enough_in_sum() -> None:
    # Four inspection candidates for two posts, but three of them for the 局长 post: 镇长 would be
    # uncontested (000: 按同一职位多于1人的差额比例确定考察对象).
    driver = all_six_confirmed()
    recommendation = driver.recommend(votes=(100, 95, 90, 30, 85, 20))
    assert recommendation.shortlist["decision"]["outcome"] == "fail"
    assert "沙河镇镇长）" in recommendation.shortlist["decision"]["explanation"]
    driver.joint_review()
    with pytest.raises(CampaignRefused) as info:
        driver.choose_inspection_candidates()
    assert info.value.rule_id == "county-30-60 inspection.ratio"
    assert "沙河镇镇长 1 人" in info.value.message and "沙河镇镇长差额不足" in info.value.message


def test_direct_inspection_candidate_and_widening_are_recorded(driver: CampaignDriver) -> None:
    s = driver.world.staff
    driver.nominate_all()
    driver.nominations_to_confirmed()
    actions.widen_range(
        driver.c,
        acting_user=s.head,
        today=D["recommend"],
        scope="扩大到县直经济部门",
        reasons="本单位没有合适人选",
        units=[driver.world.units["fgj"]],
    )
    recommendation = driver.recommend(votes=(100, 90, 80, 30))
    driver.joint_review()
    low = next(c for c in driver.candidates() if c.pk in recommendation.shortlist["below_threshold"])
    # 30 of 120 is below a third: the 镇长 post has one above the threshold, and needs more than one.
    with pytest.raises(CampaignRefused) as info:
        driver.choose_inspection_candidates()
    assert info.value.rule_id == "linze inspection.ratio" and "差额不足" in info.value.message
    actions.set_inspection_candidate_directly(
        low, acting_user=s.head, today=D["inspection_candidates"], reasons="专业特长突出"
    )
    assert len(driver.choose_inspection_candidates()) == 3  # and with the one set directly, four
    low.refresh_from_db()
    assert low.state == Candidate.State.INSPECTION_CANDIDATE and low.inspection_basis == "direct"
    entry = Entry.objects.filter(action="inspection_candidate_set", candidate_id=low.cadre_id).get()
    assert (
        entry.payload["basis"] == "direct"
        and entry.payload["passed"] is False
        and entry.payload["share"] == "30/120"
    )
    assert Entry.objects.filter(action="recommendation_range_widened").exists()
