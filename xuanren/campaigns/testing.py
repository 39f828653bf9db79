"""A county with staff, vacancies and nominees, and a driver that takes a campaign through the
actions step by step — for tests and for building demo data.

Every change goes through :mod:`xuanren.campaigns.actions`; the driver only chooses the inputs
(dates in 2025–2026, figures, names). ``CampaignDriver.run_to(step)`` stops after a step so a test
can try the next one itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from xuanren.accounts.models import Jurisdiction, User
from xuanren.campaigns import actions, engine
from xuanren.campaigns.figures import EvaluationFigures, RecommendationFigures, VoteFigures
from xuanren.campaigns.models import Campaign, Candidate, Vacancy
from xuanren.register.choices import Education, PostRole, Rank, UnitType
from xuanren.register.models import Cadre, Post, Unit
from xuanren.testing import factories

NOMINEE_NAMES = ("王建国", "李红梅", "张志强", "刘晓燕", "陈立新", "杨文华", "赵海涛", "孙丽娟")


@dataclass
class Staff:
    officer: User
    head: User
    secretary: User
    deliberation: User
    discipline: User
    inspector: User
    supervisor: User


@dataclass
class CampaignWorld:
    """A county with two vacant 正科级 posts (a department head and a town head) and nominees."""

    jurisdiction: Jurisdiction
    staff: Staff
    units: dict[str, Unit]
    posts: list[Post]
    nominees: list[Cadre]
    extra: dict[str, Any] = field(default_factory=dict)


def build_world(
    jurisdiction: Jurisdiction | None = None, *, nominees: int = 6, tag: str = ""
) -> CampaignWorld:
    """Two vacancies (县发展和改革局局长; 沙河镇镇长, a town government head: full-committee vote)
    and ``nominees`` 副科级 cadres who meet their conditions."""
    j = jurisdiction or factories.make_counties().a
    staff = Staff(
        officer=factories.make_user("cadre_officer", jurisdiction=j, display_name=f"{tag}干部科"),
        head=factories.make_user("department_head", jurisdiction=j, display_name=f"{tag}组织部长"),
        secretary=factories.make_user("secretary", jurisdiction=j, display_name=f"{tag}县委书记"),
        deliberation=factories.make_user("deliberation_member", jurisdiction=j, display_name=f"{tag}副书记"),
        discipline=factories.make_user("discipline", jurisdiction=j, display_name=f"{tag}纪委"),
        inspector=factories.make_user("inspection_team", jurisdiction=j, display_name=f"{tag}考察组"),
        supervisor=factories.make_user("supervision_office", jurisdiction=j, display_name=f"{tag}干部监督室"),
    )
    fgj = factories.make_unit(j, f"{tag}县发展和改革局", UnitType.GOV_DEPT, zhengke=1, fuke=2)
    town = factories.make_unit(j, f"{tag}沙河镇", UnitType.TOWN, zhengke=2, fuke=4)
    office = factories.make_unit(j, f"{tag}县委办公室", UnitType.PARTY_DEPT, zhengke=1, fuke=8)
    posts = [
        factories.make_post(fgj, "局长", Rank.ZHENGKE, PostRole.GOV_HEAD),
        factories.make_post(town, "镇长", Rank.ZHENGKE, PostRole.GOV_HEAD),
    ]
    people = []
    for i in range(nominees):
        post = factories.make_post(office, f"副主任{i + 1}", Rank.FUKE, PostRole.DEPUTY)
        cadre = factories.make_cadre(
            j,
            NOMINEE_NAMES[i % len(NOMINEE_NAMES)]
            + (str(i // len(NOMINEE_NAMES)) if i >= len(NOMINEE_NAMES) else ""),
            unit=office,
            birth=date(1984 + i % 5, 5, 10),
            rank=Rank.FUKE,
            rank_since=date(2019, 6, 1),
            post_since=date(2019, 6, 1),
            current_title=f"{office.name}{post.title}",
            fulltime_education=Education.BACHELOR,
        )
        factories.hold(cadre, post, start=date(2019, 6, 1))
        people.append(cadre)
    return CampaignWorld(j, staff, {"fgj": fgj, "town": town, "office": office}, posts, people)


def vacancy_inputs(world: CampaignWorld) -> list[actions.VacancyInput]:
    return [
        actions.VacancyInput(
            post=post,
            min_years_in_rank=2,
            min_education=Education.JUNIOR_COLLEGE,
            max_age=45,
            other_conditions="熟悉经济工作" if i == 0 else "有乡镇工作经历者优先",
        )
        for i, post in enumerate(world.posts)
    ]


# The calendar of the reference campaign (2025; probation ends in 2026).
D = {
    "motion": date(2025, 3, 3),
    "plan": date(2025, 3, 4),
    "method": date(2025, 3, 5),
    "announce": date(2025, 3, 6),
    "nominations_close": date(2025, 3, 13),
    "nominate": date(2025, 3, 10),
    "review": date(2025, 3, 14),
    "propose": date(2025, 3, 17),
    "confirm": date(2025, 3, 18),
    "recommend": date(2025, 3, 20),
    "joint_review": date(2025, 3, 21),
    "inspection_candidates": date(2025, 3, 24),
    "notice": date(2025, 3, 25),
    "inspection_starts": date(2025, 3, 28),
    "work_report": date(2025, 3, 28),
    "evaluation": date(2025, 3, 28),
    "talks": date(2025, 3, 31),
    "face": date(2025, 4, 1),
    "file_check": date(2025, 4, 1),
    "disclosure": date(2025, 4, 1),
    "concluded": date(2025, 4, 2),
    "conclusion": date(2025, 4, 3),
    "feedback": date(2025, 4, 3),
    "review_done": date(2025, 4, 11),
    "department_meeting": date(2025, 4, 14),
    "opinions": date(2025, 4, 15),
    "personnel_deliberation": date(2025, 4, 16),
    "plan_filed": date(2025, 4, 17),
    "forms": date(2025, 4, 18),
    "standing_committee": date(2025, 4, 21),
    "full_committee": date(2025, 4, 23),
    "pre_notice": date(2025, 4, 24),
    "appoint": date(2025, 5, 12),
    "probation_assessment": date(2026, 5, 12),
}


@dataclass
class CampaignDriver:
    """Takes a campaign of a :class:`CampaignWorld` through the actions, phase by phase."""

    world: CampaignWorld
    policy: str = "linze"
    campaign: Campaign | None = None
    votes: Sequence[int] = (100, 90, 80, 70)
    participants: int = 120
    mode: str = "from_list"

    @property
    def c(self) -> Campaign:
        assert self.campaign is not None
        return self.campaign

    def refresh(self) -> Campaign:
        self.campaign = Campaign.objects.get(pk=self.c.pk)
        return self.campaign

    def candidates(self, *states: str) -> list[Candidate]:
        qs = Candidate.objects.filter(campaign=self.c).select_related("cadre").order_by("sort_order", "id")
        return list(qs.filter(state__in=states) if states else qs)

    def vacancies(self) -> list[Vacancy]:
        return list(self.c.vacancies.order_by("sort_order"))

    # --- campaign steps --------------------------------------------------------------------

    def open_campaign(self) -> Campaign:
        s = self.world.staff
        self.campaign = actions.create_campaign(
            acting_user=s.officer,
            jurisdiction=self.world.jurisdiction,
            title=f"{D['motion'].year}年县直部门和乡镇正职选任",
            year=D["motion"].year,
            policy_ref=self.policy,
            today=D["motion"],
        )
        actions.propose_motion(
            self.c,
            acting_user=s.officer,
            today=D["motion"],
            reason="县发展和改革局、沙河镇正职空缺，按班子建设需要提出动议",
            vacancies=vacancy_inputs(self.world),
        )
        actions.record_direction(
            self.c,
            acting_user=s.secretary,
            today=D["motion"],
            direction="坚持德才兼备、以德为先，注重在经济建设主战场识别干部",
            standards="熟悉经济和基层工作，年富力强，群众公认",
        )
        actions.agree_motion_plan(
            self.c,
            acting_user=s.deliberation,
            today=D["plan"],
            meeting="县委人事酝酿会议",
            attendees=["县委书记", "副书记", "组织部长", "纪委书记"],
            leaders_heard=["县长", "分管副县长"],
            minutes="会议审定动议方案。",
        )
        actions.publish_method(
            self.c,
            acting_user=s.officer,
            today=D["method"],
            method="五方联推、差额推荐、差额考察、差额酝酿、差额票决",
            media=["网络", "展板"],
        )
        actions.announce_vacancies(
            self.c,
            acting_user=s.officer,
            today=D["announce"],
            media=["电视", "网络", "文件", "展板"],
            nomination_opens=D["announce"],
            nomination_closes=D["nominations_close"],
        )
        return self.refresh()

    def nominate_all(self) -> list[Candidate]:
        """Each nominee by a collective unit nomination or a signed one (channels every policy has)."""
        s = self.world.staff
        vacancies = self.vacancies()
        for i, cadre in enumerate(self.world.nominees):
            vacancy = vacancies[i % len(vacancies)]
            if i % 2 == 0:
                actions.nominate_by_unit(
                    self.c,
                    acting_user=s.officer,
                    today=D["nominate"],
                    cadre=cadre,
                    unit=self.world.units["office"],
                    meeting_on=D["nominate"],
                    document_reference=f"县委办发〔{D['nominate'].year}〕{i + 1}号",
                    basic_facts=f"{cadre.name}，副科级，现任{cadre.current_title}",
                    achievements="牵头完成重点项目推进工作",
                    proposed_post="局长或镇长",
                    reasons="工作实绩突出，群众公认",
                    minutes=actions.Material("党组会议记录.pdf", "a" * 64),
                    vacancy=vacancy,
                )
            else:
                actions.nominate_by_signature(
                    self.c,
                    acting_user=s.officer,
                    today=D["nominate"],
                    cadre=cadre,
                    recommender_name="周明",
                    recommender_unit_post="县人大常委会副主任",
                    recommender_contact="0936-5550000",
                    relationship="曾为上下级同事",
                    responsibility_accepted=True,
                    assessment="德能勤绩廉各方面表现良好",
                    reasons="经济工作经验丰富",
                    proposed_use="县直部门正职",
                    vacancy=vacancy,
                )
        return self.candidates()

    def nominations_to_confirmed(self) -> list[Candidate]:
        s = self.world.staff
        actions.review_qualifications(self.c, acting_user=s.officer, today=D["review"])
        qualified = self.candidates(Candidate.State.QUALIFIED)
        actions.propose_nominees(self.c, acting_user=s.head, today=D["propose"], candidates=qualified[:6])
        proposed = self.candidates(Candidate.State.PROPOSED)
        actions.confirm_nominees(self.c, acting_user=s.secretary, today=D["confirm"], candidates=proposed[:4])
        return self.candidates(Candidate.State.CONFIRMED)

    def recommend(self, votes: Sequence[int] | None = None) -> Any:
        s = self.world.staff
        confirmed = self.candidates(Candidate.State.CONFIRMED)
        counts = list(votes or self.votes)
        figures = RecommendationFigures(
            votes={c.cadre_id: counts[i] for i, c in enumerate(confirmed)}, participants=self.participants
        )
        return actions.hold_recommendation(
            self.c,
            acting_user=s.officer,
            today=D["recommend"],
            held_on=D["recommend"],
            figures=figures,
            mode=self.mode,
            expected=self.participants + 5,
        )

    def joint_review(self) -> None:
        for candidate in self.candidates(Candidate.State.RECOMMENDED):
            actions.record_joint_review(
                candidate,
                acting_user=self.world.staff.discipline,
                today=D["joint_review"],
                passed=True,
                summary="经组织部会同纪委监委审查，无违纪违法问题",
            )

    def choose_inspection_candidates(self, candidates: Sequence[Candidate] | None = None) -> list[Candidate]:
        return actions.set_inspection_candidates(
            self.c, acting_user=self.world.staff.head, today=D["inspection_candidates"], candidates=candidates
        )

    # --- inspection ------------------------------------------------------------------------

    def inspect(self, evaluation: dict[str, int] | None = None, review: bool = True) -> list[Candidate]:
        """Team, notice, work report, evaluation, the four must-talks, face-to-face talk, file
        check, first disclosure, conclusion signed by all, feedback and review."""
        s = self.world.staff
        chosen = self.candidates(Candidate.State.INSPECTION_CANDIDATE)
        team = actions.form_inspection_team(
            self.c,
            acting_user=s.head,
            today=D["notice"],
            starts_on=D["inspection_starts"],
            hotline="0936-5551234",
            members=[
                actions.TeamMemberInput("马德华", "组织部副部长", is_leader=True, certificate="KC-001"),
                actions.TeamMemberInput("何晓丽", "干部科科长", certificate="KC-002"),
                actions.TeamMemberInput("郭振东", "纪委监委室主任", certificate="KC-003"),
            ],
            candidates=chosen,
        )
        actions.publish_inspection_notice(team, acting_user=s.officer, today=D["notice"])
        for candidate in chosen:
            self.inspect_one(candidate, evaluation, review=review)
        return self.candidates(Candidate.State.INSPECTED)

    def inspect_one(
        self, candidate: Candidate, evaluation: dict[str, int] | None = None, review: bool = True
    ) -> None:
        s = self.world.staff
        actions.record_work_report(
            candidate,
            acting_user=s.inspector,
            today=D["work_report"],
            held_on=D["work_report"],
            audience="所在单位干部职工大会",
            summary="报告近三年德能勤绩廉情况",
        )
        actions.record_evaluation(
            candidate,
            acting_user=s.inspector,
            today=D["evaluation"],
            held_on=D["evaluation"],
            figures=EvaluationFigures(
                counts=evaluation or {"优秀": 30, "称职": 50, "基本称职": 10, "不称职": 5}, participants=95
            ),
        )
        for group in ("班子成员", "中层干部", "群众代表", "纪检财务人员"):
            actions.record_talk(
                candidate,
                acting_user=s.inspector,
                today=D["talks"],
                group=group,
                interviewee=f"{group}代表",
                held_on=D["talks"],
            )
        actions.record_face_to_face_talk(
            candidate, acting_user=s.inspector, today=D["face"], held_on=D["face"], summary="面谈了解履职思路"
        )
        actions.record_file_check(
            candidate,
            acting_user=s.inspector,
            today=D["file_check"],
            held_on=D["file_check"],
            summary="查阅干部档案，“三龄两历一身份”无疑点；查阅社交圈生活圈申报表",
        )
        actions.start_first_disclosure(
            candidate,
            acting_user=s.officer,
            today=D["disclosure"],
            starts_on=D["disclosure"],
            places=["所在单位", "居住地"],
            matters=DISCLOSURE_MATTERS,
            ends_on=date(D["disclosure"].year, 4, 9),
        )
        actions.conclude_inspection(candidate, acting_user=s.inspector, today=D["concluded"])
        candidate.refresh_from_db()
        assert candidate.inspection_team is not None
        members = list(candidate.inspection_team.members.all())
        actions.record_team_conclusion(
            candidate,
            acting_user=s.inspector,
            today=D["conclusion"],
            text=f"{candidate.cadre.name}同志政治坚定，工作实绩突出，群众公认度高。",
            signatures=[actions.SignatureInput(m) for m in members],
        )
        if review:
            actions.feed_back_inspection(candidate, acting_user=s.inspector, today=D["feedback"])
            actions.complete_inspection_review(candidate, acting_user=s.head, today=D["review_done"])

    # --- deliberation ----------------------------------------------------------------------

    def deliberate(self) -> list[Candidate]:
        s = self.world.staff
        inspected = self.candidates(Candidate.State.INSPECTED)
        actions.hold_department_meeting(
            self.c,
            acting_user=s.head,
            today=D["department_meeting"],
            held_on=D["department_meeting"],
            candidates=inspected,
            attendees=["组织部长", "常务副部长", "副部长", "干部科科长"],
            minutes="部务会逐一酝酿考察对象。",
        )
        for candidate in inspected:
            actions.record_opinion(
                candidate,
                acting_user=s.officer,
                today=D["opinions"],
                source="leaders",
                body="县委、人大、政府、政协主要领导",
                agrees=True,
            )
            actions.record_opinion(
                candidate,
                acting_user=s.discipline,
                today=D["opinions"],
                source="discipline",
                body="县纪委监委",
                agrees=True,
                text="未发现违纪违法问题",
            )
            actions.complete_consultation(candidate, acting_user=s.officer, today=D["opinions"])
        actions.hold_personnel_deliberation(
            self.c,
            acting_user=s.deliberation,
            today=D["personnel_deliberation"],
            held_on=D["personnel_deliberation"],
            candidates=self.candidates(Candidate.State.INSPECTED),
            attendees=["县委书记", "县委副书记", "组织部长", "纪委书记"],
            minutes="人事酝酿会议酝酿，同意提交常委会差额票决。",
        )
        actions.file_plan_with_higher_department(
            self.c,
            acting_user=s.head,
            today=D["plan_filed"],
            filed_with="市委组织部",
            reference="临组报〔2025〕8号",
        )
        return self.candidates(Candidate.State.DELIBERATED)

    # --- decision --------------------------------------------------------------------------

    def prepare_forms(self, candidates: Sequence[Candidate] | None = None) -> None:
        s = self.world.staff
        for candidate in candidates or self.candidates(Candidate.State.DELIBERATED):
            form = actions.generate_procedure_form(candidate, acting_user=s.officer, today=D["forms"])
            if form.complete:
                actions.sign_procedure_form(
                    form, acting_user=s.head, today=D["forms"], signer_name="组织部长"
                )

    def committee(self, kind: str, day: date, size: int, candidates: Sequence[Candidate]) -> Any:
        s = self.world.staff
        members = [actions.MemberInput(f"常委{i + 1}") for i in range(size - 1)]
        members.append(actions.MemberInput("县委书记", role="secretary", user=s.secretary))
        if kind == "full_committee":
            members += [
                actions.MemberInput("候补委员甲", role="observer"),
                actions.MemberInput("纪委委员乙", role="observer"),
            ]
        return actions.convene_meeting(
            self.c,
            acting_user=s.officer,
            today=day,
            kind=kind,
            held_on=day,
            members=members,
            candidates=candidates,
        )

    def sign_in_all(self, meeting: Any, day: date, absent: int = 0) -> None:
        members = list(meeting.members.order_by("sort_order", "id"))
        voting = [m for m in members if m.role != "observer"]
        skip = {m.pk for m in voting[:absent]}
        for member in members:
            if member.pk not in skip:
                actions.sign_in(meeting, acting_user=self.world.staff.officer, today=day, member=member)

    def position_options(self) -> tuple[str, str]:
        """The policy's words for "for" and "against" (同意/不同意, or 001's 赞成/不赞成)."""
        rule = engine.policy_of(self.c).rule("decision.positions")
        options = tuple(getattr(rule, "options", ("同意", "不同意")))
        return options[0], options[1]

    def vote(self, meeting: Any, day: date, results: dict[int, int]) -> None:
        """Positions from every present member (secretary last), then the vote on each candidate
        (``results``: candidate id -> votes in favour)."""
        s = self.world.staff
        for candidate in meeting.candidates.order_by("sort_order", "id"):
            in_favour = results[candidate.pk]
            order = actions.speaking_order(meeting)
            for i, member in enumerate(order):
                agree = i < in_favour
                actions.record_position(
                    meeting,
                    acting_user=s.officer,
                    today=day,
                    member=member,
                    candidate=candidate,
                    position=self.position_options()[0 if agree else 1],
                    reason="实绩突出" if agree else "经验尚需积累",
                )
            present = len(order)
            actions.record_committee_vote(
                meeting,
                acting_user=s.officer,
                today=day,
                candidate=candidate,
                figures=VoteFigures(in_favour=in_favour, against=present - in_favour),
            )

    def decide(self, winners: Sequence[Candidate], losers: Sequence[Candidate]) -> None:
        s = self.world.staff
        day = D["standing_committee"]
        everyone = [*winners, *losers]
        meeting = self.committee("standing_committee", day, 11, everyone)
        self.sign_in_all(meeting, day, absent=1)
        actions.open_meeting(meeting, acting_user=s.officer, today=day)
        actions.present_candidates(
            meeting,
            acting_user=s.head,
            today=day,
            presentation="组织部介绍各考察对象的推荐、考察情况和任免理由。",
        )
        self.vote(meeting, day, {**{c.pk: 9 for c in winners}, **{c.pk: 3 for c in losers}})
        actions.close_meeting(meeting, acting_user=s.officer, today=day, minutes="常委会差额票决。")
        actions.publish_vote_counts(meeting, acting_user=s.officer, today=day)
        town = [c for c in self.candidates(Candidate.State.APPROVED) if c.post_kind]
        if town:
            day = D["full_committee"]
            full = self.committee("full_committee", day, 25, town)
            self.sign_in_all(full, day, absent=2)
            actions.open_meeting(full, acting_user=s.officer, today=day)
            actions.present_candidates(
                full, acting_user=s.head, today=day, presentation="介绍乡镇正职拟任人选情况。"
            )
            self.vote(full, day, {c.pk: 20 for c in town})
            actions.close_meeting(full, acting_user=s.officer, today=day, minutes="全委会票决。")
            actions.publish_vote_counts(full, acting_user=s.officer, today=day)

    # --- notice, appointment, probation ----------------------------------------------------

    def notice(self) -> Any:
        return actions.publish_pre_appointment_notice(
            self.c,
            acting_user=self.world.staff.officer,
            today=D["pre_notice"],
            candidates=self.candidates(Candidate.State.APPROVED),
            starts_on=D["pre_notice"],
            hotline="0936-5551234",
            second_disclosure=DISCLOSURE_MATTERS,
        )

    def appoint_all(self, day: date | None = None) -> list[Any]:
        s = self.world.staff
        out = []
        for candidate in self.candidates(Candidate.State.NOTICED):
            actions.conclude_pre_appointment_notice(
                candidate, acting_user=s.officer, today=day or D["appoint"]
            )
            out.append(actions.appoint(candidate, acting_user=s.officer, today=day or D["appoint"]))
        return out


# The nine matters of the first disclosure round (003 开鲁县), as a candidate fills them in.
DISCLOSURE_MATTERS = {
    "本人的婚姻变化情况": "无变化",
    "本人持有因私出国（境）证件的情况": "无",
    "本人因私出国（境）的情况": "无",
    "配偶、子女移居国（境）外的情况": "无",
    "配偶、子女从业情况，本人的工资及各类奖金、津贴、补贴等": "配偶为教师；本人年收入约 12 万元",
    "本人、配偶、共同生活的子女的房产情况": "住房一套",
    "本人、配偶、共同生活的子女投资或者以其他方式持有有价证券、股票、期货、基金、投资型保险以及其他金融理财产品的情况": "无",
    "配偶、共同生活的子女投资非上市公司、企业的情况": "无",
    "配偶、共同生活的子女注册个体工商户、个人独资企业或者合伙企业的情况": "无",
    "三龄两历一身份": "已填报",
    "婚姻": "已婚",
    "房产": "住房一套",
    "年收入": "约 12 万元",
}

__all__ = [
    "DISCLOSURE_MATTERS",
    "CampaignDriver",
    "CampaignWorld",
    "D",
    "EvaluationFigures",
    "Staff",
    "VoteFigures",
    "build_world",
    "vacancy_inputs",
]
