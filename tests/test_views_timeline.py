"""The timeline the campaign page draws: the policy's steps marked done / current / next."""

from __future__ import annotations

from datetime import date

from xuanren.campaigns.timeline import (
    Block,
    Deadline,
    ExtraStep,
    State,
    campaign_timeline,
    duty_for,
    person_timeline,
    tasks_for,
)
from xuanren.rules import get_policy
from xuanren.rules.procedure import person_steps

LINZE = get_policy("linze")


def test_nothing_done_makes_the_first_step_current_and_the_second_next():
    timeline = person_timeline(LINZE, [])
    states = [s.state for s in timeline.steps]
    assert states[0] is State.CURRENT
    assert states[1] is State.NEXT
    assert all(s in (State.PENDING, State.SKIPPED) for s in states[2:])
    assert timeline.current is not None and timeline.current.id == "nominated"
    assert timeline.applicable_count == 15  # 16 steps, no full-committee vote for an ordinary post


def test_six_stages_of_sixteen_steps_in_policy_order():
    timeline = person_timeline(LINZE, [])
    assert len(timeline.stages) == 6
    assert [s.number for s in timeline.steps] == list(range(1, 17))
    assert [s.id for s in timeline.steps] == [v.id for v in person_steps(LINZE)]


def test_full_committee_vote_applies_to_town_party_heads_only():
    ordinary = {s.id: s.state for s in person_timeline(LINZE, []).steps}
    town_head = {s.id: s.state for s in person_timeline(LINZE, [], post_kind="乡镇党政正职").steps}
    assert ordinary["full_committee_vote"] is State.SKIPPED
    assert town_head["full_committee_vote"] is State.PENDING


def test_done_steps_carry_their_date_and_lose_deadlines_and_blocks():
    done = {"nominated": date(2026, 3, 2), "qualification_review": date(2026, 3, 6)}
    deadline = Deadline(date(2026, 3, 9), "提名截止", "linze x")
    timeline = person_timeline(
        LINZE,
        done,
        deadlines={"nominated": deadline, "nomination_proposal": deadline},
        blocks={"nominated": Block("r", "m")},
    )
    first, _, third = timeline.steps[:3]
    assert first.state is State.DONE and first.done_on == date(2026, 3, 2)
    assert first.deadline is None and first.block is None
    assert third.state is State.CURRENT and third.deadline == deadline
    assert timeline.done_count == 2


def test_a_stopped_candidate_shows_the_rule_that_stopped_them_and_nothing_current():
    why = Block("linze inspection.evaluation", "考察测评不过半，不酝酿")
    done = [v.id for v in person_steps(LINZE)][:8]
    timeline = person_timeline(LINZE, done, stopped=why)
    stopped = [s for s in timeline.steps if s.state is State.STOPPED]
    assert [s.id for s in stopped] == ["inspection_review"]
    assert stopped[0].block == why
    assert timeline.current is None and not timeline.complete
    assert timeline.stages[2].state is State.STOPPED


def test_every_step_is_done_when_the_record_is_complete():
    done = [v.id for v in person_steps(LINZE) if v.applies]
    timeline = person_timeline(LINZE, done)
    assert timeline.complete
    assert {s.state for s in timeline.steps} == {State.DONE, State.SKIPPED}


def test_campaign_steps_with_an_extra_step_inserted_and_renumbered():
    steps = campaign_timeline(
        LINZE, ["motion_proposal"], extra=[ExtraStep("method_published", "公布方法步骤", after="motion_plan")]
    )
    assert [s.id for s in steps] == [
        "motion_proposal",
        "motion_plan",
        "method_published",
        "vacancy_announcement",
    ]
    assert [s.number for s in steps] == [1, 2, 3, 4]
    assert [s.state for s in steps] == [State.DONE, State.CURRENT, State.NEXT, State.PENDING]


def test_the_role_map_names_who_acts_and_defaults_to_the_cadre_section():
    assert duty_for("inspection_conducted").roles == ("inspection_team",)
    assert "secretary" in duty_for("standing_committee_vote").roles
    assert duty_for("a_step_some_policy_adds").roles == ("cadre_officer",)


def test_tasks_are_the_current_steps_of_a_users_roles():
    steps = person_timeline(LINZE, [v.id for v in person_steps(LINZE)][:7]).steps
    lines = [("张三", "/c/1/", s) for s in steps]
    assert [t.step.id for t in tasks_for(["inspection_team"], lines)] == ["inspection_conducted"]
    assert tasks_for(["committee_member"], lines) == []


def test_deadline_colour_by_days_left():
    deadline = Deadline(date(2026, 3, 10), "x")
    assert deadline.state_on(date(2026, 3, 11)) == "overdue"
    assert deadline.state_on(date(2026, 3, 10)) == "today"
    assert deadline.state_on(date(2026, 3, 8)) == "soon"
    assert deadline.state_on(date(2026, 3, 1)) == "later"


def test_a_from_when_date_waits_then_is_ready():
    deadline = Deadline(date(2026, 3, 10), "可进行资格审核", after=True)
    assert deadline.state_on(date(2026, 3, 9)) == "wait"
    assert deadline.state_on(date(2026, 3, 10)) == "ready"
    assert deadline.label == "2026年3月10日起可进行资格审核"
    assert Deadline(date(2026, 3, 4), "考察预告最迟发布").label == "考察预告最迟发布 2026年3月4日"
