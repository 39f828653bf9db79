"""Forms for complaints: the public report form and the supervision desk's steps.

Every message names the field it concerns, in Chinese; a form that does not validate saves nothing.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings

from xuanren.campaigns.models import Campaign, Candidate
from xuanren.record import materials
from xuanren.supervision.models import Complaint

# Candidates whose names the public pages have shown (the nominee list and the notices, D1, D5).
PUBLIC_STATES = (
    Candidate.State.CONFIRMED,
    Candidate.State.RECOMMENDED,
    Candidate.State.INSPECTION_CANDIDATE,
    Candidate.State.INSPECTED,
    Candidate.State.DELIBERATED,
    Candidate.State.APPROVED,
    Candidate.State.POSTPONED,
    Candidate.State.NOTICED,
    Candidate.State.APPOINTED,
    Candidate.State.PROBATION,
)
MAX_FILES = 3


def attachment_limit() -> int:
    """Largest attachment accepted from the public (bytes): 5 MiB unless configured."""
    return int(getattr(settings, "COMPLAINT_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (Django's documented pattern for ``multiple``)."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items if item]


class PublicComplaintForm(forms.Form):
    campaign = forms.TypedChoiceField(label="反映的选任工作", coerce=int, empty_value=None)
    candidate = forms.TypedChoiceField(
        label="被反映的人选（可不选）", coerce=int, empty_value=None, required=False
    )
    summary = forms.CharField(
        label="反映的主要问题", max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )
    anonymous = forms.BooleanField(label="匿名反映（不留姓名和联系方式）", required=False, initial=True)
    reporter_name = forms.CharField(label="姓名", max_length=64, required=False)
    reporter_contact = forms.CharField(label="联系方式", max_length=64, required=False)
    attachments = MultipleFileField(
        label="附件（PDF、JPEG 或 PNG，最多 3 个，每个不超过 5 MiB）",
        required=False,
        widget=MultipleFileInput(attrs={"accept": materials.ACCEPT_ATTRIBUTE}),
    )

    def __init__(self, *args: Any, campaigns: list[Campaign], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.campaigns = {c.pk: c for c in campaigns}
        cast(forms.ChoiceField, self.fields["campaign"]).choices = [("", "请选择")] + [
            (c.pk, c.title) for c in campaigns
        ]
        candidates = (
            Candidate.objects.filter(campaign__in=campaigns, state__in=PUBLIC_STATES)
            .select_related("cadre", "campaign")
            .order_by("campaign_id", "id")
        )
        self.candidates = {c.pk: c for c in candidates}
        cast(forms.ChoiceField, self.fields["candidate"]).choices = [("", "不针对具体人选")] + [
            (c.pk, f"{c.cadre.name}（{c.campaign.title}）") for c in candidates
        ]
        for field in self.fields.values():
            label = str(field.label).split("（")[0]
            field.error_messages = {
                **field.error_messages,
                "required": f"请选择“{label}”"
                if isinstance(field, forms.ChoiceField)
                else f"请填写“{label}”",
                "invalid_choice": f"“{label}”的选项不存在，请重新选择",
                "invalid": f"“{label}”的格式不正确",
                "max_length": f"“{label}”太长，最多 %(limit_value)d 个字",
            }

    def clean_attachments(self) -> list[Any]:
        files = list(self.cleaned_data.get("attachments") or [])
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"“附件”最多 {MAX_FILES} 个")
        limit = attachment_limit()
        for file in files:
            if file.size > limit:
                raise forms.ValidationError(f"“附件”{file.name} 过大：上限 {limit // 1048576} MiB")
            head = file.read(8)
            file.seek(0)
            try:
                materials.sniff(head)
            except materials.MaterialRefused:
                raise forms.ValidationError(f"“附件”{file.name} 不是 {materials.ACCEPTED} 文件") from None
        return files

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("candidate") is not None and "candidate" not in self.errors:
            candidate = self.candidates[data["candidate"]]
            if data.get("campaign") is not None and candidate.campaign_id != data["campaign"]:
                self.add_error("candidate", "“被反映的人选”不在所选的选任工作中")
        if not data.get("anonymous"):
            if not (data.get("reporter_name") or "").strip():
                self.add_error("reporter_name", "署名反映请填写“姓名”，或勾选“匿名反映”")
            if not (data.get("reporter_contact") or "").strip():
                self.add_error("reporter_contact", "署名反映请填写“联系方式”，以便反馈核查结果")
        if "summary" in data and not data["summary"].strip():
            self.add_error("summary", "请填写“反映的主要问题”")
        return data


class TrackForm(forms.Form):
    code = forms.CharField(label="查询码", max_length=16, error_messages={"required": "请填写“查询码”"})
    password = forms.CharField(
        label="查询密码",
        max_length=64,
        widget=forms.PasswordInput,
        error_messages={"required": "请填写“查询密码”"},
    )


class VerificationForm(forms.Form):
    verifiers = forms.CharField(
        label="核查组（组织部会同纪委监委及有关部门）",
        max_length=200,
        initial="县委组织部、县纪委监委",
        widget=forms.TextInput(attrs={"size": 40}),
        error_messages={"required": "请填写“核查组”"},
    )
    due_on = forms.DateField(
        label="办结期限",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "“办结期限”的日期格式不正确"},
    )


class ConclusionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="核查结论",
        choices=Complaint.Outcome.choices,
        error_messages={"required": "请选择“核查结论”", "invalid_choice": "“核查结论”的选项不存在"},
    )
    conclusion = forms.CharField(
        label="核查情况",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "请填写“核查情况”"},
    )
    publish = forms.BooleanField(label="向社会公开核查结论", required=False, initial=True)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label="答复反映人",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "请填写“答复反映人”"},
    )
    publish = forms.BooleanField(label="同时向社会公开", required=False)
