"""Browser routes. Each feature adds its pages under the project's slug."""

from django.urls import include, path

from frontend.views import invitations, projects, workers

app_name = "frontend"

urlpatterns = [
    path("", projects.project_list, name="project-list"),
    path("projects/new", projects.project_create_view, name="project-create"),
    path("workers/", workers.workers_view, name="workers"),
    path("invitations/<str:token>/", invitations.invitation_view, name="invitation"),
    path("p/<slug:project_slug>/", projects.project_dashboard, name="project-dashboard"),
    path("p/<slug:project_slug>/", include("frontend.urls_documents")),
    path("p/<slug:project_slug>/", include("frontend.urls_labeling")),
    path("p/<slug:project_slug>/", include("frontend.urls_models")),
    path("p/<slug:project_slug>/", include("frontend.urls_explorer")),
    path("p/<slug:project_slug>/", include("frontend.urls_quality")),
]
