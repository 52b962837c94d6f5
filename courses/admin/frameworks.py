"""The frameworks, their items and mappings, read-only: they come from the track files."""

from django.contrib import admin

from courses.models import Framework, FrameworkItem, FrameworkMapping


class ReadOnlyFromFiles(admin.ModelAdmin):
    """Frameworks, items and mappings come from fixtures/frameworks/ and the track's front matter; the
    admin only shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyFromFiles):
    list_display = ["short_title", "key", "edition", "position"]


@admin.register(FrameworkItem)
class FrameworkItemAdmin(ReadOnlyFromFiles):
    list_display = ["label", "title", "framework", "kind", "is_mappable"]
    list_filter = ["framework", "kind", "is_mappable"]
    search_fields = ["code", "label", "title", "description"]
    list_select_related = ["framework"]


@admin.register(FrameworkMapping)
class FrameworkMappingAdmin(ReadOnlyFromFiles):
    list_display = ["item", "topic", "lesson"]
    list_filter = ["item__framework"]
    search_fields = ["item__label", "topic__title", "lesson__title"]
    list_select_related = ["item", "topic", "lesson"]
