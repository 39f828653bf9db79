"""Files in and out of the register: Excel roster and posts, LRMX forms, the printed form (PDF).

Imports are for the cadre-section officer only and write through actions.py; exports are for every
role that reads the register. Every object is fetched through the user's jurisdiction scope, so
another county's cadre is a plain 404, and ID numbers are masked for roles that may not see them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from xuanren.accounts.access import can_see_full_id, roles_required
from xuanren.accounts.models import Jurisdiction
from xuanren.accounts.scoping import get_visible_or_404
from xuanren.register import actions, excel, interchange, lrmx, selectors
from xuanren.register.appointment_form import FontNotFoundError, render_appointment_form
from xuanren.register.models import Cadre, HeadcountQuota, Post, PostHolding, Unit
from xuanren.register.views import REGISTER_READERS

IMPORTERS = ("cadre_officer",)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Errors listed on the page; the count of all of them is always shown.
MAX_ERRORS_SHOWN = 2000


def today() -> date:
    return timezone.localdate()


def _download(content: bytes, content_type: str, filename: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename) or ""
    response["Cache-Control"] = "no-store"  # personal data: never kept by a shared cache
    return response


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d")


# --------------------------------------------------------------------------- forms


def jurisdictions_for(user: Any) -> Any:
    """Jurisdictions the user may write to: their own and those under it."""
    if user.is_superuser:
        return Jurisdiction.objects.all()
    if user.jurisdiction_id is None:
        return Jurisdiction.objects.none()
    return Jurisdiction.objects.filter(path__startswith=user.jurisdiction.path)


class UploadForm(forms.Form):
    """An uploaded file and the jurisdiction it goes to (the user's own unless they pick one below it)."""

    jurisdiction = forms.ModelChoiceField(
        label="导入到辖区",
        queryset=Jurisdiction.objects.none(),
        empty_label=None,
        to_field_name="code",
        required=False,
    )
    file = forms.FileField(label="文件")

    def __init__(self, *args: Any, user: Any, accept: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        choices = jurisdictions_for(user)
        self.fields["jurisdiction"].queryset = choices  # type: ignore[attr-defined]
        if user.jurisdiction_id:
            self.fields["jurisdiction"].initial = user.jurisdiction.code
        self.single_jurisdiction = choices.count() <= 1
        self.fields["file"].widget.attrs["accept"] = accept

    def clean_jurisdiction(self) -> Jurisdiction:
        chosen = self.cleaned_data.get("jurisdiction") or self.user.jurisdiction
        if chosen is None:
            raise forms.ValidationError("请选择导入到哪个辖区")
        return chosen  # type: ignore[no-any-return]


class LrmxUploadForm(UploadForm):
    unit = forms.ModelChoiceField(label="工作单位（可不选）", queryset=Unit.objects.none(), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, accept=".lrmx,.xml", **kwargs)
        self.fields["unit"].queryset = Unit.objects.visible_to(user).order_by("sort_order", "id")  # type: ignore[attr-defined]


def _read(upload: UploadedFile, limit: int) -> bytes:
    if upload.size is not None and upload.size > limit:
        raise actions.RegisterError(
            f"文件过大（{upload.size / 1024 / 1024:.1f} MiB），不能超过 {limit // 1024 // 1024} MiB",
            field="file",
        )
    return upload.read()


# --------------------------------------------------------------------------- Excel


def _import_page(
    request: HttpRequest,
    *,
    title: str,
    intro: str,
    template_url: str,
    run: Any,
    labels: dict[str, str],
) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user, accept=".xlsx")
    context: dict[str, Any] = {"title": title, "intro": intro, "template_url": template_url, "form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            excel.check_upload(upload.name or "", upload.size or 0)
            result = run(
                acting_user=request.user,
                jurisdiction=form.cleaned_data["jurisdiction"],
                file_name=upload.name,
                content=_read(upload, excel.MAX_XLSX_BYTES),
                today=today(),
            )
        except excel.SpreadsheetError as error:
            context["failure"] = str(error)
        except actions.RegisterError as error:
            context["failure"] = error.message
            context["errors"] = error.errors[:MAX_ERRORS_SHOWN]
            context["error_count"] = len(error.errors)
            context["tabular"] = True
        else:
            summary = "，".join(f"{labels[k]} {v}" for k, v in result.counts.items() if k in labels)
            messages.success(request, f"导入成功：{summary}。")
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect(request.path)
        return render(request, "register/io_import.html", context, status=400)
    return render(request, "register/io_import.html", context, status=400 if form.errors else 200)


@roles_required(*IMPORTERS)
def roster_import(request: HttpRequest) -> HttpResponse:
    return _import_page(
        request,
        title="导入干部名册",
        intro="按模板填写后上传 .xlsx 文件。系统逐行逐列检查，任何一处有错都不保存，并列出全部错误。",
        template_url=reverse("register:roster_template"),
        run=actions.import_roster,
        labels={"rows": "数据行", "created": "新增干部"},
    )


@roles_required(*IMPORTERS)
def posts_import(request: HttpRequest) -> HttpResponse:
    return _import_page(
        request,
        title="导入单位职数与职位",
        intro="「单位及职数」表登记单位和各职级核定职数，「职位」表登记职位。已有的单位、职位按名称更新，不会删除。",
        template_url=reverse("register:posts_template"),
        run=actions.import_posts,
        labels={
            "units_created": "新增单位",
            "units_updated": "更新单位",
            "quotas": "核定职数",
            "posts_created": "新增职位",
            "posts_updated": "更新职位",
        },
    )


def _unit_names(user: Any) -> list[str]:
    return list(Unit.objects.visible_to(user).order_by("sort_order", "id").values_list("name", flat=True))


@roles_required(*REGISTER_READERS)
def roster_export(request: HttpRequest) -> HttpResponse:
    """The roster as the user sees it, with the cadre list's filters applied."""
    filters = selectors.CadreFilters.from_query(request.GET)
    cadres = selectors.cadre_list(request.user, filters, today()).iterator(chunk_size=2000)
    content = excel.roster_workbook(
        cadres, mask_ids=not can_see_full_id(request.user), unit_names=_unit_names(request.user)
    )
    return _download(content, XLSX, f"干部名册_{_stamp()}.xlsx")


@roles_required(*IMPORTERS)
def roster_template(request: HttpRequest) -> HttpResponse:
    return _download(excel.roster_template(_unit_names(request.user)), XLSX, "干部名册导入模板.xlsx")


@roles_required(*REGISTER_READERS)
def posts_export(request: HttpRequest) -> HttpResponse:
    units = list(Unit.objects.visible_to(request.user).select_related("parent").order_by("sort_order", "id"))
    quotas: dict[int, dict[str, int]] = {}
    for q in HeadcountQuota.objects.visible_to(request.user):
        quotas.setdefault(q.unit_id, {})[q.rank] = q.approved
    holders = {
        h.post_id: h
        for h in PostHolding.objects.filter(end__isnull=True, post__in=Post.objects.visible_to(request.user))
        .select_related("cadre")
        .only("post_id", "start", "cadre__name")
    }
    order = {u.pk: i for i, u in enumerate(units)}
    posts = sorted(
        Post.objects.visible_to(request.user).select_related("unit"),
        key=lambda p: (order.get(p.unit_id, 0), p.sort_order, p.pk),
    )
    content = excel.posts_workbook(
        (
            excel.UnitLine(u.name, u.unit_type, u.parent.name if u.parent else "", quotas.get(u.pk, {}))
            for u in units
        ),
        (
            excel.PostLine(
                p.unit.name,
                p.title,
                p.rank,
                p.role,
                holders[p.pk].cadre.name if p.pk in holders else "",
                holders[p.pk].start if p.pk in holders else None,
            )
            for p in posts
        ),
    )
    return _download(content, XLSX, f"单位职数与职位_{_stamp()}.xlsx")


@roles_required(*IMPORTERS)
def posts_template(request: HttpRequest) -> HttpResponse:
    return _download(excel.posts_template(), XLSX, "单位职数与职位导入模板.xlsx")


# --------------------------------------------------------------------------- LRMX and the form


def _person(request: HttpRequest, pk: int) -> tuple[Cadre, lrmx.LrmxPerson]:
    cadre = get_visible_or_404(selectors.cadre_detail_queryset(request.user), request.user, pk=pk)
    person = interchange.cadre_to_person(
        cadre,
        today=today(),
        filled_by=str(request.user),
        mask_id=not can_see_full_id(request.user),
    )
    return cadre, person


@roles_required(*REGISTER_READERS)
def cadre_lrmx(request: HttpRequest, pk: int) -> HttpResponse:
    cadre, person = _person(request, pk)
    try:
        content = lrmx.write_lrmx(person)
    except lrmx.LrmxError as error:
        messages.error(request, f"无法生成任免审批表文件：{error}")
        return redirect("register:cadre_detail", pk=pk)
    return _download(content, "application/xml; charset=utf-8", f"{cadre.name}.lrmx")


@roles_required(*REGISTER_READERS)
def cadre_form_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The appointment form (干部任免审批表) of a cadre, two pages, for printing."""
    cadre, person = _person(request, pk)
    try:
        pdf = render_appointment_form(person, today())
    except FontNotFoundError as error:
        messages.error(request, str(error))
        return redirect("register:cadre_detail", pk=pk)
    return _download(pdf, "application/pdf", f"{cadre.name}_干部任免审批表.pdf", inline=True)


@roles_required(*IMPORTERS)
def lrmx_import(request: HttpRequest) -> HttpResponse:
    form = LrmxUploadForm(request.POST or None, request.FILES or None, user=request.user)
    context: dict[str, Any] = {
        "title": "导入干部任免审批表（LRMX）",
        "intro": "上传任免审批表软件保存的 .lrmx 文件。按公民身份号码对应：名册中已有的干部更新，没有的新增。",
        "form": form,
    }
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = upload.name or ""
        try:
            if not name.lower().endswith((".lrmx", ".xml")):
                raise actions.RegisterError(f"只能导入 .lrmx 文件，“{name}”不是", field="file")
            result = actions.import_lrmx_person(
                acting_user=request.user,
                jurisdiction=form.cleaned_data["jurisdiction"],
                file_name=name,
                content=_read(upload, lrmx.MAX_LRMX_BYTES),
                today=today(),
                unit=form.cleaned_data.get("unit"),
            )
        except actions.RegisterError as error:
            context["failure"] = error.message
            context["errors"] = error.errors
            context["error_count"] = len(error.errors)
            return render(request, "register/io_import.html", context, status=400)
        assert result.cadre is not None
        counts = result.counts
        messages.success(
            request,
            f"{'新增' if result.created else '更新'}干部“{result.cadre.name}”：简历 {counts['resume_periods']} 段，"
            f"年度考核 {counts['assessments']} 年，奖惩 {counts['rewards_sanctions']} 项，"
            f"家庭成员 {counts['family']} 人。",
        )
        for warning in result.warnings:
            messages.warning(request, warning)
        return redirect("register:cadre_detail", pk=result.cadre.pk)
    return render(request, "register/io_import.html", context, status=400 if form.errors else 200)
