"""Reading a certificate PDF back: its embedded credential, and whether what the page visibly says
(holder, title, dates, code) matches what the credential signs. A PDF whose name was edited still
carries the genuine credential, so the signature alone would not notice; this does."""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from datetime import datetime

from pypdf import PdfReader

from progress.certificate_pdf import CREDENTIAL_FILENAME, ISSUED_ON_FORMAT, VALID_UNTIL_LABEL

# pypdf logs its repairs of damaged files; the reader here reports one line of its own instead.
logging.getLogger("pypdf").setLevel(logging.ERROR)


class UnreadablePdf(Exception):
    """The file is not a readable certificate PDF; the message is one line saying why."""


@dataclass(frozen=True)
class PdfCertificate:
    credential: str | None
    text: str


def read_certificate_pdf(data: bytes) -> PdfCertificate:
    """The embedded credential and the first page's text, or UnreadablePdf for a damaged file."""
    if not data.rstrip().endswith(b"%%EOF"):
        raise UnreadablePdf("the PDF is truncated (it does not end with %%EOF); download it again")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        attachment = reader.attachments.get(CREDENTIAL_FILENAME)
        credential = attachment[0].decode("utf-8", errors="replace") if attachment else None
        text = reader.pages[0].extract_text() if reader.pages else ""
    except Exception as exc:  # pypdf raises many kinds of error on damaged input; all mean "unreadable"
        reason = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        raise UnreadablePdf(f"the PDF is damaged and cannot be read ({reason})") from exc
    return PdfCertificate(credential=credential, text=text or "")


def _line_after(lines: list[str], marker: str) -> str | None:
    for position, line in enumerate(lines[:-1]):
        if line.startswith(marker):
            return lines[position + 1]
    return None


def _labelled(lines: list[str], label: str) -> str | None:
    for line in lines:
        if line.startswith(label):
            return line.removeprefix(label).strip()
    return None


def visible_fields(text: str) -> dict[str, str | None]:
    """What the page says, field by field, from the layout certificate_pdf draws."""
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    issued = _labelled(lines, "Issued on")
    date, _, until = issued.partition(f" {VALID_UNTIL_LABEL} ") if issued else (None, "", "")
    return {
        "holder name": _line_after(lines, "This certifies that"),
        "title": _line_after(lines, "has completed the"),
        "date": date,
        "code": _labelled(lines, "Certificate code:"),
        "valid until": until or None,
    }


def _day(iso: str) -> str | None:
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).strftime(ISSUED_ON_FORMAT)
    except ValueError:
        return None


def signed_fields(claims: dict) -> dict[str, str | None]:
    """The same fields as the signed credential states them."""
    subject = claims.get("credentialSubject") or {}
    achievement = subject.get("achievement") or {}
    code = re.search(r"/certificates/([^/]+)/?$", claims.get("id") or "")
    fields = {
        "holder name": subject.get("name"),
        "title": achievement.get("name"),
        "date": _day(claims.get("validFrom") or ""),
        "code": code.group(1) if code else None,
    }
    if claims.get("validUntil"):  # a credential that expires says so on the page too
        fields["valid until"] = _day(claims["validUntil"])
    return fields


def mismatches(text: str, claims: dict) -> list[str]:
    """One sentence per field where the page and the signed credential disagree (empty: they agree)."""
    shown, signed = visible_fields(text), signed_fields(claims)
    problems = []
    for field, expected in signed.items():
        seen = shown[field]
        if seen is None:
            problems.append(f"{field}: the PDF does not show one (the signed credential says {expected!r})")
        elif " ".join(str(expected or "").split()) != seen:
            problems.append(f"{field}: the PDF shows {seen!r}, the signed credential says {expected!r}")
    return problems
