"""The WSGI application (:mod:`xuanren.web.handler`), warmed (:mod:`xuanren.web.warm`) before it
takes its first request."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuanren.settings")

from xuanren.web import handler

application = handler.application()

from xuanren.web.warm import warm_up  # noqa: E402 — needs the settings configured above

warm_up()
