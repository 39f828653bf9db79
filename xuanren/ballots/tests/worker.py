"""Steps of the multi-process tests, run as `python -m xuanren.ballots.tests.worker STEP ...`.

The database comes from the environment (XUANREN_SQLITE for a file database, DATABASE_URL for
PostgreSQL), so separate processes and a gunicorn server share it. Each step prints one JSON line.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from typing import Any


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuanren.settings")
    import django

    django.setup()


def setup_poll(participants: int, posts: int, candidates: int, max_marks: int) -> dict[str, Any]:
    from xuanren.ballots import actions, testing
    from xuanren.testing import factories

    counties = factories.make_counties()
    user = factories.make_user("cadre_officer", jurisdiction=counties.a)
    poll = testing.recommendation(
        counties.a, user, posts=posts, candidates=candidates, max_marks=max_marks, participants=participants
    )
    codes = actions.issue_codes(poll, participants, acting_user=user)
    actions.open_poll(poll, acting_user=user)
    return {"poll": poll.pk, "codes": codes, "user": user.pk}


def race(code: str, threads: int, start_at: float) -> dict[str, Any]:
    """``threads`` threads submit the same code at the same moment."""
    from django.db import connection

    from xuanren.ballots import actions

    results: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def contend() -> None:
        barrier.wait()
        time.sleep(max(0.0, start_at - time.time()))
        try:
            actions.cast_ballot(code, {"1": ["1"]})
            outcome = "accepted"
        except actions.BallotRefused as refused:
            outcome = refused.rule
        except Exception as exc:  # reported, and the test fails on it
            outcome = f"error: {type(exc).__name__}: {exc}"
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    pool = [threading.Thread(target=contend) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(60)
    return {"results": results}


def close(poll_pk: int, user_pk: int) -> dict[str, Any]:
    from xuanren.accounts.models import User
    from xuanren.ballots import actions
    from xuanren.ballots.models import Poll

    actions.close_poll(Poll.objects.get(pk=poll_pk), acting_user=User.objects.get(pk=user_pk))
    return {"closed": poll_pk}


def cast(poll_pk: int, *codes: str) -> dict[str, Any]:
    """Cast one ballot per code, each in its own transaction; return the ballot ids as stored."""
    from xuanren.ballots import testing
    from xuanren.ballots.models import Ballot, Poll

    poll = Poll.objects.get(pk=poll_pk)
    testing.cast_all(poll, codes, seed=3)
    return {"ids": [b.hex for b in Ballot.objects.filter(poll=poll).values_list("id", flat=True)]}


def state(poll_pk: int) -> dict[str, Any]:
    from django.db import connection

    from xuanren.ballots import selectors
    from xuanren.ballots.models import Ballot, Poll, VotingCode

    poll = Poll.objects.get(pk=poll_pk)
    integrity = "ok"
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            integrity = cursor.fetchone()[0]
    return {
        "integrity": integrity,
        "ballots": list(Ballot.objects.filter(poll=poll).values_list("tracker", "content", "valid", "blank")),
        "codes_used": VotingCode.objects.filter(poll=poll, used=True).count(),
        "spec": selectors.freeze_spec(selectors.spec_of(poll)),
    }


def main(argv: list[str]) -> None:
    _setup()
    step, args = argv[0], argv[1:]
    if step == "setup":
        out = setup_poll(*(int(a) for a in args))
    elif step == "race":
        out = race(args[0], int(args[1]), float(args[2]))
    elif step == "cast":
        out = cast(int(args[0]), *args[1:])
    elif step == "close":
        out = close(int(args[0]), int(args[1]))
    elif step == "state":
        out = state(int(args[0]))
    else:
        raise SystemExit(f"unknown step {step}")
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
