"""Retraining routes under /api/v1/."""

from django.urls import URLPattern, URLResolver, path

from training import api_views as views

P = "projects/<slug:project_slug>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(P + "training-plan/", views.TrainingPlanApi.as_view(), name="training-plan"),
    path(P + "training-jobs/", views.TrainingJobListCreateApi.as_view(), name="training-job-list"),
    path(P + "training-jobs/<id:job_id>/", views.TrainingJobDetailApi.as_view(), name="training-job-detail"),
    path(
        P + "training-jobs/<id:job_id>/cancel/",
        views.TrainingJobCancelApi.as_view(),
        name="training-job-cancel",
    ),
]
