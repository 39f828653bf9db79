"""Tally of a 2,000-voter democratic recommendation: 30 posts, 3 candidates each, up to 2 marks.

- ``close``: ``actions.close_poll``, which rewrites the 2,000 ballots in sorted order with fresh
  keys in one transaction.
- ``tally``: ``actions.tally_poll`` from the database to the stored result sheet: the GROUP BY
  over the marks (about 90,000, stored as "item:choice" arrays beside each canonical ballot) and
  the one over the ballots' flags, the SHA-256 of the canonical ballot set, shares as exact
  fractions and percentages, ranking, ties and threshold decisions, the stored result and its
  record entry. Target: at most 3× the baseline, measured in the same run.
- ``render``: the tally sheet page rendered to HTML from the stored result (no target).
- ``close + tally``: target at most 0.5 s.
- baseline ``SQL GROUP BY``: the one hand-written ``SELECT mark, COUNT(*) ... GROUP BY mark`` over
  the same ballot rows' marks, the least any count of them can cost.

Options: ``--param voters=N`` (default 2000), ``--param repeat=N`` (default 5).
Run alone: ``python -m bench --only tally``.
"""

from __future__ import annotations

import random
import statistics
import sys
from fractions import Fraction
from typing import Any

from bench.harness import Context, Result, measure

TITLE = "基准：2000 人民主推荐"
POSTS, CANDIDATES, MARKS = 30, 3, 2
TARGET_MS = 500.0
RATIO_TARGET = 3.0


def _fresh_poll(voters: int) -> Any:
    from django.db import connection

    from xuanren.accounts.models import User
    from xuanren.ballots import actions, tally
    from xuanren.ballots.models import Poll
    from xuanren.rules.shares import Comparison
    from xuanren.rules.vocabulary import Denominator
    from xuanren.testing import factories

    with connection.cursor() as cursor:  # earlier runs' polls, without Django's cascade collector
        for pk in Poll.objects.filter(title=TITLE).values_list("pk", flat=True):
            cursor.execute(
                "DELETE FROM ballots_tallysignature WHERE tally_id IN (SELECT id FROM ballots_tally WHERE poll_id = %s)",
                [pk],
            )
            for table in ("ballot", "votingcode", "tally"):
                cursor.execute(f"DELETE FROM ballots_{table} WHERE poll_id = %s", [pk])
    Poll.objects.filter(title=TITLE).delete()
    counties = factories.make_counties()
    user = User.objects.filter(username="bench-tally").first() or factories.make_user(
        "cadre_officer", jurisdiction=counties.a, username="bench-tally"
    )
    one_third = tally.Threshold(
        Fraction(1, 3),
        "1/3",
        Comparison.AT_LEAST,
        Denominator.PARTICIPANTS,
        "linze recommendation.threshold.open",
        "000 三、",
    )
    items = [
        actions.ItemInput(f"职位{p}", [f"候选人{p}-{c}" for c in range(1, CANDIDATES + 1)], MARKS, MARKS)
        for p in range(1, POSTS + 1)
    ]
    poll = actions.create_poll(
        jurisdiction=counties.a,
        title=TITLE,
        kind="recommendation",
        participants=voters,
        items=items,
        threshold=one_third,
        acting_user=user,
    )
    codes = actions.issue_codes(poll, voters, acting_user=user)
    actions.open_poll(poll, acting_user=user)
    rng = random.Random(2026)
    for code in codes:
        marks = {}
        for p in range(1, POSTS + 1):
            n = rng.choices((0, 1, 2), weights=(1, 3, 6))[0]
            if n:
                marks[str(p)] = rng.sample([str(c) for c in range(1, CANDIDATES + 1)], n)
        actions.cast_ballot(code, marks)
    return poll, user


def run(ctx: Context) -> list[Result]:
    from django.db import connection
    from django.template.loader import render_to_string

    from xuanren.ballots import actions, selectors
    from xuanren.ballots.models import Poll, Tally

    voters, repeat = ctx.param("voters", 2000), ctx.param("repeat", 5)
    ctx.log(f"casting {voters} ballots")
    poll, user = _fresh_poll(voters)
    (close_ms,) = measure(lambda: actions.close_poll(poll, acting_user=user))
    counted = selectors.counts_from_marks(poll)
    marks = sum(n for per in counted.votes.values() for n in per.values())
    ctx.log(f"closed: {marks} marks")

    def tally_to_sheet() -> None:
        actions.tally_poll(poll, acting_user=user)

    def render_sheet() -> None:
        stored = Tally.objects.get(poll=poll)
        render_to_string("ballots/tally_sheet.html", {"poll": poll, "tally": stored, "sheet": stored.result})

    def reset() -> None:
        Tally.objects.filter(poll=poll).delete()
        Poll.objects.filter(pk=poll.pk).update(status=Poll.Status.CLOSED)
        poll.refresh_from_db()

    tally_times = []
    for _ in range(repeat):
        reset()
        tally_times += measure(tally_to_sheet)

    def group_by() -> None:
        with connection.cursor() as cursor:
            cursor.execute(selectors.MARKS_GROUP_BY[connection.vendor], [poll.pk])
            cursor.fetchall()

    render_ms = statistics.median(measure(render_sheet, repeat=repeat))
    group_by()
    baseline = statistics.median(measure(group_by, repeat=repeat))
    tally_ms = statistics.median(tally_times)
    assert selectors.recount(poll) == selectors.counts_from_marks(poll)
    shape = f"{voters} ballots, {POSTS} posts × {CANDIDATES} candidates, {marks} marks; median of {repeat}"
    return [
        Result("ballots: close (sorted rewrite)", ctx.db, close_ms, "ms", note=shape),
        Result(
            "ballots: tally to result sheet",
            ctx.db,
            tally_ms,
            "ms",
            target=RATIO_TARGET * baseline,
            baseline_name="SQL GROUP BY",
            baseline_value=baseline,
            note="target is 3× the GROUP BY measured in the same run",
        ),
        Result(
            "ballots: render the tally sheet page", ctx.db, render_ms, "ms", note="for reference, no target"
        ),
        Result(
            "ballots: close + tally",
            ctx.db,
            close_ms + tally_ms,
            "ms",
            target=TARGET_MS,
            baseline_name="SQL GROUP BY",
            baseline_value=baseline,
        ),
    ]


if __name__ == "__main__":
    from bench.__main__ import main

    sys.exit(main(["--only", "tally", *sys.argv[1:]]))
