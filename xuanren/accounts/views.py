"""Staff login: password (argon2), then a TOTP code."""

from __future__ import annotations

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from xuanren.accounts import actions, totp
from xuanren.accounts.middleware import OTP_SESSION_KEY
from xuanren.accounts.models import User


class StaffLoginView(LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class CodeForm(forms.Form):
    code = forms.CharField(
        label="动态口令",
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        error_messages={"required": "请输入动态口令（6 位数字）"},
    )


def _accept_code(request: HttpRequest, user: User, code: str) -> bool:
    step = totp.accepted_step(user.totp_secret, code, user.totp_last_step)
    if step is None:
        return False
    # Compare-and-set so two concurrent requests cannot both use the same code.
    updated = User.objects.filter(pk=user.pk, totp_last_step__lt=step).update(totp_last_step=step)
    return updated == 1


def _next_url(request: HttpRequest) -> str:
    nxt = request.session.pop("otp_next", "") or request.GET.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return "/"


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not user.totp_confirmed:
        return redirect("accounts:otp_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _accept_code(request, user, form.cleaned_data["code"]):
            request.session.cycle_key()
            request.session[OTP_SESSION_KEY] = True
            return redirect(_next_url(request))
        form.add_error("code", "动态口令不正确或已使用，请输入验证器上当前显示的 6 位数字")
    return render(request, "accounts/otp_verify.html", {"form": form})


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if user.totp_confirmed:
        return redirect("accounts:otp_verify")
    if not user.totp_secret:
        user.totp_secret = totp.new_secret()
        user.save(update_fields=["totp_secret"])
    uri = totp.provisioning_uri(user.totp_secret, user.username)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _accept_code(request, user, form.cleaned_data["code"]):
            actions.confirm_totp(acting_user=user)
            request.session.cycle_key()
            request.session[OTP_SESSION_KEY] = True
            messages.success(request, "动态口令已绑定")
            return redirect("/")
        form.add_error("code", "动态口令不正确，请确认手机时间准确后重试")
    qr_svg = segno.make(uri, error="m").svg_inline(scale=4)
    return render(
        request, "accounts/otp_setup.html", {"form": form, "qr_svg": qr_svg, "secret": user.totp_secret}
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")
