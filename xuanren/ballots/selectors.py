"""Reads for the ballot pages and for the campaign engine: polls in scope, the poll's tally spec,
live turnout, paper-entry lists, the stored result and the published trackers."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet

from xuanren.ballots import tally
from xuanren.ballots.models import Ballot, PaperBallot, Poll, PollItem, Tally, VotingCode
from xuanren.rules.shares import Comparison
from xuanren.rules.vocabulary import Denominator


def polls_visible_to(user: Any) -> QuerySet[Poll]:
    return Poll.objects.visible_to(user).select_related("jurisdiction").order_by("-id")


def polls_for_campaign(campaign_id: int, stage: str | None = None) -> QuerySet[Poll]:
    qs = Poll.objects.filter(campaign_id=campaign_id)
    return qs.filter(stage=stage) if stage is not None else qs


@dataclass(frozen=True)
class CampaignLink:
    """The campaign a poll belongs to, as its pages name it: its title and the step voted at."""

    campaign_id: int
    title: str
    step: str


def campaign_links(polls: Iterable[Poll]) -> dict[int, CampaignLink]:
    """Poll id → its campaign's title and the Chinese name of its step (one lookup per campaign)."""
    from xuanren.record.hooks import campaign_info, procedure_names

    of_campaign = [(poll, poll.campaign_id) for poll in polls if poll.campaign_id is not None]
    infos = {cid: campaign_info(cid) for cid in {cid for _, cid in of_campaign}}
    links = {}
    for poll, cid in of_campaign:
        info = infos[cid]
        names = procedure_names(info.policy or "national-2019")
        links[poll.pk] = CampaignLink(cid, info.title, names.get(poll.stage, poll.stage))
    return links


def policy_name(ref: str) -> str:
    """The name of the policy a poll's rules come from ("" when it is not a built-in policy)."""
    if not ref:
        return ""
    from xuanren.rules.policy import get_policy

    try:
        return get_policy(ref).name
    except Exception:  # a policy this installation does not carry: the reference alone is shown
        return ""


def items_of(poll: Poll) -> list[PollItem]:
    return list(poll.items.prefetch_related("choices").order_by("position"))


def spec_of(poll: Poll, items: list[PollItem] | None = None) -> tally.PollSpec:
    """The poll as the tally core sees it (items and choices keyed by position/key)."""
    items = items if items is not None else items_of(poll)
    return tally.PollSpec(
        tally.PollKind(poll.kind),
        tuple(
            tally.ItemSpec(
                key=item.key,
                title=item.title,
                choices=tuple(tally.Choice(c.key, c.label) for c in item.choices.all()),
                max_marks=item.max_marks,
                write_ins=item.write_ins,
                seats=item.seats,
            )
            for item in items
        ),
    )


def freeze_spec(spec: tally.PollSpec) -> str:
    return json.dumps(
        {
            "kind": spec.kind.value,
            "items": [
                [i.key, i.title, [[c.key, c.label] for c in i.choices], i.max_marks, i.write_ins, i.seats]
                for i in spec.items
            ],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


@functools.lru_cache(maxsize=256)
def thaw_spec(text: str) -> tally.PollSpec:
    data = json.loads(text)
    return tally.PollSpec(
        tally.PollKind(data["kind"]),
        tuple(
            tally.ItemSpec(
                key, title, tuple(tally.Choice(k, label) for k, label in choices), max_marks, write_ins, seats
            )
            for key, title, choices, max_marks, write_ins, seats in data["items"]
        ),
    )


def casting_spec(poll: Poll) -> tuple[tally.PollSpec, tally.BallotRules]:
    """Spec and rules of an open poll from the poll row alone: the spec frozen at open, parsed
    once per process (keyed by its text, so a changed spec can never be served stale)."""
    spec = thaw_spec(poll.frozen_spec) if poll.frozen_spec else spec_of(poll)
    return spec, rules_of(poll)


def rules_of(poll: Poll) -> tally.BallotRules:
    return tally.BallotRules(
        over_marking="ballot" if poll.over_marking == "ballot" else "post",
        blank_counts_as_cast=poll.blank_counts_as_cast,
        rule_id=f"{poll.policy_ref} ballot.over_marking" if poll.policy_ref else "ballot.over_marking",
        source=poll.rules_source or "计票规则",
    )


def threshold_of(poll: Poll) -> tally.Threshold | None:
    data = poll.threshold
    if not data:
        return None
    return tally.Threshold(
        share=Fraction(data["share"]),
        text=data["text"],
        comparison=Comparison(data["comparison"]),
        denominator=Denominator(data["denominator"]),
        rule_id=data["rule_id"],
        source=data["source"],
        grades=tuple(data.get("grades", ())),
        on_pass=data.get("on_pass", ""),
        on_fail=data.get("on_fail", ""),
    )


def threshold_data(t: tally.Threshold) -> dict[str, Any]:
    return {
        "share": str(t.share),
        "text": t.text,
        "comparison": t.comparison.value,
        "denominator": t.denominator.value,
        "rule_id": t.rule_id,
        "source": t.source,
        "grades": list(t.grades),
        "on_pass": t.on_pass,
        "on_fail": t.on_fail,
    }


@dataclass(frozen=True)
class Turnout:
    """What staff may see while voting runs: how many codes have voted, never which."""

    issued: int
    voted: int
    ballots: int


def turnout(poll: Poll) -> Turnout:
    codes = VotingCode.objects.filter(poll=poll).aggregate(
        issued=Count("id"), voted=Count("id", filter=Q(used=True))
    )
    return Turnout(codes["issued"], codes["voted"], Ballot.objects.filter(poll=poll).count())


@dataclass(frozen=True)
class PaperProgress:
    first_only: int
    agreed: int
    mismatched: int
    reconciled: int

    @property
    def pending(self) -> int:
        return self.first_only + self.mismatched


def paper_progress(poll: Poll) -> PaperProgress:
    S = PaperBallot.Status
    counts = PaperBallot.objects.filter(poll=poll).aggregate(
        first=Count("id", filter=Q(status=S.FIRST)),
        agreed=Count("id", filter=Q(status=S.AGREED)),
        mismatch=Count("id", filter=Q(status=S.MISMATCH)),
        reconciled=Count("id", filter=Q(status=S.RECONCILED)),
    )
    return PaperProgress(counts["first"], counts["agreed"], counts["mismatch"], counts["reconciled"])


def mismatches(poll: Poll) -> QuerySet[PaperBallot]:
    return (
        PaperBallot.objects.filter(poll=poll, status=PaperBallot.Status.MISMATCH)
        .select_related("first_by", "second_by")
        .order_by("number")
    )


def paper_ballots(poll: Poll) -> QuerySet[PaperBallot]:
    return (
        PaperBallot.objects.filter(poll=poll)
        .select_related("first_by", "second_by")
        .prefetch_related("corrections__by")
        .order_by("number")
    )


def stored_tally(poll: Poll) -> Tally | None:
    return Tally.objects.filter(poll=poll).prefetch_related("signatures").first()


def published_trackers(poll: Poll) -> list[str]:
    """Every ballot's tracker, sorted, once voting has closed (empty before)."""
    if poll.status not in (Poll.Status.CLOSED, Poll.Status.TALLIED):
        return []
    return list(Ballot.objects.filter(poll=poll).order_by("tracker").values_list("tracker", flat=True))


# One GROUP BY over every mark of every ballot of the poll (tally.marks_of strings).
MARKS_GROUP_BY = {
    "sqlite": (
        "SELECT j.value, COUNT(*) FROM ballots_ballot b, json_each(b.marks) j WHERE b.poll_id = %s GROUP BY j.value"
    ),
    "postgresql": (
        "SELECT j, COUNT(*) FROM ballots_ballot b, jsonb_array_elements_text(b.marks) j "
        "WHERE b.poll_id = %s GROUP BY j"
    ),
}


def counts_from_marks(poll: Poll) -> tally.Counts:
    """The fast tally: one GROUP BY over the marks, one over the ballots' flags, and the digest."""
    counts = tally.Counts()
    with connection.cursor() as cursor:
        cursor.execute(MARKS_GROUP_BY[connection.vendor], [poll.pk])
        for mark, n in cursor.fetchall():
            item, choice = tally.split_mark(mark)
            if choice == tally.VOID_MARK:
                counts.void_items[item] = n
            else:
                counts.votes.setdefault(item, {})[choice] = n
        cursor.execute(
            "SELECT valid, blank, COUNT(*) FROM ballots_ballot WHERE poll_id = %s GROUP BY valid, blank",
            [poll.pk],
        )
        for valid, blank, n in cursor.fetchall():
            counts.cast += n
            counts.valid += n if valid else 0
            counts.blank += n if blank else 0
        cursor.execute("SELECT content FROM ballots_ballot WHERE poll_id = %s", [poll.pk])
        counts.digest = tally.ballot_set_digest(row[0] for row in cursor.fetchall())
    return counts.normalised()


def recount(poll: Poll) -> tally.Counts:
    """The recount from the canonical ballots alone, through the pure core."""
    contents = list(Ballot.objects.filter(poll=poll).values_list("content", flat=True))
    return tally.count_ballots(contents, spec_of(poll), rules_of(poll))


def result_of(poll: Poll) -> tally.Result | None:
    """The campaign engine's read: the tallied result as values (None before the tally). Counted
    the same way as the stored sheet; ballots cannot change once a poll is tallied."""
    stored = stored_tally(poll)
    if stored is None:
        return None
    return tally.result(spec_of(poll), counts_from_marks(poll), poll.participants, threshold_of(poll))
