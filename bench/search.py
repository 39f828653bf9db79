"""Cadre search over a 100,000-cadre county: the real selector beside a hand-written indexed query.

The register is the demo county built at ``--param size=N`` (default 100,000) with a fixed seed
and a fixed "today", kept in the bench database and reused while seed and size match.
``--param repeats=N`` times the whole mix N times (default 3).

Each search is what the cadre list page does for a county's cadre-section officer (``ganbuke``):
``selectors.cadre_list(...)`` for that user, then the first page of 50 rows with the total count
(two queries), rows materialised with their unit. The mix:

- pinyin initials, 2 and 3 letters (``zw``, ``zwq``), and initials with a rank filter;
- a full name, and a surname with the first given character;
- the first 10 and the first 14 digits of an ID number;
- filters only: a unit; rank and age; gender and rank; rank and years in post; none at all (the
  list as first opened).

Beside each one, in the same run and on the same data, the same search written by hand as SQL on
a raw cursor: scope by the jurisdiction's id, prefix matches written the way the database's
indexes serve them (a range on SQLite, ``LIKE 'x%'`` on PostgreSQL), only the columns the page
shows. It is the floor the selector is measured against.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from bench.harness import Context, Result, StaleDatabase, percentile

SEED = 2026
SIZE = 100_000
TODAY = date(2026, 11, 20)  # fixed, so a kept database gives the same searches every day
TARGET_MS = 50.0
PAGE_SIZE = 50
SAMPLES_PER_KIND = 10
REPEATS = 3


@dataclass(frozen=True)
class Search:
    kind: str
    filters: Any  # selectors.CadreFilters


def ensure_demo(ctx: Context, size: int) -> str:
    """Build the demo county unless the bench database already holds this seed and size."""
    from django.db import DatabaseError

    from xuanren.record.models import Entry
    from xuanren.register import demo
    from xuanren.register.models import Cadre

    try:
        entry = Entry.objects.filter(action="demo_built").order_by("-seq").first()
    except DatabaseError as exc:  # a table changed under a migration edited in place
        raise StaleDatabase(f"the kept bench database no longer matches the models ({exc})") from exc
    if entry is not None:
        p = entry.payload
        expected = p.get("cadres", -1) + p.get("second_county_cadres", -1)
        if p.get("seed") == SEED and p.get("size") == size and Cadre.objects.count() == expected:
            return f"reused the kept {size:,}-cadre demo"
    if entry is not None or Cadre.objects.exists():
        raise StaleDatabase(f"the bench database holds other data than the {size:,}-cadre demo")
    ctx.log(f"building the {size:,}-cadre demo county (kept for later runs)")
    started = time.monotonic()
    demo.build_demo(seed=SEED, size=size, today=TODAY)
    built = time.monotonic() - started
    _analyze(ctx)
    return f"built the {size:,}-cadre demo in {built:.0f} s"


def _analyze(ctx: Context) -> None:
    """Fresh planner statistics, as PostgreSQL's autovacuum would have after a bulk load."""
    from django.db import connection

    if ctx.db == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def searches(size: int) -> list[Search]:
    """A realistic, deterministic mix drawn from the register itself."""
    from xuanren.register import demo
    from xuanren.register.models import Cadre, Unit
    from xuanren.register.selectors import CadreFilters

    rng = random.Random(SEED)
    county = demo.MAIN_COUNTY[0]
    ids = list(Cadre.objects.filter(jurisdiction__code=county).order_by("id").values_list("id", flat=True))
    people = list(
        Cadre.objects.filter(id__in=rng.sample(ids, min(len(ids), 4 * SAMPLES_PER_KIND))).order_by("id")
    )
    units = list(Unit.objects.filter(jurisdiction__code=county).order_by("id").values_list("id", flat=True))
    three = [c for c in people if len(c.name_initials) >= 3] or people
    out: list[Search] = []
    for i in range(SAMPLES_PER_KIND):
        c = people[i % len(people)]
        d = people[(i + SAMPLES_PER_KIND) % len(people)]
        out += [
            Search("拼音首字母（2 位）", CadreFilters(q=c.name_initials[:2])),
            Search("拼音首字母（3 位）", CadreFilters(q=three[i % len(three)].name_initials[:3])),
            Search("拼音首字母 + 职级", CadreFilters(q=d.name_initials[:2], rank="fuke")),
            Search("姓名", CadreFilters(q=c.name)),
            Search("姓 + 名的首字", CadreFilters(q=d.name[:2])),
            Search("身份证号前 10 位", CadreFilters(q=c.id_number[:10])),
            Search("身份证号前 14 位", CadreFilters(q=d.id_number[:14])),
            Search("单位", CadreFilters(unit=rng.choice(units))),
            Search("职级 + 年龄", CadreFilters(rank="fuke", age_min=35 + i % 3, age_max=45 + i % 4)),
            Search(
                "性别 + 职级", CadreFilters(gender=rng.choice("MF"), rank=rng.choice(("fuke", "zhengke")))
            ),
            Search("职级 + 任现职年限", CadreFilters(rank="zhengke", years_in_post_min=3 + i % 5)),
            Search("无条件（列表首页）", CadreFilters()),
        ]
    return out


# --- the two ways of running a search --------------------------------------------------------


def via_selector(user: Any, search: Search) -> tuple[int, list[int]]:
    from django.core.paginator import Paginator

    from xuanren.register.selectors import cadre_list

    page = Paginator(cadre_list(user, search.filters, TODAY), PAGE_SIZE).page(1)
    rows = list(page.object_list)
    for row in rows:
        _ = row.unit.name if row.unit else ""
    return page.paginator.count, [r.pk for r in rows]


def _upper_bound(prefix: str) -> str:
    """The smallest string above every string that starts with ``prefix`` (code-point order)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


class HandWritten:
    """The same searches as plain SQL, shaped for the indexes of one database."""

    COLUMNS = (
        "c.id, c.name, c.gender, c.birth_date, c.ethnicity, c.id_number, c.current_title, "
        "c.current_rank, c.post_since, c.unit_id, u.name"
    )

    def __init__(self, vendor: str, jurisdiction_ids: list[int]) -> None:
        self.vendor = vendor
        self.scope = jurisdiction_ids

    def _prefix(self, column: str, value: str) -> tuple[str, list[Any]]:
        if self.vendor == "postgresql":
            escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            return f"{column} LIKE %s", [escaped + "%"]
        # SQLite's LIKE is case-insensitive and cannot use an ordinary index: a range can.
        return f"({column} >= %s AND {column} < %s)", [value, _upper_bound(value)]

    def where(self, search: Search) -> tuple[str, list[Any]]:
        from xuanren.register.selectors import _ASCII_LETTERS, _ID_LIKE, years_before

        f = search.filters
        marks = ", ".join(["%s"] * len(self.scope))
        conditions, params = [f"c.jurisdiction_id IN ({marks})"], list(self.scope)

        def add(sql: str, values: list[Any]) -> None:
            conditions.append(sql)
            params.extend(values)

        if f.q:
            if _ID_LIKE.match(f.q):
                add(*self._prefix("c.id_number", f.q.upper()))
            elif _ASCII_LETTERS.match(f.q):
                a, pa = self._prefix("c.name_initials", f.q.lower())
                b, pb = self._prefix("c.name_pinyin", f.q.lower())
                add(f"({a} OR {b})", pa + pb)
            else:
                add(*self._prefix("c.name", f.q))
        if f.unit:
            add("c.unit_id = %s", [f.unit])
        if f.rank:
            add("c.current_rank = %s", [f.rank])
        if f.gender:
            add("c.gender = %s", [f.gender])
        if f.age_min is not None:
            add("c.birth_date <= %s", [years_before(TODAY, f.age_min)])
        if f.age_max is not None:
            add("c.birth_date > %s", [years_before(TODAY, f.age_max + 1)])
        if f.years_in_post_min is not None:
            add("c.post_since <= %s", [years_before(TODAY, f.years_in_post_min)])
        return " AND ".join(conditions), params

    def run(self, search: Search) -> tuple[int, list[int]]:
        from django.db import connection

        where, params = self.where(search)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM register_cadre c WHERE {where}", params)
            (count,) = cursor.fetchone()
            cursor.execute(
                f"SELECT {self.COLUMNS} FROM register_cadre c LEFT JOIN register_unit u ON u.id = c.unit_id "
                f"WHERE {where} ORDER BY c.id LIMIT {PAGE_SIZE}",
                params,
            )
            rows = cursor.fetchall()
        return count, [r[0] for r in rows]

    def explain(self, search: Search) -> str:
        from django.db import connection

        where, params = self.where(search)
        prefix = "EXPLAIN QUERY PLAN" if self.vendor == "sqlite" else "EXPLAIN"
        with connection.cursor() as cursor:
            cursor.execute(f"{prefix} SELECT COUNT(*) FROM register_cadre c WHERE {where}", params)
            return "\n".join(" ".join(map(str, row)) for row in cursor.fetchall())


# --- the benchmark ---------------------------------------------------------------------------


def run(ctx: Context) -> list[Result]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from xuanren.accounts.models import Jurisdiction, User

    size = ctx.param("size", SIZE)
    repeats = ctx.param("repeats", REPEATS)
    how = ensure_demo(ctx, size)
    user = User.objects.select_related("jurisdiction").get(username="ganbuke")
    assert user.jurisdiction is not None
    scope = list(
        Jurisdiction.objects.filter(path__startswith=user.jurisdiction.path).values_list("id", flat=True)
    )
    hand = HandWritten(ctx.db, scope)
    mix = searches(size)

    # One warm-up pass; it also checks that both give the same rows and the page runs two queries.
    mismatched, queries = set(), 0
    for search in mix:
        with CaptureQueriesContext(connection) as captured:
            mine = via_selector(user, search)
        queries = max(queries, len(captured.captured_queries))
        if mine != hand.run(search):
            mismatched.add(search.kind)

    selector_ms: dict[str, list[float]] = defaultdict(list)
    hand_ms: dict[str, list[float]] = defaultdict(list)
    ctx.log(f"timing {len(mix)} searches x {repeats}")
    for _ in range(repeats):
        for search in mix:
            t0 = time.perf_counter()
            via_selector(user, search)
            t1 = time.perf_counter()
            hand.run(search)
            t2 = time.perf_counter()
            selector_ms[search.kind].append((t1 - t0) * 1000)
            hand_ms[search.kind].append((t2 - t1) * 1000)

    all_selector = [t for ts in selector_ms.values() for t in ts]
    all_hand = [t for ts in hand_ms.values() for t in ts]
    worst = sorted(selector_ms, key=lambda k: -percentile(selector_ms[k], 95))
    per_kind = "; ".join(
        f"{k} {percentile(selector_ms[k], 95):.1f}/{percentile(hand_ms[k], 95):.1f}" for k in worst
    )
    note = (
        f"{how}; {len(mix)} searches x {repeats}, first page of {PAGE_SIZE} with the count, "
        f"{queries} queries per page; p95 ms by kind, selector/hand-written: {per_kind}"
    )
    if mismatched:
        note += f"; results differ from the hand-written query for: {', '.join(sorted(mismatched))}"
    name = f"cadre search p95 ({size:,} cadres)"
    return [
        Result(
            name,
            ctx.db,
            percentile(all_selector, 95),
            "ms",
            TARGET_MS,
            "hand-written SQL p95",
            percentile(all_hand, 95),
            note,
        ),
        Result(
            f"cadre search p50 ({size:,} cadres)",
            ctx.db,
            percentile(all_selector, 50),
            "ms",
            None,
            "hand-written SQL p50",
            percentile(all_hand, 50),
        ),
    ]
