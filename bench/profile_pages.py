"""CPU per request of each benchmarked page, in process, against a database the ratio benchmark kept:
where to look before changing anything, and a quick check afterwards.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sa_bench REDIS_URL=redis://127.0.0.1:6379/9 \\
        python bench/ratio.py --no-load --no-queries --keep        # seeds sa_bench_ratio, keeps it
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sa_bench_ratio REDIS_URL=redis://127.0.0.1:6379/9 \\
        python bench/profile_pages.py [--pages lesson,me] [--requests 300] [--profile lesson]

Requests go through Django's whole handler (every middleware, production settings, debug off) with
the test client; the figure is the median of CPU time per request over rounds of requests. It leaves
out the web server's own parsing, so compare pages with each other and with an earlier run of this
script, not with the ratio benchmark's hello. --profile prints where one page's time goes (cProfile).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from sidebyside import pages  # noqa: E402


def configure() -> None:
    if not os.environ.get("DATABASE_URL"):
        sys.exit("profile_pages.py: set DATABASE_URL to the database `ratio.py --keep` left behind")
    workdir = Path(tempfile.mkdtemp(prefix="profile-pages-"))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "safety_academy.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_LOG_LEVEL": "WARNING",
            "MEDIA_ROOT": str(workdir / "media"),
            "CERTIFICATE_SIGNING_KEY_FILE": str(workdir / "signing-key.pem"),
            "API_THROTTLE_USER": "1000000/second",
            "API_THROTTLE_ANON": "1000000/second",
            "SEARCH_RATE_LIMIT": "1000000/s",
        }
    )
    import django

    django.setup()


def world():
    """The seeded learner and lead, and the slugs the page paths need (as seed.seed_baseline chose them)."""
    from django.contrib.auth import get_user_model
    from sidebyside import seed

    from quizzes.models import Attempt

    users = get_user_model().objects
    learner = users.get(username=seed.LEARNER_EMAIL)
    lead = users.get(username=seed.LEAD_EMAIL)
    attempt = Attempt.objects.filter(user=learner, submitted_at__isnull=True).select_related("quiz__topic").first()
    topic = attempt.quiz.topic
    lesson = topic.lessons.filter(is_published=True).order_by("position")[1]
    slugs = {"topic": topic.slug, "lesson": lesson.slug, "team": seed.TEAM_SLUG}
    return learner.pk, lead.pk, slugs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", help=f"comma-separated, of: {', '.join(pages.BY_KEY)} (all)")
    parser.add_argument("--requests", type=int, default=200, help="requests per round (200)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds; the median is reported (5)")
    parser.add_argument("--profile", help="a page to profile with cProfile after timing")
    parser.add_argument("--sort", default="tottime", help="cProfile sort key (tottime)")
    parser.add_argument("--only", help="a regular expression: list only the functions whose line matches it")
    args = parser.parse_args(argv)
    configure()

    from django.test import Client
    from sidebyside import seed

    learner_id, lead_id, slugs = world()
    cookies = {"learner": seed.browser_cookies(learner_id), "lead": seed.browser_cookies(lead_id)}
    clients = {None: Client()}
    for who, held in cookies.items():
        clients[who] = Client()
        for name, value in held.items():
            clients[who].cookies[name] = value

    chosen = pages.select(args.pages)
    for page in chosen:
        client, path = clients[page.who], page.url_path(slugs)
        response = client.get(path)
        if response.status_code != 200:
            print(f"{page.key}: GET {path} answered {response.status_code}", file=sys.stderr)
            return 1
        for _ in range(20):
            client.get(path)
        size = len(response.content) if not response.streaming else len(b"".join(response.streaming_content))
        per_round = []
        for _ in range(args.rounds):
            started = time.process_time()
            for _ in range(args.requests):
                client.get(path)
            per_round.append((time.process_time() - started) * 1000 / args.requests)
        print(
            f"{page.key:16} {statistics.median(per_round):7.2f} CPU ms/request "
            f"(rounds {min(per_round):.2f} to {max(per_round):.2f}; {size:,} bytes)",
            flush=True,
        )

    if args.profile:
        page = pages.BY_KEY[args.profile]
        client, path = clients[page.who], page.url_path(slugs)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.requests):
            client.get(path)
        profiler.disable()
        stats = pstats.Stats(profiler).strip_dirs().sort_stats(args.sort)
        stats.print_stats(*([args.only] if args.only else []), 40)
    return 0


if __name__ == "__main__":
    sys.exit(main())
