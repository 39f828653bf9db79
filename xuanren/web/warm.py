"""Warming a server process before it takes its first request.

Django imports the URLconf (and through it every view, form and template tag) on the first
request a process serves. In a gunicorn worker that first request would wait seconds while
others queue behind it; :func:`warm_up` does that work when the worker boots instead.
"""

from __future__ import annotations


def warm_up() -> None:
    """Import the URLconf and everything it reaches, as the first request would."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 — evaluating it imports every view module
