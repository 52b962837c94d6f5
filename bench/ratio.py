"""The side-by-side ratio benchmark (issue 19): each page's throughput as a multiple of a bare
Django "hello" view, served the same way in the same run, plus query counts at 1× and 10× data.

It makes a throwaway database (PostgreSQL beside DATABASE_URL's, else SQLite), seeds the issue's
data, serves the project (production settings, debug off) and bench/hello with gunicorn (one sync
worker, bench/sidebyside/gunicorn_conf.py) on free local ports, drives every page with wrk (or
locust), then counts each page's queries in process before and after the data grows tenfold.
The table goes to stdout (Markdown), progress to stderr.

Usage: python bench/ratio.py [--duration S] [--rounds N] [--pages a,b] [--quick] [--json FILE]
       DATABASE_URL=postgres://postgres@127.0.0.1:5432/sa_bench REDIS_URL=redis://127.0.0.1:6379/9 …
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from sidebyside import environment, load, pages, report  # noqa: E402
from sidebyside.serve import Server, cpu_ms  # noqa: E402

WARM_UP_SECONDS = 2.0
WARM_UP_REQUESTS = 20


class StepFailed(Exception):
    pass


@contextmanager
def step(what: str):
    """Turn any failure inside into one line saying which step failed and why."""
    try:
        yield
    except StepFailed:
        raise
    except Exception as exc:  # the message is the report; the traceback would bury it
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        raise StepFailed(f"{what}: {type(exc).__name__}{': ' + detail if detail else ''}") from exc


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=20, help="seconds of load per page and round (20)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; the report gives their medians (3)")
    parser.add_argument("--pages", help=f"comma-separated, of: {', '.join(pages.BY_KEY)} (all)")
    parser.add_argument(
        "--load", choices=["auto", "wrk", "locust"], default="auto", help="load generator (auto: wrk if installed)"
    )
    parser.add_argument("--members", type=int, default=500, help="generated team members at 1× (500, +6 demo members)")
    parser.add_argument("--lessons-done", type=int, default=250, help="the learner's lessons done at 1× (250)")
    parser.add_argument("--grown-members", type=int, default=5000, help="generated team members at 10× (5000)")
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: 1 round of 3 s, a 50-member team (500 at 10×)"
    )
    parser.add_argument("--no-load", action="store_true", help="only the query counts")
    parser.add_argument("--no-queries", action="store_true", help="only the load runs")
    parser.add_argument("--json", type=Path, help="also write every figure, round by round, to this file")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database and work folder")
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.rounds, args.members, args.grown_members = 3, 1, 50, 500
    if args.duration < 1 or args.rounds < 1:
        parser.error("--duration and --rounds must be at least 1")
    try:
        args.pages = pages.select(args.pages)
    except ValueError as exc:
        parser.error(str(exc))
    return args


def warm_up(server: Server, path: str, headers: dict[str, str]) -> int:
    """Check the page answers 200 (not a redirect to the login page), warm it; its body's size."""
    first = server.get(path, headers)
    if first.status != 200:
        raise RuntimeError(f"GET {path} answered {first.status}, not 200")
    started = time.monotonic()
    for _ in range(WARM_UP_REQUESTS - 1):
        if time.monotonic() - started > WARM_UP_SECONDS:
            break
        server.get(path, headers)
    return len(first.body)


def drive(server: Server, generator, path: str, headers: dict[str, str], seconds: int) -> report.Measurement:
    before = server.snapshot()
    result = generator.run(server.base_url + path, headers, seconds)
    after = server.snapshot()  # once the connections still queued at the end are served too
    served = after.finished - before.finished
    if not result.requests:
        raise RuntimeError(
            f"no answer came back within the {seconds}-second run ({served} served late, "
            f"{result.error_detail or 'no errors'}): give it a longer --duration"
        )
    return report.Measurement(
        per_second=result.per_second,
        p50_ms=result.p50_ms,
        p95_ms=result.p95_ms,
        cpu_ms_per_request=cpu_ms(after.cpu_ticks - before.cpu_ticks) / served,
        requests=result.requests,
        served=served,
        errors=result.errors,
        error_detail=result.error_detail,
    )


def run_load(args, env, cookies, hello: report.Row, rows: list[report.Row], servers: list[Server]) -> str:
    with step("choosing the load generator"):
        generator = load.generator(args.load)
    base_env = dict(os.environ)
    hello_env = {**base_env, "DJANGO_SETTINGS_MODULE": "hello.settings"}
    hello_server = Server("hello", "hello.wsgi:application", hello_env, env.workdir, pythonpath=HERE)
    project = Server("project", "safety_academy.wsgi:application", base_env, env.workdir)
    servers += [hello_server, project]
    with step("starting the hello server (gunicorn, bench/hello)"):
        hello_server.start("/")
    with step("starting the project server (gunicorn, safety_academy.wsgi)"):
        project.start("/healthz")
    targets = [(hello_server, hello, {})]
    for row in rows:
        page = pages.BY_KEY[row.key]
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies[page.who].items())} if page.who else {}
        targets.append((project, row, headers))
    for server, row, headers in targets:
        with step(f"checking and warming up {row.label} ({row.path})"):
            row.body_bytes = warm_up(server, row.path, headers)
    for number in range(1, args.rounds + 1):
        for server, row, headers in targets:
            with step(f"driving {row.label} ({row.path}), round {number}"):
                m = drive(server, generator, row.path, headers, args.duration)
            row.rounds.append(m)
            say(
                f"  round {number}/{args.rounds} · {row.label}: {m.per_second:,.1f} req/s, p50 {m.p50_ms:,.1f} ms, "
                f"p95 {m.p95_ms:,.1f} ms, {m.cpu_ms_per_request:,.2f} CPU ms/req ({m.requests} requests"
                f"{f', {m.errors} errors' if m.errors else ''})"
            )
    for server in servers:
        server.stop()
    return generator.describe(args.duration)


def header_lines(args, env, method: str | None, sizes: dict[str, dict[str, int]], load_at_start: float) -> list[str]:
    import django
    import gunicorn

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "?",
    )
    lines = [
        f"Side-by-side ratio benchmark, {dt.datetime.now():%Y-%m-%d %H:%M}: {os.cpu_count()} cores ({cpu}), "
        f"load average {load_at_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end",
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"gunicorn {gunicorn.__version__} (1 sync worker, debug off, production settings)",
        f"Database: {env.database_label}; Redis: {env.redis_url or 'none (local-memory cache, eager Celery)'}",
    ]
    if method:
        lines.append(f"Load: {method}, {args.rounds} round(s), medians; × hello = hello req/s ÷ page req/s")
    for scale, counts in sizes.items():
        lines.append(f"Data {scale}: " + ", ".join(f"{n:,} {what}" for what, n in counts.items()))
    return lines


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    load_at_start = os.getloadavg()[0]  # the machine may be shared: the report says how busy it was
    env = None
    servers: list[Server] = []
    try:
        with step("preparing the throwaway database and the settings"):
            env = environment.prepare()
            import django

            django.setup()
        from django.core.cache import cache
        from django.core.management import call_command
        from django.db import connections
        from sidebyside import queries, seed

        if env.redis_url:
            with step(f"clearing the Redis database {env.redis_url}"):
                cache.clear()
        say(f"Database: {env.database_label}")
        with step("migrating and collecting static files"):
            call_command("migrate", verbosity=0, stdout=io.StringIO())
            call_command("collectstatic", interactive=False, verbosity=0, stdout=io.StringIO())
            call_command("generate_signing_key", verbosity=0, stdout=io.StringIO())
        with step("loading the track (load_track)"):
            call_command("load_track", verbosity=0, stdout=io.StringIO())
        with step("seeding the 1× data"):
            world = seed.seed_baseline(members=args.members, lessons_done=args.lessons_done)
            cookies = {"learner": seed.browser_cookies(world.learner_id), "lead": seed.browser_cookies(world.lead_id)}
            sizes = {"1×": seed.data_summary(world)}
        say("Data 1×: " + ", ".join(f"{n:,} {what}" for what, n in sizes["1×"].items()))
        hello = report.Row("hello", "hello (bare Django)", "/")
        rows = [report.Row(p.key, p.label, p.url_path(world.slugs), p.goal) for p in args.pages]
        method = None
        if not args.no_load:
            connections.close_all()
            method = run_load(args, env, cookies, hello, rows, servers)
        if not args.no_queries:
            with step("counting queries at 1×"):
                counts = queries.count_queries(args.pages, world.slugs, cookies)
            with step("growing the data tenfold (track copies, generated members, the learner's history)"):
                seed.grow(factor=10, members=args.grown_members, lessons_done=10 * args.lessons_done)
                sizes["10×"] = seed.data_summary(world)
            say("Data 10×: " + ", ".join(f"{n:,} {what}" for what, n in sizes["10×"].items()))
            with step("counting queries at 10×"):
                grown = queries.count_queries(args.pages, world.slugs, cookies)
            for row in rows:
                row.queries = {"1×": counts[row.key], "10×": grown[row.key]}
        lines = header_lines(args, env, method, sizes, load_at_start)
        print("\n".join(lines) + "\n\n" + report.table(hello, rows) + "\n\n" + report.paths(rows))
        for problem in report.problems([hello, *rows]):
            print(f"\nErrors under load: {problem}")
        if args.json:
            with step(f"writing {args.json}"):
                body = {"header": lines, "rows": [asdict(r) for r in [hello, *rows]]}
                args.json.write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n")
        return 0
    except StepFailed as failure:
        say(f"ratio.py: failed while {failure}")
        return 1
    finally:
        for server in servers:
            server.stop()
        if env is not None:
            _cleanup(env, keep=args.keep)


def _cleanup(env: environment.Environment, *, keep: bool) -> None:
    try:
        from django.core.cache import cache
        from django.db import connections

        connections.close_all()
        if env.redis_url and not keep:
            cache.clear()
        env.cleanup(keep=keep)
        if keep:
            say(f"Kept: {env.database_url} and {env.workdir}")
    except Exception as exc:  # cleaning up must not hide the run's own result
        say(f"ratio.py: cleaning up failed: {type(exc).__name__}: {exc}")


if __name__ == "__main__":
    sys.exit(main())
