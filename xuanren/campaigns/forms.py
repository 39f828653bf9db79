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

from xuanren.campaigns import actions, polls
from xuanren.campaigns.errors import CampaignRefused
from xuanren.campaigns.figures import FiguresError, RecommendationFigures, recommendation_from_poll
from xuanren.campaigns.models import Campaign, Candidate, Meeting, Recommendation, Vacancy
from xuanren.register.choices import Education, Rank
from xuanren.register.models import Cadre, Post, PostHolding, Unit
from xuanren.rules.policy import Policy
from xuanren.supervision.models import Complaint

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

    def page_context(self) -> dict[str, Any]:
        """What the form's page shows beside the form (what is already recorded)."""
        return {}


# --------------------------------------------------------------------------- materials


class MaterialField(forms.FileField):
    """A signed scan (PDF, JPEG or PNG, checked by its first bytes); stored only when the action succeeds."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "PDF、JPEG 或 PNG 扫描件，按内容识别，保存时计算 SHA-256")
        super().__init__(**kwargs)
        from xuanren.record import materials

        self.widget.attrs["accept"] = materials.ACCEPT_ATTRIBUTE

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
            each = getattr(rule, "ratio").people  # noqa: B009
            per_post = f"每个职位 {each} 人，" if posts > 1 else ""
            self.fields["candidates_field"].help_text = (
                f"按职位与人选 {ratio} 的比例：{posts} 个职位，{per_post}应确定 {each * posts} 人"
                f"（{self.policy.rule_id(self.ratio_path)}）"
            )


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

    submit = "创建投票"
    kind = forms.ChoiceField(label="投票类型", choices=[(k, v.title) for k, v in polls.KINDS.items()])
    participants = forms.IntegerField(label="参加人数（票决为应到会成员数）", min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.poll: Any = None

    def act(self, *, acting_user: Any, today: date) -> str:
        try:
            self.poll = polls.create_campaign_poll(
                self.campaign,
                self.policy,
                kind=self.cleaned_data["kind"],
                participants=self.cleaned_data["participants"],
                acting_user=acting_user,
            )
        except CampaignRefused as refused:
            if refused.rule_id != "campaigns.poll":
                raise
            raise forms.ValidationError(refused.message) from None
        return f"已创建投票“{self.poll.title}”：请在投票页面生成投票码、开始投票"

    def redirect_url(self) -> str | None:
        from django.urls import reverse

        return reverse("ballots:poll_detail", args=[self.poll.pk]) if self.poll is not None else None


class RecommendationForm(ActionForm):
    """民主推荐结果: from a tallied poll of this campaign, or the figures counted on paper."""

    success = "民主推荐结果已录入"
    submit = "录入推荐结果"
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


# --------------------------------------------------------------------------- inspection


def staff_of(campaign: Campaign, *roles: str) -> QuerySet[Any]:
    """Staff users of the campaign's jurisdiction holding any of ``roles`` (for linking seats)."""
    from django.contrib.auth.models import Group

    from xuanren.accounts.models import User
    from xuanren.accounts.roles import ROLE_BY_CODE

    titles = [ROLE_BY_CODE[r].title for r in roles]
    return (
        User.objects.filter(
            jurisdiction__path__startswith=campaign.jurisdiction.path,
            groups__in=Group.objects.filter(name__in=titles),
        )
        .distinct()
        .order_by("id")
    )


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


TEAM_ROWS = 4


class TeamForm(ActionForm):
    """组建考察组: leader and members (with certificates where required), start date, hotline."""

    success = "考察组已组建"
    submit = "组建考察组"
    name = forms.CharField(label="考察组名称", max_length=100, initial="考察组")
    starts_on = forms.DateField(
        label="考察开始日期", widget=DATE, help_text="考察预告须提前发布（见右侧规则）"
    )
    hotline = forms.CharField(label="受理反映电话", max_length=64)
    chosen = CandidateChoice(label="考察对象", queryset=Candidate.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chosen"].queryset = self.candidates(Candidate.State.INSPECTION_CANDIDATE).filter(  # type: ignore[attr-defined]
            inspection_team__isnull=True
        )
        users = staff_of(self.campaign, "inspection_team")
        self.rows = []
        for i in range(1, TEAM_ROWS + 1):
            label = "组长" if i == 1 else f"成员 {i - 1}"
            self.fields[f"member_{i}"] = forms.CharField(label=f"{label}姓名", max_length=64, required=i <= 2)
            self.fields[f"post_{i}"] = forms.CharField(label="单位及职务", max_length=128, required=False)
            self.fields[f"certificate_{i}"] = forms.CharField(
                label="考察资格证书编号", max_length=64, required=False
            )
            self.fields[f"user_{i}"] = UserChoice(
                label="系统账号", queryset=users, required=False, empty_label="（无）"
            )
            self.rows.append(
                (label, [self[f"member_{i}"], self[f"post_{i}"], self[f"certificate_{i}"], self[f"user_{i}"]])
            )

    def act(self, *, acting_user: Any, today: date) -> str:
        data = self.cleaned_data
        members = [
            actions.TeamMemberInput(
                name=data[f"member_{i}"],
                unit_post=data.get(f"post_{i}") or "",
                is_leader=i == 1,
                certificate=data.get(f"certificate_{i}") or "",
                user=data.get(f"user_{i}"),
            )
            for i in range(1, TEAM_ROWS + 1)
            if data.get(f"member_{i}")
        ]
        actions.form_inspection_team(
            self.campaign,
            acting_user=acting_user,
            today=today,
            starts_on=data["starts_on"],
            hotline=data["hotline"],
            members=members,
            candidates=list(data["chosen"]),
            name=data["name"],
        )
        return self.success


class TeamChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.starts_on:%Y-%m-%d} 开始）"


class InspectionNoticeForm(ActionForm):
    """发布考察预告: candidates, time, team and hotline, at least the policy's days ahead."""

    success = "考察预告已发布"
    submit = "发布考察预告"
    team = TeamChoice(label="考察组", queryset=None, empty_label=None)  # type: ignore[arg-type]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from xuanren.campaigns.models import Notice

        posted = Notice.objects.filter(campaign=self.campaign, kind=Notice.Kind.INSPECTION).values("team_id")
        self.fields["team"].queryset = self.campaign.inspection_teams.exclude(pk__in=posted)  # type: ignore[attr-defined]

    def act(self, *, acting_user: Any, today: date) -> str:
        actions.publish_inspection_notice(self.cleaned_data["team"], acting_user=acting_user, today=today)
        return self.success


class CandidateActionForm(ActionForm):
    """A form about one candidate (the page is the candidate's)."""

    @property
    def person(self) -> Candidate:
        assert self.candidate is not None
        return self.candidate


class WorkReportForm(CandidateActionForm):
    """考察对象述职 (before the evaluation)."""

    success = "述职情况已记录"
    held_on = forms.DateField(label="述职日期", widget=DATE)
    audience = forms.CharField(label="述职范围", max_length=200, initial="所在单位领导班子成员和干部职工代表")
    summary = forms.CharField(label="述职情况", widget=LINES)
    material = MaterialField(label="述职报告（扫描件）")

    def act(self, *, acting_user: Any, today: date) -> str:
        upload = self.cleaned_data.get("material")
        actions.record_work_report(
            self.person,
            acting_user=acting_user,
            today=today,
            held_on=self.cleaned_data["held_on"],
            audience=self.cleaned_data["audience"],
            summary=self.cleaned_data["summary"],
            material=material_of(upload),
        )
        store(upload, self, "inspection", self.person)
        return self.success


class EvaluationForm(CandidateActionForm):
    """民主测评: from a tallied evaluation poll, or the grades counted on paper."""

    success = "民主测评结果已记录"
    held_on = forms.DateField(label="测评日期", widget=DATE)
    poll = forms.ModelChoiceField(  # type: ignore[var-annotated]
        label="已计票的测评投票",
        queryset=None,
        required=False,
        empty_label="（不用投票，录入纸质票统计结果）",
    )
    participants = forms.IntegerField(label="参加测评人数", min_value=1, required=False)
    blank = forms.IntegerField(label="空白票", min_value=0, required=False, initial=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from xuanren.ballots import policy_rules
        from xuanren.ballots.models import Poll

        self.fields["poll"].queryset = Poll.objects.filter(  # type: ignore[attr-defined]
            campaign_id=self.campaign.pk, kind=Poll.Kind.EVALUATION, status=Poll.Status.TALLIED
        )
        self.grades = list(policy_rules.scale(self.policy))
        for i, grade in enumerate(self.grades):
            self.fields[f"grade_{i}"] = forms.IntegerField(label=f"“{grade}”票", min_value=0, required=False)
        self.grade_fields = [self[f"grade_{i}"] for i in range(len(self.grades))]

    def figures(self) -> Any:
        from xuanren.campaigns.figures import EvaluationFigures, evaluation_from_poll

        data = self.cleaned_data
        if data.get("poll") is not None:
            try:
                return evaluation_from_poll(data["poll"], self.person.cadre_id)
            except FiguresError as error:
                raise forms.ValidationError(str(error)) from error
        counts = {g: data.get(f"grade_{i}") or 0 for i, g in enumerate(self.grades)}
        return EvaluationFigures(
            counts=counts, blank=data.get("blank") or 0, participants=data.get("participants")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("poll") is None and not data.get("participants"):
            self.add_error("participants", "录入纸质票结果时请填写参加测评人数")
        return data

    def act(self, *, acting_user: Any, today: date) -> str:
        record = actions.record_evaluation(
            self.person,
            acting_user=acting_user,
            today=today,
            held_on=self.cleaned_data["held_on"],
            figures=self.figures(),
        )
        if record.passed is False:
            return f"民主测评结果已记录：{(record.decision or {}).get('explanation', '未达到要求')}"
        return self.success


class TalkForm(CandidateActionForm):
    """个别谈话, by group (the four must-talk groups, or 其他)."""

    success = "个别谈话已记录"
    submit = "记录谈话"
    group = forms.ChoiceField(label="谈话对象类别")
    interviewee = forms.CharField(label="谈话对象姓名", max_length=64)
    interviewee_post = forms.CharField(label="单位及职务", max_length=128, required=False)
    held_on = forms.DateField(label="谈话日期", widget=DATE)
    interviewer = forms.ModelChoiceField(
        label="谈话人", queryset=None, required=False, empty_label="（不填）"
    )  # type: ignore[var-annotated]
    summary = forms.CharField(
        label="谈话要点（存考察材料，纪实只记类别和日期）", widget=LINES, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from xuanren.campaigns import engine
        from xuanren.campaigns.models import InspectionTeamMember, Talk

        groups = [*engine.must_talk_groups(self.policy), Talk.OTHER]
        self.fields["group"].choices = [(g, g) for g in groups]  # type: ignore[attr-defined]
        self.fields["interviewer"].queryset = InspectionTeamMember.objects.filter(  # type: ignore[attr-defined]
            team_id=self.person.inspection_team_id
        )

    def act(self, *, acting_user: Any, today: date) -> str:
        data = self.cleaned_data
        actions.record_talk(
            self.person,
            acting_user=acting_user,
            today=today,
            group=data["group"],
            interviewee=data["interviewee"],
            interviewee_post=data["interviewee_post"],
            held_on=data["held_on"],
            interviewer=data.get("interviewer"),
            summary=data["summary"],
        )
        return f"已记录与{data['interviewee']}（{data['group']}）的谈话"

    def redirect_url(self) -> str | None:
        from django.urls import reverse

        return reverse("campaigns:talk", args=[self.campaign.pk, self.person.pk]) + "#action-form"

    def page_context(self) -> dict[str, Any]:
        from xuanren.campaigns import engine

        talks = list(self.person.talks.order_by("held_on", "id"))
        counted = dict.fromkeys(engine.must_talk_groups(self.policy), 0)
        for talk in talks:
            counted[talk.group] = counted.get(talk.group, 0) + 1
        return {"candidate_talks": {"groups": list(counted.items()), "talks": talks}}


class InspectionProcedureForm(CandidateActionForm):
    """其他考察程序: the face-to-face talk, the personnel-file check, a visit."""

    success = "考察程序已记录"
    kind = forms.ChoiceField(
        label="考察程序",
        choices=[("face_to_face", "与考察对象面谈"), ("file_check", "查阅干部档案"), ("visit", "走访了解")],
    )
    held_on = forms.DateField(label="日期", widget=DATE)
    summary = forms.CharField(label="情况", widget=LINES)
    material = MaterialField(label="材料（扫描件）")

    def act(self, *, acting_user: Any, today: date) -> str:
        upload = self.cleaned_data.get("material")
        actions.record_inspection_procedure(
            self.person,
            acting_user=acting_user,
            today=today,
            kind=self.cleaned_data["kind"],
            held_on=self.cleaned_data["held_on"],
            summary=self.cleaned_data["summary"],
            material=material_of(upload),
        )
        store(upload, self, "inspection", self.person)
        return f"{dict(self.fields['kind'].choices)[self.cleaned_data['kind']]}已记录"  # type: ignore[attr-defined]


class ConfirmOnly(CandidateActionForm):
    """A step that needs only a confirmation (the action checks everything)."""

    confirm = forms.BooleanField(label="确认", required=True)


class ConcludeInspectionForm(ConfirmOnly):
    success = "考察已结束"
    submit = "结束考察"

    def act(self, *, acting_user: Any, today: date) -> str:
        actions.conclude_inspection(self.person, acting_user=acting_user, today=today)
        return self.success


class DisclosureForm(CandidateActionForm):
    """有关事项第一次公开 (the policy's items and period)."""

    success = "有关事项第一次公开已开始"
    starts_on = forms.DateField(label="公开开始", widget=DATE)
    ends_on = forms.DateField(label="公开截止（不填按规定期限）", widget=DATE, required=False)
    places = forms.CharField(label="公开范围", widget=LINES, help_text="每行一处，如：所在单位、居住地")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from xuanren.campaigns import engine

        self.items = list(engine.items_of(self.policy, "disclosure.items"))
        where = getattr(self.policy.rule("disclosure.first"), "where", ())
        self.fields["places"].initial = "\n".join(where)
        for i, item in enumerate(self.items):
            self.fields[f"item_{i}"] = forms.CharField(
                label=item, widget=forms.Textarea(attrs={"rows": 2}), required=False
            )

    def act(self, *, acting_user: Any, today: date) -> str:
        data = self.cleaned_data
        actions.start_first_disclosure(
            self.person,
            acting_user=acting_user,
            today=today,
            starts_on=data["starts_on"],
            ends_on=data.get("ends_on"),
            places=split_names(data["places"]),
            matters={item: data.get(f"item_{i}") or "" for i, item in enumerate(self.items)},
        )
        return self.success


class ConclusionForm(CandidateActionForm):
    """考察结论: the text and every team member's signature (agrees, or dissents with reasons)."""

    success = "考察结论已由考察组成员签名"
    submit = "签名确认考察结论"
    text = forms.CharField(label="考察结论", widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team = self.person.inspection_team
        self.members = list(team.members.all()) if team is not None else []
        self.signature_rows = []
        for m in self.members:
            self.fields[f"agrees_{m.pk}"] = forms.BooleanField(
                label=f"{m.name}{'（组长）' if m.is_leader else ''} 同意以上结论并签名",
                required=False,
                initial=True,
            )
            self.fields[f"dissent_{m.pk}"] = forms.CharField(label="不同意见", max_length=500, required=False)
            self.signature_rows.append((self[f"agrees_{m.pk}"], self[f"dissent_{m.pk}"]))

    def act(self, *, acting_user: Any, today: date) -> str:
        data = self.cleaned_data
        signatures = [
            actions.SignatureInput(
                member=m, agrees=bool(data.get(f"agrees_{m.pk}")), dissent=data.get(f"dissent_{m.pk}") or ""
            )
            for m in self.members
        ]
        conclusion = actions.record_team_conclusion(
            self.person, acting_user=acting_user, today=today, text=data["text"], signatures=signatures
        )
        return self.success if conclusion.agreed else "考察结论已签名：考察组意见不统一"


class FeedbackForm(ConfirmOnly):
    success = "考察结果已反馈本人，申诉期开始"
    submit = "反馈考察结果"

    def act(self, *, acting_user: Any, today: date) -> str:
        candidate = actions.feed_back_inspection(self.person, acting_user=acting_user, today=today)
        if candidate.appeal_deadline:
            return f"考察结果已反馈本人，申诉期至 {candidate.appeal_deadline:%Y年%m月%d日}"
        return self.success


class AppealForm(CandidateActionForm):
    """申诉 (by the candidate, entered by the cadre section), within the policy's window."""

    success = "申诉已受理"
    reasons = forms.CharField(label="申诉理由", widget=TEXT)

    def act(self, *, acting_user: Any, today: date) -> str:
        actions.file_appeal(
            self.person, acting_user=acting_user, today=today, reasons=self.cleaned_data["reasons"]
        )
        return self.success


class AppealDecisionForm(CandidateActionForm):
    """申诉处理: upheld (the team concludes again) or dismissed."""

    success = "申诉已处理"
    appeal = forms.ModelChoiceField(label="申诉", queryset=None, empty_label=None)  # type: ignore[var-annotated]
    upheld = forms.TypedChoiceField(
        label="处理结果",
        choices=[("0", "申诉不成立"), ("1", "申诉成立，考察组重新形成结论")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    decision_text = forms.CharField(label="处理意见", widget=LINES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from xuanren.campaigns.models import Appeal

        self.fields["appeal"].queryset = self.person.appeals.filter(status=Appeal.Status.PENDING)  # type: ignore[attr-defined]

    def act(self, *, acting_user: Any, today: date) -> str:
        actions.decide_appeal(
            self.cleaned_data["appeal"],
            acting_user=acting_user,
            today=today,
            upheld=self.cleaned_data["upheld"],
            decision_text=self.cleaned_data["decision_text"],
        )
        return self.success


class ReviewCompleteForm(ConfirmOnly):
    """考察结果会审: evaluation below the threshold or a divided team stops the candidate here."""

    success = "考察结果会审完成"
    submit = "完成会审"

    def act(self, *, acting_user: Any, today: date) -> str:
        candidate = actions.complete_inspection_review(self.person, acting_user=acting_user, today=today)
        if not candidate.active:
            return f"考察结果会审完成：{candidate.cadre.name} 不进入酝酿（{candidate.stopped_reason}）"
        return self.success


# --------------------------------------------------------------------------- deliberation


class DeliberationMeetingForm(ActionForm):
    """部务会 / 人事酝酿会议: more than one candidate per post, attendees, minutes."""

    states: tuple[str, ...] = ()
    held_on = forms.DateField(label="会议日期", widget=DATE)
    chosen = CandidateChoice(label="酝酿人选", queryset=Candidate.objects.none())
    attendees = forms.CharField(label="参加会议人员", widget=LINES, help_text="每行一人，或用顿号分隔")
    minutes = forms.CharField(label="会议记录", widget=TEXT, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chosen"].queryset = self.candidates(*self.states)  # type: ignore[attr-defined]
        self.fields["chosen"].initial = list(self.candidates(*self.states))


class DepartmentMeetingForm(DeliberationMeetingForm):
    success = "组织部部务会酝酿已记录"
    states = (Candidate.State.INSPECTED,)

    def act(self, *, acting_user: Any, today: date) -> str:
        data = self.cleaned_data
        actions.hold_department_meeting(
            self.campaign,
            acting_user=acting_user,
            today=today,
            held_on=data["held_on"],
            candidates=list(data["chosen"]),
            attendees=split_names(data["attendees"]),
            minutes=data["minutes"],
        )
        return self.success


class PersonnelDeliberationForm(DeliberationMeetingForm):
    success = "人事酝酿会议酝酿已记录"
    states = (Candidate.State.INSPECTED,)

    def act(self, *, acting_user: Any, today: date) -> str:
        data = self.cleaned_data
        actions.hold_personnel_deliberation(
            self.campaign,
            acting_user=acting_user,
            today=today,
            held_on=data["held_on"],
            candidates=list(data["chosen"]),
            attendees=split_names(data["attendees"]),
            minutes=data["minutes"],
        )
        return self.success


class DualManagedForm(CandidateActionForm):
    success = "已标记为双重管理干部"
    co_managing_body = forms.CharField(label="协管方", max_length=100)

    def act(self, *, acting_user: Any, today: date) -> str:
        actions.set_dual_managed(
            self.person,
            acting_user=acting_user,
            today=today,
            co_managing_body=self.cleaned_data["co_managing_body"],
        )
        return self.success


class OpinionForm(CandidateActionForm):
    """征求意见: leaders, co-managing side, discipline, law enforcement, audit (a violation vetoes)."""

    success = "意见已记录"
    source = forms.ChoiceField(label="意见来源")
    body = forms.CharField(label="提出意见的领导或机关", max_length=128)
    agrees = forms.TypedChoiceField(
        label="意见",
        choices=[("1", "同意"), ("0", "不同意")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    text = forms.CharField(label="具体意见", widget=LINES, required=False)
    needs_explanation = forms.BooleanField(label="需要说明的情况（记为重要情况）", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from xuanren.campaigns.models import Opinion

        self.fields["source"].choices = Opinion.Source.choices  # type: ignore[attr-defined]

    def act(self, *, acting_user: Any, today: date) -> str:
        data = self.cleaned_data
        opinion = actions.record_opinion(
            self.person,
            acting_user=acting_user,
            today=today,
            source=data["source"],
            body=data["body"],
            agrees=data["agrees"],
            text=data["text"],
            needs_explanation=data["needs_explanation"],
        )
        return "经济责任审计发现问题，一票否决" if opinion.veto else self.success

    def redirect_url(self) -> str | None:
        from django.urls import reverse

        return reverse("campaigns:opinion", args=[self.campaign.pk, self.person.pk])


class ConsultationCompleteForm(ConfirmOnly):
    success = "征求意见已完成"
    submit = "完成征求意见"

    def act(self, *, acting_user: Any, today: date) -> str:
        actions.complete_consultation(self.person, acting_user=acting_user, today=today)
        return self.success


class FilePlanForm(ActionForm):
    """任免方案报上级组织部门审核备案 (before the standing committee)."""

    success = "任免方案已报备"
    filed_with = forms.CharField(label="报备机关", max_length=100, initial="市委组织部")
    reference = forms.CharField(label="报备文号", max_length=100)

    def act(self, *, acting_user: Any, today: date) -> str:
        actions.file_plan_with_higher_department(
            self.campaign,
            acting_user=acting_user,
            today=today,
            filed_with=self.cleaned_data["filed_with"],
            reference=self.cleaned_data["reference"],
        )
        return self.success


# --------------------------------------------------------------------------- decision


class ProcedureFormGenerateForm(ConfirmOnly):
    """人选产生程序情况表: generated from the record; an incomplete one keeps the candidate off the agenda."""

    submit = "生成程序情况表"

    def act(self, *, acting_user: Any, today: date) -> str:
        form = actions.generate_procedure_form(self.person, acting_user=acting_user, today=today)
        if not form.complete:
            return f"程序情况表已生成：程序不完整（{'；'.join(form.missing)}），不能提交会议研究"
        return "程序情况表已生成：程序完整，请负责人签字"


class ProcedureFormSignForm(CandidateActionForm):
    success = "程序情况表已签字"
    submit = "签字"
    signer_name = forms.CharField(label="具体负责人签字", max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form_row = self.person.procedure_forms.order_by("-id").first()
        if self.user is not None and not self.is_bound:
            self.fields["signer_name"].initial = str(self.user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.form_row is None:
            raise forms.ValidationError("尚未生成程序情况表")
        return data

    def act(self, *, acting_user: Any, today: date) -> str:
        assert self.form_row is not None
        actions.sign_procedure_form(
            self.form_row, acting_user=acting_user, today=today, signer_name=self.cleaned_data["signer_name"]
        )
        return self.success


class ConveneForm(ActionForm):
    """召集常委会或全委会: members who should attend, the secretary, observers, the agenda."""

    success = "会议已召集"
    submit = "召集会议"
    kind = forms.ChoiceField(
        label="会议", choices=[("standing_committee", "常委会"), ("full_committee", "全委会")]
    )
    title = forms.CharField(label="会议名称", max_length=200, required=False)
    held_on = forms.DateField(label="会议日期", widget=DATE)
    chosen = CandidateChoice(label="议题人选", queryset=Candidate.objects.none())
    secretary = UserChoice(
        label="书记（主要负责人，最后表态）",
        queryset=None,
        required=False,
        empty_label="（不在系统中，按姓名填写）",
    )  # type: ignore[arg-type]
    secretary_name = forms.CharField(label="书记姓名（不在系统中时）", max_length=64, required=False)
    members = forms.ModelMultipleChoiceField(  # type: ignore[var-annotated]
        label="应到会成员", queryset=None, widget=forms.CheckboxSelectMultiple, required=False
    )  # type: ignore[arg-type]
    other_members = forms.CharField(label="其他应到会成员（不在系统中）", widget=LINES, required=False)
    observers = forms.CharField(label="列席人员（不参加表决）", widget=LINES, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chosen"].queryset = self.candidates(  # type: ignore[attr-defined]
            Candidate.State.DELIBERATED, Candidate.State.POSTPONED, Candidate.State.APPROVED
        )
        self.fields["secretary"].queryset = staff_of(self.campaign, "secretary")  # type: ignore[attr-defined]
        self.fields["members"].queryset = staff_of(self.campaign, "committee_member").exclude(  # type: ignore[attr-defined]
            pk__in=staff_of(self.campaign, "secretary").values("pk")
        )
        self.fields["members"].label_from_instance = str  # type: ignore[attr-defined]
        if not self.is_bound:
            self.fields["members"].initial = list(self.fields["members"].queryset)  # type: ignore[attr-defined]
            self.fields["secretary"].initial = self.fields["secretary"].queryset.first()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("secretary") and not (data.get("secretary_name") or "").strip():
            self.add_error("secretary_name", "请选择或填写书记")
        return data

    def act(self, *, acting_user: Any, today: date) -> str:
        from xuanren.campaigns.models import MeetingMember

        data = self.cleaned_data
        role = MeetingMember.Role
        secretary = data.get("secretary")
        members = [
            actions.MemberInput(name=str(u), role=role.MEMBER, user=u)
            for u in data["members"]
            if secretary is None or u.pk != secretary.pk
        ]
        members += [actions.MemberInput(name=n, role=role.MEMBER) for n in split_names(data["other_members"])]
        members.append(
            actions.MemberInput(name=str(secretary), role=role.SECRETARY, user=secretary)
            if secretary is not None
            else actions.MemberInput(name=data["secretary_name"].strip(), role=role.SECRETARY)
        )
        members += [actions.MemberInput(name=n, role=role.OBSERVER) for n in split_names(data["observers"])]
        self.meeting_made = actions.convene_meeting(
            self.campaign,
            acting_user=acting_user,
            today=today,
            kind=data["kind"],
            held_on=data["held_on"],
            members=members,
            candidates=list(data["chosen"]),
            title=data["title"],
        )
        return self.success

    def redirect_url(self) -> str | None:
        from django.urls import reverse

        made = getattr(self, "meeting_made", None)
        return reverse("campaigns:meeting", args=[self.campaign.pk, made.pk]) if made is not None else None


class MeetingActionForm(ActionForm):
    """A form on a meeting's page."""

    @property
    def the_meeting(self) -> Meeting:
        assert self.meeting is not None
        return self.meeting

    def agenda(self) -> QuerySet[Candidate]:
        return self.the_meeting.candidates.select_related("cadre", "cadre__unit", "vacancy__post").order_by(
            "sort_order", "id"
        )

    def seats(self) -> QuerySet[Any]:
        return self.the_meeting.members.order_by("sort_order", "id")

    def my_seat(self) -> Any:
        return self.seats().filter(user=self.user).first() if self.user is not None else None

    def runs_meeting(self) -> bool:
        return bool(self.user is not None and (self.user.is_superuser or self.user.has_role("cadre_officer")))


class SeatChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.get_role_display()}）"


class SignInForm(MeetingActionForm):
    """签到: members sign themselves in; the cadre section may sign in a member who has no login."""

    success = "已签到"
    submit = "签到"
    member = SeatChoice(label="会议成员", queryset=None, empty_label=None)  # type: ignore[arg-type]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        seats = self.seats().filter(present=False)
        if not self.runs_meeting():
            seats = seats.filter(user=self.user)
        self.fields["member"].queryset = seats  # type: ignore[attr-defined]

    def act(self, *, acting_user: Any, today: date) -> str:
        member = actions.sign_in(
            self.the_meeting, acting_user=acting_user, today=today, member=self.cleaned_data["member"]
        )
        return f"{member.name} 已签到"

    def redirect_url(self) -> str | None:
        from django.urls import reverse

        if self.runs_meeting() and self.seats().filter(present=False).exists():
            return reverse("campaigns:sign_in", args=[self.campaign.pk, self.the_meeting.pk])
        return None


class OpenMeetingForm(MeetingActionForm):
    success = "到会人数符合规定，会议开始讨论"
    submit = "开始讨论（检查到会人数）"
    confirm = forms.BooleanField(label="签到完毕", required=True)

    def act(self, *, acting_user: Any, today: date) -> str:
        actions.open_meeting(self.the_meeting, acting_user=acting_user, today=today)
        return self.success


class PresentForm(MeetingActionForm):
    """组织部门介绍人选情况（不提差额的意向性意见）."""

    success = "组织部门已介绍人选情况"
    presentation = forms.CharField(
        label="介绍人选的推荐、考察情况和任用理由", widget=forms.Textarea(attrs={"rows": 8})
    )

    def act(self, *, acting_user: Any, today: date) -> str:
        actions.present_candidates(
            self.the_meeting,
            acting_user=acting_user,
            today=today,
            presentation=self.cleaned_data["presentation"],
        )
        return self.success


class PositionForm(MeetingActionForm):
    """表态: for / against / postpone with reasons, in speaking order (the secretary last)."""

    success = "表态已记录"
    submit = "表态"
    member = SeatChoice(label="表态人", queryset=None, empty_label=None)  # type: ignore[arg-type]
    person = forms.ModelChoiceField(label="人选", queryset=None, empty_label=None)  # type: ignore[var-annotated]
    position = forms.ChoiceField(label="表态", widget=forms.RadioSelect)
    reason = forms.CharField(label="理由", widget=LINES, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        seats = self.seats().filter(present=True).exclude(role="observer")
        if not self.runs_meeting():
            seats = seats.filter(user=self.user)
        self.fields["member"].queryset = seats  # type: ignore[attr-defined]
        self.fields["person"].queryset = self.agenda()  # type: ignore[attr-defined]
        self.fields["person"].label_from_instance = lambda c: c.cadre.name  # type: ignore[attr-defined]
        rule = self.policy.rule("decision.positions")
        options = tuple(getattr(rule, "options", ())) or ("同意", "不同意", "缓议")
        self.fields["position"].choices = [(o, o) for o in options]  # type: ignore[attr-defined]
        if getattr(rule, "reasons_required", False):
            self.fields["reason"].required = True

    def act(self, *, acting_user: Any, today: date) -> str:
        data = self.cleaned_data
        actions.record_position(
            self.the_meeting,
            acting_user=acting_user,
            today=today,
            member=data["member"],
            candidate=data["person"],
            position=data["position"],
            reason=data["reason"],
        )
        return f"{data['member'].name} 对 {data['person'].cadre.name} 表态：{data['position']}"

    def redirect_url(self) -> str | None:
        from django.urls import reverse

        return reverse("campaigns:position", args=[self.campaign.pk, self.the_meeting.pk])

    def page_context(self) -> dict[str, Any]:
        stated: dict[int, tuple[Candidate, list[Any]]] = {c.pk: (c, []) for c in self.agenda()}
        for p in self.the_meeting.positions.select_related("member").order_by(
            "candidate_id", "speaking_order"
        ):
            if p.candidate_id in stated:
                stated[p.candidate_id][1].append(p)
        return {"speaking_order": actions.speaking_order(self.the_meeting), "stated": list(stated.values())}


class VoteForm(MeetingActionForm):
    """票决结果: a tallied committee poll, or the paper counts."""

    success = "表决结果已记录"
    submit = "记录表决结果"
    person = forms.ModelChoiceField(label="人选", queryset=None, empty_label=None)  # type: ignore[var-annotated]
    poll = forms.ModelChoiceField(  # type: ignore[var-annotated]
        label="已计票的票决投票",
        queryset=None,
        required=False,
        empty_label="（不用投票，录入纸质票统计结果）",
    )
    in_favour = forms.IntegerField(label="同意", min_value=0, required=False)
    against = forms.IntegerField(label="不同意", min_value=0, required=False, initial=0)
    abstain = forms.IntegerField(label="弃权", min_value=0, required=False, initial=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from xuanren.ballots.models import Poll

        self.fields["person"].queryset = self.agenda().exclude(  # type: ignore[attr-defined]
            pk__in=self.the_meeting.votes.values("candidate_id")
        )
        self.fields["person"].label_from_instance = lambda c: c.cadre.name  # type: ignore[attr-defined]
        self.fields["poll"].queryset = Poll.objects.filter(  # type: ignore[attr-defined]
            campaign_id=self.campaign.pk, kind=Poll.Kind.COMMITTEE, status=Poll.Status.TALLIED
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("poll") is None and data.get("in_favour") is None:
            self.add_error("in_favour", "录入纸质票结果时请填写同意票数")
        return data

    def act(self, *, acting_user: Any, today: date) -> str:
        from xuanren.campaigns.figures import VoteFigures, vote_from_poll

        data = self.cleaned_data
        person = data["person"]
        if data.get("poll") is not None:
            try:
                figures = vote_from_poll(data["poll"], person.cadre_id)
            except FiguresError as error:
                raise forms.ValidationError(str(error)) from error
        else:
            figures = VoteFigures(
                in_favour=data["in_favour"],
                against=data.get("against") or 0,
                abstain=data.get("abstain") or 0,
            )
        vote = actions.record_committee_vote(
            self.the_meeting, acting_user=acting_user, today=today, candidate=person, figures=figures
        )
        return f"{person.cadre.name}：{(vote.decision or {}).get('explanation', '')}"

    def redirect_url(self) -> str | None:
        from django.urls import reverse

        return reverse("campaigns:meeting", args=[self.campaign.pk, self.the_meeting.pk])


class PostponeForm(MeetingActionForm):
    success = "已缓议"
    person = forms.ModelChoiceField(label="人选", queryset=None, empty_label=None)  # type: ignore[var-annotated]
    reason = forms.CharField(label="缓议理由", widget=LINES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = self.agenda()  # type: ignore[attr-defined]
        self.fields["person"].label_from_instance = lambda c: c.cadre.name  # type: ignore[attr-defined]

    def act(self, *, acting_user: Any, today: date) -> str:
        actions.postpone_candidate(
            self.the_meeting,
            acting_user=acting_user,
            today=today,
            candidate=self.cleaned_data["person"],
            reason=self.cleaned_data["reason"],
        )
        return self.success


class CloseMeetingForm(MeetingActionForm):
    success = "会议已结束，会议记录已保存"
    submit = "结束会议"
    minutes = forms.CharField(label="会议记录（讨论情况完整记录）", widget=forms.Textarea(attrs={"rows": 10}))

    def act(self, *, acting_user: Any, today: date) -> str:
        actions.close_meeting(
            self.the_meeting, acting_user=acting_user, today=today, minutes=self.cleaned_data["minutes"]
        )
        return self.success


class PublishCountsForm(MeetingActionForm):
    success = "参加票决人员名单和表决票数已公开"
    submit = "公开表决情况"
    confirm = forms.BooleanField(label="公开参加票决人员名单和各人选的表决票数", required=True)

    def act(self, *, acting_user: Any, today: date) -> str:
        actions.publish_vote_counts(self.the_meeting, acting_user=acting_user, today=today)
        return self.success


# --------------------------------------------------------------------------- notice, appointment, probation


class PreAppointmentNoticeForm(ActionForm):
    """任前公示 (the policy's working days) and, where the policy has it, the second disclosure."""

    success = "任前公示已发布"
    submit = "发布任前公示"
    chosen = CandidateChoice(label="公示人选", queryset=Candidate.objects.none())
    starts_on = forms.DateField(label="公示开始日期", widget=DATE)
    hotline = forms.CharField(label="受理反映电话", max_length=64)
    places = forms.CharField(label="第二次公开范围", widget=LINES, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chosen"].queryset = self.candidates(Candidate.State.APPROVED)  # type: ignore[attr-defined]
        self.fields["chosen"].initial = list(self.candidates(Candidate.State.APPROVED))
        rule = self.policy.rule("disclosure.second")
        self.second = rule is not None
        self.items: list[str] = []
        if self.second:
            self.items = list(getattr(rule, "items", ()))
            self.fields["places"].initial = "\n".join(getattr(rule, "where", ()))
            for i, item in enumerate(self.items):
                self.fields[f"item_{i}"] = forms.CharField(
                    label=f"第二次公开：{item}", widget=forms.Textarea(attrs={"rows": 2}), required=False
                )
        else:
            del self.fields["places"]

    def act(self, *, acting_user: Any, today: date) -> str:
        data = self.cleaned_data
        notice = actions.publish_pre_appointment_notice(
            self.campaign,
            acting_user=acting_user,
            today=today,
            candidates=list(data["chosen"]),
            starts_on=data["starts_on"],
            hotline=data["hotline"],
            second_disclosure={item: data.get(f"item_{i}") or "" for i, item in enumerate(self.items)}
            if self.second
            else None,
            disclosure_places=split_names(data.get("places") or ""),
        )
        return (
            f"任前公示已发布，至 {notice.ends_on:%Y年%m月%d日}（含当日共按工作日计算）"
            if notice.ends_on
            else self.success
        )


class NoticeConcludeForm(ConfirmOnly):
    success = "任前公示期满，无未核查的信访举报"
    submit = "公示期满"

    def act(self, *, acting_user: Any, today: date) -> str:
        actions.conclude_pre_appointment_notice(self.person, acting_user=acting_user, today=today)
        return self.success


class AppointForm(CandidateActionForm):
    """任职: the register is updated and probation starts."""

    success = "已任职，干部名册已更新"
    submit = "任职"
    document_reference = forms.CharField(label="任职文件文号", max_length=100)

    def act(self, *, acting_user: Any, today: date) -> str:
        probation = actions.appoint(
            self.person,
            acting_user=acting_user,
            today=today,
            document_reference=self.cleaned_data["document_reference"],
        )
        if probation is not None:
            return f"已任职，试用期至 {probation.ends_on:%Y年%m月%d日}；干部名册已更新"
        return self.success


class ProbationForm(CandidateActionForm):
    """试用期满考核: confirm, or cancel the trial post and restore the former rank."""

    success = "试用期满考核已记录"
    competent = forms.TypedChoiceField(
        label="考核结果",
        choices=[("1", "胜任，正式任职"), ("0", "不胜任，免去试任职务，恢复原职级")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    assessment = forms.CharField(label="考核情况", widget=TEXT)

    def act(self, *, acting_user: Any, today: date) -> str:
        actions.assess_probation(
            self.person,
            acting_user=acting_user,
            today=today,
            competent=self.cleaned_data["competent"],
            assessment=self.cleaned_data["assessment"],
        )
        return self.success


# --------------------------------------------------------------------------- complaints


class ComplaintForm(CandidateActionForm):
    """受理信访举报 about this candidate (unverified, it blocks appointment)."""

    success = "信访举报已受理；核查办结前不得任职"
    channel = forms.ChoiceField(label="反映方式", choices=Complaint.Channel.choices)
    anonymous = forms.BooleanField(label="匿名反映", required=False)
    reporter_name = forms.CharField(label="反映人", max_length=64, required=False)
    reporter_contact = forms.CharField(label="反映人联系方式", max_length=64, required=False)
    summary = forms.CharField(label="反映的主要问题", widget=TEXT)
    due_on = forms.DateField(label="办结期限", widget=DATE, required=False)

    def act(self, *, acting_user: Any, today: date) -> str:
        from xuanren.supervision import actions as supervision

        data = self.cleaned_data
        supervision.receive_complaint(
            acting_user=acting_user,
            jurisdiction=self.campaign.jurisdiction,
            today=today,
            summary=data["summary"],
            channel=data["channel"],
            candidate=self.person,
            anonymous=data["anonymous"],
            reporter_name=data["reporter_name"],
            reporter_contact=data["reporter_contact"],
            due_on=data.get("due_on"),
        )
        return self.success


class ComplaintChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.received_on:%m月%d日} {obj.get_during_display()}：{obj.summary[:30]}"


class VerificationForm(CandidateActionForm):
    """开始核查 (supervision and discipline)."""

    success = "已开始核查"
    complaint = ComplaintChoice(label="信访举报", queryset=None, empty_label=None)  # type: ignore[arg-type]
    verifiers = forms.CharField(label="核查人员（核查组）", max_length=200, initial="干部监督室、纪委监委")
    due_on = forms.DateField(label="办结期限", widget=DATE, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["complaint"].queryset = Complaint.objects.filter(  # type: ignore[attr-defined]
            cadre_id=self.person.cadre_id, status=Complaint.Status.RECEIVED
        )

    def act(self, *, acting_user: Any, today: date) -> str:
        from xuanren.supervision import actions as supervision

        supervision.start_verification(
            self.cleaned_data["complaint"],
            acting_user=acting_user,
            today=today,
            verifiers=self.cleaned_data["verifiers"],
            due_on=self.cleaned_data.get("due_on"),
        )
        return self.success


class ComplaintConclusionForm(CandidateActionForm):
    """核查办结: cleared, cancelled (the candidacy ends) or referred; fed back and published."""

    success = "信访举报已核查办结"
    complaint = ComplaintChoice(label="信访举报", queryset=None, empty_label=None)  # type: ignore[arg-type]
    outcome = forms.ChoiceField(label="核查结论")
    conclusion = forms.CharField(label="核查情况", widget=TEXT)
    publish = forms.BooleanField(label="公开核查结论", required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["complaint"].queryset = Complaint.objects.filter(  # type: ignore[attr-defined]
            cadre_id=self.person.cadre_id, status=Complaint.Status.VERIFYING
        )
        self.fields["outcome"].choices = Complaint.Outcome.choices  # type: ignore[attr-defined]

    def act(self, *, acting_user: Any, today: date) -> str:
        from xuanren.supervision import actions as supervision

        complaint = supervision.conclude_complaint(
            self.cleaned_data["complaint"],
            acting_user=acting_user,
            today=today,
            outcome=self.cleaned_data["outcome"],
            conclusion=self.cleaned_data["conclusion"],
            publish=self.cleaned_data["publish"],
        )
        return f"信访举报已核查办结：{complaint.get_outcome_display()}"
