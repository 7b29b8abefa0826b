"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selko.settings")
application = get_asgi_application()

from selko.process_start import web_process_warm  # noqa: E402 - needs the apps loaded just above

web_process_warm()
