"""The arithmetic of exam scores: exact, the method's dropped scores, ranking with ties."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xuanren.competition import scoring

scores = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


@pytest.mark.parametrize(
    ("method", "values", "expected"),
    [
        (scoring.SINGLE, ["88.5"], Fraction(177, 2)),
        (scoring.MEAN, ["85", "86", "85"], Fraction(256, 3)),
        (scoring.TRIMMED_MEAN, ["80", "85", "86", "90", "70"], Fraction(251, 3)),  # drops 90 and 70
        (scoring.TRIMMED_MEAN, ["80", "85", "86", "90"], Fraction(341, 4)),  # 4 examiners: plain mean
        (scoring.TRIMMED_MEAN, ["90", "90", "80", "80", "85"], Fraction(85)),  # one of each tie dropped
    ],
)
def test_round_score_table(method, values, expected):
    assert scoring.round_score(method, [Decimal(v) for v in values]) == expected


def test_a_single_score_round_refuses_several_scores_and_none():
    with pytest.raises(scoring.ScoringError):
        scoring.round_score(scoring.SINGLE, [Decimal(1), Decimal(2)])
    with pytest.raises(scoring.ScoringError):
        scoring.round_score(scoring.MEAN, [])


@given(st.lists(scores, min_size=1, max_size=12))
def test_mean_is_exact_sum_over_count(values):
    result = scoring.round_score(scoring.MEAN, values)
    assert isinstance(result, Fraction)
    assert result * len(values) == sum(Fraction(v) for v in values)


@given(st.lists(scores, min_size=5, max_size=12))
def test_trimmed_mean_drops_exactly_one_highest_and_one_lowest(values):
    result = scoring.round_score(scoring.TRIMMED_MEAN, values)
    total = sum(Fraction(v) for v in values) - Fraction(max(values)) - Fraction(min(values))
    assert result == total / (len(values) - 2)
    assert Fraction(min(values)) <= result <= Fraction(max(values))


@given(st.lists(scores, min_size=1, max_size=4))
def test_trimmed_mean_with_fewer_than_five_examiners_is_the_mean(values):
    assert scoring.round_score(scoring.TRIMMED_MEAN, values) == scoring.round_score(scoring.MEAN, values)


@given(st.lists(st.tuples(st.decimals(min_value=0, max_value=1, places=4), scores), min_size=1, max_size=4))
def test_combined_is_the_exact_weighted_sum(parts):
    exact = [(w, Fraction(s)) for w, s in parts]
    assert scoring.combined(exact) == sum(Fraction(w) * s for w, s in exact)


def test_combined_never_goes_through_float():
    # 0.1 + 0.2 in binary floating point is 0.30000000000000004.
    assert scoring.combined([(Decimal("0.1"), Fraction(1)), (Decimal("0.2"), Fraction(1))]) == Fraction(3, 10)


def test_ranking_states_ties_and_skips_the_next_place():
    places = scoring.rank({"a": Fraction(90), "b": Fraction(85), "c": Fraction(85), "d": Fraction(80)})
    assert places["a"] == scoring.Place(1, 1)
    assert places["b"] == places["c"] == scoring.Place(2, 2)
    assert places["b"].tied
    assert places["d"] == scoring.Place(4, 1)


def test_values_equal_when_rounded_but_not_exactly_are_not_tied():
    places = scoring.rank({"a": Fraction(256, 3), "b": Fraction(8533, 100)})
    assert scoring.show(Fraction(256, 3)) == scoring.show(Fraction(8533, 100)) == "85.33"
    assert places["a"] == scoring.Place(1, 1) and places["b"] == scoring.Place(2, 1)


@given(
    st.dictionaries(st.integers(), st.fractions(min_value=0, max_value=100, max_denominator=50), max_size=20)
)
def test_ranking_properties(values):
    places = scoring.rank(values)
    for k, v in values.items():
        better = sum(1 for w in values.values() if w > v)
        same = sum(1 for w in values.values() if w == v)
        assert places[k] == scoring.Place(better + 1, same)


def test_show_and_exact():
    assert scoring.show(Fraction(177, 2)) == "88.50"
    assert scoring.show(Fraction(256, 3)) == "85.33"
    assert scoring.show(Fraction(1, 200)) == "0.01"  # half up
    assert scoring.is_exact(Fraction(177, 2)) and not scoring.is_exact(Fraction(256, 3))
    assert scoring.exact(Fraction(256, 3)) == "256/3"
    assert scoring.exact(Fraction(177, 2)) == "88.5"
    assert scoring.exact(Fraction(85)) == "85"
