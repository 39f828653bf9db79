"""Step bookkeeping, the policy pin, the facts handed to the rules and the procedure-execution form."""

from __future__ import annotations

from datetime import date

import pytest

from xuanren.campaigns import engine
from xuanren.campaigns.models import Campaign
from xuanren.campaigns.testing import CampaignDriver, D, build_world
from xuanren.register.choices import PostRole, Rank, UnitType
from xuanren.register.models import RewardSanction
from xuanren.rules import get_policy
from xuanren.rules.decision import Outcome
from xuanren.rules.policy import PolicyIntegrityError
from xuanren.rules.vocabulary import Education, Level
from xuanren.testing import factories

LINZE = get_policy("linze")


def test_campaign_steps_run_in_order() -> None:
    refused = engine.check_campaign_step(LINZE, step_id="vacancy_announcement", done={"motion_proposal"})
    assert refused.outcome is Outcome.FAIL
    assert refused.rule_id == "linze record.procedure"
    assert refused.inputs["missing"] == ["motion_plan"]
    allowed = engine.check_campaign_step(LINZE, step_id="motion_plan", done={"motion_proposal"})
    assert allowed.outcome is Outcome.PASS


def test_stage_of_each_step_comes_from_the_policy() -> None:
    assert engine.stage_of(LINZE, "motion_plan") == "campaign"
    assert engine.stage_of(LINZE, "inspection_notice") == "inspection"
    assert engine.stage_of(LINZE, "full_committee_vote") == "decision"
    with pytest.raises(KeyError):
        engine.stage_of(LINZE, "no_such_step")


def test_vacancy_conditions_hash_is_canonical() -> None:
    a = engine.sha256_json({"b": 1, "a": "临泽"})
    assert a == engine.sha256_json({"a": "临泽", "b": 1})
    assert len(a) == 64


def test_must_talk_groups_are_the_policys() -> None:
    assert engine.must_talk_groups(LINZE) == ("班子成员", "中层干部", "群众代表", "纪检财务人员")
    assert engine.must_talk_groups(get_policy("national-2019")) == ()


@pytest.mark.django_db
def test_town_heads_are_the_full_committee_kind() -> None:
    j = factories.make_counties().a
    town = factories.make_unit(j, "沙河镇", UnitType.TOWN)
    dept = factories.make_unit(j, "县财政局", UnitType.GOV_DEPT)
    assert (
        engine.post_kind_of(factories.make_post(town, "镇长", Rank.ZHENGKE, PostRole.GOV_HEAD))
        == "乡镇党政正职"
    )
    assert (
        engine.post_kind_of(factories.make_post(town, "党委书记", Rank.ZHENGKE, PostRole.PARTY_HEAD))
        == "乡镇党政正职"
    )
    assert engine.post_kind_of(factories.make_post(town, "副镇长", Rank.FUKE, PostRole.DEPUTY)) == ""
    assert engine.post_kind_of(factories.make_post(dept, "局长", Rank.ZHENGKE, PostRole.GOV_HEAD)) == ""


@pytest.mark.django_db
def test_the_pin_is_verified_on_every_load() -> None:
    driver = CampaignDriver(build_world())
    driver.open_campaign()
    assert engine.policy_of(driver.c).sha256 == driver.c.policy_sha256
    Campaign.objects.filter(pk=driver.c.pk).update(policy_sha256="0" * 64)
    with pytest.raises(PolicyIntegrityError):
        engine.policy_of(Campaign.objects.get(pk=driver.c.pk))


@pytest.mark.django_db
def test_cadre_facts_come_from_the_register() -> None:
    driver = CampaignDriver(build_world())
    driver.open_campaign()
    driver.nominate_all()
    candidate = driver.candidates()[0]
    RewardSanction.objects.create(
        cadre=candidate.cadre,
        kind="sanction",
        description="警告",
        decided_on=date(2023, 1, 5),
        period_end=date(2023, 7, 5),
    )
    facts = engine.cadre_facts(candidate, D["review"])
    assert facts.current_level is Level.SECTION_DEPUTY
    assert facts.level_since == date(2019, 6, 1)
    assert facts.education is Education.BACHELOR
    assert facts.discipline_until == date(2023, 7, 5)
    assert facts.unverified_complaints == 0
    requirements = engine.post_requirements(candidate.vacancy)
    assert requirements.level is Level.SECTION_HEAD and requirements.min_years_in_rank == 2


@pytest.mark.django_db
def test_the_procedure_form_lists_what_is_missing() -> None:
    driver = CampaignDriver(build_world())
    driver.open_campaign()
    driver.nominate_all()
    driver.nominations_to_confirmed()
    candidate = driver.candidates()[0]
    check = engine.procedure_check(LINZE, candidate, D["forms"])
    assert not check.complete
    assert check.missing[0].startswith("第 5 步")  # recommendation not held yet
    assert [r.step for r in check.rows if r.done] == [
        "nominated",
        "qualification_review",
        "nomination_proposal",
        "nominee_confirmed",
    ]
    assert check.rows[-1].step == "personnel_deliberation"  # the form stops before the decision
    progress = engine.candidate_progress(LINZE, candidate)
    assert progress.next is not None and progress.next.id == "recommendation_held"
