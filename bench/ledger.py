"""The full-process record: appends, ``verify`` over 1,000,000 entries, and proofs at that size.

- ``append``: one action per entry (``with recorded_action(): append(...)``), each a durable
  commit sealed by its own signed checkpoint, from one writer, from 4 writer threads of one
  process, and from 2 and 4 writer processes (as a server's worker processes). Durability as
  the settings configure it: SQLite in WAL mode with ``PRAGMA synchronous=FULL`` (the WAL is
  synced at every commit), PostgreSQL with ``synchronous_commit=on`` and ``fsync=on``. Target:
  1 ms per append (1,000/s). Baseline: the same database's cheapest durable commit, one row
  updated in its own transaction — the floor this disk puts under any durable action.
- ``append, commit not synced``: the same appends with ``synchronous=NORMAL`` (SQLite WAL) or
  ``synchronous_commit=off`` (PostgreSQL): what the ledger itself costs when the disk's sync is
  taken out (a crash of the machine may lose the last commits; the database stays consistent).
- ``verify``: ``xuanren ledger verify``'s pass over the whole log (every leaf recomputed and
  compared, every stored node compared, every checkpoint's signature and root checked), against
  a bare loop that hashes the same entry bytes, already in memory, into an RFC 6962 root in the
  same run. Target: at most 2× the bare loop. The log is bulk-loaded (1,000,000 entries, a signed
  checkpoint every 1,000), not appended one by one, and kept between runs.
- ``inclusion proof`` / ``consistency proof`` at that size: the time to make one from the
  database (the one query for its nodes included) and to check one, and their size.

Options: ``--param size=N`` (default 1000000), ``--param appends=N`` (default 500).
Run alone: ``python -m bench --only ledger``.
"""

from __future__ import annotations

import hashlib
import random
import re
import statistics
import threading
import time
from collections.abc import Iterator
from typing import Any

from bench.harness import Context, Result, StaleDatabase

CHECKPOINT_EVERY = 1000
CHUNK = 10_000
MARK = "bench.bulk"


def _use_bench_key(ctx: Context) -> None:
    """A signing key kept with the bench database, so a kept log still verifies next run."""
    from django.conf import settings

    from xuanren.record import keys

    settings.LEDGER_KEY_FILE = ctx.var_dir / f"ledger-{ctx.db}.key"
    keys.forget_cached_keys()
    keys.create_signer_key()


def _entries(start: int, count: int) -> Iterator[bytes]:
    from xuanren.ledger.canonical import Entry, entry_bytes

    actions = (
        "inspection_candidate_set",
        "opinion_recorded",
        "poll.tally",
        "material_stored",
        "review_entry",
    )
    for seq in range(start, start + count):
        action = actions[seq % len(actions)]
        yield entry_bytes(
            Entry(
                seq=seq,
                time=f"2026-{1 + seq % 12:02d}-{1 + seq % 28:02d}T0{seq % 10}:00:00Z",
                jurisdiction="620723",
                campaign=1 + seq // 2000,
                candidate=1 + seq % 5000,
                stage="inspection",
                step="inspection_conducted",
                action=MARK if seq == 0 else action,
                actor={"id": 1 + seq % 40, "name": f"干部科工作人员{seq % 40}"},
                payload={
                    "summary": f"个别谈话记录第 {seq} 号：考察组按“四必谈”要求与班子成员谈话，情况已记实。",
                    "share": f"{1 + seq % 7}/9",
                    "passed": seq % 3 != 0,
                },
            )
        )


def _bulk_load(ctx: Context, size: int) -> None:
    """Write ``size`` entries, their tree nodes and a checkpoint every 1,000, in one transaction."""
    from django.db import connection, transaction

    from xuanren.ledger.merkle import leaf_hash
    from xuanren.ledger.nodestore import CompactRange
    from xuanren.ledger.note import Checkpoint, sign_checkpoint
    from xuanren.record import keys

    signer = keys.signer_key()
    edge = CompactRange()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor if hasattr(cursor, "cursor") else cursor
        for start in range(0, size, CHUNK):
            entries, nodes, checkpoints = [], [], []
            for data in _entries(start, min(CHUNK, size - start)):
                h = leaf_hash(data)
                entries.append((data.decode("utf-8"), h))
                for level, index, node in edge.append(h)[1:]:
                    nodes.append((((index + 1) << level) * 64 - 64 + level, level, index, node))
                if edge.size % CHECKPOINT_EVERY == 0 or edge.size == size:
                    root = edge.root()
                    note = sign_checkpoint(Checkpoint(keys.origin(), edge.size, root), signer)
                    checkpoints.append((edge.size, root, note))
            _insert(raw, connection.vendor, entries, nodes, checkpoints)
            if start % 100_000 == 0:
                ctx.log(
                    f"bulk load {start + len(entries):,}/{size:,} ({time.perf_counter() - started:.0f} s)"
                )
        cursor.execute("DELETE FROM record_loghead")
        cursor.execute(
            "INSERT INTO record_loghead (id, size, root, edge) VALUES (1, %s, %s, %s)",
            [size, edge.root(), b"".join(edge.hashes)],
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE record_entry")
            cursor.execute("ANALYZE record_treenode")


def _insert(raw: Any, vendor: str, entries: list, nodes: list, checkpoints: list) -> None:  # type: ignore[type-arg]
    now = "2026-11-20 00:00:00+00"
    if vendor == "postgresql":
        with raw.copy("COPY record_entry (data, leaf_hash) FROM STDIN") as copy:
            for row in entries:
                copy.write_row(row)
        with raw.copy('COPY record_treenode (id, level, "index", hash) FROM STDIN') as copy:
            for row in nodes:
                copy.write_row(row)
        with raw.copy("COPY record_checkpoint (size, root, note, created_at) FROM STDIN") as copy:
            for size, root, note in checkpoints:
                copy.write_row((size, root, note, now))
        return
    raw.executemany("INSERT INTO record_entry (data, leaf_hash) VALUES (?, ?)", entries)
    raw.executemany('INSERT INTO record_treenode (id, level, "index", hash) VALUES (?, ?, ?, ?)', nodes)
    raw.executemany(
        "INSERT INTO record_checkpoint (size, root, note, created_at) VALUES (?, ?, ?, ?)",
        [(s, r, n, now) for s, r, n in checkpoints],
    )


def _prepare(ctx: Context, size: int) -> int:
    """Reuse the kept log when it is this benchmark's bulk load; otherwise load it."""
    from xuanren.record.models import Entry, LogHead

    head = LogHead.objects.filter(pk=1).first()
    first = Entry.objects.filter(seq=0).values_list("action", flat=True).first()
    if head is None or head.size == 0:
        _bulk_load(ctx, size)
        return size
    if first != MARK or not size <= head.size <= size + 100_000:
        raise StaleDatabase(f"the kept log ({head.size} entries) is not this benchmark's {size:,}-entry load")
    ctx.log(f"reusing the kept log of {head.size:,} entries")
    return head.size


def _bare_root(datas: list[bytes]) -> bytes:
    """The bare loop: RFC 6962 leaf hashes folded into the root, nothing else."""
    sha256 = hashlib.sha256
    stack: list[bytes] = []
    for i, data in enumerate(datas):
        h = sha256(b"\x00" + data).digest()
        n = i
        while n & 1:
            h = sha256(b"\x01" + stack.pop() + h).digest()
            n >>= 1
        stack.append(h)
    h = stack.pop()
    while stack:
        h = sha256(b"\x01" + stack.pop() + h).digest()
    return h


def _all_bytes() -> list[bytes]:
    from django.db import connection

    data_sql = "convert_to(data, 'UTF8')" if connection.vendor == "postgresql" else "CAST(data AS BLOB)"
    out: list[bytes] = []
    with connection.cursor() as cursor:
        last = -1
        while True:
            cursor.execute(
                f"SELECT seq, {data_sql} FROM record_entry WHERE seq > %s ORDER BY seq LIMIT 50000", [last]
            )
            rows = cursor.fetchall()
            if not rows:
                return out
            out.extend(bytes(d) for _, d in rows)
            last = rows[-1][0]


def _verify(ctx: Context, size: int) -> list[Result]:
    from xuanren.record.verify import default_workers, verify_log

    datas = _all_bytes()
    assert len(datas) == size
    started, cpu = time.perf_counter(), _cpu()
    bare_root = _bare_root(datas)
    bare, bare_cpu = time.perf_counter() - started, _cpu() - cpu
    del datas
    workers = default_workers()
    results = []
    for n in sorted({1, workers}, reverse=True):
        cpu = _cpu()
        report = verify_log(workers=n)
        used = _cpu() - cpu
        if not report.ok:
            raise RuntimeError(f"the bench log does not verify: {report.first_problem}")
        assert report.root == bare_root
        ctx.log(f"verify ({n} process{'es' if n > 1 else ''}) {report.seconds:.2f} s, bare loop {bare:.2f} s")
        results.append(
            Result(
                f"verify {size:,} entries ({n} process{'es' if n > 1 else ''})",
                ctx.db,
                report.seconds,
                "s",
                target=2 * bare,
                baseline_name="bare RFC 6962 loop",
                baseline_value=bare,
                note=(
                    f"{report.entries:,} leaves, {report.nodes:,} stored nodes and {report.checkpoints:,} signed "
                    "checkpoints checked; target 2× the bare loop (one process) over the same bytes in memory; "
                    f"CPU time {used:.2f} s (all processes) against the bare loop's {bare_cpu:.2f} s"
                    + ("; `xuanren ledger verify` uses this many processes here" if n == workers else "")
                ),
            )
        )
    return results


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the machine may be shared)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _proofs(ctx: Context, size: int) -> list[Result]:
    from xuanren.ledger.merkle import verify_consistency, verify_inclusion
    from xuanren.record import store
    from xuanren.record.models import Checkpoint, Entry

    checkpoint = Checkpoint.objects.order_by("-size").first()
    assert checkpoint is not None
    n, root = checkpoint.size, bytes(checkpoint.root)
    rng = random.Random(6962)
    indexes = [rng.randrange(n) for _ in range(200)]
    leaves = {
        seq: bytes(h) for seq, h in Entry.objects.filter(seq__in=indexes).values_list("seq", "leaf_hash")
    }
    make, check, sizes = [], [], []
    for index in indexes:
        t = time.perf_counter()
        proof = store.inclusion_proof(index, n)
        make.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        assert verify_inclusion(leaves[index], index, n, proof, root)
        check.append((time.perf_counter() - t) * 1000)
        sizes.append(32 * len(proof))
    old = Checkpoint.objects.filter(size__lte=n // 2).order_by("-size").first()
    assert old is not None
    c_make, c_check = [], []
    for _ in range(50):
        t = time.perf_counter()
        proof = store.consistency_proof(old.size, n)
        c_make.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        assert verify_consistency(old.size, n, bytes(old.root), root, proof)
        c_check.append((time.perf_counter() - t) * 1000)
    c_size = 32 * len(proof)
    median = statistics.median
    return [
        Result(
            f"inclusion proof at {n:,}: make",
            ctx.db,
            median(make),
            "ms",
            target=10.0,
            note=f"median of 200 random leaves, one query each; {median(sizes):.0f} bytes ({median(sizes) / 32:.0f} hashes)",
        ),
        Result(f"inclusion proof at {n:,}: check", ctx.db, median(check), "ms", target=1.0),
        Result(
            f"consistency proof {old.size:,} → {n:,}: make",
            ctx.db,
            median(c_make),
            "ms",
            target=10.0,
            note=f"{c_size} bytes ({c_size // 32} hashes)",
        ),
        Result(f"consistency proof {old.size:,} → {n:,}: check", ctx.db, median(c_check), "ms", target=1.0),
    ]


def _one_append(i: int, writer: int = 0) -> None:
    from xuanren.record.api import append, recorded_action

    with recorded_action():
        append(
            action="bench.append",
            actor=f"基准写入{writer}",
            jurisdiction_code="620723",
            campaign_id=9_999,
            candidate_id=i,
            stage="inspection",
            step="inspection_conducted",
            payload={"summary": "基准：一次操作一条记实", "i": i},
        )


def _floor_table() -> None:
    """A scratch table of this bench database for the baseline commits."""
    from django.db import connection

    key = "bigserial" if connection.vendor == "postgresql" else "integer"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS bench_commit_floor (id {key} PRIMARY KEY, n bigint)")


def _floor_commit(i: int) -> None:
    """The cheapest durable action: one small row inserted in its own transaction."""
    from django.db import connection, transaction

    with transaction.atomic(durable=True), connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_commit_floor (n) VALUES (%s)", [i])


_SAME_WRITES = ("record_entry", "record_treenode", "record_checkpoint", "record_loghead")


def _same_writes_tables() -> None:
    """Empty copies (``bench_same_*``) of the tables an append writes, with the same columns,
    generated columns and indexes, for the hand-written baseline: it must not touch the real log,
    which the next run verifies."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in _SAME_WRITES:
            copy = table.replace("record_", "bench_same_")
            cursor.execute(f"DROP TABLE IF EXISTS {copy}")
            if connection.vendor == "postgresql":
                cursor.execute(f"CREATE TABLE {copy} (LIKE {table} INCLUDING ALL)")
                continue
            cursor.execute(
                "SELECT type, sql FROM sqlite_master WHERE tbl_name = %s AND type IN ('table', 'index') "
                "AND sql IS NOT NULL ORDER BY type = 'index'",
                [table],
            )
            for _, sql in cursor.fetchall():
                sql = re.sub(
                    r'^(CREATE (?:UNIQUE )?INDEX )"', r'\1"bench_same_', sql
                )  # index names are global
                cursor.execute(sql.replace(f'"{table}"', f'"{copy}"'))
        cursor.execute(
            "INSERT INTO bench_same_loghead (id, size, root, edge) VALUES (1, 0, %s, %s)", [b"", b""]
        )


def _same_writes(count: int) -> list[tuple[str, bytes, str, bytes]]:
    """What the baseline writes, made beforehand: each append's entry bytes (seq = its index) and
    leaf hash, its checkpoint note and a right edge as long as the real log's."""
    from xuanren.ledger.canonical import Entry, entry_bytes
    from xuanren.ledger.merkle import leaf_hash
    from xuanren.ledger.note import Checkpoint, sign_checkpoint
    from xuanren.record import keys

    signer = keys.signer_key()
    out = []
    for seq in range(count):
        data = entry_bytes(
            Entry(
                seq=seq,
                time="2026-11-23T03:20:29.449329Z",
                jurisdiction="620723",
                campaign=9_999,
                candidate=seq,
                stage="inspection",
                step="inspection_conducted",
                action="bench.append",
                actor={"id": None, "name": "基准写入0"},
                payload={"summary": "基准：一次操作一条记实", "i": seq},
            )
        )
        h = leaf_hash(data)
        note = sign_checkpoint(Checkpoint(keys.origin(), 1_000_000 + seq, h), signer)
        out.append((data.decode("utf-8"), h, note, h * 20))
    return out


def _same_writes_commit(i: int, writes: list[tuple[str, bytes, str, bytes]]) -> None:
    """The baseline action: the statements an append runs, by hand, with everything made beforehand.

    On PostgreSQL as an append sends them: the entry with its node in one statement, and the
    checkpoint with the head's update pipelined with the ``COMMIT``."""
    from django.db import connection, transaction

    data, h, note, edge = writes[i]
    entry = "INSERT INTO bench_same_entry (data, leaf_hash) VALUES (%s, %s) RETURNING id"
    node = 'INSERT INTO bench_same_treenode (id, level, "index", hash) VALUES (%s, 1, %s, %s)'
    checkpoint = "INSERT INTO bench_same_checkpoint (size, root, note, created_at) VALUES (%s, %s, %s, %s)"
    head = "UPDATE bench_same_loghead SET size = %s, root = %s, edge = %s WHERE id = 1"
    checkpoint_values: list[Any] = [i + 1, h, note, "2026-11-23 03:20:29+00"]
    with transaction.atomic(durable=True), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT size, edge FROM bench_same_loghead WHERE id = 1 FOR UPDATE")
            cursor.execute(f"WITH e AS ({entry}), n AS ({node}) SELECT id FROM e", [data, h, i, i, h])
            cursor.fetchone()
            with connection.connection.pipeline():
                cursor.execute(f"WITH c AS ({checkpoint}) {head}", [*checkpoint_values, i + 1, h, edge])
                cursor.cursor.execute("COMMIT", prepare=False)
            return
        cursor.execute("SELECT size, edge FROM bench_same_loghead WHERE id = 1")
        cursor.execute(entry, [data, h])
        cursor.fetchone()
        cursor.execute(node, [i, i, h])
        cursor.execute(checkpoint, checkpoint_values)
        cursor.execute(head, [i + 1, h, edge])


def _per_op_ms(fn: Any, count: int) -> float:
    started = time.perf_counter()
    for i in range(count):
        fn(i)
    return (time.perf_counter() - started) * 1000 / count


def _concurrent_ms(writers: int, count: int) -> float:
    from django.db import connection

    errors: list[BaseException] = []

    def work(w: int) -> None:
        try:
            for i in range(w, count, writers):
                _one_append(i, w)
        except BaseException as e:
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(w,)) for w in range(writers)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return (time.perf_counter() - started) * 1000 / count


def _process_writer(key_file: str, writer: int, count: int, barrier: Any, out: Any) -> None:
    """One writer process (as a server's worker process): its own interpreter and connection."""
    import django

    django.setup()
    from pathlib import Path

    from django.conf import settings

    from xuanren.record import keys

    settings.LEDGER_KEY_FILE = Path(key_file)
    keys.forget_cached_keys()
    for i in range(10):  # warm: imports, the connection, prepared statements
        _one_append(i, 100 + writer)
    barrier.wait()
    started = time.perf_counter()
    for i in range(count):
        _one_append(i, 100 + writer)
    out.put(time.perf_counter() - started)


def _processes_ms(processes: int, count: int) -> float:
    """Per append, over all writers, with ``processes`` writer processes appending at once."""
    import multiprocessing

    from django.conf import settings
    from django.db import connection

    connection.close()
    context = multiprocessing.get_context("spawn")  # a fresh interpreter each, as a server worker
    barrier, out = context.Barrier(processes + 1), context.Queue()
    each = max(1, count // processes)
    workers = [
        context.Process(target=_process_writer, args=(str(settings.LEDGER_KEY_FILE), w, each, barrier, out))
        for w in range(processes)
    ]
    for w in workers:
        w.start()
    barrier.wait(timeout=300)
    started = time.perf_counter()
    for w in workers:
        w.join(timeout=600)
    elapsed = time.perf_counter() - started
    if any(w.exitcode != 0 for w in workers):
        raise RuntimeError("a writer process failed")
    return elapsed * 1000 / (each * processes)


def _relaxed(vendor: str, on: bool) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(f"SET synchronous_commit = {'off' if on else 'on'}")
        else:
            cursor.execute(f"PRAGMA synchronous = {'NORMAL' if on else 'FULL'}")


def _appends(ctx: Context, count: int) -> list[Result]:
    from django.db import connection

    setting = "WAL, synchronous=FULL" if ctx.db == "sqlite" else "synchronous_commit=on, fsync=on"
    _floor_table()
    floor = _per_op_ms(_floor_commit, count)
    _same_writes_tables()
    writes = _same_writes(count)
    same = _per_op_ms(lambda i: _same_writes_commit(i, writes), count)
    one = _per_op_ms(_one_append, count)
    four = _concurrent_ms(4, count)
    by_processes = {n: _processes_ms(n, 2 * count) for n in (2, 4)}
    _relaxed(connection.vendor, True)
    try:
        relaxed_floor = _per_op_ms(_floor_commit, count)
        relaxed = _per_op_ms(_one_append, count)
    finally:
        _relaxed(connection.vendor, False)
    ctx.log(
        f"append {one:.2f} ms (floor {floor:.2f} ms, same writes by hand {same:.2f} ms), "
        f"4 writers {four:.2f} ms, "
        + ", ".join(f"{n} processes {ms:.2f} ms" for n, ms in by_processes.items())
        + f", not synced {relaxed:.2f} ms"
    )
    unsynced = "synchronous=NORMAL" if ctx.db == "sqlite" else "synchronous_commit=off"
    return [
        Result(
            "append, durable commit per action (1 writer)",
            ctx.db,
            one,
            "ms",
            target=1.0,
            baseline_name="1-row durable commit",
            baseline_value=floor,
            note=f"{1000 / one:.0f} appends/s; {setting}; each append signs and stores its checkpoint",
        ),
        Result(
            "append, durable commit per action (1 writer), against the same writes by hand",
            ctx.db,
            one,
            "ms",
            target=1.0,
            baseline_name="the same statements in hand-written SQL",
            baseline_value=same,
            note=(
                "baseline: one durable transaction per action that locks the head and inserts an entry, a "
                "tree node and a checkpoint and updates the head, into copies of the log's tables (same "
                "generated columns and indexes), with the bytes, hashes and signed note made beforehand: "
                "the database's own share of an append"
            ),
        ),
        Result(
            "append, durable commit per action (4 writers)",
            ctx.db,
            four,
            "ms",
            target=1.0,
            baseline_name="1-row durable commit",
            baseline_value=floor,
            note=f"{1000 / four:.0f} appends/s; writers queue on the log head, whose lock is held to the commit",
        ),
        *(
            Result(
                f"append, durable commit per action ({n} writer processes)",
                ctx.db,
                ms,
                "ms",
                target=1.0,
                baseline_name="1-row durable commit",
                baseline_value=floor,
                note=(
                    f"{1000 / ms:.0f} appends/s in all; {n} processes (as a server's worker processes, each "
                    "its own interpreter and connection) appending at once; time per append over all of them"
                ),
            )
            for n, ms in by_processes.items()
        ),
        Result(
            f"append, commit not synced ({unsynced})",
            ctx.db,
            relaxed,
            "ms",
            target=1.0,
            baseline_name="1-row commit, not synced",
            baseline_value=relaxed_floor,
            note=f"{1000 / relaxed:.0f} appends/s: the ledger's own cost without the disk's sync",
        ),
    ]


def run(ctx: Context) -> list[Result]:
    size = ctx.param("size", 1_000_000)
    _use_bench_key(ctx)
    n = _prepare(ctx, size)
    results = _verify(ctx, n)
    results += _proofs(ctx, n)
    results += _appends(ctx, ctx.param("appends", 500))
    return results
