"""Real browser and worker: Retrain, watch the progress reach 100%, promote, see the tags change."""

from typing import Any

import pytest
from playwright.sync_api import expect

from models_app.annotations.models import Annotation
from models_app.registry.models import ModelSettings, ModelVersion, PromotionPolicy
from models_app.registry.tagging import predictions_refresh
from selko.tenancy.models import Role
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from tests.labeled_project import labeled_project_create
from tests.worker import start_celery_worker, wait_for
from training.runner import training_job_run
from training.services import training_job_request

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_retrain_watch_progress_promote_and_see_tags_change(
    page: Any,
    project: Any,
    training_settings: dict[str, str],
) -> None:
    admin = UserFactory(username="lead")
    MembershipFactory(user=admin, organization=project.organization, role=Role.ADMIN)
    data = labeled_project_create(project=project)
    first = training_job_request(user=admin, project=project)
    assert first.job is not None
    training_job_run(job_id=first.job.pk, worker_host="setup")
    v1 = ModelVersion.objects.get(project=project, number=1)
    predictions_refresh(project_id=project.pk, model_version_id=v1.pk)
    ModelSettings.objects.filter(project=project).update(promotion_policy=PromotionPolicy.MANUAL)
    Annotation.objects.create(
        project=project, requirement=data.requirements[-1], label=data.labels["Display"], value=True
    )
    requirement = data.requirements[0]
    worker = start_celery_worker(extra_env=training_settings)
    try:
        log_in(page, "lead", PASSWORD)
        page.goto(f"/p/{project.slug}/label/{requirement.pk}/")
        assert "Model v1 suggests" in page.content()

        page.goto(f"/p/{project.slug}/models/")
        assert page.locator("#active-version").inner_text() == "v1"
        page.click("#retrain-button")
        page.wait_for_url(f"**/p/{project.slug}/jobs/*/")
        page.wait_for_function(
            # A function, not an expression: Playwright evals an expression, which the page's CSP forbids.
            "() => document.getElementById('job-progress').textContent === '100%'",
            timeout=180_000,
            polling=250,
        )
        assert page.locator("#job-status").inner_text() == "Succeeded"
        assert (
            "v2 registered, not promoted: Manual promotion policy"
            in page.locator("#job-outcome").inner_text()
        )
        assert page.locator("#job-progress-bar").get_attribute("style") == "width: 100%;"
        page.screenshot(path=str(worker.log_path.with_suffix(".job.png")), full_page=True)

        page.goto(f"/p/{project.slug}/models/")
        page.click("tr[data-version='2'] button:has-text('Promote')")
        expect(page.locator(".messages")).to_contain_text("v2 is now active")
        assert page.locator("#active-version").inner_text() == "v2"
        page.screenshot(path=str(worker.log_path.with_suffix(".models.png")), full_page=True)
        v2 = ModelVersion.objects.get(project=project, number=2)
        wait_for(lambda: ModelVersion.objects.get(pk=v2.pk).tagged_at is not None, timeout=120, worker=worker)

        page.goto(f"/p/{project.slug}/label/{requirement.pk}/")
        assert "Model v2 suggests" in page.content()
        page.screenshot(path=str(worker.log_path.with_suffix(".png")), full_page=True)
    finally:
        worker.stop()
