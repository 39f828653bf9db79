"""In a real browser: the policy sandbox shows linze and county-30-60 reaching different outcomes
for the same recommendation result, and the link from a decision opens the rule it cites."""

from __future__ import annotations

import pytest

from tests.browser.test_register_browser import staff_login
from xuanren.testing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sandbox_shows_linze_and_county_30_60_side_by_side(page, live_server, shot):
    counties = factories.make_counties()
    member = factories.make_user("deliberation_member", jurisdiction=counties.a, display_name="赵委员")
    staff_login(page, live_server, member)

    page.click("nav.mainnav >> text=选任政策")
    page.wait_for_url("**/policies/")
    assert page.locator("#policy-table").get_by_text("linze@1", exact=True).is_visible()
    shot(page, "01-policy-list")

    page.click("text=政策沙盘：同一结果在不同政策下的结论")
    page.wait_for_url("**/policies/sandbox/")
    checked = page.locator("input[name=policies]:checked")
    assert sorted(checked.evaluate_all("boxes => boxes.map(b => b.value)")) == ["county-30-60@1", "linze@1"]
    page.fill("#id_posts", "1")
    page.select_option("#id_mode", "open")
    page.fill("#id_participants", "120")
    page.fill("#id_votes", "张三 37\n李四 50\n王五 20")
    shot(page, "02-sandbox-form")
    page.click("#sandbox-form button[type=submit]")
    page.wait_for_selector("#outcomes")

    linze = page.locator("#outcomes section[data-policy='linze@1']")
    county = page.locator("#outcomes section[data-policy='county-30-60@1']")
    assert "37/120 ≈ 30.83% < 1/3，不列为考察人选" in linze.inner_text()
    assert "37/120 ≈ 30.83% ≥ 30%，可以考察、研究" in county.inner_text()
    assert "差额不足" in linze.locator(".summary").inner_text()
    assert county.locator(".summary").inner_text() == "考察对象：李四、张三"
    zhang = page.locator("#comparison tr[data-candidate='张三']")
    assert zhang.locator("td[data-policy='linze@1']").inner_text() == "不通过\n不列为考察对象"
    assert zhang.locator("td[data-policy='county-30-60@1']").inner_text() == "通过\n列为考察对象"
    folder = shot(page, "03-sandbox-outcomes").parent
    page.screenshot(path=str(folder / "03-sandbox-outcomes-in-view.png"))  # where the browser lands

    # The cited rule opens on the policy page, highlighted.
    linze.locator("a.cite", has_text="recommendation.threshold.open").first.click()
    page.wait_for_url("**/policies/linze/1/#rule-recommendation.threshold.open")
    rule = page.locator("[id='rule-recommendation.threshold.open']")
    assert "规定民主推荐达不到三分之一的不列为考察人选" in rule.inner_text()
    assert "000 三、" in rule.inner_text()
    page.screenshot(path=str(folder / "04-cited-rule.png"))  # the policy page is long: the view only

    # Back in the sandbox, the optional stages: an evaluation and a standing-committee vote.
    page.go_back()
    page.click("summary:has-text('民主测评')")
    page.fill("#id_evaluations", "李四 优秀40 称职50 基本称职20 不称职10")
    page.click("summary:has-text('讨论决定')")
    page.fill("#id_committee_members", "11")
    page.fill("#id_committee_present", "9")
    page.fill("#id_committee_votes", "李四 6")
    page.click("#sandbox-form button[type=submit]")
    page.wait_for_selector("#outcomes")
    assert "90/120 = 75% > 1/2" in linze.inner_text()
    assert "6/11" in linze.inner_text() and "6/11" in county.inner_text()
    shot(page, "05-sandbox-evaluation-and-vote")


MY_COUNTY = """\
id = "my-county"
name = "本县选任办法（试行）"
version = 1
effective = 2024-01-01
inherits = "linze@1"

[recommendation.threshold.open]
share = 0.4
comparison = "at_least"
denominator = "participants"
source = "本县文件 第三条"
"""


def test_officer_uploads_a_policy_and_sees_the_bad_key_then_the_new_version(page, live_server, shot):
    counties = factories.make_counties()
    officer = factories.make_user("cadre_officer", jurisdiction=counties.a, display_name="王干部")
    staff_login(page, live_server, officer)

    page.goto(f"{live_server.url}/policies/")
    page.click("text=录入新政策或新版本")
    page.fill("#id_text", MY_COUNTY)
    page.fill("#id_comment", "提高不提名推荐门槛")
    page.click("button[name=check]")
    problems = page.locator("#problems")
    assert "recommendation.threshold.open.share" in problems.inner_text()
    assert "不得使用小数" in problems.inner_text()
    shot(page, "01-upload-error")

    page.fill("#id_text", MY_COUNTY.replace("share = 0.4", 'share = "2/5"'))
    page.click("button[name=check]")
    assert "校验通过" in page.inner_text("#checked")
    page.click("button[name=save]")
    page.wait_for_url("**/policies/my-county/1/")
    assert "已保存政策 my-county@1" in page.inner_text(".messages")
    assert "王干部" in page.inner_text(".policy-head")
    page.click("text=只看本文件的 1 条规则")
    assert page.locator(".rule").count() == 1
    assert "2/5" in page.inner_text("[id='rule-recommendation.threshold.open']")
    shot(page, "02-stored-version-own-rules")

    page.goto(f"{live_server.url}/policies/diff/?a=linze@1&b=my-county@1")
    assert "2/5" in page.inner_text("#diff-table")
    shot(page, "03-diff")


def test_administrator_enters_2027_and_the_notice_becomes_computable(page, live_server, shot):
    factories.make_counties()
    admin = factories.make_user(superuser=True, display_name="系统管理员")
    staff_login(page, live_server, admin)

    page.goto(f"{live_server.url}/policies/holidays/")
    page.fill("#id_start", "2027-09-28")
    page.click("#calculator button[type=submit]")
    assert "缺少 2027 年的法定节假日安排" in page.inner_text("#calendar-error")
    shot(page, "01-missing-year")

    page.fill("#id_year", "2027")
    page.fill("#id_holidays", "2027-10-01~2027-10-07")
    page.fill("#id_workdays", "2027-10-09")
    page.fill("#id_source", "国务院办公厅关于2027年部分节假日安排的通知")
    page.click("#edit button[type=submit]")
    page.wait_for_url("**/policies/holidays/")
    page.fill("#id_start", "2027-09-28")
    page.click("#calculator button[type=submit]")
    assert "2027-10-09" in page.inner_text("#calendar-result")
    shot(page, "02-entered-year")
