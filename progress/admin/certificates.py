"""Admin for certificates: read-only records, revoked with a reason (through the service)."""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect, render

from progress.models import Certificate
from progress.services.certificates import certificate_revoke


class RevokeForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Reason for revocation")


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["code", "user", "topic", "status", "issued_at", "revoked_at"]
    list_filter = ["status"]
    search_fields = ["code", "user__email", "holder_name", "topic__title"]
    list_select_related = ["user", "topic"]
    readonly_fields = [
        "user",
        "topic",
        "code",
        "status",
        "holder_name",
        "title",
        "created_at",
        "issued_at",
        "pdf",
        "credential",
        "error",
        "tries",
        "revoked_at",
        "revoked_reason",
        "status_list",
        "status_index",
        "credential_reissued_at",
    ]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Revoke the selected certificates (asks for a reason)")
    def revoke(self, request, queryset):
        if "apply" in request.POST:
            form = RevokeForm(request.POST)
            if form.is_valid():
                for certificate in queryset:
                    certificate_revoke(certificate=certificate, reason=form.cleaned_data["reason"])
                self.message_user(request, f"Revoked {queryset.count()} certificate(s).", messages.SUCCESS)
                return redirect(request.get_full_path())
        else:
            form = RevokeForm()
        return render(
            request,
            "admin/progress/certificate/revoke.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "certificates": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )
