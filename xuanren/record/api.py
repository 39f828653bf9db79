"""The one way to write to the full-process record (全程纪实).

Every action runs inside :func:`recorded_action` — one durable transaction — and calls
:func:`append` for each entry, so an entry commits with the change it describes or not at all::

    with recorded_action():
        ... change the models ...
        append(action="inspection_candidate_set", actor=acting_user, jurisdiction_code="620723",
               campaign_id=campaign.pk, candidate_id=cadre.pk, stage="recommendation",
               step="inspection_candidates", payload={"basis": "direct", ...})

or ``@recorded_action()`` on the action function.

What happens, per action:

1. the first ``append`` locks the log head (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's
   ``BEGIN IMMEDIATE`` already serialises writers) and loads the tree's right edge (one query);
2. each ``append`` builds the canonical bytes (``xuanren.ledger.canonical.entry_bytes``), inserts
   the entry, and inserts the tree nodes the new leaf completes (amortised one row);
3. when the block ends without an exception and something was appended, the new root is signed
   as a checkpoint (C2SP tlog-checkpoint, Ed25519) and stored, still under the lock — so the log
   never signs two checkpoints that do not extend one another — and the transaction commits.

On PostgreSQL every statement is a round trip under the head lock, so they are few: an action's
first append is made beforehand from the head the connection last sealed and goes with the lock
itself (one statement, inserted only if the head is still that one; see
:func:`_append_to_expected_head`), a later entry goes with the nodes it completes, and the
checkpoint with the head's update and, when the action is the connection's outermost transaction,
its ``COMMIT`` (one message; Django's own commit then finds it done).

``seq`` is the entry's 0-based leaf index; sequence numbers have no gaps and no duplicates.
"""

from __future__ import annotations

import dataclasses
import functools
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from contextlib import ContextDecorator
from types import TracebackType
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.utils import timezone

from xuanren.ledger import canonical
from xuanren.ledger.merkle import EMPTY_ROOT, leaf_hash
from xuanren.ledger.nodestore import CompactRange
from xuanren.ledger.note import Checkpoint as CheckpointBody
from xuanren.ledger.note import sign_checkpoint
from xuanren.record import keys
from xuanren.record.models import Entry, LogHead, TreeNode
from xuanren.record.store import DatabaseNodeStore
from xuanren.record.writers import WriterTurn

F = TypeVar("F", bound=Callable[..., Any])


@dataclasses.dataclass
class _Action:
    """What one recorded action has written so far (per thread).

    A nested action (an action called inside another, e.g. accepting an online recommendation
    makes the nomination) shares its outermost action's state (``root``): its entries join that
    action's transaction and are sealed with it. It runs in a savepoint; when it fails, the
    savepoint is rolled back and the shared state is put back as it was when it began."""

    atomic: Any = None
    edge: CompactRange | None = None
    size_before: int = 0
    appended: list[Entry] = dataclasses.field(default_factory=list)
    turn: WriterTurn | None = None  # the outermost action's turn among SQLite writers
    root: _Action | None = None
    saved: tuple[int, list[bytes]] | None = None  # the root's edge when this nested action began
    saved_count: int = 0


_local = threading.local()


def _stack() -> list[_Action]:
    stack = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    return stack


class _RecordedAction(ContextDecorator):
    """``with recorded_action():`` / ``@recorded_action()``: a durable transaction that seals."""

    def _recreate_cm(self) -> _RecordedAction:
        return _RecordedAction()  # a fresh one per decorated call: state lives per call

    def __enter__(self) -> _RecordedAction:
        stack = _stack()
        if stack:  # inside another action: join it, in a savepoint
            root = stack[-1].root or stack[-1]
            atomic = transaction.atomic()
            atomic.__enter__()
            edge = root.edge
            saved = (edge.size, list(edge.hashes)) if edge is not None else None
            stack.append(_Action(atomic=atomic, root=root, saved=saved, saved_count=len(root.appended)))
            return self
        turn = WriterTurn().__enter__()
        try:
            atomic = transaction.atomic(durable=True)
            atomic.__enter__()
        except BaseException:
            turn.release()
            raise
        stack.append(_Action(atomic=atomic, turn=turn))
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool | None:
        action = _stack().pop()
        if action.root is not None:  # nested: the outermost action seals
            if exc_type is not None:
                root = action.root
                root.edge = CompactRange(*action.saved) if action.saved is not None else None
                del root.appended[action.saved_count :]
            return action.atomic.__exit__(exc_type, exc, tb)  # type: ignore[no-any-return]
        try:
            if exc_type is None and action.appended:
                commits = _commits_on_exit(action.atomic)
                try:
                    _seal(action, commit=commits)
                except BaseException:
                    action.atomic.__exit__(*sys.exc_info())
                    raise
            return action.atomic.__exit__(exc_type, exc, tb)  # type: ignore[no-any-return]
        finally:
            if action.turn is not None:
                action.turn.release()


def recorded_action() -> _RecordedAction:
    """One action: a durable atomic block whose entries are sealed by one signed checkpoint.

    Inside another action it joins that one (a savepoint; sealed when the outermost ends)."""
    return _RecordedAction()


def in_recorded_action() -> bool:
    """Whether this thread is inside an action (a nested action's refusal is the outer's to record)."""
    return bool(_stack())


def _db() -> Any:
    """The default database's connection of this thread (one lookup; the ``connection`` proxy
    looks it up again at every attribute)."""
    return connections[DEFAULT_DB_ALIAS]


def _commits_on_exit(atomic: Any) -> bool:
    """Whether leaving ``atomic`` commits the connection's transaction (it is the outermost block).

    Not so in the test suite's transactions, or inside a block that must roll back."""
    db = _db()
    return (
        db.atomic_blocks == [atomic]
        and not db.savepoint_ids
        and db.commit_on_exit
        and not db.needs_rollback
        and not db.closed_in_transaction
    )


def _lock_head() -> tuple[int, bytes]:
    """Lock the log head; return the log's size and the tree's right edge.

    PostgreSQL: ``SELECT ... FOR UPDATE`` on the one head row, held to the commit. SQLite: the
    action's ``BEGIN IMMEDIATE`` already holds the database's write lock.
    """
    db = _db()
    lock = " FOR UPDATE" if db.features.has_select_for_update else ""
    with db.cursor() as cursor:
        cursor.execute(f"SELECT size, edge FROM record_loghead WHERE id = 1{lock}")
        row = cursor.fetchone()
    if row is None:
        try:
            with transaction.atomic():
                LogHead.objects.create(pk=1, size=0, root=EMPTY_ROOT, edge=b"")
        except IntegrityError:
            pass  # created by a concurrent first append; lock theirs
        return _lock_head()
    return int(row[0]), bytes(row[1] or b"")


def _begin(action: _Action) -> CompactRange:
    if action.edge is None:
        size, edge = _lock_head()
        _start_edge(action, size, edge)
    assert action.edge is not None
    return action.edge


def _start_edge(action: _Action, size: int, edge: bytes) -> None:
    """The action's tree, as the locked head leaves it."""
    action.size_before = size
    hashes = [edge[i : i + 32] for i in range(0, len(edge), 32)]
    if len(hashes) == size.bit_count():
        action.edge = CompactRange(size, hashes)
    else:  # a head written without its edge (a bulk load): read it from the stored nodes
        action.edge = CompactRange.from_store(DatabaseNodeStore(), size)


def _seal(action: _Action, *, commit: bool = False) -> None:
    """Sign and store the checkpoint of the tree as this action leaves it (under the head lock).

    ``commit``: the action is the connection's outermost transaction; on PostgreSQL its ``COMMIT``
    is pipelined with the statement, in one round trip (Django's own commit then finds nothing
    left to commit)."""
    edge = action.edge
    assert edge is not None
    root = edge.root()
    db = _db()
    # The next action on this connection expects this head (checked by the database, so a
    # rolled-back or stale expectation costs nothing but the ordinary path).
    setattr(db, _EXPECTED_HEAD, (edge.size, root, tuple(edge.hashes)))
    signer = keys.signer_key(create_if_absent=action.size_before == 0)
    note = sign_checkpoint(CheckpointBody(keys.origin(), edge.size, root), signer)
    now = db.ops.adapt_datetimefield_value(timezone.now())
    insert = "INSERT INTO record_checkpoint (size, root, note, created_at) VALUES (%s, %s, %s, %s)"
    update = "UPDATE record_loghead SET size = %s, root = %s, edge = %s WHERE id = 1"
    checkpoint: list[Any] = [edge.size, root, note, now]
    head: list[Any] = [edge.size, root, b"".join(edge.hashes)]
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            if not commit:
                cursor.execute(f"WITH c AS ({insert}) {update}", checkpoint + head)
                return
            with db.wrap_database_errors, db.connection.pipeline():  # one round trip under the lock
                cursor.execute(f"WITH c AS ({insert}) {update}", checkpoint + head)
                cursor.cursor.execute("COMMIT", prepare=False)
        else:
            cursor.execute(insert, checkpoint)
            cursor.execute(update, head)


def actor_value(actor: Any) -> dict[str, Any]:
    """The recorder (记录人) as the entry names them: a user's id and name, or a named process."""
    if actor is None:
        return {"id": None, "name": "系统"}
    if isinstance(actor, str):
        return {"id": None, "name": actor}
    if isinstance(actor, Mapping):
        return dict(actor)
    name = getattr(actor, "display_name", "") or str(actor)
    return {"id": actor.pk, "name": name}


def append(
    *,
    action: str,
    actor: Any,
    jurisdiction_code: str,
    payload: Mapping[str, Any] | None = None,
    campaign_id: int | None = None,
    candidate_id: int | None = None,
    stage: str = "",
    step: str = "",
    kind: str = "entry",
    refs: Iterable[int] = (),
    files: Iterable[Mapping[str, str]] = (),
    candidate_name: str | None = None,
) -> Entry:
    """Append one entry to the record, inside the current action's transaction.

    ``actor`` is the acting user (or a string naming a process; None is "系统"). ``payload`` is
    converted with ``canonical.to_canonical_value`` (dates, Fractions and Decimals become strings;
    floats are refused). ``files`` (``{"name", "sha256"}``, see ``canonical.file_ref``) go into
    ``payload["files"]``; ``candidate_name`` into ``payload["candidate_name"]``. ``kind`` is
    "entry", "review" or "correction"; a review or correction names the entries it concerns in
    ``refs`` (their seq). Empty ``stage``/``step`` are recorded as null.
    """
    return _append(
        action=action,
        actor=actor,
        jurisdiction_code=jurisdiction_code,
        payload=payload,
        campaign_id=campaign_id,
        candidate_id=candidate_id,
        stage=stage,
        step=step,
        kind=kind,
        refs=refs,
        files=files,
        candidate_name=candidate_name,
    )


def _append(*, entry_id: int | None = None, **fields: Any) -> Entry:
    stack = _stack()
    if stack:
        current, standalone = stack[-1].root or stack[-1], False
    else:
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("record.append() must run inside an action (with recorded_action(): ...)")
        current, standalone = _Action(), True  # inside some other transaction: seal at once
    db = _db()
    if current.edge is None and db.vendor == "postgresql":
        entry = _append_to_expected_head(current, db, entry_id, fields)
        if entry is not None:
            current.appended.append(entry)
            if standalone:
                _seal(current)
            return entry
    made = _Made.on(_begin(current), entry_id, fields)
    # Plain SQL on this path: an action's appends run under the log's lock, so they are kept short.
    values = made.entry_values()
    marks = ", ".join(["%s"] * len(values))
    insert_entry = f"INSERT INTO record_entry ({made.entry_columns()}) VALUES ({marks}) RETURNING id"
    node_marks = ", ".join(["(%s, %s, %s, %s)"] * made.nodes)
    insert_nodes = f'INSERT INTO record_treenode (id, level, "index", hash) VALUES {node_marks}'
    with db.cursor() as cursor:
        if made.nodes and db.vendor == "postgresql":  # one round trip while the log is locked
            cursor.execute(
                f"WITH e AS ({insert_entry}), n AS ({insert_nodes}) SELECT id FROM e",
                values + made.node_values,
            )
            pk = cursor.fetchone()[0]
        else:
            cursor.execute(insert_entry, values)
            pk = cursor.fetchone()[0]
            if made.nodes:
                cursor.execute(insert_nodes, made.node_values)
    entry = made.entry(pk)
    current.appended.append(entry)
    if standalone:
        _seal(current)
    return entry


@dataclasses.dataclass(frozen=True)
class _Made:
    """An entry made for the next leaf of ``edge`` (which it extends): its value, canonical text
    and leaf hash, and the tree nodes it completes as ``(key, level, index, hash)`` values."""

    edge: CompactRange
    entry_id: int | None
    value: canonical.Entry
    text: str
    leaf: bytes
    node_values: list[Any]

    @classmethod
    def on(cls, edge: CompactRange, entry_id: int | None, fields: dict[str, Any]) -> _Made:
        value = _entry_value(edge.size, **fields)
        data = canonical.entry_bytes(value)
        h = leaf_hash(data)
        nodes = edge.append(h)[1:]  # a leaf's own hash is the entry's leaf_hash
        node_values = [
            v for level, index, node in nodes for v in (TreeNode.key_id(level, index), level, index, node)
        ]
        return cls(edge, entry_id, value, data.decode("utf-8"), h, node_values)

    @property
    def nodes(self) -> int:
        return len(self.node_values) // 4

    def entry_columns(self) -> str:
        return "data, leaf_hash" if self.entry_id is None else "id, data, leaf_hash"

    def entry_values(self) -> list[Any]:
        return [self.text, self.leaf] if self.entry_id is None else [self.entry_id, self.text, self.leaf]

    def entry(self, pk: int) -> Entry:
        return _entry_object(pk, self.text, self.leaf, self.value)


_EXPECTED_HEAD = "_record_expected_head"  # on the connection: (size, root, edge hashes) it last sealed
_MISSES = "_record_expected_misses"  # on the connection: (expectations missed in a row, actions left to skip)


def _append_to_expected_head(
    current: _Action, db: Any, entry_id: int | None, fields: dict[str, Any]
) -> Entry | None:
    """PostgreSQL, an action's first append: lock the head and insert the entry in one statement.

    The entry's sequence number and tree nodes are made beforehand from the head this connection
    last sealed; the statement locks the head and inserts them only if the head is still that one
    (same size and root), and returns the head either way. When it is not (another connection
    has appended since, or nothing is known yet), nothing is inserted, the head stays locked and
    the ordinary path appends to it: no round trip more than before. When the transaction has not
    begun yet, its ``BEGIN`` goes in the same round trip.

    An expectation missed costs the entry made twice; after a miss (other writers are busy) the
    connection stops expecting for 1, 3, 7, then 15 actions, until an expectation holds again."""
    expected = getattr(db, _EXPECTED_HEAD, None)
    misses, skip = getattr(db, _MISSES, (0, 0))
    if skip:
        setattr(db, _MISSES, (misses, skip - 1))
        expected = None
    made = None
    if expected is None:
        sql = "WITH h AS (SELECT size, edge FROM record_loghead WHERE id = 1 FOR UPDATE) SELECT size, edge, NULL FROM h"
        params: list[Any] = []
    else:
        made = _Made.on(CompactRange(expected[0], list(expected[2])), entry_id, fields)
        values = made.entry_values()
        casts = ", ".join(["%s::bigint"] * (len(values) - 2) + ["%s::text", "%s::bytea"])
        sql = (
            "WITH h AS (SELECT size, root, edge FROM record_loghead WHERE id = 1 FOR UPDATE), "
            "ok AS (SELECT 1 FROM h WHERE size = %s AND root = %s), "
            f"e AS (INSERT INTO record_entry ({made.entry_columns()}) SELECT {casts} FROM ok RETURNING id)"
        )
        params = [expected[0], expected[1], *values]
        if made.nodes:
            rows = ", ".join(["(%s::bigint, %s::smallint, %s::bigint, %s::bytea)"] * made.nodes)
            sql += f', n AS (INSERT INTO record_treenode (id, level, "index", hash) SELECT v.* FROM ok, (VALUES {rows}) v)'
            params += made.node_values
        sql += " SELECT h.size, h.edge, (SELECT id FROM e) FROM h"
    with db.cursor() as cursor:
        with db.wrap_database_errors, db.connection.pipeline():
            if _begins_here(db.connection):
                cursor.cursor.execute("BEGIN", prepare=False)
            cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None  # no head yet: the ordinary path makes it
    size, head_edge, pk = int(row[0]), bytes(row[1] or b""), row[2]
    if made is None or pk is None:
        if made is not None:
            misses = min(misses + 1, 4)
            setattr(db, _MISSES, (misses, (1 << misses) - 1))
        _start_edge(current, size, head_edge)  # locked; the ordinary path appends
        return None
    if misses:
        setattr(db, _MISSES, (0, 0))
    current.size_before = size
    current.edge = made.edge
    return made.entry(int(pk))


def _begins_here(conn: Any) -> bool:
    """When the transaction has not begun on the server yet, begin it in this round trip.

    psycopg would send its own ``BEGIN`` and wait for the answer before the statement (a round
    trip of its own). Here the connection is switched to psycopg's autocommit, so that psycopg
    sends nothing of its own, and the ``BEGIN`` goes ahead of the statement in the same pipeline.
    The server's transaction then runs as before: every later statement goes into it, and it ends
    with the ``COMMIT`` of :func:`_seal` or Django's ``ROLLBACK`` (psycopg's ``commit()`` and
    ``rollback()`` act on the server's transaction status, not on the autocommit flag; Django
    switches autocommit on again when the action ends)."""
    if conn.autocommit or conn.info.transaction_status != _psycopg_idle():
        return False
    conn.autocommit = True
    return True


@functools.cache
def _psycopg_idle() -> Any:
    from psycopg.pq import TransactionStatus

    return TransactionStatus.IDLE


def _entry_object(pk: int, text: str, h: bytes, value: canonical.Entry) -> Entry:
    """The stored entry as a model instance, its generated columns filled from the value."""
    actor_id = value.actor.get("id") if isinstance(value.actor, dict) else value.actor
    columns = {
        "id": pk,
        "data": text,
        "leaf_hash": h,
        "seq": value.seq,
        "time": value.time,
        "jurisdiction_code": value.jurisdiction,
        "campaign_id": value.campaign,
        "candidate_id": value.candidate,
        "stage": value.stage,
        "step": value.step,
        "action": value.action,
        "kind": value.kind,
        "actor_id": actor_id if isinstance(actor_id, int) else None,
        "ref": value.refs[0] if value.refs else None,
    }
    names = _entry_columns_in_order()
    entry = Entry.from_db(DEFAULT_DB_ALIAS, names, [columns[name] for name in names])
    entry.__dict__["value"] = value  # the parsed entry (a cached property)
    return entry


@functools.cache
def _entry_columns_in_order() -> list[str]:
    return [f.attname for f in Entry._meta.concrete_fields]


def _entry_value(
    seq: int,
    *,
    action: str,
    actor: Any,
    jurisdiction_code: str,
    payload: Mapping[str, Any] | None,
    campaign_id: int | None,
    candidate_id: int | None,
    stage: str,
    step: str,
    kind: str,
    refs: Iterable[int],
    files: Iterable[Mapping[str, str]],
    candidate_name: str | None,
) -> canonical.Entry:
    body = dict(payload or {})
    files = [dict(f) for f in files]
    if files:
        body["files"] = [*body.get("files", []), *files]
    if candidate_name:
        body["candidate_name"] = candidate_name
    value = canonical.Entry(
        seq=seq,
        time=canonical.format_time(timezone.now()),
        jurisdiction=jurisdiction_code,
        campaign=campaign_id,
        candidate=candidate_id,
        stage=stage or None,
        step=step or None,
        action=action,
        actor=canonical.to_canonical_value(actor_value(actor)),  # type: ignore[arg-type]
        payload=canonical.to_canonical_value(body),  # type: ignore[arg-type]
        refs=tuple(refs),
        kind=kind,
    )
    return value
