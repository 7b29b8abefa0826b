"""Browser routes for the models page and training jobs (under /p/<project_slug>/)."""

from django.urls import URLPattern, URLResolver, path

from frontend.views import models

urlpatterns: list[URLPattern | URLResolver] = [
    path("models/", models.models_view, name="models"),
    path("models/retrain", models.retrain_view, name="retrain"),
    path("models/settings", models.model_settings_view, name="model-settings"),
    path("models/rollback", models.rollback_view, name="rollback"),
    path("models/v<id:number>/promote", models.promote_view, name="promote"),
    path("jobs/<id:job_id>/", models.training_job_view, name="training-job"),
    path("jobs/<id:job_id>/cancel", models.training_job_cancel_view, name="training-job-cancel"),
]
