"""After close nothing in the database relates a ballot to a code: not a column, not the row
order, not a transaction id or a time."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from xuanren.ballots import actions, testing
from xuanren.ballots.models import Ballot, VotingCode

pytestmark = pytest.mark.django_db(transaction=True)


def physical(table: str, columns: str, poll_pk: int) -> list[tuple]:
    """Rows in storage order: SQLite's rowid, PostgreSQL's ctid (heap position)."""
    order = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE poll_id = %s ORDER BY {order}", [poll_pk])
        return cursor.fetchall()


def xmins(table: str, poll_pk: int) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT xmin::text FROM {table} WHERE poll_id = %s", [poll_pk])
        return {int(row[0]) for row in cursor.fetchall()}


def columns(model) -> set[str]:
    return {f.column for f in model._meta.concrete_fields}


def test_ballot_and_code_tables_have_no_linking_column():
    assert columns(Ballot) == {"id", "poll_id", "content", "marks", "tracker", "valid", "blank", "paper"}
    assert columns(VotingCode) == {"id", "poll_id", "digest", "used"}


def test_after_close_row_order_and_transaction_ids_do_not_follow_casting(counties, officer):
    poll = testing.recommendation(counties.a, officer, posts=3, candidates=4, max_marks=2, participants=30)
    codes = actions.issue_codes(poll, 30, acting_user=officer)
    actions.open_poll(poll, acting_user=officer)
    receipts = testing.cast_all(poll, codes, seed=11)  # each in its own transaction
    cast_order = [row[0] for row in physical("ballots_ballot", "tracker", poll.pk)]
    assert cast_order == receipts  # before close, storage order is casting order: the leak to close
    before_ids = set(Ballot.objects.filter(poll=poll).values_list("id", flat=True))
    if connection.vendor == "postgresql":
        assert len(xmins("ballots_ballot", poll.pk)) == 30

    actions.close_poll(poll, acting_user=officer)

    rows = physical("ballots_ballot", "content, tracker", poll.pk)
    assert rows == sorted(rows)  # storage order is the sort order of the content itself
    assert [r[1] for r in rows] != receipts
    assert before_ids.isdisjoint(Ballot.objects.filter(poll=poll).values_list("id", flat=True))
    digests = [r[0] for r in physical("ballots_votingcode", "digest", poll.pk)]
    assert digests == sorted(digests)  # codes stay in the order they were issued: sorted by hash
    if connection.vendor == "postgresql":
        # One transaction wrote every ballot and code row: its id says nothing about order.
        (close_xid,) = xmins("ballots_ballot", poll.pk)
        assert xmins("ballots_votingcode", poll.pk) == {close_xid}


def test_staff_see_how_many_voted_never_which(counties, officer):
    from xuanren.ballots import selectors

    poll = testing.recommendation(counties.a, officer, participants=4)
    codes = actions.issue_codes(poll, 4, acting_user=officer)
    actions.open_poll(poll, acting_user=officer)
    testing.cast_all(poll, codes[:2])
    assert selectors.turnout(poll) == selectors.Turnout(issued=4, voted=2, ballots=2)


def test_sqlite_file_keeps_no_trace_of_the_casting_order_after_close(tmp_path):
    """The ballot ids written while voting ran (rows in casting order) are gone from the database
    file and its WAL after close: secure_delete zeroes the freed cells, the WAL is truncated."""
    if connection.vendor != "sqlite":
        pytest.skip("a file-level check of SQLite storage")
    from xuanren.ballots.tests.external import database_env, step

    env = database_env(tmp_path)
    poll = step(env, "setup", 12, 3, 3, 1)
    cast_ids = step(env, "cast", poll["poll"], *poll["codes"])["ids"]
    assert len(cast_ids) == 12
    path = Path(env["XUANREN_SQLITE"])

    def stored() -> bytes:
        return b"".join(p.read_bytes() for p in (path, path.with_name(path.name + "-wal")) if p.exists())

    assert all(i.encode() in stored() for i in cast_ids)  # the check can see them
    step(env, "close", poll["poll"], poll["user"])
    assert not [i for i in cast_ids if i.encode() in stored()], "ids from casting time remain in the file"
    after = step(env, "state", poll["poll"])
    assert len(after["ballots"]) == 12
