"""Pinyin search keys for Chinese personal names.

A cadre list is searched by full pinyin (``zhangsanfeng``) and by initials (``zsf``). Names need
more care than ordinary text: many surnames are read differently from the same character in a
word (曾 zeng, not ceng; 单 shan, not dan; 解 xie, not jie), and some surnames are two characters
(尉迟 yuchi, 万俟 moqi, 长孙 zhangsun).

pypinyin reads the given name. It has no surname mode (python-pinyin issue #120 is still open),
so surnames whose name reading differs from pypinyin's default are kept in the tables below.
Where a surname has two readings in real use (乐 yue/le, 覃 qin/tan, 盖 ge/gai), the usual one
comes first and the other one is added to the search keys, so either finds the person.

ü is written ``v`` (吕 ``lv``), as Chinese input methods type it.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from pypinyin import Style, lazy_pinyin

__all__ = [
    "COMPOUND_SURNAMES",
    "SURNAME_READINGS",
    "NameKeys",
    "full_pinyin",
    "initials",
    "name_keys",
    "search_text",
]

#: Two-character surnames, each read syllable by syllable.
COMPOUND_SURNAMES: dict[str, tuple[str, str]] = {
    "尉迟": ("yu", "chi"),
    "万俟": ("mo", "qi"),
    "长孙": ("zhang", "sun"),
    "单于": ("chan", "yu"),
    "澹台": ("tan", "tai"),
    "乐正": ("yue", "zheng"),
    "仲长": ("zhong", "chang"),
    "亓官": ("qi", "guan"),
    "欧阳": ("ou", "yang"),
    "司马": ("si", "ma"),
    "诸葛": ("zhu", "ge"),
    "上官": ("shang", "guan"),
    "东方": ("dong", "fang"),
    "皇甫": ("huang", "fu"),
    "令狐": ("ling", "hu"),
    "慕容": ("mu", "rong"),
    "公孙": ("gong", "sun"),
    "夏侯": ("xia", "hou"),
    "宇文": ("yu", "wen"),
    "司徒": ("si", "tu"),
    "司空": ("si", "kong"),
    "呼延": ("hu", "yan"),
    "端木": ("duan", "mu"),
    "轩辕": ("xuan", "yuan"),
    "南宫": ("nan", "gong"),
    "西门": ("xi", "men"),
    "闻人": ("wen", "ren"),
    "百里": ("bai", "li"),
    "太史": ("tai", "shi"),
    "宗政": ("zong", "zheng"),
    "濮阳": ("pu", "yang"),
    "淳于": ("chun", "yu"),
    "申屠": ("shen", "tu"),
    "公羊": ("gong", "yang"),
    "公冶": ("gong", "ye"),
    "赫连": ("he", "lian"),
    "钟离": ("zhong", "li"),
    "拓跋": ("tuo", "ba"),
    "鲜于": ("xian", "yu"),
    "东郭": ("dong", "guo"),
    "第五": ("di", "wu"),
}

#: Single-character surnames written with a character of several readings, pinned to the
#: surname reading. The first reading is the usual one; any others are also searchable.
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "单": ("shan",),
    "曾": ("zeng",),
    "解": ("xie",),
    "仇": ("qiu",),
    "区": ("ou",),
    "朴": ("piao",),
    "查": ("zha",),
    "盖": ("ge", "gai"),
    "尉": ("wei",),
    "乐": ("yue", "le"),
    "覃": ("qin", "tan"),
    "缪": ("miao",),
    "翟": ("zhai",),
    "瞿": ("qu",),
    "华": ("hua",),
    "纪": ("ji",),
    "燕": ("yan",),
    "种": ("chong",),
    "重": ("chong",),
    "秘": ("bi",),
    "冼": ("xian",),
    "洗": ("xian",),
    "过": ("guo",),
    "折": ("she",),
    "那": ("na",),
    "佴": ("nai",),
    "粘": ("nian",),
    "藏": ("zang",),
    "都": ("du",),
    "六": ("lu",),
    "薄": ("bo",),
    "贾": ("jia",),
    "盛": ("sheng",),
    "柏": ("bai",),
    "牟": ("mou", "mu"),
    "陆": ("lu",),
    "乜": ("nie",),
    "阚": ("kan",),
    "车": ("che",),
    "宿": ("su",),
    "卜": ("bu",),
    "召": ("shao",),
    "句": ("gou",),
    "员": ("yun",),
    "繁": ("po",),
    "隗": ("wei",),
    "莘": ("shen",),
    "郇": ("huan",),
    "眭": ("sui",),
    "长": ("chang",),
    "朝": ("chao",),
    "黑": ("he",),
    "任": ("ren",),
    "石": ("shi",),
}

# Dots of transliterated names (买买提·艾力), blanks and hyphens are not part of the key.
_SEPARATORS = re.compile(r"[\s·•・‧\-_.]+")


@dataclass(frozen=True, slots=True)
class NameKeys:
    """Search keys of one name: the usual reading, and other readings that should also match."""

    full: str
    initials: str
    variants: tuple[str, ...] = ()

    def all(self) -> tuple[str, ...]:
        keys = [self.full, self.initials, *self.variants]
        return tuple(dict.fromkeys(k for k in keys if k))


def _clean(name: str) -> str:
    return _SEPARATORS.sub("", name.strip())


def _read(text: str) -> list[str]:
    """Syllables of ``text`` by pypinyin; a run of letters or digits stays one lower-case token."""
    if not text:
        return []
    syllables = lazy_pinyin(text, style=Style.NORMAL, v_to_u=False, errors=_without_pinyin)
    return [s.lower() for s in syllables if s]


def _without_pinyin(chars: str) -> str:
    """Letters and digits stay; a character pypinyin cannot read (兙, 瓧) gives no key."""
    return "".join(c for c in chars if c.isascii() and c.isalnum())


def _readings(name: str) -> list[list[str]]:
    """Every reading of the cleaned name, the usual one first."""
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return [list(COMPOUND_SURNAMES[name[:2]]) + _read(name[2:])]
    if len(name) >= 2 and name[0] in SURNAME_READINGS:
        given = _read(name[1:])
        return [[reading, *given] for reading in SURNAME_READINGS[name[0]]]
    return [_read(name)]


def _initials_of(syllables: list[str]) -> str:
    return "".join(s[0] for s in syllables if s)


def name_keys(name: str) -> NameKeys:
    """Full pinyin and initials of a personal name: ``张三丰`` → ``zhangsanfeng``, ``zsf``."""
    readings = _readings(_clean(name))
    first, *others = readings
    variants = list(
        itertools.chain.from_iterable(("".join(r), _initials_of(r)) for r in others),
    )
    return NameKeys(full="".join(first), initials=_initials_of(first), variants=tuple(variants))


def full_pinyin(name: str) -> str:
    """``曾国藩`` → ``zengguofan``."""
    return name_keys(name).full


def initials(name: str) -> str:
    """``曾国藩`` → ``zgf``."""
    return name_keys(name).initials


def search_text(name: str) -> str:
    """All keys of a name separated by blanks, for one indexed search column.

    ``乐嘉`` → ``yuejia yj lejia lj``. A query without blanks matches inside one key only.
    """
    return " ".join(name_keys(name).all())
