"""Where a row stands against its track file: the status text, the change list badge and the filter."""

from django.contrib import admin
from django.utils.html import format_html

from courses.models import LoadedContent

ADMIN_MEDIA_CSS = {"all": ["css/admin.css"]}


def source_status(obj: LoadedContent) -> str:
    if not obj.pk:
        return "New: export_track writes it to the track's files."
    if not obj.from_file:
        return "Made in the admin: export_track writes it to the track's files."
    if obj.changed_since_loaded:
        return "Changed since loaded from its file: load_track keeps it; export_track writes it back."
    return "As loaded from its file."


def source_marker(obj: LoadedContent):
    """The change list's column: a badge only where the row and its file differ."""
    if obj.from_file and not obj.changed_since_loaded:
        return "-"
    label = "changed since loaded" if obj.from_file else "not in the files"
    return format_html('<span class="source-badge" title="{}">{}</span>', source_status(obj), label)


class ChangedSinceLoadedFilter(admin.SimpleListFilter):
    title = "track files"
    parameter_name = "source"

    def lookups(self, request, model_admin):
        return [("changed", "Changed since loaded"), ("admin", "Not in the files"), ("same", "As loaded")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        # A fingerprint is computed in Python, so the filter reads each row's content once.
        wanted = {
            "changed": lambda row: row.from_file and row.changed_since_loaded,
            "admin": lambda row: not row.from_file,
            "same": lambda row: row.from_file and not row.changed_since_loaded,
        }[self.value()]
        return queryset.filter(pk__in=[row.pk for row in queryset.model.objects.all() if wanted(row)])


# --- Topics ----------------------------------------------------------------------------------------------
