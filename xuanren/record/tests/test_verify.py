"""`xuanren ledger verify` catches every edit of the stored log, naming the entry.

The append-only triggers refuse these edits, so each test first lifts them inside its own
transaction (rolled back afterwards), as someone with database access could.
"""

from __future__ import annotations

import hashlib

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from xuanren.ledger.merkle import leaf_hash
from xuanren.ledger.note import Checkpoint as Body
from xuanren.ledger.note import generate_signer_key, sign_checkpoint
from xuanren.record.models import Checkpoint, Entry
from xuanren.record.tests.helpers import add
from xuanren.record.verify import verify_log

pytestmark = pytest.mark.django_db

TABLES = ("record_entry", "record_treenode", "record_checkpoint", "record_cosignature")


def lift_triggers() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending events, or ALTER TABLE refuses
        for table in TABLES:
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only")


def sql(statement: str, params: list | None = None) -> None:
    lift_triggers()
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def test_an_untouched_log_verifies():
    add(37)
    report = verify_log()
    assert report.ok, report.problems
    assert (report.entries, report.checkpoints, report.nodes) == (37, 37, 37 - 3)  # n minus popcount(n)


def test_an_empty_log_verifies():
    assert verify_log().ok


@pytest.mark.parametrize("seq", [0, 5, 6, 19])
def test_an_sql_update_of_an_entrys_bytes_is_caught_and_the_entry_named(seq):
    add(20)
    sql("UPDATE record_entry SET data = REPLACE(data, '\"i\":', '\"i\": ') WHERE seq = %s", [seq])
    report = verify_log()
    assert not report.ok
    problem = report.first_problem
    assert (problem.kind, problem.first, problem.last) == ("entry", seq, None)
    assert f"entry {seq}" in str(problem)


def test_an_sql_update_of_a_stored_leaf_hash_is_caught_and_the_entry_named():
    add(10)
    sql("UPDATE record_entry SET leaf_hash = %s WHERE seq = 4", [hashlib.sha256(b"x").digest()])
    problem = verify_log().first_problem
    assert (problem.kind, problem.first) == ("entry", 4)


@pytest.mark.parametrize("stored", [b"", b"\x00" * 31, b"\x00" * 33])
def test_a_stored_leaf_hash_of_the_wrong_length_is_caught_and_the_entry_named(stored):
    """Leaf hashes are compared a batch at a time as one joined string; a hash that is shorter or
    longer shifts the rest, and the changed entry must still be the one named."""
    add(10)
    sql("UPDATE record_entry SET leaf_hash = %s WHERE seq = 6", [stored])
    problem = verify_log(batch=4).first_problem
    assert (problem.kind, problem.first) == ("entry", 6)


def test_a_stored_node_of_the_wrong_length_is_caught():
    add(16)
    sql('UPDATE record_treenode SET hash = %s WHERE level = 1 AND "index" = 2', [b"\x01" * 31])
    problem = verify_log().first_problem
    assert problem.kind == "nodes" and (problem.first, problem.last) == (4, 5)


def test_a_rewrite_of_bytes_and_leaf_hash_together_is_caught_by_the_tree_nodes():
    add(10)
    entry = Entry.objects.get(seq=5)
    forged = entry.data.replace('"i":5', '"i":50')
    sql(
        "UPDATE record_entry SET data = %s, leaf_hash = %s WHERE seq = 5",
        [forged, leaf_hash(forged.encode())],
    )
    problem = verify_log().first_problem
    assert problem.kind == "nodes" and problem.first <= 5 <= problem.last
    assert str(problem).startswith("entries 4–5")


def test_a_rewrite_of_the_last_entry_with_no_node_above_it_is_caught_by_the_signed_checkpoint():
    add(9)  # entry 8 completes no subtree
    entry = Entry.objects.get(seq=8)
    forged = entry.data.replace('"i":8', '"i":80')
    sql(
        "UPDATE record_entry SET data = %s, leaf_hash = %s WHERE seq = 8",
        [forged, leaf_hash(forged.encode())],
    )
    problem = verify_log().first_problem
    assert (problem.kind, problem.first, problem.last) == ("checkpoint", 8, 8)


def test_an_altered_tree_node_is_caught():
    add(8)
    sql('UPDATE record_treenode SET hash = %s WHERE level = 2 AND "index" = 1', [bytes(32)])
    problem = verify_log().first_problem
    assert (problem.kind, problem.first, problem.last) == ("nodes", 4, 7)


def test_deleting_the_last_entries_is_caught_against_the_signed_checkpoint():
    add(12)
    sql("DELETE FROM record_entry WHERE seq >= 9")
    sql("DELETE FROM record_treenode WHERE id >= %s", [9 * 64])
    sql("UPDATE record_loghead SET size = 9")
    report = verify_log()
    problem = report.first_problem
    assert (problem.kind, problem.first, problem.last) == ("missing", 9, 11)
    assert "signed checkpoint covers 12 entries" in problem.message


def test_deleting_an_entry_in_the_middle_is_caught():
    add(6)
    sql("DELETE FROM record_entry WHERE seq = 2")
    problem = verify_log().first_problem
    assert (problem.kind, problem.first) == ("missing", 2)


def test_a_forged_checkpoint_is_refused():
    add(4)
    forger = generate_signer_key("xuanren.local/ledger")
    root = bytes(Checkpoint.objects.get(size=4).root)
    note = sign_checkpoint(Body("xuanren.local/ledger", 4, root), forger)
    sql("UPDATE record_checkpoint SET note = %s WHERE size = 4", [note])
    report = verify_log()
    assert report.first_problem.kind == "checkpoint"
    assert "not validly signed" in report.first_problem.message


def test_a_checkpoint_whose_columns_disagree_with_its_signed_text_is_caught():
    add(3)
    sql("UPDATE record_checkpoint SET root = %s WHERE size = 2", [bytes(32)])
    assert verify_log().first_problem.kind == "checkpoint"


def test_verify_reports_missing_triggers_as_a_warning():
    add(2)
    lift_triggers()
    report = verify_log()
    if connection.vendor == "sqlite":  # dropped; on PostgreSQL they are only disabled
        assert report.ok and any("triggers missing" in w for w in report.warnings)


def test_the_command_exits_non_zero_naming_the_first_bad_entry(capsys):
    add(5)
    call_command("ledger", "verify")
    assert "OK: 5 entries" in capsys.readouterr().out
    sql("UPDATE record_entry SET data = REPLACE(data, '\"i\":3', '\"i\":4') WHERE seq = 3")
    with pytest.raises(CommandError, match="verify failed at entry 3"):
        call_command("ledger", "verify")


def test_a_small_batch_gives_the_same_verdict():
    add(50)
    assert verify_log(batch=7).ok
    sql("UPDATE record_entry SET leaf_hash = %s WHERE seq = 33", [bytes(32)])
    assert verify_log(batch=7).first_problem.first == 33


def test_tree_node_columns_that_disagree_with_the_node_key_are_caught():
    add(4)
    sql('UPDATE record_treenode SET "index" = 7 WHERE level = 1 AND "index" = 1')
    problem = verify_log().first_problem
    assert problem.kind == "nodes" and "level and index columns" in problem.message


def test_tree_node_columns_that_disagree_with_the_key_are_caught_in_a_later_chunk_and_in_a_small_batch():
    add(20)
    node_id = ((11 + 1) * 64) - 64 + 1  # level 1, index 5: leaves 10 and 11
    sql("UPDATE record_treenode SET level = 2 WHERE id = %s", [node_id])
    for problem in (verify_log(chunk_bits=2).first_problem, verify_log(batch=3).first_problem):
        assert problem.kind == "nodes" and f"#{node_id}" in problem.message


# ------------------------------------------------------------------ chunked verification
# Large logs are verified in perfect subtrees of 2**17 leaves (in parallel processes when the
# database allows); chunks of 4 leaves exercise the same joins on small logs, in this process.


@pytest.mark.parametrize("size", [1, 4, 5, 16, 37])
def test_small_chunks_give_the_same_verdict_and_root(size):
    add(size)
    whole, chunked = verify_log(), verify_log(chunk_bits=2)
    assert whole.ok and chunked.ok, chunked.problems
    assert (chunked.root, chunked.entries, chunked.nodes) == (whole.root, whole.entries, whole.nodes)


def test_small_chunks_name_the_changed_entry():
    add(23)
    sql("UPDATE record_entry SET leaf_hash = %s WHERE seq = 13", [bytes(32)])
    problem = verify_log(chunk_bits=2).first_problem
    assert (problem.kind, problem.first) == ("entry", 13)


def test_a_node_above_the_chunks_is_checked_where_they_join():
    add(16)
    sql('UPDATE record_treenode SET hash = %s WHERE level = 3 AND "index" = 1', [bytes(32)])
    problem = verify_log(chunk_bits=2).first_problem
    assert (problem.kind, problem.first, problem.last) == ("nodes", 8, 15)
    sql("DELETE FROM record_treenode WHERE level = 4")
    assert verify_log().first_problem.kind == "nodes"


def test_a_consistent_rewrite_is_caught_by_the_chunk_joins_and_the_checkpoints():
    add(12)
    entry = Entry.objects.get(seq=9)
    forged = entry.data.replace('"i":9', '"i":90')
    sql(
        "UPDATE record_entry SET data = %s, leaf_hash = %s WHERE seq = 9",
        [forged, leaf_hash(forged.encode())],
    )
    problem = verify_log(chunk_bits=2).first_problem
    assert problem.kind == "nodes" and problem.first <= 9 <= problem.last


def test_a_deleted_chunk_end_is_named():
    add(10)
    sql("DELETE FROM record_entry WHERE seq = 7")
    problem = verify_log(chunk_bits=2).first_problem
    assert (problem.kind, problem.first) == ("missing", 7)


@pytest.mark.django_db(transaction=True)
def test_worker_processes_verify_their_chunks_and_the_joins_hold(ledger_key):
    from xuanren.record.verify import _can_fork

    add(70)
    report = verify_log(workers=2, chunk_bits=3)
    assert report.ok, report.problems
    assert report.root == verify_log().root and report.entries == 70
    if not _can_fork():
        pytest.skip("the test database is SQLite in memory: worker processes cannot read it")


def test_the_log_heads_edge_is_checked_and_an_empty_one_is_read_from_the_nodes():
    add(6)
    sql("UPDATE record_loghead SET edge = %s", [bytes(64)])
    assert verify_log().first_problem.kind == "head"
    sql("UPDATE record_loghead SET edge = %s", [b""])  # as a bulk load leaves it
    add(3)
    report = verify_log()
    assert report.ok, report.problems
    assert len(report.edge) == bin(9).count("1")
