from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class QuizzesConfig(AppConfig):
    name = "quizzes"

    def ready(self):
        # Cache invalidation only, as in courses.apps: a quiz read from the cache (quizzes.selectors.quiz_for_topic)
        # is replaced when the quiz, a question or a choice is saved or deleted, in the admin or anywhere.
        for model_name in ("Quiz", "Question", "Choice"):
            model = self.get_model(model_name)
            post_save.connect(_quiz_saved, sender=model, dispatch_uid=f"content-version-save-{model_name}")
            post_delete.connect(_quiz_saved, sender=model, dispatch_uid=f"content-version-delete-{model_name}")


def _quiz_saved(sender, **kwargs):
    from courses.content_cache import content_changed

    content_changed()
