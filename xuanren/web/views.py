from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xuanren.accounts.roles import ROLE_BY_CODE


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    roles = [ROLE_BY_CODE[c] for c in sorted(user.role_codes)]  # type: ignore[union-attr]
    return render(request, "web/home.html", {"roles": roles})
