"""The Decision value: JSON without floats, the arithmetic in words, exact shares."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction

import pytest

from xuanren.rules.decision import Decision, Outcome, to_json
from xuanren.rules.shares import ExactValueError, RatioText, parse_share, percent, share_equation


def test_to_dict_is_plain_json_with_fractions_as_strings() -> None:
    decision = Decision(
        outcome=Outcome.PASS,
        rule_id="linze recommendation.threshold.open",
        source="000 三、",
        explanation="张三 40/120 ≈ 33.33% ≥ 1/3",
        inputs={
            "share": Fraction(40, 120),
            "on": date(2025, 1, 2),
            "counts": {"甲": 1},
            "names": ("甲", "乙"),
        },
        value=date(2025, 1, 3),
    )
    data = decision.to_dict()
    assert data["inputs"] == {"share": "1/3", "on": "2025-01-02", "counts": {"甲": 1}, "names": ["甲", "乙"]}
    assert data["value"] == "2025-01-03"
    assert data["outcome"] == "pass" and data["outcome_label"] == "通过"
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_a_float_is_refused() -> None:
    with pytest.raises(TypeError, match="浮点数"):
        Decision(outcome=Outcome.INFO, rule_id="x", source="y", explanation="z", inputs={"share": 0.325})
    with pytest.raises(TypeError):
        to_json([1, 2.0])


def test_forty_of_one_hundred_twenty_is_exactly_one_third() -> None:
    assert Fraction(40, 120) == parse_share("1/3")
    assert parse_share("30%") == Fraction(3, 10)
    assert parse_share("32.5%") == Fraction(13, 40)
    assert parse_share("2/3") > Fraction(6666, 10000)


@pytest.mark.parametrize("bad", ["0.3", "三分之一", "0/3", "4/3", "1/0", "", "120%"])
def test_inexact_or_impossible_shares_are_refused(bad: str) -> None:
    with pytest.raises(ExactValueError):
        parse_share(bad)


def test_ratios_accept_the_seeds_ratio_sign() -> None:
    ratio = RatioText.parse("1∶3")
    assert (ratio.posts, ratio.people, ratio.text) == (1, 3, "1:3")


def test_percentages_are_for_display_only() -> None:
    assert percent(Fraction(39, 120)) == "32.5%"
    assert percent(Fraction(3, 10)) == "30%"
    assert share_equation(39, 120) == "39/120 = 32.5%"
    assert share_equation(40, 120) == "40/120 ≈ 33.33%"
