"""The catalogue: the track's categories, topics and lessons, as loaded from fixtures/track/."""

from django.db import models
from django.urls import reverse

from courses.track import lesson_fingerprint, topic_fingerprint
from safety_academy.markdown import render_markdown


class MarkdownBody(models.Model):
    """A Markdown body and its sanitised HTML, rendered once, on save, by the one renderer."""

    body_markdown = models.TextField(blank=True)
    body_html = models.TextField(blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body_markdown)
        super().save(*args, **kwargs)


class LoadedContent(MarkdownBody):
    """Content that comes from the track files: published or hidden, and the fingerprint of its file.

    `source_hash` is the fingerprint of the file as it was last loaded; `content_fingerprint()` is the same
    fingerprint computed from the row as it is now. They differ when someone edited the row in the admin."""

    is_published = models.BooleanField(default=True)
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def content_fingerprint(self) -> str:
        raise NotImplementedError

    @property
    def from_file(self) -> bool:
        return bool(self.source_hash)

    @property
    def changed_since_loaded(self) -> bool:
        """Edited (in the admin) since it was loaded from its file, or never loaded from one."""
        return self.content_fingerprint() != self.source_hash


class Track(MarkdownBody):
    """The track itself (there is one): its title and introduction from track.md."""

    slug = models.SlugField(max_length=80, unique=True, default="ai-safety-engineering")
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.title


class Category(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.title


class Topic(LoadedContent):
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="topics")
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["category__position", "position", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("courses:topic", kwargs={"topic_slug": self.slug})

    def content_fingerprint(self) -> str:
        return topic_fingerprint(
            title=self.title, summary=self.summary, body=self.body_markdown, position=self.position
        )


class Lesson(LoadedContent):
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="lessons")
    slug = models.SlugField(max_length=120)
    title = models.CharField(max_length=200)
    objectives = models.JSONField(default=list, blank=True)
    minutes = models.PositiveSmallIntegerField(default=10)
    position = models.PositiveIntegerField(default=0)
    # Set when the loader unpublished it because its file disappeared; it republishes only those.
    retired_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["topic", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["topic", "slug"], name="lesson_slug_unique_in_topic")]
        indexes = [models.Index(fields=["topic", "is_published", "position"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("courses:lesson", kwargs={"topic_slug": self.topic.slug, "lesson_slug": self.slug})

    def content_fingerprint(self) -> str:
        return lesson_fingerprint(
            slug=self.slug,
            position=self.position,
            title=self.title,
            minutes=self.minutes,
            objectives=self.objectives,
            body=self.body_markdown,
        )
