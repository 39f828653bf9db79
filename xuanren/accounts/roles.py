"""The roles of DOMAIN D0 as Django groups with permissions.

A role is a group whose name is the Chinese title; the code is the stable identifier used in
code. Permissions are granted here and only here, so "who may do what" is one table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group, Permission


@dataclass(frozen=True)
class Role:
    code: str
    title: str
    permissions: tuple[str, ...]
    description: str


# Permission strings are "app_label.codename".
_REGISTER_READ = ("register.view_unit", "register.view_post", "register.view_cadre")
_REGISTER_WRITE = (
    "register.add_cadre",
    "register.change_cadre",
    "register.add_unit",
    "register.change_unit",
    "register.add_post",
    "register.change_post",
    "register.import_register",
)
_FULL_ID = ("register.view_full_id_number",)
_RECORD_READ = ("record.view_entry",)

ROLES: tuple[Role, ...] = (
    Role(
        "cadre_officer",
        "组织部干部科",
        (*_REGISTER_READ, *_REGISTER_WRITE, *_FULL_ID, *_RECORD_READ),
        "管理选任工作、录入数据、生成报表",
    ),
    Role("department_head", "组织部长", (*_REGISTER_READ, *_FULL_ID, *_RECORD_READ), "审定人选、签署纪实"),
    Role(
        "supervision_office",
        "干部监督室",
        (*_REGISTER_READ, *_FULL_ID, *_RECORD_READ, "record.audit_record"),
        "受理信访举报、组织核查、查看预警",
    ),
    Role("deliberation_member", "人事酝酿会议成员", (*_REGISTER_READ, *_RECORD_READ), "酝酿动议和人选"),
    Role("committee_member", "常委会成员", (*_REGISTER_READ,), "讨论决定、参加票决"),
    Role("secretary", "书记", (*_REGISTER_READ,), "提出方向、原则和标准，讨论时最后表态"),
    Role(
        "discipline",
        "纪委（纪检监察）",
        (*_REGISTER_READ, *_FULL_ID, *_RECORD_READ, "record.audit_record"),
        "联审人选、出具廉政意见、全程只读监督",
    ),
    Role("inspection_team", "考察组", (*_REGISTER_READ,), "考察人选、撰写并签署考察结论"),
    Role("examiner", "考官", (), "笔试、面试评分"),
    Role("cadre", "干部", (), "自荐、报告个人有关事项、述职、申诉"),
)
ROLE_BY_CODE = {r.code: r for r in ROLES}
ROLE_BY_TITLE = {r.title: r for r in ROLES}
STAFF_ROLES = frozenset(r.code for r in ROLES if r.code not in {"cadre", "examiner"})


def role_codes_of(user: Any) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    names = user.groups.values_list("name", flat=True)
    return frozenset(ROLE_BY_TITLE[n].code for n in names if n in ROLE_BY_TITLE)


def group_for(code: str) -> Group:
    return Group.objects.get(name=ROLE_BY_CODE[code].title)


def sync_role_groups(**kwargs: Any) -> None:
    """Create each role's group and set exactly its permissions (runs after every migrate)."""
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role.title)
        perms = []
        for dotted in role.permissions:
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                perms.append(perm)
        group.permissions.set(perms)
