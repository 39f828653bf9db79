"""`xuanren totp USERNAME`: print a user's current six-digit TOTP code (for the demo logins)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xuanren.accounts import totp
from xuanren.accounts.models import User


class Command(BaseCommand):
    help = "显示某个用户当前的六位动态口令（演示用）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("生产环境（XUANREN_ENV=production）不提供此命令。")
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"没有用户“{options['username']}”")
        if not user.totp_secret:
            raise CommandError(f"用户“{user.username}”还没有设置动态口令")
        self.stdout.write(totp.current_code(user.totp_secret))
