"""A checked round's pass line stops the campaign's candidates below it or absent: the stop is the
campaign's own (state 终止, rule, reason, one entry per candidate in 一人一表), later campaign steps
refuse them, and a score correction stops or resumes them in the same transaction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from xuanren.campaigns import actions as campaign_actions
from xuanren.campaigns.errors import CampaignRefused
from xuanren.campaigns.models import Candidate
from xuanren.competition import actions, selectors
from xuanren.competition.models import Score
from xuanren.competition.testing import exam_world
from xuanren.record.models import Entry

pytestmark = pytest.mark.django_db
DAY = date(2026, 4, 10)
STOPPED = "candidate_stopped_by_pass_line"
RESUMED = "candidate_resumed_after_correction"


def written(w, pass_line="60", **kwargs):
    return actions.create_round(
        w.campaign, acting_user=w.officer, today=DAY, kind="written", title="笔试", held_on=DAY,
        max_score=Decimal(100), weight=Decimal("0.4"), method="single", pass_line=Decimal(pass_line), **kwargs,
    )  # fmt: skip


def interview(w, pass_line=None, examiners=("张评", "李评", "王评")):
    round = actions.create_round(
        w.campaign, acting_user=w.officer, today=DAY, kind="interview", title="面试", held_on=DAY,
        max_score=Decimal(100), weight=Decimal("0.6"), method="mean",
        pass_line=Decimal(pass_line) if pass_line else None,
    )  # fmt: skip
    for i, name in enumerate(examiners):
        actions.add_examiner(
            round, acting_user=w.officer, today=DAY, name=name, unit_post="县委党校教授",
            role="chief" if i == 0 else "member", no_relationship=True,
        )  # fmt: skip
    return round


def fresh(c):
    return Candidate.objects.get(pk=c.pk)


def sat_written(w, scores, absent=()):
    """Enter the written test (``scores`` by candidate) and lock it by the second officer."""
    round = written(w)
    actions.enter_scores(
        round, acting_user=w.officer, sheet={(c.pk, None): v for c, v in scores.items()}, absent=absent
    )
    actions.lock_round(round, acting_user=w.second)
    return round


def test_locking_a_round_with_a_pass_line_stops_those_below_it_and_the_absent(counties):
    w = exam_world(counties.a, 4)
    first, below, away, exact = w.candidates
    entry_count = Entry.objects.count()
    round = written(w)
    actions.enter_scores(
        round,
        acting_user=w.officer,
        sheet={(first.pk, None): "75", (below.pk, None): "59.5", (exact.pk, None): "60"},
        absent=[away.pk],
    )
    # Entered, not yet checked: nobody is stopped.
    assert {fresh(c).state for c in w.candidates} == {Candidate.State.QUALIFIED}
    actions.lock_round(round, acting_user=w.second)
    assert fresh(first).state == fresh(exact).state == Candidate.State.QUALIFIED  # at the line passes
    stopped = fresh(below)
    assert stopped.state == Candidate.State.STOPPED
    assert stopped.stopped_rule == actions.PASS_LINE_RULE == "competition.pass_line"
    assert stopped.stopped_reason == "笔试成绩 59.50 分，未达合格线 60 分"
    assert stopped.stopped_step == "competition"
    assert fresh(away).state == Candidate.State.STOPPED and fresh(away).stopped_reason == "笔试缺考"
    # One entry each, naming the candidate by the cadre (the record's candidate id), after the lock.
    entries = list(Entry.objects.filter(seq__gte=entry_count).order_by("seq"))
    assert [e.action for e in entries][-3:] == ["exam_round_locked", STOPPED, STOPPED]
    by_cadre = {e.candidate_id: e for e in entries if e.action == STOPPED}
    assert set(by_cadre) == {below.cadre_id, away.cadre_id}
    e = by_cadre[below.cadre_id]
    assert (e.stage, e.step, e.kind) == ("competition", "written", "entry")
    assert e.payload["rule"] == "competition.pass_line" and e.payload["source"] == "004 重导向·竞争上岗"
    assert e.payload["score"] == "59.5" and e.payload["pass_line"] == "60.00"
    assert e.payload["round"] == round.pk and e.payload["state_before"] == "qualified"
    assert e.payload["reason"] == "笔试成绩 59.50 分，未达合格线 60 分"
    assert e.payload["cause"] == entries[-3].seq
    assert by_cadre[away.cadre_id].payload["absent"] is True
    assert by_cadre[away.cadre_id].payload["score"] is None


def test_a_round_without_a_pass_line_stops_nobody(counties):
    w = exam_world(counties.a, 2)
    round = interview(w)
    examiners = list(round.examiners.all())
    sheet = {(c.pk, e.pk): "20" for c in w.candidates for e in examiners}
    actions.enter_scores(round, acting_user=w.officer, sheet=sheet)
    actions.lock_round(round, acting_user=w.second)
    assert {fresh(c).state for c in w.candidates} == {Candidate.State.QUALIFIED}
    assert not Entry.objects.filter(action=STOPPED).exists()


def test_a_correction_lifting_a_score_to_the_line_resumes_the_state_before_the_stop(counties):
    w = exam_world(counties.a, 2)
    first, below = w.candidates
    Candidate.objects.filter(pk=below.pk).update(state=Candidate.State.CONFIRMED)  # as the campaign left it
    sat_written(w, {first: "80", below: "58"})
    assert fresh(below).state == Candidate.State.STOPPED
    stop = Entry.objects.get(action=STOPPED)
    assert stop.payload["state_before"] == "confirmed"
    score = Score.objects.get(candidate=below)
    actions.correct_score(score, acting_user=w.head, value="61", reason="复查试卷，第 3 题漏计 3 分")
    back = fresh(below)
    assert back.state == Candidate.State.CONFIRMED
    assert (back.stopped_rule, back.stopped_reason, back.stopped_step) == ("", "", "")
    resumed = Entry.objects.get(action=RESUMED)
    assert resumed.candidate_id == below.cadre_id and resumed.stage == "competition"
    assert resumed.payload["resumed_state"] == "confirmed" and resumed.payload["stop"] == stop.seq
    corrected = Entry.objects.get(action="exam_score_corrected")
    assert resumed.payload["cause"] == corrected.seq and resumed.seq > corrected.seq
    assert fresh(first).state == Candidate.State.QUALIFIED


def test_a_correction_dropping_a_score_under_the_line_stops_the_candidate(counties):
    w = exam_world(counties.a, 2)
    first, second = w.candidates
    sat_written(w, {first: "80", second: "70"})
    assert not Entry.objects.filter(action=STOPPED).exists()
    actions.correct_score(
        Score.objects.get(candidate=second), acting_user=w.head, value="57", reason="复查试卷，重复计分"
    )
    stopped = fresh(second)
    assert stopped.state == Candidate.State.STOPPED
    assert stopped.stopped_reason == "笔试成绩 57.00 分，未达合格线 60 分"
    entry = Entry.objects.get(action=STOPPED)
    assert entry.candidate_id == second.cadre_id
    assert entry.payload["cause"] == Entry.objects.get(action="exam_score_corrected").seq
    # Corrected again but still below: the stop stays, with the new figures and its own entry.
    actions.correct_score(
        Score.objects.get(candidate=second), acting_user=w.head, value="58", reason="复查试卷，再次核分"
    )
    assert fresh(second).stopped_reason == "笔试成绩 58.00 分，未达合格线 60 分"
    latest = Entry.objects.filter(action=STOPPED).order_by("-seq").first()
    assert latest is not None and latest.payload["previous_reason"] == "笔试成绩 57.00 分，未达合格线 60 分"
    assert fresh(first).state == Candidate.State.QUALIFIED


def test_a_candidate_stopped_for_another_reason_is_never_touched(counties):
    w = exam_world(counties.a, 3)
    first, other, out = w.candidates
    round = written(w)
    actions.enter_scores(
        round,
        acting_user=w.officer,
        sheet={(first.pk, None): "80", (other.pk, None): "40", (out.pk, None): "40"},
    )
    # Between the sitting and the check, one is stopped by a complaint, one disqualified.
    Candidate.objects.filter(pk=other.pk).update(
        state=Candidate.State.STOPPED,
        stopped_rule="linze eligibility.complaints",
        stopped_reason="反映问题查实",
        stopped_step="nomination",
    )
    Candidate.objects.filter(pk=out.pk).update(state=Candidate.State.DISQUALIFIED)
    actions.lock_round(round, acting_user=w.second)
    kept = fresh(other)
    assert (kept.stopped_rule, kept.stopped_reason, kept.stopped_step) == (
        "linze eligibility.complaints",
        "反映问题查实",
        "nomination",
    )
    assert fresh(out).state == Candidate.State.DISQUALIFIED and fresh(out).stopped_rule == ""
    assert not Entry.objects.filter(action=STOPPED).exists()
    # A correction to the line does not free the one stopped elsewhere.
    actions.correct_score(
        Score.objects.get(candidate=other), acting_user=w.head, value="70", reason="复查试卷，漏计一页"
    )
    assert fresh(other).state == Candidate.State.STOPPED and fresh(other).stopped_reason == "反映问题查实"
    assert not Entry.objects.filter(action=RESUMED).exists()


def test_a_later_campaign_step_refuses_a_candidate_the_pass_line_stopped(counties):
    w = exam_world(counties.a, 2)
    first, below = w.candidates
    sat_written(w, {first: "80", below: "59.5"})
    with pytest.raises(CampaignRefused) as refused:
        campaign_actions.record_work_report(
            fresh(below),
            acting_user=w.officer,
            today=DAY,
            held_on=DAY,
            audience="单位全体干部",
            summary="述职",
        )
    assert refused.value.rule_id == "competition.pass_line"
    assert "人选2 已终止（笔试成绩 59.50 分，未达合格线 60 分），不能继续" in refused.value.message


def test_the_rounds_and_the_standings_still_say_why_a_stopped_candidate_did_not_go_on(counties):
    w = exam_world(counties.a, 3)
    first, below, away = w.candidates
    sat_written(w, {first: "80", below: "59.5"}, absent=[away.pk])
    later = interview(w, pass_line="60")
    assert [c.pk for c in actions.sitting_candidates(later)] == [first.pk]
    assert selectors.not_sitting(later) == [
        ("人选2", "笔试成绩 59.50 分，未达合格线 60 分"),
        ("人选3", "笔试缺考"),
    ]
    examiners = list(later.examiners.all())
    with pytest.raises(actions.CompetitionRefused) as refused:
        actions.enter_scores(later, acting_user=w.officer, sheet={(below.pk, e.pk): "80" for e in examiners})
    assert (
        refused.value.problems[0] == "人选2未进入本轮考试（笔试成绩 59.50 分，未达合格线 60 分），不应有成绩"
    )
    # The last round's pass line stops too; the standings name each stop and rank nobody stopped.
    actions.enter_scores(later, acting_user=w.officer, sheet={(first.pk, e.pk): "50" for e in examiners})
    actions.lock_round(later, acting_user=w.second)
    assert fresh(first).state == Candidate.State.STOPPED
    assert fresh(first).stopped_reason == "面试成绩 50.00 分，未达合格线 60 分"
    fetched = selectors.rounds_of(w.campaign)
    [group] = selectors.standings(fetched, {r.pk: selectors.round_view(r) for r in fetched})
    rows = {r.name: r for r in group.rows}
    assert rows["人选1"].stopped == "未达面试合格线" and rows["人选1"].place is None
    assert rows["人选2"].stopped == "未达笔试合格线" and rows["人选2"].parts[1].text == "未进入"
    assert rows["人选3"].stopped == "笔试缺考" and rows["人选3"].parts[0].text == "缺考"


def test_a_stopped_candidate_is_judged_by_the_earliest_round_only(counties):
    w = exam_world(counties.a, 2)
    first, second = w.candidates
    first_round = sat_written(w, {first: "50", second: "80"})
    later = interview(w, pass_line="60")
    examiners = list(later.examiners.all())
    actions.enter_scores(later, acting_user=w.officer, sheet={(second.pk, e.pk): "90" for e in examiners})
    actions.lock_round(later, acting_user=w.second)
    stops = actions.campaign_pass_line_stops(w.campaign.pk)
    assert set(stops) == {first.pk} and stops[first.pk].round.pk == first_round.pk
    assert Entry.objects.filter(action=STOPPED).count() == 1


def test_the_campaign_page_and_candidate_page_show_the_stop_and_why(client, counties, login):
    w = exam_world(counties.a, 2)
    first, below = w.candidates
    sat_written(w, {first: "80", below: "59.5"})
    login(w.head)
    html = client.get(f"/campaigns/{w.campaign.pk}/").content.decode()
    assert "已终止的人选" in html
    assert "终止</span> 笔试成绩 59.50 分，未达合格线 60 分" in html
    page = client.get(f"/campaigns/{w.campaign.pk}/candidates/{below.pk}/").content.decode()
    assert "该人选已终止：终止" in page and "笔试成绩 59.50 分，未达合格线 60 分" in page
    assert "规则 competition.pass_line" in page
    form = client.get(f"/record/campaigns/{w.campaign.pk}/candidates/{below.cadre_id}/")
    assert form.status_code == 200
    assert "未达考试合格线或缺考，终止" in form.content.decode()
