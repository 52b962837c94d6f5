"""Curating quizzes (questions with their choices inline, validated like the track files), a read-only
view of attempts with an action that grants learners a reset (with a reason), and the resets granted."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from courses.models import Lesson
from progress.services.assessment import quiz_reset_grant
from quizzes.models import Answer, Attempt, AttemptReset, Choice, Question, Quiz
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
    list_display = [
        "topic",
        "pass_percent",
        "draw_size",
        "max_attempts",
        "cooldown_failures",
        "cooldown_hours",
        "is_published",
        "updated_at",
    ]
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


class RecordAdmin(admin.ModelAdmin):
    """Records (attempts, resets) are evidence: viewable, never added, edited or deleted in the admin."""

    def get_readonly_fields(self, request, obj=None):
        return self.fields or [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.method in ("GET", "HEAD") and super().has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


class ResetForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Reason for the reset")


@admin.register(Attempt)
class AttemptAdmin(RecordAdmin):
    """Attempts are records: viewable, never edited. The action grants the learners a reset."""

    list_display = ["user", "quiz", "started_at", "submitted_at", "score_percent", "passed"]
    list_filter = ["passed", "quiz__topic__category"]
    search_fields = ["user__email", "quiz__topic__title"]
    list_select_related = ["user", "quiz__topic"]
    # The tokens and the key stay out of the page: they are the attempt's internals, not its record.
    fields = [
        "user",
        "quiz",
        "started_at",
        "submitted_at",
        "pass_percent",
        "score_percent",
        "correct_count",
        "passed",
        "question_order",
    ]
    inlines = [AnswerInline]
    actions = ["grant_reset"]

    @admin.action(description="Grant the learners of the selected attempts a reset (asks for a reason)")
    def grant_reset(self, request, queryset):
        pairs = sorted(
            {(a.user, a.quiz) for a in queryset.select_related("user", "quiz__topic")},
            key=lambda pair: (pair[0].email, pair[1].pk),
        )
        if "apply" in request.POST:
            form = ResetForm(request.POST)
            if form.is_valid():
                granted = 0
                for learner, quiz in pairs:
                    try:
                        quiz_reset_grant(
                            granted_by=request.user, learner=learner, quiz=quiz, reason=form.cleaned_data["reason"]
                        )
                        granted += 1
                    except (ValidationError, PermissionDenied) as exc:
                        detail = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                        self.message_user(request, f"{learner.email}, {quiz.topic.title}: {detail}", messages.WARNING)
                if granted:
                    self.message_user(request, f"Granted {granted} reset(s).", messages.SUCCESS)
                return redirect(request.get_full_path())
        else:
            form = ResetForm()
        return render(
            request,
            "admin/quizzes/attempt/reset.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "pairs": pairs,
                "attempts": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(AttemptReset)
class AttemptResetAdmin(RecordAdmin):
    """Resets are evidence: granted from the attempts list (or by a lead), never edited here."""

    list_display = ["user", "quiz", "granted_at", "granted_by", "granted_as", "reason"]
    list_filter = ["quiz__topic__category"]
    search_fields = ["user__email", "granted_by__email", "quiz__topic__title", "reason"]
    list_select_related = ["user", "granted_by", "quiz__topic"]
