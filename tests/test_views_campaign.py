"""The campaign pages driven with the test client: the main path of a competitive campaign for
2 posts and 6 nominees, refusals shown with their rule (input kept, nothing saved), and roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest

from xuanren.campaigns import views
from xuanren.campaigns.models import Campaign, Candidate, Vacancy
from xuanren.record.models import Entry
from xuanren.testing import factories
from xuanren.testing.campaign_world import selection_county

pytestmark = pytest.mark.django_db


@dataclass
class Clock:
    day: date

    def advance(self, days: int) -> None:
        self.day += timedelta(days=days)


@pytest.fixture
def clock(monkeypatch: Any) -> Clock:
    c = Clock(date(2026, 3, 2))  # a Monday
    monkeypatch.setattr(views, "today", lambda: c.day)
    return c


@pytest.fixture
def county(counties: Any) -> dict[str, Any]:
    return selection_county(counties.a)


@pytest.fixture
def officer(counties: Any, client: Any, login: Any) -> Any:
    user = factories.make_user("cadre_officer", jurisdiction=counties.a, display_name="李明远")
    login(user)
    return user


def post(client: Any, url: str, data: dict[str, Any], status: int = 302) -> Any:
    response = client.post(url, data)
    assert response.status_code == status, (url, response.status_code, _errors(response))
    return response


def _errors(response: Any) -> str:
    form = response.context.get("form") if response.context else None
    refusal = response.context.get("refusal") if response.context else None
    return f"{form.errors if form is not None else ''} {refusal if refusal is not None else ''}"


def start_campaign(client: Any, county: dict[str, Any], clock: Clock) -> Campaign:
    post(
        client,
        "/campaigns/new/",
        {
            "title": "2026年县发改局副科级领导职务选任",
            "year": 2026,
            "policy": "linze@1",
            "planned": "on",
            "plan_quarter": 1,
        },
    )
    campaign = Campaign.objects.get()
    p1, p2 = county["posts"]
    post(
        client,
        f"/campaigns/{campaign.pk}/motion/",
        {
            "reason": "县发改局两名副局长职位空缺，工作需要",
            "post_1": p1.pk,
            "years_1": 3,
            "education_1": "junior_college",
            "max_age_1": 45,
            "post_2": p2.pk,
            "years_2": 3,
            "education_2": "junior_college",
            "max_age_2": 45,
        },
    )
    post(
        client,
        f"/campaigns/{campaign.pk}/direction/",
        {"direction": "坚持好干部标准，注重基层一线", "standards": "政治过硬、敢于担当、群众公认"},
    )
    post(
        client,
        f"/campaigns/{campaign.pk}/plan/",
        {"meeting_name": "县委人事酝酿会议", "attendees": "王振国、刘海涛、陈志刚、周建华"},
    )
    post(
        client,
        f"/campaigns/{campaign.pk}/method/",
        {"method": "五方联推、差额推荐、差额考察、差额票决", "published_via": ["网络", "文件"]},
    )
    post(
        client,
        f"/campaigns/{campaign.pk}/announce/",
        {
            "published_via": ["网络", "展板"],
            "nomination_opens": clock.day.isoformat(),
            "nomination_closes": (clock.day + timedelta(days=7)).isoformat(),
        },
    )
    return campaign


def test_campaign_from_creation_to_announcement_follows_the_procedure(client, officer, county, clock):
    campaign = start_campaign(client, county, clock)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.ANNOUNCED
    assert set(campaign.steps.values_list("step", flat=True)) == {
        "motion_proposal",
        "motion_plan",
        "method_published",
        "vacancy_announcement",
    }
    assert all(v.frozen for v in Vacancy.objects.filter(campaign=campaign))
    page = client.get(f"/campaigns/{campaign.pk}/")
    text = page.content.decode()
    assert "公布空缺职位和任职条件" in text and "已完成" in text
    assert "linze@1" in text
    from xuanren.rules.policy import get_policy

    listed = client.get("/campaigns/").content.decode()
    assert get_policy(campaign.policy_label).name in listed  # the list names the policy, not only its code


def test_changing_conditions_after_announcement_is_refused_with_rule_and_input_kept(
    client, officer, county, clock
):
    campaign = start_campaign(client, county, clock)
    vacancy = campaign.vacancies.first()
    before = Entry.objects.filter(action="vacancy_conditions_changed").count()
    response = post(
        client,
        f"/campaigns/{campaign.pk}/conditions/",
        {
            "vacancy": vacancy.pk,
            "min_years_in_rank": 1,
            "min_education": "high_school",
            "other_conditions": "放宽条件的尝试",
        },
        status=409,
    )
    text = response.content.decode()
    assert "规则不允许这样做，未保存任何内容" in text
    assert "linze openness" in text or "openness." in response.context["refusal"].rule_id
    assert "放宽条件的尝试" in text  # what was typed is kept
    vacancy.refresh_from_db()
    assert vacancy.min_years_in_rank == 3 and vacancy.other_conditions == ""
    assert Entry.objects.filter(action="vacancy_conditions_changed").count() == before
    assert Entry.objects.filter(action="step_refused", campaign_id=campaign.pk).exists()
    assert "被规则拒绝的操作" in client.get(f"/campaigns/{campaign.pk}/").content.decode()


def nominate_six(client: Any, campaign: Campaign, county: dict[str, Any]) -> None:
    a, b, c, d, e, f = county["cadres"]
    v1, v2 = campaign.vacancies.order_by("sort_order")
    base = f"/campaigns/{campaign.pk}"
    post(
        client,
        f"{base}/nominate-meeting/",
        {"cadre": a.name, "vacancy": v1.pk, "meeting_on": "2026-03-03", "participants": 120, "votes": 61},
    )
    post(
        client,
        f"{base}/nominate-masses/",
        {
            "cadre": b.name,
            "vacancy": v1.pk,
            "unit": county["other_unit"].pk,
            "unit_size": 40,
            "participants": 35,
            "votes": 20,
            "meeting_on": "2026-03-03",
        },
    )
    post(
        client,
        f"{base}/nominate-signed/",
        {
            "cadre": c.name,
            "vacancy": v1.pk,
            "recommender_name": "孙某",
            "recommender_unit_post": "县发改局局长",
            "recommender_contact": "0936-5551234",
            "relationship": "上下级，无亲属关系",
            "assessment": "德才兼备",
            "reasons": "实绩突出",
            "proposed_use": "副局长",
            "responsibility_accepted": "on",
        },
    )
    for cadre, vacancy in ((d, v2), (e, v2), (f, v2)):
        post(
            client,
            f"{base}/nominate-self/",
            {"cadre": cadre.name, "vacancy": vacancy.pk, "statement": "本人符合任职条件，自荐参加选任"},
        )


def test_five_channels_each_with_its_own_form_and_the_signed_one_needs_the_relationship(
    client, officer, county, clock
):
    campaign = start_campaign(client, county, clock)
    a = county["cadres"][0]
    response = post(
        client,
        f"/campaigns/{campaign.pk}/nominate-signed/",
        {
            "cadre": a.name,
            "recommender_name": "孙某",
            "recommender_unit_post": "局长",
            "recommender_contact": "1",
            "relationship": "",
            "assessment": "好",
            "reasons": "好",
            "proposed_use": "副局长",
            "responsibility_accepted": "on",
        },
        status=200,
    )
    assert "relationship" in response.context["form"].errors  # the form asks before the rule does
    nominate_six(client, campaign, county)
    assert Candidate.objects.filter(campaign=campaign).count() == 6
    page = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    for cadre in county["cadres"]:
        assert cadre.name in page


def test_shortlists_by_the_policy_ratio_and_a_wrong_count_is_refused(client, officer, county, clock):
    campaign = start_campaign(client, county, clock)
    nominate_six(client, campaign, county)
    clock.advance(8)
    post(client, f"/campaigns/{campaign.pk}/review/", {"confirm": "on"})
    ids = list(Candidate.objects.filter(campaign=campaign, state="qualified").values_list("pk", flat=True))
    assert len(ids) == 6
    refused = post(client, f"/campaigns/{campaign.pk}/propose/", {"candidates_field": ids[:5]}, status=409)
    assert "nomination.proposal_ratio" in refused.context["refusal"].rule_id
    post(client, f"/campaigns/{campaign.pk}/propose/", {"candidates_field": ids, "reasons": "人岗相适"})
    # Four for two posts, but three of them for the first post: 1:2 is met post by post.
    refused = post(
        client,
        f"/campaigns/{campaign.pk}/confirm/",
        {"candidates_field": ids[:4], "meeting_name": "县委常委会"},
        status=409,
    )
    assert "nomination.candidate_ratio" in refused.context["refusal"].rule_id
    assert "差额不足" in refused.content.decode() and "超出规定人数" in refused.content.decode()
    post(
        client,
        f"/campaigns/{campaign.pk}/confirm/",
        {"candidates_field": [ids[i] for i in (0, 1, 3, 4)], "meeting_name": "县委常委会"},
    )
    assert Candidate.objects.filter(campaign=campaign, state="confirmed").count() == 4
    assert Candidate.objects.filter(campaign=campaign, state="stopped").count() == 2


def test_roles_see_read_only_pages_and_cannot_post_actions(client, counties, login, county, clock):
    officer = factories.make_user("cadre_officer", jurisdiction=counties.a)
    login(officer)
    campaign = start_campaign(client, county, clock)
    client.logout()
    watcher = factories.make_user("discipline", jurisdiction=counties.a)
    login(watcher)
    assert client.get(f"/campaigns/{campaign.pk}/").status_code == 200
    assert client.get(f"/campaigns/{campaign.pk}/nominate-self/").status_code == 403
    assert client.post(f"/campaigns/{campaign.pk}/nominate-self/", {}).status_code == 403
    home = client.get("/").content.decode()
    assert "全程监督" in home and campaign.title in home


# --- the whole main path through the pages ---------------------------------------------------


def committee(counties: Any) -> tuple[Any, list[Any]]:
    secretary = factories.make_user(
        "secretary", "committee_member", jurisdiction=counties.a, display_name="王振国"
    )
    members = [
        factories.make_user("committee_member", jurisdiction=counties.a, display_name=name)
        for name in ("刘海涛", "张红梅", "陈志刚", "周建华", "杨文斌", "马玉林")
    ]
    return secretary, members


def ids(campaign: Campaign, *states: str) -> list[int]:
    qs = Candidate.objects.filter(campaign=campaign).order_by("sort_order", "id")
    return list((qs.filter(state__in=states) if states else qs).values_list("pk", flat=True))


def run_to_appointment(client: Any, counties: Any, county: dict[str, Any], clock: Clock) -> Campaign:
    from xuanren.campaigns.models import InspectionTeam, Meeting, MeetingMember

    campaign = start_campaign(client, county, clock)
    base = f"/campaigns/{campaign.pk}"
    clock.advance(1)
    nominate_six(client, campaign, county)
    clock.advance(7)  # 03-10: nominations closed
    post(client, f"{base}/review/", {"confirm": "on"})
    post(client, f"{base}/propose/", {"candidates_field": ids(campaign, "qualified"), "reasons": "人岗相适"})
    proposed = ids(campaign, "proposed")  # three for each post
    post(
        client,
        f"{base}/confirm/",
        {"candidates_field": [proposed[i] for i in (0, 1, 3, 4)], "meeting_name": "县委常委会"},
    )
    clock.advance(1)  # 03-11
    confirmed = ids(campaign, "confirmed")
    votes = dict(zip(confirmed, (60, 50, 45, 40), strict=True))
    post(
        client,
        f"{base}/recommendation/",
        {
            "held_on": clock.day.isoformat(),
            "form": "meeting",
            "mode": "from_list",
            "expected": 110,
            "participants": 100,
            "valid_ballots": 100,
            **{f"votes_{pk}": v for pk, v in votes.items()},
        },
    )
    clock.advance(1)  # 03-12
    post(client, f"{base}/inspection-candidates/", {"reasons": "按民主推荐得票差额确定"})
    chosen = ids(campaign, "inspection_candidate")
    assert len(chosen) == 4  # both of each post (more than one per post)
    inspector = factories.make_user("inspection_team", jurisdiction=counties.a, display_name="朱建军")
    post(
        client,
        f"{base}/team/",
        {
            "name": "第一考察组",
            "starts_on": "2026-03-16",
            "hotline": "0936-5551234",
            "chosen": chosen,
            "member_1": "朱建军",
            "post_1": "组织部副部长",
            "certificate_1": "KC-001",
            "user_1": inspector.pk,
            "member_2": "吴晓霞",
            "post_2": "干部科科长",
            "certificate_2": "KC-002",
        },
    )
    team = InspectionTeam.objects.get(campaign=campaign)
    post(client, f"{base}/inspection-notice/", {"team": team.pk})
    clock.advance(4)  # 03-16: inspection starts
    day = clock.day.isoformat()
    for pk in chosen:
        cbase = f"{base}/candidates/{pk}"
        for group in ("班子成员", "中层干部", "群众代表", "纪检财务人员"):
            post(client, f"{cbase}/talk/", {"group": group, "interviewee": f"{group}甲", "held_on": day})
        post(
            client,
            f"{cbase}/evaluation/",
            {
                "held_on": day,
                "participants": 60,
                "blank": 0,
                "grade_0": 20,
                "grade_1": 30,
                "grade_2": 8,
                "grade_3": 2,
            },
        )
        post(
            client,
            f"{cbase}/procedure/",
            {"kind": "face_to_face", "held_on": day, "summary": "面谈了解履职思路"},
        )
        post(
            client,
            f"{cbase}/procedure/",
            {"kind": "file_check", "held_on": day, "summary": "查阅干部档案无疑点"},
        )
        post(client, f"{cbase}/conclude-inspection/", {"confirm": "on"})
    clock.advance(1)  # 03-17
    members = list(team.members.all())
    for pk in chosen:
        cbase = f"{base}/candidates/{pk}"
        post(
            client,
            f"{cbase}/conclusion/",
            {"text": "政治坚定，实绩突出，群众公认。", **{f"agrees_{m.pk}": "on" for m in members}},
        )
        post(client, f"{cbase}/feedback/", {"confirm": "on"})
        post(client, f"{cbase}/review-complete/", {"confirm": "on"})
    clock.advance(1)  # 03-18
    post(
        client,
        f"{base}/department-meeting/",
        {"held_on": clock.day.isoformat(), "chosen": chosen, "attendees": "陈志刚、李明远、赵晓燕"},
    )
    for pk in chosen:
        cbase = f"{base}/candidates/{pk}"
        post(
            client,
            f"{cbase}/opinion/",
            {"source": "leaders", "body": "县委、人大、政府、政协主要领导", "agrees": "1"},
        )
        post(
            client,
            f"{cbase}/opinion/",
            {"source": "discipline", "body": "县纪委监委", "agrees": "1", "text": "未发现违纪违法问题"},
        )
        post(client, f"{cbase}/consultation/", {"confirm": "on"})
    clock.advance(1)  # 03-19
    post(
        client,
        f"{base}/personnel-deliberation/",
        {"held_on": clock.day.isoformat(), "chosen": chosen, "attendees": "王振国、刘海涛、陈志刚、周建华"},
    )
    post(client, f"{base}/file-plan/", {"filed_with": "市委组织部", "reference": "临组报〔2026〕8号"})
    for pk in chosen:
        cbase = f"{base}/candidates/{pk}"
        post(client, f"{cbase}/procedure-form/", {"confirm": "on"})
        post(client, f"{cbase}/procedure-sign/", {"signer_name": "陈志刚"})
    clock.advance(1)  # 03-20
    secretary, others = committee(counties)
    post(
        client,
        f"{base}/convene/",
        {
            "kind": "standing_committee",
            "held_on": clock.day.isoformat(),
            "chosen": chosen,
            "secretary": secretary.pk,
            "members": [u.pk for u in others],
        },
    )
    meeting = Meeting.objects.get(campaign=campaign, kind="standing_committee")
    mbase = f"{base}/meetings/{meeting.pk}"
    for seat in meeting.members.all():
        post(client, f"{mbase}/sign-in/", {"member": seat.pk})
    post(client, f"{mbase}/open/", {"confirm": "on"})
    post(client, f"{mbase}/present/", {"presentation": "介绍四名考察对象的推荐、考察情况和任用理由。"})
    seats = list(meeting.members.exclude(role=MeetingMember.Role.SECRETARY)) + list(
        meeting.members.filter(role=MeetingMember.Role.SECRETARY)
    )
    winners = {chosen[0], chosen[2]}  # one for each post
    for pk in chosen:
        for i, seat in enumerate(seats):
            agree = pk in winners or i < 2
            post(
                client,
                f"{mbase}/position/",
                {
                    "member": seat.pk,
                    "person": pk,
                    "position": "同意" if agree else "不同意",
                    "reason": "实绩突出",
                },
            )
        favour = 7 if pk in winners else 2
        post(
            client, f"{mbase}/vote/", {"person": pk, "in_favour": favour, "against": 7 - favour, "abstain": 0}
        )
    post(client, f"{mbase}/close/", {"minutes": "常委会差额票决，每个职位一人通过。"})
    post(client, f"{mbase}/publish-counts/", {"confirm": "on"})
    approved = ids(campaign, "approved")
    assert len(approved) == 2
    clock.advance(3)  # 03-23 Monday
    post(
        client,
        f"{base}/pre-notice/",
        {"chosen": approved, "starts_on": clock.day.isoformat(), "hotline": "0936-5551234"},
    )
    clock.advance(7)  # 03-30: five working days have run out
    for n, pk in enumerate(approved):
        cbase = f"{base}/candidates/{pk}"
        post(client, f"{cbase}/notice-over/", {"confirm": "on"})
        post(client, f"{cbase}/appoint/", {"document_reference": f"临任〔2026〕{n + 1}号"})
    return campaign


def test_competitive_campaign_for_two_posts_from_motion_to_appointment(
    client, officer, counties, county, clock
):
    campaign = run_to_appointment(client, counties, county, clock)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.FINISHED
    appointed = Candidate.objects.filter(campaign=campaign, state="probation").select_related("cadre")
    assert appointed.count() == 2
    for candidate in appointed:
        assert candidate.cadre.current_title.startswith("县发展和改革局副局长")
    page = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "试用期" in page
    person = client.get(f"/campaigns/{campaign.pk}/candidates/{appointed[0].pk}/").content.decode()
    assert "常委会讨论票决" in person and "试用期" in person


def test_an_unverified_complaint_blocks_appointment_and_the_page_says_why(
    client, officer, counties, county, clock
):
    campaign = start_campaign(client, county, clock)
    nominate_six(client, campaign, county)
    candidate = Candidate.objects.filter(campaign=campaign).first()
    post(
        client,
        f"/campaigns/{campaign.pk}/candidates/{candidate.pk}/complaint/",
        {"channel": "letter", "anonymous": "on", "summary": "反映其在项目审批中优亲厚友"},
    )
    page = client.get(f"/campaigns/{campaign.pk}/candidates/{candidate.pk}/").content.decode()
    assert "信访举报尚未核查办结" in page


def test_recommendation_results_come_from_a_poll_set_up_from_the_campaign(client, officer, county, clock):
    from xuanren.ballots import actions as ballots
    from xuanren.ballots.models import Poll

    campaign = start_campaign(client, county, clock)
    base = f"/campaigns/{campaign.pk}"
    clock.advance(1)
    nominate_six(client, campaign, county)
    clock.advance(7)
    post(client, f"{base}/review/", {"confirm": "on"})
    post(client, f"{base}/propose/", {"candidates_field": ids(campaign, "qualified")})
    proposed = ids(campaign, "proposed")
    post(
        client,
        f"{base}/confirm/",
        {"candidates_field": [proposed[i] for i in (0, 1, 3, 4)], "meeting_name": "县委常委会"},
    )
    response = post(client, f"{base}/poll/", {"kind": "recommendation", "participants": 9})
    poll = Poll.objects.get(campaign_id=campaign.pk)
    assert response["Location"] == f"/ballots/{poll.pk}/"
    assert poll.items.count() == 2  # one item per post, the post's two nominees as choices
    for url in ("/ballots/", f"/ballots/{poll.pk}/"):  # the poll names its campaign and step
        listed = client.get(url).content.decode()
        assert f'href="/campaigns/{campaign.pk}/">{campaign.title}</a> · 组织民主推荐' in listed
    assert "干部选任办法（" in client.get(f"/ballots/{poll.pk}/").content.decode()  # the policy by name
    codes = ballots.issue_codes(poll, 9, acting_user=officer)
    ballots.open_poll(poll, acting_user=officer)
    items = list(poll.items.prefetch_related("choices").order_by("position"))
    for n, code in enumerate(codes):  # the first nominee of each post gets 6 of 9 votes
        ballots.cast_ballot(
            code, {item.key: [item.choices.order_by("position")[0 if n < 6 else 1].key] for item in items}
        )
    ballots.close_poll(poll, acting_user=officer)
    ballots.tally_poll(poll, acting_user=officer)
    clock.advance(1)
    post(
        client,
        f"{base}/recommendation/",
        {"held_on": clock.day.isoformat(), "form": "meeting", "mode": "from_list", "poll": poll.pk},
    )
    scores = {
        c.cadre.name: c.recommendation_scores.get().votes
        for c in Candidate.objects.filter(campaign=campaign, state="recommended")
    }
    assert sorted(scores.values()) == [3, 3, 6, 6]
    page = client.get(f"{base}/").content.decode()
    assert poll.title in page


def test_a_committee_member_states_only_their_own_position(client, counties, login, county, clock):
    from xuanren.campaigns.models import Meeting, MeetingMember

    officer = factories.make_user("cadre_officer", jurisdiction=counties.a)
    login(officer)
    campaign = run_to_appointment(client, counties, county, clock)
    meeting = Meeting.objects.get(campaign=campaign, kind=Meeting.Kind.STANDING_COMMITTEE)
    member = meeting.members.exclude(role=MeetingMember.Role.SECRETARY).first()
    client.logout()
    login(member.user)
    form = client.get(f"/campaigns/{campaign.pk}/meetings/{meeting.pk}/position/").context["form"]
    assert list(form.fields["member"].queryset) == [member]
    assert client.get(f"/campaigns/{campaign.pk}/meetings/{meeting.pk}/vote/").status_code == 200  # committee
    assert client.get(f"/campaigns/{campaign.pk}/candidates/{ids(campaign)[0]}/appoint/").status_code == 403


def test_notices_minutes_and_procedure_forms_download_as_the_recorded_docx(
    client, officer, counties, county, clock
):
    import hashlib

    from xuanren.campaigns.models import Meeting, Notice, ProcedureForm

    campaign = run_to_appointment(client, counties, county, clock)
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    for notice in Notice.objects.filter(campaign=campaign):
        response = client.get(f"/campaigns/{campaign.pk}/notices/{notice.pk}/notice.docx")
        assert response["Content-Type"] == docx
        assert (
            hashlib.sha256(response.content).hexdigest() == notice.docx_sha256
        )  # the bytes the record names
    # Every candidate's form, the appointed ones' too (whose posts have changed since): the file
    # as generated, whose hash the record holds.
    forms = ProcedureForm.objects.filter(candidate__campaign=campaign).select_related("candidate")
    assert {f.candidate.state for f in forms} >= {"rejected", "probation"}  # probation: appointed
    for form in forms:
        response = client.get(f"/campaigns/{campaign.pk}/candidates/{form.candidate_id}/procedure-form.docx")
        assert hashlib.sha256(response.content).hexdigest() == form.docx_sha256
    meeting = Meeting.objects.get(campaign=campaign, kind=Meeting.Kind.STANDING_COMMITTEE)
    assert client.get(f"/campaigns/{campaign.pk}/meetings/{meeting.pk}/minutes.docx")["Content-Type"] == docx


def test_a_town_head_goes_on_to_the_full_committee_through_the_meeting_pages(client, login, monkeypatch):
    """From the committee stage (reached with the core's test driver) the standing committee and
    then the full committee are run on the meeting pages; only the town head's post needs the latter."""
    from xuanren.campaigns.models import Meeting, MeetingMember
    from xuanren.campaigns.testing import CampaignDriver, D, build_world

    driver = CampaignDriver(build_world())
    driver.open_campaign()
    driver.nominate_all()
    driver.nominations_to_confirmed()
    driver.recommend()
    driver.joint_review()
    driver.choose_inspection_candidates()
    driver.inspect()
    deliberated = driver.deliberate()
    driver.prepare_forms()
    clock = Clock(D["standing_committee"])
    monkeypatch.setattr(views, "today", lambda: clock.day)
    staff = driver.world.staff
    login(staff.officer)
    base = f"/campaigns/{driver.c.pk}"

    def run_meeting(kind: str, people: list[Candidate], winners: set[int], size: int) -> Meeting:
        post(
            client,
            f"{base}/convene/",
            {
                "kind": kind,
                "held_on": clock.day.isoformat(),
                "chosen": [c.pk for c in people],
                "secretary": staff.secretary.pk,
                "other_members": "\n".join(f"委员{i}" for i in range(1, size)),
            },
        )
        meeting = Meeting.objects.filter(campaign=driver.c, kind=kind).latest("id")
        mbase = f"{base}/meetings/{meeting.pk}"
        for seat in meeting.members.all():
            post(client, f"{mbase}/sign-in/", {"member": seat.pk})
        post(client, f"{mbase}/open/", {"confirm": "on"})
        post(client, f"{mbase}/present/", {"presentation": "介绍人选的推荐、考察情况和任用理由。"})
        secretary = meeting.members.get(role=MeetingMember.Role.SECRETARY)
        order = [*meeting.members.exclude(role=MeetingMember.Role.SECRETARY), secretary]  # secretary last
        for person in people:
            favour = size if person.pk in winners else 2
            if kind == Meeting.Kind.STANDING_COMMITTEE:
                for i, seat in enumerate(order):
                    post(
                        client,
                        f"{mbase}/position/",
                        {
                            "member": seat.pk,
                            "person": person.pk,
                            "position": "同意" if i < favour else "不同意",
                        },
                    )
            post(
                client, f"{mbase}/vote/", {"person": person.pk, "in_favour": favour, "against": size - favour}
            )
        post(client, f"{mbase}/close/", {"minutes": "讨论决定。"})
        post(client, f"{mbase}/publish-counts/", {"confirm": "on"})
        return meeting

    by_post: dict[int | None, Candidate] = {}
    for candidate in deliberated:
        by_post.setdefault(candidate.vacancy_id, candidate)
    winners = {c.pk for c in by_post.values()}
    run_meeting(Meeting.Kind.STANDING_COMMITTEE, deliberated, winners, 11)
    town = [c for c in Candidate.objects.filter(campaign=driver.c, state="approved") if c.post_kind]
    assert len(town) == 1
    page = client.get(f"{base}/candidates/{town[0].pk}/").content.decode()
    assert "全委会票决" in page and "进行中" in page
    clock.advance(2)
    run_meeting(Meeting.Kind.FULL_COMMITTEE, town, {town[0].pk}, 25)
    assert "full_committee_vote" in set(town[0].steps.values_list("step", flat=True))
