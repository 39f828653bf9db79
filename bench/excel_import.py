"""Excel roster import of 10,000 rows (target: under 20 s), with its floor measured beside it.

- ``roster import``: ``actions.import_roster`` on a 10,000-row workbook — every cell checked, ID
  numbers validated, pinyin keys derived, duplicates looked up, all rows inserted in one
  transaction with one record entry.
- baseline ``read + bulk insert``: the same file read with openpyxl and inserted with
  ``bulk_create`` as it stands, with no checks at all: what any import must pay.
- ``roster import, every row wrong``: the same file with an error in each row, so the time to
  check and report 10,000 errors (nothing is saved).
- ``roster export``: the 10,000 cadres written back to .xlsx (no target; for reference).

Options: ``--param rows=N`` (default 10000).
"""

from __future__ import annotations

import io
import time
from datetime import date, timedelta
from typing import Any

from openpyxl import Workbook, load_workbook

from bench.harness import Context, Result

TARGET_SECONDS = 20.0
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌海燕鹏辉晓东云飞凤琴宏波宁亮"


def _rows(n: int, region: str) -> list[list[Any]]:
    from xuanren.register import excel, idnumber

    headers = [c.header for c in excel.ROSTER_COLUMNS]
    out: list[list[Any]] = [headers]
    for i in range(n):
        birth = date(1962, 1, 1) + timedelta(days=(i // 1000) * 1100 + i % 7)
        seq = i % 1000
        name = (
            SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)] + GIVEN[(i * 13) % len(GIVEN)][: i % 2]
        )
        row = {
            "序号": str(i + 1),
            "姓名": name,
            "性别": "男" if seq % 2 else "女",
            "民族": "汉族" if i % 9 else "回族",
            "出生日期": f"{birth:%Y.%m.%d}",
            "籍贯": "甘肃临泽",
            "出生地": "甘肃临泽",
            "公民身份号码": idnumber.make_id(region, birth, seq),
            "政治面貌": "中共党员",
            "入党时间": f"{birth.year + 23}.{1 + i % 12:02d}",
            "参加工作时间": f"{birth.year + 22}.07",
            "健康状况": "健康",
            "全日制学历": "大学本科",
            "全日制学位": "学士",
            "全日制毕业院校系及专业": "兰州大学经济学专业",
            "工作单位": f"基准单位{i % 40 + 1}",
            "现任职务": "科员" if i % 3 else "副主任",
            "现职级": "科员" if i % 3 else "副科级",
            "任现职时间": f"{birth.year + 30}.03",
            "任现职级时间": f"{birth.year + 28}.03",
        }
        out.append([row.get(h, "") for h in headers])
    return out


def _xlsx(rows: list[list[Any]]) -> bytes:
    """A workbook laid out as Excel saves one (shared strings, a <dimension> element)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "干部名册"
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _setup() -> tuple[Any, Any]:
    from xuanren.accounts.models import User
    from xuanren.accounts.roles import group_for
    from xuanren.register.models import Cadre, Unit
    from xuanren.testing import factories

    county = factories.make_counties().a
    for n in range(1, 41):
        Unit.objects.get_or_create(
            jurisdiction=county, name=f"基准单位{n}", defaults={"unit_type": "gov_dept"}
        )
    user, created = User.objects.get_or_create(username="bench-excel", defaults={"jurisdiction": county})
    if created:
        user.groups.add(group_for("cadre_officer"))
    Cadre.objects.filter(jurisdiction=county).delete()
    return user, county


def _baseline(content: bytes, county: Any) -> float:
    """Read every row with openpyxl and insert it verbatim: the floor of any import."""
    from xuanren.register.models import Cadre

    start = time.perf_counter()
    wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    rows = wb["干部名册"].iter_rows(values_only=True)
    next(rows)
    cadres = [
        Cadre(
            jurisdiction=county,
            name=r[1],
            name_pinyin="",
            name_initials="",
            gender="M",
            ethnicity=r[3],
            birth_date=date(1970, 1, 1),
            native_place=r[5],
            birthplace=r[6],
            id_number=r[7],
            work_start_date=date(1990, 7, 1),
        )
        for r in rows
    ]
    wb.close()
    Cadre.objects.bulk_create(cadres, batch_size=1000)
    elapsed = time.perf_counter() - start
    Cadre.objects.filter(jurisdiction=county).delete()
    return elapsed


def run(ctx: Context) -> list[Result]:
    from xuanren.register import actions, excel
    from xuanren.register.models import Cadre

    n = ctx.param("rows", 10_000)
    user, county = _setup()
    rows = _rows(n, county.code)
    content = _xlsx(rows)
    ctx.log(f"{n} rows, {len(content) / 1024 / 1024:.1f} MiB")

    baseline = _baseline(content, county)
    ctx.log(f"baseline {baseline:.2f} s")

    start = time.perf_counter()
    result = actions.import_roster(
        acting_user=user, jurisdiction=county, file_name="bench.xlsx", content=content, today=date.today()
    )
    elapsed = time.perf_counter() - start
    assert result.counts["created"] == n, result.counts
    ctx.log(f"import {elapsed:.2f} s")

    start = time.perf_counter()
    excel.roster_workbook(
        Cadre.objects.filter(jurisdiction=county).select_related("unit").iterator(chunk_size=2000),
        mask_ids=False,
    )
    exported = time.perf_counter() - start
    ctx.log(f"export {exported:.2f} s")

    # Every row now clashes with the register (its ID number is taken) and has a bad date.
    id_col = rows[0].index("公民身份号码")
    date_col = rows[0].index("参加工作时间")
    wrong = [rows[0]] + [[*r[:date_col], "2005.13", *r[date_col + 1 :]] for r in rows[1:]]
    assert all(w[id_col] == r[id_col] for w, r in zip(wrong, rows, strict=True))
    bad = _xlsx(wrong)
    start = time.perf_counter()
    try:
        actions.import_roster(
            acting_user=user, jurisdiction=county, file_name="bad.xlsx", content=bad, today=date.today()
        )
    except actions.RegisterError as error:
        reported = len(error.errors)
    else:
        raise AssertionError("the import of a wrong file was accepted")
    refused = time.perf_counter() - start
    ctx.log(f"refusal {refused:.2f} s, {reported} errors")
    Cadre.objects.filter(jurisdiction=county).delete()

    return [
        Result(
            name=f"Excel roster import, {n:,} rows",
            db=ctx.db,
            value=elapsed,
            unit="s",
            target=TARGET_SECONDS,
            baseline_name="openpyxl read + bulk insert, no checks",
            baseline_value=baseline,
        ),
        Result(
            name=f"Excel roster import refused, {n:,} rows each wrong",
            db=ctx.db,
            value=refused,
            unit="s",
            target=TARGET_SECONDS,
            note=f"{reported:,} errors reported by row and column, nothing saved",
        ),
        Result(name=f"Excel roster export, {n:,} rows", db=ctx.db, value=exported, unit="s"),
    ]
