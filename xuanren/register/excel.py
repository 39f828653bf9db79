"""The cadre roster and the posts as Excel workbooks (.xlsx): export, template and reading.

This module knows the file format only: columns and their Chinese headers, how a cell becomes a
value, how a value is written back. It checks each cell on its own and reports every problem by
row and column; the rules that need the database or several cells (duplicates, units that must
exist, the ID number against the birth date) are checked by the import actions in actions.py,
which report them in the same form.

Dates are written as text, ``yyyy.mm.dd`` for birth dates and ``yyyy.mm`` for the month-precision
dates of cadre forms (``yyyy.mm.dd`` when a day other than the 1st is known). Reading accepts
Excel dates, ``yyyy.mm.dd``, ``yyyy-mm-dd``, ``yyyy/mm/dd``, ``yyyy.mm``, ``yyyy年mm月dd日``,
``yyyymmdd`` and ``yyyymm``.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Final, Literal

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from xuanren.register import idnumber
from xuanren.register.choices import (
    ETHNICITIES,
    Degree,
    Education,
    Gender,
    Health,
    PoliticalStatus,
    PostRole,
    Rank,
    UnitType,
)

__all__ = [
    "MAX_XLSX_BYTES",
    "POST_COLUMNS",
    "ROSTER_COLUMNS",
    "UNIT_COLUMNS",
    "CellError",
    "Column",
    "ParsedRow",
    "ParsedSheet",
    "SpreadsheetError",
    "check_upload",
    "format_date",
    "posts_template",
    "posts_workbook",
    "read_posts",
    "read_roster",
    "roster_template",
    "roster_workbook",
]

#: Largest upload accepted, and the most a workbook may unpack to (a guard against zip bombs).
MAX_XLSX_BYTES: Final = 20 * 1024 * 1024
MAX_UNPACKED_BYTES: Final = 400 * 1024 * 1024
#: Most data rows one sheet may hold; a county roster has a few thousand.
MAX_ROWS: Final = 100_000

ROSTER_SHEET: Final = "干部名册"
UNIT_SHEET: Final = "单位及职数"
POST_SHEET: Final = "职位"
HELP_SHEET: Final = "填写说明"
OPTIONS_SHEET: Final = "选项"
EXAMPLE_MARK: Final = "示例"
#: Rows of the template that carry dropdowns and text formatting.
TEMPLATE_ROWS: Final = 2000

Kind = Literal["text", "id", "date", "choice", "ethnicity", "count", "seq"]


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read; the message says why, in Chinese."""


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a sheet: the model field it fills, its header and how its cells read."""

    field: str
    header: str
    kind: Kind = "text"
    required: bool = False
    max_length: int | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, Chinese label)
    aliases: tuple[str, ...] = ()  # other headers accepted on import
    note: str = ""  # shown on the instructions sheet
    width: int = 12
    export_only: bool = False  # written on export, ignored on import

    def labels(self) -> list[str]:
        if self.kind == "ethnicity":
            return list(ETHNICITIES)
        return [label for value, label in self.choices if value]


@dataclass(frozen=True, slots=True, order=True)
class CellError:
    """One problem found in a file: sheet, Excel row number (0: the file), column header, message."""

    row: int
    column_index: int
    sheet: str = ""
    column: str = ""
    message: str = ""

    def __str__(self) -> str:
        where = f"「{self.sheet}」表" if self.sheet else ""
        if self.row:
            where += f"第 {self.row} 行"
        if self.column:
            where += f"「{self.column}」"
        return f"{where}：{self.message}" if where else self.message


@dataclass(slots=True)
class ParsedRow:
    """The values of one data row, by field; ``failed`` names the fields whose cells were wrong."""

    row: int
    values: dict[str, Any]
    failed: set[str] = field(default_factory=set)
    month_only: set[str] = field(default_factory=set)  # dates given only as year and month


@dataclass(slots=True)
class ParsedSheet:
    sheet: str
    columns: tuple[Column, ...]
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)

    def error(self, row: int, field_name: str, message: str) -> CellError:
        """Record a problem of ``field_name`` in ``row`` (used by the actions' cross-cell checks too)."""
        index = next((i for i, c in enumerate(self.columns) if c.field == field_name), len(self.columns))
        header = self.columns[index].header if index < len(self.columns) else ""
        error = CellError(row, index, self.sheet, header, message)
        self.errors.append(error)
        return error


# --------------------------------------------------------------------------- columns

_DEGREE_CHOICES = tuple((v, label) for v, label in Degree.choices if v)

_SEQ: Final = Column("seq", "序号", "seq", note=f"可不填；填“{EXAMPLE_MARK}”的行不导入", width=6)

ROSTER_COLUMNS: Final[tuple[Column, ...]] = (
    _SEQ,
    Column("name", "姓名", required=True, max_length=32, width=10),
    Column("gender", "性别", "choice", required=True, choices=tuple(Gender.choices), width=6),
    Column("ethnicity", "民族", "ethnicity", required=True, width=8),
    Column(
        "birth_date",
        "出生日期",
        "date",
        aliases=("出生年月",),
        note="可只填年月或不填，以公民身份号码中的出生日期为准；填写的须与之一致",
        width=12,
    ),
    Column("native_place", "籍贯", max_length=64, width=12),
    Column("birthplace", "出生地", max_length=64, width=12),
    Column(
        "id_number",
        "公民身份号码",
        "id",
        required=True,
        aliases=("身份证号", "身份证号码", "身份证"),
        note="18 位，末位校验码按 GB 11643 核验；请将本列设为文本格式，以免 Excel 把号码变成科学计数",
        width=21,
    ),
    Column("political_status", "政治面貌", "choice", required=True, choices=tuple(PoliticalStatus.choices)),
    Column("party_join_date", "入党时间", "date", note="政治面貌为中共党员、中共预备党员的必须填写"),
    Column("work_start_date", "参加工作时间", "date", required=True),
    Column("health", "健康状况", "choice", choices=tuple(Health.choices), note="不填按“健康”", width=9),
    Column("professional_title", "专业技术职务", max_length=64),
    Column("specialty", "熟悉专业有何专长", max_length=128, width=16),
    Column("fulltime_education", "全日制学历", "choice", choices=tuple(Education.choices)),
    Column("fulltime_degree", "全日制学位", "choice", choices=_DEGREE_CHOICES),
    Column("fulltime_school", "全日制毕业院校系及专业", max_length=128, width=24),
    Column("inservice_education", "在职学历", "choice", choices=tuple(Education.choices)),
    Column("inservice_degree", "在职学位", "choice", choices=_DEGREE_CHOICES),
    Column("inservice_school", "在职毕业院校系及专业", max_length=128, width=24),
    Column("unit", "工作单位", max_length=100, note="须为本辖区已有单位的全称（可先导入职位表）", width=20),
    Column("current_title", "现任职务", max_length=128, width=20),
    Column("current_rank", "现职级", "choice", choices=tuple(Rank.choices), width=9),
    Column("post_since", "任现职时间", "date"),
    Column("rank_since", "任现职级时间", "date"),
)

# Month-precision dates are written yyyy.mm; birth dates always with the day.
_FULL_DATE_FIELDS: Final = frozenset({"birth_date"})

UNIT_COLUMNS: Final[tuple[Column, ...]] = (
    _SEQ,
    Column("name", "单位名称", required=True, max_length=100, aliases=("单位",), width=24),
    Column("unit_type", "单位类型", "choice", required=True, choices=tuple(UnitType.choices), width=16),
    Column("parent", "上级单位", max_length=100, note="可不填；填写的须为本表或系统中已有的单位", width=20),
    *(
        Column(
            f"quota_{value}",
            f"{label}职数",
            "count",
            note="核定领导职数，不填或填 0 表示未核定",
            width=10,
        )
        for value, label in Rank.choices
    ),
)

POST_COLUMNS: Final[tuple[Column, ...]] = (
    _SEQ,
    Column("unit", "单位名称", required=True, max_length=100, aliases=("单位",), width=24),
    Column("title", "职务名称", required=True, max_length=100, aliases=("职位", "职务"), width=24),
    Column("rank", "职级", "choice", required=True, choices=tuple(Rank.choices), width=10),
    Column("role", "职务类别", "choice", choices=tuple(PostRole.choices), note="不填按“副职”", width=16),
    Column("holder", "现任（仅导出）", export_only=True, width=10),
    Column("holder_since", "任职时间（仅导出）", export_only=True, width=12),
)

# Other spellings accepted in enumeration cells, beyond the label and the stored value.
_CHOICE_ALIASES: Final[dict[str, str]] = {
    "大学": Education.BACHELOR,
    "本科": Education.BACHELOR,
    "大学本科": Education.BACHELOR,
    "研究生": Education.MASTER,
    "硕士": Education.MASTER,
    "博士": Education.DOCTOR,
    "专科": Education.JUNIOR_COLLEGE,
    "大学专科": Education.JUNIOR_COLLEGE,
    "党员": PoliticalStatus.CPC,
    "中共党员": PoliticalStatus.CPC,
    "预备党员": PoliticalStatus.CPC_PROBATIONARY,
    "团员": PoliticalStatus.LEAGUE,
    "共青团员": PoliticalStatus.LEAGUE,
}


# --------------------------------------------------------------------------- reading cells


def _choice_lookup(column: Column) -> dict[str, str]:
    lookup: dict[str, str] = {}
    allowed = {value for value, _ in column.choices}
    for alias, value in _CHOICE_ALIASES.items():
        if value in allowed:
            lookup[alias] = value
    for value, label in column.choices:
        if value:
            lookup[value] = value
        lookup[label] = value
        if label.endswith("级"):
            lookup[label[:-1]] = value  # 正科 for 正科级
    if column.field.endswith("degree"):
        lookup["无"] = ""
    return lookup


_DATE_TEXT_RE: Final = re.compile(r"^(\d{4})\.(\d{1,2})(?:\.(\d{1,2}))?$")
_DATE_DIGITS_RE: Final = re.compile(r"^(\d{4})(\d{2})(\d{2})?$")


class _CellProblem(ValueError):
    pass


def _parse_date_text(text: str) -> tuple[date, bool]:
    """``(date, month_only)`` from the text forms a person types; raises _CellProblem."""
    norm = unicodedata.normalize("NFKC", text).strip()
    norm = norm.replace("年", ".").replace("月", ".").replace("日", "")
    norm = re.sub(r"\s*[./\-]\s*", ".", norm).rstrip(".")
    match = _DATE_TEXT_RE.match(norm) or _DATE_DIGITS_RE.match(norm)
    if match is None:
        raise _CellProblem(f"无法识别的日期“{text}”，应为 yyyy.mm.dd、yyyy-mm-dd 或 yyyy.mm")
    year, month = int(match[1]), int(match[2])
    day = int(match[3]) if match[3] else None
    try:
        return date(year, month, day or 1), day is None
    except ValueError:
        raise _CellProblem(f"日期“{text}”不存在") from None


def _parse_date_cell(value: Any) -> tuple[date, bool]:
    if isinstance(value, datetime):
        return value.date(), False
    if isinstance(value, date):
        return value, False
    if isinstance(value, bool):
        raise _CellProblem(f"无法识别的日期“{value}”")
    if isinstance(value, int):
        return _parse_date_text(str(value))
    if isinstance(value, float):
        text = repr(value)
        whole, _, fraction = text.partition(".")
        if value.is_integer():
            return _parse_date_text(whole)
        if len(fraction) == 1 and len(whole) == 4:
            # Excel keeps 1985.10 as the number 1985.1, the same as 1985.1 (January).
            raise _CellProblem(
                f"数值 {text} 无法区分 {fraction} 月和 {fraction}0 月，"
                "请将单元格设为文本格式后填写，如 1985.01 或 1985.10"
            )
        return _parse_date_text(text)
    return _parse_date_text(str(value))


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return format_date(value.date(), full=True)
    if isinstance(value, date):
        return format_date(value, full=True)
    return str(value).strip()


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _id_message(error: idnumber.IdNumberError) -> str:
    """idnumber's messages start with the field name, which the column header already says."""
    message = str(error).replace("：应为", "，应为")
    if message.startswith("身份证号") and not message.startswith("身份证号中的"):
        message = message[len("身份证号") :]
    return message


def _read_cell(column: Column, value: Any, lookup: dict[str, str], today: date) -> tuple[Any, bool]:
    """The field value of one non-blank cell and whether it is month-only; raises _CellProblem."""
    kind = column.kind
    if kind in ("text", "seq"):
        text = _text(value)
        if column.max_length and len(text) > column.max_length:
            raise _CellProblem(f"不能超过 {column.max_length} 个字（现为 {len(text)} 个）")
        return text, False
    if kind == "id":
        if isinstance(value, int | float):
            raise _CellProblem("号码被 Excel 存成了数字，后几位可能已经丢失；请将本列设为文本格式后重新填写")
        try:
            return idnumber.validate(str(value), today=today), False
        except idnumber.IdNumberError as error:
            raise _CellProblem(_id_message(error)) from None
    if kind == "date":
        day, month_only = _parse_date_cell(value)
        if day.year < 1900:
            raise _CellProblem(f"日期“{_text(value)}”早于 1900 年")
        if day > today:
            raise _CellProblem(f"日期“{_text(value)}”晚于今天")
        return day, month_only
    if kind == "choice":
        text = _text(value)
        if text in lookup:
            return lookup[text], False
        if column.field.endswith("degree"):
            # 法学学士, 工学硕士, 管理学博士: the discipline does not change the level.
            for choice_value, label in column.choices:
                if text.endswith(label):
                    return choice_value, False
        raise _CellProblem(f"“{text}”不是可选值，应为{'、'.join(column.labels())}之一")
    if kind == "ethnicity":
        text = _text(value)
        if text in ETHNICITIES:
            return text, False
        if text + "族" in ETHNICITIES:
            return text + "族", False
        raise _CellProblem(f"“{text}”不是 56 个民族的规范名称（如“汉族”“回族”）")
    if kind == "count":
        if isinstance(value, bool):
            raise _CellProblem(f"“{value}”不是整数")
        if isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        else:
            text = unicodedata.normalize("NFKC", _text(value))
            if not text.isdigit():
                raise _CellProblem(f"“{_text(value)}”不是非负整数")
            number = int(text)
        if number < 0 or number > 999:
            raise _CellProblem(f"“{number}”应在 0 到 999 之间")
        return number, False
    raise AssertionError(kind)


# --------------------------------------------------------------------------- reading files


def check_upload(file_name: str, size: int) -> None:
    """Refuse a file by its name and size before reading it."""
    if not file_name.lower().endswith(".xlsx"):
        raise SpreadsheetError(
            f"只能导入 .xlsx 格式的 Excel 文件，“{file_name}”不是；如为 .xls 或 WPS 表格，请先另存为 .xlsx"
        )
    if size > MAX_XLSX_BYTES:
        raise SpreadsheetError(
            f"文件过大（{size / 1024 / 1024:.1f} MiB），不能超过 {MAX_XLSX_BYTES // 1024 // 1024} MiB"
        )
    if size == 0:
        raise SpreadsheetError("文件为空")


def _open(content: bytes) -> Any:
    if len(content) > MAX_XLSX_BYTES:
        check_upload("x.xlsx", len(content))
    if not content.startswith(b"PK\x03\x04"):
        raise SpreadsheetError(
            "文件不是 .xlsx 格式（Excel 2007 及以上版本）；如为 .xls 文件，请先另存为 .xlsx"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise SpreadsheetError("文件已损坏，无法作为 .xlsx 读取") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise SpreadsheetError("文件解压后过大，拒绝导入")
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken package
        raise SpreadsheetError("文件已损坏或不是有效的 .xlsx 文件，无法读取") from None


def _header_map(
    header: Sequence[Any], columns: Sequence[Column], sheet: ParsedSheet
) -> dict[int, Column] | None:
    by_name: dict[str, Column] = {}
    for column in columns:
        for name in (column.header, *column.aliases):
            by_name[name] = column
    found: dict[int, Column] = {}
    seen: dict[str, int] = {}
    for index, raw in enumerate(header):
        name = _text(raw).strip("*＊ ") if raw is not None else ""
        if not name:
            continue
        found_column = by_name.get(name)
        if found_column is None:
            sheet.ignored_headers.append(name)
            continue
        column = found_column
        if column.field in seen:
            sheet.errors.append(
                CellError(1, index, sheet.sheet, name, f"与第 {seen[column.field] + 1} 列重复，请只保留一列")
            )
            continue
        seen[column.field] = index
        if not column.export_only:
            found[index] = column
    missing = [c.header for c in columns if c.required and c.field not in seen]
    if missing:
        sheet.errors.append(
            CellError(1, 0, sheet.sheet, "", f"缺少必填列：{'、'.join(f'「{m}」' for m in missing)}")
        )
        return None
    return found


def _read_sheet(ws: Any, name: str, columns: Sequence[Column], today: date) -> ParsedSheet:
    sheet = ParsedSheet(name, tuple(columns))
    rows: Iterator[tuple[Any, ...]] = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        sheet.errors.append(CellError(0, 0, name, "", "工作表是空的，第 1 行应为列名"))
        return sheet
    mapping = _header_map(header, columns, sheet)
    if mapping is None:
        return sheet
    lookups = {i: _choice_lookup(c) for i, c in mapping.items() if c.kind == "choice"}
    index_of = {c.field: i for i, c in enumerate(columns)}
    for row_number, cells in enumerate(rows, start=2):
        if all(_is_blank(v) for v in cells):
            continue
        if len(sheet.rows) >= MAX_ROWS:
            sheet.errors.append(CellError(row_number, 0, name, "", f"数据超过 {MAX_ROWS} 行，请分批导入"))
            break
        parsed = ParsedRow(row_number, {})
        for index, column in mapping.items():
            value = cells[index] if index < len(cells) else None
            if _is_blank(value):
                if column.required:
                    parsed.failed.add(column.field)
                    sheet.errors.append(
                        CellError(row_number, index_of[column.field], name, column.header, "必须填写")
                    )
                continue
            try:
                parsed.values[column.field], month_only = _read_cell(
                    column, value, lookups.get(index, {}), today
                )
            except _CellProblem as problem:
                parsed.failed.add(column.field)
                sheet.errors.append(
                    CellError(row_number, index_of[column.field], name, column.header, str(problem))
                )
                continue
            if month_only:
                parsed.month_only.add(column.field)
        if parsed.values.get("seq") == EXAMPLE_MARK:
            # The template's example row: drop it and whatever it reported.
            sheet.errors = [e for e in sheet.errors if e.row != row_number]
            continue
        sheet.rows.append(parsed)
    return sheet


def _pick_sheet(wb: Any, wanted: str) -> Any:
    if wanted in wb.sheetnames:
        return wb[wanted]
    candidates = [n for n in wb.sheetnames if n not in (HELP_SHEET, OPTIONS_SHEET)]
    return wb[candidates[0]] if len(candidates) == 1 else None


def read_roster(content: bytes, *, today: date) -> ParsedSheet:
    """Read every row of a roster workbook; cell problems are in ``.errors``."""
    wb = _open(content)
    try:
        ws = _pick_sheet(wb, ROSTER_SHEET)
        if ws is None:
            raise SpreadsheetError(f"找不到工作表「{ROSTER_SHEET}」，请使用下载的模板")
        sheet = _read_sheet(ws, ROSTER_SHEET, ROSTER_COLUMNS, today)
    finally:
        wb.close()
    if not sheet.rows and not sheet.errors:
        sheet.errors.append(CellError(0, 0, ROSTER_SHEET, "", "没有可导入的数据行"))
    sheet.errors.sort()
    return sheet


def read_posts(content: bytes, *, today: date) -> tuple[ParsedSheet, ParsedSheet]:
    """Read the units-and-headcount sheet and the posts sheet of a posts workbook."""
    wb = _open(content)
    try:
        if UNIT_SHEET not in wb.sheetnames and POST_SHEET not in wb.sheetnames:
            raise SpreadsheetError(f"找不到工作表「{UNIT_SHEET}」或「{POST_SHEET}」，请使用下载的模板")
        units = (
            _read_sheet(wb[UNIT_SHEET], UNIT_SHEET, UNIT_COLUMNS, today)
            if UNIT_SHEET in wb.sheetnames
            else ParsedSheet(UNIT_SHEET, UNIT_COLUMNS)
        )
        posts = (
            _read_sheet(wb[POST_SHEET], POST_SHEET, POST_COLUMNS, today)
            if POST_SHEET in wb.sheetnames
            else ParsedSheet(POST_SHEET, POST_COLUMNS)
        )
    finally:
        wb.close()
    if not units.rows and not posts.rows and not units.errors and not posts.errors:
        posts.errors.append(CellError(0, 0, "", "", "没有可导入的数据行"))
    units.errors.sort()
    posts.errors.sort()
    return units, posts


# --------------------------------------------------------------------------- writing


def format_date(value: date | None, *, full: bool = False) -> str:
    """``1985.06.15``; month-precision dates on the 1st as ``1985.06`` unless ``full``."""
    if value is None:
        return ""
    if full or value.day != 1:
        return f"{value.year:04d}.{value.month:02d}.{value.day:02d}"
    return f"{value.year:04d}.{value.month:02d}"


_HEADER_FONT = Font(bold=True)
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE8E6")
_HEADER_FILL = PatternFill("solid", fgColor="F0F0F3")
_EXAMPLE_FONT = Font(color="808080", italic=True)


def _choice_label(column: Column, value: str) -> str:
    if column.kind != "choice" or not value:
        return value
    return dict(column.choices).get(value, value)


class _Book:
    """A write-only workbook: sheets with headers, dropdowns from an options sheet, text columns."""

    def __init__(self) -> None:
        self.wb = Workbook(write_only=True)
        self._options: list[tuple[str, list[str]]] = []

    def sheet(self, title: str, columns: Sequence[Column], rows_with_dropdowns: int) -> Any:
        ws = self.wb.create_sheet(title)
        for i, column in enumerate(columns, start=1):
            letter = get_column_letter(i)
            ws.column_dimensions[letter].width = column.width
            if column.kind in ("text", "id", "date", "seq"):
                ws.column_dimensions[letter].number_format = "@"
        ws.freeze_panes = "A2"
        header = []
        for column in columns:
            cell = WriteOnlyCell(ws, value=column.header)
            cell.font = _HEADER_FONT
            cell.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
            header.append(cell)
        ws.append(header)
        for i, column in enumerate(columns, start=1):
            labels = column.labels()
            if labels:
                self._validate(ws, i, labels, rows_with_dropdowns, column, strict=True)
        return ws

    def list_validation(
        self, ws: Any, column_index: int, labels: list[str], rows: int, column: Column
    ) -> None:
        self._validate(ws, column_index, labels, rows, column, strict=False)

    def _validate(
        self, ws: Any, column_index: int, labels: list[str], rows: int, column: Column, *, strict: bool
    ) -> None:
        if not labels or rows < 1:
            return
        option_col = get_column_letter(len(self._options) + 1)
        self._options.append((column.header, labels))
        dv = DataValidation(
            type="list",
            formula1=f"'{OPTIONS_SHEET}'!${option_col}$2:${option_col}${len(labels) + 1}",
            allow_blank=True,
            showDropDown=False,  # openpyxl's name is inverted: False shows the arrow
            showErrorMessage=True,
            errorStyle="stop" if strict else "warning",
            errorTitle="不是可选值",
            error=f"「{column.header}」请从下拉列表中选择",
        )
        letter = get_column_letter(column_index)
        dv.add(f"{letter}2:{letter}{rows + 1}")
        ws.data_validations.append(dv)

    def help_sheet(self, title: str, lines: Sequence[str], columns: Sequence[Column]) -> None:
        ws = self.wb.create_sheet(HELP_SHEET)
        ws.column_dimensions["A"].width = 24
        ws.column_dimensions["B"].width = 10
        ws.column_dimensions["C"].width = 70
        ws.column_dimensions["D"].width = 60
        heading = WriteOnlyCell(ws, value=title)
        heading.font = Font(bold=True, size=14)
        ws.append([heading])
        for line in lines:
            ws.append([line])
        ws.append([])
        head = []
        for text in ("列名", "是否必填", "填写要求", "可选值"):
            cell = WriteOnlyCell(ws, value=text)
            cell.font = _HEADER_FONT
            cell.fill = _HEADER_FILL
            head.append(cell)
        ws.append(head)
        wrap = Alignment(wrap_text=True, vertical="top")
        for column in columns:
            labels = column.labels()
            values = [
                column.header,
                "必填" if column.required else "",
                _column_help(column),
                "、".join(labels) if column.kind == "choice" else ("56 个民族的规范名称" if labels else ""),
            ]
            row = []
            for value in values:
                cell = WriteOnlyCell(ws, value=value)
                cell.alignment = wrap
                row.append(cell)
            ws.append(row)

    def save(self) -> bytes:
        ws = self.wb.create_sheet(OPTIONS_SHEET)
        ws.sheet_state = "hidden"
        ws.append([header for header, _ in self._options])
        longest = max((len(labels) for _, labels in self._options), default=0)
        for i in range(longest):
            ws.append([labels[i] if i < len(labels) else None for _, labels in self._options])
        out = io.BytesIO()
        self.wb.save(out)
        return out.getvalue()


def _column_help(column: Column) -> str:
    parts: list[str] = []
    if column.kind == "date":
        parts.append("日期，如 1985.06.15、1985-06-15 或 1985.06")
    elif column.kind == "choice":
        parts.append("从下拉列表中选择")
    elif column.kind == "count":
        parts.append("非负整数")
    elif column.max_length:
        parts.append(f"不超过 {column.max_length} 个字")
    if column.note:
        parts.append(column.note)
    return "；".join(parts)


_GENERAL_HELP: Final = (
    "1. 第 1 行为列名，请勿修改、删除；各列顺序可以调整，不需要的非必填列可以删除。",
    "2. 红色底纹的列为必填列。",
    "3. 日期可写为 1985.06.15、1985-06-15 或 1985.06（只知年月时）；请勿写成 1985.6.15 以外的其他格式。",
    "4. 公民身份号码、日期等列已设为文本格式；从其他表格粘贴时请选择“只粘贴值”。",
    f"5. 序号填“{EXAMPLE_MARK}”的行是填写示例，导入时跳过，可以删除。",
    "6. 导入时逐行逐列检查，任何一处有错都不保存，并列出全部错误的行号和列名，改正后重新导入即可。",
)


def _roster_values(cadre: Any, mask_ids: bool) -> list[str]:
    values: list[str] = []
    for column in ROSTER_COLUMNS:
        name = column.field
        if name == "seq":
            continue
        if name == "unit":
            values.append(cadre.unit.name if cadre.unit_id else "")
        elif name == "id_number":
            values.append(idnumber.mask(cadre.id_number) if mask_ids else cadre.id_number)
        elif column.kind == "date":
            values.append(format_date(getattr(cadre, name), full=name in _FULL_DATE_FIELDS))
        else:
            values.append(_choice_label(column, getattr(cadre, name) or ""))
    return values


def roster_workbook(cadres: Iterable[Any], *, mask_ids: bool, unit_names: Sequence[str] = ()) -> bytes:
    """The roster of ``cadres`` (with ``unit`` selected), laid out as the import template."""
    book = _Book()
    ws = book.sheet(ROSTER_SHEET, ROSTER_COLUMNS, TEMPLATE_ROWS)
    if unit_names:
        book.list_validation(
            ws,
            _index("unit", ROSTER_COLUMNS),
            list(unit_names),
            TEMPLATE_ROWS,
            _column("unit", ROSTER_COLUMNS),
        )
    for number, cadre in enumerate(cadres, start=1):
        ws.append([str(number), *_roster_values(cadre, mask_ids)])
    return book.save()


_ROSTER_EXAMPLE: Final = {
    "seq": EXAMPLE_MARK,
    "name": "张三",
    "gender": "男",
    "ethnicity": "汉族",
    "birth_date": "1985.06.15",
    "native_place": "甘肃临泽",
    "birthplace": "甘肃临泽",
    "id_number": idnumber.make_id("620723", date(1985, 6, 15), 11),
    "political_status": "中共党员",
    "party_join_date": "2006.06",
    "work_start_date": "2007.07",
    "health": "健康",
    "professional_title": "",
    "specialty": "农村经济管理",
    "fulltime_education": "大学本科",
    "fulltime_degree": "学士",
    "fulltime_school": "甘肃农业大学农学专业",
    "inservice_education": "",
    "inservice_degree": "",
    "inservice_school": "",
    "unit": "沙河镇",
    "current_title": "党委副书记",
    "current_rank": "副科级",
    "post_since": "2021.06",
    "rank_since": "2018.03",
}


def _example_row(ws: Any, columns: Sequence[Column], example: dict[str, str]) -> list[Any]:
    row = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=example.get(column.field, ""))
        cell.font = _EXAMPLE_FONT
        row.append(cell)
    return row


def roster_template(unit_names: Sequence[str] = ()) -> bytes:
    """An empty roster with dropdowns, one example row and an instructions sheet."""
    book = _Book()
    ws = book.sheet(ROSTER_SHEET, ROSTER_COLUMNS, TEMPLATE_ROWS)
    if unit_names:
        book.list_validation(
            ws,
            _index("unit", ROSTER_COLUMNS),
            list(unit_names),
            TEMPLATE_ROWS,
            _column("unit", ROSTER_COLUMNS),
        )
    ws.append(_example_row(ws, ROSTER_COLUMNS, _ROSTER_EXAMPLE))
    book.help_sheet("干部名册导入说明", _GENERAL_HELP, ROSTER_COLUMNS)
    return book.save()


@dataclass(frozen=True, slots=True)
class UnitLine:
    name: str
    unit_type: str
    parent: str
    quotas: dict[str, int]


@dataclass(frozen=True, slots=True)
class PostLine:
    unit: str
    title: str
    rank: str
    role: str
    holder: str = ""
    holder_since: date | None = None


def _unit_values(number: int, line: UnitLine) -> list[Any]:
    values: list[Any] = [str(number), line.name, _choice_label(UNIT_COLUMNS[2], line.unit_type), line.parent]
    values.extend(line.quotas.get(rank) or None for rank, _ in Rank.choices)
    return values


def _post_values(number: int, line: PostLine) -> list[Any]:
    return [
        str(number),
        line.unit,
        line.title,
        _choice_label(POST_COLUMNS[3], line.rank),
        _choice_label(POST_COLUMNS[4], line.role),
        line.holder or ("（空缺）" if line.holder_since is None else ""),
        format_date(line.holder_since),
    ]


def posts_workbook(units: Iterable[UnitLine], posts: Iterable[PostLine]) -> bytes:
    """Units with their approved headcount, and posts with their current holder."""
    book = _Book()
    ws = book.sheet(UNIT_SHEET, UNIT_COLUMNS, TEMPLATE_ROWS)
    for number, line in enumerate(units, start=1):
        ws.append(_unit_values(number, line))
    ws = book.sheet(POST_SHEET, POST_COLUMNS, TEMPLATE_ROWS)
    for number, post in enumerate(posts, start=1):
        ws.append(_post_values(number, post))
    return book.save()


_POSTS_HELP: Final = (
    f"1. 「{UNIT_SHEET}」表每行一个单位及其各职级核定领导职数；「{POST_SHEET}」表每行一个职位。",
    "2. 单位按名称对应：系统中已有的单位更新类型、上级单位和职数，没有的新建；职位按“单位名称+职务名称”对应。",
    "3. 职数单元格不填或填 0 表示该职级未核定职数；导入后该单位的职数以本表为准。",
    "4. 职位的在任、空缺情况由任职记录自动计算，不需要填写；标有“仅导出”的列导入时忽略。",
    f"5. 序号填“{EXAMPLE_MARK}”的行是填写示例，导入时跳过，可以删除。",
    "6. 任何一处有错都不保存，并列出全部错误的表名、行号和列名。",
)


def posts_template() -> bytes:
    """An empty posts workbook with dropdowns, example rows and an instructions sheet."""
    book = _Book()
    seq_units = tuple(c for c in UNIT_COLUMNS if not c.export_only)
    seq_posts = tuple(c for c in POST_COLUMNS if not c.export_only)
    ws = book.sheet(UNIT_SHEET, seq_units, TEMPLATE_ROWS)
    ws.append(
        _example_row(
            ws,
            seq_units,
            {
                "seq": EXAMPLE_MARK,
                "name": "沙河镇",
                "unit_type": UnitType.TOWN.label,
                "quota_zhengke": "2",
                "quota_fuke": "6",
            },
        )
    )
    ws = book.sheet(POST_SHEET, seq_posts, TEMPLATE_ROWS)
    ws.append(
        _example_row(
            ws,
            seq_posts,
            {
                "seq": EXAMPLE_MARK,
                "unit": "沙河镇",
                "title": "党委书记",
                "rank": Rank.ZHENGKE.label,
                "role": PostRole.PARTY_HEAD.label,
            },
        )
    )
    book.help_sheet("单位职数与职位导入说明", _POSTS_HELP, [*seq_units, *seq_posts[1:]])
    return book.save()


def _index(field_name: str, columns: Sequence[Column]) -> int:
    return next(i for i, c in enumerate(columns, start=1) if c.field == field_name)


def _column(field_name: str, columns: Sequence[Column]) -> Column:
    return next(c for c in columns if c.field == field_name)


# Read-only sheets for tests and tools that want the cells back as text.
def sheet_rows(content: bytes, sheet: str) -> list[list[Any]]:
    """All rows of one sheet as lists of cell values (header included)."""
    wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        ws: Worksheet = wb[sheet]
        return [list(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
