"""Verify a downloaded credential offline: a .jwt file, or a certificate PDF that embeds one."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from progress.certificate_pdf import credential_from_pdf
from progress.credentials import CredentialInvalid, verify_credential
from progress.credentials import jwks as site_jwks


class Command(BaseCommand):
    help = "Check a certificate's signed credential (FILE: .jwt, or the PDF) against the site's public keys."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--jwks", help="a JWK set file to verify against instead of this site's own key")

    def handle(self, *args, file: str, jwks: str | None = None, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        if data.startswith(b"%PDF"):
            token = credential_from_pdf(data)
            if token is None:
                raise CommandError(f"{path} is a PDF without an embedded credential.")
        else:
            token = data.decode("utf-8", errors="replace")
        keys = json.loads(Path(jwks).read_text()) if jwks else site_jwks()
        try:
            claims = verify_credential(token, keys)
        except CredentialInvalid as exc:
            raise CommandError(f"NOT VALID: {exc}") from exc
        subject = claims["credentialSubject"]
        self.stdout.write(self.style.SUCCESS("VALID: the signature matches the issuer's key."))
        self.stdout.write(f"  holder:      {subject.get('name')}")
        self.stdout.write(f"  achievement: {subject.get('achievement', {}).get('name')}")
        self.stdout.write(f"  valid from:  {claims.get('validFrom')}")
        self.stdout.write(f"  verify at:   {claims.get('id')}")
