"""`xuanren polls tick`: open the polls whose start time has come and close those that are due.

Run it every minute from cron or a systemd timer; running it twice does no harm.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from xuanren.ballots import actions


class Command(BaseCommand):
    help = "投票定时开始和结束：polls tick"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["tick"])

    def handle(self, *args: Any, **options: Any) -> None:
        opened, closed = actions.tick(timezone.now())
        self.stdout.write(f"opened {len(opened)} {opened}; closed {len(closed)} {closed}")
