"""The supervision desk (干部监督室, with discipline inspection): complaints, their verification,
conclusion and answer. Every step calls an action in :mod:`xuanren.supervision.actions`; a refused
action shows its reason above the form and saves nothing. The reporter's identity appears on these
pages only, which only the supervision roles can open.
"""

from __future__ import annotations

import logging
from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from xuanren.accounts.access import roles_required
from xuanren.accounts.scoping import get_visible_or_404
from xuanren.record.materials import MaterialDamaged, read_bytes
from xuanren.supervision import actions, selectors
from xuanren.supervision.alerts import TITLES, alerts_for
from xuanren.supervision.forms import AnswerForm, ConclusionForm, VerificationForm
from xuanren.supervision.models import Complaint
from xuanren.supervision.report import annual_report, report_xlsx
from xuanren.supervision.trace import trace_of

DESK = ("supervision_office", "discipline")
logger = logging.getLogger(__name__)


@roles_required(*DESK)
def complaint_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    return render(
        request,
        "supervision/complaint_list.html",
        {
            "complaints": selectors.complaints_for(request.user, status),
            "status": status,
            "statuses": Complaint.Status.choices,
            "today": timezone.localdate(),
        },
    )


def _detail(request: HttpRequest, complaint: Complaint, status: int = 200, **forms: object) -> HttpResponse:
    context: dict[str, object] = {
        "complaint": complaint,
        "entries": selectors.complaint_entries(complaint),
        "attachments": list(complaint.attachments.all()),
        "verification_form": VerificationForm(),
        "conclusion_form": ConclusionForm(),
        "answer_form": AnswerForm(initial={"answer": complaint.answer or complaint.conclusion}),
        "today": timezone.localdate(),
    }
    context.update(forms)
    return render(request, "supervision/complaint_detail.html", context, status=status)


@roles_required(*DESK)
def attachment(request: HttpRequest, pk: int, material_pk: int) -> HttpResponse:
    """An attachment of a complaint the user may see, served from the material store and checked
    against its SHA-256 on the way out; always a download, never shown inline."""
    complaint = get_visible_or_404(Complaint.objects.all(), request.user, pk=pk)
    material = get_visible_or_404(complaint.attachments.all(), request.user, pk=material_pk)
    try:
        data = read_bytes(material.sha256)
    except MaterialDamaged as damaged:
        logger.error("complaint %s attachment %s: %s", complaint.pk, material.pk, damaged)
        return HttpResponse(
            f"附件文件缺失或已被改动（SHA-256 {material.sha256}），请联系系统管理员。",
            status=410,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(data, content_type=material.content_type)
    response["Content-Disposition"] = content_disposition_header(True, material.name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)
    return response


@roles_required(*DESK)
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = get_visible_or_404(
        Complaint.objects.select_related("jurisdiction", "campaign", "cadre"), request.user, pk=pk
    )
    return _detail(request, complaint)


def _step(request: HttpRequest, pk: int, form_class: type, name: str, run: object) -> HttpResponse:
    complaint = get_visible_or_404(Complaint.objects.select_related("jurisdiction"), request.user, pk=pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            run(complaint, form.cleaned_data)  # type: ignore[operator]
        except actions.ComplaintRefused as refused:
            form.add_error(None, f"{refused.message}（{refused.rule}）")
        else:
            messages.success(request, "已办理并记入全程纪实")
            return redirect("supervision:complaint", pk=complaint.pk)
    return _detail(request, complaint, status=400, **{name: form})


@roles_required(*DESK)
@require_POST
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        VerificationForm,
        "verification_form",
        lambda c, d: actions.start_verification(
            c,
            acting_user=request.user,
            today=timezone.localdate(),
            verifiers=d["verifiers"],
            due_on=d["due_on"],
        ),
    )


@roles_required(*DESK)
@require_POST
def conclude(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        ConclusionForm,
        "conclusion_form",
        lambda c, d: actions.conclude_complaint(
            c,
            acting_user=request.user,
            today=timezone.localdate(),
            outcome=d["outcome"],
            conclusion=d["conclusion"],
            publish=d["publish"],
        ),
    )


@roles_required(*DESK)
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        AnswerForm,
        "answer_form",
        lambda c, d: actions.answer_complaint(
            c, acting_user=request.user, today=timezone.localdate(), answer=d["answer"], publish=d["publish"]
        ),
    )


@roles_required(*DESK)
def alerts(request: HttpRequest) -> HttpResponse:
    """The desk's alerts as of today (or ``?on=YYYY-MM-DD`` to look back or ahead)."""
    try:
        on = date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        on = timezone.localdate()
    found = alerts_for(request.user, on)
    kind = request.GET.get("kind", "")
    counts = {k: sum(1 for a in found if a.kind == k) for k in TITLES}
    if kind in TITLES:
        found = [a for a in found if a.kind == kind]
    return render(
        request,
        "supervision/alerts.html",
        {"alerts": found, "on": on, "counts": counts, "titles": TITLES, "kind": kind},
    )


@roles_required(*DESK)
def appointments(request: HttpRequest) -> HttpResponse:
    """Appointments in the user's jurisdiction, searchable by name or campaign, each with its
    accountability trace (``?q=`` to search, ``?page=``)."""
    query = request.GET.get("q", "").strip()
    page = Paginator(selectors.appointments_for(request.user, query), 50).get_page(request.GET.get("page"))
    return render(request, "supervision/appointments.html", {"page": page, "q": query})


@roles_required(*DESK)
def trace(request: HttpRequest, pk: int, candidate_pk: int) -> HttpResponse:
    """The accountability trace of one candidate of a campaign in the user's jurisdiction."""
    from xuanren.campaigns.models import Candidate

    candidate = get_visible_or_404(
        Candidate.objects.select_related("cadre", "campaign"),
        request.user,
        pk=candidate_pk,
        campaign_id=pk,
    )
    return render(request, "supervision/trace.html", {"trace": trace_of(candidate), "candidate": candidate})


def _report_of(request: HttpRequest) -> object:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2000), 2100)
    jurisdiction = request.user.jurisdiction  # type: ignore[union-attr]
    if jurisdiction is None:
        from xuanren.accounts.models import Jurisdiction

        jurisdiction = Jurisdiction.objects.order_by("path").first()
    if jurisdiction is None:
        raise Http404("没有辖区")
    return annual_report(jurisdiction, year)


@roles_required(*DESK)
def report(request: HttpRequest) -> HttpResponse:
    """The annual selection-work report of the user's jurisdiction (``?year=``)."""
    return render(request, "supervision/report.html", {"report": _report_of(request)})


@roles_required(*DESK)
def report_xlsx_view(request: HttpRequest) -> HttpResponse:
    found = _report_of(request)
    response = HttpResponse(
        report_xlsx(found),  # type: ignore[arg-type]
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"{found.jurisdiction.name}{found.year}年度选人用人工作报告.xlsx"  # type: ignore[attr-defined]
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    return response
