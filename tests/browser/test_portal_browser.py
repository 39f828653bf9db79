"""A member of the public on a phone finds and reads a pre-appointment notice on the portal."""

from __future__ import annotations

import pytest

from xuanren.portal.testing import publish_campaign
from xuanren.testing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_on_a_phone_reads_a_pre_appointment_notice(phone_page, live_server, shot):
    counties = factories.make_counties()
    published = publish_campaign(counties.a, policy="tongliao-003")
    page = phone_page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    def no_sideways_scroll(width: int) -> None:
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{page.url} scrolls sideways at {width}px ({scroll}px)"

    page.goto(f"{live_server.url}/public/")
    shot(page, "01-index")
    page.get_by_role("link", name="临泽县").click()
    page.wait_for_selector("h1:has-text('临泽县干部选拔任用工作公开')")
    no_sideways_scroll(390)
    shot(page, "02-jurisdiction")

    page.get_by_role("link", name="任前公示：王建国、李红梅").click()
    page.wait_for_selector("h1:has-text('干部任前公示')")
    assert page.url.endswith(f"/public/620723/notices/{published.pre_appointment_notice.pk}/")
    main = page.inner_text("main")
    for text in (
        "王建国",
        "拟任：县发展和改革局局长",
        "简历",
        "主要工作业绩",
        "推荐、考察和决定情况",
        "0936-5551234",
    ):
        assert text in main, text
    assert "发布时间" in main
    assert page.get_by_role("link", name="0936-5551234").get_attribute("href") == "tel:0936-5551234"
    no_sideways_scroll(390)
    shot(page, "03-notice")

    # The narrowest common phone.
    page.set_viewport_size({"width": 360, "height": 740})
    no_sideways_scroll(360)
    shot(page, "04-notice-360")

    # A keyboard reader skips the header straight to the notice.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到正文"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    page.get_by_role("link", name="王建国同志有关事项公开").click()
    page.wait_for_selector("h1:has-text('王建国同志有关事项公开')")
    assert "三龄两历一身份、婚姻、房产、年收入" in page.inner_text("main")
    no_sideways_scroll(360)
    shot(page, "05-disclosure")

    page.get_by_role("link", name="2025年县直部门和乡镇正职选任").click()
    page.wait_for_selector("h2:has-text('选任方式和程序步骤')")
    no_sideways_scroll(360)
    shot(page, "06-campaign")
    page.get_by_role("link", name="常委会票决情况").click()
    page.wait_for_selector("h2:has-text('表决票数')")
    no_sideways_scroll(360)
    shot(page, "07-votes")

    assert not errors, errors  # a CSP refusal of an inline script or style would show here
    assert not failed, failed
