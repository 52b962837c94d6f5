"""Admin for learner records: profiles, enrolments, lesson progress, topic completions."""

from django.contrib import admin

from progress.models import Enrollment, LessonProgress, Profile, TopicCompletion


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
