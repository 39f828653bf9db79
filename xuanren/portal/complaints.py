"""The public complaint form (信访举报) and the tracking page, under ``/public/<code>/report/``.

No login. Both forms carry Django's CSRF token; each address is rate-limited per client address
through Django's cache, so neither filing nor guessing tracking codes can be automated cheaply.
Responses are ``no-store``: a page with a password on it must not be cached anywhere.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from xuanren.accounts.models import Jurisdiction
from xuanren.portal import selectors
from xuanren.portal.views import public
from xuanren.record.materials import MaterialRefused
from xuanren.supervision import actions
from xuanren.supervision.forms import PublicComplaintForm, TrackForm
from xuanren.supervision.models import Complaint

WINDOW_SECONDS = 3600
logger = logging.getLogger(__name__)


def _client(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def over_limit(request: HttpRequest, what: str, limit: int) -> bool:
    """Count one more attempt from this address in the window; True once ``limit`` is passed."""
    key = f"portal-rate:{what}:{_client(request)}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count > limit


def uncached_page(
    request: HttpRequest, template: str, context: dict[str, object], status: int = 200
) -> HttpResponse:
    """A public page that answers one reader (a form, a tracking code): rendered, never cached."""
    response = render(request, template, context, status=status)
    add_never_cache_headers(response)
    return response


def published_conclusions(jurisdiction: Jurisdiction) -> list[Complaint]:
    """Concluded complaints whose conclusion was published (对反映件…调查结论向社会公开, 001),
    newest first; the template shows the subject, outcome and conclusion, never the reporter."""
    return list(
        Complaint.objects.filter(jurisdiction=jurisdiction, status=Complaint.Status.CONCLUDED, published=True)
        .select_related("campaign", "cadre")
        .only(
            "concluded_on",
            "outcome",
            "conclusion",
            "during",
            "campaign__title",
            "cadre__name",
            "jurisdiction_id",
        )
        .order_by("-concluded_on", "-id")[:50]
    )


@public
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, code: str) -> HttpResponse:
    jurisdiction = selectors.jurisdiction_or_404(code)
    campaigns = list(selectors.public_campaigns().filter(jurisdiction=jurisdiction).order_by("-id"))
    context: dict[str, object] = {
        "jurisdiction": jurisdiction,
        "published": published_conclusions(jurisdiction),
    }
    if request.method == "POST":
        if over_limit(request, "report", int(getattr(settings, "COMPLAINT_RATE_PER_HOUR", 5))):
            context["form"] = PublicComplaintForm(campaigns=campaigns)
            context["refusal"] = "提交过于频繁，请一小时后再试，或拨打公告所列的受理电话。"
            return uncached_page(request, "portal/complaint_form.html", context, status=429)
        form = PublicComplaintForm(request.POST, request.FILES, campaigns=campaigns)
        if form.is_valid():
            data = form.cleaned_data
            try:
                complaint, password = actions.file_public_complaint(
                    jurisdiction=jurisdiction,
                    today=timezone.localdate(),
                    summary=data["summary"],
                    campaign=form.campaigns[data["campaign"]],
                    candidate=form.candidates.get(data["candidate"]) if data["candidate"] else None,
                    anonymous=bool(data["anonymous"]),
                    reporter_name=data["reporter_name"],
                    reporter_contact=data["reporter_contact"],
                    files=data["attachments"],
                )
            except actions.ComplaintRefused as refused:
                form.add_error(None, refused.message)
            except MaterialRefused as refused:
                form.add_error("attachments", f"“附件”{refused}")
            except OSError:
                # The material store could not be written: nothing was saved (all or nothing).
                logger.exception("complaint attachment could not be stored")
                form.add_error(None, "附件暂时无法保存，反映未提交，请稍后再试，或拨打公告所列的受理电话。")
                context["form"] = form
                return uncached_page(request, "portal/complaint_form.html", context, status=503)
            else:
                context.update(complaint=complaint, password=password)
                return uncached_page(request, "portal/complaint_filed.html", context, status=201)
        context["form"] = form
        return uncached_page(request, "portal/complaint_form.html", context, status=400)
    context["form"] = PublicComplaintForm(campaigns=campaigns)
    return uncached_page(request, "portal/complaint_form.html", context)


@public
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest, code: str) -> HttpResponse:
    jurisdiction = selectors.jurisdiction_or_404(code)
    context: dict[str, object] = {"jurisdiction": jurisdiction}
    if request.method == "POST":
        form = TrackForm(request.POST)
        if over_limit(request, "track", int(getattr(settings, "COMPLAINT_TRACK_PER_HOUR", 30))):
            context.update(form=TrackForm(), refusal="查询过于频繁，请一小时后再试。")
            return uncached_page(request, "portal/complaint_track.html", context, status=429)
        if form.is_valid():
            complaint = actions.tracked_complaint(form.cleaned_data["code"], form.cleaned_data["password"])
            if complaint is not None and complaint.jurisdiction_id == jurisdiction.pk:
                context.update(form=TrackForm(), complaint=complaint, statuses=Complaint.Status)
                return uncached_page(request, "portal/complaint_track.html", context)
            form.add_error(None, "查询码或查询密码不正确")
        context["form"] = form
        return uncached_page(request, "portal/complaint_track.html", context, status=400)
    context["form"] = TrackForm()
    return uncached_page(request, "portal/complaint_track.html", context)
