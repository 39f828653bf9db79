"""An interview of a competition for posts, in a real browser: the cadre section sets up the
round, records the examiners with their recusal declarations and enters the score sheet; the
department head checks and locks it and publishes; a reader finds the examiners' names and every
score on the public campaign page. Screenshots go to var/test-artifacts/<test name>/."""

from __future__ import annotations

import pytest

from tests.browser.test_register_browser import staff_login
from xuanren.competition.models import ExamRound, Score
from xuanren.competition.testing import exam_world
from xuanren.testing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_enters_an_interview_sheet_head_publishes_public_reads_scores(
    page, browser, live_server, shot
):
    counties = factories.make_counties()
    w = exam_world(counties.a, 2)
    base = live_server.url
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 500 else None)

    staff_login(page, live_server, w.officer)
    page.goto(f"{base}/campaigns/{w.campaign.pk}/")
    page.get_by_role("link", name="笔试、面试、测评：考官、评分和综合成绩").click()
    page.wait_for_selector("h1:has-text('考试和评分')")
    shot(page, "01-rounds-empty")

    form = page.locator("#new-round form")
    form.locator("[name=kind]").select_option("interview")
    form.locator("[name=title]").fill("结构化面试")
    form.locator("[name=held_on]").fill("2026-04-10")
    form.locator("[name=max_score]").fill("100")
    form.locator("[name=weight_percent]").fill("100")
    form.locator("[name=method]").select_option("mean")
    form.get_by_role("button", name="设立考试").click()
    page.wait_for_selector("h1:has-text('结构化面试')")

    def add_examiner(name: str, unit_post: str, declared: bool = True) -> None:
        f = page.locator("#examiner-form")
        f.locator("[name=name]").fill(name)
        f.locator("[name=unit_post]").fill(unit_post)
        if declared:
            f.locator("[name=no_relationship]").check()
        f.get_by_role("button", name="增加考官").click()
        page.wait_for_load_state()

    add_examiner("高文华", "县委党校副校长", declared=False)
    assert "应当回避" in page.inner_text("#examiners")
    shot(page, "02-examiner-refused")
    add_examiner("高文华", "县委党校副校长")
    add_examiner("马丽", "县人力资源和社会保障局副局长")
    add_examiner("孙强", "县财政局总会计师")
    assert "考官（3 人）" in page.inner_text("#examiners")

    cells = page.locator("#score-grid input.score")
    assert cells.count() == 6
    for i, value in enumerate(["85", "86.5", "150", "88", "79", "80.25"]):
        cells.nth(i).fill(value)
    shot(page, "03-sheet-typed")
    page.get_by_role("button", name="保存整张成绩单").click()
    page.wait_for_selector("#sheet .blocked")
    alert = page.inner_text("#sheet .blocked")
    assert "考官孙强给人选1的评分 150 分超出 0 至 100 分的范围" in alert
    assert not Score.objects.exists()
    assert page.get_by_label("考官孙强给人选1的评分").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("考官马丽给人选1的评分").get_attribute("aria-invalid") is None
    shot(page, "04-sheet-refused")
    page.get_by_label("考官孙强给人选1的评分").fill("87")
    page.get_by_role("button", name="保存整张成绩单").click()
    page.wait_for_selector(".messages .success")
    assert "复核锁定须由录入人以外的另一人办理" in page.inner_text("#steps")
    shot(page, "05-sheet-saved")

    head_context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
    head = head_context.new_page()
    staff_login(head, live_server, w.head)
    round = ExamRound.objects.get()
    head.goto(f"{base}/competition/rounds/{round.pk}/")
    head.get_by_role("button", name="已对照签字评分表复核，锁定成绩").click()
    head.wait_for_selector("#publish")
    head.get_by_role("button", name="公布考官姓名和评分").click()
    head.wait_for_selector("#steps .tag.ok")
    shot(head, "06-published-staff")
    head.get_by_role("link", name="考试和评分").click()
    head.wait_for_selector("#standings")
    assert "综合成绩 = 面试成绩 × 100%" in head.inner_text("#standings")
    shot(head, "07-rounds-standings")
    head_context.close()

    page.goto(f"{base}/public/{counties.a.code}/campaigns/{w.campaign.pk}/")
    page.get_by_role("link", name="笔试、面试成绩和考官评分（考官姓名和具体评分）").click()
    page.wait_for_selector("h1:has-text('考试成绩和考官评分')")
    main = page.inner_text("main")
    for text in ("高文华", "马丽", "孙强", "县委党校副校长", "86.17", "精确值 517/6", "82.42", "发布时间"):
        assert text in main, text
    shot(page, "08-public-scores")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "09-public-scores-phone")
    assert failed == []
