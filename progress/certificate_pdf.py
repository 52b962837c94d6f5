"""The certificate as a PDF: one landscape A4 page drawn with ReportLab, with a QR code for the
public verification page, and the signed credential embedded as a file attachment (pypdf)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

ACCENT = HexColor("#1f5fbf")
INK = HexColor("#1b1f24")
MUTED = HexColor("#57606a")
CREDENTIAL_FILENAME = "credential.jwt"


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


def _fit(c: canvas.Canvas, text: str, font: str, size: float, max_width: float) -> float:
    """The largest font size up to `size` at which `text` fits in `max_width`."""
    while size > 10 and c.stringWidth(text, font, size) > max_width:
        size -= 1
    return size


def render_certificate_pdf(content: CertificateContent) -> bytes:
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
    c.setFont("Helvetica-Bold", 14)
    c.drawCentredString(width / 2, height - 38 * mm, content.issuer.upper())
    c.setFillColor(INK)
    c.setFont("Helvetica", 30)
    c.drawCentredString(width / 2, height - 58 * mm, "Certificate of completion")
    c.setFillColor(MUTED)
    c.setFont("Helvetica", 13)
    c.drawCentredString(width / 2, height - 74 * mm, "This certifies that")
    c.setFillColor(INK)
    name_size = _fit(c, content.holder_name, "Helvetica-Bold", 28, width - 60 * mm)
    c.setFont("Helvetica-Bold", name_size)
    c.drawCentredString(width / 2, height - 90 * mm, content.holder_name)
    c.setFillColor(MUTED)
    c.setFont("Helvetica", 13)
    lead = f"has completed the {content.track_title} track" if content.kind == "track" else "has completed the topic"
    c.drawCentredString(width / 2, height - 104 * mm, lead)
    c.setFillColor(ACCENT)
    title_size = _fit(c, content.title, "Helvetica-Bold", 22, width - 60 * mm)
    c.setFont("Helvetica-Bold", title_size)
    c.drawCentredString(width / 2, height - 118 * mm, content.title)
    if content.kind == "topic":
        c.setFillColor(MUTED)
        c.setFont("Helvetica", 12)
        c.drawCentredString(width / 2, height - 129 * mm, f"of the {content.track_title} track")

    c.setFillColor(INK)
    c.setFont("Helvetica", 11)
    c.drawString(28 * mm, 44 * mm, f"Issued on {content.issued_on}")
    c.drawString(28 * mm, 37 * mm, f"Certificate code: {content.code}")
    c.setFillColor(MUTED)
    c.setFont("Helvetica", 9)
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


def credential_from_pdf(pdf: bytes) -> str | None:
    """The credential embedded in a certificate PDF, if there is one."""
    reader = PdfReader(io.BytesIO(pdf))
    data = reader.attachments.get(CREDENTIAL_FILENAME)
    return data[0].decode() if data else None
