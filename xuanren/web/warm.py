"""Warming a server process before it takes its first request.

Django imports the URLconf (and through it every view, form and template tag) on the first
request a process serves. In a gunicorn worker that first request would wait seconds while
others queue behind it; :func:`warm_up` does that work when the worker boots instead.
"""

from __future__ import annotations


def warm_up() -> None:
    """Import the URLconf and everything it reaches, as the first request would; on SQLite start
    the process's WAL checkpointer (:func:`xuanren.record.writers.start_checkpointer`); then move
    everything loaded so far out of the garbage collector's sight.

    The modules, classes and URL patterns live as long as the process. Left in the collector's
    oldest generation, every full collection would walk them all again, stalling every request
    of the process for tens of milliseconds; ``gc.freeze()`` keeps them out of it.
    """
    import gc

    from django.urls import get_resolver

    from xuanren.record.writers import start_checkpointer

    get_resolver().url_patterns  # noqa: B018 — evaluating it imports every view module
    start_checkpointer()  # SQLite: the WAL goes back into the database off the writers' path
    gc.collect()
    gc.freeze()
