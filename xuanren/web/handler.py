"""The WSGI handler the servers run: Django's, with form posts parsed in one pass.

A ballot is a form of some fifty fields. Django builds ``request.POST`` by appending the fields
one at a time to a ``QueryDict``, each append checking mutability and converting the key and
value again; at a meeting's peak that was a tenth of a ballot's server time. :func:`form_data`
builds the same ``QueryDict`` from one ``parse_qsl`` pass, with Django's limits and errors.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.exceptions import BadRequest, TooManyFieldsSent
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

FORM = "application/x-www-form-urlencoded"


def form_data(body: bytes) -> QueryDict:
    """``QueryDict(body, encoding="utf-8")``, equal to it in keys, values and their order."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:  # as Django does for misbehaving user agents
        text = body.decode("iso-8859-1")
    lists: dict[str, list[str]] = {}
    try:
        for key, value in parse_qsl(
            text,
            keep_blank_values=True,
            encoding="utf-8",
            max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
        ):
            values = lists.get(key)
            if values is None:
                lists[key] = [value]
            else:
                values.append(value)
    except ValueError as exc:  # parse_qsl raises it only for too many fields
        raise TooManyFieldsSent(
            "The number of GET/POST parameters exceeded settings.DATA_UPLOAD_MAX_NUMBER_FIELDS."
        ) from exc
    data = QueryDict(mutable=True, encoding="utf-8")
    dict.update(data, lists)  # a MultiValueDict keeps each key's list as its dict value
    data._mutable = False
    return data


class FormRequest(WSGIRequest):
    _read_started: bool
    _encoding: str | None
    _files: MultiValueDict[str, Any]

    def _load_post_and_files(self) -> None:
        form = self.method == "POST" and self.content_type == FORM
        if not form or (self._read_started and not hasattr(self, "_body")):
            super()._load_post_and_files()
            return
        if self._encoding is not None and self._encoding.lower() != "utf-8":
            raise BadRequest(f"HTTP requests with the '{FORM}' content type must be UTF-8 encoded.")
        self._post = form_data(self.body)
        self._files = MultiValueDict()


class Handler(WSGIHandler):
    request_class = FormRequest


def application() -> Any:
    """What :func:`django.core.wsgi.get_wsgi_application` returns, with :class:`Handler`."""
    import django

    django.setup(set_prefix=False)
    return Handler()
