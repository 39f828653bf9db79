"""Printed matter of a poll: the sheet of voting-code slips and the signed tally sheet (计票单).

Both are A4 PDFs drawn with reportlab in WenQuanYi Zen Hei (Debian fonts-wqy-zenhei). The code
sheet is made once, when the codes are issued, and never again: the codes are not stored.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import segno
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from xuanren.register.appointment_form import find_cjk_font

FONT = "WenQuanYiZenHei"
PAGE_W, PAGE_H = A4
MARGIN = 12 * mm
COLUMNS, ROWS = 2, 5  # ten slips a page
SLIP_W = (PAGE_W - 2 * MARGIN) / COLUMNS
SLIP_H = (PAGE_H - 2 * MARGIN - 10 * mm) / ROWS


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(find_cjk_font()), subfontIndex=0))
    return FONT


def _qr(url: str) -> ImageReader:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=2)
    buffer.seek(0)
    return ImageReader(buffer)


def codes_pdf(title: str, vote_url: str, codes: Sequence[str]) -> bytes:
    """Slips to cut out, one per code: the code in large type and a QR code of ``vote_url#CODE``
    (the fragment is never sent to the server)."""
    font = _font()
    out = io.BytesIO()
    c = Canvas(out, pagesize=A4, pageCompression=1)
    c.setTitle(f"{title} 投票码")
    per_page = COLUMNS * ROWS
    pages = max(1, -(-len(codes) // per_page))
    for page in range(pages):
        c.setFont(font, 10)
        c.drawString(MARGIN, PAGE_H - MARGIN, f"{title} · 投票码（每张限用一次，请沿虚线剪开后随机发放）")
        c.drawRightString(PAGE_W - MARGIN, PAGE_H - MARGIN, f"第 {page + 1}/{pages} 页")
        top = PAGE_H - MARGIN - 6 * mm
        for index, code in enumerate(codes[page * per_page : (page + 1) * per_page]):
            col, row = index % COLUMNS, index // COLUMNS
            x, y = MARGIN + col * SLIP_W, top - (row + 1) * SLIP_H
            c.setDash(3, 3)
            c.setStrokeColor(colors.grey)
            c.rect(x, y, SLIP_W, SLIP_H)
            c.setDash()
            qr_size = min(SLIP_H - 10 * mm, 36 * mm)
            c.drawImage(_qr(f"{vote_url}#{code}"), x + 3 * mm, y + (SLIP_H - qr_size) / 2, qr_size, qr_size)
            tx = x + qr_size + 6 * mm
            text_w = SLIP_W - qr_size - 9 * mm
            c.setFillColor(colors.black)
            ty = y + SLIP_H - 10 * mm
            for part in _wrap(title, 10.5, text_w)[:2]:
                c.setFont(font, 10.5)
                c.drawString(tx, ty, part)
                ty -= 5 * mm
            c.setFont(font, 8.5)
            c.drawString(tx, ty - 1 * mm, "扫码，或打开以下网址输入投票码：")
            for part in _wrap(vote_url, 8.5, text_w)[:2]:
                ty -= 4.5 * mm
                c.drawString(tx, ty - 1 * mm, part)
            c.setFont("Courier-Bold", 14)
            c.drawString(tx, y + 13 * mm, code)
            c.setFont(font, 8)
            c.drawString(tx, y + 7 * mm, "投票码只能使用一次，请勿示人")
        c.showPage()
    c.save()
    return out.getvalue()


def tally_sheet_pdf(poll: Any, sheet: dict[str, Any], signatures: Sequence[Any], counted_at: str) -> bytes:
    """The tally sheet: totals, per item the votes with exact fraction and percentage, the
    decisions with their rules, the ballot-set digest, and the counter's and scrutineer's
    confirmations with lines for their handwritten signatures."""
    font = _font()
    out = io.BytesIO()
    c = Canvas(out, pagesize=A4, pageCompression=1)
    c.setTitle(f"{poll.title} 计票单")
    y = PAGE_H - MARGIN

    def line(text: str, size: float = 10, indent: float = 0, gap: float = 5.5 * mm) -> None:
        nonlocal y
        if y < MARGIN + 40 * mm:
            c.showPage()
            y = PAGE_H - MARGIN
        c.setFont(font, size)
        for part in _wrap(text, size, PAGE_W - 2 * MARGIN - indent):
            c.drawString(MARGIN + indent, y, part)
            y -= gap

    line(f"{poll.title} 计票单", 15, gap=9 * mm)
    line(f"类型：{poll.get_kind_display()}　政策：{poll.policy_ref or '—'}　计票时间：{counted_at}")
    line(
        f"参加人数 {sheet['participants']}　收回选票 {sheet['cast']}　有效票 {sheet['valid']}"
        f"（其中空白票 {sheet['blank']}）　无效票 {sheet['invalid']}"
    )
    for note in sheet.get("notes", []):
        line(f"注意：{note}")
    y -= 2 * mm
    for item in sheet["items"]:
        line(
            f"{item['key']}. {item['title']}（有效 {item['valid']}，该项无效 {item['void']}）",
            11,
            gap=6.5 * mm,
        )
        for entry in item["lines"]:
            share = entry["share"]
            mark = "（并列）" if entry["tied"] and poll.kind == "recommendation" else ""
            line(
                f"第 {entry['rank']} 名{mark}　{entry['label']}　{entry['votes']} 票　{share['equation']}",
                9.5,
                indent=6 * mm,
                gap=5 * mm,
            )
        for decision in item["decisions"]:
            line(f"[{decision['outcome_label']}] {decision['explanation']}", 9, indent=6 * mm, gap=5 * mm)
        y -= 2 * mm
    line(f"选票集合 SHA-256：{sheet['ballot_set_sha256']}", 8.5)
    y -= 6 * mm
    by_role = {s.role: s for s in signatures}
    for role, label in (("counter", "计票人"), ("scrutineer", "监票人")):
        signed = by_role.get(role)
        confirmed = (
            f"已于 {signed.signed_at:%Y-%m-%d %H:%M} 在系统中确认（{signed.name}）"
            if signed
            else "未在系统中确认"
        )
        line(f"{label}（签字）：________________　　{confirmed}", 10.5, gap=9 * mm)
    c.showPage()
    c.save()
    return out.getvalue()


def _wrap(text: str, size: float, width: float) -> list[str]:
    _font()
    lines, current = [], ""
    for ch in text:
        if pdfmetrics.stringWidth(current + ch, FONT, size) > width:
            lines.append(current)
            current = ch
        else:
            current += ch
    return [*lines, current] if current or not lines else lines
