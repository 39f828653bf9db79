"""The record form (干部选拔任用工作记实表): one per candidate per campaign (一人一表), from the ledger.

Its rows are the candidate's entries in the campaign, grouped by the stages and steps of the
procedure (DOMAIN D4.1), each with its recorder (记录人, the entry's actor) and reviewers (审核人,
later ``review`` entries that reference it); then the important circumstances (D4.2) detected
from the same entries and the register. Pure: values in, a :class:`RecordForm` out; the DOCX and
PDF renderings are in ``exports``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from xuanren.ledger.canonical import Entry, parse_time
from xuanren.record.circumstances import LOCAL_TZ, Circumstance, RegisterFacts, detect
from xuanren.record.hooks import Stage
from xuanren.record.labels import ACTION_LABELS, action_label, key_label, value_label

NUMERALS = "一二三四五六七八九十"

_HIDDEN = {"files", "candidate_name", "leaf_hash", "reviewed", "poll", "cadre", "sha256", "fields"}
_TEXT_KEYS = ("summary", "text")
_HIDDEN_AT_TOP = {"candidate"}  # the entry's own candidate: the row names them


@dataclasses.dataclass(frozen=True)
class FormRow:
    seq: int
    time: str
    text: str
    recorder: str
    reviewers: tuple[str, ...]
    files: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class FormStep:
    id: str
    name: str
    rows: tuple[FormRow, ...]


@dataclasses.dataclass(frozen=True)
class FormStage:
    id: str
    name: str
    number: str
    steps: tuple[FormStep, ...]


@dataclasses.dataclass(frozen=True)
class RecordForm:
    campaign_id: int
    campaign_title: str
    candidate_id: int
    candidate_name: str
    candidate_description: str
    stages: tuple[FormStage, ...]
    other_rows: tuple[FormRow, ...]
    circumstances: tuple[Circumstance, ...]
    generated_on: dt.date
    checkpoint_size: int | None = None
    checkpoint_root: str = ""

    @property
    def entry_count(self) -> int:
        return sum(len(step.rows) for stage in self.stages for step in stage.steps) + len(self.other_rows)

    def file_stem(self) -> str:
        return f"记实表-{self.candidate_name}-{self.campaign_id}-{self.candidate_id}"


def local_time(text: str) -> str:
    return parse_time(text).astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


def _value(value: Any, key: str | None = None) -> str:
    """A payload value as a reader reads it: a rule's decision by its explanation (one that does
    not apply is left out), a code by its Chinese label (the key's own labels first, see
    ``labels.value_label``), yes/no in Chinese, a policy as its reference ``linze@1``."""
    if value is True:
        return "是"
    if value is False:
        return "否"
    if value is None:
        return "—"
    if isinstance(value, list):
        return "、".join(text for text in (_value(v, key) for v in value) if text)
    if isinstance(value, dict):
        if isinstance(value.get("explanation"), str):  # a rule's decision: its explanation says it all
            return "" if value.get("outcome") == "not_applicable" else str(value["explanation"])
        if key == "policy" and "id" in value and "version" in value:
            return f"{value['id']}@{value['version']}"
        return "；".join(_pairs(value, parent=key))
    return value_label(key, value) if isinstance(value, str) else str(value)


def _pairs(payload: Mapping[str, Any], *, top: bool = False, parent: str | None = None) -> list[str]:
    """``label：value`` for each key a reader needs. A key with a ``<key>_label`` beside it shows
    that label's text; file digests, hidden keys and empty values are left to the entry's page.
    At the top, the facts come first and the rules' decisions after them. A key inside another
    (or at the top of an action's payload) is labelled as
    ``"<outer key or action>.<key>"`` when that has a label of its own."""
    parts = []
    items = sorted(payload.items(), key=lambda kv: (_decides(kv[1]), kv[0])) if top else payload.items()
    for k, v in items:
        if k in _HIDDEN or k.endswith("_sha256") or v in ("", [], None):
            continue
        if k.endswith("_label") and k[: -len("_label")] in payload:
            continue
        if f"{k}_label" in payload and isinstance(payload[f"{k}_label"], str):
            v = payload[f"{k}_label"]
        if top and (k in _TEXT_KEYS or k in _HIDDEN_AT_TOP):
            continue
        text = _value(v, k)
        if text:
            parts.append(f"{key_label(k, parent)}：{text}")
    return parts


def _decides(value: Any) -> bool:
    """Whether a value is a rule's decision, or a list of them."""
    if isinstance(value, list):
        return bool(value) and all(_decides(v) for v in value)
    return isinstance(value, dict) and isinstance(value.get("explanation"), str)


def summary(payload: Mapping[str, Any], action: str | None = None) -> str:
    """A short Chinese reading of an entry's payload for the form (its keys labelled as
    ``"<action>.<key>"`` when that has a label of its own)."""
    for key in _TEXT_KEYS:
        if payload.get(key):
            return str(payload[key])
    return "；".join(_pairs(payload, top=True, parent=action))


MATERIAL_KINDS = {
    "recommendation": "推荐材料",
    "inspection": "考察材料",
    "conclusion": "调查核实结论",
    "opinion": "征求意见材料",
    "tally": "计票结果",
    "minutes": "会议记录",
    "signed_form": "签字纪实表",
    "archive": "归档包",
    "other": "其他材料",
}


def entry_text(entry: Entry) -> str:
    """The row text: the action's Chinese label and a reading of the payload.

    An action without a label shows only its payload's reading (its code when there is none),
    so a new action of another app never prints an English code beside Chinese text.
    """
    if entry.kind == "review":
        note = str(entry.payload.get("note") or "")
        reviewed = "、".join(str(r) for r in entry.refs)
        return f"{action_label(entry.action)}：第 {reviewed} 条记实" + (f"（{note}）" if note else "")
    if entry.action in ("material_stored", "archive_stored"):
        kind = MATERIAL_KINDS.get(str(entry.payload.get("kind")), "材料")
        return f"{action_label(entry.action)}（{kind}）"
    text = summary(entry.payload, entry.action)
    label = ACTION_LABELS.get(entry.action)
    if label is None:
        return text or entry.action
    return f"{label}：{text}" if text else label


def build_record_form(
    *,
    campaign_id: int,
    campaign_title: str,
    candidate_id: int,
    candidate_name: str,
    candidate_description: str = "",
    stages: Sequence[Stage],
    entries: Sequence[Entry],
    facts: RegisterFacts | None = None,
    today: dt.date,
    checkpoint: tuple[int, bytes] | None = None,
) -> RecordForm:
    """The record form from a candidate's entries in a campaign (reviews included, in any order)."""
    entries = sorted(entries, key=lambda e: e.seq)
    reviews: dict[int, list[str]] = {}
    for e in entries:
        if e.kind == "review":
            name = _name(e.actor)
            for ref in e.refs:
                reviews.setdefault(ref, []).append(f"{name}\n{local_time(e.time)}")
    recorded = [e for e in entries if e.kind != "review"]

    def row(e: Entry) -> FormRow:
        return FormRow(
            seq=e.seq,
            time=local_time(e.time),
            text=entry_text(e) + ("（更正）" if e.kind == "correction" else ""),
            recorder=_name(e.actor),
            reviewers=tuple(reviews.get(e.seq, ())),
            files=tuple(f["name"] for f in e.files),
        )

    placed: set[int] = set()
    form_stages = []
    for number, stage in zip(NUMERALS, stages, strict=False):
        in_stage = [e for e in recorded if e.stage == stage.id]
        steps = []
        for step in stage.steps:
            rows = [e for e in in_stage if e.step == step.id]
            placed.update(e.seq for e in rows)
            steps.append(FormStep(step.id, step.name, tuple(row(e) for e in rows)))
        rest = [e for e in in_stage if e.seq not in placed]
        if rest:
            placed.update(e.seq for e in rest)
            steps.append(FormStep("", "本环节其他记实", tuple(row(e) for e in rest)))
        form_stages.append(FormStage(stage.id, stage.name, number, tuple(steps)))
    others = tuple(row(e) for e in recorded if e.seq not in placed)
    return RecordForm(
        campaign_id=campaign_id,
        campaign_title=campaign_title,
        candidate_id=candidate_id,
        candidate_name=candidate_name,
        candidate_description=candidate_description,
        stages=tuple(form_stages),
        other_rows=others,
        circumstances=tuple(detect(entries, facts, today=today)),
        generated_on=today,
        checkpoint_size=checkpoint[0] if checkpoint else None,
        checkpoint_root=checkpoint[1].hex() if checkpoint else "",
    )


def _name(actor: Any) -> str:
    if isinstance(actor, dict):
        return str(actor.get("name") or actor.get("id") or "")
    return str(actor)
