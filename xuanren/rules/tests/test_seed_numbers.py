"""Every number of DOMAIN D1–D8 (and D12) that the built-in policies carry, checked against its
policy file and — when the documents are available — against the passage it comes from."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from xuanren.rules.policy import get_policy
from xuanren.rules.schema import ProcedureRule

from .sources import assert_quoted


def value_at(policy_ref: str, dotted: str) -> Any:
    """Walk "inspection.notice.days_ahead" (rule path then field) through a resolved policy."""
    node: Any = get_policy(policy_ref)
    for part in dotted.split("."):
        node = node[int(part)] if part.isdigit() else getattr(node, part)
    return node


def as_plain(value: Any) -> Any:
    if hasattr(value, "value") and isinstance(value.value, Fraction):  # ShareText
        return value.value
    if hasattr(value, "per_post"):  # RatioText
        return (value.posts, value.people)
    if isinstance(value, tuple):
        return len(value)
    return value


# (policy, path.field, expected, document, passage, quote containing the figure)
ROWS = [
    # D1 两公开
    (
        "linze",
        "inspection.notice.days_ahead",
        2,
        "000",
        "一、（两公开）二是",
        "考察对象、考察时间和考察组成员提前2天向有关单位和干部群众预告",
    ),
    ("linze", "inspection.notice.unit", "days", "000", "一、（两公开）二是", "提前2天"),
    ("handan", "openness.items.items", 6, "004", "重导向·竞争上岗", "监督“六公开”"),
    # D2 五提名
    ("linze", "nomination.channels.enabled", 5, "000", "一、（五提名）", "临泽县采取“五方联推”方式"),
    (
        "linze",
        "nomination.unit_participation.large_unit_from",
        30,
        "000",
        "一、（五提名）二是",
        "要求单位人数30人以上的",
    ),
    (
        "linze",
        "nomination.unit_participation.min_participants",
        30,
        "000",
        "一、（五提名）二是",
        "人数不少于30人",
    ),
    (
        "linze",
        "nomination.unit_participation.small_unit_everyone",
        True,
        "000",
        "一、（五提名）二是",
        "单位人数在30人以下的,单位全体干部职工参加",
    ),
    (
        "linze",
        "nomination.proposal_ratio.ratio",
        (1, 3),
        "000",
        "一、（五提名）",
        "按选任职位1∶3的差额比例综合确定提名建议人选",
    ),
    (
        "linze",
        "nomination.candidate_ratio.ratio",
        (1, 2),
        "000",
        "一、（五提名）",
        "按选任职位1∶2的差额比例综合确定提名人选",
    ),
    (
        "linze",
        "nomination.relationship_declaration.value",
        True,
        "000",
        "一、（五提名）四是",
        "并申明与推荐人选的关系",
    ),
    (
        "supervision-001",
        "nomination.signed_only.value",
        True,
        "001",
        "一、（一）2",
        "任何推荐,都必须是署名的",
    ),
    # D3 四差额 and the thresholds table
    (
        "linze",
        "recommendation.ratio.ratio",
        (1, 2),
        "000",
        "一、（四差额）一是",
        "按职位与人选1∶2的比例进行差额推荐",
    ),
    (
        "linze",
        "inspection.ratio.ratio",
        (1, 1),
        "000",
        "一、（四差额）二是",
        "按同一职位多于1人的差额比例确定考察对象",
    ),
    ("linze", "inspection.ratio.comparison", "more_than", "000", "一、（四差额）二是", "同一职位多于1人"),
    (
        "supervision-001",
        "inspection.ratio.ratio",
        (1, 2),
        "001",
        "二、（二）3",
        "每个拟任职位最少按1:2的人选进行考察",
    ),
    ("supervision-001", "inspection.ratio.comparison", "at_least", "001", "二、（二）3", "最少按1:2"),
    ("linze", "inspection.procedures.items", 6, "000", "一、（四差额）二是", "考察结果会审等“六个程序”"),
    ("linze", "inspection.must_talk.items", 4, "000", "一、（四差额）二是", "纪检财务人员“四必谈”"),
    (
        "linze",
        "deliberation.ratio.ratio",
        (1, 1),
        "000",
        "一、（四差额）三是",
        "按同一职位多于1人的差额比例研究提出建议人选",
    ),
    (
        "linze",
        "deliberation.personnel_meeting.items",
        4,
        "000",
        "三、",
        "建立由县委书记、副书记、组织部长、纪委书记参加的人事酝酿会议",
    ),
    (
        "linze",
        "recommendation.threshold.open.share",
        Fraction(1, 3),
        "000",
        "三、",
        "规定民主推荐达不到三分之一的不列为考察人选",
    ),
    (
        "linze",
        "recommendation.threshold.from_list.share",
        Fraction(1, 3),
        "000",
        "三、",
        "民主推荐达不到三分之一",
    ),
    (
        "linze",
        "recommendation.threshold.open.comparison",
        "at_least",
        "000",
        "三、",
        "达不到三分之一的不列为",
    ),
    (
        "county-30-60",
        "recommendation.threshold.open.share",
        Fraction(3, 10),
        "002",
        "一、一是",
        "不提名推荐票未达30%",
    ),
    (
        "county-30-60",
        "recommendation.threshold.from_list.share",
        Fraction(3, 5),
        "002",
        "一、一是",
        "提名推荐票未达60%",
    ),
    ("linze", "inspection.evaluation.share", Fraction(1, 2), "000", "三、", "考察测评不过半"),
    ("linze", "inspection.evaluation.comparison", "more_than", "000", "三、", "不过半"),
    ("linze", "inspection.team_agreement.value", True, "000", "三、", "考察组意见不统一的不酝酿"),
    ("linze", "eligibility.complaints.value", True, "000", "三、", "反映问题未查实的不任用"),
    (
        "county-30-60",
        "moving_down.trust_vote.share",
        Fraction(3, 5),
        "002",
        "一、二是",
        "凡群众信任票未达60%",
    ),
    ("county-30-60", "moving_down.trust_vote.comparison", "at_least", "002", "一、二是", "信任票未达60%"),
    ("linze", "decision.secretary_last.value", True, "000", "一、（四差额）四是", "实行书记末尾表态发言"),
    (
        "linze",
        "decision.full_committee.required_for",
        1,
        "000",
        "一、（四差额）四是",
        "对乡镇党政正职拟任人选和推荐人选在常委会通过后提交全委会票决",
    ),
    (
        "county-30-60",
        "decision.full_committee.observers",
        2,
        "002",
        "一、三是",
        "并邀请候补委员、纪委委员列席会议",
    ),
    # D4 三记实
    (
        "national-2019",
        "record.procedure.stages",
        6,
        "000",
        "一、（三记实）一是",
        "记实内容主要围绕6个环节16个步骤展开",
    ),
    (
        "national-2019",
        "record.important_circumstances.items",
        10,
        "000",
        "一、（三记实）二是",
        "受纪律处分干部到期后提拔任用情况",
    ),
    (
        "national-2019",
        "record.signers.items",
        2,
        "000",
        "一、（三记实）三是",
        "并由记录人、审核人在相应的栏目内签名确认",
    ),
    (
        "supervision-001",
        "decision.positions.options",
        3,
        "001",
        "一、（三）3（3）",
        "阐明赞成、不赞成或缓议的理由",
    ),
    (
        "supervision-001",
        "decision.positions.reasons_required",
        True,
        "001",
        "一、（三）3（3）",
        "阐明赞成、不赞成或缓议的理由",
    ),
    # D5 notice, disclosure, probation, appeal
    ("tongliao-003", "disclosure.first.length", 5, "003", "开鲁县·细化公开流程", "公开时限都为5个工作日"),
    ("tongliao-003", "disclosure.first.unit", "working_days", "003", "开鲁县·细化公开流程", "5个工作日"),
    ("tongliao-003", "disclosure.second.length", 5, "003", "开鲁县·细化公开流程", "公开时限为5个工作日"),
    ("tongliao-003", "disclosure.items.items", 9, "003", "开鲁县·明确公开内容", "还要对9方面情况进行公开"),
    (
        "supervision-001",
        "inspection.appeal.length",
        1,
        "001",
        "二、（二）7",
        "干部本人可在一周内对考察过程、考察结果有异议的提出申诉",
    ),
    ("supervision-001", "inspection.appeal.unit", "weeks", "001", "二、（二）7", "一周内"),
    (
        "county-30-60",
        "notice.scope.items",
        3,
        "002",
        "一、四是",
        "由对新提拔的干部进行公示扩大到对非领导职务改任领导职务或平级调动到重要部门和岗位的干部进行公示",
    ),
    # D6 integrity gates
    (
        "supervision-001",
        "integrity.debt_report.threshold_yuan",
        5000,
        "001",
        "二、（四）3",
        "应将自己负债5000元以上的情况及拟还计划向组织上报告",
    ),
    ("supervision-001", "eligibility.audit_veto.value", True, "001", "二、（四）4", "有违纪的要“一票否决”"),
    ("county-30-60", "audit.in_office_every_years.value", 3, "002", "三、一是", "任期内三年一次轮审"),
    ("county-30-60", "eligibility.audit_required.value", True, "002", "三、一是", "实行拟提必审"),
    (
        "tongliao-003",
        "audit.budget_tiers.bounds_yuan.0",
        3_000_000,
        "003",
        "霍林郭勒市",
        "300万以下三个基础档次",
    ),
    ("tongliao-003", "audit.budget_tiers.bounds_yuan.1", 5_000_000, "003", "霍林郭勒市", "划分为500万元以上"),
    (
        "tongliao-003",
        "audit.levels.levels.0.yearly_share",
        Fraction(35, 100),
        "003",
        "霍林郭勒市",
        "每年审计数量要达到总数的35 %以上,三年内实现全覆盖",
    ),
    ("tongliao-003", "audit.levels.levels.0.full_coverage_years", 3, "003", "霍林郭勒市", "三年内实现全覆盖"),
    (
        "tongliao-003",
        "audit.levels.levels.1.yearly_share",
        Fraction(1, 5),
        "003",
        "霍林郭勒市",
        "每年审计数量要达到总数的20 %以上,五年内实现全覆盖",
    ),
    ("tongliao-003", "audit.levels.levels.1.full_coverage_years", 5, "003", "霍林郭勒市", "五年内实现全覆盖"),
    (
        "tongliao-003",
        "audit.levels.levels.2.after_years_in_office",
        5,
        "003",
        "霍林郭勒市",
        "实行离任必审,任期满五年必审",
    ),
    (
        "tongliao-003",
        "audit.levels.levels.2.sampled_per_year",
        "1—2个部门",
        "003",
        "霍林郭勒市",
        "选择1—2个部门开展经济责任审计工作",
    ),
    ("tongliao-003", "audit.rerating_years.value", 5, "003", "霍林郭勒市", "每五年一个周期"),
    (
        "tongliao-003",
        "audit.adjustments.special_from_yuan",
        100_000_000,
        "003",
        "霍林郭勒市",
        "资金额度在1亿元以上的,将执行部门列入特殊级别",
    ),
    (
        "tongliao-003",
        "audit.adjustments.up_one_from_yuan",
        10_000_000,
        "003",
        "霍林郭勒市",
        "资金额度在1亿元以下1千万元以上的,执行部门相应调整到上一审计级别",
    ),
    (
        "tongliao-003",
        "audit.adjustments.small_audit_within_years",
        2,
        "003",
        "霍林郭勒市",
        "资金额度在1千万元以下的,实行当年调级,两年内审计",
    ),
    # D7 能上能下
    ("tongliao-003", "moving_down.standards.qualitative", 25, "003", "科尔沁区", "修身做人6方面25条定性标准"),
    ("tongliao-003", "moving_down.standards.areas", 6, "003", "科尔沁区", "6方面25条定性标准"),
    (
        "tongliao-003",
        "moving_down.standards.quantitative",
        17,
        "003",
        "科尔沁区",
        "被评为不满意单位等17条定量标准",
    ),
    (
        "tongliao-003",
        "moving_down.disposal_steps.items",
        6,
        "003",
        "科尔沁区",
        "告知谈话和备案跟踪等6个处置调整环节",
    ),
    (
        "tongliao-003",
        "moving_down.follow_up.talk_every_months",
        1,
        "003",
        "科尔沁区",
        "每月由分管领导或所在单位一把手与“下”的干部谈心一次",
    ),
    (
        "tongliao-003",
        "moving_down.follow_up.revisit_every_months",
        3,
        "003",
        "科尔沁区",
        "组织部门每季度对“下”的干部进行一次回访",
    ),
    (
        "county-30-60",
        "moving_down.performance_indicators.value",
        10,
        "002",
        "二、三是",
        "分别细化为10项具体指标",
    ),
    ("county-30-60", "moving_down.standards.quantitative", 13, "002", "二、三是", "制定了13条干部“下”的标准"),
    # D8 competition, rotation, pipelines
    (
        "handan",
        "competition.gates.items",
        7,
        "004",
        "重导向·竞争上岗",
        "审查、笔试、面试、测评、考察、决定、公示“七关口”",
    ),
    (
        "handan",
        "recommendation.ratio.ratio",
        (1, 2),
        "004",
        "重公信·创新推荐方式",
        "均按拟提拔人选考察对象人数1:2的比例进行推荐",
    ),
    (
        "handan",
        "recommendation.ratio.base",
        "inspection_candidates",
        "004",
        "重公信·创新推荐方式",
        "按拟提拔人选考察对象人数1:2",
    ),
    ("handan", "recommendation.rounds.rounds", 2, "004", "重公信·创新推荐方式", "对选用人员分两次推荐"),
    (
        "handan",
        "recommendation.signed_ballots.value",
        True,
        "004",
        "重公信·创新推荐方式",
        "以署名的方式,进行大会推荐和座谈推荐",
    ),
    (
        "supervision-001",
        "competition.examiners_published.value",
        True,
        "001",
        "一、（三）2",
        "考官的姓名和具体评分也应公开",
    ),
    (
        "county-30-60",
        "rotation.same_post_years.value",
        7,
        "002",
        "二、二是",
        "对在同一岗位任职满7年的领导干部都进行了交流",
    ),
    ("county-30-60", "rotation.internal_rotation_years.value", 5, "002", "二、二是", "要求实行五年一轮换"),
    (
        "tongliao-003",
        "pipeline.second_echelon_max_age.value",
        35,
        "003",
        "库伦旗",
        "将110名35岁以下公务员、优秀选调生纳入后备干部队伍",
    ),
    # D12 national baseline (checked against DOMAIN.md)
    (
        "national-2019",
        "eligibility.years_of_service.min_years",
        5,
        "D",
        "D12 第八条",
        "needs 5+ years of work",
    ),
    (
        "national-2019",
        "eligibility.grassroots.min_years",
        2,
        "D",
        "D12 第八条",
        "2+ years at the grass roots (unconfirmed)",
    ),
    (
        "national-2019",
        "eligibility.deputy_to_head.min_years",
        2,
        "D",
        "D12 第八条",
        "deputy → head at the same level needs 2+ years as deputy",
    ),
    (
        "national-2019",
        "eligibility.lower_head_to_upper_deputy.min_years",
        3,
        "D",
        "D12 第八条",
        "lower-level head → upper-level deputy needs 3+ years",
    ),
    ("national-2019", "eligibility.education.minimum", "junior_college", "D", "D12 第八条", "大专 or above"),
    (
        "national-2019",
        "eligibility.education.higher.0.minimum",
        "bachelor",
        "D",
        "D12 第八条",
        "厅局级 and above generally 本科",
    ),
    (
        "national-2019",
        "eligibility.training.grace_years",
        1,
        "D",
        "D12 第八条",
        "completed within 1 year of promotion",
    ),
    (
        "national-2019",
        "eligibility.since_last_promotion.min_years",
        1,
        "D",
        "D12 第九条",
        "within 1 year of the last promotion",
    ),
    (
        "national-2019",
        "eligibility.exceptional.max_levels_skipped",
        1,
        "D",
        "D12 第九条",
        "never more than one level skipped",
    ),
    (
        "national-2019",
        "decision.quorum.share",
        Fraction(2, 3),
        "D",
        "D12 Decision",
        "at least 2/3 of members present",
    ),
    (
        "national-2019",
        "decision.approval.share",
        Fraction(1, 2),
        "D",
        "D12 Decision",
        "passing needs more than half of all members who should attend",
    ),
    (
        "national-2019",
        "decision.approval.denominator",
        "members_total",
        "D",
        "D12 Decision",
        "(应到会成员), not of those present",
    ),
    (
        "national-2019",
        "decision.reopen.share",
        Fraction(1, 2),
        "D",
        "D12 Decision",
        "reopening a decision needs more than half of all members",
    ),
    (
        "national-2019",
        "notice.period.length",
        5,
        "D",
        "D12 Notice",
        "at least 5 working days (2019 第四十二条)",
    ),
    ("national-2019", "notice.period.unit", "working_days", "D", "D12 Notice", "5 working days"),
    ("national-2019", "probation.period.length", 1, "D", "D12 Probation", "Probation: 1 year"),
    (
        "national-2019",
        "recommendation.validity.length",
        1,
        "D",
        "D12 Recommendation",
        "a result stays valid for 1 year",
    ),
    (
        "national-2019",
        "recommendation.attendance.share",
        Fraction(2, 3),
        "D",
        "D12 Recommendation",
        "a recommendation meeting needs 2/3 attendance",
    ),
    (
        "national-2019",
        "rotation.same_post_years.value",
        10,
        "D",
        "D12 Rotation",
        "rotation after 10 years in the same post",
    ),
    (
        "national-2019",
        "rotation.consecutive_terms.value",
        2,
        "D",
        "D12 Rotation",
        "two consecutive terms in one post",
    ),
    ("national-2019", "rotation.term_years.value", 5, "D", "D12 Rotation", "5-year terms"),
    (
        "national-2019",
        "rotation.same_level_years.value",
        15,
        "D",
        "D12 Rotation",
        "15 years cumulative at one level",
    ),
    (
        "national-2019",
        "personal_matters.change_within_days.value",
        30,
        "D",
        "D12 Personal matters",
        "changes within 30 days (unconfirmed)",
    ),
    (
        "national-2019",
        "moving_down.unfit_situations.value",
        15,
        "D",
        "D12 Up-and-down",
        "15 situations of being unfit",
    ),
]


@pytest.mark.parametrize(("policy", "path", "expected", "document", "passage", "quote"), ROWS)
def test_policy_carries_the_number_of_its_source(
    policy: str, path: str, expected: object, document: str, passage: str, quote: str
) -> None:
    assert as_plain(value_at(policy, path)) == expected, (
        f"{policy} {path} should be {expected} ({document} {passage})"
    )


@pytest.mark.parametrize(("policy", "path", "expected", "document", "passage", "quote"), ROWS)
def test_the_number_is_in_the_cited_passage(
    policy: str, path: str, expected: object, document: str, passage: str, quote: str
) -> None:
    assert_quoted(document, quote)


def test_the_record_form_has_six_stages_and_sixteen_steps() -> None:
    procedure = get_policy("national-2019").rule("record.procedure")
    assert isinstance(procedure, ProcedureRule)
    assert len(procedure.stages) == 6
    assert sum(len(stage.steps) for stage in procedure.stages) == 16
