from django.urls import path

from selko.workers import api_views

urlpatterns = [
    path("workers/", api_views.WorkersOverviewApi.as_view(), name="workers-overview"),
]
