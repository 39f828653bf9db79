"""Reads for register pages, scoped by jurisdiction, with their joins decided here.

Each list runs a fixed number of queries however many rows it shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet

from xuanren.register.choices import RANK_ORDER, Rank
from xuanren.register.models import Cadre, HeadcountQuota, Post, PostHolding, Unit

_ID_LIKE = re.compile(r"^[0-9]{4,17}[0-9Xx]?$")
_ASCII_LETTERS = re.compile(r"^[A-Za-z]+$")


def years_before(today: date, years: int) -> date:
    """The same calendar day `years` earlier (Feb 29 falls back to Feb 28)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


@dataclass(frozen=True)
class CadreFilters:
    q: str = ""
    unit: int | None = None
    rank: str = ""
    gender: str = ""
    ethnicity: str = ""
    political_status: str = ""
    education: str = ""
    age_min: int | None = None
    age_max: int | None = None
    years_in_post_min: int | None = None

    @classmethod
    def from_query(cls, params: Any) -> CadreFilters:
        def as_int(name: str) -> int | None:
            raw = (params.get(name) or "").strip()
            return int(raw) if raw.isdigit() else None

        return cls(
            q=(params.get("q") or "").strip()[:40],
            unit=as_int("unit"),
            rank=params.get("rank") or "",
            gender=params.get("gender") or "",
            ethnicity=params.get("ethnicity") or "",
            political_status=params.get("political_status") or "",
            education=params.get("education") or "",
            age_min=as_int("age_min"),
            age_max=as_int("age_max"),
            years_in_post_min=as_int("years_in_post_min"),
        )


def starts_with(field: str, prefix: str) -> Q:
    """Rows whose ``field`` starts with ``prefix``, written so the column's index can serve it.

    PostgreSQL serves ``LIKE 'x%'`` from the pattern index Django adds to indexed text columns.
    SQLite's LIKE ignores ASCII case and so can use no ordinary index: it scans the table (about
    60 ms at 100,000 cadres, see bench/search.py). There the same rows are a range,
    ``prefix <= field < prefix with its last character incremented``, which is exact in SQLite's
    byte order and is served by the index. The columns searched this way hold Chinese, digits
    with an upper-case X, or lower-case pinyin, so LIKE's case-folding never mattered.
    """
    if connection.vendor == "sqlite" and prefix and ord(prefix[-1]) < 0x10FFFF:
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return Q(**{f"{field}__gte": prefix, f"{field}__lt": upper})
    return Q(**{f"{field}__startswith": prefix})


def search_condition(q: str) -> Q:
    """Name, pinyin initials, full pinyin or ID number: what the user typed decides which index serves."""
    if _ID_LIKE.match(q):
        return starts_with("id_number", q.upper())
    if _ASCII_LETTERS.match(q):
        low = q.lower()
        return starts_with("name_initials", low) | starts_with("name_pinyin", low)
    # A name is matched from its first character, as people type it (surname first): "张" finds
    # every 张, "张伟" finds 张伟 and 张伟强. A match inside the name ("伟强") needs a scan of the
    # whole register, 60 ms and more at 100,000 cadres (bench/search.py): cadre_list falls back
    # to it only when no name starts with what was typed.
    return starts_with("name", q)


def _is_name(q: str) -> bool:
    return not _ID_LIKE.match(q) and not _ASCII_LETTERS.match(q)


def cadre_list(user: Any, filters: CadreFilters, today: date) -> QuerySet[Cadre]:
    qs = Cadre.objects.visible_to(user).select_related("unit")
    if filters.q:
        found = qs.filter(search_condition(filters.q))
        if _is_name(filters.q) and not found.exists():
            # A given name typed alone ("伟强"): names containing it, as a scan of the register.
            found = qs.filter(name__contains=filters.q)
        qs = found
    if filters.unit:
        qs = qs.filter(unit_id=filters.unit)
    if filters.rank:
        qs = qs.filter(current_rank=filters.rank)
    if filters.gender:
        qs = qs.filter(gender=filters.gender)
    if filters.ethnicity:
        qs = qs.filter(ethnicity=filters.ethnicity)
    if filters.political_status:
        qs = qs.filter(political_status=filters.political_status)
    if filters.education:
        qs = qs.filter(Q(fulltime_education=filters.education) | Q(inservice_education=filters.education))
    if filters.age_min is not None:
        qs = qs.filter(birth_date__lte=years_before(today, filters.age_min))
    if filters.age_max is not None:
        # Age at most N: born after the day N+1 years ago.
        qs = qs.filter(birth_date__gt=years_before(today, filters.age_max + 1))
    if filters.years_in_post_min is not None:
        qs = qs.filter(post_since__lte=years_before(today, filters.years_in_post_min))
    return qs.order_by("id")


def cadre_detail_queryset(user: Any) -> QuerySet[Cadre]:
    return (
        Cadre.objects.visible_to(user)
        .select_related("unit", "jurisdiction")
        .prefetch_related("holdings", "assessments", "rewards_sanctions", "family", "rank_records")
    )


def units_with_counts(user: Any) -> QuerySet[Unit]:
    return (
        Unit.objects.visible_to(user)
        .select_related("jurisdiction")
        .annotate(
            post_count=Count("posts", distinct=True),
            held_count=Count("posts__holdings", filter=Q(posts__holdings__end__isnull=True), distinct=True),
        )
        .annotate(vacant_posts=F("post_count") - F("held_count"))
        .order_by("sort_order", "id")
    )


@dataclass(frozen=True)
class QuotaLine:
    rank: str
    rank_label: str
    approved: int
    used: int

    @property
    def vacancies(self) -> int:
        return self.approved - self.used

    @property
    def over(self) -> bool:
        return self.used > self.approved


def unit_posts(unit: Unit) -> list[Post]:
    """Posts of a unit with their current holder (one query for posts, one for open holdings)."""
    open_holdings = PostHolding.objects.filter(end__isnull=True).select_related("cadre")
    prefetch = Prefetch("holdings", queryset=open_holdings, to_attr="open_holdings")  # type: ignore[arg-type]
    return list(unit.posts.prefetch_related(prefetch))  # type: ignore[arg-type]


def quota_lines(unit: Unit, posts: list[Post]) -> list[QuotaLine]:
    """Approved headcount per rank against the posts currently held at that rank."""
    used: dict[str, int] = {}
    for post in posts:
        if getattr(post, "open_holdings", None):
            used[post.rank] = used.get(post.rank, 0) + 1
    quotas = {q.rank: q.approved for q in HeadcountQuota.objects.filter(unit=unit)}
    ranks = sorted(set(quotas) | set(used), key=lambda r: -RANK_ORDER[Rank(r)])
    return [QuotaLine(r, Rank(r).label, quotas.get(r, 0), used.get(r, 0)) for r in ranks]


def headcount_used(unit_id: int, rank: str) -> int:
    return PostHolding.objects.filter(post__unit_id=unit_id, post__rank=rank, end__isnull=True).count()


def headcount_approved(unit_id: int, rank: str) -> int:
    quota = HeadcountQuota.objects.filter(unit_id=unit_id, rank=rank).first()
    return quota.approved if quota else 0
