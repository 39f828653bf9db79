"""One form per campaign action.

A form is built with the campaign (and the candidate or meeting) it acts on; it validates what
was typed like any Django form, and :meth:`ActionForm.act` calls the action. A refusal
(:class:`~xuanren.campaigns.errors.CampaignRefused`) propagates to the view, which shows it above
the form with what was typed kept. Nothing here writes a model: the actions do.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from typing import Any

from django import forms
from django.core.files.base import ContentFile
from django.db.models import Q, QuerySet

from xuanren.campaigns import actions
from xuanren.campaigns.figures import FiguresError, RecommendationFigures, recommendation_from_poll
from xuanren.campaigns.models import Campaign, Candidate, Meeting, Recommendation, Vacancy
from xuanren.register.choices import Education, Rank
from xuanren.register.models import Cadre, Post, PostHolding, Unit
from xuanren.rules.policy import Policy

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LINES = forms.Textarea(attrs={"rows": 3})
TEXT = forms.Textarea(attrs={"rows": 5})


def split_names(text: str) -> list[str]:
    """Names typed one per line or separated by 、，, ; and spaces."""
    return [n.strip() for n in re.split(r"[\n、,，;；]+", text or "") if n.strip()]


class CandidateChoice(forms.ModelMultipleChoiceField):
    """Candidates as checkboxes labelled with name and unit."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        unit = obj.cadre.unit.name if obj.cadre.unit_id and obj.cadre.unit else ""
        post = f" → {obj.vacancy.post.title}" if obj.vacancy_id and obj.vacancy else ""
        return f"{obj.cadre.name}（{obj.cadre.current_title or unit}）{post}"


class OneCandidate(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.cadre.name}（{obj.cadre.current_title or ''}）"


class VacancyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.post.unit.name} {obj.post.title}（{obj.get_rank_display()}）"


class ActionForm(forms.Form):
    """Base of the action forms: knows the campaign, its policy and the user; ``act`` acts."""

    success = "已保存"
    submit = "提交"

    def __init__(
        self,
        *args: Any,
        campaign: Campaign,
        policy: Policy,
        user: Any,
        candidate: Candidate | None = None,
        meeting: Meeting | None = None,
        today: date,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.policy = policy
        self.user = user
        self.candidate = candidate
        self.meeting = meeting
        self.today = today
        for field in self.fields.values():
            if isinstance(field, forms.DateField) and field.initial is None and field.required:
                field.initial = today

    def candidates(self, *states: str) -> QuerySet[Candidate]:
        qs = self.campaign.candidates.select_related("cadre", "cadre__unit", "vacancy__post").order_by(
            "sort_order", "id"
        )
        return qs.filter(state__in=states) if states else qs

    def vacancies(self) -> QuerySet[Vacancy]:
        return self.campaign.vacancies.select_related("post__unit").order_by("sort_order", "id")

    def act(self, *, acting_user: Any, today: date) -> str:  # pragma: no cover - every form overrides
        raise NotImplementedError

    def redirect_url(self) -> str | None:
        """Where to go after success (None: the campaign or candidate page)."""
        return None


# --------------------------------------------------------------------------- materials


class MaterialField(forms.FileField):
    """A signed scan (PDF or JPEG, checked by its first bytes); stored only when the action succeeds."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "PDF 或 JPEG 扫描件，按内容识别，保存时计算 SHA-256")
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = "application/pdf,image/jpeg"

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if not upload:
            return None
        from xuanren.record import materials

        try:
            name, content = materials.read_upload(upload)
            _, extension = materials.sniff(content)
        except materials.MaterialRefused as refused:
            raise forms.ValidationError(str(refused)) from refused
        return ContentFile(content, name=materials.clean_name(name, extension))


def material_of(upload: ContentFile | None) -> actions.Material | None:
    if upload is None:
        return None
    upload.seek(0)
    return actions.Material(name=upload.name or "材料", sha256=hashlib.sha256(upload.read()).hexdigest())


def store(
    upload: ContentFile | None, form: ActionForm, kind: str, candidate: Candidate | None = None
) -> None:
    """Store the scan once the action it belongs to has succeeded (its own recorded action)."""
    if upload is None:
        return
    from xuanren.record.actions import store_material

    upload.seek(0)
    store_material(
        acting_user=form.user,
        jurisdiction_code=form.campaign.jurisdiction.code,
        file=upload,
        campaign_id=form.campaign.pk,
        candidate_id=candidate.cadre_id if candidate is not None else None,
        kind=kind,
    )


# --------------------------------------------------------------------------- cadre picker


class CadreField(forms.CharField):
    """A cadre of the campaign's jurisdiction by name, or by ID number where a name is shared."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "被推荐人")
        kwargs.setdefault("help_text", "填写干部姓名；同名时填写身份证号")
        kwargs.setdefault("max_length", 64)
        super().__init__(**kwargs)


def resolve_cadre(campaign: Campaign, text: str) -> Cadre:
    text = text.strip()
    scope = Cadre.objects.filter(jurisdiction__path__startswith=campaign.jurisdiction.path).select_related(
        "unit"
    )
    matches = list(scope.filter(Q(name=text) | Q(id_number=text.upper()))[:6])
    if not matches:
        raise forms.ValidationError(f"{campaign.jurisdiction.name}干部名册中没有“{text}”")
    if len(matches) > 1:
        listed = "、".join(f"{c.name}（{c.unit.name if c.unit else c.current_title}）" for c in matches)
        raise forms.ValidationError(f"名册中有多名“{text}”：{listed}。请填写身份证号")
    return matches[0]


# --------------------------------------------------------------------------- campaign and motion


def policy_choices() -> list[tuple[str, str]]:
    from xuanren.rules.policy import builtin_registry

    try:
        from xuanren.policies.selectors import policy_registry

        registry = policy_registry()
    except ImportError:  # the policies app absent: the built-in files
        registry = builtin_registry()
    return [(p.label, f"{p.name}（{p.label}）") for p in registry.all_latest()]


class CampaignCreateForm(forms.Form):
    title = forms.CharField(
        label="选任工作名称", max_length=200, help_text="如“2026年县直部门副科级领导职务选任”"
    )
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    policy = forms.ChoiceField(label="依据政策（开始后不可更改）")
    planned = forms.BooleanField(label="列入年度选拔任用工作计划", required=False, initial=True)
    plan_quarter = forms.TypedChoiceField(
        label="计划季度",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), (1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度")],
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = today.year
        self.fields["policy"].choices = policy_choices()  # type: ignore[attr-defined]


class AnnualPlanForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    note = forms.CharField(label="说明", required=False, widget=LINES)


VACANCY_ROWS = 4


class MotionForm(ActionForm):
    """提出动议建议: why, and which vacant posts with which conditions."""

    success = "动议建议已提出"
    submit = "提出动议"
    reason = forms.CharField(
        label="动议理由", widget=TEXT, help_text="领导班子和干部队伍建设的需要，职位空缺的原因"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        vacant = (
            Post.objects.filter(unit__jurisdiction__path__startswith=self.campaign.jurisdiction.path)
            .exclude(
                pk__in=PostHolding.objects.filter(end__isnull=True, post__isnull=False).values("post_id")
            )
            .select_related("unit")
            .order_by("unit__sort_order", "unit_id", "sort_order", "id")
        )
        self.rows = []
        for i in range(1, VACANCY_ROWS + 1):
            self.fields[f"post_{i}"] = VacancyPostField(
                label=f"空缺职位 {i}", queryset=vacant, required=i == 1, empty_label="（不填）"
            )
            self.fields[f"years_{i}"] = forms.IntegerField(
                label="任职年限（年以上）", min_value=0, max_value=40, required=False
            )
            self.fields[f"education_{i}"] = forms.ChoiceField(
                label="学历层次（以上）", choices=[("", "—"), *Education.choices], required=False
            )
            self.fields[f"max_age_{i}"] = forms.IntegerField(
                label="年龄上限（周岁）", min_value=18, max_value=70, required=False
            )
            self.fields[f"other_{i}"] = forms.CharField(label="其他条件", required=False, max_length=500)
            self.rows.append(
                [
                    self[f"post_{i}"],
                    self[f"years_{i}"],
                    self[f"education_{i}"],
                    self[f"max_age_{i}"],
                    self[f"other_{i}"],
                ]
            )

    def vacancy_inputs(self) -> list[actions.VacancyInput]:
        out = []
        for i in range(1, VACANCY_ROWS + 1):
            post = self.cleaned_data.get(f"post_{i}")
            if post is None:
                continue
            out.append(
                actions.VacancyInput(
                    post=post,
                    min_years_in_rank=self.cleaned_data.get(f"years_{i}"),
                    min_education=self.cleaned_data.get(f"education_{i}") or "",
                    max_age=self.cleaned_data.get(f"max_age_{i}"),
                    other_conditions=self.cleaned_data.get(f"other_{i}") or "",
                )
            )
        return out

    def act(self, *, acting_user: Any, today: date) -> str:
        actions.propose_motion(
            self.campaign,
            acting_user=acting_user,
            today=today,
            reason=self.cleaned_data["reason"],
            vacancies=self.vacancy_inputs(),
        )
        return self.success


class VacancyPostField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.unit.name} {obj.title}（{Rank(obj.rank).label}）"


class DirectionForm(ActionForm):
    """书记提出方向、原则和标准（不提具体人选）."""

    success = "方向、原则和标准已记录"
    direction = forms.CharField(label="方向和原则", widget=TEXT, required=False)
    standards = forms.CharField(label="选拔标准和要求", widget=TEXT, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["direction"].initial = self.campaign.direction
        self.fields["standards"].initial = self.campaign.standards

    def act(self, *, acting_user: Any, today: date) -> str:
        actions.record_direction(
            self.campaign,
            acting_user=acting_user,
            today=today,
            direction=self.cleaned_data["direction"],
            standards=self.cleaned_data["standards"],
        )
        return self.success


class MotionPlanForm(ActionForm):
    """拟定动议方案: agreed by the meeting the policy names, after hearing the leaders."""

    success = "动议方案已审定"
    meeting_name = forms.ChoiceField(label="审定会议")
    attendees = forms.CharField(label="参加会议人员", widget=LINES, help_text="每行一人，或用顿号分隔")
    leaders_heard = forms.CharField(label="听取意见的相关领导", widget=LINES, required=False)
    minutes = forms.CharField(label="会议记录", widget=TEXT, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from xuanren.campaigns import engine

        bodies = engine.items_of(self.policy, "motion.plan_agreed_by") or ("县委人事酝酿会议",)
        self.fields["meeting_name"].choices = [(b, b) for b in bodies]  # type: ignore[attr-defined]

    def act(self, *, acting_user: Any, today: date) -> str:
        actions.agree_motion_plan(
            self.campaign,
            acting_user=acting_user,
            today=today,
            meeting=self.cleaned_data["meeting_name"],
            attendees=split_names(self.cleaned_data["attendees"]),
            leaders_heard=split_names(self.cleaned_data["leaders_heard"]),
            minutes=self.cleaned_data["minutes"],
        )
        return self.success


def media_choices(policy: Policy) -> list[tuple[str, str]]:
    from xuanren.campaigns import engine

    items = engine.items_of(policy, "openness.media") or ("门户网站", "电视", "文件", "公示栏")
    return [(m, m) for m in items]


class MethodForm(ActionForm):
    """公开选任方式和程序步骤 (before the campaign starts)."""

    success = "选任方式和程序步骤已公开"
    method = forms.CharField(label="选任方式和程序步骤", widget=forms.Textarea(attrs={"rows": 10}))
    published_via = forms.MultipleChoiceField(label="公开途径", widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from xuanren.campaigns import engine

        self.fields["published_via"].choices = media_choices(self.policy)  # type: ignore[attr-defined]
        steps = engine.person_step_views(self.policy)
        lines, stage = [], ""
        for view in steps:
            if view.stage_name != stage:
                stage = view.stage_name
                lines.append(f"{len({v.stage_id for v in steps if v.number <= view.number})}. {stage}：")
            lines.append(f"   （{view.number}）{view.name}")
        self.fields["method"].initial = (
            f"本次选任按照{self.policy.name}进行，采取五种渠道推荐提名、差额推荐、差额考察、差额酝酿、差额票决的方式。\n"
            + "\n".join(lines)
        )

    def act(self, *, acting_user: Any, today: date) -> str:
        actions.publish_method(
            self.campaign,
            acting_user=acting_user,
            today=today,
            method=self.cleaned_data["method"],
            media=self.cleaned_data["published_via"],
        )
        return self.success


class AnnounceForm(ActionForm):
    """公布空缺职位和任职条件 (they cannot change afterwards)."""

    success = "空缺职位和任职条件已公布，此后不得更改"
    submit = "公布"
    published_via = forms.MultipleChoiceField(label="公布途径", widget=forms.CheckboxSelectMultiple)
    nomination_opens = forms.DateField(label="推荐提名开始", widget=DATE)
    nomination_closes = forms.DateField(label="推荐提名截止", widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["published_via"].choices = media_choices(self.policy)  # type: ignore[attr-defined]

    def act(self, *, acting_user: Any, today: date) -> str:
        actions.announce_vacancies(
            self.campaign,
            acting_user=acting_user,
            today=today,
            media=self.cleaned_data["published_via"],
            nomination_opens=self.cleaned_data["nomination_opens"],
            nomination_closes=self.cleaned_data["nomination_closes"],
        )
        return self.success


class ConditionsForm(ActionForm):
    """修改任职条件 (only before the announcement; afterwards refused and recorded)."""

    success = "任职条件已修改"
    vacancy = VacancyChoice(label="职位", queryset=Vacancy.objects.none())
    min_years_in_rank = forms.IntegerField(
        label="任职年限（年以上）", min_value=0, max_value=40, required=False
    )
    min_education = forms.ChoiceField(
        label="学历层次（以上）", choices=[("", "—"), *Education.choices], required=False
    )
    max_age = forms.IntegerField(label="年龄上限（周岁）", min_value=18, max_value=70, required=False)
    other_conditions = forms.CharField(label="其他条件", required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vacancy"].queryset = self.vacancies()  # type: ignore[attr-defined]

    def act(self, *, acting_user: Any, today: date) -> str:
        data = self.cleaned_data
        actions.change_vacancy_conditions(
            data["vacancy"],
            acting_user=acting_user,
            today=today,
            changes={
                "min_years_in_rank": data["min_years_in_rank"],
                "min_education": data["min_education"],
                "max_age": data["max_age"],
                "other_conditions": data["other_conditions"],
            },
        )
        return self.success


# --------------------------------------------------------------------------- five nomination channels


class NominationForm(ActionForm):
    """Fields every channel shares: the nominee and the post they are put forward for."""

    success = "推荐提名已受理"
    submit = "受理提名"
    cadre = CadreField()
    vacancy = VacancyChoice(
        label="推荐职位", queryset=Vacancy.objects.none(), required=False, empty_label="（不指定）"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vacancy"].queryset = self.vacancies()  # type: ignore[attr-defined]
        self.order_fields(["cadre", "vacancy"])

    def clean_cadre(self) -> Cadre:
        return resolve_cadre(self.campaign, self.cleaned_data["cadre"])

    def common(self, acting_user: Any, today: date) -> dict[str, Any]:
        return {
            "acting_user": acting_user,
            "today": today,
            "cadre": self.cleaned_data["cadre"],
            "vacancy": self.cleaned_data.get("vacancy"),
        }


class CadreMeetingNominationForm(NominationForm):
    """干部大会推荐提名: the meeting's anonymous forms for one nominee."""

    meeting_on = forms.DateField(label="推荐会议日期", widget=DATE)
    participants = forms.IntegerField(label="参加推荐人数", min_value=1)
    votes = forms.IntegerField(label="得票数", min_value=0)
    material = MaterialField(label="计票结果（扫描件）")

    def act(self, *, acting_user: Any, today: date) -> str:
        upload = self.cleaned_data.get("material")
        nomination = actions.nominate_by_cadre_meeting(
            self.campaign,
            **self.common(acting_user, today),
            meeting_on=self.cleaned_data["meeting_on"],
            participants=self.cleaned_data["participants"],
            votes=self.cleaned_data["votes"],
            material=material_of(upload),
        )
        store(upload, self, "recommendation", nomination.candidate)
        return self.success


class MassesNominationForm(NominationForm):
    """干部群众推荐提名 within a unit (the unit-size rule: 30 or more, at least 30 take part)."""

    unit = forms.ModelChoiceField(label="推荐单位", queryset=Unit.objects.none())
    unit_size = forms.IntegerField(label="单位人数", min_value=1)
    participants = forms.IntegerField(label="参加推荐人数", min_value=1)
    votes = forms.IntegerField(label="得票数", min_value=0)
    meeting_on = forms.DateField(label="推荐日期", widget=DATE)
    material = MaterialField(label="计票结果（扫描件）")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            jurisdiction__path__startswith=self.campaign.jurisdiction.path
        ).order_by("sort_order", "id")

    def act(self, *, acting_user: Any, today: date) -> str:
        upload = self.cleaned_data.get("material")
        nomination = actions.nominate_by_cadres_and_masses(
            self.campaign,
            **self.common(acting_user, today),
            unit=self.cleaned_data["unit"],
            unit_size=self.cleaned_data["unit_size"],
            participants=self.cleaned_data["participants"],
            votes=self.cleaned_data["votes"],
            meeting_on=self.cleaned_data["meeting_on"],
            material=material_of(upload),
        )
        store(upload, self, "recommendation", nomination.candidate)
        return self.success


class UnitNominationForm(NominationForm):
    """部门单位集体推荐提名: the meeting's decision with minutes and a formal report."""

    unit = forms.ModelChoiceField(label="推荐单位", queryset=Unit.objects.none())
    meeting_on = forms.DateField(label="党委（党组）会议日期", widget=DATE)
    document_reference = forms.CharField(label="上报文件文号", max_length=100)
    basic_facts = forms.CharField(label="被推荐人基本情况", widget=LINES)
    achievements = forms.CharField(label="主要工作实绩", widget=LINES)
    proposed_post = forms.CharField(label="拟推荐职务", max_length=200)
    reasons = forms.CharField(label="推荐理由", widget=LINES)
    minutes = MaterialField(label="会议记录（扫描件）", required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            jurisdiction__path__startswith=self.campaign.jurisdiction.path
        ).order_by("sort_order", "id")

    def act(self, *, acting_user: Any, today: date) -> str:
        upload = self.cleaned_data.get("minutes")
        data = self.cleaned_data
        nomination = actions.nominate_by_unit(
            self.campaign,
            **self.common(acting_user, today),
            unit=data["unit"],
            meeting_on=data["meeting_on"],
            document_reference=data["document_reference"],
            basic_facts=data["basic_facts"],
            achievements=data["achievements"],
            proposed_post=data["proposed_post"],
            reasons=data["reasons"],
            minutes=material_of(upload),
        )
        store(upload, self, "minutes", nomination.candidate)
        return self.success


class SignedNominationForm(NominationForm):
    """领导干部及群众署名推荐提名: signed, with the relationship declared and responsibility accepted."""

    recommender_name = forms.CharField(label="推荐人姓名", max_length=64)
    recommender_unit_post = forms.CharField(label="推荐人单位及职务", max_length=128)
    recommender_contact = forms.CharField(label="推荐人联系电话", max_length=32)
    relationship = forms.CharField(
        label="与被推荐人的关系", max_length=128, help_text="如：同事、上下级、无亲属关系"
    )
    assessment = forms.CharField(label="被推荐人德、能、勤、绩、廉情况", widget=TEXT)
    reasons = forms.CharField(label="推荐理由", widget=LINES)
    proposed_use = forms.CharField(label="使用建议", max_length=200)
    responsibility_accepted = forms.BooleanField(
        label="推荐人承诺对推荐材料的真实性负责，所推荐人选出现问题时承担相应责任", required=False
    )
    signed_form = MaterialField(label="署名推荐表（扫描件）")

    def act(self, *, acting_user: Any, today: date) -> str:
        upload = self.cleaned_data.get("signed_form")
        data = self.cleaned_data
        nomination = actions.nominate_by_signature(
            self.campaign,
            **self.common(acting_user, today),
            recommender_name=data["recommender_name"],
            recommender_unit_post=data["recommender_unit_post"],
            recommender_contact=data["recommender_contact"],
            relationship=data["relationship"],
            responsibility_accepted=data["responsibility_accepted"],
            assessment=data["assessment"],
            reasons=data["reasons"],
            proposed_use=data["proposed_use"],
            signed_form=material_of(upload),
        )
        store(upload, self, "signed_form", nomination.candidate)
        return self.success


class SelfNominationForm(NominationForm):
    """干部个人自荐提名 on the registration form."""

    statement = forms.CharField(label="自荐登记表内容", widget=TEXT, help_text="本人简历、主要实绩、自荐理由")
    registration_form = MaterialField(label="自荐登记表（扫描件）")

    def act(self, *, acting_user: Any, today: date) -> str:
        upload = self.cleaned_data.get("registration_form")
        nomination = actions.nominate_self(
            self.campaign,
            **self.common(acting_user, today),
            statement=self.cleaned_data["statement"],
            registration_form=material_of(upload),
        )
        store(upload, self, "signed_form", nomination.candidate)
        return self.success


# --------------------------------------------------------------------------- review and shortlists


class ReviewForm(ActionForm):
    """资格审核: the eligibility rules run on every nominee; failures are listed with reasons."""

    submit = "进行资格审核"
    confirm = forms.BooleanField(label="推荐提名已截止，对全部提名人选进行资格审核", required=True)

    def act(self, *, acting_user: Any, today: date) -> str:
        result = actions.review_qualifications(self.campaign, acting_user=acting_user, today=today)
        failed = "；".join(f"{c.cadre.name}：{'、'.join(r) or '不符合任职资格'}" for c, r in result.failed)
        return f"资格审核完成：{len(result.qualified)} 人符合任职资格" + (
            f"；不符合 {len(result.failed)} 人（{failed}）" if failed else ""
        )


class ShortlistForm(ActionForm):
    """A list chosen among candidates of one state at the policy's ratio (1:3, then 1:2)."""

    from_state = ""
    ratio_path = ""
    candidates_field = CandidateChoice(label="人选", queryset=Candidate.objects.none())
    reasons = forms.CharField(label="理由（人岗相适的综合分析）", widget=LINES, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["candidates_field"].queryset = self.candidates(self.from_state)  # type: ignore[attr-defined]
        rule = self.policy.rule(self.ratio_path)
        ratio = getattr(getattr(rule, "ratio", None), "text", "")
        posts = self.campaign.vacancies.count()
        if ratio:
            people = getattr(rule, "ratio").people * posts  # noqa: B009
            self.fields[
                "candidates_field"
            ].help_text = f"按职位与人选 {ratio} 的比例：{posts} 个职位应确定 {people} 人（{self.policy.rule_id(self.ratio_path)}）"


class ProposeForm(ShortlistForm):
    """确定提名建议人选 (1:3), by the department."""

    success = "提名建议人选已确定"
    from_state = Candidate.State.QUALIFIED
    ratio_path = "nomination.proposal_ratio"

    def act(self, *, acting_user: Any, today: date) -> str:
        chosen = actions.propose_nominees(
            self.campaign,
            acting_user=acting_user,
            today=today,
            candidates=list(self.cleaned_data["candidates_field"]),
            reasons=self.cleaned_data["reasons"],
        )
        return f"提名建议人选已确定：{'、'.join(c.cadre.name for c in chosen)}"


class ConfirmForm(ShortlistForm):
    """确定提名人选 (1:2), by the county committee."""

    success = "提名人选已确定"
    from_state = Candidate.State.PROPOSED
    ratio_path = "nomination.candidate_ratio"
    meeting_name = forms.CharField(label="研究确定的会议", initial="县委常委会", max_length=100)

    def act(self, *, acting_user: Any, today: date) -> str:
        chosen = actions.confirm_nominees(
            self.campaign,
            acting_user=acting_user,
            today=today,
            candidates=list(self.cleaned_data["candidates_field"]),
            meeting=self.cleaned_data["meeting_name"],
            reasons=self.cleaned_data["reasons"],
        )
        return f"提名人选已确定：{'、'.join(c.cadre.name for c in chosen)}"


class ExceptionalForm(ActionForm):
    """申报破格提拔 (reason from the policy, justification)."""

    success = "已申报破格提拔，待上级组织部门同意"
    reason = forms.ChoiceField(label="破格理由")
    justification = forms.CharField(label="具体理由", widget=TEXT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rule = self.policy.rule("eligibility.exceptional")
        reasons = tuple(getattr(rule, "reasons", ())) or ("特别优秀", "工作特殊需要")
        self.fields["reason"].choices = [(r, r) for r in reasons]  # type: ignore[attr-defined]

    def act(self, *, acting_user: Any, today: date) -> str:
        assert self.candidate is not None
        actions.declare_exceptional_promotion(
            self.candidate,
            acting_user=acting_user,
            today=today,
            reason=self.cleaned_data["reason"],
            justification=self.cleaned_data["justification"],
        )
        return self.success


class ExceptionalApprovalForm(ActionForm):
    """上级组织部门同意破格提拔."""

    success = "已记录上级组织部门同意破格提拔"
    authority = forms.CharField(label="批准机关", max_length=100, initial="市委组织部")
    reference = forms.CharField(label="批准文号", max_length=100)
    approved_on = forms.DateField(label="批准日期", widget=DATE)

    def act(self, *, acting_user: Any, today: date) -> str:
        assert self.candidate is not None
        actions.approve_exceptional_promotion(
            self.candidate,
            acting_user=acting_user,
            today=today,
            authority=self.cleaned_data["authority"],
            reference=self.cleaned_data["reference"],
            approved_on=self.cleaned_data["approved_on"],
        )
        return self.success


class FalsifiedForm(ActionForm):
    """弄虚作假查实：取消提名推荐资格和任用资格."""

    success = "已取消该人选的提名推荐资格和任用资格"
    submit = "取消资格"
    reason = forms.CharField(label="查实的弄虚作假情况", widget=TEXT)

    def act(self, *, acting_user: Any, today: date) -> str:
        assert self.candidate is not None
        actions.disqualify_falsified(
            self.candidate, acting_user=acting_user, today=today, reason=self.cleaned_data["reason"]
        )
        return self.success


# --------------------------------------------------------------------------- recommendation


class WidenForm(ActionForm):
    """扩大推荐范围 (related units or across systems), with reasons."""

    success = "推荐范围已扩大"
    scope = forms.CharField(label="扩大后的范围", widget=LINES)
    reasons = forms.CharField(label="理由", widget=LINES)
    units = forms.ModelMultipleChoiceField(label="涉及单位", queryset=Unit.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            jurisdiction__path__startswith=self.campaign.jurisdiction.path
        ).order_by("sort_order", "id")

    def act(self, *, acting_user: Any, today: date) -> str:
        actions.widen_range(
            self.campaign,
            acting_user=acting_user,
            today=today,
            scope=self.cleaned_data["scope"],
            reasons=self.cleaned_data["reasons"],
            units=list(self.cleaned_data["units"]),
        )
        return self.success


class PollSetupForm(ActionForm):
    """Set up a vote of this campaign in the ballots app: the people come from the campaign."""

    KINDS = {
        "recommendation": ("民主推荐", "recommendation_held", (Candidate.State.CONFIRMED,)),
        "evaluation": ("民主测评", "inspection_conducted", (Candidate.State.INSPECTION_CANDIDATE,)),
        "committee": ("常委会票决", "standing_committee_vote", (Candidate.State.DELIBERATED,)),
    }
    submit = "创建投票"
    kind = forms.ChoiceField(label="投票类型", choices=[(k, v[0]) for k, v in KINDS.items()])
    participants = forms.IntegerField(label="参加人数（票决为应到会成员数）", min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.poll: Any = None

    def people(self, kind: str) -> list[Candidate]:
        return list(self.candidates(*self.KINDS[kind][2]))

    def act(self, *, acting_user: Any, today: date) -> str:
        from xuanren.ballots import actions as ballots
        from xuanren.ballots import policy_rules

        kind = self.cleaned_data["kind"]
        title, step, _ = self.KINDS[kind]
        people = self.people(kind)
        if not people:
            raise forms.ValidationError(f"没有可以参加{title}的人选")
        if kind == "recommendation":
            items = []
            for vacancy in self.vacancies():
                mine = [c for c in people if c.vacancy_id == vacancy.pk] or people
                items.append(
                    ballots.ItemInput(
                        title=f"{vacancy.post.unit.name}{vacancy.post.title}",
                        choices=[c.cadre.name for c in mine],
                        choice_cadre_ids=[c.cadre_id for c in mine],
                    )
                )
        else:
            items = [ballots.ItemInput(title=c.cadre.name, cadre_id=c.cadre_id) for c in people]
        threshold = None
        if kind == "recommendation":
            for path in ("recommendation.threshold.from_list", "recommendation.threshold.open"):
                if self.policy.rule(path) is not None:
                    threshold = policy_rules.threshold(self.policy, path)
                    break
        elif kind == "evaluation" and self.policy.rule("inspection.evaluation") is not None:
            threshold = policy_rules.threshold(self.policy, "inspection.evaluation")
        self.poll = ballots.create_poll(
            jurisdiction=self.campaign.jurisdiction,
            title=f"{self.campaign.title} {title}",
            kind=kind,
            participants=self.cleaned_data["participants"],
            items=items,
            rules=policy_rules.ballot_rules(self.policy),
            threshold=threshold,
            scale=policy_rules.scale(self.policy, trust=False),
            policy_ref=self.campaign.policy_label,
            campaign_id=self.campaign.pk,
            stage=step,
            acting_user=acting_user,
        )
        return f"已创建投票“{self.poll.title}”：请在投票页面生成投票码、开始投票"

    def redirect_url(self) -> str | None:
        from django.urls import reverse

        return reverse("ballots:poll_detail", args=[self.poll.pk]) if self.poll is not None else None


class RecommendationForm(ActionForm):
    """民主推荐结果: from a tallied poll of this campaign, or the figures counted on paper."""

    success = "民主推荐结果已录入"
    held_on = forms.DateField(label="推荐日期", widget=DATE)
    form = forms.ChoiceField(label="推荐方式", choices=Recommendation.Form.choices)
    mode = forms.ChoiceField(label="推荐类型", choices=Recommendation.Mode.choices)
    poll = forms.ModelChoiceField(  # type: ignore[var-annotated]
        label="已计票的投票", queryset=None, required=False, empty_label="（不用投票，录入纸质票统计结果）"
    )
    expected = forms.IntegerField(label="应参加人数", min_value=1, required=False)
    participants = forms.IntegerField(label="实际参加人数", min_value=1, required=False)
    valid_ballots = forms.IntegerField(label="有效票数", min_value=0, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from xuanren.ballots.models import Poll

        self.fields["poll"].queryset = Poll.objects.filter(  # type: ignore[attr-defined]
            campaign_id=self.campaign.pk, kind=Poll.Kind.RECOMMENDATION, status=Poll.Status.TALLIED
        )
        self.people = list(self.candidates(Candidate.State.CONFIRMED))
        for c in self.people:
            self.fields[f"votes_{c.pk}"] = forms.IntegerField(
                label=f"{c.cadre.name} 得票", min_value=0, required=False
            )
        self.vote_fields = [self[f"votes_{c.pk}"] for c in self.people]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("poll") is None:
            if not data.get("participants"):
                self.add_error("participants", "录入纸质票结果时请填写参加人数")
            missing = [c.cadre.name for c in self.people if data.get(f"votes_{c.pk}") is None]
            if missing:
                raise forms.ValidationError(f"请填写得票：{'、'.join(missing)}")
        return data

    def figures(self) -> RecommendationFigures:
        data = self.cleaned_data
        if data.get("poll") is not None:
            try:
                return recommendation_from_poll(data["poll"])
            except FiguresError as error:
                raise forms.ValidationError(str(error)) from error
        return RecommendationFigures(
            votes={c.cadre_id: data[f"votes_{c.pk}"] for c in self.people},
            participants=data["participants"],
            valid_ballots=data.get("valid_ballots"),
        )

    def act(self, *, acting_user: Any, today: date) -> str:
        data = self.cleaned_data
        rec = actions.hold_recommendation(
            self.campaign,
            acting_user=acting_user,
            today=today,
            held_on=data["held_on"],
            figures=self.figures(),
            form=data["form"],
            mode=data["mode"],
            expected=data.get("expected"),
        )
        tied = (rec.shortlist or {}).get("tied") or []
        return "民主推荐结果已录入" + ("；截取线上得票相同，须由会议研究确定" if tied else "")


class TieForm(ActionForm):
    """得票相同由会议研究确定 (the body the policy names), with reasons."""

    success = "并列人选已研究确定"
    chosen = CandidateChoice(label="确定的人选", queryset=Candidate.objects.none())
    settled_by = forms.CharField(label="研究确定的会议", max_length=100)
    reasons = forms.CharField(label="理由", widget=LINES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rec = self.campaign.recommendations.order_by("-round").first()
        tied = (rec.shortlist or {}).get("tied", []) if rec else []
        self.fields["chosen"].queryset = self.candidates().filter(pk__in=tied)  # type: ignore[attr-defined]
        rule = self.policy.rule("inspection.ratio")
        self.fields["settled_by"].initial = getattr(rule, "tie_settled_by", "") or "县委人事酝酿会议"

    def act(self, *, acting_user: Any, today: date) -> str:
        actions.settle_tie(
            self.campaign,
            acting_user=acting_user,
            today=today,
            chosen=list(self.cleaned_data["chosen"]),
            reasons=self.cleaned_data["reasons"],
            settled_by=self.cleaned_data["settled_by"],
        )
        return self.success


class JointReviewForm(ActionForm):
    """考察对象资格会审 with discipline inspection."""

    success = "资格会审情况已记录"
    passed = forms.TypedChoiceField(
        label="会审结论",
        choices=[("1", "通过，可以作为考察对象"), ("0", "发现问题，不得作为考察对象")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    summary = forms.CharField(
        label="会审情况", widget=LINES, initial="经组织部、纪委监委联合审查，未发现影响提拔任用的问题。"
    )
    reviewers = forms.CharField(label="会审单位", initial="组织部、纪委监委", max_length=100)

    def act(self, *, acting_user: Any, today: date) -> str:
        assert self.candidate is not None
        actions.record_joint_review(
            self.candidate,
            acting_user=acting_user,
            today=today,
            passed=self.cleaned_data["passed"],
            summary=self.cleaned_data["summary"],
            reviewers=self.cleaned_data["reviewers"],
        )
        return self.success


class InspectionCandidatesForm(ActionForm):
    """确定考察对象 from the recommendation (by default those the cut selected)."""

    success = "考察对象已确定"
    chosen = CandidateChoice(
        label="考察对象",
        queryset=Candidate.objects.none(),
        required=False,
        help_text="不选则按民主推荐截取结果确定",
    )
    reasons = forms.CharField(label="说明", widget=LINES, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chosen"].queryset = self.candidates(Candidate.State.RECOMMENDED)  # type: ignore[attr-defined]

    def act(self, *, acting_user: Any, today: date) -> str:
        chosen = list(self.cleaned_data["chosen"]) or None
        result = actions.set_inspection_candidates(
            self.campaign,
            acting_user=acting_user,
            today=today,
            candidates=chosen,
            reasons=self.cleaned_data["reasons"],
        )
        return f"考察对象已确定：{'、'.join(c.cadre.name for c in result)}"


class DirectInspectionForm(ActionForm):
    """由组织推荐提名直接确定为考察对象 (an important circumstance), with reasons."""

    success = "已直接确定为考察对象（记为重要情况）"
    reasons = forms.CharField(label="理由", widget=TEXT)

    def act(self, *, acting_user: Any, today: date) -> str:
        assert self.candidate is not None
        actions.set_inspection_candidate_directly(
            self.candidate, acting_user=acting_user, today=today, reasons=self.cleaned_data["reasons"]
        )
        return self.success
