"""``xuanren witness init|add|status``: the independent witness the discipline side runs.

    xuanren witness init --key W.key --state W.json [--name NAME] [--log-vkey VKEY] [--origin O]
    xuanren witness add --key W.key --state W.json                 # online, against this database
    xuanren witness add --key W.key --state W.json --request REQ   # offline, REQ from
                                                                   #   `xuanren ledger witness-request`
    xuanren witness status --state W.json

``add`` accepts a checkpoint only with a valid consistency proof from the last one it cosigned;
a rewritten or rolled-back history is refused with the reason (exit status 2).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xuanren.ledger.witness import WitnessRefusal
from xuanren.record import keys, witnessing


class Command(BaseCommand):
    help = "纪委见证方：初始化、联署检查点、查看状态"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="command", required=True)
        init = sub.add_parser("init", help="创建见证密钥和状态文件")
        init.add_argument("--key", type=Path, required=True)
        init.add_argument("--state", type=Path, required=True)
        init.add_argument("--name", default="witness.discipline.local", help="见证密钥名称")
        init.add_argument("--log-vkey", help="被见证日志的验证公钥（默认：本机日志的公钥）")
        init.add_argument("--origin", help="被见证日志的 origin（默认：本机设置）")
        add = sub.add_parser("add", help="联署最新检查点（须与上次联署一致）")
        add.add_argument("--key", type=Path, required=True)
        add.add_argument("--state", type=Path, required=True)
        add.add_argument("--request", help="离线：tlog-witness add-checkpoint 请求文件（- 表示标准输入）")
        add.add_argument("-o", "--output", type=Path, help="把联署后的检查点写入文件")
        status = sub.add_parser("status", help="查看见证状态")
        status.add_argument("--state", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['command']}")(options)

    def _init(self, o: dict[str, Any]) -> None:
        try:
            log_vkey = o["log_vkey"] or keys.verifier_key()
            key, state = witnessing.init_witness(
                o["key"], o["state"], name=o["name"], origin=o["origin"] or keys.origin(), log_vkey=log_vkey
            )
        except (FileExistsError, ValueError, keys.LedgerKeyMissing) as e:
            raise CommandError(str(e)) from e
        self.stdout.write(f"见证方已初始化：日志 {state.origin}")
        self.stdout.write("见证联署公钥（交日志方保存，用于核验联署）：")
        self.stdout.write(key.cosigner_verifier_key().encode())

    def _add(self, o: dict[str, Any]) -> None:
        try:
            if o["request"]:
                body = sys.stdin.read() if o["request"] == "-" else Path(o["request"]).read_text("utf-8")
                outcome = witnessing.witness_request(o["key"], o["state"], body)
            else:
                outcome = witnessing.witness_latest(o["key"], o["state"])
        except WitnessRefusal as e:
            self.stderr.write(f"拒绝联署 / refused ({e.code}): {e}")
            sys.exit(2)
        except (witnessing.StateChanged, OSError, ValueError) as e:
            raise CommandError(str(e)) from e
        if o["output"]:
            o["output"].write_text(outcome.cosigned_note, encoding="utf-8")
        else:
            self.stdout.write(outcome.cosigned_note, ending="")
        self.stderr.write(f"已联署：规模 {outcome.previous_size} → {outcome.state.size}")

    def _status(self, o: dict[str, Any]) -> None:
        try:
            state = witnessing.read_state(o["state"])
        except (OSError, ValueError) as e:
            raise CommandError(str(e)) from e
        self.stdout.write(f"日志：{state.origin}")
        self.stdout.write(f"日志公钥：{state.log_key}")
        self.stdout.write(f"已联署规模：{state.size}")
        self.stdout.write(f"根哈希：{state.root.hex()}")
        self.stdout.write(f"最近联署时间（Unix 秒）：{state.timestamp}")
        try:
            from xuanren.record import store

            latest = store.latest_checkpoint()
        except Exception:  # no database here: the offline witness
            return
        if latest is not None and state.origin == keys.origin():
            self.stdout.write(
                f"本机日志最新检查点规模：{latest.size}（尚未联署 {max(0, latest.size - state.size)} 条）"
            )
