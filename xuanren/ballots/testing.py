"""Builders of polls for tests, benchmarks and the tenancy walk."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from xuanren.accounts.models import Jurisdiction
from xuanren.ballots import actions, tally
from xuanren.ballots.models import PaperBallot, Poll, PollChoice, PollItem
from xuanren.testing import factories


def recommendation(
    jurisdiction: Jurisdiction,
    user: Any,
    *,
    posts: int = 3,
    candidates: int = 3,
    max_marks: int = 1,
    participants: int = 10,
    rules: tally.BallotRules = tally.DEFAULT_RULES,
    threshold: tally.Threshold | None = None,
    write_ins: bool = False,
    title: str = "民主推荐",
) -> Poll:
    items = [
        actions.ItemInput(
            title=f"职位{p}",
            choices=[f"候选人{p}-{c}" for c in range(1, candidates + 1)],
            max_marks=max_marks,
            seats=max_marks,
            write_ins=write_ins,
        )
        for p in range(1, posts + 1)
    ]
    return actions.create_poll(
        jurisdiction=jurisdiction,
        title=title,
        kind="recommendation",
        participants=participants,
        items=items,
        rules=rules,
        threshold=threshold,
        acting_user=user,
    )


def random_marks(spec: tally.PollSpec, rng: random.Random, over_mark: float = 0.0) -> dict[str, list[str]]:
    """A plausible ballot: per item 0..max marks (sometimes one too many, if ``over_mark``)."""
    marks: dict[str, list[str]] = {}
    for item in spec.items:
        keys = [c.key for c in item.choices]
        n = rng.randint(0, min(item.max_marks, len(keys)))
        if over_mark and rng.random() < over_mark:
            n = min(item.max_marks + 1, len(keys))
        if n:
            marks[item.key] = rng.sample(keys, n)
    return marks


def scoped_poll(j: Jurisdiction, pk: int, tag: str) -> dict[str, Any]:
    """The tenancy walk's poll: closed, with a paper ballot awaiting reconciliation, at ``pk``."""
    user = factories.make_user(jurisdiction=j, username=f"ballots-builder-{pk}")
    poll = Poll.objects.create(
        pk=pk,
        jurisdiction=j,
        title=f"{tag}民主推荐",
        kind=Poll.Kind.RECOMMENDATION,
        status=Poll.Status.CLOSED,
        participants=5,
        created_by=user,
    )
    item = PollItem.objects.create(pk=pk, poll=poll, position=1, title=f"{tag}副局长", max_marks=1)
    PollChoice.objects.create(pk=pk, item=item, position=1, key="1", label=f"{tag}候选人")
    paper = PaperBallot.objects.create(
        pk=pk,
        poll=poll,
        number=1,
        status=PaperBallot.Status.MISMATCH,
        first_content='{"m":{"1":["1"]}}',
        first_by=user,
        second_content='{"m":{}}',
        second_by=user,
    )
    return {"poll": poll, "paper_ballot": paper}


def cast_all(poll: Poll, codes: Sequence[str], seed: int = 1, over_mark: float = 0.0) -> list[str]:
    from xuanren.ballots import selectors

    spec = selectors.spec_of(poll)
    rng = random.Random(seed)
    return [actions.cast_ballot(code, random_marks(spec, rng, over_mark)).tracker for code in codes]
