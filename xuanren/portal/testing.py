"""A campaign taken through every publishing step by the campaign actions, for the portal's tests,
its browser test and its benchmark.

The annual plan is created and published, the campaign joins it, and the reference driver of
:mod:`xuanren.campaigns.testing` runs it from the motion to the appointments: method and steps,
vacancies, the nominee list, the inspection notice, the committee's counts, the pre-appointment
notice with the second disclosure, and the appointments are all published on the way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from xuanren.accounts.models import Jurisdiction
from xuanren.campaigns import actions, engine
from xuanren.campaigns.models import AnnualPlan, Campaign, Candidate, InspectionRecord, Notice
from xuanren.campaigns.testing import CampaignDriver, CampaignWorld, D, build_world, vacancy_inputs
from xuanren.rules.procedure import person_steps


class Driver(CampaignDriver):
    """The reference driver, adding the visit (走访了解) that the national baseline's inspection
    procedures ask for, so policies inheriting it (``tongliao-003``, ``supervision-001``) run too."""

    def inspect_one(
        self, candidate: Candidate, evaluation: dict[str, int] | None = None, review: bool = True
    ) -> None:
        actions.record_inspection_procedure(
            candidate,
            acting_user=self.world.staff.inspector,
            today=D["work_report"],
            kind=InspectionRecord.Kind.VISIT,
            held_on=D["work_report"],
            summary="走访所在单位和居住社区了解情况",
        )
        super().inspect_one(candidate, evaluation, review=review)

    def decide(self, winners: Sequence[Candidate], losers: Sequence[Candidate]) -> None:
        """The standing committee votes on everyone; the full committee follows only for the
        posts the policy sends to it (``decision.full_committee``)."""
        s = self.world.staff
        day = D["standing_committee"]
        meeting = self.committee("standing_committee", day, 11, [*winners, *losers])
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
        policy = engine.policy_of(self.c)
        full = [
            c
            for c in self.candidates(Candidate.State.APPROVED)
            if any(
                v.id == "full_committee_vote" and v.applies
                for v in person_steps(policy, post_kind=c.post_kind)
            )
        ]
        if full:
            day = D["full_committee"]
            meeting = self.committee("full_committee", day, 25, full)
            self.sign_in_all(meeting, day, absent=2)
            actions.open_meeting(meeting, acting_user=s.officer, today=day)
            actions.present_candidates(
                meeting, acting_user=s.head, today=day, presentation="介绍乡镇正职拟任人选情况。"
            )
            self.vote(meeting, day, {c.pk: 20 for c in full})
            actions.close_meeting(meeting, acting_user=s.officer, today=day, minutes="全委会票决。")
            actions.publish_vote_counts(meeting, acting_user=s.officer, today=day)


@dataclass
class PublishedCampaign:
    world: CampaignWorld
    driver: CampaignDriver
    plan: AnnualPlan
    inspection_notice: Notice
    pre_appointment_notice: Notice
    winners: list[Candidate]
    losers: list[Candidate]

    @property
    def campaign(self) -> Campaign:
        return self.driver.c


def open_planned_campaign(driver: CampaignDriver, plan: AnnualPlan, quarter: int = 1) -> Campaign:
    """:meth:`CampaignDriver.open_campaign`, with the campaign listed in the annual plan."""
    s = driver.world.staff
    tag = driver.world.units["fgj"].name.removesuffix("县发展和改革局")
    driver.campaign = actions.create_campaign(
        acting_user=s.officer,
        jurisdiction=driver.world.jurisdiction,
        title=f"{tag}{D['motion'].year}年县直部门和乡镇正职选任",
        year=D["motion"].year,
        policy_ref=driver.policy,
        today=D["motion"],
        annual_plan=plan,
        plan_quarter=quarter,
    )
    c = driver.c
    actions.propose_motion(
        c,
        acting_user=s.officer,
        today=D["motion"],
        reason="县发展和改革局、沙河镇正职空缺，按班子建设需要提出动议",
        vacancies=vacancy_inputs(driver.world),
    )
    actions.record_direction(
        c,
        acting_user=s.secretary,
        today=D["motion"],
        direction="坚持德才兼备、以德为先，注重在经济建设主战场识别干部",
        standards="熟悉经济和基层工作，年富力强，群众公认",
    )
    actions.agree_motion_plan(
        c,
        acting_user=s.deliberation,
        today=D["plan"],
        meeting="县委人事酝酿会议",
        attendees=["县委书记", "副书记", "组织部长", "纪委书记"],
        leaders_heard=["县长", "分管副县长"],
        minutes="会议审定动议方案。",
    )
    actions.publish_method(
        c,
        acting_user=s.officer,
        today=D["method"],
        method="五方联推、差额推荐、差额考察、差额酝酿、差额票决",
        media=["网络", "展板"],
    )
    actions.announce_vacancies(
        c,
        acting_user=s.officer,
        today=D["announce"],
        media=["电视", "网络", "文件", "展板"],
        nomination_opens=D["announce"],
        nomination_closes=D["nominations_close"],
    )
    return driver.refresh()


def annual_plan(world: CampaignWorld, year: int | None = None) -> AnnualPlan:
    """The jurisdiction's plan for the campaign year, created once."""
    year = year or D["motion"].year
    plan = AnnualPlan.objects.filter(jurisdiction=world.jurisdiction, year=year).first()
    return plan or actions.create_annual_plan(
        acting_user=world.staff.head,
        jurisdiction=world.jurisdiction,
        year=year,
        note="按照干部队伍建设规划和班子运行情况，全年计划开展以下选拔任用工作。",
        today=date(year, 1, 10),
    )


def publish_campaign(
    jurisdiction: Jurisdiction | None = None, *, tag: str = "", policy: str = "linze", nominees: int = 6
) -> PublishedCampaign:
    """Build a county (or use ``jurisdiction``) and run one planned campaign to the appointments."""
    world = build_world(jurisdiction, nominees=nominees, tag=tag)
    driver = Driver(world, policy=policy)
    plan = annual_plan(world)
    open_planned_campaign(driver, plan)
    actions.publish_annual_plan(plan, acting_user=world.staff.head, today=D["method"])
    driver.nominate_all()
    driver.nominations_to_confirmed()
    driver.recommend()
    driver.joint_review()
    driver.choose_inspection_candidates()
    driver.inspect()
    deliberated = driver.deliberate()
    driver.prepare_forms()
    by_vacancy: dict[int | None, list[Candidate]] = {}
    for candidate in deliberated:
        by_vacancy.setdefault(candidate.vacancy_id, []).append(candidate)
    winners = [group[0] for group in by_vacancy.values()]
    losers = [c for group in by_vacancy.values() for c in group[1:]]
    driver.decide(winners, losers)
    notice = driver.notice()
    driver.appoint_all()
    inspection = Notice.objects.get(campaign=driver.c, kind=Notice.Kind.INSPECTION)
    return PublishedCampaign(world, driver, plan, inspection, notice, winners, losers)
