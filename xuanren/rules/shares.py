"""Exact shares and ratios.

Policy files write thresholds and ratios as text ("1/3", "30%", "1:2"); this module turns them
into :class:`fractions.Fraction` and back into display text. Nothing here ever uses a float:
40/120 is exactly one third, and "at least 1/3" is decided on that exact value. Percentages are
made only for people to read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

_FRACTION = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")
_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[%％]\s*$")
# The seeds write ratios with U+2236 (∶) as often as with an ASCII colon.
_RATIO = re.compile(r"^\s*(\d+)\s*[:∶：]\s*(\d+)\s*$")


class ExactValueError(ValueError):
    """Text that is not an exact share or ratio."""


def parse_share(text: str) -> Fraction:
    """Parse "1/3", "2/3" or "30%" (also "32.5%") into an exact Fraction between 0 and 1."""
    if not isinstance(text, str) or isinstance(text, bool):
        raise ExactValueError(f'比例须写成精确的字符串，如 "1/3" 或 "30%"，不能写成数字 {text!r}')
    match = _FRACTION.match(text)
    if match:
        numerator, denominator = int(match.group(1)), int(match.group(2))
        if denominator == 0:
            raise ExactValueError(f"比例 {text!r} 的分母为 0")
        value = Fraction(numerator, denominator)
    else:
        match = _PERCENT.match(text)
        if not match:
            raise ExactValueError(f'无法识别的比例 {text!r}：应写成 "1/3" 或 "30%" 这样的精确形式')
        value = Fraction(match.group(1)) / 100
    if not 0 < value <= 1:
        raise ExactValueError(f"比例 {text!r} 应大于 0 且不超过 1")
    return value


def parse_ratio(text: str) -> tuple[int, int]:
    """Parse "1:3" (or "1∶3") into (posts, people); both must be positive integers."""
    if not isinstance(text, str):
        raise ExactValueError(f'差额比例须写成字符串，如 "1:2"，不能写成 {text!r}')
    match = _RATIO.match(text)
    if not match:
        raise ExactValueError(f'无法识别的差额比例 {text!r}：应写成 "职位数:人选数"，如 "1:2"')
    posts, people = int(match.group(1)), int(match.group(2))
    if posts == 0 or people == 0:
        raise ExactValueError(f"差额比例 {text!r} 的两项都应为正整数")
    return posts, people


@dataclass(frozen=True)
class ShareText:
    """A share as written in a policy ("1/3", "30%") together with its exact value."""

    text: str
    value: Fraction

    @classmethod
    def parse(cls, text: str) -> ShareText:
        value = parse_share(text)
        return cls(text.strip(), value)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class RatioText:
    """A competitive ratio as written ("1:2"): posts to people."""

    text: str
    posts: int
    people: int

    @classmethod
    def parse(cls, text: str) -> RatioText:
        posts, people = parse_ratio(text)
        return cls(text.strip().replace("∶", ":").replace("：", ":"), posts, people)

    @property
    def per_post(self) -> Fraction:
        """People per post, exactly (1:2 gives 2)."""
        return Fraction(self.people, self.posts)

    def __str__(self) -> str:
        return self.text


class Comparison(StrEnum):
    """How a share is compared with its threshold."""

    AT_LEAST = "at_least"  # 达到、不少于、不低于（≥）
    MORE_THAN = "more_than"  # 超过、过半（>）

    def holds(self, value: Fraction, threshold: Fraction) -> bool:
        if self is Comparison.AT_LEAST:
            return bool(value >= threshold)
        return bool(value > threshold)

    @property
    def symbols(self) -> tuple[str, str]:
        """The symbol shown when the comparison holds, and when it fails."""
        if self is Comparison.AT_LEAST:
            return "≥", "<"
        return ">", "≤"

    @property
    def label(self) -> str:
        return "达到" if self is Comparison.AT_LEAST else "超过"


def fraction_text(numerator: int, denominator: int) -> str:
    """ "39/120" as counted, without reducing, so a reader sees the votes themselves."""
    return f"{numerator}/{denominator}"


def percent(value: Fraction, places: int = 2) -> str:
    """Display a share as a percentage: 13/40 -> "32.5%", 1/3 -> "33.33%" (display only)."""
    scaled = Decimal(value.numerator) * 100 / Decimal(value.denominator)
    quantum = Decimal(1).scaleb(-places)
    rounded = scaled.quantize(quantum, rounding=ROUND_HALF_UP)
    text = format(rounded.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def percent_is_exact(value: Fraction, places: int = 2) -> bool:
    """True when :func:`percent` shows the value without rounding."""
    scaled: Fraction = value * 100 * 10**places
    return scaled.denominator == 1


def share_equation(numerator: int, denominator: int) -> str:
    """ "39/120 = 32.5%" or "40/120 ≈ 33.33%" for a counted share."""
    value = Fraction(numerator, denominator)
    sign = "=" if percent_is_exact(value) else "≈"
    return f"{fraction_text(numerator, denominator)} {sign} {percent(value)}"
