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
from xuanren.campaigns import actions
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
        for i, cadre in enumerate(self.world.nominees):
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


__all__ = [
    "CampaignDriver",
    "CampaignWorld",
    "D",
    "EvaluationFigures",
    "Staff",
    "VoteFigures",
    "build_world",
    "vacancy_inputs",
]
