"""The staff pages and the public scores page: entering a sheet through the grid, refusals shown
with what was typed, the public page hidden until publication, then names and every score, with a
fixed number of queries whatever the number of candidates."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xuanren.competition import actions
from xuanren.competition.models import ExamRound, Score
from xuanren.competition.testing import exam_world

pytestmark = pytest.mark.django_db
DAY = date(2026, 4, 10)
EXAMINERS = ("张评", "李评", "王评", "赵评", "钱评")


def rounds(w, examiners=EXAMINERS):
    written = actions.create_round(
        w.campaign, acting_user=w.officer, today=DAY, kind="written", title="笔试", held_on=DAY,
        max_score=Decimal(100), weight=Decimal("0.4"), method="single", pass_line=Decimal(60),
    )  # fmt: skip
    interview = actions.create_round(
        w.campaign, acting_user=w.officer, today=DAY, kind="interview", title="面试", held_on=DAY,
        max_score=Decimal(100), weight=Decimal("0.6"), method="trimmed_mean",
    )  # fmt: skip
    for i, name in enumerate(examiners):
        actions.add_examiner(
            interview, acting_user=w.officer, today=DAY, name=name, unit_post=f"县直单位{i + 1}",
            role="chief" if i == 0 else "member", no_relationship=True,
        )  # fmt: skip
    return written, interview


def publish_all(w, written, interview):
    n = len(w.candidates)
    actions.enter_scores(
        written,
        acting_user=w.officer,
        sheet={(c.pk, None): str(70 + i % 20) for i, c in enumerate(w.candidates)},
    )
    examiners = list(interview.examiners.order_by("sort_order"))
    actions.enter_scores(
        interview,
        acting_user=w.officer,
        sheet={
            (c.pk, e.pk): str(80 + (i + j) % 7)
            for i, c in enumerate(w.candidates)
            for j, e in enumerate(examiners)
        },
    )
    for r in (written, interview):
        actions.lock_round(r, acting_user=w.second)
        actions.publish_round(r, acting_user=w.second)
    return n


def test_the_grid_saves_a_whole_sheet_and_a_refusal_keeps_what_was_typed(client, counties, login):
    w = exam_world(counties.a, 2)
    _, interview = rounds(w)
    login(w.officer)
    page = client.get(f"/competition/rounds/{interview.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "评分表（人选 × 考官）" in html and "张评" in html and "人选2" in html
    examiners = list(interview.examiners.order_by("sort_order"))
    data = {f"s-{c.pk}-{e.pk}": "88" for c in w.candidates for e in examiners}
    data[f"s-{w.candidates[1].pk}-{examiners[2].pk}"] = "120"
    refused = client.post(f"/competition/rounds/{interview.pk}/scores/", data)
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "考官王评给人选2的评分 120 分超出 0 至 100 分的范围" in text
    assert 'value="120"' in text
    assert not Score.objects.filter(round=interview).exists()
    data[f"s-{w.candidates[1].pk}-{examiners[2].pk}"] = "90"
    data[f"absent-{w.candidates[1].pk}"] = "on"  # absent, yet with scores: refused, the box stays ticked
    refused = client.post(f"/competition/rounds/{interview.pk}/scores/", data)
    assert "人选2已标记缺考，不应有成绩" in refused.content.decode()
    assert f'name="absent-{w.candidates[1].pk}" checked' in refused.content.decode()
    del data[f"absent-{w.candidates[1].pk}"]
    saved = client.post(f"/competition/rounds/{interview.pk}/scores/", data)
    assert saved.status_code == 302
    assert Score.objects.filter(round=interview).count() == 10
    # The one who entered sees why they cannot lock; the lock itself is refused too.
    page = client.get(f"/competition/rounds/{interview.pk}/").content.decode()
    assert "复核锁定须由录入人以外的另一人办理" in page
    client.post(f"/competition/rounds/{interview.pk}/lock/")
    assert ExamRound.objects.get(pk=interview.pk).status == ExamRound.Status.DRAFT


def test_rounds_page_shows_the_combined_score_and_ties(client, counties, login):
    w = exam_world(counties.a, 3)
    written, interview = rounds(w)
    examiners = list(interview.examiners.order_by("sort_order"))
    actions.enter_scores(written, acting_user=w.officer, sheet={(c.pk, None): "80" for c in w.candidates})
    actions.enter_scores(
        interview,
        acting_user=w.officer,
        sheet={
            (c.pk, e.pk): ("90" if c == w.candidates[2] else "85") for c in w.candidates for e in examiners
        },
    )
    login(w.head)
    html = client.get(f"/competition/campaigns/{w.campaign.pk}/").content.decode()
    assert "综合成绩 = 笔试成绩 × 40% + 面试成绩 × 60%" in html
    assert "86.00" in html  # 0.4 × 80 + 0.6 × 90
    assert "第 2 名并列：人选1、人选2" in html


def test_public_page_is_hidden_until_published_then_shows_examiners_and_every_score(client, counties):
    w = exam_world(counties.a, 3)
    written, interview = rounds(w)
    url = f"/public/{counties.a.code}/campaigns/{w.campaign.pk}/scores/"
    cache.clear()
    assert client.get(url).status_code == 404
    examiners = list(interview.examiners.order_by("sort_order"))
    actions.enter_scores(
        written,
        acting_user=w.officer,
        sheet={(c.pk, None): "75.5" for c in w.candidates[:2]},
        absent={w.candidates[2].pk},
    )
    actions.enter_scores(
        interview,
        acting_user=w.officer,
        sheet={(c.pk, e.pk): str(80 + j) for c in w.candidates for j, e in enumerate(examiners)},
    )
    actions.lock_round(interview, acting_user=w.second)
    cache.clear()
    assert client.get(url).status_code == 404  # locked is not published
    campaign_page = client.get(f"/public/{counties.a.code}/campaigns/{w.campaign.pk}/").content.decode()
    assert "考官姓名和具体评分" not in campaign_page
    actions.publish_round(interview, acting_user=w.second)
    cache.clear()
    html = client.get(url).content.decode()
    for name in EXAMINERS:
        assert name in html
    assert "82.00" in html  # 80..84, drop 84 and 80
    assert "去掉最高分" in html and "去掉最低分" in html
    assert "发布时间" in html
    assert "笔试的成绩尚未公布" in html
    assert "身份证" not in html and w.candidates[0].cadre.id_number not in html
    assert "/scores/" in client.get(f"/public/{counties.a.code}/campaigns/{w.campaign.pk}/").content.decode()
    # Another county's code with this campaign is a 404.
    assert client.get(f"/public/{counties.b.code}/campaigns/{w.campaign.pk}/scores/").status_code == 404
    actions.lock_round(written, acting_user=w.second)
    score = Score.objects.get(round=written, candidate=w.candidates[0])
    actions.correct_score(score, acting_user=w.head, value="76", reason="试卷复查，漏计一题分数")
    actions.publish_round(written, acting_user=w.head)
    cache.clear()
    html = client.get(url).content.decode()
    assert "原 75.50 分，更正为 76.00 分。理由：试卷复查，漏计一题分数" in html
    assert "综合成绩待全部考试成绩公布后列出" not in html
    assert "缺考" in html  # 人选3 missed the written test: no combined score, no place


def test_public_page_queries_do_not_grow_with_candidates(client, counties):
    counts = {}
    for j, n in ((counties.a, 3), (counties.b, 30)):
        w = exam_world(j, n, tag=str(n))
        publish_all(w, *rounds(w))
        url = f"/public/{j.code}/campaigns/{w.campaign.pk}/scores/"
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        assert f"人选{n}" in response.content.decode()
        counts[n] = len(ctx.captured_queries)
    assert counts[3] == counts[30], counts
    assert counts[3] <= 10, (
        counts
    )  # the record size, campaign, rounds (all and published), examiners, scores, corrections


def test_staff_round_page_queries_do_not_grow_with_candidates(client, counties, login, make_user):
    counts = {}
    for j, n in ((counties.a, 3), (counties.b, 30)):
        w = exam_world(j, n, tag=str(n))
        written, interview = rounds(w)
        publish_all(w, written, interview)
        login(w.head)
        for path in (f"/competition/rounds/{interview.pk}/", f"/competition/campaigns/{w.campaign.pk}/"):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(path).status_code == 200
            counts[(n, path.split("/")[2])] = len(ctx.captured_queries)
        client.logout()
    assert counts[(3, "rounds")] == counts[(30, "rounds")], counts
    assert counts[(3, "campaigns")] == counts[(30, "campaigns")], counts


def test_other_county_staff_get_404(client, counties, login, make_user):
    w = exam_world(counties.a, 2)
    written, _ = rounds(w)
    login(make_user("cadre_officer", jurisdiction=counties.b))
    assert client.get(f"/competition/rounds/{written.pk}/").status_code == 404
    assert client.get(f"/competition/campaigns/{w.campaign.pk}/").status_code == 404
    assert client.post(f"/competition/rounds/{written.pk}/scores/", {}).status_code == 404


def test_the_record_pages_show_the_exam_entries_with_their_labels(client, counties, login):
    w = exam_world(counties.a, 2)
    publish_all(w, *rounds(w))
    login(w.head)
    assert client.get(f"/record/campaigns/{w.campaign.pk}/").status_code == 200
    html = client.get(f"/record/?campaign={w.campaign.pk}").content.decode()
    for label in (
        "设立考试",
        "确定考官（含回避声明）",
        "录入考试成绩",
        "复核并锁定考试成绩",
        "公布考官姓名和评分",
    ):
        assert label in html, label


def test_the_written_tests_pass_line_decides_who_sits_the_interview(client, counties, login):
    w = exam_world(counties.a, 3)
    written, interview = rounds(w)
    first, below, away = w.candidates
    actions.enter_scores(
        written,
        acting_user=w.officer,
        sheet={(first.pk, None): "75", (below.pk, None): "59.5"},
        absent=[away.pk],
    )
    # Entered but not yet checked: the pass line stops nobody yet.
    assert [c.pk for c in actions.sitting_candidates(interview)] == [first.pk, below.pk, away.pk]
    actions.lock_round(written, acting_user=w.second)
    assert [c.pk for c in actions.sitting_candidates(interview)] == [first.pk]
    assert actions.stopped_by_pass_line(interview) == {
        below.pk: "笔试成绩 59.50 分，未达合格线 60 分",
        away.pk: "笔试缺考",
    }
    examiners = list(interview.examiners.order_by("sort_order"))
    with pytest.raises(
        actions.CompetitionRefused,
        match=re.escape("人选2未进入本轮考试（笔试成绩 59.50 分，未达合格线 60 分），不应有成绩"),
    ):
        actions.enter_scores(
            interview,
            acting_user=w.officer,
            sheet={(c.pk, e.pk): "80" for c in (first, below) for e in examiners},
        )
    login(w.officer)
    html = client.get(f"/competition/rounds/{interview.pk}/").content.decode()
    assert "未进入本轮" in html and "人选2（笔试成绩 59.50 分，未达合格线 60 分）" in html
    assert "人选3（笔试缺考）" in html
    actions.enter_scores(interview, acting_user=w.officer, sheet={(first.pk, e.pk): "80" for e in examiners})
    actions.lock_round(interview, acting_user=w.second)
    for r in (written, interview):
        actions.publish_round(r, acting_user=w.second)
    cache.clear()
    public = client.get(f"/public/{counties.a.code}/campaigns/{w.campaign.pk}/scores/").content.decode()
    # 人选2 below the line and 人选3 absent: neither sat the interview nor is ranked; 人选1 is first
    assert public.count("未进入") == 2 and public.count("不排名") == 2
