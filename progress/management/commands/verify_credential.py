"""Verify a downloaded credential: a .jwt file, or a certificate PDF that embeds one. Checks the
signature (by the key its kid names), what a PDF visibly says against the signed claims, and
revocation in the W3C Bitstring Status List the credential names: online, or offline from a status
list file given with --status-list; then expiry (the credential's validUntil), which is not revocation."""

import json
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from progress import status_list
from progress.certificate_check import UnreadablePdf, mismatches, read_certificate_pdf
from progress.credentials import CredentialInvalid, signed_by, verify_credential
from progress.credentials import jwks as site_jwks

FETCH_TIMEOUT = 10


def fetch(url: str) -> str:
    """The status list credential at `url` (the issuer's server), as text."""
    if not url.startswith(("https://", "http://")):
        raise OSError(f"not an http(s) URL: {url}")
    request = urllib.request.Request(url, headers={"Accept": "application/vc+jwt, application/jwt, */*"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:  # noqa: S310 (scheme checked above)
        return response.read(10_000_000).decode("utf-8", errors="replace")


class Command(BaseCommand):
    help = (
        "Check a certificate's signed credential (FILE: .jwt, or the PDF) against the issuer's public keys, "
        "what the PDF shows against the signed claims, and revocation in the issuer's status list."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--jwks", help="a JWK set file to verify against instead of this site's own keys")
        parser.add_argument(
            "--status-list",
            help="a downloaded status list credential (the .jwt at the credential's statusListCredential URL), "
            "to check revocation offline",
        )
        parser.add_argument("--offline", action="store_true", help="never fetch the status list from the network")

    def handle(self, *args, file: str, jwks: str | None = None, status_list: str | None = None, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        page_text = None
        if data.lstrip().startswith(b"%PDF"):
            try:
                certificate = read_certificate_pdf(data)
            except UnreadablePdf as exc:
                raise CommandError(f"NOT VALID: {path} — {exc}") from None
            if certificate.credential is None:
                raise CommandError(f"NOT VALID: {path} is a PDF without an embedded credential.")
            token, page_text = certificate.credential, certificate.text
        else:
            token = data.decode("utf-8", errors="replace")
        keys = self._keys(jwks)
        try:
            claims = verify_credential(token, keys)
        except CredentialInvalid as exc:
            raise CommandError(f"NOT VALID: {exc}") from exc
        subject = claims["credentialSubject"]
        kid = signed_by(token)
        self.stdout.write(self.style.SUCCESS(f"VALID: the signature matches the issuer's key (kid {kid})."))
        self.stdout.write(f"  holder:      {subject.get('name')}")
        self.stdout.write(f"  achievement: {subject.get('achievement', {}).get('name')}")
        self.stdout.write(f"  valid from:  {claims.get('validFrom')}")
        self.stdout.write(f"  valid until: {claims.get('validUntil') or 'does not expire'}")
        self.stdout.write(f"  verify at:   {claims.get('id')}")
        if page_text is not None:
            problems = mismatches(page_text, claims)
            if problems:
                raise CommandError("NOT VALID: the PDF was altered; " + "; ".join(problems) + ".")
            self.stdout.write("  PDF:         shows what the credential signs (holder name, title, date, code)")
        self._check_revocation(claims, keys, status_list, offline=options["offline"])
        self._check_expiry(claims)

    def _keys(self, jwks: str | None) -> dict:
        if not jwks:
            return site_jwks()
        try:
            return json.loads(Path(jwks).read_text())
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read the key set {jwks}: {exc}") from exc

    def _check_revocation(self, claims: dict, keys: dict, list_file: str | None, *, offline: bool) -> None:
        entry = status_list.revocation_entry_of(claims)
        if entry is None:
            self._not_checked("this credential carries no revocation entry (it was issued before status lists)")
            return
        url = entry.get("statusListCredential", "")
        if list_file:
            source = f"the status list file {list_file}"
            try:
                list_token = Path(list_file).read_text()
            except OSError as exc:
                raise CommandError(f"Cannot read the status list {list_file}: {exc.strerror}") from exc
        elif offline:
            self._not_checked(f"--offline was given and no --status-list file; the list is at {url}")
            return
        else:
            source = f"{url} (online)"
            try:
                list_token = fetch(url)
            except (OSError, urllib.error.URLError) as exc:
                reason = getattr(exc, "reason", None) or exc
                self._not_checked(f"could not fetch {url} ({reason}); download it and pass --status-list FILE")
                return
        try:
            list_claims = verify_credential(list_token, keys)
            revoked = status_list.is_revoked(entry, list_claims)
        except (CredentialInvalid, status_list.StatusUnavailable) as exc:
            raise CommandError(f"REVOCATION NOT CHECKED: the status list from {source} is not usable: {exc}") from exc
        index = entry.get("statusListIndex")
        if revoked:
            raise CommandError(f"REVOKED: the issuer's status list ({source}) marks it revoked (entry {index})")
        self.stdout.write(f"  revocation:  not revoked (entry {index} of {source})")

    def _check_expiry(self, claims: dict) -> None:
        """Expiry is the credential's own date, distinct from revocation: genuine and not revoked, but over."""
        until = claims.get("validUntil")
        if not until:
            return
        try:
            moment = datetime.fromisoformat(until.replace("Z", "+00:00"))
        except ValueError as exc:
            raise CommandError(f"NOT VALID: its validUntil {until!r} is not a date") from exc
        if moment <= timezone.now():
            raise CommandError(
                f"EXPIRED: expired on {moment.strftime('%d %B %Y')} (validUntil {until}); the signature is genuine "
                "and it is not revoked, but it no longer attests current competence"
            )
        self.stdout.write(f"  expiry:      not expired (valid until {moment.strftime('%d %B %Y')})")

    def _not_checked(self, why: str) -> None:
        self.stdout.write(self.style.WARNING(f"  revocation:  NOT CHECKED — {why}"))
