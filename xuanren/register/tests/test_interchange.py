"""Cadre ⇄ appointment form (LRMX): reading the official file, writing it back, importing it."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from xuanren.record.models import Entry
from xuanren.register import actions, interchange, lrmx
from xuanren.register.choices import AssessmentResult, Degree, Education, PoliticalStatus, Rank
from xuanren.register.models import (
    AnnualAssessment,
    Cadre,
    FamilyMember,
    PostHolding,
    RewardSanction,
)
from xuanren.register.selectors import cadre_detail_queryset
from xuanren.testing import factories

TODAY = date(2026, 11, 20)
SAMPLE_BYTES = (Path(__file__).parent / "data" / "sample.lrmx").read_bytes()
SAMPLE_ID = "620723197804151235"


def sample_with(replace: dict[str, str | None] | None = None, extra: str = "") -> bytes:
    """The sample file with elements replaced (None: removed) and extra XML before </Person>."""
    text = SAMPLE_BYTES.decode()
    for tag, value in (replace or {}).items():
        pattern = re.compile(rf"\s*<{tag}>.*?</{tag}>", re.S)
        assert pattern.search(text), tag
        text = pattern.sub("" if value is None else f"\n  <{tag}>{value}</{tag}>", text, count=1)
    return text.replace("</Person>", extra + "</Person>").encode()


# --------------------------------------------------------------------------- pure mapping


def test_the_sample_form_reads_as_register_values():
    rec = interchange.person_to_record(lrmx.parse_lrmx(SAMPLE_BYTES), today=TODAY)
    assert rec.problems == []
    f = rec.fields
    assert (f["name"], f["gender"], f["id_number"]) == ("马志强", "M", SAMPLE_ID)
    assert f["fulltime_education"] == Education.BACHELOR and f["fulltime_degree"] == Degree.BACHELOR
    assert f["inservice_education"] == Education.MASTER
    assert f["party_join_date"] == date(2001, 6, 1) and f["political_status"] == PoliticalStatus.CPC
    assert len(rec.periods) == 7
    fourth = rec.periods[3]
    assert (fourth.start, fourth.end, fourth.text) == (
        date(2006, 8, 1),
        date(2011, 9, 1),
        "临泽县平川乡党委委员、副乡长",
    )
    assert fourth.note.startswith("（其间：2008.09--2011.07")
    assert rec.periods[-1].end is None
    assert rec.assessments == {
        2021: AssessmentResult.COMPETENT,
        2022: AssessmentResult.COMPETENT,
        2023: AssessmentResult.EXCELLENT,
    }
    assert [(r.kind, r.decided_on) for r in rec.rewards] == [
        ("reward", date(2014, 1, 1)),
        ("reward", date(2019, 1, 1)),
    ]
    assert [m.relation for m in rec.family] == [
        "妻子",
        "儿子",
        "父亲",
        "母亲",
        "岳父",
    ]  # the blank row is dropped
    assert "全日制教育学历“大学”按“大学本科”登记" in rec.warnings
    assert rec.photo is not None and rec.photo.startswith(b"\xff\xd8")


@pytest.mark.parametrize(
    "text",
    [
        "2021年度、2022年度考核均为称职，2023年度考核为优秀。",
        "2023年度考核为基本称职。",
        "2019年度考核为优秀，2020年度、2021年度考核均为称职，2022年度考核为不定等次。",
    ],
)
def test_assessment_wording_reads_back_to_the_same_text(text):
    assert interchange.assessment_text(interchange.parse_assessments(text)) == text


def test_assessment_text_with_ranges_and_institution_wording():
    assert interchange.parse_assessments("2020—2022年考核均为合格；2023年度基本合格") == {
        2020: AssessmentResult.COMPETENT,
        2021: AssessmentResult.COMPETENT,
        2022: AssessmentResult.COMPETENT,
        2023: AssessmentResult.BASIC,
    }
    assert interchange.parse_assessments("近三年考核均为称职") == {}


def test_rewards_and_sanctions_are_dated_items_that_read_back_the_same():
    text = "2014年被中共张掖市委评为“优秀共产党员”；\n2019.06 党内警告处分（县纪委），影响期至2020.06.15；\n2021年3月受到诫勉。"
    items, undated = interchange.parse_rewards(text + "\n多次受到表彰")
    assert undated == ["多次受到表彰"]
    assert [(i.kind, i.decided_on, i.period_end) for i in items] == [
        ("reward", date(2014, 1, 1), None),
        ("sanction", date(2019, 6, 1), date(2020, 6, 15)),
        ("admonishment", date(2021, 3, 1), None),
    ]
    assert (
        interchange.rewards_text(
            [
                RewardSanction(
                    kind=i.kind, description=i.description, decided_on=i.decided_on, period_end=i.period_end
                )
                for i in items
            ]
        )
        == text
    )
    line = interchange.reward_line("reward", "嘉奖", date(2019, 6, 3), None, "临泽县人民政府")
    assert line == "2019.06 嘉奖（临泽县人民政府）"


# --------------------------------------------------------------------------- through the database


@pytest.fixture
def officer(counties: factories.Counties) -> Any:
    return factories.make_user("cadre_officer", jurisdiction=counties.a, display_name="陈静")


def import_bytes(officer: Any, content: bytes, **kwargs: Any) -> actions.ImportResult:
    return actions.import_lrmx_person(
        acting_user=officer,
        jurisdiction=officer.jurisdiction,
        file_name="表.lrmx",
        content=content,
        today=TODAY,
        **kwargs,
    )


def loaded(pk: int, user: Any) -> Cadre:
    return cadre_detail_queryset(user).get(pk=pk)


@pytest.mark.django_db
def test_importing_the_sample_creates_the_cadre_with_history_and_family(officer):
    result = import_bytes(officer, SAMPLE_BYTES)
    assert result.created
    cadre = Cadre.objects.get(id_number=SAMPLE_ID)
    assert (cadre.name, cadre.name_initials, cadre.birth_date) == ("马志强", "mzq", date(1978, 4, 15))
    assert cadre.post_since == date(2020, 12, 1)
    assert PostHolding.objects.filter(cadre=cadre).count() == 7
    assert PostHolding.objects.get(cadre=cadre, start=date(2006, 8, 1)).note.startswith("（其间：")
    assert FamilyMember.objects.filter(cadre=cadre).count() == 5
    assert AnnualAssessment.objects.filter(cadre=cadre).count() == 3
    assert RewardSanction.objects.filter(cadre=cadre).count() == 2
    assert bytes(cadre.photo).startswith(b"\xff\xd8")


@pytest.mark.django_db
def test_export_then_import_gives_back_the_same_person(officer, counties):
    unit = factories.make_unit(counties.a, "沙河镇")
    post = factories.make_post(unit, "党委副书记", Rank.FUKE)
    cadre = factories.make_cadre(
        counties.a,
        "欧阳明",
        unit=unit,
        current_title="党委副书记",
        party_join_date=date(2006, 6, 18),
        native_place="甘肃临泽",
        specialty="农村经济",
        fulltime_degree=Degree.BACHELOR,
        fulltime_school="兰州大学经济学专业",
        inservice_education=Education.MASTER,
        inservice_school="中央党校经济学专业",
        professional_title="经济师",
        photo=b"\xff\xd8\xff\xe0fake-jpeg",
    )
    PostHolding.objects.create(
        cadre=cadre,
        organization="兰州大学",
        title="经济学专业学习",
        start=date(2003, 9, 1),
        end=date(2007, 7, 1),
    )
    PostHolding.objects.create(
        cadre=cadre,
        organization="平川镇",
        title="党政办科员",
        start=date(2007, 7, 1),
        end=date(2021, 3, 1),
        note="（其间：2012.09--2015.07 在中央党校学习）\n2016.01--2016.12 挂职",
    )
    factories.hold(cadre, post, date(2021, 3, 1))
    AnnualAssessment.objects.create(cadre=cadre, year=2022, result=AssessmentResult.COMPETENT)
    AnnualAssessment.objects.create(cadre=cadre, year=2023, result=AssessmentResult.EXCELLENT)
    RewardSanction.objects.create(
        cadre=cadre,
        kind="reward",
        description="嘉奖",
        authority="临泽县人民政府",
        decided_on=date(2019, 6, 3),
    )
    RewardSanction.objects.create(
        cadre=cadre,
        kind="sanction",
        description="党内警告处分",
        decided_on=date(2016, 2, 1),
        period_end=date(2017, 2, 1),
    )
    FamilyMember.objects.create(
        cadre=cadre,
        relation="妻子",
        name="李芳",
        birth_date=date(1987, 2, 1),
        political_status="群众",
        work_unit_post="临泽县第一中学教师",
    )

    first = interchange.cadre_to_person(loaded(cadre.pk, officer), today=TODAY, filled_by="陈静")
    exported = lrmx.write_lrmx(first)
    assert lrmx.parse_lrmx(exported) == first  # the file says what the person says

    # Into an empty register: the same person comes back.
    Cadre.objects.filter(pk=cadre.pk).delete()
    result = import_bytes(officer, exported, unit=unit)
    assert result.created
    again = interchange.cadre_to_person(loaded(result.cadre.pk, officer), today=TODAY, filled_by="陈静")
    assert again == first
    assert lrmx.write_lrmx(again) == exported

    # And importing it over itself changes nothing and adds nothing.
    second = import_bytes(officer, exported, unit=unit)
    assert not second.created and second.cadre.pk == result.cadre.pk
    third = interchange.cadre_to_person(loaded(result.cadre.pk, officer), today=TODAY, filled_by="陈静")
    assert lrmx.write_lrmx(third) == exported
    assert PostHolding.objects.filter(cadre_id=result.cadre.pk).count() == 3


@pytest.mark.django_db
def test_an_update_keeps_what_the_form_cannot_say(officer, counties):
    unit = factories.make_unit(counties.a, "沙河镇")
    post = factories.make_post(unit, "镇长", Rank.ZHENGKE)
    cadre = factories.make_cadre(
        counties.a,
        "马志强",
        unit=unit,
        birth=date(1978, 4, 15),
        id_number=SAMPLE_ID,
        party_join_date=date(2001, 6, 21),
        political_status=PoliticalStatus.CPC_PROBATIONARY,
        current_rank=Rank.ZHENGKE,
    )
    factories.hold(cadre, post, date(2020, 12, 1))  # the post's occupancy: same period as the file's last
    linked = factories.hold(cadre, factories.make_post(unit, "人大主席", Rank.ZHENGKE), date(2019, 1, 1))
    result = import_bytes(officer, SAMPLE_BYTES)
    assert not result.created
    cadre.refresh_from_db()
    assert cadre.party_join_date == date(2001, 6, 21)  # the form knows only 2001.06
    assert cadre.political_status == PoliticalStatus.CPC_PROBATIONARY
    assert cadre.current_rank == Rank.ZHENGKE and cadre.unit == unit
    current = PostHolding.objects.get(cadre=cadre, end__isnull=True, post=post)
    assert current.start == date(2020, 12, 1)
    assert PostHolding.objects.filter(pk=linked.pk).exists()
    assert any("与职位关联，简历中没有，已保留" in w for w in result.warnings)
    assert PostHolding.objects.filter(cadre=cadre).count() == 8


@pytest.mark.django_db
def test_missing_elements_read_as_empty_and_are_reported(officer):
    content = sample_with(
        {"JianLi": None, "JiaTingChengYuan": None, "NianDuKaoHeJieGuo": None, "ZhaoPian": None}
    )
    result = import_bytes(officer, content)
    assert "缺少元素 <JianLi>，按空值处理" in result.warnings
    assert "缺少元素 <JiaTingChengYuan>，按空值处理" in result.warnings
    cadre = result.cadre
    assert cadre is not None and cadre.name == "马志强"
    assert PostHolding.objects.filter(cadre=cadre).count() == 0
    assert FamilyMember.objects.filter(cadre=cadre).count() == 0


@pytest.mark.django_db
def test_extra_elements_are_skipped_and_reported(officer):
    content = sample_with(extra="  <BeiZhu>内部备注</BeiZhu>\n  <XingMing2>x</XingMing2>\n")
    result = import_bytes(officer, content)
    assert "忽略未知元素 <BeiZhu>" in result.warnings
    assert result.cadre is not None and result.cadre.name == "马志强"


@pytest.mark.django_db
def test_a_form_without_what_the_register_needs_is_refused_with_every_problem(officer):
    content = sample_with({"ShenFenZheng": None, "CanJiaGongZuoShiJian": "", "XingBie": "未知"})
    with pytest.raises(actions.RegisterError) as caught:
        import_bytes(officer, content)
    assert caught.value.errors == [
        "「身份证号」不能为空：名册以公民身份号码识别干部",
        "「性别」应为“男”或“女”，实际为“未知”",
        "「参加工作时间」不能为空",
    ]
    assert Cadre.objects.count() == 0 and Entry.objects.count() == 0


@pytest.mark.django_db
def test_an_id_number_that_disagrees_with_the_birth_month_is_refused(officer):
    with pytest.raises(actions.RegisterError) as caught:
        import_bytes(officer, sample_with({"ChuShengNianYue": "197805"}))
    assert caught.value.errors == ["「出生日期」1978.05 与公民身份号码中的出生日期 1978.04.15 不符"]


@pytest.mark.django_db
def test_external_entities_are_refused_in_chinese_and_nothing_is_saved(officer):
    xxe = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<!DOCTYPE Person [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        b"<Person><XingMing>&xxe;</XingMing><ShenFenZheng>" + SAMPLE_ID.encode() + b"</ShenFenZheng></Person>"
    )
    with pytest.raises(actions.RegisterError) as caught:
        import_bytes(officer, xxe)
    assert "拒绝导入" in caught.value.message and "DTD" in caught.value.message
    assert Cadre.objects.count() == 0 and Entry.objects.count() == 0


@pytest.mark.django_db
def test_broken_and_oversized_files_are_refused(officer):
    with pytest.raises(actions.RegisterError, match="XML 格式错误"):
        import_bytes(officer, SAMPLE_BYTES[:-30])
    with pytest.raises(actions.RegisterError, match="文件过大"):
        import_bytes(officer, b" " * (lrmx.MAX_LRMX_BYTES + 1))


@pytest.mark.django_db
def test_a_cadre_of_another_county_is_not_updated_from_here(officer, counties):
    factories.make_cadre(counties.b, "马志强", birth=date(1978, 4, 15), id_number=SAMPLE_ID)
    with pytest.raises(actions.RegisterError, match="由其他辖区管理"):
        import_bytes(officer, SAMPLE_BYTES)
    assert Entry.objects.count() == 0
