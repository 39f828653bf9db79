"""Chinese labels for what the ledger records (the UI shows these, code keeps the codes).

An app that records new actions adds their labels with :func:`register_action_labels`, and the
labels of its payload keys and values and of stages and steps outside the policy's procedure with
:func:`register_labels` (in its ``apps.py`` ``ready()``, for example). Anything without a label is
shown by its code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from xuanren.record.hooks import procedure_names

ACTION_LABELS: dict[str, str] = {
    # the record itself
    "review_entry": "审核签认",
    "material_stored": "上传材料",
    "archive": "立卷归档（记实表及材料清单）",
    "archive_stored": "保存归档包",
    "circumstance_recorded": "记录其他重要情况",
    # the important-circumstance vocabulary (see circumstances.py)
    "inspection_candidate_set": "确定考察对象",
    "complaint_received": "受理信访举报",
    "complaint_concluded": "信访举报核查办结",
    "opinion_recorded": "征求意见",
    "exceptional_promotion_approved": "破格提拔获批",
    "recommendation_range_widened": "扩大推荐范围",
    "tie_settled": "得票相同由会议研究确定",
    "step_refused": "操作被规则拒绝",
    # register
    "register.create_cadre": "新建干部信息",
    "register.update_cadre": "修改干部信息",
    "register.import_roster": "导入干部名册",
    "register.import_posts": "导入职位",
    "register.import_lrmx": "导入任免审批表",
    "demo_built": "生成演示数据",
    # ballots
    "poll.create": "创建投票",
    "poll.codes": "生成投票码",
    "poll.open": "开始投票",
    "poll.close": "结束投票",
    "poll.tally": "计票",
    "poll.sign": "计票结果签字",
    "paper.first_entry": "纸质票第一次录入",
    "paper.second_entry": "纸质票第二次录入",
    "paper.reconcile": "纸质票核对",
}

KIND_LABELS = {"entry": "记实", "review": "审核", "correction": "更正"}

# Payload keys shown in a row's text, in Chinese; others are shown by their key.
KEY_LABELS = {
    "basis": "依据",
    "share": "得票率",
    "threshold": "规定比例",
    "passed": "达到规定比例",
    "during": "期间",
    "complaint_id": "举报编号",
    "outcome": "核查结论",
    "conclusion": "结论",
    "source": "来源",
    "agrees": "同意",
    "reasons": "理由",
    "reason": "理由",
    "approved_by": "批准",
    "title": "名称",
    "ballots": "票数",
    "codes_issued": "发放投票码",
    "codes_voted": "已投票",
    "number": "编号",
    "status": "状态",
    "role": "角色",
    "note": "说明",
    "kind": "类别",
    "size": "大小（字节）",
    "post": "职位",
    "candidate_name": "人选",  # hidden at the top of a payload (the row names the candidate), shown inside lists
}
VALUE_LABELS = {
    "direct": "组织推荐提名直接确定",
    "recommendation": "民主推荐结果",
    "inspection_notice": "考察预告期间",
    "pre_appointment_notice": "任前公示期间",
    "co_managing": "协管方",
    "discipline": "纪检监察机关",
    "law_enforcement": "执法机关",
    "audit": "审计机关",
    "cleared": "查无实据、予以澄清",
    "cancelled": "问题属实、取消资格",
    "referred": "移交有关部门处理",
}

VALUES_BY_KEY: dict[str, dict[str, str]] = {}
"""Labels of a payload key's values (``{"role": {"member": "成员"}}``): a code means one thing
under one key and may mean another elsewhere, so these come before ``VALUE_LABELS``."""

STEP_NAMES: dict[str, str] = {}
"""Stages and steps that are not in the policy's procedure (an exam round of a competition, say);
the procedure's own names come from the policy (``xuanren.record.hooks.procedure_names``)."""


def register_action_labels(labels: Mapping[str, str]) -> None:
    """Add or replace labels of actions (code → Chinese)."""
    ACTION_LABELS.update(labels)


def register_labels(
    *,
    keys: Mapping[str, str] | None = None,
    values: Mapping[str, str] | None = None,
    steps: Mapping[str, str] | None = None,
    values_by_key: Mapping[str, Mapping[str, str]] | None = None,
) -> None:
    """Add or replace labels of payload keys, payload values (of any key, or of one key in
    ``values_by_key``), and stage and step ids."""
    KEY_LABELS.update(keys or {})
    VALUE_LABELS.update(values or {})
    STEP_NAMES.update(steps or {})
    for key, labels in (values_by_key or {}).items():
        VALUES_BY_KEY.setdefault(key, {}).update(labels)


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def choice_labels(*choices: Iterable[Any]) -> dict[str, str]:
    """Labels of coded values from models' choices (``TextChoices`` classes), so the record reads
    a value as the forms and pages do."""
    return {str(c.value): str(c.label) for group in choices for c in group}


def key_label(key: str, parent: str | None = None) -> str:
    """A payload key's label; inside ``parent``, ``"<parent>.<key>"``'s label when it has one
    (``rank`` in a list of vacancies is the post's rank, elsewhere a place in a ranking)."""
    if parent and f"{parent}.{key}" in KEY_LABELS:
        return KEY_LABELS[f"{parent}.{key}"]
    return KEY_LABELS.get(key, key)


def value_label(key: str | None, value: str) -> str:
    """A payload value's label: the key's own, then any key's, then a procedure step's name (a
    step id recorded as a value, e.g. the steps done); else the value as it is."""
    own = VALUES_BY_KEY.get(key or "")
    if own is not None and value in own:
        return own[value]
    if value in VALUE_LABELS:
        return VALUE_LABELS[value]
    return procedure_names().get(value, value)
