"""Admin for learner records, teams (members inline) and certificates (revocation with a reason)."""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect, render

from progress.models import (
    Assignment,
    Certificate,
    Enrollment,
    Invitation,
    LessonProgress,
    Profile,
    Team,
    TeamMembership,
    TopicCompletion,
)
from progress.services.certificates import certificate_revoke


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "full_name"]
    search_fields = ["user__email", "full_name"]


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["user", "topic", "enrolled_at"]
    search_fields = ["user__email", "topic__title"]
    list_select_related = ["user", "topic"]


@admin.register(LessonProgress)
class LessonProgressAdmin(admin.ModelAdmin):
    list_display = ["user", "lesson", "first_opened_at", "last_opened_at", "completed_at"]
    search_fields = ["user__email", "lesson__title"]
    list_select_related = ["user", "lesson"]


@admin.register(TopicCompletion)
class TopicCompletionAdmin(admin.ModelAdmin):
    list_display = ["user", "topic", "completed_at", "content_version"]
    search_fields = ["user__email", "topic__title"]
    list_select_related = ["user", "topic"]


class MembershipInline(admin.TabularInline):
    model = TeamMembership
    fields = ["user", "role", "joined_at"]
    readonly_fields = ["joined_at"]
    autocomplete_fields = ["user"]
    extra = 1


class AssignmentInline(admin.TabularInline):
    model = Assignment
    fields = ["topic", "due_on", "assigned_by"]
    extra = 0


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline, AssignmentInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "team", "created_at", "expires_at", "accepted_at", "revoked_at"]
    search_fields = ["email", "team__name"]
    list_filter = ["team"]


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
