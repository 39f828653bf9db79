"""`xuanren demo_logins`: the demo staff users, their password, TOTP secret and current code."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from xuanren.accounts import totp
from xuanren.accounts.models import User
from xuanren.accounts.roles import ROLE_BY_CODE
from xuanren.register import demo
from xuanren.testing.factories import PASSWORD

LOGIN_URL = "http://127.0.0.1:8000/accounts/login/"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def login_table() -> list[str]:
    """The demo logins as lines of an aligned table (Chinese headings)."""
    seed = demo.built_seed()
    users = {u.username: u for u in User.objects.filter(username__in=[s.username for s in demo.STAFF])}
    rows = [["角色", "用户名", "密码", "动态口令密钥", "当前口令", "姓名及职务"]]
    for spec in demo.STAFF:
        user = users.get(spec.username)
        # Only accounts still carrying their demo secret: never print a secret someone has set.
        if user is None or seed is None or user.totp_secret != demo.totp_secret_for(seed, user.username):
            continue
        roles = "、".join(ROLE_BY_CODE[c].title for c in spec.roles) or "系统管理员"
        code = totp.current_code(user.totp_secret)
        who = (
            spec.position if spec.position == user.display_name else f"{user.display_name}（{spec.position}）"
        )
        rows.append([roles, user.username, PASSWORD, user.totp_secret, code, who])
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


class Command(BaseCommand):
    help = "列出演示账号：角色、用户名、密码、动态口令密钥和当前口令。"

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("生产环境（XUANREN_ENV=production）不显示演示账号。")
        lines = login_table()
        if len(lines) <= 2:
            self.stdout.write("还没有演示账号：先运行 .venv/bin/xuanren demo")
            return
        self.stdout.write("演示账号（仅供演示，请勿用于生产环境）：")
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(
            f"登录方法：打开 {LOGIN_URL} ，输入用户名和密码，再输入动态口令："
            "在身份验证器应用（如 Google Authenticator、FreeOTP）中添加上表的密钥，"
            "或运行 .venv/bin/xuanren totp 用户名 查看当前口令（每 30 秒变化，每个口令只能使用一次）。"
        )
