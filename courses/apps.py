from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Catalogue"

    def ready(self):
        # Cache invalidation only (no domain logic): any save or delete of catalogue content, the admin's
        # included, moves the content version (courses.content_cache); bulk updates call it themselves.
        for model_name in ("Track", "Category", "Topic", "Lesson", "Framework", "FrameworkItem", "FrameworkMapping"):
            model = self.get_model(model_name)
            post_save.connect(_content_saved, sender=model, dispatch_uid=f"content-version-save-{model_name}")
            post_delete.connect(_content_saved, sender=model, dispatch_uid=f"content-version-delete-{model_name}")


def _content_saved(sender, **kwargs):
    from courses.content_cache import content_changed

    content_changed()
