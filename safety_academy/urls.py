"""URLs: the pages of each app, the API, accounts (allauth) and the admin."""

from django.contrib import admin
from django.urls import include, path

from progress.views import accounts
from safety_academy import api, views

handler400 = "safety_academy.views.bad_request"
handler403 = "safety_academy.views.permission_denied"
handler404 = "safety_academy.views.page_not_found"
handler500 = "safety_academy.views.server_error"

admin.site.site_header = "Safety Academy administration"
admin.site.site_title = "Safety Academy admin"

urlpatterns = [
    path("admin/login/", views.admin_login, name="admin_login"),
    path("admin/password_change/", views.admin_password_change, name="admin_password_change"),
    path("admin/", admin.site.urls),
    # Before allauth's own: a confirmation link opened twice says "already confirmed".
    path("accounts/confirm-email/<str:key>/", accounts.confirm_email, name="account_confirm_email"),
    path("accounts/", include("allauth.urls")),
    path("livez", views.livez, name="livez"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    *api.urlpatterns,
    path("", include("quizzes.urls")),
    path("", include("progress.urls")),
    path("", include("courses.urls")),
]
