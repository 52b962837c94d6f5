"""Curating the catalogue: categories, topics with their lessons inline, lessons with a preview; the
frameworks and their mappings, read-only (they come from the track files)."""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from courses.models import Category, Framework, FrameworkItem, FrameworkMapping, Lesson, Topic, Track
from courses.services import topic_set_publish
from progress.services.content import lessons_publish


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ["title", "slug"]
    readonly_fields = ["rendered_body"]

    @admin.display(description="Preview")
    def rendered_body(self, obj):
        return mark_safe(obj.body_html)


class TopicInline(admin.TabularInline):
    model = Topic
    fields = ["position", "title", "slug", "is_published"]
    extra = 0
    show_change_link = True
    ordering = ["position"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "position"]
    search_fields = ["title", "summary"]
    ordering = ["position"]
    inlines = [TopicInline]


class LessonInline(admin.TabularInline):
    model = Lesson
    fields = ["position", "title", "slug", "minutes", "is_published"]
    extra = 0
    show_change_link = True
    ordering = ["position"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "position", "is_published", "updated_at"]
    list_filter = ["category", "is_published"]
    search_fields = ["title", "summary", "body_markdown"]
    ordering = ["category__position", "position"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [LessonInline]
    readonly_fields = ["rendered_body"]
    list_select_related = ["category"]

    actions = ["publish", "unpublish"]

    @admin.display(description="Preview")
    def rendered_body(self, obj):
        return mark_safe(f'<div class="lesson-body">{obj.body_html}</div>')

    # Publishing goes through the service (actions), not list_editable, so every write is a service call.
    @admin.action(description="Publish the selected topics")
    def publish(self, request, queryset):
        n = topic_set_publish(topic_ids=list(queryset.values_list("pk", flat=True)), published=True)
        self.message_user(request, f"{n} topic(s) published.", messages.SUCCESS)

    @admin.action(description="Hide (unpublish) the selected topics")
    def unpublish(self, request, queryset):
        n = topic_set_publish(topic_ids=list(queryset.values_list("pk", flat=True)), published=False)
        self.message_user(request, f"{n} topic(s) hidden from learners.", messages.SUCCESS)


class ObjectivesField(forms.CharField):
    """Objectives edited one per line, stored as a list."""

    widget = forms.Textarea(attrs={"rows": 5})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class LessonForm(forms.ModelForm):
    objectives = ObjectivesField(required=False, help_text="One objective per line: what a reader can do afterwards.")

    class Meta:
        model = Lesson
        fields = ["topic", "title", "slug", "position", "minutes", "is_published", "objectives", "body_markdown"]


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    form = LessonForm
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 30, "cols": 100})}}
    list_display = ["title", "topic", "position", "minutes", "is_published", "updated_at"]
    list_filter = ["is_published", "topic__category", "topic"]
    search_fields = ["title", "body_markdown", "topic__title"]
    ordering = ["topic__category__position", "topic__position", "position"]
    list_select_related = ["topic"]
    readonly_fields = ["preview", "updated_at", "view_on_site_link"]
    fieldsets = [
        (None, {"fields": ["topic", "title", "slug", "position", "minutes", "is_published", "objectives"]}),
        ("Body", {"fields": ["body_markdown"]}),
        ("Preview (as learners see it, after saving)", {"fields": ["preview", "view_on_site_link", "updated_at"]}),
    ]
    actions = ["publish", "unpublish"]

    def save_model(self, request, obj, form, change):
        """Content edits save here; a change of the published flag goes through the publishing service,
        which also catches up completions a hidden lesson makes true."""
        published = obj.is_published
        if change and "is_published" in form.changed_data:
            obj.is_published = not published
        super().save_model(request, obj, form, change)
        if change and "is_published" in form.changed_data:
            lessons_publish(lesson_ids=[obj.pk], published=published)
            obj.is_published = published

    @admin.display(description="Rendered body")
    def preview(self, obj):
        if not obj.pk:
            return "Save the lesson to see its rendered body."
        return mark_safe(f'<div class="lesson-body">{obj.body_html}</div>')

    @admin.display(description="On the site")
    def view_on_site_link(self, obj):
        if not obj.pk:
            return "-"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.get_absolute_url())

    @admin.action(description="Publish the selected lessons")
    def publish(self, request, queryset):
        n = lessons_publish(lesson_ids=list(queryset.values_list("pk", flat=True)), published=True)
        self.message_user(request, f"{n} lesson(s) published.", messages.SUCCESS)

    @admin.action(description="Hide (unpublish) the selected lessons")
    def unpublish(self, request, queryset):
        n = lessons_publish(lesson_ids=list(queryset.values_list("pk", flat=True)), published=False)
        self.message_user(request, f"{n} lesson(s) hidden from learners.", messages.SUCCESS)


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
