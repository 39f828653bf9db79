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
- ``appeal_waiting``: an appeal not yet decided (and not yet late, or the policy sets no period);
- ``notice_overrun``: a notice whose period, from the campaign's policy, was not kept — an
  inspection notice (考察预告) posted later than ``inspection.notice`` allows before the inspection
  actually began (the first talk or inspection procedure, if earlier than the announced start),
  or a pre-appointment notice (任前公示, ``notice.period`` in working days with the holiday
  calendar) whose stated end is too early, that was concluded or followed by the appointment
  before its last day, or that is still open after its last day with no outcome recorded;
- ``appeal_late``: an appeal (申诉) not decided within the policy's period for deciding it
  (``APPEAL_DECISION_PATH``), decided late or still waiting.

Periods are never written here: they are the campaign's pinned policy's rules, computed by
:mod:`xuanren.rules.deadlines`, and each alert cites the rule id (policy id and path), the policy
version and the figures.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from xuanren.rules import deadlines
from xuanren.rules.calendar import Schedules
from xuanren.rules.decision import Outcome, cite
from xuanren.rules.periods import describe
from xuanren.rules.policy import Policy
from xuanren.rules.schema import RULE_PATHS, PeriodRule

TITLES: dict[str, str] = {
    "exception": "规则例外",
    "low_share": "推荐得票未达集中度仍列为考察对象",
    "no_quorum": "未达法定人数试图召开决定会议",
    "refused": "步骤被规则拒绝",
    "complaint_overdue": "信访举报逾期未办结",
    "appeal_waiting": "申诉待处理",
    "notice_overrun": "预告、公示期限未遵守",
    "appeal_late": "申诉逾期未处理",
}
# The policy path of the period for deciding an appeal. No policy format has it yet: 001 sets only
# the week for filing (``inspection.appeal``), so until a policy states a period for the answer,
# a waiting appeal stays ``appeal_waiting`` and says that no period applies.
APPEAL_DECISION_PATH = "inspection.appeal_decision"
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
class NoticeFacts:
    """One candidate on one notice, with the dates that show whether its period was kept and the
    policy the campaign is pinned to."""

    pk: int
    kind: str  # Notice.Kind: "inspection" or "pre_appointment"
    campaign_id: int
    candidate_id: int
    candidate_name: str
    posted_on: date
    starts_on: date  # inspection start, or the first day of the notice period
    ends_on: date | None
    policy: Policy
    inspection_began: date | None = None  # first talk or inspection procedure of the candidate
    concluded_on: date | None = None  # step ``pre_appointment_notice`` done
    appointed_on: date | None = None
    stopped: bool = False  # the candidacy ended another way: the notice needs no outcome
    entry_pk: int | None = None  # the entry that published the notice for the candidate


@dataclasses.dataclass(frozen=True)
class AppealFacts:
    """One appeal, its dates and the policy's period for deciding it (None: the policy has none)."""

    pk: int
    campaign_id: int
    candidate_id: int
    candidate_name: str
    filed_on: date
    decided_on: date | None
    policy_label: str
    period: PeriodRule | None = None
    rule_id: str = ""
    entry_pk: int | None = None


@dataclasses.dataclass(frozen=True)
class Alert:
    kind: str
    text: str
    entry_pk: int | None
    campaign_id: int | None
    candidate_id: int | None
    on: str
    rule_id: str = ""

    @property
    def title(self) -> str:
        return TITLES[self.kind]


def _entry_alert(e: EntryFacts) -> Alert | None:
    p = e.payload
    candidate = p.get("candidate") if isinstance(p.get("candidate"), int) else None
    who = e.candidate_name or str(p.get("candidate_name") or "")
    rule_id = str(p.get("rule_id") or "")

    def make(kind: str, text: str) -> Alert:
        return Alert(kind, text, e.pk, e.campaign_id, candidate, e.time[:10], rule_id)

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


def _version(policy: Policy) -> str:
    return f"政策 {policy.id} 第 {policy.version} 版"


def notice_alert(n: NoticeFacts, today: date, schedules: Schedules = None) -> Alert | None:
    """The ``notice_overrun`` alert of one candidate on one notice, or None if its period was kept
    (or the policy sets none)."""
    if n.kind == "inspection":
        return _inspection_notice_alert(n, schedules)
    return _pre_appointment_alert(n, today, schedules)


def _inspection_notice_alert(n: NoticeFacts, schedules: Schedules) -> Alert | None:
    began = min(d for d in (n.starts_on, n.inspection_began) if d is not None)
    lead = deadlines.check_inspection_notice(
        n.policy, posted_on=n.posted_on, inspection_starts=began, schedules=schedules
    )
    early = f"（预告的考察开始日为 {n.starts_on}，{began} 即已开始考察）" if began < n.starts_on else ""
    if lead.outcome is Outcome.FAIL:
        text = f"{n.candidate_name} 的考察预告：{lead.explanation}{early}；{_version(n.policy)}"
        return Alert(
            "notice_overrun", text, n.entry_pk, n.campaign_id, n.candidate_id, str(began), lead.rule_id
        )
    if began < n.posted_on:  # no lead time in the policy, but a notice must still come first
        path = "inspection.notice"
        rule = n.policy.rule(path)
        if rule is None:
            return None
        rule_id = n.policy.rule_id(path)
        text = (
            f"{n.candidate_name} 的考察 {began} 已开始，考察预告 {n.posted_on} 才发布"
            f"{cite(rule_id, rule.source)}；{_version(n.policy)}"
        )
        return Alert("notice_overrun", text, n.entry_pk, n.campaign_id, n.candidate_id, str(began), rule_id)
    return None


def _pre_appointment_alert(n: NoticeFacts, today: date, schedules: Schedules) -> Alert | None:
    period = deadlines.notice_period(n.policy, starts_on=n.starts_on, schedules=schedules)
    if period.outcome is not Outcome.INFO:
        return None
    last = date.fromisoformat(str(period.value))
    found: list[tuple[date, str]] = []
    if n.ends_on is not None and n.ends_on < last:
        found.append((n.posted_on, f"公示截止日定为 {n.ends_on}，早于公示期最后一日"))
    if n.concluded_on is not None and n.concluded_on <= last:
        found.append((n.concluded_on, f"{n.concluded_on} 即结束公示，公示期未满"))
    if n.appointed_on is not None and n.appointed_on <= last:
        found.append((n.appointed_on, f"{n.appointed_on} 已任职，公示期未满"))
    if n.concluded_on is None and n.appointed_on is None and not n.stopped and today > last:
        found.append((today, f"公示期已满 {(today - last).days} 天，仍未记录公示结果"))
    if not found:
        return None
    text = (
        f"{n.candidate_name} 的任前公示：{'；'.join(t for _, t in found)}。"
        f"{period.explanation}；{_version(n.policy)}"
    )
    on = min(d for d, _ in found)
    return Alert("notice_overrun", text, n.entry_pk, n.campaign_id, n.candidate_id, str(on), period.rule_id)


def appeal_alert(a: AppealFacts, today: date, schedules: Schedules = None) -> Alert | None:
    """``appeal_late`` when the policy's period for deciding the appeal has passed undecided (or
    it was decided after it); ``appeal_waiting`` for an appeal still inside it, or with no period."""
    make = lambda kind, text, rule_id="": Alert(  # noqa: E731
        kind, text, a.entry_pk, a.campaign_id, a.candidate_id, str(a.filed_on), rule_id
    )
    if a.period is None:
        if a.decided_on is not None:
            return None
        return make(
            "appeal_waiting",
            f"{a.candidate_name} 的申诉，{a.filed_on} 提出，已等待 {(today - a.filed_on).days} 天"
            f"（政策 {a.policy_label} 未规定申诉处理期限）",
        )
    last = deadlines.last_day(a.period, a.filed_on, schedules)
    how = f"自 {a.filed_on} 提出起 {describe(a.period.length, a.period.unit)}内处理，最后一日为 {last}"
    figures = f"{how}{cite(a.rule_id, a.period.source)}；政策 {a.policy_label}"
    if a.decided_on is not None:
        if a.decided_on <= last:
            return None
        late = (a.decided_on - last).days
        return make(
            "appeal_late",
            f"{a.candidate_name} 的申诉 {a.decided_on} 才处理，逾期 {late} 天：{figures}",
            a.rule_id,
        )
    if today > last:
        late = (today - last).days
        return make(
            "appeal_late", f"{a.candidate_name} 的申诉至今未处理，已逾期 {late} 天：{figures}", a.rule_id
        )
    return make(
        "appeal_waiting", f"{a.candidate_name} 的申诉，{a.filed_on} 提出，尚在处理期内：{figures}", a.rule_id
    )


def alerts_from(
    entries: Iterable[EntryFacts],
    open_items: Iterable[OpenItem],
    today: date,
    *,
    notices: Iterable[NoticeFacts] = (),
    appeals: Iterable[AppealFacts] = (),
    schedules: Schedules = None,
) -> list[Alert]:
    """All alerts, newest first. ``schedules`` are the holiday schedules for working days."""
    found = [a for a in map(_entry_alert, entries) if a is not None]
    for notice in notices:
        alert = notice_alert(notice, today, schedules)
        if alert is not None:
            found.append(alert)
    for appeal in appeals:
        alert = appeal_alert(appeal, today, schedules)
        if alert is not None:
            found.append(alert)
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
    """The alerts of the user's jurisdictions (a fixed number of queries, whatever the number of
    campaigns, notices and appeals: each distinct pinned policy is resolved once)."""
    from xuanren.campaigns.engine import schedules as holiday_schedules
    from xuanren.record.models import Entry
    from xuanren.supervision.models import Complaint
    from xuanren.supervision.selectors import complaints_for

    ids = _ids(user)
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
    policies = _Policies()
    published = {
        (e.action, e.payload.get("notice") or e.payload.get("appeal"), e.payload.get("candidate")): e.pk
        for e in Entry.objects.visible_to(user).filter(action__in=PUBLISHED_ACTIONS)
    }
    return alerts_from(
        entries,
        items,
        today,
        notices=_notice_facts(ids, policies, published),
        appeals=_appeal_facts(ids, policies, published),
        schedules=holiday_schedules(),
    )


# Entries that publish a notice for a candidate, and that file an appeal: what the alerts link to.
PUBLISHED_ACTIONS = ("inspection_notice_published", "pre_appointment_notice_published", "appeal_filed")


class _Policies:
    """Each campaign's pinned policy, resolved once per (id, version, hash) for the whole page."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, int, str], Policy] = {}

    def of(self, campaign: Any) -> Policy:
        from xuanren.campaigns.engine import policy_of

        key = (campaign.policy_id, campaign.policy_version, campaign.policy_sha256)
        if key not in self._found:
            self._found[key] = policy_of(campaign)
        return self._found[key]


def _notice_facts(ids: list[int], policies: _Policies, published: dict[Any, int]) -> list[NoticeFacts]:
    from django.db.models import Min

    from xuanren.campaigns.models import Candidate, CandidateStep, InspectionRecord, Notice, Talk

    links = list(
        Notice.candidates.through.objects.filter(notice__campaign__jurisdiction__id__in=ids)
        .select_related("notice__campaign", "candidate__cadre")
        .order_by("notice_id", "candidate_id")
    )
    if not links:
        return []
    inspected = [link.candidate_id for link in links if link.notice.kind == Notice.Kind.INSPECTION]
    began: dict[int, date] = {}
    for rows in (
        Talk.objects.filter(candidate_id__in=inspected).values("candidate_id").annotate(first=Min("held_on")),
        InspectionRecord.objects.filter(candidate_id__in=inspected)
        .exclude(kind=InspectionRecord.Kind.JOINT_REVIEW)  # before the candidates are fixed
        .values("candidate_id")
        .annotate(first=Min("held_on")),
    ):
        for row in rows:
            known = began.get(row["candidate_id"])
            began[row["candidate_id"]] = row["first"] if known is None else min(known, row["first"])
    noticed = [link.candidate_id for link in links if link.notice.kind == Notice.Kind.PRE_APPOINTMENT]
    concluded = dict(
        CandidateStep.objects.filter(candidate_id__in=noticed, step="pre_appointment_notice")
        .values("candidate_id")
        .annotate(first=Min("done_on"))
        .values_list("candidate_id", "first")
    )
    ended = (Candidate.State.STOPPED, Candidate.State.DISQUALIFIED, Candidate.State.REJECTED)
    facts = []
    for link in links:
        notice, candidate = link.notice, link.candidate
        action = f"{notice.kind}_notice_published"
        facts.append(
            NoticeFacts(
                pk=notice.pk,
                kind=notice.kind,
                campaign_id=notice.campaign_id,
                candidate_id=candidate.pk,
                candidate_name=candidate.cadre.name,
                posted_on=notice.posted_on,
                starts_on=notice.starts_on,
                ends_on=notice.ends_on,
                policy=policies.of(notice.campaign),
                inspection_began=began.get(candidate.pk),
                concluded_on=concluded.get(candidate.pk),
                appointed_on=candidate.appointed_on,
                stopped=candidate.state in ended,
                entry_pk=published.get((action, notice.pk, candidate.pk)),
            )
        )
    return facts


def _appeal_facts(ids: list[int], policies: _Policies, published: dict[Any, int]) -> list[AppealFacts]:
    from xuanren.campaigns.models import Appeal

    appeals = (
        Appeal.objects.filter(candidate__campaign__jurisdiction__id__in=ids)
        .select_related("candidate__cadre", "candidate__campaign")
        .order_by("filed_on", "id")
    )
    facts = []
    for a in appeals:
        policy = policies.of(a.candidate.campaign)
        rule = policy.rule(APPEAL_DECISION_PATH) if APPEAL_DECISION_PATH in RULE_PATHS else None
        facts.append(
            AppealFacts(
                pk=a.pk,
                campaign_id=a.candidate.campaign_id,
                candidate_id=a.candidate_id,
                candidate_name=a.candidate.cadre.name,
                filed_on=a.filed_on,
                decided_on=a.decided_on if a.status != Appeal.Status.PENDING else None,
                policy_label=policy.label,
                period=rule if isinstance(rule, PeriodRule) else None,
                rule_id=policy.rule_id(APPEAL_DECISION_PATH) if rule is not None else "",
                entry_pk=published.get(("appeal_filed", a.pk, a.candidate_id)),
            )
        )
    return facts


def _ids(user: Any) -> list[int]:
    from xuanren.accounts.models import Jurisdiction
    from xuanren.accounts.scoping import visible_jurisdiction_ids

    if user.is_superuser:
        return list(Jurisdiction.objects.values_list("id", flat=True))
    return visible_jurisdiction_ids(user)
