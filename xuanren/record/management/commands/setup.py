"""``xuanren setup``: what a fresh install needs besides migrations — the ledger's signing key.

Creates ``LEDGER_KEY_FILE`` (Ed25519, permission 0600) if it is absent and prints the verifier key
to hand to the discipline side's witness. Running it again changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xuanren.ledger.note import InvalidKeyError
from xuanren.record import keys


class Command(BaseCommand):
    help = "创建全程纪实签名密钥（若不存在，权限 0600）并打印验证公钥；可重复运行"

    def handle(self, *args: Any, **options: Any) -> None:
        path = keys.key_path()
        try:
            key, created = keys.create_signer_key(path)
        except InvalidKeyError as e:
            raise CommandError(str(e)) from e
        if created:
            self.stdout.write(f"已创建全程纪实签名密钥：{path}（权限 600；请按 docs/deployment.md 备份）")
        else:
            self.stdout.write(f"全程纪实签名密钥已存在：{path}")
        self.stdout.write("验证公钥（交纪委见证方保存）：")
        self.stdout.write(key.verifier_key().encode())
