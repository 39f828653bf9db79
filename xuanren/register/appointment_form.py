"""The printed appointment form (干部任免审批表) as a PDF, in its familiar two-page layout.

Page 1: the grid of personal facts with the 2-inch photo on the right of the first four rows,
education, current / proposed / to-be-removed posts, and the resume (简历) as one tall cell.
Page 2: rewards and sanctions, annual assessments, reason for the appointment, family members
and important social relations, the submitting unit, the approving bodies' opinions, and who
filled in the form and when.

Text that does not fit its cell is set smaller, down to a floor; whatever still does not fit
continues on an extra page (续页) headed by the name of the cell, so nothing is ever cut off.

Fonts: the CJK TrueType collection of Debian's ``fonts-wqy-zenhei`` package (WenQuanYi Zen Hei),
found among :data:`FONT_CANDIDATES`; the font is embedded (subset) in the PDF.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Final
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, Paragraph, Spacer, Table, TableStyle

from xuanren.register.lrmx import FamilyMember, LrmxPerson, ResumePeriod

__all__ = [
    "FONT_CANDIDATES",
    "FontNotFoundError",
    "find_cjk_font",
    "render_appointment_form",
]

#: Where WenQuanYi Zen Hei lives on the usual Linux distributions (Debian/Ubuntu first).
FONT_CANDIDATES: Final = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy-zenhei/wqy-zenhei.ttc"),
    Path("/usr/local/share/fonts/wqy-zenhei.ttc"),
)
_FONT_NAME: Final = "WenQuanYiZenHei"

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT: Final = 20 * mm
WIDTH: Final = 170 * mm
BASE_SIZE: Final = 11.0  # points; 五号 is 10.5, 小四 is 12
MIN_SIZE: Final = 7.0
LINE: Final = 0.6
BORDER: Final = 1.2
PAD: Final = 1.5 * mm
# Family table rows: at least this many (the printed form leaves blank rows to write in), at
# most this many on page 2 before the rest continues on an extra page.
FAMILY_ROWS_MIN: Final = 7
FAMILY_ROWS_MAX: Final = 10
FAMILY_ROW_HEIGHT: Final = 10 * mm
FAMILY_BODY_MAX: Final = 92 * mm  # with more than 7 rows, taken from the approval opinions


class FontNotFoundError(RuntimeError):
    """No CJK font to print the form with."""


def find_cjk_font(candidates: Sequence[Path] = FONT_CANDIDATES) -> Path:
    """The first candidate font file that exists, or :class:`FontNotFoundError`."""
    for path in candidates:
        if path.is_file():
            return path
    tried = "、".join(str(p) for p in candidates)
    raise FontNotFoundError(
        "找不到打印干部任免审批表所需的中文字体文泉驿正黑（wqy-zenhei.ttc）。"
        "请安装 Debian 软件包 fonts-wqy-zenhei（apt-get install fonts-wqy-zenhei）。"
        f"已查找：{tried}"
    )


def _register_font(path: Path) -> str:
    name = _FONT_NAME if path == FONT_CANDIDATES[0] else f"{_FONT_NAME}-{path.stem}"
    if name not in pdfmetrics.getRegisteredFontNames():
        # A .ttc holds several faces; index 0 is the regular Zen Hei.
        pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=0))
    return name


# --------------------------------------------------------------------------- drawing helpers


@dataclass
class _Overflow:
    """Text that did not fit its cell, to be set on the extra page."""

    heading: str
    flowables: list[Flowable]


@dataclass
class _Sheet:
    canvas: Canvas
    font: str
    overflow: list[_Overflow] = field(default_factory=list)

    # Coordinates are in points measured from the top-left corner of the page.

    def box(self, x: float, top: float, w: float, h: float, width: float = LINE) -> None:
        self.canvas.setLineWidth(width)
        self.canvas.rect(x, PAGE_HEIGHT - top - h, w, h, stroke=1, fill=0)

    def style(self, size: float, align: int = TA_CENTER, leading: float = 1.3) -> ParagraphStyle:
        return ParagraphStyle(
            f"s{size}-{align}",
            fontName=self.font,
            fontSize=size,
            leading=size * leading,
            alignment=align,
            wordWrap="CJK",
        )

    def label(self, text: str, x: float, top: float, w: float, h: float, size: float = BASE_SIZE) -> None:
        """A printed heading, centred; lines split at newlines; blanks spread its characters."""
        self.box(x, top, w, h)
        lines = text.split("\n")
        leading = size * 1.3
        block = leading * len(lines)
        first_baseline = top + (h - block) / 2 + size * 1.02
        for n, line in enumerate(lines):
            y = PAGE_HEIGHT - (first_baseline + n * leading)
            self.canvas.setFont(self.font, size)
            self.canvas.drawCentredString(x + w / 2, y, line)

    def vertical_label(self, text: str, x: float, top: float, w: float, h: float) -> None:
        """A heading written top to bottom, its characters spread over the cell height.

        A heading too long for one column is set in two or more, read column by column from
        the left, as the printed form does with 年度考核结果.
        """
        self.box(x, top, w, h)
        chars = [c for c in text if not c.isspace()]
        size = BASE_SIZE
        room = h - 2 * PAD
        columns = max(1, math.ceil(len(chars) * size * 1.15 / room))
        while columns * size * 1.2 > w - 2 * PAD and size > MIN_SIZE:
            size -= 0.5
        per_column = math.ceil(len(chars) / columns)
        pitch = min(room / per_column, size * 2.4)
        gap = size * 1.2
        self.canvas.setFont(self.font, size)
        for n, char in enumerate(chars):
            column, place = divmod(n, per_column)
            cx = x + w / 2 + (column - (columns - 1) / 2) * gap
            start = top + (h - pitch * per_column) / 2
            baseline = start + place * pitch + (pitch + size * 0.8) / 2
            self.canvas.drawCentredString(cx, PAGE_HEIGHT - baseline, char)

    def value(
        self,
        text: str,
        x: float,
        top: float,
        w: float,
        h: float,
        *,
        align: int = TA_CENTER,
        valign: str = "middle",
        heading: str = "",
        size: float = BASE_SIZE,
        pad: float = PAD,
        border: bool = True,
        one_line: bool = False,
    ) -> None:
        """Text inside a cell, wrapped, set smaller until it fits; the rest goes to the extra page."""
        if border:
            self.box(x, top, w, h)
        text = text.strip()
        if not text:
            return
        if one_line:
            # Names, dates and the like shrink to stay on one line rather than break.
            natural = pdfmetrics.stringWidth(text, self.font, 1.0)
            size = max(MIN_SIZE, min(size, (w - 2 * pad - 1) / natural))
        inner_w, inner_h = w - 2 * pad, h - 2 * pad
        build = self.paragraphs(text, align)
        flowables, heights, _ = self.fit(build, inner_w, inner_h, size)
        total = sum(heights)
        if total <= inner_h:
            y = top + pad + (inner_h - total) / 2 if valign == "middle" else top + pad
            for f, fh in zip(flowables, heights, strict=True):
                f.drawOn(self.canvas, x + pad, PAGE_HEIGHT - y - fh)
                y += fh
            return
        # Too long even at the smallest size: the longest head that fits stays here, the rest
        # is set at the normal size on the extra page.
        room = inner_h - _note_height(MIN_SIZE)

        small = self.style(MIN_SIZE, align)

        def height(length: int) -> float:
            return float(Paragraph(_markup(text[:length]), small).wrap(inner_w, room)[1])

        low, high = 0, len(text) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if height(middle) <= room:
                low = middle
            else:
                high = middle - 1
        used = 0.0
        if low:
            head = Paragraph(_markup(text[:low]), small)
            used = head.wrap(inner_w, room)[1]
            head.drawOn(self.canvas, x + pad, PAGE_HEIGHT - top - pad - used)
        self.continued_note(x + pad, top + pad + used, inner_w, MIN_SIZE)
        rest = Paragraph(_markup(text[low:].lstrip("\n")), self.style(BASE_SIZE, TA_LEFT))
        self.overflow.append(_Overflow(heading, [rest]))

    def paragraphs(self, text: str, align: int) -> Callable[[float], list[Flowable]]:
        return lambda size: [Paragraph(_markup(text), self.style(size, align))]

    def fit(
        self, build: Callable[[float], list[Flowable]], inner_w: float, inner_h: float, size: float
    ) -> tuple[list[Flowable], list[float], float]:
        """The largest size from ``size`` down to MIN_SIZE at which the flowables fit, if any."""
        current = size
        while True:
            flowables = build(current)
            heights = [f.wrap(inner_w, inner_h)[1] for f in flowables]
            if sum(heights) <= inner_h or current <= MIN_SIZE:
                return flowables, heights, current
            current = max(MIN_SIZE, current - 0.5)

    def fits(self, text: str, w: float, h: float, *, align: int, size: float, pad: float) -> bool:
        if not text.strip():
            return True
        _, heights, _ = self.fit(self.paragraphs(text, align), w - 2 * pad, h - 2 * pad, size)
        return sum(heights) <= h - 2 * pad

    def continued_note(self, x: float, y: float, w: float, size: float) -> None:
        note = Paragraph("（下转续页）", self.style(size, TA_LEFT))
        nh = note.wrap(w, size * 3)[1]
        note.drawOn(self.canvas, x, PAGE_HEIGHT - y - nh)


def _note_height(size: float) -> float:
    """Room kept for the "continued" note under a cut cell."""
    return size * 1.3 + 1


def _markup(text: str) -> str:
    return "<br/>".join(escape(line) for line in text.split("\n"))


def _dotted(value: object) -> str:
    return value.dotted() if value is not None else ""  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- page 1


def _mm_columns(*widths: float) -> list[float]:
    """Left edges of consecutive columns, in points, starting at LEFT."""
    edges = [LEFT]
    for w in widths:
        edges.append(edges[-1] + w * mm)
    return edges


def _page_one(sheet: _Sheet, person: LrmxPerson, age_on: date) -> None:
    c = sheet.canvas
    c.setFont(sheet.font, 22)
    title = "干部任免审批表"
    text = c.beginText()
    text.setFont(sheet.font, 22)
    text.setCharSpace(6)
    title_width = pdfmetrics.stringWidth(title, sheet.font, 22) + 6 * (len(title) - 1)
    text.setTextOrigin(LEFT + (WIDTH - title_width) / 2, PAGE_HEIGHT - 28 * mm)
    text.textOut(title)
    text.setCharSpace(0)  # character spacing is part of the graphics state: reset it
    c.drawText(text)

    # columns: label, value, label, value, label, value, photo
    x = _mm_columns(20, 24, 20, 24, 21, 26, 35)
    top = 36 * mm
    row = 12.5 * mm
    r = [top + i * row for i in range(5)]

    def pair(col: int, label: str, value: str, y: float, *, one_line: bool = True) -> None:
        sheet.label(label, x[col], y, x[col + 1] - x[col], row)
        heading = label.replace("\n", "").replace("　", "").replace(" ", "")
        width = x[col + 2] - x[col + 1]
        sheet.value(value, x[col + 1], y, width, row, heading=heading, one_line=one_line)

    age = person.age_on(age_on)
    birth = person.birth.dotted() if person.birth else ""
    birth_text = f"{birth}\n（{age}岁）" if person.birth else ""
    pair(0, "姓　名", person.name, r[0])
    pair(2, "性　别", person.gender, r[0])
    pair(4, "出生年月\n（　岁）", birth_text, r[0], one_line=False)
    pair(0, "民　族", person.ethnicity, r[1])
    pair(2, "籍　贯", person.native_place, r[1], one_line=False)
    pair(4, "出 生 地", person.birthplace, r[1], one_line=False)
    pair(0, "入　党\n时　间", person.party_joined_text(), r[2], one_line=False)
    pair(2, "参加工\n作时间", _dotted(person.work_started), r[2])
    pair(4, "健　康\n状　况", person.health, r[2])
    sheet.label("专业技\n术职务", x[0], r[3], x[1] - x[0], row)
    sheet.value(person.professional_title, x[1], r[3], x[3] - x[1], row, heading="专业技术职务")
    sheet.label("熟悉专业\n有何专长", x[3], r[3], x[4] - x[3], row)
    sheet.value(person.expertise, x[4], r[3], x[6] - x[4], row, heading="熟悉专业有何专长")
    _photo(sheet, person.photo, x[6], r[0], x[7] - x[6], r[4] - r[0])

    # education: two rows sharing the 学历学位 heading
    edu_row = 15 * mm
    e0, e1, e2 = r[4], r[4] + edu_row, r[4] + 2 * edu_row
    sheet.label("学　历\n学　位", x[0], e0, x[1] - x[0], 2 * edu_row)
    for y, kind, education, degree, schools in (
        (
            e0,
            "全日制\n教　育",
            person.fulltime_education,
            person.fulltime_degree,
            (person.fulltime_education_school, person.fulltime_degree_school),
        ),
        (
            e1,
            "在　职\n教　育",
            person.inservice_education,
            person.inservice_degree,
            (person.inservice_education_school, person.inservice_degree_school),
        ),
    ):
        sheet.label(kind, x[1], y, x[2] - x[1], edu_row)
        sheet.value(_lines(education, degree), x[2], y, x[4] - x[2], edu_row, heading="学历学位")
        sheet.label("毕业院校\n系及专业", x[4], y, x[5] - x[4], edu_row)
        sheet.value(
            _lines(*dict.fromkeys(schools)),
            x[5],
            y,
            x[7] - x[5],
            edu_row,
            align=TA_LEFT,
            heading="毕业院校系及专业",
        )

    posts = e2
    for label, text_value, heading in (
        ("现 任 职 务", person.current_post, "现任职务"),
        ("拟 任 职 务", person.proposed_post, "拟任职务"),
        ("拟 免 职 务", person.post_to_leave, "拟免职务"),
    ):
        sheet.label(label, x[0], posts, x[2] - x[0], row)
        sheet.value(text_value, x[2], posts, x[7] - x[2], row, align=TA_LEFT, heading=heading)
        posts += row

    # the resume fills the rest of the page
    bottom = PAGE_HEIGHT - 15 * mm
    label_w = 14 * mm
    sheet.vertical_label("简历", LEFT, posts, label_w, bottom - posts)
    sheet.box(LEFT + label_w, posts, WIDTH - label_w, bottom - posts)
    _resume_cell(sheet, person.resume, LEFT + label_w, posts, WIDTH - label_w, bottom - posts)
    sheet.box(LEFT, top, WIDTH, bottom - top, width=BORDER)


def _lines(*parts: str) -> str:
    return "\n".join(p for p in parts if p)


def _photo(sheet: _Sheet, photo: bytes | None, x: float, top: float, w: float, h: float) -> None:
    sheet.box(x, top, w, h)
    if not photo:
        return
    inset = 1.5 * mm
    try:
        image = ImageReader(io.BytesIO(photo))
        sheet.canvas.drawImage(
            image,
            x + inset,
            PAGE_HEIGHT - top - h + inset,
            w - 2 * inset,
            h - 2 * inset,
            preserveAspectRatio=True,
            anchor="c",
        )
    except Exception:  # a damaged photo must not stop the form from printing
        sheet.canvas.setFont(sheet.font, 9)
        sheet.canvas.drawCentredString(x + w / 2, PAGE_HEIGHT - top - h / 2, "照片无法显示")


def _resume_cell(
    sheet: _Sheet, periods: Sequence[ResumePeriod], x: float, top: float, w: float, h: float
) -> None:
    """The resume, smaller until it fits; past the smallest size, whole periods continue."""
    if not periods:
        return
    inner_w, inner_h = w - 2 * PAD, h - 2 * PAD
    tables, heights, _ = sheet.fit(
        lambda s: [_resume_table(sheet, periods, inner_w, s)], inner_w, inner_h, BASE_SIZE
    )
    if heights[0] <= inner_h:
        tables[0].drawOn(sheet.canvas, x + PAD, PAGE_HEIGHT - top - PAD - heights[0])
        return
    room = inner_h - _note_height(MIN_SIZE)
    shown = 0
    for count in range(len(periods), 0, -1):  # longest head that fits at the smallest size
        if _resume_table(sheet, periods[:count], inner_w, MIN_SIZE).wrap(inner_w, room)[1] <= room:
            shown = count
            break
    used = 0.0
    if shown:
        head = _resume_table(sheet, periods[:shown], inner_w, MIN_SIZE)
        used = head.wrap(inner_w, room)[1]
        head.drawOn(sheet.canvas, x + PAD, PAGE_HEIGHT - top - PAD - used)
    sheet.continued_note(x + PAD, top + PAD + used, inner_w, MIN_SIZE)
    # The rest is set at the normal size on the extra page.
    rest = _resume_table(sheet, periods[shown:], WIDTH - 2 * PAD, BASE_SIZE)
    sheet.overflow.append(_Overflow("简历", [rest]))


def _resume_table(sheet: _Sheet, periods: Sequence[ResumePeriod], width: float, size: float) -> Table:
    """One row per period: the dates in a column of their own, the text wrapped beside them."""
    style = sheet.style(size, TA_LEFT, leading=1.45)
    date_width = pdfmetrics.stringWidth("0000.00--0000.00", sheet.font, size) + size
    rows = []
    for period in periods:
        if period.start is None:
            dates = ""
        else:
            dates = f"{period.start.dotted()}--{period.end.dotted() if period.end else ''}"
        rows.append([Paragraph(escape(dates), style), Paragraph(_markup(period.text), style)])
    table = Table(rows, colWidths=[date_width, width - date_width], splitByRow=True)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), size * 0.1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), size * 0.1),
            ]
        )
    )
    return table


# --------------------------------------------------------------------------- page 2


def _page_two(sheet: _Sheet, person: LrmxPerson, age_on: date) -> None:
    label_w = 14 * mm
    body_x, body_w = LEFT + label_w, WIDTH - label_w
    top = 15 * mm
    y = top
    for label, text, height in (
        ("奖惩情况", person.rewards_and_sanctions, 36 * mm),
        ("年度考核结果", person.annual_assessment, 24 * mm),
        ("任免理由", person.appointment_reason, 24 * mm),
    ):
        sheet.vertical_label(label, LEFT, y, label_w, height)
        sheet.value(text, body_x, y, body_w, height, align=TA_LEFT, valign="top", heading=label)
        y += height

    y = _family(sheet, person.family, age_on, y, label_w)

    submit_h = 30 * mm
    sheet.vertical_label("呈报单位", LEFT, y, label_w, submit_h)
    sheet.box(body_x, y, body_w, submit_h)
    sheet.value(
        person.submitting_unit,
        body_x,
        y,
        body_w,
        submit_h - 10 * mm,
        align=TA_LEFT,
        valign="top",
        heading="呈报单位",
        border=False,
    )
    _date_line(sheet, body_x + body_w, y + submit_h, seal=True)
    y += submit_h

    bottom = PAGE_HEIGHT - 26 * mm
    half = WIDTH / 2
    for x0, label in ((LEFT, "审批机关意见"), (LEFT + half, "行政机关任免意见")):
        sheet.vertical_label(label, x0, y, label_w, bottom - y)
        sheet.box(x0 + label_w, y, half - label_w, bottom - y)
        _date_line(sheet, x0 + half, bottom, seal=True)
    sheet.box(LEFT, top, WIDTH, bottom - top, width=BORDER)

    c = sheet.canvas
    c.setFont(sheet.font, BASE_SIZE)
    baseline = PAGE_HEIGHT - bottom - 8 * mm
    c.drawString(LEFT, baseline, f"填表人：{person.filled_by}")
    c.drawRightString(LEFT + WIDTH, baseline, f"填表时间：{_dotted(person.filled_on)}")


def _date_line(sheet: _Sheet, right: float, bottom: float, *, seal: bool) -> None:
    c = sheet.canvas
    c.setFont(sheet.font, BASE_SIZE)
    x = right - 8 * mm
    c.drawRightString(x, PAGE_HEIGHT - bottom + 5 * mm, "年　　月　　日")
    if seal:
        c.drawRightString(x - 8 * mm, PAGE_HEIGHT - bottom + 11 * mm, "（盖章）")


_FAMILY_COLUMNS: Final = (
    ("称谓", 16),
    ("姓　名", 20),
    ("年龄", 12),
    ("政治\n面貌", 20),
    ("工作单位及职务", 88),
)


def _family(
    sheet: _Sheet, members: Sequence[FamilyMember], age_on: date, top: float, label_w: float
) -> float:
    """The family table; returns where it ends. More rows than usual take room from below."""
    header_h = 10 * mm
    x = _mm_columns(14, *(w for _, w in _FAMILY_COLUMNS))
    widths = [x[n + 2] - x[n + 1] for n in range(len(_FAMILY_COLUMNS))]
    planned = min(len(members), FAMILY_ROWS_MAX)
    rows = max(FAMILY_ROWS_MIN, planned)
    row_h = FAMILY_ROW_HEIGHT if rows <= FAMILY_ROWS_MIN else FAMILY_BODY_MAX / rows
    size = min(BASE_SIZE, row_h / mm * 1.3)
    pad = 0.8 * mm

    def cells(member: FamilyMember) -> tuple[str, ...]:
        age = member.age_on(age_on)
        return (
            member.relation,
            member.name,
            "" if age is None else str(age),
            member.political_status,
            member.work_unit_and_post,
        )

    # A member whose row cannot hold its text continues, with everyone after, on the extra page.
    shown: list[FamilyMember] = []
    for member in members[:planned]:
        if not all(
            sheet.fits(text, widths[n], row_h, align=_family_align(n), size=size, pad=pad)
            for n, text in enumerate(cells(member))
        ):
            break
        shown.append(member)

    continued = len(members) > len(shown)
    if continued:
        shown = shown[: rows - 1]  # the last row says where the others are

    block_h = header_h + rows * row_h
    sheet.vertical_label("家庭主要成员及重要社会关系", LEFT, top, label_w, block_h)
    for n, (heading, _) in enumerate(_FAMILY_COLUMNS):
        sheet.label(heading, x[n + 1], top, widths[n], header_h)
    for index in range(rows):
        y = top + header_h + index * row_h
        if continued and index == rows - 1:
            sheet.value("（其余成员下转续页）", x[1], y, x[-1] - x[1], row_h, size=size, pad=pad)
            continue
        texts = cells(shown[index]) if index < len(shown) else ("",) * len(_FAMILY_COLUMNS)
        for n, text in enumerate(texts):
            last = n == len(_FAMILY_COLUMNS) - 1
            sheet.value(
                text,
                x[n + 1],
                y,
                widths[n],
                row_h,
                align=_family_align(n),
                size=size,
                pad=pad,
                one_line=not last,
            )
    if continued:
        rest = members[len(shown) :]
        sheet.overflow.append(
            _Overflow("家庭主要成员及重要社会关系", [_family_table(sheet, rest, age_on, WIDTH - 2 * PAD)])
        )
    return top + block_h


def _family_align(column: int) -> int:
    return TA_LEFT if column == len(_FAMILY_COLUMNS) - 1 else TA_CENTER


def _family_table(sheet: _Sheet, members: Sequence[FamilyMember], age_on: date, width: float) -> Table:
    style = sheet.style(BASE_SIZE - 1)
    left = sheet.style(BASE_SIZE - 1, TA_LEFT)
    widths = [w for _, w in _FAMILY_COLUMNS]
    scale = width / (sum(widths) * mm)
    rows: list[list[Flowable]] = [[Paragraph(_markup(h), style) for h, _ in _FAMILY_COLUMNS]]
    for m in members:
        age = m.age_on(age_on)
        rows.append(
            [
                Paragraph(escape(m.relation), style),
                Paragraph(escape(m.name), style),
                Paragraph("" if age is None else str(age), style),
                Paragraph(escape(m.political_status), style),
                Paragraph(escape(m.work_unit_and_post), left),
            ]
        )
    table = Table(rows, colWidths=[w * mm * scale for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle([("GRID", (0, 0), (-1, -1), LINE, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    )
    return table


# --------------------------------------------------------------------------- extra pages


def _continuation(sheet: _Sheet, person: LrmxPerson) -> None:
    """Pages for text that did not fit, each part under the heading of its cell."""
    c = sheet.canvas
    story: list[Flowable] = []
    heading = sheet.style(BASE_SIZE + 1, TA_LEFT)
    for part in sheet.overflow:
        story.append(Paragraph(escape(f"{part.heading}（续）"), heading))
        story.append(Spacer(1, 2 * mm))
        story.extend(part.flowables)
        story.append(Spacer(1, 5 * mm))
    while story:
        c.setFont(sheet.font, 16)
        c.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 22 * mm, "干部任免审批表（续页）")
        c.setFont(sheet.font, BASE_SIZE)
        c.drawString(LEFT, PAGE_HEIGHT - 30 * mm, f"姓名：{person.name}")
        frame = Frame(LEFT, 15 * mm, WIDTH, PAGE_HEIGHT - 48 * mm, showBoundary=0)
        placed = 0
        while story:
            if frame.add(story[0], c, trySplit=0):
                story.pop(0)
                placed += 1
                continue
            parts = frame.split(story[0], c)
            if len(parts) < 2:
                break
            story[0:1] = parts  # the head fits now; the tail goes on
        if not placed and story:  # a flowable that cannot be split and is taller than a page
            story.pop(0)
        c.showPage()


# --------------------------------------------------------------------------- entry point


def render_appointment_form(person: LrmxPerson, age_on: date, *, font_path: Path | None = None) -> bytes:
    """The appointment form of ``person`` as PDF bytes.

    ``age_on`` is the day ages are computed for (计算年龄时间): the person's age next to the
    birth month and each family member's age. Raises :class:`FontNotFoundError` when no CJK
    font is installed.
    """
    font = _register_font(font_path or find_cjk_font())
    buffer = io.BytesIO()
    # invariant: no creation time read from the clock, so the same form gives the same bytes
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1, invariant=1)
    canvas.setTitle(f"干部任免审批表 {person.name}".strip())
    canvas.setAuthor(person.submitting_unit)
    canvas.setSubject("干部任免审批表")
    canvas.setCreator("xuanren")
    sheet = _Sheet(canvas, font)
    _page_one(sheet, person, age_on)
    canvas.showPage()
    _page_two(sheet, person, age_on)
    canvas.showPage()
    if sheet.overflow:
        _continuation(sheet, person)
    canvas.save()
    return buffer.getvalue()
