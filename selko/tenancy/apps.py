from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "selko.tenancy"
    label = "tenancy"
    verbose_name = "Organizations and projects"
