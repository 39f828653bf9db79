"""Adding a policy version and entering holiday schedules: each one action with one record entry.

A stored policy version is never changed: :func:`add_policy_version` is the only write to
:class:`~xuanren.policies.models.PolicyVersion`. Holiday schedules are corrected in place by
:func:`save_holiday_schedule` (a later State Council notice may amend one), and every change is
recorded with what it replaced.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from xuanren.accounts.models import Jurisdiction
from xuanren.ledger.canonical import file_ref
from xuanren.policies import selectors
from xuanren.policies.models import HolidaySchedule, PolicyVersion
from xuanren.record.api import append, recorded_action
from xuanren.rules.calendar import YearSchedule
from xuanren.rules.policy import Policy, PolicyError, Problem, parse_policy_text

# Paths under /policies/ that a policy id would shadow.
RESERVED_IDS = frozenset({"diff", "sandbox", "upload", "holidays", "new"})

UPLOADERS = ("cadre_officer",)


class PolicyRefused(Exception):
    """A change the system will not make; ``problems`` name the key path and the reason."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        self.message = message
        self.problems = tuple(problems)
        super().__init__("\n".join([message, *(f"  {p.path}：{p.message}" for p in self.problems)]))

    @classmethod
    def of(cls, problems: Sequence[Problem]) -> PolicyRefused:
        return cls(f"政策文件有 {len(problems)} 处问题：", problems)


def can_upload(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.has_role(*UPLOADERS)))


def can_edit_schedules(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


def _record_jurisdiction(user: Any) -> str:
    """The jurisdiction a policy or schedule entry is recorded under.

    Both apply system-wide; the entry goes under the acting user's jurisdiction, or, for a system
    administrator who has none, under the top of the jurisdiction tree.
    """
    if getattr(user, "jurisdiction_id", None):
        return str(user.jurisdiction.code)
    top = Jurisdiction.objects.filter(parent=None).order_by("path").first()
    if top is None:
        raise PolicyRefused("系统中还没有辖区，无法记入全程纪实：请先建立辖区")
    return top.code


# --- policy versions ------------------------------------------------------------------------


def check_policy_text(text: str) -> Policy:
    """Validate a policy text and resolve it against every known policy, as it would be saved.

    Raises :class:`PolicyRefused` whose problems name each bad key path (in Chinese).
    """
    try:
        source = parse_policy_text(text, origin="提交的政策文件")
    except PolicyError as error:
        raise PolicyRefused.of(error.problems) from None
    policy_id, version = source.file.id, source.file.version
    if policy_id in RESERVED_IDS:
        raise PolicyRefused.of([Problem("id", f"“{policy_id}”是系统保留字，请换一个编号")])
    registry = selectors.policy_registry()
    existing = registry.versions(policy_id)
    if existing and version <= existing[-1]:
        taken = "已存在" if version in existing else f"不是最新版本（现有最新为 {existing[-1]}）"
        raise PolicyRefused.of(
            [
                Problem(
                    "version",
                    f"{policy_id}@{version} {taken}：修改政策须另立新版本，请把 version 改为 {existing[-1] + 1}",
                )
            ]
        )
    try:
        return registry.resolve(source)
    except PolicyError as error:
        raise PolicyRefused.of(error.problems) from None


def add_policy_version(*, text: str, acting_user: Any, comment: str = "") -> PolicyVersion:
    """Store a policy file as a new immutable version after checking it, and record who did it."""
    if not can_upload(acting_user):
        raise PolicyRefused("只有干部科或系统管理员可以录入政策")
    policy = check_policy_text(text)
    jurisdiction_code = _record_jurisdiction(acting_user)
    try:
        stored = _store(policy, text, comment.strip(), acting_user, jurisdiction_code)
    except IntegrityError:  # the same version saved a moment ago by someone else
        raise PolicyRefused.of(
            [Problem("version", f"{policy.label} 刚刚已由他人保存：请把 version 改为新的版本号")]
        ) from None
    return stored


def _store(
    policy: Policy, text: str, comment: str, acting_user: Any, jurisdiction_code: str
) -> PolicyVersion:
    with recorded_action():
        stored = PolicyVersion.objects.create(
            policy_id=policy.id,
            version=policy.version,
            name=policy.name,
            effective=policy.effective,
            inherits=policy.inherits or "",
            text=text,
            sha256=policy.sha256,
            comment=comment,
            created_by=acting_user,
            created_at=timezone.now(),
        )
        append(
            action="policies.add_version",
            actor=acting_user,
            jurisdiction_code=jurisdiction_code,
            payload={
                "policy": policy.id,
                "version": policy.version,
                "name": policy.name,
                "effective": policy.effective,
                "inherits": policy.inherits,
                "chain": list(policy.chain),
                "sha256": policy.sha256,
                "comment": stored.comment,
                "files": [file_ref(f"{policy.id}.v{policy.version}.toml", text.encode("utf-8"))],
            },
        )
        transaction.on_commit(selectors.forget_registry)
    return stored


# --- holiday schedules ----------------------------------------------------------------------


def _iso(days: Iterable[date]) -> list[str]:
    return sorted(day.isoformat() for day in days)


def save_holiday_schedule(
    *,
    year: int,
    holidays: Iterable[date],
    workdays: Iterable[date],
    source: str,
    acting_user: Any,
) -> HolidaySchedule:
    """Enter or correct the official holiday schedule of ``year`` (system administrators only)."""
    if not can_edit_schedules(acting_user):
        raise PolicyRefused("只有系统管理员可以录入法定节假日安排")
    if not source.strip():
        raise PolicyRefused("请填写依据（国务院办公厅通知的文号或标题）")
    try:
        schedule = YearSchedule(year, frozenset(holidays), frozenset(workdays), source.strip())
    except ValueError as error:
        raise PolicyRefused(str(error)) from None
    jurisdiction_code = _record_jurisdiction(acting_user)
    with recorded_action():
        row = HolidaySchedule.objects.select_for_update().filter(year=year).first()
        before = (
            {"holidays": row.holidays, "workdays": row.workdays, "source": row.source}
            if row is not None
            else None
        )
        if row is None:
            row = HolidaySchedule(year=year)
        row.holidays = _iso(schedule.holidays)
        row.workdays = _iso(schedule.workdays)
        row.source = schedule.source
        row.updated_by = acting_user
        row.updated_at = timezone.now()
        row.save()
        payload: dict[str, Any] = {
            "year": year,
            "holidays": row.holidays,
            "workdays": row.workdays,
            "source": row.source,
        }
        if before is not None:
            payload["before"] = before
        append(
            action="policies.save_holiday_schedule",
            actor=acting_user,
            jurisdiction_code=jurisdiction_code,
            payload=payload,
        )
    return row


def delete_holiday_schedule(*, year: int, acting_user: Any) -> None:
    """Remove an entered schedule (the year falls back to the package, or to the clear error)."""
    if not can_edit_schedules(acting_user):
        raise PolicyRefused("只有系统管理员可以删除法定节假日安排")
    jurisdiction_code = _record_jurisdiction(acting_user)
    with recorded_action():
        row = HolidaySchedule.objects.select_for_update().filter(year=year).first()
        if row is None:
            raise PolicyRefused(f"没有录入 {year} 年的放假安排")
        before = {"holidays": row.holidays, "workdays": row.workdays, "source": row.source}
        row.delete()
        append(
            action="policies.delete_holiday_schedule",
            actor=acting_user,
            jurisdiction_code=jurisdiction_code,
            payload={"year": year, "before": before},
        )
