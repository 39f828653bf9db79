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


def test_the_candidate_page_links_the_trace_for_desk_roles_only(
    decided: Any, login: Any, client: Client
) -> None:
    from xuanren.testing import factories

    winner = decided.candidates(Candidate.State.APPROVED)[0]
    page_url = reverse("campaigns:candidate", args=[decided.c.pk, winner.pk])
    trace_url = reverse("supervision:trace", args=[decided.c.pk, winner.pk])
    j = decided.world.jurisdiction
    for role, linked in (
        ("supervision_office", True),
        ("discipline", True),
        ("cadre_officer", False),
        ("department_head", False),
    ):
        client.logout()
        login(factories.make_user(role, jurisdiction=j))
        page = client.get(page_url)
        assert page.status_code == 200, role
        assert (trace_url in page.content.decode()) is linked, role
        assert client.get(trace_url).status_code == (200 if linked else 403), role


def test_the_desk_finds_any_appointment_and_its_trace(decided: Any, login: Any, client: Client) -> None:
    from datetime import date

    from xuanren.testing import factories

    decided.notice()
    decided.appoint_all(date(2025, 5, 12))
    appointed = [c for c in Candidate.objects.filter(campaign=decided.c) if c.appointed_on is not None]
    assert appointed
    login(decided.world.staff.supervisor)
    listing = client.get(reverse("supervision:appointments"))
    body = listing.content.decode()
    assert listing.status_code == 200
    for c in appointed:
        assert reverse("supervision:trace", args=[decided.c.pk, c.pk]) in body
    not_appointed = Candidate.objects.filter(campaign=decided.c, appointed_on__isnull=True).first()
    assert not_appointed is not None
    assert reverse("supervision:trace", args=[decided.c.pk, not_appointed.pk]) not in body

    name = appointed[0].cadre.name
    found = client.get(reverse("supervision:appointments"), {"q": name}).content.decode()
    assert reverse("supervision:trace", args=[decided.c.pk, appointed[0].pk]) in found
    for c in appointed[1:]:
        if c.cadre.name != name:
            assert reverse("supervision:trace", args=[decided.c.pk, c.pk]) not in found
    none = client.get(reverse("supervision:appointments"), {"q": "查无此人"}).content.decode()
    assert "没有找到“查无此人”的任职记录" in none

    other = factories.make_user("supervision_office", jurisdiction=factories.make_counties().b)
    client.logout()
    login(other)
    body = client.get(reverse("supervision:appointments")).content.decode()
    assert "本辖区尚无任职记录" in body
    assert client.get(reverse("supervision:trace", args=[decided.c.pk, appointed[0].pk])).status_code == 404
