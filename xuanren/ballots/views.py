"""Staff pages: set up a poll, issue codes, open and close, watch turnout, enter paper ballots
twice, reconcile mismatches, tally, sign and print the tally sheet."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from xuanren.accounts.access import roles_required
from xuanren.accounts.scoping import get_visible_or_404
from xuanren.ballots import actions, policy_rules, printing, selectors, tally
from xuanren.ballots.forms import PaperEntryForm, PollForm, ReconcileForm, scale_for
from xuanren.ballots.models import PaperBallot, Poll
from xuanren.ballots.vote_views import ballot_rows, marks_from_post

MANAGERS = ("cadre_officer",)
READERS = ("cadre_officer", "department_head", "supervision_office", "discipline", "deliberation_member")
SIGNERS = ("cadre_officer", "department_head", "supervision_office", "discipline")


def _poll(request: HttpRequest, pk: int) -> Poll:
    return get_visible_or_404(Poll.objects.select_related("jurisdiction"), request.user, pk=pk)


def _refused(request: HttpRequest, refused: actions.BallotRefused) -> None:
    messages.error(request, f"{refused.message}（规则：{refused.rule}）")


@roles_required(*READERS)
def poll_list(request: HttpRequest) -> HttpResponse:
    can_manage = request.user.is_superuser or request.user.has_role(*MANAGERS)  # type: ignore[union-attr]
    polls = list(selectors.polls_visible_to(request.user)[:500])
    links = selectors.campaign_links(polls)
    rows = [(poll, links.get(poll.pk)) for poll in polls]
    return render(request, "ballots/poll_list.html", {"rows": rows, "can_manage": can_manage})


@roles_required(*MANAGERS)
def poll_create(request: HttpRequest) -> HttpResponse:
    form = PollForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user: Any = request.user
        if user.jurisdiction is None:
            messages.error(request, "您的账号没有所属辖区，不能创建投票")
            return render(request, "ballots/poll_form.html", {"form": form})
        rules, threshold, scale, ref = tally.BallotRules(), None, scale_for(form), ""
        if form.cleaned_data["policy"]:
            from xuanren.rules.policy import get_policy

            policy = get_policy(form.cleaned_data["policy"])
            ref = policy.label
            rules = policy_rules.ballot_rules(policy)
            scale = policy_rules.scale(policy, trust=form.cleaned_data["trust_scale"])
            if form.cleaned_data["threshold_path"]:
                threshold = policy_rules.threshold(policy, form.cleaned_data["threshold_path"])
        try:
            poll = actions.create_poll(
                jurisdiction=user.jurisdiction,
                title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"],
                participants=form.cleaned_data["participants"],
                items=form.items(),
                rules=rules,
                threshold=threshold,
                scale=scale,
                policy_ref=ref,
                opens_at=form.cleaned_data["opens_at"],
                closes_at=form.cleaned_data["closes_at"],
                acting_user=user,
            )
        except actions.BallotRefused as refused:
            _refused(request, refused)
        else:
            messages.success(request, "投票已创建")
            return redirect("ballots:poll_detail", pk=poll.pk)
    return render(request, "ballots/poll_form.html", {"form": form})


@roles_required(*READERS)
def poll_detail(request: HttpRequest, pk: int) -> HttpResponse:
    poll = _poll(request, pk)
    items = selectors.items_of(poll)
    return render(
        request,
        "ballots/poll_detail.html",
        {
            "poll": poll,
            "campaign": selectors.campaign_links([poll]).get(poll.pk),
            "policy_name": selectors.policy_name(poll.policy_ref),
            "items": items,
            "turnout": selectors.turnout(poll),
            "paper": selectors.paper_progress(poll),
            "threshold": selectors.threshold_of(poll),
            "can_manage": request.user.has_role(*MANAGERS) or request.user.is_superuser,  # type: ignore[union-attr]
        },
    )


@never_cache
@roles_required(*READERS)
def poll_turnout(request: HttpRequest, pk: int) -> HttpResponse:
    """Live count for the detail page: how many codes have voted, never which."""
    turnout = selectors.turnout(_poll(request, pk))
    return JsonResponse({"issued": turnout.issued, "voted": turnout.voted, "ballots": turnout.ballots})


@require_POST
@roles_required(*MANAGERS)
def poll_codes(request: HttpRequest, pk: int) -> HttpResponse:
    poll = _poll(request, pk)
    raw = request.POST.get("count", "")
    count = int(raw) if raw.isdigit() else poll.participants
    try:
        codes = actions.issue_codes(poll, count, acting_user=request.user)
    except actions.BallotRefused as refused:
        _refused(request, refused)
        return redirect("ballots:poll_detail", pk=poll.pk)
    pdf = printing.codes_pdf(poll.title, request.build_absolute_uri(reverse("vote:vote")), codes)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="poll-{poll.pk}-codes.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def _transition(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    poll = _poll(request, pk)
    try:
        action(poll, acting_user=request.user)
    except actions.BallotRefused as refused:
        _refused(request, refused)
    else:
        messages.success(request, done)
    return redirect("ballots:poll_detail", pk=poll.pk)


@require_POST
@roles_required(*MANAGERS)
def poll_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, actions.open_poll, "投票已开始")


@require_POST
@roles_required(*MANAGERS)
def poll_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, actions.close_poll, "投票已结束")


@require_POST
@roles_required(*MANAGERS)
def poll_tally(request: HttpRequest, pk: int) -> HttpResponse:
    poll = _poll(request, pk)
    try:
        actions.tally_poll(poll, acting_user=request.user)
    except actions.BallotRefused as refused:
        _refused(request, refused)
        return redirect("ballots:poll_detail", pk=poll.pk)
    messages.success(request, "计票完成")
    return redirect("ballots:tally_sheet", pk=poll.pk)


@roles_required(*MANAGERS)
def paper_entry(request: HttpRequest, pk: int) -> HttpResponse:
    poll = _poll(request, pk)
    spec = selectors.spec_of(poll)
    form = PaperEntryForm(request.POST or None)
    rows = ballot_rows(spec, {})
    if request.method == "POST" and form.is_valid():
        try:
            marks = marks_from_post(request.POST, spec)
            paper = actions.enter_paper_ballot(
                poll,
                form.cleaned_data["number"],
                marks,
                void=form.cleaned_data["void"],
                acting_user=request.user,
            )
        except (actions.BallotRefused, tally.BallotError) as refused:
            messages.error(request, getattr(refused, "message", str(refused)))
        else:
            messages.success(request, f"第 {paper.number} 号选票：{paper.get_status_display()}")
            return redirect("ballots:paper_entry", pk=poll.pk)
    return render(
        request,
        "ballots/paper_entry.html",
        {
            "poll": poll,
            "form": form,
            "rows": rows,
            "spec": spec,
            "progress": selectors.paper_progress(poll),
            "papers": selectors.paper_ballots(poll),
            "mismatches": selectors.mismatches(poll),
        },
    )


@roles_required(*MANAGERS)
def paper_reconcile(request: HttpRequest, pk: int, paper_pk: int) -> HttpResponse:
    poll = _poll(request, pk)
    paper = get_visible_or_404(PaperBallot.objects.filter(poll=poll), request.user, pk=paper_pk)
    spec = selectors.spec_of(poll)
    form = ReconcileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.reconcile_paper_ballot(
                paper,
                marks_from_post(request.POST, spec),
                void=form.cleaned_data["void"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except (actions.BallotRefused, tally.BallotError) as refused:
            messages.error(request, getattr(refused, "message", str(refused)))
        else:
            messages.success(request, f"第 {paper.number} 号选票已核对更正")
            return redirect("ballots:paper_entry", pk=poll.pk)

    def described(content: str) -> list[tuple[str, str]]:
        if not content:
            return []
        ballot = tally.parse(content)
        if ballot.void:
            return [("整张选票", "无效")]
        return [
            (item.title, "、".join(item.label_of(c) for c in ballot.marks.get(item.key, ())) or "（未选）")
            for item in spec.items
        ]

    return render(
        request,
        "ballots/paper_reconcile.html",
        {
            "poll": poll,
            "paper": paper,
            "form": form,
            "rows": ballot_rows(spec, {}),
            "spec": spec,
            "first": described(paper.first_content),
            "second": described(paper.second_content),
        },
    )


@roles_required(*READERS)
def tally_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    poll = _poll(request, pk)
    stored = selectors.stored_tally(poll)
    return render(
        request,
        "ballots/tally_sheet.html",
        {
            "poll": poll,
            "tally": stored,
            "sheet": stored.result if stored else None,
            "signatures": {s.role: s for s in stored.signatures.all()} if stored else {},
            "can_sign": request.user.is_superuser or request.user.has_role(*SIGNERS),  # type: ignore[union-attr]
        },
    )


@roles_required(*READERS)
def tally_sheet_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    poll = _poll(request, pk)
    stored = selectors.stored_tally(poll)
    if stored is None:
        messages.error(request, "尚未计票")
        return redirect("ballots:tally_sheet", pk=poll.pk)
    counted = timezone.localtime(stored.counted_at).strftime("%Y-%m-%d %H:%M")
    pdf = printing.tally_sheet_pdf(poll, stored.result, list(stored.signatures.all()), counted)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="poll-{poll.pk}-tally.pdf"'
    return response


@require_POST
@roles_required(*SIGNERS)
def tally_sign(request: HttpRequest, pk: int) -> HttpResponse:
    poll = _poll(request, pk)
    try:
        actions.sign_tally(poll, request.POST.get("role", ""), acting_user=request.user)
    except actions.BallotRefused as refused:
        _refused(request, refused)
    else:
        messages.success(request, "已签字确认")
    return redirect("ballots:tally_sheet", pk=poll.pk)


@require_POST
@roles_required(*READERS)
def tally_verify(request: HttpRequest, pk: int) -> HttpResponse:
    """Recount the stored ballots and compare with the stored tally (recorded)."""
    poll = _poll(request, pk)
    try:
        agrees = actions.verify_tally(poll, acting_user=request.user)
    except actions.BallotRefused as refused:
        _refused(request, refused)
    else:
        if agrees:
            messages.success(request, "复核一致：按选票原文重新计算的结果与计票单相同")
        else:
            messages.error(request, "复核不一致：按选票原文重新计算的结果与计票单不同，请立即报告")
    return redirect("ballots:tally_sheet", pk=poll.pk)
