"""Write topics and lessons edited in the admin back to the track's files, for review and commit."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from courses.track_export import track_export
from courses.track_specs import TrackError


class Command(BaseCommand):
    help = (
        "Write the topics and lessons edited in the admin into the track's files (fixtures/track format). "
        "Files of rows nobody edited are left as they are; review the result with `git diff`."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(settings.TRACK_PATH), help="the track folder")
        parser.add_argument(
            "--include-conflicts",
            action="store_true",
            help="also write rows whose file changed since it was loaded (the admin's version wins)",
        )

    def handle(self, *args, path: str, include_conflicts: bool, **options):
        try:
            report = track_export(root=Path(path), include_conflicts=include_conflicts)
        except TrackError as exc:
            raise CommandError(
                f"The track's files did not read cleanly. {len(exc.faults)} problem(s):\n"
                + "\n".join(f"  {fault}" for fault in exc.faults)
            ) from exc
        for old, new in report.renamed:
            self.stdout.write(f"  renamed: {old} -> {new}")
        for item in report.written:
            self.stdout.write(f"  written: {item}")
        for item in report.conflicts:
            self.stdout.write(f"  not written, its file changed too since it was loaded: {item}")
        for item in report.skipped:
            self.stdout.write(f"  not written: {item}")
        if report.conflicts:
            self.stdout.write("  Merge those by hand, or write them anyway with --include-conflicts.")
        self.stdout.write(self.style.SUCCESS(f"Track exported to {path}: {report.summary()}."))
