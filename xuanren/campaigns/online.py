"""Online signed recommendation and self-nomination (网上署名推荐和自荐, DOMAIN D2 channels 4 and 5).

During a campaign's nomination window (``Campaign.nomination_opens``..``nomination_closes``, set
when the vacancies are announced) a member of the public signs a recommendation — the nominee's
德、能、勤、绩、廉, reasons, proposed use, the declared relationship to the nominee and the
responsibility statement (001: every recommendation is a signed form; the recommender answers for
it, D9) — or a cadre nominates themself on the registration form. The submission waits as an
:class:`OnlineNomination` for the cadre section, which confirms the recommender's identity, matches
the nominee to a cadre of the register and accepts it — through ``actions.nominate_by_signature``
or ``actions.nominate_self``, so every rule of the ordinary nomination applies — or rejects it.

Actions here (submit, accept, reject) each append one full-process record entry in the same
transaction as their change. The recommender's ID number never goes into an entry: entries carry
it masked. Selectors for the staff pages and the forms of both sides live here too.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db.models import Case, Q, QuerySet, Value, When

from xuanren.accounts.models import Jurisdiction
from xuanren.campaigns import actions, engine
from xuanren.campaigns.errors import CampaignRefused
from xuanren.campaigns.models import Campaign, Nomination, OnlineNomination, Vacancy
from xuanren.record import materials
from xuanren.record.api import append, recorded_action
from xuanren.record.labels import register_action_labels
from xuanren.register import idnumber
from xuanren.register.models import Cadre
from xuanren.rules.schema import ChannelsRule
from xuanren.supervision.actions import random_code

# Who reads submissions (the recommender's identity with them) and who reviews them. The cadre
# section runs nominations; the department head, discipline and the supervision office answer for
# them and trace recommender liability (D9).
READERS = ("cadre_officer", "department_head", "discipline", "supervision_office")
REVIEWERS = ("cadre_officer",)
CHANNELS = (Nomination.Channel.SIGNED, Nomination.Channel.SELF)

PUBLIC_RECOMMENDER = "群众（网上署名推荐）"
PUBLIC_SELF = "干部本人（网上自荐）"

# The statements the submitter accepts, shown beside the checkbox and kept with the submission.
SIGNED_STATEMENT = (
    "本人以真实姓名署名推荐，所填推荐材料真实、客观；已如实申明与被推荐人的关系。"
    "所推荐人选如存在违规违纪问题或群众反映问题而本人隐瞒不报，本人愿承担相应的推荐责任；"
    "材料弄虚作假的，推荐无效并依规追究责任。"
)
SELF_STATEMENT = (
    "本人承诺自荐登记表所填内容真实、准确、完整，本人符合所报职位的任职条件；"
    "如有弄虚作假，自愿取消提名和任职资格，并接受组织处理。"
)


# Labels of this module's entries on the record pages. Registered on import (the URLconf imports
# this module through the views); campaigns/apps.py could import it in ready() to cover commands.
ACTION_LABELS = {
    "online_nomination_submitted": "网上署名推荐或自荐（待审核）",
    "online_nomination_accepted": "受理网上署名推荐或自荐（核实推荐人身份）",
    "online_nomination_rejected": "网上署名推荐或自荐不予受理",
}
register_action_labels(ACTION_LABELS)


class OnlineRefused(CampaignRefused):
    """A submission or review the rules refuse (outside the window, not pending, ...)."""


# --------------------------------------------------------------------------- the window


def enabled_channels(campaign: Campaign) -> list[str]:
    """Of the two online channels, those the campaign's pinned policy has."""
    policy = engine.policy_of(campaign)
    rule = policy.rule("nomination.channels")
    if isinstance(rule, ChannelsRule):
        return [c for c in CHANNELS if c in rule.enabled]
    return list(CHANNELS)


def window_refusal(campaign: Campaign, today: date) -> str | None:
    """Why the campaign takes no online nominations today (None: its window is open).

    The window is the campaign's own data: announced vacancies and the nomination period stated in
    the announcement (000 一、（五提名）四是: 在规定时限内).
    """
    if campaign.status in (Campaign.Status.FINISHED, Campaign.Status.CANCELLED):
        return f"“{campaign.title}”已结束，不再受理推荐提名"
    opens, closes = campaign.nomination_opens, campaign.nomination_closes
    if campaign.announced_on is None or opens is None or closes is None:
        return f"“{campaign.title}”尚未公布空缺职位和推荐提名时限，暂不受理推荐提名"
    if today < opens:
        return f"“{campaign.title}”的推荐提名自 {opens:%Y年%m月%d日} 开始，现在尚未开始"
    if today > closes:
        return f"“{campaign.title}”的推荐提名已于 {closes:%Y年%m月%d日} 截止，不再受理"
    return None


def open_campaigns(jurisdiction: Jurisdiction, today: date) -> list[Campaign]:
    """Published campaigns of the jurisdiction whose nomination window is open today."""
    rows = (
        Campaign.objects.filter(
            jurisdiction=jurisdiction,
            method_published_on__isnull=False,
            announced_on__isnull=False,
            nomination_opens__lte=today,
            nomination_closes__gte=today,
        )
        .exclude(status__in=[Campaign.Status.FINISHED, Campaign.Status.CANCELLED])
        .select_related("jurisdiction")
        .order_by("nomination_closes", "id")
    )
    return list(rows)


# --------------------------------------------------------------------------- the submitted form


def form_document(submission: OnlineNomination) -> bytes:
    """The submitted form as canonical JSON (sorted keys, UTF-8): the nomination's material.

    It carries the recommender's ID number masked, so the file can go wherever the record goes.
    """
    body = {
        "form": "网上自荐登记表" if submission.is_self else "网上署名推荐表",
        "tracking_code": submission.tracking_code,
        "campaign": submission.campaign_id,
        "channel": submission.channel,
        "vacancy": submission.vacancy_id,
        "nominee_name": submission.nominee_name,
        "nominee_unit_post": submission.nominee_unit_post,
        "recommender_name": submission.recommender_name,
        "recommender_unit_post": submission.recommender_unit_post,
        "recommender_phone": submission.recommender_phone,
        "recommender_id_number": idnumber.mask(submission.recommender_id_number),
        "relationship": submission.relationship_text,
        "responsibility_accepted": submission.responsibility_accepted,
        "responsibility_text": submission.responsibility_text,
        "assessment": submission.assessment,
        "reasons": submission.reasons,
        "proposed_use": submission.proposed_use,
        "self_statement": submission.self_statement,
        "attachment": {"name": submission.attachment_name, "sha256": submission.attachment_sha256}
        if submission.attachment_sha256
        else None,
        "submitted_on": submission.submitted_on.isoformat(),
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def form_material_name(submission: OnlineNomination) -> str:
    kind = "网上自荐登记表" if submission.is_self else "网上署名推荐表"
    return f"{kind}-{submission.tracking_code}.json"


@dataclass(frozen=True)
class Attachment:
    """An uploaded scan that passed the form's checks: its safe name and bytes."""

    name: str
    data: bytes


def submit_online_nomination(
    *,
    campaign: Campaign,
    today: date,
    channel: str,
    vacancy: Vacancy | None,
    nominee_name: str,
    nominee_unit_post: str,
    recommender_name: str,
    recommender_unit_post: str,
    recommender_phone: str,
    recommender_id_number: str,
    relationship: str = "",
    relationship_note: str = "",
    responsibility_accepted: bool,
    assessment: str = "",
    reasons: str = "",
    proposed_use: str = "",
    self_statement: str = "",
    attachment: Attachment | None = None,
) -> tuple[OnlineNomination, str]:
    """File a submission from the portal; return it and its password (shown once, only its hash is
    kept). The attachment's bytes and the form document are written by SHA-256 before the row (a
    content-addressed file no row names is harmless); the row and its entry commit together."""
    refusal = window_refusal(campaign, today)
    if refusal is not None:
        raise OnlineRefused("nomination.channels", refusal, campaign=campaign)
    if channel not in enabled_channels(campaign):
        raise OnlineRefused("nomination.channels", "本次选任工作不设此推荐渠道", campaign=campaign)
    if vacancy is not None and vacancy.campaign_id != campaign.pk:
        raise OnlineRefused("nomination.channels", "所选职位不是本次选任的空缺职位", campaign=campaign)
    if not responsibility_accepted:
        raise OnlineRefused("nomination.recommender_liability", "须阅读并同意承诺", campaign=campaign)
    id_number = idnumber.validate(recommender_id_number, today=today)
    is_self = channel == Nomination.Channel.SELF
    if is_self:
        nominee_name, nominee_unit_post = recommender_name, recommender_unit_post
    attachment_sha = materials.store_bytes(attachment.data) if attachment is not None else ""
    password = random_code(10)
    with recorded_action():
        locked = Campaign.objects.select_related("jurisdiction").get(pk=campaign.pk)
        code = random_code(12)
        while OnlineNomination.objects.filter(tracking_code=code).exists():
            code = random_code(12)
        submission = OnlineNomination(
            campaign=locked,
            channel=channel,
            vacancy=vacancy,
            nominee_name=nominee_name.strip(),
            nominee_unit_post=nominee_unit_post.strip(),
            recommender_name=recommender_name.strip(),
            recommender_unit_post=recommender_unit_post.strip(),
            recommender_phone=recommender_phone.strip(),
            recommender_id_number=id_number,
            relationship="" if is_self else relationship,
            relationship_note="" if is_self else relationship_note.strip(),
            responsibility_accepted=True,
            responsibility_text=SELF_STATEMENT if is_self else SIGNED_STATEMENT,
            assessment="" if is_self else assessment.strip(),
            reasons="" if is_self else reasons.strip(),
            proposed_use="" if is_self else proposed_use.strip(),
            self_statement=self_statement.strip() if is_self else "",
            attachment_name=attachment.name if attachment is not None else "",
            attachment_sha256=attachment_sha,
            tracking_code=code,
            tracking_password=make_password(password),
            submitted_on=today,
        )
        document = form_document(submission)
        submission.form_sha256 = materials.store_bytes(document)
        submission.save()
        files = [{"name": form_material_name(submission), "sha256": submission.form_sha256}]
        if attachment_sha:
            files.append({"name": submission.attachment_name, "sha256": attachment_sha})
        entry = append(
            action="online_nomination_submitted",
            actor=PUBLIC_SELF if is_self else PUBLIC_RECOMMENDER,
            jurisdiction_code=locked.jurisdiction.code,
            campaign_id=locked.pk,
            stage=_nomination_stage(locked),
            step="nominated",
            payload={
                "submission": submission.pk,
                "tracking_code": code,
                "channel": channel,
                "vacancy": vacancy.pk if vacancy is not None else None,
                "nominee_name": submission.nominee_name,
                "nominee_unit_post": submission.nominee_unit_post,
                "recommender_name": submission.recommender_name,
                "recommender_id_number": idnumber.mask(id_number),
                "relationship": submission.relationship_text,
                "responsibility_accepted": True,
                "received_on": today,
            },
            files=files,
        )
        submission.submit_entry_seq = entry.seq
        submission.save(update_fields=["submit_entry_seq"])
    return submission, password


def _nomination_stage(campaign: Campaign) -> str:
    return engine.stage_of(engine.policy_of(campaign), "nominated")


def tracked_submission(code: str, password: str) -> OnlineNomination | None:
    """The submission with this tracking code if the password matches; None otherwise (the same
    answer, and about the same time, for an unknown code and a wrong password)."""
    submission = (
        OnlineNomination.objects.filter(tracking_code=code.strip().upper())
        .select_related("campaign", "vacancy__post")
        .first()
    )
    if submission is None:
        make_password(password)
        return None
    return submission if check_password(password.strip(), submission.tracking_password) else None


# --------------------------------------------------------------------------- the review


def _pending(submission: OnlineNomination) -> None:
    if submission.status != OnlineNomination.Status.PENDING:
        raise OnlineRefused(
            "campaigns.online_review",
            f"该网上{submission.get_channel_display()}已{submission.get_status_display()}，不能重复审核",
            campaign=submission.campaign,
        )


def _identity(method: str, note: str, campaign: Campaign) -> None:
    if method not in OnlineNomination.IdentityCheck.values:
        raise OnlineRefused("campaigns.online_review", "请选择“身份核实方式”", campaign=campaign)
    if not note.strip():
        raise OnlineRefused("campaigns.online_review", "请填写“身份核实情况”", campaign=campaign)


@actions.campaign_action
def accept_online_nomination(
    submission: OnlineNomination,
    *,
    acting_user: Any,
    today: date,
    cadre: Cadre,
    identity_method: str,
    identity_note: str,
) -> Nomination:
    """Accept a submission: the recommender's identity confirmed (method and note), the nominee
    matched to ``cadre`` (a self-nominee by their ID number); the nomination is made by ``actions.nominate_by_signature`` or
    ``actions.nominate_self`` with the recommender's fields and the submitted form as material.

    All in one transaction: the submission is locked and must still be pending (of two officers
    accepting it at once, the second is refused), the nomination action runs inside it (a nested
    action) and the submission is marked accepted with ``online_nomination_accepted``. A refusal
    (or any refusal here) rolls everything back, is recorded as ``step_refused`` and leaves the
    submission pending. The nomination's received day is the submission's (inside the
    window); the review's day is ``today``.
    """
    campaign = Campaign.objects.select_related("jurisdiction").get(pk=submission.campaign_id)
    actions.check_actor(acting_user, campaign.jurisdiction, REVIEWERS)
    _pending(submission)
    _identity(identity_method, identity_note, campaign)
    if submission.is_self and idnumber.normalize(cadre.id_number) != submission.recommender_id_number:
        raise OnlineRefused(
            "campaigns.online_review",
            f"自荐须由本人提出：自荐人“{submission.nominee_name}”的身份证号与名册中“{cadre.name}”的不一致",
            campaign=campaign,
        )
    material = actions.Material(name=form_material_name(submission), sha256=submission.form_sha256)
    with recorded_action():
        locked = OnlineNomination.objects.select_for_update().get(pk=submission.pk)
        _pending(locked)
        nomination = _nominate(campaign, locked, acting_user=acting_user, cadre=cadre, material=material)
        locked.status = OnlineNomination.Status.ACCEPTED
        locked.reviewed_by = acting_user
        locked.reviewed_on = today
        locked.identity_method = identity_method
        locked.identity_note = identity_note.strip()
        locked.cadre = cadre
        locked.nomination = nomination
        locked.save()
        append(
            action="online_nomination_accepted",
            actor=acting_user,
            jurisdiction_code=campaign.jurisdiction.code,
            campaign_id=campaign.pk,
            candidate_id=cadre.pk,
            stage=_nomination_stage(campaign),
            step="nominated",
            payload={
                "submission": locked.pk,
                "tracking_code": locked.tracking_code,
                "channel": locked.channel,
                "nomination": nomination.pk,
                "candidate": nomination.candidate_id,
                "identity_method": identity_method,
                "identity_method_label": OnlineNomination.IdentityCheck(identity_method).label,
                "identity_note": locked.identity_note,
                "submitted_entry": locked.submit_entry_seq,
            },
            candidate_name=cadre.name,
            files=[{"name": material.name, "sha256": material.sha256}],
        )
    submission.refresh_from_db()
    return nomination


def _nominate(
    campaign: Campaign, submission: OnlineNomination, *, acting_user: Any, cadre: Cadre, material: Any
) -> Nomination:
    """The nomination the submission becomes, by the channel's own action (its rules apply)."""
    # The nomination was received on the day it was submitted inside the window (在规定时限内);
    # the review may come after the window closes, so the action acts on the submission's day.
    common: dict[str, Any] = {
        "acting_user": acting_user,
        "today": submission.submitted_on,
        "cadre": cadre,
        "vacancy": submission.vacancy,
    }
    if submission.is_self:
        return actions.nominate_self(
            campaign, **common, statement=submission.self_statement, registration_form=material
        )
    return actions.nominate_by_signature(
        campaign,
        **common,
        recommender_name=submission.recommender_name,
        recommender_unit_post=submission.recommender_unit_post,
        recommender_contact=submission.recommender_phone,
        relationship=submission.relationship_text,
        responsibility_accepted=submission.responsibility_accepted,
        assessment=submission.assessment,
        reasons=submission.reasons,
        proposed_use=submission.proposed_use,
        signed_form=material,
    )


@actions.campaign_action
def reject_online_nomination(
    submission: OnlineNomination,
    *,
    acting_user: Any,
    today: date,
    reason: str,
    identity_method: str = "",
    identity_note: str = "",
) -> OnlineNomination:
    """Reject a submission with the reason the submitter will read on the status page."""
    campaign = Campaign.objects.select_related("jurisdiction").get(pk=submission.campaign_id)
    actions.check_actor(acting_user, campaign.jurisdiction, REVIEWERS)
    if not reason.strip():
        raise OnlineRefused("campaigns.online_review", "请填写“不予受理理由”", campaign=campaign)
    if identity_method and identity_method not in OnlineNomination.IdentityCheck.values:
        raise OnlineRefused("campaigns.online_review", "“身份核实方式”的选项不存在", campaign=campaign)
    with recorded_action():
        locked = OnlineNomination.objects.select_for_update().get(pk=submission.pk)
        _pending(locked)
        locked.status = OnlineNomination.Status.REJECTED
        locked.reviewed_by = acting_user
        locked.reviewed_on = today
        locked.reject_reason = reason.strip()
        locked.identity_method = identity_method
        locked.identity_note = identity_note.strip()
        locked.save()
        append(
            action="online_nomination_rejected",
            actor=acting_user,
            jurisdiction_code=campaign.jurisdiction.code,
            campaign_id=campaign.pk,
            stage=_nomination_stage(campaign),
            step="nominated",
            payload={
                "submission": locked.pk,
                "tracking_code": locked.tracking_code,
                "channel": locked.channel,
                "reason": locked.reject_reason,
                "identity_method": identity_method or None,
                "submitted_entry": locked.submit_entry_seq,
            },
        )
    return locked


# --------------------------------------------------------------------------- selectors


def submissions_of(user: Any, campaign: Campaign) -> QuerySet[OnlineNomination]:
    """The campaign's submissions the user may see, pending first, with what the list shows."""
    return (
        OnlineNomination.objects.visible_to(user)
        .filter(campaign=campaign)
        .select_related("vacancy__post__unit", "reviewed_by", "cadre", "nomination__candidate")
        .annotate(waiting=Case(When(status=OnlineNomination.Status.PENDING, then=Value(0)), default=Value(1)))
        .order_by("waiting", "-submitted_at", "-id")
    )


def submission_for(user: Any, campaign: Campaign, pk: int) -> OnlineNomination:
    from xuanren.accounts.scoping import get_visible_or_404

    return cast(
        OnlineNomination,
        get_visible_or_404(
            OnlineNomination.objects.filter(campaign=campaign).select_related(
                "campaign__jurisdiction", "vacancy__post__unit", "reviewed_by", "cadre", "nomination"
            ),
            user,
            pk=pk,
        ),
    )


def pending_count(user: Any, campaign: Campaign) -> int:
    return (
        OnlineNomination.objects.visible_to(user)
        .filter(campaign=campaign, status=OnlineNomination.Status.PENDING)
        .count()
    )


def cadre_matches(user: Any, campaign: Campaign, query: str, limit: int = 20) -> list[Cadre]:
    """Cadres of the campaign's jurisdiction (and visible to the user) matching a name, part of a
    name, or a whole ID number."""
    query = query.strip()
    if not query:
        return []
    scope = Cadre.objects.visible_to(user).filter(  # type: ignore[attr-defined]
        jurisdiction__path__startswith=campaign.jurisdiction.path
    )
    found = scope.filter(Q(name__contains=query) | Q(id_number=idnumber.normalize(query)))
    return list(found.select_related("unit").order_by("name", "id")[:limit])


# --------------------------------------------------------------------------- forms


def _messages(form: forms.Form) -> None:
    """Every message names its field, in Chinese."""
    for field in form.fields.values():
        label = str(field.label).split("（")[0]
        choice = isinstance(field, forms.ChoiceField)
        field.error_messages = {
            **field.error_messages,
            "required": f"请选择“{label}”" if choice else f"请填写“{label}”",
            "invalid_choice": f"“{label}”的选项不存在，请重新选择",
            "invalid": f"“{label}”的格式不正确",
            "max_length": f"“{label}”太长，最多 %(limit_value)d 个字",
        }


def attachment_limit() -> int:
    """The same limit as the public complaint form's attachments (5 MiB unless configured)."""
    from xuanren.supervision.forms import attachment_limit as complaint_limit

    return complaint_limit()


TEXT = forms.Textarea(attrs={"rows": 5})
SIGNED_ONLY = (
    "nominee_name",
    "nominee_unit_post",
    "relationship",
    "relationship_note",
    "assessment",
    "reasons",
    "proposed_use",
)


class PublicNominationForm(forms.Form):
    """The public form: signed recommendation or self-nomination, for one campaign."""

    vacancy = forms.TypedChoiceField(label="推荐职位", coerce=int, empty_value=None)
    nominee_name = forms.CharField(label="被推荐人姓名", max_length=64, required=False)
    nominee_unit_post = forms.CharField(
        label="被推荐人单位及职务", max_length=128, required=False, help_text="如：县委办公室副主任"
    )
    recommender_name = forms.CharField(label="您的姓名", max_length=64)
    recommender_unit_post = forms.CharField(
        label="您的单位及职务", max_length=128, help_text="群众可填写工作单位或住址"
    )
    recommender_phone = forms.CharField(
        label="联系电话",
        max_length=32,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text="审核时组织部将通过此电话核实您的身份",
    )
    recommender_id_number = forms.CharField(
        label="身份证号",
        max_length=24,
        help_text="仅用于组织部门核实身份，不公开；全程纪实中只记录遮盖后的号码",
    )
    relationship = forms.ChoiceField(
        label="与被推荐人的关系",
        required=False,
        choices=[("", "请选择"), *OnlineNomination.Relationship.choices],
    )
    relationship_note = forms.CharField(
        label="关系说明", max_length=128, required=False, help_text="如：同一单位共事三年；选“其他”时必填"
    )
    assessment = forms.CharField(
        label="被推荐人德、能、勤、绩、廉情况", max_length=5000, required=False, widget=TEXT
    )
    reasons = forms.CharField(label="推荐理由", max_length=3000, required=False, widget=TEXT)
    proposed_use = forms.CharField(
        label="使用建议", max_length=200, required=False, help_text="如：建议担任县发展和改革局局长"
    )
    self_statement = forms.CharField(
        label="自荐登记表内容",
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="本人简历、现任职务及任职时间、主要工作实绩、自荐理由",
    )
    attachment = forms.FileField(
        label="附件（签字的推荐表或登记表扫描件，可不传）",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": materials.ACCEPT_ATTRIBUTE}),
    )
    responsibility_accepted = forms.BooleanField(label="我已阅读并同意以上承诺", required=False)

    def __init__(self, *args: Any, campaign: Campaign, channel: str, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.channel = channel
        self.today = today
        if channel == Nomination.Channel.SELF:
            for name in SIGNED_ONLY:
                del self.fields[name]
            self.fields["recommender_name"].label = "姓名"
            self.fields["recommender_unit_post"].label = "现工作单位及职务"
            self.fields["recommender_unit_post"].help_text = "须为干部名册中的干部，如：县委办公室副主任"
            self.fields["recommender_id_number"].help_text = "须与干部名册中的身份证号一致，不公开"
            self.fields["vacancy"].label = "自荐职位"
            self.fields["attachment"].label = "附件（本人签字的自荐登记表扫描件，可不传）"
        else:
            del self.fields["self_statement"]
        self.vacancies = {
            v.pk: v for v in campaign.vacancies.select_related("post__unit").order_by("sort_order", "id")
        }
        cast(forms.ChoiceField, self.fields["vacancy"]).choices = [("", "请选择")] + [
            (pk, str(v.post)) for pk, v in self.vacancies.items()
        ]
        _messages(self)

    @property
    def statement(self) -> str:
        return SELF_STATEMENT if self.channel == Nomination.Channel.SELF else SIGNED_STATEMENT

    def clean_recommender_id_number(self) -> str:
        raw = self.cleaned_data["recommender_id_number"]
        try:
            return idnumber.validate(raw, today=self.today)
        except idnumber.IdNumberError as error:
            raise forms.ValidationError(f"“身份证号”不正确：{error}") from None

    def clean_recommender_phone(self) -> str:
        phone = idnumber.normalize(self.cleaned_data["recommender_phone"]).replace(" ", "").replace("-", "")
        if not (7 <= len(phone) <= 20 and phone.lstrip("+").isdigit() and phone.isascii()):
            raise forms.ValidationError("“联系电话”应为手机号或固定电话号码（数字）")
        return phone

    def clean_attachment(self) -> Attachment | None:
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        limit = attachment_limit()
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(f"“附件”过大：上限 {limit // 1048576} MiB")
        try:
            name, data = materials.read_upload(upload)
            if len(data) > limit:
                raise materials.MaterialRefused(f"过大：上限 {limit // 1048576} MiB")
            _, extension = materials.sniff(data)
        except materials.MaterialRefused as refused:
            raise forms.ValidationError(f"“附件”{refused}") from None
        return Attachment(materials.clean_name(name, extension), data)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, value in list(data.items()):
            if isinstance(value, str) and "\x00" in value:
                self.add_error(name, f"“{self.fields[name].label}”含有不可见的控制字符")
        for name in ("recommender_name", "recommender_unit_post"):
            if name in data and not data[name].strip():
                self.add_error(name, f"请填写“{self.fields[name].label}”")
        if not data.get("responsibility_accepted"):
            self.add_error("responsibility_accepted", "请阅读承诺并勾选“我已阅读并同意以上承诺”")
        if self.channel == Nomination.Channel.SIGNED:
            required = {
                "nominee_name": "被推荐人姓名",
                "nominee_unit_post": "被推荐人单位及职务",
                "assessment": "被推荐人德、能、勤、绩、廉情况",
                "reasons": "推荐理由",
                "proposed_use": "使用建议",
            }
            for name, label in required.items():
                if name not in self.errors and not (data.get(name) or "").strip():
                    self.add_error(name, f"署名推荐请填写“{label}”")
            relationship = data.get("relationship") or ""
            if "relationship" not in self.errors and not relationship:
                self.add_error("relationship", "请申明“与被推荐人的关系”")
            if (
                relationship == OnlineNomination.Relationship.OTHER
                and not (data.get("relationship_note") or "").strip()
            ):
                self.add_error("relationship_note", "关系选“其他”时请填写“关系说明”")
            if (data.get("nominee_name") or "").strip() and (data.get("nominee_name") or "").strip() == (
                data.get("recommender_name") or ""
            ).strip():
                self.add_error("nominee_name", "推荐本人请选择“本人自荐”")
        else:
            if "self_statement" not in self.errors and not (data.get("self_statement") or "").strip():
                self.add_error("self_statement", "自荐请填写“自荐登记表内容”")
        vacancy = data.get("vacancy")
        if vacancy is not None and vacancy not in self.vacancies:
            self.add_error("vacancy", "“推荐职位”的选项不存在，请重新选择")
        return data

    def submit(self) -> tuple[OnlineNomination, str]:
        data = self.cleaned_data
        return submit_online_nomination(
            campaign=self.campaign,
            today=self.today,
            channel=self.channel,
            vacancy=self.vacancies[data["vacancy"]],
            nominee_name=data.get("nominee_name") or "",
            nominee_unit_post=data.get("nominee_unit_post") or "",
            recommender_name=data["recommender_name"],
            recommender_unit_post=data["recommender_unit_post"],
            recommender_phone=data["recommender_phone"],
            recommender_id_number=data["recommender_id_number"],
            relationship=data.get("relationship") or "",
            relationship_note=data.get("relationship_note") or "",
            responsibility_accepted=bool(data.get("responsibility_accepted")),
            assessment=data.get("assessment") or "",
            reasons=data.get("reasons") or "",
            proposed_use=data.get("proposed_use") or "",
            self_statement=data.get("self_statement") or "",
            attachment=data.get("attachment"),
        )


class TrackForm(forms.Form):
    code = forms.CharField(label="查询码", max_length=16, error_messages={"required": "请填写“查询码”"})
    password = forms.CharField(
        label="查询密码",
        max_length=64,
        widget=forms.PasswordInput,
        error_messages={"required": "请填写“查询密码”"},
    )


class AcceptForm(forms.Form):
    """受理: identity confirmed, nominee matched to a cadre of the register."""

    identity_method = forms.ChoiceField(
        label="身份核实方式",
        choices=[("", "请选择"), *OnlineNomination.IdentityCheck.choices],
    )
    identity_note = forms.CharField(
        label="身份核实情况",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如：11月23日电话联系推荐人本人，确认系其本人署名推荐",
    )
    cadre = forms.TypedChoiceField(label="对应干部（名册）", coerce=int, empty_value=None)

    def __init__(self, *args: Any, cadres: Sequence[Cadre], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cadres = {c.pk: c for c in cadres}
        cast(forms.ChoiceField, self.fields["cadre"]).choices = [("", "请选择")] + [
            (c.pk, cadre_label(c)) for c in cadres
        ]
        _messages(self)

    def clean_identity_note(self) -> str:
        note = self.cleaned_data["identity_note"].strip()
        if not note:
            raise forms.ValidationError("请填写“身份核实情况”")
        return note


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="不予受理理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="推荐人凭查询码可看到此理由",
    )
    identity_method = forms.ChoiceField(
        label="身份核实方式（如已核实）",
        required=False,
        choices=[("", "未核实"), *OnlineNomination.IdentityCheck.choices],
    )
    identity_note = forms.CharField(
        label="身份核实情况", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _messages(self)

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("请填写“不予受理理由”")
        return reason


def cadre_label(cadre: Cadre) -> str:
    place = cadre.current_title or (cadre.unit.name if cadre.unit_id and cadre.unit else "")
    born = f"，{cadre.birth_date:%Y年%m月}生" if cadre.birth_date else ""
    return f"{cadre.name}（{place}{born}）"


def upload_limit_bytes() -> int:
    """The largest request body the recommendation form accepts (the attachment plus the text)."""
    return attachment_limit() + int(getattr(settings, "RECOMMEND_TEXT_MAX_BYTES", 256 * 1024))
