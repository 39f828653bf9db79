"""A cadre of the register as an appointment form (LrmxPerson), and a form as register data.

Export (:func:`cadre_to_person`) reads a cadre with its holdings, assessments, rewards and
sanctions and family, prefetched. Import (:func:`person_to_record`) turns a parsed form into plain
values (:class:`CadreRecord`) without touching the database; ``actions.import_lrmx_person``
decides whether they create a cadre or update one.

The form has less structure than the register, so three free-text boxes are read back by
pattern, and written so that they read back the same:

- 简历 (JianLi): one holding per period; its first line is the holding's text, further lines
  its note.
- 年度考核结果: ``2021年度、2022年度考核均为称职，2023年度考核为优秀。``
- 奖惩情况: one item per line ending in ``；``, the last in ``。``; an item starts with its date
  (``2019.06 嘉奖（临泽县人民政府）``, ``2014年被中共张掖市委评为…``).

What the form cannot say (units, ranks, the ties to posts) is left as it is on update.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from xuanren.register import idnumber
from xuanren.register.choices import (
    ETHNICITIES,
    AssessmentResult,
    Degree,
    Education,
    Gender,
    Health,
    PoliticalStatus,
)
from xuanren.register.lrmx import (
    FamilyMember as LrmxFamilyMember,
)
from xuanren.register.lrmx import (
    LrmxPerson,
    ResumePeriod,
    YearMonth,
)

__all__ = [
    "CadreRecord",
    "FamilyData",
    "PeriodData",
    "RewardData",
    "assessment_text",
    "cadre_to_person",
    "holding_text",
    "parse_assessments",
    "parse_rewards",
    "person_to_record",
    "reward_line",
    "rewards_text",
    "submitting_unit",
]


# --------------------------------------------------------------------------- plain values


@dataclass(frozen=True, slots=True)
class PeriodData:
    """One resume period as a holding: month-precision dates, first line and further lines."""

    start: date
    end: date | None
    text: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class RewardData:
    kind: str  # RewardSanction.Kind value
    description: str
    decided_on: date
    period_end: date | None = None
    authority: str = ""


@dataclass(frozen=True, slots=True)
class FamilyData:
    relation: str
    name: str
    birth_date: date | None
    political_status: str
    work_unit_post: str


@dataclass(slots=True)
class CadreRecord:
    """What a form says about a cadre, as register values; ``problems`` refuse the import."""

    fields: dict[str, Any] = field(default_factory=dict)
    month_only: set[str] = field(default_factory=set)
    periods: list[PeriodData] = field(default_factory=list)
    assessments: dict[int, str] = field(default_factory=dict)
    rewards: list[RewardData] = field(default_factory=list)
    family: list[FamilyData] = field(default_factory=list)
    photo: bytes | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)  # (form box, message)
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- 年度考核结果

_RESULT_WORDS: Final = {
    "基本称职": AssessmentResult.BASIC,
    "基本合格": AssessmentResult.BASIC,
    "不称职": AssessmentResult.INCOMPETENT,
    "不合格": AssessmentResult.INCOMPETENT,
    "不定等次": AssessmentResult.NOT_RATED,
    "优秀": AssessmentResult.EXCELLENT,
    "称职": AssessmentResult.COMPETENT,
    "合格": AssessmentResult.COMPETENT,
}
# Longest first, so 基本称职 is not read as 称职.
_RESULT_RE: Final = re.compile("|".join(sorted(_RESULT_WORDS, key=len, reverse=True)))
_YEAR_RANGE_RE: Final = re.compile(r"(\d{4})\s*[-—–~～至到]\s*(\d{4})\s*年")
_YEAR_RE: Final = re.compile(r"(\d{4})\s*年")
_CLAUSE_SPLIT: Final = re.compile(r"[，,；;。\n]+")


def parse_assessments(text: str) -> dict[int, str]:
    """Years and results from the 年度考核结果 box; a result applies to the years before it."""
    results: dict[int, str] = {}
    pending: list[int] = []
    for clause in _CLAUSE_SPLIT.split(text):
        for first, last in _YEAR_RANGE_RE.findall(clause):
            pending.extend(range(int(first), int(last) + 1))
        clause = _YEAR_RANGE_RE.sub("", clause)
        pending.extend(int(y) for y in _YEAR_RE.findall(clause))
        match = _RESULT_RE.search(clause)
        if match and pending:
            for year in pending:
                results[year] = _RESULT_WORDS[match.group(0)]
            pending = []
    return results


def assessment_text(results: dict[int, str]) -> str:
    """``2021年度、2022年度考核均为称职，2023年度考核为优秀。`` (runs of one result grouped)."""
    groups: list[tuple[list[int], str]] = []
    for year in sorted(results):
        if groups and groups[-1][1] == results[year]:
            groups[-1][0].append(year)
        else:
            groups.append(([year], results[year]))
    parts = []
    for years, result in groups:
        label = AssessmentResult(result).label
        verb = "考核均为" if len(years) > 1 else "考核为"
        parts.append("、".join(f"{y}年度" for y in years) + verb + label)
    return "，".join(parts) + "。" if parts else ""


# --------------------------------------------------------------------------- 奖惩情况

_ITEM_SPLIT: Final = re.compile(r"[；;。\n]+")
_LEADING_DATE_RE: Final = re.compile(r"^\s*(\d{4})\s*(?:[.．年]\s*(\d{1,2})(?![0-9])\s*月?)?")
_PERIOD_END_RE: Final = re.compile(r"影响期至\s*(\d{4})\s*[.．年-]\s*(\d{1,2})\s*[.．月-]\s*(\d{1,2})")
_SANCTION_RE: Final = re.compile(r"处分|警告|记过|降级|撤职|留党察看|开除党籍|开除公职|政务处分")
_ADMONISHMENT_RE: Final = re.compile(r"诫勉")
_NOTHING: Final = frozenset({"", "无", "无。", "没有"})


def _kind_of(text: str) -> str:
    if _SANCTION_RE.search(text):
        return "sanction"
    if _ADMONISHMENT_RE.search(text):
        return "admonishment"
    return "reward"


def parse_rewards(text: str) -> tuple[list[RewardData], list[str]]:
    """Dated items of the 奖惩情况 box, and the items that carry no date (not importable)."""
    items: list[RewardData] = []
    undated: list[str] = []
    if text.strip() in _NOTHING:
        return items, undated
    for raw in _ITEM_SPLIT.split(text):
        item = raw.strip()
        if item in _NOTHING:
            continue
        match = _LEADING_DATE_RE.match(item)
        month = int(match[2]) if match and match[2] else 1
        if match is None or not 1 <= month <= 12:
            undated.append(item)
            continue
        end_match = _PERIOD_END_RE.search(item)
        period_end = None
        if end_match:
            try:
                period_end = date(int(end_match[1]), int(end_match[2]), int(end_match[3]))
            except ValueError:
                period_end = None
        items.append(RewardData(_kind_of(item), item, date(int(match[1]), month, 1), period_end))
    return items, undated


def reward_line(
    kind: str, description: str, decided_on: date, period_end: date | None, authority: str
) -> str:
    """One item of the 奖惩情况 box, starting with its date so that it reads back the same."""
    text = description.strip().rstrip("；;。")
    if text.startswith(str(decided_on.year)):
        line = text
    else:
        line = f"{decided_on.year:04d}.{decided_on.month:02d} {text}"
        if authority:
            line += f"（{authority}）"
    if period_end is not None and "影响期至" not in line:
        line += f"，影响期至{period_end.year:04d}.{period_end.month:02d}.{period_end.day:02d}"
    return line


def rewards_text(records: Iterable[Any]) -> str:
    lines = [
        reward_line(r.kind, r.description, r.decided_on, r.period_end, r.authority)
        for r in sorted(records, key=lambda r: (r.decided_on, r.pk or 0))
    ]
    return "；\n".join(lines) + "。" if lines else ""


# --------------------------------------------------------------------------- small mappings


def submitting_unit(jurisdiction_name: str) -> str:
    """呈报单位: the organization department of the jurisdiction (临泽县 → 中共临泽县委组织部)."""
    return f"中共{jurisdiction_name}委组织部" if jurisdiction_name else ""


def _education_of(text: str) -> str | None:
    """The education level a free-text 学历 names, or None."""
    if not text:
        return ""
    for value, label in Education.choices:
        if text == label:
            return value
    if "博士" in text:
        return Education.DOCTOR
    if "硕士" in text or "研究生" in text:
        return Education.MASTER
    if "大专" in text or "专科" in text:
        return Education.JUNIOR_COLLEGE
    if "本科" in text or "大学" in text:
        return Education.BACHELOR
    if "中专" in text or "中技" in text or "中等专业" in text:
        return Education.TECHNICAL
    if "高中" in text:
        return Education.HIGH_SCHOOL
    return None


def _degree_of(text: str) -> str | None:
    if not text or text == "无":
        return ""
    for value, label in Degree.choices:
        if value and text.endswith(label):
            return value
    return None


_DEMOCRATIC_PARTIES: Final = ("民革", "民盟", "民建", "民进", "农工", "致公", "九三", "台盟", "民主党派")


def _status_of(joined: YearMonth | None, note: str) -> str:
    if joined is not None:
        return PoliticalStatus.CPC
    if any(p in note for p in _DEMOCRATIC_PARTIES):
        return PoliticalStatus.DEMOCRATIC_PARTY
    if "团员" in note:
        return PoliticalStatus.LEAGUE
    return PoliticalStatus.NONE


def holding_text(organization: str, title: str) -> str:
    """The resume text of a holding: ``沙河镇党委副书记`` (the unit is not repeated)."""
    if organization and not title.startswith(organization):
        return organization + title
    return title


def _ym(value: date | None) -> YearMonth | None:
    return YearMonth.of(value) if value is not None else None


def _first_day(value: YearMonth | None) -> date | None:
    return value.first_day() if value is not None else None


# A continuation line that starts like a period would be read back as a new period.
_PERIOD_LIKE: Final = re.compile(r"^\s*(?:[0-9]{4}[.．][0-9]{1,2}|[0-9]{6})\s*(?:-|—|－|–|~|～|至)")


def _note_lines(note: str) -> list[str]:
    lines = [line.strip() for line in note.replace("\r", "\n").split("\n") if line.strip()]
    return [f"（{line}）" if _PERIOD_LIKE.match(line) else line for line in lines]


# --------------------------------------------------------------------------- export


def cadre_to_person(
    cadre: Any,
    *,
    today: date,
    filled_by: str = "",
    mask_id: bool = False,
    proposed_post: str = "",
    post_to_leave: str = "",
    appointment_reason: str = "",
) -> LrmxPerson:
    """The appointment form of ``cadre`` as of ``today`` (relations prefetched by the caller)."""
    periods = []
    for h in cadre.holdings.all():
        text = "\n".join([holding_text(h.organization, h.title), *_note_lines(h.note)])
        periods.append(ResumePeriod(YearMonth.of(h.start), _ym(h.end), text))
    assessments = {a.year: a.result for a in cadre.assessments.all()}
    family = [
        LrmxFamilyMember(
            relation=f.relation,
            name=f.name,
            birth=_ym(f.birth_date),
            political_status=f.political_status,
            work_unit_and_post=f.work_unit_post,
        )
        for f in cadre.family.all()
    ]
    unit_name = cadre.unit.name if cadre.unit_id else ""
    current = cadre.current_title
    if current and unit_name and not current.startswith(unit_name):
        current = unit_name + current
    degree_school = cadre.fulltime_school if cadre.fulltime_degree else ""
    inservice_degree_school = cadre.inservice_school if cadre.inservice_degree else ""
    photo = bytes(cadre.photo) if cadre.photo else None
    return LrmxPerson(
        name=cadre.name,
        gender=Gender(cadre.gender).label,
        birth=YearMonth.of(cadre.birth_date),
        ethnicity=cadre.ethnicity,
        native_place=cadre.native_place,
        birthplace=cadre.birthplace,
        party_joined=_ym(cadre.party_join_date),
        party_note="民主党派" if cadre.political_status == PoliticalStatus.DEMOCRATIC_PARTY else "",
        work_started=YearMonth.of(cadre.work_start_date),
        health=Health(cadre.health).label if cadre.health else "",
        professional_title=cadre.professional_title,
        expertise=cadre.specialty,
        fulltime_education=Education(cadre.fulltime_education).label if cadre.fulltime_education else "",
        fulltime_degree=Degree(cadre.fulltime_degree).label if cadre.fulltime_degree else "",
        fulltime_education_school=cadre.fulltime_school,
        fulltime_degree_school=degree_school,
        inservice_education=Education(cadre.inservice_education).label if cadre.inservice_education else "",
        inservice_degree=Degree(cadre.inservice_degree).label if cadre.inservice_degree else "",
        inservice_education_school=cadre.inservice_school,
        inservice_degree_school=inservice_degree_school,
        current_post=current,
        proposed_post=proposed_post,
        post_to_leave=post_to_leave,
        resume=periods,
        rewards_and_sanctions=rewards_text(cadre.rewards_sanctions.all()),
        annual_assessment=assessment_text(assessments),
        appointment_reason=appointment_reason,
        family=family,
        submitting_unit=submitting_unit(cadre.jurisdiction.name),
        age_computed_on=today,
        filled_on=YearMonth.of(today),
        filled_by=filled_by,
        id_number=idnumber.mask(cadre.id_number) if mask_id else cadre.id_number,
        photo=photo,
    )


# --------------------------------------------------------------------------- import


def _fit(record: CadreRecord, box: str, text: str, limit: int) -> str:
    if len(text) > limit:
        record.problems.append((box, f"不能超过 {limit} 个字（现为 {len(text)} 个）"))
    return text


def person_to_record(person: LrmxPerson, *, today: date, unit_name: str = "") -> CadreRecord:
    """Register values from a parsed form. Nothing is written; problems and warnings are listed."""
    rec = CadreRecord()
    rec.warnings.extend(person.warnings)
    f = rec.fields

    f["name"] = _fit(rec, "姓名", person.name.strip(), 32)
    if not f["name"]:
        rec.problems.append(("姓名", "不能为空"))

    raw_id = person.id_number.strip()
    if not raw_id:
        rec.problems.append(("身份证号", "不能为空：名册以公民身份号码识别干部"))
    else:
        try:
            f["id_number"] = idnumber.validate(raw_id, today=today)
        except idnumber.IdNumberError as error:
            rec.problems.append(("身份证号", str(error)))

    gender = {label: value for value, label in Gender.choices}.get(person.gender.strip())
    if gender is None:
        rec.problems.append(("性别", f"应为“男”或“女”，实际为“{person.gender}”"))
    else:
        f["gender"] = gender

    if person.birth is not None:
        f["birth_date"] = person.birth.first_day()
        rec.month_only.add("birth_date")

    ethnicity = person.ethnicity.strip()
    if not ethnicity:
        rec.problems.append(("民族", "不能为空"))
    elif ethnicity in ETHNICITIES:
        f["ethnicity"] = ethnicity
    elif ethnicity + "族" in ETHNICITIES:
        f["ethnicity"] = ethnicity + "族"
    else:
        f["ethnicity"] = _fit(rec, "民族", ethnicity, 16)
        rec.warnings.append(f"民族“{ethnicity}”不是规范名称，已原样登记")

    f["native_place"] = _fit(rec, "籍贯", person.native_place, 64)
    f["birthplace"] = _fit(rec, "出生地", person.birthplace, 64)

    f["party_join_date"] = _first_day(person.party_joined)
    if person.party_joined is not None:
        rec.month_only.add("party_join_date")
    f["political_status"] = _status_of(person.party_joined, person.party_note)

    if person.work_started is None:
        rec.problems.append(("参加工作时间", "不能为空"))
    else:
        f["work_start_date"] = person.work_started.first_day()
        rec.month_only.add("work_start_date")

    health_text = person.health.strip()
    health = {label: value for value, label in Health.choices}.get(health_text)
    if not health_text:
        f["health"] = Health.HEALTHY
        rec.warnings.append("健康状况为空，按“健康”登记")
    elif health is None:
        rec.problems.append(("健康状况", f"“{health_text}”无法识别，应为健康、一般或较差"))
    else:
        f["health"] = health

    f["professional_title"] = _fit(rec, "专业技术职务", person.professional_title, 64)
    f["specialty"] = _fit(rec, "熟悉专业有何专长", person.expertise, 128)

    for prefix, box in (("fulltime", "全日制教育"), ("inservice", "在职教育")):
        education_text = getattr(person, f"{prefix}_education").strip()
        education = _education_of(education_text)
        if education is None:
            rec.warnings.append(f"{box}学历“{education_text}”无法对应到学历层次，未登记")
            education = ""
        elif education_text and education_text != (Education(education).label if education else ""):
            rec.warnings.append(f"{box}学历“{education_text}”按“{Education(education).label}”登记")
        f[f"{prefix}_education"] = education
        degree_text = getattr(person, f"{prefix}_degree").strip()
        degree = _degree_of(degree_text)
        if degree is None:
            rec.warnings.append(f"{box}学位“{degree_text}”无法识别，未登记")
            degree = ""
        elif degree and degree_text != Degree(degree).label:
            rec.warnings.append(f"{box}学位“{degree_text}”按“{Degree(degree).label}”登记")
        f[f"{prefix}_degree"] = degree
        school = getattr(person, f"{prefix}_education_school").strip()
        degree_school = getattr(person, f"{prefix}_degree_school").strip()
        if degree_school and school and degree_school != school:
            rec.warnings.append(f"{box}学位的毕业院校系及专业“{degree_school}”与学历的不同，只登记学历的")
        f[f"{prefix}_school"] = _fit(rec, f"{box}毕业院校系及专业", school or degree_school, 128)

    current = person.current_post.strip()
    if unit_name and current.startswith(unit_name) and len(current) > len(unit_name):
        current = current[len(unit_name) :]
    f["current_title"] = _fit(rec, "现任职务", current, 128)

    for number, period in enumerate(person.resume, start=1):
        if period.start is None:
            rec.problems.append(("简历", f"第 {number} 段没有起始时间：{period.text[:30]}"))
            continue
        lines = [line for line in period.text.split("\n") if line.strip()]
        first = lines[0] if lines else ""
        if not first:
            rec.problems.append(("简历", f"第 {number} 段（{period.start}起）没有内容"))
        if len(first) > 128:
            rec.problems.append(("简历", f"第 {number} 段第一行超过 128 个字，请把“其间”等内容另起一行"))
        if period.end is not None and period.end < period.start:
            rec.problems.append(
                ("简历", f"第 {number} 段的截止时间 {period.end} 早于起始时间 {period.start}")
            )
        rec.periods.append(
            PeriodData(period.start.first_day(), _first_day(period.end), first, "\n".join(lines[1:]))
        )

    rec.assessments = parse_assessments(person.annual_assessment)
    if person.annual_assessment.strip() and not rec.assessments:
        rec.warnings.append(f"年度考核结果“{person.annual_assessment[:40]}”无法逐年识别，未登记")

    rec.rewards, undated = parse_rewards(person.rewards_and_sanctions)
    for item in undated:
        rec.warnings.append(f"奖惩情况“{item[:40]}”没有年份，未登记")
    for reward in rec.rewards:
        if len(reward.description) > 255:
            rec.problems.append(("奖惩情况", f"“{reward.description[:20]}…”一项超过 255 个字"))

    for index, member in enumerate(person.family, start=1):
        box = f"家庭主要成员第 {index} 人"
        rec.family.append(
            FamilyData(
                relation=_fit(rec, box + "称谓", member.relation.strip(), 16),
                name=_fit(rec, box + "姓名", member.name.strip(), 32),
                birth_date=_first_day(member.birth),
                political_status=_fit(rec, box + "政治面貌", member.political_status.strip(), 32),
                work_unit_post=_fit(rec, box + "工作单位及职务", member.work_unit_and_post.strip(), 128),
            )
        )

    # Plain strings, not choice members: the values go into record payloads as they are.
    rec.fields = {k: str(v) if isinstance(v, str) else v for k, v in f.items()}
    rec.assessments = {year: str(result) for year, result in rec.assessments.items()}
    rec.photo = person.photo
    if any((person.proposed_post, person.post_to_leave, person.appointment_reason)):
        rec.warnings.append("拟任职务、拟免职务和任免理由属于任免事项，不登记到干部名册")
    return rec
