from django.apps import AppConfig

from selko.workers.task_logging import task_logging_connect


class WorkersConfig(AppConfig):
    name = "selko.workers"
    label = "workers"
    verbose_name = "Workers"

    def ready(self) -> None:
        # Celery signals only fire in workers; connecting them in a web process costs nothing.
        task_logging_connect()
