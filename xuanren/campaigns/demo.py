"""Demo campaigns in the demo county (临泽县), left at several stages of the procedure.

Every change goes through :mod:`xuanren.campaigns.actions` (and the ballots and supervision
actions), acted on by the demo staff logins of their roles, with dates counted back from
``today`` so that each campaign stands where its title says:

- one taking nominations (the cadre section receives them);
- one in inspection (the inspection team records talks; the 民主测评 of those still being inspected
  is open on the voter's page, with some ballots cast and the rest of its codes kept for trying it);
- one before the standing committee (the secretary and the members have a meeting to attend);
- one in the pre-appointment notice (with a complaint the supervision office is verifying);
- one finished (both posts filled, probation running).

Built after the register demo (``xuanren.register.demo``) by the ``demo`` command. Posts are the
demo county's vacant deputy posts with headcount to spare; nominees are 科员 who fit the posts'
conditions, chosen with ``seed`` so the same seed gives the same people.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.files.base import ContentFile

from xuanren.accounts.models import Jurisdiction, User
from xuanren.campaigns import actions
from xuanren.campaigns.errors import CampaignRefused
from xuanren.campaigns.figures import EvaluationFigures, RecommendationFigures, VoteFigures
from xuanren.campaigns.models import Campaign, Candidate, InspectionTeam, Meeting, MeetingMember
from xuanren.register import selectors as register_selectors
from xuanren.register.choices import Education, Rank
from xuanren.register.demo import DEFAULT_SEED, MAIN_COUNTY
from xuanren.register.models import Cadre, Post, PostHolding
from xuanren.rules.calendar import CalendarDataMissing

POLICY = "linze"


@dataclass(frozen=True)
class Opening:
    """What a demo campaign says at its motion and its two openings."""

    reason: str = "领导班子需要补充"
    conditions: str = "熟悉相关业务，具有三年以上基层工作经历者优先"
    direction: str = "坚持好干部标准，树立重实干重实绩的用人导向，注重在基层一线和急难险重任务中识别干部"
    standards: str = "政治过硬、作风扎实、熟悉业务、群众公认"
    minutes: str = "会议审定动议方案，同意按差额方式选任。"
    method: str = "采取五方联推、差额推荐、差额考察、差额酝酿、差额票决的方式选任，程序步骤按临泽县办法执行。"
    method_media: tuple[str, ...] = ("网络", "展板")


MUST_TALK = ("班子成员", "中层干部", "群众代表", "纪检财务人员")
# Units whose two vacant deputy posts each campaign fills, in order of preference; any unit with
# two vacant 副科级 posts and headcount to spare stands in for one that has none.
PREFERRED_UNITS = ("县财政局", "沙河镇", "县人力资源和社会保障局", "县公安局", "县农业农村局")


@dataclass
class DemoCampaigns:
    """What was built: (title, stage) for each campaign, and those that could not be built."""

    built: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    voter_codes: list[str] = field(default_factory=list)
    """Unused codes of the open demo poll (only their hashes are stored)."""

    def line(self) -> str:
        text = f"演示选任工作 {len(self.built)} 项：" + "；".join(f"{t}（{s}）" for t, s in self.built)
        if self.skipped:
            text += "。未能生成：" + "；".join(f"{t}（{why}）" for t, why in self.skipped)
        return text


@dataclass
class Staff:
    officer: User
    head: User
    secretary: User
    deliberation: User
    discipline: User
    supervisor: User
    inspectors: list[User]
    committee: list[User]  # every demo login with the committee role, the secretary among them


def demo_staff() -> Staff:
    by_name = {u.username: u for u in User.objects.filter(jurisdiction__code=MAIN_COUNTY[0])}

    def one(username: str) -> User:
        if username not in by_name:
            raise LookupError(f"演示账号 {username} 不存在：请先生成演示县（register 演示数据）")
        return by_name[username]

    committee = sorted(
        (u for u in by_name.values() if u.has_role("committee_member")),
        key=lambda u: (u.username != "shuji", u.pk),
    )
    return Staff(
        officer=one("ganbuke"),
        head=one("buzhang"),
        secretary=one("shuji"),
        deliberation=one("changwei1"),
        discipline=one("jiwei"),
        supervisor=one("jiandu"),
        inspectors=[one("kaochazu1"), one("kaochazu2")],
        committee=committee,
    )


def _demo_pdf(title: str) -> ContentFile:
    """A one-page PDF standing in for a signed scan (the demo has no paper to scan): its title and
    a note in Chinese, so each demo file differs and reads as what it stands for."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from xuanren.record.exports import register_pdf_font

    font = register_pdf_font()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    page.setFont(font, 16)
    page.drawString(72, 760, title)
    page.setFont(font, 11)
    page.drawString(72, 736, "演示数据：此页代替签字扫描件（演示县没有纸质材料可供扫描）。")
    page.showPage()
    page.save()
    return ContentFile(buffer.getvalue(), name=f"{title}.pdf")


# --------------------------------------------------------------------------- posts and people


def _vacant_pairs(j: Jurisdiction) -> list[list[Post]]:
    """Two vacant 副科级 posts of one unit, with approved headcount for both, unit by unit."""
    held = set(
        PostHolding.objects.filter(end__isnull=True, post__isnull=False).values_list("post_id", flat=True)
    )
    by_unit: dict[int, list[Post]] = {}
    for post in (
        Post.objects.filter(unit__jurisdiction=j, rank=Rank.FUKE)
        .select_related("unit")
        .order_by("unit__sort_order", "unit_id", "sort_order", "id")
    ):
        if post.pk not in held:
            by_unit.setdefault(post.unit_id, []).append(post)
    pairs = []
    for unit_id, posts in by_unit.items():
        free = register_selectors.headcount_approved(unit_id, Rank.FUKE) - register_selectors.headcount_used(
            unit_id, Rank.FUKE
        )
        if len(posts) >= 2 and free >= 2:
            pairs.append(posts[:2])
    preferred = {name: i for i, name in enumerate(PREFERRED_UNITS)}
    return sorted(pairs, key=lambda p: preferred.get(p[0].unit.name, len(preferred)))


def nominee_pool(j: Jurisdiction, today: date, seed: int) -> list[Cadre]:
    """科员 aged 28 to 44 with a college education or more, in a seeded order."""
    fits = []
    good = {Education.JUNIOR_COLLEGE, Education.BACHELOR, Education.MASTER, Education.DOCTOR}
    for cadre in (
        Cadre.objects.filter(jurisdiction=j, current_rank=Rank.KEYUAN)
        .select_related("unit")
        .prefetch_related("rewards_sanctions")
        .order_by("id")
    ):
        age = (
            today.year
            - cadre.birth_date.year
            - ((today.month, today.day) < (cadre.birth_date.month, cadre.birth_date.day))
        )
        sanctioned = any(r.kind == "sanction" for r in cadre.rewards_sanctions.all())
        if 28 <= age <= 44 and cadre.highest_education in good and not sanctioned and cadre.unit_id:
            fits.append(cadre)
    random.Random(seed).shuffle(fits)
    return fits


# --------------------------------------------------------------------------- one campaign


@dataclass
class DemoRun:
    """Takes one demo campaign through the actions; ``day(n)`` is ``n`` days after its start."""

    staff: Staff
    jurisdiction: Jurisdiction
    title: str
    posts: list[Post]
    nominees: list[Cadre]
    start: date
    campaign: Campaign | None = None

    def day(self, n: int) -> date:
        return self.start + timedelta(days=n)

    @property
    def c(self) -> Campaign:
        assert self.campaign is not None
        return self.campaign

    def people(self, *states: str) -> list[Candidate]:
        qs = (
            Candidate.objects.filter(campaign=self.c)
            .select_related("cadre", "vacancy")
            .order_by("sort_order", "id")
        )
        return list(qs.filter(state__in=states) if states else qs)

    # --- motion and the two openings ---------------------------------------------------------

    def open(self, nomination_days: int = 7, opening: Opening = Opening()) -> None:
        s, d = self.staff, self.day(0)
        self.campaign = actions.create_campaign(
            acting_user=s.officer,
            jurisdiction=self.jurisdiction,
            title=self.title,
            year=d.year,
            policy_ref=POLICY,
            today=d,
            annual_plan=_annual_plan(s, self.jurisdiction, d),
            plan_quarter=(d.month - 1) // 3 + 1,
        )
        unit = self.posts[0].unit.name
        actions.propose_motion(
            self.c,
            acting_user=s.officer,
            today=d,
            reason=f"{unit}{'、'.join(p.title for p in self.posts)}职位空缺，{opening.reason}",
            vacancies=[
                actions.VacancyInput(
                    post=p,
                    min_years_in_rank=3,
                    min_education=Education.JUNIOR_COLLEGE,
                    max_age=45,
                    other_conditions=opening.conditions,
                )
                for p in self.posts
            ],
        )
        actions.record_direction(
            self.c, acting_user=s.secretary, today=d, direction=opening.direction, standards=opening.standards
        )
        actions.agree_motion_plan(
            self.c,
            acting_user=s.deliberation,
            today=self.day(1),
            meeting="县委人事酝酿会议",
            attendees=["王振国", "刘海涛", "张红梅", "陈志刚", "周建华"],
            leaders_heard=["分管副县长"],
            minutes=opening.minutes,
        )
        actions.publish_method(
            self.c,
            acting_user=s.officer,
            today=self.day(2),
            method=opening.method,
            media=list(opening.method_media),
        )
        actions.announce_vacancies(
            self.c,
            acting_user=s.officer,
            today=self.day(2),
            media=["电视", "网络", "文件", "展板"],
            nomination_opens=self.day(2),
            nomination_closes=self.day(2 + nomination_days),
        )

    def try_changing_conditions(self) -> None:
        """An attempt to relax the conditions after publication: refused, and recorded as such."""
        vacancy = self.c.vacancies.order_by("sort_order").first()
        assert vacancy is not None
        try:
            actions.change_vacancy_conditions(
                vacancy, acting_user=self.staff.officer, today=self.day(3), changes={"min_years_in_rank": 1}
            )
        except CampaignRefused:
            pass  # the refusal is the point: it stands in the record as step_refused

    def nominate(self, count: int, on: int = 3) -> None:
        """``count`` nominees through the five channels in turn."""
        s, d = self.staff, self.day(on)
        vacancies = list(self.c.vacancies.order_by("sort_order"))
        for i, cadre in enumerate(self.nominees[:count]):
            vacancy = vacancies[0] if i < (count + 1) // 2 else vacancies[-1]
            unit = cadre.unit
            assert unit is not None
            channel = i % 5
            if channel == 0:
                actions.nominate_by_cadre_meeting(
                    self.c, acting_user=s.officer, today=d, cadre=cadre, vacancy=vacancy,
                    meeting_on=d, participants=126, votes=58 - 4 * i,
                )  # fmt: skip
            elif channel == 1:
                actions.nominate_by_cadres_and_masses(
                    self.c, acting_user=s.officer, today=d, cadre=cadre, vacancy=vacancy, unit=unit,
                    unit_size=45, participants=38, votes=21 - i, meeting_on=d,
                )  # fmt: skip
            elif channel == 2:
                minutes = _demo_pdf(f"{unit.name}党组会议记录")
                material = _stored(s.officer, self.c, cadre, minutes, "minutes")
                actions.nominate_by_unit(
                    self.c, acting_user=s.officer, today=d, cadre=cadre, vacancy=vacancy, unit=unit, meeting_on=d,
                    document_reference=f"{unit.name[:4]}发〔{d.year}〕{10 + i}号",
                    basic_facts=f"{cadre.name}，{cadre.get_gender_display()}，{cadre.birth_date:%Y年%m月}生，现任{cadre.current_title}",
                    achievements="近三年年度考核均为称职以上，牵头完成多项重点工作", proposed_post=str(vacancy.post),
                    reasons="政治素质好，业务能力强，群众基础好", minutes=material,
                )  # fmt: skip
            elif channel == 3:
                actions.nominate_by_signature(
                    self.c, acting_user=s.officer, today=d, cadre=cadre, vacancy=vacancy,
                    recommender_name="周明", recommender_unit_post="县人大常委会副主任",
                    recommender_contact="0936-5550000", relationship="曾为同事，无亲属关系",
                    responsibility_accepted=True, assessment="德能勤绩廉各方面表现良好，工作实绩突出",
                    reasons="长期在基层一线工作，熟悉业务", proposed_use=str(vacancy.post),
                )  # fmt: skip
            else:
                actions.nominate_self(
                    self.c, acting_user=s.officer, today=d, cadre=cadre, vacancy=vacancy,
                    statement=f"本人{cadre.name}，现任{cadre.current_title}，符合任职条件，自荐参加选任。",
                )  # fmt: skip

    def shortlist(self, on: int) -> None:
        """Qualification review, the 1:3 proposal and the 1:2 confirmation, balanced across posts."""
        s = self.staff
        actions.review_qualifications(self.c, acting_user=s.officer, today=self.day(on))
        qualified = self.people(Candidate.State.QUALIFIED)
        posts = self.c.vacancies.count()
        proposed = _balanced(qualified, per_post=3, total=3 * posts)
        actions.propose_nominees(
            self.c,
            acting_user=s.head,
            today=self.day(on + 1),
            candidates=proposed,
            reasons="综合分析人岗相适",
        )
        confirmed = _balanced(self.people(Candidate.State.PROPOSED), per_post=2, total=2 * posts)
        actions.confirm_nominees(
            self.c,
            acting_user=s.secretary,
            today=self.day(on + 2),
            candidates=confirmed,
            meeting="县委常委会",
        )

    def recommend(self, on: int) -> None:
        confirmed = self.people(Candidate.State.CONFIRMED)
        # In list order (the first post's two, then the second's): a strong and a weaker nominee for
        # each post, all above a third of the 118, so each post goes on with more than one.
        votes = (72, 55, 61, 47)
        actions.hold_recommendation(
            self.c,
            acting_user=self.staff.officer,
            today=self.day(on),
            held_on=self.day(on),
            figures=RecommendationFigures(
                votes={c.cadre_id: votes[i % 4] for i, c in enumerate(confirmed)},
                participants=118,
                valid_ballots=118,
            ),
            expected=126,
        )
        actions.set_inspection_candidates(self.c, acting_user=self.staff.head, today=self.day(on + 1))

    def team(self, on: int, starts: int) -> InspectionTeam:
        s = self.staff
        team = actions.form_inspection_team(
            self.c,
            acting_user=s.head,
            today=self.day(on),
            starts_on=self.day(starts),
            hotline="0936-5521234",
            members=[
                actions.TeamMemberInput("朱建军", "县委组织部副部长", True, "GS-KC-0107", s.inspectors[0]),
                actions.TeamMemberInput(
                    "吴晓霞", "县委组织部干部科干事", False, "GS-KC-0213", s.inspectors[1]
                ),
            ],
            candidates=self.people(Candidate.State.INSPECTION_CANDIDATE),
        )
        actions.publish_inspection_notice(team, acting_user=s.officer, today=self.day(on))
        return team

    def inspect(
        self, candidate: Candidate, on: int, groups: Sequence[str] = MUST_TALK, finish: bool = True
    ) -> None:
        s, d = self.staff, self.day(on)
        inspector = s.inspectors[0]
        interviewer = candidate.inspection_team.members.first() if candidate.inspection_team else None
        for group in groups:
            actions.record_talk(
                candidate, acting_user=inspector, today=d, group=group, held_on=d,
                interviewee=f"{group}代表", interviewer=interviewer, summary="对其德才表现给予肯定",
            )  # fmt: skip
        if not finish:
            return
        actions.record_evaluation(
            candidate,
            acting_user=inspector,
            today=d,
            held_on=d,
            figures=EvaluationFigures(
                counts={"优秀": 26, "称职": 31, "基本称职": 4, "不称职": 1}, participants=62
            ),
        )
        actions.record_face_to_face_talk(
            candidate,
            acting_user=inspector,
            today=d,
            held_on=d,
            summary="面谈了解其履职思路和对拟任职位的认识",
        )
        actions.record_file_check(
            candidate,
            acting_user=inspector,
            today=d,
            held_on=d,
            summary="查阅干部人事档案，“三龄两历一身份”无疑点",
        )
        actions.conclude_inspection(candidate, acting_user=inspector, today=d)

    def evaluate_online(self, seed: int, participants: int = 62, cast: int = 40) -> list[str]:
        """The 民主测评 of those still being inspected, as a poll on the voter's page: codes for
        ``participants``, the poll opened and ``cast`` ballots cast (grades drawn with ``seed``).
        Returns the codes not used yet."""
        from xuanren.ballots import actions as ballots
        from xuanren.ballots import selectors as ballot_selectors
        from xuanren.campaigns.polls import create_campaign_poll
        from xuanren.campaigns.selectors import load_policy

        officer = self.staff.officer
        poll = create_campaign_poll(
            self.c, load_policy(self.c), kind="evaluation", participants=participants, acting_user=officer
        )
        codes = ballots.issue_codes(poll, participants, acting_user=officer)
        ballots.open_poll(poll, acting_user=officer)
        rng = random.Random(seed)
        items = ballot_selectors.spec_of(poll).items
        for code in codes[:cast]:
            marks = {}
            for item in items:
                grades = [c.key for c in item.choices]
                marks[item.key] = rng.choices(grades, weights=[10, 12, 2, 1][: len(grades)])
            ballots.cast_ballot(code, marks)
        return codes[cast:]

    def review(self, on: int) -> None:
        """Conclusions signed by the whole team, feedback and the joint review of each candidate."""
        s = self.staff
        for candidate in self.people(Candidate.State.INSPECTED):
            team = candidate.inspection_team
            assert team is not None
            actions.record_team_conclusion(
                candidate,
                acting_user=s.inspectors[0],
                today=self.day(on),
                text=f"{candidate.cadre.name}同志政治立场坚定，工作思路清晰，实绩突出，群众公认度较高。",
                signatures=[actions.SignatureInput(m) for m in team.members.all()],
            )
            actions.feed_back_inspection(candidate, acting_user=s.inspectors[0], today=self.day(on))
            actions.complete_inspection_review(candidate, acting_user=s.head, today=self.day(on + 1))

    def deliberate(self, on: int) -> None:
        s = self.staff
        inspected = self.people(Candidate.State.INSPECTED)
        actions.hold_department_meeting(
            self.c, acting_user=s.head, today=self.day(on), held_on=self.day(on), candidates=inspected,
            attendees=["陈志刚", "组织部常务副部长", "组织部副部长", "李明远"], minutes="部务会逐一酝酿考察对象。",
        )  # fmt: skip
        for candidate in inspected:
            actions.record_opinion(
                candidate, acting_user=s.officer, today=self.day(on + 1), source="leaders",
                body="县委、人大、政府、政协主要领导和分管领导", agrees=True,
            )  # fmt: skip
            actions.record_opinion(
                candidate, acting_user=s.discipline, today=self.day(on + 1), source="discipline",
                body="县纪委监委", agrees=True, text="未发现违纪违法问题",
            )  # fmt: skip
            actions.complete_consultation(candidate, acting_user=s.officer, today=self.day(on + 1))
        actions.hold_personnel_deliberation(
            self.c, acting_user=s.deliberation, today=self.day(on + 2), held_on=self.day(on + 2),
            candidates=self.people(Candidate.State.INSPECTED), attendees=["王振国", "刘海涛", "张红梅", "陈志刚", "周建华"],
            minutes="人事酝酿会议酝酿，同意提交常委会差额票决。",
        )  # fmt: skip
        actions.file_plan_with_higher_department(
            self.c, acting_user=s.head, today=self.day(on + 3), filed_with="张掖市委组织部",
            reference=f"临组报〔{self.day(on + 3).year}〕{self.c.pk + 10}号",
        )  # fmt: skip
        for candidate in self.people(Candidate.State.DELIBERATED):
            form = actions.generate_procedure_form(candidate, acting_user=s.officer, today=self.day(on + 3))
            actions.sign_procedure_form(
                form, acting_user=s.head, today=self.day(on + 3), signer_name="陈志刚"
            )

    def convene(self, on: int) -> Meeting:
        s = self.staff
        seats = [
            actions.MemberInput(
                str(u),
                MeetingMember.Role.SECRETARY if u.pk == s.secretary.pk else MeetingMember.Role.MEMBER,
                u,
            )
            for u in s.committee
        ]
        return actions.convene_meeting(
            self.c,
            acting_user=s.officer,
            today=self.day(on),
            kind=Meeting.Kind.STANDING_COMMITTEE,
            held_on=self.day(on),
            members=seats,
            candidates=self.people(Candidate.State.DELIBERATED),
            title=f"县委常委会第{self.c.pk + 20}次会议",
        )

    def decide(self, on: int) -> list[Candidate]:
        """The standing committee: sign-in, quorum, presentation, positions (secretary last),
        the vote (one per post passes), minutes and published counts."""
        s, d = self.staff, self.day(on)
        meeting = self.convene(on)
        for seat in meeting.members.order_by("sort_order", "id"):
            actions.sign_in(meeting, acting_user=s.officer, today=d, member=seat)
        actions.open_meeting(meeting, acting_user=s.officer, today=d)
        actions.present_candidates(
            meeting,
            acting_user=s.head,
            today=d,
            presentation="组织部介绍各考察对象的民主推荐、考察情况和任用理由。",
        )
        by_post: dict[int | None, Candidate] = {}
        for candidate in meeting.candidates.order_by("sort_order", "id"):
            by_post.setdefault(candidate.vacancy_id, candidate)
        winners = {c.pk for c in by_post.values()}
        order = actions.speaking_order(meeting)  # the secretary last
        for candidate in meeting.candidates.order_by("sort_order", "id"):
            # Everyone agrees to the first of each post; three members back the other one.
            agreeing = len(order) if candidate.pk in winners else 3
            for i, member in enumerate(order):
                agree = i < agreeing
                actions.record_position(
                    meeting, acting_user=s.officer, today=d, member=member, candidate=candidate,
                    position="同意" if agree else "不同意", reason="实绩突出，群众公认" if agree else "经验尚需积累",
                )  # fmt: skip
            actions.record_committee_vote(
                meeting, acting_user=s.officer, today=d, candidate=candidate,
                figures=VoteFigures(in_favour=agreeing, against=len(order) - agreeing),
            )  # fmt: skip
        actions.close_meeting(
            meeting, acting_user=s.officer, today=d, minutes="常委会差额票决，每个职位一名人选获得通过。"
        )
        actions.publish_vote_counts(meeting, acting_user=s.officer, today=d)
        return self.people(Candidate.State.APPROVED)

    def notice(self, starts: date) -> None:
        actions.publish_pre_appointment_notice(
            self.c,
            acting_user=self.staff.officer,
            today=starts,
            candidates=self.people(Candidate.State.APPROVED),
            starts_on=starts,
            hotline="0936-5521234",
        )

    def appoint(self, on: date) -> None:
        for n, candidate in enumerate(self.people(Candidate.State.NOTICED), start=1):
            actions.conclude_pre_appointment_notice(candidate, acting_user=self.staff.officer, today=on)
            actions.appoint(
                candidate,
                acting_user=self.staff.officer,
                today=on,
                document_reference=f"临任〔{on.year}〕{n}号",
            )

    # --- whole stretches ---------------------------------------------------------------------

    def through_inspection(self) -> None:
        """Nominations to the joint review of the inspection result (days 0 to about 32)."""
        self.open()
        self.nominate(8)
        self.shortlist(10)
        self.recommend(13)
        team_day = 15
        self.team(team_day, team_day + 3)
        for candidate in self.people(Candidate.State.INSPECTION_CANDIDATE):
            self.inspect(candidate, team_day + 4)
        self.review(team_day + 6)

    def to_committee(self) -> None:
        """Through deliberation and the signed procedure forms (days 0 to about 28)."""
        self.through_inspection()
        self.deliberate(23)


def _stored(user: User, campaign: Campaign, cadre: Cadre, upload: ContentFile, kind: str) -> actions.Material:
    """Store a demo scan in the record and name it by its SHA-256 for the nomination."""
    from xuanren.record.actions import store_material

    material = store_material(
        acting_user=user,
        jurisdiction_code=campaign.jurisdiction.code,
        file=upload,
        campaign_id=campaign.pk,
        candidate_id=cadre.pk,
        kind=kind,
    )
    return actions.Material(name=material.name, sha256=material.sha256)


def _annual_plan(staff: Staff, j: Jurisdiction, day: date) -> Any:
    from xuanren.campaigns.models import AnnualPlan

    plan = AnnualPlan.objects.filter(jurisdiction=j, year=day.year).first()
    if plan is None:
        plan = actions.create_annual_plan(
            acting_user=staff.officer,
            jurisdiction=j,
            year=day.year,
            note="按照干部选拔任用工作计划，分季度开展县直部门和乡镇领导职务选任工作。",
            today=day,
        )
    return plan


def _balanced(candidates: Sequence[Candidate], *, per_post: int, total: int) -> list[Candidate]:
    """Up to ``per_post`` candidates for each post, then others, ``total`` in all (in their order)."""
    chosen: list[Candidate] = []
    counts: dict[int | None, int] = {}
    for candidate in candidates:
        if counts.get(candidate.vacancy_id, 0) < per_post and len(chosen) < total:
            chosen.append(candidate)
            counts[candidate.vacancy_id] = counts.get(candidate.vacancy_id, 0) + 1
    for candidate in candidates:
        if len(chosen) >= total:
            break
        if candidate not in chosen:
            chosen.append(candidate)
    return chosen


# --------------------------------------------------------------------------- the five campaigns


def build_demo_campaigns(*, today: date, seed: int = DEFAULT_SEED) -> DemoCampaigns:
    """Build the demo campaigns in the demo county, each left at its stage as of ``today``."""
    j = Jurisdiction.objects.get(code=MAIN_COUNTY[0])
    staff = demo_staff()
    pairs = _vacant_pairs(j)
    pool = nominee_pool(j, today, seed)
    result = DemoCampaigns()
    if Campaign.objects.filter(jurisdiction=j).exists():
        result.skipped.append(("演示选任工作", "演示县已有选任工作"))
        return result

    def run(title: str, stage: str, start: date, build: Callable[[DemoRun], None]) -> None:
        if not pairs:
            result.skipped.append((title, "演示县没有足够的空缺副科级职位"))
            return
        posts = pairs.pop(0)
        unit = posts[0].unit.name
        full_title = f"{start.year}年{unit}副科级领导职务选任"
        nominees = [pool.pop() for _ in range(min(8, len(pool)))]
        if len(nominees) < 8:
            result.skipped.append((full_title, "演示县没有足够的符合条件的科员"))
            return
        runner = DemoRun(staff, j, full_title, posts, nominees, start)
        try:
            build(runner)
        except (CampaignRefused, CalendarDataMissing) as problem:
            result.skipped.append((full_title, str(problem)))
            return
        result.built.append((full_title, stage))

    def finished(r: DemoRun) -> None:
        r.to_committee()
        r.decide(28)
        starts = r.day(30)
        r.notice(starts)
        from xuanren.policies.calendar import notice_end

        r.appoint(notice_end(starts, 5) + timedelta(days=1))

    def in_notice(r: DemoRun) -> None:
        r.to_committee()
        r.decide(28)
        r.notice(today - timedelta(days=1))
        first = r.people(Candidate.State.NOTICED)[0]
        from xuanren.supervision import actions as supervision

        complaint = supervision.receive_complaint(
            acting_user=staff.supervisor,
            jurisdiction=j,
            today=today,
            summary="反映其在项目资金审核中把关不严，请组织核实",
            channel="phone",
            candidate=first,
            anonymous=True,
        )
        supervision.start_verification(
            complaint, acting_user=staff.supervisor, today=today, verifiers="干部监督室、县纪委监委、县审计局"
        )

    def at_committee(r: DemoRun) -> None:
        r.to_committee()
        r.convene(30)

    def in_inspection(r: DemoRun) -> None:
        r.open()
        r.try_changing_conditions()
        r.nominate(8)
        r.shortlist(10)
        r.recommend(13)
        r.team(15, 18)
        people = r.people(Candidate.State.INSPECTION_CANDIDATE)
        r.inspect(people[0], 18)
        if len(people) > 1:
            r.inspect(people[1], 18, groups=MUST_TALK[:2], finish=False)
        result.voter_codes = r.evaluate_online(seed)

    def taking_nominations(r: DemoRun) -> None:
        r.open(nomination_days=10)
        r.try_changing_conditions()
        r.nominate(5, on=3)

    # Start dates counted back so each campaign stands at its stage today.
    run("已完成", "已完成，试用期中", today - timedelta(days=150), finished)
    run("任前公示", "任前公示中", today - timedelta(days=31), in_notice)
    run("讨论决定", "常委会已召集", today - timedelta(days=30), at_committee)
    run("考察", "考察中", today - timedelta(days=18), in_inspection)
    run("推荐提名", "推荐提名中", today - timedelta(days=4), taking_nominations)
    return result
