from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "selko.api"
    label = "selko_api"
