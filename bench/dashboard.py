"""Time the team dashboard, its CSV, the training-evidence report and the framework coverage page for a
team of 500 members with 10 assigned topics.

Usage: python bench/dashboard.py [MEMBERS] [REPEATS]   (defaults 500 and 10)
"""

import datetime as dt
import io
import statistics
import sys
import time

from _setup import setup

setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from courses.models import Topic  # noqa: E402
from progress.models import Assignment, Team  # noqa: E402


def main(members: int, repeats: int) -> None:
    call_command("load_track", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    team = Team.objects.get(slug="model-platform")
    for i, topic in enumerate(Topic.objects.order_by("category__position", "position")[:10]):
        Assignment.objects.update_or_create(
            team=team, topic=topic, defaults={"due_on": timezone.localdate() + dt.timedelta(days=i - 2)}
        )
    call_command("seed_demo", members=members, stdout=io.StringIO())
    size = team.memberships.filter(role="member").count()
    client = Client()
    client.force_login(team.memberships.get(role="lead").user)
    for label, url in (
        ("dashboard page", "/teams/model-platform/"),
        ("dashboard CSV", "/teams/model-platform/dashboard.csv"),
        ("evidence page", "/teams/model-platform/evidence/"),
        ("evidence CSV", "/teams/model-platform/evidence.csv"),
        ("framework coverage", "/teams/model-platform/coverage/"),
    ):
        client.get(url)  # warm up
        timings = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
                body = b"".join(response.streaming_content) if response.streaming else response.content
            timings.append(time.perf_counter() - t0)
        print(
            f"{label}: {size} members x {team.assignments.count()} topics, {len(body) // 1024} KiB, "
            f"{len(queries)} queries, median {statistics.median(timings) * 1000:.0f} ms over {repeats} runs"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500, int(sys.argv[2]) if len(sys.argv) > 2 else 10)
