"""``xuanren ledger ...``: the full-process record from the command line.

vkey                              the log's verifier key (signed-note form)
checkpoint                        the newest signed checkpoint, with witnesses' cosignatures
export --jsonl [-o FILE]          every entry: {"index": leaf index, "data": base64 bytes}
verify [--vkey VKEY ...]          recompute everything; exit 1 naming the first bad entry
prove N                           inclusion proof of entry N against the newest checkpoint
witness-request OLD_SIZE          a tlog-witness add-checkpoint request for an offline witness
add-cosignature FILE --witness-vkey VKEY   store a cosigned checkpoint returned by a witness
bundle CAMPAIGN_ID -o FILE        archive a campaign and write its bundle
verify-bundle FILE [--vkey VKEY]  check a bundle offline; exit 1 naming the first bad file
"""

from __future__ import annotations

import base64
import sys
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from xuanren.ledger.bundle import verify_bundle
from xuanren.ledger.merkle import verify_inclusion
from xuanren.ledger.note import InvalidKeyError, NoteError
from xuanren.ledger.witness import AddCheckpoint
from xuanren.record import keys, store
from xuanren.record.models import Entry

PROOF_HEADER = "xuanren inclusion proof v1"


class Command(BaseCommand):
    help = "全程纪实日志：公钥、检查点、导出、核验、证明、归档包"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="command", required=True)
        sub.add_parser("vkey", help="打印验证公钥")
        sub.add_parser("checkpoint", help="打印最新签名检查点")
        export = sub.add_parser("export", help="导出全部条目")
        export.add_argument("--jsonl", action="store_true", required=True, help="每行一个 JSON 对象")
        export.add_argument("-o", "--output", type=Path)
        verify = sub.add_parser("verify", help="重算全部哈希并核验签名检查点")
        verify.add_argument("--vkey", action="append", default=[], help="信任的日志公钥（默认：本机密钥）")
        verify.add_argument("--batch", type=int, default=20000)
        verify.add_argument("--workers", type=int, help="并行进程数（默认：CPU 核数，至多 4）")
        prove = sub.add_parser("prove", help="打印条目的包含证明")
        prove.add_argument("index", type=int)
        request = sub.add_parser("witness-request", help="生成离线见证请求")
        request.add_argument("old_size", type=int, help="见证方上次联署的规模")
        request.add_argument("-o", "--output", type=Path)
        cosig = sub.add_parser("add-cosignature", help="保存见证方返回的联署检查点")
        cosig.add_argument("file")
        cosig.add_argument("--witness-vkey", required=True)
        bundle = sub.add_parser("bundle", help="为一次选任工作立卷归档并写出归档包")
        bundle.add_argument("campaign_id", type=int)
        bundle.add_argument("-o", "--output", type=Path, required=True)
        vb = sub.add_parser("verify-bundle", help="离线核验归档包")
        vb.add_argument("file", type=Path)
        vb.add_argument("--vkey", action="append", default=[], help="信任的日志公钥（强烈建议指定）")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "_" + options["command"].replace("-", "_"))(options)

    def _out(self, text: str) -> None:
        self.stdout.write(text, ending="")

    def _vkey(self, o: dict[str, Any]) -> None:
        try:
            self._out(keys.verifier_key() + "\n")
        except (keys.LedgerKeyMissing, FileNotFoundError, InvalidKeyError) as e:
            raise CommandError(f"没有签名密钥：{e}（先运行 xuanren setup）") from e

    def _checkpoint(self, o: dict[str, Any]) -> None:
        checkpoint = store.latest_checkpoint()
        if checkpoint is None:
            raise CommandError("日志尚无检查点")
        self._out(store.cosigned_note(checkpoint))

    def _export(self, o: dict[str, Any]) -> None:
        data_sql = "convert_to(data, 'UTF8')" if connection.vendor == "postgresql" else "CAST(data AS BLOB)"
        out: IO[str] = o["output"].open("w", encoding="utf-8") if o["output"] else sys.stdout
        try:
            with connection.cursor() as cursor:
                last = -1
                while True:
                    cursor.execute(
                        f"SELECT seq, {data_sql} FROM record_entry WHERE seq > %s ORDER BY seq LIMIT 10000",
                        [last],
                    )
                    rows = cursor.fetchall()
                    if not rows:
                        break
                    out.writelines(
                        f'{{"index":{seq},"data":"{base64.b64encode(bytes(data)).decode("ascii")}"}}\n'
                        for seq, data in rows
                    )
                    last = rows[-1][0]
        finally:
            if o["output"]:
                out.close()

    def _verify(self, o: dict[str, Any]) -> None:
        from xuanren.record.verify import default_workers, verify_log

        report = verify_log(vkeys=o["vkey"], batch=o["batch"], workers=o["workers"] or default_workers())
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        if report.ok:
            self._out(
                f"OK: {report.entries} entries, {report.nodes} tree nodes, {report.checkpoints} signed checkpoints, "
                f"{report.cosignatures} cosignatures; root {base64.b64encode(report.root).decode()} "
                f"({report.seconds:.1f} s)\n"
            )
            return
        first = report.first_problem
        assert first is not None
        for problem in report.problems:
            self.stderr.write(f"FAILED ({problem.kind}): {problem}")
        raise CommandError(f"verify failed at {first.where() or first.kind}: {first.message}")

    def _prove(self, o: dict[str, Any]) -> None:
        checkpoint = store.latest_checkpoint()
        index = o["index"]
        if checkpoint is None or not 0 <= index < checkpoint.size:
            raise CommandError(f"条目 {index} 不在最新检查点之内")
        entry = Entry.objects.filter(seq=index).only("leaf_hash").first()
        if entry is None:
            raise CommandError(f"日志中没有条目 {index}")
        proof = store.inclusion_proof(index, checkpoint.size)
        leaf = bytes(entry.leaf_hash)
        if not verify_inclusion(leaf, index, checkpoint.size, proof, bytes(checkpoint.root)):
            raise CommandError(f"条目 {index} 的包含证明不成立：日志已损坏，请运行 xuanren ledger verify")
        lines = [
            PROOF_HEADER,
            f"index {index}",
            f"size {checkpoint.size}",
            f"leaf {base64.b64encode(leaf).decode()}",
        ]
        lines += [base64.b64encode(p).decode() for p in proof]
        self._out("\n".join(lines) + "\n\n" + store.cosigned_note(checkpoint))

    def _witness_request(self, o: dict[str, Any]) -> None:
        checkpoint = store.latest_checkpoint()
        if checkpoint is None:
            raise CommandError("日志尚无检查点")
        old = o["old_size"]
        if not 0 <= old <= checkpoint.size:
            raise CommandError(f"旧规模 {old} 不在 0 到 {checkpoint.size} 之间")
        proof = store.consistency_proof(old, checkpoint.size) if 0 < old < checkpoint.size else []
        body = AddCheckpoint(old, tuple(proof), checkpoint.note).encode()
        if o["output"]:
            o["output"].write_text(body, encoding="utf-8")
        else:
            self._out(body)

    def _add_cosignature(self, o: dict[str, Any]) -> None:
        from xuanren.record.actions import RecordRefused, record_cosignature

        text = sys.stdin.read() if o["file"] == "-" else Path(o["file"]).read_text("utf-8")
        try:
            cosig = record_cosignature(cosigned_note=text, witness_vkey=o["witness_vkey"])
        except (RecordRefused, InvalidKeyError, NoteError) as e:
            raise CommandError(str(e)) from e
        self._out(f"已保存 {cosig.witness} 对规模 {cosig.checkpoint.size} 的检查点的联署\n")

    def _bundle(self, o: dict[str, Any]) -> None:
        from django.http import Http404

        from xuanren.record import materials
        from xuanren.record.actions import RecordRefused, archive_campaign

        try:
            done = archive_campaign(
                acting_user="命令行归档（xuanren ledger bundle）", campaign_id=o["campaign_id"]
            )
        except Http404 as e:
            raise CommandError(f"没有选任工作 {o['campaign_id']} 的记实") from e
        except (RecordRefused, materials.MaterialDamaged) as e:
            raise CommandError(str(e)) from e
        o["output"].write_bytes(materials.read_bytes(done.bundle.sha256))
        self._out(
            f"已归档：{o['output']}（归档条目 {done.archive_entry.seq}，检查点规模 {done.checkpoint_size}，"
            f"SHA-256 {done.bundle.sha256}）\n"
        )

    def _verify_bundle(self, o: dict[str, Any]) -> None:
        trusted: list[str] | None = list(o["vkey"]) or None
        source = "--vkey"
        if trusted is None:
            try:
                trusted = [keys.verifier_key()]
                source = "本机日志公钥"
            except (keys.LedgerKeyMissing, OSError, InvalidKeyError, NoteError):
                trusted, source = None, ""
        report = verify_bundle(o["file"], trusted)
        self._out(report.summary() + "\n")
        if report.ok:
            self._out(f"trusted key: {source}\n" if source else "")
            return
        first = report.first_problem
        assert first is not None
        raise CommandError(f"bundle verification failed at {first.name}: {first.message}")
