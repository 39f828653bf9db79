"""The demo county: a realistic register built deterministically from a seed.

临泽县 (620723) of 张掖市, 甘肃省, with about 40 units, 300 posts and 1,500 cadres at the default
size, and a small register for 民乐县 (620722) so that tenancy is visible. ``size`` scales units,
posts and cadres together; the benchmarks build 100,000 cadres.

Two halves:

- **the plan** (plain Python, no database): names, ID numbers, careers, families, who holds which
  post. Each cadre draws from its own random stream seeded by ``(seed, county, index)``, so the
  same seed always gives the same people, and a cadre's name, birth date and ID number do not
  depend on ``today`` (only the dates counted back from today do: posts, assessments, sanctions).
- **the build** (:func:`build_demo`): writes the plan with ``bulk_create`` in batches, one
  transaction, and appends one ``demo_built`` entry to the full-process record.

Staff users for every role get the demo password and a TOTP secret derived from the seed and the
username, so the printed demo logins stay valid across rebuilds.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import hmac
import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, models

from xuanren.accounts.models import Jurisdiction, User
from xuanren.accounts.roles import ROLE_BY_CODE
from xuanren.record import api as record
from xuanren.register import idnumber
from xuanren.register.choices import (
    AssessmentResult,
    Degree,
    Education,
    Gender,
    Health,
    PoliticalStatus,
    PostRole,
    Rank,
    UnitType,
)
from xuanren.register.models import (
    AnnualAssessment,
    Cadre,
    FamilyMember,
    HeadcountQuota,
    Post,
    PostHolding,
    RankRecord,
    RewardSanction,
    Unit,
)
from xuanren.register.names import name_keys
from xuanren.testing.factories import PASSWORD

__all__ = [
    "DEFAULT_SEED",
    "DEFAULT_SIZE",
    "MAIN_COUNTY",
    "SECOND_COUNTY",
    "STAFF",
    "DemoSummary",
    "StaffSpec",
    "build_demo",
    "built_seed",
    "demo_exists",
    "plan_county",
    "totp_secret_for",
]

DEFAULT_SEED = 2026
DEFAULT_SIZE = 1500
# The default size gives about 40 units; larger sizes repeat the unit list.
_UNITS_AT_DEFAULT_SIZE = 40
_BATCH = 1000
_CHUNK = 2000  # cadres planned and written at a time, to bound memory at 100,000 cadres


# ---------------------------------------------------------------------------------------------
# Places
# ---------------------------------------------------------------------------------------------

PROVINCE = ("620000", "甘肃省")
CITY = ("620700", "张掖市")
MAIN_COUNTY = ("620723", "临泽县")
SECOND_COUNTY = ("620722", "民乐县")

# ID numbers keep the region code in force when they were issued. 张掖 was a prefecture
# (张掖地区, 6222xx) until it became a city in 2002, so people born 1966-1998 carry the old codes.
# (native place as the forms write it, region code of the ID number, weight)
_ORIGINS: dict[str, tuple[tuple[str, str, int], ...]] = {
    MAIN_COUNTY[0]: (
        ("甘肃临泽", "622223", 70),
        ("甘肃张掖", "622201", 8),
        ("甘肃高台", "622224", 6),
        ("甘肃民乐", "622222", 4),
        ("甘肃山丹", "622225", 4),
        ("甘肃肃南", "622221", 3),
        ("甘肃武威", "622301", 3),
        ("甘肃兰州", "620102", 2),
    ),
    SECOND_COUNTY[0]: (
        ("甘肃民乐", "622222", 78),
        ("甘肃张掖", "622201", 8),
        ("甘肃山丹", "622225", 6),
        ("甘肃临泽", "622223", 4),
        ("甘肃肃南", "622221", 4),
    ),
}
_YUGUR_ORIGIN = ("甘肃肃南", "622221")

_VILLAGES = (
    "西关村", "东寨村", "新丰村", "五里墩村", "兰堡村", "化音村", "小屯村", "闸湾村",
    "合强村", "光明村", "三一村", "红沙村", "梨园村", "昭武村", "黄家湾村", "新庄村",
)  # fmt: skip


@dataclass(frozen=True)
class PostSpec:
    title: str
    rank: str
    role: str


@dataclass(frozen=True)
class UnitSpec:
    name: str
    unit_type: str
    posts: tuple[PostSpec, ...]
    head_noun: str  # 局长 / 主任 / 部长 ...: how careers elsewhere name this unit's posts

    def with_name(self, name: str) -> UnitSpec:
        return UnitSpec(name, self.unit_type, self.posts, self.head_noun)


ZK, FK = Rank.ZHENGKE.value, Rank.FUKE.value


def _town(name: str) -> UnitSpec:
    posts = (
        PostSpec("党委书记", ZK, PostRole.PARTY_HEAD),
        PostSpec("党委副书记、镇长", ZK, PostRole.GOV_HEAD),
        PostSpec("人大主席", ZK, PostRole.OTHER),
        PostSpec("党委副书记", FK, PostRole.DEPUTY),
        PostSpec("纪委书记", FK, PostRole.DISCIPLINE),
        PostSpec("组织委员", FK, PostRole.PERSONNEL),
        PostSpec("宣传委员", FK, PostRole.DEPUTY),
        PostSpec("政法委员", FK, PostRole.DEPUTY),
        PostSpec("武装部部长", FK, PostRole.DEPUTY),
        PostSpec("副镇长（分管农业农村）", FK, PostRole.DEPUTY),
        PostSpec("副镇长（分管经济发展）", FK, PostRole.DEPUTY),
        PostSpec("副镇长（分管社会事务）", FK, PostRole.DEPUTY),
        PostSpec("副镇长（分管城建环保）", FK, PostRole.DEPUTY),
        PostSpec("副镇长（分管文教卫生）", FK, PostRole.DEPUTY),
        PostSpec("人大副主席", FK, PostRole.DEPUTY),
        PostSpec("党委委员、统战委员", FK, PostRole.DEPUTY),
        PostSpec("副镇长（分管应急管理）", FK, PostRole.DEPUTY),
    )
    return UnitSpec(name, UnitType.TOWN, posts, "镇长")


def _dept(
    name: str,
    unit_type: str,
    head: str,
    deputies: Sequence[str],
    head_role: str = PostRole.GOV_HEAD,
    deputy_role: str = PostRole.DEPUTY,
    head_rank: str = ZK,
) -> UnitSpec:
    noun = head.split("、")[-1]
    posts = [PostSpec(head, head_rank, head_role)]
    for area in deputies:
        title = area if area.startswith(("副", "常务", "总")) else f"副{noun}（{area}）"
        posts.append(PostSpec(title, FK, deputy_role))
    return UnitSpec(name, unit_type, tuple(posts), noun)


_GOV_AREAS = ("综合", "业务", "执法", "项目", "改革", "安全", "监督", "应急")


def _gov(name: str, deputies: int, head: str = "党组书记、局长", **kw: Any) -> UnitSpec:
    return _dept(name, UnitType.GOV_DEPT, head, _GOV_AREAS[:deputies], **kw)


# Listed so that a small demo (the first N units) still has towns, party and government
# departments, a mass organization and an institution.
MAIN_UNITS: tuple[UnitSpec, ...] = (
    _town("沙河镇"),
    _dept("县委办公室", UnitType.PARTY_DEPT, "主任", ("综合", "督查", "信息", "保密"), PostRole.PARTY_HEAD),
    _gov("县财政局", 6, deputy_role=PostRole.FINANCE),
    _dept("县委组织部", UnitType.PARTY_DEPT, "常务副部长", ("副部长（干部）", "副部长（组织）", "副部长（人才）", "副部长（老干部）"),
          PostRole.PARTY_HEAD, PostRole.PERSONNEL),
    _town("新华镇"),
    _dept("团县委", UnitType.MASS_ORG, "书记", ("副书记",), PostRole.PARTY_HEAD),
    _dept("县融媒体中心", UnitType.INSTITUTION, "党委书记、主任", ("采编", "技术", "运营")),
    _gov("县教育局", 7),
    _town("蓼泉镇"),
    _dept("县纪委监委", UnitType.PARTY_DEPT, "副书记、监委副主任",
          ("常委（党风政风监督）", "常委（审查调查）", "常委（案件审理）", "派驻第一纪检监察组组长", "派驻第二纪检监察组组长"),
          PostRole.DISCIPLINE, PostRole.DISCIPLINE),
    _gov("县政府办公室", 6, head="党组书记、主任"),
    _gov("县审计局", 5, deputy_role=PostRole.AUDIT),
    _town("平川镇"),
    _dept("县委宣传部", UnitType.PARTY_DEPT, "常务副部长", ("副部长（文明办）", "副部长（网信办）", "副部长（新闻）"), PostRole.PARTY_HEAD),
    _gov("县发展和改革局", 7),
    _dept("县人大常委会办公室", UnitType.PEOPLES_CONGRESS, "主任", ("综合", "联络"), PostRole.OTHER),
    _town("板桥镇"),
    _gov("县公安局", 7, head="党委书记、局长"),
    _dept("县妇女联合会", UnitType.MASS_ORG, "主席", ("副主席",), PostRole.PARTY_HEAD),
    _gov("县农业农村局", 7),
    _town("鸭暖镇"),
    _dept("县委统战部", UnitType.PARTY_DEPT, "常务副部长", ("副部长（民族宗教）", "副部长（非公经济）", "副部长（统战联络）"), PostRole.PARTY_HEAD),
    _gov("县人力资源和社会保障局", 6),
    _dept("县政协办公室", UnitType.PEOPLES_CONGRESS, "主任", ("综合",), PostRole.OTHER),
    _town("倪家营镇"),
    _dept("县委政法委员会", UnitType.PARTY_DEPT, "常务副书记", ("副书记（综治）", "副书记（执法监督）", "副书记（维稳）"), PostRole.PARTY_HEAD),
    _gov("县卫生健康局", 6),
    _dept("县总工会", UnitType.MASS_ORG, "常务副主席", ("副主席",), PostRole.PARTY_HEAD),
    _gov("县自然资源局", 6),
    _dept("县委机构编制委员会办公室", UnitType.PARTY_DEPT, "主任", ("副主任",), PostRole.PARTY_HEAD),
    _gov("县住房和城乡建设局", 6),
    _dept("县人民医院", UnitType.INSTITUTION, "党委书记、院长", ("医疗", "行政", "护理", "后勤")),
    _gov("县民政局", 5),
    _dept("县直机关工作委员会", UnitType.PARTY_DEPT, "书记", ("副书记",), PostRole.PARTY_HEAD),
    _gov("县交通运输局", 5),
    _gov("县水务局", 6),
    _dept("县科学技术协会", UnitType.MASS_ORG, "主席", ("副主席",), PostRole.PARTY_HEAD),
    _gov("县文化体育广电和旅游局", 6),
    _gov("县市场监督管理局", 7),
    _gov("县司法局", 5),
)  # fmt: skip

SECOND_UNITS: tuple[UnitSpec, ...] = (
    _town("洪水镇"),
    _dept("县委组织部", UnitType.PARTY_DEPT, "常务副部长", ("副部长（干部）", "副部长（组织）"),
          PostRole.PARTY_HEAD, PostRole.PERSONNEL),
    _gov("县财政局", 4, deputy_role=PostRole.FINANCE),
    _town("六坝镇"),
    _gov("县农业农村局", 5),
    _town("新天镇"),
    _gov("县教育局", 4),
    _town("南古镇"),
)  # fmt: skip


# ---------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------


class _Weighted:
    """Values with weights, ready for repeated weighted draws."""

    __slots__ = ("cumulative", "values")

    def __init__(self, pairs: Sequence[tuple[str, int]]) -> None:
        self.values = [v for v, _ in pairs]
        self.cumulative = list(itertools.accumulate(w for _, w in pairs))

    def pick(self, rng: random.Random) -> str:
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


# Common surnames with rough weights (per mille of the population, national census order),
# 马 raised a little as in the 河西 corridor.
_SURNAMES = _Weighted((
    ("王", 71), ("李", 70), ("张", 68), ("刘", 54), ("陈", 45), ("杨", 31), ("赵", 23), ("黄", 22),
    ("周", 17), ("吴", 16), ("徐", 13), ("孙", 12), ("胡", 10), ("朱", 10), ("高", 10), ("林", 9),
    ("何", 9), ("郭", 9), ("马", 14), ("罗", 6), ("梁", 6), ("宋", 6), ("郑", 6), ("谢", 5),
    ("韩", 5), ("唐", 5), ("冯", 5), ("于", 5), ("董", 4), ("萧", 2), ("程", 4), ("曹", 4),
    ("袁", 4), ("邓", 4), ("许", 4), ("傅", 4), ("沈", 3), ("曾", 3), ("彭", 3), ("吕", 3),
    ("苏", 3), ("卢", 3), ("蒋", 3), ("蔡", 3), ("贾", 3), ("丁", 3), ("魏", 4), ("薛", 2),
    ("叶", 2), ("阎", 2), ("余", 2), ("潘", 2), ("杜", 2), ("戴", 2), ("夏", 2), ("钟", 2),
    ("汪", 2), ("田", 2), ("任", 2), ("姜", 2), ("范", 2), ("方", 2), ("石", 2), ("姚", 2),
    ("谭", 2), ("廖", 1), ("邹", 1), ("熊", 1), ("金", 1), ("陆", 1), ("郝", 1), ("孔", 1),
    ("白", 1), ("崔", 1), ("康", 1), ("毛", 1), ("邱", 1), ("秦", 1), ("江", 1), ("史", 1),
    ("顾", 1), ("侯", 1), ("邵", 1), ("孟", 1), ("龙", 1), ("万", 1), ("段", 1), ("雷", 1),
    ("钱", 1), ("汤", 1), ("尹", 1), ("常", 1), ("武", 1), ("乔", 1), ("贺", 1), ("龚", 1),
    ("单", 1), ("盖", 1), ("欧阳", 1), ("司马", 1),
))  # fmt: skip
_HUI_SURNAMES = _Weighted(
    (
        ("马", 40),
        ("丁", 8),
        ("杨", 8),
        ("白", 6),
        ("沙", 4),
        ("哈", 3),
        ("穆", 3),
        ("冶", 3),
        ("海", 2),
    )
)
_YUGUR_SURNAMES = _Weighted((("安", 10), ("贺", 8), ("兰", 6), ("杜", 5), ("钟", 5), ("妥", 4), ("郎", 3)))
_MALE_CHARS = (
    "伟强军磊勇杰涛斌明辉刚鹏华建国平峰波龙林亮超海俊飞宏文志忠新永成兵东锋旭春宁鑫浩宇博睿毅健荣"
    "祥德福庆立学瑞江山武彦振兴昌喜生云贵天元彬帅军红"
)
_FEMALE_CHARS = "芳娟敏静丽艳玲霞燕红梅琴莉萍娜雪婷慧洁琳晶颖倩蓉兰英华秀凤丹佳悦璐瑶欣月茜薇晓春雯玉"
_TIBETAN_MALE = (
    "才让",
    "扎西",
    "多杰",
    "旦增",
    "索南",
    "东智",
    "加措",
    "贡保",
    "更登",
    "华旦",
    "尼玛",
    "仁青",
)
_TIBETAN_FEMALE = ("卓玛", "拉毛", "措毛", "德吉", "央金", "卓嘎", "曲珍", "才吉")
# Share of each ethnicity in the demo (per mille); 临泽 is mostly Han with Hui, Tibetan and
# Yugur neighbours (肃南 is the Yugur autonomous county next door).
_ETHNICITIES = _Weighted(
    (
        ("汉族", 950),
        ("回族", 20),
        ("藏族", 10),
        ("裕固族", 10),
        ("蒙古族", 5),
        ("土族", 3),
        ("满族", 2),
    )
)

_UNIVERSITIES = (
    "兰州大学", "西北师范大学", "兰州交通大学", "兰州理工大学", "甘肃农业大学", "兰州财经大学",
    "西北民族大学", "河西学院", "陇东学院", "天水师范学院", "甘肃政法大学", "兰州城市学院",
    "西北农林科技大学", "陕西师范大学", "兰州文理学院",
)  # fmt: skip
_COLLEGES = (
    "河西学院",
    "张掖师范高等专科学校",
    "甘肃林业职业技术学院",
    "甘肃农业职业技术学院",
    "兰州石化职业技术学院",
)
_SECONDARY = ("张掖师范学校", "甘肃省农业学校", "张掖卫生学校", "张掖地区财贸学校", "甘肃省水利水电学校")
_MAJORS = (
    "汉语言文学", "法学", "行政管理", "农学", "会计学", "计算机科学与技术", "经济学", "思想政治教育",
    "土木工程", "历史学", "英语", "数学与应用数学", "动物医学", "水利水电工程", "临床医学",
    "公共事业管理", "财务管理", "新闻学", "农林经济管理", "环境工程",
)  # fmt: skip
_PARTY_SCHOOLS = ("中央党校函授学院", "甘肃省委党校", "张掖市委党校")
_TITLES_PRO = _Weighted((
    ("", 60), ("经济师", 3), ("工程师", 3), ("农艺师", 2), ("高级农艺师", 1), ("中学高级教师", 1),
    ("主治医师", 1), ("会计师", 2),
))  # fmt: skip
_SPECIALTIES = (
    "熟悉农村工作", "熟悉党务工作", "熟悉经济管理", "熟悉财政金融工作", "熟悉城乡规划建设",
    "熟悉教育管理", "熟悉政法工作", "熟悉文字综合", "熟悉招商引资", "熟悉水利工作", "熟悉群众工作",
)  # fmt: skip


def _given(rng: random.Random, female: bool) -> str:
    pool = _FEMALE_CHARS if female else _MALE_CHARS
    if rng.random() < 0.3:
        return rng.choice(pool)
    first = rng.choice(pool if rng.random() < 0.85 else _MALE_CHARS + _FEMALE_CHARS)
    second = rng.choice(pool)
    while second == first:
        second = rng.choice(pool)
    return first + second


def _person_name(rng: random.Random, female: bool, ethnicity: str = "汉族", surname: str = "") -> str:
    if ethnicity == "藏族" and not surname:
        first = rng.choice(_TIBETAN_MALE)
        last = rng.choice(_TIBETAN_FEMALE if female else _TIBETAN_MALE)
        return first if rng.random() < 0.15 else (first + last if first != last else first)
    if not surname:
        if ethnicity == "回族":
            surname = _HUI_SURNAMES.pick(rng)
        elif ethnicity == "裕固族":
            surname = _YUGUR_SURNAMES.pick(rng)
        else:
            surname = _SURNAMES.pick(rng)
    return surname + _given(rng, female)


def _surname_of(name: str) -> str:
    return name[:2] if name[:2] in ("欧阳", "司马") else name[:1]


def _rand_date(rng: random.Random, start: date, end: date) -> date:
    """A date in [start, end]; ``start`` if the range is empty."""
    span = (end - start).days
    return start if span <= 0 else start + timedelta(days=rng.randint(0, span))


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    day = min(d.day, 28)
    return date(d.year + y, m + 1, day)


# ---------------------------------------------------------------------------------------------
# The plan
# ---------------------------------------------------------------------------------------------


def _stream(seed: int, code: str, *parts: object) -> random.Random:
    """An independent random stream for one purpose (str seeds are hashed: stable across runs)."""
    return random.Random(":".join(["xuanren-demo", str(seed), code, *map(str, parts)]))


@dataclass(slots=True)
class HoldingPlan:
    organization: str
    title: str
    rank: str
    start: date
    end: date | None
    grassroots: bool
    post: int | None = None  # index into the county's posts
    probation_until: date | None = None


@dataclass(slots=True)
class RelativePlan:
    relation: str
    name: str
    birth_date: date | None
    political_status: str
    work_unit_post: str
    relative: int | None = None  # index of a registered cadre of the same county


@dataclass(slots=True)
class CadrePlan:
    index: int
    name: str
    gender: str
    ethnicity: str
    birth_date: date
    native_place: str
    id_number: str
    political_status: str
    party_join_date: date | None
    work_start_date: date
    fulltime_education: str
    fulltime_degree: str
    fulltime_school: str
    inservice_education: str
    inservice_degree: str
    inservice_school: str
    professional_title: str
    specialty: str
    health: str
    unit: int = 0  # index into the county's units
    post: int | None = None  # index into the county's posts: the post held now
    rank: str = ""
    spouse: int | None = None  # a registered cadre married to this one
    parent: int | None = None  # a registered cadre who is this one's father or mother
    children: list[int] = field(default_factory=list)
    # Planned later, counting back from today:
    holdings: list[HoldingPlan] = field(default_factory=list)
    rank_records: list[tuple[str, date]] = field(default_factory=list)
    assessments: list[tuple[int, str]] = field(default_factory=list)
    rewards: list[tuple[str, str, str, date, date | None]] = field(default_factory=list)
    family: list[RelativePlan] = field(default_factory=list)

    @property
    def female(self) -> bool:
        return self.gender == Gender.FEMALE

    @property
    def surname(self) -> str:
        return "" if self.ethnicity == "藏族" else _surname_of(self.name)

    @property
    def current_title(self) -> str:
        last = self.holdings[-1] if self.holdings else None
        return f"{last.organization}{last.title}" if last else ""


@dataclass(slots=True)
class PostPlan:
    unit: int
    title: str
    rank: str
    role: str
    sort_order: int
    filled: bool = True


@dataclass(slots=True)
class UnitPlan:
    spec: UnitSpec
    name: str
    sort_order: int
    quotas: dict[str, int] = field(default_factory=dict)
    over: bool = False  # deliberately more holders than approved (超职数配备), for the alerts
    full: bool = False  # every post held, nothing to spare


@dataclass
class CountyPlan:
    seed: int
    code: str
    name: str
    units: list[UnitPlan]
    posts: list[PostPlan]
    cadres: list[CadrePlan]

    @cached_property
    def towns(self) -> list[UnitPlan]:
        return [u for u in self.units if u.spec.unit_type == UnitType.TOWN] or self.units


def _unit_count(size: int, specs: Sequence[UnitSpec], minimum: int) -> int:
    scaled = round(_UNITS_AT_DEFAULT_SIZE * size / DEFAULT_SIZE)
    if size <= DEFAULT_SIZE:
        return max(minimum, min(len(specs), scaled))
    return scaled


def _units(specs: Sequence[UnitSpec], count: int) -> list[UnitPlan]:
    """The first ``count`` units of the list; past its end, the list again with numbered names."""
    units = []
    for i in range(count):
        spec = specs[i % len(specs)]
        round_ = i // len(specs)
        name = spec.name if round_ == 0 else f"{spec.name}（{round_ + 1}）"
        units.append(UnitPlan(spec.with_name(name), name, i + 1))
    return units


def _posts_and_quotas(rng: random.Random, units: list[UnitPlan], cadres: int) -> list[PostPlan]:
    """Posts from the unit list, which of them are held, and each unit's approved headcount."""
    posts = [
        PostPlan(ui, spec.title, spec.rank, spec.role, pi + 1)
        for ui, unit in enumerate(units)
        for pi, spec in enumerate(unit.spec.posts)
    ]
    n = len(units)
    for ui in {1 % n, (n // 2 + 1) % n}:
        units[ui].full = True
    # One unit holds one 副科 post more than approved: the first from a third of the way down
    # that has at least two of them.
    for k in range(n):
        unit = units[(n // 3 + 2 + k) % n]
        if sum(p.rank == FK for p in unit.spec.posts) >= 2:
            unit.over, unit.full = True, False
            break
    # About one post in twelve is vacant, never in the full or over units.
    for post in posts:
        unit = units[post.unit]
        post.filled = unit.full or unit.over or rng.random() >= 1 / 12
    if all(p.filled for p in posts):
        for p in posts:
            if not (units[p.unit].full or units[p.unit].over):
                p.filled = False
                break
    for p in [p for p in posts if p.filled][cadres:]:  # a tiny demo has fewer people than posts
        p.filled = False
    for post in posts:
        quotas = units[post.unit].quotas
        quotas[post.rank] = quotas.get(post.rank, 0) + 1
    for unit in units:
        if unit.over:
            unit.quotas[FK] -= 1
    return posts


# Full-time education by birth cohort (中专 and 大专 were the usual entry for the 1960s-born).
_LEVELS_BEFORE_1976 = _Weighted((("technical", 30), ("junior_college", 40), ("bachelor", 30)))
_LEVELS_BEFORE_1986 = _Weighted((("junior_college", 25), ("bachelor", 70), ("master", 5)))
_LEVELS_LATER = _Weighted((("junior_college", 5), ("bachelor", 80), ("master", 15)))


def _education(rng: random.Random, birth: date) -> tuple[tuple[str, str, str], tuple[str, str, str], int]:
    """Full-time and in-service education, and the age at which full-time study ended."""
    y = birth.year
    if y < 1976:
        level = _LEVELS_BEFORE_1976.pick(rng)
    elif y < 1986:
        level = _LEVELS_BEFORE_1986.pick(rng)
    else:
        level = _LEVELS_LATER.pick(rng)
    major = rng.choice(_MAJORS)
    if level == "technical":
        school, degree, age = rng.choice(_SECONDARY), "", rng.randint(18, 19)
    elif level == "junior_college":
        school, degree, age = rng.choice(_COLLEGES), "", rng.randint(20, 21)
    elif level == "bachelor":
        school, degree, age = (
            rng.choice(_UNIVERSITIES),
            "bachelor" if rng.random() < 0.93 else "",
            rng.randint(22, 23),
        )
    else:
        school, degree, age = rng.choice(_UNIVERSITIES[:6]), "master", rng.randint(25, 26)
    fulltime = (Education(level).value, Degree(degree).value, f"{school}{major}专业")

    inservice = ("", "", "")
    chance = 0.65 if y < 1976 else 0.4 if y < 1986 else 0.1
    if level != "master" and rng.random() < chance:
        order = ("technical", "junior_college", "bachelor", "master")
        target = rng.choice(order[order.index(level) + 1 :][:2])
        if target == "master":
            inservice = (
                Education.MASTER.value,
                Degree.MASTER.value,
                f"{rng.choice(_UNIVERSITIES[:3])}公共管理专业",
            )
        elif target == "bachelor":
            subject = rng.choice(("经济管理", "法律", "行政管理"))
            inservice = (Education.BACHELOR.value, "", f"{rng.choice(_PARTY_SCHOOLS)}{subject}专业")
        else:
            inservice = (Education.JUNIOR_COLLEGE.value, "", f"{rng.choice(_PARTY_SCHOOLS)}党政管理专业")
    return fulltime, inservice, age


def _origin(rng: random.Random, code: str) -> tuple[str, str]:
    options = _ORIGINS[code]
    native, region, _ = rng.choices(options, weights=[w for *_, w in options])[0]
    return native, region


def _plan_person(seed: int, code: str, index: int, used_ids: set[str]) -> CadrePlan:
    """One cadre's identity, education and party membership: nothing here depends on today."""
    rng = _stream(seed, code, index)
    ethnicity = _ETHNICITIES.pick(rng)
    female = rng.random() < 0.27
    # Women cadres retire earlier, so the oldest are men.
    birth = _rand_date(rng, date(1971 if female else 1966, 1, 1), date(1998, 6, 30))
    name = _person_name(rng, female, ethnicity)
    if ethnicity == "裕固族" and rng.random() < 0.7:
        native, region = _YUGUR_ORIGIN
    else:
        native, region = _origin(rng, code)
    while True:
        # The sequence code is odd for men, even for women (GB 11643).
        id_number = idnumber.make_id(region, birth, rng.randrange(0, 500) * 2 + (0 if female else 1))
        if id_number not in used_ids:
            used_ids.add(id_number)
            break
    fulltime, inservice, study_end = _education(rng, birth)
    work_start = date(birth.year + study_end, 7 if rng.random() < 0.7 else rng.randint(8, 12), 1)
    roll = rng.random()
    status = (
        PoliticalStatus.CPC
        if roll < 0.86
        else PoliticalStatus.CPC_PROBATIONARY
        if roll < 0.87
        else PoliticalStatus.DEMOCRATIC_PARTY
        if roll < 0.91
        else PoliticalStatus.NONE
    )
    party_join = None
    if status == PoliticalStatus.CPC:
        party_join = _rand_date(rng, _add_years(birth, 19), min(_add_years(birth, 35), date(2024, 6, 30)))
    return CadrePlan(
        index=index,
        name=name,
        gender=Gender.FEMALE.value if female else Gender.MALE.value,
        ethnicity=ethnicity,
        birth_date=birth,
        native_place=native,
        id_number=id_number,
        political_status=status.value,
        party_join_date=party_join,
        work_start_date=work_start,
        fulltime_education=fulltime[0],
        fulltime_degree=fulltime[1],
        fulltime_school=fulltime[2],
        inservice_education=inservice[0],
        inservice_degree=inservice[1],
        inservice_school=inservice[2],
        professional_title=_TITLES_PRO.pick(rng),
        specialty=rng.choice(_SPECIALTIES),
        health=Health.HEALTHY.value if rng.random() < 0.97 else Health.FAIR.value,
    )


# Work experience a holder needs by rank (demo thresholds that keep careers plausible; the real
# rules live in the policy): about six years for 正科, three for 副科.
_EXPERIENCED_BY = {ZK: date(2019, 1, 1), FK: date(2022, 1, 1)}


# Ranks of cadres not in a leading post, by years of work (4-11 years, 12 and more).
_RANKS_MID_CAREER = _Weighted((("keyuan", 35), ("fuke", 45), ("zhengke", 20)))
_RANKS_LATE_CAREER = _Weighted((("keyuan", 10), ("fuke", 45), ("zhengke", 45)))


def _assign_posts(rng: random.Random, cadres: list[CadrePlan], posts: list[PostPlan], n_units: int) -> None:
    """Give each held post an experienced enough holder, everyone else a unit and a rank."""
    order = list(range(len(cadres)))
    rng.shuffle(order)
    taken: set[int] = set()
    cursor = dict.fromkeys(_EXPERIENCED_BY, 0)
    for pi, post in enumerate(posts):
        if not post.filled:
            continue
        rank = post.rank if post.rank in cursor else FK
        i = cursor[rank]
        while i < len(order) and (
            order[i] in taken or cadres[order[i]].work_start_date > _EXPERIENCED_BY[rank]
        ):
            i += 1
        cursor[rank] = i
        if i >= len(order):
            post.filled = False
            continue
        cadre = cadres[order[i]]
        taken.add(cadre.index)
        cadre.post, cadre.unit, cadre.rank = pi, post.unit, post.rank
    for cadre in cadres:
        if cadre.post is not None:
            continue
        cadre.unit = rng.randrange(n_units)
        years = 2026 - cadre.work_start_date.year
        if years < 4:
            cadre.rank = Rank.KEYUAN.value
        elif years < 12:
            cadre.rank = _RANKS_MID_CAREER.pick(rng)
        else:
            cadre.rank = _RANKS_LATE_CAREER.pick(rng)


def _generated_spouse(seed: int, code: str, c: CadrePlan) -> RelativePlan | None:
    """The spouse of a cadre not married to another registered cadre (None: unmarried)."""
    rng = _stream(seed, code, c.index, "spouse")
    if rng.random() >= (0.92 if c.birth_date.year <= 1995 else 0.6):
        return None
    born = _rand_date(rng, _add_years(c.birth_date, -4), _add_years(c.birth_date, 3))
    name = _person_name(rng, not c.female, c.ethnicity if c.ethnicity != "藏族" else "汉族")
    if c.ethnicity == "藏族":
        name = _person_name(rng, not c.female, "藏族")
    status = rng.choice(("中共党员", "群众", "群众", "中共党员"))
    work = rng.choice(_SPOUSE_WORK).format(c=_COUNTY_NAMES[code])
    return RelativePlan("丈夫" if c.female else "妻子", name, born, status, work)


def _pair_relatives(seed: int, code: str, rng: random.Random, cadres: list[CadrePlan]) -> None:
    """Marry some registered cadres to each other, and make some the parents of others.

    These are the links the avoidance rules and the "relative of a leading cadre" circumstance need.
    """
    men = [c for c in cadres if not c.female and c.birth_date.year <= 1995]
    women = sorted((c for c in cadres if c.female and c.birth_date.year <= 1995), key=lambda c: c.birth_date)
    births = [w.birth_date for w in women]
    rng.shuffle(men)
    couples = max(1, len(cadres) * 15 // 1000)
    for man in men:
        if couples == 0:
            break
        lo = bisect.bisect_left(births, _add_years(man.birth_date, -2))
        hi = bisect.bisect_right(births, _add_years(man.birth_date, 5))
        for woman in women[lo:hi]:
            if woman.spouse is None:
                man.spouse, woman.spouse = woman.index, man.index
                couples -= 1
                break
    parents = [c for c in cadres if c.birth_date.year <= 1971 and c.spouse is None]
    young = [c for c in cadres if c.birth_date.year >= 1993 and c.spouse is None and c.ethnicity != "藏族"]
    rng.shuffle(parents)
    rng.shuffle(young)
    wanted = max(1, len(cadres) * 4 // 1000)
    for parent in parents:
        if wanted == 0 or not young:
            break
        if parent.ethnicity == "藏族":
            continue
        child = young[-1]
        if not 22 <= child.birth_date.year - parent.birth_date.year <= 34:
            continue
        if parent.female:
            other = _generated_spouse(seed, code, parent)
            if other is None:
                continue
            father_surname = _surname_of(other.name)
        else:
            father_surname = parent.surname
        young.pop()
        # A son or daughter carries the father's surname.
        child.name = father_surname + child.name[len(_surname_of(child.name)) :]
        child.parent = parent.index
        parent.children.append(child.index)
        wanted -= 1


_COUNTY_NAMES = {MAIN_COUNTY[0]: MAIN_COUNTY[1], SECOND_COUNTY[0]: SECOND_COUNTY[1]}


def plan_county(
    seed: int,
    code: str,
    specs: Sequence[UnitSpec],
    size: int,
    min_units: int,
    used_ids: set[str] | None = None,
) -> CountyPlan:
    """The units, posts and people of one county. No database, and nothing here depends on today.

    ``used_ids`` holds ID numbers already given out (by another county's plan) and gains this one's.
    """
    rng = _stream(seed, code, "county")
    units = _units(specs, _unit_count(size, specs, min_units))
    posts = _posts_and_quotas(rng, units, size)
    used = set() if used_ids is None else used_ids
    cadres = [_plan_person(seed, code, i, used) for i in range(size)]
    _assign_posts(rng, cadres, posts, len(units))
    _pair_relatives(seed, code, rng, cadres)
    return CountyPlan(seed, code, _COUNTY_NAMES[code], units, posts, cadres)


# --- careers, counted back from today ---------------------------------------------------------

_TOWN_FK_TITLES = ("党委委员", "副镇长", "纪委书记", "组织委员", "宣传委员", "人大副主席", "武装部部长")
_TOWN_ZK_TITLES = ("党委书记", "镇长", "人大主席")
_RANK_REFORM = date(2019, 6, 1)  # 公务员职务与职级并行: 主任科员 ranks from June 2019


def _nonleader_title(rank: str, on: date, rng: random.Random) -> str:
    if on >= _RANK_REFORM:
        if rank == FK:
            return rng.choice(("四级主任科员", "三级主任科员"))
        if rank == ZK:
            return rng.choice(("二级主任科员", "一级主任科员"))
        return "一级科员"
    return {FK: "副主任科员", ZK: "主任科员"}.get(rank, "科员")


def _career_step(
    rng: random.Random, rank: str, first: bool, on: date, county: CountyPlan
) -> tuple[str, str, bool]:
    """Organization and title of an earlier period at ``rank``, and whether it was grass-roots work."""
    units, towns = county.units, county.towns
    # Graduates placed in villages (大学生村官) began in the 2000s.
    if first and rank == Rank.KEYUAN and on >= date(2006, 1, 1) and rng.random() < 0.45:
        village = f"{rng.choice(towns).name}{rng.choice(_VILLAGES)}"
        return village, rng.choice(("大学生村官", "党支部书记助理", "村委会主任助理")), True
    unit = rng.choice(towns) if first and rng.random() < 0.4 else rng.choice(units)
    town = unit.spec.unit_type == UnitType.TOWN
    if rank == Rank.KEYUAN:
        return unit.name, "办事员" if first and on < date(1994, 1, 1) else "科员", town
    if rng.random() >= (0.75 if town else 0.6):
        return unit.name, _nonleader_title(rank, on, rng), town
    if rank == FK:
        return unit.name, rng.choice(_TOWN_FK_TITLES) if town else f"副{unit.spec.head_noun}", town
    return unit.name, rng.choice(_TOWN_ZK_TITLES) if town else unit.spec.head_noun, town


def _promotions(rng: random.Random, c: CadrePlan, end: date) -> tuple[date | None, date | None]:
    """The days the cadre reached 副科 and 正科 (None when not reached)."""
    w = c.work_start_date
    if c.rank not in (FK, ZK):
        return None, None
    latest = _add_years(end, -2) if c.rank == ZK else end
    lo = _add_years(w, 3)
    fuke_on = min(_rand_date(rng, lo, max(lo, min(_add_years(w, 14), latest))), latest)
    fuke_on = max(fuke_on, w + timedelta(days=180))
    if c.rank == FK:
        return fuke_on, None
    zhengke_on = _rand_date(rng, min(_add_years(fuke_on, 2), end), min(_add_years(fuke_on, 10), end))
    return fuke_on, max(zhengke_on, fuke_on + timedelta(days=180))


def _plan_career(c: CadrePlan, county: CountyPlan, today: date) -> None:
    """Posts held (2-6 periods, the last one open), rank records, assessments, rewards and sanctions."""
    rng = _stream(county.seed, county.code, c.index, "career", today.isoformat())
    units = county.units
    w = c.work_start_date
    end = today - timedelta(days=45)
    fuke_on, zhengke_on = _promotions(rng, c, end)
    reached = zhengke_on or fuke_on
    # The present post began on the day of the last promotion, or some years after it.
    if reached is None:
        since = _rand_date(rng, min(_add_years(w, 1), end), end)
    elif rng.random() < 0.55 or _add_years(reached, 1) >= end:
        since = reached
    else:
        since = _rand_date(rng, _add_years(reached, 1), min(end, _add_years(reached, 9)))
    since = max(since, w + timedelta(days=1))
    cuts = {since} | {d for d in (fuke_on, zhengke_on) if d is not None and w < d < since}
    worked = (since - w).days / 365.25
    target = min(6, max(2, 2 + int(worked // 6) + rng.randint(0, 1)))
    for _ in range(20):
        if len(cuts) + 1 >= target:
            break
        d = _rand_date(rng, w + timedelta(days=300), since - timedelta(days=300))
        if all(abs((d - x).days) > 300 for x in (*cuts, w)):
            cuts.add(d)
    starts = [w, *sorted(cuts)]

    def rank_on(d: date) -> str:
        if zhengke_on and d >= zhengke_on:
            return ZK
        if fuke_on and d >= fuke_on:
            return FK
        return Rank.KEYUAN.value

    holdings: list[HoldingPlan] = []
    for k, start in enumerate(starts[:-1]):
        rank = rank_on(start)
        org, title, grass = _career_step(rng, rank, k == 0, start, county)
        holdings.append(HoldingPlan(org, title, rank, start, starts[k + 1] - timedelta(days=1), grass))
    last, unit = starts[-1], units[c.unit]
    grass = unit.spec.unit_type == UnitType.TOWN
    if c.post is not None:
        post = county.posts[c.post]
        now = HoldingPlan(unit.name, post.title, post.rank, last, None, grass, post=c.post)
        first_at_rank = not holdings or holdings[-1].rank != post.rank
        if (
            first_at_rank
            and (today - last).days < 365
            and post.role not in (PostRole.PARTY_HEAD, PostRole.GOV_HEAD)
        ):
            # A first appointment to a non-elected leading post carries a year's probation (试用期).
            now.probation_until = _add_years(last, 1)
    else:
        now = HoldingPlan(unit.name, _nonleader_title(c.rank, last, rng), c.rank, last, None, grass)
    c.holdings = [*holdings, now]
    c.rank_records = [(Rank.KEYUAN.value, w)]
    c.rank_records += [(r, d) for r, d in ((FK, fuke_on), (ZK, zhengke_on)) if d is not None]
    if c.political_status == PoliticalStatus.CPC_PROBATIONARY:
        c.party_join_date = today - timedelta(days=rng.randint(30, 330))

    county_name = county.name
    sanctioned: set[int] = set()
    roll = rng.random()
    if roll < 0.06:
        text, body = rng.choice(
            (
                ("记三等功", f"中共{county_name}委、{county_name}人民政府"),
                ("嘉奖", f"{county_name}人民政府"),
                ("优秀共产党员", f"中共{county_name}委"),
                ("全省脱贫攻坚先进个人", "中共甘肃省委、甘肃省人民政府"),
                ("优秀公务员", "中共张掖市委、张掖市人民政府"),
            )
        )
        c.rewards.append(("reward", text, body, _rand_date(rng, max(w, _add_years(today, -10)), end), None))
    elif roll < 0.075:
        # How long each bars promotion: 中国共产党纪律处分条例 (警告 1 年, 严重警告 1 年半);
        # 公职人员政务处分法 第八条 (警告 6 个月, 记过 12 个月).
        text, body, months = rng.choice(
            (
                ("党内警告处分", f"中共{county_name}纪委", 12),
                ("党内严重警告处分", f"中共{county_name}纪委", 18),
                ("政务警告处分", f"{county_name}监察委员会", 6),
                ("政务记过处分", f"{county_name}监察委员会", 12),
            )
        )
        on = _rand_date(rng, max(w, _add_years(today, -6)), end)
        c.rewards.append(("sanction", text, body, on, _add_months(on, months)))
        sanctioned.add(on.year)
    elif roll < 0.085:
        # 诫勉: no promotion for six months (关于对党员领导干部进行诫勉的规定).
        on = _rand_date(rng, max(w, _add_years(today, -4)), end)
        c.rewards.append(("admonishment", "诫勉", f"中共{county_name}委组织部", on, _add_months(on, 6)))
        sanctioned.add(on.year)

    for year in range(today.year - 5, today.year):
        if year <= w.year:
            continue  # no assessment for the year of joining
        r = rng.random()
        if year in sanctioned:
            result = AssessmentResult.BASIC
        elif r < 0.16:
            result = AssessmentResult.EXCELLENT
        elif r < 0.975:
            result = AssessmentResult.COMPETENT
        elif r < 0.992:
            result = AssessmentResult.BASIC
        else:
            result = AssessmentResult.NOT_RATED
        c.assessments.append((year, result.value))


_SPOUSE_WORK = (
    "{c}第一中学教师", "{c}人民医院医生", "{c}人民医院护士", "{c}城关小学教师", "{c}农村信用合作联社职工",
    "个体经营", "务农", "{c}供电公司职工", "{c}税务局干部", "{c}自然资源局干部", "{c}幼儿园教师",
)  # fmt: skip
_ADULT_CHILD_WORK = ("兰州市某科技公司职员", "张掖市人民医院医生", "在读研究生", "西安市某银行职员", "待业")


def _linked(relation: str, other: CadrePlan) -> RelativePlan:
    status = PoliticalStatus(other.political_status).label
    return RelativePlan(
        relation, other.name, other.birth_date, status, other.current_title, relative=other.index
    )


def _children(county: CountyPlan, c: CadrePlan, today: date) -> list[RelativePlan]:
    cadres = county.cadres
    if c.children:
        return [_linked("女儿" if cadres[i].female else "儿子", cadres[i]) for i in c.children]
    # Husband and wife who are both registered list the same children: one stream per couple.
    key = min(c.index, c.spouse) if c.spouse is not None else c.index
    rng = _stream(county.seed, county.code, key, "children")
    father = c if not c.female else cadres[c.spouse] if c.spouse is not None else None
    surname = father.surname if father else ""
    if not surname and c.female and c.spouse is None:
        spouse = _generated_spouse(county.seed, county.code, c)
        surname = _surname_of(spouse.name) if spouse and c.ethnicity != "藏族" else ""
    elder = min(c.birth_date, cadres[c.spouse].birth_date) if c.spouse is not None else c.birth_date
    children = []
    for _ in range(rng.choice((1, 1, 1, 2))):
        born = _rand_date(rng, _add_years(elder, 24), _add_years(elder, 34))
        if born > today - timedelta(days=200):
            break
        girl = rng.random() < 0.48
        name = _person_name(rng, girl, "藏族") if not surname else _person_name(rng, girl, surname=surname)
        age = today.year - born.year
        if age < 18:
            work, status = "学生", "群众" if age < 14 else "共青团员"
        elif age < 23:
            work, status = f"{rng.choice(_UNIVERSITIES)}学生", "共青团员"
        else:
            work, status = rng.choice(_ADULT_CHILD_WORK), rng.choice(("中共党员", "共青团员", "群众"))
        children.append(RelativePlan("女儿" if girl else "儿子", name, born, status, work))
    return sorted(children, key=lambda r: r.birth_date or today)


def _parents(county: CountyPlan, c: CadrePlan) -> list[RelativePlan]:
    rng = _stream(county.seed, county.code, c.index, "parents")
    known: dict[str, RelativePlan] = {}
    if c.parent is not None:
        parent = county.cadres[c.parent]
        known["母亲" if parent.female else "父亲"] = _linked("母亲" if parent.female else "父亲", parent)
        other = _generated_spouse(county.seed, county.code, parent)
        if other is not None:
            known["父亲" if parent.female else "母亲"] = RelativePlan(
                "父亲" if parent.female else "母亲",
                other.name,
                other.birth_date,
                other.political_status,
                other.work_unit_post,
            )
    village = rng.choice(_VILLAGES)
    town = rng.choice(county.towns).name
    result = []
    for relation, female in (("父亲", False), ("母亲", True)):
        if relation in known:
            result.append(known[relation])
            continue
        born = _rand_date(
            rng, _add_years(c.birth_date, -31 if female else -34), _add_years(c.birth_date, -22)
        )
        if c.ethnicity == "藏族":
            name = _person_name(rng, female, "藏族")
        else:
            name = _person_name(rng, female, surname="" if female else c.surname)
        if born.year < 1948 and rng.random() < 0.5:
            work = "已去世"
        elif rng.random() < 0.55:
            work = f"{county.name}{town}{village}农民"
        else:
            work = f"{county.name}{rng.choice(('教育局', '粮食局', '供销社', '农机站'))}退休职工"
        result.append(RelativePlan(relation, name, born, rng.choice(("中共党员", "群众", "群众")), work))
    return result


def _plan_family(county: CountyPlan, c: CadrePlan, today: date) -> None:
    """Spouse, children, father and mother, in the order the appointment form lists them."""
    family: list[RelativePlan] = []
    if c.spouse is not None:
        family.append(_linked("丈夫" if c.female else "妻子", county.cadres[c.spouse]))
    else:
        spouse = _generated_spouse(county.seed, county.code, c)
        if spouse is not None:
            family.append(spouse)
    if family or c.children:
        family += _children(county, c, today)
    family += _parents(county, c)
    c.family = family


def plan_careers(county: CountyPlan, today: date) -> None:
    """Careers and families of every cadre of a planned county, counted back from ``today``."""
    for c in county.cadres:
        _plan_career(c, county, today)
    # Families quote registered relatives' present posts, so they come after all careers.
    for c in county.cadres:
        _plan_family(county, c, today)


# ---------------------------------------------------------------------------------------------
# Staff
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffSpec:
    username: str
    display_name: str
    position: str
    roles: tuple[str, ...]
    county: str | None  # jurisdiction code; None for the system administrator
    superuser: bool = False


_M = MAIN_COUNTY[0]
_COMMITTEE = ("committee_member",)
_DELIBERATION = ("deliberation_member",)
STAFF: tuple[StaffSpec, ...] = (
    StaffSpec("admin", "系统管理员", "系统管理员", (), None, superuser=True),
    StaffSpec("ganbuke", "李明远", "县委组织部干部科科长", ("cadre_officer",), _M),
    StaffSpec("ganbuke2", "赵晓燕", "县委组织部干部科干事", ("cadre_officer",), _M),
    StaffSpec(
        "buzhang", "陈志刚", "县委常委、组织部部长", ("department_head", *_DELIBERATION, *_COMMITTEE), _M
    ),
    StaffSpec("jiandu", "孙丽娟", "县委组织部干部监督室主任", ("supervision_office",), _M),
    StaffSpec(
        "jiwei", "周建华", "县委常委、纪委书记、监委主任", ("discipline", *_DELIBERATION, *_COMMITTEE), _M
    ),
    StaffSpec("jiwei2", "何静", "县纪委监委党风政风监督室主任", ("discipline",), _M),
    StaffSpec("shuji", "王振国", "县委书记", ("secretary", *_DELIBERATION, *_COMMITTEE), _M),
    StaffSpec("changwei1", "刘海涛", "县委副书记、县长", (*_DELIBERATION, *_COMMITTEE), _M),
    StaffSpec("changwei2", "张红梅", "县委副书记", (*_DELIBERATION, *_COMMITTEE), _M),
    StaffSpec("changwei3", "杨文斌", "县委常委、常务副县长", _COMMITTEE, _M),
    StaffSpec("changwei4", "马玉林", "县委常委、宣传部部长", _COMMITTEE, _M),
    StaffSpec("changwei5", "郭永强", "县委常委、政法委书记", _COMMITTEE, _M),
    StaffSpec("changwei6", "安秀英", "县委常委、统战部部长", _COMMITTEE, _M),
    StaffSpec("changwei7", "徐立新", "县委常委、县委办公室主任", _COMMITTEE, _M),
    StaffSpec("changwei8", "魏东", "县委常委、人武部部长", _COMMITTEE, _M),
    StaffSpec("kaochazu1", "朱建军", "考察组组长", ("inspection_team",), _M),
    StaffSpec("kaochazu2", "吴晓霞", "考察组成员", ("inspection_team",), _M),
    StaffSpec("kaoguan1", "高文华", "考官", ("examiner",), _M),
    StaffSpec("ganbu1", "韩志明", "干部", ("cadre",), _M),
    StaffSpec("minle_ganbuke", "丁海燕", "民乐县委组织部干部科科长", ("cadre_officer",), SECOND_COUNTY[0]),
)


def totp_secret_for(seed: int, username: str) -> str:
    """A fixed base32 TOTP secret (32 characters) from the seed and the username."""
    digest = hmac.new(f"xuanren-demo-totp:{seed}".encode(), username.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:20]).decode()


# ---------------------------------------------------------------------------------------------
# The build
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoSummary:
    seed: int
    size: int
    county: str
    units: int
    posts: int
    vacancies: int
    cadres: int
    second_county_cadres: int
    holdings: int
    family_members: int
    linked_relatives: int
    users: int
    full_units: tuple[str, ...]
    over_quota_units: tuple[str, ...]

    def line(self) -> str:
        return (
            f"演示数据已生成（种子 {self.seed}，规模 {self.size}）：{self.county} {self.units} 个单位、"
            f"{self.posts} 个职位（空缺 {self.vacancies}）、干部 {self.cadres} 人，"
            f"另有民乐县干部 {self.second_county_cadres} 人；账号 {self.users} 个。"
        )

    def payload(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "size": self.size,
            "units": self.units,
            "posts": self.posts,
            "vacancies": self.vacancies,
            "cadres": self.cadres,
            "second_county_cadres": self.second_county_cadres,
            "holdings": self.holdings,
            "family_members": self.family_members,
            "linked_relatives": self.linked_relatives,
            "users": self.users,
            "full_units": list(self.full_units),
            "over_quota_units": list(self.over_quota_units),
        }


def built_seed() -> int | None:
    """The seed of the last demo build recorded in this database, if any."""
    from xuanren.record.models import Entry

    entry = Entry.objects.filter(action="demo_built").order_by("-seq").first()
    seed = entry.payload.get("seed") if entry else None
    return seed if isinstance(seed, int) else None


def demo_exists() -> bool:
    """True when the demo county already has a register."""
    return Cadre.objects.filter(jurisdiction__code=MAIN_COUNTY[0]).exists()


def _jurisdictions() -> dict[str, Jurisdiction]:
    def get(code: str, name: str, level: str, parent: Jurisdiction | None) -> Jurisdiction:
        obj, _ = Jurisdiction.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "parent": parent}
        )
        return obj

    province = get(*PROVINCE, Jurisdiction.Level.PROVINCE, None)
    city = get(*CITY, Jurisdiction.Level.CITY, province)
    return {
        MAIN_COUNTY[0]: get(*MAIN_COUNTY, Jurisdiction.Level.COUNTY, city),
        SECOND_COUNTY[0]: get(*SECOND_COUNTY, Jurisdiction.Level.COUNTY, city),
    }


def _staff(seed: int, places: dict[str, Jurisdiction]) -> int:
    # One hash for all: argon2 is deliberately slow, and every demo user has the same password.
    password = make_password(PASSWORD)
    groups = {g.name: g for g in Group.objects.all()}
    for spec in STAFF:
        user, _ = User.objects.update_or_create(
            username=spec.username,
            defaults={
                "display_name": spec.display_name,
                "jurisdiction": places.get(spec.county) if spec.county else None,
                "is_superuser": spec.superuser,
                "is_staff": spec.superuser,
                "is_active": True,
                "password": password,
                "totp_secret": totp_secret_for(seed, spec.username),
                "totp_confirmed": True,
                "totp_last_step": 0,
            },
        )
        user.groups.set([groups[ROLE_BY_CODE[code].title] for code in spec.roles])
    return len(STAFF)


@dataclass
class _Written:
    cadres: int = 0
    holdings: int = 0
    family: int = 0
    linked: int = 0


def _chunks(items: Sequence[CadrePlan], n: int) -> Iterator[Sequence[CadrePlan]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


def _insert(model: type[models.Model], fields: Sequence[str], rows: list[tuple[Any, ...]]) -> int:
    """Insert rows that need no primary key back: ``COPY`` on PostgreSQL, ``executemany`` on SQLite.

    ``bulk_create`` builds a model instance per row and compiles every value; for the million
    child rows of a 100,000-cadre register that costs most of the build. Dates are adapted the
    way Django stores them on this database.
    """
    if not rows:
        return 0
    meta = model._meta
    by_name = {f.name: f for f in meta.concrete_fields}
    given = [by_name[f] for f in fields]
    # Every other column gets its field's default, so a field added to the model later still works.
    rest = [f for f in meta.concrete_fields if f.name not in fields and not f.primary_key]
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
    qn = connection.ops.quote_name
    columns = ", ".join(qn(str(f.column)) for f in (*given, *rest))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams the rows; executemany would wait on the server once per row.
            with cursor.cursor.copy(f"COPY {qn(meta.db_table)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row + defaults)
        else:
            marks = ", ".join(["%s"] * (len(given) + len(rest)))
            sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({marks})"
            for i in range(0, len(rows), 10 * _BATCH):
                cursor.executemany(sql, [row + defaults for row in rows[i : i + 10 * _BATCH]])
    return len(rows)


_CADRE_FIELDS = (
    "id", "jurisdiction", "unit", "name", "name_pinyin", "name_initials", "gender", "ethnicity",
    "birth_date", "native_place", "birthplace", "id_number", "political_status", "party_join_date",
    "work_start_date", "health", "professional_title", "specialty", "fulltime_education",
    "fulltime_degree", "fulltime_school", "inservice_education", "inservice_degree",
    "inservice_school", "current_title", "current_rank", "rank_since", "post_since",
)  # fmt: skip


def _cadre_row(c: CadrePlan, pk: int, place: int, unit: int, keys: tuple[str, str]) -> tuple[Any, ...]:
    """One cadre as the values of ``_CADRE_FIELDS``."""
    day = connection.ops.adapt_datefield_value
    rank_since = max((d for r, d in c.rank_records if r == c.rank), default=None)
    return (
        pk, place, unit, c.name, keys[0], keys[1], c.gender, c.ethnicity,
        day(c.birth_date), c.native_place, c.native_place, c.id_number, c.political_status, day(c.party_join_date),
        day(c.work_start_date), c.health, c.professional_title, c.specialty, c.fulltime_education,
        c.fulltime_degree, c.fulltime_school, c.inservice_education, c.inservice_degree,
        c.inservice_school, c.current_title, c.rank, day(rank_since), day(c.holdings[-1].start),
    )  # fmt: skip


def _reserve_ids(model: type[models.Model], n: int) -> list[int]:
    """``n`` primary keys for rows inserted with explicit ids, taken the way the database would."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, n]
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the write lock is held for the whole build (BEGIN IMMEDIATE), and AUTOINCREMENT
        # never reuses an id, so start above both the largest id and the largest ever handed out.
        cursor.execute(
            f"SELECT MAX(n) FROM (SELECT MAX(id) AS n FROM {connection.ops.quote_name(table)} UNION ALL "
            "SELECT seq FROM sqlite_sequence WHERE name = %s)",
            [table],
        )
        start = (cursor.fetchone()[0] or 0) + 1
    return list(range(start, start + n))


def _write_county(
    plan: CountyPlan, place: Jurisdiction, today: date, written: _Written
) -> tuple[list[Unit], list[Post]]:
    units = Unit.objects.bulk_create(
        [
            Unit(jurisdiction=place, name=u.name, unit_type=u.spec.unit_type, sort_order=u.sort_order)
            for u in plan.units
        ],
        batch_size=_BATCH,
    )
    HeadcountQuota.objects.bulk_create(
        [
            HeadcountQuota(unit=units[i], rank=r, approved=n)
            for i, u in enumerate(plan.units)
            for r, n in u.quotas.items()
        ],
        batch_size=_BATCH,
    )
    posts = Post.objects.bulk_create(
        [
            Post(unit=units[p.unit], title=p.title, rank=p.rank, role=p.role, sort_order=p.sort_order)
            for p in plan.posts
        ],
        batch_size=_BATCH,
    )
    plan_careers(plan, today)
    day = connection.ops.adapt_datefield_value
    keys_cache: dict[str, tuple[str, str]] = {}
    pk_of: list[int] = []
    for chunk in _chunks(plan.cadres, _CHUNK):
        pks = _reserve_ids(Cadre, len(chunk))
        rows = []
        for c, pk in zip(chunk, pks, strict=True):
            keys = keys_cache.get(c.name)
            if keys is None:
                k = name_keys(c.name)
                keys = keys_cache[c.name] = (k.full, k.initials)
            rows.append(_cadre_row(c, pk, place.pk, units[c.unit].pk, keys))
        _insert(Cadre, _CADRE_FIELDS, rows)
        pk_of.extend(pks)
        holdings, ranks, assessments, rewards = [], [], [], []
        for c, pk in zip(chunk, pks, strict=True):
            holdings += [
                (pk, posts[h.post].pk if h.post is not None else None, h.organization, h.title, h.rank,
                 day(h.start), day(h.end), h.grassroots, day(h.probation_until))
                for h in c.holdings
            ]  # fmt: skip
            ranks += [(pk, r, day(d)) for r, d in c.rank_records]
            assessments += [(pk, y, res) for y, res in c.assessments]
            rewards += [(pk, k, t, a, day(d), day(e)) for k, t, a, d, e in c.rewards]
        written.holdings += _insert(
            PostHolding,
            (
                "cadre",
                "post",
                "organization",
                "title",
                "rank",
                "start",
                "end",
                "is_grassroots",
                "probation_until",
            ),
            holdings,
        )
        _insert(RankRecord, ("cadre", "rank", "reached_on"), ranks)
        _insert(AnnualAssessment, ("cadre", "year", "result"), assessments)
        _insert(
            RewardSanction, ("cadre", "kind", "description", "authority", "decided_on", "period_end"), rewards
        )
        written.cadres += len(chunk)
    # Family rows last: a relative who is a registered cadre may come in a later chunk.
    family = []
    for c in plan.cadres:
        for order, f in enumerate(c.family):
            relative = pk_of[f.relative] if f.relative is not None else None
            written.linked += relative is not None
            family.append(
                (pk_of[c.index], f.relation, f.name, day(f.birth_date), f.political_status, f.work_unit_post,
                 relative, order)
            )  # fmt: skip
    written.family += _insert(
        FamilyMember,
        (
            "cadre",
            "relation",
            "name",
            "birth_date",
            "political_status",
            "work_unit_post",
            "relative_cadre",
            "sort_order",
        ),
        family,
    )
    return units, posts


def build_demo(*, seed: int = DEFAULT_SEED, size: int = DEFAULT_SIZE, today: date) -> DemoSummary:
    """Build the demo counties, their registers and the demo staff in one recorded transaction."""
    if size < 1:
        raise ValueError("size must be at least 1")
    ids: set[str] = set()
    main = plan_county(seed, MAIN_COUNTY[0], MAIN_UNITS, size, min_units=8, used_ids=ids)
    second = plan_county(seed, SECOND_COUNTY[0], SECOND_UNITS, max(20, size // 15), min_units=4, used_ids=ids)
    written = _Written()
    with record.recorded_action():
        places = _jurisdictions()
        main_units, _ = _write_county(main, places[MAIN_COUNTY[0]], today, written)
        main_written = written.cadres
        main_holdings = written.holdings
        _write_county(second, places[SECOND_COUNTY[0]], today, written)
        users = _staff(seed, places)
        summary = DemoSummary(
            seed=seed,
            size=size,
            county=MAIN_COUNTY[1],
            units=len(main.units),
            posts=len(main.posts),
            vacancies=sum(not p.filled for p in main.posts),
            cadres=main_written,
            second_county_cadres=written.cadres - main_written,
            holdings=main_holdings,
            family_members=written.family,
            linked_relatives=written.linked,
            users=users,
            full_units=tuple(main_units[i].name for i, u in enumerate(main.units) if u.full),
            over_quota_units=tuple(main_units[i].name for i, u in enumerate(main.units) if u.over),
        )
        record.append(
            action="demo_built",
            actor="演示数据生成",
            jurisdiction_code=MAIN_COUNTY[0],
            payload=summary.payload(),
        )
    # Planner statistics for the bulk-loaded tables: SQLite has none until ANALYZE runs, and
    # without them it reads a whole county through the jurisdiction index instead of using the
    # selective index of a search (bench/search.py).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return summary
