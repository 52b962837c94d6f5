"""The track, categories and topics (with their lessons inline and up/down ordering)."""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.utils.safestring import mark_safe

from courses.admin.lessons import move_buttons
from courses.admin.source import ADMIN_MEDIA_CSS, ChangedSinceLoadedFilter, source_marker, source_status
from courses.models import Category, Lesson, Topic, Track
from courses.services import topic_recertification_require, topic_set_publish


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


# --- Where a row stands against its file -------------------------------------------------------------------


class LessonInline(admin.TabularInline):
    model = Lesson
    fields = ["order", "title", "minutes", "is_published", "source"]
    readonly_fields = ["order", "source"]
    extra = 0
    show_change_link = True
    ordering = ["position"]
    formfield_overrides = {models.CharField: {"widget": forms.TextInput(attrs={"size": 48})}}

    def has_add_permission(self, request, obj=None):
        return False  # a lesson is added from its own form, which has the editor and the preview

    @admin.display(description="Order")
    def order(self, obj):
        return move_buttons(obj)

    @admin.display(description="Files")
    def source(self, obj):
        return source_marker(obj)


class TopicAdminForm(forms.ModelForm):
    requires_recertification = forms.BooleanField(
        required=False,
        label="Requires recertification",
        help_text="Tick when this save changes what the topic teaches materially: the content version goes up, "
        "holders of a certificate for an earlier version are told to renew, and leads see who they are.",
    )

    class Meta:
        model = Topic
        fields = ["title", "slug", "category", "position", "is_published", "summary", "body_markdown"]
        fields += ["validity_months"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    form = TopicAdminForm
    list_display = ["title", "category", "position", "is_published", "source", "updated_at"]
    list_filter = ["category", "is_published", ChangedSinceLoadedFilter]
    search_fields = ["title", "summary", "body_markdown"]
    ordering = ["category__position", "position"]
    inlines = [LessonInline]
    list_select_related = ["category"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "position", "is_published", "summary"]}),
        ("Certificates", {"fields": ["validity_months", "content_version", "requires_recertification"]}),
        ("Overview", {"fields": ["body_markdown"]}),
        ("Preview and files", {"fields": ["rendered_body", "source_status_text", "updated_at"]}),
    ]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 12, "class": "markdown-editor"})},
    }
    actions = ["publish", "unpublish"]

    class Media:
        css = ADMIN_MEDIA_CSS

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "summary":  # a sentence or two of plain text, not Markdown
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        readonly = ["rendered_body", "source_status_text", "updated_at", "content_version"]
        # A topic loaded from the files is its folder: its slug and category are the folder's name and place.
        return readonly + (["slug", "category"] if obj is not None and obj.from_file else [])

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None and obj.from_file else {"slug": ["title"]}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and form.cleaned_data.get("requires_recertification"):
            version = topic_recertification_require(topic_id=obj.pk)
            self.message_user(
                request,
                f"Content version {version}: holders of earlier certificates will be asked to renew.",
                messages.WARNING,
            )

    @admin.display(description="Preview")
    def rendered_body(self, obj):
        return mark_safe(f'<div class="lesson-body">{obj.body_html}</div>')

    @admin.display(description="Track files")
    def source_status_text(self, obj):
        return source_status(obj)

    @admin.display(description="Files")
    def source(self, obj):
        return source_marker(obj)

    # Publishing goes through the service (actions), not list_editable, so every write is a service call.
    @admin.action(description="Publish the selected topics")
    def publish(self, request, queryset):
        n = topic_set_publish(topic_ids=list(queryset.values_list("pk", flat=True)), published=True)
        self.message_user(request, f"{n} topic(s) published.", messages.SUCCESS)

    @admin.action(description="Hide (unpublish) the selected topics")
    def unpublish(self, request, queryset):
        n = topic_set_publish(topic_ids=list(queryset.values_list("pk", flat=True)), published=False)
        self.message_user(request, f"{n} topic(s) hidden from learners.", messages.SUCCESS)


# --- Lessons ---------------------------------------------------------------------------------------------
