"""The catalogue: the track's categories, topics and lessons, as loaded from fixtures/track/."""

from django.db import models

from courses.track_specs import lesson_fingerprint, topic_fingerprint
from safety_academy.links import site_path
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
    validity_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Months a certificate for this topic stays valid: empty for the site's default "
        "(CERTIFICATE_VALIDITY_MONTHS), 0 for never expires.",
    )
    # Bumped by the admin's "requires recertification"; certificates record the version they were earned on.
    content_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["category__position", "position", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return site_path("courses:topic", topic_slug=self.slug)

    def content_fingerprint(self) -> str:
        return topic_fingerprint(
            title=self.title,
            summary=self.summary,
            body=self.body_markdown,
            position=self.position,
            validity_months=self.validity_months,
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
        return site_path("courses:lesson", topic_slug=self.topic.slug, lesson_slug=self.slug)

    def content_fingerprint(self) -> str:
        return lesson_fingerprint(
            slug=self.slug,
            position=self.position,
            title=self.title,
            minutes=self.minutes,
            objectives=self.objectives,
            body=self.body_markdown,
        )


class Framework(models.Model):
    """A published framework the track is mapped to (NIST AI RMF, ISO/IEC 42001, the EU AI Act), from
    fixtures/frameworks/. Its items keep their publishers' identifiers and titles."""

    key = models.CharField(max_length=40, unique=True, help_text="As used in front matter: NIST-AI-RMF.")
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    short_title = models.CharField(max_length=80)
    edition = models.CharField(max_length=200)
    publisher = models.CharField(max_length=200)
    url = models.URLField(max_length=300)
    summary = models.TextField()
    position = models.PositiveIntegerField(default=0)
    source_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["position", "key"]

    def __str__(self) -> str:
        return self.short_title

    def get_absolute_url(self) -> str:
        return site_path("courses:framework", framework_slug=self.slug)


class FrameworkItem(models.Model):
    """A function, category, clause, control or article of a framework. Only items without children
    (`is_mappable`) are mapped to topics and count towards coverage; the others group them."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    code = models.CharField(max_length=40, help_text="As used in front matter after the colon: MEASURE-2.7.")
    label = models.CharField(max_length=60, help_text="The identifier as its publisher writes it: MEASURE 2.7.")
    title = models.CharField(max_length=200, blank=True, help_text="The publisher's title, where it gives one.")
    kind = models.CharField(max_length=40)
    description = models.TextField(help_text="Our own short description, not the framework's text.")
    note = models.TextField(blank=True)
    is_mappable = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)
    source_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["framework", "position"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="framework_item_code_unique")]

    def __str__(self) -> str:
        return f"{self.label} {self.title}".strip()

    @property
    def reference(self) -> str:
        return f"{self.framework.key}:{self.code}"


class FrameworkMapping(models.Model):
    """A topic (or one of its lessons, where the mapping is finer) teaches what a framework item asks for."""

    item = models.ForeignKey(FrameworkItem, on_delete=models.CASCADE, related_name="mappings")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="framework_mappings")
    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, null=True, blank=True, related_name="framework_mappings"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["item", "topic"], condition=models.Q(lesson__isnull=True), name="topic_maps_item_once"
            ),
            models.UniqueConstraint(
                fields=["item", "lesson"], condition=models.Q(lesson__isnull=False), name="lesson_maps_item_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lesson or self.topic} → {self.item}"
