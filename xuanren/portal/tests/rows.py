"""Rows written directly for the portal's tests of query counts and of rarer notice contents.

The annual plan and the campaigns go through the actions (so the published plan lists them); the
rest are model rows: a campaign with N vacancies and N candidates, each with a CV, a reward, a
unit's nomination report, a signed team conclusion, a second disclosure and an appointment;
notices naming all N; a committee of N members voting on all N.
"""

from __future__ import annotations

from datetime import date

from xuanren.accounts.models import Jurisdiction
from xuanren.campaigns import actions, engine
from xuanren.campaigns.models import (
    Campaign,
    Candidate,
    CandidateStep,
    CommitteeVote,
    ConclusionSignature,
    Disclosure,
    InspectionTeam,
    InspectionTeamMember,
    Meeting,
    MeetingMember,
    Nomination,
    Notice,
    TeamConclusion,
    Vacancy,
)
from xuanren.register.choices import Rank
from xuanren.register.models import PostHolding, RewardSanction
from xuanren.testing import factories

DAY = date(2025, 4, 24)


def build(j: Jurisdiction, n: int) -> dict[str, str]:
    """A jurisdiction with ``n`` of everything a page lists; returns each page's URL."""
    officer = factories.make_user("cadre_officer", "department_head", jurisdiction=j)
    plan = actions.create_annual_plan(acting_user=officer, jurisdiction=j, year=2025, today=date(2025, 1, 5))
    campaigns = [
        actions.create_campaign(
            acting_user=officer,
            jurisdiction=j,
            title=f"{j.name}选任{i}",
            year=2025,
            policy_ref="supervision-001",
            today=date(2025, 1, 6),
            annual_plan=plan,
            plan_quarter=1 + i % 4,
        )
        for i in range(n)
    ]
    actions.publish_annual_plan(plan, acting_user=officer, today=date(2025, 1, 7))
    Campaign.objects.filter(pk__in=[c.pk for c in campaigns]).update(
        method="差额推荐、差额考察", method_published_on=date(2025, 3, 5), announced_on=date(2025, 3, 6)
    )
    campaign = Campaign.objects.get(pk=campaigns[0].pk)
    unit = factories.make_unit(j, f"{j.name}测试局", zhengke=n, fuke=n)
    team = InspectionTeam.objects.create(campaign=campaign, starts_on=date(2025, 3, 28), hotline="0936-1")
    members = [
        InspectionTeamMember.objects.create(team=team, name=f"考察员{i}", is_leader=i == 0, sort_order=i)
        for i in range(n)
    ]
    candidates = []
    for i in range(n):
        post = factories.make_post(unit, f"局长{i}", Rank.ZHENGKE)
        vacancy = Vacancy.objects.create(
            campaign=campaign, post=post, rank=Rank.ZHENGKE, sort_order=i, frozen_on=DAY
        )
        cadre = factories.make_cadre(j, f"人选{i}", unit=unit, current_title=f"{unit.name}副局长{i}")
        PostHolding.objects.create(
            cadre=cadre, organization="乡政府", title="科员", start=date(2008, 7, 1), end=date(2015, 3, 1)
        )
        PostHolding.objects.create(
            cadre=cadre, organization=unit.name, title=f"副局长{i}", start=date(2015, 3, 1)
        )
        RewardSanction.objects.create(
            cadre=cadre, kind=RewardSanction.Kind.REWARD, description="先进个人", decided_on=date(2020, 1, 1)
        )
        candidate = Candidate.objects.create(
            campaign=campaign,
            cadre=cadre,
            vacancy=vacancy,
            state=Candidate.State.PROBATION,
            appointed_on=date(2025, 5, 12),
            inspection_team=team,
            sort_order=i,
        )
        for step, on in (
            ("nominee_confirmed", date(2025, 3, 18)),
            ("recommendation_held", date(2025, 3, 20)),
        ):
            CandidateStep.objects.create(candidate=candidate, stage="x", step=step, done_on=on)
        Nomination.objects.create(
            campaign=campaign,
            candidate=candidate,
            channel=Nomination.Channel.UNIT_COLLECTIVE,
            received_on=date(2025, 3, 10),
            report_achievements=f"实绩{i}",
        )
        conclusion = TeamConclusion.objects.create(
            candidate=candidate, team=team, text="结论", recorded_on=DAY
        )
        for m in members[:3]:
            ConclusionSignature.objects.create(conclusion=conclusion, member=m, agrees=True, signed_on=DAY)
        Disclosure.objects.create(
            candidate=candidate,
            round=Disclosure.Round.SECOND,
            starts_on=DAY,
            ends_on=date(2025, 4, 30),
            places=["网络"],
        )
        candidates.append(candidate)
    lines = [
        {
            "candidate": c.pk,
            "name": c.cadre.name,
            "gender": "男",
            "birth": "1985-06",
            "current_post": "x",
            "proposed_post": "y",
        }
        for c in candidates
    ]
    inspection = Notice.objects.create(
        campaign=campaign,
        kind=Notice.Kind.INSPECTION,
        posted_on=date(2025, 3, 25),
        starts_on=date(2025, 3, 28),
        team=team,
        content={"candidates": lines, "team": [{"name": m.name, "leader": False} for m in members]},
    )
    inspection.candidates.set(candidates)
    notice = Notice.objects.create(
        campaign=campaign,
        kind=Notice.Kind.PRE_APPOINTMENT,
        posted_on=DAY,
        starts_on=DAY,
        ends_on=date(2025, 4, 30),
        content={
            "candidates": [{**line, "vote": "9/11", "recommendation_share": "90/120"} for line in lines]
        },
    )
    notice.candidates.set(candidates)
    meeting = Meeting.objects.create(
        campaign=campaign,
        kind=Meeting.Kind.STANDING_COMMITTEE,
        held_on=date(2025, 4, 21),
        status=Meeting.Status.CLOSED,
        counts_published_on=date(2025, 4, 21),
    )
    for i in range(n):
        MeetingMember.objects.create(meeting=meeting, name=f"常委{i}", present=True, sort_order=i)
    for c in candidates:
        CommitteeVote.objects.create(
            meeting=meeting,
            candidate=c,
            members=n,
            present=n,
            in_favour=n,
            against=0,
            abstain=0,
            passed=True,
            decision={},
        )
    code = j.code
    disclosure = Disclosure.objects.filter(candidate=candidates[-1]).first()
    assert disclosure is not None
    assert engine.policy_of(campaign).rule("inspection.conclusions_published") is not None
    return {
        "index": "/public/",
        "home": f"/public/{code}/",
        "plan": f"/public/{code}/plans/2025/",
        "campaign": f"/public/{code}/campaigns/{campaign.pk}/",
        "nominees": f"/public/{code}/campaigns/{campaign.pk}/nominees/",
        "inspection notice": f"/public/{code}/notices/{inspection.pk}/",
        "pre-appointment notice": f"/public/{code}/notices/{notice.pk}/",
        "disclosure": f"/public/{code}/disclosures/{disclosure.pk}/",
        "votes": f"/public/{code}/votes/{meeting.pk}/",
    }
