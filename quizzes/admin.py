"""Curating quizzes (questions with their choices inline, validated like the track files) and a
read-only view of attempts."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from courses.models import Lesson
from quizzes.models import Answer, Attempt, Choice, Question, Quiz
from quizzes.services import quiz_validate_question


class ChoiceInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kind = self.instance.kind
        choices = [
            (form.cleaned_data["text"], form.cleaned_data.get("is_correct", False))
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            quiz_validate_question(kind=kind, choices=choices)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ChoiceInlineFormSet
    fields = ["position", "text", "is_correct"]
    extra = 0
    ordering = ["position"]


class QuestionInline(admin.StackedInline):
    model = Question
    fields = ["position", "kind", "lesson", "prompt", "explanation", "is_active"]
    extra = 0
    show_change_link = True
    ordering = ["position"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "lesson":
            quiz_id = request.resolver_match.kwargs.get("object_id")
            qs = Lesson.objects.select_related("topic")
            kwargs["queryset"] = qs.filter(topic__quiz__pk=quiz_id) if quiz_id else qs.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ["topic", "pass_percent", "max_attempts", "shuffle", "is_published", "updated_at"]
    list_filter = ["is_published", "topic__category"]
    search_fields = ["topic__title"]
    list_select_related = ["topic"]
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["prompt_short", "quiz", "kind", "position", "is_active"]
    list_filter = ["kind", "is_active", "quiz__topic__category"]
    search_fields = ["prompt", "explanation"]
    list_select_related = ["quiz__topic"]
    inlines = [ChoiceInline]

    @admin.display(description="Prompt")
    def prompt_short(self, obj):
        return obj.prompt[:90]


class AnswerInline(admin.TabularInline):
    model = Answer
    fields = ["question", "is_correct", "chosen"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    @admin.display(description="Chosen")
    def chosen(self, obj):
        return "; ".join(c.text for c in obj.choices.all())

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    """Attempts are records: viewable, never edited."""

    list_display = ["user", "quiz", "started_at", "submitted_at", "score_percent", "passed"]
    list_filter = ["passed", "quiz__topic__category"]
    search_fields = ["user__email", "quiz__topic__title"]
    list_select_related = ["user", "quiz__topic"]
    inlines = [AnswerInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.method in ("GET", "HEAD") and super().has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False
