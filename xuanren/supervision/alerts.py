"""Alerts for the supervision desk (干部监督室预警), computed from data — never typed in.

:func:`alerts_from` is pure: it reads ledger entries (as :class:`EntryFacts`), unfinished
complaints and pending appeals, and ``today``, and returns the alerts. :func:`alerts_for` is the
shell that fetches those, scoped to the user's jurisdiction.

Kinds (DOMAIN D9, seed 001: who forced a rule aside, who missed a deadline, who was refused):

- ``exception``: a rule overridden by an allowed exception — exceptional promotion
  (``exceptional_promotion_approved``), a direct inspection candidate (``inspection_candidate_set``
  with ``basis == "direct"``), a tie settled (``tie_settled``), a widened recommendation range;
- ``low_share``: an inspection candidate whose recommendation share was below the policy's level
  (``inspection_candidate_set`` with ``passed is false``);
- ``no_quorum``: a decision meeting opened without its quorum (``step_refused`` by the policy's
  ``decision.quorum`` over the attendance, "到会"; sign-in refusals cite that rule too);
- ``refused``: any other refused step (``step_refused``);
- ``complaint_overdue``: a complaint not concluded by its due date;
- ``appeal_waiting``: an appeal not yet decided.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

TITLES: dict[str, str] = {
    "exception": "规则例外",
    "low_share": "推荐得票未达集中度仍列为考察对象",
    "no_quorum": "未达法定人数试图召开决定会议",
    "refused": "步骤被规则拒绝",
    "complaint_overdue": "信访举报逾期未办结",
    "appeal_waiting": "申诉待处理",
}
EXCEPTIONS: dict[str, str] = {
    "exceptional_promotion_approved": "破格提拔",
    "tie_settled": "票数相同另行确定",
    "recommendation_range_widened": "扩大推荐范围",
}


@dataclasses.dataclass(frozen=True)
class EntryFacts:
    """What an alert needs of one ledger entry."""

    pk: int
    seq: int
    action: str
    time: str
    campaign_id: int | None
    payload: Mapping[str, Any]
    candidate_name: str = ""


@dataclasses.dataclass(frozen=True)
class OpenItem:
    """An unfinished complaint or appeal: its own id, campaign and candidate, its due date, and
    the ledger entry that opened it (if known)."""

    kind: str  # "complaint" or "appeal"
    pk: int
    campaign_id: int | None
    candidate_id: int | None
    due_on: date | None
    opened_on: date
    entry_pk: int | None
    subject: str = ""


@dataclasses.dataclass(frozen=True)
class Alert:
    kind: str
    text: str
    entry_pk: int | None
    campaign_id: int | None
    candidate_id: int | None
    on: str

    @property
    def title(self) -> str:
        return TITLES[self.kind]


def _entry_alert(e: EntryFacts) -> Alert | None:
    p = e.payload
    candidate = p.get("candidate") if isinstance(p.get("candidate"), int) else None
    who = e.candidate_name or str(p.get("candidate_name") or "")
    make = lambda kind, text: Alert(kind, text, e.pk, e.campaign_id, candidate, e.time[:10])  # noqa: E731
    if e.action in EXCEPTIONS:
        reason = p.get("reason") or p.get("reasons") or ""
        return make("exception", f"{EXCEPTIONS[e.action]}：{who}{'，' + str(reason) if reason else ''}")
    if e.action == "inspection_candidate_set":
        if p.get("basis") == "direct":
            return make("exception", f"直接列为考察对象：{who}")
        if p.get("passed") is False:
            return make("low_share", f"{who} 推荐得票 {p.get('share')}，未达 {p.get('threshold')}")
        return None
    if e.action == "step_refused":
        reason = str(p.get("reason") or "")
        if str(p.get("rule_id") or "").endswith("decision.quorum") and "到会" in reason:
            return make("no_quorum", reason)
        return make("refused", f"{p.get('step') or ''}：{reason}（{p.get('rule_id') or ''}）")
    return None


def alerts_from(entries: Iterable[EntryFacts], open_items: Iterable[OpenItem], today: date) -> list[Alert]:
    """All alerts, newest first."""
    found = [a for a in map(_entry_alert, entries) if a is not None]
    for item in open_items:
        if item.kind == "complaint" and item.due_on is not None and item.due_on < today:
            days = (today - item.due_on).days
            text = f"信访举报 #{item.pk}（{item.subject or '—'}）办结期限 {item.due_on}，已逾期 {days} 天"
            found.append(
                Alert(
                    "complaint_overdue",
                    text,
                    item.entry_pk,
                    item.campaign_id,
                    item.candidate_id,
                    str(item.due_on),
                )
            )
        elif item.kind == "appeal":
            text = f"{item.subject} 的申诉，{item.opened_on} 提出，已等待 {(today - item.opened_on).days} 天"
            found.append(
                Alert(
                    "appeal_waiting",
                    text,
                    item.entry_pk,
                    item.campaign_id,
                    item.candidate_id,
                    str(item.opened_on),
                )
            )
    return sorted(found, key=lambda a: a.on, reverse=True)


ENTRY_ACTIONS = ("step_refused", "inspection_candidate_set", *EXCEPTIONS)


def alerts_for(user: Any, today: date) -> list[Alert]:
    """The alerts of the user's jurisdictions (a fixed number of queries)."""
    from xuanren.campaigns.models import Appeal
    from xuanren.record.models import Entry
    from xuanren.supervision.models import Complaint
    from xuanren.supervision.selectors import complaints_for

    entries = [
        EntryFacts(
            e.pk,
            e.seq,
            e.action,
            e.time,
            e.campaign_id,
            e.payload,
            str(e.payload.get("candidate_name") or ""),
        )
        for e in Entry.objects.visible_to(user).filter(action__in=ENTRY_ACTIONS).order_by("seq")
    ]
    received = {
        e.payload.get("complaint_id"): e.pk
        for e in Entry.objects.visible_to(user).filter(action="complaint_received")
    }
    items = [
        OpenItem(
            "complaint",
            c.pk,
            c.campaign_id,
            c.candidate_id,
            c.due_on,
            c.received_on,
            received.get(c.pk),
            c.cadre.name if c.cadre else "",
        )
        for c in complaints_for(user).exclude(status=Complaint.Status.CONCLUDED).filter(due_on__lt=today)
    ]
    appeals = (
        Appeal.objects.filter(
            status=Appeal.Status.PENDING, candidate__campaign__jurisdiction__id__in=_ids(user)
        )
        .select_related("candidate__cadre", "candidate__campaign")
        .order_by("filed_on")
    )
    items += [
        OpenItem(
            "appeal",
            a.pk,
            a.candidate.campaign_id,
            a.candidate_id,
            a.deadline,
            a.filed_on,
            None,
            a.candidate.cadre.name,
        )
        for a in appeals
    ]
    return alerts_from(entries, items, today)


def _ids(user: Any) -> list[int]:
    from xuanren.accounts.models import Jurisdiction
    from xuanren.accounts.scoping import visible_jurisdiction_ids

    if user.is_superuser:
        return list(Jurisdiction.objects.values_list("id", flat=True))
    return visible_jurisdiction_ids(user)
