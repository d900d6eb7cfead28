from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    """Cursor pages (stable while rows are added): 50 rows, up to 200 with ?page_size=."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering = "-id"
