"""The worker side of large exports, on the `default` queue: it is housekeeping, not prediction.

The task name is the name messages already in a queue carry: it stays as it was when the module moved.
"""

from celery import shared_task

from models_app.exports.services import export_job_run


@shared_task(name="models_app.export_tasks.export_run", queue="default", subject_model="models_app.ExportJob")
def export_run(export_id: int) -> None:
    export_job_run(export_id=export_id)
