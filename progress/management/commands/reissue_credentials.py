"""Give credentials issued before revocation lists a revocation entry: each is signed again, unchanged
but for its `credentialStatus`, and embedded in its PDF. The certificates themselves (code, date,
page) stay as they are, and the old credentials keep verifying. The sweep does the same in batches."""

from django.core.management.base import BaseCommand

from progress.services.credential_status import credentials_backfill, credentials_without_status


class Command(BaseCommand):
    help = "Reissue the signed credential of every certificate that has no revocation entry yet."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="reissue at most this many")

    def handle(self, *args, limit: int | None, **options):
        waiting = credentials_without_status().count()
        if not waiting:
            self.stdout.write("Every credential already carries a revocation entry.")
            return
        done = credentials_backfill(limit=limit)
        left = credentials_without_status().count()
        self.stdout.write(self.style.SUCCESS(f"Reissued {len(done)} credential(s) with a status entry; {left} left"))
