"""A staff member logs in with two factors, finds a cadre by pinyin initials and opens the page."""

from __future__ import annotations

from datetime import date

import pytest

from xuanren.accounts import totp
from xuanren.accounts.models import User
from xuanren.testing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def staff_login(page, live_server, user: User) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", factories.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/otp/")
    User.objects.filter(pk=user.pk).update(totp_last_step=0)
    page.fill("#id_code", totp.current_code(user.totp_secret))
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_login_with_2fa_search_by_pinyin_initials_and_open_cadre(page, live_server, shot):
    counties = factories.make_counties()
    unit = factories.make_unit(counties.a, "沙河镇", unit_type="town")
    target = factories.make_cadre(
        counties.a, "张三丰", unit=unit, birth=date(1982, 4, 9), current_title="沙河镇党委副书记"
    )
    factories.make_cadre(counties.a, "李四", unit=unit)
    factories.make_cadre(
        counties.b, "张思凡", unit=factories.make_unit(counties.b, "民乐某局")
    )  # other county
    officer = factories.make_user("cadre_officer", jurisdiction=counties.a, display_name="王干部")

    page.goto(f"{live_server.url}/accounts/login/")
    shot(page, "01-login")
    staff_login(page, live_server, officer)
    shot(page, "02-home")

    page.goto(f"{live_server.url}/register/cadres/")
    page.fill("input[name=q]", "zsf")
    page.click("form.filters button[type=submit]")
    rows = page.locator("#cadre-table tbody tr")
    assert rows.count() == 1, "only the county-A 张三丰 matches zsf"
    assert "张三丰" in rows.first.inner_text()
    assert "*" in rows.first.inner_text() or target.id_number in rows.first.inner_text()
    shot(page, "03-search-zsf")

    page.click("text=张三丰")
    page.wait_for_url(f"**/register/cadres/{target.pk}/")
    assert "沙河镇党委副书记" in page.inner_text("main")
    assert "岁" in page.inner_text("main")
    shot(page, "04-cadre-page")
