"""Documents of a campaign as DOCX (python-docx): meeting minutes, the procedure-execution form
(人选产生程序情况表), the inspection notice (考察预告) and the pre-appointment notice (任前公示).

Each function returns the file's bytes. The bytes are reproducible — the package's timestamps
are fixed to the document's own date — so the SHA-256 an action records can be checked later by
generating the document again from the same rows.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from xuanren.campaigns.models import Candidate, Meeting, MeetingMember, Notice

FONT = "宋体"
HEADING_FONT = "黑体"


def _document(title: str) -> Any:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(12)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title)
    run.bold = True
    run.font.size = Pt(18)
    run.font.name = HEADING_FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), HEADING_FONT)
    return doc


def _table(doc: Any, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for paragraph in cell.paragraphs:
            for run in paragraph.runs:
                run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text


def _bytes(doc: Any, on: date, title: str) -> bytes:
    """Save with fixed core properties and zip timestamps, so equal content gives equal bytes."""
    moment = datetime(on.year, on.month, on.day)
    props = doc.core_properties
    props.author = "xuanren"
    props.last_modified_by = "xuanren"
    props.title = title
    props.created = moment
    props.modified = moment
    props.revision = 1
    raw = io.BytesIO()
    doc.save(raw)
    source = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in sorted(source.infolist(), key=lambda i: i.filename):
            fixed = zipfile.ZipInfo(info.filename, date_time=(on.year, on.month, on.day, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def _jurisdiction_name(campaign: Any) -> str:
    return str(campaign.jurisdiction.name)


def meeting_minutes_docx(meeting: Meeting) -> bytes:
    """Minutes of a deciding meeting: who should attend and who signed in, quorum, the
    department's presentation, every member's position with reasons in speaking order, the vote
    counts and the full minutes."""
    campaign = meeting.campaign
    title = f"{_jurisdiction_name(campaign)}{meeting.get_kind_display()}会议记录"
    doc = _document(title)
    doc.add_paragraph(f"选任工作：{campaign.title}")
    doc.add_paragraph(f"会议日期：{meeting.held_on.isoformat()}")
    members = list(meeting.members.order_by("sort_order", "id"))
    voting = [m for m in members if m.role != MeetingMember.Role.OBSERVER]
    doc.add_paragraph(
        f"应到会成员 {len(voting)} 人，实到 {sum(1 for m in voting if m.present)} 人："
        + "、".join(m.name for m in voting if m.present)
    )
    absent = [m.name for m in voting if not m.present]
    if absent:
        doc.add_paragraph("缺席：" + "、".join(absent))
    observers = [m.name for m in members if m.role == MeetingMember.Role.OBSERVER and m.present]
    if observers:
        doc.add_paragraph("列席：" + "、".join(observers))
    if meeting.quorum:
        doc.add_paragraph(f"到会判定：{meeting.quorum.get('explanation', '')}")
    if meeting.presentation:
        doc.add_paragraph("组织部门情况介绍（不提差额的意向性意见）：")
        doc.add_paragraph(meeting.presentation)
    for candidate in meeting.candidates.select_related("cadre").order_by("sort_order", "id"):
        doc.add_paragraph(f"人选：{candidate.cadre.name}")
        positions = (
            meeting.positions.filter(candidate=candidate).select_related("member").order_by("speaking_order")
        )
        _table(
            doc,
            ["发言顺序", "成员", "表态", "理由"],
            [[str(p.speaking_order), p.member.name, p.position, p.reason] for p in positions],
        )
        vote = meeting.votes.filter(candidate=candidate).first()
        if vote is not None:
            doc.add_paragraph(
                f"表决：应到 {vote.members}，实到 {vote.present}，同意 {vote.in_favour}，不同意 {vote.against}，"
                f"弃权（缓议） {vote.abstain}；{'通过' if vote.passed else '未通过'}"
            )
            doc.add_paragraph(str(vote.decision.get("explanation", "")))
    if meeting.minutes:
        doc.add_paragraph("会议记录：")
        doc.add_paragraph(meeting.minutes)
    doc.add_paragraph("记录人：　　　　　　审核人：")
    return _bytes(doc, meeting.held_on, title)


def procedure_form_docx(
    candidate: Candidate, rows: Sequence[Mapping[str, Any]], missing: Sequence[str], generated_on: date
) -> bytes:
    """The procedure-execution form (人选产生程序情况表, 001): one line per step before the decision,
    what is missing, and the responsible person's signature line."""
    campaign = candidate.campaign
    title = "人选产生程序情况表"
    doc = _document(title)
    cadre = candidate.cadre
    doc.add_paragraph(f"选任工作：{campaign.title}（{campaign.policy_label}）")
    doc.add_paragraph(
        f"人选：{cadre.name}，{cadre.current_title}；拟任：{candidate.vacancy.post if candidate.vacancy else ''}"
    )
    _table(
        doc,
        ["环节", "步骤", "完成日期", "情况"],
        [
            [
                str(r["stage"]),
                str(r["name"]),
                str(r["done_on"] or ("不适用" if not r.get("applies", True) else "未完成")),
                str(r.get("detail", "")),
            ]
            for r in rows
        ],
    )
    if missing:
        doc.add_paragraph("程序不完整，不提交常委会研究：" + "；".join(missing))
    else:
        doc.add_paragraph("程序执行完整。")
    doc.add_paragraph(f"生成日期：{generated_on.isoformat()}")
    doc.add_paragraph("具体负责人签字：　　　　　　　　日期：")
    return _bytes(doc, generated_on, title)


def inspection_notice_docx(notice: Notice) -> bytes:
    """The inspection notice (考察预告): candidates, inspection time, team and hotline."""
    content = notice.content
    title = "干部考察预告"
    doc = _document(title)
    doc.add_paragraph(
        f"根据干部选拔任用工作安排，{_jurisdiction_name(notice.campaign)}委组织部将于 "
        f"{notice.starts_on.isoformat()} 起对下列同志进行考察，现予预告："
    )
    _table(
        doc,
        ["姓名", "性别", "出生年月", "现任职务", "拟任职务"],
        [
            [c["name"], c["gender"], c["birth"], c["current_post"], c["proposed_post"]]
            for c in content.get("candidates", [])
        ],
    )
    team = "、".join(f"{m['name']}{'（组长）' if m.get('leader') else ''}" for m in content.get("team", []))
    doc.add_paragraph(f"考察组成员：{team}")
    doc.add_paragraph(f"受理反映电话：{notice.hotline}")
    doc.add_paragraph(f"发布日期：{notice.posted_on.isoformat()}")
    return _bytes(doc, notice.posted_on, title)


def pre_appointment_notice_docx(notice: Notice) -> bytes:
    """The pre-appointment notice (任前公示): each candidate's public particulars, the period and
    the hotline; an exceptional promotion states its reasons."""
    content = notice.content
    title = "干部任前公示"
    doc = _document(title)
    doc.add_paragraph(
        f"经{_jurisdiction_name(notice.campaign)}委研究，拟任用下列同志，现予公示。公示期间为 "
        f"{notice.starts_on.isoformat()} 至 {notice.ends_on.isoformat() if notice.ends_on else ''}。"
    )
    _table(
        doc,
        ["姓名", "性别", "出生年月", "学历", "参加工作", "现任职务", "拟任职务"],
        [
            [
                c["name"],
                c["gender"],
                c["birth"],
                c.get("education", ""),
                c.get("work_start", ""),
                c.get("current_post", ""),
                c.get("proposed_post", ""),
            ]
            for c in content.get("candidates", [])
        ],
    )
    for c in content.get("candidates", []):
        if c.get("exceptional"):
            doc.add_paragraph(f"{c['name']} 属破格提拔，理由：{c['exceptional']}")
    doc.add_paragraph(f"公示期间受理反映电话：{notice.hotline}")
    doc.add_paragraph(f"发布日期：{notice.posted_on.isoformat()}")
    return _bytes(doc, notice.posted_on, title)
