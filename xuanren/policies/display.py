"""Policies as the pages show them: rules grouped by section with Chinese field names, the
procedure as stages and steps, and the differences between two policies rule by rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from xuanren.rules.cli import _LABELS as VALUE_LABELS  # the CLI's wording, so page and CLI agree
from xuanren.rules.decision import Decision, Outcome
from xuanren.rules.policy import Policy, RuleView, rule_views
from xuanren.rules.sandbox import SandboxOutcome
from xuanren.rules.schema import ProcedureRule

FIELD_LABELS: dict[str, str] = {
    "after_standing_committee": "常委会通过后再提交",
    "allowed": "允许",
    "applies_to": "适用于",
    "approval_before": "批准时限",
    "approval_by": "批准机关",
    "area": "地域",
    "areas": "方面",
    "base": "基数",
    "bounds_yuan": "金额分档（元）",
    "comparison": "比较方式",
    "counts_as_cast": "计入有效票",
    "days_ahead": "提前天数",
    "decided_by": "确定者",
    "denominator": "分母",
    "enabled": "启用",
    "evaluation": "测评等次",
    "examples": "示例",
    "extend_if_rest_day": "遇休息日顺延",
    "from_level": "自职级",
    "functions": "岗位",
    "grace_years": "宽限年数",
    "grades": "计入赞成的等次",
    "higher": "更高要求",
    "invalidates": "作废范围",
    "items": "内容",
    "large_unit_from": "大单位起点（人）",
    "length": "期限",
    "levels": "层级",
    "max_levels_skipped": "最多越级",
    "meeting_first_for_individual_promotion": "个别提拔可先会议推荐",
    "min_participants": "最少参加人数",
    "min_years": "最少年限",
    "minimum": "最低要求",
    "no_consecutive_on_years": "不得连续破格任职年限",
    "observers": "列席",
    "on_fail": "未达到时",
    "on_pass": "达到时",
    "options": "选项",
    "participants": "参加人员",
    "posts": "职位",
    "published": "公开内容",
    "qualitative": "定性指标数",
    "quantitative": "定量指标数",
    "ratio": "差额比例",
    "reasons": "情形",
    "reasons_required": "须说明理由",
    "relations": "亲属关系",
    "required": "必须",
    "required_for": "适用职位",
    "requirement": "要求",
    "revisit_by": "回访者",
    "revisit_every_months": "回访间隔（月）",
    "rounds": "轮次",
    "share": "比例",
    "small_audit_within_years": "小额审计年限",
    "small_unit_everyone": "小单位全员参加",
    "special_from_yuan": "特别金额起点（元）",
    "talk_by": "谈话者",
    "talk_every_months": "谈话间隔（月）",
    "text": "内容",
    "threshold_yuan": "金额起点（元）",
    "tie_settled_by": "并列时由谁确定",
    "trust": "信任票等次",
    "unit": "单位",
    "up_one_from_yuan": "升一档起点（元）",
    "use": "用途",
    "value": "取值",
    "waivable": "可破格的条件",
    "when": "时机",
    "where": "范围",
    # keys inside structured values (rounds, audit levels, education by level)
    "name": "名称",
    "methods": "方式",
    "signed": "署名",
    "analysis": "分析",
    "level": "层级",
    "criteria": "标准",
    "in_office": "任中",
    "yearly_share": "每年比例",
    "full_coverage_years": "全覆盖年限",
    "on_leaving": "离任时",
    "after_years_in_office": "任职满年数",
    "sampled_per_year": "每年抽审",
}

PROCEDURE_PATH = "record.procedure"


def format_value(value: Any) -> str:
    """A rule value in Chinese: coded values by their label ("at_least" → "不少于"), lists with "、"."""
    if isinstance(value, str):
        return VALUE_LABELS.get(value, value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        if value and all(isinstance(item, dict) for item in value):
            return "；".join(format_value(item) for item in value)
        return "、".join(format_value(item) for item in value)
    if isinstance(value, dict):
        return "，".join(f"{FIELD_LABELS.get(k, k)} {format_value(v)}" for k, v in value.items())
    return str(value)


@dataclass(frozen=True)
class FieldRow:
    key: str
    label: str
    value: str


@dataclass(frozen=True)
class RuleRow:
    view: RuleView
    fields: tuple[FieldRow, ...]

    @property
    def anchor(self) -> str:
        return f"rule-{self.view.path}"

    @property
    def origin_url(self) -> str:
        return label_url(self.view.origin) + f"#{self.anchor}"


def label_url(label: str) -> str:
    """The page of "linze@1"."""
    policy_id, _, version = label.partition("@")
    return reverse("policies:detail", args=[policy_id, int(version)])


@dataclass(frozen=True)
class SectionRows:
    section: str
    label: str
    rules: tuple[RuleRow, ...]


def field_rows(fields: dict[str, Any]) -> tuple[FieldRow, ...]:
    return tuple(
        FieldRow(key, FIELD_LABELS.get(key, key), format_value(value))
        for key, value in fields.items()
        if value not in ("", [], None)
    )


def sections(policy: Policy, *, own_only: bool = False) -> list[SectionRows]:
    """Every rule of the policy (or only those its own file states), grouped by section."""
    grouped: list[SectionRows] = []
    for view in rule_views(policy):
        if own_only and view.inherited:
            continue
        fields = () if view.path == PROCEDURE_PATH else field_rows(view.fields)
        row = RuleRow(view, fields)
        if grouped and grouped[-1].section == view.section:
            last = grouped[-1]
            grouped[-1] = SectionRows(last.section, last.label, (*last.rules, row))
        else:
            grouped.append(SectionRows(view.section, view.section_label, (row,)))
    return grouped


def procedure(policy: Policy) -> ProcedureRule | None:
    rule = policy.rule(PROCEDURE_PATH)
    return rule if isinstance(rule, ProcedureRule) else None


# --- differences ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DiffRow:
    path: str
    section_label: str
    kind: str  # "changed", "left" (only in A), "right" (only in B)
    fields: tuple[tuple[str, str, str], ...]  # (label, value in A, value in B)
    source_a: str
    source_b: str


def _shown(value: Any) -> str:
    return "—" if value in (None, "", []) else format_value(value)


def differences(a: Policy, b: Policy) -> list[DiffRow]:
    """The rules whose values differ between ``a`` and ``b`` (a changed source alone is no
    difference), then the rules only one of them has."""
    left = {view.path: view for view in rule_views(a)}
    right = {view.path: view for view in rule_views(b)}
    rows: list[DiffRow] = []
    for path, old in left.items():
        new = right.get(path)
        if new is None:
            continue
        keys = list(old.fields) + [key for key in new.fields if key not in old.fields]
        changed = tuple(
            (FIELD_LABELS.get(key, key), _shown(old.fields.get(key)), _shown(new.fields.get(key)))
            for key in keys
            if old.fields.get(key) != new.fields.get(key)
        )
        if changed:
            rows.append(DiffRow(path, old.section_label, "changed", changed, old.source, new.source))
    for path, view in left.items():
        if path not in right:
            only = tuple((row.label, row.value, "—") for row in field_rows(view.fields))
            rows.append(DiffRow(path, view.section_label, "left", only, view.source, ""))
    for path, view in right.items():
        if path not in left:
            only = tuple((row.label, "—", row.value) for row in field_rows(view.fields))
            rows.append(DiffRow(path, view.section_label, "right", only, "", view.source))
    return rows


# --- the sandbox, side by side --------------------------------------------------------------

OUTCOME_CSS = {
    Outcome.PASS: "ok",
    Outcome.FAIL: "fail",
    Outcome.TIE: "warn",
    Outcome.PENDING: "warn",
    Outcome.NOT_APPLICABLE: "",
    Outcome.INFO: "",
}


@dataclass(frozen=True)
class DecisionRow:
    outcome: str
    css: str
    subject: str
    explanation: str
    rule_path: str
    rule_url: str


@dataclass(frozen=True)
class OutcomeColumn:
    label: str
    name: str
    url: str
    summary: str
    css: str
    stages: tuple[tuple[str, tuple[DecisionRow, ...]], ...]


@dataclass(frozen=True)
class CompareCell:
    policy: str
    outcome: str
    css: str
    note: str


@dataclass(frozen=True)
class CompareRow:
    candidate: str
    votes: int
    cells: tuple[CompareCell, ...]


def _rule_link(decision: Decision, policy_label: str) -> tuple[str, str]:
    policy_id, _, path = decision.rule_id.partition(" ")
    version = decision.policy_version or int(policy_label.partition("@")[2])
    return path, label_url(f"{policy_id}@{version}") + f"#rule-{path}"


def _selection_verdict(outcome: SandboxOutcome) -> Outcome | None:
    """How the choice of inspection candidates went (the last decision of that stage)."""
    for stage, decisions in outcome.stages:
        if stage == "确定考察对象" and decisions:
            return decisions[-1].outcome
    return None


def outcome_columns(outcomes: dict[str, SandboxOutcome]) -> list[OutcomeColumn]:
    columns = []
    for outcome in outcomes.values():
        label = outcome.policy.label
        stages = []
        for stage, decisions in outcome.stages:
            rows = []
            for decision in decisions:
                path, url = _rule_link(decision, label)
                rows.append(
                    DecisionRow(
                        outcome=decision.outcome.label,
                        css=OUTCOME_CSS[decision.outcome],
                        subject=decision.subject,
                        explanation=decision.explanation,
                        rule_path=path,
                        rule_url=url,
                    )
                )
            stages.append((stage, tuple(rows)))
        verdict = _selection_verdict(outcome)
        columns.append(
            OutcomeColumn(
                label=label,
                name=outcome.name,
                url=label_url(label),
                summary=outcome.summary,
                css=OUTCOME_CSS.get(verdict, "") if verdict is not None else "",
                stages=tuple(stages),
            )
        )
    return columns


def comparison(votes: dict[str, int], outcomes: dict[str, SandboxOutcome]) -> list[CompareRow]:
    """Per candidate, what each policy made of their recommendation votes."""
    rows = []
    for candidate, count in sorted(votes.items(), key=lambda item: -item[1]):
        cells = []
        for outcome in outcomes.values():
            decision = next(
                (d for s, ds in outcome.stages if s == "民主推荐" for d in ds if d.subject == candidate), None
            )
            verdict = _selection_verdict(outcome)
            if candidate in outcome.tied:
                note = "截取线上并列，须会议研究确定"
            elif verdict is Outcome.NOT_APPLICABLE:
                note = "不设门槛，供会议研究参考"
            elif candidate not in outcome.inspection_candidates:
                note = "不列为考察对象"
            elif verdict is Outcome.FAIL:
                note = "达到推荐要求，但差额不足"
            else:
                note = "列为考察对象"
            cells.append(
                CompareCell(
                    policy=outcome.policy.label,
                    outcome=decision.outcome.label if decision else "—",
                    css=OUTCOME_CSS[decision.outcome] if decision else "",
                    note=note,
                )
            )
        rows.append(CompareRow(candidate, count, tuple(cells)))
    return rows
