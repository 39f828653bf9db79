"""Register actions: each change is checked, applied and recorded in exactly one record entry."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from xuanren.record.models import Entry
from xuanren.register import actions, excel, idnumber
from xuanren.register.choices import Gender, PoliticalStatus
from xuanren.register.models import Cadre
from xuanren.testing import factories

from .test_excel import person, posts_file, roster

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)
SAMPLE = Path(__file__).parent / "data" / "sample.lrmx"
_GOOD = idnumber.make_id("620723", date(1986, 3, 9), 7)
BAD_CHECK = _GOOD[:-1] + ("1" if _GOOD[-1] == "0" else "0")


@pytest.fixture
def officer(counties: factories.Counties) -> Any:
    return factories.make_user("cadre_officer", jurisdiction=counties.a)


def new_cadre_values(seq: int = 7, **over: Any) -> dict[str, Any]:
    birth = date(1986, 3, 9)
    values: dict[str, Any] = {
        "name": "曾国华",
        "gender": Gender.MALE,
        "id_number": idnumber.make_id("620723", birth, seq),
        "political_status": PoliticalStatus.CPC,
        "party_join_date": date(2008, 6, 1),
        "work_start_date": date(2009, 7, 1),
    }
    values.update(over)
    return values


def entry_texts() -> str:
    """Everything the record holds, payloads and signed bytes, as one text to search."""
    texts = []
    for entry in Entry.objects.all():
        data = entry.data if isinstance(entry.data, str) else bytes(entry.data).decode()
        texts.append(json.dumps(entry.payload, ensure_ascii=False) + data)
    return " ".join(texts)


def test_create_cadre_derives_pinyin_and_birth_date_and_records_a_masked_id(officer, counties):
    values = new_cadre_values()
    cadre = actions.create_cadre(acting_user=officer, jurisdiction=counties.a, values=values)
    assert (cadre.name_pinyin, cadre.name_initials) == ("zengguohua", "zgh")  # 曾 as a surname
    assert cadre.birth_date == date(1986, 3, 9)
    [entry] = Entry.objects.all()
    assert entry.action == "register.create_cadre"
    assert entry.jurisdiction_code == counties.a.code
    assert entry.payload["id_number"] == idnumber.mask(values["id_number"])
    assert values["id_number"] not in entry_texts()


def test_update_cadre_keeps_the_search_keys_in_sync_and_records_what_changed(officer, counties):
    cadre = factories.make_cadre(counties.a, "张三")
    updated = actions.update_cadre(
        cadre, acting_user=officer, changes={"name": "单雄信", "specialty": "财务"}
    )
    assert (updated.name_pinyin, updated.name_initials) == ("shanxiongxin", "sxx")
    assert Cadre.objects.get(pk=cadre.pk).name_initials == "sxx"
    [entry] = Entry.objects.all()
    assert entry.action == "register.update_cadre"
    assert entry.payload["changes"] == {"name": "单雄信", "specialty": "财务"}


def test_changing_the_id_number_is_recorded_masked_and_moves_the_birth_date(officer, counties):
    cadre = factories.make_cadre(counties.a, "张三")
    new_number = idnumber.make_id("620723", date(1985, 7, 1), 101)
    updated = actions.update_cadre(cadre, acting_user=officer, changes={"id_number": new_number})
    assert updated.birth_date == date(1985, 7, 1)
    [entry] = Entry.objects.all()
    assert entry.payload["changes"]["id_number"] == idnumber.mask(new_number)
    assert new_number not in entry_texts()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"id_number": BAD_CHECK}, "id_number", "校验位错误"),
        ({"gender": Gender.FEMALE}, "gender", "与公民身份号码不符"),
        ({"party_join_date": None}, "party_join_date", "必须填写入党时间"),
        ({"work_start_date": date(1980, 1, 1)}, "work_start_date", "参加工作时间不能早于出生日期"),
        ({"name": ""}, "name", "姓名"),
    ],
)
def test_refusals_are_register_errors_in_chinese_and_record_nothing(
    officer, counties, values, field, message
):
    with pytest.raises(actions.RegisterError) as caught:
        actions.create_cadre(acting_user=officer, jurisdiction=counties.a, values=new_cadre_values(**values))
    assert caught.value.field == field
    assert message in caught.value.message
    assert Cadre.objects.count() == 0 and Entry.objects.count() == 0


def test_an_id_number_can_be_registered_only_once(officer, counties):
    existing = factories.make_cadre(counties.b, "李四")
    with pytest.raises(actions.RegisterError, match="已在干部名册中登记"):
        actions.create_cadre(
            acting_user=officer,
            jurisdiction=counties.a,
            values=new_cadre_values(id_number=existing.id_number, gender=existing.gender, birth_date=None),
        )


def test_an_update_is_checked_against_the_whole_cadre(officer, counties):
    cadre = factories.make_cadre(counties.a, "张三", political_status=PoliticalStatus.NONE)
    with pytest.raises(actions.RegisterError, match="必须填写入党时间"):
        actions.update_cadre(cadre, acting_user=officer, changes={"political_status": PoliticalStatus.CPC})
    ok = actions.update_cadre(
        cadre,
        acting_user=officer,
        changes={"political_status": PoliticalStatus.CPC, "party_join_date": date(2010, 7, 1)},
    )
    assert ok.political_status == PoliticalStatus.CPC
    assert Entry.objects.count() == 1


def test_another_countys_officer_and_a_reading_role_cannot_write(counties):
    cadre = factories.make_cadre(counties.a, "张三")
    officer_b = factories.make_user("cadre_officer", jurisdiction=counties.b)
    reader_a = factories.make_user("committee_member", jurisdiction=counties.a)
    with pytest.raises(actions.RegisterError, match="不在您的管辖范围内"):
        actions.update_cadre(cadre, acting_user=officer_b, changes={"specialty": "x"})
    with pytest.raises(actions.RegisterError, match="不在您的管辖范围内"):
        actions.create_cadre(acting_user=officer_b, jurisdiction=counties.a, values=new_cadre_values())
    with pytest.raises(actions.RegisterError, match="无权修改干部名册"):
        actions.update_cadre(cadre, acting_user=reader_a, changes={"specialty": "x"})
    with pytest.raises(actions.RegisterError, match="不在您的管辖范围内"):
        actions.import_roster(
            acting_user=officer_b,
            jurisdiction=counties.a,
            file_name="a.xlsx",
            content=roster([person(1)]),
            today=TODAY,
        )
    assert Entry.objects.count() == 0


def test_each_import_writes_exactly_one_entry_without_full_id_numbers(officer, counties):
    factories.make_unit(counties.a, "沙河镇")
    rows = [person(1), person(3), person(5)]
    content = roster(rows)
    actions.import_roster(
        acting_user=officer, jurisdiction=counties.a, file_name="名册.xlsx", content=content, today=TODAY
    )
    assert Entry.objects.count() == 1
    entry = Entry.objects.get()
    assert entry.action == "register.import_roster"
    assert entry.payload["rows"] == 3 and entry.payload["file_name"] == "名册.xlsx"
    import hashlib

    assert entry.payload["sha256"] == hashlib.sha256(content).hexdigest()

    posts = posts_file(
        [{"单位名称": "县财政局", "单位类型": "县政府工作部门", "副科级职数": 2}],
        [{"单位名称": "县财政局", "职务名称": "副局长", "职级": "副科级"}],
    )
    actions.import_posts(
        acting_user=officer, jurisdiction=counties.a, file_name="职位.xlsx", content=posts, today=TODAY
    )
    assert Entry.objects.count() == 2
    assert Entry.objects.last().payload["posts_created"] == 1  # type: ignore[union-attr]

    result = actions.import_lrmx_person(
        acting_user=officer,
        jurisdiction=counties.a,
        file_name="马志强.lrmx",
        content=SAMPLE.read_bytes(),
        today=TODAY,
    )
    assert Entry.objects.count() == 3
    lrmx_entry = Entry.objects.last()
    assert lrmx_entry is not None and lrmx_entry.candidate_id == result.cadre.pk  # type: ignore[union-attr]
    assert lrmx_entry.payload["id_number"] == "620723********1235"

    texts = entry_texts()
    for number in [r["公民身份号码"] for r in rows] + ["620723197804151235"]:
        assert number not in texts


def test_a_refused_import_writes_no_entry(officer, counties):
    with pytest.raises(actions.RegisterError):
        actions.import_roster(
            acting_user=officer,
            jurisdiction=counties.a,
            file_name="名册.xlsx",
            content=roster([person(1, 工作单位="没有这个单位")]),
            today=TODAY,
        )
    assert Entry.objects.count() == 0


def test_roster_import_runs_a_fixed_number_of_queries(officer, counties, django_assert_max_num_queries):
    factories.make_unit(counties.a, "沙河镇")
    small = roster([person(n) for n in range(1, 11, 2)])
    big = roster([person(n) for n in range(1, 401, 2)])

    def run(content: bytes) -> None:
        actions.import_roster(
            acting_user=officer, jurisdiction=counties.a, file_name="a.xlsx", content=content, today=TODAY
        )

    with django_assert_max_num_queries(40) as small_queries:
        run(small)
    Cadre.objects.all().delete()
    with django_assert_max_num_queries(40) as big_queries:
        run(big)
    # 200 rows cost a few more INSERT batches, never a query per row.
    assert len(big_queries.captured_queries) - len(small_queries.captured_queries) <= 8
    assert excel.MAX_ROWS >= 10_000
