"""The worker side of large exports. Routed to the `default` queue: it is housekeeping, not prediction."""

from celery import shared_task

from models_app.export import export_job_run


@shared_task(name="models_app.export_tasks.export_run", queue="default")
def export_run(export_id: int) -> None:
    export_job_run(export_id=export_id)
