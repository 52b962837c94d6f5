"""Certificates in public: the verification page, the PDF (download or view), the signed credential, the key set;
and, for the learner, the certificate part of the moment they pass a quiz."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django_htmx.http import HTMX_STOP_POLLING

from courses.models import Topic
from courses.selectors import topic_get
from progress import credentials
from progress.models import Certificate
from progress.selectors.certificates import certificate_public, pass_moment


def _certificate_or_404(code: str) -> Certificate:
    try:
        return certificate_public(code=code)
    except Certificate.DoesNotExist:
        raise Http404("No certificate has this code. Check it was copied in full.") from None


def verify(request, code: str):
    certificate = _certificate_or_404(code)
    return render(request, "progress/certificates/verify.html", {"certificate": certificate})


def _pdf_response(code: str, *, as_attachment: bool) -> FileResponse:
    certificate = _certificate_or_404(code)
    if not certificate.pdf:
        raise Http404("This certificate has no PDF.")
    try:
        handle = certificate.pdf.open("rb")
    except FileNotFoundError:
        raise Http404("This certificate's PDF is not available right now.") from None
    return FileResponse(
        handle,
        content_type="application/pdf",
        as_attachment=as_attachment,
        filename=f"certificate-{certificate.code}.pdf",
    )


def pdf(request, code: str):
    """The PDF as a download (Content-Disposition: attachment)."""
    return _pdf_response(code, as_attachment=True)


def pdf_view(request, code: str):
    """The same PDF shown in the browser."""
    return _pdf_response(code, as_attachment=False)


@login_required
def certificate_moment(request, topic_slug: str):
    """The certificate part of the pass moment, polled by htmx while the certificate is being prepared."""
    try:
        topic = topic_get(user=request.user, slug=topic_slug)
    except Topic.DoesNotExist:
        raise Http404("No such topic.") from None
    moment = pass_moment(user=request.user, topic=topic)
    response = render(request, "progress/certificates/_moment_body.html", {"moment": moment})
    if not moment.preparing:
        response.status_code = HTMX_STOP_POLLING  # htmx swaps this body in and stops asking
    return response


def credential(request, code: str):
    certificate = _certificate_or_404(code)
    if not certificate.credential:
        raise Http404("This certificate has no signed credential.")
    response = HttpResponse(certificate.credential, content_type="application/vc+jwt")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.jwt"'
    return response


@cache_control(public=True, max_age=3600)
def jwks(request):
    return JsonResponse(credentials.jwks())
