"""The pure tally core: canonical ballots, validity by the policy, exact counts and decisions."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xuanren.ballots import tally
from xuanren.ballots.tally import Ballot, BallotRules, Threshold
from xuanren.rules.shares import Comparison
from xuanren.rules.vocabulary import Denominator

SPEC = tally.PollSpec(
    tally.PollKind.RECOMMENDATION,
    (
        tally.ItemSpec(
            "1",
            "副局长",
            (tally.Choice("1", "李四"), tally.Choice("2", "王五"), tally.Choice("3", "赵六")),
            2,
            seats=2,
        ),
        tally.ItemSpec(
            "2", "局长", (tally.Choice("1", "张三"), tally.Choice("2", "钱七")), 1, write_ins=True
        ),
    ),
)
POST = BallotRules(over_marking="post")
WHOLE = BallotRules(over_marking="ballot", rule_id="linze ballot.over_marking", source="000")
ONE_THIRD = Threshold(
    Fraction(1, 3),
    "1/3",
    Comparison.AT_LEAST,
    Denominator.PARTICIPANTS,
    "linze recommendation.threshold.open",
    "000 三、",
)


def ballot(marks: dict[str, list[str]], void: bool = False) -> Ballot:
    return tally.make_ballot(marks, SPEC, void=void)


def test_canonical_form_ignores_order_and_duplicates():
    a = tally.canonical(ballot({"2": ["1"], "1": ["2", "1", "1"]}))
    b = tally.canonical(ballot({"1": ["1", "2"], "2": ["1"]}))
    assert a == b == '{"m":{"1":["1","2"],"2":["1"]}}'
    assert tally.parse(a) == ballot({"1": ["1", "2"], "2": ["1"]})


def test_unknown_items_choices_and_write_ins_where_not_allowed_are_refused():
    with pytest.raises(tally.BallotError):
        ballot({"9": ["1"]})
    with pytest.raises(tally.BallotError):
        ballot({"1": ["7"]})
    with pytest.raises(tally.BallotError, match="不允许另选"):
        ballot({"1": [tally.write_in("孙八")]})
    assert ballot({"2": [tally.write_in(" 孙 八 ")]}).marks["2"] == ("+孙八",)


def test_over_marking_voids_only_that_post_under_the_post_rule():
    verdict = tally.judge(ballot({"1": ["1", "2", "3"], "2": ["1"]}), SPEC, POST)
    assert verdict.valid and verdict.void_items == ("1",) and verdict.counted == {"2": ("1",)}


def test_over_marking_voids_the_whole_ballot_under_the_ballot_rule():
    verdict = tally.judge(ballot({"1": ["1", "2", "3"], "2": ["1"]}), SPEC, WHOLE)
    assert not verdict.valid and verdict.counted == {} and "整张选票无效" in verdict.reasons[-1]


def test_blank_ballot_counts_as_cast_and_valid_when_the_policy_says_so():
    assert tally.judge(ballot({}), SPEC, POST) == tally.Verdict(True, True, {}, (), ())
    strict = BallotRules(blank_counts_as_cast=False)
    assert not tally.judge(ballot({}), SPEC, strict).valid


def test_a_void_paper_ballot_is_invalid():
    assert not tally.judge(ballot({"1": ["1"]}, void=True), SPEC, POST).valid


def test_counts_and_shares_are_exact_and_ties_at_the_cut_off_are_reported():
    ballots = [
        ballot({"1": ["1", "2"], "2": ["1"]}),
        ballot({"1": ["1", "3"], "2": ["2"]}),
        ballot({"1": ["1", "2", "3"]}),  # over-marked post 1
        ballot({}),
    ]
    counts = tally.count_ballots([tally.canonical(b) for b in ballots], SPEC, POST)
    assert (counts.cast, counts.valid, counts.blank, counts.invalid) == (4, 4, 1, 0)
    assert counts.votes == {"1": {"1": 2, "2": 1, "3": 1}, "2": {"1": 1, "2": 1}}
    assert counts.void_items == {"1": 1}
    sheet = tally.result(SPEC, counts, participants=6, threshold=ONE_THIRD)
    post1 = sheet.items[0]
    assert post1.valid == 3 and post1.void == 1
    assert [(line.label, line.votes, line.rank, line.tied) for line in post1.lines] == [
        ("李四", 2, 1, False),
        ("王五", 1, 2, True),
        ("赵六", 1, 2, True),
    ]
    assert post1.lines[0].share.fraction == "2/6" and post1.lines[0].share.percent == "33.33%"
    tie, *judged = post1.decisions
    assert tie.outcome == "tie" and "王五、赵六" in tie.explanation
    # 2/6 is exactly one third: it passes "at least 1/3".
    assert judged[0].passed and "2/6 ≈ 33.33% ≥ 1/3" in judged[0].explanation
    assert not judged[1].passed and "1/6 ≈ 16.67% < 1/3" in judged[1].explanation


def test_evaluation_approval_counts_the_policys_grades_over_valid_ballots():
    spec = tally.PollSpec(
        tally.PollKind.EVALUATION,
        (tally.ItemSpec("1", "李四", tuple(tally.Choice(g, g) for g in tally.EVALUATION_SCALE)),),
    )
    more_than_half = Threshold(
        Fraction(1, 2),
        "1/2",
        Comparison.MORE_THAN,
        Denominator.VALID_BALLOTS,
        "linze inspection.evaluation",
        "000 三、",
        grades=("优秀", "称职"),
    )
    texts = [
        tally.canonical(tally.make_ballot({"1": [g]}, spec)) for g in ["优秀", "称职", "基本称职", "不称职"]
    ]
    sheet = tally.result(spec, tally.count_ballots(texts, spec, POST), 4, more_than_half)
    (decision,) = sheet.items[0].decisions
    assert not decision.passed and "2/4 = 50% ≤ 1/2" in decision.explanation
    assert sheet.items[0].unmarked == 0
    texts.append(tally.canonical(tally.make_ballot({"1": ["优秀"]}, spec)))
    sheet = tally.result(spec, tally.count_ballots(texts, spec, POST), 5, more_than_half)
    assert sheet.items[0].decisions[0].passed


def test_committee_approval_is_over_all_members_not_those_present():
    spec = tally.PollSpec(
        tally.PollKind.COMMITTEE,
        (tally.ItemSpec("1", "李四", tuple(tally.Choice(o, o) for o in tally.COMMITTEE_OPTIONS)),),
    )
    approval = Threshold(
        Fraction(1, 2),
        "1/2",
        Comparison.MORE_THAN,
        Denominator.MEMBERS_TOTAL,
        "national-2019 decision.approval",
        "条例",
    )
    texts = [tally.canonical(tally.make_ballot({"1": ["同意"]}, spec)) for _ in range(6)]
    sheet = tally.result(spec, tally.count_ballots(texts, spec, POST), participants=13, threshold=approval)
    assert not sheet.items[0].decisions[0].passed  # 6 of 13 members, although 6 of 6 present
    sheet = tally.result(
        spec, tally.count_ballots(texts * 2, spec, POST), participants=13, threshold=approval
    )
    assert sheet.items[0].decisions[0].passed


def test_more_ballots_than_participants_is_flagged():
    texts = [tally.canonical(ballot({}))] * 3
    assert "多于参加人数" in tally.result(SPEC, tally.count_ballots(texts, SPEC, POST), 2).notes[0]


def test_the_digest_depends_on_the_set_not_the_order():
    texts = [tally.canonical(ballot({"1": [c]})) for c in "123"]
    assert tally.ballot_set_digest(texts) == tally.ballot_set_digest(list(reversed(texts)))
    assert tally.ballot_set_digest(texts) != tally.ballot_set_digest(texts[:2])


def test_trackers_differ_for_identical_ballots():
    text = tally.canonical(ballot({}))
    assert tally.tracker(text, b"a" * 32) != tally.tracker(text, b"b" * 32)


def test_result_is_plain_json():
    counts = tally.count_ballots([tally.canonical(ballot({"2": ["+孙八"]}))], SPEC, POST)
    data = tally.result(SPEC, counts, 1, ONE_THIRD).to_dict()
    assert data["items"][1]["lines"][0]["label"] == "孙八（另选）"


marks_strategy = st.fixed_dictionaries(
    {},
    optional={
        "1": st.lists(st.sampled_from(["1", "2", "3"]), max_size=3),
        "2": st.lists(st.sampled_from(["1", "2"]), max_size=2),
    },
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(marks_strategy, max_size=40),
    st.sampled_from([POST, WHOLE, BallotRules(blank_counts_as_cast=False)]),
)
def test_mark_rows_count_the_same_as_the_recount(ballots, rules):
    """What the database's GROUP BY counts (the marks_of strings) equals the recount of the ballots."""
    texts = [tally.canonical(tally.make_ballot(m, SPEC)) for m in ballots]
    recount = tally.count_ballots(texts, SPEC, rules)
    grouped = tally.Counts()
    for text in texts:
        verdict = tally.judge(tally.parse(text), SPEC, rules)
        grouped.cast += 1
        grouped.valid += verdict.valid
        grouped.blank += verdict.blank
        for item, choice in map(tally.split_mark, tally.marks_of(verdict)):
            if choice == tally.VOID_MARK:
                grouped.void_items[item] = grouped.void_items.get(item, 0) + 1
            else:
                grouped.votes.setdefault(item, {})[choice] = grouped.votes.get(item, {}).get(choice, 0) + 1
    grouped.digest = tally.ballot_set_digest(texts)
    assert grouped.normalised() == recount


@settings(max_examples=100, deadline=None)
@given(st.lists(marks_strategy, min_size=1, max_size=30), st.integers(0, 29))
def test_one_more_vote_never_turns_a_pass_into_a_fail(ballots, index):
    texts = [tally.canonical(tally.make_ballot(m, SPEC)) for m in ballots]
    before = tally.result(SPEC, tally.count_ballots(texts, SPEC, POST), 30, ONE_THIRD)
    extra = [*texts, tally.canonical(ballot({"1": ["1"]}))]
    after = tally.result(SPEC, tally.count_ballots(extra, SPEC, POST), 30, ONE_THIRD)
    passed_before = {d.subject for d in before.items[0].decisions if d.passed}
    passed_after = {d.subject for d in after.items[0].decisions if d.passed}
    assert "李四" not in passed_before or "李四" in passed_after


def test_random_ballots_round_trip_through_canonical_text():
    rng = random.Random(7)
    for _ in range(200):
        marks = {
            "1": rng.sample(["1", "2", "3"], rng.randint(0, 3)),
            "2": rng.sample(["1", "2"], rng.randint(0, 2)),
        }
        b = ballot(marks)
        assert tally.parse(tally.canonical(b)) == b


@settings(max_examples=150, deadline=None)
@given(marks_strategy, st.sampled_from(["linze", "national-2019", "county-30-60"]))
def test_validity_agrees_with_the_policy_evaluator(marks, policy_id):
    """The tally core and xuanren.rules.ballots judge over-marking the same way under each policy."""
    from xuanren.ballots import policy_rules
    from xuanren.rules.ballots import PostVerdict, judge_ballot
    from xuanren.rules.policy import get_policy

    policy = get_policy(policy_id)
    rules = policy_rules.ballot_rules(policy)
    verdict = tally.judge(tally.make_ballot(marks, SPEC), SPEC, rules)
    seats = {item.key: item.max_marks for item in SPEC.items}
    clean = {key: sorted(set(chosen)) for key, chosen in marks.items()}
    judged = judge_ballot(policy, marks=clean, seats=seats)
    invalid = {post for post, v in judged.posts.items() if v is PostVerdict.INVALID}
    if rules.over_marking == "ballot" and invalid:
        assert not verdict.valid
    else:
        assert set(verdict.void_items) == invalid
        counted = {post for post, v in judged.posts.items() if v is PostVerdict.VALID}
        assert set(verdict.counted) == counted
