"""A campaign's votes in the ballots app: a stage's poll, its people taken from the campaign.

The campaign page's "创建投票" form and the demo both make a campaign's poll here. The poll then
runs in the ballots app (codes, opening, casting, closing, tally); its tally comes back to the
campaign through :mod:`xuanren.campaigns.figures`.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from xuanren.ballots import actions as ballots
from xuanren.ballots import policy_rules
from xuanren.ballots.models import Poll
from xuanren.campaigns.errors import CampaignRefused
from xuanren.campaigns.models import Campaign, Candidate
from xuanren.rules.policy import Policy


class PollKind(NamedTuple):
    title: str
    step: str
    states: tuple[str, ...]
    """The candidates it is about, by state."""


KINDS = {
    "recommendation": PollKind("民主推荐", "recommendation_held", (Candidate.State.CONFIRMED,)),
    "evaluation": PollKind("民主测评", "inspection_conducted", (Candidate.State.INSPECTION_CANDIDATE,)),
    "committee": PollKind("常委会票决", "standing_committee_vote", (Candidate.State.DELIBERATED,)),
}


def create_campaign_poll(
    campaign: Campaign, policy: Policy, *, kind: str, participants: int, acting_user: Any
) -> Poll:
    """Create (in draft) the campaign's poll of ``kind``, under the campaign's policy.

    A recommendation has one item per post, with that post's confirmed nominees as choices (all of
    them when nobody stands for that post in particular), and the policy's recommendation
    threshold; an evaluation or a committee vote has one item per person, on the policy's scale.
    """
    spec = KINDS[kind]
    people = list(
        campaign.candidates.select_related("cadre").filter(state__in=spec.states).order_by("sort_order", "id")
    )
    if not people:
        raise CampaignRefused("campaigns.poll", f"没有可以参加{spec.title}的人选", campaign=campaign)
    if kind == "recommendation":
        items = []
        for vacancy in campaign.vacancies.select_related("post__unit").order_by("sort_order", "id"):
            mine = [c for c in people if c.vacancy_id == vacancy.pk] or people
            items.append(
                ballots.ItemInput(
                    title=f"{vacancy.post.unit.name}{vacancy.post.title}",
                    choices=[c.cadre.name for c in mine],
                    choice_cadre_ids=[c.cadre_id for c in mine],
                )
            )
    else:
        items = [ballots.ItemInput(title=c.cadre.name, cadre_id=c.cadre_id) for c in people]
    threshold = None
    if kind == "recommendation":
        for path in ("recommendation.threshold.from_list", "recommendation.threshold.open"):
            if policy.rule(path) is not None:
                threshold = policy_rules.threshold(policy, path)
                break
    elif kind == "evaluation" and policy.rule("inspection.evaluation") is not None:
        threshold = policy_rules.threshold(policy, "inspection.evaluation")
    return ballots.create_poll(
        jurisdiction=campaign.jurisdiction,
        title=f"{campaign.title} {spec.title}",
        kind=kind,
        participants=participants,
        items=items,
        rules=policy_rules.ballot_rules(policy),
        threshold=threshold,
        scale=policy_rules.scale(policy, trust=False),
        policy_ref=campaign.policy_label,
        campaign_id=campaign.pk,
        stage=spec.step,
        acting_user=acting_user,
    )
