"""Canonical entry bytes: one encoding per entry, floats refused, and only canonical bytes read back."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xuanren.ledger.canonical import (
    MAX_SAFE_INTEGER,
    CanonicalError,
    Entry,
    canonical_json,
    entry_bytes,
    file_ref,
    format_time,
    parse_canonical,
    parse_entry,
    parse_time,
    to_canonical_value,
)


def make_entry(**changes: Any) -> Entry:
    fields: dict[str, Any] = {
        "seq": 12,
        "time": "2026-11-20T02:30:00Z",
        "jurisdiction": "150525",
        "campaign": 3,
        "candidate": 41,
        "stage": "organizational-inspection",
        "step": "inspection-notice",
        "action": "publish_inspection_notice",
        "actor": {"id": 7, "name": "王敏", "role": "cadre-section officer"},
        "payload": {"hotline": "0475-1234567", "share": "2/3", "files": [file_ref("考察预告.pdf", b"%PDF")]},
        "refs": (),
        "kind": "entry",
    }
    fields.update(changes)
    return Entry(**fields)


def test_keys_are_sorted_without_whitespace_and_chinese_is_plain_utf8() -> None:
    assert (
        canonical_json({"b": 1, "a": "张三", "c": [True, None]})
        == '{"a":"张三","b":1,"c":[true,null]}'.encode()
    )


def test_control_characters_and_quotes_have_one_escape() -> None:
    assert canonical_json({"x": 'a"\\\n\x01'}) == b'{"x":"a\\"\\\\\\n\\u0001"}'


@pytest.mark.parametrize("value", [0.5, 1.0, float("nan"), float("inf"), {"share": 1 / 3}, [0.0]])
def test_floats_are_refused_with_advice(value: Any) -> None:
    with pytest.raises(CanonicalError, match="float"):
        canonical_json(value)
    with pytest.raises(CanonicalError, match="Fraction"):
        to_canonical_value(value if not isinstance(value, float) else {"v": value})


def test_integers_beyond_the_exact_json_range_are_refused() -> None:
    assert canonical_json(MAX_SAFE_INTEGER) == str(MAX_SAFE_INTEGER).encode()
    with pytest.raises(CanonicalError, match="2\\*\\*53"):
        canonical_json(MAX_SAFE_INTEGER + 1)
    with pytest.raises(CanonicalError):
        to_canonical_value(-(2**60))


class Stage(enum.Enum):
    INSPECTION = "organizational-inspection"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2026, 11, 20), "2026-11-20"),
        (
            dt.datetime(2026, 11, 20, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))),
            "2026-11-20T02:30:00Z",
        ),
        (dt.datetime(2026, 11, 20, 2, 30, 0, 5, tzinfo=dt.UTC), "2026-11-20T02:30:00.000005Z"),
        (Fraction(2, 6), "1/3"),
        (Fraction(2), "2/1"),
        (Decimal("0.60"), "0.60"),
        (uuid.UUID(int=1), "00000000-0000-0000-0000-000000000001"),
        (Stage.INSPECTION, "organizational-inspection"),
        ((1, "a"), [1, "a"]),
        ({"nested": [Fraction(1, 3), None, True]}, {"nested": ["1/3", None, True]}),
    ],
)
def test_to_canonical_value_converts_exact_types_to_strings(value: Any, expected: Any) -> None:
    assert to_canonical_value(value) == expected


class Status(str, enum.Enum):  # noqa: UP042 - how Django TextChoices are built
    COUNTED = "counted"


class Name(str):
    pass


def test_str_valued_enums_and_str_subclasses_become_plain_strings() -> None:
    value = to_canonical_value({"status": Status.COUNTED, "name": Name("张三")})
    assert value == {"status": "counted", "name": "张三"}
    assert all(type(v) is str for v in value.values())  # type: ignore[union-attr]
    assert canonical_json(value) == '{"name":"张三","status":"counted"}'.encode()


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(2026, 11, 20),
        Decimal("NaN"),
        Decimal("Infinity"),
        b"bytes",
        {1, 2},
        {1: "a"},
        "\ud800",
        object(),
    ],
    ids=repr,
)
def test_to_canonical_value_refuses_what_has_no_single_meaning(value: Any) -> None:
    with pytest.raises(CanonicalError):
        to_canonical_value(value)


def test_canonical_json_refuses_values_that_need_conversion() -> None:
    for value in (Decimal("1"), dt.date(2026, 1, 1), Fraction(1, 3), (1, 2)):
        with pytest.raises(CanonicalError, match="to_canonical_value"):
            canonical_json({"x": value})


def test_entry_round_trips_through_its_bytes() -> None:
    entry = make_entry(refs=(3, 5), kind="correction")
    data = entry_bytes(entry)
    assert parse_entry(data) == entry
    assert entry_bytes(parse_entry(data)) == data
    assert data.startswith('{"action":"publish_inspection_notice","actor":{"id":7,"name":"王敏"'.encode())


def test_entry_bytes_do_not_depend_on_dict_order() -> None:
    a = make_entry(payload={"a": 1, "b": {"y": 2, "x": 3}})
    b = make_entry(payload={"b": {"x": 3, "y": 2}, "a": 1})
    assert entry_bytes(a) == entry_bytes(b)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda d: d.replace(b'"seq":12', b'"seq": 12'),
        lambda d: d.replace(b'"seq":12', b'"seq":12.0'),
        lambda d: d.replace(b"\xe7\x8e\x8b", b"\\u738b"),  # 王 escaped
        lambda d: d.replace(b'{"action"', b'{"seq":12,"action"'),  # duplicate key
        lambda d: d.replace(b'"v":1', b'"v":2'),
        lambda d: d.replace(b',"v":1', b""),
        lambda d: d.replace(b'"v":1', b'"v":1,"zz":0'),
        lambda d: d + b"\n",
        lambda d: b" " + d,
        lambda d: d.replace(b'"action":"publish_inspection_notice","actor"', b'"actor"').replace(
            b'"v":1', b'"action":"publish_inspection_notice","v":1'
        ),
        lambda d: d[:-1],
        lambda d: d.replace(b"\xe7\x8e\x8b", b"\xe7\x8e"),  # broken UTF-8
    ],
)
def test_parse_entry_refuses_anything_but_its_canonical_bytes(mangle: Any) -> None:
    data = entry_bytes(make_entry())
    with pytest.raises(CanonicalError):
        parse_entry(mangle(data))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"seq": -1}, "seq"),
        ({"time": "2026-11-20 02:30:00"}, "ISO 8601"),
        ({"time": "2026-11-20T10:30:00+08:00"}, "ISO 8601"),
        ({"time": "2026-02-30T00:00:00Z"}, "real moment"),
        ({"jurisdiction": ""}, "jurisdiction"),
        ({"campaign": 1.5}, "campaign"),
        ({"candidate": ""}, "candidate"),
        ({"stage": ""}, "stage"),
        ({"action": ""}, "action"),
        ({"actor": None}, "actor"),
        ({"payload": []}, "payload"),
        ({"payload": {"share": 0.5}}, "float"),
        ({"payload": {"files": [{"name": "a.pdf"}]}}, "files"),
        ({"payload": {"files": [{"name": "a.pdf", "sha256": "ABC"}]}}, "files"),
        ({"refs": (12,)}, "earlier"),
        ({"refs": (3, 3)}, "twice"),
        ({"kind": "edit"}, "kind"),
        ({"kind": "review"}, "required"),
        ({"kind": "correction", "refs": ()}, "required"),
    ],
)
def test_entry_refuses_invalid_fields(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(CanonicalError, match=message):
        make_entry(**changes)


def test_review_names_the_entries_it_signs_off() -> None:
    review = make_entry(seq=13, kind="review", refs=[12], action="review", payload={"opinion": "属实"})
    assert review.refs == (12,)
    assert parse_entry(entry_bytes(review)).kind == "review"


def test_entries_outside_a_campaign_have_null_campaign_stage_and_step() -> None:
    entry = make_entry(campaign=None, candidate=None, stage=None, step=None, action="publish_policy")
    assert parse_entry(entry_bytes(entry)) == entry


def test_file_ref_records_name_and_sha256() -> None:
    assert file_ref("a.txt", b"abc") == {
        "name": "a.txt",
        "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    }
    assert make_entry().files[0]["name"] == "考察预告.pdf"


def test_times_are_utc_with_z_and_naive_times_are_refused() -> None:
    moment = dt.datetime(2026, 11, 20, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert format_time(moment) == "2026-11-20T02:30:00Z"
    assert parse_time("2026-11-20T02:30:00Z") == moment
    with pytest.raises(CanonicalError, match="naive"):
        format_time(dt.datetime(2026, 11, 20))


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER)
    | st.text(st.characters(exclude_categories=["Cs"])),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(st.characters(exclude_categories=["Cs"]), max_size=6), children, max_size=4)
    ),
    max_leaves=20,
)


@given(json_values)
def test_canonical_bytes_parse_back_to_the_same_value(value: Any) -> None:
    data = canonical_json(value)
    assert parse_canonical(data) == value
    assert canonical_json(parse_canonical(data)) == data


@given(
    st.dictionaries(st.text(st.characters(exclude_categories=["Cs"]), max_size=6), json_values, max_size=5)
)
def test_any_canonical_payload_makes_an_entry_that_round_trips(payload: dict[str, Any]) -> None:
    payload.pop("files", None)
    entry = make_entry(payload=payload)
    assert parse_entry(entry_bytes(entry)) == entry
