"""Every change to exam rounds, examiners and scores: one function each, in one durable
transaction with its full-process record entry (``xuanren.record.api``).

Who may do what (DOMAIN D0; ``docs/competition.md``):

- the cadre section (组织部干部科) sets up rounds, records examiners with their recusal
  declarations and enters score sheets, copied from the sheets the examiners signed — examiners
  (role ``examiner``) do not log in to score;
- a second person checks the entered sheet against the signed sheets and locks the round
  (复核锁定): the cadre section or the department head, never the person who entered it;
- after locking a score changes only by :func:`correct_score`, which keeps the old value and the
  reason (a ``correction`` entry naming the sheet's entry);
- the cadre section or the department head publishes a locked round: examiners' names and every
  individual score go on the public portal (001 一、（三）2).

A checked round's pass line stops, in the campaign itself, those below it or absent
(:func:`pass_line_stops`, applied by :func:`lock_round` and :func:`correct_score`): their candidate
state becomes ``stopped`` with the rule and the figures, so later campaign steps refuse them.

Refusals raise :class:`CompetitionRefused` carrying the rule id and a Chinese message; a refused
action writes nothing at all.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.db.models import Q
from django.utils import timezone

from xuanren.campaigns import engine
from xuanren.campaigns.models import Campaign, Candidate, Vacancy
from xuanren.competition import scoring
from xuanren.competition.models import Absence, Examiner, ExamRound, Score, ScoreCorrection
from xuanren.ledger.canonical import parse_time
from xuanren.record.api import append, recorded_action

ENTERERS = ("cadre_officer",)
REVIEWERS = ("cadre_officer", "department_head")
PUBLISHERS = ("cadre_officer", "department_head")
CORRECTORS = ("cadre_officer", "department_head")
# Candidates who sit the exams: those past qualification review (审查, the first gate of 004) and
# not stopped or disqualified.
NOT_SITTING = (Candidate.State.NOMINATED, Candidate.State.DISQUALIFIED, Candidate.State.STOPPED)
# Where the publication of examiners' names and scores comes from when the campaign's policy does
# not carry the rule itself.
PUBLICATION_SOURCE = "001 一、（三）2"
PUBLICATION_QUOTE = "竞争上岗、公开选拔的面试环节,考官的姓名和具体评分也应公开"
STAGE = "competition"
# A candidate below the pass line of a checked round, or absent from it, goes no further in the
# campaign (004's seven gates 七关口: 笔试、面试、测评 are gates passed one after another); the
# line itself is the announcement's (``ExamRound.pass_line``). The campaign's candidate is stopped
# with this rule and ``stopped_step`` STAGE (see :func:`_apply_pass_lines`).
PASS_LINE_RULE = "competition.pass_line"
PASS_LINE_SOURCE = "004 重导向·竞争上岗"
PASS_LINE_QUOTE = "审查、笔试、面试、测评、考察、决定、公示“七关口”"
# A candidate in one of these states is past the review and still in the campaign: a pass line
# stops only them (never one nominated, disqualified, rejected or already stopped).
STOPPABLE = tuple(
    state
    for state in Candidate.State.values
    if state not in (*NOT_SITTING, Candidate.State.REJECTED, Candidate.State.PROBATION_FAILED)
)


class CompetitionRefused(Exception):
    """A refused action: ``rule`` names the rule or check, ``message`` says why in Chinese;
    ``problems`` lists every problem found in a score sheet."""

    def __init__(
        self,
        rule: str,
        message: str,
        problems: Sequence[str] = (),
        cells: Sequence[tuple[int, int | None]] = (),
    ) -> None:
        self.rule = rule
        self.message = message
        self.problems = list(problems) or [message]
        self.cells = list(cells)  # the sheet's (candidate id, examiner id) with a problem
        super().__init__(f"{message}（{rule}）")


def _check(user: Any, campaign: Campaign, roles: tuple[str, ...]) -> None:
    if user is None or not getattr(user, "is_authenticated", False):
        raise CompetitionRefused("competition.access", "请先登录")
    if getattr(user, "is_superuser", False):
        return
    own = getattr(user, "jurisdiction", None)
    if own is None or not campaign.jurisdiction.path.startswith(own.path):
        raise CompetitionRefused("competition.access", f"{campaign.title}不在您的管辖范围内")
    if not user.has_role(*roles):
        raise CompetitionRefused("competition.access", "您的角色不能办理这项考试工作")


def _entry(round: ExamRound, action: str, actor: Any, payload: dict[str, Any], **extra: Any) -> Any:
    campaign = round.campaign
    return append(
        action=action,
        actor=actor,
        jurisdiction_code=campaign.jurisdiction.code,
        campaign_id=campaign.pk,
        stage=STAGE,
        step=str(round.kind),
        payload={"round": round.pk, "round_title": round.title, "kind": str(round.kind), **payload},
        **extra,
    )


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    try:
        parsed = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return parsed if parsed.is_finite() else None


def _num(value: Decimal) -> str:
    """A figure as people write it: ``100``, ``85.5`` (not ``100.00``)."""
    return f"{value.normalize():f}"


def _places_ok(value: Decimal) -> bool:
    exponent = value.as_tuple().exponent
    return isinstance(exponent, int) and (exponent >= -2 or value == value.quantize(Decimal("0.01")))


def sitting_candidates(round: ExamRound) -> list[Candidate]:
    """The candidates who sit the round: the campaign's (the round's post only, when it has one),
    past qualification review and not stopped, in the campaign's order, less those an earlier
    round's pass line has stopped (:func:`stopped_by_pass_line`)."""
    qs = Candidate.objects.filter(campaign_id=round.campaign_id).exclude(state__in=NOT_SITTING)
    if round.vacancy_id:
        qs = qs.filter(vacancy_id=round.vacancy_id)
    out = stopped_by_pass_line(round)
    return [c for c in qs.select_related("cadre").order_by("sort_order", "id") if c.pk not in out]


def round_order(round: ExamRound) -> tuple[int, date, int]:
    """A round's place in its campaign: ``sort_order``, then the date, then the pk."""
    return (round.sort_order, round.held_on, round.pk)


@dataclass(frozen=True)
class PassLineStop:
    """A candidate a checked round's pass line stops: below it (``score``) or absent (缺考)."""

    candidate_id: int
    round: ExamRound
    score: Fraction | None  # None when absent

    @property
    def absent(self) -> bool:
        return self.score is None

    @property
    def reason(self) -> str:
        """Why, with the figures: "笔试成绩 59.50 分，未达合格线 60 分" or "笔试缺考"."""
        if self.score is None:
            return f"{self.round.title}缺考"
        line = _num(self.round.pass_line)  # type: ignore[arg-type]
        return f"{self.round.title}成绩 {scoring.show(self.score)} 分，未达合格线 {line} 分"

    @property
    def short(self) -> str:
        """Why, in a table's cell: "未达笔试合格线" or "笔试缺考"."""
        return f"{self.round.title}缺考" if self.score is None else f"未达{self.round.title}合格线"


def pass_line_stops(
    rounds: Sequence[ExamRound],
    results: Mapping[int, Mapping[int, RoundResult]],
    absent: Mapping[int, Collection[int]],
) -> dict[int, PassLineStop]:
    """Who the checked rounds stop (the one definition; pure): candidate id → the stop.

    Every candidate below the pass line of a checked round (locked or published, so after 复核) or
    absent from it; a round still being entered stops nobody. Rounds are taken in their order
    (``sort_order``, date, pk) and a candidate stopped by an earlier round is not judged again by a
    later one. Only those who sat a round have a result or an absence in it, so a round of one post
    judges that post's candidates. ``results`` and ``absent`` are by round pk."""
    out: dict[int, PassLineStop] = {}
    for r in sorted(rounds, key=round_order):
        if r.pass_line is None or r.editable:
            continue
        for cid in sorted(absent.get(r.pk, ())):
            out.setdefault(cid, PassLineStop(cid, r, None))
        for cid, result in sorted(results.get(r.pk, {}).items()):
            if result.passed is False:
                out.setdefault(cid, PassLineStop(cid, r, result.score))
    return out


def campaign_pass_line_stops(campaign_id: int) -> dict[int, PassLineStop]:
    """:func:`pass_line_stops` of a campaign's rounds as stored now (three queries)."""
    checked = list(
        ExamRound.objects.filter(campaign_id=campaign_id, pass_line__isnull=False).exclude(
            status=ExamRound.Status.DRAFT
        )
    )
    if not checked:
        return {}
    scores: dict[int, list[Score]] = {r.pk: [] for r in checked}
    for s in Score.objects.filter(round__in=checked):
        scores[s.round_id].append(s)
    absent: dict[int, set[int]] = {r.pk: set() for r in checked}
    for round_id, cid in Absence.objects.filter(round__in=checked).values_list("round_id", "candidate_id"):
        absent[round_id].add(cid)
    return pass_line_stops(checked, {r.pk: round_results(r, scores[r.pk]) for r in checked}, absent)


def stopped_by_pass_line(round: ExamRound) -> dict[int, str]:
    """Candidate id → why they do not go on to ``round``: stopped by an earlier round's pass line
    (:func:`pass_line_stops`), below it or absent from it (缺考)."""
    return {
        cid: stop.reason
        for cid, stop in campaign_pass_line_stops(round.campaign_id).items()
        if round_order(stop.round) < round_order(round)
    }


# --------------------------------------------------------------------------- rounds


def create_round(
    campaign: Campaign,
    *,
    acting_user: Any,
    today: date,
    kind: str,
    title: str,
    held_on: date,
    max_score: Decimal,
    weight: Decimal,
    method: str,
    pass_line: Decimal | None = None,
    vacancy: Vacancy | None = None,
) -> ExamRound:
    """Set up a round (设立考试) as the announcement states it."""
    kind, method = str(kind), str(method)
    _check(acting_user, campaign, ENTERERS)
    if campaign.status in (Campaign.Status.FINISHED, Campaign.Status.CANCELLED):
        raise CompetitionRefused("competition.round", "选任工作已完成或终止，不能再设立考试")
    if kind not in ExamRound.Kind.values:
        raise CompetitionRefused("competition.round", f"考试类别不正确：{kind}")
    if method not in ExamRound.Method.values:
        raise CompetitionRefused("competition.round", f"计分方法不正确：{method}")
    if kind == ExamRound.Kind.WRITTEN and method != scoring.SINGLE:
        raise CompetitionRefused(
            "competition.round", "笔试由阅卷评分，每名人选一个成绩，计分方法应为“单一成绩”"
        )
    if kind != ExamRound.Kind.WRITTEN and method == scoring.SINGLE:
        raise CompetitionRefused("competition.round", "面试和测评由考官评分，请选择按考官评分计算的方法")
    if not title.strip():
        raise CompetitionRefused("competition.round", "请填写考试名称")
    if max_score <= 0:
        raise CompetitionRefused("competition.round", "满分应大于 0")
    if not (Decimal(0) < weight <= Decimal(1)):
        raise CompetitionRefused("competition.round", "权重应大于 0 且不超过 1（即 100%）")
    if pass_line is not None and not (Decimal(0) <= pass_line <= max_score):
        raise CompetitionRefused("competition.round", f"合格分数线应在 0 至满分 {max_score} 之间")
    if vacancy is not None and vacancy.campaign_id != campaign.pk:
        raise CompetitionRefused("competition.round", "所选职位不属于这项选任工作")
    with recorded_action():
        # The weights a candidate's combined score adds up: the campaign-wide rounds plus those of
        # their post; a campaign-wide round joins every post's sum.
        common, per_post = Decimal(0), dict[int, Decimal]()
        for post_id, w in ExamRound.objects.filter(campaign=campaign).values_list("vacancy_id", "weight"):
            if post_id is None:
                common += w
            else:
                per_post[post_id] = per_post.get(post_id, Decimal(0)) + w
        if vacancy is not None:
            taken = common + per_post.get(vacancy.pk, Decimal(0))
        else:
            taken = common + max(per_post.values(), default=Decimal(0))
        if taken + weight > 1:
            raise CompetitionRefused(
                "competition.weights",
                f"各项考试权重合计不能超过 100%：已设 {taken * 100:.2f}%，本项 {weight * 100:.2f}%",
            )
        round = ExamRound.objects.create(
            campaign=campaign,
            vacancy=vacancy,
            kind=kind,
            title=title.strip(),
            held_on=held_on,
            max_score=max_score,
            weight=weight,
            pass_line=pass_line,
            method=method,
            sort_order=ExamRound.objects.filter(campaign=campaign).count(),
        )
        _entry(
            round,
            "exam_round_created",
            acting_user,
            {
                "held_on": held_on,
                "max_score": max_score,
                "weight": weight,
                "pass_line": pass_line,
                "method": method,
                "vacancy": vacancy.pk if vacancy else None,
                "created_on": today,
            },
        )
    return round


def add_examiner(
    round: ExamRound,
    *,
    acting_user: Any,
    today: date,
    name: str,
    unit_post: str,
    role: str = Examiner.Role.MEMBER,
    no_relationship: bool,
    declaration: str = "",
) -> Examiner:
    """Record an examiner (确定考官) with the recusal declaration: an examiner who has a kinship or
    other interest with any candidate of the round recuses (回避) and cannot be added."""
    role = str(role)
    _check(acting_user, round.campaign, ENTERERS)
    if not round.has_examiners:
        raise CompetitionRefused("competition.examiners", "笔试每名人选一个成绩，不设考官")
    if not name.strip() or not unit_post.strip():
        raise CompetitionRefused("competition.examiners", "请填写考官姓名和单位及职务")
    if role not in Examiner.Role.values:
        raise CompetitionRefused("competition.examiners", f"考官身份不正确：{role}")
    if not no_relationship:
        raise CompetitionRefused(
            "competition.examiner_recusal",
            f"{name.strip()} 未声明与本轮全部人选无亲属关系或其他利害关系：应当回避，不能担任考官",
        )
    names = {c.cadre.name for c in sitting_candidates(round)}
    if name.strip() in names:
        raise CompetitionRefused("competition.examiner_recusal", f"{name.strip()} 是本轮人选，不能担任考官")
    with recorded_action():
        round = ExamRound.objects.select_for_update().get(pk=round.pk)
        if not round.editable:
            raise CompetitionRefused("competition.locked", "成绩已锁定，不能再增加考官")
        if role == Examiner.Role.CHIEF and round.examiners.filter(role=Examiner.Role.CHIEF).exists():
            raise CompetitionRefused("competition.examiners", "本轮已有主考官")
        if round.examiners.filter(name=name.strip()).exists():
            raise CompetitionRefused("competition.examiners", f"{name.strip()} 已是本轮考官")
        examiner = Examiner.objects.create(
            round=round,
            name=name.strip(),
            unit_post=unit_post.strip(),
            role=role,
            no_relationship=True,
            declaration=declaration.strip(),
            declared_on=today,
            sort_order=round.examiners.count(),
        )
        entry = _entry(
            round,
            "examiner_added",
            acting_user,
            {
                "examiner": examiner.pk,
                "name": examiner.name,
                "unit_post": examiner.unit_post,
                "role": role,
                "no_relationship": True,
                "declaration": examiner.declaration,
                "declared_on": today,
            },
        )
        examiner.entry_seq = entry.seq
        examiner.save(update_fields=["entry_seq"])
    return examiner


# --------------------------------------------------------------------------- scores

Sheet = Mapping[tuple[int, int | None], Any]


def enter_scores(
    round: ExamRound, *, acting_user: Any, sheet: Sheet, absent: Collection[int] = ()
) -> list[Score]:
    """Enter a whole score sheet (录入成绩): ``{(candidate id, examiner id or None): score}``, and
    the ids of the candidates who did not sit the round (``absent``, 缺考).

    All or nothing: every candidate who sits the round and is not absent needs a score from every
    examiner (one score in a written test), each between 0 and the maximum with at most two
    decimals, and an absent candidate has none; every problem is listed, naming the examiner and
    the candidate, and nothing is saved. Entering the sheet again before the round is locked
    replaces it.
    """
    _check(acting_user, round.campaign, ENTERERS)
    candidates = sitting_candidates(round)
    examiners: list[Examiner | None] = list(round.examiners.order_by("sort_order", "id"))
    if not round.has_examiners:
        examiners = [None]
    elif not examiners:
        raise CompetitionRefused("competition.examiners", "请先确定考官（含回避声明），再录入评分")
    if not candidates:
        raise CompetitionRefused("competition.sheet_complete", "没有参加本轮考试的人选")
    absent = set(absent)
    known = {(c.pk, e.pk if e else None) for c in candidates for e in examiners}
    problems: list[str] = []
    cells: list[tuple[int, int | None]] = []
    values: dict[tuple[int, int | None], Decimal] = {}
    for c in candidates:
        if c.pk in absent:
            given = [e for e in examiners if str(sheet.get((c.pk, e.pk if e else None)) or "").strip()]
            if given:
                problems.append(f"{c.cadre.name}已标记缺考，不应有成绩")
                cells.extend((c.pk, e.pk if e else None) for e in given)
            continue
        for e in examiners:
            who = f"考官{e.name}给{c.cadre.name}的评分" if e else f"{c.cadre.name}的成绩"
            key = (c.pk, e.pk if e else None)
            raw = sheet.get(key)
            found = len(problems)
            if raw is None or str(raw).strip() == "":
                problems.append(f"{who}未填写")
                cells.append(key)
                continue
            value = _decimal(raw)
            if value is None:
                problems.append(f"{who}“{raw}”不是数字")
            elif not (Decimal(0) <= value <= round.max_score):
                problems.append(f"{who} {raw} 分超出 0 至 {_num(round.max_score)} 分的范围")
            elif not _places_ok(value):
                problems.append(f"{who} {raw} 分最多保留两位小数")
            else:
                values[key] = value
            if len(problems) > found:
                cells.append(key)
    unknown = [key for key in sheet if key not in known and str(sheet[key] or "").strip()]
    listed_absent = absent - {c.pk for c in candidates}
    out = {cid for cid, _ in unknown} | listed_absent
    if out:
        # Name those who do not sit the round and say why (an earlier round's pass line, or
        # stopped in the campaign); what remains is not of this round at all.
        why = stopped_by_pass_line(round)
        others = Candidate.objects.filter(campaign_id=round.campaign_id, pk__in=out).select_related("cadre")
        named: list[str] = []
        for c in sorted(others, key=lambda c: (c.sort_order, c.pk)):
            if round.vacancy_id and c.vacancy_id != round.vacancy_id:
                reason = "不是本职位的人选"
            else:
                reason = why.get(c.pk) or (c.stopped_reason if not c.active else "") or c.get_state_display()
            what = "不应有成绩" if c.pk not in listed_absent else "不应列入缺考名单"
            named.append(f"{c.cadre.name}未进入本轮考试（{reason}），{what}")
            cells.extend(key for key in unknown if key[0] == c.pk)
        problems[:0] = named
        seen = {c.pk for c in others}
        unknown = [key for key in unknown if key[0] not in seen]
        if listed_absent - seen:
            problems.append("缺考名单中有不参加本轮考试的人选")
    if unknown:
        problems.append(f"成绩单中有 {len(unknown)} 项不属于本轮的人选或考官")
    if len(absent) >= len(candidates) and not problems:
        problems.append("全部人选缺考：没有可以录入的成绩")
    if problems:
        raise CompetitionRefused("competition.score_range", problems[0], problems, cells)
    with recorded_action():
        round = (
            ExamRound.objects.select_for_update().select_related("campaign__jurisdiction").get(pk=round.pk)
        )
        if not round.editable:
            raise CompetitionRefused(
                "competition.locked", "成绩已复核锁定；如需改正，请使用“更正成绩”并说明理由"
            )
        Score.objects.filter(round=round).delete()
        Absence.objects.filter(round=round).delete()
        Absence.objects.bulk_create(Absence(round=round, candidate_id=cid) for cid in sorted(absent))
        scores = Score.objects.bulk_create(
            Score(round=round, candidate_id=cid, examiner_id=eid, value=v) for (cid, eid), v in values.items()
        )
        names = {c.pk: c.cadre.name for c in candidates}
        examiner_names = {e.pk: e.name for e in examiners if e}
        entry = _entry(
            round,
            "exam_scores_entered",
            acting_user,
            {
                "scores": [
                    {
                        "candidate": cid,
                        "candidate_name": names[cid],
                        "examiner": eid,
                        "examiner_name": examiner_names.get(eid) if eid else None,
                        "value": v,
                    }
                    for (cid, eid), v in values.items()
                ],
                "absent": [{"candidate": cid, "candidate_name": names[cid]} for cid in sorted(absent)],
            },
        )
        round.sheet_entered_by = acting_user
        round.sheet_entry_seq = entry.seq
        round.save(update_fields=["sheet_entered_by", "sheet_entry_seq"])
    return scores


@dataclass(frozen=True)
class RoundResult:
    """One candidate's result in a round: the exact round score, its place and the pass line."""

    candidate_id: int
    score: Any  # Fraction
    place: scoring.Place
    passed: bool | None
    dropped: bool


def round_results(round: ExamRound, scores: Sequence[Score] | None = None) -> dict[int, RoundResult]:
    """The round score of every candidate with scores, by the round's method, ranked exactly."""
    found = list(scores) if scores is not None else list(round.scores.all())
    by_candidate: dict[int, list[Decimal]] = {}
    for s in found:
        by_candidate.setdefault(s.candidate_id, []).append(s.value)
    values = {cid: scoring.round_score(round.method, v) for cid, v in by_candidate.items()}
    places = scoring.rank(values)
    return {
        cid: RoundResult(
            candidate_id=cid,
            score=values[cid],
            place=places[cid],
            passed=None if round.pass_line is None else values[cid] >= round.pass_line,
            dropped=scoring.dropped(round.method, len(by_candidate[cid])),
        )
        for cid in values
    }


def _results_payload(round: ExamRound, names: Mapping[int, str]) -> list[dict[str, Any]]:
    results = round_results(round, list(round.scores.all()))
    return [
        {
            "candidate": r.candidate_id,
            "candidate_name": names.get(r.candidate_id, ""),
            "score": scoring.exact(r.score),
            "rank": r.place.rank,
            "shared": r.place.shared,
            "passed": r.passed,
        }
        for r in sorted(results.values(), key=lambda r: (r.place.rank, r.candidate_id))
    ]


def _names(round: ExamRound) -> dict[int, str]:
    return dict(
        Candidate.objects.filter(exam_scores__round=round).distinct().values_list("pk", "cadre__name")
    )


STOPPED_ACTION = "candidate_stopped_by_pass_line"
RESUMED_ACTION = "candidate_resumed_after_correction"


def _record_stop(stop: PassLineStop, candidate: Candidate, actor: Any, cause: Any, **extra: Any) -> None:
    """The entry of a stop by a pass line (or of its new reason), naming the candidate."""
    payload = {
        "candidate": candidate.pk,
        "candidate_name": candidate.cadre.name,
        "rule": PASS_LINE_RULE,
        "source": PASS_LINE_SOURCE,
        "quote": PASS_LINE_QUOTE,
        "score": None if stop.score is None else scoring.exact(stop.score),
        "absent": stop.absent,
        "pass_line": stop.round.pass_line,
        "reason": stop.reason,
        **extra,
        "cause": cause.seq,
    }
    _entry(stop.round, STOPPED_ACTION, actor, payload, candidate_id=candidate.cadre_id)


def _apply_pass_lines(round: ExamRound, *, acting_user: Any, cause: Any) -> None:
    """Bring the campaign's candidates in line with :func:`campaign_pass_line_stops` after
    ``round`` was locked or corrected (``cause``, that entry): inside the caller's
    ``recorded_action()``, one entry each, naming the candidate (so 一人一表 lists it).

    - a candidate in an active state whom a checked round's pass line stops is stopped
      (``stopped_step`` STAGE, rule :data:`PASS_LINE_RULE`, the reason with the figures), the
      state before the stop kept in the entry;
    - a candidate stopped here whom no round stops any more (a correction lifted the score to the
      line) goes back to the state the stop's entry kept; one stopped here by another round or
      with other figures keeps the stop with the new reason;
    - a candidate stopped by anything else, disqualified or not yet reviewed is never touched.
    """
    from xuanren.record.models import Entry

    stops = campaign_pass_line_stops(round.campaign_id)
    candidates = list(
        Candidate.objects.select_for_update(of=("self",))
        .select_related("cadre")
        .filter(campaign_id=round.campaign_id)
        .filter(Q(pk__in=set(stops)) | Q(state=Candidate.State.STOPPED, stopped_step=STAGE))
    )
    for candidate in sorted(candidates, key=lambda c: (c.sort_order, c.pk)):
        stop = stops.get(candidate.pk)
        ours = candidate.state == Candidate.State.STOPPED and candidate.stopped_step == STAGE
        if stop is not None and candidate.state in STOPPABLE:
            before = candidate.state
            candidate.state = Candidate.State.STOPPED
            candidate.stopped_rule = PASS_LINE_RULE
            candidate.stopped_reason = stop.reason
            candidate.stopped_step = STAGE
            candidate.save(update_fields=["state", "stopped_rule", "stopped_reason", "stopped_step"])
            _record_stop(stop, candidate, acting_user, cause, state_before=before)
        elif stop is not None and ours and candidate.stopped_reason != stop.reason:
            previous = candidate.stopped_reason
            candidate.stopped_reason = stop.reason
            candidate.save(update_fields=["stopped_reason"])
            _record_stop(stop, candidate, acting_user, cause, previous_reason=previous)
        elif stop is None and ours:
            # The state before the stop, as the stop's own entry kept it (never guessed).
            stops_kept = Entry.objects.filter(
                campaign_id=round.campaign_id, candidate_id=candidate.cadre_id, action=STOPPED_ACTION
            ).order_by("-seq")
            found = next(((e.seq, e.payload) for e in stops_kept if "state_before" in e.payload), None)
            if found is None:
                raise CompetitionRefused(
                    PASS_LINE_RULE, f"{candidate.cadre.name}的终止记录中没有终止前的状态，不能自动恢复"
                )
            seq, payload = found
            candidate.state = payload["state_before"]
            candidate.stopped_rule = candidate.stopped_reason = candidate.stopped_step = ""
            candidate.save(update_fields=["state", "stopped_rule", "stopped_reason", "stopped_step"])
            _entry(
                round,
                RESUMED_ACTION,
                acting_user,
                {
                    "candidate": candidate.pk,
                    "candidate_name": candidate.cadre.name,
                    "rule": PASS_LINE_RULE,
                    "reason": f"更正成绩后已达到合格线（原终止：{payload.get('reason', '')}）",
                    "resumed_state": candidate.state,
                    "stop": seq,
                    "cause": cause.seq,
                },
                candidate_id=candidate.cadre_id,
            )


def lock_round(round: ExamRound, *, acting_user: Any) -> ExamRound:
    """Check the entered sheet against the signed sheets and lock it (复核锁定). The checker is a
    second person: never the one who entered the sheet. A round with a pass line then stops, in
    the campaign, those below it or absent (:func:`_apply_pass_lines`)."""
    _check(acting_user, round.campaign, REVIEWERS)
    with recorded_action():
        round = (
            ExamRound.objects.select_for_update().select_related("campaign__jurisdiction").get(pk=round.pk)
        )
        if not round.editable:
            raise CompetitionRefused("competition.locked", "成绩已经锁定")
        if round.sheet_entry_seq is None:
            raise CompetitionRefused("competition.sheet_complete", "尚未录入成绩")
        if round.sheet_entered_by_id == getattr(acting_user, "pk", None):
            raise CompetitionRefused("competition.second_person", "复核锁定须由录入人以外的另一人办理")
        examiners = set(round.examiners.values_list("pk", flat=True)) if round.has_examiners else {None}
        per_candidate: dict[int, set[int | None]] = {}
        for cid, eid in round.scores.values_list("candidate_id", "examiner_id"):
            per_candidate.setdefault(cid, set()).add(eid)
        if not per_candidate or any(got != examiners for got in per_candidate.values()):
            raise CompetitionRefused(
                "competition.sheet_complete", "成绩单不完整（录入后又增加了考官？）：请重新录入整张成绩单"
            )
        round.status = ExamRound.Status.LOCKED
        round.locked_by = acting_user
        round.locked_at = timezone.now()
        round.save(update_fields=["status", "locked_by", "locked_at"])
        entry = _entry(
            round,
            "exam_round_locked",
            acting_user,
            {"sheet": round.sheet_entry_seq, "results": _results_payload(round, _names(round))},
            kind="review",
            refs=[round.sheet_entry_seq],
        )
        if round.pass_line is not None:  # checked now: its pass line stops those below it
            _apply_pass_lines(round, acting_user=acting_user, cause=entry)
    return round


def correct_score(score: Score, *, acting_user: Any, value: Any, reason: str) -> ScoreCorrection:
    """Correct one score of a locked round (更正成绩): the old value stays in the correction row
    and in the record entry, with the reason. In a round with a pass line, a candidate the
    correction puts below it is stopped and one it lifts to it resumes (:func:`_apply_pass_lines`)."""
    round = score.round
    _check(acting_user, round.campaign, CORRECTORS)
    if not reason.strip():
        raise CompetitionRefused("competition.correction", "请填写更正理由")
    new = _decimal(value)
    who = (
        f"考官{score.examiner.name}给{score.candidate.cadre.name}的评分"
        if score.examiner_id and score.examiner
        else f"{score.candidate.cadre.name}的成绩"
    )
    if new is None:
        raise CompetitionRefused("competition.score_range", f"{who}“{value}”不是数字")
    if not (Decimal(0) <= new <= round.max_score):
        raise CompetitionRefused(
            "competition.score_range", f"{who} {value} 分超出 0 至 {_num(round.max_score)} 分的范围"
        )
    if not _places_ok(new):
        raise CompetitionRefused("competition.score_range", f"{who} {value} 分最多保留两位小数")
    with recorded_action():
        round = (
            ExamRound.objects.select_for_update().select_related("campaign__jurisdiction").get(pk=round.pk)
        )
        if round.editable:
            raise CompetitionRefused("competition.correction", "成绩尚未锁定：请直接重新录入成绩单")
        score = Score.objects.select_for_update().get(pk=score.pk)
        old = score.value
        if old == new:
            raise CompetitionRefused("competition.correction", f"{who}没有变化")
        score.value = new
        score.save(update_fields=["value"])
        entry = _entry(
            round,
            "exam_score_corrected",
            acting_user,
            {
                "score": score.pk,
                "candidate": score.candidate_id,
                "candidate_name": score.candidate.cadre.name,
                "examiner": score.examiner_id,
                "examiner_name": score.examiner.name if score.examiner else None,
                "old_value": old,
                "new_value": new,
                "reason": reason.strip(),
                "results": _results_payload(round, _names(round)),
            },
            kind="correction",
            refs=[round.sheet_entry_seq] if round.sheet_entry_seq is not None else [],
        )
        correction = ScoreCorrection.objects.create(
            score=score,
            old_value=old,
            new_value=new,
            reason=reason.strip(),
            corrected_by=acting_user,
            corrected_at=parse_time(entry.time) if isinstance(entry.time, str) else timezone.now(),
            entry_seq=entry.seq,
        )
        if round.pass_line is not None:  # the score may now be on the other side of the line
            _apply_pass_lines(round, acting_user=acting_user, cause=entry)
    return correction


def publish_round(round: ExamRound, *, acting_user: Any) -> ExamRound:
    """Publish a locked round (公布): the examiners' names and every individual score go on the
    public portal, with the round scores, the combined score and the ranking (001 一、（三）2)."""
    _check(acting_user, round.campaign, PUBLISHERS)
    with recorded_action():
        round = (
            ExamRound.objects.select_for_update().select_related("campaign__jurisdiction").get(pk=round.pk)
        )
        campaign = round.campaign  # as stored now, not as the caller last saw it
        if campaign.method_published_on is None:
            raise CompetitionRefused(
                "competition.publish", "选任方式和程序尚未公开，考试成绩不能先于选任工作公开"
            )
        if round.status != ExamRound.Status.LOCKED:
            raise CompetitionRefused(
                "competition.publish",
                "成绩已经公布" if round.status == ExamRound.Status.PUBLISHED else "成绩须先复核锁定才能公布",
            )
        rule = engine.policy_of(campaign).competition.examiners_published
        examiners = list(round.examiners.order_by("sort_order", "id"))
        scores = list(round.scores.select_related("candidate__cadre", "examiner"))
        entry = _entry(
            round,
            "exam_results_published",
            acting_user,
            {
                "rule": "competition.examiners_published",
                "source": rule.source if rule else PUBLICATION_SOURCE,
                "quote": rule.quote if rule else PUBLICATION_QUOTE,
                "examiners": [
                    {"examiner": e.pk, "name": e.name, "unit_post": e.unit_post, "role": e.role}
                    for e in examiners
                ],
                "scores": [
                    {
                        "candidate": s.candidate_id,
                        "candidate_name": s.candidate.cadre.name,
                        "examiner": s.examiner_id,
                        "value": s.value,
                    }
                    for s in scores
                ],
                "results": _results_payload(round, {s.candidate_id: s.candidate.cadre.name for s in scores}),
                "absent": [
                    {"candidate": a.candidate_id, "candidate_name": a.candidate.cadre.name}
                    for a in round.absences.select_related("candidate__cadre")
                ],
            },
        )
        round.status = ExamRound.Status.PUBLISHED
        round.published_seq = entry.seq
        round.published_at = parse_time(entry.time) if isinstance(entry.time, str) else timezone.now()
        round.save(update_fields=["status", "published_seq", "published_at"])
    return round


__all__ = [
    "CompetitionRefused",
    "add_examiner",
    "campaign_pass_line_stops",
    "correct_score",
    "create_round",
    "enter_scores",
    "lock_round",
    "pass_line_stops",
    "publish_round",
    "round_order",
    "round_results",
    "sitting_candidates",
    "stopped_by_pass_line",
]
