"""Write an Ed25519 key for signing certificate credentials (development; production sets it in the environment)."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand

from progress.credentials import generate_private_key_pem


class Command(BaseCommand):
    help = "Create the certificate signing key file if it is missing (or replace it with --force)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="replace an existing key (old credentials stop verifying)"
        )

    def handle(self, *args, force: bool, **options):
        if settings.CERTIFICATE_SIGNING_KEY:
            self.stdout.write("CERTIFICATE_SIGNING_KEY is set in the environment; no file needed.")
            return
        path = settings.CERTIFICATE_SIGNING_KEY_FILE
        if path.exists() and not force:
            self.stdout.write(f"Signing key already present: {path}")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(generate_private_key_pem())
        self.stdout.write(self.style.SUCCESS(f"Wrote a new Ed25519 signing key to {path}"))
