"""The accountability trace of an appointment lists who recommended, inspected, reviewed,
deliberated, voted and decided, each with ledger entries."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from xuanren.campaigns.models import Candidate, Position
from xuanren.supervision.trace import trace_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(inspected: Any) -> Any:
    driver = inspected
    driver.inspect()
    driver.deliberate()
    driver.prepare_forms()
    deliberated = driver.candidates(Candidate.State.DELIBERATED)
    driver.decide(deliberated[:1], deliberated[1:])
    return driver


def test_the_trace_names_the_people_of_each_step(decided: Any, login: Any, client: Client) -> None:
    winner = decided.candidates(Candidate.State.APPROVED)[0]
    trace = trace_of(winner)
    names = {k: {p.name for p in people} for k, people in trace.sections.items()}
    assert names["recommended"] == {"县委办公室"}
    assert {"马德华", "何晓丽", "郭振东"} <= names["inspected"]
    assert {"县委书记", "县委副书记", "组织部长", "纪委书记", "干部科科长"} <= names["deliberated"]
    assert {"常委2", "县委书记"} <= names["decided"]
    positions = Position.objects.filter(candidate=winner)
    assert {p.member.name for p in positions} <= names["voted"]
    assert "县委书记" in names["voted"]
    assert all(p.entries for p in trace.sections["voted"])
    login(decided.world.staff.supervisor)
    page = client.get(reverse("supervision:trace", args=[decided.c.pk, winner.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "县委书记" in body and reverse("record:entry", args=[trace.entries[0].pk]) in body
