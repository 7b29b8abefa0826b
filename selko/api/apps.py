from django.apps import AppConfig
from django.urls import register_converter

from selko.ids import IdConverter


class ApiConfig(AppConfig):
    name = "selko.api"
    label = "selko_api"

    def ready(self) -> None:
        # Before any URL conf is read: every route names its ids `<id:…>`, never `<id:…>`.
        register_converter(IdConverter, "id")
        # Registers the Bearer token scheme with drf-spectacular, as its extensions are found by import.
        from selko.api import schema  # noqa: F401
