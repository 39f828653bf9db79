"""The campaign procedure as data."""

from __future__ import annotations

from xuanren.rules.decision import Outcome
from xuanren.rules.policy import get_policy
from xuanren.rules.procedure import campaign_steps, check_step, next_step, person_steps

LINZE = get_policy("linze")


def test_every_policy_walks_six_stages_and_sixteen_steps() -> None:
    steps = person_steps(LINZE, post_kind="乡镇党政正职")
    assert len(steps) == 16 and len({s.stage_id for s in steps}) == 6
    assert [s.number for s in steps] == list(range(1, 17))
    assert [s.id for s in campaign_steps(LINZE)] == ["motion_proposal", "motion_plan", "vacancy_announcement"]


def test_the_full_committee_step_applies_only_to_posts_that_need_it() -> None:
    town_head = {s.id: s for s in person_steps(LINZE, post_kind="乡镇党政正职")}
    other = {s.id: s for s in person_steps(LINZE, post_kind="县直部门副职")}
    assert town_head["full_committee_vote"].applies and not other["full_committee_vote"].applies


def test_steps_cannot_be_skipped() -> None:
    done = [
        "nominated",
        "qualification_review",
        "nomination_proposal",
        "nominee_confirmed",
        "recommendation_held",
    ]
    assert next_step(LINZE, done).id == "inspection_candidates"
    refused = check_step(LINZE, step_id="inspection_notice", done=done, subject="张三")
    assert refused.outcome is Outcome.FAIL and "确定考察对象" in refused.explanation
    assert check_step(LINZE, step_id="inspection_candidates", done=done).passed


def test_a_step_lists_the_rules_that_govern_it_in_this_policy() -> None:
    steps = {s.id: s for s in person_steps(LINZE)}
    assert "recommendation.threshold.open" in steps["inspection_candidates"].rules
    assert "inspection.appeal" in steps["inspection_review"].absent_rules  # linze has no appeal window
    study = {s.id: s for s in person_steps(get_policy("supervision-001"))}
    assert "inspection.appeal" in study["inspection_review"].rules
