"""The public page of a campaign's exams: ``/public/<code>/campaigns/<pk>/scores/``.

Once a round is published (:func:`~xuanren.competition.actions.publish_round`) the page shows, for
each published round, the examiners' names and posts and every examiner's score for every
candidate, the round score by the announced method (the scores it drops marked), the pass line,
the corrections made after locking with their reasons, and — when every round is published — the
combined score and the ranking per post, ties stated (001 一、（三）2: 考官的姓名和具体评分也应公开).
Before any round is published the page is a 404. Nothing private is read: no ID numbers, no
declarations' text, no user accounts.

The view is a portal page (:func:`xuanren.portal.views.public`, cached by the size of the
full-process record), so it runs a fixed number of queries whatever the number of candidates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from xuanren.accounts.models import Jurisdiction
from xuanren.campaigns.models import Campaign
from xuanren.competition import selectors
from xuanren.competition.models import ExamRound
from xuanren.portal.selectors import Published
from xuanren.portal.views import public, public_page


@dataclass(frozen=True)
class PublicRound:
    view: selectors.RoundView
    published: Published | None


@dataclass(frozen=True)
class ScoresPage:
    jurisdiction: Jurisdiction
    campaign_pk: int
    campaign_title: str
    title: str
    rounds: list[PublicRound]
    groups: list[selectors.StandingGroup]
    pending: list[str]  # titles of rounds not yet published

    @property
    def last_modified(self) -> datetime | None:
        times = [r.published.at for r in self.rounds if r.published]
        return max(times) if times else None


def published_campaign(code: str, pk: int) -> Campaign:
    campaign = (
        Campaign.objects.select_related("jurisdiction")
        .filter(pk=pk, jurisdiction__code=code, method_published_on__isnull=False)
        .first()
    )
    if campaign is None:
        raise Http404("没有这项公开的选任工作")
    return campaign


def scores_page(code: str, pk: int) -> ScoresPage:
    campaign = published_campaign(code, pk)
    shown = selectors.rounds_of(campaign, published_only=True)
    if not shown:
        raise Http404("考试成绩尚未公布")
    every = list(ExamRound.objects.filter(campaign=campaign).order_by("sort_order", "held_on", "id"))
    views = {r.pk: selectors.round_view(r) for r in shown}
    return ScoresPage(
        jurisdiction=campaign.jurisdiction,
        campaign_pk=campaign.pk,
        campaign_title=campaign.title,
        title="考试成绩和考官评分",
        rounds=[
            PublicRound(
                views[r.pk],
                Published(r.published_at, r.published_seq)
                if r.published_at is not None and r.published_seq is not None
                else None,
            )
            for r in shown
        ],
        groups=selectors.standings(every, views),
        pending=[r.title for r in every if r.status != ExamRound.Status.PUBLISHED],
    )


@public
@require_safe
def scores(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return public_page(request, "competition/public_scores.html", lambda: scores_page(code, pk))
