"""Pages of the full-process record: timeline, entry with its proof, campaign record and downloads.

Readers see every entry of their jurisdiction (discipline and the supervision office are among
them, read-only but for signing reviews); writes go through ``actions``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xuanren.accounts.access import roles_required
from xuanren.accounts.scoping import get_visible_or_404
from xuanren.ledger.merkle import leaf_hash, verify_inclusion
from xuanren.ledger.note import NoteError, open_checkpoint
from xuanren.record import actions, exports, keys, materials, selectors, store
from xuanren.record.labels import ACTION_LABELS
from xuanren.record.models import Checkpoint, Material

READERS = ("cadre_officer", "department_head", "supervision_office", "deliberation_member", "discipline")
UPLOADERS = ("cadre_officer", "department_head", "supervision_office")


def _witness_status(checkpoint: Checkpoint | None) -> dict[str, Any]:
    if checkpoint is None:
        return {"checkpoint": None, "cosignatures": [], "witnessed": None}
    cosignatures = list(checkpoint.cosignatures.all())
    witnessed = None if cosignatures else selectors.latest_witnessed_checkpoint()
    return {"checkpoint": checkpoint, "cosignatures": cosignatures, "last_witnessed": witnessed}


@roles_required(*READERS)
def timeline(request: HttpRequest) -> HttpResponse:
    filters = selectors.TimelineFilters.from_query(request.GET)
    page = Paginator(selectors.timeline(request.user, filters), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    checkpoint = selectors.latest_checkpoint()
    return render(
        request,
        "record/timeline.html",
        {
            "page": page,
            "rows": selectors.rows(request.user, list(page.object_list)),
            "filters": filters,
            "query": query.urlencode(),
            "actions": sorted(ACTION_LABELS.items(), key=lambda kv: kv[1]),
            **_witness_status(checkpoint),
        },
    )


@roles_required(*READERS)
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_for(request.user, pk)
    data = entry.data_bytes
    row = selectors.rows(request.user, [entry])[0]
    checkpoint = selectors.latest_checkpoint()
    proof: list[bytes] = []
    status = {"leaf": leaf_hash(data) == bytes(entry.leaf_hash), "included": False, "signed": None}
    if checkpoint is not None and entry.seq < checkpoint.size:
        proof = store.inclusion_proof(entry.seq, checkpoint.size)
        status["included"] = verify_inclusion(
            leaf_hash(data), entry.seq, checkpoint.size, proof, bytes(checkpoint.root)
        )
        try:
            open_checkpoint(checkpoint.note, [keys.verifier_key()], origin=keys.origin())
            status["signed"] = True
        except (NoteError, keys.LedgerKeyMissing, OSError, ValueError):
            status["signed"] = False
    referenced = {
        e.seq: e.pk
        for e in selectors.visible_entries(request.user).filter(seq__in=row.refs).only("id", "seq")
    }
    user = request.user
    can_review = (
        entry.kind != "review"
        and (user.is_superuser or user.has_role(*actions.REVIEWERS))  # type: ignore[union-attr]
        and entry.actor.get("id") != user.pk
        and all(r.reviewer_id != user.pk for r in row.reviews)
    )
    return render(
        request,
        "record/entry_detail.html",
        {
            "entry": entry,
            "row": row,
            "pretty": json.dumps(entry.value.to_value(), ensure_ascii=False, indent=2, sort_keys=True),
            "data_b64": base64.b64encode(data).decode("ascii"),
            "leaf_hex": bytes(entry.leaf_hash).hex(),
            "proof": [base64.b64encode(p).decode("ascii") for p in proof],
            "status": status,
            "referenced": [(seq, referenced.get(seq)) for seq in row.refs],
            "can_review": can_review,
            **_witness_status(checkpoint),
        },
    )


@roles_required(*actions.REVIEWERS)
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_for(request.user, pk)
    try:
        actions.review_entry(acting_user=request.user, entry=entry, note=request.POST.get("note", ""))
        messages.success(request, f"已审核签认纪实条目 {entry.seq}")
    except actions.RecordRefused as e:
        messages.error(request, e.message)
    return redirect("record:entry", pk=pk)


class UploadForm(forms.Form):
    file = forms.FileField(label="扫描件（PDF、JPEG 或 PNG）")
    kind = forms.ChoiceField(
        label="材料类别", choices=[(k, v) for k, v in Material.Kind.choices if k != "archive"]
    )
    candidate = forms.TypedChoiceField(label="所涉人选", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, candidates: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["candidate"].choices = [("", "不涉及具体人选"), *((c.id, c.name) for c in candidates)]  # type: ignore[attr-defined]


@roles_required(*READERS)
def campaign(request: HttpRequest, campaign_id: int) -> HttpResponse:
    selectors.require_campaign(request.user, campaign_id)
    from xuanren.record.hooks import campaign_info

    files = list(selectors.campaign_materials(request.user, campaign_id))
    candidates = selectors.campaign_candidates(request.user, campaign_id)
    names = {c.id: c.name for c in candidates}  # a material's candidate has its entry in the campaign
    for m in files:  # the name the materials table shows
        name = "" if m.candidate_id is None else names.get(m.candidate_id, f"人选 {m.candidate_id}")
        setattr(m, "candidate_name", name)  # noqa: B010 — a display attribute, not a model field
    return render(
        request,
        "record/campaign.html",
        {
            "campaign_id": campaign_id,
            "info": campaign_info(campaign_id),
            "candidates": candidates,
            "materials": [m for m in files if m.kind != Material.Kind.ARCHIVE],
            "bundles": [m for m in files if m.kind == Material.Kind.ARCHIVE],
            "upload_form": UploadForm(candidates=candidates),
            "can_upload": request.user.is_superuser or request.user.has_role(*UPLOADERS),  # type: ignore[union-attr]
            "can_archive": request.user.is_superuser or request.user.has_role(*actions.ARCHIVERS),  # type: ignore[union-attr]
        },
    )


@roles_required(*UPLOADERS)
@require_POST
def upload(request: HttpRequest, campaign_id: int) -> HttpResponse:
    code = selectors.require_campaign(request.user, campaign_id)
    form = UploadForm(
        request.POST, request.FILES, candidates=selectors.campaign_candidates(request.user, campaign_id)
    )
    if not form.is_valid():
        messages.error(
            request,
            "；".join(
                f"{form.fields[name].label}：{e}" for name, errors in form.errors.items() for e in errors
            ),
        )
        return redirect("record:campaign", campaign_id=campaign_id)
    try:
        material = actions.store_material(
            acting_user=request.user,
            jurisdiction_code=code,
            file=form.cleaned_data["file"],
            campaign_id=campaign_id,
            candidate_id=form.cleaned_data["candidate"],
            kind=form.cleaned_data["kind"],
        )
        messages.success(request, f"已上传并记实：{material.name}")
    except (materials.MaterialRefused, actions.RecordRefused) as e:
        messages.error(request, str(e))
    return redirect("record:campaign", campaign_id=campaign_id)


@roles_required(*actions.ARCHIVERS)
@require_POST
def archive(request: HttpRequest, campaign_id: int) -> HttpResponse:
    selectors.require_campaign(request.user, campaign_id)
    try:
        done = actions.archive_campaign(acting_user=request.user, campaign_id=campaign_id)
        messages.success(request, f"已立卷归档：{done.bundle.name}")
    except (actions.RecordRefused, materials.MaterialDamaged) as e:
        messages.error(request, str(e))
    return redirect("record:campaign", campaign_id=campaign_id)


@roles_required(*READERS)
def record_form(request: HttpRequest, campaign_id: int, candidate_id: int) -> HttpResponse:
    form = _form(request, campaign_id, candidate_id)
    return render(request, "record/record_form.html", {"form": form, "campaign_id": campaign_id})


def _form(request: HttpRequest, campaign_id: int, candidate_id: int) -> Any:
    from xuanren.register.models import Cadre

    if Cadre.objects.filter(pk=candidate_id).exists():  # a registered cadre must be in the user's reach
        get_visible_or_404(Cadre.objects.all(), request.user, pk=candidate_id)
    return selectors.record_form(request.user, campaign_id, candidate_id, timezone.localdate())


def _download(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@roles_required(*READERS)
def record_form_docx(request: HttpRequest, campaign_id: int, candidate_id: int) -> HttpResponse:
    form = _form(request, campaign_id, candidate_id)
    return _download(
        exports.render_docx(form),
        f"{form.file_stem()}.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@roles_required(*READERS)
def record_form_pdf(request: HttpRequest, campaign_id: int, candidate_id: int) -> HttpResponse:
    form = _form(request, campaign_id, candidate_id)
    return _download(exports.render_pdf(form), f"{form.file_stem()}.pdf", "application/pdf")


@roles_required(*READERS)
def material(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_visible_or_404(Material.objects.all(), request.user, pk=pk)
    path = materials.path_for(item.sha256)
    if not path.exists():
        raise Http404("材料文件缺失")
    response = FileResponse(
        path.open("rb"), content_type=item.content_type, as_attachment=True, filename=item.name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response  # type: ignore[return-value]  # FileResponse streams; it is still a response


@roles_required(*READERS)
def checkpoint_text(request: HttpRequest) -> HttpResponse:
    """The newest checkpoint with its cosignatures, and the log's verifier key, as plain text."""
    checkpoint = selectors.latest_checkpoint()
    if checkpoint is None:
        raise Http404("日志尚无检查点")
    body = store.cosigned_note(checkpoint, {c.witness_vkey: c.line for c in checkpoint.cosignatures.all()})
    return HttpResponse(body, content_type="text/plain; charset=utf-8")
