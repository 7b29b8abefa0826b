from django.apps import AppConfig


class ModelsAppConfig(AppConfig):
    name = "models_app"
    verbose_name = "Taxonomy, annotations and models"

    def ready(self) -> None:
        # Celery's autodiscovery only imports `tasks` modules; the export task lives beside them.
        from models_app import export_tasks  # noqa: F401
