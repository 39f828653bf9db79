"""`xuanren demo_logins`: the demo staff users, their password, TOTP secret and current code, and
some unused codes of the demo's open poll for trying the voter's page."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from xuanren.accounts import totp
from xuanren.accounts.models import User
from xuanren.accounts.roles import ROLE_BY_CODE
from xuanren.register import demo
from xuanren.testing.factories import PASSWORD

LOGIN_URL = "http://127.0.0.1:8000/accounts/login/"
VOTE_URL = "http://127.0.0.1:8000/vote/"
SHOWN_CODES = 5


def voter_codes_file() -> Path:
    """Where the demo keeps the codes of its open poll: the database keeps only their hashes."""
    return Path(settings.VAR_DIR) / "demo" / "voter-codes.txt"


def save_voter_codes(codes: list[str]) -> None:
    path = voter_codes_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{code}\n" for code in codes), encoding="utf-8")


def unused_voter_codes(limit: int = SHOWN_CODES) -> list[tuple[str, str]]:
    """(code, poll title) of saved demo codes still unused in an open poll of this database."""
    from xuanren.ballots.actions import code_digest
    from xuanren.ballots.models import Poll, VotingCode

    try:
        saved = voter_codes_file().read_text(encoding="utf-8").split()
    except OSError:
        return []
    by_digest = {code_digest(code): code for code in saved}
    unused = VotingCode.objects.filter(
        digest__in=by_digest, used=False, poll__status=Poll.Status.OPEN
    ).select_related("poll")
    found = sorted((by_digest[c.digest], c.poll.title) for c in unused)
    return found[:limit]


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
        codes = unused_voter_codes()
        if codes:
            self.stdout.write(
                f"演示投票（{codes[0][1]}）正在进行，可在 {VOTE_URL} 用以下投票码投票（每码一次）："
            )
            self.stdout.write("  ".join(code for code, _ in codes))
