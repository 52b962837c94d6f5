"""Lessons: a Markdown editor with a live preview as learners see it, moving, publishing."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import path, reverse, reverse_lazy
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from courses.admin.source import ADMIN_MEDIA_CSS, ChangedSinceLoadedFilter, source_marker, source_status
from courses.models import Lesson, Topic
from courses.services import lesson_move
from progress.services.content import lessons_publish
from safety_academy.markdown import render_markdown


def move_buttons(lesson: Lesson):
    """Up and down buttons that post (with the page's own form and CSRF token) to the lesson's move action."""
    if not lesson.pk:
        return "-"
    buttons = [
        format_html(
            '<button type="submit" class="move-button" formaction="{}" formmethod="post" formnovalidate '
            'aria-label="Move {} {}" title="Move {}">{}</button>',
            reverse("admin:courses_lesson_move", args=[lesson.pk, direction]),
            lesson.title,
            direction,
            direction,
            arrow,
        )
        for direction, arrow in (("up", "↑"), ("down", "↓"))
    ]
    return format_html(
        '<span class="move-buttons"><span class="position">{}</span>{}{}</span>', lesson.position, *buttons
    )


class ObjectivesField(forms.CharField):
    """Objectives edited one per line, stored as a list."""

    widget = forms.Textarea(attrs={"rows": 5})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


def markdown_source(text: str) -> str:
    """Markdown as the track's files hold it: LF line ends (browsers send CRLF), no blank lines on top."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").lstrip("\n")


# Any change to what the preview shows asks the server to render it again (htmx posts the whole form).
LIVE_PREVIEW = {
    "hx-post": reverse_lazy("admin:courses_lesson_preview"),
    "hx-trigger": "input changed delay:400ms",
    "hx-target": "#lesson-preview",
    "hx-swap": "outerHTML",
}


class LessonForm(forms.ModelForm):
    title = forms.CharField(max_length=200, widget=forms.TextInput(attrs={"class": "vLargeTextField", **LIVE_PREVIEW}))
    objectives = ObjectivesField(
        required=False,
        help_text="One objective per line: what a reader can do afterwards.",
        widget=forms.Textarea(attrs={"rows": 5, **LIVE_PREVIEW}),
    )
    body_markdown = forms.CharField(
        label="Body (Markdown)",
        required=False,
        strip=False,  # the file's text exactly, trailing newline included, so an unchanged save is no change
        widget=forms.Textarea(attrs={"rows": 28, "class": "markdown-editor", "spellcheck": "true", **LIVE_PREVIEW}),
    )

    class Meta:
        model = Lesson
        fields = ["topic", "title", "slug", "position", "minutes", "is_published", "objectives", "body_markdown"]

    def clean_body_markdown(self) -> str:
        return markdown_source(self.cleaned_data["body_markdown"])


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    form = LessonForm
    list_display = ["title", "topic", "order", "minutes", "is_published", "source", "updated_at"]
    list_display_links = ["title"]
    list_filter = ["is_published", ChangedSinceLoadedFilter, "topic__category", "topic"]
    search_fields = ["title", "body_markdown", "topic__title"]
    ordering = ["topic__category__position", "topic__position", "position"]
    list_select_related = ["topic"]
    list_per_page = 60
    fieldsets = [
        (None, {"fields": ["title", "topic", "slug", "position", "minutes", "is_published", "objectives"]}),
        ("Body", {"fields": ["body_markdown"], "classes": ["lesson-editor"]}),
        ("Preview, as learners see it", {"fields": ["preview", "source_status_text", "view_on_site_link"]}),
    ]
    actions = ["publish", "unpublish"]

    class Media:
        css = ADMIN_MEDIA_CSS
        js = ["js/htmx.min.js"]

    def get_readonly_fields(self, request, obj=None):
        readonly = ["preview", "source_status_text", "view_on_site_link", "updated_at"]
        if obj is None:
            return readonly
        # Order changes through the up/down buttons; a lesson from the files keeps its topic and slug (its file).
        return readonly + ["position"] + (["topic", "slug"] if obj.from_file else [])

    def get_urls(self):
        own = [
            # Both answer POST only, refused before the admin's own checks like every page of ours.
            path(
                "preview/", require_POST(self.admin_site.admin_view(self.preview_view)), name="courses_lesson_preview"
            ),
            path(
                "<int:lesson_id>/move/<str:direction>/",
                require_POST(self.admin_site.admin_view(self.move_view)),
                name="courses_lesson_move",
            ),
        ]
        return own + super().get_urls()

    def save_model(self, request, obj, form, change):
        """Content edits save here; a change of the published flag goes through the publishing service,
        which also catches up completions a hidden lesson makes true."""
        published = obj.is_published
        if change and "is_published" in form.changed_data:
            obj.is_published = not published
        if not change and not form.cleaned_data.get("position"):
            obj.position = (obj.topic.lessons.aggregate(last=models.Max("position"))["last"] or 0) + 1
        super().save_model(request, obj, form, change)
        if change and "is_published" in form.changed_data:
            lessons_publish(lesson_ids=[obj.pk], published=published)
            obj.is_published = published

    # The preview: the site's lesson template in a sandboxed frame, rendered by the one Markdown renderer.

    def preview_frame(self, request, lesson: Lesson, body_html: str) -> str:
        topic = lesson.topic if lesson.topic_id else None
        document = render_to_string(
            "courses/lesson_preview.html",
            {
                "lesson": lesson,
                "topic": topic,
                "lesson_count": topic.lessons.filter(is_published=True).count() if topic else 1,
                "body_html": body_html,
            },
            request=request,
        )
        return render_to_string("admin/courses/lesson/_preview_frame.html", {"document": document})

    @admin.display(description="Rendered")
    def preview(self, obj):
        lesson = obj if obj.pk else Lesson(title="", minutes=10, position=1)
        return mark_safe(self.preview_frame(None, lesson, lesson.body_html))

    def preview_view(self, request):
        """The live preview of the form as it stands (unsaved), for htmx: the frame, rendered again."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        minutes = request.POST.get("minutes", "")
        lesson = Lesson(
            title=request.POST.get("title", "")[:200],
            minutes=int(minutes) if minutes.isdigit() else 0,
            position=int(request.POST["position"]) if request.POST.get("position", "").isdigit() else 1,
            objectives=ObjectivesField().to_python(request.POST.get("objectives", "")),
        )
        topic_id = request.POST.get("topic", "")
        if topic_id.isdigit():
            lesson.topic = Topic.objects.filter(pk=topic_id).first()
        body_html = render_markdown(markdown_source(request.POST.get("body_markdown", "")))
        return HttpResponse(self.preview_frame(request, lesson, body_html))

    @admin.display(description="Track files")
    def source_status_text(self, obj):
        return source_status(obj)

    @admin.display(description="Files")
    def source(self, obj):
        return source_marker(obj)

    @admin.display(description="On the site")
    def view_on_site_link(self, obj):
        if not obj.pk:
            return "-"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.get_absolute_url())

    # Ordering: explicit up/down buttons, written through the service.

    @admin.display(description="Order")
    def order(self, obj):
        return move_buttons(obj)

    def move_view(self, request, lesson_id: int, direction: str):
        lesson = get_object_or_404(Lesson, pk=lesson_id)
        if not self.has_change_permission(request, lesson):
            raise PermissionDenied
        try:
            moved = lesson_move(lesson_id=lesson.pk, offset={"up": -1, "down": 1}.get(direction, 0))
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
        else:
            where = "first" if direction == "up" else "last"
            message = f"“{lesson.title}” moved {direction}." if moved else f"“{lesson.title}” is already {where}."
            self.message_user(request, message, messages.SUCCESS if moved else messages.INFO)
        back = request.headers.get("referer", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = reverse("admin:courses_lesson_changelist")
        return HttpResponseRedirect(back)

    @admin.action(description="Publish the selected lessons")
    def publish(self, request, queryset):
        n = lessons_publish(lesson_ids=list(queryset.values_list("pk", flat=True)), published=True)
        self.message_user(request, f"{n} lesson(s) published.", messages.SUCCESS)

    @admin.action(description="Hide (unpublish) the selected lessons")
    def unpublish(self, request, queryset):
        n = lessons_publish(lesson_ids=list(queryset.values_list("pk", flat=True)), published=False)
        self.message_user(request, f"{n} lesson(s) hidden from learners.", messages.SUCCESS)
