"""The exam actions: every change recorded in the ledger, a sheet saved whole or not at all,
scores out of range refused naming the examiner and the candidate, a second person locks, and a
correction keeps the old value."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from xuanren.competition import actions
from xuanren.competition.models import ExamRound, Score, ScoreCorrection
from xuanren.competition.testing import exam_world
from xuanren.record.models import Entry

pytestmark = pytest.mark.django_db
DAY = date(2026, 4, 10)


def interview(w, examiners=("张评", "李评", "王评", "赵评", "钱评"), **kwargs):
    round = actions.create_round(
        w.campaign,
        acting_user=w.officer,
        today=DAY,
        kind=ExamRound.Kind.INTERVIEW,
        title="面试",
        held_on=DAY,
        max_score=Decimal(100),
        weight=kwargs.pop("weight", Decimal("0.6")),
        method=kwargs.pop("method", ExamRound.Method.TRIMMED_MEAN),
        **kwargs,
    )
    for i, name in enumerate(examiners):
        actions.add_examiner(
            round,
            acting_user=w.officer,
            today=DAY,
            name=name,
            unit_post="县委党校教授",
            role="chief" if i == 0 else "member",
            no_relationship=True,
        )
    return round


def written(w, **kwargs):
    return actions.create_round(
        w.campaign,
        acting_user=w.officer,
        today=DAY,
        kind=ExamRound.Kind.WRITTEN,
        title="笔试",
        held_on=DAY,
        max_score=Decimal(100),
        weight=Decimal("0.4"),
        method=ExamRound.Method.SINGLE,
        **kwargs,
    )


def full_sheet(round, w, rows):
    """``rows``: one list of scores per candidate, one per examiner in order (one for a written test)."""
    examiners = list(round.examiners.order_by("sort_order", "id")) or [None]
    return {
        (c.pk, e.pk if e else None): value
        for c, values in zip(w.candidates, rows, strict=True)
        for e, value in zip(examiners, values, strict=True)
    }


def test_every_action_appends_its_ledger_entry(counties):
    w = exam_world(counties.a)
    round = interview(w)
    actions.enter_scores(round, acting_user=w.officer, sheet=full_sheet(round, w, [["80"] * 5] * 3))
    actions.lock_round(round, acting_user=w.second)
    score = Score.objects.filter(round=round).first()
    actions.correct_score(score, acting_user=w.head, value="81", reason="核对签字评分表，录入有误")
    actions.publish_round(round, acting_user=w.head)
    kinds = list(
        Entry.objects.filter(campaign_id=w.campaign.pk, stage="competition")
        .order_by("seq")
        .values_list("action", "kind")
    )
    assert kinds == [
        ("exam_round_created", "entry"),
        *[("examiner_added", "entry")] * 5,
        ("exam_scores_entered", "entry"),
        ("exam_round_locked", "review"),
        ("exam_score_corrected", "correction"),
        ("exam_results_published", "entry"),
    ]


def test_a_score_out_of_range_is_refused_naming_examiner_and_candidate_and_nothing_is_saved(counties):
    w = exam_world(counties.a)
    round = interview(w)
    before = Entry.objects.count()
    sheet = full_sheet(round, w, [["80"] * 5, ["80", "80", "105", "80", "80"], ["80", "-1", "80", "80", "x"]])
    with pytest.raises(actions.CompetitionRefused) as refused:
        actions.enter_scores(round, acting_user=w.officer, sheet=sheet)
    assert refused.value.rule == "competition.score_range"
    assert "考官王评给人选2的评分 105 分超出 0 至 100 分的范围" in refused.value.problems
    assert "考官李评给人选3的评分 -1 分超出 0 至 100 分的范围" in refused.value.problems
    assert "考官钱评给人选3的评分“x”不是数字" in refused.value.problems
    assert Score.objects.count() == 0
    assert Entry.objects.count() == before


def test_a_sheet_with_a_blank_cell_is_refused_whole(counties):
    w = exam_world(counties.a)
    round = interview(w)
    sheet = full_sheet(round, w, [["80"] * 5] * 3)
    del sheet[(w.candidates[1].pk, round.examiners.order_by("id").first().pk)]
    with pytest.raises(actions.CompetitionRefused) as refused:
        actions.enter_scores(round, acting_user=w.officer, sheet=sheet)
    assert refused.value.problems == ["考官张评给人选2的评分未填写"]
    assert not Score.objects.exists()


def test_more_than_two_decimals_is_refused(counties):
    w = exam_world(counties.a, 1)
    round = written(w)
    with pytest.raises(actions.CompetitionRefused) as refused:
        actions.enter_scores(round, acting_user=w.officer, sheet={(w.candidates[0].pk, None): "88.125"})
    assert "人选1的成绩 88.125 分最多保留两位小数" in refused.value.problems


def test_entering_again_before_locking_replaces_the_sheet(counties):
    w = exam_world(counties.a)
    round = written(w)
    actions.enter_scores(round, acting_user=w.officer, sheet=full_sheet(round, w, [["70"], ["71"], ["72"]]))
    actions.enter_scores(round, acting_user=w.officer, sheet=full_sheet(round, w, [["80"], ["81"], ["82"]]))
    assert sorted(Score.objects.values_list("value", flat=True)) == [Decimal(80), Decimal(81), Decimal(82)]


def test_the_person_who_entered_the_sheet_cannot_lock_it(counties):
    w = exam_world(counties.a)
    round = written(w)
    actions.enter_scores(round, acting_user=w.officer, sheet=full_sheet(round, w, [["70"], ["71"], ["72"]]))
    with pytest.raises(actions.CompetitionRefused) as refused:
        actions.lock_round(round, acting_user=w.officer)
    assert refused.value.rule == "competition.second_person"
    actions.lock_round(round, acting_user=w.second)
    assert ExamRound.objects.get(pk=round.pk).status == ExamRound.Status.LOCKED


def test_after_locking_only_a_correction_changes_a_score_and_it_keeps_the_old_value(counties):
    w = exam_world(counties.a)
    round = written(w)
    actions.enter_scores(round, acting_user=w.officer, sheet=full_sheet(round, w, [["70"], ["71"], ["72"]]))
    actions.lock_round(round, acting_user=w.second)
    with pytest.raises(actions.CompetitionRefused) as refused:
        actions.enter_scores(
            round, acting_user=w.officer, sheet=full_sheet(round, w, [["90"], ["71"], ["72"]])
        )
    assert refused.value.rule == "competition.locked"
    score = Score.objects.get(round=round, candidate=w.candidates[0])
    with pytest.raises(actions.CompetitionRefused):
        actions.correct_score(score, acting_user=w.head, value="75", reason="  ")
    with pytest.raises(actions.CompetitionRefused) as refused:
        actions.correct_score(score, acting_user=w.head, value="101", reason="复核")
    assert refused.value.message == "人选1的成绩 101 分超出 0 至 100 分的范围"
    correction = actions.correct_score(score, acting_user=w.head, value="75.5", reason="阅卷合分错误")
    score.refresh_from_db()
    assert score.value == Decimal("75.5")
    assert (correction.old_value, correction.new_value) == (Decimal(70), Decimal("75.5"))
    entry = Entry.objects.get(action="exam_score_corrected")
    assert entry.payload["old_value"] == "70.00" and entry.payload["new_value"] == "75.5"
    assert entry.payload["reason"] == "阅卷合分错误"
    sheet_entry = Entry.objects.get(action="exam_scores_entered")
    assert entry.ref == sheet_entry.seq
    assert ScoreCorrection.objects.count() == 1


def test_an_examiner_without_the_recusal_declaration_is_refused(counties):
    w = exam_world(counties.a)
    round = interview(w, examiners=())
    with pytest.raises(actions.CompetitionRefused) as refused:
        actions.add_examiner(
            round, acting_user=w.officer, today=DAY, name="周评", unit_post="县人社局", no_relationship=False
        )
    assert refused.value.rule == "competition.examiner_recusal"
    assert "应当回避" in refused.value.message
    with pytest.raises(actions.CompetitionRefused):
        actions.add_examiner(
            round, acting_user=w.officer, today=DAY, name="人选2", unit_post="县财政局", no_relationship=True
        )
    assert not round.examiners.exists()


def test_written_tests_have_no_examiners_and_weights_stay_within_100_percent(counties):
    w = exam_world(counties.a)
    round = written(w)
    with pytest.raises(actions.CompetitionRefused):
        actions.add_examiner(
            round, acting_user=w.officer, today=DAY, name="周评", unit_post="x", no_relationship=True
        )
    with pytest.raises(actions.CompetitionRefused) as refused:
        interview(w, examiners=(), weight=Decimal("0.7"))
    assert refused.value.rule == "competition.weights"
    with pytest.raises(actions.CompetitionRefused):
        actions.create_round(
            w.campaign, acting_user=w.officer, today=DAY, kind="written", title="笔试二", held_on=DAY,
            max_score=Decimal(100), weight=Decimal("0.1"), method="mean",
        )  # fmt: skip


def test_only_officers_enter_and_other_counties_cannot_touch(counties, make_user):
    w = exam_world(counties.a)
    with pytest.raises(actions.CompetitionRefused):
        written(type(w)(**{**w.__dict__, "officer": w.head}))
    outsider = make_user("cadre_officer", jurisdiction=counties.b)
    with pytest.raises(actions.CompetitionRefused) as refused:
        written(type(w)(**{**w.__dict__, "officer": outsider}))
    assert "不在您的管辖范围内" in refused.value.message


def test_publishing_needs_a_locked_round_and_a_public_campaign(counties):
    w = exam_world(counties.a, published=False)
    round = written(w)
    actions.enter_scores(round, acting_user=w.officer, sheet=full_sheet(round, w, [["70"], ["71"], ["72"]]))
    with pytest.raises(actions.CompetitionRefused):
        actions.publish_round(round, acting_user=w.head)
    actions.lock_round(round, acting_user=w.head)
    with pytest.raises(actions.CompetitionRefused) as refused:
        actions.publish_round(round, acting_user=w.head)
    assert "选任方式和程序尚未公开" in refused.value.message


def test_published_entry_carries_names_scores_results_and_the_rule(counties):
    w = exam_world(counties.a)
    round = interview(w)
    rows = [["80", "85", "86", "90", "70"], ["85", "85", "85", "85", "85"], ["90", "90", "60", "70", "80"]]
    actions.enter_scores(round, acting_user=w.officer, sheet=full_sheet(round, w, rows))
    actions.lock_round(round, acting_user=w.second)
    actions.publish_round(round, acting_user=w.second)
    payload = Entry.objects.get(action="exam_results_published").payload
    assert [e["name"] for e in payload["examiners"]] == ["张评", "李评", "王评", "赵评", "钱评"]
    assert payload["source"] == "001 一、（三）2"
    assert len(payload["scores"]) == 15
    results = {r["candidate_name"]: r for r in payload["results"]}
    assert results["人选1"]["score"] == "251/3"  # (80 + 85 + 86) / 3
    assert results["人选2"]["score"] == "85" and results["人选2"]["rank"] == 1
    assert results["人选3"]["score"] == "80"  # drops 90 and 60
    results_now = actions.round_results(ExamRound.objects.get(pk=round.pk))
    assert results_now[w.candidates[0].pk].score == Fraction(251, 3)


def test_weights_add_up_per_post_with_the_campaign_wide_rounds(counties):
    from xuanren.campaigns.models import Vacancy
    from xuanren.register.choices import Rank
    from xuanren.testing import factories

    w = exam_world(counties.a)
    unit = factories.make_unit(counties.a, "县审计局")
    a, b = (
        Vacancy.objects.create(
            campaign=w.campaign, post=factories.make_post(unit, title, Rank.FUKE), rank=Rank.FUKE
        )
        for title in ("副局长甲", "副局长乙")
    )

    def make(weight, vacancy=None, title="面试"):
        return actions.create_round(
            w.campaign, acting_user=w.officer, today=DAY, kind="interview", title=title, held_on=DAY,
            max_score=Decimal(100), weight=Decimal(weight), method="mean", vacancy=vacancy,
        )  # fmt: skip

    make("0.6", a, "甲岗位面试")
    make("0.6", b, "乙岗位面试")
    make("0.4", None, "笔试同卷")  # 0.4 + 0.6 for each post
    with pytest.raises(actions.CompetitionRefused) as refused:
        make("0.1", a, "甲岗位测评")
    assert refused.value.rule == "competition.weights"
    with pytest.raises(actions.CompetitionRefused):
        make("0.1", None, "测评")


def test_an_absent_candidate_has_no_scores_no_result_and_no_combined_score(counties):
    from xuanren.competition import selectors

    w = exam_world(counties.a)
    round = interview(w, examiners=("张评", "李评", "王评"), method="mean", weight=Decimal(1))
    sheet = full_sheet(round, w, [["80"] * 3, ["90"] * 3, ["70"] * 3])
    absent = w.candidates[2].pk
    with pytest.raises(actions.CompetitionRefused) as refused:
        actions.enter_scores(round, acting_user=w.officer, sheet=sheet, absent={absent})
    assert refused.value.problems == ["人选3已标记缺考，不应有成绩"]
    sheet = {k: v for k, v in sheet.items() if k[0] != absent}
    actions.enter_scores(round, acting_user=w.officer, sheet=sheet, absent={absent})
    actions.lock_round(round, acting_user=w.second)
    assert set(actions.round_results(round)) == {w.candidates[0].pk, w.candidates[1].pk}
    assert Entry.objects.get(action="exam_scores_entered").payload["absent"] == [
        {"candidate": absent, "candidate_name": "人选3"}
    ]
    fetched = selectors.rounds_of(w.campaign)
    views = {r.pk: selectors.round_view(r) for r in fetched}
    [group] = selectors.standings(fetched, views)
    rows = {r.name: r for r in group.rows}
    assert rows["人选3"].combined is None and rows["人选3"].parts[0].text == "缺考"
    assert rows["人选2"].place == rows["人选2"].place.__class__(1, 1)
    with pytest.raises(actions.CompetitionRefused):
        actions.enter_scores(round, acting_user=w.officer, sheet={}, absent={c.pk for c in w.candidates})
