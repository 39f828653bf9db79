"""Important circumstances (D4.2) found in a candidate's entries and the register."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from xuanren.ledger.canonical import Entry
from xuanren.record.circumstances import TITLES, RegisterFacts, Relative, Sanction, detect

TODAY = dt.date(2026, 11, 20)


def entry(
    seq: int, action: str, payload: dict[str, Any], *, stage: str | None = None, time: str = ""
) -> Entry:
    return Entry(
        seq=seq,
        time=time or "2026-06-01T02:00:00Z",
        jurisdiction="620723",
        campaign=1,
        candidate=9,
        stage=stage,
        step=None,
        action=action,
        actor={"id": 1, "name": "王记录"},
        payload=payload,
    )


def codes(found: list) -> list[str]:
    return [c.code for c in found]


def test_a_candidate_made_an_inspection_candidate_directly():
    found = detect(
        [
            entry(
                1,
                "inspection_candidate_set",
                {"basis": "direct", "share": None, "threshold": None, "passed": None},
            )
        ],
        today=TODAY,
    )
    assert codes(found) == ["direct_inspection_candidate"] and found[0].entries == (1,)
    assert found[0].title == "由组织推荐提名直接确定为考察对象"


def test_a_candidate_inspected_with_a_share_below_the_concentration_level():
    found = detect(
        [
            entry(
                4,
                "inspection_candidate_set",
                {"basis": "recommendation", "share": "1/4", "threshold": "1/3", "passed": False},
            )
        ],
        today=TODAY,
    )
    assert codes(found) == ["low_share_inspected"]
    assert "1/4" in found[0].detail and "1/3" in found[0].detail


def test_a_share_that_passed_is_no_circumstance():
    assert (
        detect(
            [
                entry(
                    4,
                    "inspection_candidate_set",
                    {"basis": "recommendation", "share": "1/2", "threshold": "1/3", "passed": True},
                )
            ],
            today=TODAY,
        )
        == []
    )


def test_complaints_during_the_notices_are_listed_with_their_verification():
    entries = [
        entry(2, "complaint_received", {"during": "inspection_notice", "complaint_id": 11}),
        entry(3, "complaint_received", {"during": "pre_appointment_notice", "complaint_id": 12}),
        entry(
            5,
            "complaint_concluded",
            {"complaint_id": 11, "outcome": "cleared", "conclusion": "经核查，反映问题不属实"},
        ),
        entry(6, "complaint_received", {"during": "probation", "complaint_id": 13}),
    ]
    found = detect(entries, today=TODAY)
    assert codes(found) == [
        "complaint_inspection_notice",
        "complaint_pre_appointment_notice",
        "complaint_other",
    ]
    assert found[0].entries == (2, 5) and "查无实据" in found[0].detail and "不属实" in found[0].detail
    assert found[1].entries == (3,) and "尚未办结" in found[1].detail


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"source": "co_managing", "agrees": False, "text": "建议缓任"}, ["co_managing_disagreement"]),
        ({"source": "co_managing", "agrees": True}, []),
        ({"source": "discipline", "agrees": True, "needs_explanation": True}, ["opinion_needs_explanation"]),
        ({"source": "law_enforcement", "agrees": False}, ["opinion_needs_explanation"]),
        ({"source": "audit", "agrees": True, "veto": True}, ["opinion_needs_explanation"]),
        ({"source": "discipline", "agrees": True}, []),
        ({"source": "leaders", "agrees": False}, ["other"]),
    ],
)
def test_opinions(payload, expected):
    assert codes(detect([entry(7, "opinion_recorded", payload)], today=TODAY)) == expected


def test_exceptional_promotion_and_other_allowed_exceptions():
    entries = [
        entry(
            8, "exceptional_promotion_approved", {"reason": "脱贫攻坚中表现突出", "approval": "市委组织部"}
        ),
        entry(9, "tie_settled", {"reason": "常委会研究确定"}),
        entry(10, "circumstance_recorded", {"text": "本人曾在考察对象所在单位挂职"}),
    ]
    found = detect(entries, today=TODAY)
    assert codes(found) == ["exceptional_promotion", "other", "other"]
    assert "脱贫攻坚" in found[0].detail and "市委组织部" in found[0].detail


def test_a_sanction_whose_period_ended_within_the_year_before_the_decision():
    sanctions = (
        Sanction(
            "党内警告处分", dt.date(2024, 5, 1), dt.date(2025, 9, 1)
        ),  # within the year before the decision
        Sanction("行政记过处分", dt.date(2020, 1, 1), dt.date(2021, 1, 1)),  # long over
    )
    decision = entry(12, "vote_recorded", {}, stage="decision", time="2026-03-10T02:00:00Z")
    found = detect([decision], RegisterFacts(sanctions=sanctions), today=TODAY)
    assert (
        codes(found) == ["sanction_period_ended"]
        and found[0].entries == (12,)
        and found[0].source == "register"
    )
    # without a decision yet, "today" is the reference and the first sanction is more than a year ago
    assert detect([], RegisterFacts(sanctions=sanctions), today=TODAY) == []


def test_a_relative_of_a_leading_cadre():
    facts = RegisterFacts(relatives=(
        Relative("父亲", "张大", 5, "某局局长", leading=True),
        Relative("姐姐", "张二", 6, "科员", leading=False),
    ))  # fmt: skip
    found = detect([], facts, today=TODAY)
    assert codes(found) == ["relative_of_leading_cadre"] and "父亲张大" in found[0].detail


def test_reviews_are_never_circumstances_and_the_order_follows_d4_2():
    review = Entry(
        seq=20, time="2026-06-02T02:00:00Z", jurisdiction="620723", campaign=1, candidate=9, stage=None, step=None,
        action="exceptional_promotion_approved", actor={"id": 2}, payload={}, refs=(8,), kind="review",
    )  # fmt: skip
    entries = [
        entry(8, "exceptional_promotion_approved", {}),
        entry(3, "inspection_candidate_set", {"basis": "direct"}),
        review,
    ]
    assert codes(detect(entries, today=TODAY)) == ["direct_inspection_candidate", "exceptional_promotion"]
    assert next(iter(TITLES)) == "direct_inspection_candidate"


@pytest.mark.django_db
def test_register_facts_are_read_for_the_detectors(county):
    from xuanren.record.selectors import register_facts
    from xuanren.register.choices import Rank
    from xuanren.register.models import FamilyMember, RewardSanction
    from xuanren.testing import factories

    unit = factories.make_unit(county, "县交通运输局")
    candidate = factories.make_cadre(county, "张三", unit=unit, current_title="副局长")
    father = factories.make_cadre(county, "张大", unit=unit, rank=Rank.ZHENGKE)
    factories.hold(father, factories.make_post(unit, "局长", rank=Rank.ZHENGKE))
    clerk = factories.make_cadre(county, "张二", unit=unit, rank=Rank.KEYUAN)
    FamilyMember.objects.create(cadre=candidate, relation="父亲", name="张大", relative_cadre=father)
    FamilyMember.objects.create(cadre=candidate, relation="姐姐", name="张二", relative_cadre=clerk)
    RewardSanction.objects.create(
        cadre=candidate,
        kind="sanction",
        description="党内警告处分",
        decided_on=dt.date(2024, 5, 1),
        period_end=dt.date(2026, 5, 1),
    )
    facts, description = register_facts(candidate.pk, TODAY)
    assert description == "县交通运输局，副局长"
    assert [(r.name, r.leading) for r in facts.relatives] == [("张大", True), ("张二", False)]
    assert "县交通运输局局长" in facts.relatives[0].post
    assert codes(detect([], facts, today=TODAY)) == ["sanction_period_ended", "relative_of_leading_cadre"]
