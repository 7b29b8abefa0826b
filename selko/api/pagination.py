"""Page-number pagination with a client-chosen page size, capped so one request stays cheap; and for
lists that can page by keyset, the same with an optional cursor."""

from typing import Any

from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param


class DefaultPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class PageOrCursorPagination(DefaultPagination):
    """Page numbers by default, with the list's `count`; a `cursor` parameter (empty for the first page)
    asks for keyset pages instead: each answers as fast at any depth and carries no count, `next` holds
    the following page's cursor and `previous` is null. The view reads the cursor and pages the rows
    itself (the keyset order is its own); this class documents both shapes and writes the answer."""

    cursor_query_param = "cursor"

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        answer = super().get_paginated_response_schema(schema)
        answer["required"] = ["results"]
        answer["properties"]["count"]["description"] = "Rows in the whole list; absent with `cursor`."
        answer["properties"]["previous"]["description"] = "Null with `cursor`: keyset pages go forward."
        return answer

    def get_cursor_response(self, request: Request, results: Any, next_cursor: str | None) -> Response:
        next_url = None
        if next_cursor is not None:
            url = remove_query_param(request.build_absolute_uri(), self.page_query_param)
            next_url = replace_query_param(url, self.cursor_query_param, next_cursor)
        return Response({"next": next_url, "previous": None, "results": results})
