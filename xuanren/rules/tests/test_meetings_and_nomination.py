"""Meeting rules (speaking order, positions, full committee) and in-unit nomination participation."""

from __future__ import annotations

import pytest

from xuanren.rules.decision import Outcome
from xuanren.rules.meetings import check_positions, check_speaking_order, full_committee_required
from xuanren.rules.policy import get_policy
from xuanren.rules.recommendation import check_nomination_participation

LINZE = get_policy("linze")


@pytest.mark.parametrize(
    ("unit_size", "participants", "expected"),
    # 000 一、（五提名）二是: 30人以上的……人数不少于30人；30人以下的，全体参加.
    [
        (45, 30, Outcome.PASS),
        (45, 31, Outcome.PASS),
        (45, 29, Outcome.FAIL),
        (30, 30, Outcome.PASS),
        (30, 29, Outcome.FAIL),
        (29, 29, Outcome.PASS),
        (29, 28, Outcome.FAIL),
        (12, 12, Outcome.PASS),
    ],
)
def test_in_unit_nomination_participation(unit_size: int, participants: int, expected: Outcome) -> None:
    assert (
        check_nomination_participation(LINZE, unit_size=unit_size, participants=participants).outcome
        is expected
    )


def test_the_secretary_speaks_last() -> None:
    assert check_speaking_order(LINZE, speakers=["甲", "乙", "书记"], secretary="书记").passed
    assert (
        check_speaking_order(LINZE, speakers=["甲", "书记", "乙"], secretary="书记").outcome is Outcome.FAIL
    )
    assert check_speaking_order(LINZE, speakers=["甲"], secretary="书记").outcome is Outcome.PENDING


def test_positions_must_be_among_the_allowed_ones() -> None:
    national = get_policy("national-2019")
    assert check_positions(national, positions={"甲": ("同意", ""), "乙": ("缓议", "")}).passed
    assert check_positions(national, positions={"甲": ("弃权", "")}).outcome is Outcome.FAIL


def test_supervision_001_requires_a_reason_for_every_position() -> None:
    study = get_policy("supervision-001")
    assert check_positions(study, positions={"甲": ("赞成", "实绩突出")}).passed
    refused = check_positions(study, positions={"甲": ("不赞成", " ")})
    assert refused.outcome is Outcome.FAIL and "未说明理由" in refused.explanation


def test_town_heads_go_to_the_full_committee_after_the_standing_committee() -> None:
    decision = full_committee_required(LINZE, post_kind="乡镇党政正职")
    assert decision.value is True and decision.source == "000 一、（四差额）四是"
    assert full_committee_required(LINZE, post_kind="县直部门副职").value is False
    observers = full_committee_required(get_policy("county-30-60"), post_kind="乡镇党政正职")
    assert "候补委员、纪委委员列席" in observers.explanation
    assert (
        full_committee_required(get_policy("handan"), post_kind="乡镇党政正职").outcome
        is Outcome.NOT_APPLICABLE
    )
