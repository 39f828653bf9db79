"""The policy format: pydantic models for one TOML file per policy version.

A policy is a tree of *sections* (``recommendation``, ``decision``, ...) whose leaves are
*rules*. A rule is a small table that always carries its ``source`` (document and passage, e.g.
``"000 三、"``), usually a ``quote`` of the passage, and sometimes a ``note`` saying how the text
was read. Rules are atomic: a locality that inherits from ``national-2019`` and restates a rule
restates all of it, so every value of a rule has one source.

Numbers that are shares or ratios are written as exact strings ("1/3", "30%", "1:2") and parsed
to Fractions; a float is refused. Unknown keys are refused too, so a misspelt key is an error that
names its path instead of a silently ignored line.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    StrictBool,
    StringConstraints,
    field_validator,
    model_validator,
)

from .periods import Unit
from .shares import Comparison, RatioText, ShareText
from .vocabulary import (
    Channel,
    Denominator,
    Education,
    EligibilityCheck,
    Kinship,
    Level,
    PostFunction,
    RecommendationForm,
    RecommendationMode,
)

UNCONFIRMED = "(unconfirmed)"


def _share(value: object) -> ShareText:
    if isinstance(value, ShareText):
        return value
    if not isinstance(value, str):
        raise ValueError(f'比例须写成精确的字符串，如 "1/3" 或 "30%"，不能写成数字 {value!r}')
    return ShareText.parse(value)


def _ratio(value: object) -> RatioText:
    if isinstance(value, RatioText):
        return value
    if not isinstance(value, str):
        raise ValueError(f'差额比例须写成字符串，如 "1:2"，不能写成 {value!r}')
    return RatioText.parse(value)


Share = Annotated[ShareText, PlainValidator(_share), PlainSerializer(lambda s: s.text, return_type=str)]
Ratio = Annotated[RatioText, PlainValidator(_ratio), PlainSerializer(lambda r: r.text, return_type=str)]
Text = Annotated[str, StringConstraints(strict=True, min_length=1)]
Slug = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z][a-z0-9_]*$")]
Count = Annotated[int, Field(strict=True, ge=0)]
Positive = Annotated[int, Field(strict=True, ge=1)]
Texts = Annotated[tuple[Text, ...], Field(min_length=1)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rule(Model):
    """Fields every rule has."""

    source: Text
    quote: str = ""
    note: str = ""

    @property
    def confirmed(self) -> bool:
        """False when the source says the rule is not confirmed in a public text."""
        return UNCONFIRMED not in self.source


class Section(Model):
    """A group of rules (all optional: a policy states only what it has)."""


# --- generic rule shapes ---------------------------------------------------------------


class FlagRule(Rule):
    value: StrictBool


class ItemsRule(Rule):
    items: Texts


class CountRule(Rule):
    value: Count
    unit: str = ""


class TextRule(Rule):
    text: Text


class PeriodRule(Rule):
    length: Positive
    unit: Unit
    extend_if_rest_day: StrictBool = False


class ThresholdRule(Rule):
    """A share that must be reached: ``share`` of ``denominator``, compared ``at_least`` (≥) or
    ``more_than`` (>). ``grades`` says which ballot answers count towards it (for evaluations)."""

    share: Share
    comparison: Comparison
    denominator: Denominator
    grades: tuple[Text, ...] = ()
    on_pass: str = ""
    on_fail: str = ""


class RatioRule(Rule):
    """A competitive ratio (差额比例) such as 1:2, posts to people, counted from ``base``.

    ``use`` says what the ratio governs:

    - ``cut``: people are ranked by votes and the list is cut at the ratio — the whole list for
      ``exactly``, the minimum competitive list for ``at_least``/``more_than`` (the meeting may add
      others). A tie at the cut-off is possible, so ``tie_settled_by`` must name the meeting that
      settles it.
    - ``list``: the size a list drawn up by a meeting must have (no ranking, e.g. 000's 1:3 then
      1:2 "综合确定").
    - ``marks``: how many names each ballot may carry (004's "增加推荐名额" at 1:2).
    """

    ratio: Ratio
    comparison: Literal["exactly", "at_least", "more_than"]
    use: Literal["cut", "list", "marks"] = "cut"
    base: Literal["posts", "inspection_candidates"] = "posts"
    decided_by: str = ""
    tie_settled_by: str = ""

    @model_validator(mode="after")
    def _tie_needs_a_meeting(self) -> RatioRule:
        if self.use == "cut" and not self.tie_settled_by:
            raise ValueError(
                "按得票截取名单的规则须写明 tie_settled_by：截取线上得票相同时由哪个会议研究确定"
            )
        return self


# --- specific rule shapes ----------------------------------------------------------------


class ChannelsRule(Rule):
    enabled: Annotated[tuple[Channel, ...], Field(min_length=1)]

    @field_validator("enabled")
    @classmethod
    def _unique(cls, value: tuple[Channel, ...]) -> tuple[Channel, ...]:
        if len(set(value)) != len(value):
            raise ValueError("提名渠道重复")
        return value


class UnitParticipationRule(Rule):
    """Who fills in nomination forms inside a unit (000: 30人以上的不少于30人；30人以下的全体)."""

    large_unit_from: Positive
    min_participants: Positive
    small_unit_everyone: StrictBool
    participants: tuple[Text, ...] = ()


class FormsRule(Rule):
    allowed: Annotated[tuple[RecommendationForm, ...], Field(min_length=1)]
    meeting_first_for_individual_promotion: StrictBool = False


class ModesRule(Rule):
    allowed: Annotated[tuple[RecommendationMode, ...], Field(min_length=1)]


class Round(Model):
    name: Text
    methods: tuple[Text, ...] = ()
    signed: StrictBool = False
    ratio: Ratio | None = None
    base: Literal["posts", "inspection_candidates"] = "posts"
    analysis: tuple[Text, ...] = ()


class RoundsRule(Rule):
    rounds: Annotated[tuple[Round, ...], Field(min_length=1)]


class NoticeAheadRule(Rule):
    """An advance notice (考察预告): how many days before, and what it publishes."""

    days_ahead: Count | None = None
    unit: Literal["days", "working_days"] = "days"
    published: tuple[Text, ...] = ()


class PositionsRule(Rule):
    options: Annotated[tuple[Text, ...], Field(min_length=2)]
    reasons_required: StrictBool = False


class FullCommitteeRule(Rule):
    required_for: Texts
    after_standing_committee: StrictBool = True
    observers: tuple[Text, ...] = ()


class OverMarkingRule(Rule):
    invalidates: Literal["post", "ballot"]


class BlankRule(Rule):
    counts_as_cast: StrictBool


class ScalesRule(Rule):
    evaluation: Texts
    trust: tuple[Text, ...] = ()


class DisclosureRoundRule(PeriodRule):
    """One round of personal-matters disclosure: when, where, what, and for how long."""

    when: Text
    where: Texts
    items: Texts


class StandardsRule(Rule):
    qualitative: Count | None = None
    quantitative: Count | None = None
    areas: tuple[Text, ...] = ()
    examples: tuple[Text, ...] = ()


class FollowUpRule(Rule):
    talk_every_months: Positive
    talk_by: Text
    revisit_every_months: Positive
    revisit_by: Text


class MinYearsRule(Rule):
    min_years: Positive
    from_level: Level | None = None


class LevelEducation(Model):
    from_level: Level
    minimum: Education


class EducationRule(Rule):
    minimum: Education
    higher: tuple[LevelEducation, ...] = ()


class TrainingRule(Rule):
    required: StrictBool
    grace_years: Count = 0


class BarRule(Rule):
    """A bar on promotion; ``applies_to = "exceptional"`` when it binds exceptional promotion only."""

    applies_to: Literal["all", "exceptional"] = "all"
    min_years: Positive | None = None


class ExceptionalRule(Rule):
    """Exceptional promotion (破格提拔): which qualification checks an approved exception may set
    aside; never the bars."""

    allowed: StrictBool
    reasons: tuple[Text, ...] = ()
    waivable: tuple[EligibilityCheck, ...] = ()
    max_levels_skipped: Count = 0
    no_consecutive_on_years: StrictBool = True
    approval_by: Text
    approval_before: Text

    @field_validator("waivable")
    @classmethod
    def _bars_are_never_waivable(cls, value: tuple[EligibilityCheck, ...]) -> tuple[EligibilityCheck, ...]:
        never = {
            EligibilityCheck.PROBATION,
            EligibilityCheck.SINCE_LAST_PROMOTION,
            EligibilityCheck.DISCIPLINE,
            EligibilityCheck.AUDIT,
            EligibilityCheck.COMPLAINTS,
            EligibilityCheck.AGE,
        }
        bad = [check.value for check in value if check in never]
        if bad:
            raise ValueError(f"{'、'.join(bad)} 是破格提拔也不能突破的条件，不能列入 waivable")
        return value


class KinshipRule(Rule):
    relations: Annotated[tuple[Kinship, ...], Field(min_length=1)]


class SensitivePostsRule(Rule):
    functions: Annotated[tuple[PostFunction, ...], Field(min_length=1)]


class RegionalRule(Rule):
    posts: Texts
    area: Text


class AuditLevel(Model):
    level: Positive
    name: Text
    criteria: Text
    in_office: StrictBool
    yearly_share: Share | None = None
    full_coverage_years: Positive | None = None
    on_leaving: StrictBool = False
    after_years_in_office: Positive | None = None
    sampled_per_year: Text | None = None


class AuditLevelsRule(Rule):
    levels: Annotated[tuple[AuditLevel, ...], Field(min_length=1)]


class BudgetTiersRule(Rule):
    bounds_yuan: Annotated[tuple[Positive, ...], Field(min_length=1)]


class AuditAdjustmentRule(Rule):
    special_from_yuan: Positive
    up_one_from_yuan: Positive
    small_audit_within_years: Positive


class MoneyRule(Rule):
    threshold_yuan: Positive
    requirement: Text


class Step(Model):
    id: Slug
    name: Text
    rules: tuple[Text, ...] = ()
    condition: Literal["always", "full_committee"] = "always"
    note: str = ""

    @field_validator("rules")
    @classmethod
    def _known_rules(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [path for path in value if path not in RULE_PATHS]
        if unknown:
            raise ValueError(f"格式中没有规则 {'、'.join(unknown)}")
        return value


class Stage(Model):
    id: Slug
    name: Text
    steps: Annotated[tuple[Step, ...], Field(min_length=1)]


class ProcedureRule(Rule):
    """The campaign procedure as data: campaign-level steps, then the per-person stages and steps
    of the record form, in order."""

    campaign_steps: tuple[Step, ...] = ()
    stages: Annotated[tuple[Stage, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique_ids(self) -> ProcedureRule:
        ids = [step.id for step in self.campaign_steps]
        ids += [stage.id for stage in self.stages]
        ids += [step.id for stage in self.stages for step in stage.steps]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"环节或步骤编号重复：{'、'.join(duplicates)}")
        return self


# --- sections -----------------------------------------------------------------------------


class Motion(Section):
    within_quota: FlagRule | None = None
    plan_agreed_by: ItemsRule | None = None
    secretary_direction_only: FlagRule | None = None


class Openness(Section):
    items: ItemsRule | None = None
    vacancy_items: ItemsRule | None = None
    media: ItemsRule | None = None
    progress_items: ItemsRule | None = None
    standard_frozen: FlagRule | None = None
    annual_plan: FlagRule | None = None


class Nomination(Section):
    channels: ChannelsRule | None = None
    unit_participation: UnitParticipationRule | None = None
    proposal_ratio: RatioRule | None = None
    candidate_ratio: RatioRule | None = None
    signed_only: FlagRule | None = None
    relationship_declaration: FlagRule | None = None
    falsification: TextRule | None = None
    reference_only: TextRule | None = None
    recommender_liability: TextRule | None = None


class Thresholds(Section):
    open: ThresholdRule | None = None
    from_list: ThresholdRule | None = None


class Recommendation(Section):
    forms: FormsRule | None = None
    modes: ModesRule | None = None
    threshold: Thresholds = Thresholds()
    ratio: RatioRule | None = None
    validity: PeriodRule | None = None
    attendance: ThresholdRule | None = None
    signed_ballots: FlagRule | None = None
    published: ItemsRule | None = None
    rounds: RoundsRule | None = None
    widening: TextRule | None = None


class Inspection(Section):
    ratio: RatioRule | None = None
    notice: NoticeAheadRule | None = None
    procedures: ItemsRule | None = None
    must_talk: ItemsRule | None = None
    methods: ItemsRule | None = None
    visits: ItemsRule | None = None
    evaluation: ThresholdRule | None = None
    team_agreement: FlagRule | None = None
    appeal: PeriodRule | None = None
    joint_review: TextRule | None = None
    work_report: FlagRule | None = None
    conclusions_published: ItemsRule | None = None
    team_recusal: FlagRule | None = None


class Deliberation(Section):
    meetings: ItemsRule | None = None
    ratio: RatioRule | None = None
    consult: ItemsRule | None = None
    personnel_meeting: ItemsRule | None = None
    dual_managed: TextRule | None = None


class DecisionRules(Section):
    quorum: ThresholdRule | None = None
    approval: ThresholdRule | None = None
    reopen: ThresholdRule | None = None
    positions: PositionsRule | None = None
    secretary_last: FlagRule | None = None
    no_preference: FlagRule | None = None
    voting_methods: ItemsRule | None = None
    photos: FlagRule | None = None
    full_committee: FullCommitteeRule | None = None
    divided_defers: TextRule | None = None
    sign_in: FlagRule | None = None
    procedure_form: FlagRule | None = None
    results_published: ItemsRule | None = None
    report_to_higher: TextRule | None = None


class Ballot(Section):
    over_marking: OverMarkingRule | None = None
    blank: BlankRule | None = None
    scales: ScalesRule | None = None


class Notice(Section):
    period: PeriodRule | None = None
    published: ItemsRule | None = None
    scope: ItemsRule | None = None
    places: ItemsRule | None = None
    complaints: TextRule | None = None
    exceptional_reasons: FlagRule | None = None


class Probation(Section):
    period: PeriodRule | None = None
    applies_to: TextRule | None = None
    failure: TextRule | None = None


class Disclosure(Section):
    first: DisclosureRoundRule | None = None
    second: DisclosureRoundRule | None = None
    items: ItemsRule | None = None
    verifiers: ItemsRule | None = None
    incomplete: TextRule | None = None
    complaints: TextRule | None = None


class MovingDown(Section):
    trust_vote: ThresholdRule | None = None
    last_place: TextRule | None = None
    standards: StandardsRule | None = None
    performance_indicators: CountRule | None = None
    disposal_steps: ItemsRule | None = None
    outcomes: ItemsRule | None = None
    follow_up: FollowUpRule | None = None
    unfit_situations: CountRule | None = None


class Eligibility(Section):
    years_of_service: MinYearsRule | None = None
    grassroots: MinYearsRule | None = None
    deputy_to_head: MinYearsRule | None = None
    lower_head_to_upper_deputy: MinYearsRule | None = None
    education: EducationRule | None = None
    training: TrainingRule | None = None
    probation: BarRule | None = None
    since_last_promotion: BarRule | None = None
    discipline: BarRule | None = None
    audit_required: FlagRule | None = None
    audit_veto: FlagRule | None = None
    complaints: FlagRule | None = None
    exceptional: ExceptionalRule | None = None


class Avoidance(Section):
    kinship: KinshipRule | None = None
    direct_line: FlagRule | None = None
    sensitive_posts: SensitivePostsRule | None = None
    regional: RegionalRule | None = None


class Rotation(Section):
    same_post_years: CountRule | None = None
    internal_rotation_years: CountRule | None = None
    consecutive_terms: CountRule | None = None
    term_years: CountRule | None = None
    same_level_years: CountRule | None = None


class Audit(Section):
    subjects: TextRule | None = None
    required_on: ItemsRule | None = None
    in_office_every_years: CountRule | None = None
    budget_tiers: BudgetTiersRule | None = None
    levels: AuditLevelsRule | None = None
    rerating_years: CountRule | None = None
    adjustments: AuditAdjustmentRule | None = None


class Integrity(Section):
    debt_report: MoneyRule | None = None
    circles: TextRule | None = None
    assets: TextRule | None = None


class Competition(Section):
    principle: TextRule | None = None
    gates: ItemsRule | None = None
    examiners_published: FlagRule | None = None


class Record(Section):
    procedure: ProcedureRule | None = None
    important_circumstances: ItemsRule | None = None
    signers: ItemsRule | None = None
    archive: ItemsRule | None = None


class PersonalMatters(Section):
    items: ItemsRule | None = None
    annual_due: TextRule | None = None
    change_within_days: CountRule | None = None


class Qualification(Section):
    leaders_exam: FlagRule | None = None
    inspector_certificate: FlagRule | None = None


class Pipeline(Section):
    second_echelon_max_age: CountRule | None = None
    tracking: TextRule | None = None


class Removal(Section):
    grounds: ItemsRule | None = None


class PolicyBody(Model):
    """All sections of a policy."""

    motion: Motion = Motion()
    openness: Openness = Openness()
    nomination: Nomination = Nomination()
    recommendation: Recommendation = Recommendation()
    inspection: Inspection = Inspection()
    deliberation: Deliberation = Deliberation()
    decision: DecisionRules = DecisionRules()
    ballot: Ballot = Ballot()
    notice: Notice = Notice()
    probation: Probation = Probation()
    disclosure: Disclosure = Disclosure()
    moving_down: MovingDown = MovingDown()
    eligibility: Eligibility = Eligibility()
    avoidance: Avoidance = Avoidance()
    rotation: Rotation = Rotation()
    audit: Audit = Audit()
    integrity: Integrity = Integrity()
    competition: Competition = Competition()
    record: Record = Record()
    personal_matters: PersonalMatters = PersonalMatters()
    qualification: Qualification = Qualification()
    pipeline: Pipeline = Pipeline()
    removal: Removal = Removal()


PolicyId = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z0-9][a-z0-9-]*$")]
ParentRef = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z0-9][a-z0-9-]*@[1-9][0-9]*$")]


class PolicyFile(PolicyBody):
    """One policy file as written (before inheritance is applied)."""

    id: PolicyId
    name: Text
    version: Positive
    effective: date
    inherits: ParentRef | None = None
    description: str = ""


SECTION_LABELS: dict[str, str] = {
    "motion": "动议",
    "openness": "公开",
    "nomination": "推荐提名",
    "recommendation": "民主推荐",
    "inspection": "组织考察",
    "deliberation": "沟通酝酿",
    "decision": "讨论决定",
    "ballot": "计票",
    "notice": "任前公示",
    "probation": "试用期",
    "disclosure": "有关事项公开",
    "moving_down": "能上能下",
    "eligibility": "任职资格",
    "avoidance": "任职回避",
    "rotation": "交流轮岗",
    "audit": "经济责任审计",
    "integrity": "廉政把关",
    "competition": "竞争上岗",
    "record": "全程纪实",
    "personal_matters": "个人有关事项报告",
    "qualification": "参与资格",
    "pipeline": "年轻干部培养",
    "removal": "免职",
}


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The model class inside ``X | None`` (or ``X`` itself)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                return arg
    return None


def rule_types(model: type[BaseModel] = PolicyBody, prefix: str = "") -> Iterator[tuple[str, type[Rule]]]:
    """Every rule path the format knows, with its rule class, in file order."""
    for name, info in model.model_fields.items():
        inner = _model_of(info.annotation)
        if inner is None:
            continue
        path = f"{prefix}{name}"
        if issubclass(inner, Rule):
            yield path, inner
        elif issubclass(inner, Section):
            yield from rule_types(inner, f"{path}.")


RULE_PATHS: frozenset[str] = frozenset(path for path, _ in rule_types())
