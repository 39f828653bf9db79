"""Figures read from the ballots app: a recommendation poll and a committee poll feed the same
actions as paper figures."""

from __future__ import annotations

import pytest

from xuanren.ballots import actions as ballots
from xuanren.ballots import selectors as ballot_selectors
from xuanren.campaigns import actions, figures
from xuanren.campaigns.models import Candidate
from xuanren.campaigns.testing import CampaignDriver, D, build_world

pytestmark = pytest.mark.django_db


def test_a_recommendation_poll_gives_the_votes_per_cadre() -> None:
    driver = CampaignDriver(build_world())
    driver.open_campaign()
    driver.nominate_all()
    confirmed = driver.nominations_to_confirmed()
    s = driver.world.staff
    poll = ballots.create_poll(
        jurisdiction=driver.world.jurisdiction,
        title="民主推荐",
        kind="recommendation",
        participants=9,
        items=[
            ballots.ItemInput(
                title="县发展和改革局局长、沙河镇镇长",
                choices=[c.cadre.name for c in confirmed],
                choice_cadre_ids=[c.cadre_id for c in confirmed],
                max_marks=2,
                seats=2,
            )
        ],
        campaign_id=driver.c.pk,
        stage="recommendation",
        acting_user=s.officer,
    )
    codes = ballots.issue_codes(poll, 9, acting_user=s.officer)
    ballots.open_poll(poll, acting_user=s.officer)
    spec = ballot_selectors.spec_of(poll)
    item = spec.items[0]
    keys = [c.key for c in item.choices]
    # Six ballots for the first two, three for the third and the first.
    for code in codes[:6]:
        ballots.cast_ballot(code, {item.key: keys[:2]})
    for code in codes[6:]:
        ballots.cast_ballot(code, {item.key: [keys[0], keys[2]]})
    ballots.close_poll(poll, acting_user=s.officer)
    ballots.tally_poll(poll, acting_user=s.officer)

    result = figures.recommendation_from_poll(poll)
    assert result.source == "poll" and result.participants == 9
    assert result.votes == {
        confirmed[0].cadre_id: 9,
        confirmed[1].cadre_id: 6,
        confirmed[2].cadre_id: 3,
        confirmed[3].cadre_id: 0,
    }
    recommendation = actions.hold_recommendation(
        driver.c, acting_user=s.officer, today=D["recommend"], held_on=D["recommend"], figures=result
    )
    assert recommendation.poll_id == poll.pk and recommendation.source == "poll"
    scores = {s.candidate_id: (s.votes, s.passed) for s in recommendation.scores.all()}
    assert scores[confirmed[2].pk] == (3, True)  # 3/9 = 1/3, at least 1/3 passes
    assert scores[confirmed[3].pk] == (0, False)
    assert Candidate.objects.get(pk=confirmed[3].pk).state == Candidate.State.RECOMMENDED


def test_a_campaign_poll_takes_its_people_and_threshold_from_the_campaign() -> None:
    from xuanren.campaigns.errors import CampaignRefused
    from xuanren.campaigns.polls import create_campaign_poll
    from xuanren.campaigns.selectors import load_policy

    driver = CampaignDriver(build_world())
    driver.open_campaign()
    driver.nominate_all()
    policy = load_policy(driver.c)
    officer = driver.world.staff.officer
    with pytest.raises(CampaignRefused, match="没有可以参加民主测评的人选"):
        create_campaign_poll(driver.c, policy, kind="evaluation", participants=30, acting_user=officer)
    confirmed = driver.nominations_to_confirmed()
    poll = create_campaign_poll(driver.c, policy, kind="recommendation", participants=30, acting_user=officer)
    items = list(poll.items.prefetch_related("choices").order_by("position"))
    assert [i.title for i in items] == [
        f"{v.post.unit.name}{v.post.title}" for v in driver.c.vacancies.order_by("sort_order", "id")
    ]
    by_post = {i.title: sorted(c.cadre_id for c in i.choices.all()) for i in items}
    for vacancy in driver.c.vacancies.select_related("post__unit"):
        mine = sorted(c.cadre_id for c in confirmed if c.vacancy_id == vacancy.pk)
        assert by_post[f"{vacancy.post.unit.name}{vacancy.post.title}"] == (
            mine or sorted(c.cadre_id for c in confirmed)
        )
    assert poll.campaign_id == driver.c.pk and poll.stage == "recommendation_held"
    assert ballot_selectors.threshold_of(poll) is not None  # the policy's recommendation threshold
