"""The voter's pages (public, no login): enter the code, mark the ballot, confirm, get the receipt.

The code travels only in POST bodies (a QR code puts it in the URL fragment, which browsers never
send), is marked sensitive for Django's error reports, and is never logged or stored in a session.
Nothing here writes a session or a cookie other than CSRF's.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from xuanren.ballots import actions, selectors, tally
from xuanren.ballots.models import Poll


def public(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view as open to everyone (the tenancy walk skips role checks for it)."""
    view.public = True  # type: ignore[attr-defined]
    return view


def marks_from_post(data: Any, spec: tally.PollSpec) -> dict[str, list[str]]:
    """Marks from the ballot form: ``i<item>`` checkbox/radio values, ``w<item>`` write-in names."""
    marks: dict[str, list[str]] = {}
    for item in spec.items:
        chosen = [v for v in data.getlist(f"i{item.key}") if v]
        if item.write_ins:
            for name in data.getlist(f"w{item.key}"):
                if name.strip():
                    chosen.append(tally.write_in(name))
        if chosen:
            marks[item.key] = chosen
    return marks


def ballot_rows(spec: tally.PollSpec, marks: dict[str, list[str]]) -> list[dict[str, Any]]:
    rows = []
    for item in spec.items:
        chosen = marks.get(item.key, [])
        rows.append(
            {
                "item": item,
                "choices": [
                    {"key": c.key, "label": c.label, "checked": c.key in chosen} for c in item.choices
                ],
                "write_ins": [c[len(tally.WRITE_IN) :] for c in chosen if c.startswith(tally.WRITE_IN)],
                "chosen_labels": [item.label_of(c) for c in chosen],
                "multiple": item.max_marks > 1 or spec.kind is tally.PollKind.RECOMMENDATION,
            }
        )
    return rows


@public
@never_cache
@csrf_protect
@sensitive_post_parameters("code")
def vote(request: HttpRequest) -> HttpResponse:
    """One URL, four steps chosen by the ``step`` field of the POST."""
    if request.method != "POST":
        return render(request, "ballots/vote_code.html", {})
    code = request.POST.get("code", "")
    step = request.POST.get("step", "code")
    if step == "cast":
        return _cast(request, code)
    try:
        poll = actions.check_code(code)
    except actions.BallotRefused as refused:
        return render(request, "ballots/vote_code.html", {"error": refused.message}, status=200)
    spec, _rules = selectors.casting_spec(poll)
    context: dict[str, Any] = {
        "poll": poll,
        "code": actions.format_code(actions.normalise_code(code)),
        "spec": spec,
    }
    if step == "code":
        context["rows"] = ballot_rows(spec, {})
        return render(request, "ballots/vote_ballot.html", context)
    try:
        marks = marks_from_post(request.POST, spec)
    except tally.BallotError as exc:
        context.update(rows=ballot_rows(spec, {}), error=str(exc))
        return render(request, "ballots/vote_ballot.html", context)
    context["rows"] = ballot_rows(spec, marks)
    if step == "edit":
        return render(request, "ballots/vote_ballot.html", context)
    over = [r["item"].title for r in context["rows"] if len(r["chosen_labels"]) > r["item"].max_marks]
    if over:
        context["error"] = f"以下事项选择超过了应选人数，请修改：{'、'.join(over)}"
        return render(request, "ballots/vote_ballot.html", context)
    if step == "confirm":
        context["ballot_key"] = actions.ballot_key(poll)
        context["marks"] = [
            (f"i{k}", c) for k, cs in marks.items() for c in cs if not c.startswith(tally.WRITE_IN)
        ]
        context["writeins"] = [
            (f"w{k}", c[len(tally.WRITE_IN) :])
            for k, cs in marks.items()
            for c in cs
            if c.startswith(tally.WRITE_IN)
        ]
        return render(request, "ballots/vote_confirm.html", context)
    return render(request, "ballots/vote_code.html", {})


def _cast(request: HttpRequest, code: str) -> HttpResponse:
    """The last step, kept to the queries it needs: the cast looks the code's poll up itself and
    checks the marks against that poll's ballot."""
    try:
        receipt = actions.cast_ballot(code, raw_marks_from_post(request.POST), request.POST.get("ballot", ""))
    except actions.BallotRefused as refused:
        return render(request, "ballots/vote_code.html", {"error": refused.message})
    except tally.BallotError as exc:
        return render(request, "ballots/vote_code.html", {"error": str(exc)})
    return HttpResponse(receipt_page(receipt))


_TRACKER_SLOT = "T" * 64  # where a receipt's tracker goes: never part of a page, never hex


def receipt_page(receipt: actions.Receipt) -> str:
    """The receipt page. It has no form and shows nothing of the request, so it is rendered
    without the context processors (session, user, menu), and once per poll: every ballot of a
    poll gets the same page with its own tracker in it, which a busy meeting need not pay the
    template engine for ballot by ballot."""
    head, tail = _receipt_around_tracker(receipt.poll_id, receipt.poll_title, translation.get_language())
    return head + receipt.tracker + tail


@functools.lru_cache(maxsize=64)
def _receipt_around_tracker(poll_id: int, poll_title: str, language: str | None) -> tuple[str, str]:
    slot = actions.Receipt(_TRACKER_SLOT, poll_id, poll_title)
    page = render_to_string("ballots/vote_receipt.html", {"receipt": slot})
    head, found, tail = page.partition(_TRACKER_SLOT)
    if not found or _TRACKER_SLOT in tail:
        raise ValueError("vote_receipt.html must show the tracker exactly once")
    return head, tail


def raw_marks_from_post(data: Any) -> dict[str, list[str]]:
    """Marks from every ``i<item>``/``w<item>`` field, before the poll's ballot is known."""
    marks: dict[str, list[str]] = {}
    for name in data:
        if len(name) > 1 and name[0] in "iw" and name[1:].isdigit():
            values = data.getlist(name)
            if name[0] == "i":
                chosen = [v for v in values if v]
            else:
                chosen = [tally.write_in(v) for v in values if v.strip()]
            if chosen:
                marks.setdefault(name[1:], []).extend(chosen)
    return marks


@public
@never_cache
def trackers(request: HttpRequest) -> HttpResponse:
    """The published list of every ballot's tracker, once voting has closed."""
    raw = request.GET.get("poll", "")
    if not raw.isdigit():
        raise Http404
    poll = Poll.objects.filter(pk=int(raw)).first()
    if poll is None or poll.status not in (Poll.Status.CLOSED, Poll.Status.TALLIED):
        raise Http404("投票结束后公布回执码")
    listed = selectors.published_trackers(poll)
    query = "".join(ch for ch in request.GET.get("t", "").lower() if ch in "0123456789abcdef")
    found = None
    if query:
        found = [t for t in listed if t.startswith(query)] if len(query) >= 8 else []
    return render(
        request,
        "ballots/vote_trackers.html",
        {"poll": poll, "trackers": listed, "query": query, "found": found},
    )
