"""Poll actions: setting up, codes, casting, closing, paper double entry, tally, signatures."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

import pytest
from django.utils import timezone

from xuanren.ballots import actions, selectors, tally, testing
from xuanren.ballots.models import Ballot, PaperBallot, PaperCorrection, Poll, VotingCode
from xuanren.record.models import Entry
from xuanren.rules.shares import Comparison
from xuanren.rules.vocabulary import Denominator

pytestmark = pytest.mark.django_db

ONE_THIRD = tally.Threshold(
    Fraction(1, 3),
    "1/3",
    Comparison.AT_LEAST,
    Denominator.PARTICIPANTS,
    "linze recommendation.threshold.open",
    "000 三、",
)


def open_poll_with_codes(counties, officer, n=5, **kw):
    poll = testing.recommendation(counties.a, officer, participants=n, **kw)
    codes = actions.issue_codes(poll, n, acting_user=officer)
    actions.open_poll(poll, acting_user=officer)
    return poll, codes


def test_codes_are_stored_only_as_keyed_hashes(counties, officer):
    poll = testing.recommendation(counties.a, officer, participants=4)
    codes = actions.issue_codes(poll, 4, acting_user=officer)
    assert len(set(codes)) == 4
    assert all(
        len(actions.normalise_code(c)) == 12 and set(actions.normalise_code(c)) <= set(actions.CODE_ALPHABET)
        for c in codes
    )
    stored = set(VotingCode.objects.filter(poll=poll).values_list("digest", flat=True))
    assert stored == {actions.code_digest(c) for c in codes}
    for code in codes:
        assert not any(actions.normalise_code(code) in d for d in stored)
    with pytest.raises(actions.BallotRefused, match="不能超过参加人数"):
        actions.issue_codes(poll, 5, acting_user=officer)


def test_a_code_votes_once_and_is_typed_forgivingly(counties, officer):
    poll, codes = open_poll_with_codes(counties, officer)
    receipt = actions.cast_ballot(codes[0].lower().replace("-", " "), {"1": ["1"]})
    assert len(receipt.tracker) == 64 and receipt.poll_id == poll.pk
    with pytest.raises(actions.BallotRefused) as refused:
        actions.cast_ballot(codes[0], {"1": ["2"]})
    assert refused.value.rule == "ballots.one_code_one_ballot"
    with pytest.raises(actions.BallotRefused, match="投票码无效"):
        actions.cast_ballot("AAAA-BBBB-CCCC", {})
    assert Ballot.objects.filter(poll=poll).count() == 1
    assert selectors.turnout(poll) == selectors.Turnout(issued=5, voted=1, ballots=1)


def test_electronic_over_marking_is_refused_and_keeps_the_code(counties, officer):
    _poll, codes = open_poll_with_codes(counties, officer, max_marks=1)
    with pytest.raises(actions.BallotRefused) as refused:
        actions.cast_ballot(codes[0], {"1": ["1", "2"]})
    assert refused.value.rule == "ballots.over_marking"
    actions.cast_ballot(codes[0], {"1": ["1"]})


def test_casting_is_refused_before_open_and_after_close(counties, officer):
    poll = testing.recommendation(counties.a, officer, participants=3)
    codes = actions.issue_codes(poll, 3, acting_user=officer)
    with pytest.raises(actions.BallotRefused, match="投票未在进行中"):
        actions.cast_ballot(codes[0], {})
    actions.open_poll(poll, acting_user=officer)
    actions.close_poll(poll, acting_user=officer)
    with pytest.raises(actions.BallotRefused, match="投票未在进行中"):
        actions.cast_ballot(codes[1], {})


def test_closing_is_idempotent_and_recorded_once(counties, officer):
    poll, codes = open_poll_with_codes(counties, officer)
    testing.cast_all(poll, codes[:3])
    actions.close_poll(poll, acting_user=officer)
    actions.close_poll(poll, acting_user=officer)
    assert Entry.objects.filter(action="poll.close").count() == 1
    assert Entry.objects.get(action="poll.close").payload["ballots"] == 3
    assert Poll.objects.get(pk=poll.pk).status == Poll.Status.CLOSED


def test_a_ballot_sent_with_its_pages_key_spares_the_polls_query(counties, officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    poll, codes = open_poll_with_codes(counties, officer)
    key = actions.ballot_key(Poll.objects.get(pk=poll.pk))
    actions.cast_ballot(codes[0], {"1": ["1"]}, key)  # this process now knows the poll
    with CaptureQueriesContext(connection) as keyed:
        actions.cast_ballot(codes[1], {"1": ["2"]}, key)
    with CaptureQueriesContext(connection) as looked_up:
        actions.cast_ballot(codes[2], {"1": ["3"]})
    assert len(keyed) == len(looked_up) - 1
    assert not any("JOIN ballots_poll" in q["sql"] for q in keyed.captured_queries)
    # Whether the poll is still open is the ballot statement's to check, key or no key.
    actions.close_poll(poll, acting_user=officer)
    with pytest.raises(actions.BallotRefused, match="投票未在进行中"):
        actions.cast_ballot(codes[3], {"1": ["1"]}, key)
    assert Ballot.objects.filter(poll=poll).count() == 3


def test_a_code_sent_with_another_polls_key_is_refused_and_stays_unused(counties, officer):
    first, first_codes = open_poll_with_codes(counties, officer, title="甲")
    second, second_codes = open_poll_with_codes(counties, officer, title="乙")
    key = actions.ballot_key(Poll.objects.get(pk=second.pk))
    actions.cast_ballot(second_codes[0], {"1": ["1"]}, key)
    for forged in (key, f"{second.pk}.000000"):
        with pytest.raises(actions.BallotRefused, match="投票码无效") as refused:
            actions.cast_ballot(first_codes[0], {"1": ["1"]}, forged)
        assert refused.value.rule == "ballots.code"
    assert not Ballot.objects.filter(poll=first).exists()
    # Still good for its own poll; a key that names it but not its ballot is looked up again.
    actions.cast_ballot(first_codes[0], {"1": ["1"]}, f"{first.pk}.000000")
    assert Ballot.objects.filter(poll=first).count() == 1


def test_casting_writes_nothing_to_the_record(counties, officer):
    poll, codes = open_poll_with_codes(counties, officer)
    before = Entry.objects.count()
    testing.cast_all(poll, codes)
    assert Entry.objects.count() == before


def test_tally_recount_equals_stored_and_is_recorded_with_the_digest(counties, officer):
    poll, codes = open_poll_with_codes(counties, officer, n=40, max_marks=2, threshold=ONE_THIRD)
    testing.cast_all(poll, codes[:37], seed=3)
    actions.close_poll(poll, acting_user=officer)
    stored = actions.tally_poll(poll, acting_user=officer)
    recount = selectors.recount(poll)
    assert stored.digest == recount.digest
    sheet = tally.result(selectors.spec_of(poll), recount, poll.participants, ONE_THIRD)
    assert sheet.to_dict() == stored.result
    assert stored.result["cast"] == 37 and stored.result["participants"] == 40
    entry = Entry.objects.get(action="poll.tally")
    assert entry.payload["ballot_set_sha256"] == stored.digest
    assert entry.seq == stored.record_seq
    assert entry.payload["decisions"] and all(
        d[2] == ONE_THIRD.rule_id or d[1] == "tie" for d in entry.payload["decisions"]
    )
    assert len(entry.payload["result_sha256"]) == 64
    with pytest.raises(actions.BallotRefused, match="已经计票"):
        actions.tally_poll(poll, acting_user=officer)


def test_tally_refuses_a_poll_still_open(counties, officer):
    poll, _codes = open_poll_with_codes(counties, officer)
    with pytest.raises(actions.BallotRefused) as refused:
        actions.tally_poll(poll, acting_user=officer)
    assert refused.value.rule == "ballots.tally_after_close"


def test_tampered_marks_are_caught_by_the_recount(counties, officer):
    poll, codes = open_poll_with_codes(counties, officer, n=6)
    testing.cast_all(poll, codes)
    actions.close_poll(poll, acting_user=officer)
    ballot = Ballot.objects.filter(poll=poll).exclude(marks=[]).first()
    Ballot.objects.filter(pk=ballot.pk).update(marks=[*ballot.marks, ballot.marks[0]])
    with pytest.raises(actions.BallotRefused) as refused:
        actions.tally_poll(poll, acting_user=officer, verify=True)
    assert refused.value.rule == "ballots.recount"
    actions.tally_poll(poll, acting_user=officer)  # counted from the tampered marks...
    assert actions.verify_tally(poll, acting_user=officer) is False  # ...and the recount says so
    assert Entry.objects.get(action="poll.verify").payload["agrees"] is False


def test_marks_derived_by_the_database_equal_the_pure_cores(counties, officer):
    poll, codes = open_poll_with_codes(counties, officer, n=60, posts=4, candidates=4, max_marks=3)
    testing.cast_all(poll, codes[:55], seed=9)
    actions.close_poll(poll, acting_user=officer)
    assert selectors.counts_from_marks(poll) == selectors.recount(poll)
    actions.tally_poll(poll, acting_user=officer)
    assert actions.verify_tally(poll, acting_user=officer) is True


def paper_poll(counties, officer, rules=tally.DEFAULT_RULES):
    poll = testing.recommendation(counties.a, officer, posts=2, candidates=3, max_marks=1, rules=rules)
    actions.open_poll(poll, acting_user=officer)
    actions.close_poll(poll, acting_user=officer)
    return poll


def test_double_entry_agreeing_counts_the_ballot(counties, officer, clerk):
    poll = paper_poll(counties, officer)
    first = actions.enter_paper_ballot(poll, 1, {"1": ["2"]}, acting_user=officer)
    assert first.status == PaperBallot.Status.FIRST and not Ballot.objects.filter(poll=poll).exists()
    second = actions.enter_paper_ballot(poll, 1, {"1": ["2"]}, acting_user=clerk)
    assert second.status == PaperBallot.Status.AGREED
    ballot = Ballot.objects.get(poll=poll)
    assert ballot.paper and ballot.content == '{"m":{"1":["2"]}}'


def test_the_same_clerk_cannot_enter_twice(counties, officer):
    poll = paper_poll(counties, officer)
    actions.enter_paper_ballot(poll, 1, {"1": ["2"]}, acting_user=officer)
    with pytest.raises(actions.BallotRefused, match="另一名计票员"):
        actions.enter_paper_ballot(poll, 1, {"1": ["2"]}, acting_user=officer)


def test_mismatches_are_listed_block_the_tally_and_reconcile_with_a_reason(
    counties, officer, clerk, scrutineer
):
    poll = paper_poll(counties, officer)
    actions.enter_paper_ballot(poll, 1, {"1": ["1"]}, acting_user=officer)
    actions.enter_paper_ballot(poll, 1, {"1": ["3"]}, acting_user=clerk)
    actions.enter_paper_ballot(poll, 2, {"2": ["1"]}, acting_user=officer)
    assert [p.number for p in selectors.mismatches(poll)] == [1]
    with pytest.raises(actions.BallotRefused) as refused:
        actions.tally_poll(poll, acting_user=officer)
    assert refused.value.rule == "ballots.paper_pending" and "不一致待核对 1" in refused.value.message
    actions.enter_paper_ballot(poll, 2, {"2": ["1"]}, acting_user=clerk)
    paper = PaperBallot.objects.get(poll=poll, number=1)
    with pytest.raises(actions.BallotRefused, match="理由"):
        actions.reconcile_paper_ballot(paper, {"1": ["3"]}, reason=" ", acting_user=scrutineer)
    actions.reconcile_paper_ballot(
        paper, {"1": ["3"]}, reason="对照原件，第二人录入正确", acting_user=scrutineer
    )
    correction = PaperCorrection.objects.get(paper=paper)
    assert '{"m":{"1":["1"]}}' in correction.old_content and '{"m":{"1":["3"]}}' in correction.old_content
    assert correction.new_content == '{"m":{"1":["3"]}}'
    stored = actions.tally_poll(poll, acting_user=officer)
    assert stored.result["cast"] == 2
    assert stored.result["items"][0]["lines"][0] == {
        "choice": "3",
        "label": "候选人1-3",
        "votes": 1,
        "share": {"votes": 1, "of": 2, "fraction": "1/2", "percent": "50%", "equation": "1/2 = 50%"},
        "rank": 1,
        "tied": False,
    }


def test_paper_over_marking_follows_the_policy(counties, officer, clerk):
    whole = tally.BallotRules(over_marking="ballot")
    for rules, valid, void_items in ((tally.DEFAULT_RULES, 1, {"1": 1}), (whole, 0, {})):
        poll = paper_poll(counties, officer, rules)
        for user in (officer, clerk):
            actions.enter_paper_ballot(poll, 1, {"1": ["1", "2"], "2": ["1"]}, acting_user=user)
        actions.enter_paper_ballot(poll, 2, {}, void=True, acting_user=officer)
        actions.enter_paper_ballot(poll, 2, {}, void=True, acting_user=clerk)
        stored = actions.tally_poll(poll, acting_user=officer)
        counts = selectors.counts_from_marks(poll)
        assert (stored.result["cast"], stored.result["valid"], stored.result["invalid"]) == (
            2,
            valid,
            2 - valid,
        )
        assert counts.void_items == void_items


def test_counter_and_scrutineer_sign_as_two_people(counties, officer, scrutineer):
    poll, codes = open_poll_with_codes(counties, officer, n=3)
    testing.cast_all(poll, codes)
    actions.close_poll(poll, acting_user=officer)
    with pytest.raises(actions.BallotRefused, match="计票后"):
        actions.sign_tally(poll, "counter", acting_user=officer)
    stored = actions.tally_poll(poll, acting_user=officer)
    actions.sign_tally(poll, "counter", acting_user=officer)
    with pytest.raises(actions.BallotRefused, match="不同的人"):
        actions.sign_tally(poll, "scrutineer", acting_user=officer)
    with pytest.raises(actions.BallotRefused, match="已经签字"):
        actions.sign_tally(poll, "counter", acting_user=scrutineer)
    signature = actions.sign_tally(poll, "scrutineer", acting_user=scrutineer)
    assert signature.digest == stored.digest
    assert Entry.objects.filter(action="poll.sign").count() == 2


def test_tick_opens_and_closes_on_schedule(counties, officer):
    now = timezone.now()
    poll = testing.recommendation(counties.a, officer)
    Poll.objects.filter(pk=poll.pk).update(
        opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(hours=1)
    )
    assert actions.tick(now) == ([poll.pk], [])
    assert actions.tick(now) == ([], [])
    assert actions.tick(now + timedelta(hours=2)) == ([], [poll.pk])
    assert Poll.objects.get(pk=poll.pk).status == Poll.Status.CLOSED


def test_evaluation_and_committee_polls_use_their_scales(counties, officer):
    poll = actions.create_poll(
        jurisdiction=counties.a,
        title="民主测评",
        kind="evaluation",
        participants=3,
        items=[actions.ItemInput("李四"), actions.ItemInput("王五")],
        scale=tally.TRUST_SCALE,
        acting_user=officer,
    )
    spec = selectors.spec_of(poll)
    assert [c.label for c in spec.items[0].choices] == list(tally.TRUST_SCALE)
    committee = actions.create_poll(
        jurisdiction=counties.a,
        title="票决",
        kind="committee",
        participants=9,
        items=[actions.ItemInput("李四")],
        acting_user=officer,
    )
    assert [c.key for c in selectors.spec_of(committee).items[0].choices] == ["同意", "不同意", "弃权"]


def test_policy_values_become_poll_rules():
    from xuanren.ballots import policy_rules
    from xuanren.rules.policy import get_policy

    linze = get_policy("linze")
    rules = policy_rules.ballot_rules(linze)
    assert rules.over_marking in ("post", "ballot") and rules.blank_counts_as_cast
    threshold = policy_rules.threshold(linze, "recommendation.threshold.open")
    assert threshold is not None and threshold.share == Fraction(1, 3) and threshold.source == "000 三、"
    assert policy_rules.scale(linze) == tally.EVALUATION_SCALE


def test_polls_tick_command_opens_due_polls(counties, officer):
    from io import StringIO

    from django.core.management import call_command

    poll = testing.recommendation(counties.a, officer)
    Poll.objects.filter(pk=poll.pk).update(opens_at=timezone.now() - timedelta(minutes=1))
    out = StringIO()
    call_command("polls", "tick", stdout=out)
    assert f"opened 1 [{poll.pk}]" in out.getvalue()
    assert Entry.objects.get(action="poll.open").actor_name == "系统（定时）"
