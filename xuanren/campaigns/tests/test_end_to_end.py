"""A competitive campaign for 2 posts and 6 nominees, from motion to the end of probation,
driven through the actions only (DOMAIN D1–D5)."""

from __future__ import annotations

from datetime import date

import pytest

from xuanren.campaigns import actions
from xuanren.campaigns.models import Campaign, Candidate, CandidateStep, Probation
from xuanren.campaigns.testing import CampaignDriver, D, build_world
from xuanren.record.models import Entry
from xuanren.register import selectors as register_selectors
from xuanren.register.models import PostHolding, RankRecord
from xuanren.rules import get_policy, person_steps

pytestmark = pytest.mark.django_db


def test_two_posts_six_nominees_from_motion_to_probation() -> None:
    world = build_world()
    driver = CampaignDriver(world)
    campaign = driver.open_campaign()
    assert campaign.status == Campaign.Status.ANNOUNCED
    assert all(v.frozen and len(v.conditions_sha256) == 64 for v in driver.vacancies())

    assert len(driver.nominate_all()) == 6
    confirmed = driver.nominations_to_confirmed()
    assert len(confirmed) == 4  # 1:3 then 1:2 of 2 posts (000)
    recommendation = driver.recommend()
    assert recommendation.expires_on == date(2026, 3, 20)  # valid one year (national-2019)
    driver.joint_review()
    chosen = driver.choose_inspection_candidates()
    assert len(chosen) == 4  # more than one for each post (000: 同一职位多于1人): both of each post's two
    inspected = driver.inspect()
    assert len(inspected) == 4
    deliberated = driver.deliberate()
    assert len(deliberated) == 4
    driver.prepare_forms()

    by_vacancy: dict[int, list[Candidate]] = {}
    for candidate in deliberated:
        assert candidate.vacancy_id is not None
        by_vacancy.setdefault(candidate.vacancy_id, []).append(candidate)
    winners = [group[0] for group in by_vacancy.values()]
    losers = [c for group in by_vacancy.values() for c in group[1:]]
    driver.decide(winners, losers)
    assert {c.pk for c in driver.candidates(Candidate.State.APPROVED)} == {c.pk for c in winners}
    assert {c.pk for c in driver.candidates(Candidate.State.REJECTED)} == {c.pk for c in losers}

    notice = driver.notice()
    assert notice.ends_on == date(2025, 4, 29)  # 5 working days; 27 April 2025 was a make-up working day
    probations = driver.appoint_all()
    assert len(probations) == 2
    campaign = driver.refresh()
    assert campaign.status == Campaign.Status.FINISHED

    policy = get_policy("linze")
    for candidate in winners:
        candidate.refresh_from_db()
        cadre = candidate.cadre
        cadre.refresh_from_db()
        post = candidate.vacancy.post
        assert candidate.state == Candidate.State.PROBATION
        assert cadre.current_rank == "zhengke" and cadre.rank_since == D["appoint"]
        assert cadre.current_title == f"{post.unit.name}{post.title}" and cadre.post_since == D["appoint"]
        holding = PostHolding.objects.get(cadre=cadre, end__isnull=True)
        assert holding.post == post and holding.probation_until == date(2026, 5, 12)
        assert RankRecord.objects.filter(cadre=cadre, rank="zhengke", reached_on=D["appoint"]).exists()
        assert register_selectors.headcount_used(post.unit_id, "zhengke") == 1
        applicable = [v.id for v in person_steps(policy, post_kind=candidate.post_kind) if v.applies]
        done = set(CandidateStep.objects.filter(candidate=candidate).values_list("step", flat=True))
        assert set(applicable) - done == {"appointment_and_probation"}

    s = world.staff
    due = actions.send_probation_reminders(
        acting_user=s.officer, jurisdiction=world.jurisdiction, today=date(2026, 4, 20)
    )
    assert len(due) == 2
    confirmed_one, failed_one = winners
    actions.assess_probation(
        confirmed_one,
        acting_user=s.head,
        today=D["probation_assessment"],
        competent=True,
        assessment="考核合格",
    )
    actions.assess_probation(
        failed_one,
        acting_user=s.head,
        today=D["probation_assessment"],
        competent=False,
        assessment="考核不胜任",
    )
    confirmed_one.refresh_from_db()
    failed_one.refresh_from_db()
    assert confirmed_one.state == Candidate.State.CONFIRMED_IN_POST
    assert failed_one.state == Candidate.State.PROBATION_FAILED
    cadre = failed_one.cadre
    cadre.refresh_from_db()
    assert cadre.current_rank == "fuke" and cadre.rank_since == date(2019, 6, 1)
    assert not PostHolding.objects.filter(cadre=cadre, end__isnull=True).exists()
    assert Probation.objects.get(candidate=failed_one).outcome == Probation.Outcome.FAILED

    # Every entry of the campaign carries the policy's stage and step ids.
    stages = {v.stage_id for v in person_steps(policy)} | {"campaign"}
    steps = {v.id for v in person_steps(policy)} | {
        "motion_proposal",
        "motion_plan",
        "vacancy_announcement",
        "method_published",
    }
    entries = list(Entry.objects.filter(campaign_id=campaign.pk))
    assert entries
    for entry in entries:
        assert entry.stage in stages, entry.action
        assert entry.step in steps, entry.action
    assert not [e for e in entries if e.action == "step_refused"]
