"""Rotate the certificate signing key: a new active key signs from now on, the old one stays in the
published key set (by its kid) so every credential it signed keeps verifying. docs/certificate-keys.md."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from progress.signing_keys import (
    SigningKeyMissing,
    generate_private_key_pem,
    key_id,
    public_key_pem,
    rotate_file_key,
    signing_key,
    signing_keys_public,
)


class Command(BaseCommand):
    requires_system_checks = []  # it is the fix for the signing key check: never blocked or nagged by it
    help = "Make a new active signing key and keep the old one published for verification."

    def handle(self, *args, **options):
        try:
            current = signing_key()
        except SigningKeyMissing as exc:
            raise CommandError(f"{exc} There is no key to rotate yet.") from exc
        if settings.CERTIFICATE_SIGNING_KEY:
            self._print_environment_rotation(current)
            return
        rotation = rotate_file_key()
        self.stdout.write(self.style.SUCCESS(f"New active signing key: kid {rotation.active_kid}"))
        self.stdout.write(f"Retired key kid {rotation.retired_kid}, kept for verification in {rotation.retired_path}")
        self.stdout.write(f"Published keys: {', '.join(signing_keys_public())}")
        self.stdout.write("Restart the web and worker processes if they read the key from a copy of this file.")

    def _print_environment_rotation(self, current) -> None:
        """The key comes from the environment, which this command cannot change: say exactly what to set."""
        new_pem = generate_private_key_pem().decode()
        old_public = public_key_pem(current.public_key()).decode()
        self.stdout.write(
            "The active key comes from CERTIFICATE_SIGNING_KEY, which only your deployment can change. To rotate:\n"
            f"1. Append this public key (kid {key_id(current.public_key())}) to CERTIFICATE_RETIRED_KEYS, "
            "keeping any already there:\n"
            f"{old_public}"
            "2. Set CERTIFICATE_SIGNING_KEY to this new private key, and keep it secret:\n"
            f"{new_pem}"
            "3. Restart the web, worker and beat processes. /.well-known/jwks.json then lists both keys."
        )
