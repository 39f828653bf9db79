"""List pages run the same number of SQL queries at 10 rows and at 200 rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xuanren.register.choices import Rank
from xuanren.testing import factories

pytestmark = pytest.mark.django_db


def queries_for(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def count_at(rows: int, build: Callable[[int], str], client: Any) -> int:
    url = build(rows)
    return queries_for(client, url)


@pytest.fixture
def officer_client(client, counties, login):
    login(factories.make_user("cadre_officer", jurisdiction=counties.a))
    return client


def test_cadre_list_queries_do_not_grow_with_rows(officer_client, counties):
    unit = factories.make_unit(counties.a, "县发改局")

    def build(n: int) -> str:
        for i in range(n):
            factories.make_cadre(
                counties.a,
                f"李{'一二三四五六七八九十'[i % 10]}{i}",
                unit=unit,
                birth=date(1970 + i % 25, 1 + i % 12, 1 + i % 27),
            )
        return "/register/cadres/?page_size=200"

    small = count_at(10, build, officer_client)
    large = count_at(190, build, officer_client)  # 200 cadres in all
    assert small == large


def test_unit_list_queries_do_not_grow_with_units(officer_client, counties):
    def build(n: int) -> str:
        for _ in range(n):
            unit = factories.make_unit(counties.a, fuke=2)
            factories.make_post(unit, rank=Rank.FUKE)
        return "/register/units/"

    assert count_at(10, build, officer_client) == count_at(190, build, officer_client)


def test_unit_page_queries_do_not_grow_with_posts(officer_client, counties):
    unit = factories.make_unit(counties.a, "县财政局", zhengke=1, fuke=300)

    def build(n: int) -> str:
        for _ in range(n):
            post = factories.make_post(unit, rank=Rank.FUKE)
            factories.hold(factories.make_cadre(counties.a, "王五", unit=unit), post)
        return f"/register/units/{unit.pk}/"

    assert count_at(10, build, officer_client) == count_at(190, build, officer_client)


def test_cadre_page_queries_do_not_grow_with_history(officer_client, counties):
    unit = factories.make_unit(counties.a, "县审计局")
    cadre = factories.make_cadre(counties.a, "赵六", unit=unit)

    def build(n: int) -> str:
        for i in range(n):
            post = factories.make_post(unit)
            h = factories.hold(cadre, post, start=date(1990 + i % 30, 1, 1))
            h.end = date(1990 + i % 30, 12, 31)
            h.save()
        return f"/register/cadres/{cadre.pk}/"

    assert count_at(10, build, officer_client) == count_at(190, build, officer_client)


# --- campaign pages: the same queries at 6 and at 60 candidates ---------------------------------


def _campaign_with(counties: Any, candidates: int) -> Any:
    """A campaign in inspection with ``candidates`` people at different steps (rows made directly:
    the query count depends on the rows, not on how they were written)."""
    from xuanren.campaigns.models import (
        Campaign,
        CampaignStep,
        Candidate,
        CandidateStep,
        InspectionTeam,
        Meeting,
        MeetingMember,
        Nomination,
        Notice,
        Talk,
        Vacancy,
    )
    from xuanren.rules import get_policy
    from xuanren.rules.procedure import person_steps

    policy = get_policy("linze")
    user = factories.make_user(jurisdiction=counties.a)
    unit = factories.make_unit(counties.a, f"县直单位{candidates}", fuke=4)
    campaign = Campaign.objects.create(
        jurisdiction=counties.a,
        title=f"{candidates}人选任",
        year=2026,
        status=Campaign.Status.IN_PROGRESS,
        policy_id=policy.id,
        policy_version=policy.version,
        policy_sha256=policy.sha256,
        created_by=user,
        nomination_closes=date(2026, 3, 13),
    )
    for step in ("motion_proposal", "motion_plan", "vacancy_announcement"):
        CampaignStep.objects.create(campaign=campaign, step=step, done_on=date(2026, 2, 2))
    vacancies = [
        Vacancy.objects.create(
            campaign=campaign, post=factories.make_post(unit, rank=Rank.FUKE), rank=Rank.FUKE
        )
        for _ in range(2)
    ]
    team = InspectionTeam.objects.create(
        campaign=campaign, starts_on=date(2026, 4, 6), ends_on=date(2026, 4, 17)
    )
    meeting = Meeting.objects.create(
        campaign=campaign, kind=Meeting.Kind.DEPARTMENT, held_on=date(2026, 5, 6)
    )
    MeetingMember.objects.create(meeting=meeting, name="部长", role=MeetingMember.Role.SECRETARY)
    notice = Notice.objects.create(
        campaign=campaign,
        kind=Notice.Kind.INSPECTION,
        posted_on=date(2026, 4, 1),
        starts_on=date(2026, 4, 6),
        team=team,
    )
    ids = [v.id for v in person_steps(policy)]
    for i in range(candidates):
        cadre = factories.make_cadre(counties.a, f"人选{i}", unit=unit)
        candidate = Candidate.objects.create(
            campaign=campaign,
            cadre=cadre,
            vacancy=vacancies[i % 2],
            inspection_team=team if i % 3 else None,
            sort_order=i,
            state=Candidate.State.STOPPED if i % 7 == 6 else Candidate.State.CONFIRMED,
        )
        for step in ids[: 2 + i % 8]:
            CandidateStep.objects.create(candidate=candidate, stage="x", step=step, done_on=date(2026, 3, 20))
        Nomination.objects.create(
            campaign=campaign,
            candidate=candidate,
            channel=Nomination.Channel.SELF,
            received_on=date(2026, 3, 9),
        )
        Talk.objects.create(candidate=candidate, group="班子成员", interviewee="某", held_on=date(2026, 4, 7))
        meeting.candidates.add(candidate)
        notice.candidates.add(candidate)
    return campaign


def _twice(client: Any, counties: Any, url_of: Callable[[Any], str]) -> tuple[int, int]:
    small = queries_for(client, url_of(_campaign_with(counties, 6)))
    large = queries_for(client, url_of(_campaign_with(counties, 60)))
    return small, large


def test_campaign_page_queries_do_not_grow_with_candidates(officer_client, counties):
    small, large = _twice(officer_client, counties, lambda c: f"/campaigns/{c.pk}/")
    assert small == large


def test_campaign_list_queries_do_not_grow_with_candidates_or_campaigns(officer_client, counties):
    _campaign_with(counties, 6)
    small = queries_for(officer_client, "/campaigns/")
    _campaign_with(counties, 60)
    large = queries_for(officer_client, "/campaigns/")
    assert small == large


def test_home_page_work_list_queries_do_not_grow_with_candidates(officer_client, counties):
    _campaign_with(counties, 6)
    small = queries_for(officer_client, "/")
    _campaign_with(counties, 60)
    large = queries_for(officer_client, "/")
    assert small == large
