"""The servers' WSGI handler: form posts parsed in one pass, equal to Django's own parsing."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.core.exceptions import BadRequest, TooManyFieldsSent
from django.http import QueryDict
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from xuanren.web.handler import FormRequest, form_data

fields = st.lists(
    st.tuples(st.text(max_size=6), st.text(max_size=8))
    | st.sampled_from([("i1", "1"), ("i1", "2"), ("w1", "")]),
    max_size=30,
)


@given(fields)
def test_form_data_equals_querydict(pairs: list[tuple[str, str]]) -> None:
    body = urlencode(pairs).encode()
    ours, django = form_data(body), QueryDict(body, encoding="utf-8")
    assert list(ours.lists()) == list(django.lists())
    assert ours.encoding == django.encoding == "utf-8"
    with pytest.raises(AttributeError, match="immutable"):
        ours["x"] = "y"


@given(st.binary(max_size=40))
def test_form_data_equals_querydict_on_any_bytes(body: bytes) -> None:
    assert list(form_data(body).lists()) == list(QueryDict(body, encoding="utf-8").lists())


def test_form_data_keeps_djangos_field_limit() -> None:
    body = b"&".join(b"a=%d" % i for i in range(11))
    with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=10), pytest.raises(TooManyFieldsSent):
        form_data(body)
    with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=11):
        assert form_data(body).getlist("a") == [str(i) for i in range(11)]


def _request(body: bytes, content_type: str, method: str = "POST") -> FormRequest:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": "/vote/",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.input": io.BytesIO(body),
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": content_type,
    }
    return FormRequest(environ)


def test_form_request_parses_a_ballot_form() -> None:
    body = f"step=cast&code=ABCD&i1=1&i1=3&w2={quote('张 三')}".encode()
    request = _request(body, "application/x-www-form-urlencoded")
    assert request.POST.getlist("i1") == ["1", "3"] and request.POST["w2"] == "张 三"
    assert not request.FILES


def test_form_request_leaves_other_posts_to_django() -> None:
    request = _request(b'{"a": 1}', "application/json")
    assert not request.POST and request.body == b'{"a": 1}'
    boundary = "XyZ"
    multipart = f'--{boundary}\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--{boundary}--\r\n'
    request = _request(multipart.encode(), f"multipart/form-data; boundary={boundary}")
    assert request.POST["a"] == "1"
    assert not _request(b"a=1", "application/x-www-form-urlencoded", method="GET").POST


def test_form_request_refuses_a_form_in_another_charset() -> None:
    request = _request(b"a=1", "application/x-www-form-urlencoded; charset=gbk")
    with pytest.raises(BadRequest):
        request.POST  # noqa: B018
