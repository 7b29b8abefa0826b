"""`GET /api/v1/workers/`: live workers, queue depths and recent failures, for organization admins."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from selko.request_types import AuthenticatedRequest
from selko.workers.selectors import workers_overview_for_admin
from selko.workers.serializers import WorkersOverviewOutputSerializer


class WorkersOverviewApi(APIView):
    @extend_schema(responses=WorkersOverviewOutputSerializer, operation_id="workers_overview")
    def get(self, request: AuthenticatedRequest) -> Response:
        overview = workers_overview_for_admin(user=request.user)
        return Response(WorkersOverviewOutputSerializer(overview).data)
