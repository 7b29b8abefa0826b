"""Pages of one document's requirements for its page, each a single query: the page's ids read on the
(project, document, order, id) index, then their rows (a deferred join). Where nothing stored tells
how many rows a filter keeps (a text search, a subsection), the same query counts them, so "N segments
match" and "page X of Y" cost no query of their own."""

from __future__ import annotations

from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import IntegerField, QuerySet, Subquery

from documents.models import Requirement

# No document holds this many pages of rows; a larger page number reads as "past the last page".
_MAX_PAGE = 10_000_000


class RowsCounted(Subquery):
    """How many rows a queryset holds (sliced, it stops counting early), as one value of the outer
    query. Uncorrelated, so the database counts once for the query, not once per row."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


class DocumentRowsPaginator(Paginator):  # type: ignore[type-arg]
    """A paginator over one document's requirements (a queryset in reading order). `count`: how many
    rows the queryset holds when the caller knows it (the document's stored counts); without it, the
    first page read counts them too."""

    def __init__(self, rows: QuerySet[Requirement], per_page: int, *, count: int | None = None) -> None:
        super().__init__(rows, per_page)
        if count is not None:
            self.__dict__["count"] = count  # Paginator.count is a cached_property: known, not asked

    def _window(self, number: int, *, counted: bool) -> list[Requirement]:
        rows: QuerySet[Requirement] = self.object_list  # type: ignore[assignment]
        start = (number - 1) * self.per_page
        # The ids' window as a subquery, skipped on the index alone; the rows then read are the page's.
        window = rows.filter(pk__in=rows.values("pk")[start : start + self.per_page])
        if counted:
            window = window.annotate(matching=RowsCounted(rows.order_by().values("pk")))
        return list(window)

    def _last_rows(self) -> list[Requirement]:
        rows: QuerySet[Requirement] = self.object_list  # type: ignore[assignment]
        last = rows.filter(pk__in=rows.reverse().values("pk")[: self.per_page])
        return list(last.annotate(matching=RowsCounted(rows.order_by().values("pk"))))

    def get_page(self, number: Any) -> Page:  # type: ignore[type-arg]
        if "count" not in self.__dict__:
            try:
                # Bounded: a page number from a URL must not overflow the database's OFFSET.
                wanted = min(max(1, int(number)), _MAX_PAGE)
            except (TypeError, ValueError):
                wanted = 1
            found = self._window(wanted, counted=True)
            if found or wanted == 1:
                self.__dict__["count"] = found[0].matching if found else 0  # type: ignore[attr-defined]
                return Page(found, wanted, self)
            # Past the last page (a stale link): the last rows, counted, of which the last page keeps
            # those past the full pages.
            last = self._last_rows()
            self.__dict__["count"] = count = last[0].matching if last else 0  # type: ignore[attr-defined]
            kept = count - (self.num_pages - 1) * self.per_page
            return Page(last[len(last) - kept :] if count else [], self.num_pages, self)
        try:
            number = self.validate_number(number)
        except PageNotAnInteger:
            number = 1
        except EmptyPage:
            number = self.num_pages
        return Page(self._window(number, counted=False), number, self)
