"""Load the track's content files (fixtures/track/ by default) into the database."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from courses.track_specs import TrackError
from progress.services.content import track_load


class Command(BaseCommand):
    help = "Validate and load the track (categories, topics, lessons, quizzes) from its files; idempotent."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(settings.TRACK_PATH), help="the track folder")
        parser.add_argument("--verbose-changes", action="store_true", help="list every row created or updated")
        parser.add_argument(
            "--overwrite-admin-edits",
            action="store_true",
            help="replace topics and lessons edited in the admin with their files (by default they are kept)",
        )

    def handle(self, *args, path: str, verbose_changes: bool, overwrite_admin_edits: bool, **options):
        try:
            report = track_load(root=Path(path), overwrite_admin_edits=overwrite_admin_edits)
        except TrackError as exc:
            raise CommandError(
                f"The track was not loaded; nothing was changed. {len(exc.faults)} problem(s):\n"
                + "\n".join(f"  {fault}" for fault in exc.faults)
            ) from exc
        if verbose_changes:
            for label, items in (("created", report.created), ("updated", report.updated), ("removed", report.removed)):
                for item in items:
                    self.stdout.write(f"  {label}: {item}")
        for item in report.unpublished:
            self.stdout.write(f"  unpublished (its file is gone): {item}")
        for item in report.kept:
            self.stdout.write(f"  differs from its file (edited in the admin), kept: {item}")
        for item in report.overwritten:
            self.stdout.write(f"  admin edit overwritten by its file: {item}")
        if report.kept:
            self.stdout.write(
                "  Write those edits back to the files with `manage.py export_track`, or replace them with the "
                "files with `load_track --overwrite-admin-edits`."
            )
        self.stdout.write(self.style.SUCCESS(f"Track loaded from {path}: {report.summary()}."))
