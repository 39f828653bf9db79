"""A member of the public signs a recommendation on a phone during the nomination window; the cadre
section confirms the recommender's identity, matches the nominee to the register and accepts it,
and the recommender reads the result with the tracking code and password."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.browser.test_register_browser import staff_login
from xuanren.campaigns.models import Nomination, OnlineNomination
from xuanren.campaigns.testing import CampaignDriver, D, build_world
from xuanren.register.idnumber import make_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_signed_recommendation_from_a_phone_is_accepted_by_the_officer(
    phone_page, page, live_server, shot, tmp_path: Path, settings, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    monkeypatch.setattr("xuanren.portal.recommend.today", lambda: D["nominate"])
    monkeypatch.setattr("xuanren.campaigns.views.today", lambda: D["nominate"])
    driver = CampaignDriver(build_world())
    driver.open_campaign()
    code = driver.world.jurisdiction.code
    nominee = driver.world.nominees[0]
    scan = tmp_path / "署名推荐表.pdf"
    scan.write_bytes(PDF)

    # The public, on a phone: the open campaigns, then the signed form.
    p = phone_page
    p.goto(f"{live_server.url}/public/{code}/")
    p.get_by_role("link", name="网上署名推荐和自荐").click()
    assert driver.c.title in p.inner_text("main")
    shot(p, "01-open-campaigns")
    p.get_by_role("link", name="署名推荐他人").click()
    p.wait_for_selector("#statement")
    shot(p, "02-form")
    # Sent half filled: every missing field is named; nothing is saved.
    p.fill("#id_recommender_name", "赵推荐")
    p.click("main button[type=submit]")
    p.wait_for_selector("#form-errors")
    main = p.inner_text("main")
    assert "请申明“与被推荐人的关系”" in main and "请填写“身份证号”" in main
    assert "请阅读承诺并勾选" in main
    shot(p, "03-refused")
    assert not OnlineNomination.objects.exists()
    p.select_option("#id_vacancy", str(driver.vacancies()[0].pk))
    p.fill("#id_nominee_name", nominee.name)
    p.fill("#id_nominee_unit_post", nominee.current_title)
    p.fill("#id_recommender_unit_post", "县发展和改革局干部")
    p.fill("#id_recommender_phone", "13900002222")
    p.fill("#id_recommender_id_number", make_id("620723", date(1975, 6, 1), 123))
    p.select_option("#id_relationship", "colleague")
    p.fill("#id_relationship_note", "曾在同一单位共事三年")
    p.fill("#id_assessment", "政治坚定，业务精通，勤勉敬业，实绩突出，清正廉洁。")
    p.fill("#id_reasons", "长期从事经济工作，熟悉项目管理，群众口碑好。")
    p.fill("#id_proposed_use", "建议担任县发展和改革局局长")
    p.set_input_files("#id_attachment", str(scan))
    p.check("#id_responsibility_accepted")
    p.click("main button[type=submit]")
    p.wait_for_selector("#tracking-code")
    tracking_code = p.inner_text("#tracking-code")
    password = p.inner_text("#tracking-password")
    shot(p, "04-submitted")
    width = p.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"

    # The officer: the pending list, the review page, identity confirmed and accepted.
    staff_login(page, live_server, driver.world.staff.officer)
    page.goto(f"{live_server.url}/campaigns/{driver.c.pk}/")
    page.click("#online-link a")
    assert "待审核 1 件" in page.inner_text("main")
    shot(page, "05-pending")
    page.get_by_role("link", name="审核").click()
    assert "赵推荐" in page.inner_text("main") and "曾在同一单位共事三年" in page.inner_text("main")
    page.select_option("#id_identity_method", "phone")
    page.fill("#id_identity_note", "拨打 13900002222 与推荐人本人通话，确认系其本人署名推荐")
    page.select_option("#id_cadre", str(nominee.pk))
    shot(page, "06-review")
    page.click("#accept-button")
    page.wait_for_selector("#online-table")
    assert "已受理" in page.inner_text("#online-table")
    shot(page, "07-accepted")
    nomination = Nomination.objects.get()
    assert nomination.channel == Nomination.Channel.SIGNED and nomination.candidate.cadre == nominee

    # The recommender reads the result.
    p.goto(f"{live_server.url}/public/{code}/recommend/track/")
    p.fill("#id_code", tracking_code)
    p.fill("#id_password", password)
    p.click("main button[type=submit]")
    p.wait_for_selector("#submission-status")
    assert "已受理" in p.inner_text("#submission-status")
    shot(p, "08-tracked")

    # The self-nomination form of the same campaign: the registration form and its statement.
    p.goto(f"{live_server.url}/public/{code}/recommend/{driver.c.pk}/self/")
    assert "自荐登记表内容" in p.inner_text("main") and "被推荐人姓名" not in p.inner_text("main")
    shot(p, "09-self-form")
