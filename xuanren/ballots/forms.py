from __future__ import annotations

import re
from typing import Any

from django import forms

from xuanren.ballots import tally
from xuanren.ballots.actions import ItemInput
from xuanren.ballots.models import Poll
from xuanren.ballots.policy_rules import THRESHOLD_PATHS


def _policy_choices() -> list[tuple[str, str]]:
    try:
        from xuanren.rules.policy import builtin_registry

        return [(p.label, f"{p.name}（{p.label}）") for p in builtin_registry().all_latest()]
    except Exception:  # no policy files: polls can still be set up with plain rules
        return []


class PollForm(forms.Form):
    title = forms.CharField(label="投票名称", max_length=200)
    kind = forms.ChoiceField(label="类型", choices=Poll.Kind.choices)
    participants = forms.IntegerField(label="参加人数（票决为应到会成员数）", min_value=1, max_value=100000)
    items_text = forms.CharField(
        label="事项",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="每行一项。民主推荐写“职位：候选人甲、候选人乙、候选人丙”；民主测评和票决每行写一名干部（人选）。",
    )
    max_marks = forms.IntegerField(label="民主推荐每个职位最多可选", min_value=1, initial=1)
    seats = forms.IntegerField(label="每个职位应选（排名截取）", min_value=1, initial=1)
    write_ins = forms.BooleanField(label="允许另选他人（不提名推荐）", required=False)
    policy = forms.ChoiceField(label="依据政策", required=False)
    threshold_path = forms.ChoiceField(
        label="得票要求",
        required=False,
        choices=[("", "（不判定）"), *THRESHOLD_PATHS.items()],
    )
    trust_scale = forms.BooleanField(label="测评用信任度档次（信任/基本信任/不信任）", required=False)
    opens_at = forms.DateTimeField(
        label="计划开始时间", required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    closes_at = forms.DateTimeField(
        label="计划结束时间", required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        policy = self.fields["policy"]
        assert isinstance(policy, forms.ChoiceField)
        policy.choices = [("", "（不依据政策，使用计票惯例）"), *_policy_choices()]

    def items(self) -> list[ItemInput]:
        kind = self.cleaned_data["kind"]
        result = []
        for raw in self.cleaned_data["items_text"].splitlines():
            text = raw.strip()
            if not text:
                continue
            if kind == Poll.Kind.RECOMMENDATION:
                title, _, names = (
                    re.split(r"([:：])", text, maxsplit=1) if re.search("[:：]", text) else (text, "", "")
                )
                candidates = [n.strip() for n in re.split(r"[、,，;；\s]+", names) if n.strip()]
                result.append(
                    ItemInput(
                        title=title.strip(),
                        choices=candidates,
                        max_marks=self.cleaned_data["max_marks"],
                        seats=self.cleaned_data["seats"],
                        write_ins=self.cleaned_data["write_ins"],
                    )
                )
            else:
                result.append(ItemInput(title=text))
        return result

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "items_text" in data and "kind" in data and not self.items():
            self.add_error("items_text", "至少填写一项")
        return data


class PaperEntryForm(forms.Form):
    number = forms.IntegerField(label="选票编号", min_value=1)
    void = forms.BooleanField(label="整张选票无效（无法辨认等，经计票人、监票人认定）", required=False)


class ReconcileForm(forms.Form):
    void = forms.BooleanField(label="整张选票无效", required=False)
    reason = forms.CharField(label="核对理由（对照纸质选票原件）", widget=forms.Textarea(attrs={"rows": 2}))


def scale_for(form: PollForm) -> tuple[str, ...]:
    return tally.TRUST_SCALE if form.cleaned_data.get("trust_scale") else tally.EVALUATION_SCALE
