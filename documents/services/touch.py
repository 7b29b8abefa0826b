"""Mark requirements as changed, for readers that fetch only what changed (the BI feed's `updated_since`).

A requirement as a reader sees it includes people's answers, the active model's tags and its quality score,
which live in other tables; `auto_now` only notices saves of the row itself, so whoever writes those tables
calls this in the same transaction.
"""

from django.db.models import QuerySet
from django.utils import timezone

from documents.models import Requirement


def requirements_touch(*, requirements: QuerySet[Requirement]) -> int:
    """Set `updated_at` of these requirements to now; returns how many rows were touched."""
    return requirements.update(updated_at=timezone.now())
