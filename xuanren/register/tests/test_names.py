import pytest
from hypothesis import given
from hypothesis import strategies as st

from xuanren.register.names import (
    COMPOUND_SURNAMES,
    SURNAME_READINGS,
    full_pinyin,
    initials,
    name_keys,
    search_text,
)


def test_full_pinyin_and_initials() -> None:
    assert full_pinyin("张三丰") == "zhangsanfeng"
    assert initials("张三丰") == "zsf"


@pytest.mark.parametrize(
    ("name", "full", "short"),
    [
        ("单田芳", "shantianfang", "stf"),
        ("曾国藩", "zengguofan", "zgf"),
        ("解缙", "xiejin", "xj"),
        ("仇英", "qiuying", "qy"),
        ("区永祥", "ouyongxiang", "oyx"),
        ("朴树", "piaoshu", "ps"),
        ("查良镛", "zhaliangyong", "zly"),
        ("盖聂", "genie", "gn"),
        ("翟志刚", "zhaizhigang", "zzg"),
        ("缪建华", "miaojianhua", "mjh"),
        ("尉缭", "weiliao", "wl"),
    ],
)
def test_polyphone_surnames_are_read_as_surnames(name: str, full: str, short: str) -> None:
    assert (full_pinyin(name), initials(name)) == (full, short)


@pytest.mark.parametrize(
    ("name", "full", "short"),
    [
        ("尉迟恭", "yuchigong", "ycg"),
        ("万俟卨", "moqixie", "mqx"),
        ("长孙无忌", "zhangsunwuji", "zswj"),
        ("欧阳修", "ouyangxiu", "oyx"),
        ("诸葛亮", "zhugeliang", "zgl"),
        ("单于丹", "chanyudan", "cyd"),
        ("澹台灭明", "tantaimieming", "ttmm"),
    ],
)
def test_compound_surnames(name: str, full: str, short: str) -> None:
    assert (full_pinyin(name), initials(name)) == (full, short)


def test_a_two_character_name_is_not_taken_for_a_compound_surname() -> None:
    # 司马 alone is surname 司 and given name 马.
    assert full_pinyin("司马") == "sima"
    assert initials("欧阳") == "oy"


def test_surnames_with_two_readings_are_searchable_by_both() -> None:
    keys = name_keys("乐嘉")
    assert (keys.full, keys.initials) == ("yuejia", "yj")
    assert keys.variants == ("lejia", "lj")
    assert search_text("乐嘉") == "yuejia yj lejia lj"


def test_search_text_has_no_duplicates() -> None:
    # 盖聂: ge/gai give the same initials.
    assert search_text("盖聂") == "genie gn gainie"


def test_u_umlaut_is_typed_as_v() -> None:
    assert full_pinyin("吕布") == "lvbu"
    assert initials("吕布") == "lb"


def test_transliterated_names_drop_the_dot() -> None:
    assert full_pinyin("买买提·艾力") == "maimaitiaili"
    assert initials("买买提·艾力") == "mmtal"


def test_blanks_and_latin_letters() -> None:
    assert full_pinyin(" 张 三 ") == "zhangsan"
    assert full_pinyin("李X") == "lix"
    assert initials("李X") == "lx"


def test_given_name_is_read_apart_from_the_surname() -> None:
    # 长 in a given name keeps pypinyin's reading in context.
    assert full_pinyin("张长江") == "zhangchangjiang"


def test_empty_name() -> None:
    assert name_keys("") == name_keys("   ")
    assert search_text("") == ""


def test_surname_tables_hold_lower_case_ascii_syllables() -> None:
    for readings in [*SURNAME_READINGS.values(), *COMPOUND_SURNAMES.values()]:
        for syllable in readings:
            assert syllable.isascii() and syllable.isalpha() and syllable.islower()
    assert all(len(surname) == 2 for surname in COMPOUND_SURNAMES)
    assert all(len(surname) == 1 for surname in SURNAME_READINGS)


common_characters = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)


@given(st.text(common_characters, min_size=2, max_size=4))
def test_keys_are_lower_case_ascii_and_initials_match_full(name: str) -> None:
    keys = name_keys(name)
    for key in keys.all():
        assert key.isascii() and key.isalpha() and key == key.lower()
    assert len(keys.initials) <= len(name)
    assert keys.full.startswith(keys.initials[:1])


def test_a_character_without_pinyin_gives_no_key() -> None:
    assert full_pinyin("王兙") == "wang"
