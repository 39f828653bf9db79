"""Test helpers of the exams: a round at a fixed primary key for the tenancy walk, and a campaign
with candidates ready to sit exams.

Rows are written directly (the tenancy walk needs fixed keys and the query-count test needs many
candidates quickly); the behaviour under test always goes through :mod:`.actions`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from xuanren.accounts.models import Jurisdiction, User
from xuanren.campaigns.models import Campaign, Candidate
from xuanren.competition.models import Examiner, ExamRound, Score
from xuanren.rules.policy import get_policy
from xuanren.testing import factories


def scoped_round(j: Jurisdiction, pk: int, tag: str) -> dict[str, Any]:
    """An interview round of the campaign world's campaign ``pk`` with one examiner and one score
    (the campaign builder has made the campaign and the candidate at ``pk``)."""
    round = ExamRound.objects.create(
        pk=pk,
        campaign_id=pk,
        kind=ExamRound.Kind.INTERVIEW,
        title=f"{tag}面试",
        held_on=date(2026, 3, 20),
        max_score=Decimal(100),
        weight=Decimal("0.6"),
        method=ExamRound.Method.MEAN,
    )
    examiner = Examiner.objects.create(
        pk=pk,
        round=round,
        name=f"{tag}考官",
        unit_post="县委党校教授",
        no_relationship=True,
        declared_on=date(2026, 3, 20),
    )
    score = Score.objects.create(
        pk=pk, round=round, candidate_id=pk, examiner=examiner, value=Decimal("80.5")
    )
    return {"exam_round": round, "examiner": examiner, "exam_score": score}


@dataclass
class ExamWorld:
    jurisdiction: Jurisdiction
    campaign: Campaign
    candidates: list[Candidate]
    officer: User
    second: User  # a second cadre officer, who checks and locks what the first entered
    head: User


def exam_world(j: Jurisdiction, candidates: int = 3, *, published: bool = True, tag: str = "") -> ExamWorld:
    """A campaign (method published unless ``published`` is False) with ``candidates`` qualified
    candidates named 人选1, 人选2, ..."""
    policy = get_policy("handan")
    officer = factories.make_user("cadre_officer", jurisdiction=j, display_name=f"{tag}干部科甲")
    second = factories.make_user("cadre_officer", jurisdiction=j, display_name=f"{tag}干部科乙")
    head = factories.make_user("department_head", jurisdiction=j, display_name=f"{tag}组织部长")
    campaign = Campaign.objects.create(
        jurisdiction=j,
        title=f"{tag}2026年县直部门中层职位竞争上岗",
        year=2026,
        status=Campaign.Status.IN_PROGRESS,
        policy_id=policy.id,
        policy_version=policy.version,
        policy_sha256=policy.sha256,
        method="报名、资格审查、笔试、面试、测评、考察、决定、公示",
        method_published_on=date(2026, 3, 1) if published else None,
        created_by=officer,
    )
    unit = factories.make_unit(j, f"{tag}县财政局")
    people = []
    for i in range(candidates):
        cadre = factories.make_cadre(j, f"人选{i + 1}", unit=unit, birth=date(1985, 1, 1 + i % 28))
        people.append(
            Candidate.objects.create(
                campaign=campaign, cadre=cadre, state=Candidate.State.QUALIFIED, sort_order=i
            )
        )
    return ExamWorld(j, campaign, people, officer, second, head)
