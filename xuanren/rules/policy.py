"""Loading policies: TOML files, inheritance, provenance, content hashes, a registry.

One TOML file holds one version of one policy. A locality names the exact parent version it builds
on (``inherits = "national-2019@1"``); resolving a policy merges the parent's sections under the
child's, rule by rule, and remembers which file each rule came from, so ``show`` can say so.

A campaign records ``(id, version, sha256)`` of the resolved policy it runs under. The hash is
SHA-256 over canonical JSON of the resolved content (sorted keys, no whitespace, UTF-8), so the
same rules always give the same hash, and a later edit — which must be a new version — never
changes what an old campaign was decided by.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import PrivateAttr, ValidationError

from .schema import RULE_PATHS, SECTION_LABELS, PolicyBody, PolicyFile, Rule, Section, rule_types

POLICY_DIR = Path(__file__).with_name("policies")
HASH_FORMAT = "xuanren-policy/1"
METADATA_KEYS = ("id", "name", "version", "effective", "inherits", "description")

# Rules every resolved policy must have, because campaigns cannot run without them.
REQUIRED_RULES = ("decision.quorum", "decision.approval", "notice.period", "record.procedure")


class Problem(NamedTuple):
    path: str
    message: str


class PolicyError(ValueError):
    """A policy file that cannot be used; each problem names its key path and the reason."""

    def __init__(self, origin: str, problems: Sequence[Problem]) -> None:
        self.origin = origin
        self.problems = tuple(problems)
        lines = [f"政策文件 {origin} 有 {len(self.problems)} 处问题："]
        lines += [f"  {p.path}：{p.message}" for p in self.problems]
        super().__init__("\n".join(lines))


class PolicyIntegrityError(ValueError):
    """A stored (id, version, hash) no longer matches the policy text."""


@dataclass(frozen=True)
class PolicyRef:
    """What a campaign stores to pin its rules."""

    id: str
    version: int
    sha256: str

    @property
    def label(self) -> str:
        return f"{self.id}@{self.version}"


# --- errors, in Chinese, with key paths -----------------------------------------------------

_MESSAGES = {
    "missing": "缺少必填项",
    "extra_forbidden": "不认识的键（拼写是否有误？）",
    "string_type": "应为字符串",
    "int_type": "应为整数",
    "bool_type": "应为 true 或 false",
    "date_type": "应为日期，如 2019-03-17",
    "tuple_type": "应为数组",
    "list_type": "应为数组",
    "model_type": "应为表（table）",
    "dict_type": "应为表（table）",
}


def _loc(loc: Sequence[int | str]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + part
    return text or "(文件)"


def _explain(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind in ("value_error", "assertion_error"):
        return str(ctx.get("error", error["msg"])).removeprefix("Value error, ")
    if kind in ("literal_error", "enum"):
        return f"取值须为以下之一：{ctx.get('expected', '')}"
    if kind == "greater_than_equal":
        return f"应不小于 {ctx.get('ge')}"
    if kind == "too_short":
        return f"至少需要 {ctx.get('min_length')} 项"
    if kind == "string_pattern_mismatch":
        return f"格式不对，应符合 {ctx.get('pattern')}"
    if kind == "string_too_short":
        return "不能为空"
    return str(error["msg"])


def _problems(error: ValidationError) -> list[Problem]:
    items = []
    for item in error.errors():
        loc = tuple(
            part for part in item["loc"] if not (isinstance(part, str) and part.startswith("function-"))
        )
        items.append((loc, item))
    problems = []
    for loc, item in items:
        # A list whose only items are invalid is also reported as too short: keep the real cause.
        if item["type"] == "too_short" and any(
            other[: len(loc)] == loc and len(other) > len(loc) for other, _ in items
        ):
            continue
        problems.append(Problem(_loc(loc), _explain(item)))
    return problems


def _floats(data: Any, path: tuple[int | str, ...] = ()) -> Iterator[Problem]:
    if isinstance(data, float):
        yield Problem(
            _loc(path),
            f'不得使用小数 {data!r}：比例请写成 "3/10" 或 "30%" 这样的精确字符串，其他数值写整数',
        )
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _floats(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _floats(value, (*path, index))


# --- one file -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PolicySource:
    """A parsed and validated policy file, before inheritance."""

    file: PolicyFile
    raw: dict[str, Any]
    origin: str

    @property
    def label(self) -> str:
        return f"{self.file.id}@{self.file.version}"


def parse_policy_text(text: str, origin: str = "<text>") -> PolicySource:
    """Parse and validate one policy file; raise :class:`PolicyError` naming every bad key."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(origin, [Problem("(文件)", f"TOML 语法错误：{error}")]) from None
    problems = list(_floats(raw))
    if problems:
        raise PolicyError(origin, problems)
    try:
        file = PolicyFile.model_validate(raw)
    except ValidationError as error:
        raise PolicyError(origin, _problems(error)) from None
    return PolicySource(file=file, raw=raw, origin=origin)


def parse_policy_file(path: Path | str) -> PolicySource:
    path = Path(path)
    source = parse_policy_text(path.read_text(encoding="utf-8"), origin=str(path))
    expected = {source.file.id, f"{source.file.id}.v{source.file.version}"}
    if path.stem not in expected:
        raise PolicyError(
            str(path),
            [
                Problem(
                    "id",
                    f"文件名 {path.name} 与 id/version 不符，应为 {source.file.id}.toml 或 "
                    f"{source.file.id}.v{source.file.version}.toml",
                )
            ],
        )
    return source


# --- a resolved policy ----------------------------------------------------------------------


class Policy(PolicyFile):
    """A policy with its inheritance applied. Immutable."""

    _origins: dict[str, str] = PrivateAttr(default_factory=dict)
    _chain: tuple[str, ...] = PrivateAttr(default=())
    _canonical: bytes = PrivateAttr(default=b"")
    _sha256: str = PrivateAttr(default="")

    @property
    def label(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def sha256(self) -> str:
        return self._sha256

    @property
    def ref(self) -> PolicyRef:
        return PolicyRef(self.id, self.version, self._sha256)

    @property
    def chain(self) -> tuple[str, ...]:
        """This policy and its ancestors, nearest first: ("linze@1", "national-2019@1")."""
        return self._chain

    @property
    def canonical_json(self) -> bytes:
        return self._canonical

    def rule(self, path: str) -> Rule | None:
        """The rule at ``path`` ("recommendation.threshold.open"), or None if the policy has none."""
        if path not in RULE_PATHS:
            raise KeyError(f"政策格式中没有规则 {path}")
        node: Any = self
        for part in path.split("."):
            node = getattr(node, part)
            if node is None:
                return None
        assert isinstance(node, Rule)
        return node

    def rule_id(self, path: str) -> str:
        return f"{self.id} {path}"

    def origin(self, path: str) -> str | None:
        """Which file ("national-2019@1") the rule at ``path`` comes from."""
        return self._origins.get(path)

    def rules(self) -> Iterator[tuple[str, Rule]]:
        """The rules this policy has, in format order."""
        for path, _ in rule_types():
            rule = self.rule(path)
            if rule is not None:
                yield path, rule


def canonical_bytes(data: Mapping[str, Any]) -> bytes:
    def default(value: object) -> str:
        if isinstance(value, date):
            return value.isoformat()
        raise TypeError(f"无法规范化 {value!r}")

    document = {"format": HASH_FORMAT, "policy": data}
    return json.dumps(
        document, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=default, allow_nan=False
    ).encode("utf-8")


def content_hash(data: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of resolved policy data."""
    return hashlib.sha256(canonical_bytes(data)).hexdigest()


def _merge(parent: Mapping[str, Any], child: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    merged = copy.deepcopy(dict(parent))
    for key, value in child.items():
        path = f"{prefix}{key}"
        if path in RULE_PATHS or not isinstance(value, dict) or not isinstance(merged.get(key), dict):
            merged[key] = copy.deepcopy(value)  # a rule is replaced whole
        else:
            merged[key] = _merge(merged[key], value, f"{path}.")
    return merged


def _rule_paths_in(raw: Mapping[str, Any]) -> Iterator[str]:
    for path in RULE_PATHS:
        node: Any = raw
        for part in path.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if node is not None:
            yield path


# --- the registry ---------------------------------------------------------------------------


class PolicyRegistry:
    """All known policy versions; resolves inheritance and caches the results."""

    def __init__(self, sources: Iterable[PolicySource] = ()) -> None:
        self._sources: dict[tuple[str, int], PolicySource] = {}
        self._resolved: dict[tuple[str, int], Policy] = {}
        for source in sources:
            self.add(source)

    @classmethod
    def from_directory(cls, directory: Path | str = POLICY_DIR) -> PolicyRegistry:
        return cls(parse_policy_file(path) for path in sorted(Path(directory).glob("*.toml")))

    def add(self, source: PolicySource) -> None:
        key = (source.file.id, source.file.version)
        if key in self._sources:
            raise PolicyError(
                source.origin,
                [
                    Problem(
                        "version",
                        f"{source.label} 已存在（在 {self._sources[key].origin}）：修改政策须另立新版本",
                    )
                ],
            )
        self._sources[key] = source

    def with_source(self, source: PolicySource) -> PolicyRegistry:
        """A copy of this registry with one more file (e.g. a file being checked)."""
        copy_ = PolicyRegistry(self._sources.values())
        copy_.add(source)
        return copy_

    def ids(self) -> list[str]:
        return sorted({policy_id for policy_id, _ in self._sources})

    def versions(self, policy_id: str) -> list[int]:
        return sorted(version for pid, version in self._sources if pid == policy_id)

    def source(self, policy_id: str, version: int) -> PolicySource:
        try:
            return self._sources[(policy_id, version)]
        except KeyError:
            raise KeyError(f"没有政策 {policy_id}@{version}") from None

    def get(self, policy_id: str, version: int | None = None) -> Policy:
        """A resolved policy; the latest version when ``version`` is None."""
        versions = self.versions(policy_id)
        if not versions:
            raise KeyError(f"没有政策 {policy_id}")
        return self._resolve((policy_id, versions[-1] if version is None else version), ())

    def lookup(self, ref: str) -> Policy:
        """ "linze" (latest) or "linze@1"."""
        policy_id, _, version = ref.partition("@")
        return self.get(policy_id, int(version) if version else None)

    def effective_on(self, policy_id: str, day: date) -> Policy:
        """The latest version of a policy already in effect on ``day``."""
        candidates = [self.get(policy_id, v) for v in self.versions(policy_id)]
        in_effect = [p for p in candidates if p.effective <= day]
        if not in_effect:
            raise KeyError(f"{day.isoformat()} 时政策 {policy_id} 尚无生效版本")
        return in_effect[-1]

    def verify(self, policy_id: str, version: int, sha256: str) -> Policy:
        """The policy a campaign pinned, refusing if its content no longer hashes the same."""
        policy = self.get(policy_id, version)
        if policy.sha256 != sha256:
            raise PolicyIntegrityError(
                f"政策 {policy.label} 的内容摘要已变化（记录 {sha256[:12]}…，现在 {policy.sha256[:12]}…）："
                "已发布的政策版本不得修改"
            )
        return policy

    def resolve(self, source: PolicySource) -> Policy:
        """Resolve a file that may not be in the registry (``check`` does this)."""
        return self.with_source(source)._resolve((source.file.id, source.file.version), ())

    def all_latest(self) -> list[Policy]:
        return [self.get(policy_id) for policy_id in self.ids()]

    def _resolve(self, key: tuple[str, int], seen: tuple[tuple[str, int], ...]) -> Policy:
        if key in self._resolved:
            return self._resolved[key]
        source = self.source(*key)
        if key in seen:
            cycle = " → ".join(f"{i}@{v}" for i, v in (*seen, key))
            raise PolicyError(source.origin, [Problem("inherits", f"继承关系成环：{cycle}")])
        own = {k: v for k, v in source.raw.items() if k not in METADATA_KEYS}
        origins = {path: source.label for path in _rule_paths_in(own)}
        chain: tuple[str, ...] = (source.label,)
        if source.file.inherits:
            parent_id, _, parent_version = source.file.inherits.partition("@")
            parent_key = (parent_id, int(parent_version))
            if parent_key not in self._sources:
                raise PolicyError(
                    source.origin, [Problem("inherits", f"找不到被继承的政策 {source.file.inherits}")]
                )
            parent = self._resolve(parent_key, (*seen, key))
            if source.file.effective < parent.effective:
                raise PolicyError(
                    source.origin,
                    [
                        Problem(
                            "effective",
                            f"生效日期 {source.file.effective} 早于所继承的 {parent.label} "
                            f"（{parent.effective}）",
                        )
                    ],
                )
            parent_body = json.loads(parent.canonical_json)["policy"]
            own = _merge({k: v for k, v in parent_body.items() if k not in METADATA_KEYS}, own)
            origins = {**{p: parent.origin(p) or parent.label for p, _ in parent.rules()}, **origins}
            chain += parent.chain
        data = {k: source.raw[k] for k in METADATA_KEYS if k in source.raw} | own
        try:
            policy = Policy.model_validate(data)
        except ValidationError as error:
            raise PolicyError(source.origin, _problems(error)) from None
        missing = [
            Problem(path, "缺少此规则：根政策必须给出，否则选任工作无法进行")
            for path in REQUIRED_RULES
            if policy.rule(path) is None
        ]
        if missing:
            raise PolicyError(source.origin, missing)
        policy._origins = origins
        policy._chain = chain
        policy._canonical = canonical_bytes(data)
        policy._sha256 = hashlib.sha256(policy._canonical).hexdigest()
        self._resolved[key] = policy
        return policy


@functools.cache
def builtin_registry() -> PolicyRegistry:
    """The policies shipped in ``xuanren/rules/policies``."""
    return PolicyRegistry.from_directory(POLICY_DIR)


def get_policy(ref: str) -> Policy:
    """A built-in policy by "id" (latest version) or "id@version"."""
    return builtin_registry().lookup(ref)


# --- a readable view of a policy (for ``show`` and the policy page) ------------------------


@dataclass(frozen=True)
class RuleView:
    path: str
    section: str
    section_label: str
    origin: str
    inherited: bool
    fields: dict[str, Any]
    source: str
    quote: str
    note: str
    confirmed: bool


def rule_views(policy: Policy) -> list[RuleView]:
    views = []
    for path, rule in policy.rules():
        dumped = rule.model_dump(mode="json", exclude_none=True)
        fields = {k: v for k, v in dumped.items() if k not in ("source", "quote", "note")}
        origin = policy.origin(path) or policy.label
        section = path.split(".")[0]
        views.append(
            RuleView(
                path=path,
                section=section,
                section_label=SECTION_LABELS.get(section, section),
                origin=origin,
                inherited=origin != policy.label,
                fields=fields,
                source=rule.source,
                quote=rule.quote,
                note=rule.note,
                confirmed=rule.confirmed,
            )
        )
    return views


__all__ = [
    "POLICY_DIR",
    "REQUIRED_RULES",
    "Policy",
    "PolicyBody",
    "PolicyError",
    "PolicyIntegrityError",
    "PolicyRef",
    "PolicyRegistry",
    "PolicySource",
    "Problem",
    "RuleView",
    "Section",
    "builtin_registry",
    "canonical_bytes",
    "content_hash",
    "get_policy",
    "parse_policy_file",
    "parse_policy_text",
    "rule_views",
]
