"""Certificates in public: the verification page, the PDF (download or view), the signed credential, the
key set and the revocation lists; and, for the learner, the certificate part of the moment they pass a quiz."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django_htmx.http import HTMX_STOP_POLLING

from courses.models import Topic
from courses.selectors import topic_get
from progress import credentials, signing_keys, status_list
from progress.models import Certificate, StatusList
from progress.selectors.certificates import certificate_public, pass_moment, status_list_get
from safety_academy.links import absolute_url

KEYS_MAX_AGE = 300  # a rotated key reaches verifiers within five minutes


def _certificate_or_404(code: str) -> Certificate:
    try:
        return certificate_public(code=code)
    except Certificate.DoesNotExist:
        raise Http404("No certificate has this code. Check it was copied in full.") from None


@require_safe
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


@require_safe
def pdf(request, code: str):
    """The PDF as a download (Content-Disposition: attachment)."""
    return _pdf_response(code, as_attachment=True)


@require_safe
def pdf_view(request, code: str):
    """The same PDF shown in the browser."""
    return _pdf_response(code, as_attachment=False)


@require_safe
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


@require_safe
def credential(request, code: str):
    certificate = _certificate_or_404(code)
    if not certificate.credential:
        raise Http404("This certificate has no signed credential.")
    response = HttpResponse(certificate.credential, content_type="application/vc+jwt")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.jwt"'
    return response


def _no_signing_key() -> JsonResponse:
    """503, not 500: the site is up but cannot vouch for its credentials until a key is configured."""
    return JsonResponse(
        {
            "error": "no_signing_key",
            "detail": signing_keys.signing_key_problem() or "No certificate signing key is configured.",
            "fix": f"An administrator runs `{signing_keys.FIX_COMMAND}` (or sets CERTIFICATE_SIGNING_KEY).",
        },
        status=503,
        headers={"Retry-After": "300", "Cache-Control": "no-store"},
    )


@require_safe
def jwks(request):
    keys = credentials.jwks()
    if not keys["keys"]:
        return _no_signing_key()
    response = JsonResponse(keys)
    response["Cache-Control"] = f"public, max-age={KEYS_MAX_AGE}"
    response["Access-Control-Allow-Origin"] = "*"  # public keys: a verifier in any browser may read them
    return response


@require_safe
def status_list_credential(request, list_id: int):
    """The signed W3C Bitstring Status List credential: verifiers fetch it to see if a credential is revoked."""
    try:
        listed = status_list_get(list_id=list_id)
    except StatusList.DoesNotExist:
        raise Http404("No status list has this number.") from None
    try:
        jws = credentials.status_list_jws(
            list_url=absolute_url(listed.get_absolute_url()), bits=listed.bits, valid_from=listed.updated_at
        )
    except signing_keys.SigningKeyMissing:
        return _no_signing_key()
    response = HttpResponse(jws, content_type="application/vc+jwt")
    # Short, and equal to the list's own `ttl`: a revocation reaches verifiers within minutes.
    response["Cache-Control"] = f"public, max-age={status_list.TTL_SECONDS}"
    response["Access-Control-Allow-Origin"] = "*"  # public, and fetched by verifiers on other sites
    return response
