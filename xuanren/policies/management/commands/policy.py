"""``xuanren policy list|show ID|check FILE|diff A B`` over the built-in and the stored policies.

The text comes from :func:`xuanren.rules.cli.run`, given a registry that also holds every version
entered in the system, so ``show``, ``diff`` and ``check`` (inheriting from a stored version, or
clashing with one) see what the web pages see.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from xuanren.policies import selectors
from xuanren.rules import cli


class Command(BaseCommand):
    help = "选任政策：list 列出、show 显示、check 校验、diff 比较（含系统中录入的政策版本）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("words", nargs="*", metavar="命令", help="list | show ID | check FILE | diff A B")

    def handle(self, *args: Any, **options: Any) -> None:
        words: list[str] = options["words"]
        out = io.StringIO()
        status = cli.run(words, stdout=out, registry=selectors.policy_registry())
        text = out.getvalue()
        if status == 0 and words[:1] == ["list"]:
            text += self._stored_footer()
        if status != 0:
            self.stderr.write(text, ending="")
            raise CommandError("政策校验未通过" if status == 1 else "用法有误", returncode=status)
        self.stdout.write(text, ending="")

    def _stored_footer(self) -> str:
        rows = [
            version
            for policy in selectors.policy_catalogue()
            for version in policy.versions
            if not version.builtin
        ]
        if not rows:
            return "\n系统中尚未录入政策版本；以上均为内置政策。\n"
        lines = ["", "系统中录入的版本："]
        for row in rows:
            when = timezone.localtime(row.created_at).strftime("%Y-%m-%d %H:%M") if row.created_at else ""
            line = f"  {row.label:<22} {row.created_by} {when}"
            if row.comment:
                line += f"  {row.comment}"
            if row.problem:
                line += f"  ⚠ {row.problem.splitlines()[0]}"
            lines.append(line)
        return "\n".join(lines) + "\n"
