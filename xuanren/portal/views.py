"""The public pages (公开): no login, the same page for every reader, read-only.

Each view builds its page through :mod:`xuanren.portal.selectors` and renders it without the
request context, so no session, cookie or user reaches the template and the page can be cached
by anyone: ``Cache-Control: public, max-age=60``, an ``ETag`` of the body, and ``Last-Modified``
on the pages that are one publication (a notice, a disclosure, the vote counts, a plan, a list).

Rendered pages are kept in Django's cache under the page's path and the size of the
full-process record (:func:`~xuanren.portal.selectors.ledger_size`): every change goes through an
action and every action appends an entry, so a new publication changes the key, while a busy
notice is rendered once per process and minute (``PORTAL_CACHE_SECONDS``, 60 by default; 0 turns
the cache off). The size itself is read at most once a second per process
(``PORTAL_VERSION_SECONDS``), so a page served from the cache touches no database at all and a
publication shows within that second.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from time import monotonic
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_safe

from xuanren.portal import selectors

View = Callable[..., HttpResponse]
MAX_AGE = 60
VERSION_SECONDS = 1.0

# (when read, record size): shared by the threads of a process; a tuple is replaced whole.
_version: tuple[float, int] | None = None


def public(view: View) -> View:
    """Mark a view as open to everyone (the tenancy walk skips the role checks for it)."""
    view.public = True  # type: ignore[attr-defined]
    return view


def cache_seconds() -> int:
    return int(getattr(settings, "PORTAL_CACHE_SECONDS", MAX_AGE))


def page_version() -> int:
    """The record size the page cache is keyed on, read from the database at most once every
    ``PORTAL_VERSION_SECONDS`` in this process."""
    global _version
    now, known = monotonic(), _version
    if known is not None and now - known[0] < float(
        getattr(settings, "PORTAL_VERSION_SECONDS", VERSION_SECONDS)
    ):
        return known[1]
    size = selectors.ledger_size()
    _version = (now, size)
    return size


def _render(template: str, build: Callable[[], Any]) -> tuple[str, str, float | None]:
    page = build()
    body = render_to_string(template, {"page": page})
    etag = quote_etag(hashlib.blake2b(body.encode(), digest_size=16).hexdigest())
    modified: datetime | None = getattr(page, "last_modified", None)
    return body, etag, modified.timestamp() if modified else None


def public_page(request: HttpRequest, template: str, build: Callable[[], Any]) -> HttpResponse:
    """Render (or reuse) a public page and answer with cache headers; 304 when the reader's copy
    is current. A missing or unpublished object raises Http404 inside ``build``."""
    seconds = cache_seconds()
    rendered: tuple[str, str, float | None] | None = None
    key = ""
    if seconds > 0:
        version = page_version()
        key = "portal:" + hashlib.blake2b(f"{request.path}|{version}".encode(), digest_size=16).hexdigest()
        rendered = cache.get(key)
    if rendered is None:
        rendered = _render(template, build)
        if seconds > 0:
            cache.set(key, rendered, seconds)
    body, etag, modified = rendered
    last_modified = int(modified) if modified is not None else None
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = HttpResponse(body, content_type="text/html; charset=utf-8")
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


@public
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return public_page(request, "portal/index.html", selectors.index_page)


@public
@require_safe
def home(request: HttpRequest, code: str) -> HttpResponse:
    return public_page(request, "portal/home.html", lambda: selectors.home_page(code))


@public
@require_safe
def plan(request: HttpRequest, code: str, year: int) -> HttpResponse:
    return public_page(request, "portal/plan.html", lambda: selectors.plan_page(code, year))


@public
@require_safe
def campaign(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return public_page(request, "portal/campaign.html", lambda: selectors.campaign_page(code, pk))


@public
@require_safe
def nominees(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return public_page(request, "portal/nominees.html", lambda: selectors.nominees_page(code, pk))


@public
@require_safe
def notice(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return public_page(request, "portal/notice.html", lambda: selectors.notice_page(code, pk))


@public
@require_safe
def disclosure(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return public_page(request, "portal/disclosure.html", lambda: selectors.disclosure_page(code, pk))


@public
@require_safe
def votes(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return public_page(request, "portal/votes.html", lambda: selectors.vote_page(code, pk))
