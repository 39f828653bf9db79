"""Polls, voting codes, ballots, paper double entry and tallies.

Secrecy is a property of the tables, not of the pages that show them:

- ``VotingCode`` keeps only an HMAC of the code and a used flag; the code itself exists only on the
  printed sheet.
- ``Ballot`` has a random UUID key, no timestamp and no link to a code. At close the poll's ballots
  are rewritten in sorted order in one transaction (fresh UUIDs, new row order, one transaction id),
  so nothing left in the database follows the order or time of casting.
- ``Ballot.marks`` holds the counted marks as flat "item:choice" strings beside the canonical
  ballot: one GROUP BY over them counts a poll, and the canonical ballot stays the authority they
  are recounted from.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from xuanren.accounts.models import Jurisdiction
from xuanren.accounts.scoping import ScopedManager


class Poll(models.Model):
    """One vote: a democratic recommendation, a democratic evaluation or a committee ballot."""

    class Kind(models.TextChoices):
        RECOMMENDATION = "recommendation", "民主推荐"
        EVALUATION = "evaluation", "民主测评"
        COMMITTEE = "committee", "票决"

    class Status(models.TextChoices):
        DRAFT = "draft", "未开始"
        OPEN = "open", "投票中"
        CLOSED = "closed", "投票结束（计票中）"
        TALLIED = "tallied", "已计票"

    class OverMarking(models.TextChoices):
        POST = "post", "该职位（事项）无效"
        BALLOT = "ballot", "整张选票无效"

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name="辖区")
    title = models.CharField("投票名称", max_length=200)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    campaign_id = models.BigIntegerField("选任工作", null=True, blank=True, db_index=True)
    stage = models.CharField("环节", max_length=64, blank=True)
    participants = models.PositiveIntegerField("参加人数（应到会成员数）")
    opens_at = models.DateTimeField("计划开始时间", null=True, blank=True)
    closes_at = models.DateTimeField("计划结束时间", null=True, blank=True)
    # Ballot rules and threshold, copied from the policy when the poll is created (BallotRules,
    # Threshold in tally.py), so a later policy version never changes how this poll is counted.
    policy_ref = models.CharField("政策版本", max_length=80, blank=True)
    over_marking = models.CharField("多选处理", max_length=8, choices=OverMarking.choices, default="post")
    blank_counts_as_cast = models.BooleanField("空白票为有效票", default=True)
    rules_source = models.CharField("计票规则出处", max_length=200, blank=True)
    threshold = models.JSONField("得票要求", null=True, blank=True)
    codes_issued = models.PositiveIntegerField("已生成投票码", default=0)
    # The items and choices as the tally core sees them, frozen when the poll opens.
    frozen_spec = models.TextField("选票格式（开始投票时固定）", blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="创建人"
    )

    objects = ScopedManager()
    scope_path = "jurisdiction__path"

    class Meta:
        verbose_name = "投票"
        verbose_name_plural = "投票"
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title


class PollItem(models.Model):
    """A post to recommend for, a cadre to evaluate, or a candidate before the committee."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField("序号")
    title = models.CharField("名称", max_length=200)
    max_marks = models.PositiveIntegerField("最多可选", default=1)
    seats = models.PositiveIntegerField("应选（职位数）", default=1)
    write_ins = models.BooleanField("允许另选他人", default=False)
    cadre_id = models.BigIntegerField("干部", null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["poll", "position"], name="ballots_item_position")]

    @property
    def key(self) -> str:
        return str(self.position)


class PollChoice(models.Model):
    """A candidate on a post, or an answer of a scale (优秀…不称职, 同意/不同意/弃权)."""

    item = models.ForeignKey(PollItem, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveIntegerField("序号")
    key = models.CharField("代码", max_length=40)
    label = models.CharField("名称", max_length=200)
    cadre_id = models.BigIntegerField("干部", null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["item", "key"], name="ballots_choice_key")]


class VotingCode(models.Model):
    """A one-time code: only its keyed hash and whether it has voted. No time, no ballot link."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = "投票码"


class Ballot(models.Model):
    """One cast ballot in canonical form, with the voter's tracker. Nothing else."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    content = models.TextField("选票内容")
    marks = models.JSONField("计入的选择")  # tally.marks_of: ["1:2", "1:3", "2:"], what GROUP BY counts
    tracker = models.CharField("回执码", max_length=64, unique=True)
    valid = models.BooleanField("有效")
    blank = models.BooleanField("空白")
    paper = models.BooleanField("纸质", default=False)

    class Meta:
        verbose_name = "选票"


class PaperBallot(models.Model):
    """A paper ballot entered twice by two clerks; it counts once both entries agree or a
    reconciliation fixes it."""

    class Status(models.TextChoices):
        FIRST = "first", "待第二人录入"
        AGREED = "agreed", "两次录入一致"
        MISMATCH = "mismatch", "两次录入不一致"
        RECONCILED = "reconciled", "已核对更正"

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="paper_ballots")
    number = models.PositiveIntegerField("选票编号")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.FIRST)
    first_content = models.TextField("第一次录入")
    first_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    second_content = models.TextField("第二次录入", blank=True)
    second_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    final_content = models.TextField("认定内容", blank=True)

    objects = ScopedManager()
    scope_path = "poll__jurisdiction__path"

    class Meta:
        verbose_name = "纸质选票"
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["poll", "number"], name="ballots_paper_number")]


class PaperCorrection(models.Model):
    """A correction of a paper ballot's content: the old value, the new one and why."""

    paper = models.ForeignKey(PaperBallot, on_delete=models.CASCADE, related_name="corrections")
    old_content = models.TextField("原内容")
    new_content = models.TextField("更正为")
    reason = models.TextField("理由")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间")

    class Meta:
        ordering = ["id"]


class Tally(models.Model):
    """The stored result of a poll (the 计票单), with the digest of the ballot set it counts."""

    poll = models.OneToOneField(Poll, on_delete=models.CASCADE, related_name="tally")
    result = models.JSONField("计票结果")
    digest = models.CharField("选票集合 SHA-256", max_length=64)
    counted_at = models.DateTimeField("计票时间")
    counted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    record_seq = models.BigIntegerField("纪实序号", null=True, blank=True)

    class Meta:
        verbose_name = "计票单"


class TallySignature(models.Model):
    """The counter (计票人) or the scrutineer (监票人) confirming a tally sheet."""

    class Role(models.TextChoices):
        COUNTER = "counter", "计票人"
        SCRUTINEER = "scrutineer", "监票人"

    tally = models.ForeignKey(Tally, on_delete=models.CASCADE, related_name="signatures")
    role = models.CharField("签字身份", max_length=12, choices=Role.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField("姓名", max_length=64)
    signed_at = models.DateTimeField("签字时间")
    digest = models.CharField("所签选票集合 SHA-256", max_length=64)

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(fields=["tally", "role"], name="ballots_one_signature_per_role")
        ]
