"""Builders for tests and the demo: jurisdictions, staff users of each role, and register objects."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from typing import Any

from xuanren.accounts import totp
from xuanren.accounts.models import Jurisdiction, User
from xuanren.accounts.roles import group_for
from xuanren.register import idnumber, names
from xuanren.register.choices import Education, Gender, PostRole, Rank, UnitType
from xuanren.register.models import Cadre, HeadcountQuota, Post, PostHolding, Unit

PASSWORD = "Xuanren-demo-2026"
_seq = itertools.count(1)


@dataclass
class Counties:
    province: Jurisdiction
    city: Jurisdiction
    a: Jurisdiction
    b: Jurisdiction


def jurisdiction(code: str, name: str, level: str, parent: Jurisdiction | None = None) -> Jurisdiction:
    obj, _ = Jurisdiction.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent}
    )
    return obj


def make_counties() -> Counties:
    province = jurisdiction("620000", "甘肃省", Jurisdiction.Level.PROVINCE)
    city = jurisdiction("620700", "张掖市", Jurisdiction.Level.CITY, province)
    a = jurisdiction("620723", "临泽县", Jurisdiction.Level.COUNTY, city)
    b = jurisdiction("620722", "民乐县", Jurisdiction.Level.COUNTY, city)
    return Counties(province, city, a, b)


def make_user(
    *roles: str,
    jurisdiction: Jurisdiction | None = None,
    username: str | None = None,
    display_name: str = "",
    superuser: bool = False,
) -> User:
    username = username or f"user{next(_seq)}"
    user = User(
        username=username,
        display_name=display_name or username,
        jurisdiction=jurisdiction,
        is_superuser=superuser,
        is_staff=superuser,
        totp_secret=totp.new_secret(),
        totp_confirmed=True,
    )
    user.set_password(PASSWORD)
    user.save()
    for code in roles:
        user.groups.add(group_for(code))
    return user


def login_with_2fa(client: Any, user: User) -> None:
    """Walk the real login: password form, then the TOTP form with the current code."""
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "password step failed"
    user.refresh_from_db()
    code = totp.current_code(user.totp_secret)
    # A code already used (same 30 s step) is refused as a replay; tests reuse users, so reset.
    User.objects.filter(pk=user.pk).update(totp_last_step=0)
    response = client.post("/accounts/otp/", {"code": code})
    assert response.status_code == 302, "TOTP step failed"


def make_unit(j: Jurisdiction, name: str = "", unit_type: str = UnitType.GOV_DEPT, **quotas: int) -> Unit:
    unit = Unit.objects.create(jurisdiction=j, name=name or f"单位{next(_seq)}", unit_type=unit_type)
    for rank, approved in quotas.items():
        HeadcountQuota.objects.create(unit=unit, rank=rank, approved=approved)
    return unit


def make_post(unit: Unit, title: str = "", rank: str = Rank.FUKE, role: str = PostRole.DEPUTY) -> Post:
    return Post.objects.create(unit=unit, title=title or f"职位{next(_seq)}", rank=rank, role=role)


def make_cadre(
    j: Jurisdiction,
    name: str = "张三",
    *,
    unit: Unit | None = None,
    birth: date = date(1985, 6, 15),
    gender: str = Gender.MALE,
    rank: str = Rank.FUKE,
    **extra: Any,
) -> Cadre:
    n = next(_seq)
    keys = names.name_keys(name)
    fields: dict[str, Any] = {
        "jurisdiction": j,
        "unit": unit,
        "name": name,
        "name_pinyin": keys.full,
        "name_initials": keys.initials,
        "gender": gender,
        "birth_date": birth,
        "id_number": idnumber.make_id(j.code, birth, (n % 499) * 2 + (1 if gender == Gender.MALE else 2)),
        "work_start_date": date(birth.year + 22, 7, 1),
        "fulltime_education": Education.BACHELOR,
        "current_rank": rank,
        "rank_since": date(2020, 1, 1),
    }
    fields.update(extra)
    return Cadre.objects.create(**fields)


def hold(cadre: Cadre, post: Post, start: date = date(2020, 1, 1)) -> PostHolding:
    return PostHolding.objects.create(
        cadre=cadre, post=post, organization=post.unit.name, title=post.title, rank=post.rank, start=start
    )
