"""A web process, once started, has taken what it loaded (Django, the apps, every view) out of the
garbage collector's walks (selko/process_start.py)."""

import gc
import importlib
import sys

from django.core.handlers.wsgi import WSGIHandler


def test_the_wsgi_application_starts_with_what_it_loaded_frozen() -> None:
    gc.unfreeze()
    try:
        loaded = sys.modules.get("selko.wsgi")
        wsgi = importlib.reload(loaded) if loaded else importlib.import_module("selko.wsgi")

        assert isinstance(wsgi.application, WSGIHandler)
        assert gc.get_freeze_count() > 10_000  # Django, the apps, every view
    finally:
        gc.unfreeze()  # the rest of the tests with the collector as they had it
