"""Browser routes for labeling, the taxonomy, exports and members (under /p/<project_slug>/)."""

from django.urls import URLPattern, URLResolver, path

from frontend.views import labeling, members, taxonomy

urlpatterns: list[URLPattern | URLResolver] = [
    path("label/", labeling.labeling_queue_view, name="labeling"),
    path("label/<id:requirement_id>/", labeling.labeling_requirement_view, name="labeling-requirement"),
    path("labels/", taxonomy.taxonomy_view, name="taxonomy"),
    path("labels/<id:label_id>/edit", taxonomy.label_edit_view, name="label-edit"),
    path("labels/<id:label_id>/delete", taxonomy.label_delete_view, name="label-delete"),
    path("labels/import", taxonomy.taxonomy_import_view, name="taxonomy-import"),
    path("labels/templates/<slug:template_key>", taxonomy.taxonomy_template_view, name="taxonomy-template"),
    path("labels/export.<str:file_type>", taxonomy.taxonomy_export_view, name="taxonomy-export"),
    path("export/", labeling.export_view, name="export"),
    path("export/requirements", labeling.export_download_view, name="export-download"),
    path("export/<id:export_id>/download", labeling.export_job_download_view, name="export-job-download"),
    path("members/", members.members_view, name="members"),
]
