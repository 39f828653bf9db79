"""Excel roster and posts: every error by row and column, all-or-nothing imports, round trips."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from xuanren.record.models import Entry
from xuanren.register import actions, excel, idnumber
from xuanren.register.choices import PostRole, Rank
from xuanren.register.models import Cadre, HeadcountQuota, Post, Unit
from xuanren.testing import factories

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)
ROSTER_HEADERS = [c.header for c in excel.ROSTER_COLUMNS]


def workbook(sheets: dict[str, tuple[list[str], list[dict[str, Any]]]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for title, (headers, rows) in sheets.items():
        ws = wb.create_sheet(title)
        ws.append(headers)
        for row in rows:
            ws.append([row.get(h) for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def roster(rows: list[dict[str, Any]], headers: list[str] = ROSTER_HEADERS) -> bytes:
    return workbook({"干部名册": (headers, rows)})


def person(seq: int, **cells: Any) -> dict[str, Any]:
    """A valid roster row; ``seq`` makes the ID number unique (odd: male)."""
    birth = date(1980 + seq % 15, 1 + seq % 12, 1 + seq % 27)
    row = {
        "姓名": "王建国",
        "性别": "男" if seq % 2 else "女",
        "民族": "汉族",
        "出生日期": f"{birth:%Y.%m.%d}",
        "公民身份号码": idnumber.make_id("620723", birth, seq),
        "政治面貌": "中共党员",
        "入党时间": f"{birth.year + 22}.06",
        "参加工作时间": f"{birth.year + 23}.07",
        "全日制学历": "大学本科",
        "全日制学位": "学士",
        "工作单位": "沙河镇",
        "现任职务": "党委委员",
        "现职级": "副科级",
    }
    row.update(cells)
    return row


@pytest.fixture
def officer(counties: factories.Counties) -> Any:
    return factories.make_user("cadre_officer", jurisdiction=counties.a)


@pytest.fixture
def town(counties: factories.Counties) -> Unit:
    return factories.make_unit(counties.a, "沙河镇")


def run_roster(officer: Any, content: bytes, name: str = "名册.xlsx") -> actions.ImportResult:
    return actions.import_roster(
        acting_user=officer, jurisdiction=officer.jurisdiction, file_name=name, content=content, today=TODAY
    )


def refusal(officer: Any, content: bytes) -> list[str]:
    with pytest.raises(actions.RegisterError) as caught:
        run_roster(officer, content)
    return [str(e) for e in caught.value.errors]


def test_every_bad_row_is_listed_by_row_and_column_and_nothing_is_saved(officer, town):
    bad_check = idnumber.make_id("620723", date(1984, 5, 6), 33)
    wrong = "0" if bad_check[-1] != "0" else "1"
    content = roster(
        [
            person(1),  # row 2: fine
            person(3, 公民身份号码=bad_check[:-1] + wrong, 出生日期="1984.05.06"),  # row 3
            person(5, 工作单位="不存在局"),  # row 4
            person(7, 政治面貌="党外人士"),  # row 5
            person(9, 参加工作时间="2005.13"),  # row 6
            person(11, 姓名=None),  # row 7
            person(13),  # row 8: fine
        ]
    )
    errors = refusal(officer, content)
    assert errors == [
        f"「干部名册」表第 3 行「公民身份号码」：校验位错误，应为 {bad_check[-1]}",
        "「干部名册」表第 4 行「工作单位」：临泽县没有名为“不存在局”的单位，请先导入职位表",
        "「干部名册」表第 5 行「政治面貌」：“党外人士”不是可选值，应为中共党员、中共预备党员、共青团员、民主党派、群众之一",
        "「干部名册」表第 6 行「参加工作时间」：日期“2005.13”不存在",
        "「干部名册」表第 7 行「姓名」：必须填写",
    ]
    assert Cadre.objects.count() == 0
    assert Entry.objects.count() == 0


def test_duplicate_id_numbers_within_the_file_and_against_the_register(officer, town, counties):
    registered = factories.make_cadre(counties.b, "李四")  # another county: still one person
    twin = person(21)
    content = roster(
        [
            person(
                19,
                公民身份号码=registered.id_number,
                出生日期=None,
                性别="男" if registered.gender == "M" else "女",
            ),
            twin,
            person(23),
            dict(twin),
        ]
    )
    errors = refusal(officer, content)
    assert "「干部名册」表第 2 行「公民身份号码」：已在干部名册中登记，不能重复导入" in errors
    assert "「干部名册」表第 5 行「公民身份号码」：与第 3 行重复" in errors
    assert len(errors) == 2
    assert Cadre.objects.count() == 1


def test_id_number_must_agree_with_birth_date_and_gender(officer, town):
    errors = refusal(officer, roster([person(1, 出生日期="1970.01.01"), person(3, 性别="女")]))
    assert errors[0].startswith("「干部名册」表第 2 行「出生日期」：1970.01.01 与公民身份号码中的出生日期")
    assert errors[1] == "「干部名册」表第 3 行「性别」：与公民身份号码不符（号码第 17 位表示男性）"


def test_party_members_need_a_join_date(officer, town):
    errors = refusal(officer, roster([person(1, 入党时间=None)]))
    assert errors == ["「干部名册」表第 2 行「入党时间」：政治面貌为中共党员的必须填写入党时间"]


def test_excel_dates_and_the_usual_text_forms_are_accepted(officer, town):
    rows = [
        person(1, 入党时间=datetime(2003, 6, 18), 参加工作时间="2004-07-01"),
        person(3, 入党时间="2003.6", 参加工作时间=200407, 任现职时间="2021年3月", 任现职级时间=20190315),
        person(5, 出生日期=None, 入党时间="2003/06/18", 参加工作时间="2004.07"),
    ]
    result = run_roster(officer, roster(rows))
    assert result.counts == {"rows": 3, "created": 3}
    first, second, third = Cadre.objects.order_by("id")
    assert first.party_join_date == date(2003, 6, 18)
    assert first.work_start_date == date(2004, 7, 1)
    assert second.party_join_date == date(2003, 6, 1)
    assert (second.post_since, second.rank_since) == (date(2021, 3, 1), date(2019, 3, 15))
    assert third.birth_date == idnumber.parse(third.id_number).birth_date
    assert first.name_initials == "wjg" and first.name_pinyin == "wangjianguo"
    assert first.unit == town


def test_a_number_that_cannot_tell_january_from_october_is_refused(officer, town):
    errors = refusal(officer, roster([person(1, 入党时间=2003.1)]))
    assert errors == [
        "「干部名册」表第 2 行「入党时间」：数值 2003.1 无法区分 1 月和 10 月，"
        "请将单元格设为文本格式后填写，如 1985.01 或 1985.10"
    ]


def test_an_id_number_stored_as_a_number_is_refused(officer, town):
    errors = refusal(officer, roster([person(1, 公民身份号码=620723198502021234)]))
    assert "号码被 Excel 存成了数字" in errors[0]


def test_dates_in_the_future_and_free_text_dates_are_refused(officer, town):
    errors = refusal(officer, roster([person(1, 参加工作时间="2030.01"), person(3, 入党时间="零三年六月")]))
    assert errors == [
        "「干部名册」表第 2 行「参加工作时间」：日期“2030.01”晚于今天",
        "「干部名册」表第 3 行「入党时间」：无法识别的日期“零三年六月”，应为 yyyy.mm.dd、yyyy-mm-dd 或 yyyy.mm",
    ]


def test_a_missing_required_column_is_reported_once(officer, town):
    headers = [h for h in ROSTER_HEADERS if h not in ("姓名", "性别")]
    errors = refusal(officer, roster([person(1)], headers))
    assert errors == ["「干部名册」表第 1 行：缺少必填列：「姓名」、「性别」"]


def test_files_that_are_not_xlsx_or_too_large_are_refused(officer):
    with pytest.raises(actions.RegisterError, match=r"只能导入 \.xlsx 格式"):
        actions.import_roster(
            acting_user=officer,
            jurisdiction=officer.jurisdiction,
            file_name="名册.xls",
            content=b"x",
            today=TODAY,
        )
    with pytest.raises(actions.RegisterError, match=r"不是 \.xlsx 格式"):
        run_roster(officer, b"name,id\n")
    with pytest.raises(actions.RegisterError, match="不能超过 20 MiB"):
        run_roster(officer, b"PK\x03\x04" + b"\0" * excel.MAX_XLSX_BYTES)


def test_the_template_has_instructions_dropdowns_and_an_example_row_that_is_not_imported(officer, town):
    content = excel.roster_template(["沙河镇"])
    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames == ["干部名册", "填写说明", "选项"]
    sheet = wb["干部名册"]
    assert [c.value for c in sheet[1]] == ROSTER_HEADERS
    assert sheet["A2"].value == "示例"
    validated = {str(dv.sqref).split(":")[0][0]: dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert validated["C"].startswith("'选项'!")  # 性别
    options = wb["选项"]
    assert options.sheet_state == "hidden"
    gender_column = validated["C"].split("!")[1].split(":")[0].replace("$", "")[0]
    assert [options[f"{gender_column}{r}"].value for r in (2, 3)] == ["男", "女"]
    assert "公民身份号码" in [c.value for c in wb["填写说明"]["A"]]

    with pytest.raises(actions.RegisterError) as caught:
        run_roster(officer, content)
    assert [str(e) for e in caught.value.errors] == ["「干部名册」表：没有可导入的数据行"]

    wb["干部名册"].append([person(1).get(h) for h in ROSTER_HEADERS])
    out = io.BytesIO()
    wb.save(out)
    assert run_roster(officer, out.getvalue()).counts["created"] == 1


def test_a_good_import_exports_back_the_same_cells(officer, town):
    rows = [
        person(1, 入党时间="2003.06.18", 籍贯="甘肃临泽", 熟悉专业有何专长="农村经济"),
        person(4, 政治面貌="群众", 入党时间=None, 全日制学位=None, 现职级=None, 工作单位=None),
        person(7, 民族="回族", 健康状况="一般", 在职学历="硕士研究生", 在职学位="硕士", 任现职时间="2022.03"),
    ]
    run_roster(officer, roster(rows))
    cadres = Cadre.objects.select_related("unit").order_by("id")
    exported = excel.sheet_rows(excel.roster_workbook(cadres, mask_ids=False), "干部名册")
    assert exported[0] == ROSTER_HEADERS
    for number, (source, line) in enumerate(zip(rows, exported[1:], strict=True), start=1):
        cells = dict(zip(ROSTER_HEADERS, line, strict=True))
        assert cells["序号"] == str(number)
        for header in ROSTER_HEADERS[1:]:
            expected = source.get(header) or ""
            if header == "健康状况" and not expected:
                expected = "健康"
            assert (cells[header] or "") == expected, header

    masked = excel.sheet_rows(excel.roster_workbook(cadres, mask_ids=True), "干部名册")
    assert masked[1][ROSTER_HEADERS.index("公民身份号码")] == idnumber.mask(rows[0]["公民身份号码"])


# --------------------------------------------------------------------------- posts

UNIT_HEADERS = [c.header for c in excel.UNIT_COLUMNS]
POST_HEADERS = [c.header for c in excel.POST_COLUMNS if not c.export_only]


def posts_file(units: list[dict[str, Any]], posts: list[dict[str, Any]]) -> bytes:
    return workbook({"单位及职数": (UNIT_HEADERS, units), "职位": (POST_HEADERS, posts)})


def run_posts(officer: Any, content: bytes) -> actions.ImportResult:
    return actions.import_posts(
        acting_user=officer,
        jurisdiction=officer.jurisdiction,
        file_name="职位.xlsx",
        content=content,
        today=TODAY,
    )


def test_posts_import_creates_units_headcount_and_posts(officer, town):
    content = posts_file(
        [
            {"单位名称": "沙河镇", "单位类型": "乡镇（街道）", "正科级职数": 2, "副科级职数": "6"},
            {"单位名称": "县农业农村局", "单位类型": "县政府工作部门", "正科级职数": 1, "副科级职数": 3},
            {"单位名称": "县农技中心", "单位类型": "事业单位", "上级单位": "县农业农村局", "副科级职数": 1},
        ],
        [
            {"单位名称": "沙河镇", "职务名称": "党委书记", "职级": "正科级", "职务类别": "党委（党组）正职"},
            {"单位名称": "沙河镇", "职务名称": "镇长", "职级": "正科", "职务类别": "行政正职"},
            {"单位名称": "县农业农村局", "职务名称": "副局长", "职级": "副科级"},
        ],
    )
    result = run_posts(officer, content)
    assert result.counts == {
        "units_created": 2,
        "units_updated": 1,
        "quotas": 5,
        "posts_created": 3,
        "posts_updated": 0,
    }
    centre = Unit.objects.get(name="县农技中心")
    assert centre.parent is not None and centre.parent.name == "县农业农村局"
    assert dict(HeadcountQuota.objects.filter(unit=town).values_list("rank", "approved")) == {
        Rank.ZHENGKE: 2,
        Rank.FUKE: 6,
    }
    mayor = Post.objects.get(unit=town, title="镇长")
    assert (mayor.rank, mayor.role) == (Rank.ZHENGKE, PostRole.GOV_HEAD)
    assert Post.objects.get(title="副局长").role == PostRole.DEPUTY

    # Importing the export again changes nothing but is accepted: units and posts match by name.
    exported = io_export(officer)
    again = run_posts(officer, exported)
    assert again.counts["units_created"] == 0 and again.counts["posts_created"] == 0
    assert again.counts["posts_updated"] == 3
    assert Post.objects.count() == 3 and HeadcountQuota.objects.count() == 5


def io_export(officer: Any) -> bytes:
    units = Unit.objects.filter(jurisdiction=officer.jurisdiction).select_related("parent")
    quotas: dict[int, dict[str, int]] = {}
    for q in HeadcountQuota.objects.all():
        quotas.setdefault(q.unit_id, {})[q.rank] = q.approved
    return excel.posts_workbook(
        [
            excel.UnitLine(u.name, u.unit_type, u.parent.name if u.parent else "", quotas.get(u.pk, {}))
            for u in units
        ],
        [excel.PostLine(p.unit.name, p.title, p.rank, p.role) for p in Post.objects.select_related("unit")],
    )


def test_posts_errors_name_the_sheet_row_and_column_and_nothing_is_saved(officer, town):
    content = posts_file(
        [
            {"单位名称": "县财政局", "单位类型": "县政府工作部门", "副科级职数": "两"},
            {"单位名称": "县审计局", "单位类型": "政府部门", "上级单位": "县纪委"},
            {"单位名称": "县财政局", "单位类型": "县政府工作部门"},
            {"单位名称": "甲", "单位类型": "事业单位", "上级单位": "乙"},
            {"单位名称": "乙", "单位类型": "事业单位", "上级单位": "甲"},
        ],
        [
            {"单位名称": "县统计局", "职务名称": "局长", "职级": "正科级"},
            {"单位名称": "沙河镇", "职务名称": "镇长", "职级": "处级"},
            {"单位名称": "沙河镇", "职务名称": "副镇长", "职级": "副科级"},
            {"单位名称": "沙河镇", "职务名称": "副镇长", "职级": "副科级"},
        ],
    )
    with pytest.raises(actions.RegisterError) as caught:
        run_posts(officer, content)
    assert [str(e) for e in caught.value.errors] == [
        "「单位及职数」表第 2 行「副科级职数」：“两”不是非负整数",
        "「单位及职数」表第 3 行「单位类型」：“政府部门”不是可选值，应为乡镇（街道）、县委工作部门、县政府工作部门、"
        "人大、政协机关、法院、检察院、群团组织、事业单位、国有企业之一",
        "「单位及职数」表第 3 行「上级单位」：没有名为“县纪委”的单位",
        "「单位及职数」表第 4 行「单位名称」：与第 2 行的单位重复",
        "「单位及职数」表第 5 行「上级单位」：上级单位关系形成了循环",
        "「单位及职数」表第 6 行「上级单位」：上级单位关系形成了循环",
        "「职位」表第 2 行「单位名称」：没有名为“县统计局”的单位，请在「单位及职数」表中添加",
        "「职位」表第 3 行「职级」：“处级”不是可选值，应为正厅级、副厅级、正处级、副处级、正科级、副科级、科员之一",
        "「职位」表第 5 行「职务名称」：与第 4 行的职位重复",
    ]
    assert Unit.objects.count() == 1 and Post.objects.count() == 0 and Entry.objects.count() == 0


def test_posts_template_reads_as_empty(officer):
    units, posts = excel.read_posts(excel.posts_template(), today=TODAY)
    assert units.rows == [] and posts.rows == []
    assert [str(e) for e in posts.errors] == ["没有可导入的数据行"]
