"""Complaints (信访举报) and their verification (核查): one function per state change, each in one
durable transaction with its full-process record entry.

A complaint about a campaign candidate is recorded on the candidate's record form
(``complaint_received`` / ``complaint_concluded``, with ``during`` naming the period: the
important-circumstance detectors read these). The reporter's identity stays on the complaint and
never enters the record. While a complaint is not concluded it blocks appointment (000 三、:
反映问题未查实的不任用); concluded as ``cancelled`` it stops the candidate.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.utils import timezone

from xuanren.accounts.models import Jurisdiction
from xuanren.campaigns import engine
from xuanren.campaigns.actions import cancel_candidacy
from xuanren.campaigns.models import Campaign, Candidate, Disclosure, Notice
from xuanren.record import materials
from xuanren.record.api import append, recorded_action
from xuanren.record.models import Material
from xuanren.register.models import Cadre
from xuanren.supervision.models import Complaint

TAKERS = ("supervision_office", "discipline", "cadre_officer")
VERIFIERS = ("supervision_office", "discipline")


class ComplaintRefused(Exception):
    """A refused complaint action: ``rule`` names the rule or check, ``message`` says why."""

    def __init__(self, rule: str, message: str) -> None:
        self.rule = rule
        self.message = message
        super().__init__(f"{message}（{rule}）")


def _check(user: Any, jurisdiction: Jurisdiction, roles: tuple[str, ...]) -> None:
    if user is None or not getattr(user, "is_authenticated", False):
        raise ComplaintRefused("supervision.access", "请先登录")
    if getattr(user, "is_superuser", False):
        return
    own = getattr(user, "jurisdiction", None)
    if own is None or not jurisdiction.path.startswith(own.path):
        raise ComplaintRefused("supervision.access", f"{jurisdiction.name}不在您的管辖范围内")
    if not user.has_role(*roles):
        raise ComplaintRefused("supervision.access", "您的角色不能办理信访举报")


def period_of(candidate: Candidate, on: date) -> str:
    """The period a complaint about a candidate falls in, from the notices and disclosures open
    on ``on`` (D4.2 and D5 name these periods)."""
    for notice in candidate.notices.all():
        last = notice.ends_on or notice.starts_on
        if notice.kind == Notice.Kind.PRE_APPOINTMENT and notice.starts_on <= on <= last:
            return Complaint.During.PRE_APPOINTMENT_NOTICE
        if notice.kind == Notice.Kind.INSPECTION and notice.posted_on <= on <= notice.starts_on:
            return Complaint.During.INSPECTION_NOTICE
    for disclosure in candidate.disclosures.all():
        if disclosure.starts_on <= on <= disclosure.ends_on:
            return (
                Complaint.During.FIRST_DISCLOSURE
                if disclosure.round == Disclosure.Round.FIRST
                else Complaint.During.SECOND_DISCLOSURE
            )
    if candidate.state == Candidate.State.PROBATION:
        return Complaint.During.PROBATION
    if candidate.state in (Candidate.State.INSPECTION_CANDIDATE, Candidate.State.INSPECTED):
        return Complaint.During.INSPECTION_NOTICE
    return Complaint.During.OTHER


def _next_step(candidate: Candidate) -> tuple[str, str]:
    """(stage, step) of the candidate's next step, where the entry is filed on the record form."""
    policy = engine.policy_of(candidate.campaign)
    progress = engine.candidate_progress(policy, candidate)
    if progress.next is None:
        return "appointment", "appointment_and_probation"
    return progress.next.stage_id, progress.next.id


def _entry(complaint: Complaint, action: str, actor: Any, payload: dict[str, Any]) -> None:
    candidate = complaint.candidate
    stage, step = _next_step(candidate) if candidate is not None else ("", "")
    body = {"complaint_id": complaint.pk, "during": complaint.during, **payload}
    if candidate is not None:
        body["candidate"] = candidate.pk
    append(
        action=action,
        actor=actor,
        jurisdiction_code=complaint.jurisdiction.code,
        payload=body,
        campaign_id=complaint.campaign_id,
        candidate_id=complaint.cadre_id,
        stage=stage,
        step=step,
        candidate_name=complaint.cadre.name if complaint.cadre_id and complaint.cadre else None,
    )


def receive_complaint(
    *,
    acting_user: Any,
    jurisdiction: Jurisdiction,
    today: date,
    summary: str,
    channel: str = Complaint.Channel.LETTER,
    candidate: Candidate | None = None,
    cadre: Cadre | None = None,
    during: str | None = None,
    anonymous: bool = False,
    reporter_name: str = "",
    reporter_contact: str = "",
    due_on: date | None = None,
) -> Complaint:
    """Receive a complaint (受理信访举报) about a campaign candidate or a registered cadre.

    ``during`` defaults to the period the candidate is in (inspection notice, a disclosure round,
    the pre-appointment notice...). The entry ``complaint_received`` carries the period and the
    complaint's id, never the reporter.
    """
    _check(acting_user, jurisdiction, TAKERS)
    if not summary.strip():
        raise ComplaintRefused("supervision.summary", "请填写反映的主要问题")
    if candidate is not None:
        cadre = candidate.cadre
    if cadre is not None and not cadre.jurisdiction.path.startswith(jurisdiction.path):
        raise ComplaintRefused("supervision.scope", f"{cadre.name} 不在{jurisdiction.name}的干部名册中")
    if channel not in Complaint.Channel.values:
        raise ComplaintRefused("supervision.channel", f"反映方式不正确：{channel}")
    with recorded_action():
        complaint = Complaint.objects.create(
            jurisdiction=jurisdiction,
            campaign=candidate.campaign if candidate is not None else None,
            candidate=candidate,
            cadre=cadre,
            during=during
            or (period_of(candidate, today) if candidate is not None else Complaint.During.OTHER),
            channel=channel,
            received_on=today,
            anonymous=anonymous,
            reporter_name="" if anonymous else reporter_name.strip(),
            reporter_contact="" if anonymous else reporter_contact.strip(),
            summary=summary.strip(),
            due_on=due_on,
            received_by=acting_user,
        )
        _entry(complaint, "complaint_received", acting_user, {"channel": channel, "received_on": today})
    return complaint


def start_verification(
    complaint: Complaint, *, acting_user: Any, today: date, verifiers: str, due_on: date | None = None
) -> Complaint:
    """Start verification (开始核查) by the named verifiers (a group with discipline, audit and other
    bodies where the policy lists them, ``disclosure.verifiers``)."""
    _check(acting_user, complaint.jurisdiction, VERIFIERS)
    if not verifiers.strip():
        raise ComplaintRefused("supervision.verifiers", "请填写核查人员")
    with recorded_action():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if complaint.status != Complaint.Status.RECEIVED:
            raise ComplaintRefused("supervision.status", "该信访举报已在核查或已办结")
        complaint.status = Complaint.Status.VERIFYING
        complaint.verification_started_on = today
        complaint.verifiers = verifiers.strip()
        complaint.due_on = due_on or complaint.due_on
        complaint.save(update_fields=["status", "verification_started_on", "verifiers", "due_on"])
        _entry(
            complaint,
            "verification_started",
            acting_user,
            {"verifiers": complaint.verifiers, "due_on": complaint.due_on, "started_on": today},
        )
    return complaint


def conclude_complaint(
    complaint: Complaint,
    *,
    acting_user: Any,
    today: date,
    outcome: str,
    conclusion: str,
    fed_back_on: date | None = None,
    publish: bool = True,
) -> Complaint:
    """Conclude the verification (核查办结): ``cleared`` (查无实据), ``cancelled`` (问题属实: the
    candidacy or appointment is cancelled — a candidate not yet appointed is stopped) or
    ``referred`` (移交有关部门). The conclusion is fed back to the reporter and published."""
    _check(acting_user, complaint.jurisdiction, VERIFIERS)
    if outcome not in Complaint.Outcome.values:
        raise ComplaintRefused("supervision.outcome", f"核查结论不正确：{outcome}")
    if not conclusion.strip():
        raise ComplaintRefused("supervision.conclusion", "请填写核查情况")
    with recorded_action():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if complaint.status != Complaint.Status.VERIFYING:
            raise ComplaintRefused("supervision.status", "须先开始核查，方可办结")
        complaint.status = Complaint.Status.CONCLUDED
        complaint.outcome = outcome
        complaint.conclusion = conclusion.strip()
        complaint.concluded_on = today
        complaint.fed_back_on = fed_back_on or (None if complaint.anonymous else today)
        complaint.published = publish
        complaint.save(
            update_fields=["status", "outcome", "conclusion", "concluded_on", "fed_back_on", "published"]
        )
        stopped = None
        candidate = complaint.candidate
        if outcome == Complaint.Outcome.CANCELLED and candidate is not None:
            policy = engine.policy_of(candidate.campaign)
            cited = engine.cite_rule(
                policy, "disclosure.complaints", "notice.complaints", "eligibility.complaints"
            )
            decision = engine.decide(
                policy,
                cited,
                passed=False,
                text=f"信访举报经核查问题属实（{complaint.conclusion}），取消考察对象资格或任职资格",
                subject=candidate.cadre.name,
                inputs={"complaint": complaint.pk},
            )
            cancel_candidacy(candidate, decision=decision, run_actor=acting_user, today=today)
            stopped = decision.to_dict()
        _entry(
            complaint,
            "complaint_concluded",
            acting_user,
            {
                "outcome": outcome,
                "conclusion": complaint.conclusion,
                "fed_back_on": complaint.fed_back_on,
                "published": publish,
                "decision": stopped,
            },
        )
    return complaint


# Tracking codes and passwords avoid letters and digits that read alike (0/O, 1/I/L).
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PUBLIC_REPORTER = "群众（网上举报）"


def random_code(length: int) -> str:
    """A random tracking code or one-time password of ``length`` unambiguous characters."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def file_public_complaint(
    *,
    jurisdiction: Jurisdiction,
    today: date,
    summary: str,
    campaign: Campaign | None = None,
    candidate: Candidate | None = None,
    anonymous: bool = True,
    reporter_name: str = "",
    reporter_contact: str = "",
    files: Iterable[Any] = (),
) -> tuple[Complaint, str]:
    """A complaint filed by a member of the public on the portal (网上举报), about a candidate of a
    published campaign or about the campaign itself. Returns the complaint and its password, which
    is shown once: only its hash is stored.

    All or nothing: each file in ``files`` is read, checked by its first bytes and size
    (:func:`materials.sniff`, raising :class:`materials.MaterialRefused`) and written to the
    material store before the transaction — content-addressed and idempotent, so a retry or a
    failure after it leaves at most an unreferenced file, never a row without its file. The
    complaint, its ``complaint_received`` entry, one ``material_stored`` entry and ``Material`` row
    per file, and the attachment links then commit in one recorded action. If writing a file
    fails (``OSError``) nothing is saved.
    """
    if not summary.strip():
        raise ComplaintRefused("supervision.summary", "请填写反映的主要问题")
    if candidate is not None:
        campaign = candidate.campaign
    if campaign is None:
        raise ComplaintRefused("supervision.subject", "请选择反映的选任工作或人选")
    if campaign.jurisdiction_id != jurisdiction.pk:
        raise ComplaintRefused("supervision.scope", f"该选任工作不属于{jurisdiction.name}")
    stored = [_stored_upload(file) for file in files]
    password = random_code(10)
    with recorded_action():
        code = random_code(12)
        while Complaint.objects.filter(tracking_code=code).exists():
            code = random_code(12)
        complaint = Complaint.objects.create(
            jurisdiction=jurisdiction,
            campaign=campaign,
            candidate=candidate,
            cadre=candidate.cadre if candidate is not None else None,
            during=period_of(candidate, today) if candidate is not None else Complaint.During.OTHER,
            channel=Complaint.Channel.ONLINE,
            received_on=today,
            anonymous=anonymous,
            reporter_name="" if anonymous else reporter_name.strip()[:64],
            reporter_contact="" if anonymous else reporter_contact.strip()[:64],
            summary=summary.strip(),
            tracking_code=code,
            tracking_password=make_password(password),
        )
        _entry(complaint, "complaint_received", PUBLIC_REPORTER, {"channel": "online", "received_on": today})
        if stored:
            complaint.attachments.add(*(_attachment(complaint, upload) for upload in stored))
    return complaint, password


@dataclasses.dataclass(frozen=True)
class _StoredUpload:
    name: str
    sha256: str
    size: int
    content_type: str


def _stored_upload(file: Any) -> _StoredUpload:
    """Check an uploaded file and write its bytes to the material store (by SHA-256, once)."""
    name, data = materials.read_upload(file)
    content_type, extension = materials.sniff(data)
    digest = materials.store_bytes(data)
    return _StoredUpload(materials.clean_name(name, extension), digest, len(data), content_type)


def _attachment(complaint: Complaint, upload: _StoredUpload) -> Material:
    """The ``material_stored`` entry and ``Material`` row of a stored upload, inside the
    complaint's action. The same entry vocabulary as :func:`xuanren.record.actions.store_material`,
    which would join this action (actions nest) but asks for a staff role a reporter does not have."""
    entry = append(
        action="material_stored",
        actor=PUBLIC_REPORTER,
        jurisdiction_code=complaint.jurisdiction.code,
        campaign_id=complaint.campaign_id,
        candidate_id=complaint.cadre_id,
        files=[{"name": upload.name, "sha256": upload.sha256}],
        payload={"kind": Material.Kind.OTHER, "size": upload.size, "content_type": upload.content_type},
    )
    return Material.objects.create(
        jurisdiction=complaint.jurisdiction,
        name=upload.name,
        sha256=upload.sha256,
        content_type=upload.content_type,
        size=upload.size,
        kind=Material.Kind.OTHER,
        campaign_id=complaint.campaign_id,
        candidate_id=complaint.cadre_id,
        entry=entry,
        uploaded_by=None,
        created_at=timezone.now(),
    )


def tracked_complaint(code: str, password: str) -> Complaint | None:
    """The complaint with this tracking code if the password matches; None otherwise (the same
    answer for an unknown code and a wrong password)."""
    complaint = Complaint.objects.filter(tracking_code=code.strip().upper()).first()
    if complaint is None:
        make_password(password)  # as slow as a real check, so timing does not tell codes apart
        return None
    return complaint if check_password(password.strip(), complaint.tracking_password) else None


def answer_complaint(
    complaint: Complaint, *, acting_user: Any, today: date, answer: str, publish: bool = False
) -> Complaint:
    """Send the answer back to the reporter (向反映人反馈): the tracking page shows it; ``publish``
    also makes the conclusion public where required (对公示期间的反映件…向社会公开, 001)."""
    _check(acting_user, complaint.jurisdiction, VERIFIERS)
    if not answer.strip():
        raise ComplaintRefused("supervision.answer", "请填写答复内容")
    with recorded_action():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if complaint.status != Complaint.Status.CONCLUDED:
            raise ComplaintRefused("supervision.status", "须先办结核查，方可答复")
        complaint.answer = answer.strip()
        complaint.answered_on = today
        complaint.fed_back_on = today
        complaint.published = complaint.published or publish
        complaint.save(update_fields=["answer", "answered_on", "fed_back_on", "published"])
        _entry(
            complaint,
            "complaint_answered",
            acting_user,
            {"answer": complaint.answer, "answered_on": today, "published": complaint.published},
        )
    return complaint
