"""Important circumstances (重要情况记实, DOMAIN D4.2), detected from data — never typed in.

Each detector reads a candidate's ledger entries in one campaign (``xuanren.ledger.canonical.Entry``
values) and facts from the register, and names the entries it relies on. Pure: no database, no
clock (``today`` is passed in).

The vocabulary the campaign engine writes (``record.api.append(action=..., payload=...)``):

``inspection_candidate_set``
    ``{"basis": "recommendation" | "direct", "share": "p/q" | null, "threshold": "p/q" | null,
    "passed": bool | null}`` — the candidate became an inspection candidate (考察对象), by the
    recommendation result or directly by organizational nomination. ``basis == "direct"`` →
    *made an inspection candidate directly*; ``passed is false`` → *inspected with a share below
    the policy's concentration level* (the share and threshold are shown).
``complaint_received``
    ``{"during": "inspection_notice" | "pre_appointment_notice" | <other period>,
    "complaint_id": N}`` — a complaint (信访举报) about the candidate; never the reporter's identity.
``complaint_concluded``
    ``{"complaint_id": N, "outcome": "cleared" | "cancelled" | "referred" | ..., "conclusion": text}``
    — its verification (核查) ended. Complaints during the inspection notice and during the
    pre-appointment notice are listed with their conclusion (or "not concluded yet").
``opinion_recorded``
    ``{"source": "co_managing" | "discipline" | "law_enforcement" | "audit" | "leaders" | ...,
    "agrees": bool, "veto": bool (optional), "needs_explanation": bool (optional), "text": ...}``
    — an opinion asked for in deliberation. ``source == "co_managing"`` with ``agrees is false``
    → *disagreement between the managing and co-managing side*; ``discipline``,
    ``law_enforcement`` or ``audit`` with ``agrees is false``, ``veto`` or ``needs_explanation``
    → *an opinion of discipline or law-enforcement bodies that needs explanation*; any other
    source with ``agrees is false`` → *anything else* (an opinion that differs).
``exceptional_promotion_approved``
    ``{"reason": text, "approval": text, ...}`` (``reasons`` / ``approved_by`` are read too)
    → *exceptional promotion* (破格提拔).
``recommendation_range_widened`` / ``tie_settled``
    ``{"reason": text, ...}`` → *anything else*: an exception the rules allowed, with its reasons.
``circumstance_recorded``
    ``{"text": ...}`` → *anything else the procedure record cannot show* (the one kind that is
    written by hand, as D4.2 asks; it is still a signed entry).

From the register (``RegisterFacts``):

- a sanction (处分) whose ``period_end`` fell within the year before the decision (the time of the
  candidate's first entry in the ``decision`` stage, or ``today`` before that) → *promotion after
  a sanction period just ended*;
- a family member linked to a registered cadre who holds a leading post → *relative of a leading
  cadre*.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from zoneinfo import ZoneInfo

from xuanren.ledger.canonical import Entry, parse_time

LOCAL_TZ = ZoneInfo("Asia/Shanghai")

# Codes, in the order of DOMAIN D4.2, with the wording of seed 000.
TITLES: dict[str, str] = {
    "direct_inspection_candidate": "由组织推荐提名直接确定为考察对象",
    "low_share_inspected": "民主推荐得票不集中但被确定为考察对象",
    "complaint_inspection_notice": "干部考察预告期间信访举报及调查核实情况",
    "opinion_needs_explanation": "征求纪检监察、执法等部门意见中需要说明的情况",
    "co_managing_disagreement": "双重管理干部任免时主管方、协管方意见不一致",
    "complaint_pre_appointment_notice": "任前公示期间信访举报及调查核实情况",
    "exceptional_promotion": "破格提拔",
    "sanction_period_ended": "受纪律处分干部影响期满后提拔任用",
    "relative_of_leading_cadre": "提拔领导干部配偶、子女及其他亲属",
    "complaint_other": "其他期间的信访举报及调查核实情况",
    "other": "其他程序记实中难以反映、需要记实的重要情况",
}

OUTCOME_LABELS = {
    "cleared": "查无实据、予以澄清",
    "cancelled": "问题属实、取消资格",
    "referred": "移交有关部门处理",
}
INTEGRITY_SOURCES = frozenset({"discipline", "law_enforcement", "audit"})
SOURCE_LABELS = {
    "co_managing": "协管方",
    "leaders": "县级领导",
    "discipline": "纪检监察机关",
    "law_enforcement": "执法机关",
    "audit": "审计机关",
}


@dataclasses.dataclass(frozen=True)
class Sanction:
    description: str
    decided_on: dt.date
    period_end: dt.date | None


@dataclasses.dataclass(frozen=True)
class Relative:
    relation: str
    name: str
    cadre_id: int
    post: str
    leading: bool
    """Whether the relative holds a leading post (领导职务) now."""


@dataclasses.dataclass(frozen=True)
class RegisterFacts:
    """What the register knows about the candidate that the ledger does not."""

    sanctions: tuple[Sanction, ...] = ()
    relatives: tuple[Relative, ...] = ()


@dataclasses.dataclass(frozen=True)
class Circumstance:
    code: str
    detail: str
    entries: tuple[int, ...] = ()
    """The seq of the ledger entries it was found in (empty for register facts)."""
    source: str = "ledger"

    @property
    def title(self) -> str:
        return TITLES[self.code]


Detector = Callable[[Sequence[Entry], RegisterFacts, dt.date], list[Circumstance]]


def _local_date(entry: Entry) -> dt.date:
    return parse_time(entry.time).astimezone(LOCAL_TZ).date()


def _of(entries: Sequence[Entry], action: str) -> list[Entry]:
    return [e for e in entries if e.action == action and e.kind != "review"]


def inspection_candidates(
    entries: Sequence[Entry], facts: RegisterFacts, today: dt.date
) -> list[Circumstance]:
    out = []
    for e in _of(entries, "inspection_candidate_set"):
        p = e.payload
        if p.get("basis") == "direct":
            out.append(
                Circumstance("direct_inspection_candidate", "由组织推荐提名直接确定为考察对象", (e.seq,))
            )
        if p.get("passed") is False:
            share, threshold = p.get("share"), p.get("threshold")
            detail = (
                f"推荐得票率 {share or '未记录'}，低于政策规定的 {threshold or '集中度'}，仍被确定为考察对象"
            )
            out.append(Circumstance("low_share_inspected", detail, (e.seq,)))
    return out


def complaints(entries: Sequence[Entry], facts: RegisterFacts, today: dt.date) -> list[Circumstance]:
    concluded: dict[object, Entry] = {}
    for e in _of(entries, "complaint_concluded"):
        concluded.setdefault(e.payload.get("complaint_id"), e)
    out = []
    for e in _of(entries, "complaint_received"):
        during = e.payload.get("during")
        code = {
            "inspection_notice": "complaint_inspection_notice",
            "pre_appointment_notice": "complaint_pre_appointment_notice",
        }.get(during if isinstance(during, str) else "", "complaint_other")
        complaint_id = e.payload.get("complaint_id")
        end = concluded.get(complaint_id)
        if end is None:
            detail = f"收到信访举报（编号 {complaint_id}），尚未办结"
            seqs: tuple[int, ...] = (e.seq,)
        else:
            outcome = end.payload.get("outcome")
            outcome_text = OUTCOME_LABELS.get(outcome, str(outcome)) if outcome else "已办结"
            conclusion = end.payload.get("conclusion")
            detail = f"收到信访举报（编号 {complaint_id}），核查结论：{outcome_text}"
            if conclusion:
                detail += f"。{conclusion}"
            seqs = (e.seq, end.seq)
        out.append(Circumstance(code, detail, seqs))
    return out


def opinions(entries: Sequence[Entry], facts: RegisterFacts, today: dt.date) -> list[Circumstance]:
    out = []
    for e in _of(entries, "opinion_recorded"):
        p = e.payload
        source = p.get("source")
        label = SOURCE_LABELS.get(source, str(source)) if source else "有关方面"
        text = p.get("text")
        tail = f"：{text}" if text else ""
        disagrees = p.get("agrees") is False
        if source == "co_managing":
            if disagrees:
                out.append(Circumstance("co_managing_disagreement", f"{label}不同意{tail}", (e.seq,)))
        elif source in INTEGRITY_SOURCES:
            if disagrees or p.get("veto") is True or p.get("needs_explanation") is True:
                verdict = (
                    "提出否决意见" if p.get("veto") is True else "有不同意见" if disagrees else "意见需要说明"
                )
                out.append(Circumstance("opinion_needs_explanation", f"{label}{verdict}{tail}", (e.seq,)))
        elif disagrees:
            out.append(Circumstance("other", f"征求意见中{label}有不同意见{tail}", (e.seq,)))
    return out


def _first(payload: Mapping[str, object], *keys: str) -> str:
    return next((str(payload[k]) for k in keys if payload.get(k)), "")


def exceptional_promotion(
    entries: Sequence[Entry], facts: RegisterFacts, today: dt.date
) -> list[Circumstance]:
    out = []
    for e in _of(entries, "exceptional_promotion_approved"):
        reason, approval = (
            _first(e.payload, "reason", "reasons"),
            _first(e.payload, "approval", "approved_by"),
        )
        parts = [f"理由：{reason}" if reason else "", f"批准：{approval}" if approval else ""]
        out.append(
            Circumstance("exceptional_promotion", "；".join(p for p in parts if p) or "破格提拔", (e.seq,))
        )
    return out


def decision_date(entries: Sequence[Entry], today: dt.date) -> tuple[dt.date, int | None]:
    """When the candidate was decided on: their first ``decision``-stage entry, or today."""
    for e in entries:
        if e.stage == "decision" and e.kind != "review":
            return _local_date(e), e.seq
    return today, None


def _year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _month(day: dt.date) -> str:
    return f"{day.year}年{day.month}月"


def _day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def sanction_period_ended(
    entries: Sequence[Entry], facts: RegisterFacts, today: dt.date
) -> list[Circumstance]:
    on, seq = decision_date(entries, today)
    since = _year_before(on)
    out = []
    for s in facts.sanctions:
        if s.period_end is not None and since <= s.period_end <= on:
            detail = (
                f"{_month(s.decided_on)}受{s.description}，影响期至 {_day(s.period_end)}，"
                f"距{'讨论决定' if seq is not None else '今日'}不足一年"
            )
            out.append(
                Circumstance("sanction_period_ended", detail, (seq,) if seq is not None else (), "register")
            )
    return out


def relatives(entries: Sequence[Entry], facts: RegisterFacts, today: dt.date) -> list[Circumstance]:
    return [
        Circumstance(
            "relative_of_leading_cadre", f"其{r.relation}{r.name}现任{r.post or '领导职务'}", (), "register"
        )
        for r in facts.relatives
        if r.leading
    ]


EXCEPTIONS = {"recommendation_range_widened": "扩大推荐范围", "tie_settled": "得票相同，由会议研究确定"}


def other(entries: Sequence[Entry], facts: RegisterFacts, today: dt.date) -> list[Circumstance]:
    out = []
    for e in entries:
        if e.kind == "review":
            continue
        if e.action == "circumstance_recorded":
            out.append(Circumstance("other", str(e.payload.get("text") or ""), (e.seq,)))
        elif e.action in EXCEPTIONS:
            reason = _first(e.payload, "reason", "reasons", "text")
            out.append(
                Circumstance("other", EXCEPTIONS[e.action] + (f"：{reason}" if reason else ""), (e.seq,))
            )
    return out


DETECTORS: tuple[Detector, ...] = (
    inspection_candidates,
    complaints,
    opinions,
    exceptional_promotion,
    sanction_period_ended,
    relatives,
    other,
)

_ORDER = {code: i for i, code in enumerate(TITLES)}


def detect(
    entries: Sequence[Entry], facts: RegisterFacts | None = None, *, today: dt.date
) -> list[Circumstance]:
    """Every important circumstance of one candidate, in the order of D4.2, then by entry."""
    entries = sorted(entries, key=lambda e: e.seq)
    found: list[Circumstance] = []
    for detector in DETECTORS:
        found.extend(detector(entries, facts or RegisterFacts(), today))
    return sorted(found, key=lambda c: (_ORDER[c.code], c.entries))
