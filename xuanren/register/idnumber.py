"""Citizen ID numbers (公民身份号码) as defined by GB 11643-1999.

An ID number has 18 characters::

    620723 19780415 123 X
    |      |        |   check character, ISO 7064 MOD 11-2 over the first 17 digits
    |      |        sequence code; odd for men, even for women
    |      birth date, YYYYMMDD
    region code (GB/T 2260) where the number was first issued

Region codes are checked only by their shape (a valid province-level prefix): a county code is
kept for life even after the county is merged or renamed, so checking against today's GB/T 2260
list would reject real people.

Plain Python: no Django, no clock. Pass ``today`` to refuse birth dates in the future.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Literal

__all__ = [
    "PROVINCE_CODES",
    "IdNumber",
    "IdNumberError",
    "check_character",
    "is_valid",
    "make_id",
    "mask",
    "normalize",
    "parse",
    "upgrade_15",
    "validate",
]

Gender = Literal["男", "女"]

#: Province-level prefixes of GB/T 2260, plus 81/82/83 used by the residence permits of
#: Hong Kong, Macao and Taiwan residents (港澳台居民居住证, GB 11643 numbering).
PROVINCE_CODES: frozenset[str] = frozenset(
    {
        "11", "12", "13", "14", "15",
        "21", "22", "23",
        "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46",
        "50", "51", "52", "53", "54",
        "61", "62", "63", "64", "65",
        "71", "81", "82", "83",
    }
)  # fmt: skip

# ISO 7064 MOD 11-2: weight of position i (1-based from the left) is 2**(18 - i) mod 11.
_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_CHECK_CHARS = "10X98765432"  # indexed by (weighted sum mod 11)

_EARLIEST_BIRTH = date(1900, 1, 1)
_MASK_KEEP_HEAD = 6
_MASK_KEEP_TAIL = 4


class IdNumberError(ValueError):
    """An ID number is malformed; ``str(error)`` says exactly what is wrong, in Chinese."""


@dataclass(frozen=True, slots=True)
class IdNumber:
    """A valid 18-character ID number and what it encodes."""

    number: str
    region: str
    birth_date: date
    sequence: str

    @property
    def is_male(self) -> bool:
        return int(self.sequence[-1]) % 2 == 1

    @property
    def gender(self) -> Gender:
        return "男" if self.is_male else "女"

    def masked(self) -> str:
        return mask(self.number)


def normalize(raw: str) -> str:
    """Trim blanks, turn full-width digits and 'Ｘ' into ASCII and a lower-case 'x' into 'X'.

    Numbers pasted from Word or typed with a Chinese input method often carry full-width
    characters; they are the same number.
    """
    return unicodedata.normalize("NFKC", raw).strip().upper()


def check_character(first17: str) -> str:
    """The check character (``0``-``9`` or ``X``) for the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise IdNumberError("计算校验位需要17位数字")
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def parse(raw: str, *, today: date | None = None) -> IdNumber:
    """Check an ID number completely and return its parts.

    Raises :class:`IdNumberError` naming the first problem found, in the order length,
    characters, region, birth date, check character.
    """
    number = normalize(raw)
    if not number:
        raise IdNumberError("身份证号为空")
    if len(number) != 18:
        hint = "（15位旧号码请先升级为18位）" if len(number) == 15 else ""
        raise IdNumberError(f"身份证号应为18位，实际为{len(number)}位{hint}")
    for position, char in enumerate(number[:17], start=1):
        if not ("0" <= char <= "9"):
            raise IdNumberError(f"身份证号第{position}位应为数字，实际为“{char}”")
    last = number[17]
    if not ("0" <= last <= "9" or last == "X"):
        raise IdNumberError(f"身份证号第18位（校验位）应为数字或X，实际为“{last}”")

    region = number[:6]
    if region[:2] not in PROVINCE_CODES:
        raise IdNumberError(f"身份证号前两位“{region[:2]}”不是有效的省级行政区划代码")

    birth_text = number[6:14]
    try:
        birth = date(int(birth_text[:4]), int(birth_text[4:6]), int(birth_text[6:]))
    except ValueError:
        raise IdNumberError(f"身份证号中的出生日期“{birth_text}”不是有效日期") from None
    if birth < _EARLIEST_BIRTH:
        raise IdNumberError(f"身份证号中的出生日期“{birth_text}”早于1900年")
    if today is not None and birth > today:
        raise IdNumberError(f"身份证号中的出生日期“{birth_text}”晚于今天")

    expected = check_character(number[:17])
    if last != expected:
        raise IdNumberError(f"身份证号校验位错误：应为 {expected}")
    return IdNumber(number=number, region=region, birth_date=birth, sequence=number[14:17])


def validate(raw: str, *, today: date | None = None) -> str:
    """Return the normalized number, or raise :class:`IdNumberError`."""
    return parse(raw, today=today).number


def is_valid(raw: str, *, today: date | None = None) -> bool:
    try:
        parse(raw, today=today)
    except IdNumberError:
        return False
    return True


def mask(raw: str) -> str:
    """Hide the birth date and sequence from roles that may not see the number.

    Keeps the first 6 and the last 4 characters: ``620723********123X``. Anything too short
    to keep both ends is hidden completely, so a malformed number never leaks either.
    """
    number = normalize(raw)
    if len(number) <= _MASK_KEEP_HEAD + _MASK_KEEP_TAIL:
        return "*" * len(number)
    hidden = len(number) - _MASK_KEEP_HEAD - _MASK_KEEP_TAIL
    return number[:_MASK_KEEP_HEAD] + "*" * hidden + number[-_MASK_KEEP_TAIL:]


def make_id(region: str, birth: date, seq: int) -> str:
    """Build a valid ID number: region code, birth date, sequence code 0-999, check character.

    The sequence decides the gender (odd: male). Used by the demo data generator.
    """
    if len(region) != 6 or not region.isascii() or not region.isdigit():
        raise IdNumberError(f"行政区划代码应为6位数字，实际为“{region}”")
    if region[:2] not in PROVINCE_CODES:
        raise IdNumberError(f"行政区划代码前两位“{region[:2]}”不是有效的省级行政区划代码")
    if not 0 <= seq <= 999:
        raise IdNumberError(f"顺序码应在0到999之间，实际为{seq}")
    if birth < _EARLIEST_BIRTH or birth.year > 9999:
        raise IdNumberError(f"出生日期{birth.isoformat()}超出范围")
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_character(first17)


def upgrade_15(raw: str) -> str:
    """Turn a 15-digit number of GB 11643-1989 (YYMMDD, no check) into its 18-character form.

    Old numbers were issued only to people born in the 1900s, hence the "19" century.
    """
    number = normalize(raw)
    if len(number) != 15 or not number.isascii() or not number.isdigit():
        raise IdNumberError(f"15位旧身份证号应为15位数字，实际为“{number}”")
    first17 = number[:6] + "19" + number[6:]
    upgraded = first17 + check_character(first17)
    parse(upgraded)
    return upgraded
