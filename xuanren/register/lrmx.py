"""LRMX, the XML file of the official appointment-form software (干部任免审批表).

One file holds one person: a root ``<Person>`` whose children are, in this order::

    XingMing 姓名, XingBie 性别, ChuShengNianYue 出生年月, MinZu 民族, JiGuan 籍贯,
    ChuShengDi 出生地, RuDangShiJian 入党时间, CanJiaGongZuoShiJian 参加工作时间,
    JianKangZhuangKuang 健康状况, ZhuanYeJiShuZhiWu 专业技术职务,
    ShuXiZhuanYeYouHeZhuanChang 熟悉专业有何专长,
    QuanRiZhiJiaoYu_XueLi / _XueWei / _XueLi_BiYeYuanXiaoXi / _XueWei_BiYeYuanXiaoXi 全日制教育,
    ZaiZhiJiaoYu_XueLi / _XueWei / _XueLi_BiYeYuanXiaoXi / _XueWei_BiYeYuanXiaoXi 在职教育,
    XianRenZhiWu 现任职务, NiRenZhiWu 拟任职务, NiMianZhiWu 拟免职务, JianLi 简历,
    JiangChengQingKuang 奖惩情况, NianDuKaoHeJieGuo 年度考核结果, RenMianLiYou 任免理由,
    JiaTingChengYuan 家庭主要成员及重要社会关系 (Item: ChengWei, XingMing, ChuShengRiQi,
    ZhengZhiMianMao, GongZuoDanWeiJiZhiWu), ChengBaoDanWei 呈报单位,
    JiSuanNianLingShiJian 计算年龄时间, TianBiaoShiJian 填表时间, TianBiaoRen 填表人,
    ShenFenZheng 身份证号, ZhaoPian 照片 (base64 JPEG), Version

Dates are written ``yyyyMM``, the day ages are computed for ``yyyyMMdd``. Readers also accept
``yyyy.MM`` and ``yyyy.MM.dd``. JianLi holds one period per line, ``2005.07--2008.09  text``;
a line that does not start with a date range continues the line before it (for example
``（其间：...）``).

Reading is defensive, because files come from outside: DTDs and entities are refused (XXE and
"billion laughs"), so are files over :data:`MAX_LRMX_BYTES` and malformed XML; each refusal is
an :class:`LrmxError` with a Chinese message. Missing elements read as empty, unknown ones are
skipped; both are listed in :attr:`LrmxPerson.warnings`.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

import defusedxml
import defusedxml.ElementTree as SafeET

from xuanren.register.seniority import age_from_year_month

__all__ = [
    "DEFAULT_VERSION",
    "ELEMENT_ORDER",
    "FAMILY_ITEM_ORDER",
    "MAX_LRMX_BYTES",
    "FamilyMember",
    "LrmxError",
    "LrmxPerson",
    "ResumePeriod",
    "YearMonth",
    "format_resume",
    "parse_lrmx",
    "parse_resume",
    "write_lrmx",
]

#: Largest file accepted by :func:`parse_lrmx` unless the caller says otherwise. A form with a
#: photo is typically 30-200 KiB.
MAX_LRMX_BYTES: Final = 10 * 1024 * 1024

#: The Version written into new files: the format version found in files of the widely used
#: release of the form software.
DEFAULT_VERSION: Final = "3.2.1.16"

ELEMENT_ORDER: Final = (
    "XingMing",
    "XingBie",
    "ChuShengNianYue",
    "MinZu",
    "JiGuan",
    "ChuShengDi",
    "RuDangShiJian",
    "CanJiaGongZuoShiJian",
    "JianKangZhuangKuang",
    "ZhuanYeJiShuZhiWu",
    "ShuXiZhuanYeYouHeZhuanChang",
    "QuanRiZhiJiaoYu_XueLi",
    "QuanRiZhiJiaoYu_XueWei",
    "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi",
    "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi",
    "ZaiZhiJiaoYu_XueLi",
    "ZaiZhiJiaoYu_XueWei",
    "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi",
    "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi",
    "XianRenZhiWu",
    "NiRenZhiWu",
    "NiMianZhiWu",
    "JianLi",
    "JiangChengQingKuang",
    "NianDuKaoHeJieGuo",
    "RenMianLiYou",
    "JiaTingChengYuan",
    "ChengBaoDanWei",
    "JiSuanNianLingShiJian",
    "TianBiaoShiJian",
    "TianBiaoRen",
    "ShenFenZheng",
    "ZhaoPian",
    "Version",
)

FAMILY_ITEM_ORDER: Final = (
    "ChengWei",
    "XingMing",
    "ChuShengRiQi",
    "ZhengZhiMianMao",
    "GongZuoDanWeiJiZhiWu",
)


class LrmxError(ValueError):
    """An LRMX file cannot be read or a person cannot be written; the message is Chinese."""

    def __init__(self, message: str, element: str | None = None) -> None:
        self.message = message
        self.element = element
        super().__init__(f"<{element}>：{message}" if element else message)


# --------------------------------------------------------------------------- dates


@dataclass(frozen=True, slots=True, order=True)
class YearMonth:
    """A month of a year, the precision of most dates on the form."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1000 <= self.year <= 9999 or not 1 <= self.month <= 12:
            raise ValueError(f"无效的年月：{self.year}年{self.month}月")

    @classmethod
    def of(cls, day: date) -> YearMonth:
        return cls(day.year, day.month)

    def compact(self) -> str:
        """``200507``, as LRMX writes it."""
        return f"{self.year:04d}{self.month:02d}"

    def dotted(self) -> str:
        """``2005.07``, as the printed form shows it."""
        return f"{self.year:04d}.{self.month:02d}"

    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def __str__(self) -> str:
        return self.dotted()


# 6 or 8 digits, or yyyy.MM / yyyy.MM.dd (also with '-', '/' or a full-width dot, one-digit
# month and day allowed after a separator).
_DATE_PATTERN = (
    r"(?P<y>[0-9]{4})(?:(?P<m8>[0-9]{2})(?P<d8>[0-9]{2})?"
    r"|[.．\-/](?P<m>[0-9]{1,2})(?:[.．\-/](?P<d>[0-9]{1,2}))?)"
)
_DATE_RE: Final = re.compile(rf"^{_DATE_PATTERN}$")
_LEADING_DATE_RE: Final = re.compile(rf"^{_DATE_PATTERN}(?![0-9])")


def _date_parts(match: re.Match[str]) -> tuple[int, int, int | None]:
    year = int(match["y"])
    month = int(match["m8"] or match["m"])
    day_text = match["d8"] or match["d"]
    return year, month, int(day_text) if day_text else None


def _parse_year_month(text: str, element: str) -> YearMonth | None:
    if not text:
        return None
    match = _DATE_RE.match(text)
    if match is None:
        raise LrmxError(f"无法识别的日期“{text}”，应为 yyyyMM、yyyyMMdd 或 yyyy.MM", element)
    year, month, day = _date_parts(match)
    try:
        if day is not None:
            date(year, month, day)
        return YearMonth(year, month)
    except ValueError:
        raise LrmxError(f"日期“{text}”不存在", element) from None


def _parse_full_date(text: str, element: str) -> date | None:
    if not text:
        return None
    match = _DATE_RE.match(text)
    if match is None:
        raise LrmxError(f"无法识别的日期“{text}”，应为 yyyyMMdd 或 yyyy.MM.dd", element)
    year, month, day = _date_parts(match)
    try:
        return date(year, month, day or 1)
    except ValueError:
        raise LrmxError(f"日期“{text}”不存在", element) from None


# --------------------------------------------------------------------------- resume (JianLi)


@dataclass(frozen=True, slots=True)
class ResumePeriod:
    """One period of the resume: ``2005.07--2008.09  XX乡党政办科员``.

    ``end`` is None for the current period. ``text`` may span several lines (continuation
    lines such as ``（其间：...）``). ``start`` is None only for text found before the first
    dated line of a file.
    """

    start: YearMonth | None
    end: YearMonth | None
    text: str


_RANGE_SEPARATOR = r"(?:-{1,2}|—{1,2}|－{1,2}|–{1,2}|~|～|至)"
_YM = r"[0-9]{4}[.．][0-9]{1,2}|[0-9]{6}"
_PERIOD_LINE_RE: Final = re.compile(
    rf"^\s*(?P<start>{_YM})\s*{_RANGE_SEPARATOR}\s*(?P<end>{_YM})?\s*(?P<text>.*)$"
)
# Continuation lines are indented under the text of the period line (7 + 2 + 7 + 2 columns).
_CONTINUATION_INDENT: Final = " " * 18


def _split_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _resume_ym(text: str) -> YearMonth:
    text = text.replace("．", ".")
    if "." in text:
        year_text, month_text = text.split(".")
        return YearMonth(int(year_text), int(month_text))
    return YearMonth(int(text[:4]), int(text[4:]))


def parse_resume(text: str) -> list[ResumePeriod]:
    """Split a JianLi text into periods; blank lines are dropped, lines are trimmed."""
    periods: list[ResumePeriod] = []
    start: YearMonth | None = None
    end: YearMonth | None = None
    lines: list[str] = []

    def flush() -> None:
        if start is not None or lines:
            periods.append(ResumePeriod(start, end, "\n".join(lines)))

    for raw in _split_lines(text):
        line = raw.strip()
        if not line:
            continue
        match = _PERIOD_LINE_RE.match(line)
        parsed: tuple[YearMonth, YearMonth | None] | None = None
        if match is not None:
            try:
                parsed = (
                    _resume_ym(match["start"]),
                    _resume_ym(match["end"]) if match["end"] else None,
                )
            except ValueError:
                parsed = None  # "2005.13--": not a date, so text
        if match is not None and parsed is not None:
            flush()
            start, end = parsed
            first = match["text"].strip()
            lines = [first] if first else []
        else:
            lines.append(line)
    flush()
    return periods


def _is_period_line(line: str) -> bool:
    match = _PERIOD_LINE_RE.match(line.strip())
    if match is None:
        return False
    try:
        _resume_ym(match["start"])
        if match["end"]:
            _resume_ym(match["end"])
    except ValueError:
        return False
    return True


def format_resume(periods: Iterable[ResumePeriod]) -> str:
    """The JianLi text of the periods, one period per line, continuation lines indented."""
    out: list[str] = []
    for number, period in enumerate(periods, start=1):
        text_lines = [line.strip() for line in _split_lines(period.text) if line.strip()]
        if period.start is None:
            if period.end is not None:
                raise LrmxError(f"简历第{number}段有结束时间但没有开始时间", "JianLi")
            if out:
                raise LrmxError(f"简历第{number}段没有开始时间，只有第一段可以不写时间", "JianLi")
            head: list[str] = []
        else:
            end = period.end.dotted() if period.end else " " * 7
            first = text_lines.pop(0) if text_lines else ""
            head = [f"{period.start.dotted()}--{end}  {first}".rstrip()]
            if parse_resume(head[0]) != [ResumePeriod(period.start, period.end, first)]:
                # e.g. an open period whose text starts with a month: "2020.12--  202103起..."
                raise LrmxError(f"简历第{number}段“{head[0].strip()}”读回时会被误读", "JianLi")
        for line in text_lines:
            if _is_period_line(line):
                raise LrmxError(
                    f"简历第{number}段的续行“{line}”以时间段开头，读回时会被当作新的一段", "JianLi"
                )
        out.extend(head)
        out.extend(_CONTINUATION_INDENT + line if head else line for line in text_lines)
    return "\n".join(out)


# --------------------------------------------------------------------------- the person


@dataclass(slots=True, kw_only=True)
class FamilyMember:
    """A family member or important social relation (家庭主要成员及重要社会关系)."""

    relation: str = ""  # 称谓 ChengWei
    name: str = ""  # 姓名 XingMing
    birth: YearMonth | None = None  # 出生日期 ChuShengRiQi, yyyyMM
    political_status: str = ""  # 政治面貌 ZhengZhiMianMao
    work_unit_and_post: str = ""  # 工作单位及职务 GongZuoDanWeiJiZhiWu

    def age_on(self, on: date) -> int | None:
        if self.birth is None:
            return None
        return age_from_year_month(self.birth.year, self.birth.month, on)

    def is_empty(self) -> bool:
        return not (
            self.relation or self.name or self.birth or self.political_status or self.work_unit_and_post
        )


@dataclass(slots=True, kw_only=True)
class LrmxPerson:
    """One appointment form. Field comments give the LRMX element of each field."""

    name: str = ""  # XingMing
    gender: str = ""  # XingBie: 男 / 女
    birth: YearMonth | None = None  # ChuShengNianYue
    ethnicity: str = ""  # MinZu
    native_place: str = ""  # JiGuan
    birthplace: str = ""  # ChuShengDi
    party_joined: YearMonth | None = None  # RuDangShiJian, its date
    party_note: str = ""  # RuDangShiJian, text after the date (民主党派, 无党派 ...)
    work_started: YearMonth | None = None  # CanJiaGongZuoShiJian
    health: str = ""  # JianKangZhuangKuang
    professional_title: str = ""  # ZhuanYeJiShuZhiWu
    expertise: str = ""  # ShuXiZhuanYeYouHeZhuanChang
    fulltime_education: str = ""  # QuanRiZhiJiaoYu_XueLi
    fulltime_degree: str = ""  # QuanRiZhiJiaoYu_XueWei
    fulltime_education_school: str = ""  # QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi
    fulltime_degree_school: str = ""  # QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi
    inservice_education: str = ""  # ZaiZhiJiaoYu_XueLi
    inservice_degree: str = ""  # ZaiZhiJiaoYu_XueWei
    inservice_education_school: str = ""  # ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi
    inservice_degree_school: str = ""  # ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi
    current_post: str = ""  # XianRenZhiWu
    proposed_post: str = ""  # NiRenZhiWu
    post_to_leave: str = ""  # NiMianZhiWu
    resume: list[ResumePeriod] = field(default_factory=list)  # JianLi
    rewards_and_sanctions: str = ""  # JiangChengQingKuang
    annual_assessment: str = ""  # NianDuKaoHeJieGuo
    appointment_reason: str = ""  # RenMianLiYou
    family: list[FamilyMember] = field(default_factory=list)  # JiaTingChengYuan
    submitting_unit: str = ""  # ChengBaoDanWei
    age_computed_on: date | None = None  # JiSuanNianLingShiJian, yyyyMMdd
    filled_on: YearMonth | None = None  # TianBiaoShiJian
    filled_by: str = ""  # TianBiaoRen
    id_number: str = ""  # ShenFenZheng
    photo: bytes | None = None  # ZhaoPian, JPEG bytes (base64 in the file)
    version: str = DEFAULT_VERSION  # Version
    #: What the reader skipped or filled in: unknown or missing elements, a wrong encoding
    #: declaration. Not part of the person; never written.
    warnings: list[str] = field(default_factory=list, compare=False, repr=False)

    def age_on(self, on: date) -> int | None:
        """Age as the form shows it next to 出生年月 (see :func:`age_from_year_month`)."""
        if self.birth is None:
            return None
        return age_from_year_month(self.birth.year, self.birth.month, on)

    def party_joined_text(self) -> str:
        """入党时间 as printed: ``1995.06``, ``1995.06；九三学社`` or the note alone."""
        parts = [self.party_joined.dotted()] if self.party_joined else []
        if self.party_note:
            parts.append(self.party_note)
        return "；".join(parts)


# --------------------------------------------------------------------------- field table

_Reader = Callable[[str, str], Any]
_Writer = Callable[[Any], str]


def _text_reader(text: str, element: str) -> str:
    return text


def _text_writer(value: Any) -> str:
    return str(value)


def _ym_writer(value: Any) -> str:
    return value.compact() if value is not None else ""


def _date_writer(value: Any) -> str:
    return f"{value:%Y%m%d}" if value is not None else ""


def _resume_reader(text: str, element: str) -> list[ResumePeriod]:
    return parse_resume(text)


def _resume_writer(value: Any) -> str:
    return format_resume(value)


def _photo_reader(text: str, element: str) -> bytes | None:
    compact = "".join(text.split())
    if not compact:
        return None
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise LrmxError("照片不是有效的 base64 数据", element) from None


def _photo_writer(value: Any) -> str:
    return base64.b64encode(value).decode("ascii") if value else ""


# (element, attribute, reader, writer) for the simple one-element fields.
_SIMPLE: Final[dict[str, tuple[str, _Reader, _Writer]]] = {
    "XingMing": ("name", _text_reader, _text_writer),
    "XingBie": ("gender", _text_reader, _text_writer),
    "ChuShengNianYue": ("birth", _parse_year_month, _ym_writer),
    "MinZu": ("ethnicity", _text_reader, _text_writer),
    "JiGuan": ("native_place", _text_reader, _text_writer),
    "ChuShengDi": ("birthplace", _text_reader, _text_writer),
    "CanJiaGongZuoShiJian": ("work_started", _parse_year_month, _ym_writer),
    "JianKangZhuangKuang": ("health", _text_reader, _text_writer),
    "ZhuanYeJiShuZhiWu": ("professional_title", _text_reader, _text_writer),
    "ShuXiZhuanYeYouHeZhuanChang": ("expertise", _text_reader, _text_writer),
    "QuanRiZhiJiaoYu_XueLi": ("fulltime_education", _text_reader, _text_writer),
    "QuanRiZhiJiaoYu_XueWei": ("fulltime_degree", _text_reader, _text_writer),
    "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": ("fulltime_education_school", _text_reader, _text_writer),
    "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": ("fulltime_degree_school", _text_reader, _text_writer),
    "ZaiZhiJiaoYu_XueLi": ("inservice_education", _text_reader, _text_writer),
    "ZaiZhiJiaoYu_XueWei": ("inservice_degree", _text_reader, _text_writer),
    "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": ("inservice_education_school", _text_reader, _text_writer),
    "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": ("inservice_degree_school", _text_reader, _text_writer),
    "XianRenZhiWu": ("current_post", _text_reader, _text_writer),
    "NiRenZhiWu": ("proposed_post", _text_reader, _text_writer),
    "NiMianZhiWu": ("post_to_leave", _text_reader, _text_writer),
    "JianLi": ("resume", _resume_reader, _resume_writer),
    "JiangChengQingKuang": ("rewards_and_sanctions", _text_reader, _text_writer),
    "NianDuKaoHeJieGuo": ("annual_assessment", _text_reader, _text_writer),
    "RenMianLiYou": ("appointment_reason", _text_reader, _text_writer),
    "ChengBaoDanWei": ("submitting_unit", _text_reader, _text_writer),
    "JiSuanNianLingShiJian": ("age_computed_on", _parse_full_date, _date_writer),
    "TianBiaoShiJian": ("filled_on", _parse_year_month, _ym_writer),
    "TianBiaoRen": ("filled_by", _text_reader, _text_writer),
    "ShenFenZheng": ("id_number", _text_reader, _text_writer),
    "ZhaoPian": ("photo", _photo_reader, _photo_writer),
    "Version": ("version", _text_reader, _text_writer),
}
# RuDangShiJian (date plus note) and JiaTingChengYuan (items) are handled on their own.

_FAMILY: Final[dict[str, tuple[str, _Reader, _Writer]]] = {
    "ChengWei": ("relation", _text_reader, _text_writer),
    "XingMing": ("name", _text_reader, _text_writer),
    "ChuShengRiQi": ("birth", _parse_year_month, _ym_writer),
    "ZhengZhiMianMao": ("political_status", _text_reader, _text_writer),
    "GongZuoDanWeiJiZhiWu": ("work_unit_and_post", _text_reader, _text_writer),
}

_PARTY_SEPARATORS = "；;，, 　"


def _parse_party(text: str, element: str) -> tuple[YearMonth | None, str]:
    match = _LEADING_DATE_RE.match(text)
    if match is None:
        return None, text
    joined = _parse_year_month(match.group(0), element)
    return joined, text[match.end() :].lstrip(_PARTY_SEPARATORS)


def _write_party(person: LrmxPerson) -> str:
    parts = [person.party_joined.compact()] if person.party_joined else []
    if person.party_note:
        parts.append(person.party_note)
    return "；".join(parts)


# --------------------------------------------------------------------------- reading

_GB_FAMILY = {"gb2312", "gbk", "x-gbk", "cp936", "ms936", "gb18030", "euc-cn", "csgb2312", "windows-936"}
_DECLARATION_RE: Final = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._\-]+)[\"']")
_DECLARATION_TEXT_RE: Final = re.compile(r"^\s*<\?xml[^>]*\?>")


def _decode(data: bytes, warnings: list[str]) -> str:
    """Decode by BOM, then by the XML declaration; GB2312/GBK are read as GB18030 (a superset)."""
    if data.startswith(codecs.BOM_UTF8):
        return _decode_as(data[len(codecs.BOM_UTF8) :], "utf-8", warnings)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_as(data, "utf-16", warnings)
    if data.startswith(b"<\x00?\x00"):
        return _decode_as(data, "utf-16-le", warnings)
    if data.startswith(b"\x00<\x00?"):
        return _decode_as(data, "utf-16-be", warnings)
    match = _DECLARATION_RE.match(data[:256])
    declared = match.group(1).decode("ascii").lower() if match else "utf-8"
    if declared in _GB_FAMILY:
        return _decode_as(data, "gb18030", warnings)
    try:
        codec = codecs.lookup(declared)
    except LookupError:
        raise LrmxError(f"不支持的文件编码“{declared}”") from None
    if codec.name == "utf-8":
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                raise LrmxError("文件既不是 UTF-8 编码也不是 GBK 编码，无法读取") from None
            warnings.append("文件声明为 UTF-8 编码，实际为 GBK 编码，已按 GBK 读取")
            return text
    return _decode_as(data, codec.name, warnings)


def _decode_as(data: bytes, encoding: str, warnings: list[str]) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise LrmxError(f"文件无法按 {encoding.upper()} 编码读取（第 {error.start} 字节）") from None


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _element_text(element: ET.Element, path: str, warnings: list[str]) -> str:
    if len(element):
        warnings.append(f"元素 <{path}> 含有子元素，只读取其中的文字")
    text = "".join(element.itertext())
    return _clean_value(text)


def _clean_value(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _children(
    parent: ET.Element, known: Iterable[str], path: str, warnings: list[str]
) -> dict[str, ET.Element]:
    known_set = set(known)
    found: dict[str, ET.Element] = {}
    for child in parent:
        tag = _local(child.tag)
        if not tag:  # comments, processing instructions
            continue
        if tag not in known_set:
            warnings.append(f"忽略未知元素 <{path}{tag}>")
        elif tag in found:
            warnings.append(f"元素 <{path}{tag}> 重复出现，只读取第一个")
        else:
            found[tag] = child
    return found


def _parse_xml(text: str) -> ET.Element:
    # The declaration names the file's encoding, which no longer applies to decoded text.
    text = _DECLARATION_TEXT_RE.sub("", text, count=1)
    try:
        root: ET.Element = SafeET.fromstring(text, forbid_dtd=True)
    except defusedxml.DTDForbidden:
        raise LrmxError("文件含有 DTD 声明（<!DOCTYPE>），为防范外部实体攻击，拒绝导入") from None
    except defusedxml.EntitiesForbidden:
        raise LrmxError("文件含有实体声明（<!ENTITY>），为防范实体扩展攻击，拒绝导入") from None
    except defusedxml.ExternalReferenceForbidden:
        raise LrmxError("文件引用了外部资源，拒绝导入") from None
    except ET.ParseError as error:
        line, column = error.position
        raise LrmxError(f"XML 格式错误，第 {line} 行第 {column + 1} 列附近：{_expat_reason(error)}") from None
    return root


_EXPAT_REASONS = {
    "no element found": "文件不完整或为空",
    "mismatched tag": "开始标签与结束标签不匹配",
    "not well-formed (invalid token)": "含有不合法的字符或标记",
    "unclosed token": "标记未闭合",
    "junk after document element": "根元素之后还有多余内容",
    "syntax error": "语法错误",
    "undefined entity": "使用了未定义的实体",
}


def _expat_reason(error: ET.ParseError) -> str:
    message = str(error).split(":", 1)[0].strip()
    return _EXPAT_REASONS.get(message, message)


def parse_lrmx(data: bytes, *, max_bytes: int = MAX_LRMX_BYTES) -> LrmxPerson:
    """Read one LRMX file. Raises :class:`LrmxError` with a Chinese message when it cannot."""
    if len(data) > max_bytes:
        raise LrmxError(f"文件过大：{_size(len(data))}，超过上限 {_size(max_bytes)}")
    if not data.strip():
        raise LrmxError("文件为空")
    warnings: list[str] = []
    root = _parse_xml(_decode(data, warnings))
    if _local(root.tag) != "Person":
        raise LrmxError(f"根元素应为 <Person>，实际为 <{_local(root.tag)}>")

    children = _children(root, ELEMENT_ORDER, "", warnings)
    values: dict[str, Any] = {}
    for tag in ELEMENT_ORDER:
        element = children.get(tag)
        if element is None:
            warnings.append(f"缺少元素 <{tag}>，按空值处理")
            continue
        if tag == "JiaTingChengYuan":
            values["family"] = _read_family(element, warnings)
            continue
        text = _element_text(element, tag, warnings)
        if tag == "RuDangShiJian":
            values["party_joined"], values["party_note"] = _parse_party(text, tag)
            continue
        attribute, reader, _ = _SIMPLE[tag]
        values[attribute] = reader(text, tag)
    person = LrmxPerson(**values)
    person.warnings = warnings
    if person.photo is not None and not person.photo.startswith(b"\xff\xd8\xff"):
        warnings.append("照片不是 JPEG 格式，官方软件可能无法显示")
    return person


def _read_family(element: ET.Element, warnings: list[str]) -> list[FamilyMember]:
    members: list[FamilyMember] = []
    for index, item in enumerate(_items(element, warnings), start=1):
        path = f"JiaTingChengYuan/Item[{index}]/"
        found = _children(item, FAMILY_ITEM_ORDER, path, warnings)
        values: dict[str, Any] = {}
        for tag, child in found.items():
            attribute, reader, _ = _FAMILY[tag]
            values[attribute] = reader(_element_text(child, path + tag, warnings), path + tag)
        member = FamilyMember(**values)
        if not member.is_empty():  # the form software pads the table with blank items
            members.append(member)
    return members


def _items(element: ET.Element, warnings: list[str]) -> Iterator[ET.Element]:
    for child in element:
        tag = _local(child.tag)
        if tag == "Item":
            yield child
        elif tag:
            warnings.append(f"忽略未知元素 <JiaTingChengYuan/{tag}>")


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MiB"
    if n >= 1024:
        return f"{n / 1024:.1f} KiB"
    return f"{n} 字节"


# --------------------------------------------------------------------------- writing


def _check_xml_chars(text: str, element: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for char in text:
        code = ord(char)
        if (code < 0x20 and char not in "\t\n") or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
            name = unicodedata.name(char, f"U+{code:04X}")
            raise LrmxError(f"含有 XML 不允许的字符 {name}", element)
    return text


def write_lrmx(person: LrmxPerson) -> bytes:
    """The LRMX file of ``person``: UTF-8 with an XML declaration, elements in the official order."""
    root = ET.Element("Person")
    for tag in ELEMENT_ORDER:
        child = ET.SubElement(root, tag)
        if tag == "JiaTingChengYuan":
            for index, member in enumerate(person.family, start=1):
                item = ET.SubElement(child, "Item")
                for item_tag in FAMILY_ITEM_ORDER:
                    attribute, _, writer = _FAMILY[item_tag]
                    path = f"JiaTingChengYuan/Item[{index}]/{item_tag}"
                    value = writer(getattr(member, attribute))
                    ET.SubElement(item, item_tag).text = _check_xml_chars(value, path)
            continue
        if tag == "RuDangShiJian":
            value = _write_party(person)
        else:
            attribute, _, writer = _SIMPLE[tag]
            value = writer(getattr(person, attribute))
        child.text = _check_xml_chars(value, tag)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode", short_empty_elements=False)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")
