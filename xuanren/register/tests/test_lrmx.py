import base64
import codecs
import re
from dataclasses import fields, replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from xuanren.register.lrmx import (
    DEFAULT_VERSION,
    ELEMENT_ORDER,
    FAMILY_ITEM_ORDER,
    FamilyMember,
    LrmxError,
    LrmxPerson,
    ResumePeriod,
    YearMonth,
    format_resume,
    parse_lrmx,
    parse_resume,
    write_lrmx,
)

DATA = Path(__file__).parent / "data"
SAMPLE = (DATA / "sample.lrmx").read_bytes()


def lrmx(body: str, declaration: str = '<?xml version="1.0" encoding="UTF-8"?>') -> bytes:
    return f"{declaration}\n<Person>{body}</Person>".encode()


def error_of(data: bytes, **kwargs: int) -> LrmxError:
    with pytest.raises(LrmxError) as caught:
        parse_lrmx(data, **kwargs)
    return caught.value


# ---------------------------------------------------------------- the hand-written sample


def test_sample_reads_every_field() -> None:
    person = parse_lrmx(SAMPLE)
    assert person.warnings == []
    assert person.name == "马志强"
    assert person.gender == "男"
    assert person.birth == YearMonth(1978, 4)
    assert (person.ethnicity, person.native_place, person.birthplace) == ("汉族", "甘肃临泽", "甘肃临泽")
    assert person.party_joined == YearMonth(2001, 6)
    assert person.party_note == ""
    assert person.work_started == YearMonth(2000, 7)
    assert person.health == "健康"
    assert person.professional_title == "农艺师"
    assert person.expertise == "农村经济管理"
    assert (person.fulltime_education, person.fulltime_degree) == ("大学", "农学学士")
    assert person.fulltime_education_school == "甘肃农业大学农学系农学专业"
    assert person.inservice_education == "省委党校研究生"
    assert person.inservice_degree == ""
    assert person.current_post == "临泽县沙河镇党委副书记、镇长"
    assert person.proposed_post == "临泽县沙河镇党委书记"
    assert person.post_to_leave == "临泽县沙河镇党委副书记、镇长职务"
    assert person.rewards_and_sanctions.splitlines()[1] == "2019年被临泽县人民政府记三等功一次。"
    assert person.annual_assessment.startswith("2021年度")
    assert person.appointment_reason == "工作需要"
    assert person.submitting_unit == "中共临泽县委组织部"
    assert person.age_computed_on == date(2024, 5, 20)
    assert person.filled_on == YearMonth(2024, 5)
    assert person.filled_by == "陈静"
    assert person.id_number == "620723197804151235"
    assert person.photo is not None and person.photo.startswith(b"\xff\xd8\xff")
    assert person.version == "3.2.1.16"
    assert person.age_on(date(2024, 5, 20)) == 46


def test_sample_resume_periods_and_continuation_line() -> None:
    resume = parse_lrmx(SAMPLE).resume
    assert len(resume) == 7
    assert resume[0] == ResumePeriod(YearMonth(1996, 9), YearMonth(2000, 7), "甘肃农业大学农学系农学专业学习")
    assert resume[3].text == (
        "临泽县平川乡党委委员、副乡长\n（其间：2008.09--2011.07 在甘肃省委党校经济管理专业在职研究生班学习）"
    )
    assert resume[-1] == ResumePeriod(YearMonth(2020, 12), None, "临泽县沙河镇党委副书记、镇长")


def test_sample_family_skips_the_blank_padding_item() -> None:
    family = parse_lrmx(SAMPLE).family
    assert [m.relation for m in family] == ["妻子", "儿子", "父亲", "母亲", "岳父"]
    assert family[0] == FamilyMember(
        relation="妻子",
        name="李晓燕",
        birth=YearMonth(1980, 2),
        political_status="中共党员",
        work_unit_and_post="临泽县第一中学教师",
    )
    assert family[1].age_on(date(2024, 5, 20)) == 18


def test_sample_round_trips() -> None:
    person = parse_lrmx(SAMPLE)
    again = parse_lrmx(write_lrmx(person))
    assert again == person
    assert again.warnings == []


# ---------------------------------------------------------------- writing


def test_written_file_is_utf8_with_declaration_and_official_order() -> None:
    data = write_lrmx(parse_lrmx(SAMPLE))
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<Person>')
    text = data.decode("utf-8")
    top_level = re.findall(r"^  <(\w+)[ />]", text, flags=re.MULTILINE)
    assert tuple(top_level) == ELEMENT_ORDER
    first_item = text[text.index("<Item>") : text.index("</Item>")]
    assert tuple(re.findall(r"<(\w+)>", first_item)[1:]) == FAMILY_ITEM_ORDER


def test_empty_elements_are_written_open_and_closed() -> None:
    text = write_lrmx(LrmxPerson(name="张三")).decode()
    assert "<MinZu></MinZu>" in text
    assert "/>" not in text


def test_dates_are_written_compact() -> None:
    person = LrmxPerson(
        birth=YearMonth(1978, 4),
        work_started=YearMonth(2000, 7),
        age_computed_on=date(2024, 5, 20),
        filled_on=YearMonth(2024, 5),
        party_joined=YearMonth(2001, 6),
        party_note="九三学社",
    )
    text = write_lrmx(person).decode()
    assert "<ChuShengNianYue>197804</ChuShengNianYue>" in text
    assert "<CanJiaGongZuoShiJian>200007</CanJiaGongZuoShiJian>" in text
    assert "<JiSuanNianLingShiJian>20240520</JiSuanNianLingShiJian>" in text
    assert "<TianBiaoShiJian>202405</TianBiaoShiJian>" in text
    assert "<RuDangShiJian>200106；九三学社</RuDangShiJian>" in text


def test_markup_characters_are_escaped() -> None:
    person = LrmxPerson(name="A&B", current_post="<县委> “书记” & 'x'")
    assert parse_lrmx(write_lrmx(person)) == person


def test_control_characters_are_refused_with_the_element() -> None:
    with pytest.raises(LrmxError, match=r"^<XianRenZhiWu>：含有 XML 不允许的字符"):
        write_lrmx(LrmxPerson(current_post="镇长\x07"))
    with pytest.raises(LrmxError, match=r"^<JiaTingChengYuan/Item\[2\]/XingMing>："):
        write_lrmx(LrmxPerson(family=[FamilyMember(name="甲"), FamilyMember(name="乙\x00")]))


def test_every_field_survives_a_round_trip() -> None:
    person = LrmxPerson(
        name="欧阳明",
        gender="女",
        birth=YearMonth(1985, 12),
        ethnicity="回族",
        native_place="宁夏吴忠",
        birthplace="甘肃临夏",
        party_joined=YearMonth(2008, 7),
        party_note="民盟",
        work_started=YearMonth(2007, 8),
        health="健康",
        professional_title="高级经济师",
        expertise="财政金融",
        fulltime_education="大学",
        fulltime_degree="经济学学士",
        fulltime_education_school="兰州大学经济学院金融学专业",
        fulltime_degree_school="兰州大学金融学专业",
        inservice_education="研究生",
        inservice_degree="管理学硕士",
        inservice_education_school="西北师范大学公共管理专业",
        inservice_degree_school="西北师范大学公共管理专业",
        current_post="临泽县财政局副局长",
        proposed_post="临泽县财政局局长",
        post_to_leave="临泽县财政局副局长",
        resume=[ResumePeriod(YearMonth(2007, 8), None, "临泽县财政局科员")],
        rewards_and_sanctions="无",
        annual_assessment="2023年度考核为优秀",
        appointment_reason="工作需要",
        family=[FamilyMember(relation="丈夫", name="王强")],
        submitting_unit="中共临泽县委组织部",
        age_computed_on=date(2024, 5, 20),
        filled_on=YearMonth(2024, 5),
        filled_by="陈静",
        id_number="620723198512011234",
        photo=b"\xff\xd8\xff\xe0photo",
        version="3.2.1.17",
    )
    defaults = LrmxPerson()
    for f in fields(LrmxPerson):
        if f.name != "warnings":
            assert getattr(person, f.name) != getattr(defaults, f.name), f.name
    assert parse_lrmx(write_lrmx(person)) == person


# ---------------------------------------------------------------- tolerance


def test_missing_elements_read_as_empty_and_are_reported() -> None:
    person = parse_lrmx(lrmx("<XingMing>张三</XingMing>"))
    assert person.name == "张三"
    assert person.gender == ""
    assert person.birth is None
    assert person.resume == []
    assert person.family == []
    assert person.photo is None
    assert person.version == DEFAULT_VERSION
    assert "缺少元素 <XingBie>，按空值处理" in person.warnings
    assert len(person.warnings) == len(ELEMENT_ORDER) - 1


def test_unknown_elements_are_ignored_and_reported() -> None:
    body = (
        "<XingMing>张三</XingMing><ZhengZhiMianMao>中共党员</ZhengZhiMianMao>"
        "<JiaTingChengYuan><Item><ChengWei>妻子</ChengWei><NianLing>40</NianLing></Item>"
        "<Note>x</Note></JiaTingChengYuan>"
    )
    person = parse_lrmx(lrmx(body))
    assert person.name == "张三"
    assert person.family == [FamilyMember(relation="妻子")]
    assert "忽略未知元素 <ZhengZhiMianMao>" in person.warnings
    assert "忽略未知元素 <JiaTingChengYuan/Item[1]/NianLing>" in person.warnings
    assert "忽略未知元素 <JiaTingChengYuan/Note>" in person.warnings


def test_duplicate_element_keeps_the_first() -> None:
    person = parse_lrmx(lrmx("<XingMing>张三</XingMing><XingMing>李四</XingMing>"))
    assert person.name == "张三"
    assert "元素 <XingMing> 重复出现，只读取第一个" in person.warnings


def test_whitespace_around_values_and_comments_are_ignored() -> None:
    person = parse_lrmx(lrmx("<!-- x --><XingMing>\n   张三  \n</XingMing><NiRenZhiWu>\n  </NiRenZhiWu>"))
    assert person.name == "张三"
    assert person.proposed_post == ""


def test_element_order_does_not_matter_when_reading() -> None:
    person = parse_lrmx(lrmx("<XingBie>女</XingBie><XingMing>李四</XingMing>"))
    assert (person.name, person.gender) == ("李四", "女")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("197804", YearMonth(1978, 4)),
        ("19780415", YearMonth(1978, 4)),
        ("1978.04", YearMonth(1978, 4)),
        ("1978.4", YearMonth(1978, 4)),
        ("1978.04.15", YearMonth(1978, 4)),
        ("1978-04", YearMonth(1978, 4)),
        ("", None),
    ],
)
def test_year_month_forms_accepted(text: str, expected: YearMonth | None) -> None:
    assert parse_lrmx(lrmx(f"<ChuShengNianYue>{text}</ChuShengNianYue>")).birth == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20240520", date(2024, 5, 20)),
        ("202405", date(2024, 5, 1)),
        ("2024.05.20", date(2024, 5, 20)),
        ("2024.05", date(2024, 5, 1)),
    ],
)
def test_age_computation_date_forms_accepted(text: str, expected: date) -> None:
    xml = lrmx(f"<JiSuanNianLingShiJian>{text}</JiSuanNianLingShiJian>")
    assert parse_lrmx(xml).age_computed_on == expected


@pytest.mark.parametrize(
    ("element", "text", "message"),
    [
        ("ChuShengNianYue", "一九七八年", "<ChuShengNianYue>：无法识别的日期“一九七八年”"),
        ("ChuShengNianYue", "197813", "<ChuShengNianYue>：日期“197813”不存在"),
        ("CanJiaGongZuoShiJian", "20000230", "<CanJiaGongZuoShiJian>：日期“20000230”不存在"),
        ("JiSuanNianLingShiJian", "2024", "<JiSuanNianLingShiJian>：无法识别的日期“2024”"),
    ],
)
def test_bad_dates_name_the_element(element: str, text: str, message: str) -> None:
    assert str(error_of(lrmx(f"<{element}>{text}</{element}>"))).startswith(message)


def test_bad_family_birth_names_the_item() -> None:
    body = "<JiaTingChengYuan><Item><ChuShengRiQi>abc</ChuShengRiQi></Item></JiaTingChengYuan>"
    error = error_of(lrmx(body))
    assert error.element == "JiaTingChengYuan/Item[1]/ChuShengRiQi"


@pytest.mark.parametrize(
    ("text", "joined", "note"),
    [
        ("200106", YearMonth(2001, 6), ""),
        ("2001.06", YearMonth(2001, 6), ""),
        ("200106；九三学社", YearMonth(2001, 6), "九三学社"),
        ("2001.06 民盟", YearMonth(2001, 6), "民盟"),
        ("民盟", None, "民盟"),
        ("", None, ""),
    ],
)
def test_party_joined_date_and_note(text: str, joined: YearMonth | None, note: str) -> None:
    person = parse_lrmx(lrmx(f"<RuDangShiJian>{text}</RuDangShiJian>"))
    assert (person.party_joined, person.party_note) == (joined, note)
    assert parse_lrmx(write_lrmx(person)) == person


def test_photo_must_be_base64() -> None:
    error = error_of(lrmx("<ZhaoPian>not*base64</ZhaoPian>"))
    assert error.element == "ZhaoPian"
    assert "base64" in str(error)


def test_photo_base64_may_be_wrapped_over_lines() -> None:
    encoded = base64.encodebytes(b"\xff\xd8\xff" + bytes(100)).decode()
    assert "\n" in encoded.strip()
    assert parse_lrmx(lrmx(f"<ZhaoPian>{encoded}</ZhaoPian>")).photo == b"\xff\xd8\xff" + bytes(100)


def test_non_jpeg_photo_is_read_with_a_warning() -> None:
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n").decode()
    person = parse_lrmx(lrmx(f"<ZhaoPian>{png}</ZhaoPian>"))
    assert person.photo == b"\x89PNG\r\n\x1a\n"
    assert "照片不是 JPEG 格式，官方软件可能无法显示" in person.warnings


# ---------------------------------------------------------------- encodings


def sample_text() -> str:
    return SAMPLE.decode("utf-8").split("\n", 1)[1]


@pytest.mark.parametrize("declared", ["GB2312", "GBK", "gb18030"])
def test_gb_encoded_files_are_read(declared: str) -> None:
    data = f'<?xml version="1.0" encoding="{declared}"?>\n{sample_text()}'.encode("gbk")
    assert parse_lrmx(data) == parse_lrmx(SAMPLE)


def test_utf16_with_bom_is_read() -> None:
    data = codecs.BOM_UTF16_LE + f'<?xml version="1.0" encoding="UTF-16"?>\n{sample_text()}'.encode(
        "utf-16-le"
    )
    assert parse_lrmx(data) == parse_lrmx(SAMPLE)


def test_utf16_without_bom_is_read() -> None:
    data = f'<?xml version="1.0" encoding="UTF-16"?>\n{sample_text()}'.encode("utf-16-be")
    assert parse_lrmx(data) == parse_lrmx(SAMPLE)


def test_utf8_bom_is_read() -> None:
    assert parse_lrmx(codecs.BOM_UTF8 + SAMPLE) == parse_lrmx(SAMPLE)


def test_gbk_bytes_declared_as_utf8_are_read_with_a_warning() -> None:
    data = f'<?xml version="1.0" encoding="UTF-8"?>\n{sample_text()}'.encode("gbk")
    person = parse_lrmx(data)
    assert person.name == "马志强"
    assert person.warnings == ["文件声明为 UTF-8 编码，实际为 GBK 编码，已按 GBK 读取"]


def test_unknown_encoding_is_refused() -> None:
    error = error_of(lrmx("<XingMing>x</XingMing>", '<?xml version="1.0" encoding="klingon"?>'))
    assert str(error) == "不支持的文件编码“klingon”"


# ---------------------------------------------------------------- refusals


def test_external_entity_is_refused() -> None:
    data = b"""<?xml version="1.0"?>
<!DOCTYPE Person [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Person><XingMing>&xxe;</XingMing></Person>"""
    message = str(error_of(data))
    assert "DTD" in message and "拒绝导入" in message
    assert "root" not in message


def test_entity_expansion_bomb_is_refused() -> None:
    data = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<Person><XingMing>&lol2;</XingMing></Person>"""
    assert "拒绝导入" in str(error_of(data))


def test_oversized_file_is_refused_before_parsing() -> None:
    assert str(error_of(SAMPLE, max_bytes=1024)).startswith("文件过大：")
    big = b" " * (10 * 1024 * 1024 + 1)
    assert str(error_of(big)) == "文件过大：10.0 MiB，超过上限 10.0 MiB"


def test_limit_is_configurable() -> None:
    assert parse_lrmx(SAMPLE, max_bytes=len(SAMPLE)).name == "马志强"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<Person><XingMing>x</XingMing>", "XML 格式错误，第 1 行第 31 列附近：文件不完整或为空"),
        (
            b"<Person><XingMing>x</XingBie></Person>",
            "XML 格式错误，第 1 行第 22 列附近：开始标签与结束标签不匹配",
        ),
        (
            b"<Person>\n<XingMing>a & b</XingMing></Person>",
            "XML 格式错误，第 2 行第 14 列附近：含有不合法的字符或标记",
        ),
    ],
)
def test_broken_xml_is_refused_with_its_position(data: bytes, message: str) -> None:
    assert str(error_of(data)) == message


def test_empty_file_is_refused() -> None:
    assert str(error_of(b"  \n")) == "文件为空"


def test_wrong_root_is_refused() -> None:
    assert str(error_of(b"<Cadre><XingMing>x</XingMing></Cadre>")) == "根元素应为 <Person>，实际为 <Cadre>"


# ---------------------------------------------------------------- JianLi


def test_resume_accepts_the_separators_and_date_forms_in_use() -> None:
    text = "\n".join(
        [
            "1996.09--2000.07  大学学习",
            "2000.07—2003.03 乡干部",
            "2003.03－2006.8  科员",
            "200608-201109  副乡长",
            "2011.09~2016.10  副书记",
            "2016.10至2020.12  副局长",
            "2020.12--  镇长",
        ]
    )
    periods = parse_resume(text)
    assert [p.start for p in periods] == [
        YearMonth(1996, 9),
        YearMonth(2000, 7),
        YearMonth(2003, 3),
        YearMonth(2006, 8),
        YearMonth(2011, 9),
        YearMonth(2016, 10),
        YearMonth(2020, 12),
    ]
    assert periods[2].end == YearMonth(2006, 8)
    assert periods[3].end == YearMonth(2011, 9)
    assert [p.text for p in periods] == ["大学学习", "乡干部", "科员", "副乡长", "副书记", "副局长", "镇长"]
    assert periods[-1].end is None


def test_resume_lines_without_a_date_continue_the_previous_period() -> None:
    text = "2006.08--2011.09  副乡长\n    （其间：2008.09--2011.07 在职研究生学习）\n\n2011.09--  书记"
    assert parse_resume(text) == [
        ResumePeriod(
            YearMonth(2006, 8), YearMonth(2011, 9), "副乡长\n（其间：2008.09--2011.07 在职研究生学习）"
        ),
        ResumePeriod(YearMonth(2011, 9), None, "书记"),
    ]


def test_resume_text_before_the_first_date_is_kept() -> None:
    periods = parse_resume("简历说明\n1996.09--2000.07  大学学习")
    assert periods[0] == ResumePeriod(None, None, "简历说明")
    assert parse_resume(format_resume(periods)) == periods


def test_resume_date_that_is_not_a_month_is_text() -> None:
    periods = parse_resume("2000.07--2003.03  乡干部\n2005.13--2006.01 不是日期")
    assert len(periods) == 1
    assert periods[0].text == "乡干部\n2005.13--2006.01 不是日期"


def test_resume_windows_line_ends() -> None:
    assert len(parse_resume("2000.07--2003.03  a\r\n2003.03--  b\r\n")) == 2


def test_format_resume_aligns_open_ended_periods() -> None:
    text = format_resume(
        [
            ResumePeriod(YearMonth(2016, 10), YearMonth(2020, 12), "副局长\n（其间：挂职）"),
            ResumePeriod(YearMonth(2020, 12), None, "镇长"),
        ]
    )
    assert text.splitlines() == [
        "2016.10--2020.12  副局长",
        "                  （其间：挂职）",
        "2020.12--         镇长",
    ]


def test_format_resume_refuses_a_continuation_line_that_would_read_as_a_period() -> None:
    period = ResumePeriod(YearMonth(2006, 8), None, "副乡长\n2008.09--2011.07 学习")
    with pytest.raises(LrmxError, match=re.escape("续行“2008.09--2011.07 学习”以时间段开头")):
        format_resume([period])


def test_format_resume_refuses_an_open_period_whose_text_reads_as_its_end() -> None:
    with pytest.raises(LrmxError, match="读回时会被误读"):
        format_resume([ResumePeriod(YearMonth(2020, 12), None, "202103起主持工作")])


def test_format_resume_refuses_an_undated_period_after_the_first() -> None:
    with pytest.raises(LrmxError, match="只有第一段可以不写时间"):
        format_resume([ResumePeriod(YearMonth(2006, 8), None, "a"), ResumePeriod(None, None, "b")])


# ---------------------------------------------------------------- round trip property

_ALPHABET = "张王李赵刘陈县乡镇党委书记副主任科员局长大学学习（）、，；。“”·abcXYZ0123 &<>'\"\t\n-."
_HAN = "张王李赵刘陈县乡镇党委书记副主任科员局长"

plain_text = st.text(_ALPHABET, max_size=30).map(str.strip)
line_text = st.text(_ALPHABET.replace("\n", ""), min_size=1, max_size=20).map(str.strip).filter(bool)
year_months = st.builds(YearMonth, st.integers(1900, 2100), st.integers(1, 12))
optional_year_months = st.none() | year_months


def is_continuation(line: str) -> bool:
    return parse_resume(line)[0].start is None


continuation_lines = line_text.filter(is_continuation)


@st.composite
def resume_periods(draw: st.DrawFn) -> list[ResumePeriod]:
    periods: list[ResumePeriod] = []
    if draw(st.booleans()):
        lines = draw(st.lists(continuation_lines, min_size=1, max_size=2))
        periods.append(ResumePeriod(None, None, "\n".join(lines)))
    for _ in range(draw(st.integers(0, 5))):
        first = draw(st.just("") | line_text)
        more = draw(st.lists(continuation_lines, max_size=2)) if first else []
        text = "\n".join([first, *more]) if first else ""
        period = ResumePeriod(draw(year_months), draw(optional_year_months), text)
        assume(writable([period]))
        periods.append(period)
    return periods


def writable(periods: list[ResumePeriod]) -> bool:
    try:
        format_resume(periods)
    except LrmxError:
        return False
    return True


family_members = st.builds(
    FamilyMember,
    relation=plain_text,
    name=plain_text,
    birth=optional_year_months,
    political_status=plain_text,
    work_unit_and_post=plain_text,
).filter(lambda m: not m.is_empty())

party_notes = st.just("") | st.builds(lambda head, tail: head + tail, st.sampled_from(_HAN), plain_text)


@st.composite
def persons(draw: st.DrawFn) -> LrmxPerson:
    text_fields: dict[str, Any] = {
        f.name: draw(plain_text)
        for f in fields(LrmxPerson)
        if f.type == "str" and f.name not in ("party_note", "version")
    }
    return LrmxPerson(
        **text_fields,
        birth=draw(optional_year_months),
        party_joined=draw(optional_year_months),
        party_note=draw(party_notes),
        work_started=draw(optional_year_months),
        resume=draw(resume_periods()),
        family=draw(st.lists(family_members, max_size=4)),
        age_computed_on=draw(st.none() | st.dates(date(1900, 1, 1), date(2100, 12, 31))),
        filled_on=draw(optional_year_months),
        photo=draw(st.none() | st.binary(min_size=1, max_size=64)),
        version=draw(plain_text),
    )


@settings(max_examples=200)
@given(persons())
def test_export_then_import_gives_back_the_same_person(person: LrmxPerson) -> None:
    again = parse_lrmx(write_lrmx(person))
    assert again == person
    assert not [w for w in again.warnings if not w.startswith("照片不是 JPEG")]


@given(persons())
def test_writing_is_deterministic(person: LrmxPerson) -> None:
    assert write_lrmx(person) == write_lrmx(replace(person))
