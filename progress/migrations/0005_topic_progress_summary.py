"""The learner x topic summary (TopicProgress), filled from the lesson rows, attempts and enrolments."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Count, Max, Q


def backfill(apps, schema_editor):
    """The same sums as progress.services.summary.summaries_from_rows, with the historical models."""
    LessonProgress = apps.get_model("progress", "LessonProgress")
    Enrollment = apps.get_model("progress", "Enrollment")
    TopicProgress = apps.get_model("progress", "TopicProgress")
    Attempt = apps.get_model("quizzes", "Attempt")
    found = {}

    def entry(key):
        return found.setdefault(key, {"lessons_done": 0, "lessons_opened": 0, "quiz_attempts": 0, "quiz_best": None,
                                      "quiz_passed": False, "enrolled": False, "last_activity": None})

    def later(*moments):
        present = [m for m in moments if m is not None]
        return max(present) if present else None

    for row in (
        LessonProgress.objects.filter(lesson__is_published=True)
        .values("user_id", "lesson__topic_id")
        .annotate(done=Count("id", filter=Q(completed_at__isnull=False)), opened=Count("id"),
                  last_opened=Max("last_opened_at"), last_completed=Max("completed_at"))
    ):
        item = entry((row["user_id"], row["lesson__topic_id"]))
        item.update(lessons_done=row["done"], lessons_opened=row["opened"])
        item["last_activity"] = later(row["last_opened"], row["last_completed"])
    for row in (
        Attempt.objects.filter(submitted_at__isnull=False)
        .values("user_id", "quiz__topic_id")
        .annotate(n=Count("id"), best=Max("score_percent"), passed_n=Count("id", filter=Q(passed=True)),
                  last=Max("submitted_at"))
    ):
        item = entry((row["user_id"], row["quiz__topic_id"]))
        item.update(quiz_attempts=row["n"], quiz_best=row["best"], quiz_passed=row["passed_n"] > 0)
        item["last_activity"] = later(item["last_activity"], row["last"])
    for user_id, topic_id in Enrollment.objects.values_list("user_id", "topic_id"):
        entry((user_id, topic_id))["enrolled"] = True
    TopicProgress.objects.bulk_create(
        [TopicProgress(user_id=u, topic_id=t, **fields) for (u, t), fields in found.items()], batch_size=2000
    )


class Migration(migrations.Migration):

    dependencies = [
        ('courses', '0006_topic_validity_and_content_version'),
        ('progress', '0004_certificate_expiry_and_renewal'),
        ('quizzes', '0002_attempt_draw_tokens_cooldown_resets'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='TopicProgress',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('lessons_done', models.PositiveIntegerField(default=0)),
                ('lessons_opened', models.PositiveIntegerField(default=0, help_text='Published lessons opened or done.')),
                ('quiz_attempts', models.PositiveIntegerField(default=0, help_text="Submitted attempts at the topic's quiz.")),
                ('quiz_best', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('quiz_passed', models.BooleanField(default=False)),
                ('enrolled', models.BooleanField(default=False)),
                ('last_activity', models.DateTimeField(blank=True, null=True)),
                ('topic', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='learner_progress', to='courses.topic')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='topic_progress', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name_plural': 'topic progress',
                'indexes': [models.Index(fields=['topic', 'user'], name='progress_to_topic_i_302cf5_idx')],
                'constraints': [models.UniqueConstraint(fields=('user', 'topic'), name='one_progress_summary_per_topic')],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
