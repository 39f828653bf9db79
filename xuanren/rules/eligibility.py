"""Eligibility of a cadre for a post (任职资格).

Two kinds of checks:

- *qualifications* (任职资格, 条例 第八条): years in rank, one level at a time, years of service,
  grass-roots experience, education. An exceptional promotion (破格提拔, 第九条) may set aside the
  ones the policy lists as waivable — only with a recorded approval of the higher organization
  department given before the decision, and never by default;
- *bars* that nothing sets aside: age limits of the post, probation not finished or less than a
  year since the last promotion (for exceptional promotion under the baseline), a disciplinary
  period not over, an audit veto, unverified complaints.

Every check is a :class:`Decision`; a waived check stays in the list as the failure it is, and the
overall decision says which checks the approved exception set aside.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .decision import Decision, Outcome, RuleInputError, cite
from .periods import add_years, completed_months, completed_years
from .policy import Policy
from .schema import BarRule, EducationRule, ExceptionalRule, FlagRule, MinYearsRule, TrainingRule
from .thresholds import not_applicable
from .vocabulary import Education, EligibilityCheck, Level


class AuditStatus(StrEnum):
    NOT_AUDITED = "not_audited"
    CLEAN = "clean"
    VIOLATION = "violation"

    @property
    def label(self) -> str:
        return {
            AuditStatus.NOT_AUDITED: "未审计",
            AuditStatus.CLEAN: "审计未发现问题",
            AuditStatus.VIOLATION: "审计发现违纪问题",
        }[self]


@dataclass(frozen=True)
class CadreFacts:
    """What the register knows about a cadre, as of the day of the check.

    Dates of periods are their last days: ``probation_until`` is the last day of probation,
    ``discipline_until`` the last day of a sanction's effect (影响期).
    """

    name: str
    birth_date: date
    work_start: date
    education: Education
    current_level: Level | None = None
    level_since: date | None = None
    grassroots_months: int = 0
    training_done: bool = True
    probation_until: date | None = None
    last_promotion: date | None = None
    last_promotion_exceptional_on_years: bool = False
    discipline_until: date | None = None
    audit: AuditStatus = AuditStatus.NOT_AUDITED
    unverified_complaints: int = 0
    relative_of_leader: bool = False


@dataclass(frozen=True)
class PostRequirements:
    """The post and the conditions its vacancy announcement published (D1: 级别、任职年限、学历)."""

    title: str
    level: Level
    unit: str = ""
    kind: str = ""
    min_education: Education | None = None
    min_years_in_rank: int | None = None
    max_age: int | None = None
    min_age: int | None = None


@dataclass(frozen=True)
class HigherApproval:
    """The higher organization department's approval of an exceptional promotion."""

    authority: str
    reference: str
    approved_on: date


@dataclass(frozen=True)
class ExceptionalRequest:
    """A department's declaration that a promotion is exceptional (破格), with its reason."""

    reason: str
    justification: str = ""
    approval: HigherApproval | None = None


@dataclass(frozen=True)
class Eligibility:
    overall: Decision
    checks: tuple[Decision, ...]
    waived: tuple[EligibilityCheck, ...]
    flags: tuple[str, ...]

    @property
    def eligible(self) -> bool:
        return self.overall.outcome is Outcome.PASS

    def decisions(self) -> tuple[Decision, ...]:
        return (*self.checks, self.overall)


POST_SOURCE = "职位公告（空缺职位任职条件）"
_QUALIFICATIONS = (
    EligibilityCheck.YEARS_IN_RANK,
    EligibilityCheck.LEVEL_SKIP,
    EligibilityCheck.YEARS_OF_SERVICE,
    EligibilityCheck.GRASSROOTS,
    EligibilityCheck.EDUCATION,
)


class _Checker:
    def __init__(
        self, policy: Policy, cadre: CadreFacts, post: PostRequirements, today: date, exceptional: bool
    ) -> None:
        self.policy, self.cadre, self.post, self.today = policy, cadre, post, today
        self.exceptional = exceptional
        self.results: list[tuple[EligibilityCheck, Decision]] = []

    def add(
        self,
        check: EligibilityCheck,
        path: str,
        outcome: Outcome,
        text: str,
        inputs: dict[str, object],
        flags: tuple[str, ...] = (),
    ) -> None:
        if path.startswith("post."):  # the post's own condition: the announcement is the citation
            rule_id, source = f"职位公告 {path.removeprefix('post.')}", f"{POST_SOURCE}：{self.post.title}"
            citation = f"（{source}）"
        else:
            rule = self.policy.rule(path)
            rule_id = self.policy.rule_id(path)
            source = rule.source if rule is not None else "（本政策未规定）"
            citation = cite(rule_id, source)
        self.results.append(
            (
                check,
                Decision(
                    outcome=outcome,
                    rule_id=rule_id,
                    source=source,
                    explanation=f"{self.cadre.name} {text}{citation}",
                    inputs={"check": check, **inputs},
                    subject=self.cadre.name,
                    flags=flags,
                    policy_version=self.policy.version,
                ),
            )
        )

    def missing(self, check: EligibilityCheck, path: str, why: str = "") -> None:
        decision = not_applicable(self.policy, path, self.cadre.name, why)
        self.results.append((check, dataclasses.replace(decision, inputs={"check": check})))

    # --- qualifications ---

    def years_in_rank(self) -> None:
        current, target = self.cadre.current_level, self.post.level
        if current is None:
            self.missing(
                EligibilityCheck.YEARS_IN_RANK,
                "eligibility.deputy_to_head",
                "无现任领导职务层次，不适用任职年限",
            )
            return
        steps = target.rank - current.rank
        if steps <= 0:
            self.missing(
                EligibilityCheck.YEARS_IN_RANK, "eligibility.deputy_to_head", "非提拔任职，不适用任职年限"
            )
            return
        if steps >= 2:
            skipped = "、".join(level.label for level in list(Level)[current.rank + 1 : target.rank])
            self.add(
                EligibilityCheck.LEVEL_SKIP,
                "eligibility.exceptional",
                Outcome.FAIL,
                f"由{current.label}提任{target.label}，越过{skipped}（越 {steps - 1} 级），须按破格提拔办理",
                {"current_level": current, "target_level": target, "levels_skipped": steps - 1},
            )
            return
        path = "eligibility.lower_head_to_upper_deputy" if current.is_head else "eligibility.deputy_to_head"
        rule = self.policy.rule(path)
        needed = rule.min_years if isinstance(rule, MinYearsRule) else 0
        if self.post.min_years_in_rank and self.post.min_years_in_rank > needed:
            needed, path = self.post.min_years_in_rank, "post.min_years_in_rank"
        if needed == 0:
            self.missing(EligibilityCheck.YEARS_IN_RANK, path)
            return
        if self.cadre.level_since is None:
            raise RuleInputError(f"{self.cadre.name} 缺少任现职级时间（level_since）")
        years = completed_years(self.cadre.level_since, self.today)
        passed = years >= needed
        self.add(
            EligibilityCheck.YEARS_IN_RANK,
            path,
            Outcome.PASS if passed else Outcome.FAIL,
            f"由{current.label}提任{target.label}，{self.cadre.level_since.isoformat()} 起任现职级，"
            f"满 {years} 年 {'≥' if passed else '<'} {needed} 年",
            {"level_since": self.cadre.level_since, "years": years, "required_years": needed},
        )

    def min_years(self, check: EligibilityCheck, path: str, label: str, have_months: int, since: str) -> None:
        rule = self.policy.rule(path)
        if not isinstance(rule, MinYearsRule):
            self.missing(check, path)
            return
        if rule.from_level is not None and self.post.level.rank < rule.from_level.rank:
            self.missing(check, path, f"只适用于提任{rule.from_level.label}以上职务")
            return
        years, months = divmod(have_months, 12)
        passed = have_months >= 12 * rule.min_years
        have = f"{years} 年" + (f" {months} 个月" if months else "")
        self.add(
            check,
            path,
            Outcome.PASS if passed else Outcome.FAIL,
            f"{label}{since}{have} {'≥' if passed else '<'} {rule.min_years} 年",
            {"months": have_months, "required_years": rule.min_years},
        )

    def education(self) -> None:
        path = "eligibility.education"
        rule = self.policy.rule(path)
        required: Education | None = None
        if isinstance(rule, EducationRule):
            required = rule.minimum
            for step in rule.higher:
                if self.post.level.rank >= step.from_level.rank and step.minimum.rank > required.rank:
                    required = step.minimum
        if self.post.min_education and (required is None or self.post.min_education.rank > required.rank):
            required, path = self.post.min_education, "post.min_education"
        if required is None:
            self.missing(EligibilityCheck.EDUCATION, "eligibility.education")
            return
        passed = self.cadre.education.rank >= required.rank
        self.add(
            EligibilityCheck.EDUCATION,
            path,
            Outcome.PASS if passed else Outcome.FAIL,
            f"学历{self.cadre.education.label}，{'达到' if passed else '低于'}{required.label}",
            {"education": self.cadre.education, "required": required},
        )

    # --- other conditions and bars ---

    def age(self) -> None:
        post = self.post
        if post.max_age is None and post.min_age is None:
            return
        age = completed_years(self.cadre.birth_date, self.today)
        problems = []
        if post.max_age is not None and age > post.max_age:
            problems.append(f"超过 {post.max_age} 周岁")
        if post.min_age is not None and age < post.min_age:
            problems.append(f"不满 {post.min_age} 周岁")
        limits = "、".join(
            text
            for text in (
                f"不超过 {post.max_age} 周岁" if post.max_age is not None else "",
                f"不小于 {post.min_age} 周岁" if post.min_age is not None else "",
            )
            if text
        )
        self.add(
            EligibilityCheck.AGE,
            "post.age",
            Outcome.FAIL if problems else Outcome.PASS,
            f"{self.today.isoformat()} 时 {age} 周岁，职位要求{limits}"
            + (f"，{'、'.join(problems)}" if problems else ""),
            {"age": age, "max_age": post.max_age, "min_age": post.min_age, "on": self.today},
        )

    def training(self) -> None:
        path = "eligibility.training"
        rule = self.policy.rule(path)
        if not isinstance(rule, TrainingRule) or not rule.required:
            self.missing(EligibilityCheck.TRAINING, path)
            return
        if self.cadre.training_done:
            self.add(EligibilityCheck.TRAINING, path, Outcome.PASS, "已完成任职培训", {"training_done": True})
        elif rule.grace_years:
            self.add(
                EligibilityCheck.TRAINING,
                path,
                Outcome.PASS,
                f"尚未完成任职培训，须在提任后 {rule.grace_years} 年内完成",
                {"training_done": False, "grace_years": rule.grace_years},
                flags=(f"提任后{rule.grace_years}年内完成培训",),
            )
        else:
            self.add(
                EligibilityCheck.TRAINING, path, Outcome.FAIL, "尚未完成任职培训", {"training_done": False}
            )

    def _bar(self, check: EligibilityCheck, path: str) -> BarRule | None:
        rule = self.policy.rule(path)
        if not isinstance(rule, BarRule):
            self.missing(check, path)
            return None
        if rule.applies_to == "exceptional" and not self.exceptional:
            rule_id = self.policy.rule_id(path)
            self.results.append(
                (
                    check,
                    Decision(
                        outcome=Outcome.NOT_APPLICABLE,
                        rule_id=rule_id,
                        source=rule.source,
                        explanation=f"{self.cadre.name} 此项只约束破格提拔，本次不是破格提拔{cite(rule_id, rule.source)}",
                        inputs={"check": check, "applies_to": rule.applies_to},
                        subject=self.cadre.name,
                        policy_version=self.policy.version,
                    ),
                )
            )
            return None
        return rule

    def probation(self) -> None:
        path = "eligibility.probation"
        if self._bar(EligibilityCheck.PROBATION, path) is None:
            return
        until = self.cadre.probation_until
        in_probation = until is not None and self.today <= until
        text = f"试用期至 {until.isoformat()}，" if until else "不在试用期，"
        self.add(
            EligibilityCheck.PROBATION,
            path,
            Outcome.FAIL if in_probation else Outcome.PASS,
            text + ("试用期未满" if in_probation else "符合要求"),
            {"probation_until": until, "on": self.today},
        )

    def since_last_promotion(self) -> None:
        path = "eligibility.since_last_promotion"
        rule = self._bar(EligibilityCheck.SINCE_LAST_PROMOTION, path)
        if rule is None:
            return
        last = self.cadre.last_promotion
        years_needed = rule.min_years or 1
        if last is None:
            self.add(
                EligibilityCheck.SINCE_LAST_PROMOTION,
                path,
                Outcome.PASS,
                "此前未获提拔",
                {"last_promotion": None},
            )
            return
        ready = add_years(last, years_needed)
        passed = self.today >= ready
        self.add(
            EligibilityCheck.SINCE_LAST_PROMOTION,
            path,
            Outcome.PASS if passed else Outcome.FAIL,
            f"上次提拔 {last.isoformat()}，"
            + (
                f"已满 {years_needed} 年"
                if passed
                else f"提拔任职不满 {years_needed} 年（{ready.isoformat()} 满）"
            ),
            {"last_promotion": last, "required_years": years_needed, "ready_on": ready},
        )

    def discipline(self) -> None:
        path = "eligibility.discipline"
        if self._bar(EligibilityCheck.DISCIPLINE, path) is None:
            return
        until = self.cadre.discipline_until
        if until is None:
            self.add(
                EligibilityCheck.DISCIPLINE, path, Outcome.PASS, "无处分影响期", {"discipline_until": None}
            )
        elif self.today <= until:
            self.add(
                EligibilityCheck.DISCIPLINE,
                path,
                Outcome.FAIL,
                f"处分影响期至 {until.isoformat()}，尚未期满",
                {"discipline_until": until, "on": self.today},
            )
        else:
            self.add(
                EligibilityCheck.DISCIPLINE,
                path,
                Outcome.PASS,
                f"处分影响期已于 {until.isoformat()} 期满，须作为重要情况记实",
                {"discipline_until": until, "on": self.today},
                flags=("受纪律处分干部到期后提拔任用",),
            )

    def audit(self) -> None:
        status = self.cadre.audit
        required = self.policy.rule("eligibility.audit_required")
        if isinstance(required, FlagRule) and required.value:
            done = status is not AuditStatus.NOT_AUDITED
            self.add(
                EligibilityCheck.AUDIT,
                "eligibility.audit_required",
                Outcome.PASS if done else Outcome.PENDING,
                f"经济责任审计：{status.label}" + ("" if done else "，拟提必审，须先完成审计"),
                {"audit": status},
            )
        veto = self.policy.rule("eligibility.audit_veto")
        if isinstance(veto, FlagRule) and veto.value:
            vetoed = status is AuditStatus.VIOLATION
            self.add(
                EligibilityCheck.AUDIT,
                "eligibility.audit_veto",
                Outcome.FAIL if vetoed else Outcome.PASS,
                f"经济责任审计：{status.label}" + ("，一票否决" if vetoed else ""),
                {"audit": status},
            )
        elif status is AuditStatus.VIOLATION:
            self.add(
                EligibilityCheck.AUDIT,
                "eligibility.audit_veto",
                Outcome.INFO,
                "审计发现违纪问题；本政策未规定一票否决，作为任用的重要依据",
                {"audit": status},
            )

    def complaints(self) -> None:
        path = "eligibility.complaints"
        rule = self.policy.rule(path)
        if not isinstance(rule, FlagRule) or not rule.value:
            if self.cadre.unverified_complaints:
                self.missing(
                    EligibilityCheck.COMPLAINTS,
                    path,
                    f"另有 {self.cadre.unverified_complaints} 件反映问题未查实",
                )
            return
        count = self.cadre.unverified_complaints
        self.add(
            EligibilityCheck.COMPLAINTS,
            path,
            Outcome.PENDING if count else Outcome.PASS,
            f"有 {count} 件反映问题未查实，查实前不任用" if count else "无未查实的反映问题",
            {"unverified_complaints": count},
        )


def check_eligibility(
    policy: Policy,
    cadre: CadreFacts,
    post: PostRequirements,
    *,
    today: date,
    exceptional: ExceptionalRequest | None = None,
) -> Eligibility:
    """Check a cadre against a post under a policy, as of ``today``."""
    checker = _Checker(policy, cadre, post, today, exceptional is not None)
    checker.years_in_rank()
    checker.min_years(
        EligibilityCheck.YEARS_OF_SERVICE,
        "eligibility.years_of_service",
        "工龄",
        _months_since(cadre.work_start, today),
        f"（{cadre.work_start.isoformat()} 参加工作）",
    )
    checker.min_years(
        EligibilityCheck.GRASSROOTS, "eligibility.grassroots", "基层工作经历 ", cadre.grassroots_months, ""
    )
    checker.education()
    checker.age()
    checker.training()
    checker.probation()
    checker.since_last_promotion()
    checker.discipline()
    checker.audit()
    checker.complaints()
    results = checker.results

    flags: list[str] = [flag for _, d in results for flag in d.flags]
    if cadre.relative_of_leader:
        flags.append("提拔领导干部配偶、子女及其他直系亲属")

    failing = [(check, d) for check, d in results if d.outcome is Outcome.FAIL]
    qualification_failures = [(c, d) for c, d in failing if c in _QUALIFICATIONS]
    waived: tuple[EligibilityCheck, ...] = ()
    covered: tuple[EligibilityCheck, ...] = ()
    extra: list[Decision] = []
    if exceptional is not None:
        decision, covered = _judge_exceptional(
            policy, cadre, post, today, exceptional, qualification_failures
        )
        extra.append(decision)
        if decision.outcome is Outcome.PASS and covered:
            waived = covered
            flags.append("破格提拔")
    decisions = [d for _, d in results] + extra
    remaining = [d for c, d in failing if c not in covered] + [d for d in extra if d.outcome is Outcome.FAIL]
    pending = [d for d in decisions if d.outcome is Outcome.PENDING]

    def reason(d: Decision) -> str:
        return d.explanation.removesuffix(cite(d.rule_id, d.source)).removeprefix(f"{cadre.name} ")

    name = f"{cadre.name} 任 {post.title}（{post.level.label}）"
    if remaining:
        outcome = Outcome.FAIL
        text = f"{name}：不符合条件——{'；'.join(reason(d) for d in remaining)}"
        if qualification_failures and exceptional is None:
            text += "。如属特别优秀或工作特殊需要，可按破格提拔报批，但不得突破基本条件"
    elif pending:
        outcome = Outcome.PENDING
        text = f"{name}：待定——{'；'.join(reason(d) for d in pending)}"
    else:
        outcome = Outcome.PASS
        text = f"{name}：符合任职条件"
        if waived:
            text += f"（经批准破格，免除 {'、'.join(c.value for c in waived)} 要求）"
    overall = Decision(
        outcome=outcome,
        rule_id=f"{policy.id} eligibility",
        source="见各项",
        explanation=text,
        inputs={
            "cadre": cadre.name,
            "post": post.title,
            "level": post.level,
            "on": today,
            "exceptional": exceptional is not None,
            "waived": list(waived),
            "checks": [[c.value, d.outcome.value] for c, d in results],
        },
        subject=cadre.name,
        flags=tuple(dict.fromkeys(flags)),
        policy_version=policy.version,
    )
    return Eligibility(overall, tuple(decisions), waived, tuple(dict.fromkeys(flags)))


def _months_since(start: date, on: date) -> int:
    return completed_months(start, on)


def _judge_exceptional(
    policy: Policy,
    cadre: CadreFacts,
    post: PostRequirements,
    today: date,
    request: ExceptionalRequest,
    qualification_failures: list[tuple[EligibilityCheck, Decision]],
) -> tuple[Decision, tuple[EligibilityCheck, ...]]:
    """The decision on an exceptional promotion, and the failed qualifications it covers (set aside
    when the decision passes; awaiting approval when it is pending)."""
    path = "eligibility.exceptional"
    rule = policy.rule(path)
    rule_id = policy.rule_id(path)

    def decide(outcome: Outcome, text: str, waived: tuple[EligibilityCheck, ...] = ()) -> Decision:
        source = rule.source if rule is not None else "（本政策未规定）"
        return Decision(
            outcome=outcome,
            rule_id=rule_id,
            source=source,
            explanation=f"{cadre.name} 破格提拔：{text}{cite(rule_id, source)}",
            inputs={
                "reason": request.reason,
                "justification": request.justification,
                "approval": request.approval,
                "failed_qualifications": [c for c, _ in qualification_failures],
                "waived": list(waived),
            },
            subject=cadre.name,
            flags=("破格提拔",) if outcome is Outcome.PASS and waived else (),
            policy_version=policy.version,
        )

    if not isinstance(rule, ExceptionalRule) or not rule.allowed:
        return decide(Outcome.FAIL, "本政策不允许破格提拔"), ()
    if not qualification_failures:
        return decide(Outcome.INFO, "各项任职资格均已符合，无需破格"), ()
    if rule.reasons and request.reason not in rule.reasons:
        return decide(Outcome.FAIL, f"理由“{request.reason}”不属于 {'、'.join(rule.reasons)}"), ()
    not_waivable = [c for c, _ in qualification_failures if c not in rule.waivable]
    if not_waivable:
        listed = "、".join(c.value for c in not_waivable)
        return decide(Outcome.FAIL, f"{listed} 不能通过破格突破"), ()
    for check, decision in qualification_failures:
        if check is EligibilityCheck.LEVEL_SKIP:
            skipped = int(decision.inputs["levels_skipped"])
            if skipped > rule.max_levels_skipped:
                return decide(
                    Outcome.FAIL, f"越 {skipped} 级，超过最多越 {rule.max_levels_skipped} 级的限制"
                ), ()
    waived = tuple(c for c, _ in qualification_failures)
    if (
        rule.no_consecutive_on_years
        and cadre.last_promotion_exceptional_on_years
        and EligibilityCheck.YEARS_IN_RANK in waived
    ):
        return decide(Outcome.FAIL, "上次提拔已在任职年限上破格，不得连续破格"), ()
    approval = request.approval
    if approval is None:
        return decide(
            Outcome.PENDING, f"须在{rule.approval_before}前报经{rule.approval_by}同意，尚无批准记录"
        ), waived
    if approval.approved_on > today:
        return decide(
            Outcome.PENDING, f"批准日期 {approval.approved_on.isoformat()} 晚于今天，记录有误"
        ), waived
    text = (
        f"理由“{request.reason}”，{approval.authority}已于 {approval.approved_on.isoformat()} 批准（{approval.reference}），"
        f"免除 {'、'.join(c.value for c in waived)} 要求；基本条件和各项限制照常适用，须作为重要情况记实"
    )
    return decide(Outcome.PASS, text, waived), waived
