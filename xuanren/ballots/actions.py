"""Every state change of a poll: one function, one durable transaction, one record entry.

The exception is casting a ballot (:func:`cast_ballot`): it appends nothing to the full-process
record, because a record entry carries a sequence number and a time, and a ballot must carry
neither. The record learns the number of ballots when the poll closes and the digest of the
whole ballot set when it is tallied.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import threading
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from xuanren.accounts.models import Jurisdiction
from xuanren.ballots import selectors, tally
from xuanren.ballots.models import (
    Ballot,
    PaperBallot,
    PaperCorrection,
    Poll,
    PollChoice,
    PollItem,
    Tally,
    TallySignature,
    VotingCode,
)
from xuanren.record.api import append, recorded_action
from xuanren.record.writers import WriterTurn

log = logging.getLogger(__name__)

# Codes are typed from paper: no 0/O or 1/I. 32 symbols, 12 of them: 60 bits from the CSPRNG.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 12


class BallotRefused(Exception):
    """A refused poll action; ``rule`` names the rule, the message says it in Chinese."""

    def __init__(self, rule: str, message: str) -> None:
        self.rule = rule
        self.message = message
        super().__init__(f"{message}（{rule}）")


def _record(poll: Poll, action: str, actor: Any, payload: dict[str, Any]) -> int:
    entry = append(
        action=action,
        actor=actor,
        jurisdiction_code=poll.jurisdiction.code,
        payload={"poll": poll.pk, "title": poll.title, **payload},
        campaign_id=poll.campaign_id,
        stage=poll.stage,
        step=f"poll.{poll.kind}",
    )
    return entry.seq


def _locked(poll: Poll) -> Poll:
    return Poll.objects.select_for_update().select_related("jurisdiction").get(pk=poll.pk)


# --- setting up ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemInput:
    """One item of a new poll. Recommendation: a post with its candidates (``choices``), ``seats``
    posts and up to ``max_marks`` marks. Evaluation and committee: a cadre; the choices are the
    scale, filled in from ``scale``."""

    title: str
    choices: Sequence[str] = ()
    max_marks: int = 1
    seats: int = 1
    write_ins: bool = False
    cadre_id: int | None = None
    choice_cadre_ids: Sequence[int | None] = field(default_factory=tuple)


def create_poll(
    *,
    jurisdiction: Jurisdiction,
    title: str,
    kind: str,
    participants: int,
    items: Sequence[ItemInput],
    rules: tally.BallotRules = tally.DEFAULT_RULES,
    threshold: tally.Threshold | None = None,
    scale: Sequence[str] = tally.EVALUATION_SCALE,
    policy_ref: str = "",
    campaign_id: int | None = None,
    stage: str = "",
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    acting_user: Any,
) -> Poll:
    """Create a poll in draft. The campaign engine calls this for a stage's vote."""
    kind = tally.PollKind(kind)
    if participants < 1:
        raise BallotRefused("ballots.participants", "参加人数须至少为 1")
    if not items:
        raise BallotRefused("ballots.items", "投票至少要有一个事项")
    if opens_at and closes_at and closes_at <= opens_at:
        raise BallotRefused("ballots.schedule", "结束时间须晚于开始时间")
    with recorded_action():
        poll = Poll.objects.create(
            jurisdiction=jurisdiction,
            title=title,
            kind=kind.value,
            participants=participants,
            campaign_id=campaign_id,
            stage=stage,
            opens_at=opens_at,
            closes_at=closes_at,
            policy_ref=policy_ref,
            over_marking=rules.over_marking,
            blank_counts_as_cast=rules.blank_counts_as_cast,
            rules_source=rules.source,
            threshold=selectors.threshold_data(threshold) if threshold else None,
            created_by=acting_user,
        )
        for position, spec in enumerate(items, start=1):
            if kind is tally.PollKind.RECOMMENDATION:
                names = list(spec.choices)
                if not names and not spec.write_ins:
                    raise BallotRefused("ballots.items", f"“{spec.title}”没有候选人，也不允许另选")
                max_marks = spec.max_marks
                keys = [str(i) for i in range(1, len(names) + 1)]
            else:
                names = list(scale if kind is tally.PollKind.EVALUATION else tally.COMMITTEE_OPTIONS)
                max_marks = 1
                keys = names
            if max_marks < 1:
                raise BallotRefused("ballots.items", f"“{spec.title}”最多可选人数须至少为 1")
            item = PollItem.objects.create(
                poll=poll,
                position=position,
                title=spec.title,
                max_marks=max_marks,
                seats=spec.seats,
                write_ins=spec.write_ins and kind is tally.PollKind.RECOMMENDATION,
                cadre_id=spec.cadre_id,
            )
            cadre_ids = list(spec.choice_cadre_ids) + [None] * len(names)
            PollChoice.objects.bulk_create(
                PollChoice(item=item, position=i, key=key, label=name, cadre_id=cadre_ids[i - 1])
                for i, (key, name) in enumerate(zip(keys, names, strict=True), start=1)
            )
        _record(
            poll,
            "poll.create",
            acting_user,
            {"kind": kind.value, "participants": participants, "items": len(items), "policy": policy_ref},
        )
    return poll


def code_digest(code: str) -> str:
    """Keyed hash of a normalised code; the only trace of a code the database keeps."""
    key = hashlib.sha256(b"xuanren voting code\x00" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, normalise_code(code).encode(), hashlib.sha256).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def issue_codes(poll: Poll, count: int, *, acting_user: Any) -> list[str]:
    """Generate ``count`` one-time codes for a draft poll, replacing any issued before.

    Returns the codes for printing; only their keyed hashes are stored, so a lost sheet means
    issuing a new one."""
    if count < 1:
        raise BallotRefused("ballots.codes", "投票码数量须至少为 1")
    with recorded_action():
        poll = _locked(poll)
        if poll.status != Poll.Status.DRAFT:
            raise BallotRefused("ballots.codes", "投票开始后不能再生成投票码")
        if count > poll.participants:
            raise BallotRefused("ballots.codes", f"投票码数量 {count} 不能超过参加人数 {poll.participants}")
        VotingCode.objects.filter(poll=poll).delete()
        codes: list[str] = []
        digests: set[str] = set()
        while len(codes) < count:
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            digest = code_digest(code)
            if digest in digests:
                continue
            digests.add(digest)
            codes.append(code)
        VotingCode.objects.bulk_create(VotingCode(poll=poll, digest=d) for d in sorted(digests))
        poll.codes_issued = count
        poll.save(update_fields=["codes_issued"])
        _record(poll, "poll.codes", acting_user, {"codes_issued": count})
    return [format_code(c) for c in codes]


# --- opening and closing ------------------------------------------------------------------------


def open_poll(poll: Poll, *, acting_user: Any) -> Poll:
    with recorded_action():
        poll = _locked(poll)
        if poll.status != Poll.Status.DRAFT:
            raise BallotRefused(
                "ballots.open", f"只有未开始的投票可以开始（当前：{poll.get_status_display()}）"
            )
        poll.status = Poll.Status.OPEN
        poll.frozen_spec = selectors.freeze_spec(selectors.spec_of(poll))
        poll.save(update_fields=["status", "frozen_spec"])
        _record(poll, "poll.open", acting_user, {"codes_issued": poll.codes_issued})
    return poll


def close_poll(poll: Poll, *, acting_user: Any) -> Poll:
    """Stop voting. Idempotent: closing a closed or tallied poll changes nothing.

    In the same transaction the poll's ballots are rewritten in sorted order with fresh keys and
    the code rows rewritten, so neither row order nor transaction ids keep the order in which
    ballots were cast."""
    with recorded_action():
        poll = _locked(poll)
        if poll.status in (Poll.Status.CLOSED, Poll.Status.TALLIED):
            return poll
        if poll.status == Poll.Status.DRAFT:
            raise BallotRefused("ballots.close", "投票尚未开始，不能结束")
        cast = _rewrite_ballots(poll)
        voted = VotingCode.objects.filter(poll=poll, used=True).count()
        poll.status = Poll.Status.CLOSED
        poll.save(update_fields=["status"])
        _record(poll, "poll.close", acting_user, {"ballots": cast, "codes_voted": voted})
    transaction.on_commit(_scrub_storage)
    return poll


def _rewrite_ballots(poll: Poll) -> int:
    rows = list(
        Ballot.objects.filter(poll=poll).values_list("content", "tracker", "marks", "valid", "blank", "paper")
    )
    rows.sort(key=lambda row: (row[0], row[1]))
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA secure_delete = ON")
        cursor.execute("DELETE FROM ballots_ballot WHERE poll_id = %s", [poll.pk])
        # No free space is reused inside this transaction: new rows are stored in the order written.
        _insert_ballots(poll, rows)
        # Every code row gets a new version written by this transaction (PostgreSQL xmin).
        cursor.execute("UPDATE ballots_votingcode SET used = used WHERE poll_id = %s", [poll.pk])
    return len(rows)


def _insert_ballots(poll: Poll, rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert (content, tracker, marks, valid, blank, paper) rows with fresh keys, in order."""
    columns = "(id, poll_id, content, tracker, marks, valid, blank, paper)"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY ballots_ballot {columns} FROM STDIN") as copy:
                for content, tracker, marks, valid, blank, paper in rows:
                    copy.write_row(
                        (
                            uuid.uuid4(),
                            poll.pk,
                            content,
                            tracker,
                            json.dumps(marks, ensure_ascii=False),
                            valid,
                            blank,
                            paper,
                        )
                    )
        else:
            cursor.executemany(
                f"INSERT INTO ballots_ballot {columns} VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    (uuid.uuid4().hex, poll.pk, c, t, json.dumps(m, ensure_ascii=False), v, b, p)
                    for c, t, m, v, b, p in rows
                ],
            )


def _scrub_storage() -> None:
    """After close: drop old row versions and journal pages that still hold the casting order."""
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            elif connection.vendor == "postgresql" and not connection.in_atomic_block:
                cursor.execute("VACUUM ballots_ballot, ballots_votingcode")
    except Exception:  # best effort: the rewrite itself already committed
        log.warning("ballot storage scrub after close did not run", exc_info=True)


def tick(now: datetime, *, acting_user: Any = None) -> tuple[list[int], list[int]]:
    """Open polls whose start time has come and close those whose end time has passed."""
    opened, closed = [], []
    due_open = Poll.objects.filter(status=Poll.Status.DRAFT, opens_at__lte=now).values_list("pk", flat=True)
    for pk in list(due_open):
        poll = Poll.objects.get(pk=pk)
        if poll.closes_at is None or poll.closes_at > now:
            open_poll(poll, acting_user=acting_user or "系统（定时）")
            opened.append(pk)
    due_close = Poll.objects.filter(status=Poll.Status.OPEN, closes_at__lte=now).values_list("pk", flat=True)
    for pk in list(due_close):
        close_poll(Poll.objects.get(pk=pk), acting_user=acting_user or "系统（定时）")
        closed.append(pk)
    return opened, closed


# --- casting -------------------------------------------------------------------------------------


def check_code(code: str) -> Poll:
    """The poll a code votes in, if the code exists, is unused and the poll is open."""
    row = VotingCode.objects.filter(digest=code_digest(code)).select_related("poll").first()
    if row is None:
        raise BallotRefused("ballots.code", "投票码无效，请核对后重新输入")
    if row.used:
        raise BallotRefused("ballots.one_code_one_ballot", "此投票码已经投过票，每个投票码只能投票一次")
    if row.poll.status != Poll.Status.OPEN:
        raise BallotRefused("ballots.poll_open", "投票未在进行中")
    return row.poll


@dataclass(frozen=True)
class Receipt:
    """What the voter is shown after casting."""

    tracker: str
    poll_id: int
    poll_title: str


_POLL_OF_CODE = (
    "SELECT p.id, p.status, p.title, p.kind, p.frozen_spec, p.over_marking, p.blank_counts_as_cast, "
    "p.policy_ref, p.rules_source FROM ballots_votingcode c JOIN ballots_poll p ON p.id = c.poll_id "
    "WHERE c.digest = %s"
)


@dataclass(frozen=True)
class _OpenPoll:
    """What a ballot is checked against: fixed when the poll opened (``frozen_spec``)."""

    poll_id: int
    title: str
    spec: tally.PollSpec
    rules: tally.BallotRules


# Polls this process has seen open, by their ballot key (:func:`ballot_key`). What is kept here
# never changes once a poll is open (it opens once, from a draft, and its ballot is frozen then);
# whether it is still open is checked by the statement that writes each ballot.
_OPEN_POLLS: dict[str, _OpenPoll] = {}
_OPEN_POLLS_KEPT = 256


def ballot_key(poll: Poll) -> str:
    """The open poll's id and a digest of its frozen ballot and rules, which its ballot page
    sends back with the ballot: a ballot for a poll this process has seen is checked without a
    query, and a key can only ever name the ballot it was made from."""
    fixed = "\x1f".join(
        [poll.frozen_spec, poll.over_marking, str(bool(poll.blank_counts_as_cast)), poll.policy_ref,
         poll.rules_source, poll.title]
    )  # fmt: skip
    return f"{poll.pk}.{hashlib.blake2b(fixed.encode(), digest_size=12).hexdigest()}"


def _casting_poll(digest: str, key: str) -> _OpenPoll:
    """The open poll a ballot is cast in: known by the ballot page's key, or looked up by the
    code. With a key, the ballot's own statement checks that the code belongs to that poll."""
    if key and (known := _OPEN_POLLS.get(key)) is not None:
        return known
    with connection.cursor() as cursor:
        cursor.execute(_POLL_OF_CODE, [digest])
        row = cursor.fetchone()
    if row is None or (key and key.split(".", 1)[0] != str(row[0])):
        raise BallotRefused("ballots.code", "投票码无效，请核对后重新输入")
    poll = Poll(
        pk=row[0], status=row[1], title=row[2], kind=row[3], frozen_spec=row[4], over_marking=row[5],
        blank_counts_as_cast=bool(row[6]), policy_ref=row[7], rules_source=row[8],
    )  # fmt: skip
    if poll.status != Poll.Status.OPEN:
        raise BallotRefused("ballots.poll_open", "投票未在进行中")
    spec, rules = selectors.casting_spec(poll)
    found = _OpenPoll(poll.pk, poll.title, spec, rules)
    if poll.frozen_spec:
        if len(_OPEN_POLLS) >= _OPEN_POLLS_KEPT:
            _OPEN_POLLS.clear()
        _OPEN_POLLS[ballot_key(poll)] = found
    return found


def cast_ballot(code: str, marks: Mapping[str, Iterable[str]], key: str = "") -> Receipt:
    """Accept one ballot for a code; return the voter's receipt.

    ``key``: the key of the poll's ballot (:func:`ballot_key`) the voter's page was made from,
    if it sent one: it spares the query for the code's poll; a code of another poll is refused as
    invalid.

    The code row is flipped from unused to used by a compare-and-set UPDATE in the same
    transaction as the ballot insert: of any number of concurrent submissions with one code, one
    commits and the others see zero rows updated. The poll row is share-locked in that
    transaction, so a close waits for ballots already being written and no ballot lands after the
    close has rewritten them. On SQLite, concurrent ballots in one process share a transaction
    (group commit, :class:`_GroupCommit`); each still gets its own compare-and-set."""
    digest = code_digest(code)
    poll = _casting_poll(digest, key)
    spec, rules = poll.spec, poll.rules
    try:
        ballot = tally.make_ballot(marks, spec)
    except tally.BallotError as exc:
        raise BallotRefused("ballots.form", str(exc)) from None
    for key, chosen in ballot.marks.items():
        item = spec.item(key)
        if len(chosen) > item.max_marks:
            raise BallotRefused(
                "ballots.over_marking",
                f"“{item.title}”最多可选 {item.max_marks} 人（项），您选了 {len(chosen)}",
            )
    verdict = tally.judge(ballot, spec, rules)
    content = tally.canonical(ballot)
    receipt = tally.tracker(content, secrets.token_bytes(32))
    job = _Cast(
        poll.poll_id, digest, content, json.dumps(tally.marks_of(verdict), ensure_ascii=False), receipt,
        verdict.valid, verdict.blank,
    )  # fmt: skip
    if connection.vendor == "sqlite":
        _GROUP_COMMIT.submit(job)
    else:
        _cast_one(job)  # PostgreSQL already groups concurrent commits into one WAL flush
    if job.refusal is not None:
        raise job.refusal
    return Receipt(receipt, poll.poll_id, poll.title)


@dataclass(eq=False)
class _Cast:
    poll_id: int
    digest: str
    content: str
    marks: str
    tracker: str
    valid: bool
    blank: bool
    done: bool = False
    refusal: BallotRefused | None = None
    error: BaseException | None = None

    def ballot_values(self) -> list[Any]:
        """The ballot row's content, marks, tracker, valid and blank columns."""
        return [self.content, self.marks, self.tracker, self.valid, self.blank]


class _GroupCommit:
    """Leader/follower group commit of ballots within one process.

    A thread with a ballot to write joins the queue; if no write is running it becomes the leader,
    takes everything queued and writes it in one durable transaction on its own connection, then
    wakes the others. On SQLite, where each commit waits for an fsync and writers go one at a
    time, this turns many commits into one; nothing is acknowledged before its commit returns."""

    def __init__(self) -> None:
        self._cv = threading.Condition()
        self._queue: list[_Cast] = []
        self._writing = False

    def submit(self, job: _Cast) -> None:
        with self._cv:
            self._queue.append(job)
            while not job.done:
                if self._writing:
                    self._cv.wait()
                    continue
                self._writing = True
                batch, self._queue = self._queue, []
                self._cv.release()
                try:
                    with WriterTurn():  # batches of other processes queue on the same file lock
                        _write_batch(batch)
                except BaseException as exc:
                    for other in batch:
                        other.error = exc
                finally:
                    self._cv.acquire()
                    for other in batch:
                        other.done = True
                    self._writing = False
                    self._cv.notify_all()
        if job.error is not None:
            raise job.error


_GROUP_COMMIT = _GroupCommit()


# PostgreSQL: one statement per ballot. The poll row is share-locked (a close, which locks it for
# update, waits for this transaction), the code flips from unused to used, and only if it did is
# the ballot inserted. Concurrent flips of one code queue on its row lock; the later ones re-read
# used = true and change nothing.
_CAST_PG = (
    "WITH open_poll AS (SELECT id FROM ballots_poll WHERE id = %s AND status = 'open' FOR KEY SHARE), "
    "won AS (UPDATE ballots_votingcode SET used = true WHERE digest = %s AND NOT used "
    "AND poll_id IN (SELECT id FROM open_poll) RETURNING poll_id) "
    "INSERT INTO ballots_ballot (id, poll_id, content, marks, tracker, valid, blank, paper) "
    "SELECT %s, poll_id, %s, %s, %s, %s, %s, false FROM won"
)
# SQLite: the transaction holds the database's write lock from BEGIN IMMEDIATE, so the same
# compare-and-set is an UPDATE and, when it changed the row, an INSERT.
_FLIP_SQLITE = (
    "UPDATE ballots_votingcode SET used = 1 WHERE digest = %s AND used = 0 "
    "AND poll_id IN (SELECT id FROM ballots_poll WHERE id = %s AND status = 'open')"
)
_INSERT_SQLITE = (
    "INSERT INTO ballots_ballot (id, poll_id, content, marks, tracker, valid, blank, paper) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, 0)"
)


def _cast_one(job: _Cast) -> None:
    """PostgreSQL: the ballot's one statement is its own transaction. Outside any atomic block the
    connection is in autocommit, so the statement commits durably before ``execute`` returns —
    without the round trips of ``BEGIN`` and ``COMMIT``. A ballot that loses is refused with the
    rule that refused it."""
    with connection.cursor() as cursor:
        cursor.execute(_CAST_PG, [job.poll_id, job.digest, uuid.uuid4(), *job.ballot_values()])
        if cursor.rowcount != 1:
            job.refusal = _why_not_cast(cursor, job)


def _write_batch(batch: Sequence[_Cast]) -> None:
    """SQLite: one durable transaction; per ballot the compare-and-set on its code and, when it
    wins, the ballot insert. A ballot that loses is refused with the rule that refused it."""
    with transaction.atomic(durable=True), connection.cursor() as cursor:
        for job in batch:
            cursor.execute(_FLIP_SQLITE, [job.digest, job.poll_id])
            if cursor.rowcount == 1:
                cursor.execute(_INSERT_SQLITE, [uuid.uuid4().hex, job.poll_id, *job.ballot_values()])
            if cursor.rowcount != 1:
                job.refusal = _why_not_cast(cursor, job)


def _why_not_cast(cursor: Any, job: _Cast) -> BallotRefused:
    cursor.execute("SELECT status FROM ballots_poll WHERE id = %s", [job.poll_id])
    row = cursor.fetchone()
    if row is None or row[0] != Poll.Status.OPEN:
        return BallotRefused("ballots.poll_open", "投票未在进行中，选票未被接受")
    cursor.execute(
        "SELECT 1 FROM ballots_votingcode WHERE digest = %s AND poll_id = %s", [job.digest, job.poll_id]
    )
    if cursor.fetchone() is None:  # a code of another poll, sent with this poll's ballot page
        return BallotRefused("ballots.code", "投票码无效，请核对后重新输入")
    return BallotRefused("ballots.one_code_one_ballot", "此投票码已经投过票，每个投票码只能投票一次")


# --- paper ballots ------------------------------------------------------------------------------


def _paper_open(poll: Poll) -> None:
    if poll.status != Poll.Status.CLOSED:
        raise BallotRefused("ballots.paper_entry", "纸质选票在投票结束后、计票前录入")


def enter_paper_ballot(
    poll: Poll, number: int, marks: Mapping[str, Iterable[str]], *, void: bool = False, acting_user: Any
) -> PaperBallot:
    """One clerk's entry of paper ballot ``number``. The first entry waits for a second by another
    clerk; the second is compared with it: equal entries count the ballot, different ones are
    listed for reconciliation. Neither clerk sees the other's entry."""
    with recorded_action():
        poll = _locked(poll)
        _paper_open(poll)
        spec = selectors.spec_of(poll)
        try:
            content = tally.canonical(tally.make_ballot(marks, spec, void=void))
        except tally.BallotError as exc:
            raise BallotRefused("ballots.form", str(exc)) from None
        paper = PaperBallot.objects.select_for_update().filter(poll=poll, number=number).first()
        if paper is None:
            paper = PaperBallot.objects.create(
                poll=poll, number=number, first_content=content, first_by=acting_user
            )
            _record(poll, "paper.first_entry", acting_user, {"number": number})
            return paper
        if paper.status != PaperBallot.Status.FIRST:
            raise BallotRefused("ballots.double_entry", f"第 {number} 号纸质选票已录入两次")
        if paper.first_by_id == acting_user.pk:
            raise BallotRefused("ballots.double_entry", "双人录入：第二次录入须由另一名计票员完成")
        paper.second_content = content
        paper.second_by = acting_user
        if content == paper.first_content:
            paper.status = PaperBallot.Status.AGREED
            paper.final_content = content
            _count_paper(poll, content)
        else:
            paper.status = PaperBallot.Status.MISMATCH
        paper.save()
        _record(poll, "paper.second_entry", acting_user, {"number": number, "status": paper.status})
    return paper


def reconcile_paper_ballot(
    paper: PaperBallot,
    marks: Mapping[str, Iterable[str]],
    *,
    void: bool = False,
    reason: str,
    acting_user: Any,
) -> PaperBallot:
    """Settle a mismatched paper ballot after checking the sheet: the correction keeps both
    entries and the reason."""
    if not reason.strip():
        raise BallotRefused("ballots.correction_reason", "更正须写明理由")
    with recorded_action():
        poll = _locked(paper.poll)
        _paper_open(poll)
        paper = PaperBallot.objects.select_for_update().get(pk=paper.pk)
        if paper.status != PaperBallot.Status.MISMATCH:
            raise BallotRefused("ballots.double_entry", "只有两次录入不一致的选票需要核对")
        try:
            content = tally.canonical(tally.make_ballot(marks, selectors.spec_of(poll), void=void))
        except tally.BallotError as exc:
            raise BallotRefused("ballots.form", str(exc)) from None
        PaperCorrection.objects.create(
            paper=paper,
            old_content=f"第一次：{paper.first_content}\n第二次：{paper.second_content}",
            new_content=content,
            reason=reason.strip(),
            by=acting_user,
            at=timezone.now(),
        )
        paper.final_content = content
        paper.status = PaperBallot.Status.RECONCILED
        paper.save(update_fields=["final_content", "status"])
        _count_paper(poll, content)
        _record(poll, "paper.reconcile", acting_user, {"number": paper.number, "reason": reason.strip()})
    return paper


def _count_paper(poll: Poll, content: str) -> None:
    spec, rules = selectors.spec_of(poll), selectors.rules_of(poll)
    verdict = tally.judge(tally.parse(content), spec, rules)
    Ballot.objects.create(
        poll=poll,
        content=content,
        marks=tally.marks_of(verdict),
        tracker=tally.tracker(content, secrets.token_bytes(32)),
        valid=verdict.valid,
        blank=verdict.blank,
        paper=True,
    )


# --- tally ---------------------------------------------------------------------------------------


def tally_poll(poll: Poll, *, acting_user: Any, verify: bool = False) -> Tally:
    """Count a closed poll and store the result (the 计票单).

    Refused while paper ballots await their second entry or reconciliation. The counts come from
    one GROUP BY over the ballots' marks; with ``verify`` the canonical ballots are also recounted by the
    pure core and must agree (:func:`verify_tally` does the same for a stored tally at any time).
    The record entry carries the SHA-256 of the canonical ballot set."""
    with recorded_action():
        poll = _locked(poll)
        if poll.status == Poll.Status.TALLIED:
            raise BallotRefused("ballots.tally_once", "本次投票已经计票")
        if poll.status != Poll.Status.CLOSED:
            raise BallotRefused("ballots.tally_after_close", "投票结束后才能计票")
        progress = selectors.paper_progress(poll)
        if progress.pending:
            raise BallotRefused(
                "ballots.paper_pending",
                f"尚有纸质选票未完成双人录入或核对（待第二人录入 {progress.first_only} 张，"
                f"不一致待核对 {progress.mismatched} 张），不能计票",
            )
        counts = selectors.counts_from_marks(poll)
        if verify and counts != selectors.recount(poll):
            raise BallotRefused("ballots.recount", "按选票原文复核的结果与汇总结果不一致，计票中止")
        spec, _rules = selectors.casting_spec(poll)
        sheet = tally.result(spec, counts, poll.participants, selectors.threshold_of(poll))
        data = sheet.to_dict()
        result_text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        stored = Tally.objects.create(
            poll=poll, result=data, digest=counts.digest, counted_at=timezone.now(), counted_by=acting_user
        )
        poll.status = Poll.Status.TALLIED
        poll.save(update_fields=["status"])
        stored.record_seq = _record(
            poll,
            "poll.tally",
            acting_user,
            {
                "ballot_set_sha256": counts.digest,
                "participants": sheet.participants,
                "cast": sheet.cast,
                "valid": sheet.valid,
                "invalid": sheet.invalid,
                "blank": sheet.blank,
                "result_sha256": hashlib.sha256(result_text.encode()).hexdigest(),
                "decisions": [
                    [d.subject, d.outcome.value, d.rule_id] for item in sheet.items for d in item.decisions
                ],
            },
        )
        stored.save(update_fields=["record_seq"])
    return stored


def sign_tally(poll: Poll, role: str, *, acting_user: Any) -> TallySignature:
    """The counter (计票人) or the scrutineer (监票人) signs the tally sheet; two different people."""
    if role not in TallySignature.Role.values:
        raise BallotRefused("ballots.sign", "签字身份须为计票人或监票人")
    with recorded_action():
        poll = _locked(poll)
        stored = Tally.objects.filter(poll=poll).first()
        if stored is None:
            raise BallotRefused("ballots.sign", "计票后才能签字")
        others = TallySignature.objects.filter(tally=stored)
        if others.filter(role=role).exists():
            raise BallotRefused("ballots.sign", f"{TallySignature.Role(role).label}已经签字")
        if others.filter(user=acting_user).exists():
            raise BallotRefused("ballots.sign", "计票人和监票人须由不同的人担任")
        try:
            with transaction.atomic():
                signature = TallySignature.objects.create(
                    tally=stored,
                    role=role,
                    user=acting_user,
                    name=str(acting_user),
                    signed_at=timezone.now(),
                    digest=stored.digest,
                )
        except IntegrityError:
            raise BallotRefused("ballots.sign", f"{TallySignature.Role(role).label}已经签字") from None
        _record(poll, "poll.sign", acting_user, {"role": role, "ballot_set_sha256": stored.digest})
    return signature


def verify_tally(poll: Poll, *, acting_user: Any) -> bool:
    """Recount the stored ballots through the pure core and compare with the stored result; the
    check and its outcome are recorded."""
    with recorded_action():
        poll = _locked(poll)
        stored = Tally.objects.filter(poll=poll).first()
        if stored is None:
            raise BallotRefused("ballots.verify", "计票后才能复核")
        recount = selectors.recount(poll)
        sheet = tally.result(
            selectors.spec_of(poll), recount, poll.participants, selectors.threshold_of(poll)
        )
        agrees = recount.digest == stored.digest and sheet.to_dict() == stored.result
        _record(poll, "poll.verify", acting_user, {"ballot_set_sha256": recount.digest, "agrees": agrees})
    return agrees
