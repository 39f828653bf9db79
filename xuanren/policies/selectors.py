"""Reading policies and holiday schedules: the built-in files plus what was entered in the system.

Other apps call :func:`policy_registry` to look policies up and :func:`resolve_campaign_policy`
to load the exact rules a campaign pinned. Working days go through
:mod:`xuanren.policies.calendar`, which passes :func:`working_day_schedules` along.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.db.models import Count, Max

from xuanren.policies.models import HolidaySchedule, PolicyVersion
from xuanren.rules.calendar import YearSchedule
from xuanren.rules.policy import (
    Policy,
    PolicyError,
    PolicyIntegrityError,
    PolicyRegistry,
    builtin_registry,
    parse_policy_text,
)

# --- the registry ---------------------------------------------------------------------------

_lock = threading.Lock()


@dataclass(frozen=True)
class _StoredRow:
    id: int
    policy_id: str
    version: int
    text: str
    sha256: str

    @property
    def label(self) -> str:
        return f"{self.policy_id}@{self.version}"


@dataclass(frozen=True)
class _Snapshot:
    """The registry as built from one reading of the stored versions."""

    fingerprint: tuple[int, int | None]
    texts: str  # digest of every stored (id, version, text) the registry was built from
    registry: PolicyRegistry
    broken: tuple[tuple[str, str], ...]  # (label, reason) of stored texts that no longer parse


_cached: _Snapshot | None = None


def stored_origin(policy_id: str, version: int) -> str:
    """How a stored version names itself in error messages and in ``check``."""
    return f"系统录入的 {policy_id}@{version}"


def _fingerprint() -> tuple[int, int | None]:
    # Stored versions are only ever added, so (how many, highest id) changes exactly when one is.
    # One small query per call keeps every process's cache right without any signalling.
    row = PolicyVersion.objects.aggregate(n=Count("id"), last=Max("id"))
    return row["n"], row["last"]


def _stored_rows() -> list[_StoredRow]:
    return [
        _StoredRow(*values)
        for values in PolicyVersion.objects.order_by("id").values_list(
            "id", "policy_id", "version", "text", "sha256"
        )
    ]


def _texts_digest(rows: list[_StoredRow]) -> str:
    digest = hashlib.sha256()
    for row in rows:
        digest.update(f"{row.id}:{row.label}:".encode())
        digest.update(hashlib.sha256(row.text.encode("utf-8")).digest())
    return digest.hexdigest()


def _build(rows: list[_StoredRow]) -> _Snapshot:
    builtins = builtin_registry()
    registry = PolicyRegistry(
        builtins.source(policy_id, version)
        for policy_id in builtins.ids()
        for version in builtins.versions(policy_id)
    )
    broken: list[tuple[str, str]] = []
    # Parents are resolved on demand, so the order in which stored versions are added is free.
    for row in rows:
        try:
            registry.add(parse_policy_text(row.text, origin=stored_origin(row.policy_id, row.version)))
        except PolicyError as error:
            # A text that no longer parses (changed behind the system's back, or written for an
            # older format) must not hide every other policy; the list page shows it instead.
            broken.append((row.label, str(error)))
    fingerprint = (len(rows), max((row.id for row in rows), default=None))
    return _Snapshot(fingerprint, _texts_digest(rows), registry, tuple(broken))


def _remember(snapshot: _Snapshot) -> _Snapshot:
    global _cached
    _cached = snapshot
    return snapshot


def _current() -> _Snapshot:
    cached = _cached
    if cached is not None and cached.fingerprint == _fingerprint():
        return cached
    with _lock:
        return _remember(_build(_stored_rows()))


def policy_registry() -> PolicyRegistry:
    """Built-in policies and every stored version (cached until a version is added)."""
    return _current().registry


def unreadable_versions() -> tuple[tuple[str, str], ...]:
    """Stored versions whose text no longer parses, as (label, reason)."""
    return _current().broken


def forget_registry() -> None:
    """Drop the cached registry (after adding a version; tests that rewrite tables)."""
    global _cached
    _cached = None


def resolve_campaign_policy(policy_id: str, version: int, sha256: str) -> Policy:
    """The policy a campaign pinned as ``(policy_id, version, sha256)``.

    Refuses with :class:`PolicyIntegrityError` when the resolved content no longer hashes to
    ``sha256``, or when a stored version in its inheritance chain no longer matches the hash it
    was saved with (its text changed behind the system's back). The stored texts are read afresh
    for this; the cached registry is used only if it was built from exactly those texts.
    """
    rows = _stored_rows()
    snapshot = _cached
    if snapshot is None or snapshot.texts != _texts_digest(rows):
        with _lock:
            snapshot = _remember(_build(rows))
    label = f"{policy_id}@{version}"
    saved = {row.label: row.sha256 for row in rows}
    try:
        for broken, reason in snapshot.broken:
            if broken == label:
                raise PolicyIntegrityError(f"政策 {label} 已无法解析：{reason}")
        policy = snapshot.registry.get(policy_id, version)
        for link in policy.chain:
            if link in saved and snapshot.registry.lookup(link).sha256 != saved[link]:
                raise PolicyIntegrityError(
                    f"政策 {link} 的文本与保存时不符（保存时摘要 {saved[link][:12]}…）：已发布的政策版本不得修改"
                )
        snapshot.registry.verify(policy_id, version, sha256)
    except PolicyError as error:
        raise PolicyIntegrityError(f"政策 {label} 已无法解析：{error}") from error
    except KeyError as error:
        raise PolicyIntegrityError(f"找不到政策 {label}") from error
    return policy


# --- what the pages list --------------------------------------------------------------------


@dataclass(frozen=True)
class VersionRow:
    """One version of a policy as the list page shows it."""

    policy_id: str
    version: int
    name: str
    effective: date | None
    inherits: str
    sha256: str
    builtin: bool
    created_by: str = ""
    created_at: datetime | None = None
    comment: str = ""
    problem: str = ""

    @property
    def label(self) -> str:
        return f"{self.policy_id}@{self.version}"

    @property
    def inherits_id(self) -> str:
        return self.inherits.partition("@")[0]

    @property
    def inherits_version(self) -> int:
        return int(self.inherits.partition("@")[2] or 0)


@dataclass(frozen=True)
class PolicyRow:
    policy_id: str
    name: str
    versions: tuple[VersionRow, ...]


def _version_row(
    registry: PolicyRegistry, policy_id: str, version: int, saved: PolicyVersion | None
) -> VersionRow:
    file = registry.source(policy_id, version).file
    problem, sha256 = "", saved.sha256 if saved is not None else ""
    try:
        sha256 = registry.get(policy_id, version).sha256
    except PolicyError as error:
        problem = str(error)
    else:
        if saved is not None and saved.sha256 != sha256:
            problem = f"内容摘要与保存时不符（保存时 {saved.sha256[:12]}…）"
    return VersionRow(
        policy_id=policy_id,
        version=version,
        name=file.name,
        effective=file.effective,
        inherits=file.inherits or "",
        sha256=sha256,
        builtin=saved is None,
        created_by=str(saved.created_by) if saved is not None else "",
        created_at=saved.created_at if saved is not None else None,
        comment=saved.comment if saved is not None else "",
        problem=problem,
    )


def policy_catalogue() -> list[PolicyRow]:
    """Every policy with all its versions, built-in and stored, oldest version first."""
    snapshot = _current()
    registry, broken = snapshot.registry, snapshot.broken
    stored = {
        (row.policy_id, row.version): row
        for row in PolicyVersion.objects.select_related("created_by").defer("text")
    }
    rows: dict[str, list[VersionRow]] = {}
    for policy_id in registry.ids():
        for version in registry.versions(policy_id):
            row = _version_row(registry, policy_id, version, stored.get((policy_id, version)))
            rows.setdefault(policy_id, []).append(row)
    for label, reason in broken:
        policy_id, _, number = label.partition("@")
        saved = stored[(policy_id, int(number))]
        rows.setdefault(policy_id, []).append(
            VersionRow(
                policy_id=policy_id,
                version=saved.version,
                name=saved.name,
                effective=saved.effective,
                inherits=saved.inherits,
                sha256=saved.sha256,
                builtin=False,
                created_by=str(saved.created_by),
                created_at=saved.created_at,
                comment=saved.comment,
                problem=reason,
            )
        )
    catalogue = []
    for policy_id, versions in sorted(rows.items()):
        ordered = tuple(sorted(versions, key=lambda v: v.version))
        catalogue.append(PolicyRow(policy_id, ordered[-1].name, ordered))
    return catalogue


def policy_choices() -> list[tuple[str, str]]:
    """(label, "label 名称") for every version that resolves, for pickers."""
    choices = []
    for row in policy_catalogue():
        for version in row.versions:
            if not version.problem:
                choices.append((version.label, f"{version.label} {version.name}"))
    return choices


def stored_version(policy_id: str, version: int) -> PolicyVersion | None:
    return (
        PolicyVersion.objects.select_related("created_by")
        .filter(policy_id=policy_id, version=version)
        .first()
    )


def policy_text(policy_id: str, version: int) -> str:
    """The TOML text of a version as written (built-in file or stored text)."""
    stored = PolicyVersion.objects.filter(policy_id=policy_id, version=version).only("text").first()
    if stored is not None:
        return stored.text
    return Path(builtin_registry().source(policy_id, version).origin).read_text(encoding="utf-8")


def next_version(policy_id: str) -> int:
    """The version number a new version of ``policy_id`` gets (1 for a new policy)."""
    versions = policy_registry().versions(policy_id)
    stored = PolicyVersion.objects.filter(policy_id=policy_id).aggregate(last=Max("version"))["last"] or 0
    return max([stored, *versions]) + 1


# --- holiday schedules ----------------------------------------------------------------------


def holiday_schedules() -> list[HolidaySchedule]:
    return list(HolidaySchedule.objects.select_related("updated_by").order_by("year"))


def working_day_schedules() -> dict[int, YearSchedule]:
    """The administrator-entered schedules, to pass to ``xuanren.rules.calendar`` functions."""
    return {
        row.year: YearSchedule(
            year=row.year,
            holidays=frozenset(row.holiday_dates()),
            workdays=frozenset(row.workday_dates()),
            source=row.source,
        )
        for row in HolidaySchedule.objects.only("year", "holidays", "workdays", "source")
    }
