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

Refusals raise :class:`CompetitionRefused` carrying the rule id and a Chinese message; a refused
action writes nothing at all.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

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


def _order(round: ExamRound) -> tuple[int, date, int]:
    return (round.sort_order, round.held_on, round.pk)


def stopped_by_pass_line(round: ExamRound) -> dict[int, str]:
    """Candidate id → why they do not go on to ``round``: below the pass line of an earlier round
    that applies to them, or absent from it (缺考). Only checked rounds count (locked or
    published, so after 复核); an earlier round still being entered stops nobody yet.

    "Earlier" is the rounds' order (``sort_order``, then the date); a round of the whole campaign
    applies to every candidate, a round of one post to that post's candidates."""
    earlier = [
        r
        for r in ExamRound.objects.filter(campaign_id=round.campaign_id, pass_line__isnull=False)
        .exclude(status=ExamRound.Status.DRAFT)
        .exclude(pk=round.pk)
        if _order(r) < _order(round)
    ]
    out: dict[int, str] = {}
    if not earlier:
        return out
    candidates = list(
        Candidate.objects.filter(campaign_id=round.campaign_id)
        .exclude(state__in=NOT_SITTING)
        .values_list("pk", "vacancy_id")
    )
    for r in earlier:
        results = round_results(r)
        absent = set(r.absences.values_list("candidate_id", flat=True))
        line = _num(r.pass_line)  # type: ignore[arg-type]
        for cid, vacancy_id in candidates:
            if cid in out or (r.vacancy_id and vacancy_id != r.vacancy_id):
                continue
            result = results.get(cid)
            if cid in absent:
                out[cid] = f"{r.title}缺考"
            elif result is not None and result.passed is False:
                out[cid] = f"{r.title}成绩 {scoring.show(result.score)} 分，未达合格线 {line} 分"
    return out


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
    if absent - {c.pk for c in candidates}:
        problems.append("缺考名单中有不参加本轮考试的人选")
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
    unknown = [key for key in sheet if key not in known]
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


def lock_round(round: ExamRound, *, acting_user: Any) -> ExamRound:
    """Check the entered sheet against the signed sheets and lock it (复核锁定). The checker is a
    second person: never the one who entered the sheet."""
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
        _entry(
            round,
            "exam_round_locked",
            acting_user,
            {"sheet": round.sheet_entry_seq, "results": _results_payload(round, _names(round))},
            kind="review",
            refs=[round.sheet_entry_seq],
        )
    return round


def correct_score(score: Score, *, acting_user: Any, value: Any, reason: str) -> ScoreCorrection:
    """Correct one score of a locked round (更正成绩): the old value stays in the correction row
    and in the record entry, with the reason."""
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
    "correct_score",
    "create_round",
    "enter_scores",
    "lock_round",
    "publish_round",
    "round_results",
    "sitting_candidates",
    "stopped_by_pass_line",
]
