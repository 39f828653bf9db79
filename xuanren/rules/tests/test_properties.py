"""Property tests: monotone thresholds, shortlist sizes, quorum and majority by definition."""

from __future__ import annotations

import json
from datetime import date, timedelta
from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from xuanren.rules.calendar import is_working_day, notice_end, working_days_between
from xuanren.rules.decision import Outcome
from xuanren.rules.meetings import check_quorum, judge_vote
from xuanren.rules.policy import builtin_registry, get_policy
from xuanren.rules.recommendation import judge_recommendation
from xuanren.rules.schema import RatioRule, ThresholdRule
from xuanren.rules.shares import percent
from xuanren.rules.shortlist import shortlist
from xuanren.rules.thresholds import judge_share
from xuanren.rules.vocabulary import Denominator, RecommendationMode

THRESHOLDS = [
    (policy, path)
    for policy in builtin_registry().all_latest()
    for path, rule in policy.rules()
    if isinstance(rule, ThresholdRule)
]
CUTS = [
    (policy, path)
    for policy in builtin_registry().all_latest()
    for path, rule in policy.rules()
    if isinstance(rule, RatioRule) and rule.use == "cut"
]
NAMES = list("甲乙丙丁戊己庚辛壬癸")


@given(
    rule=st.sampled_from(THRESHOLDS),
    denominator=st.integers(min_value=1, max_value=600),
    data=st.data(),
)
def test_more_votes_never_turn_a_pass_into_a_fail(rule, denominator: int, data: st.DataObject) -> None:
    policy, path = rule
    votes = data.draw(st.integers(min_value=0, max_value=denominator))
    more = data.draw(st.integers(min_value=votes, max_value=denominator))
    denominators = dict.fromkeys(Denominator, denominator)
    before = judge_share(policy, path, subject="甲", count=votes, denominators=denominators)
    after = judge_share(policy, path, subject="甲", count=more, denominators=denominators)
    if before.outcome is Outcome.PASS:
        assert after.outcome is Outcome.PASS


@given(
    policy=st.sampled_from(["linze", "county-30-60"]),
    mode=st.sampled_from(list(RecommendationMode)),
    participants=st.integers(min_value=1, max_value=1000),
    data=st.data(),
)
def test_recommendation_passes_exactly_when_the_exact_share_reaches_the_threshold(
    policy: str, mode: RecommendationMode, participants: int, data: st.DataObject
) -> None:
    votes = data.draw(st.integers(min_value=0, max_value=participants))
    resolved = get_policy(policy)
    rule = resolved.rule(f"recommendation.threshold.{mode.value}")
    assert isinstance(rule, ThresholdRule)
    decision = judge_recommendation(
        resolved, candidate="甲", votes=votes, participants=participants, mode=mode
    )
    assert decision.passed == (Fraction(votes, participants) >= rule.share.value)
    json.dumps(decision.to_dict(), ensure_ascii=False, allow_nan=False)


@settings(max_examples=300)
@given(
    rule=st.sampled_from(CUTS),
    scores=st.dictionaries(st.sampled_from(NAMES), st.integers(min_value=0, max_value=12), max_size=10),
    base=st.integers(min_value=1, max_value=4),
)
def test_shortlist_sizes_follow_the_ratio_except_where_ties_are_reported(
    rule, scores: dict[str, int], base: int
) -> None:
    policy, path = rule
    cut = shortlist(policy, path, scores=scores, base=base)
    everyone = (*cut.selected, *cut.tied, *cut.others)
    assert sorted(everyone) == sorted(scores)  # nobody is dropped silently
    if cut.decision.outcome is Outcome.PASS:
        assert len(cut.selected) == cut.size
        assert not cut.tied
        if cut.others:
            assert min(scores[n] for n in cut.selected) > max(scores[n] for n in cut.others)
    elif cut.decision.outcome is Outcome.TIE:
        assert len(cut.selected) < cut.size < len(cut.selected) + len(cut.tied)
        assert cut.seats_in_tie == cut.size - len(cut.selected)
        tie_votes = {scores[n] for n in cut.tied}
        assert len(tie_votes) == 1
        (tie,) = tie_votes
        assert all(scores[n] > tie for n in cut.selected)
        assert all(scores[n] < tie for n in cut.others)
        for name in cut.tied:
            assert name in cut.decision.explanation
        assert cut.decision.value["settled_by"]
    else:
        assert cut.decision.outcome is Outcome.FAIL
        assert len(scores) < cut.size


@given(members=st.integers(min_value=1, max_value=80), data=st.data())
def test_quorum_agrees_with_its_definition(members: int, data: st.DataObject) -> None:
    present = data.draw(st.integers(min_value=0, max_value=members))
    decision = check_quorum(get_policy("national-2019"), members=members, present=present)
    assert decision.passed == (3 * present >= 2 * members)


@given(members=st.integers(min_value=1, max_value=80), data=st.data())
def test_majority_is_of_all_members_and_needs_a_quorum(members: int, data: st.DataObject) -> None:
    present = data.draw(st.integers(min_value=0, max_value=members))
    in_favour = data.draw(st.integers(min_value=0, max_value=present))
    against = data.draw(st.integers(min_value=0, max_value=present - in_favour))
    decision = judge_vote(
        get_policy("national-2019"),
        subject="任用甲",
        members=members,
        present=present,
        in_favour=in_favour,
        against=against,
    )
    assert decision.passed == (3 * present >= 2 * members and 2 * in_favour > members)


@given(
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 10, 31)),
    days=st.integers(min_value=1, max_value=20),
)
def test_a_notice_lasts_exactly_its_working_days(start: date, days: int) -> None:
    end = notice_end(start, days)
    assert end >= start
    assert is_working_day(end)
    assert working_days_between(start, end) == days
    assert working_days_between(start, end - timedelta(days=1)) == days - 1


@given(
    numerator=st.integers(min_value=0, max_value=10_000),
    denominator=st.integers(min_value=1, max_value=10_000),
)
def test_percent_display_is_within_half_a_hundredth(numerator: int, denominator: int) -> None:
    assume(numerator <= denominator)
    shown = Fraction(percent(Fraction(numerator, denominator)).removesuffix("%"))
    assert abs(shown - Fraction(numerator * 100, denominator)) <= Fraction(1, 200)
