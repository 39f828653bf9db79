"""The accountability trace (责任追溯) of one candidate's appointment: who recommended (signed
nominations), inspected (team members and talks), reviewed (record reviews), deliberated
(meetings), voted (stated positions with their reasons) and decided — each with the ledger
entries that show it (seed 001: responsibility is traced by reading the record, 通过查阅记录追究责任).

Built from the candidate's ledger entries and the campaign rows they describe; one pass over the
campaign's entries, so the number of queries does not grow with the record.
"""

from __future__ import annotations

import dataclasses

from xuanren.campaigns.models import Candidate, InspectionTeamMember, Meeting, Position
from xuanren.record.models import Entry

SECTIONS: dict[str, str] = {
    "recommended": "推荐提名",
    "inspected": "考察",
    "reviewed": "审核",
    "deliberated": "酝酿",
    "voted": "讨论表态",
    "decided": "决定",
}
# Meetings whose members deliberated rather than decided (DOMAIN D0).
DELIBERATING = (Meeting.Kind.DEPARTMENT, Meeting.Kind.PERSONNEL_DELIBERATION, Meeting.Kind.RECOMMENDATION)
# A meeting's entries that concern all its members; the rest name the member (sign-in, position).
MEETING_WIDE = ("meeting_convened", "meeting_opened", "meeting_closed")


@dataclasses.dataclass
class Person:
    name: str
    role: str
    detail: str = ""
    entries: list[Entry] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Trace:
    candidate: Candidate
    sections: dict[str, list[Person]]
    entries: list[Entry]

    def rows(self) -> list[tuple[str, list[Person]]]:
        return [(SECTIONS[k], self.sections[k]) for k in SECTIONS]


def _actor_name(entry: Entry) -> str:
    actor = entry.value.actor
    if isinstance(actor, dict):
        return str(actor.get("name") or actor.get("id") or "")
    return str(actor)


def trace_of(candidate: Candidate) -> Trace:
    """The trace of ``candidate`` (fetched by the caller through the user's scope)."""
    campaign_entries = list(Entry.objects.filter(campaign_id=candidate.campaign_id).order_by("seq"))
    own = [e for e in campaign_entries if e.candidate_id == candidate.cadre_id]
    own_seqs = {e.seq for e in own}
    sections: dict[str, list[Person]] = {k: [] for k in SECTIONS}

    def by_action(*prefixes: str) -> list[Entry]:
        return [e for e in own if e.action.startswith(prefixes)]

    nomination_entries = by_action("nominat", "self_nominat")
    for n in candidate.nominations.all().order_by("id"):
        name = n.recommender_name or (n.unit.name if n.unit_id and n.unit else n.get_channel_display())
        detail = f"{n.get_channel_display()}；{n.reasons}" if n.reasons else n.get_channel_display()
        sections["recommended"].append(
            Person(name, n.recommender_unit_post or "推荐人", detail, nomination_entries)
        )

    team_entries = [e for e in campaign_entries if e.action == "inspection_team_formed"]
    talk_entries = by_action("talk")
    inspection_entries = by_action("inspection_")
    members = InspectionTeamMember.objects.filter(team__campaign_id=candidate.campaign_id).order_by(
        "team_id", "sort_order"
    )
    for m in members:
        role = "考察组组长" if m.is_leader else "考察组成员"
        sections["inspected"].append(Person(m.name, role, m.unit_post, team_entries + inspection_entries))
    for talk in candidate.talks.select_related("interviewer").order_by("held_on", "id"):
        interviewer = talk.interviewer.name if talk.interviewer else ""
        mine = [e for e in talk_entries if e.payload.get("interviewee") == talk.interviewee] or talk_entries
        sections["inspected"].append(
            Person(talk.interviewee, f"谈话对象（{talk.group}）", f"谈话人：{interviewer}", mine)
        )

    for e in campaign_entries:
        if e.kind == "review" and set(e.refs) & own_seqs:
            sections["reviewed"].append(Person(_actor_name(e), "审核人", e.payload.get("note", ""), [e]))

    meetings = Meeting.objects.filter(candidates=candidate).prefetch_related("members").order_by("held_on")
    positions = (
        Position.objects.filter(candidate=candidate)
        .select_related("member", "meeting")
        .order_by("speaking_order")
    )
    for meeting in meetings:
        section = "deliberated" if meeting.kind in DELIBERATING else "decided"
        of_meeting = [e for e in campaign_entries if e.payload.get("meeting") == meeting.pk]
        for member in meeting.members.all():
            if member.present:
                mine = [
                    e
                    for e in of_meeting
                    if e.action in MEETING_WIDE
                    or e.action.endswith("_held")
                    or e.payload.get("member") == member.name
                ]
                sections[section].append(
                    Person(
                        member.name, f"{meeting.get_kind_display()}（{member.get_role_display()}）", "", mine
                    )
                )
    for p in positions:
        mine = [e for e in own if e.action == "position_stated" and e.payload.get("member") == p.member.name]
        sections["voted"].append(
            Person(p.member.name, p.meeting.get_kind_display(), f"{p.position}：{p.reason}", mine)
        )
    for e in own:
        if e.stage == "decision" and e.action not in ("position_stated",) and e.kind == "entry":
            sections["decided"].append(Person(_actor_name(e), "记录人", e.action, [e]))
    return Trace(candidate, sections, own)
