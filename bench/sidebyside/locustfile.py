"""The Python load generator, for machines without wrk: every user asks for one page in a loop,
without pauses, with the headers the benchmark passes (BENCH_PATH, BENCH_HEADERS as JSON)."""

import json
import os

from locust import FastHttpUser, constant, task


class PageVisitor(FastHttpUser):
    wait_time = constant(0)
    path = os.environ.get("BENCH_PATH", "/")
    headers = json.loads(os.environ.get("BENCH_HEADERS", "{}"))

    @task
    def visit(self):
        self.client.get(self.path, headers=self.headers, name="page")
