"""Rate limits for expensive writes, per user (per address for anonymous requests).

A view opts in with `throttle_scope = "<scope>"`; the rate is in `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`.
Unlike DRF's `ScopedRateThrottle`, reads of the same view are never counted: the documents list and the
upload share one view, and paging through the list must not use up the uploads.
"""

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ScopedWriteRateThrottle(ScopedRateThrottle):
    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)
