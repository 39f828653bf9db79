"""Campaigns published from the annual plan to the appointments, built once per test module.

Driving campaigns through every action takes a while, so a module's tests share them: they are
built inside an outer transaction that is rolled back when the module ends, and each test runs in
its own savepoint within it, as Django's ``TestCase.setUpTestData`` does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction


@pytest.fixture(autouse=True)
def _fresh_page_cache(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """An empty page cache, and the record size read on every request (a test changes the
    database between requests faster than the once-a-second reading would notice)."""
    from xuanren.portal import views

    settings.PORTAL_VERSION_SECONDS = 0
    monkeypatch.setattr(views, "_version", None)
    cache.clear()
    yield
    cache.clear()


@dataclass
class PortalWorld:
    """What the portal's tests read: two published campaigns in county A (临泽县), a draft there,
    a public campaign in county B (民乐县), and the strings no public page may ever show."""

    main: Any  # PublishedCampaign under tongliao-003: the second disclosure runs with the notice
    other: Any  # PublishedCampaign under supervision-001: inspection conclusions are published
    draft: Any  # a campaign whose method is not published
    elsewhere: Any  # county B's public campaign
    secrets: dict[str, list[str]] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return str(self.main.campaign.jurisdiction.code)


def _build() -> PortalWorld:
    from xuanren.ballots import actions as ballot_actions
    from xuanren.ballots import testing as ballot_testing
    from xuanren.campaigns import actions
    from xuanren.campaigns.models import Candidate
    from xuanren.campaigns.testing import build_world
    from xuanren.portal.testing import Driver, annual_plan, open_planned_campaign, publish_campaign
    from xuanren.register.models import Cadre, FamilyMember, RewardSanction
    from xuanren.supervision import actions as supervision
    from xuanren.testing import factories

    counties = factories.make_counties()
    main = publish_campaign(counties.a, policy="tongliao-003")
    other = publish_campaign(counties.a, tag="北", policy="supervision-001")
    s = main.world.staff
    draft = actions.create_campaign(
        acting_user=s.officer,
        jurisdiction=counties.a,
        title="尚未公开的草稿选任工作",
        year=2025,
        policy_ref="linze",
        today=date(2025, 6, 1),
    )
    # County B's campaign, public up to its vacancy announcement.
    b_world = build_world(counties.b, nominees=2, tag="民乐")
    elsewhere = open_planned_campaign(Driver(b_world), annual_plan(b_world))

    secrets: dict[str, list[str]] = {}
    secrets["ID number"] = list(Cadre.objects.values_list("id_number", flat=True))
    family = []
    for i, candidate in enumerate(Candidate.objects.select_related("cadre")):
        member = FamilyMember.objects.create(
            cadre=candidate.cadre,
            relation="妻子",
            name=f"家属{'甲乙丙丁戊己庚辛壬癸'[i % 10]}{i}号",
            work_unit_post="县第一中学教师",
        )
        family.append(member.name)
        RewardSanction.objects.create(
            cadre=candidate.cadre,
            kind=RewardSanction.Kind.REWARD,
            description="全县招商引资先进个人",
            authority="县委、县政府",
            decided_on=date(2023, 2, 1),
        )
        RewardSanction.objects.create(
            cadre=candidate.cadre,
            kind=RewardSanction.Kind.SANCTION,
            description=f"保密的处分记录{i}",
            decided_on=date(2018, 2, 1),
            period_end=date(2019, 2, 1),
        )
    secrets["family member"] = [*family, "县第一中学教师"]
    secrets["sanction"] = [f"保密的处分记录{i}" for i in range(len(family))]
    poll = ballot_testing.recommendation(
        counties.a, s.officer, posts=1, candidates=2, participants=5, title="测试推荐"
    )
    secrets["voting code"] = list(ballot_actions.issue_codes(poll, 5, acting_user=s.officer))
    winner = main.winners[0]
    supervision.receive_complaint(
        acting_user=s.supervisor,
        jurisdiction=counties.a,
        today=date(2025, 6, 2),
        candidate=winner,
        summary="反映该同志的一项秘密问题线索",
        reporter_name="钱举报人",
        reporter_contact="13900001111",
    )
    secrets["complaint"] = ["反映该同志的一项秘密问题线索", "钱举报人", "13900001111"]
    secrets["staff record"] = [
        "经验尚需积累",  # a member's stated position (表态理由)
        "常委会差额票决。",  # minutes
        "部务会逐一酝酿考察对象。",
        "人事酝酿会议酝酿，同意提交常委会差额票决。",
        "会议审定动议方案。",
        "组织部介绍各考察对象的推荐、考察情况和任免理由。",  # the presentation to the committee
        "坚持德才兼备、以德为先",  # the secretary's direction
        "按班子建设需要提出动议",  # the motion's reason
        "未发现违纪违法问题",  # an opinion
        "报告近三年德能勤绩廉情况",  # the work report
        "面谈了解履职思路",
        "查阅干部档案",
        "走访所在单位和居住社区了解情况",
        "经组织部会同纪委监委审查",  # the joint review
        "临组报〔2025〕8号",  # the plan filed with the higher department
        "班子成员代表",  # who was talked to
    ]
    secrets["signed nomination"] = [
        "周明",
        "0936-5550000",
        "曾为上下级同事",
        "德能勤绩廉各方面表现良好",
        "经济工作经验丰富",
    ]
    secrets["first disclosure"] = ["配偶为教师", "本人持有因私出国（境）证件的情况"]
    secrets["draft"] = ["尚未公开的草稿选任工作"]
    # Nominees stopped before the published list (1:3 then 1:2) never appear anywhere.
    listed = set(
        Candidate.objects.filter(campaign=main.campaign, steps__step="nominee_confirmed").values_list(
            "cadre__name", flat=True
        )
    )
    secrets["not listed"] = sorted(
        set(Candidate.objects.filter(campaign=main.campaign).values_list("cadre__name", flat=True)) - listed
    )
    return PortalWorld(main, other, draft, elsewhere, secrets)


@pytest.fixture(scope="module")
def portal_world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[PortalWorld]:
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        # Marked like TestCase's own outer block, so the actions' durable transactions may nest.
        atomic._from_testcase = True  # type: ignore[attr-defined]
        atomic.__enter__()
        try:
            yield _build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
