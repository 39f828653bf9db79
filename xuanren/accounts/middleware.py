"""Staff must pass the second factor before any staff page opens."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

OTP_SESSION_KEY = "xuanren_otp_verified"
# Paths that never need the second factor: login steps, public portal, voting, static files.
EXEMPT_PREFIXES = ("/accounts/", "/static/", "/public/", "/vote/", "/favicon.ico")


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(EXEMPT_PREFIXES):  # checked first: public pages never load a user
            return self.get_response(request)
        user = request.user
        if user.is_authenticated and not request.session.get(OTP_SESSION_KEY):
            target = "accounts:otp_verify" if user.totp_confirmed else "accounts:otp_setup"  # type: ignore[union-attr]
            return redirect(target)
        return self.get_response(request)
