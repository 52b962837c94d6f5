"""Query counts per page, in process: Django's test client with the benchmark's session cookies,
one warm-up request, then the queries of one request (a streamed body is read inside the count)."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sidebyside.pages import Page


class PageFailed(RuntimeError):
    pass


def _get(client: Client, path: str) -> int:
    response = client.get(path)
    if response.streaming:
        b"".join(response.streaming_content)
    return response.status_code


def count_queries(pages: list[Page], slugs: dict[str, str], cookies: dict[str, tuple[str, str]]) -> dict[str, int]:
    """{page key: queries one request runs after a warm-up}; a page that does not answer 200 is an error."""
    counts = {}
    for page in pages:
        client = Client()
        if page.who:
            name, value = cookies[page.who]
            client.cookies[name] = value
        path = page.url_path(slugs)
        _get(client, path)
        with CaptureQueriesContext(connection) as captured:
            status = _get(client, path)
        if status != 200:
            raise PageFailed(f"{page.label}: GET {path} answered {status}, not 200")
        counts[page.key] = len(captured)
    return counts
