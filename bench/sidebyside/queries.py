"""Query counts per page, in process: Django's test client with the benchmark's cookies, one warm-up request, then
the queries of one request (a streamed body is read inside the count). A learner's kept pages
(safety_academy.learner_pages) are looked past: the counts are those of rendering the page, which is what must not
grow with the data (a page served from the learner's cache runs no query at all)."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from sidebyside.pages import Page


class PageFailed(RuntimeError):
    pass


def _get(client: Client, path: str) -> int:
    response = client.get(path)
    if response.streaming:
        b"".join(response.streaming_content)
    return response.status_code


def count_queries(pages: list[Page], slugs: dict[str, str], cookies: dict[str, dict[str, str]]) -> dict[str, int]:
    """{page key: queries one request runs after a warm-up}; a page that does not answer 200 is an error."""
    counts = {}
    with override_settings(LEARNER_PAGE_SECONDS=0):  # every request renders its page
        for page in pages:
            client = Client()
            for name, value in cookies[page.who].items() if page.who else ():
                client.cookies[name] = value
            path = page.url_path(slugs)
            _get(client, path)
            with CaptureQueriesContext(connection) as captured:
                status = _get(client, path)
            if status != 200:
                raise PageFailed(f"{page.label}: GET {path} answered {status}, not 200")
            counts[page.key] = len(captured)
    return counts
