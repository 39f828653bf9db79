"""Online signed recommendation and self-nomination (网上署名推荐和自荐), under
``/public/<code>/recommend/``: the campaigns whose nomination window is open, one form per
campaign and channel, the confirmation with a tracking code and password, and the status page.

No login; CSRF on every form; attempts are rate-limited per address and answers are ``no-store``,
exactly as the complaint form (:mod:`xuanren.portal.complaints`). The window and every rule come
from :mod:`xuanren.campaigns.online`; these views only render and call it.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from xuanren.campaigns import online
from xuanren.campaigns.models import Campaign, Nomination, OnlineNomination
from xuanren.portal import selectors
from xuanren.portal.complaints import over_limit, uncached_page
from xuanren.portal.views import public
from xuanren.record.materials import MaterialRefused

CHANNEL_TITLES = {
    Nomination.Channel.SIGNED: "署名推荐",
    Nomination.Channel.SELF: "本人自荐",
}


def today() -> date:
    """The day the portal acts on (the server's local date)."""
    return timezone.localdate()


def _campaign_or_404(code: str, pk: int) -> Campaign:
    campaign = (
        selectors.public_campaigns()
        .select_related("jurisdiction")
        .filter(pk=pk, jurisdiction__code=code)
        .first()
    )
    if campaign is None:
        raise Http404("没有这项公开的选任工作")
    return campaign


@public
@require_safe
def recommend(request: HttpRequest, code: str) -> HttpResponse:
    """The campaigns taking nominations today, each with its two forms."""
    jurisdiction = selectors.jurisdiction_or_404(code)
    day = today()
    rows = [
        {
            "campaign": c,
            "vacancies": [
                str(v.post) for v in c.vacancies.select_related("post__unit").order_by("sort_order", "id")
            ],
            "channels": [(ch, CHANNEL_TITLES[Nomination.Channel(ch)]) for ch in online.enabled_channels(c)],
        }
        for c in online.open_campaigns(jurisdiction, day)
    ]
    return uncached_page(
        request, "portal/recommend_list.html", {"jurisdiction": jurisdiction, "rows": rows, "today": day}
    )


def _form_view(request: HttpRequest, code: str, pk: int, channel: str) -> HttpResponse:
    campaign = _campaign_or_404(code, pk)
    jurisdiction = campaign.jurisdiction
    day = today()
    context: dict[str, object] = {
        "jurisdiction": jurisdiction,
        "campaign": campaign,
        "channel": channel,
        "channel_title": CHANNEL_TITLES[Nomination.Channel(channel)],
    }
    closed = online.window_refusal(campaign, day)
    if closed is None and channel not in online.enabled_channels(campaign):
        closed = f"“{campaign.title}”依据的政策不设“{context['channel_title']}”渠道"
    if closed is not None:
        context["closed"] = closed
        return uncached_page(
            request, "portal/recommend_form.html", context, status=200 if request.method == "GET" else 409
        )
    form = online.PublicNominationForm(campaign=campaign, channel=channel, today=day)
    if request.method == "POST":
        if over_limit(request, "recommend", int(getattr(settings, "RECOMMEND_RATE_PER_HOUR", 5))):
            context.update(form=form, refusal="提交过于频繁，请一小时后再试。")
            return uncached_page(request, "portal/recommend_form.html", context, status=429)
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > online.upload_limit_bytes():
            context.update(form=form, refusal="提交的内容过大，请压缩附件后重试。")
            return uncached_page(request, "portal/recommend_form.html", context, status=413)
        form = online.PublicNominationForm(
            request.POST, request.FILES, campaign=campaign, channel=channel, today=day
        )
        if form.is_valid():
            try:
                submission, password = form.submit()
            except online.OnlineRefused as refused:
                form.add_error(None, refused.message)
            except MaterialRefused as refused:
                form.add_error("attachment", f"“附件”{refused}")
            else:
                context.update(submission=submission, password=password)
                return uncached_page(request, "portal/recommend_done.html", context, status=201)
        context["form"] = form
        return uncached_page(request, "portal/recommend_form.html", context, status=400)
    context["form"] = form
    return uncached_page(request, "portal/recommend_form.html", context)


@public
@require_http_methods(["GET", "POST"])
def recommend_signed(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return _form_view(request, code, pk, Nomination.Channel.SIGNED)


@public
@require_http_methods(["GET", "POST"])
def recommend_self(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return _form_view(request, code, pk, Nomination.Channel.SELF)


@public
@require_http_methods(["GET", "POST"])
def recommend_track(request: HttpRequest, code: str) -> HttpResponse:
    """The submitter reads the review status with the tracking code and password."""
    jurisdiction = selectors.jurisdiction_or_404(code)
    context: dict[str, object] = {"jurisdiction": jurisdiction, "statuses": OnlineNomination.Status}
    if request.method == "POST":
        form = online.TrackForm(request.POST)
        if over_limit(request, "recommend-track", int(getattr(settings, "COMPLAINT_TRACK_PER_HOUR", 30))):
            context.update(form=online.TrackForm(), refusal="查询过于频繁，请一小时后再试。")
            return uncached_page(request, "portal/recommend_track.html", context, status=429)
        if form.is_valid():
            submission = online.tracked_submission(form.cleaned_data["code"], form.cleaned_data["password"])
            if submission is not None and submission.campaign.jurisdiction_id == jurisdiction.pk:
                context.update(form=online.TrackForm(), submission=submission)
                return uncached_page(request, "portal/recommend_track.html", context)
            form.add_error(None, "查询码或查询密码不正确")
        context["form"] = form
        return uncached_page(request, "portal/recommend_track.html", context, status=400)
    context["form"] = online.TrackForm()
    return uncached_page(request, "portal/recommend_track.html", context)
