"""Canonical bytes of ledger entries: the exact bytes that are hashed into the tree.

An entry is deterministic JSON: keys sorted (by code point), UTF-8 without ``\\u`` escapes for
non-ASCII, no whitespace, and only strings, integers, booleans, null, lists and objects. Floats are
refused everywhere — a share like 1/3 must not depend on how a float was printed — and so are
integers beyond ±(2**53 - 1), which other JSON readers would silently round (I-JSON, RFC 7493
§2.2). Fractions, decimals, dates and UUIDs are turned into strings by :func:`to_canonical_value`
before they reach an entry.

:func:`parse_entry` accepts only bytes that :func:`entry_bytes` would have produced, so an entry
read back from storage or from an archive either re-encodes to the very same bytes or is refused.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
import re
import uuid
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, TypeAlias

JSONValue: TypeAlias = bool | int | str | list["JSONValue"] | dict[str, "JSONValue"] | None

MAX_SAFE_INTEGER = 2**53 - 1
"""Integers outside ±this are not exact in every JSON reader (RFC 7493 §2.2)."""

ENTRY_VERSION = 1
"""Written into every entry as ``"v"``; a change of layout is a new version, never a silent edit."""

KINDS = ("entry", "review", "correction")
"""An ordinary record; a reviewer's sign-off on earlier entries; a correction of earlier entries."""

_TIME_RE = re.compile(r"\A\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?Z\Z")
_SHA256_RE = re.compile(r"\A[0-9a-f]{64}\Z")


class CanonicalError(ValueError):
    """A value that has no canonical encoding, or bytes that are not a canonical entry."""


def to_canonical_value(value: Any) -> JSONValue:
    """Turn a Python value into one that has a canonical encoding, or refuse it.

    - ``date`` → ``"2024-03-01"``; aware ``datetime`` → ISO 8601 in UTC with ``Z``;
      naive ``datetime`` is refused (its moment is unknown);
    - ``Fraction`` → ``"p/q"`` in lowest terms (``"1/3"``; an integer stays ``"2/1"``);
    - ``Decimal`` → ``str(d)`` (``"0.60"`` keeps its written precision); NaN and infinities refused;
    - ``UUID`` → its canonical string; ``Enum`` → its value; tuple → list;
    - ``float`` is refused, with advice to use Fraction or Decimal; so are bytes, sets and
      mappings with non-string keys.
    """
    return _convert(value, "value")


def _convert(value: Any, where: str) -> JSONValue:
    if isinstance(value, enum.Enum):  # before str: a str-valued enum (TextChoices) is a str too
        return _convert(value.value, where)
    if value is None or isinstance(value, bool | str):
        if isinstance(value, str):
            _check_string(value, where)
            return str.__str__(value)  # a plain str, never a subclass
        return value
    if isinstance(value, int):
        return _check_int(int(value), where)
    if isinstance(value, float):
        raise CanonicalError(
            f"{where}: float {value!r} is not allowed in ledger entries; "
            "use Fraction (exact shares) or Decimal (written figures)"
        )
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise CanonicalError(f"{where}: {value} is not a number that can be recorded")
        return str(value)
    if isinstance(value, dt.datetime):
        return format_time(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Mapping):
        out: dict[str, JSONValue] = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise CanonicalError(f"{where}: object key {k!r} is not a string")
            _check_string(k, where)
            out[k] = _convert(v, f"{where}.{k}")
        return out
    if isinstance(value, list | tuple):
        return [_convert(v, f"{where}[{i}]") for i, v in enumerate(value)]
    raise CanonicalError(f"{where}: {type(value).__name__} has no canonical form; convert it first")


def _check_int(value: int, where: str) -> int:
    if not -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
        raise CanonicalError(f"{where}: integer {value} is beyond ±(2**53 - 1); record it as a string")
    return value


def _check_string(value: str, where: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise CanonicalError(f"{where}: string is not valid Unicode (lone surrogate)") from e


def check_canonical_value(value: Any, where: str = "value") -> None:
    """Refuse anything but str, int (within ±(2**53 - 1)), bool, None, list and str-keyed dict."""
    if value is None or type(value) is bool:
        return
    if type(value) is str:
        _check_string(value, where)
        return
    if type(value) is int:
        _check_int(value, where)
        return
    if type(value) is float:
        raise CanonicalError(f"{where}: float {value!r} is not allowed; use to_canonical_value")
    if type(value) is list:
        for i, v in enumerate(value):
            check_canonical_value(v, f"{where}[{i}]")
        return
    if type(value) is dict:
        for k, v in value.items():
            if type(k) is not str:
                raise CanonicalError(f"{where}: object key {k!r} is not a string")
            _check_string(k, where)
            check_canonical_value(v, f"{where}.{k}")
        return
    raise CanonicalError(
        f"{where}: {type(value).__name__} is not a canonical value; convert it with to_canonical_value"
    )


def canonical_json(value: Any) -> bytes:
    """The canonical bytes of a value made only of str, int, bool, None, list and dict."""
    check_canonical_value(value)
    return _dumps(value)


def _dumps(value: Any) -> bytes:
    try:
        return json.dumps(
            value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
        ).encode("utf-8")
    except UnicodeEncodeError as e:
        raise CanonicalError("string is not valid Unicode (lone surrogate)") from e


def _refuse_float(text: str) -> Any:
    raise CanonicalError(f"number {text} is not an integer; floats are not canonical")


def _refuse_constant(text: str) -> Any:
    raise CanonicalError(f"{text} is not canonical JSON")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise CanonicalError(f"duplicate key {k!r}")
        out[k] = v
    return out


def parse_canonical(data: bytes) -> JSONValue:
    """Parse canonical JSON bytes, refusing anything that would not re-encode identically."""
    if not isinstance(data, bytes | bytearray):
        raise CanonicalError("canonical JSON is bytes")
    try:
        text = bytes(data).decode("utf-8")
        value = json.loads(
            text,
            parse_float=_refuse_float,
            parse_constant=_refuse_constant,
            object_pairs_hook=_no_duplicates,
        )
    except CanonicalError:
        raise
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise CanonicalError(f"not JSON: {e}") from e
    if canonical_json(value) != bytes(data):
        raise CanonicalError("JSON is not in canonical form (key order, spacing or escapes differ)")
    return value  # type: ignore[no-any-return]


def format_time(moment: dt.datetime) -> str:
    """An aware datetime as ISO 8601 UTC: ``2024-03-01T08:30:00Z`` (microseconds kept if any)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise CanonicalError("a naive datetime has no definite moment; give it a time zone")
    utc = moment.astimezone(dt.UTC)
    timespec = "microseconds" if utc.microsecond else "seconds"
    return utc.replace(tzinfo=None).isoformat(timespec=timespec) + "Z"


def parse_time(text: str) -> dt.datetime:
    """Read back a time written by :func:`format_time`."""
    if not isinstance(text, str) or not _TIME_RE.match(text):
        raise CanonicalError(f"time {text!r} is not ISO 8601 UTC like 2024-03-01T08:30:00Z")
    try:
        return dt.datetime.fromisoformat(text[:-1]).replace(tzinfo=dt.UTC)
    except ValueError as e:
        raise CanonicalError(f"time {text!r} is not a real moment") from e


def file_ref(name: str, data: bytes) -> dict[str, str]:
    """The ``{"name", "sha256"}`` record of an attached file, for ``payload["files"]``."""
    return {"name": name, "sha256": hashlib.sha256(data).hexdigest()}


Id: TypeAlias = int | str


@dataclasses.dataclass(frozen=True)
class Entry:
    """One record of the full-process record (全程纪实). Never updated; corrected by a later entry.

    ``seq`` is the entry's sequence number; ``refs`` are the earlier sequence numbers it reviews
    (审核) or corrects; ``actor`` is who acted (the recorder, 记录人): an id, or a dict such as
    ``{"id": 7, "name": "…", "role": "…"}``. ``stage`` and ``step`` place it in the procedure (D4.1)
    and are null for records outside a campaign. ``payload`` holds the facts, and
    ``payload["files"]`` lists attached files as ``{"name", "sha256"}`` (see :func:`file_ref`).
    All values must already be canonical: pass them through :func:`to_canonical_value`.
    """

    seq: int
    time: str
    jurisdiction: str
    campaign: Id | None
    candidate: Id | None
    stage: str | None
    step: str | None
    action: str
    actor: dict[str, Any] | Id
    payload: dict[str, Any]
    refs: tuple[int, ...] = ()
    kind: str = "entry"

    def __post_init__(self) -> None:
        if isinstance(self.refs, list):
            object.__setattr__(self, "refs", tuple(self.refs))
        _check_entry(self)

    def to_value(self) -> dict[str, JSONValue]:
        """The entry as a plain JSON object (what :func:`entry_bytes` encodes)."""
        return {
            "v": ENTRY_VERSION,
            "seq": self.seq,
            "time": self.time,
            "jurisdiction": self.jurisdiction,
            "campaign": self.campaign,
            "candidate": self.candidate,
            "stage": self.stage,
            "step": self.step,
            "action": self.action,
            "actor": self.actor,
            "payload": self.payload,
            "refs": list(self.refs),
            "kind": self.kind,
        }

    @property
    def files(self) -> list[dict[str, str]]:
        """The attached files recorded in the payload."""
        return list(self.payload.get("files", []))


_FIELDS = ("v", "seq", "time", "jurisdiction", "campaign", "candidate", "stage", "step", "action",
           "actor", "payload", "refs", "kind")  # fmt: skip


def _is_id(value: object) -> bool:
    return (type(value) is int and value >= 0) or (type(value) is str and value != "")


def _check_entry(e: Entry) -> None:
    def bad(field: str, why: str) -> CanonicalError:
        return CanonicalError(f"entry {e.seq!r}: {field} {why}")

    if type(e.seq) is not int or not 0 <= e.seq <= MAX_SAFE_INTEGER:
        raise bad("seq", "must be a non-negative integer")
    parse_time(e.time)
    if type(e.jurisdiction) is not str or not e.jurisdiction:
        raise bad("jurisdiction", "must be a non-empty code")
    for name in ("campaign", "candidate"):
        value = getattr(e, name)
        if value is not None and not _is_id(value):
            raise bad(name, "must be an id (non-negative integer or non-empty string) or null")
    for name in ("stage", "step"):
        value = getattr(e, name)
        if value is not None and (type(value) is not str or not value):
            raise bad(name, "must be a non-empty string or null")
    if type(e.action) is not str or not e.action:
        raise bad("action", "must be a non-empty string")
    if not (_is_id(e.actor) or type(e.actor) is dict):
        raise bad("actor", "must be an id or an object")
    check_canonical_value(e.actor, "actor")
    if type(e.payload) is not dict:
        raise bad("payload", "must be an object")
    check_canonical_value(e.payload, "payload")
    if "files" in e.payload:
        _check_files(e.payload["files"], bad)
    if not all(type(r) is int for r in e.refs):
        raise bad("refs", "must be sequence numbers")
    if any(not 0 <= r < e.seq for r in e.refs):
        raise bad("refs", "may only name earlier entries")
    if len(set(e.refs)) != len(e.refs):
        raise bad("refs", "name an entry twice")
    if e.kind not in KINDS:
        raise bad("kind", f"must be one of {', '.join(KINDS)}")
    if e.kind in ("review", "correction") and not e.refs:
        raise bad("refs", f"are required: a {e.kind} names the entries it concerns")


def _check_files(files: Any, bad: Any) -> None:
    if type(files) is not list:
        raise bad("payload.files", "must be a list of {name, sha256}")
    for f in files:
        if type(f) is not dict or set(f) != {"name", "sha256"}:
            raise bad("payload.files", "items must be exactly {name, sha256}")
        if type(f["name"]) is not str or not f["name"]:
            raise bad("payload.files", "need a file name")
        if type(f["sha256"]) is not str or not _SHA256_RE.match(f["sha256"]):
            raise bad("payload.files", "need a lowercase hex SHA-256")


def entry_bytes(entry: Entry) -> bytes:
    """The canonical bytes of an entry: what is stored, hashed into the tree and archived.

    The entry's values were checked when it was made (``Entry.__post_init__``)."""
    return _dumps(entry.to_value())


def parse_entry(data: bytes) -> Entry:
    """Read canonical entry bytes back; refuse anything :func:`entry_bytes` would not produce."""
    value = parse_canonical(data)
    if type(value) is not dict:
        raise CanonicalError("an entry is a JSON object")
    if set(value) != set(_FIELDS):
        missing = sorted(set(_FIELDS) - set(value))
        extra = sorted(set(value) - set(_FIELDS))
        raise CanonicalError(f"entry fields differ: missing {missing}, unexpected {extra}")
    if value["v"] != ENTRY_VERSION:
        raise CanonicalError(f"entry format version {value['v']!r} is not {ENTRY_VERSION}")
    refs = value["refs"]
    if type(refs) is not list:
        raise CanonicalError("entry refs must be a list")
    return Entry(
        seq=value["seq"],  # type: ignore[arg-type]
        time=value["time"],  # type: ignore[arg-type]
        jurisdiction=value["jurisdiction"],  # type: ignore[arg-type]
        campaign=value["campaign"],  # type: ignore[arg-type]
        candidate=value["candidate"],  # type: ignore[arg-type]
        stage=value["stage"],  # type: ignore[arg-type]
        step=value["step"],  # type: ignore[arg-type]
        action=value["action"],  # type: ignore[arg-type]
        actor=value["actor"],  # type: ignore[arg-type]
        payload=value["payload"],  # type: ignore[arg-type]
        refs=tuple(refs),  # type: ignore[arg-type]
        kind=value["kind"],  # type: ignore[arg-type]
    )


def entries_referencing(entries: Sequence[Entry], seq: int) -> list[Entry]:
    """The later entries that review or correct entry ``seq``."""
    return [e for e in entries if seq in e.refs]
