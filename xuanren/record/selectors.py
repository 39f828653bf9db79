"""Reads of the full-process record for pages, forms and bundles, scoped by jurisdiction.

Every list here runs a fixed number of queries however many entries it shows: entries are
fetched in one query, the reviews of the entries shown in one more, and everything a row shows
is read from the entry's own canonical bytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from xuanren.ledger import canonical
from xuanren.record.circumstances import RegisterFacts, Relative, Sanction
from xuanren.record.hooks import campaign_info, procedure_names
from xuanren.record.labels import KIND_LABELS, action_label
from xuanren.record.models import Checkpoint, Cosignature, Entry, Material
from xuanren.record.record_form import RecordForm, build_record_form, entry_text, local_time

PAGE_SIZE = 100


@dataclasses.dataclass(frozen=True)
class TimelineFilters:
    campaign: int | None = None
    candidate: int | None = None
    action: str = ""

    @classmethod
    def from_query(cls, params: Any) -> TimelineFilters:
        def as_int(name: str) -> int | None:
            raw = (params.get(name) or "").strip()
            return int(raw) if raw.isdigit() and len(raw) < 16 else None

        return cls(as_int("campaign"), as_int("candidate"), (params.get("action") or "").strip()[:64])


def _system(user: Any) -> bool:
    """A command-line or scheduled process (named by a string, or None) reads the whole log."""
    return user is None or isinstance(user, str)


def visible_entries(user: Any) -> QuerySet[Entry]:
    if _system(user):
        return Entry.objects.all()
    return Entry.objects.visible_to(user)  # type: ignore[attr-defined, no-any-return]


def timeline(user: Any, filters: TimelineFilters) -> QuerySet[Entry]:
    qs = visible_entries(user)
    if filters.campaign is not None:
        qs = qs.filter(campaign_id=filters.campaign)
    if filters.candidate is not None:
        qs = qs.filter(candidate_id=filters.candidate)
    if filters.action:
        qs = qs.filter(action=filters.action)
    return qs.order_by("-seq").only("id", "seq", "data", "kind", "action", "campaign_id", "candidate_id")


@dataclasses.dataclass(frozen=True)
class Review:
    pk: int
    seq: int
    reviewer: str
    reviewer_id: int | None
    time: str


@dataclasses.dataclass(frozen=True)
class EntryRow:
    """One timeline row, read from the entry's canonical bytes."""

    pk: int
    seq: int
    time: str
    stage: str | None
    step: str | None
    stage_name: str
    step_name: str
    action: str
    label: str
    text: str
    kind: str
    kind_label: str
    recorder: str
    campaign: int | None
    candidate: int | None
    candidate_name: str
    files: tuple[dict[str, str], ...]
    refs: tuple[int, ...]
    reviews: tuple[Review, ...]


def reviews_of(user: Any, seqs: Iterable[int]) -> dict[int, list[Review]]:
    """The review entries (visible to the user) that reference each of ``seqs``: one query."""
    seqs = list(seqs)
    out: dict[int, list[Review]] = {}
    if not seqs:
        return out
    for review in visible_entries(user).filter(kind="review", ref__in=seqs).only("id", "seq", "data", "ref"):
        value = review.value
        actor = value.actor if isinstance(value.actor, dict) else {"id": value.actor}
        actor_id = actor.get("id")
        item = Review(
            review.pk,
            review.seq,
            str(actor.get("name") or ""),
            actor_id if isinstance(actor_id, int) else None,
            local_time(value.time),
        )
        for ref in value.refs:
            out.setdefault(ref, []).append(item)
    return out


def rows(user: Any, entries: Sequence[Entry]) -> list[EntryRow]:
    """Timeline rows: two queries whatever their number (reviews, and candidates' names)."""
    from xuanren.register.models import Cadre

    reviews = reviews_of(user, [e.seq for e in entries if e.kind != "review"])
    values = [e.value for e in entries]
    candidates = {v.candidate for v in values if isinstance(v.candidate, int)}
    names: dict[int, str] = {
        int(v.candidate): str(v.payload["candidate_name"])  # type: ignore[arg-type]
        for v in values
        if isinstance(v.candidate, int) and v.payload.get("candidate_name")
    }
    if candidates:
        names.update(Cadre.objects.filter(pk__in=candidates).values_list("pk", "name"))
    steps = procedure_names()
    out = []
    for e, v in zip(entries, values, strict=True):
        actor = v.actor if isinstance(v.actor, dict) else {"id": v.actor}
        out.append(
            EntryRow(
                pk=e.pk,
                seq=v.seq,
                time=local_time(v.time),
                stage=v.stage,
                step=v.step,
                stage_name=steps.get(v.stage or "", v.stage or ""),
                step_name=steps.get(v.step or "", v.step or ""),
                action=v.action,
                label=action_label(v.action),
                text=entry_text(v),
                kind=v.kind,
                kind_label=KIND_LABELS.get(v.kind, v.kind),
                recorder=str(actor.get("name") or actor.get("id") or ""),
                campaign=v.campaign if isinstance(v.campaign, int) else None,
                candidate=v.candidate if isinstance(v.candidate, int) else None,
                candidate_name=names.get(v.candidate, "") if isinstance(v.candidate, int) else "",
                files=tuple(v.files),
                refs=v.refs,
                reviews=tuple(reviews.get(v.seq, ())),
            )
        )
    return out


def latest_checkpoint() -> Checkpoint | None:
    """The newest checkpoint with its cosignatures (two queries)."""
    return (
        Checkpoint.objects.order_by("-size")
        .prefetch_related(Prefetch("cosignatures", queryset=Cosignature.objects.order_by("id")))
        .first()
    )


def latest_witnessed_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.filter(cosignatures__isnull=False).order_by("-size").first()


def entry_for(user: Any, pk: int) -> Entry:
    try:
        return visible_entries(user).get(pk=pk)  # type: ignore[no-any-return]
    except Entry.DoesNotExist as exc:
        raise Http404 from exc


# --------------------------------------------------------------------------- campaigns


@dataclasses.dataclass(frozen=True)
class CandidateLine:
    id: int
    name: str
    entries: int


def campaign_entries(user: Any, campaign_id: int) -> QuerySet[Entry]:
    return visible_entries(user).filter(campaign_id=campaign_id).order_by("seq")


def require_campaign(user: Any, campaign_id: int) -> str:
    """The jurisdiction code of a campaign the user may see (it has visible entries), else 404."""
    code = campaign_entries(user, campaign_id).values_list("jurisdiction_code", flat=True).first()
    if code is None:
        raise Http404
    return str(code)


def campaign_candidates(user: Any, campaign_id: int) -> list[CandidateLine]:
    from django.db.models import Count

    counts = (
        campaign_entries(user, campaign_id)
        .filter(candidate_id__isnull=False)
        .order_by()
        .values("candidate_id")
        .annotate(n=Count("id"))
    )
    ids = {row["candidate_id"]: row["n"] for row in counts}
    names = candidate_names(ids)
    return sorted((CandidateLine(i, names[i], n) for i, n in ids.items()), key=lambda c: c.id)


def candidate_names(ids: Iterable[int]) -> dict[int, str]:
    """Names of candidates: registered cadres by their register name, others by their entries."""
    from xuanren.register.models import Cadre

    ids = list(ids)
    names = dict(Cadre.objects.filter(pk__in=ids).values_list("pk", "name"))
    missing = [i for i in ids if i not in names]
    if missing:
        for e in Entry.objects.filter(candidate_id__in=missing).only("data", "candidate_id").order_by("seq"):
            name = e.payload.get("candidate_name")
            if name:
                names.setdefault(int(e.candidate_id), str(name))  # type: ignore[arg-type]
    return {i: names.get(i, f"人选 {i}") for i in ids}


def candidate_entries(user: Any, campaign_id: int, candidate_id: int) -> list[Entry]:
    """A candidate's entries in a campaign (reviews included), or 404 when none is visible."""
    entries = list(
        campaign_entries(user, campaign_id).filter(candidate_id=candidate_id).only("id", "seq", "data")
    )
    if not entries:
        raise Http404
    return entries


def register_facts(candidate_id: int, today: dt.date) -> tuple[RegisterFacts, str]:
    """The register's facts for the circumstance detectors, and a one-line description."""
    from xuanren.register.choices import RANK_ORDER, Rank
    from xuanren.register.models import Cadre, FamilyMember, PostHolding, RewardSanction

    cadre = Cadre.objects.filter(pk=candidate_id).select_related("unit").first()
    if cadre is None:
        return RegisterFacts(), ""
    sanctions = tuple(
        Sanction(s.description, s.decided_on, s.period_end)
        for s in RewardSanction.objects.filter(cadre=cadre, kind=RewardSanction.Kind.SANCTION)
    )
    family = list(
        FamilyMember.objects.filter(cadre=cadre, relative_cadre__isnull=False).select_related(
            "relative_cadre"
        )
    )
    holdings: dict[int, list[PostHolding]] = {}
    for h in PostHolding.objects.filter(cadre_id__in=[f.relative_cadre_id for f in family], end__isnull=True):
        holdings.setdefault(h.cadre_id, []).append(h)
    leading_from = RANK_ORDER[Rank.FUKE]

    def leading(rank: str) -> bool:
        return bool(rank) and RANK_ORDER.get(Rank(rank), -1) >= leading_from

    relatives = []
    for f in family:
        relative = f.relative_cadre
        assert relative is not None
        open_posts = holdings.get(relative.pk, [])
        post = next((h for h in open_posts if leading(h.rank)), None)
        is_leading = post is not None or (not open_posts and leading(relative.current_rank))
        title = post.organization + post.title if post else relative.current_title
        relatives.append(Relative(f.relation, f.name or relative.name, relative.pk, title, is_leading))
    description = "，".join(p for p in ((cadre.unit.name if cadre.unit else ""), cadre.current_title) if p)
    return RegisterFacts(sanctions, tuple(relatives)), description


def record_form(
    user: Any, campaign_id: int, candidate_id: int, today: dt.date, checkpoint: Checkpoint | None = None
) -> RecordForm:
    entries = candidate_entries(user, campaign_id, candidate_id)
    return record_form_of(campaign_id, candidate_id, [e.value for e in entries], today, checkpoint)


def record_form_of(
    campaign_id: int,
    candidate_id: int,
    values: Sequence[canonical.Entry],
    today: dt.date,
    checkpoint: Checkpoint | None = None,
) -> RecordForm:
    info = campaign_info(campaign_id)
    facts, description = register_facts(candidate_id, today)
    name = candidate_names([candidate_id])[candidate_id]
    checkpoint = checkpoint or Checkpoint.objects.order_by("-size").first()
    return build_record_form(
        campaign_id=campaign_id,
        campaign_title=info.title,
        candidate_id=candidate_id,
        candidate_name=name,
        candidate_description=description,
        stages=info.stages,
        entries=values,
        facts=facts,
        today=today,
        checkpoint=(checkpoint.size, bytes(checkpoint.root)) if checkpoint else None,
    )


def campaign_materials(user: Any, campaign_id: int) -> QuerySet[Material]:
    materials = Material.objects.all() if _system(user) else Material.objects.visible_to(user)  # type: ignore[attr-defined]
    return materials.filter(campaign_id=campaign_id).select_related("entry", "uploaded_by").order_by("id")
