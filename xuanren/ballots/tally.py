"""The tally core: ballots as canonical text, validity by the policy, exact counts and shares.

Plain Python (no Django, no database, no clock). A ballot is a mapping from item key (a post, a
cadre under evaluation, a candidate before the committee) to the choices marked on it. Its
canonical form is compact JSON with sorted keys and sorted choices, so the same marks always give
the same bytes, and the SHA-256 of the sorted canonical ballots identifies the whole ballot set.

Two paths reach the same :class:`Counts`: :func:`count_ballots` from the canonical ballots
themselves (the recount), and the database's GROUP BY over the flat marks stored beside each
canonical ballot (the fast tally, see :func:`marks_of`). :func:`result` turns counts into the tally sheet: shares as exact Fractions, percentages
for display only, ranking with ties, and threshold decisions that cite their rule.
"""

from __future__ import annotations

import functools
import hashlib
import json
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import Any, Literal

from xuanren.rules.decision import Decision, Outcome
from xuanren.rules.shares import Comparison, percent, share_equation
from xuanren.rules.vocabulary import Denominator

WRITE_IN = "+"  # prefix of a written-in name among an item's choices
VOID_MARK = ""  # the choice of the mark that says "this item is void on this ballot"

EVALUATION_SCALE = ("优秀", "称职", "基本称职", "不称职")
TRUST_SCALE = ("信任", "基本信任", "不信任")
COMMITTEE_OPTIONS = ("同意", "不同意", "弃权")


class PollKind(StrEnum):
    RECOMMENDATION = "recommendation"
    EVALUATION = "evaluation"
    COMMITTEE = "committee"

    @property
    def label(self) -> str:
        return {
            PollKind.RECOMMENDATION: "民主推荐",
            PollKind.EVALUATION: "民主测评",
            PollKind.COMMITTEE: "常委会（全委会）票决",
        }[self]


class BallotError(ValueError):
    """A ballot whose shape the poll cannot hold (an unknown item or choice)."""


@dataclass(frozen=True)
class Choice:
    key: str
    label: str


@dataclass(frozen=True)
class ItemSpec:
    """One item on the ballot: a post (choose up to ``max_marks``), a cadre to evaluate or a
    candidate before the committee (choose one)."""

    key: str
    title: str
    choices: tuple[Choice, ...]
    max_marks: int = 1
    write_ins: bool = False
    seats: int = 1  # posts to fill: the ranking cut-off

    def label_of(self, choice: str) -> str:
        if choice.startswith(WRITE_IN):
            return f"{choice[len(WRITE_IN) :]}（另选）"
        for c in self.choices:
            if c.key == choice:
                return c.label
        return choice


@dataclass(frozen=True)
class PollSpec:
    kind: PollKind
    items: tuple[ItemSpec, ...]

    @functools.cached_property
    def _by_key(self) -> dict[str, ItemSpec]:
        return {it.key: it for it in self.items}

    def item(self, key: str) -> ItemSpec:
        try:
            return self._by_key[key]
        except KeyError:
            raise BallotError(f"选票上没有事项 {key!r}") from None


@dataclass(frozen=True)
class BallotRules:
    """The policy's ballot validity rules (policy ``ballot.*``), as plain values."""

    over_marking: Literal["post", "ballot"] = "post"
    blank_counts_as_cast: bool = True
    rule_id: str = "ballot.over_marking"
    source: str = "计票惯例"


DEFAULT_RULES = BallotRules()


@dataclass(frozen=True)
class Threshold:
    """A share to reach (a policy ThresholdRule): ``grades`` are the answers that count towards it
    (同意; 优秀+称职; none for a recommendation, where a vote for the candidate counts)."""

    share: Fraction
    text: str
    comparison: Comparison
    denominator: Denominator
    rule_id: str
    source: str
    grades: tuple[str, ...] = ()
    on_pass: str = ""
    on_fail: str = ""


# --- canonical ballots -------------------------------------------------------------------------


def write_in(name: str) -> str:
    """The choice key of a written-in name (NFKC, inner spaces removed)."""
    clean = "".join(unicodedata.normalize("NFKC", name).split())
    if not clean:
        raise BallotError("另选人姓名不能为空")
    return WRITE_IN + clean


@dataclass(frozen=True)
class Ballot:
    """Marks per item key; ``void`` is a paper ballot the clerks found unusable as a whole."""

    marks: Mapping[str, tuple[str, ...]]
    void: bool = False

    @property
    def blank(self) -> bool:
        return not self.void and not any(self.marks.values())


def make_ballot(marks: Mapping[str, Iterable[str]], spec: PollSpec, *, void: bool = False) -> Ballot:
    """Check the marks fit the poll and normalise them (sorted, de-duplicated, empty items dropped)."""
    clean: dict[str, tuple[str, ...]] = {}
    for key, chosen in marks.items():
        item = spec.item(key)
        keys = {c.key for c in item.choices}
        picked = sorted(set(chosen))
        for choice in picked:
            if choice.startswith(WRITE_IN):
                if not item.write_ins:
                    raise BallotError(f"“{item.title}”不允许另选他人")
                if len(choice) <= len(WRITE_IN):
                    raise BallotError("另选人姓名不能为空")
            elif choice not in keys:
                raise BallotError(f"“{item.title}”没有选项 {choice!r}")
        if picked:
            clean[key] = tuple(picked)
    return Ballot(dict(sorted(clean.items())), void)


def canonical(ballot: Ballot) -> str:
    """Compact JSON with sorted keys: the stored form of a ballot and the input of its hashes."""
    data: dict[str, Any] = {"m": {k: list(v) for k, v in sorted(ballot.marks.items()) if v}}
    if ballot.void:
        data["void"] = True
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def parse(text: str) -> Ballot:
    data = json.loads(text)
    return Ballot({k: tuple(v) for k, v in data["m"].items()}, bool(data.get("void", False)))


def tracker(canonical_text: str, nonce: bytes) -> str:
    """The voter's receipt: SHA-256 of the canonical ballot followed by a random nonce.

    The nonce is never stored or shown, so the tracker shows a ballot was counted without letting
    the voter prove to anyone what was on it."""
    return hashlib.sha256(canonical_text.encode() + b"\x00" + nonce).hexdigest()


def ballot_set_digest(canonical_texts: Iterable[str]) -> str:
    """SHA-256 of the sorted canonical ballots as a JSON array: one value for the whole set."""
    data = json.dumps(sorted(canonical_texts), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode()).hexdigest()


# --- validity ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    valid: bool
    blank: bool
    counted: Mapping[str, tuple[str, ...]]
    void_items: tuple[str, ...]
    reasons: tuple[str, ...]


def judge(ballot: Ballot, spec: PollSpec, rules: BallotRules) -> Verdict:
    """Apply the policy's validity rules to one ballot."""
    if ballot.void:
        return Verdict(False, False, {}, (), ("整张选票经计票人、监票人认定无效",))
    if ballot.blank:
        if rules.blank_counts_as_cast:
            return Verdict(True, True, {}, (), ())
        return Verdict(False, True, {}, (), ("空白票按本政策不计为有效票",))
    counted: dict[str, tuple[str, ...]] = {}
    void_items: list[str] = []
    reasons: list[str] = []
    for key, chosen in ballot.marks.items():
        item = spec.item(key)
        if len(chosen) > item.max_marks:
            reasons.append(f"“{item.title}”选了 {len(chosen)} 人（项），超过应选 {item.max_marks}")
            void_items.append(key)
        else:
            counted[key] = chosen
    if void_items and rules.over_marking == "ballot":
        return Verdict(False, False, {}, (), (*reasons, f"按 {rules.rule_id}（{rules.source}）整张选票无效"))
    return Verdict(True, False, counted, tuple(void_items), tuple(reasons))


# --- counting ----------------------------------------------------------------------------------


@dataclass
class Counts:
    """What a tally needs from the ballots: totals, votes per item and choice, void items."""

    cast: int = 0
    valid: int = 0
    blank: int = 0
    votes: dict[str, dict[str, int]] = field(default_factory=dict)
    void_items: dict[str, int] = field(default_factory=dict)
    digest: str = ""

    @property
    def invalid(self) -> int:
        return self.cast - self.valid

    def add(self, verdict: Verdict) -> None:
        self.cast += 1
        self.valid += verdict.valid
        self.blank += verdict.blank
        for key, chosen in verdict.counted.items():
            per = self.votes.setdefault(key, {})
            for choice in chosen:
                per[choice] = per.get(choice, 0) + 1
        for key in verdict.void_items:
            self.void_items[key] = self.void_items.get(key, 0) + 1

    def normalised(self) -> Counts:
        """Sorted keys, no zero entries: two Counts of the same ballots compare equal."""
        votes = {k: dict(sorted((c, n) for c, n in v.items() if n)) for k, v in sorted(self.votes.items())}
        return Counts(
            self.cast,
            self.valid,
            self.blank,
            {k: v for k, v in votes.items() if v},
            {k: n for k, n in sorted(self.void_items.items()) if n},
            self.digest,
        )


def count_ballots(canonical_texts: Sequence[str], spec: PollSpec, rules: BallotRules) -> Counts:
    """The recount: judge every stored ballot and count it, and hash the set."""
    counts = Counts()
    for text in canonical_texts:
        counts.add(judge(parse(text), spec, rules))
    counts.digest = ballot_set_digest(canonical_texts)
    return counts.normalised()


def marks_of(verdict: Verdict) -> list[str]:
    """The counted marks of one judged ballot as flat "item:choice" strings, stored beside the
    canonical ballot so one GROUP BY over them counts a poll; a void item is "item:"."""
    marks = [f"{key}:{choice}" for key, chosen in verdict.counted.items() for choice in chosen]
    marks += [f"{key}:{VOID_MARK}" for key in verdict.void_items]
    return marks


def split_mark(mark: str) -> tuple[str, str]:
    item, _, choice = mark.partition(":")
    return item, choice


# --- the tally sheet ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    votes: int
    of: int

    @property
    def value(self) -> Fraction:
        return Fraction(self.votes, self.of) if self.of else Fraction(0)

    @property
    def fraction(self) -> str:
        return f"{self.votes}/{self.of}"

    @property
    def percent(self) -> str:
        return percent(self.value) if self.of else "—"

    @property
    def equation(self) -> str:
        """ "39/120 = 32.5%", or "≈" when the percentage is rounded."""
        return share_equation(self.votes, self.of) if self.of else f"{self.votes}/0"

    def to_dict(self) -> dict[str, Any]:
        return {
            "votes": self.votes,
            "of": self.of,
            "fraction": self.fraction,
            "percent": self.percent,
            "equation": self.equation,
        }


@dataclass(frozen=True)
class Line:
    """One candidate (or grade) on an item: votes, share, rank."""

    choice: str
    label: str
    votes: int
    share: Share
    rank: int
    tied: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "choice": self.choice,
            "label": self.label,
            "votes": self.votes,
            "share": self.share.to_dict(),
            "rank": self.rank,
            "tied": self.tied,
        }


@dataclass(frozen=True)
class ItemResult:
    key: str
    title: str
    valid: int
    void: int
    lines: tuple[Line, ...]
    decisions: tuple[Decision, ...]
    unmarked: int | None = None  # valid ballots with nothing marked on this item (one-choice items)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "valid": self.valid,
            "void": self.void,
            "unmarked": self.unmarked,
            "lines": [line.to_dict() for line in self.lines],
            "decisions": [d.to_dict() for d in self.decisions],
        }


@dataclass(frozen=True)
class Result:
    kind: PollKind
    participants: int
    cast: int
    valid: int
    invalid: int
    blank: int
    digest: str
    items: tuple[ItemResult, ...]
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = {
            "kind": self.kind.value,
            "participants": self.participants,
            "cast": self.cast,
            "valid": self.valid,
            "invalid": self.invalid,
            "blank": self.blank,
            "ballot_set_sha256": self.digest,
            "items": [item.to_dict() for item in self.items],
            "notes": list(self.notes),
        }
        json.dumps(data, ensure_ascii=False, allow_nan=False)
        return data


def _denominator(threshold: Threshold | None, participants: int, item_valid: int) -> int:
    if threshold is not None and threshold.denominator in (
        Denominator.PARTICIPANTS,
        Denominator.MEMBERS_TOTAL,
    ):
        return participants
    if threshold is None:
        return item_valid
    return item_valid


def _ranked(
    votes: Mapping[str, int], item: ItemSpec, of: int, order: Sequence[str] | None
) -> tuple[Line, ...]:
    keys = list(order) if order is not None else [c.key for c in item.choices]
    keys += sorted(k for k in votes if k not in keys)
    ordered = keys if order is not None else sorted(keys, key=lambda k: (-votes.get(k, 0), keys.index(k)))
    lines = []
    counts = [votes.get(k, 0) for k in ordered]
    for key in ordered:
        n = votes.get(key, 0)
        rank = 1 + sum(1 for other in counts if other > n)
        tied = counts.count(n) > 1
        lines.append(Line(key, item.label_of(key), n, Share(n, of), rank, tied))
    return tuple(lines)


def _threshold_decision(subject: str, votes: int, of: int, t: Threshold, what: str) -> Decision:
    share = Fraction(votes, of) if of else Fraction(0)
    holds = bool(of) and t.comparison.holds(share, t.share)
    sign = t.comparison.symbols[0 if holds else 1]
    equation = share_equation(votes, of) if of else f"{votes}/0"
    consequence = t.on_pass if holds else t.on_fail
    explanation = (
        f"{subject} {what} {equation} {sign} {t.text}"
        f"{('，' + consequence) if consequence else ''}（{t.rule_id}，{t.source}）"
    )
    return Decision(
        outcome=Outcome.PASS if holds else Outcome.FAIL,
        rule_id=t.rule_id,
        source=t.source,
        explanation=explanation,
        inputs={
            "votes": votes,
            "denominator": of,
            "denominator_kind": t.denominator.value,
            "share": share,
            "threshold": t.share,
            "comparison": t.comparison.value,
        },
        subject=subject,
    )


def _cutoff_decision(item: ItemSpec, lines: Sequence[Line]) -> Decision | None:
    """Report a tie at the seat cut-off (never dropped silently)."""
    if item.seats >= len(lines) or not lines:
        return None
    last_in, first_out = lines[item.seats - 1], lines[item.seats]
    if last_in.votes != first_out.votes or last_in.votes == 0:
        return None
    tied = [line.label for line in lines if line.votes == last_in.votes]
    return Decision(
        outcome=Outcome.TIE,
        rule_id="ballot.ranking",
        source="计票规则",
        explanation=(
            f"“{item.title}”应选 {item.seats} 名，第 {item.seats} 名与第 {item.seats + 1} 名得票相同"
            f"（{'、'.join(tied)} 各 {last_in.votes} 票），并列人选须由会议研究确定"
        ),
        inputs={"seats": item.seats, "votes": last_in.votes},
        subject=item.title,
        value=tied,
    )


def result(
    spec: PollSpec,
    counts: Counts,
    participants: int,
    threshold: Threshold | None = None,
) -> Result:
    """The tally sheet from counts: per item the valid ballots, the votes of each choice with its
    share (exact fraction and percentage) and rank, a tie at the seat cut-off, and the threshold."""
    items = []
    for item in spec.items:
        void = counts.void_items.get(item.key, 0)
        item_valid = counts.valid - void
        of = _denominator(threshold, participants, item_valid)
        votes = counts.votes.get(item.key, {})
        decisions: list[Decision] = []
        if spec.kind is PollKind.RECOMMENDATION:
            lines = _ranked(votes, item, of, None)
            tie = _cutoff_decision(item, lines)
            if tie is not None:
                decisions.append(tie)
            if threshold is not None:
                for line in lines:
                    if line.choice.startswith(WRITE_IN) and line.votes == 0:
                        continue
                    decisions.append(_threshold_decision(line.label, line.votes, of, threshold, "得票"))
        else:
            lines = _ranked(votes, item, of, [c.key for c in item.choices])
            if threshold is not None:
                grades = threshold.grades or (
                    (COMMITTEE_OPTIONS[0],) if spec.kind is PollKind.COMMITTEE else ()
                )
                approving = sum(votes.get(g, 0) for g in grades)
                what = "+".join(grades) + " 票" if grades else "票"
                decisions.append(_threshold_decision(item.title, approving, of, threshold, what))
        unmarked = item_valid - sum(votes.values()) if item.max_marks == 1 else None
        items.append(ItemResult(item.key, item.title, item_valid, void, lines, tuple(decisions), unmarked))
    return Result(
        kind=spec.kind,
        participants=participants,
        cast=counts.cast,
        valid=counts.valid,
        invalid=counts.invalid,
        blank=counts.blank,
        digest=counts.digest,
        items=tuple(items),
        notes=_notes(counts, participants),
    )


def _notes(counts: Counts, participants: int) -> tuple[str, ...]:
    notes = []
    if counts.cast > participants:
        notes.append(f"收回选票 {counts.cast} 张多于参加人数 {participants}：本次投票无效，须查明原因")
    return tuple(notes)
