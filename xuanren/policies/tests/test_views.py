"""The policy pages: who may open what, the policy page, uploading, schedules and the sandbox."""

from __future__ import annotations

from html import unescape
from typing import Any

import pytest
from django.test import Client

from xuanren.accounts.roles import ROLES
from xuanren.policies import actions
from xuanren.policies.models import HolidaySchedule, PolicyVersion
from xuanren.testing import factories

EVERYONE_PAGES = [
    "/policies/",
    "/policies/linze/1/",
    "/policies/national-2019/1/",
    "/policies/diff/?a=linze@1&b=county-30-60@1",
    "/policies/sandbox/",
]


def logged_in(login: Any, user: Any) -> Client:
    return login(user, Client())


@pytest.mark.parametrize("role", [role.code for role in ROLES])
def test_every_role_opens_the_policy_pages_and_the_sandbox(role, counties, login):
    client = logged_in(login, factories.make_user(role, jurisdiction=counties.a))
    for url in EVERYONE_PAGES:
        assert client.get(url).status_code == 200, url
    assert client.get("/policies/linze/").status_code == 302
    upload = client.get("/policies/upload/").status_code
    assert upload == (200 if role == "cadre_officer" else 403)
    assert client.get("/policies/holidays/").status_code == 403
    assert client.post("/policies/holidays/delete/", {"year": "2027"}).status_code == 403


def test_superusers_open_everything(admin, login):
    client = logged_in(login, admin)
    for url in [*EVERYONE_PAGES, "/policies/upload/", "/policies/holidays/"]:
        assert client.get(url).status_code == 200, url


def test_anonymous_users_go_to_the_login_page(client, db):
    for url in [*EVERYONE_PAGES, "/policies/upload/", "/policies/holidays/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def test_unknown_policies_are_404(officer, login):
    client = logged_in(login, officer)
    assert client.get("/policies/linze/9/").status_code == 404
    assert client.get("/policies/no-such/1/").status_code == 404
    assert client.get("/policies/no-such/").status_code == 404
    assert client.get("/policies/upload/?from=linze@9").status_code == 404


def test_the_policy_page_shows_rules_by_section_with_sources_and_inheritance(officer, login):
    html = logged_in(login, officer).get("/policies/linze/1/").content.decode()
    assert "临泽县“两公开五提名四差额三记实”干部选任办法" in html
    assert 'id="section-recommendation"' in html and "民主推荐" in html
    assert 'id="rule-recommendation.threshold.open"' in html
    assert "规定民主推荐达不到三分之一的不列为考察人选" in html  # the quote
    assert "000 三、" in html  # the source passage
    assert "继承自" in html and "national-2019@1" in html  # e.g. decision.quorum
    assert "⚠ 出处未核实" in html
    assert 'id="procedure"' in html and "程序：环节和步骤" in html
    assert "SHA-256" in html


def test_the_diff_page_shows_the_threshold_difference(officer, login):
    html = logged_in(login, officer).get("/policies/diff/?a=linze@1&b=county-30-60@1").content.decode()
    assert 'id="diff-table"' in html
    assert "recommendation.threshold.open" in html and "1/3" in html and "30%" in html
    response = logged_in(login, officer).get("/policies/diff/?a=linze@1&b=nope@1")
    assert response.status_code == 400


def test_uploading_checks_then_saves_a_new_version(officer, login, policy_text):
    client = logged_in(login, officer)
    bad = policy_text.replace('share = "2/5"', "share = 0.4")
    html = client.post("/policies/upload/", {"text": bad, "check": "1"}).content.decode()
    assert "recommendation.threshold.open.share" in html and "不得使用小数" in html
    html = client.post("/policies/upload/", {"text": policy_text, "check": "1"}).content.decode()
    assert "校验通过" in html and "my-county@1 → linze@1 → national-2019@1" in html
    assert PolicyVersion.objects.count() == 0
    response = client.post("/policies/upload/", {"text": policy_text, "save": "1", "comment": "试行"})
    assert response.status_code == 302 and response["Location"] == "/policies/my-county/1/"
    html = client.get("/policies/my-county/1/").content.decode()
    assert "系统录入" in html and "王干部" in html and "试行" in html
    assert "2/5" in html
    html = client.get("/policies/").content.decode()
    assert "my-county@1" in html


def test_a_new_version_starts_from_the_old_text_with_the_next_number(officer, login, policy_text):
    actions.add_policy_version(text=policy_text, acting_user=officer)
    html = logged_in(login, officer).get("/policies/upload/?from=my-county@1").content.decode()
    assert "version = 2" in html and "取自 my-county@1" in html


def test_a_file_upload_works_like_pasting(officer, login, policy_text):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("my-county.toml", policy_text.encode("utf-8"))
    response = logged_in(login, officer).post("/policies/upload/", {"file": upload, "save": "1"})
    assert response.status_code == 302
    assert PolicyVersion.objects.get().label == "my-county@1"


def test_the_holiday_page_shows_coverage_and_makes_2027_computable(admin, login, counties):
    client = logged_in(login, admin)
    html = client.get("/policies/holidays/").content.decode()
    assert "2004–2026 年" in html or "2004–20" in html
    html = client.get("/policies/holidays/?start=2027-09-28&days=5").content.decode()
    assert 'id="calendar-error"' in html and "缺少 2027 年的法定节假日安排" in html
    response = client.post(
        "/policies/holidays/",
        {
            "year": "2027",
            "holidays": "2027-10-01~2027-10-07",
            "workdays": "2027-10-09",
            "source": "国务院办公厅关于2027年部分节假日安排的通知",
        },
    )
    assert response.status_code == 302
    assert HolidaySchedule.objects.get(year=2027).workdays == ["2027-10-09"]
    html = client.get("/policies/holidays/?start=2027-09-28&days=5").content.decode()
    assert 'id="calendar-result"' in html and "2027-10-09" in html
    html = client.get("/policies/holidays/?year=2027").content.decode()
    assert "2027-10-01~2027-10-07" in html


def test_a_bad_holiday_line_is_named(admin, login, counties):
    html = (
        logged_in(login, admin)
        .post(
            "/policies/holidays/",
            {"year": "2027", "holidays": "2027-10-01\n十月一日", "workdays": "", "source": "x"},
        )
        .content.decode()
    )
    assert "第 2 行" in html and HolidaySchedule.objects.count() == 0


SANDBOX = {
    "policies": ["linze@1", "county-30-60@1"],
    "posts": "1",
    "mode": "open",
    "participants": "120",
    "votes": "张三 37\n李四 50\n王五 20",
}


def test_the_sandbox_gives_linze_and_county_30_60_different_outcomes(officer, login):
    client = logged_in(login, officer)
    response = client.get("/policies/sandbox/", SANDBOX)
    html = unescape(response.content.decode())
    assert response.status_code == 200
    columns = response.context["columns"]
    assert [column.label for column in columns] == ["linze@1", "county-30-60@1"]
    linze, county = columns
    # 37/120 ≈ 30.83%: under linze's "at least 1/3" it fails; under county-30-60's open 30% it passes.
    assert "张三 37/120 ≈ 30.83% < 1/3，不列为考察人选" in html
    assert "张三 37/120 ≈ 30.83% ≥ 30%，可以考察、研究" in html
    assert "差额不足" in linze.summary
    assert county.summary == "考察对象：李四、张三"
    [zhang] = [row for row in response.context["comparison"] if row.candidate == "张三"]
    assert [cell.outcome for cell in zhang.cells] == ["不通过", "通过"]
    assert "/policies/linze/1/#rule-recommendation.threshold.open" in html


def test_the_sandbox_with_evaluations_and_a_committee_vote(officer, login):
    data = {
        **SANDBOX,
        "evaluations": "张三 优秀40 称职50 基本称职20 不称职10",
        "committee_members": "11",
        "committee_present": "9",
        "committee_votes": "李四 6",
    }
    response = logged_in(login, officer).get("/policies/sandbox/", data)
    html = response.content.decode()
    assert "民主测评" in html and "讨论决定" in html
    assert "90/120" in html  # 优秀 + 称职 out of all evaluation ballots under linze
    assert "6/11" in html  # more than half of all members, not of those present


def test_the_sandbox_names_bad_input(officer, login):
    client = logged_in(login, officer)
    response = client.get("/policies/sandbox/", {**SANDBOX, "votes": "张三\n李四 50"})
    assert "第 1 行" in response.content.decode() and "columns" not in response.context
    html = client.get("/policies/sandbox/", {**SANDBOX, "votes": "张三 130"}).content.decode()
    assert "多于参加推荐人数" in html
    html = client.get("/policies/sandbox/", {**SANDBOX, "policies": []}).content.decode()
    assert "请至少选择一项政策" in html
