"""Selection rules as data (选任规则): pure Python, no Django, no clock, no database.

Policies are TOML files in ``policies/`` (one file per version), validated by :mod:`.schema` and
resolved with inheritance by :mod:`.policy`. Every evaluator takes a resolved :class:`Policy` and
plain values (``today`` is passed in) and returns :class:`Decision` values that say what was
decided, by which rule (``"linze recommendation.threshold.open"``), from which passage
(``"000 三、"``), from which figures, and the arithmetic in words.

Entry points:

- policies: :func:`get_policy`, :func:`builtin_registry`, :class:`PolicyRegistry`,
  :func:`parse_policy_text`, :class:`PolicyRef` (``id, version, sha256``);
- recommendation: :func:`judge_recommendation`, :func:`check_recommendation_attendance`,
  :func:`check_nomination_participation`;
- ratios: :func:`shortlist`, :func:`check_ratio`, :func:`marks_allowed`;
- evaluation: :func:`judge_evaluation`, :func:`check_team_agreement`, :func:`judge_trust_vote`;
- meetings: :func:`check_quorum`, :func:`judge_vote`, :func:`check_speaking_order`,
  :func:`check_positions`, :func:`full_committee_required`;
- ballots: :func:`judge_ballot`, :func:`tally_ballots`;
- eligibility and avoidance: :func:`check_eligibility`, :func:`check_avoidance`;
- deadlines: :mod:`.deadlines`; working days: :mod:`.calendar`;
- procedure: :func:`person_steps`, :func:`next_step`, :func:`check_step`;
- sandbox: :func:`sandbox`; command line: :func:`xuanren.rules.cli.run`.
"""

from .avoidance import Avoidance, ProposedPost, Relative, check_avoidance
from .ballots import BallotJudgement, PostVerdict, judge_ballot, tally_ballots
from .calendar import CalendarDataMissing, YearSchedule, add_working_days, is_working_day, notice_end
from .decision import Decision, Outcome, RuleInputError
from .eligibility import (
    AuditStatus,
    CadreFacts,
    Eligibility,
    ExceptionalRequest,
    HigherApproval,
    PostRequirements,
    check_eligibility,
)
from .evaluation import check_team_agreement, judge_evaluation, judge_trust_vote
from .meetings import check_positions, check_quorum, check_speaking_order, full_committee_required, judge_vote
from .policy import (
    Policy,
    PolicyError,
    PolicyIntegrityError,
    PolicyRef,
    PolicyRegistry,
    builtin_registry,
    get_policy,
    parse_policy_text,
    rule_views,
)
from .procedure import check_step, next_step, person_steps
from .recommendation import (
    check_nomination_participation,
    check_recommendation_attendance,
    judge_recommendation,
)
from .sandbox import SandboxOutcome, SandboxResult, sandbox
from .shortlist import Shortlist, check_ratio, marks_allowed, shortlist
from .vocabulary import Education, Kinship, Level, PostFunction, RecommendationMode

__all__ = [
    "AuditStatus",
    "Avoidance",
    "BallotJudgement",
    "CadreFacts",
    "CalendarDataMissing",
    "Decision",
    "Education",
    "Eligibility",
    "ExceptionalRequest",
    "HigherApproval",
    "Kinship",
    "Level",
    "Outcome",
    "Policy",
    "PolicyError",
    "PolicyIntegrityError",
    "PolicyRef",
    "PolicyRegistry",
    "PostFunction",
    "PostRequirements",
    "PostVerdict",
    "ProposedPost",
    "RecommendationMode",
    "Relative",
    "RuleInputError",
    "SandboxOutcome",
    "SandboxResult",
    "Shortlist",
    "YearSchedule",
    "add_working_days",
    "builtin_registry",
    "check_avoidance",
    "check_eligibility",
    "check_nomination_participation",
    "check_positions",
    "check_quorum",
    "check_ratio",
    "check_recommendation_attendance",
    "check_speaking_order",
    "check_step",
    "check_team_agreement",
    "full_committee_required",
    "get_policy",
    "is_working_day",
    "judge_ballot",
    "judge_evaluation",
    "judge_recommendation",
    "judge_trust_vote",
    "judge_vote",
    "marks_allowed",
    "next_step",
    "notice_end",
    "parse_policy_text",
    "person_steps",
    "rule_views",
    "sandbox",
    "shortlist",
    "tally_ballots",
]
