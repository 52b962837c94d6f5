"""The ratio benchmark (bench/ratio.py) cannot rot unnoticed: its data, pages and query counts run
here on small data, its server bookkeeping on the hello view, and its parsers on real output."""

import os
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.append(str(BENCH))

from sidebyside import load, pages, queries, report, seed  # noqa: E402
from sidebyside.serve import Server  # noqa: E402

pytestmark = pytest.mark.bench


def test_every_page_answers_and_its_queries_are_counted_before_and_after_the_data_grows(track):
    topics = track.count()
    world = seed.seed_baseline(members=12, lessons_done=30)
    cookies = {"learner": seed.browser_cookies(world.learner_id), "lead": seed.browser_cookies(world.lead_id)}
    demo_members = seed.data_summary(world)["team members"] - 12  # seed_demo's team, one member per state
    assert demo_members > 0
    assert seed.data_summary(world)["learner's lessons done"] == 30

    before = queries.count_queries(pages.PAGES, world.slugs, cookies)
    seed.grow(factor=2, members=30, lessons_done=60)
    after = queries.count_queries(pages.PAGES, world.slugs, cookies)

    grown = seed.data_summary(world)
    assert grown["topics"] == 2 * topics
    assert grown["team members"] == demo_members + 30
    assert grown["learner's lessons done"] == 60
    assert set(before) == set(after) == set(pages.BY_KEY)
    # A visitor's catalogue may come whole from the cache (no query); every other page reads the database.
    assert all(count > 0 for counts in (before, after) for key, count in counts.items() if key != "catalogue-anon")


def test_a_page_that_does_not_answer_200_stops_the_count(track):
    world = seed.seed_baseline(members=2, lessons_done=5)
    cookies = {"learner": seed.browser_cookies(world.learner_id)}
    learner_on_the_dashboard = pages.Page("dashboard", "team dashboard", "/teams/{team}/", "learner", "")
    with pytest.raises(queries.PageFailed, match="answered 404"):
        queries.count_queries([learner_on_the_dashboard], world.slugs, cookies)


def test_the_hello_server_reports_its_worker_and_the_requests_it_served(tmp_path):
    env = {**os.environ, "DJANGO_SECRET_KEY": "hello-test-key", "DJANGO_SETTINGS_MODULE": "hello.settings"}
    server = Server("hello", "hello.wsgi:application", env, tmp_path, pythonpath=BENCH)
    try:
        server.start("/")
        before = server.snapshot(quiet=0.1)
        for _ in range(5):
            assert server.get("/").body == b"Hello, world"
        after = server.snapshot(quiet=0.1)
    finally:
        server.stop()
    assert after.finished - before.finished == 5
    assert after.started == after.finished
    assert after.cpu_ticks >= before.cpu_ticks


WRK_OUTPUT = """Running 1s test @ http://127.0.0.1:8000/
  2 threads and 8 connections
RATIO-RESULT requests=47 duration_us=1002345 bytes=1540000 connect=0 read=0 write=0 status=2 timeout=1 \
p50_us=160250 p95_us=201000
"""

LOCUST_STATS = """Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,\
Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%
GET,page,100,0,160,170,90,400,32000,50.0,0,160,170,180,190,200,210,250,300,400,400,400
,Aggregated,100,0,160,170,90,400,32000,50.0,0,160,170,180,190,200,210,250,300,400,400,400
"""


def test_the_load_generators_output_is_read():
    wrk = load.parse_wrk(WRK_OUTPUT)
    assert (wrk.requests, wrk.p50_ms, wrk.p95_ms, wrk.errors) == (47, 160.25, 201.0, 3)
    assert wrk.per_second == pytest.approx(46.89, abs=0.01)
    assert wrk.error_detail == "2 status, 1 timeout"
    locust = load.parse_locust(LOCUST_STATS, seconds=2)
    assert (locust.requests, locust.per_second, locust.p50_ms, locust.p95_ms) == (100, 50.0, 160.0, 210.0)
    with pytest.raises(load.LoadError):
        load.parse_wrk("wrk: connection refused\n")


def test_the_report_gives_each_page_as_a_multiple_of_hello():
    def measured(per_second, cpu):
        return report.Measurement(per_second, 10.0, 20.0, cpu, requests=100, served=100)

    hello = report.Row("hello", "hello", "/", rounds=[measured(2000, 0.4), measured(2400, 0.5), measured(2200, 0.45)])
    page = report.Row("me", "/me/", "/me/", "≤ 10×", rounds=[measured(20, 30.0)], body_bytes=24_576)
    page.queries = {"1×": 20, "10×": 23}
    line = report.table(hello, [page]).splitlines()[-1]
    assert line == "| /me/ | 20.0 | 10.0 | 20.0 | 30.00 | 110× | ≤ 10× | 67× | 24.0 KiB | 20 | 23 ↑ |"
    with pytest.raises(ValueError, match="unknown page nope"):
        pages.select("me,nope")
