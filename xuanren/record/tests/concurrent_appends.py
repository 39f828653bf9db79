"""1,000 appends from concurrent threads, each its own action and database connection.

Used by ``test_concurrency`` in-process (PostgreSQL, or SQLite on a file), and as a script in a
subprocess on a file SQLite database when the test database is SQLite in memory, whose shared
cache cannot serve concurrent writers::

    XUANREN_SQLITE=/tmp/x.sqlite3 XUANREN_LEDGER_KEY=/tmp/x.key python -m xuanren.record.tests.concurrent_appends
"""

from __future__ import annotations

import json
import sys
import threading
from typing import Any


def hammer(threads: int = 8, total: int = 1000) -> list[str]:
    """Append ``total`` entries from ``threads`` threads; return the errors (none expected)."""
    from django.db import connection

    from xuanren.record.api import append, recorded_action

    errors: list[str] = []
    start = threading.Barrier(threads)

    def work(worker: int) -> None:
        try:
            start.wait()
            for i in range(worker, total, threads):
                with recorded_action():
                    append(
                        action="concurrent",
                        actor=f"线程{worker}",
                        jurisdiction_code="620723",
                        payload={"worker": worker, "i": i},
                    )
        except Exception as e:  # reported to the test
            errors.append(f"{worker}: {type(e).__name__}: {e}")
        finally:
            connection.close()

    pool = [threading.Thread(target=work, args=(w,)) for w in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return errors


def summary() -> dict[str, Any]:
    from xuanren.record.models import Checkpoint, Entry
    from xuanren.record.verify import verify_log

    report = verify_log()
    return {
        "seqs": list(Entry.objects.order_by("seq").values_list("seq", flat=True)),
        "checkpoints": list(Checkpoint.objects.order_by("size").values_list("size", flat=True)),
        "workers": sorted({e.payload["worker"] for e in Entry.objects.only("data")}),
        "verified": report.ok,
        "problems": [str(p) for p in report.problems],
    }


def main() -> int:
    import django

    django.setup()
    from django.core.management import call_command

    from xuanren.record import keys

    call_command("migrate", verbosity=0, interactive=False)
    keys.create_signer_key()
    errors = hammer()
    print(json.dumps({"errors": errors, **summary()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
