"""The WSGI application, warmed (:mod:`xuanren.web.warm`) before it takes its first request."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuanren.settings")

application = get_wsgi_application()

from xuanren.web.warm import warm_up  # noqa: E402 — needs the settings configured above

warm_up()
