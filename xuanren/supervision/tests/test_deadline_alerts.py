"""Deadline alerts: notices whose period (from the campaign's pinned policy) was not kept, and
appeals not decided within the policy's period. First the pure rules as tables, then from a
campaign run, then the page's query count at two sizes."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xuanren.campaigns import actions as campaign_actions
from xuanren.campaigns.models import Candidate, Notice, Talk
from xuanren.campaigns.testing import CampaignDriver, D, build_world
from xuanren.record.models import Entry
from xuanren.rules.policy import get_policy
from xuanren.rules.schema import PeriodRule
from xuanren.supervision.alerts import (
    AppealFacts,
    NoticeFacts,
    alerts_for,
    alerts_from,
    appeal_alert,
    notice_alert,
)

LINZE = get_policy("linze")  # inspection.notice: 2 days ahead (000); notice.period: 5 working days
NATIONAL = get_policy("national-2019")  # inspection.notice without a lead time

# An inspection announced to start on 3-28, notice posted 3-25 (linze needs it by 3-26).
INSPECTION = NoticeFacts(
    pk=1,
    kind="inspection",
    campaign_id=7,
    candidate_id=9,
    candidate_name="王建国",
    posted_on=date(2025, 3, 25),
    starts_on=date(2025, 3, 28),
    ends_on=date(2025, 4, 2),
    policy=LINZE,
    entry_pk=11,
)
# A pre-appointment notice from Thursday 2025-04-24: five working days are 4-24, 4-25, Sunday 4-27
# (a working day moved for the May Day holiday), 4-28 and 4-29 — the last day is 2025-04-29.
PRE = dataclasses.replace(
    INSPECTION,
    pk=2,
    kind="pre_appointment",
    posted_on=date(2025, 4, 24),
    starts_on=date(2025, 4, 24),
    ends_on=date(2025, 4, 29),
)
TODAY = date(2025, 4, 29)


@pytest.mark.parametrize(
    ("facts", "today", "found"),
    [
        (INSPECTION, TODAY, None),
        # the notice went up one day ahead of the announced start: 2 days are needed
        (dataclasses.replace(INSPECTION, posted_on=date(2025, 3, 27)), TODAY, "晚于最迟发布日 2025-03-26"),
        # announced 3 days ahead, but the first talk was held the day after posting
        (
            dataclasses.replace(INSPECTION, inspection_began=date(2025, 3, 26)),
            TODAY,
            "2025-03-26 即已开始考察",
        ),
        # a policy with no lead time still needs the notice before the inspection
        (
            dataclasses.replace(INSPECTION, policy=NATIONAL, inspection_began=date(2025, 3, 24)),
            TODAY,
            "考察预告 2025-03-25 才发布",
        ),
        (dataclasses.replace(INSPECTION, policy=NATIONAL), TODAY, None),
        (PRE, TODAY, None),  # the period runs to the end of today
        (PRE, date(2025, 4, 30), "公示期已满 1 天，仍未记录公示结果"),
        (
            dataclasses.replace(PRE, concluded_on=date(2025, 4, 30), appointed_on=date(2025, 4, 30)),
            date(2025, 5, 9),
            None,
        ),
        (
            dataclasses.replace(PRE, concluded_on=date(2025, 4, 28)),
            TODAY,
            "2025-04-28 即结束公示，公示期未满",
        ),
        (
            dataclasses.replace(PRE, concluded_on=date(2025, 4, 30), appointed_on=date(2025, 4, 29)),
            date(2025, 5, 9),
            "2025-04-29 已任职",
        ),
        (dataclasses.replace(PRE, ends_on=date(2025, 4, 28)), TODAY, "公示截止日定为 2025-04-28"),
        (dataclasses.replace(PRE, stopped=True), date(2025, 5, 9), None),
    ],
)
def test_notice_periods_as_a_table(facts: NoticeFacts, today: date, found: str | None) -> None:
    alert = notice_alert(facts, today)
    if found is None:
        assert alert is None, alert
        return
    assert alert is not None and alert.kind == "notice_overrun"
    assert found in alert.text, alert.text
    path = "inspection.notice" if facts.kind == "inspection" else "notice.period"
    assert alert.rule_id == f"{facts.policy.id} {path}"
    assert f"（{facts.policy.id} {path}，" in alert.text  # the rule is cited with its source
    assert f"政策 {facts.policy.id} 第 {facts.policy.version} 版" in alert.text
    assert (alert.entry_pk, alert.campaign_id, alert.candidate_id) == (11, 7, 9)


def test_pre_appointment_alert_shows_the_working_day_figures() -> None:
    alert = notice_alert(dataclasses.replace(PRE, appointed_on=date(2025, 4, 28)), TODAY)
    assert alert is not None
    assert "自 2025-04-24 起（当日为工作日则计入）5个工作日，最后一日为 2025-04-29" in alert.text
    assert alert.on == "2025-04-28"


FIFTEEN_DAYS = PeriodRule(length=15, unit="days", source="测试政策 第一条")
APPEAL = AppealFacts(
    pk=3,
    campaign_id=7,
    candidate_id=9,
    candidate_name="李红梅",
    filed_on=date(2025, 4, 5),
    decided_on=None,
    policy_label="test@1",
    period=FIFTEEN_DAYS,
    rule_id="test inspection.appeal_decision",
    entry_pk=12,
)


@pytest.mark.parametrize(
    ("facts", "today", "kind", "found"),
    [
        (APPEAL, date(2025, 4, 20), "appeal_waiting", "尚在处理期内"),  # 15 days from 4-05: 4-20
        (APPEAL, date(2025, 4, 22), "appeal_late", "至今未处理，已逾期 2 天"),
        (dataclasses.replace(APPEAL, decided_on=date(2025, 4, 20)), date(2025, 6, 1), None, None),
        (
            dataclasses.replace(APPEAL, decided_on=date(2025, 4, 25)),
            date(2025, 6, 1),
            "appeal_late",
            "2025-04-25 才处理，逾期 5 天",
        ),
        (
            dataclasses.replace(APPEAL, period=None, rule_id=""),
            date(2025, 6, 1),
            "appeal_waiting",
            "未规定申诉处理期限",
        ),
        (dataclasses.replace(APPEAL, period=None, decided_on=date(2025, 6, 1)), date(2025, 6, 1), None, None),
    ],
)
def test_appeal_decision_periods_as_a_table(
    facts: AppealFacts, today: date, kind: str | None, found: str | None
) -> None:
    alert = appeal_alert(facts, today)
    if kind is None:
        assert alert is None
        return
    assert alert is not None and alert.kind == kind and found in alert.text, alert
    if facts.period is not None:
        assert alert.rule_id == "test inspection.appeal_decision"
        assert "（test inspection.appeal_decision，测试政策 第一条）" in alert.text
        assert "最后一日为 2025-04-20" in alert.text


def test_alerts_from_takes_notices_and_appeals() -> None:
    found = alerts_from([], [], date(2025, 5, 9), notices=[PRE, INSPECTION], appeals=[APPEAL])
    assert sorted(a.kind for a in found) == ["appeal_late", "notice_overrun"]


# --- from a campaign run -------------------------------------------------------------------


def _noticed(driver: CampaignDriver) -> Notice:
    """Drive the campaign to the pre-appointment notice of one winner per vacancy."""
    driver.open_campaign()
    driver.nominate_all()
    driver.nominations_to_confirmed()
    driver.recommend()
    driver.joint_review()
    driver.choose_inspection_candidates()
    driver.inspect()
    driver.deliberate()
    driver.prepare_forms()
    deliberated = driver.candidates(Candidate.State.DELIBERATED)
    by_vacancy: dict[int | None, list[Candidate]] = {}
    for candidate in deliberated:
        by_vacancy.setdefault(candidate.vacancy_id, []).append(candidate)
    winners = [group[0] for group in by_vacancy.values()]
    driver.decide(winners, [c for c in deliberated if c not in winners])
    return driver.notice()


@pytest.fixture
def noticed(db: Any) -> CampaignDriver:
    driver = CampaignDriver(build_world())
    _noticed(driver)
    return driver


@pytest.mark.django_db
def test_a_notice_left_open_past_its_last_day_is_an_alert_until_the_outcome_is_recorded(
    noticed: CampaignDriver, login: Any, client: Client
) -> None:
    supervisor = noticed.world.staff.supervisor
    assert not [a for a in alerts_for(supervisor, date(2025, 4, 29)) if a.kind == "notice_overrun"]
    late = [a for a in alerts_for(supervisor, date(2025, 5, 6)) if a.kind == "notice_overrun"]
    names = {c.cadre.name for c in noticed.candidates(Candidate.State.NOTICED)}
    assert len(late) == len(names) == 2
    for alert in late:
        assert "公示期已满 7 天，仍未记录公示结果" in alert.text
        assert alert.rule_id == "linze notice.period" and "政策 linze 第 1 版" in alert.text
        entry = Entry.objects.get(pk=alert.entry_pk)
        assert entry.action == "pre_appointment_notice_published"
        assert entry.payload["candidate"] == alert.candidate_id

    login(supervisor)
    page = client.get(reverse("supervision:alerts"), {"on": "2025-05-06", "kind": "notice_overrun"})
    body = page.content.decode()
    assert page.status_code == 200 and "预告、公示期限未遵守" in body
    for alert in late:
        assert reverse("record:entry", args=[alert.entry_pk]) in body
        assert reverse("campaigns:candidate", args=[alert.campaign_id, alert.candidate_id]) in body
        assert reverse("supervision:trace", args=[alert.campaign_id, alert.candidate_id]) in body

    noticed.appoint_all(date(2025, 5, 7))
    assert not [a for a in alerts_for(supervisor, date(2025, 5, 9)) if a.kind == "notice_overrun"]


@pytest.mark.django_db
def test_an_inspection_begun_inside_the_notice_lead_is_an_alert(noticed: CampaignDriver) -> None:
    # The actions refuse a talk before the announced start; a row entered another way (an import,
    # a correction in the database) is what the desk must catch.
    candidate = noticed.candidates(Candidate.State.NOTICED)[0]
    Talk.objects.filter(candidate=candidate).update(held_on=D["notice"] + timedelta(days=1))
    found = [
        a for a in alerts_for(noticed.world.staff.supervisor, date(2025, 4, 29)) if a.kind == "notice_overrun"
    ]
    assert len(found) == 1
    alert = found[0]
    assert alert.candidate_id == candidate.pk and alert.rule_id == "linze inspection.notice"
    assert "2025-03-26 即已开始考察" in alert.text and "预告时间不足" in alert.text
    assert Entry.objects.get(pk=alert.entry_pk).action == "inspection_notice_published"


@pytest.mark.django_db
def test_a_waiting_appeal_says_the_policy_sets_no_period_for_the_answer(db: Any) -> None:
    driver = CampaignDriver(build_world())
    driver.open_campaign()
    driver.nominate_all()
    driver.nominations_to_confirmed()
    driver.recommend()
    driver.joint_review()
    driver.choose_inspection_candidates()
    team_candidates = driver.candidates(Candidate.State.INSPECTION_CANDIDATE)
    driver.inspect(review=False)
    candidate = team_candidates[0]
    s = driver.world.staff
    campaign_actions.feed_back_inspection(candidate, acting_user=s.inspector, today=D["feedback"])
    appeal = campaign_actions.file_appeal(
        candidate, acting_user=s.officer, today=D["feedback"] + timedelta(days=2), reasons="谈话范围不全"
    )
    found = [a for a in alerts_for(s.supervisor, date(2025, 5, 1)) if a.kind.startswith("appeal")]
    assert [a.kind for a in found] == ["appeal_waiting"]
    assert "政策 linze@1 未规定申诉处理期限" in found[0].text
    assert found[0].candidate_id == candidate.pk
    assert Entry.objects.get(pk=found[0].entry_pk).payload["appeal"] == appeal.pk


@pytest.mark.django_db
def test_the_alerts_page_runs_the_same_queries_for_one_and_for_two_campaigns(
    db: Any, login: Any, client: Client
) -> None:
    first = CampaignDriver(build_world())
    _noticed(first)
    j = first.world.jurisdiction
    login(first.world.staff.supervisor)
    url = reverse("supervision:alerts") + "?on=2025-05-20"

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode().count("alert-notice_overrun")

    small, small_alerts = queries()
    second = CampaignDriver(build_world(j, tag="乙"))
    _noticed(second)
    large, large_alerts = queries()
    assert (small_alerts, large_alerts) == (2, 4)
    assert small == large
