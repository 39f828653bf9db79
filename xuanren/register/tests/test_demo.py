"""The demo county: deterministic, valid, and shaped like a real register."""

from __future__ import annotations

from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from xuanren.accounts import totp
from xuanren.accounts.models import User
from xuanren.accounts.roles import ROLES
from xuanren.record.models import Entry
from xuanren.register import demo, idnumber
from xuanren.register.choices import Gender
from xuanren.register.models import Cadre, FamilyMember, HeadcountQuota, PostHolding, Unit
from xuanren.testing import factories
from xuanren.testing.factories import PASSWORD

TODAY = date(2026, 11, 20)
SIZE = 150


def _plan(seed: int = 7, size: int = SIZE) -> demo.CountyPlan:
    county = demo.plan_county(seed, demo.MAIN_COUNTY[0], demo.MAIN_UNITS, size, min_units=8)
    demo.plan_careers(county, TODAY)
    return county


def _fingerprint(county: demo.CountyPlan) -> list[tuple[object, ...]]:
    return [
        (c.name, c.id_number, c.birth_date, c.work_start_date, c.party_join_date, c.current_title,
         [(h.start, h.end, h.title) for h in c.holdings], [(f.relation, f.name) for f in c.family])
        for c in county.cadres
    ]  # fmt: skip


def test_the_same_seed_gives_the_same_people() -> None:
    assert _fingerprint(_plan(7)) == _fingerprint(_plan(7))


def test_another_seed_gives_other_people() -> None:
    assert [c.id_number for c in _plan(7).cadres] != [c.id_number for c in _plan(8).cadres]


def test_names_and_id_numbers_do_not_depend_on_today() -> None:
    a = demo.plan_county(7, demo.MAIN_COUNTY[0], demo.MAIN_UNITS, SIZE, min_units=8)
    b = demo.plan_county(7, demo.MAIN_COUNTY[0], demo.MAIN_UNITS, SIZE, min_units=8)
    demo.plan_careers(a, TODAY)
    demo.plan_careers(b, date(2027, 3, 1))
    assert [(c.name, c.id_number) for c in a.cadres] == [(c.name, c.id_number) for c in b.cadres]


def test_id_numbers_are_valid_unique_and_agree_with_birth_and_gender() -> None:
    cadres = _plan(size=1500).cadres
    assert len({c.id_number for c in cadres}) == len(cadres)
    for c in cadres:
        parsed = idnumber.parse(c.id_number, today=TODAY)
        assert parsed.birth_date == c.birth_date
        assert parsed.is_male == (c.gender == Gender.MALE)
        assert date(1966, 1, 1) <= c.birth_date <= date(1998, 12, 31)


def test_the_register_looks_like_a_county() -> None:
    cadres = _plan(size=1500).cadres
    women = sum(c.female for c in cadres) / len(cadres)
    assert 0.22 <= women <= 0.32
    ethnicities = Counter(c.ethnicity for c in cadres)
    assert ethnicities["汉族"] > 1300
    assert {"回族", "藏族", "裕固族"} <= set(ethnicities)
    assert all(2 <= len(c.name) <= 4 for c in cadres)


def test_careers_are_consistent() -> None:
    for c in _plan(size=600).cadres:
        assert 2 <= len(c.holdings) <= 6, c.name
        assert c.holdings[0].start == c.work_start_date
        assert [h.end for h in c.holdings].count(None) == 1 and c.holdings[-1].end is None
        for before, after in zip(c.holdings, c.holdings[1:], strict=False):
            assert before.end is not None and before.start <= before.end < after.start
        ranks = [h.rank for h in c.holdings]
        order = {"keyuan": 0, "fuke": 1, "zhengke": 2}
        assert ranks == sorted(ranks, key=order.__getitem__), c.name
        assert c.holdings[-1].rank == c.rank
        assert [r for r, _ in c.rank_records] == sorted({*ranks, "keyuan"}, key=order.__getitem__)
        assert c.holdings[-1].start <= TODAY
        assert all(TODAY.year - 5 <= y < TODAY.year for y, _ in c.assessments)


@pytest.mark.django_db
def test_build_writes_a_consistent_register() -> None:
    summary = demo.build_demo(seed=11, size=SIZE, today=TODAY)
    county = demo.MAIN_COUNTY[0]
    cadres = Cadre.objects.filter(jurisdiction__code=county)
    assert cadres.count() == summary.cadres == SIZE
    assert (
        Cadre.objects.filter(jurisdiction__code=demo.SECOND_COUNTY[0]).count()
        == summary.second_county_cadres
        > 0
    )
    assert all(idnumber.is_valid(n) for n in cadres.values_list("id_number", flat=True))

    # One open holding per post at most, and at least one post with none (a vacancy).
    per_post = Counter(
        PostHolding.objects.filter(end__isnull=True, post__isnull=False).values_list("post", flat=True)
    )
    assert max(per_post.values()) == 1
    units = Unit.objects.filter(jurisdiction__code=county).annotate(
        posts_n=Count("posts", distinct=True),
        held=Count("posts__holdings", filter=Q(posts__holdings__end__isnull=True), distinct=True),
    )
    assert summary.vacancies > 0
    assert sum(u.posts_n - u.held for u in units) == summary.vacancies

    # Headcount used never exceeds the approved number, except in the unit kept deliberately over.
    used = Counter(
        PostHolding.objects.filter(end__isnull=True, post__unit__jurisdiction__code=county).values_list(
            "post__unit__name", "post__rank"
        )
    )
    approved = {
        (q.unit.name, q.rank): q.approved
        for q in HeadcountQuota.objects.filter(unit__in=units).select_related("unit")
    }
    over = {unit for (unit, rank), n in used.items() if n > approved.get((unit, rank), 0)}
    assert over == set(summary.over_quota_units) and len(over) == 1
    for name in summary.full_units:
        assert all(used[(name, rank)] == n for (unit, rank), n in approved.items() if unit == name)

    # Relatives who are themselves registered cadres are linked, and the link is mutual for couples.
    linked = FamilyMember.objects.filter(relative_cadre__isnull=False).select_related(
        "cadre", "relative_cadre"
    )
    assert linked.exists()
    for member in linked:
        assert member.name == member.relative_cadre.name
        if member.relation in ("妻子", "丈夫"):
            assert member.relative_cadre.family.filter(relative_cadre=member.cadre).exists()

    # The ids the build handed out by itself do not collide with the next cadre's.
    assert factories.make_cadre(Cadre.objects.first().jurisdiction, "新干部").pk > max(
        Cadre.objects.exclude(name="新干部").values_list("pk", flat=True)
    )

    entries = Entry.objects.filter(action="demo_built")
    assert entries.count() == 1
    assert entries.get().payload["seed"] == 11 and entries.get().payload["cadres"] == SIZE


@pytest.mark.django_db
def test_every_role_has_a_demo_user_with_a_fixed_secret() -> None:
    demo.build_demo(seed=11, size=40, today=TODAY)
    users = User.objects.filter(username__in=[s.username for s in demo.STAFF]).prefetch_related("groups")
    assert {r.code for u in users for r in ROLES if r.code in u.role_codes} == {r.code for r in ROLES}
    assert sum(u.has_role("committee_member") for u in users) == 11
    for user in users:
        assert user.check_password(PASSWORD)
        assert user.totp_confirmed and len(user.totp_secret) == 32
        assert user.totp_secret == demo.totp_secret_for(11, user.username)
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="minle_ganbuke").jurisdiction.code == demo.SECOND_COUNTY[0]


@pytest.mark.django_db
def test_demo_if_absent_is_idempotent() -> None:
    out = StringIO()
    call_command("demo", "--size", "40", "--seed", "3", stdout=out)
    assert "演示数据已生成" in out.getvalue()
    assert "纪委见证方已联署" in out.getvalue()
    from xuanren.record.selectors import latest_checkpoint, latest_witnessed_checkpoint

    witnessed = latest_witnessed_checkpoint()  # the record's pages show the demo's record as witnessed
    assert witnessed is not None and witnessed == latest_checkpoint()
    before = (Cadre.objects.count(), Entry.objects.count(), User.objects.count())
    out = StringIO()
    call_command("demo", "--if-absent", "--size", "40", stdout=out)
    assert "已存在" in out.getvalue()
    assert (Cadre.objects.count(), Entry.objects.count(), User.objects.count()) == before


@pytest.mark.django_db
def test_demo_logins_lists_every_role_with_its_current_code() -> None:
    call_command("demo", "--size", "40", "--seed", "3", stdout=StringIO())
    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    for role in ROLES:
        assert role.title in text
    shuji = User.objects.get(username="shuji")
    assert shuji.totp_secret in text
    assert PASSWORD in text and "http://127.0.0.1:8000/accounts/login/" in text
    before = totp.current_code(shuji.totp_secret)
    code = StringIO()
    call_command("totp", "shuji", stdout=code)
    assert code.getvalue().strip() in {before, totp.current_code(shuji.totp_secret)}


@pytest.mark.django_db
def test_demo_logins_never_prints_a_secret_that_is_not_the_demo_one() -> None:
    call_command("demo", "--size", "40", "--seed", "3", stdout=StringIO())
    User.objects.filter(username="admin").update(totp_secret=totp.new_secret())
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert User.objects.get(username="admin").totp_secret not in out.getvalue()
    assert "shuji" in out.getvalue()
