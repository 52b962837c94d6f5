"""Certificates: a learner's own, and public verification by code."""

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from progress.models import Certificate
from progress.selectors import certificates as certificate_selectors
from safety_academy.api_support import errors


class CertificateSerializer(serializers.ModelSerializer):
    topic = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    verification_url = serializers.CharField(read_only=True)
    pdf_url = serializers.SerializerMethodField()
    credential_url = serializers.SerializerMethodField()
    expired = serializers.BooleanField(read_only=True, help_text="Past valid_until (expired is not revoked).")

    class Meta:
        model = Certificate
        fields = [
            "code",
            "topic",
            "title",
            "holder_name",
            "status",
            "issued_at",
            "valid_until",
            "expired",
            "revoked_at",
            "revoked_reason",
            "verification_url",
            "pdf_url",
            "credential_url",
        ]

    def get_pdf_url(self, obj) -> str | None:
        return obj.pdf_url if obj.pdf else None

    def get_credential_url(self, obj) -> str | None:
        return obj.credential_url if obj.credential else None


class PublicCertificateSerializer(CertificateSerializer):
    class Meta(CertificateSerializer.Meta):
        fields = [
            "code",
            "title",
            "holder_name",
            "status",
            "issued_at",
            "valid_until",
            "expired",
            "revoked_at",
            "verification_url",
            "pdf_url",
            "credential_url",
        ]


@extend_schema_view(
    list=extend_schema(responses={200: CertificateSerializer(many=True), **errors(401, 403)}),
    retrieve=extend_schema(responses={200: CertificateSerializer, **errors(401, 403, 404)}),
)
class CertificateViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CertificateSerializer
    lookup_field = "code"

    def get_queryset(self):
        return certificate_selectors.certificates_of(user=self.request.user)


class CertificateVerifyView(APIView):
    """Public verification of a certificate by its code."""

    permission_classes = [permissions.AllowAny]
    serializer_class = PublicCertificateSerializer

    @extend_schema(responses={200: PublicCertificateSerializer, **errors(404)})
    def get(self, request, code: str):
        try:
            certificate = certificate_selectors.certificate_public(code=code)
        except Certificate.DoesNotExist:
            raise Http404("No certificate has this code.") from None
        return Response(PublicCertificateSerializer(certificate).data)
