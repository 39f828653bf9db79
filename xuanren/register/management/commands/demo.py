"""`xuanren demo`: build the demo county (临泽县) and its staff logins from a seed."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from xuanren.register import demo


class Command(BaseCommand):
    help = "生成演示数据：临泽县（及民乐县）的单位、职位、干部名册和各角色演示账号。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=demo.DEFAULT_SEED, help="随机种子（相同种子生成相同数据）"
        )
        parser.add_argument(
            "--size", type=int, default=demo.DEFAULT_SIZE, help="临泽县干部人数（单位、职位按比例）"
        )
        parser.add_argument("--if-absent", action="store_true", help="演示县已有干部名册时什么也不做")
        parser.add_argument(
            "--today", type=date.fromisoformat, default=None, help="计算任职、考核等日期的基准日"
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="数据库别名（目前只支持 default）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["database"] != DEFAULT_DB_ALIAS:
            # The full-process record is written through record.api, which uses the default database.
            raise CommandError("演示数据只能写入 default 数据库（全程纪实写入默认数据库）。")
        if options["size"] < 1:
            raise CommandError("--size 至少为 1")
        if demo.demo_exists():
            if options["if_absent"]:
                self.stdout.write(f"演示数据已存在（{demo.MAIN_COUNTY[1]}），未重新生成。")
                return
            raise CommandError(
                f"{demo.MAIN_COUNTY[1]}已有干部名册；请在空数据库上生成演示数据，或加 --if-absent。"
            )
        started = time.monotonic()
        summary = demo.build_demo(
            seed=options["seed"], size=options["size"], today=options["today"] or timezone.localdate()
        )
        self.stdout.write(f"{summary.line()}（用时 {time.monotonic() - started:.1f} 秒）")
        # Campaigns at several stages in the demo county, driven through the campaign actions.
        from xuanren.campaigns.demo import build_demo_campaigns

        campaigns = build_demo_campaigns(seed=options["seed"], today=options["today"] or timezone.localdate())
        self.stdout.write(campaigns.line())
        from xuanren.register.management.commands.demo_logins import save_voter_codes

        save_voter_codes(campaigns.voter_codes)
        from xuanren.competition.demo import build_demo_competition  # a competition with published exams

        self.stdout.write(
            build_demo_competition(
                seed=options["seed"], today=options["today"] or timezone.localdate()
            ).line()
        )
        self.stdout.write(_witness_once())


def _witness_once() -> str:
    """Run the discipline side's witness once over the demo's new record, so its pages show the
    newest checkpoint as witnessed (已见证). Its key and state are kept beside the log's key
    (``demo-witness.*``) and started afresh with each demo; a real witness runs on the discipline
    side's own machine with its own key and state (docs/deployment.md)."""
    from xuanren.record import keys, witnessing

    folder = keys.key_path().parent
    key, state = folder / "demo-witness.key", folder / "demo-witness.json"
    state.unlink(missing_ok=True)
    witnessing.init_witness(
        key, state, name="demo.discipline.witness", origin=keys.origin(), log_vkey=keys.verifier_key()
    )
    outcome = witnessing.witness_latest(key, state)
    return f"演示见证：纪委见证方已联署日志第 {outcome.state.size} 条时的签名检查点。"
