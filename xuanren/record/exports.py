"""The record form as DOCX (python-docx) and PDF (reportlab, WenQuanYi Zen Hei embedded).

Both are deterministic — no clock time inside — so the same form gives the same bytes, and the
hashes an ``archive`` entry records can be checked again later.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from xuanren.record.record_form import FormRow, RecordForm

TITLE = "干部选拔任用工作记实表"
HEADERS = ("步骤", "时间", "记实内容", "记录人", "审核人")
_PDF_FONT = "WenQuanYiZenHei"
_FIXED = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _verification_note(form: RecordForm) -> str:
    text = (
        f"本表依据全程纪实日志生成，共 {form.entry_count} 条记实，每条注明日志序号，"
        "可用 “xuanren ledger prove 序号” 取得包含证明核验。"
    )
    if form.checkpoint_size is not None:
        text += f"生成时日志规模 {form.checkpoint_size}，根哈希 {form.checkpoint_root[:16]}…。"
    return text


def _row_text(row: FormRow) -> str:
    text = f"[{row.seq}] {row.text}"
    if row.files:
        text += "（附件：" + "、".join(row.files) + "）"
    return text


def _info_lines(form: RecordForm) -> list[tuple[str, str]]:
    return [
        ("选任工作", form.campaign_title),
        (
            "人选",
            form.candidate_name + (f"（{form.candidate_description}）" if form.candidate_description else ""),
        ),
        ("生成日期", f"{form.generated_on:%Y年%m月%d日}"),
    ]


# ------------------------------------------------------------------------------------- DOCX


def _docx_font(run_or_style: object, size: float | None = None, bold: bool = False) -> None:
    font = run_or_style.font  # type: ignore[attr-defined]
    font.name = "SimSun"
    if size:
        font.size = Pt(size)
    font.bold = bold
    element = run_or_style.element if hasattr(run_or_style, "element") else run_or_style._element  # type: ignore[attr-defined]
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), "宋体")


def _cell(cell: object, text: str, *, bold: bool = False, center: bool = False, size: float = 10) -> None:
    cell.text = ""  # type: ignore[attr-defined]
    paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    _docx_font(run, size, bold)


def render_docx(form: RecordForm) -> bytes:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.8))
    section.top_margin = section.bottom_margin = Cm(2)
    _docx_font(document.styles["Normal"], 10.5)
    props = document.core_properties
    props.title = f"{TITLE}（{form.candidate_name}）"
    props.author = props.last_modified_by = "xuanren"
    props.created = props.modified = _FIXED
    props.revision = 1

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _docx_font(title.add_run(TITLE), 18, bold=True)

    info = document.add_table(rows=0, cols=2)
    info.style = "Table Grid"
    for label, value in _info_lines(form):
        cells = info.add_row().cells
        _cell(cells[0], label, bold=True, center=True)
        _cell(cells[1], value)
    _widths(info, (Cm(3), Cm(14.4)))
    document.add_paragraph()

    table = document.add_table(rows=1, cols=len(HEADERS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(table.rows[0].cells, HEADERS, strict=True):
        _cell(cell, header, bold=True, center=True)
    _repeat_header(table.rows[0])
    for stage in form.stages:
        cells = table.add_row().cells
        merged = cells[0].merge(cells[-1])
        _cell(merged, f"{stage.number}、{stage.name}", bold=True)
        for step in stage.steps:
            rows = step.rows or (None,)
            for i, row in enumerate(rows):
                cells = table.add_row().cells
                _cell(cells[0], step.name if i == 0 else "")
                if row is None:
                    _cell(cells[2], "（未记录）")
                    continue
                _cell(cells[1], row.time)
                _cell(cells[2], _row_text(row))
                _cell(cells[3], row.recorder)
                _cell(cells[4], "\n".join(row.reviewers) or "（待审核）")
    if form.other_rows:
        cells = table.add_row().cells
        _cell(cells[0].merge(cells[-1]), "程序以外的其他记实", bold=True)
        for row in form.other_rows:
            cells = table.add_row().cells
            _cell(cells[1], row.time)
            _cell(cells[2], _row_text(row))
            _cell(cells[3], row.recorder)
            _cell(cells[4], "\n".join(row.reviewers) or "（待审核）")
    _widths(table, (Cm(2.8), Cm(2.6), Cm(7.6), Cm(2.0), Cm(2.4)))

    heading = document.add_paragraph()
    _docx_font(heading.add_run("重要情况记实"), 12, bold=True)
    circ = document.add_table(rows=1, cols=4)
    circ.style = "Table Grid"
    for cell, header in zip(circ.rows[0].cells, ("序号", "情况", "具体内容", "依据"), strict=True):
        _cell(cell, header, bold=True, center=True)
    if not form.circumstances:
        cells = circ.add_row().cells
        _cell(cells[0].merge(cells[-1]), "未发现需要记实的重要情况。")
    for i, c in enumerate(form.circumstances, 1):
        cells = circ.add_row().cells
        _cell(cells[0], str(i), center=True)
        _cell(cells[1], c.title)
        _cell(cells[2], c.detail)
        _cell(cells[3], _basis(c.entries, c.source))
    _widths(circ, (Cm(1.2), Cm(5.0), Cm(8.2), Cm(3.0)))

    note = document.add_paragraph()
    _docx_font(note.add_run(_verification_note(form)), 9)
    sign = document.add_paragraph()
    _docx_font(
        sign.add_run("记录人（签字）：__________    审核人（签字）：__________    日期：__________"), 10.5
    )

    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip_times(buffer.getvalue())


def _basis(entries: Sequence[int], source: str) -> str:
    if entries:
        return "纪实条目 " + "、".join(str(s) for s in entries)
    return "干部名册" if source == "register" else "—"


def _widths(table: object, widths: Sequence[object]) -> None:
    for row in table.rows:  # type: ignore[attr-defined]
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width


def _repeat_header(row: object) -> None:
    trpr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    element = trpr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"})
    trpr.append(element)


def _fixed_zip_times(data: bytes) -> bytes:
    """python-docx stamps ZIP members with the clock; rewrite them with a fixed time."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info))
    return out.getvalue()


# -------------------------------------------------------------------------------------- PDF


def register_pdf_font() -> str:
    from xuanren.register.appointment_form import find_cjk_font

    if _PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(_PDF_FONT, str(find_cjk_font()), subfontIndex=0))
    return _PDF_FONT


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=9, leading=12.5, wordWrap="CJK")
    return {
        "base": base,
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=24, alignment=TA_CENTER),
        "head": ParagraphStyle("head", parent=base, fontSize=9.5, alignment=TA_CENTER),
        "stage": ParagraphStyle("stage", parent=base, fontSize=10, leading=14),
        "h2": ParagraphStyle("h2", parent=base, fontSize=12, leading=18, spaceBefore=8, spaceAfter=4),
        "small": ParagraphStyle(
            "small", parent=base, fontSize=8, leading=11, textColor=colors.HexColor("#444444")
        ),
        "faint": ParagraphStyle(
            "faint", parent=base, fontSize=8, leading=11, textColor=colors.HexColor("#999999")
        ),
    }


def render_pdf(form: RecordForm) -> bytes:
    font = register_pdf_font()
    st = _styles(font)

    def p(text: str, style: str = "base") -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), st[style])

    story: list[Flowable] = [p(TITLE, "title"), Spacer(1, 4 * mm)]
    info = Table(
        [[p(label, "head"), p(value)] for label, value in _info_lines(form)],
        colWidths=[28 * mm, 152 * mm],
    )
    info.setStyle(_grid())
    story += [info, Spacer(1, 4 * mm)]

    widths = [27 * mm, 23 * mm, 82 * mm, 22 * mm, 26 * mm]
    header = Table([[p(h, "head") for h in HEADERS]], colWidths=widths)
    header_style = _grid()
    header_style.add("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8"))
    header.setStyle(header_style)
    story.append(header)

    def reviewers(row: FormRow) -> Paragraph:
        return p("\n".join(row.reviewers), "base") if row.reviewers else p("（待审核）", "small")

    # One table per stage whose title row repeats when the stage runs onto the next page; a table
    # is never split right after that title, so a stage title never stands alone at a page foot.
    blocks: list[tuple[str, list[list[object]]]] = []
    for stage in form.stages:
        rows: list[list[object]] = []
        for step in stage.steps:
            for i, row in enumerate(step.rows or (None,)):
                # later rows of a step repeat its name in grey, so a row carried onto the
                # next page still says which step it belongs to
                name = p(step.name) if i == 0 else p(step.name, "faint")
                if row is None:
                    rows.append([name, "", p("（未记录）", "small"), "", ""])
                else:
                    rows.append([name, p(row.time), p(_row_text(row)), p(row.recorder), reviewers(row)])
        blocks.append((f"{stage.number}、{stage.name}", rows))
    if form.other_rows:
        rows = [["", p(r.time), p(_row_text(r)), p(r.recorder), reviewers(r)] for r in form.other_rows]
        blocks.append(("程序以外的其他记实", rows))
    for title, rows in blocks:
        table = Table([[p(title, "stage"), "", "", "", ""], *rows], colWidths=widths, repeatRows=1)
        style = _grid()
        style.add("SPAN", (0, 0), (-1, 0))
        style.add("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f4f4f4"))
        table.setStyle(style)
        story.append(table)
    story.append(p("重要情况记实", "h2"))

    circ: list[list[object]] = [[p(h, "head") for h in ("序号", "情况", "具体内容", "依据")]]
    if not form.circumstances:
        circ.append([p("未发现需要记实的重要情况。"), "", "", ""])
    for i, c in enumerate(form.circumstances, 1):
        circ.append([p(str(i), "head"), p(c.title), p(c.detail), p(_basis(c.entries, c.source))])
    circ_table = Table(circ, colWidths=[12 * mm, 50 * mm, 88 * mm, 30 * mm], repeatRows=1)
    circ_style = _grid()
    circ_style.add("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8"))
    if not form.circumstances:
        circ_style.add("SPAN", (0, 1), (-1, 1))
    circ_table.setStyle(circ_style)
    story += [circ_table, Spacer(1, 5 * mm), p(_verification_note(form), "small"), Spacer(1, 8 * mm),
              p("记录人（签字）：____________　　审核人（签字）：____________　　日期：____________")]  # fmt: skip

    def decorate(canvas: object, doc: object) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(font, 8)  # type: ignore[attr-defined]
        footer = f"{TITLE} · {form.candidate_name} · 第 {canvas.getPageNumber()} 页"  # type: ignore[attr-defined]
        canvas.drawCentredString(A4[0] / 2, 10 * mm, footer)  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=f"{TITLE}（{form.candidate_name}）",
        author="xuanren",
        invariant=1,
    )
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def _grid() -> TableStyle:
    return TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
    )
