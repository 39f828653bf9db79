from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from xuanren.accounts.access import roles_required
from xuanren.accounts.scoping import get_visible_or_404
from xuanren.register import selectors, seniority
from xuanren.register.choices import ETHNICITIES, Education, Gender, PoliticalStatus, Rank
from xuanren.register.models import Cadre, Unit

REGISTER_READERS = (
    "cadre_officer",
    "department_head",
    "supervision_office",
    "deliberation_member",
    "committee_member",
    "secretary",
    "discipline",
    "inspection_team",
)
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def today() -> date:
    return timezone.localdate()


@roles_required(*REGISTER_READERS)
def cadre_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.CadreFilters.from_query(request.GET)
    qs = selectors.cadre_list(request.user, filters, today())
    size = request.GET.get("page_size", "")
    page_size = min(int(size), MAX_PAGE_SIZE) if size.isdigit() and int(size) > 0 else PAGE_SIZE
    page = Paginator(qs, page_size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "register/cadre_list.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "units": selectors.Unit.objects.visible_to(request.user).only("id", "name"),
            "ranks": Rank.choices,
            "genders": Gender.choices,
            "ethnicities": ETHNICITIES,
            "statuses": PoliticalStatus.choices,
            "educations": Education.choices,
            "today": today(),
        },
    )


@dataclass(frozen=True)
class Computed:
    age: int
    party_age: int | None
    working_age: int
    years_in_post: int | None
    years_in_rank: int | None


def computed_facts(cadre: Cadre, on: date) -> Computed:
    return Computed(
        age=seniority.age(cadre.birth_date, on),
        party_age=(
            seniority.party_age(seniority.full_membership_date(cadre.party_join_date), on)
            if cadre.party_join_date and seniority.full_membership_date(cadre.party_join_date) <= on
            else None
        ),
        working_age=seniority.working_age(cadre.work_start_date, on),
        years_in_post=seniority.years_in_post(cadre.post_since, on) if cadre.post_since else None,
        years_in_rank=seniority.years_in_rank(cadre.rank_since, on) if cadre.rank_since else None,
    )


@roles_required(*REGISTER_READERS)
def cadre_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cadre = get_visible_or_404(selectors.cadre_detail_queryset(request.user), request.user, pk=pk)
    return render(
        request,
        "register/cadre_detail.html",
        {
            "cadre": cadre,
            "computed": computed_facts(cadre, today()),
            "today": today(),
        },
    )


@roles_required(*REGISTER_READERS)
def unit_list(request: HttpRequest) -> HttpResponse:
    return render(request, "register/unit_list.html", {"units": selectors.units_with_counts(request.user)})


@roles_required(*REGISTER_READERS)
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_visible_or_404(Unit.objects.select_related("jurisdiction", "parent"), request.user, pk=pk)
    posts = selectors.unit_posts(unit)
    return render(
        request,
        "register/unit_detail.html",
        {
            "unit": unit,
            "posts": posts,
            "quotas": selectors.quota_lines(unit, posts),
        },
    )
