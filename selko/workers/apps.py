from django.apps import AppConfig


class WorkersConfig(AppConfig):
    name = "selko.workers"
    label = "workers"
    verbose_name = "Workers"
