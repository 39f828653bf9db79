from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xuanren.register.idnumber import (
    PROVINCE_CODES,
    IdNumberError,
    check_character,
    is_valid,
    make_id,
    mask,
    normalize,
    parse,
    upgrade_15,
    validate,
)

# The example number printed in GB 11643-1999 itself.
STANDARD_EXAMPLE = "11010519491231002X"


def error_of(raw: str, **kwargs: date) -> str:
    with pytest.raises(IdNumberError) as caught:
        parse(raw, **kwargs)
    return str(caught.value)


def test_standard_example_is_valid_and_female() -> None:
    info = parse(STANDARD_EXAMPLE)
    assert info.region == "110105"
    assert info.birth_date == date(1949, 12, 31)
    assert info.sequence == "002"
    assert info.gender == "女"
    assert not info.is_male


def test_odd_sequence_digit_is_male() -> None:
    assert parse(make_id("620723", date(1978, 4, 15), 123)).gender == "男"
    assert parse(make_id("620723", date(1978, 4, 15), 124)).gender == "女"


def test_check_character_of_standard_example_is_x() -> None:
    assert check_character(STANDARD_EXAMPLE[:17]) == "X"


def test_lower_case_x_and_full_width_digits_are_the_same_number() -> None:
    assert validate("11010519491231002x") == STANDARD_EXAMPLE
    assert validate("  １１０１０５１９４９１２３１００２Ｘ ") == STANDARD_EXAMPLE
    assert normalize(" 11010519491231002x\t") == STANDARD_EXAMPLE


def test_empty_number() -> None:
    assert error_of("   ") == "身份证号为空"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("1101051949123100", "身份证号应为18位，实际为16位"),
        ("11010519491231002X1", "身份证号应为18位，实际为19位"),
        ("110105491231002", "身份证号应为18位，实际为15位（15位旧号码请先升级为18位）"),
    ],
)
def test_wrong_length_says_how_long(raw: str, message: str) -> None:
    assert error_of(raw) == message


def test_letter_in_the_first_17_names_its_position() -> None:
    assert error_of("1101051949A231002X") == "身份证号第11位应为数字，实际为“A”"


def test_bad_check_position_character() -> None:
    assert error_of("11010519491231002Y") == "身份证号第18位（校验位）应为数字或X，实际为“Y”"


def test_unknown_province_prefix() -> None:
    number = "99" + STANDARD_EXAMPLE[2:]
    assert error_of(number) == "身份证号前两位“99”不是有效的省级行政区划代码"


@pytest.mark.parametrize("birth", ["19490230", "19491301", "19490000", "19490229"])
def test_impossible_birth_date(birth: str) -> None:
    number = "110105" + birth + "002"
    number += check_character(number)
    assert error_of(number) == f"身份证号中的出生日期“{birth}”不是有效日期"


def test_leap_day_birth_is_valid_in_leap_year() -> None:
    assert parse(make_id("110105", date(1988, 2, 29), 7)).birth_date == date(1988, 2, 29)


def test_birth_before_1900_is_refused() -> None:
    number = "110105" + "18991231" + "002"
    number += check_character(number)
    assert error_of(number) == "身份证号中的出生日期“18991231”早于1900年"


def test_birth_after_today_is_refused_only_when_today_is_given() -> None:
    number = make_id("110105", date(2030, 1, 1), 1)
    assert error_of(number, today=date(2029, 12, 31)) == "身份证号中的出生日期“20300101”晚于今天"
    assert is_valid(number, today=date(2030, 1, 1))
    assert is_valid(number)


def test_wrong_check_character_says_the_right_one() -> None:
    assert error_of("110105194912310021") == "身份证号校验位错误：应为 X"
    assert error_of("620723197804151230") == "身份证号校验位错误：应为 5"


def test_hong_kong_macao_taiwan_residence_permits_are_accepted() -> None:
    for region in ("810000", "820000", "830000"):
        assert is_valid(make_id(region, date(1990, 1, 1), 11))


def test_mask_keeps_first_six_and_last_four() -> None:
    assert mask("620723197804151235") == "620723********1235"
    assert mask("11010519491231002x") == "110105********002X"


def test_mask_hides_short_or_malformed_input_completely() -> None:
    assert mask("1234567890") == "**********"
    assert mask("") == ""
    assert mask("62072319780415") == "620723****0415"


def test_make_id_refuses_bad_parts() -> None:
    with pytest.raises(IdNumberError, match="行政区划代码应为6位数字"):
        make_id("62072", date(1978, 4, 15), 1)
    with pytest.raises(IdNumberError, match="不是有效的省级行政区划代码"):
        make_id("000000", date(1978, 4, 15), 1)
    with pytest.raises(IdNumberError, match="顺序码应在0到999之间"):
        make_id("620723", date(1978, 4, 15), 1000)


def test_upgrade_15_digit_number() -> None:
    assert upgrade_15("110105491231002") == STANDARD_EXAMPLE
    with pytest.raises(IdNumberError):
        upgrade_15("11010549123100")


regions = st.builds(
    lambda province, rest: province + f"{rest:04d}",
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.integers(0, 9999),
)
births = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))
sequences = st.integers(0, 999)


@given(regions, births, sequences)
def test_make_id_round_trips_through_parse(region: str, birth: date, seq: int) -> None:
    info = parse(make_id(region, birth, seq))
    assert (info.region, info.birth_date, int(info.sequence)) == (region, birth, seq)
    assert info.is_male == (seq % 2 == 1)
    assert info.masked() == info.number[:6] + "********" + info.number[-4:]


@given(regions, births, sequences, st.integers(0, 16), st.integers(1, 9))
def test_any_single_digit_change_is_caught(
    region: str, birth: date, seq: int, position: int, delta: int
) -> None:
    number = make_id(region, birth, seq)
    changed = str((int(number[position]) + delta) % 10)
    tampered = number[:position] + changed + number[position + 1 :]
    assert not is_valid(tampered)


@given(regions, births, sequences, st.integers(0, 15))
def test_any_swap_of_adjacent_different_digits_is_caught(
    region: str, birth: date, seq: int, position: int
) -> None:
    number = make_id(region, birth, seq)
    a, b = number[position], number[position + 1]
    if a == b:
        return
    swapped = number[:position] + b + a + number[position + 2 :]
    assert not is_valid(swapped)
