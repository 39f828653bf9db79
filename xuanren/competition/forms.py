"""Forms of the exam pages. Every message names its field in Chinese; the actions check again."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from xuanren.campaigns.models import Campaign
from xuanren.competition.models import Examiner, ExamRound


def _messages(form: forms.Form) -> None:
    for field in form.fields.values():
        label = str(field.label).split("（")[0]
        field.error_messages = {
            **field.error_messages,
            "required": f"请填写“{label}”",
            "invalid": f"“{label}”的格式不正确",
            "invalid_choice": f"“{label}”的选项不存在",
            "max_digits": f"“{label}”的数字太长",
            "max_decimal_places": f"“{label}”最多保留 %(max)s 位小数",
            "max_whole_digits": f"“{label}”的整数部分太长",
        }


class RoundForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=ExamRound.Kind.choices)
    title = forms.CharField(label="名称", max_length=100)
    held_on = forms.DateField(label="考试日期", widget=forms.DateInput(attrs={"type": "date"}))
    max_score = forms.DecimalField(label="满分", max_digits=6, decimal_places=2, initial=100)
    weight_percent = forms.DecimalField(
        label="在综合成绩中的权重（%）", max_digits=6, decimal_places=2, min_value=0, max_value=100
    )
    pass_line = forms.DecimalField(
        label="合格分数线（公告未设的不填）", max_digits=6, decimal_places=2, required=False
    )
    method = forms.ChoiceField(label="计分方法（按公告）", choices=ExamRound.Method.choices)
    vacancy = forms.TypedChoiceField(label="职位", coerce=int, empty_value=None, required=False)

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.vacancies = {v.pk: v for v in campaign.vacancies.select_related("post__unit")}
        cast(forms.ChoiceField, self.fields["vacancy"]).choices = [("", "全部职位")] + [
            (pk, str(v.post)) for pk, v in self.vacancies.items()
        ]
        _messages(self)


class ExaminerForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=64)
    unit_post = forms.CharField(label="单位及职务", max_length=128)
    role = forms.ChoiceField(label="身份", choices=Examiner.Role.choices, initial=Examiner.Role.MEMBER)
    no_relationship = forms.BooleanField(
        label="本人声明：与本轮全部人选无夫妻关系、直系血亲关系、三代以内旁系血亲或近姻亲关系，也无其他可能影响公正评分的关系",
        required=False,
    )
    declaration = forms.CharField(
        label="回避声明（可附说明）", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _messages(self)


class CorrectionForm(forms.Form):
    score = forms.TypedChoiceField(label="更正哪一项成绩", coerce=int)
    value = forms.CharField(label="更正后成绩", max_length=12)
    reason = forms.CharField(label="更正理由", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, scores: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["score"]).choices = [("", "请选择"), *scores]
        _messages(self)
        self.fields["score"].error_messages["required"] = "请选择“更正哪一项成绩”"


def sheet_from_post(data: Any) -> dict[tuple[int, int | None], str]:
    """The score grid as posted: fields ``s-<candidate id>-<examiner id, or 0 for a written test>``."""
    sheet: dict[tuple[int, int | None], str] = {}
    for key, value in data.items():
        parts = key.split("-")
        if len(parts) != 3 or parts[0] != "s" or not parts[1].isdigit() or not parts[2].isdigit():
            continue
        examiner = int(parts[2]) or None
        sheet[(int(parts[1]), examiner)] = value.strip()
    return sheet


def absent_from_post(data: Any) -> set[int]:
    """Candidates marked absent (缺考) in the posted grid: checkboxes ``absent-<candidate id>``."""
    return {int(k.split("-", 1)[1]) for k in data if k.startswith("absent-") and k.split("-", 1)[1].isdigit()}
