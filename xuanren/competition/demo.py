"""A competition for posts (竞争上岗) in the demo county, with its written test and interview
published: the demo of the exam pages and of the public scores page.

Built by the ``demo`` command after the demo campaigns (``xuanren.campaigns.demo``), through the
campaign actions (motion, the two openings, nominations, qualification review) and then the exam
actions: a written test (40%, pass line 60) entered by the cadre section, checked and locked by the
department head and published (locking it stops, in the campaign, those below the line); then an
interview of those who reached the pass line (60%, five
examiners with their recusal declarations, the highest and the lowest score dropped), checked,
locked and published in turn. Scores come from ``seed``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from xuanren.accounts.models import Jurisdiction
from xuanren.campaigns import actions as campaign_actions
from xuanren.campaigns.demo import DemoRun, Opening, demo_staff, nominee_pool
from xuanren.campaigns.errors import CampaignRefused
from xuanren.campaigns.models import Campaign, Candidate, Vacancy
from xuanren.competition import actions
from xuanren.competition.models import ExamRound
from xuanren.register import selectors as register_selectors
from xuanren.register.choices import Rank
from xuanren.register.demo import DEFAULT_SEED, MAIN_COUNTY
from xuanren.register.models import Post, PostHolding
from xuanren.rules.calendar import CalendarDataMissing

METHOD = (
    "采取竞争上岗方式选任：公开报名（五种渠道推荐提名）、资格审查、笔试、面试、民主测评、组织考察、"
    "讨论决定、任前公示。笔试成绩占 40%、面试成绩占 60%，面试去掉一个最高分和一个最低分后取平均分；"
    "考官姓名和具体评分向社会公开。"
)
EXAMINERS = (
    ("高文华", "县委党校副校长", "chief"),
    ("周志刚", "县人力资源和社会保障局副局长", "member"),
    ("林雪梅", "县财政局总会计师", "member"),
    ("黄德明", "市委组织部干部一科科长", "member"),
    ("罗佳", "县审计局副局长", "member"),
)


@dataclass
class DemoCompetition:
    built: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def line(self) -> str:
        text = "演示竞争上岗考试：" + ("；".join(self.built) or "无")
        if self.skipped:
            text += "。未能生成：" + "；".join(f"{t}（{why}）" for t, why in self.skipped)
        return text


# The motion and the two openings of a competition for a post (the runner of the campaign demo).
OPENING = Opening(
    reason="采取竞争上岗方式选任",
    conditions="熟悉本单位业务，参加笔试、面试",
    direction="坚持民主、公开、竞争、择优，让实绩突出的年轻干部脱颖而出",
    standards="政治过硬、熟悉业务、实绩突出、群众公认",
    minutes="会议审定动议方案，同意采取竞争上岗方式选任。",
    method=METHOD,
)


def _vacant_post(j: Jurisdiction) -> Post | None:
    """A vacant 副科级 post with headcount to spare, in a unit no other campaign is filling."""
    held = set(
        PostHolding.objects.filter(end__isnull=True, post__isnull=False).values_list("post_id", flat=True)
    )
    busy = set(Vacancy.objects.filter(campaign__jurisdiction=j).values_list("post__unit_id", flat=True))
    for post in (
        Post.objects.filter(unit__jurisdiction=j, rank=Rank.FUKE)
        .exclude(pk__in=held)
        .exclude(unit_id__in=busy)
        .select_related("unit")
        .order_by("unit__sort_order", "unit_id", "sort_order", "id")
    ):
        free = register_selectors.headcount_approved(
            post.unit_id, Rank.FUKE
        ) - register_selectors.headcount_used(post.unit_id, Rank.FUKE)
        if free >= 1:
            return post
    return None


def _scores(rng: random.Random, low: int, high: int) -> str:
    return str(Decimal(rng.randint(low * 2, high * 2)) / 2)


def build_demo_competition(*, today: date, seed: int = DEFAULT_SEED) -> DemoCompetition:
    """One competition for a post of the demo county, its written test and interview published."""
    result = DemoCompetition()
    j = Jurisdiction.objects.get(code=MAIN_COUNTY[0])
    if Campaign.objects.filter(jurisdiction=j, exam_rounds__isnull=False).exists():
        result.skipped.append(("竞争上岗", "演示县已有考试"))
        return result
    staff = demo_staff()
    post = _vacant_post(j)
    sitting = set(Candidate.objects.filter(campaign__jurisdiction=j).values_list("cadre_id", flat=True))
    pool = [c for c in nominee_pool(j, today, seed + 1) if c.pk not in sitting]
    if post is None or len(pool) < 5:
        result.skipped.append(("竞争上岗", "演示县没有空余的副科级职位或符合条件的科员"))
        return result
    start = today - timedelta(days=20)
    title = f"{start.year}年{post.unit.name}{post.title}竞争上岗"
    r = DemoRun(staff, j, title, [post], pool[:5], start)
    try:
        r.open(opening=OPENING)
        r.nominate(5)
        campaign_actions.review_qualifications(r.c, acting_user=staff.officer, today=r.day(10))
    except (CampaignRefused, CalendarDataMissing) as problem:
        result.skipped.append((title, str(problem)))
        return result
    rng = random.Random(seed)
    written = actions.create_round(
        r.c, acting_user=staff.officer, today=r.day(11), kind=ExamRound.Kind.WRITTEN, title="笔试（公共科目和专业知识）",
        held_on=r.day(12), max_score=Decimal(100), weight=Decimal("0.4"), method=ExamRound.Method.SINGLE,
        pass_line=Decimal(60),
    )  # fmt: skip
    interview = actions.create_round(
        r.c, acting_user=staff.officer, today=r.day(11), kind=ExamRound.Kind.INTERVIEW, title="结构化面试",
        held_on=r.day(15), max_score=Decimal(100), weight=Decimal("0.6"), method=ExamRound.Method.TRIMMED_MEAN,
    )  # fmt: skip
    for name, unit_post, role in EXAMINERS:
        actions.add_examiner(
            interview, acting_user=staff.officer, today=r.day(15), name=name, unit_post=unit_post, role=role,
            no_relationship=True, declaration="本人与本轮全部人选无亲属关系及其他利害关系，如有隐瞒愿承担责任。",
        )  # fmt: skip
    people = actions.sitting_candidates(written)
    actions.enter_scores(
        written, acting_user=staff.officer, sheet={(c.pk, None): _scores(rng, 52, 92) for c in people}
    )
    actions.lock_round(written, acting_user=staff.head)  # checked: its pass line now decides who goes on
    actions.publish_round(written, acting_user=staff.head)
    interviewed = actions.sitting_candidates(interview)
    examiners = list(interview.examiners.order_by("sort_order"))
    actions.enter_scores(
        interview,
        acting_user=staff.officer,
        sheet={(c.pk, e.pk): _scores(rng, 72, 93) for c in interviewed for e in examiners},
    )
    actions.lock_round(interview, acting_user=staff.head)
    actions.publish_round(interview, acting_user=staff.head)
    result.built.append(
        f"{title}（笔试、面试已公布，笔试 {len(people)} 人，达到合格线进入面试 {len(interviewed)} 人，"
        f"其余 {len(people) - len(interviewed)} 人终止）"
    )
    return result
