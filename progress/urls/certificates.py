from django.urls import path

from progress.views import certificates

urlpatterns = [
    path("certificates/<str:code>/", certificates.verify, name="certificate_verify"),
    path("certificates/<str:code>/pdf/", certificates.pdf, name="certificate_pdf"),
    path("certificates/<str:code>/pdf/view/", certificates.pdf_view, name="certificate_pdf_view"),
    path("topics/<slug:topic_slug>/certificate/", certificates.certificate_moment, name="certificate_moment"),
    path("certificates/<str:code>/credential/", certificates.credential, name="certificate_credential"),
    path(".well-known/jwks.json", certificates.jwks, name="jwks"),
    path("credentials/status/<int:list_id>/", certificates.status_list_credential, name="status_list"),
]
