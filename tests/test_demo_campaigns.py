"""The demo campaigns: five campaigns of the demo county, each at its stage, and each role's demo
login finds its work on the home page."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from xuanren.accounts.models import User
from xuanren.campaigns.demo import build_demo_campaigns
from xuanren.campaigns.models import Campaign, Candidate, Meeting, MeetingMember
from xuanren.record.models import Entry
from xuanren.register import demo
from xuanren.supervision.models import Complaint
from xuanren.testing import factories

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)


@pytest.fixture
def built(db: Any) -> Any:
    demo.build_demo(seed=demo.DEFAULT_SEED, size=700, today=TODAY)
    return build_demo_campaigns(today=TODAY)


def test_five_campaigns_each_at_its_stage(built):
    assert built.skipped == []
    assert [stage for _, stage in built.built] == [
        "已完成，试用期中",
        "任前公示中",
        "常委会已召集",
        "考察中",
        "推荐提名中",
    ]
    campaigns = {c.title: c for c in Campaign.objects.all()}
    finished, notice, committee, inspection, nominations = (campaigns[t] for t, _ in built.built)

    assert finished.status == Campaign.Status.FINISHED
    probation = finished.candidates.filter(state=Candidate.State.PROBATION).select_related(
        "cadre", "vacancy__post"
    )
    assert probation.count() == 2
    for candidate in probation:
        assert candidate.cadre.current_title.endswith(candidate.vacancy.post.title)

    assert notice.candidates.filter(state=Candidate.State.NOTICED).count() == 2
    assert Complaint.objects.filter(campaign=notice).unverified().count() == 1

    meeting = Meeting.objects.get(campaign=committee, kind=Meeting.Kind.STANDING_COMMITTEE)
    assert meeting.status == Meeting.Status.CONVENED and meeting.held_on == TODAY
    assert meeting.members.get(role=MeetingMember.Role.SECRETARY).user.username == "shuji"

    assert inspection.candidates.filter(state=Candidate.State.INSPECTED).count() == 1
    # two for each post: one inspected, one half way, the other post's two not yet
    assert inspection.candidates.filter(state=Candidate.State.INSPECTION_CANDIDATE).count() == 3

    assert nominations.nomination_opens <= TODAY <= nominations.nomination_closes
    assert nominations.nominations.count() == 5
    assert Entry.objects.filter(campaign_id=nominations.pk, action="step_refused").exists()


def test_building_twice_adds_nothing(built):
    again = build_demo_campaigns(today=TODAY)
    assert again.built == [] and again.skipped
    assert Campaign.objects.count() == 5


# Each role's demo login and what its home page lists (one build for all of them).
WORK = {
    "ganbuke": "资格审核",  # the cadre section: review the nominations once they close
    "buzhang": "我参加的会议",
    "shuji": "我参加的会议",
    "changwei5": "我参加的会议",
    "kaochazu1": "实施考察",
    "jiwei": "全程监督",
    "jiandu": "未办结的信访举报 1 件",
}


def test_each_demo_login_finds_its_work_on_the_home_page(built, client):
    for username, expected in WORK.items():
        client.logout()
        factories.login_with_2fa(client, User.objects.get(username=username))
        page = client.get("/").content.decode()
        assert "我的待办：选任工作" in page, username
        assert expected in page, username
    client.logout()
    factories.login_with_2fa(
        client, User.objects.get(username="kaoguan1")
    )  # an examiner has no campaign pages
    assert "我的待办：选任工作" not in client.get("/").content.decode()


def test_every_demo_campaign_page_opens_for_the_cadre_section(built, client):
    factories.login_with_2fa(client, User.objects.get(username="ganbuke"))
    for campaign in Campaign.objects.all():
        assert client.get(f"/campaigns/{campaign.pk}/").status_code == 200
        for candidate in campaign.candidates.all()[:2]:
            assert client.get(f"/campaigns/{campaign.pk}/candidates/{candidate.pk}/").status_code == 200
    for meeting in Meeting.objects.all():
        assert client.get(f"/campaigns/{meeting.campaign_id}/meetings/{meeting.pk}/").status_code == 200


def test_the_inspection_campaign_has_an_open_evaluation_on_the_voters_page(built, client, settings, tmp_path):
    from django.core.management import call_command

    from xuanren.ballots import actions as ballots
    from xuanren.ballots.models import Poll
    from xuanren.register.management.commands import demo_logins

    inspection = Campaign.objects.get(title=built.built[3][0])
    poll = Poll.objects.get(campaign_id=inspection.pk)
    assert poll.status == Poll.Status.OPEN and poll.kind == "evaluation"
    people = inspection.candidates.filter(state=Candidate.State.INSPECTION_CANDIDATE)
    assert sorted(poll.items.values_list("cadre_id", flat=True)) == sorted(c.cadre_id for c in people)
    assert (poll.codes_issued, poll.ballots.count()) == (62, 40)
    assert len(built.voter_codes) == 22
    assert all(ballots.check_code(code).pk == poll.pk for code in built.voter_codes)  # unused, of this poll

    settings.VAR_DIR = tmp_path
    demo_logins.save_voter_codes(built.voter_codes)
    ballots.cast_ballot(built.voter_codes[0], {})  # one of them used: it is no longer offered
    from io import StringIO

    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert poll.title in text
    offered = sorted(built.voter_codes[1:])[: demo_logins.SHOWN_CODES]
    assert all(code in text for code in offered) and built.voter_codes[0] not in text

    page = client.get("/vote/")
    assert page.status_code == 200
