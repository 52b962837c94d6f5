"""The certificate as a PDF: one landscape A4 page drawn with ReportLab in DejaVu Sans (embedded, so
names in Latin, Greek and Cyrillic print and extract as text), with a QR code for the public
verification page, and the signed credential embedded as a file attachment (pypdf)."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

ACCENT = HexColor("#1f5fbf")
INK = HexColor("#1b1f24")
MUTED = HexColor("#57606a")
CREDENTIAL_FILENAME = "credential.jwt"
FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"
ISSUED_ON_FORMAT = "%d %B %Y"  # "05 March 2026": the date as printed, and as verify_credential reads it back


@cache
def _fonts() -> tuple[str, str]:
    """Register the embedded fonts once per process."""
    for name in (REGULAR, BOLD):
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / f"{name}.ttf")))
    return REGULAR, BOLD


@cache
def _covered_codepoints() -> frozenset[int]:
    _fonts()
    regular = pdfmetrics.getFont(REGULAR).face.charToGlyph
    bold = pdfmetrics.getFont(BOLD).face.charToGlyph
    return frozenset(regular) & frozenset(bold)


class UnprintableName(ValueError):
    """A name the certificate cannot print faithfully; the message says which characters and what to do."""


def unprintable_characters(text: str) -> list[str]:
    """Characters the certificate cannot print: missing from the font, or from a right-to-left script
    (the PDF is drawn left to right without shaping, so Arabic or Hebrew would come out garbled)."""
    covered = _covered_codepoints()
    bad = []
    for char in dict.fromkeys(text):
        if char.isspace():
            continue
        if ord(char) not in covered or unicodedata.bidirectional(char) in ("R", "AL"):
            bad.append(char)
    return bad


def certificate_name_problem(name: str) -> str | None:
    """Why `name` cannot go on a certificate, in words for the learner, or None when it can."""
    bad = unprintable_characters(name)
    if not bad:
        return None
    shown = ", ".join(f"\u201c{char}\u201d (U+{ord(char):04X})" for char in bad[:5])
    return (
        f"Certificates print names in Latin, Greek and Cyrillic letters; they cannot print {shown}. "
        "Please write the name in one of those scripts (for example, a transliteration)."
    )


VALID_UNTIL_LABEL = "· Valid until"


@dataclass(frozen=True)
class CertificateContent:
    holder_name: str
    title: str
    kind: str  # "topic" or "track"
    track_title: str
    issued_on: str
    code: str
    verification_url: str
    issuer: str
    credential_jws: str
    valid_until: str = ""  # ISSUED_ON_FORMAT; empty: it does not expire


def _fit(c: canvas.Canvas, text: str, font: str, size: float, max_width: float) -> float:
    """The largest font size up to `size` at which `text` fits in `max_width`."""
    while size > 10 and c.stringWidth(text, font, size) > max_width:
        size -= 1
    return size


def render_certificate_pdf(content: CertificateContent) -> bytes:
    problem = certificate_name_problem(content.holder_name)
    if problem:
        raise UnprintableName(problem)
    if unprintable_characters(content.title):
        raise UnprintableName(f"The title {content.title!r} has characters the certificate font cannot print.")
    regular, bold = _fonts()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    c = canvas.Canvas(buffer, pagesize=(width, height), invariant=1)
    c.setTitle(f"Certificate: {content.title}, {content.holder_name}")
    c.setAuthor(content.issuer)
    c.setSubject(f"Certificate {content.code}")

    c.setStrokeColor(ACCENT)
    c.setLineWidth(3)
    c.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    c.setLineWidth(0.6)
    c.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)

    c.setFillColor(ACCENT)
    c.setFont(bold, 14)
    c.drawCentredString(width / 2, height - 38 * mm, content.issuer.upper())
    c.setFillColor(INK)
    c.setFont(regular, 30)
    c.drawCentredString(width / 2, height - 58 * mm, "Certificate of completion")
    c.setFillColor(MUTED)
    c.setFont(regular, 13)
    c.drawCentredString(width / 2, height - 74 * mm, "This certifies that")
    c.setFillColor(INK)
    name_size = _fit(c, content.holder_name, bold, 28, width - 60 * mm)
    c.setFont(bold, name_size)
    c.drawCentredString(width / 2, height - 90 * mm, content.holder_name)
    c.setFillColor(MUTED)
    c.setFont(regular, 13)
    lead = f"has completed the {content.track_title} track" if content.kind == "track" else "has completed the topic"
    c.drawCentredString(width / 2, height - 104 * mm, lead)
    c.setFillColor(ACCENT)
    title_size = _fit(c, content.title, bold, 22, width - 60 * mm)
    c.setFont(bold, title_size)
    c.drawCentredString(width / 2, height - 118 * mm, content.title)
    if content.kind == "topic":
        c.setFillColor(MUTED)
        c.setFont(regular, 12)
        c.drawCentredString(width / 2, height - 129 * mm, f"of the {content.track_title} track")

    c.setFillColor(INK)
    c.setFont(regular, 11)
    issued = f"Issued on {content.issued_on}"
    c.drawString(
        28 * mm, 44 * mm, issued + (f" {VALID_UNTIL_LABEL} {content.valid_until}" if content.valid_until else "")
    )
    c.drawString(28 * mm, 37 * mm, f"Certificate code: {content.code}")
    c.setFillColor(MUTED)
    c.setFont(regular, 9)
    c.drawString(28 * mm, 30 * mm, "Verify at:")
    c.drawString(28 * mm, 25 * mm, content.verification_url)
    c.linkURL(content.verification_url, (28 * mm, 23 * mm, width / 2 + 40 * mm, 28 * mm), relative=0)

    qr = QrCodeWidget(content.verification_url)
    x0, y0, x1, y1 = qr.getBounds()
    size = 38 * mm
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(qr)
    renderPDF.draw(drawing, c, width - 28 * mm - size, 22 * mm)

    c.showPage()
    c.save()
    return _attach_credential(buffer.getvalue(), content.credential_jws)


def _attach_credential(pdf: bytes, credential_jws: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.add_attachment(CREDENTIAL_FILENAME, credential_jws.encode())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def replace_credential(pdf: bytes, credential_jws: str) -> bytes:
    """The same certificate page with a newly signed credential embedded instead of the old one."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter()
    writer.append(reader)  # the page as drawn; the old attachment is not carried over
    if reader.metadata:
        writer.add_metadata(dict(reader.metadata))
    writer.add_attachment(CREDENTIAL_FILENAME, credential_jws.encode())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def credential_from_pdf(pdf: bytes) -> str | None:
    """The credential embedded in a certificate PDF, if there is one."""
    reader = PdfReader(io.BytesIO(pdf))
    data = reader.attachments.get(CREDENTIAL_FILENAME)
    return data[0].decode() if data else None
