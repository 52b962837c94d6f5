from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_delete, post_save


class ProgressConfig(AppConfig):
    name = "progress"
    verbose_name = "Learners, teams and certificates"

    def ready(self):
        from progress import checks, page_versions  # noqa: F401  (checks registers the signing key checks)
        from safety_academy.auth_backends import forget_user

        # Connected here, at start-up, in every process (web, worker, shell): a save anywhere forgets the
        # remembered account, whether or not this process has signed anyone in yet.
        for signal, name in ((post_save, "save"), (post_delete, "delete")):
            signal.connect(forget_user, sender=settings.AUTH_USER_MODEL, dispatch_uid=f"forget-remembered-user-{name}")
        page_versions.connect()  # kept learner pages are dropped when a row they show is saved or deleted
