"""Certificates per second per worker process, through the real task code (PDF, signature, storage).

Usage: python bench/certificates.py [N]   (default 200)
"""

import statistics
import sys
import time

from _setup import setup

setup()

from django.contrib.auth import get_user_model  # noqa: E402

from courses.models import Category, Topic  # noqa: E402
from progress.models import Certificate, Profile  # noqa: E402
from progress.tasks.certificates import issue_certificate  # noqa: E402


def main(n: int) -> None:
    category = Category.objects.create(slug="bench", title="Bench", position=1)
    topic = Topic.objects.create(category=category, slug="bench-topic", title="Safety Cases for AI", summary="x" * 200)
    users = get_user_model().objects.bulk_create(
        [get_user_model()(username=f"b{i}@example.com", email=f"b{i}@example.com") for i in range(n)]
    )
    Profile.objects.bulk_create([Profile(user=u, full_name=f"Bench Learner {i}") for i, u in enumerate(users)])
    ids = [Certificate.objects.create(user=u, topic=topic).pk for u in users]
    issue_certificate.apply(args=[ids[0]])  # warm up: fonts, key, imports
    timings = []
    started = time.perf_counter()
    for pk in ids[1:]:
        t0 = time.perf_counter()
        issue_certificate.apply(args=[pk])
        timings.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    issued = Certificate.objects.filter(status="issued").count()
    assert issued == n, f"only {issued} of {n} issued"
    print(f"certificates issued: {n - 1} timed (+1 warm-up)")
    print(
        f"per certificate: median {statistics.median(timings) * 1000:.1f} ms, "
        f"p95 {sorted(timings)[int(0.95 * len(timings))] * 1000:.1f} ms"
    )
    print(f"throughput: {(n - 1) / elapsed:.1f} certificates per second per worker process")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
