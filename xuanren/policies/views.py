"""Policy pages (选任政策): the list, one page per version, differences, uploading a new version,
holiday schedules, and the sandbox that judges one result under several policies side by side."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from xuanren.accounts.access import roles_required
from xuanren.accounts.roles import ROLES
from xuanren.policies import actions, calendar, display, selectors
from xuanren.policies.forms import (
    HolidayScheduleForm,
    NoticeCalculatorForm,
    PolicyUploadForm,
    SandboxForm,
    format_days,
)
from xuanren.rules.calendar import PACKAGE_SOURCE, CalendarDataMissing
from xuanren.rules.decision import RuleInputError
from xuanren.rules.policy import POLICY_DIR, PolicyError, PolicyIntegrityError, rule_views
from xuanren.rules.sandbox import sandbox as judge_sandbox

EVERY_ROLE = tuple(role.code for role in ROLES)
FORMAT_HELP = POLICY_DIR / "README.md"
UPLOADERS = actions.UPLOADERS
SANDBOX_DEFAULTS = ("linze", "county-30-60")


def _default_labels() -> list[str]:
    """The latest linze and county-30-60: the pair whose thresholds differ most visibly."""
    registry = selectors.policy_registry()
    return [f"{pid}@{registry.versions(pid)[-1]}" for pid in SANDBOX_DEFAULTS if registry.versions(pid)]


@roles_required(*EVERY_ROLE)
def policy_list(request: HttpRequest) -> HttpResponse:
    catalogue = selectors.policy_catalogue()
    return render(
        request,
        "policies/list.html",
        {
            "catalogue": catalogue,
            "choices": selectors.policy_choices(),
            "diff_defaults": [*_default_labels(), "", ""][:2],
            "can_upload": actions.can_upload(request.user),
            "can_edit_schedules": actions.can_edit_schedules(request.user),
        },
    )


@roles_required(*EVERY_ROLE)
def policy_latest(request: HttpRequest, policy_id: str) -> HttpResponse:
    versions = selectors.policy_registry().versions(policy_id)
    if not versions:
        raise Http404(f"没有政策 {policy_id}")
    return redirect("policies:detail", policy_id=policy_id, version=versions[-1])


@roles_required(*EVERY_ROLE)
def policy_detail(request: HttpRequest, policy_id: str, version: int) -> HttpResponse:
    registry = selectors.policy_registry()
    if version not in registry.versions(policy_id):
        raise Http404(f"没有政策 {policy_id}@{version}")
    stored = selectors.stored_version(policy_id, version)
    context: dict[str, Any] = {
        "policy_id": policy_id,
        "version": version,
        "versions": registry.versions(policy_id),
        "stored": stored,
        "text": selectors.policy_text(policy_id, version),
        "can_upload": actions.can_upload(request.user),
    }
    try:
        policy = registry.get(policy_id, version)
    except PolicyError as error:
        context["problem"] = error
        return render(request, "policies/detail.html", context)
    views = rule_views(policy)
    own_only = request.GET.get("own") == "1"
    try_with = [policy.label] + ([policy.inherits] if policy.inherits else [])
    context.update(
        {
            "policy": policy,
            "own_only": own_only,
            "sandbox_query": "&".join(f"policies={label}" for label in try_with),
            "chain": [(label, display.label_url(label)) for label in policy.chain],
            "sections": display.sections(policy, own_only=own_only),
            "procedure": display.procedure(policy),
            "rule_count": len(views),
            "own_count": sum(1 for view in views if not view.inherited),
            "inherited_count": sum(1 for view in views if view.inherited),
            "unconfirmed_count": sum(1 for view in views if not view.confirmed),
        }
    )
    if stored is not None:
        # Read afresh, not from the cache: the page must show a text changed behind our back.
        try:
            selectors.resolve_campaign_policy(policy_id, version, stored.sha256)
        except PolicyIntegrityError as error:
            context["integrity_problem"] = str(error)
    return render(request, "policies/detail.html", context)


@roles_required(*EVERY_ROLE)
def policy_diff(request: HttpRequest) -> HttpResponse:
    choices = selectors.policy_choices()
    labels = [label for label, _ in choices]
    defaults = _default_labels()
    defaults += [label for label in labels if label not in defaults]
    a = request.GET.get("a") or (defaults[0] if defaults else "")
    b = request.GET.get("b") or (defaults[1] if len(defaults) > 1 else a)
    context: dict[str, Any] = {"choices": choices, "a": a, "b": b}
    if a not in labels or b not in labels:
        context["error"] = "请从列表中选择两项政策"
        return render(request, "policies/diff.html", context, status=400 if request.GET else 200)
    registry = selectors.policy_registry()
    left, right = registry.lookup(a), registry.lookup(b)
    context.update({"left": left, "right": right, "rows": display.differences(left, right)})
    return render(request, "policies/diff.html", context)


@roles_required(*UPLOADERS)
def policy_upload(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {}
    base = request.GET.get("from", "")
    if base and request.method == "GET":
        policy_id, _, version = base.partition("@")
        if not version.isdigit() or int(version) not in selectors.policy_registry().versions(policy_id):
            raise Http404(f"没有政策 {base}")
        initial["text"] = _as_next_version(selectors.policy_text(policy_id, int(version)), policy_id)
    form = PolicyUploadForm(request.POST or None, request.FILES or None, initial=initial)
    context: dict[str, Any] = {
        "form": form,
        "base": base,
        "starting_points": [label for label, _ in selectors.policy_choices()],
        "format_help": FORMAT_HELP.read_text(encoding="utf-8"),
    }
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        try:
            if "save" in request.POST:
                stored = actions.add_policy_version(
                    text=text, acting_user=request.user, comment=form.cleaned_data["comment"]
                )
                messages.success(request, f"已保存政策 {stored.label}，内容摘要 {stored.sha256[:12]}…")
                return redirect("policies:detail", policy_id=stored.policy_id, version=stored.version)
            checked = actions.check_policy_text(text)
        except actions.PolicyRefused as refused:
            context["refused"] = refused
        else:
            views = rule_views(checked)
            context["checked"] = checked
            context["checked_unconfirmed"] = [v.path for v in views if not v.confirmed and not v.inherited]
            context["checked_count"] = len(views)
            context["checked_own"] = sum(1 for v in views if not v.inherited)
    return render(request, "policies/upload.html", context)


def _as_next_version(text: str, policy_id: str) -> str:
    """A stored or built-in file with its ``version`` line moved on to the next free number."""
    following = selectors.next_version(policy_id)
    return re.sub(r"(?m)^version\s*=\s*\d+", f"version = {following}", text, count=1)


# --- holiday schedules ----------------------------------------------------------------------


@roles_required()  # system administrators (superusers) only
def holidays(request: HttpRequest) -> HttpResponse:
    schedules = selectors.holiday_schedules()
    entered = {row.year: row for row in schedules}
    year_param = request.GET.get("year", "")
    editing = int(year_param) if year_param.isdigit() else None
    if request.method == "POST":
        form = HolidayScheduleForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.save_holiday_schedule(
                    year=data["year"],
                    holidays=data["holidays"],
                    workdays=data["workdays"],
                    source=data["source"],
                    acting_user=request.user,
                )
            except actions.PolicyRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, f"已保存 {data['year']} 年放假安排")
                return redirect(reverse("policies:holidays"))
        raw_year = str(form.data.get("year", ""))
        editing = int(raw_year) if raw_year.isdigit() else None
    elif editing is not None and editing in entered:
        row = entered[editing]
        form = HolidayScheduleForm(
            initial={
                "year": row.year,
                "holidays": format_days(row.holiday_dates()),
                "workdays": format_days(row.workday_dates()),
                "source": row.source,
            }
        )
    else:
        form = HolidayScheduleForm(initial={"year": editing} if editing else None)
    calculator = NoticeCalculatorForm(request.GET if "start" in request.GET else None)
    computed: dict[str, Any] = {}
    if calculator.is_bound and calculator.is_valid():
        start: date = calculator.cleaned_data["start"]
        days: int = calculator.cleaned_data["days"]
        try:
            end = calendar.notice_end(start, days)
        except CalendarDataMissing as missing:
            computed["error"] = str(missing)
        else:
            computed.update({"start": start, "days": days, "end": end})
            computed["sources"] = sorted(
                {calendar.calendar_source(y) for y in range(start.year, end.year + 1)}
            )
    package = calendar.package_years()
    # The first year neither the package nor an administrator covers: what to enter next.
    uncovered = next(
        year for year in range((package[-1] if package else 2003) + 1, 2200) if year not in entered
    )
    return render(
        request,
        "policies/holidays.html",
        {
            "form": form,
            "editing": editing,
            "schedules": [
                (row, format_days(row.holiday_dates()), format_days(row.workday_dates())) for row in schedules
            ],
            "package_first": package[0] if package else None,
            "package_last": package[-1] if package else None,
            "package_source": PACKAGE_SOURCE,
            "overrides": sorted(year for year in entered if year in package),
            "uncovered": uncovered,
            "calculator": calculator,
            "computed": computed,
        },
    )


@require_POST
@roles_required()
def holiday_delete(request: HttpRequest) -> HttpResponse:
    year = request.POST.get("year", "")
    try:
        if not year.isdigit():
            raise actions.PolicyRefused("年份有误")
        actions.delete_holiday_schedule(year=int(year), acting_user=request.user)
    except actions.PolicyRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, f"已删除 {year} 年放假安排")
    return redirect("policies:holidays")


# --- the sandbox ----------------------------------------------------------------------------


@roles_required(*EVERY_ROLE)
def sandbox(request: HttpRequest) -> HttpResponse:
    registry = selectors.policy_registry()
    choices = selectors.policy_choices()
    known = {label for label, _ in choices}
    picked = [label for label in request.GET.getlist("policies") if label in known]
    defaults = picked or _default_labels()
    submitted = "posts" in request.GET
    form = SandboxForm(
        request.GET if submitted else None,
        policy_choices=choices,
        initial={
            "policies": defaults,
            "posts": 1,
            "mode": "open",
            "participants": 120,
            "votes": "张三 37\n李四 50\n王五 20",
        },
    )
    context: dict[str, Any] = {"form": form}
    if submitted and form.is_valid():
        result = form.result()
        try:
            outcomes = judge_sandbox(form.cleaned_data["policies"], result, registry=registry)
        except RuleInputError as error:
            form.add_error(None, str(error))
        else:
            context["columns"] = display.outcome_columns(outcomes)
            context["comparison"] = display.comparison(dict(result.votes), outcomes)
            context["labels"] = [outcome.policy.label for outcome in outcomes.values()]
    return render(request, "policies/sandbox.html", context)
