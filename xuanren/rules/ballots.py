"""Ballot validity and tallies (计票).

A ballot marks names per post. Marking more names than a post has seats invalidates that post's
choice — or the whole ballot, if the policy says so. A ballot with no mark for a post is blank:
under the baseline it is still a cast, valid ballot (it counts in the number of valid ballots but
for nobody).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from .decision import Decision, Outcome, RuleInputError, cite
from .policy import Policy
from .schema import BlankRule, OverMarkingRule
from .thresholds import NOT_STATED


class PostVerdict(StrEnum):
    VALID = "valid"
    BLANK = "blank"
    INVALID = "invalid"

    @property
    def label(self) -> str:
        return {PostVerdict.VALID: "有效", PostVerdict.BLANK: "空白", PostVerdict.INVALID: "无效"}[self]


@dataclass(frozen=True)
class BallotJudgement:
    posts: dict[str, PostVerdict]
    decisions: tuple[Decision, ...]

    @property
    def whole_ballot_invalid(self) -> bool:
        return bool(self.posts) and all(v is PostVerdict.INVALID for v in self.posts.values())


def _over_marking(policy: Policy) -> tuple[str, str, str]:
    rule = policy.rule("ballot.over_marking")
    if isinstance(rule, OverMarkingRule):
        return rule.invalidates, policy.rule_id("ballot.over_marking"), rule.source
    return "post", policy.rule_id("ballot.over_marking"), NOT_STATED


def judge_ballot(
    policy: Policy,
    *,
    marks: Mapping[str, Sequence[str]],
    seats: Mapping[str, int],
    ballot: str = "",
) -> BallotJudgement:
    """Judge one ballot: ``marks`` maps post -> names marked, ``seats`` post -> names allowed."""
    unknown = sorted(set(marks) - set(seats))
    if unknown:
        raise RuleInputError(f"选票上有未设置的职位：{'、'.join(unknown)}")
    invalidates, rule_id, source = _over_marking(policy)
    verdicts: dict[str, PostVerdict] = {}
    decisions: list[Decision] = []
    over = []
    for post, allowed in seats.items():
        chosen = list(dict.fromkeys(marks.get(post, ())))
        if not chosen:
            verdicts[post] = PostVerdict.BLANK
        elif len(chosen) > allowed:
            verdicts[post] = PostVerdict.INVALID
            over.append((post, len(chosen), allowed))
        else:
            verdicts[post] = PostVerdict.VALID
    for post, marked, allowed in over:
        scope = "整张选票无效" if invalidates == "ballot" else "该职位的选择无效，其他职位不受影响"
        decisions.append(
            Decision(
                outcome=Outcome.FAIL,
                rule_id=rule_id,
                source=source,
                explanation=f"{ballot + ' ' if ballot else ''}{post} 选了 {marked} 人，多于应选 {allowed} 人，{scope}"
                + cite(rule_id, source),
                inputs={"post": post, "marked": marked, "allowed": allowed, "invalidates": invalidates},
                subject=ballot or post,
                policy_version=policy.version,
            )
        )
    if over and invalidates == "ballot":
        verdicts = dict.fromkeys(verdicts, PostVerdict.INVALID)
    return BallotJudgement(verdicts, tuple(decisions))


@dataclass
class PostTally:
    cast: int = 0
    valid: int = 0
    blank: int = 0
    invalid: int = 0
    votes: Counter[str] = field(default_factory=Counter)


def tally_ballots(
    policy: Policy, *, ballots: Sequence[Mapping[str, Sequence[str]]], seats: Mapping[str, int]
) -> dict[str, PostTally]:
    """Count ballots per post: cast, valid (blank included when the policy counts it as cast),
    blank, invalid, and votes per name."""
    blank_rule = policy.rule("ballot.blank")
    blank_is_valid = blank_rule.counts_as_cast if isinstance(blank_rule, BlankRule) else True
    tallies = {post: PostTally() for post in seats}
    for marks in ballots:
        judgement = judge_ballot(policy, marks=marks, seats=seats)
        for post, verdict in judgement.posts.items():
            tally = tallies[post]
            tally.cast += 1
            if verdict is PostVerdict.INVALID:
                tally.invalid += 1
            elif verdict is PostVerdict.BLANK:
                tally.blank += 1
                tally.valid += 1 if blank_is_valid else 0
            else:
                tally.valid += 1
                tally.votes.update(dict.fromkeys(marks.get(post, ()), 1))
    return tallies
