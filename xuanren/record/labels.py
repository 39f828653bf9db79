"""Chinese labels for the actions recorded in the ledger (the UI shows these, code keeps the codes).

An app that records new actions adds its labels with :func:`register_action_labels` (at import
of its ``apps.py`` ``ready()``, for example). An action without a label is shown by its code.
"""

from __future__ import annotations

from collections.abc import Mapping

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


def register_action_labels(labels: Mapping[str, str]) -> None:
    """Add or replace labels of actions (code → Chinese)."""
    ACTION_LABELS.update(labels)


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)
