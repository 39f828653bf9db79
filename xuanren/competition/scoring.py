"""The arithmetic of exam scores (笔试、面试、测评成绩): pure, exact, no Django, no clock.

Scores are entered as :class:`~decimal.Decimal` (the figures on a signed score sheet) and every
computed figure is a :class:`~fractions.Fraction`, so an average of three examiners is 256/3 and
not 85.33333333333333; rounding happens only when a figure is shown (:func:`show`).

Methods (the announcement of the competition states which one is used):

- ``single``: one score per candidate (a written test marked by graders: 笔试);
- ``mean``: the arithmetic mean of every examiner's score;
- ``trimmed_mean``: with at least :data:`TRIM_FROM` examiners, drop one highest and one lowest
  score and average the rest (去掉一个最高分和一个最低分后取平均分); with fewer examiners the plain
  mean, since dropping two of four or fewer leaves too little to average.

Combined score (综合成绩) = Σ weight × round score. Ranking is standard competition ranking
(1, 2, 2, 4) on the exact values, and every tie is stated.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TypeVar

SINGLE = "single"
MEAN = "mean"
TRIMMED_MEAN = "trimmed_mean"
METHODS = (SINGLE, MEAN, TRIMMED_MEAN)
# Fewest examiners for which the highest and the lowest score are dropped.
TRIM_FROM = 5

K = TypeVar("K", bound=Hashable)


class ScoringError(ValueError):
    """Scores that cannot be combined by the method (no scores, several for a single-score round)."""


def round_score(method: str, scores: Sequence[Decimal | Fraction | int]) -> Fraction:
    """The round score of one candidate from the scores entered for them, exactly."""
    values = [Fraction(s) for s in scores]
    if not values:
        raise ScoringError("没有成绩")
    if method == SINGLE:
        if len(values) != 1:
            raise ScoringError("单一成绩的考试每名人选只有一个成绩")
        return values[0]
    if method == MEAN:
        return sum(values, Fraction(0)) / len(values)
    if method == TRIMMED_MEAN:
        if len(values) >= TRIM_FROM:
            kept = sorted(values)[1:-1]
            return sum(kept, Fraction(0)) / len(kept)
        return sum(values, Fraction(0)) / len(values)
    raise ScoringError(f"未知的计分方法：{method}")


def dropped(method: str, count: int) -> bool:
    """Whether the method drops the highest and lowest score for ``count`` examiners."""
    return method == TRIMMED_MEAN and count >= TRIM_FROM


def combined(parts: Sequence[tuple[Decimal | Fraction, Fraction]]) -> Fraction:
    """Σ weight × round score over ``(weight, score)`` pairs, exactly."""
    return sum((Fraction(w) * s for w, s in parts), Fraction(0))


@dataclass(frozen=True)
class Place:
    """A place in a ranking: ``rank`` (1 is best) and how many share it (1 when untied)."""

    rank: int
    shared: int

    @property
    def tied(self) -> bool:
        return self.shared > 1


def rank(values: Mapping[K, Fraction]) -> dict[K, Place]:
    """Standard competition ranking, highest first: equal values share a place and the next
    place skips (1, 2, 2, 4)."""
    ordered = sorted(values.values(), reverse=True)
    first: dict[Fraction, int] = {}
    count: dict[Fraction, int] = {}
    for i, v in enumerate(ordered):
        first.setdefault(v, i + 1)
        count[v] = count.get(v, 0) + 1
    return {k: Place(first[v], count[v]) for k, v in values.items()}


def show(value: Fraction, places: int = 2) -> str:
    """A score as shown: exact when it has at most ``places`` decimals, otherwise rounded half up
    to ``places`` (the exact fraction is kept alongside, see :func:`exact`)."""
    scaled = value * 10**places
    if scaled.denominator == 1:
        text = f"{Decimal(value.numerator) / Decimal(value.denominator):.{places}f}"
        return text
    q = Decimal(1).scaleb(-places)
    return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(q, rounding=ROUND_HALF_UP))


def is_exact(value: Fraction, places: int = 2) -> bool:
    """True when :func:`show` prints the value without rounding."""
    return (value * 10**places).denominator == 1


def exact(value: Fraction) -> str:
    """The exact value as text: ``"85.5"`` or ``"256/3"``."""
    if value.denominator == 1:
        return str(value.numerator)
    d = value.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    if d == 1:
        return format(Decimal(value.numerator) / Decimal(value.denominator), "f")
    return f"{value.numerator}/{value.denominator}"
