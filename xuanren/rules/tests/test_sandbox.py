"""The policy sandbox: the same result judged under several policies."""

from __future__ import annotations

import json

import pytest

from xuanren.rules.decision import Outcome, RuleInputError
from xuanren.rules.sandbox import SandboxResult, sandbox

RESULT = {
    "posts": 1,
    "participants": 120,
    "mode": "open",
    "votes": {"张三": 70, "李四": 39, "王五": 11},
    "evaluations": {"张三": {"优秀": 30, "称职": 40, "基本称职": 20, "不称职": 10}},
    "committee_members": 11,
    "committee_present": 9,
    "committee_votes": {"张三": 6},
    "post_kind": "乡镇党政正职",
}


def test_linze_and_county_30_60_differ_for_the_same_result() -> None:
    outcomes = sandbox(["linze", "county-30-60"], RESULT)
    linze, county = outcomes["linze"], outcomes["county-30-60"]
    # 李四 39/120 = 32.5%: below 1/3 (000), above 30% for an open recommendation (002).
    linze_li = next(d for d in linze.decisions() if d.subject == "李四")
    county_li = next(d for d in county.decisions() if d.subject == "李四")
    assert linze_li.outcome is Outcome.FAIL and county_li.outcome is Outcome.PASS
    assert linze.inspection_candidates == ("张三",) and "差额不足" in linze.summary
    assert county.inspection_candidates == ("张三", "李四")
    assert "1/3" in linze_li.explanation and "30%" in county_li.explanation


def test_from_a_list_county_30_60_needs_sixty_percent() -> None:
    # 70/120 ≈ 58.33% < 60%: nobody; 72/120 = 60% exactly: 张三 alone, too few to compete.
    nobody = sandbox(["county-30-60"], {**RESULT, "mode": "from_list"})["county-30-60"]
    assert nobody.inspection_candidates == ()
    one = sandbox(["county-30-60"], {**RESULT, "mode": "from_list", "votes": {"张三": 72, "李四": 71}})[
        "county-30-60"
    ]
    assert one.inspection_candidates == ("张三",) and "差额不足" in one.summary


def test_the_sandbox_reports_ties_with_the_meeting_that_settles_them() -> None:
    outcome = sandbox(["linze"], {**RESULT, "votes": {"张三": 70, "李四": 50, "王五": 50}})["linze"]
    assert outcome.tied == ("李四", "王五")
    assert "县委人事酝酿会议" in " ".join(d.explanation for d in outcome.decisions())


def test_sandbox_output_is_json() -> None:
    outcomes = sandbox(
        ["national-2019", "linze", "county-30-60", "handan", "supervision-001", "tongliao-003"], RESULT
    )
    text = json.dumps({k: v.to_dict() for k, v in outcomes.items()}, ensure_ascii=False, allow_nan=False)
    assert "linze recommendation.threshold.open" in text


def test_trust_counts_are_judged_as_a_trust_vote() -> None:
    result = {**RESULT, "evaluations": {"张三": {"信任": 50, "基本信任": 30, "不信任": 20}}}
    county = sandbox(["county-30-60"], result)["county-30-60"]
    trust = next(d for d in county.decisions() if d.rule_id.endswith("moving_down.trust_vote"))
    assert trust.outcome is Outcome.FAIL


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"posts": None}, "posts"),
        ({"votes": {"甲": -1}}, "votes.甲"),
        ({"mode": "x"}, "mode"),
        ({"extra": 1}, "extra"),
    ],
)
def test_bad_form_input_names_the_field(patch: dict[str, object], message: str) -> None:
    with pytest.raises(RuleInputError, match=message):
        SandboxResult.from_dict({**RESULT, **patch})
