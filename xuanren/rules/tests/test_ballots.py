"""Ballot validity: over-marking and blank ballots."""

from __future__ import annotations

from xuanren.rules.ballots import PostVerdict, judge_ballot, tally_ballots
from xuanren.rules.policy import builtin_registry, get_policy, parse_policy_text

NATIONAL = get_policy("national-2019")
SEATS = {"局长": 1, "副局长": 2}


def test_over_marking_one_post_invalidates_only_that_post_in_the_baseline() -> None:
    judgement = judge_ballot(NATIONAL, marks={"局长": ["甲", "乙"], "副局长": ["丙"]}, seats=SEATS)
    assert judgement.posts == {"局长": PostVerdict.INVALID, "副局长": PostVerdict.VALID}
    assert judgement.decisions[0].rule_id == "national-2019 ballot.over_marking"


def test_a_policy_can_make_over_marking_invalidate_the_whole_ballot() -> None:
    text = """
id = "strict"
name = "整票作废"
version = 1
effective = 2024-01-01
inherits = "national-2019@1"
[ballot.over_marking]
invalidates = "ballot"
source = "县委文件"
"""
    strict = builtin_registry().resolve(parse_policy_text(text))
    judgement = judge_ballot(strict, marks={"局长": ["甲", "乙"], "副局长": ["丙"]}, seats=SEATS)
    assert judgement.whole_ballot_invalid


def test_blank_ballots_count_as_cast_and_valid() -> None:
    ballots = [{"局长": ["甲"]}, {"局长": []}, {"局长": ["甲", "乙"]}, {"局长": ["乙"]}]
    tally = tally_ballots(NATIONAL, ballots=ballots, seats={"局长": 1})["局长"]
    assert (tally.cast, tally.valid, tally.blank, tally.invalid) == (4, 3, 1, 1)
    assert tally.votes == {"甲": 1, "乙": 1}
