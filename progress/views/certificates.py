"""Certificates in public: the verification page, the PDF, the signed credential, the key set."""

from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from progress import credentials
from progress.models import Certificate
from progress.selectors.certificates import certificate_public


def _certificate_or_404(code: str) -> Certificate:
    try:
        return certificate_public(code=code)
    except Certificate.DoesNotExist:
        raise Http404("No certificate has this code. Check it was copied in full.") from None


@require_safe
def verify(request, code: str):
    certificate = _certificate_or_404(code)
    return render(request, "progress/certificates/verify.html", {"certificate": certificate})


@require_safe
def pdf(request, code: str):
    certificate = _certificate_or_404(code)
    if not certificate.pdf:
        raise Http404("This certificate has no PDF.")
    try:
        handle = certificate.pdf.open("rb")
    except FileNotFoundError:
        raise Http404("This certificate's PDF is not available right now.") from None
    return FileResponse(handle, content_type="application/pdf", filename=f"certificate-{certificate.code}.pdf")


@require_safe
def credential(request, code: str):
    certificate = _certificate_or_404(code)
    if not certificate.credential:
        raise Http404("This certificate has no signed credential.")
    response = HttpResponse(certificate.credential, content_type="application/vc+jwt")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.jwt"'
    return response


@require_safe
@cache_control(public=True, max_age=3600)
def jwks(request):
    return JsonResponse(credentials.jwks())
