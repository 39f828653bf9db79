"""Staff pages of the exams of a campaign: the rounds with the combined ranking, and one round's
examiners, score grid, results, lock, publish and corrections.

Every page fetches through the user's jurisdiction (another county's round is a plain 404) and
states its roles; every change calls an action of :mod:`xuanren.competition.actions`, and a
refused action shows its reasons above the form, keeps what was typed and saves nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from xuanren.accounts.access import roles_required
from xuanren.accounts.roles import STAFF_ROLES
from xuanren.competition import actions, selectors
from xuanren.competition.forms import (
    CorrectionForm,
    ExaminerForm,
    RoundForm,
    absent_from_post,
    sheet_from_post,
)
from xuanren.competition.models import ExamRound

READERS = tuple(sorted(STAFF_ROLES))


def _can(request: HttpRequest, roles: tuple[str, ...]) -> bool:
    user: Any = request.user
    return bool(user.is_superuser or user.has_role(*roles))


def _rounds_page(
    request: HttpRequest, campaign: Any, form: RoundForm | None = None, status: int = 200
) -> HttpResponse:
    rounds = selectors.rounds_of(campaign)
    views = {r.pk: selectors.round_view(r) for r in rounds}
    return render(
        request,
        "competition/rounds.html",
        {
            "campaign": campaign,
            "rounds": rounds,
            "groups": selectors.standings(rounds, views),
            "form": form or RoundForm(campaign=campaign),
            "can_enter": _can(request, actions.ENTERERS),
            "public_url": reverse("portal:scores", args=[campaign.jurisdiction.code, campaign.pk])
            if any(r.status == ExamRound.Status.PUBLISHED for r in rounds)
            else "",
        },
        status=status,
    )


@roles_required(*READERS)
def rounds(request: HttpRequest, pk: int) -> HttpResponse:
    return _rounds_page(request, selectors.campaign_for(request.user, pk))


@roles_required(*actions.ENTERERS)
@require_POST
def round_create(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_for(request.user, pk)
    form = RoundForm(request.POST, campaign=campaign)
    if form.is_valid():
        d = form.cleaned_data
        try:
            round = actions.create_round(
                campaign,
                acting_user=request.user,
                today=timezone.localdate(),
                kind=d["kind"],
                title=d["title"],
                held_on=d["held_on"],
                max_score=d["max_score"],
                weight=d["weight_percent"] / Decimal(100),
                method=d["method"],
                pass_line=d["pass_line"],
                vacancy=form.vacancies.get(d["vacancy"]) if d["vacancy"] else None,
            )
        except actions.CompetitionRefused as refused:
            form.add_error(None, f"{refused.message}（{refused.rule}）")
        else:
            messages.success(request, f"已设立“{round.title}”并记入全程纪实")
            return redirect("competition:round", pk=round.pk)
    return _rounds_page(request, campaign, form, status=400)


def _round_page(request: HttpRequest, round: ExamRound, status: int = 200, **extra: Any) -> HttpResponse:
    view = selectors.staff_round_view(round)
    user: Any = request.user
    context: dict[str, Any] = {
        "campaign": round.campaign,
        "round": round,
        "view": view,
        "not_sitting": selectors.not_sitting(round) if round.editable else [],
        "examiner_form": ExaminerForm(),
        "correction_form": CorrectionForm(scores=selectors.score_choices(round)),
        "can_enter": _can(request, actions.ENTERERS),
        "can_lock": _can(request, actions.REVIEWERS),
        "can_publish": _can(request, actions.PUBLISHERS),
        "can_correct": _can(request, actions.CORRECTORS),
        "entered_by_me": round.sheet_entered_by_id == user.pk,
        "typed": {},
        "problems": [],
        "bad": set(),
        "absent": None,  # the posted absences after a refusal; None shows the stored ones
        "public_url": reverse("portal:scores", args=[round.campaign.jurisdiction.code, round.campaign_id]),
    }
    context.update(extra)
    return render(request, "competition/round.html", context, status=status)


@roles_required(*READERS)
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _round_page(request, selectors.round_for(request.user, pk))


@roles_required(*actions.ENTERERS)
@require_POST
def examiner_add(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.round_for(request.user, pk)
    form = ExaminerForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            examiner = actions.add_examiner(
                round,
                acting_user=request.user,
                today=timezone.localdate(),
                name=d["name"],
                unit_post=d["unit_post"],
                role=d["role"],
                no_relationship=d["no_relationship"],
                declaration=d["declaration"],
            )
        except actions.CompetitionRefused as refused:
            form.add_error(None, f"{refused.message}（{refused.rule}）")
        else:
            messages.success(request, f"已确定考官{examiner.name}（含回避声明）并记入全程纪实")
            return redirect("competition:round", pk=round.pk)
    return _round_page(request, round, status=400, examiner_form=form)


@roles_required(*actions.ENTERERS)
@require_POST
def scores_enter(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.round_for(request.user, pk)
    sheet = sheet_from_post(request.POST)
    absent = absent_from_post(request.POST)
    try:
        actions.enter_scores(round, acting_user=request.user, sheet=sheet, absent=absent)
    except actions.CompetitionRefused as refused:
        typed = {f"{cid}-{eid or 0}": v for (cid, eid), v in sheet.items()}
        bad = {f"{cid}-{eid or 0}" for cid, eid in refused.cells}
        return _round_page(
            request, round, status=400, typed=typed, problems=refused.problems, bad=bad, absent=absent
        )
    messages.success(request, "成绩单已录入并记入全程纪实；请由另一人对照签字的评分表复核后锁定")
    return redirect("competition:round", pk=round.pk)


def _round_button(request: HttpRequest, pk: int, act: Any, done: str) -> HttpResponse:
    """A one-button step on a round (lock, publish): the action, then its outcome as a message."""
    round = selectors.round_for(request.user, pk)
    try:
        act(round, acting_user=request.user)
    except actions.CompetitionRefused as refused:
        messages.error(request, f"{refused.message}（{refused.rule}）")
    else:
        messages.success(request, done)
    return redirect("competition:round", pk=round.pk)


@roles_required(*actions.REVIEWERS)
@require_POST
def round_lock(request: HttpRequest, pk: int) -> HttpResponse:
    return _round_button(request, pk, actions.lock_round, "已复核并锁定成绩")


@roles_required(*actions.PUBLISHERS)
@require_POST
def round_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _round_button(request, pk, actions.publish_round, "已公布考官姓名和评分")


@roles_required(*actions.CORRECTORS)
@require_POST
def score_correct(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.round_for(request.user, pk)
    choices = selectors.score_choices(round)
    form = CorrectionForm(request.POST, scores=choices)
    if form.is_valid():
        score = selectors.score_for(request.user, form.cleaned_data["score"])
        try:
            actions.correct_score(
                score,
                acting_user=request.user,
                value=form.cleaned_data["value"],
                reason=form.cleaned_data["reason"],
            )
        except actions.CompetitionRefused as refused:
            form.add_error(None, f"{refused.message}（{refused.rule}）")
        else:
            messages.success(request, "成绩已更正，原成绩和理由已记入全程纪实")
            return redirect("competition:round", pk=round.pk)
    return _round_page(request, round, status=400, correction_form=form)
