"""A competitive campaign for 2 posts and 6 nominees, from motion to appointment, in a real browser.

The cadre section runs it; the county secretary logs in to give direction and to speak last at the
standing committee; an inspector records talks and signs the conclusion. Every login goes through
the password and the second factor. The day the pages act on is moved forward between stages
(nominations close, the inspection notice runs, the pre-appointment notice runs its working days).
Screenshots of each stage go to var/test-artifacts/<test name>/.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest

from tests.browser.test_register_browser import staff_login
from xuanren.campaigns import views
from xuanren.campaigns.models import Campaign, Candidate, InspectionTeam, Meeting, MeetingMember
from xuanren.record.models import Entry
from xuanren.testing import factories
from xuanren.testing.campaign_world import selection_county

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@dataclass
class Clock:
    day: date

    def advance(self, days: int) -> None:
        self.day += timedelta(days=days)


class Officer:
    """Fills and submits the action forms the way a user does, and checks what the page says."""

    def __init__(self, page: Any, base: str, shot: Any) -> None:
        self.page = page
        self.base = base
        self.shot = shot

    def open(self, path: str) -> None:
        self.page.goto(self.base + path)

    def fill(self, data: dict[str, Any]) -> None:
        form = self.page.locator("#action-form")
        for name, value in data.items():
            field = form.locator(f"[name='{name}']")
            kind = field.first.evaluate("e => e.type")
            if kind == "checkbox" and isinstance(value, list | tuple):
                for v in value:
                    form.locator(f"input[name='{name}'][value='{v}']").check()
            elif kind == "checkbox":
                field.first.set_checked(bool(value))
            elif kind == "radio":
                form.locator(f"input[name='{name}'][value='{value}']").check()
            elif kind in ("select-one", "select-multiple"):
                field.first.select_option([str(v) for v in value] if isinstance(value, list) else str(value))
            else:
                field.first.fill(str(value))

    def submit(self, path: str, data: dict[str, Any], *, shot: str = "", refused: bool = False) -> str:
        """Open an action page, fill it, submit; returns the message the next page shows."""
        self.open(path)
        self.fill(data)
        if shot:
            self.shot(self.page, f"{shot}-form")
        self.page.locator("#action-form button[type=submit]").click()
        self.page.wait_for_load_state("domcontentloaded")
        if refused:
            assert self.page.locator("#refusal").count() == 1, self.page.inner_text("main")
            return self.page.inner_text("#refusal")
        problems = self.page.locator("#refusal, #form-errors")
        assert problems.count() == 0, f"{path}: {problems.first.inner_text() if problems.count() else ''}"
        message = self.page.locator(".messages li.success")
        return message.first.inner_text() if message.count() else ""


def _ids(campaign: Campaign, *states: str) -> list[int]:
    qs = Candidate.objects.filter(campaign=campaign).order_by("sort_order", "id")
    return list((qs.filter(state__in=states) if states else qs).values_list("pk", flat=True))


def test_competitive_campaign_for_two_posts_from_motion_to_appointment(page, live_server, shot, monkeypatch):
    counties = factories.make_counties()
    county = selection_county(counties.a)
    clock = Clock(date(2026, 3, 2))  # a Monday
    monkeypatch.setattr(views, "today", lambda: clock.day)
    officer = factories.make_user("cadre_officer", jurisdiction=counties.a, display_name="李明远")
    secretary = factories.make_user(
        "secretary", "committee_member", jurisdiction=counties.a, display_name="王振国"
    )
    members_of_committee = [
        factories.make_user("committee_member", jurisdiction=counties.a, display_name=name)
        for name in ("刘海涛", "张红梅", "陈志刚", "周建华", "杨文斌", "马玉林")
    ]
    assert len(members_of_committee) == 6  # seven with the secretary: approval needs 4
    inspector = factories.make_user("inspection_team", jurisdiction=counties.a, display_name="朱建军")
    a, b, c, d, e, f = county["cadres"]
    p1, p2 = county["posts"]
    web = Officer(page, live_server.url, shot)

    # --- motion and the two openings -------------------------------------------------------
    staff_login(page, live_server, officer)
    web.open("/campaigns/")
    shot(page, "01-campaign-list-empty")
    web.submit(
        "/campaigns/new/",
        {
            "title": "2026年县发展和改革局副科级领导职务选任",
            "year": 2026,
            "policy": "linze@1",
            "plan_quarter": "1",
        },
        shot="02-new-campaign",
    )
    campaign = Campaign.objects.get()
    base = f"/campaigns/{campaign.pk}"
    assert page.url.endswith(f"{base}/motion/")
    web.submit(
        f"{base}/motion/",
        {
            "reason": "县发展和改革局副局长（项目）、副局长（改革）两个职位空缺，班子建设需要",
            "post_1": p1.pk, "years_1": 3, "education_1": "junior_college", "max_age_1": 45,
            "other_1": "熟悉投资项目管理",
            "post_2": p2.pk, "years_2": 3, "education_2": "junior_college", "max_age_2": 45,
            "other_2": "熟悉经济体制改革",
        },
        shot="03-motion",
    )  # fmt: skip
    page.locator("form.inline button.link").click()  # log out; the secretary gives direction
    staff_login(page, live_server, secretary)
    web.submit(
        f"{base}/direction/",
        {
            "direction": "坚持好干部标准，注重在项目建设一线识别干部",
            "standards": "政治过硬、熟悉经济工作、群众公认",
        },
        shot="04-secretary-direction",
    )
    page.locator("form.inline button.link").click()
    staff_login(page, live_server, officer)
    web.submit(
        f"{base}/plan/", {"meeting_name": "县委人事酝酿会议", "attendees": "王振国、刘海涛、陈志刚、周建华"}
    )
    web.submit(f"{base}/method/", {"published_via": ["网络", "文件"]}, shot="05-method")
    web.submit(
        f"{base}/announce/",
        {
            "published_via": ["网络", "展板"],
            "nomination_opens": "2026-03-02",
            "nomination_closes": "2026-03-09",
        },
    )
    web.open(base + "/")
    assert "推荐提名截止" in page.inner_text("#now")
    shot(page, "06-campaign-announced")

    # A change of conditions after publication is refused, names its rule and keeps the input.
    refusal = web.submit(
        f"{base}/conditions/",
        {"vacancy": campaign.vacancies.first().pk, "min_years_in_rank": 1, "other_conditions": "放宽为一年"},
        refused=True,
    )
    assert "openness" in refusal
    assert page.locator("[name=other_conditions]").input_value() == "放宽为一年"
    shot(page, "07-conditions-refused")

    # --- five nomination channels ------------------------------------------------------------
    clock.advance(1)
    v1, v2 = campaign.vacancies.order_by("sort_order").values_list("pk", flat=True)
    web.submit(
        f"{base}/nominate-meeting/",
        {"cadre": a.name, "vacancy": v1, "meeting_on": "2026-03-03", "participants": 120, "votes": 61},
    )
    web.submit(
        f"{base}/nominate-masses/",
        {"cadre": b.name, "vacancy": v1, "unit": county["other_unit"].pk, "unit_size": 40,
         "participants": 35, "votes": 20, "meeting_on": "2026-03-03"},
    )  # fmt: skip
    web.submit(
        f"{base}/nominate-signed/",
        {"cadre": c.name, "vacancy": v1, "recommender_name": "孙立群", "recommender_unit_post": "县发展和改革局局长",
         "recommender_contact": "0936-5551234", "relationship": "上下级，无亲属关系", "assessment": "德才兼备，实绩突出",
         "reasons": "长期从事项目管理", "proposed_use": "副局长", "responsibility_accepted": True},
        shot="08-signed-nomination",
    )  # fmt: skip
    for cadre in (d, e, f):
        web.submit(
            f"{base}/nominate-self/",
            {"cadre": cadre.name, "vacancy": v2, "statement": "本人符合任职条件，自荐参加选任"},
        )
    web.open(base + "/")
    assert page.locator("#step-grid tbody tr").count() == 6
    shot(page, "09-six-nominees")

    # --- review, 1:3 and 1:2 -------------------------------------------------------------------
    clock.advance(7)  # 03-10: nominations have closed
    assert "6 人符合任职资格" in web.submit(f"{base}/review/", {"confirm": True})
    qualified = _ids(campaign, "qualified")
    refusal = web.submit(f"{base}/propose/", {"candidates_field": qualified[:5]}, refused=True)
    assert "nomination.proposal_ratio" in refusal
    shot(page, "10-ratio-refused")
    web.submit(f"{base}/propose/", {"candidates_field": qualified, "reasons": "人岗相适，三人竞争一个职位"})
    proposed = _ids(campaign, "proposed")
    web.submit(
        f"{base}/confirm/",
        {"candidates_field": [proposed[i] for i in (0, 1, 3, 4)], "meeting_name": "县委常委会"},
    )

    # --- democratic recommendation and inspection candidates -------------------------------
    clock.advance(1)  # 03-11
    confirmed = _ids(campaign, "confirmed")
    web.open(f"{base}/recommendation/")
    shot(page, "11-recommendation-form")
    web.submit(
        f"{base}/recommendation/",
        {"held_on": "2026-03-11", "form": "meeting", "mode": "from_list", "expected": 110, "participants": 100,
         "valid_ballots": 100, **{f"votes_{pk}": v for pk, v in zip(confirmed, (60, 50, 45, 40), strict=True)}},
    )  # fmt: skip
    clock.advance(1)  # 03-12
    web.submit(f"{base}/inspection-candidates/", {"reasons": "按民主推荐得票差额确定"})
    chosen = _ids(campaign, "inspection_candidate")
    assert len(chosen) == 4  # both of each post: more than one for each post
    web.open(base + "/")
    shot(page, "12-inspection-candidates")

    # --- inspection ---------------------------------------------------------------------------
    # Starting the inspection tomorrow leaves no room for a 2-day notice: refused by its rule.
    web.submit(
        f"{base}/team/",
        {"name": "第一考察组", "starts_on": "2026-03-16", "hotline": "0936-5551234", "chosen": chosen,
         "member_1": "朱建军", "post_1": "组织部副部长", "certificate_1": "KC-001", "user_1": inspector.pk,
         "member_2": "吴晓霞", "post_2": "干部科科长", "certificate_2": "KC-002"},
        shot="13-team",
    )  # fmt: skip
    web.submit(f"{base}/inspection-notice/", {"team": InspectionTeam.objects.get().pk})
    clock.advance(4)  # 03-16: the inspection starts
    page.locator("form.inline button.link").click()
    staff_login(page, live_server, inspector)
    assert "实施考察" in page.inner_text("#my-work")
    shot(page, "14-inspector-home")
    first = chosen[0]
    refusal = web.submit(f"{base}/candidates/{first}/conclude-inspection/", {"confirm": True}, refused=True)
    assert "inspection.must_talk" in refusal  # no talk yet: the inspection cannot end
    for pk in chosen:
        cbase = f"{base}/candidates/{pk}"
        for group in ("班子成员", "中层干部", "群众代表", "纪检财务人员"):
            web.submit(
                f"{cbase}/talk/", {"group": group, "interviewee": f"{group}代表", "held_on": "2026-03-16"}
            )
        if pk == first:
            shot(page, "15-talks-by-group")
        web.submit(
            f"{cbase}/evaluation/",
            {
                "held_on": "2026-03-16",
                "participants": 60,
                "grade_0": 20,
                "grade_1": 30,
                "grade_2": 8,
                "grade_3": 2,
            },
        )
        web.submit(
            f"{cbase}/procedure/",
            {"kind": "face_to_face", "held_on": "2026-03-16", "summary": "面谈了解履职思路"},
        )
        web.submit(
            f"{cbase}/procedure/",
            {"kind": "file_check", "held_on": "2026-03-16", "summary": "查阅干部档案无疑点"},
        )
        web.submit(f"{cbase}/conclude-inspection/", {"confirm": True})
    clock.advance(1)  # 03-17
    members = list(InspectionTeam.objects.get().members.all())
    for pk in chosen:
        cbase = f"{base}/candidates/{pk}"
        web.submit(
            f"{cbase}/conclusion/",
            {
                "text": "该同志政治坚定，工作实绩突出，群众公认度高。",
                **{f"agrees_{m.pk}": True for m in members},
            },
            shot="16-conclusion" if pk == first else "",
        )
        web.submit(f"{cbase}/feedback/", {"confirm": True})
    page.locator("form.inline button.link").click()
    staff_login(page, live_server, officer)
    for pk in chosen:
        web.submit(f"{base}/candidates/{pk}/review-complete/", {"confirm": True})
    web.open(f"{base}/candidates/{first}/")
    shot(page, "17-candidate-after-inspection")

    # --- deliberation -------------------------------------------------------------------------
    clock.advance(1)  # 03-18
    web.submit(
        f"{base}/department-meeting/", {"held_on": "2026-03-18", "attendees": "陈志刚、李明远、赵晓燕"}
    )
    for pk in chosen:
        cbase = f"{base}/candidates/{pk}"
        web.submit(
            f"{cbase}/opinion/",
            {"source": "leaders", "body": "县委、人大、政府、政协主要领导", "agrees": "1"},
        )
        web.submit(
            f"{cbase}/opinion/",
            {"source": "discipline", "body": "县纪委监委", "agrees": "1", "text": "未发现违纪违法问题"},
        )
        web.submit(f"{cbase}/consultation/", {"confirm": True})
    clock.advance(1)  # 03-19
    web.submit(
        f"{base}/personnel-deliberation/",
        {"held_on": "2026-03-19", "attendees": "王振国、刘海涛、陈志刚、周建华"},
    )
    web.submit(f"{base}/file-plan/", {"filed_with": "市委组织部", "reference": "临组报〔2026〕8号"})
    for pk in chosen:
        web.submit(f"{base}/candidates/{pk}/procedure-form/", {"confirm": True})
        web.submit(f"{base}/candidates/{pk}/procedure-sign/", {"signer_name": "陈志刚"})
    web.open(base + "/")
    shot(page, "18-ready-for-committee")

    # --- the standing committee ---------------------------------------------------------------
    clock.advance(1)  # 03-20
    web.submit(
        f"{base}/convene/",
        {"kind": "standing_committee", "held_on": "2026-03-20", "chosen": chosen, "secretary": secretary.pk},
        shot="19-convene",
    )
    meeting = Meeting.objects.get(kind="standing_committee")
    mbase = f"{base}/meetings/{meeting.pk}"
    refusal = web.submit(f"{mbase}/open/", {"confirm": True}, refused=True)
    assert "decision.quorum" in refusal  # nobody has signed in
    for seat in meeting.members.all():
        web.submit(f"{mbase}/sign-in/", {"member": seat.pk})
    web.submit(f"{mbase}/open/", {"confirm": True})
    web.submit(f"{mbase}/present/", {"presentation": "介绍四名考察对象的民主推荐、考察情况和任用理由。"})
    page.locator("form.inline button.link").click()
    staff_login(page, live_server, secretary)  # the secretary sees his meeting on the home page
    assert "我参加的会议" in page.inner_text("#my-work")
    refusal = web.submit(f"{mbase}/position/", {"person": chosen[0], "position": "同意"}, refused=True)
    assert "secretary_last" in refusal  # nobody else has spoken yet
    shot(page, "20-secretary-may-not-speak-first")
    page.locator("form.inline button.link").click()
    staff_login(page, live_server, officer)
    winners = {chosen[0], chosen[2]}  # one for each post
    ordinary = list(meeting.members.exclude(role=MeetingMember.Role.SECRETARY))
    for pk in chosen:
        for i, seat in enumerate(ordinary):
            agree = pk in winners or i < 2
            web.submit(
                f"{mbase}/position/",
                {
                    "member": seat.pk,
                    "person": pk,
                    "position": "同意" if agree else "不同意",
                    "reason": "实绩突出",
                },
            )
    page.locator("form.inline button.link").click()
    staff_login(page, live_server, secretary)
    for pk in chosen:
        web.submit(
            f"{mbase}/position/",
            {"person": pk, "position": "同意" if pk in winners else "不同意", "reason": "同意多数意见"},
        )
    shot(page, "21-secretary-speaks-last")
    page.locator("form.inline button.link").click()
    staff_login(page, live_server, officer)
    for pk in chosen:
        favour = 7 if pk in winners else 2
        web.submit(f"{mbase}/vote/", {"person": pk, "in_favour": favour, "against": 7 - favour, "abstain": 0})
    web.submit(f"{mbase}/close/", {"minutes": "常委会差额票决：每个职位一人获得超过应到会成员半数同意。"})
    web.submit(f"{mbase}/publish-counts/", {"confirm": True})
    web.open(mbase + "/")
    shot(page, "22-meeting-results")
    approved = _ids(campaign, "approved")
    assert set(approved) == winners

    # --- notice, complaints, appointment -------------------------------------------------------
    clock.advance(3)  # 03-23, a Monday
    message = web.submit(
        f"{base}/pre-notice/", {"chosen": approved, "starts_on": "2026-03-23", "hotline": "0936-5551234"}
    )
    assert "2026年03月27日" in message  # five working days
    refusal = web.submit(f"{base}/candidates/{approved[0]}/notice-over/", {"confirm": True}, refused=True)
    assert "notice.period" in refusal
    clock.advance(7)  # 03-30
    for n, pk in enumerate(approved):
        web.submit(f"{base}/candidates/{pk}/notice-over/", {"confirm": True})
        web.submit(f"{base}/candidates/{pk}/appoint/", {"document_reference": f"临任〔2026〕{n + 1}号"})
    web.open(f"{base}/candidates/{approved[0]}/")
    assert "试用期" in page.inner_text("main")
    shot(page, "23-appointed-candidate")
    web.open(base + "/")
    shot(page, "24-campaign-finished")
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.FINISHED
    for pk in approved:
        cadre = Candidate.objects.select_related("cadre").get(pk=pk).cadre
        assert cadre.current_title.startswith("县发展和改革局副局长")
    assert Entry.objects.filter(campaign_id=campaign.pk, action="step_refused").count() >= 5
    web.open("/")
    shot(page, "25-officer-home")
