"""Vote figures for a campaign step, from a tallied poll or counted on paper.

Many counties count recommendation and evaluation forms by hand; the figures then come as typed
numbers. Where the ballots app ran the vote, the same figures are read from its tally. Either way
an action receives one of these values and the rules judge it the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from xuanren.ballots import selectors as ballot_selectors
from xuanren.ballots import tally
from xuanren.ballots.models import Poll, PollChoice, PollItem


class FiguresError(ValueError):
    """The figures cannot be used (a poll not yet tallied, of another kind, or inconsistent)."""


@dataclass(frozen=True)
class RecommendationFigures:
    """Votes per cadre (cadre id -> votes), the number who took part and, if known, valid ballots."""

    votes: Mapping[int, int]
    participants: int
    valid_ballots: int | None = None
    poll_id: int | None = None
    ballot_set_sha256: str = ""

    @property
    def source(self) -> str:
        return "poll" if self.poll_id else "paper"


@dataclass(frozen=True)
class EvaluationFigures:
    """Ballots per grade (优秀/称职/基本称职/不称职), blank ballots and participants."""

    counts: Mapping[str, int]
    blank: int = 0
    participants: int | None = None
    poll_id: int | None = None


@dataclass(frozen=True)
class VoteFigures:
    """A committee vote on one candidate: in favour, against, abstaining (or postponing)."""

    in_favour: int
    against: int = 0
    abstain: int = 0
    poll_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _result(poll: Poll, kind: str) -> tally.Result:
    if poll.kind != kind:
        raise FiguresError(f"投票“{poll.title}”不是{tally.PollKind(kind).label}")
    result = ballot_selectors.result_of(poll)
    if result is None:
        raise FiguresError(f"投票“{poll.title}”尚未计票")
    return result


def recommendation_from_poll(poll: Poll) -> RecommendationFigures:
    """Votes per cadre summed over the poll's posts (choices carry the cadre id)."""
    result = _result(poll, tally.PollKind.RECOMMENDATION)
    cadre_of = {
        (str(item_position), key): cadre_id
        for item_position, key, cadre_id in PollChoice.objects.filter(item__poll=poll).values_list(
            "item__position", "key", "cadre_id"
        )
    }
    votes: dict[int, int] = {}
    for item in result.items:
        for line in item.lines:
            cadre_id = cadre_of.get((item.key, line.choice))
            if cadre_id is not None:
                votes[cadre_id] = votes.get(cadre_id, 0) + line.votes
    return RecommendationFigures(
        votes=votes,
        participants=poll.participants,
        valid_ballots=result.valid,
        poll_id=poll.pk,
        ballot_set_sha256=result.digest,
    )


def evaluation_from_poll(poll: Poll, cadre_id: int) -> EvaluationFigures:
    """The grades given to one cadre in an evaluation poll (one item per cadre)."""
    result = _result(poll, tally.PollKind.EVALUATION)
    item_key = _item_key(poll, cadre_id)
    for item in result.items:
        if item.key == item_key:
            counts = {line.choice: line.votes for line in item.lines}
            blank = result.valid - item.valid if result.valid >= item.valid else 0
            return EvaluationFigures(
                counts=counts, blank=blank, participants=poll.participants, poll_id=poll.pk
            )
    raise FiguresError(f"投票“{poll.title}”中没有该干部")


def vote_from_poll(poll: Poll, cadre_id: int) -> VoteFigures:
    """同意/不同意/弃权 for one candidate in a committee poll."""
    result = _result(poll, tally.PollKind.COMMITTEE)
    item_key = _item_key(poll, cadre_id)
    agree, disagree, abstain = tally.COMMITTEE_OPTIONS
    for item in result.items:
        if item.key == item_key:
            counts = {line.choice: line.votes for line in item.lines}
            return VoteFigures(
                in_favour=counts.get(agree, 0),
                against=counts.get(disagree, 0),
                abstain=counts.get(abstain, 0),
                poll_id=poll.pk,
                extra={"ballot_set_sha256": result.digest},
            )
    raise FiguresError(f"投票“{poll.title}”中没有该人选")


def _item_key(poll: Poll, cadre_id: int) -> str:
    item = PollItem.objects.filter(poll=poll, cadre_id=cadre_id).first()
    if item is None:
        raise FiguresError(f"投票“{poll.title}”中没有该人选")
    return item.key
