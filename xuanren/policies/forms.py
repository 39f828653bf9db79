"""Forms: uploading a policy file, entering a holiday schedule, and the sandbox's result."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from django import forms

from xuanren.rules.sandbox import SandboxResult
from xuanren.rules.vocabulary import RecommendationMode

MAX_POLICY_BYTES = 1024 * 1024


class Form(forms.Form):
    """Chinese labels end without an ASCII colon."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class PolicyUploadForm(Form):
    text = forms.CharField(
        label="政策文件内容（TOML）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 24, "class": "code", "spellcheck": "false"}),
        help_text="粘贴政策文件全文，或在下面选择文件。格式说明见内置政策文件目录中的 README。",
    )
    file = forms.FileField(label="或上传文件（.toml，UTF-8）", required=False)
    comment = forms.CharField(
        label="修订说明",
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"size": 60}),
        help_text="例如依据的文件、这一版改了什么。",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None:
            if upload.size > MAX_POLICY_BYTES:
                raise forms.ValidationError("文件过大（政策文件一般不超过 1 MB）")
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError("文件不是 UTF-8 编码：请另存为 UTF-8 后再上传") from None
        if not (data.get("text") or "").strip():
            raise forms.ValidationError("请粘贴政策文件内容或选择文件")
        data["text"] = data["text"].replace("\r\n", "\n")
        return data


# --- holiday schedules ----------------------------------------------------------------------

_RANGE = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})(?:\s*(?:~|～|至|到|--|—|–)\s*(\d{4}-\d{1,2}-\d{1,2}))?$")


def _day(text: str) -> date:
    year, month, day = (int(part) for part in text.split("-"))
    return date(year, month, day)


def parse_days(text: str) -> list[date]:
    """Dates one per line or comma-separated; "2027-10-01~2027-10-07" is a range, both ends included."""
    days: list[date] = []
    for number, line in enumerate(text.splitlines(), start=1):
        for item in re.split(r"[,，、；;]", line):
            item = item.strip()
            if not item:
                continue
            match = _RANGE.match(item)
            try:
                if match is None:
                    raise ValueError
                first = _day(match.group(1))
                last = _day(match.group(2)) if match.group(2) else first
            except ValueError:
                raise forms.ValidationError(
                    f"第 {number} 行“{item}”看不懂：日期写成 2027-10-01，连续几天写成 2027-10-01~2027-10-07"
                ) from None
            if last < first:
                raise forms.ValidationError(f"第 {number} 行“{item}”：结束日期早于开始日期")
            days.extend(first + timedelta(days=n) for n in range((last - first).days + 1))
    return sorted(set(days))


def format_days(days: list[date]) -> str:
    """The inverse of :func:`parse_days`: consecutive days as one range per line."""
    lines: list[str] = []
    for first, last in _runs(sorted(days)):
        lines.append(first.isoformat() if first == last else f"{first.isoformat()}~{last.isoformat()}")
    return "\n".join(lines)


def _runs(days: list[date]) -> Iterator[tuple[date, date]]:
    start = previous = None
    for day in days:
        if previous is not None and day == previous + timedelta(days=1):
            previous = day
            continue
        if start is not None and previous is not None:
            yield start, previous
        start = previous = day
    if start is not None and previous is not None:
        yield start, previous


class HolidayScheduleForm(Form):
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)
    holidays = forms.CharField(
        label="放假日",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "class": "code"}),
        help_text="通知中放假的日期，每行一个日期或一段（2027-10-01~2027-10-07）；假期中的周末可一并写入。",
    )
    workdays = forms.CharField(
        label="调休上班日",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "code"}),
        help_text="通知中周六、周日上班的日期，每行一个。",
    )
    source = forms.CharField(
        label="依据",
        max_length=200,
        help_text="国务院办公厅通知的标题或文号，如“国务院办公厅关于2027年部分节假日安排的通知”。",
        widget=forms.TextInput(attrs={"size": 60}),
    )

    def clean_holidays(self) -> list[date]:
        return parse_days(self.cleaned_data.get("holidays") or "")

    def clean_workdays(self) -> list[date]:
        return parse_days(self.cleaned_data.get("workdays") or "")


class NoticeCalculatorForm(Form):
    start = forms.DateField(label="公示开始日", widget=forms.DateInput(attrs={"type": "date"}))
    days = forms.IntegerField(label="工作日数", min_value=1, max_value=60, initial=5)


# --- the sandbox ----------------------------------------------------------------------------

_VOTE_LINE = re.compile(r"^(?P<name>.+?)[\s:：=，,]*(?P<count>\d+)$")
_EVALUATION_LINE = re.compile(r"^(?P<name>[^\s:：，,]+)[\s:：，,]+(?P<rest>.+)$")
_GRADE = re.compile(r"(?P<grade>[^\d\s:：=，,、；;]+)[\s:：=]*(?P<count>\d+)")


def parse_counts(text: str, what: str) -> dict[str, int]:
    """ "姓名 票数" per line (also "姓名：票数", "姓名37") → {姓名: 票数}, in the order given."""
    counts: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = _VOTE_LINE.match(line)
        if match is None or not match.group("name").strip():
            raise forms.ValidationError(f"{what}第 {number} 行“{line}”：请写成“姓名 票数”，如“张三 37”")
        name = match.group("name").strip()
        if name in counts:
            raise forms.ValidationError(f"{what}第 {number} 行：{name} 重复出现")
        counts[name] = int(match.group("count"))
    return counts


def parse_evaluations(text: str) -> dict[str, dict[str, int]]:
    """ "张三 优秀40 称职50 基本称职20 不称职10" per line → {张三: {优秀: 40, ...}}."""
    result: dict[str, dict[str, int]] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = _EVALUATION_LINE.match(line)
        grades = list(_GRADE.finditer(match.group("rest"))) if match else []
        leftover = _GRADE.sub("", match.group("rest")) if match else line
        if match is None or not grades or re.sub(r"[\s:：=，,、；;]", "", leftover):
            raise forms.ValidationError(
                f"测评票第 {number} 行“{line}”：请写成“姓名 等次票数 …”，如“张三 优秀40 称职50 基本称职20 不称职10”"
            )
        name = match.group("name")
        if name in result:
            raise forms.ValidationError(f"测评票第 {number} 行：{name} 重复出现")
        counts: dict[str, int] = {}
        for grade in grades:
            if grade.group("grade") in counts:
                raise forms.ValidationError(f"测评票第 {number} 行：“{grade.group('grade')}”写了两次")
            counts[grade.group("grade")] = int(grade.group("count"))
        result[name] = counts
    return result


class SandboxForm(Form):
    policies = forms.MultipleChoiceField(
        label="比较的政策",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一项政策"},
    )
    posts = forms.IntegerField(label="职位数", min_value=1, max_value=100)
    mode = forms.ChoiceField(
        label="推荐方式",
        choices=[(mode.value, mode.label) for mode in RecommendationMode],
        help_text="不提名推荐：不给名单，自由推荐；提名推荐：在给定名单中推荐。",
    )
    participants = forms.IntegerField(label="参加推荐人数", min_value=1)
    valid_ballots = forms.IntegerField(label="有效票数", min_value=0, required=False, help_text="可不填")
    expected = forms.IntegerField(
        label="应参加人数", min_value=1, required=False, help_text="填写后检查推荐会议到会是否足额"
    )
    votes = forms.CharField(
        label="推荐得票",
        widget=forms.Textarea(attrs={"rows": 6, "class": "code"}),
        help_text="每行“姓名 票数”，如“张三 37”。",
    )
    evaluations = forms.CharField(
        label="民主测评票",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "code"}),
        help_text="可不填。每行“姓名 等次票数…”，如“张三 优秀40 称职50 基本称职20 不称职10”；信任票写“信任 基本信任 不信任”。",
    )
    committee_members = forms.IntegerField(label="常委会应到成员", min_value=1, required=False)
    committee_present = forms.IntegerField(label="实到成员", min_value=0, required=False)
    committee_votes = forms.CharField(
        label="票决同意票",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "code"}),
        help_text="可不填。每行“姓名 同意票数”。",
    )

    def __init__(self, *args: Any, policy_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        policies = self.fields["policies"]
        assert isinstance(policies, forms.MultipleChoiceField)
        policies.choices = policy_choices

    def clean_votes(self) -> dict[str, int]:
        votes = parse_counts(self.cleaned_data["votes"], "推荐得票")
        if not votes:
            raise forms.ValidationError("请至少填写一名人选的得票")
        return votes

    def clean_evaluations(self) -> dict[str, dict[str, int]]:
        return parse_evaluations(self.cleaned_data.get("evaluations") or "")

    def clean_committee_votes(self) -> dict[str, int]:
        return parse_counts(self.cleaned_data.get("committee_votes") or "", "票决同意票")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        members, present = data.get("committee_members"), data.get("committee_present")
        if data.get("committee_votes") and (members is None or present is None):
            self.add_error("committee_members", "填写票决同意票时，请同时填写应到和实到成员")
        if members is not None and present is not None and present > members:
            self.add_error("committee_present", "实到成员不能多于应到成员")
        votes = data.get("votes") or {}
        participants = data.get("participants")
        if participants is not None:
            over = [name for name, count in votes.items() if count > participants]
            if over:
                self.add_error("votes", f"{'、'.join(over)} 的得票多于参加推荐人数 {participants}")
        return data

    def result(self) -> SandboxResult:
        data = self.cleaned_data
        with_committee = (
            data.get("committee_members") is not None and data.get("committee_present") is not None
        )
        return SandboxResult(
            posts=data["posts"],
            participants=data["participants"],
            votes=data["votes"],
            mode=RecommendationMode(data["mode"]),
            valid_ballots=data.get("valid_ballots"),
            expected=data.get("expected"),
            evaluations=data.get("evaluations") or {},
            committee_members=data.get("committee_members") if with_committee else None,
            committee_present=data.get("committee_present") if with_committee else None,
            committee_votes=data.get("committee_votes") or {},
        )
