"""The register's file pages: imports show every error and keep nothing; exports stay in scope."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xuanren.record.models import Entry
from xuanren.register import excel, idnumber, lrmx
from xuanren.register.models import Cadre, FamilyMember, PostHolding, Unit
from xuanren.testing import factories

from .test_excel import person, posts_file, roster

pytestmark = pytest.mark.django_db

SAMPLE = (Path(__file__).parent / "data" / "sample.lrmx").read_bytes()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def pdf_pages(content: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", content))


@pytest.fixture
def officer(counties: factories.Counties) -> Any:
    return factories.make_user("cadre_officer", jurisdiction=counties.a)


@pytest.fixture
def town(counties: factories.Counties) -> Unit:
    return factories.make_unit(counties.a, "沙河镇")


def test_roster_import_page_lists_every_error_by_row_and_column_and_keeps_nothing(
    client, login, officer, town
):
    login(officer)
    content = roster([person(1), person(3, 民族="火星族"), person(5, 入党时间="2003.13"), person(7, 姓名="")])
    response = client.post(reverse("register:roster_import"), {"file": upload("名册.xlsx", content)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "导入未成功：发现 3 处错误，涉及 3 行，未保存任何数据" in page
    rows = re.findall(
        r'<tr><td class="num">\d+</td><td>([^<]*)</td><td class="num">(\d+)</td><td>([^<]*)</td>', page
    )
    assert rows == [("干部名册", "3", "民族"), ("干部名册", "4", "入党时间"), ("干部名册", "5", "姓名")]
    assert "“火星族”不是 56 个民族的规范名称" in page
    assert "日期“2003.13”不存在" in page
    assert Cadre.objects.count() == 0 and Entry.objects.count() == 0


def test_roster_import_success_shows_the_counts(client, login, officer, town):
    login(officer)
    content = roster([person(1), person(3)])
    response = client.post(
        reverse("register:roster_import"), {"file": upload("名册.xlsx", content)}, follow=True
    )
    assert "导入成功：数据行 2，新增干部 2。" in response.content.decode()
    assert Cadre.objects.filter(jurisdiction=officer.jurisdiction).count() == 2
    assert Entry.objects.count() == 1


def test_a_file_that_is_not_xlsx_is_refused_with_a_clear_message(client, login, officer):
    login(officer)
    response = client.post(
        reverse("register:roster_import"), {"file": upload("名册.xls", b"\xd0\xcf\x11\xe0")}
    )
    assert response.status_code == 400
    assert "只能导入 .xlsx 格式的 Excel 文件" in response.content.decode()


def test_posts_import_page_and_export(client, login, officer, town, counties):
    login(officer)
    content = posts_file(
        [{"单位名称": "沙河镇", "单位类型": "乡镇（街道）", "正科级职数": 2}],
        [{"单位名称": "沙河镇", "职务名称": "镇长", "职级": "正科级", "职务类别": "行政正职"}],
    )
    response = client.post(
        reverse("register:posts_import"), {"file": upload("职位.xlsx", content)}, follow=True
    )
    assert "新增职位 1" in response.content.decode()
    other = factories.make_unit(counties.b, "民乐县某局")
    factories.make_post(other, "局长")
    exported = client.get(reverse("register:posts_export"))
    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    posts = excel.sheet_rows(exported.content, "职位")
    assert [row[1:5] for row in posts[1:]] == [["沙河镇", "镇长", "正科级", "行政正职"]]
    units = excel.sheet_rows(exported.content, "单位及职数")
    assert [row[1] for row in units[1:]] == ["沙河镇"]


def test_import_pages_and_templates_are_for_the_cadre_officer_only(client, login, counties):
    login(factories.make_user("department_head", jurisdiction=counties.a))
    for name in ("roster_import", "posts_import", "lrmx_import", "roster_template", "posts_template"):
        assert client.get(reverse(f"register:{name}")).status_code == 403, name
    response = client.post(reverse("register:roster_import"), {"file": upload("a.xlsx", roster([person(1)]))})
    assert response.status_code == 403
    assert client.get(reverse("register:roster_export")).status_code == 200


def test_a_county_a_officer_cannot_import_into_or_export_county_b(client, login, officer, counties, town):
    b_unit = factories.make_unit(counties.b, "民乐县财政局")
    b_cadre = factories.make_cadre(counties.b, "李四", unit=b_unit)
    login(officer)
    content = roster([person(1)])
    response = client.post(
        reverse("register:roster_import"),
        {"file": upload("a.xlsx", content), "jurisdiction": counties.b.code},
    )
    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode()
    # Naming county B's unit from county A finds no such unit.
    response = client.post(
        reverse("register:roster_import"),
        {"file": upload("a.xlsx", roster([person(1, 工作单位="民乐县财政局")]))},
    )
    assert "临泽县没有名为“民乐县财政局”的单位" in response.content.decode()
    assert Cadre.objects.count() == 1

    assert client.get(reverse("register:cadre_lrmx", args=[b_cadre.pk])).status_code == 404
    assert client.get(reverse("register:cadre_form_pdf", args=[b_cadre.pk])).status_code == 404
    rows = excel.sheet_rows(client.get(reverse("register:roster_export")).content, "干部名册")
    assert rows[1:] == []


def test_lrmx_upload_creates_the_cadre_with_history_and_family(client, login, officer, town):
    login(officer)
    response = client.post(
        reverse("register:lrmx_import"), {"file": upload("马志强.lrmx", SAMPLE), "unit": town.pk}, follow=True
    )
    cadre = Cadre.objects.get(id_number="620723197804151235")
    assert response.redirect_chain[-1][0] == reverse("register:cadre_detail", args=[cadre.pk])
    page = response.content.decode()
    assert "新增干部“马志强”：简历 7 段，年度考核 3 年，奖惩 2 项，家庭成员 5 人。" in page
    assert cadre.unit == town
    assert cadre.current_title == "临泽县沙河镇党委副书记、镇长"
    assert PostHolding.objects.filter(cadre=cadre).count() == 7
    assert FamilyMember.objects.filter(cadre=cadre).count() == 5


def test_xxe_upload_is_refused_in_chinese_and_saves_nothing(client, login, officer):
    login(officer)
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE Person [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<Person><XingMing>&x;</XingMing></Person>"
    )
    response = client.post(reverse("register:lrmx_import"), {"file": upload("x.lrmx", xxe)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "为防范外部实体攻击，拒绝导入" in page
    assert "root:" not in page
    assert Cadre.objects.count() == 0 and Entry.objects.count() == 0


def test_form_pdf_is_two_pages_inline_for_a_visible_cadre_and_404_for_another_county(
    client, login, counties, town
):
    mine = factories.make_cadre(counties.a, "张三", unit=town, current_title="党委副书记")
    theirs = factories.make_cadre(counties.b, "李四")
    login(factories.make_user("inspection_team", jurisdiction=counties.a))
    response = client.get(reverse("register:cadre_form_pdf", args=[mine.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert response.content.startswith(b"%PDF")
    assert pdf_pages(response.content) == 2
    assert client.get(reverse("register:cadre_form_pdf", args=[theirs.pk])).status_code == 404


def test_exports_mask_id_numbers_for_roles_that_may_not_see_them(client, login, counties, town):
    cadre = factories.make_cadre(counties.a, "张三", unit=town)
    login(factories.make_user("committee_member", jurisdiction=counties.a))
    rows = excel.sheet_rows(client.get(reverse("register:roster_export")).content, "干部名册")
    id_column = rows[0].index("公民身份号码")
    assert rows[1][id_column] == idnumber.mask(cadre.id_number)
    form = lrmx.parse_lrmx(client.get(reverse("register:cadre_lrmx", args=[cadre.pk])).content)
    assert form.id_number == idnumber.mask(cadre.id_number)

    client.logout()
    login(factories.make_user("discipline", jurisdiction=counties.a))
    rows = excel.sheet_rows(client.get(reverse("register:roster_export")).content, "干部名册")
    assert rows[1][id_column] == cadre.id_number


def test_roster_export_follows_the_list_filters(client, login, officer, town, counties):
    factories.make_cadre(counties.a, "张三", unit=town)
    factories.make_cadre(counties.a, "李四", unit=town)
    login(officer)
    response = client.get(reverse("register:roster_export"), {"q": "ls"})
    assert response["Content-Disposition"].startswith("attachment;")
    rows = excel.sheet_rows(response.content, "干部名册")
    assert [r[1] for r in rows[1:]] == ["李四"]


def test_lrmx_export_downloads_a_file_named_for_the_cadre(client, login, officer, town, counties):
    cadre = factories.make_cadre(counties.a, "王五", unit=town)
    login(officer)
    response = client.get(reverse("register:cadre_lrmx", args=[cadre.pk]))
    assert response.status_code == 200
    assert "filename*=utf-8''%E7%8E%8B%E4%BA%94.lrmx" in response["Content-Disposition"]
    person = lrmx.parse_lrmx(response.content)
    assert (person.name, person.id_number, person.age_computed_on) == ("王五", cadre.id_number, date.today())
    wb_bytes = client.get(reverse("register:roster_template")).content
    assert io.BytesIO(wb_bytes).read(4) == b"PK\x03\x04"
