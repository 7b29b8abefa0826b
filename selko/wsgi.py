"""WSGI entry point for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selko.settings")
application = get_wsgi_application()

from selko.process_start import web_process_warm  # noqa: E402 - needs the apps loaded just above

web_process_warm()
