from __future__ import annotations

import pytest

from xuanren.accounts import totp
from xuanren.accounts.models import User
from xuanren.testing.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_password_alone_does_not_open_staff_pages(client, counties, make_user):
    user = make_user("cadre_officer", jurisdiction=counties.a)
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    response = client.get("/register/cadres/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/otp/"


def test_wrong_code_is_refused_with_a_chinese_message(client, counties, make_user):
    user = make_user("cadre_officer", jurisdiction=counties.a)
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    response = client.post(
        "/accounts/otp/", {"code": "000000" if totp.current_code(user.totp_secret) != "000000" else "111111"}
    )
    assert response.status_code == 200
    assert "动态口令不正确" in response.content.decode()


def test_password_then_code_opens_staff_pages(client, counties, make_user, login):
    user = make_user("cadre_officer", jurisdiction=counties.a)
    login(user)
    assert client.get("/register/cadres/").status_code == 200


def test_a_used_code_cannot_be_replayed(counties, make_user):
    user = make_user("cadre_officer", jurisdiction=counties.a)
    code = totp.current_code(user.totp_secret)
    step = totp.accepted_step(user.totp_secret, code, 0)
    assert step is not None
    User.objects.filter(pk=user.pk).update(totp_last_step=step)
    assert totp.accepted_step(user.totp_secret, code, step) is None


def test_passwords_are_hashed_with_argon2(counties, make_user):
    user = make_user("cadre_officer", jurisdiction=counties.a)
    assert user.password.startswith("argon2")


def test_first_login_without_totp_goes_to_setup(client, counties, make_user):
    user = make_user("cadre_officer", jurisdiction=counties.a)
    User.objects.filter(pk=user.pk).update(totp_confirmed=False, totp_secret="")
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    response = client.get("/")
    assert response["Location"] == "/accounts/otp/setup/"
    page = client.get("/accounts/otp/setup/")
    assert "绑定动态口令" in page.content.decode()
    user.refresh_from_db()
    assert (
        client.post("/accounts/otp/setup/", {"code": totp.current_code(user.totp_secret)}).status_code == 302
    )
    user.refresh_from_db()
    assert user.totp_confirmed


def test_binding_the_second_factor_is_recorded(client, counties, make_user):
    from xuanren.record.models import Entry

    user = make_user("cadre_officer", jurisdiction=counties.a)
    User.objects.filter(pk=user.pk).update(totp_confirmed=False, totp_secret="")
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    client.get("/accounts/otp/setup/")
    user.refresh_from_db()
    client.post("/accounts/otp/setup/", {"code": totp.current_code(user.totp_secret)})
    assert Entry.objects.filter(action="totp_enrolled").count() == 1
