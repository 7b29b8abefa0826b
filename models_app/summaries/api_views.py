"""A document's gist through the API."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from documents.selectors import document_get
from models_app.summaries.selectors import document_gist_with_tags
from models_app.summaries.serializers import DocumentGistOutputSerializer
from selko.request_types import AuthenticatedRequest
from selko.tenancy.selectors import project_get_for_user


class DocumentSummaryApi(APIView):
    @extend_schema(responses=DocumentGistOutputSerializer)
    def get(self, request: AuthenticatedRequest, project_slug: str, document_id: int) -> Response:
        """The gist of a document and of each top-level section: counts by obligation level, by label and
        by quality rule, the requirements with the most findings, and the most central segments."""
        project = project_get_for_user(user=request.user, slug=project_slug)
        document = document_get(project=project, document_id=document_id)
        return Response(
            DocumentGistOutputSerializer(document_gist_with_tags(project=project, document=document)).data
        )
