"""``xuanren policy list|show ID|check FILE|diff A B`` — text for people, from the policy files.

:func:`run` takes the arguments after ``policy`` and prints to ``stdout``; it returns the exit
status (0 ok, 1 a policy has problems, 2 wrong usage). The text functions are usable on their
own (e.g. by a management command or a test).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from .periods import Unit
from .policy import (
    Policy,
    PolicyError,
    PolicyRegistry,
    builtin_registry,
    parse_policy_file,
    rule_views,
)
from .vocabulary import (
    Channel,
    Denominator,
    Education,
    Kinship,
    Level,
    PostFunction,
    RecommendationForm,
    RecommendationMode,
)

USAGE = """用法：xuanren policy <命令>
  list              列出内置政策（编号、版本、生效日期、继承、内容摘要）
  show ID           显示政策的全部规则，注明每条规则来自哪个文件（ID 可写 linze 或 linze@1）
  check FILE        校验一个政策文件，列出每个出错的键及原因
  diff A B          比较两个政策（ID 或文件路径）的规则差异"""


def _labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for enum in (
        Level,
        Education,
        Channel,
        RecommendationMode,
        RecommendationForm,
        Denominator,
        Kinship,
        PostFunction,
        Unit,
    ):
        for member in enum:
            labels[member.value] = member.label
    labels.update(
        {
            "at_least": "不少于",
            "more_than": "超过",
            "exactly": "恰为",
            "cut": "按得票截取",
            "list": "名单人数",
            "marks": "每票可推荐人数",
            "posts": "职位数",
            "inspection_candidates": "考察对象人数",
            "post": "该职位",
            "ballot": "整张选票",
            "all": "所有提拔",
            "exceptional": "仅破格提拔",
            "always": "总是",
            "full_committee": "须全委会票决时",
        }
    )
    return labels


_LABELS = _labels()


def _value(value: Any) -> str:
    if isinstance(value, str) and value in _LABELS:
        return f"{value}（{_LABELS[value]}）"
    if isinstance(value, list):
        if value and all(isinstance(item, dict) for item in value):
            return "；".join(_value(item) for item in value)
        return "、".join(_value(item) for item in value)
    if isinstance(value, dict):
        return "{" + "，".join(f"{k}={_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def list_text(registry: PolicyRegistry | None = None) -> str:
    registry = registry or builtin_registry()
    lines = ["编号@版本                生效日期     继承                  摘要(SHA-256)  名称"]
    for policy_id in registry.ids():
        for version in registry.versions(policy_id):
            policy = registry.get(policy_id, version)
            lines.append(
                f"{policy.label:<24} {policy.effective.isoformat()}  {policy.inherits or '—':<21} "
                f"{policy.sha256[:12]}   {policy.name}"
            )
    return "\n".join(lines)


def show_text(policy: Policy) -> str:
    lines = [
        f"{policy.name}",
        f"编号 {policy.id}  版本 {policy.version}  生效 {policy.effective.isoformat()}",
        f"继承链 {' → '.join(policy.chain)}",
        f"内容摘要 SHA-256 {policy.sha256}",
    ]
    if policy.description:
        lines += ["", *policy.description.strip().splitlines()]
    own = sum(1 for view in rule_views(policy) if not view.inherited)
    total = len(rule_views(policy))
    lines += ["", f"共 {total} 条规则：本文件 {own} 条，继承 {total - own} 条。标 ⚠ 的规则出处尚未核实。"]
    section = ""
    for view in rule_views(policy):
        if view.section != section:
            section = view.section
            lines += ["", f"== {view.section_label}（{view.section}）=="]
        origin = f"← {view.origin}（继承）" if view.inherited else f"← {view.origin}"
        lines.append(f"[{view.path}]  {origin}")
        for key, value in view.fields.items():
            if value in ("", [], None):
                continue
            lines.append(f"    {key} = {_value(value)}")
        lines.append(f"    出处：{view.source}{'  ⚠ 未核实' if not view.confirmed else ''}")
        if view.quote:
            lines.append(f"    原文：“{view.quote}”")
        if view.note:
            lines.append(f"    说明：{view.note}")
    return "\n".join(lines)


def check_text(path: Path | str, registry: PolicyRegistry | None = None) -> tuple[bool, str]:
    """Validate a file and resolve its inheritance; (ok, report)."""
    registry = registry or builtin_registry()
    path = Path(path)
    try:
        source = parse_policy_file(path)
        key = (source.file.id, source.file.version)
        if source.file.version in registry.versions(source.file.id):
            existing = registry.source(*key)
            if Path(existing.origin).resolve() != path.resolve():
                if existing.raw != source.raw:
                    return False, (
                        f"政策文件 {path} 有 1 处问题：\n  version：{source.label} 已存在且内容不同——"
                        "已发布的政策版本不得修改，请把 version 改为新的版本号"
                    )
            policy = registry.get(*key)
        else:
            policy = registry.resolve(source)
    except PolicyError as error:
        return False, str(error)
    except OSError as error:
        return False, f"无法读取 {path}：{error}"
    unconfirmed = [view.path for view in rule_views(policy) if not view.confirmed and not view.inherited]
    lines = [
        f"{path}：校验通过",
        f"  {policy.label}（{policy.name}），继承链 {' → '.join(policy.chain)}",
        f"  规则 {len(rule_views(policy))} 条，内容摘要 SHA-256 {policy.sha256}",
    ]
    if unconfirmed:
        lines.append(f"  出处未核实的规则：{'、'.join(unconfirmed)}")
    return True, "\n".join(lines)


def _load(ref: str, registry: PolicyRegistry) -> Policy:
    if ref.endswith(".toml") or "/" in ref:
        source = parse_policy_file(ref)
        if source.file.version in registry.versions(source.file.id):
            return registry.get(source.file.id, source.file.version)
        return registry.resolve(source)
    return registry.lookup(ref)


def diff_text(a: Policy, b: Policy) -> str:
    left = {view.path: view for view in rule_views(a)}
    right = {view.path: view for view in rule_views(b)}
    lines = [f"比较 {a.label}（{a.sha256[:12]}）与 {b.label}（{b.sha256[:12]}）"]
    changes = 0
    for path in [p for p in left if p in right] + [p for p in right if p not in left]:
        old, new = left.get(path), right.get(path)
        if new is None or old is None:
            continue
        rows = []
        for key in list(old.fields) + [k for k in new.fields if k not in old.fields]:
            before, after = old.fields.get(key), new.fields.get(key)
            if before != after:
                rows.append(
                    f"    {key}: {_value(before) if before is not None else '—'} → {_value(after) if after is not None else '—'}"
                )
        if old.source != new.source and rows:
            rows.append(f"    出处: {old.source} → {new.source}")
        if rows:
            changes += 1
            lines.append(f"~ [{path}]")
            lines += rows
    for path, view in left.items():
        if path not in right:
            changes += 1
            lines.append(
                f"- [{path}] 只在 {a.label}：{'；'.join(f'{k}={_value(v)}' for k, v in view.fields.items())}"
            )
    for path, view in right.items():
        if path not in left:
            changes += 1
            lines.append(
                f"+ [{path}] 只在 {b.label}：{'；'.join(f'{k}={_value(v)}' for k, v in view.fields.items())}"
            )
    lines.append(f"共 {changes} 处不同" if changes else "规则内容相同")
    return "\n".join(lines)


def run(argv: Sequence[str], stdout: TextIO | None = None, registry: PolicyRegistry | None = None) -> int:
    """Run a ``policy`` subcommand; ``argv`` excludes the word ``policy``."""
    out = stdout or sys.stdout
    args = list(argv)
    registry = registry or builtin_registry()
    command = args[0] if args else ""
    status, text = 2, USAGE
    try:
        if command == "list" and len(args) == 1:
            status, text = 0, list_text(registry)
        elif command == "show" and len(args) == 2:
            status, text = 0, show_text(_load(args[1], registry))
        elif command == "check" and len(args) == 2:
            ok, text = check_text(args[1], registry)
            status = 0 if ok else 1
        elif command == "diff" and len(args) == 3:
            status, text = 0, diff_text(_load(args[1], registry), _load(args[2], registry))
    except PolicyError as error:
        status, text = 1, str(error)
    except (KeyError, ValueError, OSError) as error:
        status, text = 1, f"错误：{error.args[0] if error.args else error}"
    print(text, file=out)
    return status


def main() -> None:
    raise SystemExit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
