"""Admin for teams (members and assignments inline) and invitations."""

from django.contrib import admin

from progress.models import Assignment, Invitation, Team, TeamMembership


class MembershipInline(admin.TabularInline):
    model = TeamMembership
    fields = ["user", "role", "joined_at"]
    readonly_fields = ["joined_at"]
    autocomplete_fields = ["user"]
    extra = 1


class AssignmentInline(admin.TabularInline):
    model = Assignment
    fields = ["topic", "due_on", "lead_days", "assigned_by"]
    extra = 0


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "default_lead_days", "created_at"]
    fields = ["name", "slug", "default_lead_days"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline, AssignmentInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "team", "created_at", "expires_at", "accepted_at", "revoked_at"]
    search_fields = ["email", "team__name"]
    list_filter = ["team"]
