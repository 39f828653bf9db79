"""The value every rule returns: what was decided, by which rule, from which figures, and why.

A :class:`Decision` is stored in the full-process record (全程纪实) and in the ledger, so
:meth:`Decision.to_dict` gives plain JSON: strings, integers, booleans, lists and objects only.
Fractions become "39/120"-style strings and dates ISO strings; a float anywhere is a bug and is
refused.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from enum import Enum, StrEnum
from fractions import Fraction
from typing import Any, TypeAlias

from .schema import UNCONFIRMED

JSON: TypeAlias = "bool | int | str | list[JSON] | dict[str, JSON] | None"


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    TIE = "tie"
    PENDING = "pending"
    NOT_APPLICABLE = "not_applicable"
    INFO = "info"

    @property
    def label(self) -> str:
        return {
            Outcome.PASS: "通过",
            Outcome.FAIL: "不通过",
            Outcome.TIE: "并列待定",
            Outcome.PENDING: "待定",
            Outcome.NOT_APPLICABLE: "不适用",
            Outcome.INFO: "计算结果",
        }[self]


def to_json(value: Any) -> JSON:
    """Convert a value to plain JSON, refusing floats (they have no place in a vote count)."""
    if isinstance(value, Enum):  # before str: a StrEnum is a str
        return to_json(value.value)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        raise TypeError(f"决定中不得出现浮点数：{value!r}（请用 Fraction 或整数）")
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_json({f.name: getattr(value, f.name) for f in dataclasses.fields(value)})
    if isinstance(value, Mapping):
        return {str(key): to_json(item) for key, item in value.items()}
    if isinstance(value, Sequence | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return [to_json(item) for item in items]
    if hasattr(value, "text") and isinstance(value.text, str):  # ShareText, RatioText
        return value.text
    raise TypeError(f"无法写入决定的值：{value!r}")


class RuleInputError(ValueError):
    """Figures that cannot be right (more votes than voters, a negative count...)."""


def cite(rule_id: str, source: str) -> str:
    """ "（linze recommendation.threshold.open，000 三、）"; a source not yet checked against the
    original text (marked "(unconfirmed)" in the policy file) says so in Chinese."""
    source = source.replace(f" {UNCONFIRMED}", UNCONFIRMED).replace(UNCONFIRMED, "（出处未核实）")
    return f"（{rule_id}，{source}）"


@dataclasses.dataclass(frozen=True)
class Decision:
    """One decision made by one rule.

    - ``outcome``: pass, fail, tie (a cut-off that a meeting must settle), pending (waiting for
      something: an approval, a verification), not_applicable (the policy has no such rule) or
      info (a computed date or figure).
    - ``rule_id``: policy id and rule path, e.g. ``"linze recommendation.threshold.open"``.
    - ``source``: the document and passage of the rule, e.g. ``"000 三、"``.
    - ``inputs``: the figures used, as JSON (Fractions as "39/120" strings).
    - ``explanation``: the arithmetic in words, ending with the rule id and the source.
    - ``subject``: who or what was decided about (a candidate, a meeting, a notice).
    - ``value``: a computed result (a date, a list of names), as JSON.
    - ``flags``: important circumstances (重要情况) the record must show, e.g. "破格提拔".
    - ``policy_version``: the version of the policy whose rule decided.
    """

    outcome: Outcome
    rule_id: str
    source: str
    explanation: str
    inputs: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    subject: str = ""
    value: Any = None
    flags: tuple[str, ...] = ()
    policy_version: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "outcome", Outcome(self.outcome))
        converted = to_json(dict(self.inputs))
        assert isinstance(converted, dict)
        object.__setattr__(self, "inputs", converted)
        object.__setattr__(self, "value", to_json(self.value))
        object.__setattr__(self, "flags", tuple(self.flags))

    @property
    def passed(self) -> bool:
        return self.outcome is Outcome.PASS

    def to_dict(self) -> dict[str, JSON]:
        data: dict[str, JSON] = {
            "outcome": self.outcome.value,
            "outcome_label": self.outcome.label,
            "rule_id": self.rule_id,
            "source": self.source,
            "explanation": self.explanation,
            "inputs": to_json(self.inputs),
            "subject": self.subject,
            "value": to_json(self.value),
            "flags": list(self.flags),
            "policy_version": self.policy_version,
        }
        # Fail here, not later in the ledger, if anything slipped through.
        json.dumps(data, ensure_ascii=False, allow_nan=False)
        return data

    def __str__(self) -> str:
        return f"[{self.outcome.label}] {self.explanation}"
