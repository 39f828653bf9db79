"""Role requirements for views: a view states which roles may open it, and nobody else can."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

View = Callable[..., HttpResponse]


def roles_required(*codes: str) -> Callable[[View], View]:
    """Allow staff holding any of `codes` (superusers always). Anonymous users go to the login page."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not (user.is_superuser or user.has_role(*codes)):  # type: ignore[union-attr]
                raise PermissionDenied("您的角色无权访问此页面")
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = frozenset(codes)  # type: ignore[attr-defined]
        return wrapped

    return decorate


def can_see_full_id(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_perm("register.view_full_id_number")
