"""Actions of the record app: reviewing entries, storing materials, archiving a campaign, cosignatures.

Each is one ``recorded_action()`` (durable transaction, sealed by a signed checkpoint) with the
actor as a keyword-only argument, and refuses with :class:`RecordRefused`, which names the rule.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from xuanren.accounts.models import Jurisdiction
from xuanren.ledger.bundle import BundleEntry, bundle_bytes
from xuanren.ledger.canonical import file_ref
from xuanren.ledger.note import NoteError, add_signatures, open_note, parse_checkpoint, parse_verifier_key
from xuanren.record import exports, hooks, keys, materials, selectors, store
from xuanren.record.api import append, recorded_action
from xuanren.record.models import Checkpoint, Cosignature, Entry, Material

REVIEWERS = ("department_head", "discipline", "supervision_office")
MATERIAL_WRITERS = ("cadre_officer", "department_head", "supervision_office", "inspection_team")
ARCHIVERS = ("cadre_officer", "department_head")


class RecordRefused(Exception):
    """An action on the record that is not allowed; ``rule`` names what refused it."""

    def __init__(self, rule: str, message: str) -> None:
        self.rule = rule
        self.message = message
        super().__init__(message)


def _is_user(actor: Any) -> bool:
    return getattr(actor, "is_authenticated", False) is True


def _require_role(user: Any, roles: tuple[str, ...], rule: str, what: str) -> None:
    if _is_user(user) and not (user.is_superuser or user.has_role(*roles)):
        raise RecordRefused(rule, f"您的角色不能{what}")


def _require_scope(user: Any, code: str) -> Jurisdiction:
    jurisdiction = Jurisdiction.objects.filter(code=code).first()
    if jurisdiction is None:
        raise RecordRefused("record.jurisdiction", f"辖区 {code} 不存在")
    if _is_user(user) and not user.is_superuser:
        if user.jurisdiction is None or not user.jurisdiction.contains(jurisdiction):
            raise RecordRefused("record.jurisdiction", "不能在本辖区以外记实")
    return jurisdiction


# ------------------------------------------------------------------------------------ review


def review_entry(*, acting_user: Any, entry: Entry, note: str = "") -> Entry:
    """The reviewer's sign-off (审核) on an entry: a later ``review`` entry that references it.

    Refused for roles other than department head, discipline and supervision office; for the
    entry's own recorder (recorder and reviewer are two people); for a review itself; and for a
    second review of the same entry by the same person.
    """
    _require_role(acting_user, REVIEWERS, "record.reviewer_role", "审核纪实条目")
    if _is_user(acting_user) and not acting_user.is_superuser:
        if not selectors.visible_entries(acting_user).filter(pk=entry.pk).exists():
            raise RecordRefused("record.jurisdiction", "不能审核本辖区以外的纪实条目")
    value = entry.value
    if value.kind == "review":
        raise RecordRefused("record.review_target", "审核条目本身不再审核")
    actor_id = entry.actor.get("id")
    if _is_user(acting_user) and actor_id == acting_user.pk:
        raise RecordRefused("record.reviewer_not_recorder", "记录人不能审核自己记录的条目")
    with recorded_action():
        if (
            _is_user(acting_user)
            and Entry.objects.filter(kind="review", ref=entry.seq, actor_id=acting_user.pk).exists()
        ):
            raise RecordRefused("record.review_once", "您已审核过这条记实")
        return append(
            action="review_entry",
            actor=acting_user,
            jurisdiction_code=value.jurisdiction,
            campaign_id=value.campaign if isinstance(value.campaign, int) else None,
            candidate_id=value.candidate if isinstance(value.candidate, int) else None,
            stage=value.stage or "",
            step=value.step or "",
            kind="review",
            refs=(entry.seq,),
            payload={
                "reviewed": entry.seq,
                "leaf_hash": bytes(entry.leaf_hash).hex(),
                "note": note.strip()[:500],
            },
        )


# --------------------------------------------------------------------------------- materials


def store_material(
    *,
    acting_user: Any,
    jurisdiction_code: str,
    file: Any,
    campaign_id: int | None = None,
    candidate_id: int | None = None,
    kind: str = "",
) -> Material:
    """Store an uploaded signed scan (PDF, JPEG or PNG, magic-byte checked, size-limited) and anchor it.

    ``file`` is an uploaded file (or any object with ``name`` and ``chunks()``/``read()``, such as
    ``django.core.files.base.ContentFile(data, name="...")``). The bytes go under ``MEDIA_ROOT`` by
    SHA-256; a ``material_stored`` entry lists ``{"files": [{"name", "sha256"}]}`` so the signed
    log vouches for the file. ``acting_user`` may be a user, or a string naming the submitter for
    uploads that come from the public portal. Raises ``materials.MaterialRefused`` for a file that
    is not acceptable and :class:`RecordRefused` for a user who may not store it.
    """
    _require_role(acting_user, MATERIAL_WRITERS, "record.material_role", "上传纪实材料")
    jurisdiction = _require_scope(acting_user, jurisdiction_code)
    if kind and kind not in Material.Kind.values:
        raise RecordRefused("record.material_kind", f"材料类别 {kind} 不存在")
    name, data = materials.read_upload(file)
    content_type, extension = materials.sniff(data)
    return _store(
        acting_user=acting_user,
        jurisdiction=jurisdiction,
        name=materials.clean_name(name, extension),
        data=data,
        content_type=content_type,
        kind=kind or Material.Kind.OTHER,
        campaign_id=campaign_id,
        candidate_id=candidate_id,
        action="material_stored",
        payload={},
    )


def _store(
    *,
    acting_user: Any,
    jurisdiction: Jurisdiction,
    name: str,
    data: bytes,
    content_type: str,
    kind: str,
    campaign_id: int | None,
    candidate_id: int | None,
    action: str,
    payload: dict[str, Any],
) -> Material:
    with recorded_action():
        digest = materials.store_bytes(data)
        entry = append(
            action=action,
            actor=acting_user,
            jurisdiction_code=jurisdiction.code,
            campaign_id=campaign_id,
            candidate_id=candidate_id,
            files=[{"name": name, "sha256": digest}],
            payload={"kind": kind, "size": len(data), "content_type": content_type, **payload},
        )
        return Material.objects.create(
            jurisdiction=jurisdiction,
            name=name,
            sha256=digest,
            content_type=content_type,
            size=len(data),
            kind=kind,
            campaign_id=campaign_id,
            candidate_id=candidate_id,
            entry=entry,
            uploaded_by=acting_user if _is_user(acting_user) else None,
            created_at=timezone.now(),
        )


def record_circumstance(
    *, acting_user: Any, campaign_id: int, candidate_id: int, text: str, stage: str = "", step: str = ""
) -> Entry:
    """An important circumstance that the procedure record cannot show (D4.2, the last item)."""
    _require_role(acting_user, ARCHIVERS, "record.circumstance_role", "记录重要情况")
    text = text.strip()
    if not text:
        raise RecordRefused("record.circumstance_text", "请写明需要记实的重要情况")
    code = selectors.require_campaign(acting_user, campaign_id)
    with recorded_action():
        return append(
            action="circumstance_recorded",
            actor=acting_user,
            jurisdiction_code=code,
            campaign_id=campaign_id,
            candidate_id=candidate_id,
            stage=stage,
            step=step,
            payload={"text": text[:2000]},
        )


# ----------------------------------------------------------------------------------- archive


CATEGORY_OF_KIND = {Material.Kind.TALLY: "tallies", Material.Kind.MINUTES: "minutes"}


def _stored_files_named_by(values: Iterable[Any], included: set[str]) -> list[tuple[str, str]]:
    """Files the campaign's entries name by hash that are in the material store but are not
    material rows (an online recommendation's scan and form, a scan a campaign action keeps by
    hash): ``(name, sha256)`` once each. Earlier archives' own listings are not materials."""
    found: list[tuple[str, str]] = []
    for v in values:
        if v.action in ("archive", "archive_stored") or not isinstance(v.payload, dict):
            continue
        for ref in v.payload.get("files") or ():
            sha256 = ref.get("sha256") if isinstance(ref, dict) else None
            if not isinstance(sha256, str) or sha256 in included:
                continue
            try:
                present = materials.path_for(sha256).is_file()
            except ValueError:
                continue
            if present:
                included.add(sha256)
                found.append((str(ref.get("name") or "file").replace("/", "_"), sha256))
    return found


@dataclasses.dataclass(frozen=True)
class Archive:
    bundle: Material
    archive_entry: Entry
    checkpoint_size: int


def archive_campaign(*, acting_user: Any, campaign_id: int, today: dt.date | None = None) -> Archive:
    """Archive a campaign (立卷归档): record forms, materials, tallies, minutes, entries and proofs.

    First an ``archive`` entry records the SHA-256 of every file going into the bundle, so each
    is anchored in the signed log; then the bundle (``xuanren.ledger.bundle``) is built with the
    campaign's entries and their inclusion proofs against the newest checkpoint, stored as a
    material, and an ``archive_stored`` entry records the bundle's own hash.
    """
    _require_role(acting_user, ARCHIVERS, "record.archive_role", "立卷归档")
    today = today or timezone.localdate()
    code = selectors.require_campaign(acting_user, campaign_id)
    jurisdiction = _require_scope(acting_user, code)
    info = hooks.campaign_info(campaign_id)
    values = [e.value for e in selectors.campaign_entries(acting_user, campaign_id).only("data")]
    by_candidate: dict[int, list[Any]] = {}
    for v in values:
        if isinstance(v.candidate, int):
            by_candidate.setdefault(v.candidate, []).append(v)

    files = hooks.extra_bundle_files(campaign_id)
    for candidate_id, entries in sorted(by_candidate.items()):
        form = selectors.record_form_of(campaign_id, candidate_id, entries, today)
        files["record-forms"][f"{form.file_stem()}.pdf"] = exports.render_pdf(form)
        files["record-forms"][f"{form.file_stem()}.docx"] = exports.render_docx(form)
    included: set[str] = set()
    for m in selectors.campaign_materials(acting_user, campaign_id).exclude(kind=Material.Kind.ARCHIVE):
        category = CATEGORY_OF_KIND.get(m.kind, "materials")  # type: ignore[call-overload]
        files[category][f"{m.pk:06d}-{m.name}"] = materials.read_bytes(m.sha256)
        included.add(m.sha256)
    for name, sha256 in _stored_files_named_by(values, included):
        files["materials"][f"{sha256[:12]}-{name}"] = materials.read_bytes(sha256)

    refs = [
        file_ref(f"{category}/{name}", data)
        for category, named in files.items()
        for name, data in sorted(named.items())
    ]
    with recorded_action():
        archive_entry = append(
            action="archive",
            actor=acting_user,
            jurisdiction_code=code,
            campaign_id=campaign_id,
            files=refs,
            payload={"candidates": sorted(by_candidate), "count": len(refs)},
        )

    checkpoint = Checkpoint.objects.order_by("-size").first()
    assert checkpoint is not None and checkpoint.size > archive_entry.seq
    entries = list(
        selectors.campaign_entries(acting_user, campaign_id)
        .filter(seq__lt=checkpoint.size)
        .only("seq", "data")
    )
    proofs = store.inclusion_proofs([e.seq for e in entries], checkpoint.size)
    bundle = bundle_bytes(
        checkpoint=store.cosigned_note(checkpoint),
        verifier_key=keys.verifier_key(),
        entries=[BundleEntry(e.seq, e.data_bytes, proofs[e.seq]) for e in entries],
        record_forms=files["record-forms"],
        materials=files["materials"],
        tallies=files["tallies"],
        minutes=files["minutes"],
        description={
            "campaign": campaign_id,
            "title": info.title,
            "jurisdiction": code,
            "archive_entry": archive_entry.seq,
            "archived_by": archive_entry.actor_name,
            "archived_on": today,
        },
    )
    material = _store(
        acting_user=acting_user,
        jurisdiction=jurisdiction,
        name=f"归档包-选任工作{campaign_id}-{archive_entry.seq}.zip",
        data=bundle,
        content_type="application/zip",
        kind=Material.Kind.ARCHIVE,
        campaign_id=campaign_id,
        candidate_id=None,
        action="archive_stored",
        payload={"archive_entry": archive_entry.seq, "checkpoint_size": checkpoint.size},
    )
    return Archive(material, archive_entry, checkpoint.size)


# ------------------------------------------------------------------------------ cosignatures


def record_cosignature(*, cosigned_note: str, witness_vkey: str) -> Cosignature:
    """Store a witness's cosignature of a stored checkpoint, after checking it.

    ``cosigned_note`` is the checkpoint note with the witness's line added (what ``xuanren
    witness add`` prints); ``witness_vkey`` the witness's cosignature verifier key (type 0x04).
    """
    key = parse_verifier_key(witness_vkey)
    try:
        opened = open_note(cosigned_note, [key])
    except NoteError as e:
        raise RecordRefused("record.cosignature", f"见证联署签名无效：{e}") from e
    signature = opened.signed_by(key)
    assert signature is not None and signature.timestamp is not None
    checkpoint = Checkpoint.objects.filter(size=parse_checkpoint(opened.text).size).first()
    if checkpoint is None or not checkpoint.note.startswith(opened.text + "\n"):
        raise RecordRefused("record.cosignature", "本日志没有这个检查点")
    open_note(add_signatures(checkpoint.note, signature.line), [key])  # the line alone verifies
    with transaction.atomic():
        existing = Cosignature.objects.filter(checkpoint=checkpoint, witness_vkey=key.encode()).first()
        if existing is not None:
            return existing
        return Cosignature.objects.create(
            checkpoint=checkpoint,
            witness=key.name,
            witness_vkey=key.encode(),
            timestamp=signature.timestamp,
            line=signature.line,
            added_at=timezone.now(),
        )
