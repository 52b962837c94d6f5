"""Write an Ed25519 key for signing certificate credentials (development, or a production key file)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from progress.signing_keys import generate_private_key_pem, write_private_key


class Command(BaseCommand):
    requires_system_checks = []  # it is the fix for the signing key check: never blocked or nagged by it
    help = "Create the certificate signing key file if it is missing (or replace it with --force)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace an existing key without keeping it (its credentials stop verifying; "
            "to change keys and keep old credentials valid, use rotate_signing_key)",
        )

    def handle(self, *args, force: bool, **options):
        if settings.CERTIFICATE_SIGNING_KEY:
            self.stdout.write("CERTIFICATE_SIGNING_KEY is set in the environment; no file needed.")
            return
        path = Path(settings.CERTIFICATE_SIGNING_KEY_FILE)
        if path.exists() and not force:
            self.stdout.write(f"Signing key already present: {path}")
            return
        write_private_key(path, generate_private_key_pem())
        self.stdout.write(self.style.SUCCESS(f"Wrote a new Ed25519 signing key to {path}"))
