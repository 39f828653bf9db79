"""The same campaign data under ``linze`` (000: at least 1/3 of the votes) and ``county-30-60``
(002: 60% for a recommendation from a list) ends with different inspection candidates."""

from __future__ import annotations

import pytest

from xuanren.campaigns import actions
from xuanren.campaigns.errors import CampaignRefused
from xuanren.campaigns.models import Candidate, RecommendationScore
from xuanren.campaigns.testing import CampaignDriver, D, build_world
from xuanren.record.models import Entry
from xuanren.testing import factories

pytestmark = pytest.mark.django_db

# Four on the list, 120 taking part: 100, 90, 80 and 60 votes. 60/120 = 1/2 is at least 1/3 but
# under 60%.
VOTES = (100, 90, 80, 60)


def run_until_recommendation(policy: str, tag: str) -> CampaignDriver:
    j = factories.jurisdiction(f"62072{len(tag)}", f"{tag}县", "county", factories.make_counties().city)
    driver = CampaignDriver(
        build_world(j, tag=tag), policy=policy, votes=VOTES, participants=120, mode="from_list"
    )
    driver.open_campaign()
    driver.nominate_all()
    driver.nominations_to_confirmed()
    driver.recommend()
    driver.joint_review()
    return driver


def passing(driver: CampaignDriver) -> list[Candidate]:
    """Everyone whose recommendation share passed the policy's threshold."""
    ids = RecommendationScore.objects.filter(recommendation__campaign=driver.c, passed=True).values_list(
        "candidate_id", flat=True
    )
    return [c for c in driver.candidates(Candidate.State.RECOMMENDED) if c.pk in set(ids)]


def test_same_votes_different_inspection_candidates() -> None:
    linze = run_until_recommendation("linze", "甲")
    county = run_until_recommendation("county-30-60", "乙乙")

    linze_set = linze.choose_inspection_candidates(passing(linze))
    # Under county-30-60 the 镇长 post keeps only its 90: one person is no competitive inspection
    # for that post (more than one for each post), so the same list goes no further there.
    with pytest.raises(CampaignRefused) as info:
        county.choose_inspection_candidates(passing(county))
    assert info.value.rule_id == "county-30-60 inspection.ratio"
    assert "乙乙沙河镇镇长 1 人" in info.value.message

    def votes_of(candidates: list[Candidate]) -> list[int]:
        scores = {
            s.candidate_id: s.votes for s in RecommendationScore.objects.filter(candidate__in=candidates)
        }
        return sorted((scores[c.pk] for c in candidates), reverse=True)

    assert votes_of(linze_set) == [100, 90, 80, 60]
    assert votes_of(passing(county)) == [100, 90, 80]

    sixty_linze = RecommendationScore.objects.get(recommendation__campaign=linze.c, votes=60)
    sixty_county = RecommendationScore.objects.get(recommendation__campaign=county.c, votes=60)
    assert sixty_linze.decision["rule_id"] == "linze recommendation.threshold.from_list"
    assert sixty_linze.passed is True
    assert sixty_county.decision["rule_id"] == "county-30-60 recommendation.threshold.from_list"
    assert sixty_county.passed is False
    assert sixty_county.candidate.state == Candidate.State.RECOMMENDED  # nothing fixed there yet

    entries = Entry.objects.filter(action="inspection_candidate_set")
    assert {e.payload["threshold"] for e in entries.filter(campaign_id=linze.c.pk)} == {"1/3"}
    assert not entries.filter(campaign_id=county.c.pk).exists()
    county_scores = RecommendationScore.objects.filter(recommendation__campaign=county.c)
    assert {s.decision["inputs"]["threshold_value"] for s in county_scores} == {"3/5"}


def test_the_stricter_threshold_refuses_the_same_list() -> None:
    county = run_until_recommendation("county-30-60", "丙丙丙")
    everyone = county.candidates(Candidate.State.RECOMMENDED)
    with pytest.raises(CampaignRefused) as info:
        actions.set_inspection_candidates(
            county.c,
            acting_user=county.world.staff.head,
            today=D["inspection_candidates"],
            candidates=everyone,
        )
    assert info.value.rule_id == "county-30-60 recommendation.threshold.from_list"
    assert "60%" in info.value.message
