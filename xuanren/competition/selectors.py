"""Reads for the exam pages (staff and public), scoped by jurisdiction in one place.

:func:`round_view` and :func:`standings` turn rows into what a page shows — the score grid
(candidates × examiners) with the scores dropped by the method marked, the exact round scores,
the combined score and the ranking — from rows fetched beforehand, so a page runs a fixed number of
queries whatever the number of candidates (STYLE §3).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Prefetch, QuerySet

from xuanren.accounts.scoping import get_visible_or_404
from xuanren.campaigns.models import Campaign, Candidate
from xuanren.competition import scoring
from xuanren.competition.actions import (
    RoundResult,
    pass_line_stops,
    round_order,
    round_results,
    sitting_candidates,
    stopped_by_pass_line,
)
from xuanren.competition.models import Absence, Examiner, ExamRound, Score, ScoreCorrection


def campaign_for(user: Any, pk: int) -> Campaign:
    return get_visible_or_404(Campaign.objects.select_related("jurisdiction"), user, pk=pk)


def round_for(user: Any, pk: int) -> ExamRound:
    return get_visible_or_404(
        ExamRound.objects.select_related(
            "campaign__jurisdiction", "vacancy__post__unit", "sheet_entered_by", "locked_by"
        ),
        user,
        pk=pk,
    )


def score_for(user: Any, pk: int) -> Score:
    return get_visible_or_404(
        Score.objects.select_related("round__campaign__jurisdiction", "candidate__cadre", "examiner"),
        user,
        pk=pk,
    )


def score_choices(round: ExamRound) -> list[tuple[int, str]]:
    """The round's scores as choices for the correction form: "candidate — examiner (value)"."""
    rows = round.scores.select_related("candidate__cadre", "examiner").order_by(
        "candidate__sort_order", "candidate_id", "examiner__sort_order", "examiner_id"
    )
    return [
        (s.pk, f"{s.candidate.cadre.name} — {s.examiner.name if s.examiner else '成绩'}（现为 {s.value} 分）")
        for s in rows
    ]


def rounds_of(campaign: Campaign, *, published_only: bool = False, pk: int | None = None) -> list[ExamRound]:
    """The campaign's rounds with examiners, scores (candidate and cadre joined) and corrections:
    five queries for any number of rounds, candidates and examiners."""
    qs: QuerySet[ExamRound] = ExamRound.objects.filter(campaign=campaign)
    if published_only:
        qs = qs.filter(status=ExamRound.Status.PUBLISHED)
    if pk is not None:
        qs = qs.filter(pk=pk)
    return list(
        qs.select_related("vacancy__post__unit")
        .prefetch_related(
            Prefetch("examiners", queryset=Examiner.objects.order_by("sort_order", "id")),
            Prefetch(
                "absences",
                queryset=Absence.objects.select_related("candidate__cadre", "candidate__vacancy__post__unit"),
            ),
            Prefetch(
                "scores",
                queryset=Score.objects.select_related(  # type: ignore[type-var]
                    "candidate__cadre", "candidate__vacancy__post__unit"
                )
                .prefetch_related(Prefetch("corrections", queryset=ScoreCorrection.objects.order_by("id")))
                .order_by("candidate__sort_order", "candidate_id", "examiner_id"),
            ),
        )
        .order_by("sort_order", "held_on", "id")
    )


# --------------------------------------------------------------------------- one round


@dataclass(frozen=True)
class CellView:
    score_pk: int | None
    examiner_id: int | None
    value: Decimal | None
    dropped: str  # "" / "最高分" / "最低分": the score the method leaves out
    corrections: list[ScoreCorrection]


@dataclass(frozen=True)
class RowView:
    candidate: Candidate
    cells: list[CellView]
    result: RoundResult | None
    absent: bool = False

    @property
    def name(self) -> str:
        return self.candidate.cadre.name

    @property
    def score_text(self) -> str:
        return scoring.show(self.result.score) if self.result else ""

    @property
    def exact_text(self) -> str:
        if self.result is None or scoring.is_exact(self.result.score):
            return ""
        return scoring.exact(self.result.score)


@dataclass(frozen=True)
class RoundView:
    round: ExamRound
    examiners: list[Examiner]
    rows: list[RowView]

    @property
    def trims(self) -> bool:
        return scoring.dropped(self.round.method, len(self.examiners))

    @property
    def corrections(self) -> list[tuple[RowView, CellView, ScoreCorrection]]:
        return [(r, c, k) for r in self.rows for c in r.cells for k in c.corrections]


def _dropped(method: str, scores: Sequence[Score]) -> dict[int, str]:
    """Which scores (by pk) the method drops: the first highest and the first lowest."""
    if not scoring.dropped(method, len(scores)):
        return {}
    high = max(scores, key=lambda s: s.value)
    low = min(scores, key=lambda s: s.value)
    return {high.pk: "最高分", low.pk: "最低分"} if high.pk != low.pk else {high.pk: "最高分"}


def round_view(round: ExamRound, candidates: Iterable[Candidate] | None = None) -> RoundView:
    """The grid of a round from its prefetched examiners and scores. ``candidates`` adds rows for
    those without scores yet (the sheet being entered)."""
    examiners: list[Examiner] = list(round.examiners.all()) if round.has_examiners else []
    scores: list[Score] = list(round.scores.all())
    by_candidate: dict[int, list[Score]] = defaultdict(list)
    people: dict[int, Candidate] = {}
    for s in scores:
        by_candidate[s.candidate_id].append(s)
        people.setdefault(s.candidate_id, s.candidate)
    absent = {a.candidate_id for a in round.absences.all()}
    for a in round.absences.all():
        people.setdefault(a.candidate_id, a.candidate)
    for c in candidates or ():
        people.setdefault(c.pk, c)
    results = round_results(round, scores) if scores else {}
    columns: list[Examiner | None] = list(examiners) if round.has_examiners else [None]
    rows = []
    for cid, candidate in people.items():
        mine = {s.examiner_id: s for s in by_candidate.get(cid, [])}
        dropped = _dropped(round.method, by_candidate.get(cid, []))
        cells = []
        for e in columns:
            found = mine.get(e.pk if e else None)
            cells.append(
                CellView(
                    score_pk=found.pk if found else None,
                    examiner_id=e.pk if e else None,
                    value=found.value if found else None,
                    dropped=dropped.get(found.pk, "") if found else "",
                    corrections=list(found.corrections.all()) if found else [],
                )
            )
        rows.append(RowView(candidate, cells, results.get(cid), cid in absent))
    rows.sort(key=lambda r: (r.candidate.sort_order, r.candidate.pk))
    return RoundView(round, examiners, rows)


def staff_round_view(round: ExamRound) -> RoundView:
    """A round for the staff page: prefetched, with the sitting candidates while it is a draft."""
    found = rounds_of(round.campaign, pk=round.pk)[0]
    return round_view(found, sitting_candidates(found) if found.editable else None)


def not_sitting(round: ExamRound) -> list[tuple[str, str]]:
    """(name, why) of the candidates an earlier round's pass line keeps out of ``round``."""
    out = stopped_by_pass_line(round)
    names = dict(Candidate.objects.filter(pk__in=out).values_list("pk", "cadre__name"))
    return [(names[cid], why) for cid, why in sorted(out.items(), key=lambda kv: names[kv[0]])]


# --------------------------------------------------------------------------- combined score


@dataclass(frozen=True)
class Part:
    round: ExamRound
    score: Fraction | None
    absent: bool = False
    stopped: bool = False
    """Did not go on to this round: below an earlier round's pass line, or absent from it."""

    @property
    def text(self) -> str:
        if self.absent:
            return "缺考"
        if self.stopped and self.score is None:
            return "未进入"
        return scoring.show(self.score) if self.score is not None else "—"


@dataclass
class StandingRow:
    candidate: Candidate
    parts: list[Part]
    combined: Fraction | None
    place: scoring.Place | None = None
    stopped: str = ""
    """Why not ranked: below a checked round's pass line, or absent from it ("" when ranked)."""

    @property
    def name(self) -> str:
        return self.candidate.cadre.name

    @property
    def combined_text(self) -> str:
        return scoring.show(self.combined) if self.combined is not None else ""

    @property
    def exact_text(self) -> str:
        if self.combined is None or scoring.is_exact(self.combined):
            return ""
        return scoring.exact(self.combined)


@dataclass
class StandingGroup:
    post: str
    rounds: list[ExamRound]
    rows: list[StandingRow] = field(default_factory=list)

    @property
    def ties(self) -> list[tuple[int, list[str]]]:
        """Each shared place with the names sharing it."""
        shared: dict[int, list[str]] = defaultdict(list)
        for r in self.rows:
            if r.place is not None and r.place.tied:
                shared[r.place.rank].append(r.name)
        return sorted(shared.items())

    @property
    def formula(self) -> str:
        return " + ".join(f"{r.get_kind_display()}成绩 × {_percent(r.weight)}" for r in self.rounds)


def _percent(weight: Decimal) -> str:
    value = (weight * 100).normalize()
    return f"{value:f}%"


def standings(rounds: Sequence[ExamRound], views: Mapping[int, RoundView]) -> list[StandingGroup]:
    """Combined score (Σ weight × round score, exact) per post, ranked with ties stated.

    A candidate's combined score needs a result in every round that applies to their post (the
    rounds of the whole campaign and those of the post); ``views`` holds the rounds counted (the
    published ones on the public page), so an unpublished round leaves the combined score blank.
    A candidate below the pass line of a checked round, or absent from it, is not ranked, and the
    later rounds they did not sit read "未进入".
    """
    people: dict[int, Candidate] = {}
    by_round: dict[int, dict[int, RoundResult]] = {}
    absent: dict[int, set[int]] = defaultdict(set)
    for pk, v in views.items():
        for row in v.rows:
            if row.result is not None:
                people.setdefault(row.candidate.pk, row.candidate)
                by_round.setdefault(pk, {})[row.candidate.pk] = row.result
            elif row.absent:
                people.setdefault(row.candidate.pk, row.candidate)
                absent[pk].add(row.candidate.pk)
    stops = pass_line_stops(rounds, by_round, absent)
    groups: dict[int | None, StandingGroup] = {}
    for c in sorted(
        people.values(), key=lambda c: (c.vacancy.sort_order if c.vacancy else 0, c.sort_order, c.pk)
    ):
        key = c.vacancy_id
        if key not in groups:
            applying = [r for r in rounds if r.vacancy_id in (None, key)]
            groups[key] = StandingGroup(str(c.vacancy.post) if c.vacancy else "", applying)
        group = groups[key]
        parts = []
        stop = stops.get(c.pk)  # by a checked round's pass line (actions.pass_line_stops)
        for r in group.rounds:
            found = by_round.get(r.pk, {}).get(c.pk)
            after = stop is not None and round_order(stop.round) < round_order(r)
            parts.append(Part(r, found.score if found else None, c.pk in absent[r.pk], after))
        complete = bool(parts) and all(p.score is not None for p in parts) and stop is None
        total = scoring.combined([(p.round.weight, p.score) for p in parts]) if complete else None  # type: ignore[misc]
        group.rows.append(StandingRow(c, parts, total, stopped=stop.short if stop else ""))
    for group in groups.values():
        ranked = scoring.rank(
            {row.candidate.pk: row.combined for row in group.rows if row.combined is not None}
        )
        for standing in group.rows:
            standing.place = ranked.get(standing.candidate.pk)
        group.rows.sort(
            key=lambda row: (
                row.place.rank if row.place else 10**9,
                row.candidate.sort_order,
                row.candidate.pk,
            )
        )
    return list(groups.values())
