"""Two counties with one object of every scoped model each, at fixed primary keys.

Used by the tenancy walk: every table's county-A row has pk `a_pk` and county-B row `b_pk`. A new
scoped model adds its objects here (`_builders`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from xuanren.accounts.models import Jurisdiction
from xuanren.register.choices import Rank
from xuanren.register.models import HeadcountQuota, Post, PostHolding, Unit
from xuanren.testing import factories


@dataclass
class World:
    a: Jurisdiction
    b: Jurisdiction
    objects: dict[str, dict[str, Any]]


def _register(j: Jurisdiction, pk: int, tag: str) -> dict[str, Any]:
    unit = Unit.objects.create(pk=pk, jurisdiction=j, name=f"{tag}测试单位", unit_type="gov_dept")
    HeadcountQuota.objects.create(pk=pk, unit=unit, rank=Rank.FUKE, approved=2)
    post = Post.objects.create(pk=pk, unit=unit, title=f"{tag}副局长", rank=Rank.FUKE)
    cadre = factories.make_cadre(j, f"{tag}干部", unit=unit, pk=pk, birth=date(1980, 3, 3))
    holding = PostHolding.objects.create(
        pk=pk,
        cadre=cadre,
        post=post,
        organization=unit.name,
        title=post.title,
        rank=post.rank,
        start=date(2021, 5, 1),
    )
    return {"unit": unit, "post": post, "cadre": cadre, "holding": holding}


# Each builder makes one object graph for a jurisdiction at a fixed pk. Apps append theirs.
_builders: list[Callable[[Jurisdiction, int, str], dict[str, Any]]] = [_register]


def register_builder(fn: Callable[[Jurisdiction, int, str], dict[str, Any]]) -> None:
    _builders.append(fn)


def build_scoped_world(a_pk: int, b_pk: int) -> World:
    counties = factories.make_counties()
    objects: dict[str, dict[str, Any]] = {"a": {}, "b": {}}
    for builder in _builders:
        objects["a"].update(builder(counties.a, a_pk, "甲"))
        objects["b"].update(builder(counties.b, b_pk, "乙"))
    return World(counties.a, counties.b, objects)


def _ballots(j: Jurisdiction, pk: int, tag: str) -> dict[str, Any]:
    from xuanren.ballots.testing import scoped_poll

    return scoped_poll(j, pk, tag)


register_builder(_ballots)


def _record(j: Jurisdiction, pk: int, tag: str) -> dict[str, Any]:
    from xuanren.record.testing import build_record_world

    return build_record_world(j, pk, tag)


register_builder(_record)


def _campaigns(j: Jurisdiction, pk: int, tag: str) -> dict[str, Any]:
    from xuanren.testing.campaign_world import build_campaign_world

    return build_campaign_world(j, pk, tag)


register_builder(_campaigns)


def _supervision(j: Jurisdiction, pk: int, tag: str) -> dict[str, Any]:
    from xuanren.supervision.testing import scoped_complaint

    return scoped_complaint(j, pk, tag)


register_builder(_supervision)
