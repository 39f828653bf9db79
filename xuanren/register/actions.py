"""Every write to the register, one function per change.

Each action takes the acting user as ``acting_user``, checks what it is asked to do, changes the
models and appends one entry to the full-process record, all in one durable transaction
(``record.api.recorded_action``): the change and its entry commit together or not at all.
Refusals raise :class:`RegisterError` with a Chinese message. Record payloads never hold a full
ID number, only its masked form.

Imports read and check the whole file first (outside the transaction, so a slow file never holds
the database lock), then check what needs the database inside it; any error anywhere saves
nothing and every error is reported.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Count

from xuanren.accounts.models import Jurisdiction
from xuanren.record import api as record
from xuanren.register import excel, idnumber, interchange, lrmx, names
from xuanren.register.choices import Gender, PoliticalStatus, PostRole, Rank
from xuanren.register.models import (
    AnnualAssessment,
    Cadre,
    FamilyMember,
    HeadcountQuota,
    Post,
    PostHolding,
    RewardSanction,
    Unit,
)

__all__ = [
    "RegisterError",
    "create_cadre",
    "import_lrmx_person",
    "import_posts",
    "import_roster",
    "update_cadre",
]


class RegisterError(Exception):
    """A register change was refused. ``message`` is Chinese; ``field`` names the field at fault.

    An import refused for its content also carries every problem found, in ``errors``.
    """

    def __init__(self, message: str, field: str | None = None, errors: Sequence[Any] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors: list[Any] = list(errors)


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did: counts by kind, warnings for the user, and the record entry's number."""

    counts: dict[str, int]
    warnings: list[str] = field(default_factory=list)
    entry_seq: int = 0
    cadre: Cadre | None = None
    created: bool = False


# --------------------------------------------------------------------------- permissions


def _check(acting_user: Any, permission: str, jurisdiction: Jurisdiction) -> None:
    if acting_user is None or not getattr(acting_user, "is_authenticated", False):
        raise RegisterError("请先登录")
    if not acting_user.has_perm(permission):
        raise RegisterError("您的角色无权修改干部名册")
    if acting_user.is_superuser:
        return
    own = acting_user.jurisdiction
    if own is None or not jurisdiction.path.startswith(own.path):
        raise RegisterError(f"{jurisdiction.name}不在您的管辖范围内", field="jurisdiction")


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# --------------------------------------------------------------------------- cadre rules

_DATE_LABELS: Final = {
    "party_join_date": "入党时间",
    "work_start_date": "参加工作时间",
    "post_since": "任现职时间",
    "rank_since": "任现职级时间",
}


def _cadre_problems(
    values: dict[str, Any],
    month_only: AbstractSet[str] = frozenset(),
    failed: AbstractSet[str] = frozenset(),
) -> list[tuple[str, str]]:
    """Rules across fields of one cadre, as (field, message). Fills the birth date from the ID number.

    ``month_only`` names dates known only to the month; ``failed`` fields already had a problem.
    """
    problems: list[tuple[str, str]] = []
    number = values.get("id_number")
    parsed: idnumber.IdNumber | None = None
    if number and "id_number" not in failed:
        try:
            parsed = idnumber.parse(number)
        except idnumber.IdNumberError as error:
            problems.append(("id_number", str(error)))
    if parsed is not None:
        birth = values.get("birth_date")
        if birth is None:
            if "birth_date" not in failed:
                values["birth_date"] = parsed.birth_date
        elif "birth_date" in month_only:
            if (birth.year, birth.month) != (parsed.birth_date.year, parsed.birth_date.month):
                problems.append(
                    (
                        "birth_date",
                        f"{birth:%Y.%m} 与公民身份号码中的出生日期 {parsed.birth_date:%Y.%m.%d} 不符",
                    )
                )
            else:
                values["birth_date"] = parsed.birth_date
        elif birth != parsed.birth_date:
            problems.append(
                (
                    "birth_date",
                    f"{birth:%Y.%m.%d} 与公民身份号码中的出生日期 {parsed.birth_date:%Y.%m.%d} 不符",
                )
            )
        gender = values.get("gender")
        expected = Gender.MALE if parsed.is_male else Gender.FEMALE
        if gender and gender != expected:
            problems.append(("gender", f"与公民身份号码不符（号码第 17 位表示{parsed.gender}性）"))
    status = values.get("political_status")
    if (
        status in (PoliticalStatus.CPC, PoliticalStatus.CPC_PROBATIONARY)
        and not values.get("party_join_date")
        and "party_join_date" not in failed
    ):
        problems.append(("party_join_date", f"政治面貌为{PoliticalStatus(status).label}的必须填写入党时间"))
    birth = values.get("birth_date")
    if birth is not None:
        for name, label in _DATE_LABELS.items():
            when = values.get(name)
            if when is not None and (when.year, when.month) <= (birth.year, birth.month):
                problems.append((name, f"{label}不能早于出生日期"))
    return problems


_CADRE_FIELDS: Final = frozenset(
    {
        "unit",
        "name",
        "gender",
        "ethnicity",
        "birth_date",
        "native_place",
        "birthplace",
        "id_number",
        "political_status",
        "party_join_date",
        "work_start_date",
        "health",
        "professional_title",
        "specialty",
        "fulltime_education",
        "fulltime_degree",
        "fulltime_school",
        "inservice_education",
        "inservice_degree",
        "inservice_school",
        "current_title",
        "current_rank",
        "rank_since",
        "post_since",
        "photo",
    }
)


def _field_label(name: str) -> str:
    return str(getattr(Cadre._meta.get_field(name), "verbose_name", name))


def _raise_first(problems: list[tuple[str, str]]) -> None:
    if problems:
        name, message = problems[0]
        raise RegisterError(f"「{_field_label(name)}」{message}", field=name)


def _validate_cadre(cadre: Cadre, values: dict[str, Any]) -> None:
    """Set ``values`` on ``cadre`` and validate it as a model; raises RegisterError on the first problem."""
    for name, value in values.items():
        setattr(cadre, name, value)
    if cadre.id_number:
        try:
            cadre.id_number = idnumber.validate(cadre.id_number)
        except idnumber.IdNumberError as error:
            raise RegisterError(f"「公民身份号码」{error}", field="id_number") from None
    keys = names.name_keys(cadre.name)
    cadre.name_pinyin, cadre.name_initials = keys.full, keys.initials
    try:
        cadre.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        label = _field_label(name) if name in _CADRE_FIELDS else name
        raise RegisterError(f"「{label}」{messages[0]}", field=name) from None
    clash = Cadre.objects.filter(id_number=cadre.id_number).exclude(pk=cadre.pk).first()
    if clash is not None:
        raise RegisterError("「公民身份号码」已在干部名册中登记，不能重复登记", field="id_number")


def _check_unit(unit: Unit | None, jurisdiction: Jurisdiction) -> None:
    if unit is not None and not unit.jurisdiction.path.startswith(jurisdiction.path):
        raise RegisterError(f"单位“{unit.name}”不在{jurisdiction.name}的管辖范围内", field="unit")


def _payload_value(name: str, value: Any) -> Any:
    if name == "id_number":
        return idnumber.mask(value or "")
    if name == "photo":
        return f"{len(value)} 字节" if value else ""
    if name == "unit":
        return value.name if value is not None else ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return str(value)  # a choice member becomes its plain stored value
    return value


def create_cadre(*, acting_user: Any, jurisdiction: Jurisdiction, values: Mapping[str, Any]) -> Cadre:
    """Register a new cadre in ``jurisdiction``; the name's pinyin keys are derived here."""
    _check(acting_user, "register.add_cadre", jurisdiction)
    unknown = set(values) - _CADRE_FIELDS
    if unknown:
        raise RegisterError(f"不能设置的字段：{'、'.join(sorted(unknown))}")
    data = dict(values)
    _check_unit(data.get("unit"), jurisdiction)
    _raise_first(_cadre_problems(data))
    with record.recorded_action():
        cadre = Cadre(jurisdiction=jurisdiction)
        _validate_cadre(cadre, data)
        cadre.save()
        record.append(
            action="register.create_cadre",
            actor=acting_user,
            jurisdiction_code=jurisdiction.code,
            candidate_id=cadre.pk,
            payload={
                "cadre": cadre.pk,
                "name": cadre.name,
                "id_number": idnumber.mask(cadre.id_number),
                "fields": sorted(data),
            },
        )
    return cadre


def update_cadre(cadre: Cadre, *, acting_user: Any, changes: Mapping[str, Any]) -> Cadre:
    """Change fields of a cadre the user may see; the record holds what changed (ID masked)."""
    _check(acting_user, "register.change_cadre", cadre.jurisdiction)
    unknown = set(changes) - _CADRE_FIELDS
    if unknown:
        raise RegisterError(f"不能修改的字段：{'、'.join(sorted(unknown))}")
    _check_unit(changes.get("unit"), cadre.jurisdiction)
    with record.recorded_action():
        current = Cadre.objects.select_for_update().get(pk=cadre.pk)
        changed = {
            name: value
            for name, value in changes.items()
            if (getattr(current, name) if name != "unit" else current.unit) != value
        }
        # Cross-field rules look at the whole cadre as it will be; an update is refused for a
        # problem it brings in, not for one the record already had (say, an old missing date).
        before = {n: getattr(current, n) for n in _CADRE_FIELDS if n not in ("unit", "photo")}
        whole = {**before, **{k: v for k, v in changed.items() if k not in ("unit", "photo")}}
        if "birth_date" not in changed and "id_number" in changed:
            whole.pop("birth_date", None)  # derive it from the new number
        already = set(_cadre_problems(dict(before)))
        _raise_first([p for p in _cadre_problems(whole) if p not in already])
        if "birth_date" not in changed and whole.get("birth_date") != current.birth_date:
            changed["birth_date"] = whole["birth_date"]
        _validate_cadre(current, changed)
        current.save()
        record.append(
            action="register.update_cadre",
            actor=acting_user,
            jurisdiction_code=current.jurisdiction.code,
            candidate_id=current.pk,
            payload={
                "cadre": current.pk,
                "name": current.name,
                "changes": {name: _payload_value(name, value) for name, value in sorted(changed.items())},
            },
        )
    return current


# --------------------------------------------------------------------------- roster import


def _existing_ids(numbers: Iterable[str]) -> set[str]:
    """Which of ``numbers`` are registered anywhere, in chunks that fit every database's limits."""
    unique = sorted(set(numbers))
    found: set[str] = set()
    for start in range(0, len(unique), 900):
        chunk = unique[start : start + 900]
        found.update(Cadre.objects.filter(id_number__in=chunk).values_list("id_number", flat=True))
    return found


def _refuse(errors: list[excel.CellError]) -> RegisterError:
    errors = sorted(errors, key=lambda e: (e.sheet, e.row, e.column_index))
    rows = len({(e.sheet, e.row) for e in errors if e.row})
    where = f"，涉及 {rows} 行" if rows else ""
    return RegisterError(
        f"导入未成功：发现 {len(errors)} 处错误{where}，未保存任何数据。请逐条改正后重新导入。",
        field="file",
        errors=errors,
    )


def import_roster(
    *, acting_user: Any, jurisdiction: Jurisdiction, file_name: str, content: bytes, today: date
) -> ImportResult:
    """Register every cadre of a roster workbook in ``jurisdiction``, or none of them."""
    _check(acting_user, "register.import_register", jurisdiction)
    try:
        excel.check_upload(file_name, len(content))
        sheet = excel.read_roster(content, today=today)
    except excel.SpreadsheetError as error:
        raise RegisterError(str(error), field="file") from None

    with record.recorded_action():
        units = dict(Unit.objects.filter(jurisdiction=jurisdiction).values_list("name", "id"))
        existing = _existing_ids(r.values["id_number"] for r in sheet.rows if "id_number" in r.values)
        first_row: dict[str, int] = {}
        cadres: list[Cadre] = []
        for row in sheet.rows:
            values = row.values
            for name, message in _cadre_problems(values, row.month_only, row.failed):
                sheet.error(row.row, name, message)
            number = values.get("id_number")
            if number:
                if number in first_row:
                    sheet.error(row.row, "id_number", f"与第 {first_row[number]} 行重复")
                else:
                    first_row[number] = row.row
                if number in existing:
                    sheet.error(row.row, "id_number", "已在干部名册中登记，不能重复导入")
            unit_name = values.get("unit", "")
            if unit_name and unit_name not in units:
                sheet.error(
                    row.row, "unit", f"{jurisdiction.name}没有名为“{unit_name}”的单位，请先导入职位表"
                )
            if sheet.errors:
                continue  # nothing will be saved; keep checking, stop building
            cadres.append(_roster_cadre(jurisdiction, values, units.get(unit_name)))
        if sheet.errors:
            raise _refuse(sheet.errors)
        try:
            Cadre.objects.bulk_create(cadres, batch_size=1000)
        except IntegrityError:
            raise RegisterError("导入时有公民身份号码已被同时登记，未保存任何数据，请重新导入") from None
        entry = record.append(
            action="register.import_roster",
            actor=acting_user,
            jurisdiction_code=jurisdiction.code,
            payload={
                "file_name": file_name,
                "sha256": _sha256(content),
                "rows": len(sheet.rows),
                "created": len(cadres),
            },
        )
    warnings = [f"已忽略无法识别的列：{'、'.join(sheet.ignored_headers)}"] if sheet.ignored_headers else []
    return ImportResult({"rows": len(sheet.rows), "created": len(cadres)}, warnings, entry.seq)


def _roster_cadre(jurisdiction: Jurisdiction, values: dict[str, Any], unit_id: int | None) -> Cadre:
    keys = names.name_keys(values["name"])
    fields = {c.field: values.get(c.field) for c in excel.ROSTER_COLUMNS if c.field not in ("seq", "unit")}
    for name in ("native_place", "birthplace", "professional_title", "specialty", "current_title"):
        fields[name] = fields[name] or ""
    for name in ("fulltime_education", "fulltime_degree", "fulltime_school"):
        fields[name] = fields[name] or ""
    for name in ("inservice_education", "inservice_degree", "inservice_school", "current_rank"):
        fields[name] = fields[name] or ""
    fields["health"] = fields["health"] or "healthy"
    return Cadre(
        jurisdiction=jurisdiction,
        unit_id=unit_id,
        name_pinyin=keys.full,
        name_initials=keys.initials,
        **fields,
    )


# --------------------------------------------------------------------------- posts import


def _parent_cycle(start: str, parent_of: Mapping[str, str | None]) -> bool:
    seen = {start}
    current = parent_of.get(start)
    while current:
        if current in seen:
            return True
        seen.add(current)
        current = parent_of.get(current)
    return False


def import_posts(
    *, acting_user: Any, jurisdiction: Jurisdiction, file_name: str, content: bytes, today: date
) -> ImportResult:
    """Units with their approved headcount per rank, and their posts, from a posts workbook.

    Units are matched by name in ``jurisdiction`` and posts by unit and title: existing ones are
    updated, new ones created, none deleted. A unit's headcount becomes what the file says.
    """
    _check(acting_user, "register.import_register", jurisdiction)
    try:
        excel.check_upload(file_name, len(content))
        unit_sheet, post_sheet = excel.read_posts(content, today=today)
    except excel.SpreadsheetError as error:
        raise RegisterError(str(error), field="file") from None

    with record.recorded_action():
        existing = {u.name: u for u in Unit.objects.filter(jurisdiction=jurisdiction)}
        names_by_id = {u.pk: u.name for u in existing.values()}
        parent_of: dict[str, str | None] = {
            u.name: names_by_id.get(u.parent_id) if u.parent_id else None for u in existing.values()
        }
        in_file: dict[str, int] = {}
        for row in unit_sheet.rows:
            name = row.values.get("name")
            if not name:
                continue
            if name in in_file:
                unit_sheet.error(row.row, "name", f"与第 {in_file[name]} 行的单位重复")
                continue
            in_file[name] = row.row
            parent_of[name] = row.values.get("parent") or None
        known = set(existing) | set(in_file)
        for row in unit_sheet.rows:
            name, parent = row.values.get("name"), row.values.get("parent")
            if not name or not parent or in_file.get(name) != row.row:
                continue
            if parent == name:
                unit_sheet.error(row.row, "parent", "上级单位不能是本单位")
            elif parent not in known:
                unit_sheet.error(row.row, "parent", f"没有名为“{parent}”的单位")
            elif _parent_cycle(name, parent_of):
                unit_sheet.error(row.row, "parent", "上级单位关系形成了循环")
        seen_posts: dict[tuple[str, str], int] = {}
        for row in post_sheet.rows:
            unit_name, title = row.values.get("unit"), row.values.get("title")
            if unit_name and unit_name not in known:
                post_sheet.error(
                    row.row, "unit", f"没有名为“{unit_name}”的单位，请在「{excel.UNIT_SHEET}」表中添加"
                )
            if unit_name and title:
                key = (unit_name, title)
                if key in seen_posts:
                    post_sheet.error(row.row, "title", f"与第 {seen_posts[key]} 行的职位重复")
                else:
                    seen_posts[key] = row.row
        errors = unit_sheet.errors + post_sheet.errors
        if errors:
            raise _refuse(errors)

        counts = _apply_posts(jurisdiction, existing, unit_sheet, post_sheet)
        touched = counts.pop("_touched")
        warnings = _over_quota_warnings(
            [u for u in Unit.objects.filter(jurisdiction=jurisdiction) if u.name in touched]
        )
        entry = record.append(
            action="register.import_posts",
            actor=acting_user,
            jurisdiction_code=jurisdiction.code,
            payload={
                "file_name": file_name,
                "sha256": _sha256(content),
                "unit_rows": len(unit_sheet.rows),
                "post_rows": len(post_sheet.rows),
                **counts,
                "units": sorted(touched)[:200],
            },
        )
    return ImportResult(counts, warnings, entry.seq)


def _apply_posts(
    jurisdiction: Jurisdiction,
    existing: dict[str, Unit],
    unit_sheet: excel.ParsedSheet,
    post_sheet: excel.ParsedSheet,
) -> dict[str, Any]:
    new_units: list[Unit] = []
    changed_units: list[Unit] = []
    for order, row in enumerate(unit_sheet.rows, start=1):
        v = row.values
        unit = existing.get(v["name"])
        if unit is None:
            new_units.append(
                Unit(
                    jurisdiction=jurisdiction, name=v["name"], unit_type=v["unit_type"], sort_order=order * 10
                )
            )
        else:
            unit.unit_type, unit.sort_order = v["unit_type"], order * 10
            changed_units.append(unit)
    Unit.objects.bulk_create(new_units, batch_size=500)
    all_units = {**existing, **{u.name: u for u in new_units}}
    listed = [all_units[row.values["name"]] for row in unit_sheet.rows]
    for row, unit in zip(unit_sheet.rows, listed, strict=True):
        parent = row.values.get("parent")
        unit.parent = all_units[parent] if parent else None
    Unit.objects.bulk_update(listed, ["unit_type", "sort_order", "parent"], batch_size=500)

    HeadcountQuota.objects.filter(unit__in=listed).delete()
    quotas = [
        HeadcountQuota(unit=unit, rank=rank, approved=row.values[f"quota_{rank}"])
        for row, unit in zip(unit_sheet.rows, listed, strict=True)
        for rank in Rank.values
        if row.values.get(f"quota_{rank}")
    ]
    HeadcountQuota.objects.bulk_create(quotas, batch_size=500)

    post_units = {all_units[row.values["unit"]] for row in post_sheet.rows}
    current = {(p.unit_id, p.title): p for p in Post.objects.filter(unit__in=post_units)}
    new_posts: list[Post] = []
    changed_posts: list[Post] = []
    order_in_unit: Counter[int] = Counter()
    for row in post_sheet.rows:
        v = row.values
        unit = all_units[v["unit"]]
        order_in_unit[unit.pk] += 1
        role = v.get("role") or PostRole.DEPUTY
        post = current.get((unit.pk, v["title"]))
        if post is None:
            new_posts.append(
                Post(
                    unit=unit, title=v["title"], rank=v["rank"], role=role, sort_order=order_in_unit[unit.pk]
                )
            )
        else:
            post.rank, post.role, post.sort_order = v["rank"], role, order_in_unit[unit.pk]
            changed_posts.append(post)
    Post.objects.bulk_create(new_posts, batch_size=500)
    Post.objects.bulk_update(changed_posts, ["rank", "role", "sort_order"], batch_size=500)
    return {
        "units_created": len(new_units),
        "units_updated": len(changed_units),
        "quotas": len(quotas),
        "posts_created": len(new_posts),
        "posts_updated": len(changed_posts),
        "_touched": {u.name for u in listed} | {u.name for u in post_units},
    }


def _over_quota_warnings(units: list[Unit]) -> list[str]:
    """Units with more posts at a rank than their approved headcount (allowed, but worth a look)."""
    posts = Counter(
        {
            (row["unit_id"], row["rank"]): row["n"]
            for row in Post.objects.filter(unit__in=units).values("unit_id", "rank").annotate(n=Count("id"))
        }
    )
    approved = {(q.unit_id, q.rank): q.approved for q in HeadcountQuota.objects.filter(unit__in=units)}
    names_by_id = {u.pk: u.name for u in units}
    warnings = []
    for (unit_id, rank), n in sorted(posts.items()):
        limit = approved.get((unit_id, rank), 0)
        if limit and n > limit:
            warnings.append(f"{names_by_id[unit_id]}{Rank(rank).label}职位 {n} 个，多于核定职数 {limit} 名")
    return warnings


# --------------------------------------------------------------------------- LRMX import


def import_lrmx_person(
    *,
    acting_user: Any,
    jurisdiction: Jurisdiction,
    file_name: str,
    content: bytes,
    today: date,
    unit: Unit | None = None,
) -> ImportResult:
    """One appointment form (.lrmx): a new cadre, or an update of the cadre with its ID number.

    On update the form's resume, assessments, rewards and sanctions and family replace the
    register's; entries that are unchanged keep their identity (and a holding tied to a post is
    never dropped, since it is the post's occupancy).
    """
    _check(acting_user, "register.import_register", jurisdiction)
    _check_unit(unit, jurisdiction)
    if len(content) > lrmx.MAX_LRMX_BYTES:
        raise RegisterError(
            f"文件过大（{len(content) / 1024 / 1024:.1f} MiB），不能超过 {lrmx.MAX_LRMX_BYTES // 1024 // 1024} MiB",
            field="file",
        )
    try:
        person = lrmx.parse_lrmx(content)
    except lrmx.LrmxError as error:
        raise RegisterError(f"无法导入“{file_name}”：{error}", field="file") from None
    rec = interchange.person_to_record(person, today=today, unit_name=unit.name if unit else "")
    problems = [f"「{box}」{message}" for box, message in rec.problems]
    if not problems:
        problems = [
            f"「{_field_label(name)}」{message}"
            for name, message in _cadre_problems(rec.fields, rec.month_only)
        ]
    if problems:
        raise RegisterError(
            f"无法导入“{file_name}”：发现 {len(problems)} 处问题，未保存任何数据",
            field="file",
            errors=problems,
        )

    with record.recorded_action():
        cadre = Cadre.objects.select_for_update().filter(id_number=rec.fields["id_number"]).first()
        created = cadre is None
        if cadre is None:
            cadre = Cadre(jurisdiction=jurisdiction, unit=unit)
        elif not Cadre.objects.visible_to(acting_user).filter(pk=cadre.pk).exists() or not (
            cadre.jurisdiction.path.startswith(jurisdiction.path)
        ):
            raise RegisterError("该公民身份号码的干部由其他辖区管理，不能在此导入", field="file")
        elif unit is not None:
            cadre.unit = unit
        _apply_person_fields(cadre, rec, created)
        try:
            cadre.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            name, messages = next(iter(error.message_dict.items()))
            raise RegisterError(f"「{name}」{messages[0]}", field="file") from None
        cadre.save()
        warnings = list(rec.warnings)
        counts = {
            "resume_periods": _replace_holdings(cadre, rec.periods, warnings),
            "assessments": _replace_assessments(cadre, rec.assessments),
            "rewards_sanctions": _replace_rewards(cadre, rec.rewards),
            "family": _replace_family(cadre, rec.family),
        }
        entry = record.append(
            action="register.import_lrmx",
            actor=acting_user,
            jurisdiction_code=cadre.jurisdiction.code,
            candidate_id=cadre.pk,
            payload={
                "file_name": file_name,
                "sha256": _sha256(content),
                "cadre": cadre.pk,
                "name": cadre.name,
                "id_number": idnumber.mask(cadre.id_number),
                "created": created,
                **counts,
                "warnings": len(warnings),
            },
        )
    return ImportResult(counts, warnings, entry.seq, cadre=cadre, created=created)


def _same_month(a: date | None, b: date | None) -> bool:
    return a is not None and b is not None and (a.year, a.month) == (b.year, b.month)


def _apply_person_fields(cadre: Cadre, rec: interchange.CadreRecord, created: bool) -> None:
    for name, value in rec.fields.items():
        old = getattr(cadre, name, None)
        if name in rec.month_only and _same_month(old, value):
            continue  # the register knows the day; the form only the month
        if name == "political_status" and not created:
            if value == PoliticalStatus.CPC and old == PoliticalStatus.CPC_PROBATIONARY:
                continue
            if value == PoliticalStatus.NONE and old in (PoliticalStatus.LEAGUE, PoliticalStatus.NONE):
                continue
        setattr(cadre, name, value)
    if rec.photo:
        cadre.photo = rec.photo
    keys = names.name_keys(cadre.name)
    cadre.name_pinyin, cadre.name_initials = keys.full, keys.initials
    if created and rec.periods and rec.periods[-1].end is None:
        cadre.post_since = rec.periods[-1].start


def _replace_holdings(cadre: Cadre, periods: list[interchange.PeriodData], warnings: list[str]) -> int:
    existing = list(PostHolding.objects.filter(cadre=cadre))
    unmatched = {h.pk: h for h in existing}
    new: list[PostHolding] = []
    changed: list[PostHolding] = []
    for period in periods:
        match = next(
            (
                h
                for h in unmatched.values()
                if _same_month(h.start, period.start)
                and ((h.end is None and period.end is None) or _same_month(h.end, period.end))
            ),
            None,
        )
        if match is None:
            new.append(
                PostHolding(
                    cadre=cadre, title=period.text, start=period.start, end=period.end, note=period.note
                )
            )
            continue
        del unmatched[match.pk]
        if (
            interchange.holding_text(match.organization, match.title) != period.text
            or match.note != period.note
        ):
            if match.post_id is None:
                match.organization, match.title = "", period.text
            match.note = period.note
            changed.append(match)
    for holding in unmatched.values():
        if holding.post_id is not None:
            warnings.append(
                f"任职记录“{interchange.holding_text(holding.organization, holding.title)}”"
                f"（{holding.start:%Y.%m}起）与职位关联，简历中没有，已保留"
            )
    PostHolding.objects.filter(pk__in=[pk for pk, h in unmatched.items() if h.post_id is None]).delete()
    PostHolding.objects.bulk_update(changed, ["organization", "title", "note"])
    PostHolding.objects.bulk_create(new)
    return len(periods)


def _replace_assessments(cadre: Cadre, results: dict[int, str]) -> int:
    current = {a.year: a for a in AnnualAssessment.objects.filter(cadre=cadre)}
    AnnualAssessment.objects.filter(cadre=cadre).exclude(year__in=list(results)).delete()
    changed = []
    for year, result in results.items():
        if year in current and current[year].result != result:
            current[year].result = result
            changed.append(current[year])
    AnnualAssessment.objects.bulk_update(changed, ["result"])
    AnnualAssessment.objects.bulk_create(
        [AnnualAssessment(cadre=cadre, year=y, result=r) for y, r in results.items() if y not in current]
    )
    return len(results)


def _replace_rewards(cadre: Cadre, items: list[interchange.RewardData]) -> int:
    existing = list(RewardSanction.objects.filter(cadre=cadre))
    by_line = {
        interchange.reward_line(r.kind, r.description, r.decided_on, r.period_end, r.authority): r
        for r in existing
    }
    keep: set[int] = set()
    new = []
    for item in items:
        line = interchange.reward_line(item.kind, item.description, item.decided_on, item.period_end, "")
        match = by_line.pop(line, None)
        if match is not None:
            keep.add(match.pk)
        else:
            new.append(
                RewardSanction(
                    cadre=cadre,
                    kind=item.kind,
                    description=item.description,
                    decided_on=item.decided_on,
                    period_end=item.period_end,
                )
            )
    RewardSanction.objects.filter(cadre=cadre).exclude(pk__in=keep).delete()
    RewardSanction.objects.bulk_create(new)
    return len(items)


def _replace_family(cadre: Cadre, members: list[interchange.FamilyData]) -> int:
    # A relative linked to a registered cadre keeps the link when the same person is listed again.
    links = {
        (m.relation, m.name): m.relative_cadre_id
        for m in FamilyMember.objects.filter(cadre=cadre, relative_cadre__isnull=False)
    }
    FamilyMember.objects.filter(cadre=cadre).delete()
    FamilyMember.objects.bulk_create(
        FamilyMember(
            cadre=cadre,
            relation=m.relation,
            name=m.name,
            birth_date=m.birth_date,
            political_status=m.political_status,
            work_unit_post=m.work_unit_post,
            relative_cadre_id=links.get((m.relation, m.name)),
            sort_order=order,
        )
        for order, m in enumerate(members, start=1)
    )
    return len(members)
