"""The tenancy walk's campaign objects: one of each at the world's fixed primary key.

Rows are created directly here (not through the campaign actions) because the walk needs every
table's county row at the same known key; this is test scaffolding, never used by the app. The
register builder has already made the unit, post and cadre at ``pk``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from xuanren.accounts.models import Jurisdiction
from xuanren.campaigns.models import (
    AnnualPlan,
    Campaign,
    CampaignStep,
    Candidate,
    CandidateStep,
    InspectionTeam,
    InspectionTeamMember,
    Meeting,
    MeetingMember,
    Nomination,
    Notice,
    ProcedureForm,
    Talk,
    Vacancy,
)
from xuanren.register.models import Cadre, Post
from xuanren.rules.policy import get_policy
from xuanren.testing import factories


def build_campaign_world(j: Jurisdiction, pk: int, tag: str) -> dict[str, Any]:
    policy = get_policy("linze")
    user = factories.make_user(jurisdiction=j, username=f"campaigns-builder-{pk}")
    plan = AnnualPlan.objects.create(pk=pk, jurisdiction=j, year=2026, published_on=date(2026, 1, 20))
    campaign = Campaign.objects.create(
        pk=pk,
        jurisdiction=j,
        title=f"{tag}2026年副科级领导职务选任",
        year=2026,
        status=Campaign.Status.IN_PROGRESS,
        policy_id=policy.id,
        policy_version=policy.version,
        policy_sha256=policy.sha256,
        planned=True,
        plan_quarter=1,
        annual_plan=plan,
        nomination_opens=date(2026, 3, 2),
        nomination_closes=date(2026, 3, 13),
        created_by=user,
    )
    for n, step in enumerate(("motion_proposal", "motion_plan", "vacancy_announcement")):
        CampaignStep.objects.create(
            pk=pk + 10 * n, campaign=campaign, step=step, done_on=date(2026, 2, 2 + n)
        )
    post = Post.objects.get(pk=pk)
    vacancy = Vacancy.objects.create(
        pk=pk, campaign=campaign, post=post, rank=post.rank, frozen_on=date(2026, 2, 4)
    )
    team = InspectionTeam.objects.create(
        pk=pk, campaign=campaign, name=f"{tag}考察组", starts_on=date(2026, 4, 6)
    )
    member = InspectionTeamMember.objects.create(pk=pk, team=team, name=f"{tag}考察组长", is_leader=True)
    candidate = Candidate.objects.create(
        pk=pk,
        campaign=campaign,
        cadre=Cadre.objects.get(pk=pk),
        vacancy=vacancy,
        state=Candidate.State.INSPECTION_CANDIDATE,
        inspection_team=team,
    )
    CandidateStep.objects.create(
        pk=pk, candidate=candidate, stage="nomination", step="nominated", done_on=date(2026, 3, 9)
    )
    nomination = Nomination.objects.create(
        pk=pk,
        campaign=campaign,
        candidate=candidate,
        channel=Nomination.Channel.SELF,
        vacancy=vacancy,
        received_on=date(2026, 3, 9),
        self_statement="自荐",
    )
    talk = Talk.objects.create(
        pk=pk,
        candidate=candidate,
        group="班子成员",
        interviewee="谈话对象",
        held_on=date(2026, 4, 7),
        interviewer=member,
    )
    meeting = Meeting.objects.create(
        pk=pk, campaign=campaign, kind=Meeting.Kind.STANDING_COMMITTEE, held_on=date(2026, 5, 6)
    )
    meeting.candidates.add(candidate)
    seat = MeetingMember.objects.create(
        pk=pk, meeting=meeting, name=f"{tag}书记", role=MeetingMember.Role.SECRETARY
    )
    notice = Notice.objects.create(
        pk=pk,
        campaign=campaign,
        kind=Notice.Kind.INSPECTION,
        posted_on=date(2026, 4, 1),
        starts_on=date(2026, 4, 6),
        team=team,
    )
    notice.candidates.add(candidate)
    form = ProcedureForm.objects.create(
        pk=pk, candidate=candidate, generated_on=date(2026, 4, 30), rows=[], complete=False, missing=["考察"],
        docx_sha256="0" * 64,
    )  # fmt: skip
    return {
        "procedure_form": form,
        "annual_plan": plan,
        "campaign": campaign,
        "vacancy": vacancy,
        "candidate": candidate,
        "nomination": nomination,
        "inspection_team": team,
        "team_member": member,
        "talk": talk,
        "meeting": meeting,
        "meeting_member": seat,
        "notice": notice,
    }


# --------------------------------------------------------------------------- a county ready to select


NOMINEES = ("王建国", "李秀英", "张伟", "刘洋", "陈静", "杨帆")


def selection_county(j: Jurisdiction, *, nominees: tuple[str, ...] = NOMINEES) -> dict[str, Any]:
    """A unit with two vacant deputy posts inside its approved headcount, and eligible cadres.

    The ordinary starting point of a competitive campaign for 2 posts: 县发展和改革局 has 3 approved
    副科级 places, one held, two posts vacant; the nominees are 科员 of the county's units with
    enough years of work and a bachelor's degree.
    """
    from xuanren.register.choices import PostRole, Rank

    unit = factories.make_unit(j, "县发展和改革局", fuke=3, zhengke=1)
    head = factories.make_post(unit, "党组书记、局长", rank=Rank.ZHENGKE, role=PostRole.GOV_HEAD)
    held = factories.make_post(unit, "副局长（综合）", rank=Rank.FUKE)
    posts = [factories.make_post(unit, f"副局长（{area}）", rank=Rank.FUKE) for area in ("项目", "改革")]
    factories.hold(factories.make_cadre(j, "赵德胜", unit=unit, rank=Rank.ZHENGKE), head)
    factories.hold(factories.make_cadre(j, "钱立新", unit=unit, rank=Rank.FUKE), held)
    other = factories.make_unit(j, "县财政局", fuke=2)
    cadres = [
        factories.make_cadre(
            j,
            name,
            unit=unit if i % 2 == 0 else other,
            birth=date(1984 + i, 3 + i, 10 + i),
            rank=Rank.KEYUAN,
            current_title=f"{(unit if i % 2 == 0 else other).name}{'综合股股长' if i % 2 == 0 else '预算股股长'}",
        )
        for i, name in enumerate(nominees)
    ]
    return {"unit": unit, "other_unit": other, "posts": posts, "cadres": cadres}
