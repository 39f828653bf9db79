"""Appending: canonical bytes, gapless seq, stored nodes, one signed checkpoint per action."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from xuanren.ledger import canonical, merkle
from xuanren.ledger.note import open_checkpoint
from xuanren.record import keys, store
from xuanren.record.api import append, recorded_action
from xuanren.record.models import AppendOnlyError, Checkpoint, Entry, LogHead, TreeNode
from xuanren.record.tests.helpers import add

pytestmark = pytest.mark.django_db


def test_entries_hold_canonical_bytes_with_seq_as_the_zero_based_leaf_index(officer):
    with recorded_action():
        first = append(
            action="inspection_candidate_set",
            actor=officer,
            jurisdiction_code="620723",
            campaign_id=3,
            candidate_id=9,
            stage="recommendation",
            step="inspection_candidates",
            payload={
                "share": Fraction(1, 3),
                "passed": True,
                "on": dt.date(2026, 3, 1),
                "score": Decimal("0.60"),
            },
            candidate_name="张三",
        )
    second = add()[0]
    assert (first.seq, second.seq) == (0, 1)
    value = canonical.parse_entry(first.data_bytes)
    assert canonical.entry_bytes(value) == first.data_bytes
    assert value.payload == {
        "share": "1/3",
        "passed": True,
        "on": "2026-03-01",
        "score": "0.60",
        "candidate_name": "张三",
    }
    assert value.actor == {"id": officer.pk, "name": "王记录"}
    assert bytes(first.leaf_hash) == merkle.leaf_hash(first.data_bytes)
    stored = Entry.objects.get(pk=first.pk)
    assert (stored.seq, stored.action, stored.campaign_id, stored.candidate_id) == (
        0,
        "inspection_candidate_set",
        3,
        9,
    )
    assert (stored.stage, stored.step, stored.jurisdiction_code, stored.actor_id) == (
        "recommendation",
        "inspection_candidates",
        "620723",
        officer.pk,
    )
    assert stored.time == value.time and stored.kind == "entry" and stored.ref is None


def test_empty_stage_and_step_are_recorded_as_null():
    entry = add(stage="", step="")[0]
    assert entry.value.stage is None and Entry.objects.get(pk=entry.pk).stage is None


def test_floats_are_refused():
    with pytest.raises(canonical.CanonicalError), recorded_action():
        append(action="x", actor=None, jurisdiction_code="620723", payload={"share": 0.5})
    assert not Entry.objects.exists()


def test_each_action_is_sealed_by_one_signed_checkpoint_of_its_tree():
    with recorded_action():
        for i in range(3):
            append(action="batch", actor="测试", jurisdiction_code="620723", payload={"i": i})
    add(2)
    assert list(Checkpoint.objects.values_list("size", flat=True)) == [3, 4, 5]
    leaves = [bytes(h) for h in Entry.objects.order_by("seq").values_list("leaf_hash", flat=True)]
    vkey = keys.verifier_key()
    for cp in Checkpoint.objects.all():
        body, _ = open_checkpoint(cp.note, [vkey], origin=keys.origin())
        assert (body.size, body.root) == (cp.size, merkle.root(leaves[: cp.size]))
    assert store.root(5) == merkle.root(leaves)
    head = LogHead.objects.get()
    assert (head.size, bytes(head.root)) == (5, merkle.root(leaves))


def test_tree_nodes_above_the_leaves_are_stored_once_each():
    add(8)
    assert sorted(TreeNode.objects.values_list("level", "index")) == [
        (1, 0), (1, 1), (1, 2), (1, 3), (2, 0), (2, 1), (3, 0),
    ]  # fmt: skip
    leaves = [bytes(h) for h in Entry.objects.order_by("seq").values_list("leaf_hash", flat=True)]
    for index in range(8):
        assert store.inclusion_proof(index, 8) == merkle.inclusion_proof(leaves, index)
    assert store.consistency_proof(3, 8) == merkle.consistency_proof(leaves, 3)


def test_a_failed_action_leaves_no_entry_no_checkpoint_and_no_node():
    add(1)
    with pytest.raises(ZeroDivisionError), recorded_action():
        append(action="x", actor=None, jurisdiction_code="620723")
        append(action="y", actor=None, jurisdiction_code="620723")
        1 / 0  # noqa: B018
    assert Entry.objects.count() == 1 and Checkpoint.objects.count() == 1
    assert TreeNode.objects.count() == 0 and LogHead.objects.get().size == 1
    assert add(1)[0].seq == 1


def test_recorded_action_works_as_a_decorator():
    @recorded_action()
    def act(n: int) -> int:
        return append(action="decorated", actor=None, jurisdiction_code="620723", payload={"n": n}).seq

    assert [act(1), act(2)] == [0, 1]
    assert Checkpoint.objects.count() == 2


def test_a_nested_action_joins_the_outer_one_and_is_sealed_with_it():
    add(1)
    with recorded_action():
        append(action="outer", actor=None, jurisdiction_code="620723")
        with recorded_action():
            inner = append(action="inner", actor=None, jurisdiction_code="620723")
        append(action="after", actor=None, jurisdiction_code="620723")
    assert inner.seq == 2
    assert list(Entry.objects.order_by("seq").values_list("action", flat=True))[1:] == [
        "outer",
        "inner",
        "after",
    ]
    assert list(Checkpoint.objects.values_list("size", flat=True)) == [1, 4]  # one seal for all three
    leaves = [bytes(h) for h in Entry.objects.order_by("seq").values_list("leaf_hash", flat=True)]
    assert LogHead.objects.get().root == merkle.root(leaves)


def test_a_failed_nested_action_is_undone_and_the_outer_one_goes_on():
    add(3)
    with recorded_action():
        append(action="outer", actor=None, jurisdiction_code="620723")
        with pytest.raises(ZeroDivisionError), recorded_action():
            append(action="undone 1", actor=None, jurisdiction_code="620723")
            append(action="undone 2", actor=None, jurisdiction_code="620723")
            1 / 0  # noqa: B018
        last = append(action="kept", actor=None, jurisdiction_code="620723")
    assert last.seq == 4
    assert list(Entry.objects.order_by("seq").values_list("action", flat=True))[3:] == ["outer", "kept"]
    leaves = [bytes(h) for h in Entry.objects.order_by("seq").values_list("leaf_hash", flat=True)]
    assert len(leaves) == 5 and LogHead.objects.get().root == merkle.root(leaves)
    assert store.inclusion_proof(4, 5) == merkle.inclusion_proof(leaves, 4)
    assert sorted(TreeNode.objects.values_list("level", "index")) == [(1, 0), (1, 1), (2, 0)]


def test_a_nested_action_failing_before_the_outer_appended_is_undone_too():
    add(2)
    with recorded_action():
        with pytest.raises(ZeroDivisionError), recorded_action():
            append(action="undone", actor=None, jurisdiction_code="620723")
            1 / 0  # noqa: B018
        kept = append(action="kept", actor=None, jurisdiction_code="620723")
    assert kept.seq == 2 and Entry.objects.count() == 3
    leaves = [bytes(h) for h in Entry.objects.order_by("seq").values_list("leaf_hash", flat=True)]
    assert LogHead.objects.get().root == merkle.root(leaves)


@pytest.mark.django_db(transaction=True)
def test_append_outside_any_transaction_is_refused():
    with pytest.raises(RuntimeError):
        append(action="x", actor=None, jurisdiction_code="620723")
    assert not Entry.objects.exists()


def test_append_inside_another_transaction_is_sealed_at_once():
    with transaction.atomic():
        append(action="x", actor=None, jurisdiction_code="620723")
        append(action="y", actor=None, jurisdiction_code="620723")
    assert list(Checkpoint.objects.values_list("size", flat=True)) == [1, 2]


def test_the_models_refuse_updates_and_deletes():
    entry = add(1)[0]
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        Entry.objects.filter(pk=entry.pk).update(data="{}")
    with pytest.raises(AppendOnlyError):
        Entry.objects.all().delete()


@pytest.mark.parametrize("table", ["record_entry", "record_treenode", "record_checkpoint"])
def test_the_database_refuses_sql_updates_of_the_append_only_tables(table):
    add(2)
    column = {"record_entry": "leaf_hash", "record_treenode": "hash", "record_checkpoint": "root"}[table]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = {column}")


def test_the_database_refuses_to_change_a_generated_column():
    add(1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE record_entry SET action = 'forged'")


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_refuses_sql_deletes_of_entries():
    add(2)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM record_entry WHERE seq = 1")


def test_an_empty_log_creates_its_key_but_a_log_with_checkpoints_never_replaces_a_lost_one(ledger_key):
    ledger_key.unlink()
    keys.forget_cached_keys()
    add(1)
    assert ledger_key.exists() and keys.key_file_mode(ledger_key) == 0o600
    ledger_key.unlink()
    keys.forget_cached_keys()
    with pytest.raises(keys.LedgerKeyMissing):
        add(1)
    assert Entry.objects.count() == 1


def test_setup_creates_the_key_once_and_prints_the_verifier_key(tmp_path, settings, capsys):
    settings.LEDGER_KEY_FILE = tmp_path / "new" / "ledger.key"
    keys.forget_cached_keys()
    call_command("setup")
    first = capsys.readouterr().out
    assert "已创建" in first and keys.key_file_mode() == 0o600
    call_command("setup")
    second = capsys.readouterr().out
    assert "已存在" in second
    vkey = keys.verifier_key()
    assert vkey in first and vkey in second and vkey.startswith(keys.origin() + "+")


@pytest.mark.django_db(transaction=True)
def test_an_action_whose_commit_fails_leaves_nothing_and_the_next_one_goes_on():
    """The checkpoint and the commit may travel together; a commit refused still undoes it all."""
    from django.db import IntegrityError
    from django.utils import timezone

    add(1)
    orphan = (
        "INSERT INTO record_cosignature (witness, witness_vkey, timestamp, line, added_at, checkpoint_id) "
        "VALUES ('w', 'w+00000000+AA', 0, 'line', %s, 999999)"  # a deferred foreign key: fails at COMMIT
    )
    with pytest.raises(IntegrityError), recorded_action():
        append(action="x", actor=None, jurisdiction_code="620723")
        with connection.cursor() as cursor:
            cursor.execute(orphan, [connection.ops.adapt_datetimefield_value(timezone.now())])
    assert Entry.objects.count() == 1 and Checkpoint.objects.count() == 1
    assert LogHead.objects.get().size == 1
    assert not connection.in_atomic_block and connection.get_autocommit()
    assert add(1)[0].seq == 1
    assert Checkpoint.objects.count() == 2


def _statements(queries: Any) -> list[str]:
    """The statements sent, without the transaction's own (BEGIN, COMMIT, ROLLBACK, SAVEPOINT)."""
    control = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")
    return [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(control)]


@pytest.mark.django_db(transaction=True)
def test_postgresql_locks_the_head_and_inserts_the_entry_in_one_statement_when_the_head_is_as_expected():
    """An action's first append sends the entry with the head's lock; the checkpoint goes with
    the COMMIT: two round trips, the transaction's BEGIN travelling with the first."""
    from django.test.utils import CaptureQueriesContext

    from xuanren.record.verify import verify_log

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's writers are serialised by BEGIN IMMEDIATE; there is no round trip to save")
    add(1)  # this connection now expects the head it left
    with CaptureQueriesContext(connection) as queries, recorded_action():
        first = append(action="test.step", actor="测试", jurisdiction_code="620723", payload={"n": 1})
        second = append(action="test.step", actor="测试", jurisdiction_code="620723", payload={"n": 2})
    statements = _statements(queries)
    assert len(statements) == 3, statements
    assert "FOR UPDATE" in statements[0] and "INSERT INTO record_entry" in statements[0]
    assert "FOR UPDATE" not in statements[1] and "INSERT INTO record_entry" in statements[1]
    assert "INSERT INTO record_checkpoint" in statements[2]
    assert (first.seq, second.seq) == (1, 2)
    assert [e.seq for e in Entry.objects.order_by("seq")] == [0, 1, 2]
    assert Entry.objects.get(seq=1).data == first.data
    assert Checkpoint.objects.order_by("-size").first().size == 3
    report = verify_log()
    assert report.ok, report.first_problem


@pytest.mark.django_db(transaction=True)
def test_an_append_after_another_connection_appended_inserts_nothing_with_the_lock_and_appends_after_it():
    import threading

    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    from xuanren.record.verify import verify_log

    add(1)

    def elsewhere() -> None:
        try:
            add(2, payload={"from": "elsewhere"})
        finally:
            connections.close_all()

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    with CaptureQueriesContext(connection) as queries:
        entry = add(1, payload={"from": "here"})[0]
    assert entry.seq == 3
    assert [e.seq for e in Entry.objects.order_by("seq")] == [0, 1, 2, 3]
    assert Entry.objects.get(seq=3).value.payload == {"from": "here"}
    if connection.vendor == "postgresql":
        statements = _statements(queries)
        assert len(statements) == 3, statements  # the lock (nothing inserted), the entry, the checkpoint
        assert "INSERT INTO record_entry" in statements[0]
        # after a miss the next action only locks (no entry made for nothing), the one after expects again
        with CaptureQueriesContext(connection) as queries:
            add(1)
        statements = _statements(queries)
        assert len(statements) == 3 and "INSERT" not in statements[0], statements
        with CaptureQueriesContext(connection) as queries:
            add(1)
        assert len(_statements(queries)) == 2
    report = verify_log()
    assert report.ok, report.first_problem


@pytest.mark.django_db(transaction=True)
def test_a_failed_action_whose_first_statement_was_the_append_leaves_nothing_and_the_connection_as_it_was():
    from xuanren.accounts.models import User

    add(1)
    with pytest.raises(RuntimeError), recorded_action():
        append(action="test.step", actor="测试", jurisdiction_code="620723")
        User.objects.create(username="rolled-back")
        raise RuntimeError("refused")
    assert Entry.objects.count() == 1 and Checkpoint.objects.count() == 1
    assert LogHead.objects.get().size == 1
    assert not User.objects.filter(username="rolled-back").exists()
    assert not connection.in_atomic_block and connection.get_autocommit()
    User.objects.create(username="kept")  # autocommit: committed at once, outside any action
    connection.close()
    assert User.objects.filter(username="kept").exists()
    assert add(1)[0].seq == 1
